"""The Poisson law truncated to ``x >= xmin`` (discrete only; Table 6.2's Poisson column).

``p(x) = exp(-mu) mu^x / x! / P(X >= xmin)`` with ``P(X >= k)`` the regularised
lower incomplete gamma ``P(k, mu)``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

from ..errors import DataError, ParameterError
from ..formatting import format_value
from ._base import Family, FloatArray, check_table
from .frozen import FrozenFamily


def log_poisson_tail(k: float, mu: float) -> float:
    """``log P(X >= k)`` for ``X ~ Poisson(mu)``, also when it underflows."""
    if k <= 0:
        return 0.0
    p = special.gammainc(k, mu)
    if p > 1e-280:
        return float(np.log(p))
    # far tail: P(X >= k) = p(k) * (1 + mu/(k+1) + mu^2/((k+1)(k+2)) + ...)
    terms = np.cumprod(mu / (k + 1.0 + np.arange(200)))
    return float(stats.poisson.logpmf(k, mu) + np.log1p(terms.sum()))


class FrozenPoisson(FrozenFamily):
    """A Poisson law at fixed ``mu``, conditioned on ``x >= xmin``.

    ``isf(q)`` is scipy's Poisson ``isf(q P(X >= xmin))`` (at least ``xmin``) and the mean
    is ``mu P(X >= xmin - 1) / P(X >= xmin)``.
    """

    def __init__(self, family: Family, params: ArrayLike) -> None:
        super().__init__(family, params)
        if not self.params[0] > 0:
            raise ParameterError(
                f"the Poisson mean mu must be positive, got {format_value(self.params[0])}"
            )

    def isf(self, q: ArrayLike) -> FloatArray:
        """Smallest integer ``x`` with ``P(X > x) <= q``."""
        mu = float(self.params[0])
        scaled = np.asarray(q, dtype=float) * np.exp(log_poisson_tail(self.xmin, mu))
        return np.maximum(stats.poisson.isf(scaled, mu), self.xmin)

    def mean(self) -> float:
        """``mu P(X >= xmin - 1) / P(X >= xmin)``."""
        mu = float(self.params[0])
        return float(
            mu * np.exp(log_poisson_tail(self.xmin - 1.0, mu) - log_poisson_tail(self.xmin, mu))
        )


class Poisson(Family):
    """Poisson law above ``xmin`` (parameter ``mu > 0``); discrete data only."""

    name: ClassVar[str] = "poisson"
    label: ClassVar[str] = "Poisson"
    param_names: ClassVar[tuple[str, ...]] = ("mu",)
    has_continuous: ClassVar[bool] = False
    frozen_class: ClassVar[type[FrozenFamily]] = FrozenPoisson

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log mass."""
        (mu,) = np.atleast_1d(np.asarray(params, dtype=float))
        x = np.asarray(x, dtype=float)
        return stats.poisson.logpmf(x, mu) - log_poisson_tail(self.xmin, mu)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)``."""
        (mu,) = np.atleast_1d(np.asarray(params, dtype=float))
        xs: FloatArray = np.maximum(np.asarray(x, dtype=float), self.xmin)
        return np.exp(stats.poisson.logsf(xs - 1.0, mu) - log_poisson_tail(self.xmin, mu))

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """MLE of mu (bounded scalar search on ``log mu``)."""
        v, c = check_table(values, counts)
        mean = float(np.sum(c * v) / c.sum())
        if mean <= self.xmin:
            raise DataError("every tail value equals xmin: mu is not identifiable")
        total = c.sum()

        def objective(log_mu: float) -> float:
            return -self.loglik(v, c, [np.exp(log_mu)]) / total

        res = optimize.minimize_scalar(
            objective,
            bounds=(np.log(mean) - 30.0, np.log(mean)),
            method="bounded",
            options={"xatol": 1e-12},
        )
        return np.array([np.exp(res.x)])

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values above ``xmin`` by inversion of the truncated law."""
        (mu,) = np.atleast_1d(np.asarray(params, dtype=float))
        below = stats.poisson.cdf(self.xmin - 1.0, mu)
        u = below + rng.random(size) * (1.0 - below)
        return np.maximum(stats.poisson.ppf(u, mu), self.xmin)
