"""Concentration and calibration: who produces the impressions, and what a headline implies.

* :mod:`.measures`: Lorenz curve, Gini, top-p shares and "p% make q%" on raw
  values or (value, count) frequency tables, with optional weights; ties at a
  boundary are split fractionally.
* :mod:`.bootstrap`: seeded, vectorised bootstrap CIs by multinomial resampling
  of the frequency table (cost grows with distinct values, not people);
  :func:`concentration` is the one-call entry point.
* :mod:`.headline_calibration`: :func:`calibrate_to_headline` finds the Pareto,
  lognormal and Weibull laws (and a power law with cut-off) that reproduce a
  headline "the top p hold q" and what each implies elsewhere.
* :mod:`.spliced`: a fitted tail (any family) joined to the empirical body,
  :func:`splice_fitted_tail`.

The models themselves are the frozen distributions of
:mod:`influence_kit.distributions`: anything satisfying
:class:`~influence_kit.distributions.ConcentrationModel` (``top_share``,
``fraction_for_share``, ``gini``) plugs in.
* :mod:`.forrester`: the consistency check of Forrester's segment figures.
* :mod:`.io`: reading a column of values from a text file (for the CLI).

Plots of these results are in :mod:`influence_kit.plots_concentration`.
"""

from .bootstrap import (
    DEFAULT_SEED,
    DEFAULT_SHARES,
    DEFAULT_TOP,
    BootstrapDraws,
    ConcentrationResult,
    FractionEstimate,
    ShareEstimate,
    bootstrap,
    concentration,
)
from .forrester import SegmentConsistency, segment_consistency, segment_consistency_from_scenario
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
    ConcentrationTable,
    LorenzCurve,
    concentration_table,
    fraction_for_share,
    gini,
    lorenz_curve,
    top_share,
)
from .spliced import SplicedModel, splice_fitted_tail

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_SHARES",
    "DEFAULT_TOP",
    "BootstrapDraws",
    "CalibratedFamily",
    "ConcentrationResult",
    "ConcentrationTable",
    "FractionEstimate",
    "HeadlineCalibration",
    "LorenzCurve",
    "SegmentConsistency",
    "ShareEstimate",
    "SplicedModel",
    "bootstrap",
    "calibrate_cutoff_power_law",
    "calibrate_lognormal",
    "calibrate_pareto",
    "calibrate_to_headline",
    "calibrate_weibull",
    "concentration",
    "concentration_table",
    "fraction_for_share",
    "gini",
    "lorenz_curve",
    "segment_consistency",
    "segment_consistency_from_scenario",
    "splice_fitted_tail",
    "top_share",
]
