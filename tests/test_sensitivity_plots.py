"""Sensitivity plots draw every results object with titles and labelled axes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from influence_kit.explorer import figure as plots_explore
from influence_kit.plots import sensitivity as ps
from influence_kit.scenarios import load_scenario
from influence_kit.sensitivity import (
    breakevens,
    monte_carlo,
    sobol,
    spider,
    sweep_readers_per_post,
    tornado,
)

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "forrester-us-2009.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


def _check(ax):
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() is not None
    plt.close(ax.figure)


def test_sweep_plot_marks_breakevens(scenario):
    ax = ps.plot_sweep(sweep_readers_per_post(scenario), breakevens(scenario, [1e12]))
    labels = [t.get_text() for t in ax.texts]
    assert any("156.1" in t for t in labels) and any("453.7" in t for t in labels)
    assert ax.get_ylabel()
    _check(ax)


def test_sweep_plot_per_post_type(scenario):
    ax = ps.plot_sweep(sweep_readers_per_post(scenario, post_type="reviews"))
    assert "reviews" in ax.get_xlabel()
    _check(ax)


def test_tornado_plot_labels_bars(scenario):
    ax = ps.plot_tornado(tornado(scenario))
    labels = [t.get_text() for t in ax.texts]
    assert "1.9 trillion (1,000)" in labels and "338 billion (50)" in labels
    assert ax.get_yticklabels()[0].get_text() == "readers per post"
    _check(ax)


@pytest.mark.parametrize("scale", ["percentile", "percent"])
def test_spider_plot(scenario, scale):
    ax = ps.plot_spider(spider(scenario, scale=scale))
    assert len(ax.get_lines()) >= 5
    _check(ax)


def test_monte_carlo_plot_has_bands(scenario):
    ax = ps.plot_monte_carlo(monte_carlo(scenario, 20_000, seed=1))
    # the lines' values are named in the legend (no label over the histogram)
    labels = " ".join(t.get_text() for t in [*ax.texts, *ax.get_legend().get_texts()])
    assert "P5" in labels and "P50" in labels and "P95" in labels and "P(> 500" in labels
    _check(ax)


def test_sobol_plot_has_whiskers(scenario):
    ax = ps.plot_sobol(sobol(scenario, 256, seed=1))
    assert sum(type(c).__name__ == "ErrorbarContainer" for c in ax.containers) == 2
    assert "95% bootstrap interval" in ax.get_xlabel()
    # whiskers are the asymmetric conf_int bounds
    result = sobol(scenario, 256, seed=1)
    ax = ps.plot_sobol(result, alpha=0.5)
    assert "50% bootstrap interval" in ax.get_xlabel()
    _check(ax)


def test_plots_take_any_object_with_the_attributes_they_draw():
    """The plots read attributes only: a plain namespace draws like a result."""
    bar = SimpleNamespace(
        input="readers_per_post", low=50.0, high=1000.0, output_low=338e9, output_high=1896e9
    )
    bar.swing = bar.output_high - bar.output_low
    bars = SimpleNamespace(
        scenario_name="by hand", output="total_impressions", base_output=502e9, bars=(bar,)
    )
    ax = ps.plot_tornado(bars)
    assert "338 billion (50)" in [t.get_text() for t in ax.texts]
    _check(ax)


def test_explorer_lorenz_is_drawn_by_lorenz_curves():
    x = np.linspace(0, 1, 11)
    curve = SimpleNamespace(population_share=x, value_share=x**3, gini=0.5)
    state = SimpleNamespace(lorenz=curve, threshold=0.8, top_fraction_for_threshold=0.25)
    ax = plots_explore.total_lorenz(state)
    texts = ax.get_legend_handles_labels()[1]
    assert texts == ["perfect equality", "total impressions (Gini 0.50)", "top 25% make 80%"]
    curve_line = ax.get_lines()[1]
    np.testing.assert_array_equal(curve_line.get_ydata(), x**3)
    assert ax.get_xlabel().startswith("Share of adults")
    _check(ax)
