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
  The uncertainty of ``x_min`` is carried by refitting it on bootstrap resamples
  (:func:`xmin_interval`): the model is refitted at both ends of that ``x_min`` interval
  and the bounds are the envelope of the three models' bounds.
* A power-law tail with index below 2 and a lognormal-like tail (finite variance) look
  alike in samples of a few thousand: lognormal data with sigma 1.5 fit a tail index below
  2 in most samples of 2,000, and the Pareto-tail interval then extrapolates a tail that is
  too heavy (it covers the true top-16% share in under half of them), while the percentile
  bootstrap falls short on heavy lognormals and on Pareto tails with index up to 4 (finite
  variance, infinite fourth moment: 85-87% for index 2.5). So the automatic rule does not
  bet on one tail: wherever the exact 95% interval of the tail index reaches below
  :data:`PERCENTILE_TAIL_INDEX` (4), the interval is the *envelope* of the percentile
  bootstrap and the Pareto-tail model (``method="envelope"``), which holds under either,
  unless a lognormal fits the tail significantly better (Vuong's test,
  :attr:`TailCheck.lognormal_better`): then the percentile interval is kept with a caution
  that it may fall short (an envelope reaching a power law's infinite-mean limits is of no
  use where the data say the tail is not a power law). ``benchmarks/coverage.py`` measures
  the coverage of every method (``make coverage``; the table is
  ``benchmarks/results/coverage.md``).

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

from ..distributions import Lognormal, Pareto, PowerLaw
from ..errors import InfluenceKitError, ParameterError
from ..fitting import FitSettings, compare_loglik, fit_table
from ..fitting.compare import THRESHOLD
from ..formatting import format_value
from ..results import Result, check_alpha, interval_frame
from ..tables import ValueTable
from .spliced import SplicedModel

__all__ = [
    "INFINITE_VARIANCE_TAIL_INDEX",
    "METHOD_DESCRIPTIONS",
    "MIN_DISTINCT_TAIL",
    "MIN_TAIL_SPAN",
    "PERCENTILE_TAIL_INDEX",
    "XMIN_REPLICATES",
    "IntervalMethod",
    "ParetoTailModel",
    "TailCheck",
    "check_tail",
    "interval_method",
    "model_estimates",
    "xmin_interval",
]

#: A Pareto tail index below this has an infinite variance: percentile bootstrap
#: intervals of concentration measures do not hold.
INFINITE_VARIANCE_TAIL_INDEX = 2.0

#: Below this tail index the percentile bootstrap of concentration measures falls short of its
#: nominal coverage at samples of thousands (the fourth moment is infinite): ``method="auto"``
#: takes the envelope wherever the tail index's 95% interval reaches below it.
PERCENTILE_TAIL_INDEX = 4.0

#: Fewest distinct values in the fitted tail for its index to say anything: with fewer,
#: the values are few categories that the bootstrap resamples well.
MIN_DISTINCT_TAIL = 20

#: Smallest ratio of the largest value to ``x_min`` (one decade) for a power-law tail.
MIN_TAIL_SPAN = 10.0

#: Bootstrap refits of ``x_min`` behind :func:`xmin_interval`.
XMIN_REPLICATES = 50

#: The refits of :func:`xmin_interval` consider tails of at most this many times the fitted
#: tail's observations.
XMIN_SEARCH_FACTOR = 8.0

#: Confidence of the ``x_min`` interval whose ends the Pareto-tail model is refitted at.
XMIN_CONFIDENCE = 0.9


class IntervalMethod(enum.Enum):
    """How the intervals of concentration measures are computed.

    ``AUTO``
        ``ENVELOPE`` when the table is unweighted, the exact 95% interval of the tail
        index (:func:`check_tail`) reaches below :data:`PERCENTILE_TAIL_INDEX` and a
        lognormal does not fit the tail significantly better; else ``PERCENTILE``.
    ``PERCENTILE``
        Percentile intervals of the nonparametric bootstrap replicates.
    ``PARETO_TAIL``
        The model-based interval of :class:`ParetoTailModel`.
    ``ENVELOPE``
        From the lower of the two methods' lower ends to the higher of their upper ends:
        an interval that holds whether the tail is a power law with infinite variance or
        lognormal-like.
    """

    AUTO = "auto"
    PERCENTILE = "percentile"
    PARETO_TAIL = "pareto_tail"
    ENVELOPE = "envelope"


#: Human-readable description of each method used (reports, the CLI).
METHOD_DESCRIPTIONS: dict[IntervalMethod, str] = {
    IntervalMethod.PERCENTILE: "percentile bootstrap",
    IntervalMethod.PARETO_TAIL: (
        "Pareto-tail model (exact tail-index interval, x_min refitted on resamples, body as "
        "observed)"
    ),
    IntervalMethod.ENVELOPE: (
        "envelope of the percentile bootstrap and the Pareto-tail model (the data cannot tell "
        "a power-law tail with infinite variance from a lognormal-like one; the interval holds "
        "under either)"
    ),
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
    lognormal_z, lognormal_p
        Vuong's normalised log-likelihood ratio of the power law against the lognormal
        fitted to the same tail (positive favours the power law) and its two-sided p-value;
        ``None`` when not compared (no tail, or a tail index of 4 or more).
    """

    tail_index: float | None
    tail_index_se: float | None
    xmin: float | None
    n_tail: int
    reason: str = ""
    lognormal_z: float | None = None
    lognormal_p: float | None = None

    @property
    def infinite_variance(self) -> bool:
        """Whether the estimated tail index is below :data:`INFINITE_VARIANCE_TAIL_INDEX`."""
        return self.tail_index is not None and self.tail_index < INFINITE_VARIANCE_TAIL_INDEX

    @property
    def tail_index_lower(self) -> float | None:
        """Lower end of the exact 95% interval of the tail index given ``x_min``."""
        if self.tail_index is None:
            return None
        return float(self.tail_index * stats.gamma.ppf(0.025, self.n_tail) / self.n_tail)

    @property
    def infinite_variance_possible(self) -> bool:
        """Whether the 95% interval of the tail index reaches below 2."""
        low = self.tail_index_lower
        return low is not None and low < INFINITE_VARIANCE_TAIL_INDEX

    @property
    def percentile_unreliable(self) -> bool:
        """Whether the 95% interval of the tail index reaches below
        :data:`PERCENTILE_TAIL_INDEX`, where percentile bootstrap intervals fall short."""
        low = self.tail_index_lower
        return low is not None and low < PERCENTILE_TAIL_INDEX

    @property
    def lognormal_better(self) -> bool:
        """Whether the lognormal fits the tail significantly better than the power law
        (Vuong's test at the Clauset et al. threshold, p < 0.1)."""
        return (
            self.lognormal_z is not None
            and self.lognormal_p is not None
            and self.lognormal_z < 0
            and self.lognormal_p < THRESHOLD
        )

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
        text = (
            f"power-law tail above x_min = {format_value(self.xmin, 4)} ({self.n_tail} "
            f"observations): tail index {format_value(self.tail_index, 3)} (se "
            f"{format_value(self.tail_index_se, 2)}), {regime} variance"
        )
        if self.lognormal_z is not None and self.lognormal_p is not None:
            better = "lognormal" if self.lognormal_z < 0 else "power law"
            text += (
                f"; against a lognormal tail: {better} favoured (Vuong z = "
                f"{format_value(self.lognormal_z, 3)}, p = {format_value(self.lognormal_p, 2)})"
            )
        return text


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
    check = TailCheck(
        tail_index=fit.alpha - 1.0,
        tail_index_se=fit.alpha_se,
        xmin=fit.xmin,
        n_tail=fit.n_tail,
    )
    if not check.percentile_unreliable:
        return check
    z, p = _against_lognormal(tail, fit.xmin, fit.alpha, sample.discrete)
    return TailCheck(
        tail_index=check.tail_index,
        tail_index_se=check.tail_index_se,
        xmin=check.xmin,
        n_tail=check.n_tail,
        lognormal_z=z,
        lognormal_p=p,
    )


def _against_lognormal(
    tail: ValueTable, xmin: float, alpha: float, discrete: bool
) -> tuple[float | None, float | None]:
    """Vuong's test of the power law against the lognormal on the tail (``None`` if the
    lognormal cannot be fitted there)."""
    power_law = PowerLaw(xmin, discrete)
    lognormal = Lognormal(xmin, discrete)
    try:
        params = lognormal.fit(tail.values, tail.counts)
        logp_alternative = lognormal.logpdf(tail.values, list(params))
    except (InfluenceKitError, FloatingPointError, ValueError):
        return None, None
    if not np.all(np.isfinite(logp_alternative)):
        return None, None
    logp_power_law = power_law.logpdf(tail.values, [alpha])
    comparison = compare_loglik("lognormal", logp_power_law, logp_alternative, tail.counts)
    return float(comparison.normalized), float(comparison.p)


def xmin_interval(
    table: ValueTable,
    xmin: float,
    seed: np.random.SeedSequence,
    *,
    replicates: int = XMIN_REPLICATES,
    confidence: float = XMIN_CONFIDENCE,
) -> tuple[float, float]:
    """Interval of ``x_min``: the KS scan refitted on bootstrap resamples of ``table``.

    Each replicate resamples the observations (one multinomial draw over the rows) and
    chooses ``x_min`` again among the candidates whose tail holds at most
    :data:`XMIN_SEARCH_FACTOR` times the fitted tail's observations; the interval runs
    between the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of those
    choices (observed values, since the scan picks one), widened to include ``xmin``
    itself. Replicates whose fit fails are skipped.
    """
    sample = _unweighted(table)
    rng = np.random.default_rng(seed)
    n = sample.n_observations
    probs = np.r_[sample.counts, sample.n_zeros] / n
    # Refits scan the candidates whose tail holds at most XMIN_SEARCH_FACTOR times the fitted
    # tail's observations (the scan's cost is in the many low candidates of large samples).
    above = np.cumsum(sample.counts[::-1])[::-1]
    n_tail = float(above[np.searchsorted(sample.values, xmin)])
    wide = above <= XMIN_SEARCH_FACTOR * n_tail
    settings = FitSettings(xmin_range=(float(sample.values[np.argmax(wide)]), np.inf))
    chosen = []
    for _ in range(replicates):
        counts = rng.multinomial(n, probs)
        keep = counts[:-1] > 0
        resample = ValueTable(
            sample.values[keep], counts[:-1][keep].astype(float), int(counts[-1]), sample.discrete
        )
        try:
            chosen.append(fit_table(resample, settings).xmin)
        except InfluenceKitError:
            continue
    if not chosen:
        return xmin, xmin
    half = (1.0 - confidence) / 2.0
    low, high = np.quantile(chosen, [half, 1.0 - half], method="inverted_cdf")
    return min(float(low), xmin), max(float(high), xmin)


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
    xmin_models
        The same model refitted at the ends of the ``x_min`` interval
        (:func:`xmin_interval`); :meth:`bounds` is the envelope of every model's bounds.
    """

    tail_index: float
    xmin: float
    n_tail: int
    tail_fraction: float
    body: ValueTable
    xmin_models: tuple[ParetoTailModel, ...] = ()

    @property
    def xmin_range(self) -> tuple[float, float]:
        """Smallest and largest ``x_min`` of the model and its refits."""
        values = [self.xmin, *(m.xmin for m in self.xmin_models)]
        return min(values), max(values)

    @classmethod
    def from_table(
        cls,
        table: ValueTable,
        tail: TailCheck,
        xmin_range: tuple[float, float] | None = None,
    ) -> ParetoTailModel:
        """Build the model of ``table`` from its :func:`check_tail` result.

        ``xmin_range`` (for instance :func:`xmin_interval`) adds the model refitted, with
        the tail index's MLE, at each end of it that differs from the fitted ``x_min`` and
        leaves a tail of at least :data:`MIN_DISTINCT_TAIL` distinct values.

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
        refits = []
        for end in () if xmin_range is None else sorted(set(xmin_range) - {tail.xmin}):
            if table.tail(end).n_distinct < MIN_DISTINCT_TAIL:
                continue
            fit = fit_table(table, FitSettings(xmin=end))
            refits.append(cls._at(table, fit.alpha - 1.0, end, fit.n_tail))
        return cls._at(table, tail.tail_index, tail.xmin, tail.n_tail, tuple(refits))

    @classmethod
    def _at(
        cls,
        table: ValueTable,
        tail_index: float,
        xmin: float,
        n_tail: int,
        xmin_models: tuple[ParetoTailModel, ...] = (),
    ) -> ParetoTailModel:
        return cls(
            tail_index=tail_index,
            xmin=xmin,
            n_tail=n_tail,
            tail_fraction=n_tail / table.n_observations,
            body=table.below(xmin),
            xmin_models=xmin_models,
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
        """Lower and upper ends of every measure (gini, tops, fractions, then grid).

        The envelope over this model and its :attr:`xmin_models` of each model's measures
        at the two ends of its exact tail-index interval.
        """
        ends = [
            np.concatenate([[g], t, f, c])
            for model in (self, *self.xmin_models)
            for g, t, f, c in (
                model.measures(a, top, shares, grid) for a in model.tail_index_interval(alpha)
            )
        ]
        return np.min(ends, axis=0), np.max(ends, axis=0)

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
            "xmin_lower": self.xmin_range[0],
            "xmin_upper": self.xmin_range[1],
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
            "xmin_range": list(self.xmin_range),
            "n_tail": self.n_tail,
            "tail_fraction": self.tail_fraction,
        }


def model_estimates(
    model: ParetoTailModel, top: ArrayLike, shares: ArrayLike
) -> tuple[float, np.ndarray, np.ndarray]:
    """The model's point estimates (at the fitted tail index)."""
    g, t, f, _ = model.measures(model.tail_index, top, shares)
    return g, t, f
