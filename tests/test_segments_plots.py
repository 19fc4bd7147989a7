"""Plots of segmentation results: they draw, label and compute nothing new."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from influence_kit.plots.segments import (
    connector_maven_overlap,
    segment_comparison,
    segment_pyramid,
    technographics_ladder,
)
from influence_kit.scenarios import load_scenario
from influence_kit.segments import segment_people

US = load_scenario(
    Path(__file__).resolve().parents[1] / "data" / "scenarios" / "forrester-us-2009.yaml"
)


@pytest.fixture(scope="module")
def result() -> object:
    rng = np.random.default_rng(0)
    n = 500
    table = pd.DataFrame(
        {
            "network_impressions": rng.pareto(1.2, n) * 10,
            "influence_posts": rng.pareto(1.4, n),
            "audience": rng.pareto(1.5, n) * 100,
            **{f: rng.random(n) < 0.4 for f in ("creator", "critic", "joiner", "spectator")},
            **{f: rng.random(n) < 0.2 for f in ("conversationalist", "collector")},
        }
    )
    return segment_people(table, US, n_boot=39, broadcaster_min_audience=3_000)


@pytest.mark.parametrize("draw", [segment_pyramid, connector_maven_overlap, technographics_ladder])
def test_plots_are_labelled(result: object, draw: object) -> None:
    ax = draw(result)
    assert ax.get_title()
    assert ax.get_xlabel()
    plt.close("all")


def test_ladder_reference_and_comparison(result: object) -> None:
    ax = technographics_ladder(result, reference={"creators": 0.24, "inactives": 0.17})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "published" in labels and "95% bootstrap interval" in labels
    ax = segment_comparison({"a": result, "b": result})
    assert ax.get_ylabel() == "share of adults (%)"
    assert len(ax.patches) == 8
    plt.close("all")


def test_overlap_diagram_without_overlap() -> None:
    table = pd.DataFrame(
        {
            "network_impressions": [10.0, 0, 0, 0, 0],
            "influence_posts": [0.0, 5, 0, 0, 0],
            "audience": [1.0, 1, 1, 1, 1],
        }
    )
    seg = segment_people(table, US, n_boot=0)
    assert seg.overlap_share == 0
    ax = connector_maven_overlap(seg)
    assert len(ax.patches) == 2
    plt.close("all")
