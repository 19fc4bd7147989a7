"""The interface every heavy-tailed family implements, and shared numerics.

A *family* is fixed to a lower cut-off ``xmin`` and a support (continuous on
``[xmin, inf)`` or the integers ``xmin, xmin + 1, ...``); its parameters are
passed as a 1-d array in the order of :attr:`Family.param_names`.

Data are always a frequency table: sorted distinct ``values`` with positive
``counts``. Every method works on the table without expanding it.

Conventions
-----------
``logpdf`` is the log density (continuous) or log probability mass (discrete),
normalised over the support ``>= xmin``; ``ccdf(x)`` is ``P(X >= x)`` (the
quantity plotted by Clauset, Shalizi & Newman 2009); ``cdf(x)`` is
``P(X <= x)``.

``family.freeze(*params)`` returns the law at fixed parameters as a
:class:`~influence_kit.distributions.frozen.FrozenFamily` (scipy's meanings:
``sf(x) = P(X > x)``), which is what concentration and calibration use. On the
integers the two survival functions are related by ``ccdf(k) = sf(k - 1)``.

Outside the domain (one rule for every family and frozen law, scipy's): a frozen law's
``isf(q)`` and ``ppf(q)`` are NaN for ``q`` outside [0, 1] or NaN, ``isf(1)`` is the
lower end of the support (``xmin``) and ``isf(0)`` is ``inf``; ``rvs(size)`` takes a
whole number >= 0 (or a tuple of them) and returns an empty array for 0, and raises
:class:`~influence_kit.errors.ParameterError` for anything else. The rule is applied
to every law's own ``isf`` and ``rvs`` when its class is defined (see
:mod:`influence_kit.distributions.frozen`), so no family can miss it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from statsmodels.tools.numdiff import approx_hess3

from ..errors import ParameterError
from ..formatting import format_value
from .frozen import FrozenFamily

FloatArray = NDArray[np.float64]


def log_diff_exp(a: ArrayLike, b: ArrayLike) -> FloatArray:
    """Return ``log(exp(a) - exp(b))`` for ``a >= b`` without overflow or cancellation."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = a + np.log(-np.expm1(b - a))
    return np.where(a == -np.inf, -np.inf, out)


class Family(ABC):
    """A distribution family on ``[xmin, inf)`` (continuous) or ``{xmin, xmin+1, ...}``.

    Parameters
    ----------
    xmin
        Lower bound of the support; must be positive (and an integer when discrete).
    discrete
        Whether the support is the integers ``>= xmin``.
    """

    #: Short machine name (used in tables, JSON and the CLI).
    name: ClassVar[str]
    #: Human-readable name.
    label: ClassVar[str]
    #: Names of the parameters, in the order of the parameter vector.
    param_names: ClassVar[tuple[str, ...]]
    #: Whether a continuous version exists.
    has_continuous: ClassVar[bool] = True
    #: Whether ``xmin = 0`` (no truncation) is allowed for the continuous version.
    allows_zero_xmin: ClassVar[bool] = False
    #: The frozen class returned by :meth:`freeze`.
    frozen_class: ClassVar[type[FrozenFamily]] = FrozenFamily

    def __init__(self, xmin: float, discrete: bool = False) -> None:
        xmin = float(xmin)
        if xmin == 0 and self.allows_zero_xmin and not discrete:
            pass
        elif not np.isfinite(xmin) or xmin <= 0:
            raise ParameterError(f"xmin must be a positive finite number, got {xmin!r}")
        if discrete and xmin != np.floor(xmin):
            raise ParameterError(f"xmin must be an integer for discrete data, got {xmin!r}")
        if not discrete and not self.has_continuous:
            raise ParameterError(f"the {self.label} family is defined for discrete data only")
        self.xmin = xmin
        self.discrete = bool(discrete)

    def __repr__(self) -> str:
        kind = "discrete" if self.discrete else "continuous"
        return f"{type(self).__name__}(xmin={format_value(self.xmin)}, {kind})"

    @property
    def n_params(self) -> int:
        """Number of free parameters."""
        return len(self.param_names)

    def freeze(self, *params: float) -> FrozenFamily:
        """The law at fixed parameters (in the order of :attr:`param_names`).

        Examples
        --------
        >>> from influence_kit.distributions import PowerLaw
        >>> law = PowerLaw(1.0).freeze(2.5)
        >>> law.tail_index
        1.5
        """
        return self.frozen_class(self, np.asarray(params, dtype=float))

    # -- densities -----------------------------------------------------------------
    @abstractmethod
    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density (continuous) or log probability mass (discrete) at ``x >= xmin``."""

    @abstractmethod
    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)`` for ``x >= xmin``."""

    def pdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Density (continuous) or probability mass (discrete) at ``x``."""
        return np.exp(self.logpdf(x, params))

    def cdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X <= x)``: for discrete data ``1 - P(X >= x + 1)``."""
        x = np.asarray(x, dtype=float)
        return 1.0 - self.ccdf(x + 1.0 if self.discrete else x, params)

    def loglik(self, values: ArrayLike, counts: ArrayLike, params: ArrayLike) -> float:
        """Total log-likelihood of a frequency table (values ``>= xmin``)."""
        values = np.asarray(values, dtype=float)
        counts = np.asarray(counts, dtype=float)
        return float(np.sum(counts * self.logpdf(values, params)))

    def table_loglik(self, values: FloatArray, counts: FloatArray) -> Callable[[ArrayLike], float]:
        """The log-likelihood of one frequency table as a function of the parameters.

        Numerical fits evaluate it hundreds of times on the same table; families override
        it to compute per-table quantities (logarithms of the values, sufficient
        statistics) once. The default evaluates :meth:`loglik`.
        """

        def loglik(params: ArrayLike) -> float:
            return self.loglik(values, counts, params)

        return loglik

    # -- estimation ----------------------------------------------------------------
    @abstractmethod
    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """Maximum-likelihood parameters for a frequency table of values ``>= xmin``."""

    def initial(self, values: FloatArray, counts: FloatArray) -> FloatArray:  # pragma: no cover
        """Starting parameters for numerical maximisation."""
        raise NotImplementedError

    def covariance(self, values: ArrayLike, counts: ArrayLike, params: ArrayLike) -> FloatArray:
        """Inverse observed information (numerical Hessian of the log-likelihood).

        Families with a closed form override this.
        """
        values = np.asarray(values, dtype=float)
        counts = np.asarray(counts, dtype=float)
        params = np.asarray(params, dtype=float)
        loglik = self.table_loglik(values, counts)

        def negll(p: FloatArray) -> float:
            return -loglik(p)

        with np.errstate(all="ignore"):
            hess = approx_hess3(params, negll)
        try:
            cov = np.linalg.inv(hess)
        except np.linalg.LinAlgError:
            return np.full((len(params), len(params)), np.nan)
        bad = ~np.isfinite(cov).all() or np.any(np.diag(cov) < 0)
        return np.full_like(cov, np.nan) if bad else cov

    def _maximise(
        self,
        values: FloatArray,
        counts: FloatArray,
        start: FloatArray,
        to_natural: Callable[[FloatArray], ArrayLike],
        from_natural: Callable[[FloatArray], ArrayLike],
    ) -> FloatArray:
        """Maximise the log-likelihood over an unconstrained reparametrisation.

        ``to_natural`` maps the unconstrained vector to the parameters and
        ``from_natural`` maps back. The objective is scaled by the total count so
        tables of 1e8 observations behave like tables of 1.
        """
        total = float(counts.sum())
        loglik = self.table_loglik(values, counts)

        def objective(u: FloatArray) -> float:
            with np.errstate(all="ignore"):
                value = -loglik(to_natural(u)) / total
            return value if np.isfinite(value) else 1e300

        u0 = np.asarray(from_natural(start), dtype=float)
        best = optimize.minimize(
            objective,
            u0,
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000},
        )
        polish = optimize.minimize(objective, best.x, method="BFGS", options={"gtol": 1e-10})
        u = polish.x if polish.fun <= best.fun else best.x
        return np.asarray(to_natural(u), dtype=float)

    # -- sampling ------------------------------------------------------------------
    @abstractmethod
    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values from the family above ``xmin``."""


def check_table(values: ArrayLike, counts: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return ``values`` and ``counts`` as float arrays (no validation beyond shape)."""
    v = np.asarray(values, dtype=float)
    c = np.asarray(counts, dtype=float)
    if v.shape != c.shape or v.ndim != 1:
        raise ParameterError("values and counts must be 1-d arrays of the same length")
    return v, c
