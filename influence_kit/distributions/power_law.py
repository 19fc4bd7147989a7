"""The power law ``p(x) ∝ x^(-alpha)`` above ``xmin``, continuous and discrete.

Continuous: ``p(x) = (alpha - 1) / xmin * (x / xmin)^(-alpha)`` and the MLE is
closed-form, ``alpha = 1 + n / sum(log(x / xmin))`` with standard error
``(alpha - 1) / sqrt(n)`` (Clauset, Shalizi & Newman 2009, eqs. 3.1 and 3.2).

Discrete: ``p(x) = x^(-alpha) / zeta(alpha, xmin)`` with the exact Hurwitz zeta
normaliser (:func:`scipy.special.zeta` with two arguments); the MLE solves
``-d/dalpha log zeta(alpha, xmin) = mean(log x)`` (eq. 3.6). The functions
:func:`continuous_alpha` and :func:`discrete_alpha` are vectorised over many
candidate ``xmin`` at once, which is what makes the x_min scan fast.

One meaning for alpha
---------------------
``alpha`` is always the exponent of the density, ``p(x) ~ x^(-alpha)`` (Clauset et
al. 2009). The Pareto (Lomax) concentration parameter is the *tail index*
``tail_index = alpha - 1``, the exponent of the survival function
``P(X > x) = (x / xmin)^(-tail_index)``: :func:`tail_index_from_alpha` and
:func:`alpha_from_tail_index` convert, and :class:`Pareto` takes ``tail_index`` by
keyword only, so a fitted ``alpha`` cannot be passed for it by position.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ..errors import DataError, ParameterError
from ..formatting import format_value
from ..validation import SeedLike, check_fractions
from ._base import Family, FloatArray, check_table
from .frozen import FrozenFamily


def tail_index_from_alpha(alpha: float) -> float:
    """Tail index ``alpha - 1`` of a power law with density exponent ``alpha > 1``.

    Examples
    --------
    >>> tail_index_from_alpha(2.5)
    1.5
    """
    alpha = float(alpha)
    if not (np.isfinite(alpha) and alpha > 1):
        raise ParameterError(f"the density exponent alpha must exceed 1, got {format_value(alpha)}")
    return alpha - 1.0


def alpha_from_tail_index(tail_index: float) -> float:
    """Density exponent ``tail_index + 1`` of a Pareto law with tail index ``> 0``.

    Examples
    --------
    >>> alpha_from_tail_index(1.5)
    2.5
    """
    tail_index = float(tail_index)
    if not (np.isfinite(tail_index) and tail_index > 0):
        raise ParameterError(f"the tail index must be positive, got {format_value(tail_index)}")
    return tail_index + 1.0


#: Upper end of the search interval for the discrete MLE of alpha (also limited to
#: ``650 / log(xmin)`` so that ``xmin^(-alpha)`` does not underflow; only degenerate
#: tails, nearly all equal to ``xmin``, ever reach these limits).
ALPHA_MAX = 1000.0


def continuous_alpha(xmin: ArrayLike, n_tail: ArrayLike, sum_log: ArrayLike) -> FloatArray:
    """Continuous MLE of alpha for each candidate: ``1 + n / (sum log x - n log xmin)``."""
    xmin = np.asarray(xmin, dtype=float)
    n_tail = np.asarray(n_tail, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 + n_tail / (np.asarray(sum_log, dtype=float) - n_tail * np.log(xmin))


def log_zeta_derivatives(alpha: ArrayLike, q: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """First and second derivatives of ``log zeta(alpha, q)`` with respect to alpha.

    Five-point central differences with a step proportional to ``min(1, alpha - 1)``:
    truncation and rounding errors are both below about 1e-11 for ``alpha > 1.01``.
    """
    alpha = np.asarray(alpha, dtype=float)
    q = np.asarray(q, dtype=float)
    h = 1e-3 * np.minimum(1.0, 0.5 * (alpha - 1.0))
    f = [np.log(special.zeta(alpha + k * h, q)) for k in (-2, -1, 0, 1, 2)]
    first = (f[0] - 8.0 * f[1] + 8.0 * f[3] - f[4]) / (12.0 * h)
    second = (-f[0] + 16.0 * f[1] - 30.0 * f[2] + 16.0 * f[3] - f[4]) / (12.0 * h * h)
    return first, second


def discrete_alpha(
    xmin: ArrayLike, n_tail: ArrayLike, sum_log: ArrayLike, tol: float = 1e-12
) -> FloatArray:
    """Exact discrete MLE of alpha for each candidate (vectorised safeguarded Newton).

    Solves ``d/dalpha log zeta(alpha, xmin) + sum_log / n_tail = 0``; the left side
    increases with alpha, so a bracket is kept and Newton steps leaving it are
    replaced by bisection. Candidates whose tail is all equal to ``xmin`` get
    ``inf``.
    """
    xmin, n_tail, sum_log = np.broadcast_arrays(
        np.asarray(xmin, dtype=float),
        np.asarray(n_tail, dtype=float),
        np.asarray(sum_log, dtype=float),
    )
    shape = xmin.shape
    xmin, n_tail, sum_log = (np.atleast_1d(a).ravel() for a in (xmin, n_tail, sum_log))
    mean_log = sum_log / n_tail
    degenerate = mean_log <= np.log(xmin) + 1e-15
    lo = np.full(xmin.shape, 1.0)
    # keep xmin^(-alpha) representable (alpha log xmin < 650): only degenerate tails get there
    with np.errstate(divide="ignore"):
        hi = np.minimum(ALPHA_MAX, 650.0 / np.log(np.maximum(xmin, 1.0)))
    # continuous approximation (Clauset et al. eq. 3.7) as the starting point
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 + 1.0 / (mean_log - np.log(xmin - 0.5))
    alpha = np.where(np.isfinite(alpha), np.clip(alpha, 1.0 + 1e-6, 50.0), 2.0)
    active = ~degenerate
    for _ in range(100):
        if not active.any():
            break
        a = alpha[active]
        d1, d2 = log_zeta_derivatives(a, xmin[active])
        g = d1 + mean_log[active]
        lo_a = np.where(g < 0, a, lo[active])
        hi_a = np.where(g > 0, a, hi[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = g / d2
        new = a - step
        bad = ~np.isfinite(new) | (new <= lo_a) | (new >= hi_a) | (d2 <= 0)
        new = np.where(bad, 0.5 * (lo_a + hi_a), new)
        lo[active], hi[active] = lo_a, hi_a
        alpha[active] = new
        done = np.abs(new - a) <= tol * np.maximum(1.0, a)
        idx = np.flatnonzero(active)
        active[idx[done]] = False
    return np.where(degenerate, np.inf, alpha).reshape(shape)


class PowerLaw(Family):
    """Power law above ``xmin`` (parameter ``alpha > 1``)."""

    name: ClassVar[str] = "power_law"
    label: ClassVar[str] = "power law"
    param_names: ClassVar[tuple[str, ...]] = ("alpha",)

    def freeze(self, *params: float) -> FrozenFamily:
        """The law at density exponent ``alpha``: a :class:`Pareto` when continuous."""
        if len(params) != 1:
            raise ParameterError(f"the power law takes one parameter (alpha), got {params}")
        alpha = float(params[0])
        if not (np.isfinite(alpha) and alpha > 1):
            raise ParameterError(
                f"the density exponent alpha must exceed 1, got {format_value(alpha)}"
            )
        if self.discrete:
            return FrozenDiscretePowerLaw(self, np.array([alpha]))
        return Pareto(tail_index=tail_index_from_alpha(alpha), xmin=self.xmin)

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density or log mass (see :class:`~influence_kit.distributions.Family`)."""
        (alpha,) = np.atleast_1d(np.asarray(params, dtype=float))
        x = np.asarray(x, dtype=float)
        if self.discrete:
            return -alpha * np.log(x) - np.log(special.zeta(alpha, self.xmin))
        return np.log(alpha - 1.0) - np.log(self.xmin) - alpha * np.log(x / self.xmin)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)``."""
        (alpha,) = np.atleast_1d(np.asarray(params, dtype=float))
        xs: FloatArray = np.maximum(np.asarray(x, dtype=float), self.xmin)
        if self.discrete:
            return special.zeta(alpha, xs) / special.zeta(alpha, self.xmin)
        return (xs / self.xmin) ** (1.0 - alpha)

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """MLE of alpha (closed form when continuous, exact Hurwitz zeta when discrete)."""
        v, c = check_table(values, counts)
        n = c.sum()
        sum_log = float(np.sum(c * np.log(v)))
        if np.all(v == self.xmin):
            raise DataError("every tail value equals xmin: alpha is not identifiable")
        if self.discrete:
            return np.asarray(discrete_alpha(self.xmin, n, sum_log)).reshape(1)
        return np.asarray(continuous_alpha(self.xmin, n, sum_log)).reshape(1)

    def covariance(self, values: ArrayLike, counts: ArrayLike, params: ArrayLike) -> FloatArray:
        """Inverse observed information of alpha (closed form)."""
        _, c = check_table(values, counts)
        n = c.sum()
        (alpha,) = np.atleast_1d(np.asarray(params, dtype=float))
        if self.discrete:
            _, d2 = log_zeta_derivatives(alpha, self.xmin)
            return np.array([[1.0 / (n * float(d2))]])
        return np.array([[(alpha - 1.0) ** 2 / n]])

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values by inversion (exact for the discrete law too)."""
        (alpha,) = np.atleast_1d(np.asarray(params, dtype=float))
        u = 1.0 - rng.random(size)  # in (0, 1]
        if not self.discrete:
            return self.xmin * u ** (-1.0 / (alpha - 1.0))
        return _discrete_inverse(u, alpha, self.xmin)


#: Integers above xmin whose survival function is tabulated for sampling.
_TABLE_SIZE = 1 << 16


@lru_cache(maxsize=8)
def _survival_table(alpha: float, xmin: float) -> FloatArray:
    """``P(X >= x)`` for ``x = xmin, ..., xmin + 65535`` (cached: bootstraps reuse it)."""
    x = xmin + np.arange(_TABLE_SIZE, dtype=float)
    return special.zeta(alpha, x) / special.zeta(alpha, xmin)


def _discrete_inverse(u: FloatArray, alpha: float, xmin: float) -> FloatArray:
    """Largest integer ``x >= xmin`` with ``P(X >= x) >= u`` (inverse-CDF sampling).

    A tabulated survival function covers the first 65,536 integers; rarer, larger
    draws start from the asymptotic inverse
    ``1/2 + (u (alpha - 1) zeta(alpha, xmin))^(-1/(alpha-1))`` and are corrected with
    exact zeta ratios (values beyond 1e15 keep the approximation).
    """
    table = _survival_table(float(alpha), float(xmin))
    idx = np.searchsorted(-table, -u, side="right")
    x = np.asarray(xmin + idx - 1.0, dtype=np.float64)
    far = np.flatnonzero(idx >= table.size)
    if far.size:
        x[far] = _far_inverse(u[far], alpha, xmin)
    return x


def _far_inverse(u: FloatArray, alpha: float, xmin: float) -> FloatArray:
    z0 = special.zeta(alpha, xmin)
    with np.errstate(over="ignore"):
        # zeta(alpha, x) ~ (x - 1/2)^(1 - alpha) / (alpha - 1) for large x
        x = np.floor(0.5 + (u * (alpha - 1.0) * z0) ** (-1.0 / (alpha - 1.0)))
    x = np.maximum(x, xmin + _TABLE_SIZE - 1.0)
    active = np.flatnonzero(x < 1e15)
    for _ in range(200):
        down = special.zeta(alpha, x[active]) / z0 < u[active]
        if not down.any():
            break
        active = active[down]
        x[active] -= 1.0
    active = np.flatnonzero(x < 1e15)
    for _ in range(200):
        up = special.zeta(alpha, x[active] + 1.0) / z0 >= u[active]
        if not up.any():
            break
        active = active[up]
        x[active] += 1.0
    return x


class Pareto(FrozenFamily):
    """The Pareto law ``P(X > x) = (x / xmin)^(-tail_index)`` for ``x >= xmin``.

    The continuous power law with density exponent ``alpha = tail_index + 1``
    (``PowerLaw(xmin).freeze(alpha)`` returns one). Closed forms, with ``a`` the tail
    index: top share ``S(p) = p^(1 - 1/a)``, its inverse ``q^(a / (a - 1))``, Gini
    ``1 / (2a - 1)`` and mean ``xmin a / (a - 1)`` (all need ``a > 1``).

    Parameters
    ----------
    tail_index
        Keyword only: the exponent of the survival function (not the density exponent).
    xmin
        Scale: the smallest value.
    """

    def __init__(self, *, tail_index: float, xmin: float = 1.0) -> None:
        tail_index = float(tail_index)
        if not (np.isfinite(tail_index) and tail_index > 0):
            raise ParameterError(
                f"the Pareto tail index must be positive, got {format_value(tail_index)}"
            )
        super().__init__(PowerLaw(xmin), np.array([tail_index + 1.0]))
        self.tail_index = tail_index
        self.name = "pareto"

    @property
    def alpha(self) -> float:
        """Density exponent ``tail_index + 1``."""
        return self.tail_index + 1.0

    @property
    def parameters(self) -> dict[str, float]:
        """``{"tail_index": a, "xmin": xmin}``."""
        return {"tail_index": self.tail_index, "xmin": self.xmin}

    def _finite_mean(self) -> float:
        a = self.tail_index
        if a <= 1:
            raise ParameterError(
                f"a Pareto law with tail index {format_value(a, 4)} <= 1 (alpha = "
                f"{format_value(a + 1, 4)} <= 2) has an infinite mean, so top shares are not "
                "defined"
            )
        return a

    def sf(self, x: ArrayLike) -> FloatArray:
        """``(x / xmin)^(-tail_index)`` (1 below ``xmin``)."""
        x = np.asarray(x, dtype=float)
        ratio = np.maximum(x, self.xmin) / self.xmin
        return np.where(x < self.xmin, 1.0, ratio**-self.tail_index)

    def isf(self, q: ArrayLike) -> FloatArray:
        """``xmin q^(-1 / tail_index)``."""
        return self.xmin * np.asarray(q, dtype=float) ** (-1.0 / self.tail_index)

    def rvs(self, size: int | tuple[int, ...] = 1, random_state: SeedLike = None) -> FloatArray:
        """Draw by inversion."""
        rng = np.random.default_rng(random_state)
        return self.isf(1.0 - rng.random(size))

    def mean(self) -> float:
        """``xmin a / (a - 1)``."""
        a = self._finite_mean()
        return self.xmin * a / (a - 1.0)

    def top_share(self, p: ArrayLike) -> FloatArray:
        """``p^(1 - 1/a)``."""
        a = self._finite_mean()
        return check_fractions("p", p) ** (1.0 - 1.0 / a)

    def fraction_for_share(self, q: ArrayLike) -> FloatArray:
        """``q^(a / (a - 1))``."""
        a = self._finite_mean()
        return check_fractions("q", q) ** (a / (a - 1.0))

    def gini(self) -> float:
        """``1 / (2a - 1)``."""
        a = self._finite_mean()
        return 1.0 / (2.0 * a - 1.0)


class FrozenDiscretePowerLaw(FrozenFamily):
    """The discrete power law ``x^(-alpha) / zeta(alpha, xmin)`` on ``xmin, xmin + 1, ...``.

    ``isf`` inverts the exact Hurwitz zeta survival function (tabulated, as the
    sampler); the mean is ``zeta(alpha - 1, xmin) / zeta(alpha, xmin)``.
    """

    def isf(self, q: ArrayLike) -> FloatArray:
        """Smallest integer ``x`` with ``P(X > x) <= q``."""
        q_arr = np.asarray(q, dtype=float)
        flat = np.clip(q_arr.reshape(-1), np.finfo(float).tiny, 1.0)
        out = _discrete_inverse(flat.copy(), float(self.params[0]), self.xmin)
        return out.reshape(q_arr.shape)

    def mean_above(self, x: float, epsabs: float = 0.0) -> float:
        """``E[X; X > x] = zeta(alpha - 1, x + 1) / zeta(alpha, xmin)`` (alpha > 2)."""
        self.mean()  # raises for an infinite mean
        alpha = float(self.params[0])
        start = max(np.floor(x) + 1.0, self.xmin)
        return float(special.zeta(alpha - 1.0, start) / special.zeta(alpha, self.xmin))

    def mean(self) -> float:
        """``zeta(alpha - 1, xmin) / zeta(alpha, xmin)`` (finite for alpha > 2)."""
        alpha = float(self.params[0])
        if alpha <= 2:
            raise ParameterError(
                f"the power law with alpha = {format_value(alpha, 4)} <= 2 has an infinite mean, "
                "so top shares are not defined"
            )
        return float(special.zeta(alpha - 1.0, self.xmin) / special.zeta(alpha, self.xmin))
