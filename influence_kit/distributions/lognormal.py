"""The lognormal law truncated to ``x >= xmin``.

Continuous: density ``phi((log x - mu) / sigma) / (x sigma)`` divided by
``P(X >= xmin)``. Discrete: the mass of each integer is the continuous
probability of ``[x, x + 1)``, normalised over ``x >= xmin`` (a discretised
lognormal; it is exactly normalised and avoids the bias of fitting a continuous
density to integers). ``mu`` may be negative and large in magnitude: a truncated
lognormal with a very negative ``mu`` and large ``sigma`` mimics a power law.
The discrete masses are computed without cancellation even there
(:func:`log_normal_mass`), and the discrete fit works on the frequency table with
the analytic gradient (:class:`DiscreteLognormalTable`, :meth:`Lognormal.fit_discrete`).

``Lognormal(0.0)`` (continuous, ``xmin = 0``) is the untruncated lognormal, whose
frozen law has the closed-form concentration ``S(p) = Phi(sigma + Phi^-1(p))``,
``Gini = 2 Phi(sigma / sqrt 2) - 1``. Truncated, ``S(p) = Phi(sigma - z_p) /
Phi(sigma - z_min)`` with ``z = (log x - mu) / sigma`` at the top-``p`` threshold
and at ``xmin``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special

from ..errors import ParameterError
from ..formatting import format_value
from ..validation import SeedLike, check_fractions
from ._base import Family, FloatArray, check_table
from .frozen import FrozenFamily

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_SQRT_HALF = np.sqrt(0.5)
_LOG_HALF = np.log(0.5)
_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)


def _z(x: ArrayLike, mu: float, sigma: float) -> FloatArray:
    with np.errstate(divide="ignore"):
        return (np.log(np.asarray(x, dtype=float)) - mu) / sigma


def log_normal_mass(a: ArrayLike, b: ArrayLike, width: ArrayLike) -> FloatArray:
    """``log(Phi(b) - Phi(a))`` for ``a < b``, given ``width = b - a`` computed accurately.

    With ``E(z) = erfcx(|z| / sqrt 2)`` (so ``Phi(-|z|) = E(z) exp(-z^2 / 2) / 2``), an
    interval on one side of 0 with ends ``n`` (nearer 0) and ``f`` (farther) has

    ``log mass = log(1/2) - n^2/2 + log(E(n) (1 - e^-d) + (E(n) - E(f)) e^-d)``,
    ``d = width (|n| + |f|) / 2``,

    a sum of two positive terms: nothing cancels even when ``width`` is ``1e-9`` and the
    interval is 300 standard deviations out (where the difference of the two ``log_ndtr``
    values, each about ``-45000``, would keep only a few digits). An interval containing 0
    uses ``(erf(b / sqrt 2) - erf(a / sqrt 2)) / 2``, also a sum of two magnitudes.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    near, log_bracket = _one_sided_mass(a, b, np.asarray(width, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        one_side = _LOG_HALF - 0.5 * near * near + log_bracket
        straddle = (a < 0) & (b > 0)
        if not np.any(straddle):
            return one_side
        middle = np.log(0.5 * (special.erf(b * _SQRT_HALF) - special.erf(a * _SQRT_HALF)))
    return np.where(straddle, middle, one_side)


def _one_sided_mass(
    a: FloatArray, b: FloatArray, width: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``(n, log(E(n) (1 - e^-d) + (E(n) - E(f)) e^-d))`` of :func:`log_normal_mass`."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = np.minimum(np.abs(a), np.abs(b))
        far = np.maximum(np.abs(a), np.abs(b))
        e_near = special.erfcx(near * _SQRT_HALF)
        e_far = special.erfcx(far * _SQRT_HALF)
        d = 0.5 * width * (near + far)
        bracket = e_near * -np.expm1(-d) + (e_near - e_far) * np.exp(-d)
        return near, np.log(bracket)


def discretised_isf(continuous: FloatArray, xmin: float) -> FloatArray:
    """``isf`` of a discretised law with ``P(X >= k) = C(k)`` from ``C^-1(q)``.

    The smallest integer ``x`` with ``P(X > x) = C(x + 1) <= q`` is ``ceil(C^-1(q)) - 1``.
    """
    return np.maximum(np.ceil(continuous) - 1.0, xmin)


def _discretised_log_mass(
    za: FloatArray, zb: FloatArray, width: FloatArray, z0: float, excess: FloatArray
) -> tuple[FloatArray, FloatArray, float]:
    """Log mass of ``[v, v + 1)`` relative to ``P(X >= xmin)``, and ``phi(a) / mass``,
    ``phi(z0) / P(X >= xmin)`` for the gradient.

    ``za, zb`` are the standardised ends, ``width = zb - za`` and ``excess = za - z0``
    (both computed from logarithms of ratios, so without cancellation).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if z0 > 0:
            # the whole tail lies above the median: every interval is one-sided and
            # log mass - log norm = -(a - z0)(a + z0)/2 + log bracket - log E(z0),
            # so nothing of size z^2 cancels
            _, log_bracket = _one_sided_mass(za, zb, width)
            log_e0 = float(np.log(special.erfcx(z0 * _SQRT_HALF)))
            logpmf = -0.5 * excess * (za + z0) + log_bracket - log_e0
            ra = _SQRT_2_OVER_PI * np.exp(-log_bracket)
            r0 = _SQRT_2_OVER_PI * float(np.exp(-log_e0))
            return logpmf, ra, r0
        log_mass = log_normal_mass(za, zb, width)
        log_norm = float(special.log_ndtr(-z0))
        ra = np.exp(-0.5 * za * za - _LOG_SQRT_2PI - log_mass)
        r0 = float(np.exp(-0.5 * z0 * z0 - _LOG_SQRT_2PI - log_norm))
        return log_mass - log_norm, ra, r0


class DiscreteLognormalTable:
    """Per-table quantities of the discretised lognormal, for fast likelihoods.

    The mass of each distinct value ``v`` is ``Phi(z(v + 1)) - Phi(z(v))`` over
    ``Phi(-z(xmin))`` (:func:`log_normal_mass`); the logarithms of the values, the widths
    ``log(1 + 1/v)`` and the excesses ``log(v / xmin)`` are computed once per table, so an
    evaluation costs a few vectorised special functions per *distinct* value, never one
    per observation, and also returns the analytic gradient.

    Parameters
    ----------
    xmin
        Lower bound of the support (an integer).
    values, counts
        The frequency table of the tail (values ``>= xmin``).
    """

    def __init__(self, xmin: float, values: ArrayLike, counts: ArrayLike) -> None:
        v = np.asarray(values, dtype=float)
        self.counts: FloatArray = np.asarray(counts, dtype=float)
        self.total = float(self.counts.sum())
        self.log_xmin = float(np.log(xmin))
        self.log_values: FloatArray = np.log(v)
        self.log_width: FloatArray = np.log1p(1.0 / v)
        self.log_excess: FloatArray = np.log(v / xmin)

    def _standardised(
        self, mu: float, sigma: float
    ) -> tuple[FloatArray, FloatArray, float, FloatArray, FloatArray, float]:
        za = (self.log_values - mu) / sigma
        width = self.log_width / sigma
        z0 = (self.log_xmin - mu) / sigma
        logpmf, ra, r0 = _discretised_log_mass(za, za + width, width, z0, self.log_excess / sigma)
        return za, width, z0, logpmf, ra, r0

    def logpmf(self, mu: float, sigma: float) -> FloatArray:
        """Log mass of each distinct value."""
        return self._standardised(mu, sigma)[3]

    def loglik(self, mu: float, sigma: float) -> float:
        """Total log-likelihood of the table."""
        return float(np.sum(self.counts * self.logpmf(mu, sigma)))

    def evaluate(self, mu: float, sigma: float) -> tuple[FloatArray, FloatArray]:
        """Log mass of each distinct value and the gradient of the total log-likelihood
        with respect to ``(mu, sigma)``."""
        za, width, z0, logpmf, ra, r0 = self._standardised(mu, sigma)
        with np.errstate(invalid="ignore", over="ignore"):
            # with ra = phi(a) / mass and phi(b) = phi(a) exp(-s), s = (b - a)(b + a) / 2,
            # the differences phi(b) - phi(a) and b phi(b) - a phi(a) need no subtraction
            s = width * (za + 0.5 * width)
            d_phi = ra * np.expm1(-s)
            d_z_phi = ra * (za * np.expm1(-s) + np.exp(-s) * width)
            c = self.counts
            # d z / d mu = -1 / sigma and d z / d sigma = -z / sigma at every edge
            g_mu = (-np.sum(c * d_phi) - self.total * r0) / sigma
            g_sigma = (-np.sum(c * d_z_phi) - self.total * r0 * z0) / sigma
        return logpmf, np.array([g_mu, g_sigma])


class FrozenLognormal(FrozenFamily):
    """A lognormal law at fixed ``mu`` and ``sigma``, conditioned on ``x >= xmin``."""

    def __init__(self, family: Family, params: ArrayLike) -> None:
        super().__init__(family, params)
        if not self.params[1] > 0:
            raise ParameterError(
                f"lognormal sigma must be positive, got {format_value(self.params[1])}"
            )

    @property
    def sigma(self) -> float:
        """Log-scale standard deviation."""
        return float(self.params[1])

    @property
    def mu(self) -> float:
        """Log-scale mean."""
        return float(self.params[0])

    @property
    def parameters(self) -> dict[str, float]:
        """``mu``, ``sigma`` and (when truncated) ``xmin``."""
        out = {"mu": self.mu, "sigma": self.sigma}
        if self.xmin > 0:
            out["xmin"] = self.xmin
        return out

    def _z_min(self) -> float:
        return float(_z(self.xmin, self.mu, self.sigma))

    def _closed_form_isf(self, q: FloatArray) -> FloatArray:
        log_norm = special.log_ndtr(-self._z_min())
        with np.errstate(divide="ignore"):
            z = -special.ndtri(np.exp(np.log(q) + log_norm))
        return np.exp(self.mu + self.sigma * z)

    def isf(self, q: ArrayLike) -> FloatArray:
        """Closed form: ``exp(mu - sigma Phi^-1(q Phi(-z_min)))`` (discretised if discrete)."""
        x = self._closed_form_isf(np.asarray(q, dtype=float))
        return discretised_isf(x, self.xmin) if self.discrete else x

    def rvs(self, size: int | tuple[int, ...] = 1, random_state: SeedLike = None) -> FloatArray:
        """Draw by inversion."""
        rng = np.random.default_rng(random_state)
        return self.isf(1.0 - rng.random(size))

    def sf(self, x: ArrayLike) -> FloatArray:
        """``P(X > x)``."""
        x = np.asarray(x, dtype=float)
        if self.xmin > 0 or self.discrete:
            return super().sf(x)
        with np.errstate(divide="ignore"):
            return special.ndtr(-_z(np.maximum(x, 0.0), self.mu, self.sigma))

    def logpdf(self, x: ArrayLike) -> FloatArray:
        """Log density or log mass; ``-inf`` outside the support."""
        x = np.asarray(x, dtype=float)
        if self.xmin > 0 or self.discrete:
            return super().logpdf(x)
        safe = np.where(x > 0, x, 1.0)
        out = self.family.logpdf(safe, self.params)
        return np.where(x > 0, out, -np.inf)

    def mean(self) -> float:
        """``exp(mu + sigma^2 / 2) Phi(sigma - z_min) / Phi(-z_min)`` (continuous)."""
        if self.discrete:
            return super().mean()
        z0 = self._z_min()
        return float(
            np.exp(
                self.mu
                + 0.5 * self.sigma**2
                + special.log_ndtr(self.sigma - z0)
                - special.log_ndtr(-z0)
            )
        )

    def top_share(self, p: ArrayLike) -> FloatArray:
        """``Phi(sigma + Phi^-1(p))`` untruncated; ``Phi(sigma - z_p) / Phi(sigma - z_min)``."""
        if self.discrete:
            return super().top_share(p)
        p = check_fractions("p", p)
        if self.xmin == 0:
            return special.ndtr(self.sigma + special.ndtri(p))
        z_p = (np.log(self._closed_form_isf(p)) - self.mu) / self.sigma
        z0 = self._z_min()
        return np.exp(special.log_ndtr(self.sigma - z_p) - special.log_ndtr(self.sigma - z0))

    def fraction_for_share(self, q: ArrayLike) -> FloatArray:
        """``Phi(Phi^-1(q) - sigma)`` untruncated; numerical otherwise."""
        if self.discrete or self.xmin > 0:
            return super().fraction_for_share(q)
        return special.ndtr(special.ndtri(check_fractions("q", q)) - self.sigma)

    def gini(self) -> float:
        """``2 Phi(sigma / sqrt 2) - 1`` untruncated; numerical otherwise."""
        if self.discrete or self.xmin > 0:
            return super().gini()
        return float(2.0 * special.ndtr(self.sigma / np.sqrt(2.0)) - 1.0)


class Lognormal(Family):
    """Lognormal law above ``xmin`` (parameters ``mu``, ``sigma > 0``)."""

    name: ClassVar[str] = "lognormal"
    label: ClassVar[str] = "lognormal"
    param_names: ClassVar[tuple[str, ...]] = ("mu", "sigma")
    allows_zero_xmin: ClassVar[bool] = True

    frozen_class: ClassVar[type[FrozenFamily]] = FrozenLognormal

    def _z(self, x: ArrayLike, mu: float, sigma: float) -> FloatArray:
        return _z(x, mu, sigma)

    def _log_norm(self, mu: float, sigma: float) -> float:
        return float(special.log_ndtr(-self._z(self.xmin, mu, sigma)))

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density or log mass."""
        mu, sigma = np.asarray(params, dtype=float)
        x = np.asarray(x, dtype=float)
        if self.discrete:
            with np.errstate(divide="ignore", invalid="ignore"):
                za = self._z(x, mu, sigma)
                width = np.log1p(1.0 / x) / sigma
                excess = np.log(x / self.xmin) / sigma
            z0 = float(self._z(self.xmin, mu, sigma))
            return _discretised_log_mass(za, za + width, width, z0, excess)[0]
        z = self._z(x, mu, sigma)
        return -0.5 * z * z - _LOG_SQRT_2PI - np.log(x * sigma) - self._log_norm(mu, sigma)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)``."""
        mu, sigma = np.asarray(params, dtype=float)
        x = np.maximum(np.asarray(x, dtype=float), self.xmin)
        return np.exp(special.log_ndtr(-self._z(x, mu, sigma)) - self._log_norm(mu, sigma))

    def table_loglik(self, values: FloatArray, counts: FloatArray) -> Callable[[ArrayLike], float]:
        """Discrete: the per-table likelihood of :class:`DiscreteLognormalTable`."""
        if not self.discrete:
            return super().table_loglik(values, counts)
        table = DiscreteLognormalTable(self.xmin, values, counts)

        def loglik(params: ArrayLike) -> float:
            mu, sigma = np.asarray(params, dtype=float)
            return table.loglik(float(mu), float(sigma))

        return loglik

    def initial(self, values: FloatArray, counts: FloatArray) -> FloatArray:
        """Moments of ``log x`` (the untruncated fit)."""
        w = counts / counts.sum()
        logs = np.log(values)
        mu = float(np.sum(w * logs))
        sigma = float(np.sqrt(max(np.sum(w * (logs - mu) ** 2), 1e-6)))
        return np.array([mu, sigma])

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """Numerical MLE, best of several starts.

        Continuous: Nelder-Mead then BFGS over ``(mu / sigma_0, log sigma)``. Discrete:
        BFGS with the analytic gradient (:meth:`fit_discrete`).
        """
        v, c = check_table(values, counts)
        if self.discrete:
            return self.fit_discrete(v, c)
        start = self.initial(v, c)
        scale = max(start[1], 1e-3)

        def to_natural(u: FloatArray) -> FloatArray:
            return np.array([u[0] * scale, np.exp(u[1])])

        def from_natural(p: FloatArray) -> FloatArray:
            return np.array([p[0] / scale, np.log(p[1])])

        best: FloatArray | None = None
        best_ll = -np.inf
        for mu_shift, sigma_mult in ((0.0, 1.0), (-2.0, 2.0), (-8.0, 3.0)):
            s0 = np.array([start[0] + mu_shift * scale, start[1] * sigma_mult])
            p = self._maximise(v, c, s0, to_natural, from_natural)
            ll = self.loglik(v, c, p)
            if ll > best_ll:
                best, best_ll = p, ll
        assert best is not None
        return best

    def fit_discrete(self, values: FloatArray, counts: FloatArray) -> FloatArray:
        """MLE of the discretised lognormal by BFGS with the analytic gradient.

        The optimiser works on ``u = ((mu - log xmin) / sigma^2, log sigma)``: the
        natural parameters of the lognormal as an exponential family in ``log x``.
        Along them the ridge towards the power-law limit (``mu -> -inf``,
        ``sigma -> inf`` with ``mu / sigma^2`` fixed, where the law tends to
        ``x^(mu / sigma^2 - 1)``) is a straight line, which quasi-Newton steps follow.
        Each evaluation costs one pass over the distinct edges of the table
        (:class:`DiscreteLognormalTable`).
        """
        table = DiscreteLognormalTable(self.xmin, values, counts)
        shift = table.log_xmin
        total = table.total

        def to_natural(u: FloatArray) -> tuple[float, float]:
            sigma = float(np.exp(u[1]))
            return shift + float(u[0]) * sigma * sigma, sigma

        def objective(u: FloatArray) -> tuple[float, FloatArray]:
            mu, sigma = to_natural(u)
            logpmf, (g_mu, g_sigma) = table.evaluate(mu, sigma)
            value = -float(np.sum(table.counts * logpmf)) / total
            # chain rule: mu = log xmin + u0 sigma^2, sigma = exp(u1)
            du = np.array(
                [g_mu * sigma * sigma, (2.0 * g_mu * float(u[0]) * sigma + g_sigma) * sigma]
            )
            if not (np.isfinite(value) and np.all(np.isfinite(du))):
                return 1e300, np.zeros(2)
            return value, -du / total

        start = self.initial(values, counts)
        best = np.array([start[0], start[1]])
        best_ll = -np.inf
        for mu_shift, sigma_mult in ((0.0, 1.0), (-2.0, 2.0), (-8.0, 3.0)):
            sigma0 = start[1] * sigma_mult
            mu0 = start[0] + mu_shift * start[1]
            u0 = np.array([(mu0 - shift) / sigma0**2, np.log(sigma0)])
            res = optimize.minimize(
                objective, u0, jac=True, method="BFGS", options={"gtol": 1e-9, "maxiter": 2000}
            )
            mu, sigma = to_natural(res.x)
            ll = table.loglik(mu, sigma)
            if ll > best_ll:
                best, best_ll = np.array([mu, sigma]), ll
        return best

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values above ``xmin`` by inversion of the truncated law."""
        mu, sigma = np.asarray(params, dtype=float)
        log_tail = self._log_norm(mu, sigma)
        u = rng.random(size)
        # P(X >= x) = exp(log_tail) * (1 - u)  ->  log_ndtr(-z) = log_tail + log(1 - u)
        target = log_tail + np.log1p(-u)
        z = -special.ndtri_exp(target)
        x = np.exp(mu + sigma * z)
        x = np.maximum(x, self.xmin)
        return np.floor(x) if self.discrete else x
