"""Concentration and calibration: who produces the impressions, and what a headline implies.

* :mod:`.measures`: Lorenz curve, Gini, top-p shares and "p% make q%" on raw
  values or a :class:`~influence_kit.tables.ValueTable` (zeros are people with
  nothing), with optional weights; ties at a boundary are split fractionally
  (:func:`top_group` gives the boundary and the split).
* :mod:`.bootstrap`: seeded, vectorised bootstrap CIs by multinomial resampling
  of the frequency table (cost grows with distinct values, not people);
  :func:`concentration` is the one-call entry point.
* :mod:`.tail_intervals`: :func:`check_tail` (is the tail's variance infinite?) and
  :class:`ParetoTailModel`, the interval that holds where the percentile bootstrap
  does not (``concentration(..., method="pareto_tail")``, chosen by ``"auto"``).
* :mod:`.headline_calibration`: :func:`calibrate_to_headline` finds the Pareto,
  lognormal and Weibull laws (and a power law with cut-off) that reproduce a
  headline "the top p hold q" and what each implies elsewhere.
* :mod:`.spliced`: a fitted tail (any family) joined to the empirical body,
  :func:`splice_fitted_tail`.
* :mod:`.segment_bounds`: bounds on the segments' share of total impressions from
  segment sizes and channel totals (the consistency check of Forrester's figures).
* :mod:`.real_data`: :func:`real_data_concentration` measures real per-person data and
  classifies each data set against a scenario's segment sizes; :func:`family_check` asks
  whether a "p% make q%" figure predicts the data's top 1%.

The models themselves are the frozen distributions of
:mod:`influence_kit.distributions`: anything satisfying
:class:`~influence_kit.distributions.ConcentrationModel` (``top_share``,
``fraction_for_share``, ``gini``) plugs in.

Plots of these results are in :mod:`influence_kit.plots.concentration`.
"""

from .bootstrap import (
    DEFAULT_SHARES,
    DEFAULT_TOP,
    BootstrapDraws,
    ConcentrationResult,
    FractionEstimate,
    ShareEstimate,
    bootstrap,
    concentration,
)
from .findings import calibration_findings
from .headline_calibration import (
    CalibratedFamily,
    HeadlineCalibration,
    calibrate_cutoff_power_law,
    calibrate_lognormal,
    calibrate_pareto,
    calibrate_to_headline,
    calibrate_weibull,
)
from .measures import (
    LorenzCurve,
    TopGroup,
    fraction_for_share,
    gini,
    lorenz_curve,
    top_curve,
    top_group,
    top_share,
)
from .real_data import (
    DataConcentration,
    FamilyCheck,
    SegmentClassification,
    family_check,
    format_estimate,
    interval_bounds,
    interval_note,
    real_data_concentration,
)
from .segment_bounds import SegmentConsistency, segment_consistency
from .spliced import SplicedModel, splice_fitted_tail
from .tail_intervals import (
    INFINITE_VARIANCE_TAIL_INDEX,
    IntervalMethod,
    ParetoTailModel,
    TailCheck,
    check_tail,
)

__all__ = [
    "DEFAULT_SHARES",
    "DEFAULT_TOP",
    "INFINITE_VARIANCE_TAIL_INDEX",
    "BootstrapDraws",
    "CalibratedFamily",
    "ConcentrationResult",
    "DataConcentration",
    "FamilyCheck",
    "FractionEstimate",
    "HeadlineCalibration",
    "IntervalMethod",
    "LorenzCurve",
    "ParetoTailModel",
    "SegmentClassification",
    "SegmentConsistency",
    "ShareEstimate",
    "SplicedModel",
    "TailCheck",
    "TopGroup",
    "bootstrap",
    "calibrate_cutoff_power_law",
    "calibrate_lognormal",
    "calibrate_pareto",
    "calibrate_to_headline",
    "calibrate_weibull",
    "calibration_findings",
    "check_tail",
    "concentration",
    "family_check",
    "format_estimate",
    "fraction_for_share",
    "gini",
    "interval_bounds",
    "interval_note",
    "lorenz_curve",
    "real_data_concentration",
    "segment_consistency",
    "splice_fitted_tail",
    "top_curve",
    "top_group",
    "top_share",
]
