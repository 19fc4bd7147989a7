"""The concentration-calibration report's findings: its key figures and its conclusion.

One function gathers what the three analyses of that report found (the headline
calibrated to three families, the segments' share of total impressions, the concentration
of real per-person data) into the figures ``summary.json`` records and the sentences the
report opens with.
"""

from __future__ import annotations

from ..formatting import format_quantity
from ..results import Conclusion, KeyFigure, KeyFigures, key_figures
from .headline_calibration import HeadlineCalibration
from .real_data import DataConcentration
from .segment_bounds import SegmentConsistency

__all__ = ["calibration_findings"]


def calibration_findings(
    calibration: HeadlineCalibration,
    segments: SegmentConsistency | None,
    measured: DataConcentration,
) -> tuple[KeyFigures, Conclusion]:
    """The key figures and the conclusion of the concentration-calibration report.

    Parameters
    ----------
    calibration
        The headline calibrated to the Pareto, lognormal and Weibull families
        (:func:`~influence_kit.concentration.calibrate_to_headline`).
    segments
        The segments' share of total impressions
        (:func:`~influence_kit.concentration.segment_consistency`), ``None`` when the
        scenario does not give both segments and their overlap.
    measured
        The concentration of real data sets at the same headline
        (:func:`~influence_kit.concentration.real_data_concentration`).

    Returns
    -------
    tuple
        :class:`~influence_kit.results.KeyFigures` (keys ``headline_top``,
        ``headline_share``, ``pareto_tail_index``, ``lognormal_sigma``, ``weibull_k``,
        ``top_1pct_share_<family>``, ``top_1pct_ratio``, ``segment_share_lower`` /
        ``central`` / ``upper``, ``data_<i>_gini`` and ``data_<i>_fraction_making_share``)
        and the :class:`~influence_kit.results.Conclusion` (three sentences).
    """
    top, share = calibration.top, calibration.share
    pareto, lognormal, weibull = (
        calibration["pareto"],
        calibration["lognormal"],
        calibration["weibull"],
    )
    rows: list[tuple[object, ...]] = [
        ("headline_top", "headline: top share of adults", top, "share", "published"),
        ("headline_share", "headline: their share of impressions", share, "share", "published"),
        ("pareto_tail_index", "Pareto tail index", pareto.parameters["tail_index"], "number"),
        ("lognormal_sigma", "lognormal sigma", lognormal.parameters["sigma"], "number"),
        ("weibull_k", "Weibull shape k", weibull.parameters["k"], "number"),
        ("top_1pct_share_pareto", "top 1% share, Pareto", pareto.top_1pct_share, "share"),
        (
            "top_1pct_share_lognormal",
            "top 1% share, lognormal",
            lognormal.top_1pct_share,
            "share",
        ),
        ("top_1pct_share_weibull", "top 1% share, Weibull", weibull.top_1pct_share, "share"),
        (
            "top_1pct_ratio",
            "top 1% share, largest / smallest",
            calibration.top_1pct_ratio,
            "number",
        ),
    ]
    if segments is not None:
        rows += [
            (
                f"segment_share_{bound}",
                f"segments' share of impressions, {words}",
                getattr(segments, bound),
                "share",
            )
            for bound, words in (
                ("lower", "lower bound"),
                ("central", "central"),
                ("upper", "upper bound"),
            )
        ]
    fractions: list[tuple[float, str, str]] = []
    for number, result in enumerate(measured.results):
        fraction = result.fraction_for(share).fraction
        fractions.append((fraction, result.label, f"data_{number}_fraction_making_share"))
        rows += [
            (f"data_{number}_gini", f"{result.label}: Gini", result.gini, "number"),
            (
                f"data_{number}_fraction_making_share",
                f"{result.label}: fewest people making the headline share",
                fraction,
                "share",
            ),
        ]
    figures = key_figures(*rows)

    def shown(key: str) -> str:
        figure: KeyFigure = figures.figure(key)
        return figure.text

    headline = f"the top {format_quantity(top, 'share')} hold {format_quantity(share, 'share')}"
    sentences = [
        f'Calibrated to "{headline}", a Pareto, a lognormal and a Weibull distribution give '
        f"the top 1% {shown('top_1pct_share_pareto')}, {shown('top_1pct_share_lognormal')} and "
        f"{shown('top_1pct_share_weibull')} of the total: one headline does not fix how "
        "concentrated the top of the top is."
    ]
    keys = ["top_1pct_share_pareto", "top_1pct_share_lognormal", "top_1pct_share_weibull"]
    if segments is not None:
        sentences.append(
            "The published segments make between "
            f"{shown('segment_share_lower')} and {shown('segment_share_upper')} of total "
            f"impressions (central {shown('segment_share_central')}), depending on how they "
            "rank in each channel."
        )
        keys += ["segment_share_lower", "segment_share_central", "segment_share_upper"]
    if fractions:
        low, high = min(fractions), max(fractions)
        sentences.append(
            f"In real per-person data the fewest people making {format_quantity(share, 'share')} "
            f"range from {format_quantity(low[0], 'share')} ({low[1]}) to "
            f"{format_quantity(high[0], 'share')} ({high[1]}), against the "
            f"{format_quantity(top, 'share')} of the headline."
        )
        keys += [low[2], high[2]] if low[2] != high[2] else [low[2]]
    return figures, Conclusion(tuple(sentences), tuple(keys))
