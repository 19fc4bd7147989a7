"""Concentration of model distributions, and calibration from a headline.

A *concentration model* answers three questions about a distribution of
non-negative values: the share of the total held by the top fraction ``p`` of
people (``top_share``), the smallest fraction holding a share ``q``
(``fraction_for_share``) and the Gini coefficient. These depend on the shape of
the distribution only, never on its scale.

Closed forms (``p``: top fraction, ``Phi``: standard normal CDF):

============================  =============================  ==========================
family (shape parameter)      top share S(p)                 Gini
============================  =============================  ==========================
Pareto (tail index alpha>1)   ``p ** (1 - 1/alpha)``         ``1 / (2 alpha - 1)``
lognormal (sigma)             ``Phi(sigma + Phi^-1(p))``     ``2 Phi(sigma/sqrt 2) - 1``
Weibull (shape k)             ``Q(1 + 1/k, -ln p)``          ``1 - 2 ** (-1/k)``
============================  =============================  ==========================

``Q`` is the regularized upper incomplete gamma function. Each inverse is also
closed-form. The power law with exponential cutoff and any other distribution
are handled numerically.

Plugging in other distributions (for example fitted models)
-----------------------------------------------------------
:func:`as_model` turns any of these into a :class:`ConcentrationModel`:

* a :class:`ConcentrationModel` (returned as is);
* an object with a ``concentration_model()`` method returning one
  (:class:`ProvidesConcentrationModel`): the preferred hook for fitted models,
  which know their family and can return, say, ``ParetoModel(alpha)``;
* an object with an inverse survival function ``isf(s)`` (the value exceeded
  by a fraction ``s`` of people; :class:`HasInverseSurvival`), such as any
  frozen :mod:`scipy.stats` distribution: evaluated by :class:`IsfModel`,
  ``S(p) = int_0^p isf(s) ds / int_0^1 isf(s) ds``;
* an object with a complementary CDF ``ccdf(x)`` and a lower bound ``xmin``
  (:class:`HasCcdf`): evaluated by :class:`CcdfModel`, which integrates the
  ccdf for partial means and inverts it by root finding.

A fitted tail above ``xmin`` joined to the empirical body below it is a
:class:`SplicedModel`.

The continuous families of :mod:`influence_kit.distributions` take their
parameters as a second argument (``ccdf(x, params)``, ``P(X >= x)``); adapt one
with ``CcdfModel(lambda x: family.ccdf(x, params), family.xmin)``, or give the
fitted result a ``concentration_model()`` method returning that. (For discrete
families ``P(X >= x)`` differs from ``P(X > x)`` between integers: use a
closed-form model or an ``isf`` instead.)

Calibration
-----------
:func:`calibrate` finds, for a headline "the top ``p`` hold ``q``", the shape
parameter of each family that reproduces it and reports what each implies
elsewhere. For 16%/80%: Pareto alpha = 1.139, lognormal sigma = 1.836, Weibull
k = 0.417, whose top-1% shares differ about 2.6-fold. The headline does not pin
the distribution down.
"""

from __future__ import annotations

import abc
import functools
import itertools
import logging
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import integrate, optimize, special

from ..errors import ParameterError
from ..results import Result
from ..tables import ValueTable
from . import measures
from .measures import check_fractions

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_REFERENCE_TOP",
    "CalibratedFamily",
    "CalibrationResult",
    "CcdfModel",
    "ConcentrationModel",
    "CutoffPowerLawModel",
    "HasCcdf",
    "HasInverseSurvival",
    "IsfModel",
    "LognormalModel",
    "ParetoModel",
    "ProvidesConcentrationModel",
    "SplicedModel",
    "WeibullModel",
    "as_model",
    "calibrate",
    "calibrate_cutoff_power_law",
    "calibrate_lognormal",
    "calibrate_pareto",
    "calibrate_weibull",
]

#: Top fractions at which :func:`calibrate` reports each family's share.
DEFAULT_REFERENCE_TOP: tuple[float, ...] = (0.001, 0.01, 0.05, 0.1, 0.2, 0.5)

_LOG_P_MIN = -60.0  # smallest log top-fraction searched by numerical inverses
_T_MAX = 740.0  # largest -ln(s) integrated by IsfModel (exp(-745) underflows)


def _quad(func: Callable[[float], float], a: float, b: float, **kwargs: Any) -> float:
    """:func:`scipy.integrate.quad` with its accuracy warnings sent to the log.

    The tolerances asked for here (relative 1e-10) are far below what the
    results are reported to; a warning that they were not quite met is logged
    at debug level instead of being printed.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", integrate.IntegrationWarning)
        value, _ = integrate.quad(func, a, b, **kwargs)
    for w in caught:
        logger.debug("quadrature on [%g, %g]: %s", a, b, str(w.message).split("\n")[0])
    return float(value)


def _scalar_map(func: Callable[[float], float], values: np.ndarray) -> np.ndarray:
    return np.array([func(float(v)) for v in values], dtype=float)


class ConcentrationModel(abc.ABC):
    """Concentration of a model distribution (see the module notes).

    Subclasses implement :meth:`top_share` and :attr:`parameters`; the inverse
    and the Gini coefficient default to numerical root finding and quadrature
    and are overridden where closed forms exist.
    """

    #: Short family name ("pareto", "lognormal", ...).
    family: str = "model"

    @property
    @abc.abstractmethod
    def parameters(self) -> dict[str, float]:
        """Shape parameters by name."""

    @abc.abstractmethod
    def top_share(self, p: ArrayLike) -> np.ndarray:
        """Share of the total held by the top fraction ``p`` (in (0, 1))."""

    def fraction_for_share(self, q: ArrayLike) -> np.ndarray:
        """Smallest top fraction holding a share ``q`` (numerical inverse)."""
        q = check_fractions(q, "q")

        def solve(target: float) -> float:
            def gap(log_p: float) -> float:
                return float(self.top_share(math.exp(log_p))[0]) - target

            lo, hi = _LOG_P_MIN, math.log1p(-1e-12)
            if gap(lo) >= 0:
                return math.exp(lo)
            if gap(hi) <= 0:
                return 1.0
            return math.exp(optimize.brentq(gap, lo, hi, xtol=1e-13, rtol=1e-12))

        return _scalar_map(solve, q)

    def gini(self) -> float:
        """Gini coefficient, ``2 * int_0^1 S(p) dp - 1`` (numerical)."""

        def integrand(log_p: float) -> float:
            p = math.exp(log_p)
            return float(self.top_share(p)[0]) * p

        # Integrate in log p below 0.5 (where S changes fastest), linearly above.
        low = _quad(integrand, -60.0, math.log(0.5), limit=200, epsabs=1e-12)
        high = _quad(lambda p: float(self.top_share(p)[0]), 0.5, 1.0 - 1e-15, epsabs=1e-12)
        return float(min(max(2.0 * (low + high) - 1.0, 0.0), 1.0))

    def describe(self) -> str:
        """``family(name=value, ...)`` with 4 significant digits."""
        inner = ", ".join(f"{k}={v:.4g}" for k, v in self.parameters.items())
        return f"{self.family}({inner})"


@runtime_checkable
class ProvidesConcentrationModel(Protocol):
    """Anything that can give its own :class:`ConcentrationModel` (e.g. a fit)."""

    def concentration_model(self) -> ConcentrationModel:
        """Return the concentration model of this distribution."""
        ...


@runtime_checkable
class HasInverseSurvival(Protocol):
    """Anything with an inverse survival function (frozen scipy distributions)."""

    def isf(self, q: Any) -> Any:
        """Value exceeded by a fraction ``q`` of the population."""
        ...


@runtime_checkable
class HasCcdf(Protocol):
    """A distribution on ``[xmin, inf)`` given by its complementary CDF."""

    xmin: float

    def ccdf(self, x: Any) -> Any:
        """P(X > x) for ``x >= xmin``."""
        ...


# ---------------------------------------------------------------------------
# Closed-form families


@dataclass(frozen=True)
class ParetoModel(ConcentrationModel):
    """Pareto distribution with tail index ``alpha`` (ccdf ``(x/xmin)^-alpha``), alpha > 1."""

    alpha: float
    family: str = field(default="pareto", init=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.alpha) and self.alpha > 1):
            raise ParameterError(f"Pareto alpha must exceed 1 (finite mean), got {self.alpha:g}")

    @property
    def parameters(self) -> dict[str, float]:
        """``{"alpha": alpha}``."""
        return {"alpha": self.alpha}

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """``p ** (1 - 1/alpha)``."""
        return check_fractions(p, "p") ** (1.0 - 1.0 / self.alpha)

    def fraction_for_share(self, q: ArrayLike) -> np.ndarray:
        """``q ** (alpha / (alpha - 1))``."""
        return check_fractions(q, "q") ** (self.alpha / (self.alpha - 1.0))

    def gini(self) -> float:
        """``1 / (2 alpha - 1)``."""
        return 1.0 / (2.0 * self.alpha - 1.0)


@dataclass(frozen=True)
class LognormalModel(ConcentrationModel):
    """Lognormal distribution with log-scale standard deviation ``sigma`` > 0."""

    sigma: float
    family: str = field(default="lognormal", init=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.sigma) and self.sigma > 0):
            raise ParameterError(f"lognormal sigma must be positive, got {self.sigma:g}")

    @property
    def parameters(self) -> dict[str, float]:
        """``{"sigma": sigma}``."""
        return {"sigma": self.sigma}

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """``Phi(sigma + Phi^-1(p))``."""
        return special.ndtr(self.sigma + special.ndtri(check_fractions(p, "p")))

    def fraction_for_share(self, q: ArrayLike) -> np.ndarray:
        """``Phi(Phi^-1(q) - sigma)``."""
        return special.ndtr(special.ndtri(check_fractions(q, "q")) - self.sigma)

    def gini(self) -> float:
        """``2 Phi(sigma / sqrt 2) - 1``."""
        return float(2.0 * special.ndtr(self.sigma / math.sqrt(2.0)) - 1.0)


@dataclass(frozen=True)
class WeibullModel(ConcentrationModel):
    """Weibull distribution with shape ``k`` > 0 (ccdf ``exp(-(x/scale)^k)``)."""

    k: float
    family: str = field(default="weibull", init=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.k) and self.k > 0):
            raise ParameterError(f"Weibull shape k must be positive, got {self.k:g}")

    @property
    def parameters(self) -> dict[str, float]:
        """``{"k": k}``."""
        return {"k": self.k}

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """``Q(1 + 1/k, -ln p)``."""
        return special.gammaincc(1.0 + 1.0 / self.k, -np.log(check_fractions(p, "p")))

    def fraction_for_share(self, q: ArrayLike) -> np.ndarray:
        """``exp(-Q^-1(1 + 1/k, q))``."""
        return np.exp(-special.gammainccinv(1.0 + 1.0 / self.k, check_fractions(q, "q")))

    def gini(self) -> float:
        """``1 - 2 ** (-1/k)``."""
        return 1.0 - 2.0 ** (-1.0 / self.k)


# ---------------------------------------------------------------------------
# Numerical models


def _upper_moment_log(a: float, z: float) -> float:
    """``log int_z^inf t^a exp(-t) dt`` for z > 0 and any real a (quadrature)."""

    def integrand(u: float) -> float:
        if u > 700.0:
            return 0.0
        exponent = (a + 1.0) * u - z * math.expm1(u)
        return math.exp(exponent) if exponent > -745.0 else 0.0

    value = _quad(integrand, 0.0, math.inf, limit=200, epsabs=0.0, epsrel=1e-11)
    if value <= 0.0:
        return -math.inf
    return (a + 1.0) * math.log(z) - z + math.log(value)


@dataclass(frozen=True)
class CutoffPowerLawModel(ConcentrationModel):
    """Power law with exponential cutoff: density ``∝ x^-alpha exp(-cutoff x / xmin)``, x >= xmin.

    ``alpha`` is the density exponent (Clauset et al. 2009 and the ``powerlaw``
    package's truncated power law) and ``cutoff`` is ``lambda * xmin``, the
    dimensionless rate; with ``cutoff -> 0`` and ``alpha > 2`` it tends to a
    Pareto with tail index ``alpha - 1``. Computed numerically: with
    ``Gamma(s, z) = int_z^inf t^(s-1) e^-t dt``, the ccdf at ``x`` is
    ``Gamma(1-alpha, c x) / Gamma(1-alpha, c)`` and the top share is
    ``Gamma(2-alpha, c x) / Gamma(2-alpha, c)`` (x in units of xmin), evaluated
    by quadrature because ``1 - alpha`` is usually negative.
    """

    alpha: float
    cutoff: float
    family: str = field(default="power_law_cutoff", init=False)

    def __post_init__(self) -> None:
        if not math.isfinite(self.alpha):
            raise ParameterError(f"cutoff power law alpha must be finite, got {self.alpha:g}")
        if not (math.isfinite(self.cutoff) and self.cutoff > 0):
            raise ParameterError(
                f"cutoff power law cutoff (lambda * xmin) must be positive, got {self.cutoff:g}"
            )

    @property
    def parameters(self) -> dict[str, float]:
        """``{"alpha": alpha, "cutoff": lambda * xmin}``."""
        return {"alpha": self.alpha, "cutoff": self.cutoff}

    def _log_ccdf(self, x: float) -> float:
        c = self.cutoff
        return _upper_moment_log(-self.alpha, c * x) - _upper_moment_log(-self.alpha, c)

    def _log_share_above(self, x: float) -> float:
        c = self.cutoff
        return _upper_moment_log(1.0 - self.alpha, c * x) - _upper_moment_log(1.0 - self.alpha, c)

    def threshold(self, p: float) -> float:
        """Value (in units of xmin) exceeded by the top fraction ``p``."""
        target = math.log(p)
        lo, hi = 0.0, 1.0
        while self._log_ccdf(math.exp(hi)) > target:
            hi *= 2.0
            if hi > 1e4:  # pragma: no cover - would need p below exp(-1e4)
                raise ParameterError(f"top fraction {p:g} is too small for this model")
        return math.exp(
            optimize.brentq(lambda u: self._log_ccdf(math.exp(u)) - target, lo, hi, xtol=1e-12)
        )

    def gini(self) -> float:
        """``1 - E[min(X1, X2)] / mean``, integrating the squared ccdf (numerical)."""
        c, a = self.cutoff, self.alpha
        log_mean = _upper_moment_log(1.0 - a, c) - _upper_moment_log(-a, c) - math.log(c)
        # Beyond x = 800 / cutoff the ccdf is below exp(-800): stop there.
        squared = _quad(
            lambda u: math.exp(2.0 * self._log_ccdf(math.exp(u)) + u),
            0.0,
            math.log(max(800.0 / c, 2.0)),
            limit=200,
            epsabs=0.0,
            epsrel=1e-9,
        )
        return float(min(max(1.0 - (1.0 + squared) / math.exp(log_mean), 0.0), 1.0))

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """Share of the total above the ``p``-threshold (numerical)."""
        return _scalar_map(
            lambda v: math.exp(self._log_share_above(self.threshold(v))), check_fractions(p, "p")
        )


@dataclass(frozen=True, eq=False)
class IsfModel(ConcentrationModel):
    """Any distribution given by its inverse survival function ``isf(s)``.

    ``S(p) = int_0^p isf(s) ds / int_0^1 isf(s) ds``, computed by quadrature in
    ``t = -ln s`` so heavy tails near ``s = 0`` are integrated accurately. The
    mean must be finite.

    Attributes
    ----------
    isf
        Vectorised or scalar callable: the value exceeded by a fraction ``s``.
    name
        Family name shown in tables.
    params
        Parameters to report (optional, for display).
    """

    isf: Callable[[Any], Any]
    name: str = "distribution"
    params: dict[str, float] = field(default_factory=dict)

    @property
    def family(self) -> str:  # type: ignore[override]
        """The ``name`` given."""
        return self.name

    @property
    def parameters(self) -> dict[str, float]:
        """The ``params`` given."""
        return dict(self.params)

    def _isf(self, s: float) -> float:
        return float(np.asarray(self.isf(s), dtype=float).reshape(-1)[0])

    def partial_mean(self, p: float, epsabs: float = 0.0) -> float:
        """``int_0^p isf(s) ds``: the top fraction ``p``'s total per person.

        Integrated in ``t = -ln s`` up to ``t = 740`` (where ``s`` underflows);
        the part beyond is below ``exp(-740 (1 - 1/alpha))`` of a Pareto tail.
        """
        start = -math.log(p) if p < 1 else 0.0

        def integrand(t: float) -> float:
            s = math.exp(-t)
            value = self._isf(s) * s
            return value if math.isfinite(value) else 0.0

        edges = [start, *[start + d for d in (2.0, 10.0, 40.0, 150.0) if start + d < _T_MAX]]
        edges.append(_T_MAX)
        total = 0.0
        for a, b in itertools.pairwise(edges):
            total += _quad(integrand, a, b, limit=200, epsabs=epsabs, epsrel=1e-10)
        return float(total)

    @functools.cached_property
    def mean(self) -> float:
        """Mean of the distribution (must be finite; computed once)."""
        value = self.partial_mean(1.0)
        if not math.isfinite(value) or value <= 0:
            raise ParameterError(f"{self.name}: the mean is not finite and positive")
        return value

    def gini(self) -> float:
        """``1 - 2 int_0^1 s isf(s) ds / mean`` (one quadrature)."""

        def integrand(t: float) -> float:
            s = math.exp(-t)
            value = self._isf(s) * s * s
            return value if math.isfinite(value) else 0.0

        mean = self.mean
        value = sum(
            _quad(integrand, a, b, limit=200, epsabs=1e-13 * mean, epsrel=1e-10)
            for a, b in ((0.0, 2.0), (2.0, 10.0), (10.0, 40.0), (40.0, _T_MAX))
        )
        return float(min(max(1.0 - 2.0 * value / mean, 0.0), 1.0))

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """Partial mean of the top ``p`` over the mean."""
        mean = self.mean
        return _scalar_map(
            lambda v: self.partial_mean(v, epsabs=1e-13 * mean) / mean, check_fractions(p, "p")
        )


@dataclass(frozen=True, eq=False)
class CcdfModel(ConcentrationModel):
    """A distribution on ``[xmin, inf)`` given by its ccdf ``P(X > x)``.

    Uses ``E[X; X > x] = x ccdf(x) + int_x^inf ccdf(t) dt`` (integrated in
    ``log t``) and inverts the ccdf by root finding in ``log x``.
    """

    ccdf: Callable[[Any], Any]
    xmin: float
    name: str = "distribution"
    params: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.xmin) and self.xmin > 0):
            raise ParameterError(f"{self.name}: xmin must be positive, got {self.xmin:g}")

    @property
    def family(self) -> str:  # type: ignore[override]
        """The ``name`` given."""
        return self.name

    @property
    def parameters(self) -> dict[str, float]:
        """The ``params`` given."""
        return dict(self.params)

    def _ccdf(self, x: float) -> float:
        return float(np.asarray(self.ccdf(x), dtype=float).reshape(-1)[0])

    def _ccdf_dx(self, u: float, power: int = 1) -> float:
        """``ccdf(e^u)^power * e^u``: the integrand of ``int ccdf^power dx`` in ``u = ln x``."""
        if u > 700.0:
            return 0.0
        x = math.exp(u)
        value = self._ccdf(x) ** power * x
        return value if math.isfinite(value) else 0.0

    def _mass_above(self, x: float) -> float:
        tail = _quad(
            self._ccdf_dx,
            math.log(x),
            math.inf,
            limit=400,
            epsabs=0.0,
            epsrel=1e-10,
        )
        return x * self._ccdf(x) + tail

    def threshold(self, p: float) -> float:
        """Value exceeded by the top fraction ``p``."""
        lo = math.log(self.xmin)
        if self._ccdf(self.xmin) <= p:
            return self.xmin
        hi = lo + 1.0
        while self._ccdf(math.exp(hi)) > p:
            hi = lo + 2.0 * (hi - lo)
            if hi - lo > 2e3:
                raise ParameterError(f"{self.name}: cannot find the top-{p:g} threshold")
        return math.exp(optimize.brentq(lambda u: self._ccdf(math.exp(u)) - p, lo, hi))

    def _mean(self) -> float:
        return self._mass_above(self.xmin) + self.xmin * (1.0 - self._ccdf(self.xmin))

    def gini(self) -> float:
        """``1 - E[min(X1, X2)] / mean`` with ``E[min] = xmin + int_xmin^inf ccdf^2``."""
        squared = _quad(
            lambda u: self._ccdf_dx(u, 2),
            math.log(self.xmin),
            math.inf,
            limit=400,
            epsabs=0.0,
            epsrel=1e-10,
        )
        return float(min(max(1.0 - (self.xmin + squared) / self._mean(), 0.0), 1.0))

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """Mass above the ``p``-threshold over the mean."""
        p = check_fractions(p, "p")
        # Mean = xmin + int_xmin^inf ccdf (everyone has at least xmin).
        total = self._mean()

        def one(v: float) -> float:
            x = self.threshold(v)
            # Mass of exactly a fraction v above x (the boundary atom, if any, is split).
            return (self._mass_above(x) - x * self._ccdf(x) + x * v) / total

        return _scalar_map(one, p)


@dataclass(frozen=True, eq=False)
class SplicedModel(ConcentrationModel):
    """A fitted tail above ``xmin`` joined to the empirical body below it.

    A fraction ``tail_fraction`` of people follows ``tail`` (an
    :class:`IsfModel` in the data's units, all values >= xmin); the rest follow
    the empirical ``body`` table.
    """

    body: ValueTable
    tail: IsfModel
    tail_fraction: float
    name: str = "tail+body"

    def __post_init__(self) -> None:
        check_fractions(self.tail_fraction, "tail_fraction")

    @property
    def family(self) -> str:  # type: ignore[override]
        """The ``name`` given."""
        return self.name

    @property
    def parameters(self) -> dict[str, float]:
        """The tail's parameters and the tail fraction."""
        return {**self.tail.parameters, "tail_fraction": self.tail_fraction}

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """Tail mass of the top, then the body's top shares below the tail."""
        p = check_fractions(p, "p")
        pi = self.tail_fraction
        tail_mass = pi * self.tail.mean
        body_mass = (1.0 - pi) * self.body.mean
        total = tail_mass + body_mass

        def one(v: float) -> float:
            if v <= pi:
                return pi * self.tail.partial_mean(v / pi) / total
            rest = (v - pi) / (1.0 - pi)
            body = 1.0 if rest >= 1.0 else float(measures.top_share(self.body, rest)[0])
            return (tail_mass + body_mass * body) / total

        return _scalar_map(one, p)

    def gini(self) -> float:
        """``2 int_0^1 S(p) dp - 1``, integrating the tail and body pieces exactly.

        With tail fraction ``pi``, tail mean ``m_t`` and Gini ``G_t``, body mean
        ``m_b`` and Gini ``G_b``: ``int S = [pi^2 m_t (1 + G_t) / 2 + (1 - pi) pi m_t
        + (1 - pi)^2 m_b (1 + G_b) / 2] / (pi m_t + (1 - pi) m_b)``.
        """
        pi = self.tail_fraction
        m_t, g_t = self.tail.mean, self.tail.gini()
        m_b, g_b = self.body.mean, measures.gini(self.body)
        area = (
            pi**2 * m_t * (1.0 + g_t) / 2.0
            + (1.0 - pi) * pi * m_t
            + (1.0 - pi) ** 2 * m_b * (1.0 + g_b) / 2.0
        ) / (pi * m_t + (1.0 - pi) * m_b)
        return float(min(max(2.0 * area - 1.0, 0.0), 1.0))


def as_model(obj: Any, name: str | None = None) -> ConcentrationModel:
    """Turn a model, a fitted object or a distribution into a :class:`ConcentrationModel`.

    See the module notes for what is accepted, in order of preference.

    Raises
    ------
    ParameterError
        If ``obj`` offers none of the accepted interfaces.

    Examples
    --------
    >>> from scipy import stats
    >>> round(float(as_model(stats.lognorm(1.836)).top_share(0.16)[0]), 3)
    0.8
    """
    if isinstance(obj, ConcentrationModel):
        return obj
    if isinstance(obj, ProvidesConcentrationModel):
        return obj.concentration_model()
    if isinstance(obj, HasInverseSurvival):
        return IsfModel(obj.isf, name=name or type(obj).__name__)
    if isinstance(obj, HasCcdf):
        return CcdfModel(obj.ccdf, float(obj.xmin), name=name or type(obj).__name__)
    raise ParameterError(
        f"cannot compute concentration for a {type(obj).__name__}: give a ConcentrationModel "
        "or an object with concentration_model(), isf(s) or ccdf(x) and xmin"
    )


# ---------------------------------------------------------------------------
# Calibration


def _check_headline(p: float, q: float) -> tuple[float, float]:
    p = float(check_fractions(p, "top fraction p")[0])
    q = float(check_fractions(q, "share q")[0])
    if q <= p:
        raise ParameterError(
            f"share q ({q:g}) must exceed the top fraction p ({p:g}): the top p always hold "
            "at least p"
        )
    return p, q


def calibrate_pareto(p: float, q: float) -> ParetoModel:
    """Pareto alpha with ``S(p) = q``: ``alpha = 1 / (1 - ln q / ln p)``."""
    p, q = _check_headline(p, q)
    return ParetoModel(1.0 / (1.0 - math.log(q) / math.log(p)))


def calibrate_lognormal(p: float, q: float) -> LognormalModel:
    """Lognormal sigma with ``S(p) = q``: ``sigma = Phi^-1(q) - Phi^-1(p)``."""
    p, q = _check_headline(p, q)
    return LognormalModel(float(special.ndtri(q) - special.ndtri(p)))


def calibrate_weibull(p: float, q: float) -> WeibullModel:
    """Weibull shape k with ``Q(1 + 1/k, -ln p) = q`` (root finding in ln k)."""
    p, q = _check_headline(p, q)
    z = -math.log(p)

    def gap(log_k: float) -> float:
        return float(special.gammaincc(1.0 + math.exp(-log_k), z)) - q

    lo, hi = math.log(1e-3), math.log(1e3)
    if gap(lo) < 0 or gap(hi) > 0:
        raise ParameterError(f"no Weibull shape in [0.001, 1000] puts {q:g} in the top {p:g}")
    return WeibullModel(math.exp(optimize.brentq(gap, lo, hi, xtol=1e-14)))


def calibrate_cutoff_power_law(p: float, q: float, alpha: float) -> CutoffPowerLawModel:
    """Cutoff (lambda * xmin) of a power law with density exponent ``alpha`` and ``S(p) = q``.

    The cutoff interpolates between a pure power law (cutoff -> 0, the most
    concentrated) and everyone at xmin (cutoff -> inf, ``S(p) = p``), so a
    solution exists when the pure power law with this ``alpha`` is at least as
    concentrated as the headline (always when ``alpha <= 2``).
    """
    p, q = _check_headline(p, q)

    def gap(log_c: float) -> float:
        return float(CutoffPowerLawModel(alpha, math.exp(log_c)).top_share(p)[0]) - q

    lo, hi = math.log(1e-8), math.log(1e3)
    if gap(lo) < 0:
        raise ParameterError(
            f"a power law with alpha = {alpha:g} is too light-tailed to put {q:g} in the top "
            f"{p:g}, whatever the cutoff"
        )
    return CutoffPowerLawModel(alpha, math.exp(optimize.brentq(gap, lo, hi, xtol=1e-10)))


@dataclass(frozen=True, eq=False)
class CalibratedFamily:
    """One family calibrated to a headline, and what it implies elsewhere.

    Attributes
    ----------
    family
        Family name.
    parameters
        Its calibrated shape parameters.
    gini
        Its Gini coefficient.
    top_1pct_share
        Share held by the top 1%.
    top_shares
        Share held by each reference top fraction.
    model
        The calibrated :class:`ConcentrationModel`.
    """

    family: str
    parameters: dict[str, float]
    gini: float
    top_1pct_share: float
    top_shares: dict[float, float]
    model: ConcentrationModel

    def to_dict(self) -> dict[str, Any]:
        """``{<parameter>: value, ..., "gini", "top_1pct_share", "top_shares"}``."""
        out: dict[str, Any] = dict(self.parameters)
        out["gini"] = self.gini
        out["top_1pct_share"] = self.top_1pct_share
        out["top_shares"] = {f"{k:g}": v for k, v in self.top_shares.items()}
        return out


@dataclass(frozen=True, eq=False)
class CalibrationResult(Result):
    """Each family's parameter implied by "the top ``top`` hold ``share``".

    Attributes
    ----------
    top, share
        The headline.
    families
        One :class:`CalibratedFamily` per family, in the order calibrated.
    curve_top
        Top fractions at which each family's top-share curve is tabulated.
    curves
        Family name -> top-share curve on ``curve_top`` (for plots).
    """

    top: float
    share: float
    families: tuple[CalibratedFamily, ...]
    curve_top: np.ndarray
    curves: dict[str, np.ndarray]

    def __getitem__(self, family: str) -> CalibratedFamily:
        for fam in self.families:
            if fam.family == family:
                return fam
        raise KeyError(family)

    @property
    def top_1pct_ratio(self) -> float:
        """Largest over smallest top-1% share among the families."""
        values = [f.top_1pct_share for f in self.families]
        return max(values) / min(values)

    def summary(self) -> pd.DataFrame:
        """One row per family: parameters, Gini, top-1% share, reference shares."""
        rows = []
        for fam in self.families:
            row: dict[str, Any] = {
                "family": fam.family,
                "parameters": ", ".join(f"{k}={v:.4g}" for k, v in fam.parameters.items()),
                "gini": fam.gini,
                "top 1% share": fam.top_1pct_share,
            }
            row.update({f"top {k:g}": v for k, v in fam.top_shares.items() if k != 0.01})
            rows.append(row)
        return pd.DataFrame(rows).set_index("family")

    def to_dict(self) -> dict[str, Any]:
        """``{"top", "share", "top_1pct_ratio", <family>: {...}, ...}``."""
        out: dict[str, Any] = {
            "top": self.top,
            "share": self.share,
            "top_1pct_ratio": self.top_1pct_ratio,
        }
        for fam in self.families:
            out[fam.family] = fam.to_dict()
        return out


def _describe_family(
    model: ConcentrationModel, reference: np.ndarray
) -> tuple[CalibratedFamily, np.ndarray]:
    shares = model.top_share(reference)
    fam = CalibratedFamily(
        family=model.family,
        parameters=model.parameters,
        gini=float(model.gini()),
        top_1pct_share=float(model.top_share(0.01)[0]),
        top_shares={float(k): float(v) for k, v in zip(reference, shares, strict=True)},
        model=model,
    )
    return fam, shares


def calibrate(
    top: float,
    share: float,
    *,
    reference_top: Sequence[float] = DEFAULT_REFERENCE_TOP,
    cutoff_alpha: float | None = None,
    extra: Sequence[Any] = (),
    curve_points: int = 121,
) -> CalibrationResult:
    """Calibrate Pareto, lognormal and Weibull (optionally more) to "the top p hold q".

    Parameters
    ----------
    top, share
        The headline: the top fraction ``top`` hold a share ``share`` (share > top).
    reference_top
        Top fractions at which every family's share is reported.
    cutoff_alpha
        If given, also calibrate a power law with exponential cutoff with this
        density exponent (solving for its cutoff).
    extra
        Further models compared as given (anything :func:`as_model` accepts,
        for example fitted distributions); they are not calibrated.
    curve_points
        Points of the tabulated top-share curves (log-spaced from 1e-4).

    Returns
    -------
    CalibrationResult

    Examples
    --------
    >>> res = calibrate(0.16, 0.80)
    >>> round(res["pareto"].parameters["alpha"], 3), round(res["lognormal"].parameters["sigma"], 3)
    (1.139, 1.836)
    """
    p, q = _check_headline(top, share)
    reference = check_fractions(sorted(set(reference_top) | {0.01}), "reference_top")
    models: list[ConcentrationModel] = [
        calibrate_pareto(p, q),
        calibrate_lognormal(p, q),
        calibrate_weibull(p, q),
    ]
    if cutoff_alpha is not None:
        models.append(calibrate_cutoff_power_law(p, q, cutoff_alpha))
    models.extend(as_model(m) for m in extra)
    grid = np.geomspace(1e-4, 0.999, curve_points)
    families: list[CalibratedFamily] = []
    curves: dict[str, np.ndarray] = {}
    for model in models:
        fam, _ = _describe_family(model, reference)
        families.append(fam)
        curves[fam.family] = model.top_share(grid)
    return CalibrationResult(
        top=p, share=q, families=tuple(families), curve_top=grid, curves=curves
    )
