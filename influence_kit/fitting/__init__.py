"""Heavy-tailed distribution fitting after Clauset, Shalizi & Newman (2009).

* every function takes raw values, ``(values, counts)`` or a
  :class:`~influence_kit.tables.ValueTable` (zeros counted apart, never fitted);
* :func:`scan_xmin`: exact minimum-KS choice of ``xmin`` (branch-and-bound);
* :func:`fit_power_law`: the power-law MLE with its standard error;
* :class:`PowerLawFitter`: the estimator (``fit`` / ``goodness_of_fit`` /
  ``bootstrap`` / ``compare`` / ``report``);
* :func:`fit_all`: everything in one call, returning a :class:`HeavyTailReport`
  with the paper's verdict (good / moderate / with cut-off / none);
* every fit gives its frozen law (``PowerLawFitter.distribution_``,
  ``report.frozen(family)``), which the concentration measures accept; ``alpha`` is
  the density exponent (the Pareto tail index is ``alpha - 1``);
"""

from __future__ import annotations

from .bootstrap import bootstrap_uncertainty, goodness_of_fit
from .compare import Comparison, compare_loglik, verdict
from .estimator import ALTERNATIVES, PowerLawFitter, fit_all, fit_family
from .power_law_fit import FitSettings, fit_power_law, fit_table
from .results import FamilyFit, GoodnessOfFit, HeavyTailReport, PowerLawFit, Uncertainty
from .xmin import MIN_TAIL, XminScan, ks_distance, scan_xmin

__all__ = [
    "ALTERNATIVES",
    "MIN_TAIL",
    "Comparison",
    "FamilyFit",
    "FitSettings",
    "GoodnessOfFit",
    "HeavyTailReport",
    "PowerLawFit",
    "PowerLawFitter",
    "Uncertainty",
    "XminScan",
    "bootstrap_uncertainty",
    "compare_loglik",
    "fit_all",
    "fit_family",
    "fit_power_law",
    "fit_table",
    "goodness_of_fit",
    "ks_distance",
    "scan_xmin",
    "verdict",
]
