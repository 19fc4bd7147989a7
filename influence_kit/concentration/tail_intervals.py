"""Intervals of concentration measures where the bootstrap cannot hold: heavy tails.

The percentile bootstrap of a top share needs the values to have a finite variance.
When the upper tail follows a Pareto law ``P(X > x) ~ x^-a`` with tail index ``a < 2``
the variance is infinite: the sample top shares converge slowly, most often fall short
of the population value, and resampling the sample cannot reproduce that. For ``a`` near 1.14
(the law under which 16% of people make 80%), percentile intervals of the top-16% share
from 2,000 people cover the true share about 35% of the time instead of 95%.

* :func:`check_tail` detects the regime: it fits the power law of
  :mod:`influence_kit.fitting` (``x_min`` by the KS scan, then the MLE) and reports the
  tail index ``a = alpha - 1``; ``a <`` :data:`INFINITE_VARIANCE_TAIL_INDEX` means
  infinite variance.
* :class:`ParetoTailModel` is the interval that holds there (``method="pareto_tail"``):
  a Pareto tail above ``x_min`` spliced to the empirical body below it
  (:class:`~influence_kit.concentration.spliced.SplicedModel`). Given ``x_min``, the
  tail-index MLE has an exact sampling distribution: ``sum(log(x / x_min))`` over the
  ``n_tail`` tail values is Gamma(``n_tail``, rate ``a``), so
  ``a = a_hat G / n_tail`` with ``G ~ Gamma(n_tail, 1)`` (what a parametric bootstrap
  of the fitted tail approximates by simulation, here without simulation noise). Every
  measure is monotone in ``a`` with the body and tail fraction held fixed, so its
  interval is the model's measure at the two ends of the tail-index interval, through
  the frozen law's ``top_share``, ``fraction_for_share`` and ``gini``. Integer data are
  modelled by the continuous Pareto law (tail shares agree to order ``1 / x_min``).
  ``x_min`` is held at its fitted value (its own uncertainty is not propagated); the
  coverage simulation in the tests measures what that costs.

:class:`IntervalMethod` names the methods; :func:`~influence_kit.concentration.concentration`
takes one as ``method=``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from ..distributions import Pareto
from ..errors import InfluenceKitError, ParameterError
from ..fitting import FitSettings, fit_table
from ..formatting import format_value
from ..results import Result, check_alpha, interval_frame
from ..tables import ValueTable
from .spliced import SplicedModel

__all__ = [
    "INFINITE_VARIANCE_TAIL_INDEX",
    "METHOD_DESCRIPTIONS",
    "MIN_DISTINCT_TAIL",
    "MIN_TAIL_SPAN",
    "IntervalMethod",
    "ParetoTailModel",
    "TailCheck",
    "check_tail",
    "interval_method",
    "model_estimates",
]

#: A Pareto tail index below this has an infinite variance: percentile bootstrap
#: intervals of concentration measures do not hold.
INFINITE_VARIANCE_TAIL_INDEX = 2.0

#: Fewest distinct values in the fitted tail for its index to say anything: with fewer,
#: the values are few categories that the bootstrap resamples well.
MIN_DISTINCT_TAIL = 20

#: Smallest ratio of the largest value to ``x_min`` (one decade) for a power-law tail.
MIN_TAIL_SPAN = 10.0


class IntervalMethod(enum.Enum):
    """How the intervals of concentration measures are computed.

    ``AUTO``
        ``PARETO_TAIL`` when :func:`check_tail` finds an infinite variance but a finite
        mean (tail index between 1 and 2) and the table is unweighted, else
        ``PERCENTILE`` (an index of 1 or less makes every model top share 1).
    ``PERCENTILE``
        Percentile intervals of the nonparametric bootstrap replicates.
    ``PARETO_TAIL``
        The model-based interval of :class:`ParetoTailModel`.
    """

    AUTO = "auto"
    PERCENTILE = "percentile"
    PARETO_TAIL = "pareto_tail"


#: Human-readable description of each method used (reports, the CLI).
METHOD_DESCRIPTIONS: dict[IntervalMethod, str] = {
    IntervalMethod.PERCENTILE: "percentile bootstrap",
    IntervalMethod.PARETO_TAIL: "Pareto-tail model (exact tail-index interval, body as observed)",
}


def interval_method(method: IntervalMethod | str) -> IntervalMethod:
    """Validate ``method``: an :class:`IntervalMethod` or one of its values.

    Raises
    ------
    ParameterError
        If ``method`` names no method.
    """
    if isinstance(method, IntervalMethod):
        return method
    try:
        return IntervalMethod(method)
    except ValueError:
        names = ", ".join(repr(m.value) for m in IntervalMethod)
        raise ParameterError(f"interval method must be one of {names}, got {method!r}") from None


@dataclass(frozen=True, eq=False)
class TailCheck(Result):
    """The fitted power-law tail of a table: is its variance finite?

    Attributes
    ----------
    tail_index
        Pareto tail index ``a = alpha - 1`` of the fitted tail, or ``None`` when no
        tail could be fitted (too few or identical values: see ``reason``).
    tail_index_se
        Its standard error (``None`` without a fit).
    xmin, n_tail
        Where the fitted tail starts and how many observations it holds.
    reason
        Why the tail could not be fitted (empty when it was).
    """

    tail_index: float | None
    tail_index_se: float | None
    xmin: float | None
    n_tail: int
    reason: str = ""

    @property
    def infinite_variance(self) -> bool:
        """Whether the estimated tail index is below :data:`INFINITE_VARIANCE_TAIL_INDEX`."""
        return self.tail_index is not None and self.tail_index < INFINITE_VARIANCE_TAIL_INDEX

    @property
    def finite_mean(self) -> bool:
        """Whether the estimated tail index is above 1 (the fitted law has a mean)."""
        return self.tail_index is not None and self.tail_index > 1.0

    def describe(self) -> str:
        """One sentence on the regime."""
        if self.tail_index is None:
            return f"tail not checked: {self.reason}"
        assert self.xmin is not None and self.tail_index_se is not None  # set with the index
        regime = "infinite" if self.infinite_variance else "finite"
        return (
            f"power-law tail above x_min = {format_value(self.xmin, 4)} ({self.n_tail} "
            f"observations): tail index {format_value(self.tail_index, 3)} (se "
            f"{format_value(self.tail_index_se, 2)}), {regime} variance"
        )


def _unweighted(table: ValueTable) -> ValueTable:
    """The sample behind a table: its rows counted once per observation (weights dropped)."""
    if table.weights is None:
        return table
    values, inverse = np.unique(table.values, return_inverse=True)
    counts = np.bincount(inverse, weights=table.counts)
    return ValueTable(values, counts, int(table.n_zeros), table.discrete)


def check_tail(table: ValueTable) -> TailCheck:
    """Fit the power-law tail of a table and report its tail index.

    The fit is :func:`influence_kit.fitting.fit_table` (``x_min`` chosen by the KS
    scan). A weighted table is checked on its sample (each observation counted once).
    No index is reported (``tail_index=None``, with the ``reason``) when the fit fails,
    when the tail has fewer than :data:`MIN_DISTINCT_TAIL` distinct values or spans
    less than :data:`MIN_TAIL_SPAN` (few categories, or no tail to speak of).

    Examples
    --------
    >>> from influence_kit.distributions import Pareto
    >>> from influence_kit.tables import value_table
    >>> x = Pareto(tail_index=1.2).rvs(3000, random_state=2)
    >>> check_tail(value_table(x)).infinite_variance
    True
    """
    sample = _unweighted(table)
    try:
        fit = fit_table(sample, FitSettings())
    except InfluenceKitError as err:
        return TailCheck(None, None, None, 0, reason=str(err))
    tail = sample.tail(fit.xmin)
    if tail.n_distinct < MIN_DISTINCT_TAIL:
        reason = (
            f"only {tail.n_distinct} distinct values at or above x_min = "
            f"{format_value(fit.xmin, 4)} (a tail index needs {MIN_DISTINCT_TAIL})"
        )
        return TailCheck(None, None, fit.xmin, fit.n_tail, reason=reason)
    if tail.values[-1] < MIN_TAIL_SPAN * fit.xmin:
        reason = f"the tail above x_min = {format_value(fit.xmin, 4)} spans less than a decade"
        return TailCheck(None, None, fit.xmin, fit.n_tail, reason=reason)
    return TailCheck(
        tail_index=fit.alpha - 1.0,
        tail_index_se=fit.alpha_se,
        xmin=fit.xmin,
        n_tail=fit.n_tail,
    )


@dataclass(frozen=True)
class _TailWithZeros:
    """A Pareto tail held by a fraction ``pi`` of people, the rest having nothing."""

    law: Pareto
    pi: float
    name: str = "Pareto tail + zeros"

    @property
    def parameters(self) -> dict[str, float]:
        """The tail's parameters and the tail fraction."""
        return {**self.law.parameters, "tail_fraction": self.pi}

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """The tail's top share of ``p / pi`` (all of it once ``p >= pi``)."""
        p = np.atleast_1d(np.asarray(p, dtype=float))
        out = np.ones(p.size)
        inside = p < self.pi
        if inside.any():
            out[inside] = self.law.top_share(p[inside] / self.pi)
        return out

    def fraction_for_share(self, q: ArrayLike) -> np.ndarray:
        """``pi`` times the tail's fraction."""
        return self.pi * np.asarray(self.law.fraction_for_share(q), dtype=float)

    def gini(self) -> float:
        """``(1 - pi) + pi G_tail`` (the zeros are the bottom ``1 - pi``)."""
        return (1.0 - self.pi) + self.pi * self.law.gini()


@dataclass(frozen=True, eq=False)
class ParetoTailModel(Result):
    """A Pareto tail above ``xmin`` spliced to the observed body, with its intervals.

    Attributes
    ----------
    tail_index
        Fitted Pareto tail index ``a_hat``.
    xmin, n_tail
        Start of the tail and the number of observations in it.
    tail_fraction
        Share of people (zeros included) in the tail.
    body
        The observed values below ``xmin``, zeros kept.
    """

    tail_index: float
    xmin: float
    n_tail: int
    tail_fraction: float
    body: ValueTable

    @classmethod
    def from_table(cls, table: ValueTable, tail: TailCheck) -> ParetoTailModel:
        """Build the model of ``table`` from its :func:`check_tail` result.

        Raises
        ------
        ParameterError
            If the table is weighted or no tail was fitted.
        """
        if table.weighted:
            raise ParameterError(
                "the Pareto-tail interval needs an unweighted table (the tail is fitted to "
                "whole observations); use method='percentile'"
            )
        if tail.tail_index is None or tail.xmin is None:
            raise ParameterError(f"no Pareto-tail interval: {tail.reason}")
        return cls(
            tail_index=tail.tail_index,
            xmin=tail.xmin,
            n_tail=tail.n_tail,
            tail_fraction=tail.n_tail / table.n_observations,
            body=table.below(tail.xmin),
        )

    def tail_index_interval(self, alpha: float = 0.05) -> tuple[float, float]:
        """Exact ``1 - alpha`` interval of the tail index given ``xmin``.

        ``a_hat G / n_tail`` at the ``alpha/2`` and ``1 - alpha/2`` quantiles of
        ``G ~ Gamma(n_tail, 1)``.
        """
        half = check_alpha(alpha) / 2.0
        q = stats.gamma.ppf([half, 1.0 - half], self.n_tail)
        low, high = self.tail_index * q / self.n_tail
        return float(low), float(high)

    def measures(
        self, tail_index: float, top: ArrayLike, shares: ArrayLike, grid: ArrayLike = ()
    ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """``(gini, top shares, fractions, curve on grid)`` of the model at ``tail_index``.

        With ``tail_index <= 1`` the tail's mean is infinite and the tail holds the
        whole total: every top share is 1, every fraction 0 and the Gini 1 (the limits
        as the index falls to 1).
        """
        top = np.atleast_1d(np.asarray(top, dtype=float))
        shares = np.atleast_1d(np.asarray(shares, dtype=float))
        grid = np.atleast_1d(np.asarray(grid, dtype=float))
        if tail_index <= 1.0:
            return 1.0, np.ones(top.size), np.zeros(shares.size), np.ones(grid.size)
        law = Pareto(tail_index=tail_index, xmin=self.xmin)
        pi = self.tail_fraction
        model: SplicedModel | _TailWithZeros
        if self.body.total > 0 and pi < 1.0:
            model = SplicedModel(self.body, law, pi, name="Pareto tail + body")
        else:
            model = _TailWithZeros(law, pi)

        def each(func: Callable[[ArrayLike], np.ndarray], x: np.ndarray) -> np.ndarray:
            return np.asarray(func(x), dtype=float) if x.size else np.zeros(0)

        return (
            float(model.gini()),
            each(model.top_share, top),
            each(model.fraction_for_share, shares),
            each(model.top_share, grid),
        )

    def bounds(
        self, alpha: float, top: ArrayLike, shares: ArrayLike, grid: ArrayLike = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper ends of every measure (gini, tops, fractions, then grid)."""
        ends = [
            np.concatenate([[g], t, f, c])
            for g, t, f, c in (
                self.measures(a, top, shares, grid) for a in self.tail_index_interval(alpha)
            )
        ]
        return np.minimum(*ends), np.maximum(*ends)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """The exact ``1 - alpha`` interval of the tail index (one row, ``tail_index``)."""
        low, high = self.tail_index_interval(alpha)
        return interval_frame(["tail_index"], [low], [high])

    def summary(self) -> pd.DataFrame:
        """The model's parameters and the 95% tail-index interval, one row each."""
        low, high = self.tail_index_interval()
        rows = {
            "tail_index": self.tail_index,
            "tail_index_lower": low,
            "tail_index_upper": high,
            "xmin": self.xmin,
            "n_tail": float(self.n_tail),
            "tail_fraction": self.tail_fraction,
        }
        return pd.Series(rows, name="value").rename_axis("parameter").to_frame()

    def to_dict(self) -> dict[str, object]:
        """The parameters and the 95% tail-index interval (not the body table)."""
        low, high = self.tail_index_interval()
        return {
            "tail_index": self.tail_index,
            "tail_index_interval": [low, high],
            "xmin": self.xmin,
            "n_tail": self.n_tail,
            "tail_fraction": self.tail_fraction,
        }


def model_estimates(
    model: ParetoTailModel, top: ArrayLike, shares: ArrayLike
) -> tuple[float, np.ndarray, np.ndarray]:
    """The model's point estimates (at the fitted tail index)."""
    g, t, f, _ = model.measures(model.tail_index, top, shares)
    return g, t, f
