"""Plots of concentration results draw titled, labelled axes without computing anything new."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from influence_kit import load_scenario
from influence_kit.concentration import calibrate_to_headline, concentration
from influence_kit.plots.concentration import (
    calibration_curves,
    lorenz_curves,
    published_segments,
    segment_bounds,
    who_makes_what,
)
from influence_kit.segments import published_headline, segment_consistency_from_scenario


@pytest.fixture(scope="module")
def scenario(default_scenario_path):
    return load_scenario(default_scenario_path)


@pytest.fixture(scope="module")
def results():
    rng = np.random.default_rng(0)
    return [
        concentration(
            rng.zipf(2.0, 3000).astype(float), shares=[0.8], reps=50, seed=1, label="zipf"
        ),
        concentration(rng.lognormal(0, 1, 3000), shares=[0.8], reps=0, label="lognormal"),
    ]


def _labelled(ax):
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() is not None
    plt.close(ax.figure)


def test_lorenz_curves(results, scenario):
    assert published_headline(scenario) == (0.16, 0.8)
    ax = lorenz_curves(results, headline=published_headline(scenario))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("zipf" in t for t in labels) and any("16%" in t for t in labels)
    assert len(ax.collections) == 1  # one band: only the bootstrapped result has one
    _labelled(ax)
    _labelled(lorenz_curves(results[0], headline=None, band=False))


def test_who_makes_what(results, scenario):
    reference = published_segments(scenario)
    assert list(reference.values()) == pytest.approx([0.062, 0.138, 0.163])
    assert all(k.startswith(scenario.name) for k in reference)
    ax = who_makes_what(results, share=0.8, reference=reference)
    assert len(ax.patches) == len(reference) + 2
    _labelled(ax)
    ax = who_makes_what(results, share=0.8)
    assert len(ax.patches) == 2
    # the interval is drawn from its lower to its upper end, wherever the estimate lies
    (segment,) = ax.collections[0].get_segments()
    lower, upper = results[0].conf_int().loc["fraction holding 0.8"]
    assert segment[:, 0] == pytest.approx([lower, upper])
    _labelled(ax)


def test_calibration_and_segment_plots(scenario):
    ax = calibration_curves(calibrate_to_headline(0.16, 0.8))
    assert len(ax.get_lines()) >= 4
    _labelled(ax)
    ax = segment_bounds(segment_consistency_from_scenario(scenario))
    assert len(ax.get_yticklabels()) == 4
    _labelled(ax)
