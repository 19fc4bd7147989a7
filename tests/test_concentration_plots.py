"""Plots of concentration results draw titled, labelled axes without computing anything new."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from influence_kit.concentration import (
    calibrate_to_headline,
    concentration,
    segment_consistency,
)
from influence_kit.plots_concentration import (
    FORRESTER_SEGMENTS,
    calibration_curves,
    lorenz_curves,
    segment_bounds,
    who_makes_what,
)


@pytest.fixture(scope="module")
def results():
    rng = np.random.default_rng(0)
    return [
        concentration(rng.zipf(2.0, 3000).astype(float), reps=50, seed=1, label="zipf"),
        concentration(rng.lognormal(0, 1, 3000), reps=0, label="lognormal"),
    ]


def _labelled(ax):
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() is not None
    plt.close(ax.figure)


def test_lorenz_curves(results):
    ax = lorenz_curves(results)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("zipf" in t for t in labels) and any("16%" in t for t in labels)
    assert len(ax.collections) == 1  # one band: only the bootstrapped result has one
    _labelled(ax)
    _labelled(lorenz_curves(results[0], headline=None, band=False))


def test_who_makes_what(results):
    ax = who_makes_what(results)
    assert len(ax.patches) == len(FORRESTER_SEGMENTS) + 2
    _labelled(ax)


def test_calibration_and_segment_plots():
    ax = calibration_curves(calibrate_to_headline(0.16, 0.8))
    assert len(ax.get_lines()) >= 4
    _labelled(ax)
    ax = segment_bounds(segment_consistency())
    assert len(ax.get_yticklabels()) == 4
    _labelled(ax)
