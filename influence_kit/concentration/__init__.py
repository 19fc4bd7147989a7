"""Concentration and calibration: who produces the impressions, and what a headline implies.

* :mod:`.measures`: Lorenz curve, Gini, top-p shares and "p% make q%" on raw
  values or a :class:`~influence_kit.tables.ValueTable` (zeros are people with
  nothing), with optional weights; ties at a boundary are split fractionally
  (:func:`top_group` gives the boundary and the split).
* :mod:`.bootstrap`: seeded, vectorised bootstrap CIs by multinomial resampling
  of the frequency table (cost grows with distinct values, not people);
  :func:`concentration` is the one-call entry point.
* :mod:`.calibration`: closed-form concentration of Pareto, lognormal and
  Weibull, numerical ones for the power law with cutoff and for any
  distribution with an ``isf`` or a ``ccdf`` (the plug-in protocol for fitted
  models), and :func:`calibrate` from a headline "the top p hold q".
* :mod:`.segment_bounds`: bounds on the segments' share of total impressions from
  segment sizes and channel totals (the consistency check of Forrester's figures).

Plots of these results are in :mod:`influence_kit.plots_concentration`.
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
from .calibration import (
    CalibratedFamily,
    CalibrationResult,
    CcdfModel,
    ConcentrationModel,
    CutoffPowerLawModel,
    IsfModel,
    LognormalModel,
    ParetoModel,
    SplicedModel,
    WeibullModel,
    as_model,
    calibrate,
    calibrate_cutoff_power_law,
    calibrate_lognormal,
    calibrate_pareto,
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
from .segment_bounds import SegmentConsistency, segment_consistency

__all__ = [
    "DEFAULT_SHARES",
    "DEFAULT_TOP",
    "BootstrapDraws",
    "CalibratedFamily",
    "CalibrationResult",
    "CcdfModel",
    "ConcentrationModel",
    "ConcentrationResult",
    "CutoffPowerLawModel",
    "FractionEstimate",
    "IsfModel",
    "LognormalModel",
    "LorenzCurve",
    "ParetoModel",
    "SegmentConsistency",
    "ShareEstimate",
    "SplicedModel",
    "TopGroup",
    "WeibullModel",
    "as_model",
    "bootstrap",
    "calibrate",
    "calibrate_cutoff_power_law",
    "calibrate_lognormal",
    "calibrate_pareto",
    "calibrate_weibull",
    "concentration",
    "fraction_for_share",
    "gini",
    "lorenz_curve",
    "segment_consistency",
    "top_curve",
    "top_group",
    "top_share",
]
