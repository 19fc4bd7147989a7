"""Bootstrap confidence intervals for concentration measures, at the cost of a table.

Resampling n people with replacement is the same as drawing the number of
people at each distinct value from a multinomial distribution with n trials and
the observed row frequencies. :func:`bootstrap` does exactly that, for many
replicates at once, so the cost grows with the number of distinct values (about
1e4 for 1e8 heavy-tailed integer observations) and not with the number of
people. All replicates of a batch are evaluated together with array operations
(cumulative sums and one :func:`numpy.searchsorted` over row-offset curves).

Intervals are percentile intervals of the replicates: the results keep the
replicate draws, so ``conf_int(alpha)`` gives the interval at any level. Where
the values may have an infinite variance (a power-law tail with index below 2) the
percentile intervals do not hold; :func:`concentration` checks the tail with
:func:`~influence_kit.concentration.tail_intervals.check_tail` and, with
``method="auto"`` (the default), reports the envelope of the percentile interval
and the Pareto-tail model's interval of :mod:`.tail_intervals` wherever the tail
index may lie below 4 and the tail is not significantly lognormal-like (the ``tail``
field and the ``interval`` column of ``summary()`` say which). Where an interval
cannot be trusted (a percentile interval of a heavy tail or of a top group of fewer
than :data:`MIN_GROUP_PEOPLE` sampled people, a tail index of 1 or less) the result
carries a caution (``cautions``, the
``caution`` column of ``summary()``). Results
follow the seed rule of :mod:`influence_kit.validation`: an integer seed gives
the same numbers on every call, ``None`` fresh ones.

Replicates are drawn in chunks of :data:`CHUNK` replicates; chunk ``i`` draws
from its own generator, built from the ``i``-th child seed of ``seed``
(:func:`~influence_kit.validation.child_seeds`). The chunks are the scheme: run
in order in this process (the default), on local worker processes (``n_jobs``) or on a
``dask.distributed`` client (``client=``) through
:func:`influence_kit.parallel.map_chunks`, they give identical numbers.

:func:`concentration` is the one-call entry point used by the CLI and the
notebooks: point estimates from :mod:`.measures`, bootstrap intervals from here,
returned as a :class:`ConcentrationResult`.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..constants import DEFAULT_SEED, DEFAULT_SHARES, DEFAULT_TOP
from ..errors import HeavyTailWarning, ParameterError
from ..formatting import format_quantity, format_value, number_key
from ..parallel import map_chunks
from ..results import Conclusion, KeyFigure, KeyFigures, Result, check_alpha, interval_frame
from ..tables import ValueTable, value_table
from ..validation import (
    SeedLike,
    check_budget,
    check_fractions,
    check_replicates,
    check_seed,
    check_value_range,
    child_seeds,
    seed_entropy,
)
from .measures import (
    LorenzCurve,
    fraction_for_share,
    gini,
    lorenz_curve,
    top_share,
)
from .tail_intervals import (
    METHOD_DESCRIPTIONS,
    IntervalMethod,
    ParetoTailModel,
    TailCheck,
    check_tail,
    interval_method,
    model_estimates,
    xmin_interval,
)

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_SHARES",
    "DEFAULT_TOP",
    "MIN_GROUP_PEOPLE",
    "BootstrapDraws",
    "ConcentrationResult",
    "FractionEstimate",
    "IntervalMethod",
    "ShareEstimate",
    "bootstrap",
    "concentration",
]

#: Top fractions at which the Lorenz-curve band is evaluated (dense near the top).
DEFAULT_GRID: np.ndarray = np.unique(
    np.concatenate([np.linspace(0.0, 1.0, 201)[1:-1], np.geomspace(1e-4, 0.05, 40)])
)

#: Largest number of (replicate x row) cells evaluated at once (bounds memory).
BATCH_CELLS = 2_000_000

#: Replicates per chunk; each chunk has its own child seed, so this fixes the numbers.
CHUNK = 100

#: Fewest sampled people in a top group (the top ``p``, or the fewest making ``q``) for its
#: interval to be trusted: below it the result carries a caution with the count.
MIN_GROUP_PEOPLE = 30


@dataclass(frozen=True, eq=False)
class BootstrapDraws(Result):
    """Bootstrap replicates of the concentration measures.

    Attributes
    ----------
    top, shares, grid
        The top fractions, the shares and the curve grid (top fractions) evaluated.
    gini
        Gini of each replicate, shape ``(reps,)``.
    top_shares
        Share held by each top fraction, shape ``(reps, len(top))``.
    fractions
        Fraction of people holding each share, shape ``(reps, len(shares))``.
    curve
        Top-share curve on ``grid``, shape ``(reps, len(grid))``.
    seed
        The integer that repeats the draws (see
        :func:`~influence_kit.validation.seed_entropy`; ``None`` for a Generator).
    """

    top: np.ndarray
    shares: np.ndarray
    grid: np.ndarray
    gini: np.ndarray
    top_shares: np.ndarray
    fractions: np.ndarray
    curve: np.ndarray
    seed: int | None

    @property
    def reps(self) -> int:
        """Number of usable replicates."""
        return int(self.gini.size)

    def quantities(self) -> dict[str, np.ndarray]:
        """The replicates of every scalar measure, by quantity name (see :func:`quantity_names`)."""
        names = quantity_names(self.top, self.shares)
        columns = [self.gini[:, None], self.top_shares, self.fractions]
        return dict(zip(names, np.concatenate(columns, axis=1).T, strict=True))

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Percentile intervals covering ``1 - alpha`` of every scalar measure.

        Rows are the quantities (``gini``, ``share of top p``, ``fraction holding
        q``), columns ``lower`` and ``upper``.
        """
        low, high = percentile_interval(
            np.column_stack([self.gini, self.top_shares, self.fractions]), alpha
        )
        return interval_frame(quantity_names(self.top, self.shares), low, high)

    def curve_band(self, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        """Pointwise percentile band of the top-share curve on :attr:`grid`."""
        return percentile_interval(self.curve, alpha)

    def summary(self) -> pd.DataFrame:
        """Mean, sd and 2.5/97.5 percentiles of every measure across replicates."""
        rows = []
        for name, draws in self.quantities().items():
            lo, hi = np.quantile(draws, [0.025, 0.975])
            rows.append((name, draws.mean(), draws.std(ddof=1), lo, hi))
        return pd.DataFrame(rows, columns=["measure", "mean", "sd", "p2.5", "p97.5"])

    def to_dict(self) -> dict[str, object]:
        """JSON data: the evaluated points and the replicate summary."""
        return {
            "reps": self.reps,
            "seed": self.seed,
            "top": self.top.tolist(),
            "shares": self.shares.tolist(),
            "summary": self.summary(),
        }


def quantity_names(top: ArrayLike, shares: ArrayLike) -> list[str]:
    """Names of the scalar measures: ``gini``, ``share of top p``, ``fraction holding q``."""
    return (
        ["gini"]
        + [_top_name(p) for p in np.atleast_1d(top)]
        + [_fraction_name(q) for q in np.atleast_1d(shares)]
    )


def _top_name(p: float) -> str:
    return f"share of top {format_value(p, 4)}"


def _fraction_name(q: float) -> str:
    return f"fraction holding {format_value(q, 4)}"


def percentile_interval(draws: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval covering ``1 - alpha`` of ``draws`` (replicates along axis 0)."""
    half = check_alpha(alpha) / 2.0
    low, high = np.quantile(draws, [half, 1.0 - half], axis=0)
    return low, high


def _measures_batch(
    values: np.ndarray,
    weights: np.ndarray,
    counts: np.ndarray,
    top: np.ndarray,
    shares: np.ndarray,
    grid: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate every measure for a batch of count vectors (rows = replicates).

    ``values`` are sorted largest first. Returns ``(gini, top_shares, fractions,
    curve)``; replicates without any positive value get NaN.
    """
    n_rep, n_row = counts.shape
    people = counts * weights
    cum_p = np.cumsum(people, axis=1)
    cum_m = np.cumsum(people * values, axis=1)
    total_p = cum_p[:, -1:]
    total_m = cum_m[:, -1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        fp = cum_p / total_p
        fm = cum_m / total_m
    zero_p = np.zeros((n_rep, 1))
    fp0 = np.concatenate([zero_p, fp], axis=1)
    fm0 = np.concatenate([zero_p, fm], axis=1)
    # Gini: twice the area under the top-share curve, minus one.
    gini = np.sum(np.diff(fp0, axis=1) * (fm0[:, 1:] + fm0[:, :-1]), axis=1) - 1.0

    # Row offsets make every replicate's curve one globally sorted array, so a
    # single searchsorted finds each target's row in every replicate.
    offsets = 2.0 * np.arange(n_rep)[:, None]
    rows = np.arange(n_rep)[:, None]

    def locate(curve: np.ndarray, targets: np.ndarray) -> np.ndarray:
        flat = np.nan_to_num(curve, nan=0.0) + offsets
        idx = np.searchsorted(flat.ravel(), (targets[None, :] + offsets).ravel(), side="left")
        local = idx.reshape(n_rep, targets.size) - rows * n_row
        return np.clip(local, 0, n_row - 1)

    def read_top(p: np.ndarray) -> np.ndarray:
        k = locate(fp, p)
        before_p = fp0[rows, k]
        before_m = fm0[rows, k]
        # Mass per unit of population share inside row k is value_k * P / M.
        slope = values[k] * total_p / total_m
        return np.minimum(before_m + (p[None, :] - before_p) * slope, 1.0)

    with np.errstate(invalid="ignore", divide="ignore"):
        top_shares = read_top(top)
        curve = read_top(grid)
        k = locate(fm, shares)
        before_p = fp0[rows, k]
        before_m = fm0[rows, k]
        fractions = before_p + (shares[None, :] - before_m) * total_m / (values[k] * total_p)
    bad = total_m[:, 0] <= 0
    if bad.any():
        gini[bad] = np.nan
        top_shares[bad] = np.nan
        fractions[bad] = np.nan
        curve[bad] = np.nan
    return gini, top_shares, fractions, curve


@dataclass(frozen=True)
class _Job:
    """What a worker needs to evaluate replicates (picklable)."""

    values: np.ndarray
    weights: np.ndarray
    n: int
    probs: np.ndarray
    top: np.ndarray
    shares: np.ndarray
    grid: np.ndarray
    batch_cells: int


def _bootstrap_chunk(
    job: _Job, chunk: tuple[np.random.SeedSequence, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw and evaluate one chunk of replicates with the chunk's own generator.

    Replicates are drawn one batch of at most ``batch_cells / n_distinct`` at a
    time from the same generator, so the batch size does not change the numbers.
    """
    seq, reps = chunk
    rng = np.random.default_rng(seq)
    batch = max(1, min(reps, job.batch_cells // max(job.values.size, 1)))
    parts: list[tuple[np.ndarray, ...]] = []
    done = 0
    while done < reps:
        size = min(batch, reps - done)
        counts = rng.multinomial(job.n, job.probs, size=size).astype(float)
        parts.append(
            _measures_batch(job.values, job.weights, counts, job.top, job.shares, job.grid)
        )
        done += size
    gini, tops, fracs, curve = (np.concatenate(p, axis=0) for p in zip(*parts, strict=True))
    return gini, tops, fracs, curve


def bootstrap(
    table: ValueTable,
    *,
    reps: int = 1000,
    top: ArrayLike = DEFAULT_TOP,
    shares: ArrayLike = DEFAULT_SHARES,
    grid: ArrayLike | None = None,
    seed: SeedLike = DEFAULT_SEED,
    batch_cells: int = BATCH_CELLS,
    n_jobs: int | None = None,
    client: Any = None,
) -> BootstrapDraws:
    """Draw bootstrap replicates of the concentration measures of a table.

    Each replicate resamples the ``table.n_observations`` sampled people (zeros
    included) with replacement, as one multinomial draw over the table's rows,
    and keeps each row's weight.

    Parameters
    ----------
    table
        The observed distribution (see :func:`~influence_kit.tables.value_table`).
    reps
        Number of replicates, at least
        :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39).
    top
        Top fractions whose share is evaluated.
    shares
        Shares whose smallest holding fraction is evaluated.
    grid
        Top fractions at which the whole top-share curve is evaluated (for
        Lorenz bands); :data:`DEFAULT_GRID` if omitted.
    seed
        Seed (rule of :func:`~influence_kit.validation.check_random_state`); the
        chunks draw from its child seeds.
    batch_cells
        Replicates are processed in batches of about ``batch_cells / n_distinct``
        (memory only: the numbers do not depend on it).
    n_jobs
        Local worker processes for the chunks of :data:`CHUNK` replicates
        (``None`` or 1: in this process, which is usually fastest for this
        vectorised code).
    client
        A ``dask.distributed.Client`` to run the chunks on (takes precedence
        over ``n_jobs``). Every way of running gives identical numbers.

    Returns
    -------
    BootstrapDraws
    """
    reps = check_replicates("reps", reps)
    seq = check_seed(seed)
    top_arr = check_fractions("top fraction p", top)
    shares_arr = check_fractions("share q", shares)
    grid_arr = DEFAULT_GRID if grid is None else check_fractions("curve grid", grid)
    # Each replicate keeps one row of measures; the chunks' rows, their concatenation
    # and the copy without unusable replicates are held at once (chunks are bounded).
    row = 1 + top_arr.size + shares_arr.size + grid_arr.size
    check_budget(
        "concentration bootstrap replicates", reps, 3 * 8 * row, option="reps (--bootstrap-reps)"
    )
    values, counts, weights = table.rows()
    job = _Job(
        values=values[::-1],
        weights=weights[::-1],
        n=table.n_observations,
        probs=counts[::-1] / counts.sum(),
        top=top_arr,
        shares=shares_arr,
        grid=grid_arr,
        batch_cells=int(batch_cells),
    )
    sizes = [min(CHUNK, reps - start) for start in range(0, reps, CHUNK)]
    chunks = list(zip(child_seeds(seq, len(sizes)), sizes, strict=True))
    parts = map_chunks(
        _bootstrap_chunk,
        job,
        chunks,
        sizes=sizes,
        client=client,
        n_jobs=n_jobs,
        progress=False,
        desc="concentration bootstrap",
    )
    logger.debug("bootstrap: %s replicates in %s chunks", reps, len(chunks))
    gini, tops, fracs, curve = (np.concatenate(p, axis=0) for p in zip(*parts, strict=True))
    ok = np.isfinite(gini)
    if not ok.all():
        warnings.warn(
            f"{int((~ok).sum())} of {reps} bootstrap replicates had no positive value and "
            "were dropped",
            RuntimeWarning,
            stacklevel=2,
        )
        gini, tops, fracs, curve = gini[ok], tops[ok], fracs[ok], curve[ok]
    return BootstrapDraws(
        top=top_arr,
        shares=shares_arr,
        grid=grid_arr,
        gini=np.clip(gini, 0.0, 1.0),
        top_shares=tops,
        fractions=fracs,
        curve=curve,
        seed=seed_entropy(seq),
    )


@dataclass(frozen=True)
class ShareEstimate:
    """Share of the total held by the top fraction ``top`` of people."""

    top: float
    share: float

    @property
    def quantity(self) -> str:
        """Its row in ``ConcentrationResult.conf_int()``."""
        return _top_name(self.top)


@dataclass(frozen=True)
class FractionEstimate:
    """Smallest fraction of people holding ``share`` of the total."""

    share: float
    fraction: float

    @property
    def quantity(self) -> str:
        """Its row in ``ConcentrationResult.conf_int()``."""
        return _fraction_name(self.share)


@dataclass(frozen=True, eq=False)
class ConcentrationResult(Result):
    """Concentration of one distribution: Gini, top shares, "p% make q%", intervals.

    Intervals come from :meth:`conf_int` at any level: percentile intervals of the
    stored bootstrap replicates ``draws``, or, where the tail's variance is infinite,
    the Pareto-tail model's (``interval_method``; see :mod:`.tail_intervals`).

    Attributes
    ----------
    label
        What was measured (a column or data set name).
    n_people, population, n_distinct, total, mean
        Sampled people (zeros included), their total weight, distinct values,
        total and mean value.
    gini
        Gini coefficient.
    top_shares
        One :class:`ShareEstimate` per requested top fraction.
    fraction_for_share
        One :class:`FractionEstimate` per requested share.
    bootstrap_reps, seed
        Bootstrap settings (``bootstrap_reps = 0``: no intervals).
    lorenz
        The full Lorenz curve of the data.
    curve_top, curve_share
        Top-share curve on a grid of top fractions (used by the plots with
        :meth:`lorenz_band`; left out of :meth:`to_dict`).
    draws
        The bootstrap replicates (``None`` without bootstrap).
    interval_method
        How :meth:`conf_int` computes intervals by default (``PERCENTILE``,
        ``PARETO_TAIL`` or ``ENVELOPE``; never ``AUTO``).
    tail
        The fitted power-law tail (:func:`.tail_intervals.check_tail`): its tail index,
        whether the variance is infinite and how it compares with a lognormal tail.
    tail_model
        The Pareto tail spliced to the observed body (``None`` for a weighted table or
        when no tail could be fitted).
    cautions
        ``(quantity, sentence)`` pairs: where an interval cannot be trusted whatever the
        method (quantity ``""`` for the whole result). See :meth:`cautions_for`.
    """

    label: str
    n_people: float
    population: float
    n_distinct: int
    total: float
    mean: float
    gini: float
    top_shares: tuple[ShareEstimate, ...]
    fraction_for_share: tuple[FractionEstimate, ...]
    bootstrap_reps: int
    seed: int | None
    lorenz: LorenzCurve
    curve_top: np.ndarray
    curve_share: np.ndarray
    draws: BootstrapDraws | None = None
    interval_method: IntervalMethod = IntervalMethod.PERCENTILE
    tail: TailCheck | None = None
    tail_model: ParetoTailModel | None = None
    cautions: tuple[tuple[str, str], ...] = ()

    def cautions_for(self, quantity: str) -> list[str]:
        """The cautions on one quantity (a row of :meth:`conf_int`), those on the whole
        result included."""
        return [text for name, text in self.cautions if name in ("", quantity)]

    @property
    def infinite_variance(self) -> bool:
        """Whether the fitted tail index is below 2: percentile intervals do not hold."""
        return self.tail is not None and self.tail.infinite_variance

    def top_share(self, top: float) -> ShareEstimate:
        """The estimate for one of the requested top fractions."""
        for row in self.top_shares:
            if np.isclose(row.top, top):
                return row
        raise ParameterError(
            f"top fraction {format_value(top)} was not evaluated (have {self._tops()})"
        )

    def fraction_for(self, share: float) -> FractionEstimate:
        """The estimate for one of the requested shares."""
        for row in self.fraction_for_share:
            if np.isclose(row.share, share):
                return row
        have = ", ".join(format_value(r.share) for r in self.fraction_for_share)
        raise ParameterError(f"share {format_value(share)} was not evaluated (have {have})")

    def _tops(self) -> str:
        return ", ".join(format_value(r.top) for r in self.top_shares)

    @property
    def has_intervals(self) -> bool:
        """Whether bootstrap replicates were drawn (so :meth:`conf_int` works)."""
        return self.draws is not None

    def estimates(self) -> pd.Series:
        """Point estimates indexed by quantity, in the order of :meth:`conf_int`'s rows."""
        values = [self.gini, *(r.share for r in self.top_shares)]
        values += [r.fraction for r in self.fraction_for_share]
        names = quantity_names(
            [r.top for r in self.top_shares], [r.share for r in self.fraction_for_share]
        )
        return pd.Series(values, index=pd.Index(names, name="quantity"), dtype=float)

    def _tops_and_shares(self) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.array([r.top for r in self.top_shares]),
            np.array([r.share for r in self.fraction_for_share]),
        )

    def _method(self, method: IntervalMethod | str | None) -> IntervalMethod:
        chosen = self.interval_method if method is None else interval_method(method)
        if chosen is IntervalMethod.AUTO:
            chosen = self.interval_method
        needs_model = chosen in (IntervalMethod.PARETO_TAIL, IntervalMethod.ENVELOPE)
        if needs_model and self.tail_model is None:
            reason = self.tail.reason if self.tail is not None else ""
            raise ParameterError(
                "no Pareto-tail interval for this result "
                + (f"({reason})" if reason else "(weighted table)")
            )
        return chosen

    def conf_int(
        self, alpha: float = 0.05, method: IntervalMethod | str | None = None
    ) -> pd.DataFrame:
        """Intervals covering ``1 - alpha`` of every measure.

        Rows are the quantities (``gini``, ``share of top p``, ``fraction
        holding q``), columns ``lower`` and ``upper``.

        Parameters
        ----------
        alpha
            One minus the coverage.
        method
            ``None`` (or ``"auto"``): :attr:`interval_method`; ``"percentile"``: the
            percentile bootstrap; ``"pareto_tail"``: the Pareto-tail model's interval;
            ``"envelope"``: from the lower of their lower ends to the higher of their
            upper ends.

        Raises
        ------
        ParameterError
            Without bootstrap replicates (``reps=0``), ``alpha`` outside (0, 1), or a
            Pareto-tail interval asked of a result without a tail model.
        """
        if self.draws is None:
            raise ParameterError("no intervals: the bootstrap was not run (reps=0)")
        chosen = self._method(method)
        if chosen is IntervalMethod.PERCENTILE:
            return self.draws.conf_int(alpha)
        assert self.tail_model is not None  # checked by _method
        top, shares = self._tops_and_shares()
        low, high = self.tail_model.bounds(alpha, top, shares)
        if chosen is IntervalMethod.ENVELOPE:
            percentile = self.draws.conf_int(alpha)
            low = np.minimum(low, percentile["lower"].to_numpy())
            high = np.maximum(high, percentile["upper"].to_numpy())
        return interval_frame(quantity_names(top, shares), low, high)

    def model_estimates(self) -> pd.Series:
        """The Pareto-tail model's point estimates, in the order of :meth:`estimates`.

        Where the variance is infinite the sample's top shares most often fall short of the
        population's; these are the fitted model's values.

        Raises
        ------
        ParameterError
            Without a tail model.
        """
        if self.tail_model is None:
            raise ParameterError("no Pareto-tail model for this result")
        top, shares = self._tops_and_shares()
        g, t, f = model_estimates(self.tail_model, top, shares)
        return pd.Series(
            np.concatenate([[g], t, f]),
            index=pd.Index(quantity_names(top, shares), name="quantity"),
            dtype=float,
        )

    def describe_intervals(self) -> str:
        """One sentence on how the intervals were computed and why."""
        if self.draws is None:
            return "no intervals (no bootstrap)"
        text = METHOD_DESCRIPTIONS[self.interval_method]
        tail = self.tail
        if tail is not None and tail.tail_index is not None and tail.percentile_unreliable:
            assert tail.tail_index_lower is not None  # set with the tail index
            risk = (
                "does not rule out an infinite variance"
                if tail.infinite_variance_possible
                else "does not rule out an infinite fourth moment"
            )
            text += (
                f"; the fitted tail index {format_value(tail.tail_index, 3)} (95% interval "
                f"from {format_value(tail.tail_index_lower, 3)}) {risk}, where percentile "
                "bootstrap intervals of top shares fall short"
            )
            if tail.lognormal_better:
                text += " (a lognormal fits the tail significantly better)"
        return text

    def lorenz_band(self, alpha: float = 0.05) -> pd.DataFrame:
        """Lorenz coordinates of the curve grid: population share from the bottom,
        value share, and the pointwise band ``lower``/``upper`` covering ``1 - alpha``
        (NaN without bootstrap)."""
        nan = np.full(self.curve_top.size, np.nan)
        low = high = nan
        if self.draws is not None:
            chosen = self._method(None)
            top_low, top_high = self.draws.curve_band(alpha)
            if chosen is not IntervalMethod.PERCENTILE:
                assert self.tail_model is not None
                band_low, band_high = self.tail_model.bounds(alpha, (), (), self.curve_top)
                if chosen is IntervalMethod.PARETO_TAIL:
                    top_low, top_high = band_low[1:], band_high[1:]
                else:
                    top_low = np.minimum(top_low, band_low[1:])
                    top_high = np.maximum(top_high, band_high[1:])
            low, high = 1.0 - top_high, 1.0 - top_low
        frame = pd.DataFrame(
            {
                "population_share": 1.0 - self.curve_top,
                "value_share": 1.0 - self.curve_share,
                "lower": low,
                "upper": high,
            }
        )
        return frame.iloc[::-1].reset_index(drop=True)

    def conclusion(self, headline: tuple[float, float] | None = None) -> Conclusion:
        """What the concentration says, in one or two plain sentences, and its figures.

        Parameters
        ----------
        headline
            The published "p make q" claim (``(0.16, 0.8)``): the share held by its top
            ``p`` and the fewest people making ``q`` are compared with it when both were
            evaluated; otherwise the first top share and the first "fewest people" are used.

        Each estimate's 95% interval is named with it when it contains the estimate; a
        model interval that leaves the sample estimate out is named as the fitted tail
        model's, with that model's own estimate.
        """
        tops = [
            r for r in self.top_shares if headline is not None and np.isclose(r.top, headline[0])
        ]
        fractions = [
            r
            for r in self.fraction_for_share
            if headline is not None and np.isclose(r.share, headline[1])
        ]
        top_rows = tops or list(self.top_shares)
        fraction_rows = fractions or list(self.fraction_for_share)
        top_row = top_rows[0] if top_rows else None
        fraction_row = fraction_rows[0] if fraction_rows else None
        sentences: list[str] = []
        keys: list[str] = ["gini"]
        first = f"The Gini coefficient of {self.label} is {format_value(self.gini, 3)}"
        if top_row is not None:
            first += (
                f", and the top {format_quantity(top_row.top, 'share')} of people hold "
                f"{format_quantity(top_row.share, 'share')} of the total"
                + self._interval_words(top_row.quantity, top_row.share)
            )
            keys.append(f"top_share_{number_key(top_row.top)}")
        sentences.append(first + ".")
        if fraction_row is not None:
            second = (
                f"The fewest people making {format_quantity(fraction_row.share, 'share')} of it "
                f"are {format_quantity(fraction_row.fraction, 'share')}"
                + self._interval_words(fraction_row.quantity, fraction_row.fraction)
            )
            if headline is not None and fractions:
                second += (
                    f", against the {format_quantity(headline[0], 'share')} of the published "
                    "headline"
                )
            sentences.append(second + ".")
            keys.append(f"fraction_for_share_{number_key(fraction_row.share)}")
        return Conclusion(tuple(sentences), tuple(keys))

    def _interval_words(self, quantity: str, estimate: float) -> str:
        """`` (95% interval a to b)`` for a conclusion, said as what it is an interval of."""
        if not self.has_intervals:
            return ""
        interval = self.conf_int().loc[quantity]
        low, high = float(interval["lower"]), float(interval["upper"])
        span = f"{format_quantity(low, 'share')} to {format_quantity(high, 'share')}"
        if low <= estimate <= high:
            return f" (95% interval {span})"
        model = self.summary().get("model_estimate")
        if model is not None and np.isfinite(model.loc[quantity]):
            return (
                f" (the fitted tail model puts it at "
                f"{format_quantity(float(model.loc[quantity]), 'share')}, 95% interval {span})"
            )
        return f" (a model's 95% interval, {span}, leaves this sample estimate out)"

    def key_figures(self) -> KeyFigures:
        """The Gini coefficient, each top share and each "fewest people making q" share."""
        rows: list[KeyFigure] = [
            KeyFigure("data", "data", self.label, "text", "input"),
            KeyFigure("people", "people (zeros included)", self.n_people, "people"),
            KeyFigure("gini", "Gini coefficient", self.gini, "number"),
        ]
        for row in self.top_shares:
            top = format_quantity(row.top, "share")
            rows.append(
                KeyFigure(
                    f"top_share_{number_key(row.top)}",
                    f"share of the top {top}",
                    row.share,
                    "share",
                )
            )
        for estimate in self.fraction_for_share:
            share = format_quantity(estimate.share, "share")
            rows.append(
                KeyFigure(
                    f"fraction_for_share_{number_key(estimate.share)}",
                    f"fewest people making {share}",
                    estimate.fraction,
                    "share",
                )
            )
        return KeyFigures(tuple(rows))

    def summary(self) -> pd.DataFrame:
        """One row per quantity: estimate, its 95% interval and how it was computed.

        Columns ``estimate`` (the sample's value), ``lower``, ``upper`` (NaN without
        bootstrap), ``interval`` (the method's value, e.g. ``"percentile"``) and
        ``caution`` (empty, or why the interval cannot be trusted); where the Pareto-tail
        model enters the interval, ``model_estimate`` gives the model's value, which the
        sample estimate of a top share falls short of under an infinite variance. A
        Pareto-tail interval belongs to the model: it need not contain the sample's
        estimate.
        """
        frame = self.estimates().to_frame("estimate")
        if self.draws is None:
            frame["lower"] = frame["upper"] = np.nan
            frame["interval"] = "none"
        else:
            frame = frame.join(self.conf_int())
            frame["interval"] = self.interval_method.value
            if self.interval_method is not IntervalMethod.PERCENTILE:
                frame["model_estimate"] = self.model_estimates()
        frame["caution"] = ["; ".join(self.cautions_for(str(q))) for q in frame.index]
        return frame

    def to_dict(self) -> dict[str, object]:
        """JSON data: every scalar field, the estimates and the 95% ``conf_int`` block."""
        skip = {"lorenz", "curve_top", "curve_share", "draws", "tail_model"}
        out = {k: v for k, v in super().to_dict().items() if k not in skip}
        out["interval_method"] = self.interval_method.value
        out["infinite_variance"] = self.infinite_variance
        out["cautions"] = [{"quantity": q, "caution": text} for q, text in self.cautions]
        if self.tail_model is not None:
            out["tail_model"] = self.tail_model.to_dict()
        if self.draws is not None:
            out["conf_int"] = self.conf_int_dict()
        return out

    def conf_int_dict(self, alpha: float = 0.05) -> dict[str, object]:
        """:meth:`conf_int` as JSON data: ``{"alpha": a, "method": m, "intervals":
        {quantity: {"lower": l, "upper": u}}}``."""
        ci = self.conf_int(alpha)
        return {
            "alpha": float(alpha),
            "method": self.interval_method.value,
            "intervals": {
                str(name): {"lower": float(row.lower), "upper": float(row.upper)}
                for name, row in ci.iterrows()
            },
        }


def concentration(
    values: ArrayLike | ValueTable,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
    *,
    top: float | Sequence[float] = DEFAULT_TOP,
    shares: float | Sequence[float] = DEFAULT_SHARES,
    reps: int = 1000,
    seed: SeedLike = DEFAULT_SEED,
    label: str = "values",
    method: IntervalMethod | str = IntervalMethod.AUTO,
    n_jobs: int | None = None,
    client: Any = None,
) -> ConcentrationResult:
    """Measure concentration with bootstrap confidence intervals.

    Parameters
    ----------
    values, counts, weights
        A :class:`~influence_kit.tables.ValueTable` (zeros count as people with
        nothing), or raw values (one per person), or a histogram's values with
        ``counts``, with optional survey ``weights`` (see
        :func:`~influence_kit.tables.value_table`).
    top
        Top fractions whose share of the total is reported.
    shares
        Shares for which the smallest fraction of people holding them is reported.
    reps
        Bootstrap replicates: 0 gives point estimates only, otherwise at least
        :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39).
    seed
        Seed of the bootstrap (rule of :func:`~influence_kit.validation.check_random_state`).
    label
        Name of what is measured (used in tables and plots).
    method
        How intervals are computed (:class:`IntervalMethod` or its value):
        ``"auto"`` (default) uses the envelope of the percentile bootstrap and the
        Pareto-tail model where the table is unweighted, the tail index's 95% interval
        reaches below 4 and a lognormal does not fit the tail significantly better (see
        :mod:`.tail_intervals`); the percentile bootstrap elsewhere, with a caution where
        the tail is heavy.
        ``"percentile"``, ``"pareto_tail"`` and ``"envelope"`` force one; either way
        :meth:`ConcentrationResult.conf_int` can give the others.
    n_jobs, client
        Where the bootstrap chunks run: ``n_jobs`` local processes (``None``:
        in this process) or a ``dask.distributed`` client; see
        :func:`bootstrap`. The intervals are identical either way.

    Returns
    -------
    ConcentrationResult
        Intervals at any level from ``conf_int(alpha)``.

    Warns
    -----
    HeavyTailWarning
        When the intervals computed may not hold: the percentile bootstrap (forced, or
        for a weighted table) where an infinite variance is possible and no lognormal
        tail fits significantly better.

    Examples
    --------
    >>> res = concentration([1, 1, 2, 10], reps=200, seed=1)
    >>> round(res.top_share(0.2).share, 3)  # 0.8 of the top person: 0.8 * 10 / 14
    0.571
    """
    table = value_table(values, counts, weights=weights, name=label)
    check_value_range(label, table.values, table.counts)
    top_arr = check_fractions("top fraction p", top)
    shares_arr = check_fractions("share q", shares)
    reps = check_replicates("reps (--bootstrap-reps)", reps, allow_zero=True)
    seq = check_seed(seed)
    wanted = interval_method(method)
    tail = check_tail(table)
    modelled = not table.weighted and tail.tail_index is not None
    if not modelled and wanted in (IntervalMethod.PARETO_TAIL, IntervalMethod.ENVELOPE):
        raise ParameterError(
            f"{label}: no Pareto-tail interval: "
            + (tail.reason if tail.tail_index is None else "the table is weighted")
        )
    heavy = tail.percentile_unreliable and not tail.lognormal_better
    used = wanted
    if wanted is IntervalMethod.AUTO:
        used = IntervalMethod.ENVELOPE if heavy and modelled else IntervalMethod.PERCENTILE
    point_top = top_share(table, top_arr)
    point_frac = fraction_for_share(table, shares_arr)
    grid = DEFAULT_GRID
    draws = None
    if reps:
        draws = bootstrap(
            table,
            reps=reps,
            top=top_arr,
            shares=shares_arr,
            grid=grid,
            seed=seq,
            n_jobs=n_jobs,
            client=client,
        )
    tail_model = None
    if modelled:
        xmin_range = None
        if reps and (heavy or wanted is not IntervalMethod.AUTO):
            assert tail.xmin is not None  # set with the tail index
            xmin_range = xmin_interval(table, tail.xmin, seq.spawn(1)[0])
        tail_model = ParetoTailModel.from_table(table, tail, xmin_range)
    if (
        draws is not None
        and used is IntervalMethod.PERCENTILE
        and tail.infinite_variance_possible
        and not tail.lognormal_better
    ):
        _warn_heavy_tail(label, tail)  # after any refusal of the work itself
    return ConcentrationResult(
        label=label,
        n_people=float(table.n_observations),
        population=table.population,
        n_distinct=int(table.rows()[0].size),
        total=table.total,
        mean=table.mean,
        gini=gini(table),
        top_shares=tuple(
            ShareEstimate(float(p), float(s)) for p, s in zip(top_arr, point_top, strict=True)
        ),
        fraction_for_share=tuple(
            FractionEstimate(float(q), float(f))
            for q, f in zip(shares_arr, point_frac, strict=True)
        ),
        bootstrap_reps=reps,
        seed=seed_entropy(seq),
        lorenz=lorenz_curve(table),
        curve_top=grid,
        curve_share=top_share(table, grid),
        draws=draws,
        interval_method=used,
        tail=tail,
        tail_model=tail_model,
        cautions=_cautions(
            table.n_observations, top_arr, shares_arr, point_frac, tail, used, table.weighted
        )
        if reps
        else (),
    )


def _cautions(
    n_people: int,
    top: np.ndarray,
    shares: np.ndarray,
    fractions: np.ndarray,
    tail: TailCheck,
    used: IntervalMethod,
    weighted: bool,
) -> tuple[tuple[str, str], ...]:
    """Where the intervals cannot be trusted (see :attr:`ConcentrationResult.cautions`):
    an infinite mean; percentile intervals of a tail too heavy for them (lognormal-like, or
    a weighted table with no tail model); percentile intervals of small top groups (a
    Pareto-tail model extrapolates the top from the whole tail, not from its few members)."""
    out: list[tuple[str, str]] = []
    if used is IntervalMethod.PERCENTILE and tail.percentile_unreliable:
        assert tail.tail_index is not None and tail.tail_index_lower is not None
        index = (
            f"power-law index {format_value(tail.tail_index, 3)}, 95% interval from "
            f"{format_value(tail.tail_index_lower, 3)}"
        )
        if weighted:
            why = "a weighted table, so no tail model widens the intervals"
        elif tail.lognormal_better and tail.lognormal_p is not None:
            why = f"a lognormal fits it better, Vuong p = {format_value(tail.lognormal_p, 2)}"
        else:
            why = "percentile intervals were asked for"
        out.append(
            ("", f"heavy tail ({index}; {why}): percentile intervals can fall short on such tails")
        )
    if tail.tail_index is not None and not tail.finite_mean and not tail.lognormal_better:
        out.append(
            (
                "",
                f"fitted tail index {format_value(tail.tail_index, 3)} is at most 1 (an infinite "
                "mean): under that power law the top shares are 1, so only intervals reaching "
                "that limit hold",
            )
        )
    groups = [(_top_name(p), p, f"the top {format_quantity(p, 'share')}") for p in top]
    groups += [
        (_fraction_name(q), f, f"the fewest people making {format_quantity(q, 'share')}")
        for q, f in zip(shares, fractions, strict=True)
    ]
    if used is not IntervalMethod.PERCENTILE:
        return tuple(out)
    for quantity, fraction, words in groups:
        people = fraction * n_people
        if people < MIN_GROUP_PEOPLE:
            out.append(
                (
                    quantity,
                    f"{words} is {format_quantity(people, 'people')} people of the sample: too few "
                    f"for a reliable interval (fewer than {MIN_GROUP_PEOPLE})",
                )
            )
    return tuple(out)


def _warn_heavy_tail(label: str, tail: TailCheck) -> None:
    """Say that the percentile bootstrap intervals reported may not hold for these data."""
    assert tail.tail_index is not None and tail.tail_index_lower is not None
    warnings.warn(
        f"{label}: fitted tail index {format_value(tail.tail_index, 3)} (95% interval from "
        f"{format_value(tail.tail_index_lower, 3)}): an infinite variance is possible, where "
        "sample top shares are biased (most often short of the population's) and the "
        "percentile intervals reported do not hold (method='envelope' does)",
        HeavyTailWarning,
        stacklevel=3,
    )
