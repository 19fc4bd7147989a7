"""Does a survey of a given size support the digits of the published segment shares?

A share printed with one decimal (6.2%) claims to be known to half a unit of that decimal
(+-0.05 points). :func:`survey_precision` sets the half-widths of a segmentation's bootstrap
intervals beside that resolution: when an interval is wider, the published figure is more
precise than the sample behind it supports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import ParameterError
from ..results import KeyFigures, Result, key_figures
from ..validation import check_int
from .segmentation import SEGMENTS, Segmentation

#: Segments whose published shares :func:`survey_precision` judges by default: the Mass
#: Connectors and the Mass Mavens, the two segments defined directly (the overlap and the
#: union follow from them).
PRECISION_SEGMENTS: tuple[str, ...] = ("mass_connectors", "mass_mavens")

#: The verdict when every interval is at most the published resolution, and otherwise.
SUPPORTED = "supported"
NOT_SUPPORTED = "more precise than its sample supports"


@dataclass(frozen=True)
class SurveyPrecision(Result):
    """How precisely a survey pins the segments' shares of adults down.

    Attributes
    ----------
    segments
        The segments judged, in order.
    estimate, low, high
        Segment -> share of adults and its bootstrap interval (``ci_level``).
    survey_size
        Rows of the segmented table (respondents).
    n_boot, ci_level
        Bootstrap replicates and coverage of the intervals.
    decimals
        Decimals of the published percentages (1: ``6.2%``).
    """

    segments: tuple[str, ...]
    estimate: dict[str, float]
    low: dict[str, float]
    high: dict[str, float]
    survey_size: int
    n_boot: int
    ci_level: float
    decimals: int

    @property
    def half_width(self) -> dict[str, float]:
        """Segment -> half the width of its interval (a share: 0.01 is one point)."""
        return {s: (self.high[s] - self.low[s]) / 2.0 for s in self.segments}

    @property
    def resolution(self) -> float:
        """Half a unit of the last printed digit, as a share (one decimal: 0.0005)."""
        return 0.5 * 10.0 ** (-self.decimals) / 100.0

    @property
    def supported(self) -> bool:
        """Whether no interval is wider than the published resolution."""
        return max(self.half_width.values()) <= self.resolution

    @property
    def verdict(self) -> str:
        """:data:`SUPPORTED` or :data:`NOT_SUPPORTED` (reads: the published figures are ...)."""
        return SUPPORTED if self.supported else NOT_SUPPORTED

    def summary(self) -> pd.DataFrame:
        """One row per segment: estimate, interval, half-width and the published resolution."""
        half = self.half_width
        return pd.DataFrame(
            {
                "estimate": [self.estimate[s] for s in self.segments],
                "low": [self.low[s] for s in self.segments],
                "high": [self.high[s] for s in self.segments],
                "half_width": [half[s] for s in self.segments],
                "resolution": self.resolution,
            },
            index=pd.Index(list(self.segments), name="segment"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Settings, the per-segment rows, the resolution and the verdict."""
        return {
            "survey_size": self.survey_size,
            "n_boot": self.n_boot,
            "ci_level": self.ci_level,
            "decimals": self.decimals,
            "resolution": self.resolution,
            "segments": {
                s: {
                    "estimate": self.estimate[s],
                    "low": self.low[s],
                    "high": self.high[s],
                    "half_width": self.half_width[s],
                }
                for s in self.segments
            },
            "supported": self.supported,
            "verdict": self.verdict,
        }

    def key_figures(self) -> KeyFigures:
        """``survey_size``, ``<segment>_half_width`` per segment and ``verdict``."""
        rows: list[tuple[Any, ...]] = [
            ("survey_size", "respondents", self.survey_size, "count", "input")
        ]
        rows += [
            (
                f"{s}_half_width",
                f"half-width of the {s.replace('_', ' ')} share's interval",
                self.half_width[s],
                "share",
            )
            for s in self.segments
        ]
        rows.append(("verdict", "the published figures are", self.verdict, "text", "verdict"))
        return key_figures(*rows)


def survey_precision(
    survey: Segmentation,
    *,
    segments: Sequence[str] = PRECISION_SEGMENTS,
    decimals: int = 1,
) -> SurveyPrecision:
    """Judge published segment shares against a survey-sized segmentation's intervals.

    The published shares are printed as percentages with ``decimals`` decimals, so they
    claim a resolution of half a unit of the last digit (one decimal: +-0.05 points). They
    are *supported* when every judged segment's bootstrap interval (of its share of adults)
    has a half-width at most that resolution, and *more precise than the sample supports*
    otherwise.

    Parameters
    ----------
    survey
        A segmentation of a survey-sized table, with bootstrap intervals (``n_boot`` > 0),
        e.g. :func:`~influence_kit.segments.segment_people` of a sample of the synthetic
        panel as large as the survey.
    segments
        The segments whose published shares are judged (default the Mass Connectors and
        the Mass Mavens).
    decimals
        Decimals of the published percentages (negative: rounded to tens, ...).

    Returns
    -------
    SurveyPrecision

    Raises
    ------
    ParameterError
        If the segmentation has no intervals, no or an unknown segment is named, or
        ``decimals`` is not a whole number.
    """
    decimals = check_int("decimals", decimals, minimum=-6, maximum=12)
    names = tuple(segments)
    if not names:
        raise ParameterError("segments must name at least one segment")
    unknown = [s for s in names if s not in SEGMENTS]
    if unknown:
        raise ParameterError(f"unknown segment {unknown[0]!r} (known: {', '.join(SEGMENTS)})")
    if survey.n_boot == 0:
        raise ParameterError("the segmentation has no intervals: segment it with n_boot > 0")
    estimate, low, high = {}, {}, {}
    for s in names:
        bounds = survey.interval(s, "share_of_adults")
        if bounds is None:  # all_adults: its share of adults is 1 by definition
            raise ParameterError(f"the segmentation has no interval of {s!r}'s share of adults")
        estimate[s] = float(survey.segments["share_of_adults"].loc[s])
        low[s], high[s] = bounds
    return SurveyPrecision(
        segments=names,
        estimate=estimate,
        low=low,
        high=high,
        survey_size=survey.n_people,
        n_boot=survey.n_boot,
        ci_level=survey.ci_level,
        decimals=decimals,
    )
