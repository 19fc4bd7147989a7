"""Sensitivity analysis of the headline, above all on readers per post.

One module per method, each a plain function returning a frozen results object
(``summary()``, ``to_dict()``, HTML repr; ``conf_int()`` where there is uncertainty); plots are in
:mod:`influence_kit.plots.sensitivity`.

* :func:`sweep_readers_per_post` (:mod:`.sweep`): one-way sweep, overall or per post type;
* :func:`breakevens` and friends (:mod:`.breakeven`): exact break-even readers per post;
* :func:`tornado` (:mod:`.tornado`): one-at-a-time low/high bars, sorted by swing;
* :func:`spider` (:mod:`.spider`): output against each input's percentile or % change;
* :func:`monte_carlo` (:mod:`.montecarlo`): seeded, vectorised propagation of the
  scenario's distributions;
* :func:`sobol`, :func:`sobol_analytic` (:mod:`.sobol`): Sobol indices via SALib, and
  their closed form for the bilinear total;
* :func:`threshold_sweep`, :func:`segment_readers_sweep` (:mod:`.person_level`): the person-level
  figures (Mass Connector / Maven shares, who makes the total) against the 80%
  threshold and readers per post, on a person table such as the synthetic panel;
* :func:`sensitivity_report` (:mod:`.report`): all of the above for the CLI and notebook,
  with a plain-language :func:`conclusion`; :func:`segment_sensitivity` the person-level
  figures at three thresholds and three readers per post, with theirs.

Distributions of the inputs are resolved by :mod:`.marginals`.
"""

from ._common import readers_range
from .breakeven import (
    BreakEven,
    BreakEvens,
    breakeven_posts_equal_network,
    breakeven_share,
    breakeven_total,
    breakevens,
)
from .marginals import Marginal, marginal
from .montecarlo import MonteCarloResult, monte_carlo
from .person_level import (
    ReadersSweepResult,
    ThresholdSweepResult,
    segment_readers_sweep,
    threshold_sweep,
)
from .report import (
    SegmentSensitivity,
    SensitivityReport,
    conclusion,
    segment_sensitivity,
    sensitivity_report,
)
from .sobol import SobolResult, sobol, sobol_analytic
from .spider import SpiderResult, spider
from .sweep import SweepResult, sweep_readers_per_post, sweep_values
from .tornado import TornadoBar, TornadoResult, tornado

__all__ = [
    "BreakEven",
    "BreakEvens",
    "Marginal",
    "MonteCarloResult",
    "ReadersSweepResult",
    "SegmentSensitivity",
    "SensitivityReport",
    "SobolResult",
    "SpiderResult",
    "SweepResult",
    "ThresholdSweepResult",
    "TornadoBar",
    "TornadoResult",
    "breakeven_posts_equal_network",
    "breakeven_share",
    "breakeven_total",
    "breakevens",
    "conclusion",
    "marginal",
    "monte_carlo",
    "readers_range",
    "segment_readers_sweep",
    "segment_sensitivity",
    "sensitivity_report",
    "sobol",
    "sobol_analytic",
    "spider",
    "sweep_readers_per_post",
    "sweep_values",
    "threshold_sweep",
    "tornado",
]
