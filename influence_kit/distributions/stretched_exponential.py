"""The stretched exponential (Weibull) law above ``xmin``.

``P(X >= x) = exp(-lambda (x^beta - xmin^beta))`` for continuous data, with
``lambda, beta > 0``. Internally the rate is expressed relative to ``xmin``
(``mu = lambda xmin^beta``) so the optimiser never sees ``x^beta`` overflow.
Discrete: the mass of each integer is ``P(X >= x) - P(X >= x + 1)`` of the
continuous law, which is exactly normalised over ``x >= xmin``.

Without truncation the stretched exponential is the Weibull law, :class:`Weibull`
(shape ``k = beta``, scale ``lambda^(-1/k)``), whose concentration is closed-form:
``S(p) = Q(1 + 1/k, -ln p)`` (``Q`` the regularised upper incomplete gamma function)
and ``Gini = 1 - 2^(-1/k)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ..errors import FitError, ParameterError
from ..formatting import format_value
from ..validation import check_fractions
from ._base import Family, FloatArray, check_table, log_diff_exp
from .frozen import FrozenDistribution, FrozenFamily
from .lognormal import discretised_isf


class FrozenStretchedExponential(FrozenFamily):
    """Stretched exponential above ``xmin`` at fixed ``lambda`` and ``beta``.

    ``isf(q) = (xmin^beta - log(q) / lambda)^(1/beta)`` (rounded when discrete).
    """

    def __init__(self, family: Family, params: ArrayLike) -> None:
        super().__init__(family, params)
        if not (self.params[0] > 0 and self.params[1] > 0):
            raise ParameterError(f"lambda and beta must be positive, got {self.params.tolist()}")

    def isf(self, q: ArrayLike) -> FloatArray:
        """Closed-form inverse survival function."""
        lam, beta = self.params
        with np.errstate(divide="ignore"):
            x = (self.xmin**beta - np.log(np.asarray(q, dtype=float)) / lam) ** (1.0 / beta)
        return discretised_isf(x, self.xmin) if self.discrete else x


class StretchedExponential(Family):
    """Stretched exponential (Weibull) above ``xmin`` (parameters ``lambda``, ``beta``)."""

    name: ClassVar[str] = "stretched_exponential"
    label: ClassVar[str] = "stretched exponential"
    param_names: ClassVar[tuple[str, ...]] = ("lambda", "beta")
    frozen_class: ClassVar[type[FrozenFamily]] = FrozenStretchedExponential

    def _log_ccdf(self, x: FloatArray, lam: float, beta: float) -> FloatArray:
        mu = lam * self.xmin**beta
        return -mu * np.expm1(beta * np.log(x / self.xmin))

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density or log mass."""
        lam, beta = np.asarray(params, dtype=float)
        x = np.asarray(x, dtype=float)
        if self.discrete:
            return log_diff_exp(self._log_ccdf(x, lam, beta), self._log_ccdf(x + 1.0, lam, beta))
        mu = lam * self.xmin**beta
        t = np.log(x / self.xmin)
        return np.log(mu * beta / self.xmin) + (beta - 1.0) * t - mu * np.expm1(beta * t)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)``."""
        lam, beta = np.asarray(params, dtype=float)
        xs: FloatArray = np.maximum(np.asarray(x, dtype=float), self.xmin)
        return np.exp(self._log_ccdf(xs, lam, beta))

    def table_loglik(self, values: FloatArray, counts: FloatArray) -> Callable[[ArrayLike], float]:
        """Log-likelihood of the table with ``log(v / xmin)`` (and ``log((v + 1) / xmin)``)
        computed once: the same arithmetic as :meth:`logpdf`."""
        xmin = self.xmin
        c = np.asarray(counts, dtype=float)
        v = np.asarray(values, dtype=float)
        t = np.log(v / xmin)
        if self.discrete:
            t_next = np.log((v + 1.0) / xmin)

            def discrete(params: ArrayLike) -> float:
                lam, beta = np.asarray(params, dtype=float)
                mu = lam * xmin**beta
                upper = log_diff_exp(-mu * np.expm1(beta * t), -mu * np.expm1(beta * t_next))
                return float(np.sum(c * upper))

            return discrete
        total = float(c.sum())
        sum_t = float(np.sum(c * t))

        def continuous(params: ArrayLike) -> float:
            lam, beta = np.asarray(params, dtype=float)
            mu = lam * xmin**beta
            return float(
                total * np.log(mu * beta / xmin)
                + (beta - 1.0) * sum_t
                - mu * np.sum(c * np.expm1(beta * t))
            )

        return continuous

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """Numerical MLE over ``(log mu, log beta)``, best of several starts."""
        v, c = check_table(values, counts)
        xmin = self.xmin

        def to_natural(u: FloatArray) -> FloatArray:
            beta = np.exp(u[1])
            return np.array([np.exp(u[0]) / xmin**beta, beta])

        def from_natural(p: FloatArray) -> FloatArray:
            return np.array([np.log(p[0] * xmin ** p[1]), np.log(p[1])])

        mean_excess = float(np.sum(c * np.log(v / xmin)) / c.sum())
        best: FloatArray | None = None
        best_ll = -np.inf
        for beta0 in (0.2, 0.5, 1.0):
            mu0 = 1.0 / max(beta0 * mean_excess, 1e-9)
            p = self._maximise(v, c, to_natural(np.log([mu0, beta0])), to_natural, from_natural)
            ll = self.loglik(v, c, p)
            if ll > best_ll:
                best, best_ll = p, ll
        if best is None:
            raise FitError(
                "the stretched exponential has no finite likelihood on these data from any start "
                f"(tail values {format_value(xmin, 3)} to {format_value(float(v.max()), 3)})"
            )
        return best

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values above ``xmin`` by inversion."""
        lam, beta = np.asarray(params, dtype=float)
        e = rng.exponential(1.0, size)
        x = (self.xmin**beta + e / lam) ** (1.0 / beta)
        return np.floor(x) if self.discrete else x


class Weibull(FrozenDistribution):
    """The Weibull law ``P(X > x) = exp(-(x / scale)^k)`` on ``[0, inf)``.

    The untruncated stretched exponential. Closed forms: ``isf(q) = scale (-ln q)^(1/k)``,
    mean ``scale Gamma(1 + 1/k)``, top share ``S(p) = Q(1 + 1/k, -ln p)``, its inverse
    ``exp(-Q^-1(1 + 1/k, q))`` and ``Gini = 1 - 2^(-1/k)``.

    Parameters
    ----------
    k
        Shape (keyword only), positive.
    scale
        Scale, positive.
    """

    name = "weibull"

    def __init__(self, *, k: float, scale: float = 1.0) -> None:
        k, scale = float(k), float(scale)
        if not (np.isfinite(k) and k > 0):
            raise ParameterError(f"Weibull shape k must be positive, got {format_value(k)}")
        if not (np.isfinite(scale) and scale > 0):
            raise ParameterError(f"Weibull scale must be positive, got {format_value(scale)}")
        self.k = k
        self.scale = scale

    @property
    def parameters(self) -> dict[str, float]:
        """``{"k": k, "scale": scale}``."""
        return {"k": self.k, "scale": self.scale}

    def logpdf(self, x: ArrayLike) -> FloatArray:
        """Log density (``-inf`` below 0)."""
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.maximum(x, 0.0) / self.scale
            out = np.log(self.k / self.scale) + (self.k - 1.0) * np.log(t) - t**self.k
        return np.where(x < 0, -np.inf, out)

    def sf(self, x: ArrayLike) -> FloatArray:
        """``exp(-(x / scale)^k)``."""
        xs: FloatArray = np.maximum(np.asarray(x, dtype=float), 0.0)
        return np.exp(-((xs / self.scale) ** self.k))

    def isf(self, q: ArrayLike) -> FloatArray:
        """``scale (-ln q)^(1/k)``."""
        with np.errstate(divide="ignore"):
            return self.scale * (-np.log(np.asarray(q, dtype=float))) ** (1.0 / self.k)

    def mean(self) -> float:
        """``scale Gamma(1 + 1/k)``."""
        return float(self.scale * special.gamma(1.0 + 1.0 / self.k))

    def top_share(self, p: ArrayLike) -> FloatArray:
        """``Q(1 + 1/k, -ln p)``."""
        return special.gammaincc(1.0 + 1.0 / self.k, -np.log(check_fractions("p", p)))

    def fraction_for_share(self, q: ArrayLike) -> FloatArray:
        """``exp(-Q^-1(1 + 1/k, q))``."""
        return np.exp(-special.gammainccinv(1.0 + 1.0 / self.k, check_fractions("q", q)))

    def gini(self) -> float:
        """``1 - 2^(-1/k)``."""
        return 1.0 - 2.0 ** (-1.0 / self.k)
