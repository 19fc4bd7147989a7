"""Frozen distributions: one law at fixed parameters, with a scipy-style interface.

Every frozen distribution offers ``pdf``, ``logpdf``, ``cdf``, ``sf``, ``isf``,
``rvs(size, random_state)`` and ``mean()`` with :mod:`scipy.stats` meanings, and the
concentration quantities

* ``top_share(p)``: the share of the total held by the top fraction ``p``;
* ``fraction_for_share(q)``: the smallest top fraction holding a share ``q``;
* ``gini()``: the Gini coefficient.

Conventions
-----------
``sf(x)`` is ``P(X > x)`` and ``cdf(x)`` is ``P(X <= x)`` (scipy's meaning). For a
discrete law on the integers, ``P(X >= x)`` is ``sf(x - 1)``. ``isf(q)`` is the
smallest ``x`` with ``sf(x) <= q`` (for a continuous law, the value exceeded by a
fraction ``q``), and ``ppf(q) = isf(1 - q)``.

Arguments outside the domain, one rule for every law (scipy's): ``isf(q)`` and
``ppf(q)`` are NaN for ``q`` outside [0, 1] (and for NaN); ``isf(1)`` is the lower end
of the support and ``isf(0)`` the upper end (``inf`` for these unbounded laws).
``rvs(size)`` takes a whole number >= 0 or a tuple of them; 0 gives an empty array,
anything else raises :class:`~influence_kit.errors.ParameterError`. Every subclass's
``isf`` and ``rvs`` are wrapped with these rules when the class is defined
(:meth:`FrozenDistribution.__init_subclass__`), so a new law cannot miss them.

:class:`FrozenDistribution` computes the concentration quantities numerically from
the inverse survival function, once for every law::

    S(p) = int_0^p isf(s) ds / int_0^1 isf(s) ds,   Gini = 1 - 2 int_0^1 s isf(s) ds / mean

(quadrature in ``t = -ln s`` so heavy tails near ``s = 0`` are integrated accurately;
for discrete laws the first :data:`DISCRETE_TERMS` steps of ``isf`` are summed exactly).
Laws with closed forms override them (Pareto, untruncated lognormal, Weibull,
exponential...). :class:`IsfDistribution` wraps any inverse survival function, such as
a frozen :mod:`scipy.stats` distribution's.
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from ..errors import ParameterError
from ..formatting import format_value
from ..validation import SeedLike, check_fractions
from .special_functions import quad

FloatArray = np.ndarray

_LOG_P_MIN = -60.0  # smallest log top-fraction searched by numerical inverses
_T_MAX = 740.0  # largest -ln(s) integrated (exp(-745) underflows)

#: Integers above the top-``p`` threshold whose mass a discrete law sums exactly.
DISCRETE_TERMS = 1 << 15


def _checked_isf(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an ``isf`` with the domain rule of the module notes (NaN outside [0, 1])."""
    if getattr(func, "_domain_checked", False):
        return func

    @functools.wraps(func)
    def isf(self: Any, q: ArrayLike) -> FloatArray:
        q_arr = np.asarray(q, dtype=float)
        outside = ~((q_arr >= 0.0) & (q_arr <= 1.0))  # NaN is outside too
        top = q_arr == 0.0  # the upper end of the support: every law here is unbounded
        if not (np.any(outside) or np.any(top)):
            return func(self, q)
        inner = np.where(outside | top, 0.5, q_arr)
        out = np.asarray(func(self, inner), dtype=float)
        return np.where(outside, np.nan, np.where(top, np.inf, out))

    isf._domain_checked = True  # type: ignore[attr-defined]  # marker on a function object
    return isf


def check_size(size: Any) -> tuple[int, ...]:
    """A sample size for ``rvs``: a whole number >= 0 or a tuple of them, as a shape.

    Raises
    ------
    ParameterError
        For negative, fractional, boolean or non-numeric sizes.
    """
    items = size if isinstance(size, tuple) else (size,)
    bad = ParameterError(f"size must be a whole number >= 0 or a tuple of them, got {size!r}")
    shape = []
    for item in items:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Integral):
            raise bad
        if int(item) < 0:
            raise bad
        shape.append(int(item))
    return tuple(shape)


def _checked_rvs(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an ``rvs`` with the size rule of the module notes (0: an empty array)."""
    if getattr(func, "_domain_checked", False):
        return func

    @functools.wraps(func)
    def rvs(self: Any, size: Any = 1, random_state: SeedLike = None) -> FloatArray:
        shape = check_size(size)
        if 0 in shape:
            return np.empty(shape, dtype=float)
        out = func(self, size, random_state)
        return out

    rvs._domain_checked = True  # type: ignore[attr-defined]  # marker on a function object
    return rvs


def scalar_map(func: Callable[[float], float], values: FloatArray) -> FloatArray:
    """Apply a scalar function to every element of a 1-d array."""
    return np.array([func(float(v)) for v in np.ravel(values)], dtype=float)


def invert_top_share(top_share: Callable[[float], ArrayLike], q: ArrayLike) -> FloatArray:
    """Smallest top fraction ``p`` with ``top_share(p) >= q``, by root finding in ``log p``."""
    q = check_fractions("q", q)

    def solve(target: float) -> float:
        def gap(log_p: float) -> float:
            return float(np.asarray(top_share(math.exp(log_p))).reshape(-1)[0]) - target

        lo, hi = _LOG_P_MIN, math.log1p(-1e-12)
        if gap(lo) >= 0:
            return math.exp(lo)
        if gap(hi) <= 0:
            return 1.0
        return math.exp(optimize.brentq(gap, lo, hi, xtol=1e-13, rtol=1e-12))

    return scalar_map(solve, q)


@runtime_checkable
class ConcentrationModel(Protocol):
    """What concentration and calibration need from a distribution.

    Every :class:`FrozenDistribution` satisfies it, and so do the spliced fitted model
    and the empirical tables of :mod:`influence_kit.concentration`.
    """

    name: str

    @property
    def parameters(self) -> dict[str, float]:
        """Parameters by name (for display)."""
        ...

    def top_share(self, p: ArrayLike) -> FloatArray:
        """Share of the total held by the top fraction ``p``."""
        ...

    def fraction_for_share(self, q: ArrayLike) -> FloatArray:
        """Smallest top fraction holding a share ``q``."""
        ...

    def gini(self) -> float:
        """Gini coefficient."""
        ...


class FrozenDistribution(ABC):
    """A distribution at fixed parameters (see the module notes for the conventions).

    Subclasses implement :meth:`logpdf`, :meth:`sf` and :attr:`parameters`, and set
    :attr:`name`, :attr:`discrete` and :attr:`lower` (the lower end of the support).
    Everything else has a numerical default.
    """

    #: Short family name ("pareto", "lognormal", ...).
    name: str = "distribution"
    #: Whether the support is a set of integers.
    discrete: bool = False
    #: Lower end of the support.
    lower: float = 0.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Give every law's own ``isf`` and ``rvs`` the rules of the module notes."""
        super().__init_subclass__(**kwargs)
        if "isf" in cls.__dict__:
            cls.isf = _checked_isf(cls.__dict__["isf"])  # type: ignore[method-assign]  # wraps once
        if "rvs" in cls.__dict__:
            cls.rvs = _checked_rvs(cls.__dict__["rvs"])  # type: ignore[method-assign]  # wraps once

    @property
    @abstractmethod
    def parameters(self) -> dict[str, float]:
        """Parameters by name."""

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={format_value(v, 6)}" for k, v in self.parameters.items())
        return f"{type(self).__name__}({inner})"

    def describe(self) -> str:
        """``name(parameter=value, ...)`` with 4 significant digits."""
        inner = ", ".join(f"{k}={format_value(v, 4)}" for k, v in self.parameters.items())
        return f"{self.name}({inner})"

    # -- scipy-style interface -----------------------------------------------------
    @abstractmethod
    def logpdf(self, x: ArrayLike) -> FloatArray:
        """Log density (continuous) or log probability mass (discrete)."""

    @abstractmethod
    def sf(self, x: ArrayLike) -> FloatArray:
        """Survival function ``P(X > x)``."""

    def pdf(self, x: ArrayLike) -> FloatArray:
        """Density (continuous) or probability mass (discrete)."""
        return np.exp(self.logpdf(x))

    def cdf(self, x: ArrayLike) -> FloatArray:
        """``P(X <= x) = 1 - sf(x)``."""
        return 1.0 - self.sf(x)

    def isf(self, q: ArrayLike) -> FloatArray:
        """Smallest ``x`` with ``sf(x) <= q`` (numerical inverse of :meth:`sf`)."""
        q_arr = np.asarray(q, dtype=float)
        solve = self._integer_isf if self.discrete else self._continuous_isf
        return scalar_map(solve, q_arr).reshape(q_arr.shape)

    def _sf1(self, x: float) -> float:
        return float(np.asarray(self.sf(x), dtype=float).reshape(-1)[0])

    def _continuous_isf(self, q: float) -> float:
        if not 0.0 < q < 1.0:
            return self.lower if q >= 1.0 else math.inf
        lo = math.log(self.lower) if self.lower > 0 else -30.0
        if self._sf1(math.exp(lo)) <= q:
            return math.exp(lo) if self.lower == 0 else self.lower
        hi = lo + 1.0
        while self._sf1(math.exp(hi)) > q:
            hi = lo + 2.0 * (hi - lo)
            if hi > 700.0:
                return math.inf
        return math.exp(
            optimize.brentq(lambda u: self._sf1(math.exp(u)) - q, lo, hi, xtol=1e-13, rtol=1e-13)
        )

    def _integer_isf(self, q: float) -> float:
        if not 0.0 < q < 1.0:
            return self.lower if q >= 1.0 else math.inf
        lo = self.lower
        if self._sf1(lo) <= q:
            return lo
        step = 1.0
        hi = lo + step
        while self._sf1(hi) > q:
            lo, step = hi, 2.0 * step
            hi = lo + step
            if hi > 1e300:
                return math.inf
        while hi - lo > 1.0:  # invariant: sf(lo) > q >= sf(hi)
            mid = math.floor((lo + hi) / 2.0)
            if self._sf1(mid) > q:
                lo = mid
            else:
                hi = mid
        return hi

    def ppf(self, q: ArrayLike) -> FloatArray:
        """Quantile function, ``isf(1 - q)``: NaN outside [0, 1] (module notes)."""
        return self.isf(1.0 - np.asarray(q, dtype=float))

    def rvs(self, size: int | tuple[int, ...] = 1, random_state: SeedLike = None) -> FloatArray:
        """Draw values by inversion, ``isf(U)`` with ``U`` uniform on (0, 1].

        ``random_state`` is an ``int``, a :class:`numpy.random.Generator` or ``None``
        (fresh entropy), as ``seed`` everywhere in the package.
        """
        rng = np.random.default_rng(random_state)
        return self.isf(1.0 - rng.random(size))

    def mean(self) -> float:
        """Mean, ``int_0^1 isf(s) ds`` (numerical unless overridden)."""
        value = self.partial_mean(1.0)
        if not math.isfinite(value) or value <= 0:
            raise ParameterError(f"{self.describe()}: the mean is not finite and positive")
        return value

    # -- concentration -------------------------------------------------------------
    def _isf1(self, s: float) -> float:
        return float(np.asarray(self.isf(s), dtype=float).reshape(-1)[0])

    def partial_mean(self, p: float, epsabs: float = 0.0) -> float:
        """``int_0^p isf(s) ds``: the top fraction ``p``'s total per person.

        Continuous: quadrature in ``t = -ln s`` up to ``t = 740`` (where ``s``
        underflows). Discrete: with ``x_p = isf(p)``, the exact sum
        ``x_p (p - sf(x_p)) + sum x P(X = x)`` over the next :data:`DISCRETE_TERMS`
        integers above ``x_p``, and the quadrature for the rest (where unit steps are
        small relative to the values).
        """
        if not self.discrete:
            return self._isf_integral(p, epsabs)
        x_p = float(self.isf(min(p, 1.0)))
        return x_p * (p - float(self.sf(x_p))) + self.mean_above(x_p, epsabs)

    def mean_above(self, x: float, epsabs: float = 0.0) -> float:
        """``E[X; X > x]`` for a discrete law: the exact sum over :data:`DISCRETE_TERMS`
        integers above ``x``, and the quadrature of ``isf`` for the rest."""
        xs = float(x) + np.arange(1.0, DISCRETE_TERMS + 1.0)
        total = float(np.sum(xs * self.pdf(xs)))
        rest = float(self.sf(xs[-1]))
        if rest > 0.0:
            total += self._isf_integral(rest, epsabs)
        return total

    def _isf_integral(self, p: float, epsabs: float = 0.0) -> float:
        start = -math.log(p) if p < 1 else 0.0

        def integrand(t: float) -> float:
            s = math.exp(-t)
            value = self._isf1(s) * s
            return value if math.isfinite(value) else 0.0

        edges = [start, *[start + d for d in (2.0, 10.0, 40.0, 150.0) if start + d < _T_MAX]]
        edges.append(_T_MAX)
        total = 0.0
        for a, b in itertools.pairwise(edges):
            if a < b:
                total += quad(integrand, a, b, limit=200, epsabs=epsabs, epsrel=1e-10)
        return float(total)

    def top_share(self, p: ArrayLike) -> FloatArray:
        """Share of the total held by the top fraction ``p`` (numerical unless overridden)."""
        p = check_fractions("p", p)
        mean = self.mean()
        return scalar_map(lambda v: self.partial_mean(v, epsabs=1e-13 * mean) / mean, p)

    def fraction_for_share(self, q: ArrayLike) -> FloatArray:
        """Smallest top fraction holding a share ``q`` (root finding on :meth:`top_share`)."""
        return invert_top_share(self.top_share, q)

    def gini(self) -> float:
        """Gini coefficient, ``1 - 2 int_0^1 s isf(s) ds / mean`` (numerical unless overridden).

        Discrete: ``1 - E[min(X1, X2)] / mean`` with ``E[min] = xmin + sum_(j >= xmin)
        sf(j)^2``, summed exactly over :data:`DISCRETE_TERMS` integers, the rest by
        quadrature.
        """
        if self.discrete:
            return self._discrete_gini()

        def integrand(t: float) -> float:
            s = math.exp(-t)
            value = self._isf1(s) * s * s
            return value if math.isfinite(value) else 0.0

        mean = self.mean()
        value = sum(
            quad(integrand, a, b, limit=200, epsabs=1e-13 * mean, epsrel=1e-10)
            for a, b in ((0.0, 2.0), (2.0, 10.0), (10.0, 40.0), (40.0, _T_MAX))
        )
        return float(min(max(1.0 - 2.0 * value / mean, 0.0), 1.0))

    def _discrete_gini(self) -> float:
        xs = self.lower + np.arange(float(DISCRETE_TERMS))
        # sf(x_i) = 1 - P(X <= x_i): one vectorised mass evaluation
        squared = float(np.sum(np.clip(1.0 - np.cumsum(self.pdf(xs)), 0.0, 1.0) ** 2))
        end = float(xs[-1]) + 1.0

        def integrand(u: float) -> float:
            x = math.exp(u)
            return float(self.sf(math.floor(x))) ** 2 * x

        squared += quad(integrand, math.log(end), 700.0, limit=200, epsabs=0.0, epsrel=1e-8)
        return float(min(max(1.0 - (self.lower + squared) / self.mean(), 0.0), 1.0))


FrozenDistribution.isf = _checked_isf(FrozenDistribution.isf)  # type: ignore[method-assign]  # wraps once
FrozenDistribution.rvs = _checked_rvs(FrozenDistribution.rvs)  # type: ignore[method-assign]  # wraps once


class IsfDistribution(FrozenDistribution):
    """A continuous distribution given only by its inverse survival function.

    Wraps, for example, a frozen :mod:`scipy.stats` distribution
    (``IsfDistribution(stats.lognorm(1.8).isf, name="lognormal")``) so that its
    concentration is computed by the quadratures of :class:`FrozenDistribution`.
    ``sf`` is the numerical inverse of ``isf`` and ``logpdf`` is not available.

    Parameters
    ----------
    isf
        Vectorised or scalar callable: the value exceeded by a fraction ``s``.
    name
        Name shown in tables.
    params
        Parameters to report (for display).
    """

    def __init__(
        self,
        isf: Callable[[Any], Any],
        name: str = "distribution",
        params: dict[str, float] | None = None,
    ) -> None:
        self._isf_func = isf
        self.name = name
        self._params = dict(params or {})
        self.lower = float(np.asarray(isf(1.0 - 1e-15), dtype=float).reshape(-1)[0])

    @property
    def parameters(self) -> dict[str, float]:
        """The ``params`` given."""
        return dict(self._params)

    def isf(self, q: ArrayLike) -> FloatArray:
        """The given inverse survival function."""
        return np.asarray(self._isf_func(q), dtype=float)

    def sf(self, x: ArrayLike) -> FloatArray:
        """``P(X > x)`` by root finding on ``isf`` in ``log s``."""
        x_arr = np.asarray(x, dtype=float)

        def one(v: float) -> float:
            if v < self.lower:
                return 1.0
            if self._isf1(math.exp(-_T_MAX)) <= v:
                return 0.0
            return math.exp(
                optimize.brentq(lambda ls: self._isf1(math.exp(ls)) - v, -_T_MAX, 0.0, xtol=1e-12)
            )

        return scalar_map(one, x_arr).reshape(x_arr.shape)

    def logpdf(self, x: ArrayLike) -> FloatArray:
        """Not available for a law given by its quantiles."""
        raise NotImplementedError("an IsfDistribution has no density; use the original law")


class FrozenFamily(FrozenDistribution):
    """A :class:`~influence_kit.distributions.Family` frozen at parameters.

    The law is the family's, conditioned on ``x >= xmin`` (the fitted tail). ``sf`` is
    ``P(X > x)``: for a discrete family ``P(X > x) = P(X >= floor(x) + 1)``, so
    ``P(X >= k) = sf(k - 1)`` for an integer ``k``. Sampling uses the family's exact
    sampler. Families override :meth:`isf`, :meth:`mean` and the concentration
    quantities where closed forms exist.

    Build one with ``family.freeze(*params)``.
    """

    def __init__(self, family: Any, params: ArrayLike) -> None:
        params = np.atleast_1d(np.asarray(params, dtype=float))
        if params.shape != (family.n_params,):
            raise ParameterError(
                f"the {family.label} family takes {family.n_params} parameter(s) "
                f"{family.param_names}, got {params.tolist()}"
            )
        if not np.all(np.isfinite(params)):
            raise ParameterError(f"parameters must be finite, got {params.tolist()}")
        self.family = family
        self.params = params
        self.name = family.name
        self.discrete = family.discrete
        self.lower = family.xmin
        self.xmin = family.xmin

    @property
    def parameters(self) -> dict[str, float]:
        """Parameters by name, and ``xmin``."""
        out = {k: float(v) for k, v in zip(self.family.param_names, self.params, strict=True)}
        out["xmin"] = self.xmin
        return out

    def logpdf(self, x: ArrayLike) -> FloatArray:
        """Log density or log mass; ``-inf`` outside the support."""
        x = np.asarray(x, dtype=float)
        inside = x >= self.xmin
        if self.discrete:
            inside &= x == np.floor(x)
        safe = np.where(inside, x, self.xmin)
        with np.errstate(all="ignore"):
            out = np.asarray(self.family.logpdf(safe, self.params), dtype=float)
        return np.where(inside, out, -np.inf)

    def sf(self, x: ArrayLike) -> FloatArray:
        """``P(X > x)`` (1 below ``xmin``)."""
        x = np.asarray(x, dtype=float)
        at = np.floor(x) + 1.0 if self.discrete else x
        with np.errstate(all="ignore"):
            out = np.asarray(self.family.ccdf(np.maximum(at, self.xmin), self.params), dtype=float)
        return np.where(x < self.xmin, 1.0, out)

    def rvs(self, size: int | tuple[int, ...] = 1, random_state: SeedLike = None) -> FloatArray:
        """Draw values with the family's exact sampler."""
        rng = np.random.default_rng(random_state)
        n = int(np.prod(size))
        return np.asarray(self.family.sample(n, self.params, rng), dtype=float).reshape(size)
