"""Plots of fitting results: they draw, label and title without computing anything new."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from influence_kit.distributions import PowerLaw
from influence_kit.fitting import fit_all
from influence_kit.plots.fitting import ccdf_with_fits, fit_diagnostics


def _report(gof: int, xmin=None):
    x = PowerLaw(2.0, True).sample(3000, [2.4], np.random.default_rng(5))
    return fit_all(x, discrete=True, xmin=xmin, gof_replicates=gof, seed=1, n_jobs=1)


def test_ccdf_with_fits_draws_every_curve():
    report = _report(0)
    ax = ccdf_with_fits(report)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "data"
    assert any(label.startswith("power law, α") for label in labels)
    assert "lognormal" in labels and "power law + cut-off" in labels
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() == "P(X ≥ x)"
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    plt.close("all")


def test_fit_diagnostics_panels_with_and_without_bootstrap():
    fig = fit_diagnostics(_report(39))
    assert len(fig.axes) == 4
    assert all(ax.get_title() and ax.get_xlabel() for ax in fig.axes)
    fig = fit_diagnostics(_report(0, xmin=2))
    assert "not run" in fig.axes[3].get_title()
    plt.close("all")
