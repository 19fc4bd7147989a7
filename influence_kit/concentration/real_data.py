"""Concentration of real per-person data beside a headline and a scenario's segment figures.

:func:`real_data_concentration` measures each column (Gini, the top 1%'s share, the share of
the headline's top fraction, the smallest share of people making the headline share) with
:func:`~influence_kit.concentration.concentration`, and classifies each against the
scenario's segment sizes (:meth:`DataConcentration.classify`): more or less concentrated than
any of them, consistent with one (inside the interval), or within their range but outside
the interval. :func:`family_check` asks whether a "p% make q%" figure, read off each data set
and calibrated to the Pareto, lognormal and Weibull laws, predicts its top 1%.

The helpers :func:`interval_bounds`, :func:`interval_note` and :func:`format_estimate` give a
result's interval at a confidence level, how it was computed, and an estimate with its
interval in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..errors import ParameterError
from ..formatting import escape_markdown, format_fixed, format_number, format_percent
from ..results import KeyFigures, Result, key_figures
from ..validation import SeedLike, check_share
from .bootstrap import ConcentrationResult, concentration
from .headline_calibration import calibrate_to_headline
from .tail_intervals import IntervalMethod

#: The top fraction every data set reports beside the headline's: the top 1%.
TOP_ONE_PERCENT = 0.01

#: Further top fractions measured for the plots (the top fifth of the 80/20 rule).
EXTRA_TOPS: tuple[float, ...] = (0.2,)

#: Shares for which the smallest share of people holding them is measured, beside the
#: headline's (half of the total).
EXTRA_SHARES: tuple[float, ...] = (0.5,)

#: Classes of :meth:`DataConcentration.classify`.
MORE_CONCENTRATED = "more_concentrated"
LESS_CONCENTRATED = "less_concentrated"
CONSISTENT = "consistent"
WITHIN_RANGE = "within_range"


def interval_bounds(
    result: ConcentrationResult, quantity: str, confidence: float = 0.95
) -> tuple[float, float] | None:
    """The ``(lower, upper)`` interval of ``quantity`` at ``confidence``, ``None`` without
    bootstrap replicates (``quantity`` is a row of ``result.conf_int()``, e.g.
    ``result.fraction_for(0.8).quantity``)."""
    if not result.has_intervals:
        return None
    level = check_share("confidence", confidence, closed=False)
    row = result.conf_int(1.0 - level).loc[quantity]
    return float(row["lower"]), float(row["upper"])


def interval_note(result: ConcentrationResult) -> str:
    """How a result's intervals were computed, and whether they can be trusted.

    The method's name (``percentile``, ``none``), except where the fitted tail may have an
    infinite variance (the tail index's interval reaches below 2): ``envelope (tail index
    1.51: infinite variance possible)`` or ``Pareto-tail model (...)`` when the model enters
    the intervals, ``percentile (tail index 1.83, lognormal-like)`` when a lognormal fits the
    tail better, ``percentile, unreliable (...)`` when the percentile bootstrap was forced.
    """
    tail = result.tail
    method = result.interval_method
    if tail is None or tail.tail_index is None or not tail.percentile_unreliable:
        return str(method.value)
    index = f"tail index {format_fixed(tail.tail_index, 2)}"
    if method is IntervalMethod.ENVELOPE:
        risk = "infinite variance" if tail.infinite_variance_possible else "heavy tail"
        return f"envelope ({index}: {risk} possible)"
    if method is IntervalMethod.PARETO_TAIL:
        return f"Pareto-tail model ({index})"
    if tail.lognormal_better:
        return f"percentile ({index}, lognormal-like tail)"
    return f"percentile, unreliable ({index}: infinite variance possible)"


def format_estimate(estimate: float, bounds: tuple[float, float] | None = None) -> str:
    """A share and its interval in words: ``14.2% (13.5% to 15.0%)``, or ``14.2%``."""
    text = format_percent(estimate, 1)
    if bounds is None:
        return text
    return f"{text} ({format_percent(bounds[0], 1)} to {format_percent(bounds[1], 1)})"


@dataclass(frozen=True)
class SegmentClassification:
    """How one data set's "share of people making q" compares with the segment sizes.

    ``verdict`` is one of :data:`MORE_CONCENTRATED` (its interval lies below every segment
    size), :data:`LESS_CONCENTRATED` (above every one), :data:`CONSISTENT` (``segment`` lies
    inside the interval; the first such, in the reference's order) or :data:`WITHIN_RANGE`
    (between them but none inside; ``segment`` is the nearest), or ``None`` without an
    interval or without segment sizes.
    """

    label: str
    fraction: float
    lower: float | None
    upper: float | None
    verdict: str | None
    segment: str | None = None
    segment_size: float | None = None


@dataclass(frozen=True, eq=False)
class DataConcentration(Result):
    """Concentration of several real data sets, beside a headline and segment sizes.

    Attributes
    ----------
    results
        One :class:`~influence_kit.concentration.ConcentrationResult` per data set.
    top, share
        The headline: the top ``top`` of people hold ``share``.
    reference
        Segment label -> its size (share of people making ``share`` of its channel), e.g.
        :func:`influence_kit.plots.concentration.published_segments`.
    confidence
        Level of the intervals reported.
    """

    results: tuple[ConcentrationResult, ...]
    top: float
    share: float
    reference: dict[str, float]
    confidence: float

    def bounds(self, result: ConcentrationResult, quantity: str) -> tuple[float, float] | None:
        """:func:`interval_bounds` at this comparison's confidence."""
        return interval_bounds(result, quantity, self.confidence)

    def classify(self, result: ConcentrationResult) -> SegmentClassification:
        """Set one data set's share of people making :attr:`share` beside the segment sizes."""
        est = result.fraction_for(self.share)
        ci = self.bounds(result, est.quantity)
        lower, upper = ci if ci is not None else (None, None)
        if not self.reference or ci is None:
            return SegmentClassification(result.label, est.fraction, lower, upper, None)
        if ci[1] < min(self.reference.values()):
            return SegmentClassification(
                result.label, est.fraction, lower, upper, MORE_CONCENTRATED
            )
        if ci[0] > max(self.reference.values()):
            return SegmentClassification(
                result.label, est.fraction, lower, upper, LESS_CONCENTRATED
            )
        inside = [name for name, size in self.reference.items() if ci[0] <= size <= ci[1]]
        if inside:
            name, verdict = inside[0], CONSISTENT
        else:
            name = min(self.reference, key=lambda n: abs(self.reference[n] - est.fraction))
            verdict = WITHIN_RANGE
        return SegmentClassification(
            result.label, est.fraction, lower, upper, verdict, name, self.reference[name]
        )

    @property
    def classifications(self) -> tuple[SegmentClassification, ...]:
        """:meth:`classify` of every data set, in order."""
        return tuple(self.classify(r) for r in self.results)

    def table(self) -> pd.DataFrame:
        """The display table: per data set, people, Gini, the top 1%'s and the headline top's
        shares and the share of people making the headline share, each with its interval in
        words, and how the intervals were computed."""
        rows = []
        top_column = f"top {format_number(self.top, 3)} hold"
        share_column = f"share of people making {format_percent(self.share)}"
        for r in self.results:
            top1, top_h = r.top_share(TOP_ONE_PERCENT), r.top_share(self.top)
            making = r.fraction_for(self.share)
            rows.append(
                {
                    "data": r.label,
                    "people": int(r.n_people),
                    "Gini": format_estimate(r.gini, self.bounds(r, "gini")),
                    "top 1% hold": format_estimate(top1.share, self.bounds(r, top1.quantity)),
                    top_column: format_estimate(top_h.share, self.bounds(r, top_h.quantity)),
                    share_column: format_estimate(making.fraction, self.bounds(r, making.quantity)),
                    "intervals": interval_note(r),
                }
            )
        return pd.DataFrame(rows).set_index("data")

    def summary(self) -> pd.DataFrame:
        """Numbers per data set: people, Gini, the top 1%'s share, the headline top's share
        and the share of people making the headline share (each with ``_lower``/``_upper``),
        the interval note and the classification against the segment sizes."""
        rows = []
        for r, c in zip(self.results, self.classifications, strict=True):
            row: dict[str, Any] = {"data": r.label, "people": int(r.n_people)}
            for name, value, quantity in (
                ("gini", r.gini, "gini"),
                ("top_1pct_share", *_share(r, TOP_ONE_PERCENT)),
                ("top_share", *_share(r, self.top)),
                ("fraction_making_share", c.fraction, r.fraction_for(self.share).quantity),
            ):
                ci = self.bounds(r, quantity)
                row[name] = value
                row[f"{name}_lower"], row[f"{name}_upper"] = ci if ci else (np.nan, np.nan)
            row["intervals"] = interval_note(r)
            row["classification"] = c.verdict
            row["segment"] = c.segment
            rows.append(row)
        return pd.DataFrame(rows).set_index("data")

    def describe(self) -> str:
        """One Markdown bullet per data set: the share of people making :attr:`share`, its
        interval, a caution on infinite variance, and the classification."""
        lines = []
        for r, c in zip(self.results, self.classifications, strict=True):
            text = (
                f"* **{escape_markdown(r.label)}**: {format_percent(c.fraction, 1)} of people "
                f"make {format_percent(self.share)}"
            )
            if c.lower is not None and c.upper is not None:
                text += (
                    f" ({format_percent(self.confidence)} CI {format_percent(c.lower, 1)} to "
                    f"{format_percent(c.upper, 1)})"
                )
            if r.tail is not None and r.tail.percentile_unreliable:
                text += f" [{escape_markdown(interval_note(r))}]"
            for caution in r.cautions_for(r.fraction_for(self.share).quantity):
                text += f" (caution: {escape_markdown(caution)})"
            text += _verdict_words(c)
            lines.append(text + ".")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The headline, confidence, segment sizes and one record per data set."""
        return {
            "top": self.top,
            "share": self.share,
            "confidence": self.confidence,
            "reference": dict(self.reference),
            "data": self.summary().reset_index().to_dict(orient="records"),
        }

    def key_figures(self) -> KeyFigures:
        """``data_fraction_making_share.<label>`` and ``data_gini.<label>`` per data set."""
        rows: list[tuple[Any, ...]] = [
            (
                f"data_fraction_making_share.{r.label}",
                f"{r.label}: share of people making {format_percent(self.share)}",
                r.fraction_for(self.share).fraction,
                "share",
            )
            for r in self.results
        ]
        rows += [
            (f"data_gini.{r.label}", f"{r.label}: Gini coefficient", r.gini, "number")
            for r in self.results
        ]
        return key_figures(*rows)


def _share(result: ConcentrationResult, top: float) -> tuple[float, str]:
    estimate = result.top_share(top)
    return estimate.share, estimate.quantity


def _verdict_words(c: SegmentClassification) -> str:
    if c.verdict == MORE_CONCENTRATED:
        return ": more concentrated than any of the scenario's segment figures"
    if c.verdict == LESS_CONCENTRATED:
        return ": less concentrated than any of the scenario's segment figures"
    if c.verdict is None or c.segment is None or c.segment_size is None:
        return ""
    size = format_percent(c.segment_size, 1)
    if c.verdict == CONSISTENT:
        return f": consistent with {escape_markdown(c.segment)} ({size})"
    return (
        f": within the range of the segment figures, nearest {escape_markdown(c.segment)} "
        f"({size}) but outside the interval"
    )


def real_data_concentration(
    columns: Mapping[str, ArrayLike],
    *,
    top: float,
    share: float,
    reference: Mapping[str, float] | None = None,
    reps: int = 2000,
    seed: SeedLike = None,
    confidence: float = 0.95,
) -> DataConcentration:
    """Measure the concentration of each data set and classify it against segment sizes.

    Each column goes through :func:`~influence_kit.concentration.concentration` with the
    top fractions 1%, ``top``, the segment sizes and :data:`EXTRA_TOPS`, and the shares
    ``share`` and :data:`EXTRA_SHARES`, with ``reps`` bootstrap replicates and the same
    ``seed``.

    Parameters
    ----------
    columns
        Label -> one value per person (e.g. votes cast per user).
    top, share
        The headline "the top ``top`` hold ``share``".
    reference
        Segment label -> its size (default none: no classification).
    reps, seed
        Bootstrap replicates and seed of every interval.
    confidence
        Level of the intervals reported.

    Raises
    ------
    ParameterError
        If no column is given or an argument is out of range.
    """
    if not columns:
        raise ParameterError("columns must hold at least one data set")
    top = check_share("top", top, closed=False)
    share = check_share("share", share, closed=False)
    confidence = check_share("confidence", confidence, closed=False)
    sizes = {str(k): float(v) for k, v in (reference or {}).items()}
    tops = sorted({TOP_ONE_PERCENT, *sizes.values(), top, *EXTRA_TOPS})
    results = tuple(
        concentration(
            np.asarray(values, dtype=float),
            top=tops,
            shares=(*EXTRA_SHARES, share),
            reps=reps,
            seed=seed,
            label=str(label),
        )
        for label, values in columns.items()
    )
    return DataConcentration(results, top, share, sizes, confidence)


@dataclass(frozen=True, eq=False)
class FamilyCheck(Result):
    """Does a "p% make q%" figure predict the top 1%? One row per data set.

    Each data set's own share of its top ``top`` is taken as a headline, the Pareto,
    lognormal and Weibull laws are calibrated to it
    (:func:`~influence_kit.concentration.calibrate_to_headline`), and what each predicts for
    the top 1% is set beside the observed share and its interval.

    Attributes
    ----------
    labels
        The data sets.
    top
        The top fraction of the headline.
    headline_share
        Each data set's share held by its top ``top``.
    predicted
        Family -> its predicted top-1% share per data set (NaN where the data set's own
        share is not above ``top``: no concentrated law reproduces it).
    observed, observed_lower, observed_upper
        The observed top-1% share and its interval (NaN without one).
    confidence
        Level of the intervals.
    """

    labels: tuple[str, ...]
    top: float
    headline_share: np.ndarray
    predicted: dict[str, np.ndarray]
    observed: np.ndarray
    observed_lower: np.ndarray
    observed_upper: np.ndarray
    confidence: float

    @property
    def hits(self) -> dict[str, int]:
        """Family -> data sets whose observed interval contains its prediction."""
        return {
            family: int(np.sum((values >= self.observed_lower) & (values <= self.observed_upper)))
            for family, values in self.predicted.items()
        }

    def summary(self) -> pd.DataFrame:
        """One row per data set: the headline share, each family's prediction, the observed
        top-1% share and its interval."""
        frame = pd.DataFrame(
            {f"top {format_number(self.top, 3)} hold (headline)": self.headline_share},
            index=pd.Index(list(self.labels), name="data"),
        )
        for family, values in self.predicted.items():
            frame[f"{family} predicts"] = values
        frame["observed top 1%"] = self.observed
        frame["observed CI low"] = self.observed_lower
        frame["observed CI high"] = self.observed_upper
        return frame

    def describe(self) -> str:
        """One Markdown paragraph: how many intervals contain each family's prediction, and
        whether any family is right everywhere."""
        n = len(self.labels)
        counts = ", ".join(
            f"{escape_markdown(family)} {hits} of {n}" for family, hits in self.hits.items()
        )
        everywhere = [family for family, hits in self.hits.items() if hits == n]
        if everywhere:
            tail = (
                f". {escape_markdown(everywhere[0])} is right for every data set here; other "
                "data may still need another shape, so the top of the top has to be measured."
            )
        else:
            tail = (
                ". No single family is right everywhere: which shape fits the top of the top "
                "has to be measured, not read off a headline."
            )
        return (
            "Number of datasets whose observed top-1% share interval contains each family's "
            f"prediction: {counts}{tail}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The top fraction, confidence, hits and one record per data set."""
        return {
            "top": self.top,
            "confidence": self.confidence,
            "hits": self.hits,
            "data": self.summary().reset_index().to_dict(orient="records"),
        }

    def key_figures(self) -> KeyFigures:
        """``hits.<family>``: data sets whose observed interval contains the prediction."""
        return key_figures(
            *(
                (
                    f"hits.{family}",
                    f"{family}: predictions inside the observed interval",
                    n,
                    "count",
                )
                for family, n in self.hits.items()
            )
        )


def family_check(
    results: tuple[ConcentrationResult, ...] | list[ConcentrationResult],
    *,
    top: float,
    confidence: float = 0.95,
) -> FamilyCheck:
    """Calibrate the families to each data set's own "top ``top`` hold q" and compare their
    top-1% predictions with the observed top 1% (see :class:`FamilyCheck`).

    Every result must have measured the top fractions ``top`` and 1% (as
    :func:`real_data_concentration` does).

    Raises
    ------
    ParameterError
        If no result is given, or a result lacks one of the two top fractions.
    """
    if not results:
        raise ParameterError("results must hold at least one data set")
    top = check_share("top", top, closed=False)
    confidence = check_share("confidence", confidence, closed=False)
    n = len(results)
    headline = np.array([r.top_share(top).share for r in results])
    observed = np.array([r.top_share(TOP_ONE_PERCENT).share for r in results])
    lower, upper = np.full(n, np.nan), np.full(n, np.nan)
    predicted: dict[str, np.ndarray] = {}
    for i, r in enumerate(results):
        ci = interval_bounds(r, r.top_share(TOP_ONE_PERCENT).quantity, confidence)
        if ci is not None:
            lower[i], upper[i] = ci
        if headline[i] <= top:  # no more concentrated than equality: nothing to calibrate
            continue
        for fam in calibrate_to_headline(top, float(headline[i])).families:
            predicted.setdefault(fam.family, np.full(n, np.nan))[i] = fam.top_1pct_share
    return FamilyCheck(
        labels=tuple(r.label for r in results),
        top=top,
        headline_share=headline,
        predicted=predicted,
        observed=observed,
        observed_lower=lower,
        observed_upper=upper,
        confidence=confidence,
    )
