"""The exponential law ``p(x) ∝ exp(-lambda x)`` above ``xmin``.

Continuous: ``p(x) = lambda exp(-lambda (x - xmin))``; MLE ``1 / (mean - xmin)``.
Discrete: a geometric law on ``xmin, xmin + 1, ...``,
``p(x) = (1 - exp(-lambda)) exp(-lambda (x - xmin))``; MLE
``lambda = log(1 + 1 / (mean - xmin))``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from ..errors import DataError, ParameterError
from ..formatting import format_value
from ..validation import check_fractions
from ._base import Family, FloatArray, check_table
from .frozen import FrozenFamily


class FrozenExponential(FrozenFamily):
    """Exponential (geometric when discrete) law above ``xmin`` at a fixed rate.

    Closed forms: ``isf(q) = xmin - log(q) / lambda`` (rounded as
    :func:`~influence_kit.distributions.lognormal.discretised_isf` when discrete), mean
    ``xmin + 1 / lambda`` (discrete: ``xmin + e^-lambda / (1 - e^-lambda)``) and, when
    continuous, ``S(p) = p (x_p + 1/lambda) / (xmin + 1/lambda)`` with ``x_p = isf(p)``.
    """

    def __init__(self, family: Family, params: ArrayLike) -> None:
        super().__init__(family, params)
        if not self.params[0] > 0:
            raise ParameterError(
                f"the rate lambda must be positive, got {format_value(self.params[0])}"
            )

    def isf(self, q: ArrayLike) -> FloatArray:
        """Closed-form inverse survival function."""
        lam = float(self.params[0])
        with np.errstate(divide="ignore"):
            x = self.xmin - np.log(np.asarray(q, dtype=float)) / lam
        return np.maximum(np.ceil(x) - 1.0, self.xmin) if self.discrete else x

    def mean(self) -> float:
        """Closed-form mean."""
        lam = float(self.params[0])
        if self.discrete:
            return float(self.xmin + np.exp(-lam) / -np.expm1(-lam))
        return self.xmin + 1.0 / lam

    def top_share(self, p: ArrayLike) -> FloatArray:
        """Closed form when continuous (memorylessness)."""
        if self.discrete:
            return super().top_share(p)
        p = check_fractions("p", p)
        lam = float(self.params[0])
        return p * (self.isf(p) + 1.0 / lam) / self.mean()


class Exponential(Family):
    """Exponential (continuous) or geometric (discrete) law above ``xmin``."""

    name: ClassVar[str] = "exponential"
    label: ClassVar[str] = "exponential"
    param_names: ClassVar[tuple[str, ...]] = ("lambda",)
    frozen_class: ClassVar[type[FrozenFamily]] = FrozenExponential

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density or log mass."""
        (lam,) = np.atleast_1d(np.asarray(params, dtype=float))
        x = np.asarray(x, dtype=float)
        if self.discrete:
            return np.log(-np.expm1(-lam)) - lam * (x - self.xmin)
        return np.log(lam) - lam * (x - self.xmin)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)``."""
        (lam,) = np.atleast_1d(np.asarray(params, dtype=float))
        xs: FloatArray = np.maximum(np.asarray(x, dtype=float), self.xmin)
        return np.exp(-lam * (xs - self.xmin))

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """Closed-form MLE of lambda."""
        v, c = check_table(values, counts)
        excess = float(np.sum(c * (v - self.xmin)) / c.sum())
        if excess <= 0:
            raise DataError("every tail value equals xmin: lambda is not identifiable")
        lam = np.log1p(1.0 / excess) if self.discrete else 1.0 / excess
        return np.array([lam])

    def covariance(self, values: ArrayLike, counts: ArrayLike, params: ArrayLike) -> FloatArray:
        """Inverse observed information of lambda (closed form)."""
        _, c = check_table(values, counts)
        (lam,) = np.atleast_1d(np.asarray(params, dtype=float))
        n = c.sum()
        if self.discrete:
            q = np.exp(-lam)
            return np.array([[(1.0 - q) ** 2 / (n * q)]])
        return np.array([[lam**2 / n]])

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values above ``xmin``."""
        (lam,) = np.atleast_1d(np.asarray(params, dtype=float))
        if self.discrete:
            return np.asarray(self.xmin + rng.geometric(-np.expm1(-lam), size) - 1.0, np.float64)
        return self.xmin + rng.exponential(1.0 / lam, size)
