"""The power law with exponential cut-off, ``p(x) ∝ x^(-alpha) exp(-lambda x)`` above ``xmin``.

With ``lambda > 0`` any real ``alpha`` gives a proper law; ``lambda = 0`` is the
pure power law, so the two are nested and compared with a likelihood-ratio test
(see :mod:`influence_kit.fitting.compare`). Internally the rate is expressed as
``nu = lambda xmin`` and the variable as ``t = x / xmin``.

Normalisers: continuous ``xmin^(1-alpha) * integral_1^inf t^(-alpha) exp(-nu t) dt
= xmin^(1-alpha) nu^(alpha-1) Gamma(1-alpha, nu)`` by the one incomplete gamma helper
(:func:`~influence_kit.distributions.special_functions.log_upper_gamma`); discrete
``sum_{x >= xmin} x^(-alpha) exp(-lambda x)`` by summing the first :data:`DIRECT_TERMS`
terms exactly and the remainder by the Euler-Maclaurin formula (integral plus end
corrections), accurate to ~1e-12.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cached_property
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ..errors import ParameterError
from ..formatting import format_value
from ..validation import check_fractions
from ._base import Family, FloatArray, check_table
from .frozen import FrozenFamily, scalar_map
from .power_law import PowerLaw
from .special_functions import log_upper_gamma, quad

#: Terms of the discrete normalising sum computed one by one.
DIRECT_TERMS = 2000

#: Smallest ``lambda * xmin`` the optimiser explores (below it the law is a power law).
MIN_NU = 1e-12


def _log_integral(alpha: float, nu: float, start: float = 1.0) -> float:
    """``log integral_start^inf t^(-alpha) exp(-nu t) dt = log Gamma(1 - alpha, nu start)
    + (alpha - 1) log nu`` (the pure power law when ``nu = 0``)."""
    if nu <= 0:
        if alpha <= 1:
            return np.inf
        return float((1.0 - alpha) * np.log(start) - np.log(alpha - 1.0))
    return log_upper_gamma(1.0 - alpha, nu * start) + (alpha - 1.0) * float(np.log(nu))


class FrozenPowerLawCutoff(FrozenFamily):
    """Power law with exponential cut-off at fixed ``alpha`` and ``lambda > 0``.

    Continuous, with ``Gamma(s, z)`` the upper incomplete gamma function
    (:func:`~influence_kit.distributions.special_functions.log_upper_gamma`) and
    ``c = lambda xmin``: ``P(X > x) = Gamma(1 - alpha, lambda x) / Gamma(1 - alpha, c)``,
    the share of the total above ``x`` is ``Gamma(2 - alpha, lambda x) / Gamma(2 - alpha, c)``
    and the mean is ``Gamma(2 - alpha, c) / (lambda Gamma(1 - alpha, c))``. ``isf`` is found
    by root finding. The discrete law uses the numerical defaults (slow: one normalising
    sum per point).
    """

    def __init__(self, family: Family, params: ArrayLike) -> None:
        super().__init__(family, params)
        if not self.params[1] > 0:
            raise ParameterError(
                f"the cut-off rate lambda must be positive, got {format_value(self.params[1])} "
                "(lambda = 0 is the pure power law: PowerLaw(xmin).freeze(alpha))"
            )
        self._log_gamma_at_xmin: dict[float, float] = {}

    @property
    def cutoff(self) -> float:
        """The dimensionless rate ``lambda xmin``."""
        return float(self.params[1]) * self.xmin

    def _log_gamma_ratio(self, s: float, x: float) -> float:
        lam = float(self.params[1])
        if s not in self._log_gamma_at_xmin:
            self._log_gamma_at_xmin[s] = log_upper_gamma(s, lam * self.xmin)
        return log_upper_gamma(s, lam * x) - self._log_gamma_at_xmin[s]

    def sf(self, x: ArrayLike) -> FloatArray:
        """``P(X > x)``."""
        if self.discrete:
            return super().sf(x)
        alpha = float(self.params[0])
        x = np.asarray(x, dtype=float)
        out = scalar_map(
            lambda v: 1.0 if v <= self.xmin else math.exp(self._log_gamma_ratio(1.0 - alpha, v)),
            x,
        )
        return out.reshape(x.shape)

    def mean_above(self, x: float, epsabs: float = 0.0) -> float:
        """Discrete: ``E[X; X > x] = sum_(k > x) k^(1 - alpha) e^(-lambda k) / Z`` (two
        normalising sums)."""
        alpha, lam = (float(v) for v in self.params)
        start = max(math.floor(x) + 1.0, self.xmin)
        above = PowerLawCutoff(start, True).log_normaliser(alpha - 1.0, lam)
        return math.exp(above - self.family.log_normaliser(alpha, lam))

    def mean(self) -> float:
        """``Gamma(2 - alpha, c) / (lambda Gamma(1 - alpha, c))`` when continuous; the
        ratio of normalising sums ``Z(alpha - 1) / Z(alpha)`` when discrete."""
        if self.discrete:
            return self.mean_above(self.xmin - 1.0)
        alpha, lam = (float(v) for v in self.params)
        c = lam * self.xmin
        return math.exp(log_upper_gamma(2.0 - alpha, c) - log_upper_gamma(1.0 - alpha, c)) / lam

    def top_share(self, p: ArrayLike) -> FloatArray:
        """``Gamma(2 - alpha, lambda x_p) / Gamma(2 - alpha, c)`` at ``x_p = isf(p)``."""
        if self.discrete:
            return super().top_share(p)
        alpha = float(self.params[0])
        return scalar_map(
            lambda v: math.exp(self._log_gamma_ratio(2.0 - alpha, float(self.isf(v)))),
            check_fractions("p", p),
        )

    def gini(self) -> float:
        """``1 - E[min(X1, X2)] / mean`` with ``E[min] = xmin + int_xmin^inf sf(x)^2 dx``."""
        if self.discrete:
            return super().gini()
        lam = float(self.params[1])
        # beyond x = xmin + 800 / lambda the survival function is below exp(-800)
        top = math.log(self.xmin + 800.0 / lam)

        def integrand(u: float) -> float:
            x = math.exp(u)
            return float(self.sf(x)) ** 2 * x

        squared = quad(integrand, math.log(self.xmin), top, limit=200, epsabs=0.0, epsrel=1e-9)
        return float(min(max(1.0 - (self.xmin + squared) / self.mean(), 0.0), 1.0))


class PowerLawCutoff(Family):
    """Power law with exponential cut-off above ``xmin`` (parameters ``alpha``, ``lambda``)."""

    name: ClassVar[str] = "power_law_cutoff"
    label: ClassVar[str] = "power law with cut-off"
    param_names: ClassVar[tuple[str, ...]] = ("alpha", "lambda")
    frozen_class: ClassVar[type[FrozenFamily]] = FrozenPowerLawCutoff

    def freeze(self, *params: float) -> FrozenFamily:
        """The law at ``alpha`` and ``lambda``; ``lambda = 0`` gives the pure power law."""
        values = np.asarray(params, dtype=float)
        if values.shape == (2,) and values[1] == 0:
            return PowerLaw(self.xmin, self.discrete).freeze(float(values[0]))
        return FrozenPowerLawCutoff(self, values)

    @cached_property
    def _direct_terms(self) -> tuple[FloatArray, FloatArray]:
        """The first :data:`DIRECT_TERMS` support points of the discrete sum and their logs."""
        x = self.xmin + np.arange(DIRECT_TERMS, dtype=float)
        return x, np.log(x)

    def log_normaliser(self, alpha: float, lam: float) -> float:
        """Log of the normalising constant of ``x^(-alpha) exp(-lambda x)`` over the support."""
        if lam < 0:
            raise ParameterError(f"lambda must be >= 0, got {lam}")
        if not self.discrete:
            return float((1.0 - alpha) * np.log(self.xmin) + _log_integral(alpha, lam * self.xmin))
        if lam == 0:
            return float(np.log(special.zeta(alpha, self.xmin)))
        x, log_x = self._direct_terms
        logs = -alpha * log_x - lam * x
        shift = logs[0]
        head = np.exp(logs - shift).sum()
        m = self.xmin + DIRECT_TERMS
        # Euler-Maclaurin remainder sum_{k>=m} f(k) = int_m^inf f + f(m)/2 - f'(m)/12 + ...
        log_int = (1.0 - alpha) * np.log(m) + _log_integral(alpha, lam * m)
        fm = np.exp(-alpha * np.log(m) - lam * m - shift)
        dfm = fm * (-alpha / m - lam)
        tail = np.exp(log_int - shift) + 0.5 * fm - dfm / 12.0
        return float(shift + np.log(head + tail))

    def table_loglik(self, values: FloatArray, counts: FloatArray) -> Callable[[ArrayLike], float]:
        """Log-likelihood from the sufficient statistics ``sum c log x`` and ``sum c x``:
        ``-alpha S_log - lambda S_x - n log Z``; each evaluation costs one normaliser."""
        c = np.asarray(counts, dtype=float)
        v = np.asarray(values, dtype=float)
        total = float(c.sum())
        sum_log = float(np.sum(c * np.log(v)))
        sum_x = float(np.sum(c * v))

        def loglik(params: ArrayLike) -> float:
            alpha, lam = np.asarray(params, dtype=float)
            if lam < 0 or (lam == 0 and alpha <= 1):
                return float("nan")  # outside the parameter space
            return float(-alpha * sum_log - lam * sum_x - total * self.log_normaliser(alpha, lam))

        return loglik

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density or log mass."""
        alpha, lam = np.asarray(params, dtype=float)
        x = np.asarray(x, dtype=float)
        if lam < 0 or (lam == 0 and alpha <= 1):
            return np.full(x.shape, np.nan)  # outside the parameter space
        return -alpha * np.log(x) - lam * x - self.log_normaliser(alpha, lam)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)`` (one quadrature or sum per point: use on modest grids)."""
        alpha, lam = np.asarray(params, dtype=float)
        xs: FloatArray = np.maximum(np.asarray(x, dtype=float), self.xmin)
        log_z = self.log_normaliser(alpha, lam)
        out = np.empty(xs.shape)
        for i, xi in np.ndenumerate(xs):
            other = PowerLawCutoff(xi, self.discrete)
            out[i] = np.exp(other.log_normaliser(alpha, lam) - log_z)
        return out

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """Numerical MLE over ``(alpha, log(lambda xmin))``, started near the power law fit."""
        v, c = check_table(values, counts)
        xmin = self.xmin
        n = c.sum()
        mean_log = float(np.sum(c * np.log(v / xmin)) / n)
        alpha_pl = 1.0 + 1.0 / max(mean_log, 1e-9)

        def to_natural(u: FloatArray) -> FloatArray:
            return np.array([u[0], np.exp(u[1]) / xmin])

        def from_natural(p: FloatArray) -> FloatArray:
            return np.array([p[0], np.log(max(p[1] * xmin, MIN_NU))])

        mean_scaled = float(np.sum(c * v / xmin) / n)
        best: FloatArray | None = None
        best_ll = -np.inf
        for alpha0, nu0 in (
            (alpha_pl, 1e-3 / mean_scaled),
            (max(alpha_pl - 0.5, 0.5), 0.5 / mean_scaled),
            (1.0, 1.0 / mean_scaled),
        ):
            p = self._maximise(v, c, np.array([alpha0, nu0 / xmin]), to_natural, from_natural)
            ll = self.loglik(v, c, p)
            if ll > best_ll:
                best, best_ll = p, ll
        assert best is not None
        return best

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values above ``xmin`` by exact rejection sampling.

        For ``alpha > 1`` the proposal is the (continuous or discrete) power law and a
        draw is accepted with probability ``exp(-lambda (x - xmin))``; otherwise the
        proposal is exponential (geometric when discrete) and the power-law factor is
        the acceptance probability, scaled by its maximum.
        """
        alpha, lam = np.asarray(params, dtype=float)
        out: list[FloatArray] = []
        have = 0
        while have < size:
            m = max(2 * (size - have), 64)
            if alpha > 1:
                x = PowerLaw(self.xmin, self.discrete).sample(m, [alpha], rng)
                accept = np.exp(-lam * (x - self.xmin))
            else:
                rate = lam if alpha >= 0 else 0.5 * lam
                if self.discrete:
                    x = np.asarray(self.xmin + rng.geometric(-np.expm1(-rate), m) - 1.0, np.float64)
                else:
                    x = self.xmin + rng.exponential(1.0 / rate, m)
                log_g = -alpha * np.log(x / self.xmin) - (lam - rate) * (x - self.xmin)
                peak = max(self.xmin, -alpha / (lam - rate)) if alpha < 0 else self.xmin
                log_m = -alpha * np.log(peak / self.xmin) - (lam - rate) * (peak - self.xmin)
                accept = np.exp(log_g - log_m)
            keep = rng.random(x.size) < accept
            out.append(x[keep])
            have += int(keep.sum())
        return np.concatenate(out)[:size]
