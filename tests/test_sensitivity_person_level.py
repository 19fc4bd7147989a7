"""Person-level sensitivity: segment shares against the 80% threshold and readers per post.

Runs on the shipped synthetic panel (100,000 people, calibrated to the US 2009
scenario), so the figures are Forrester's at the base case.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from influence_kit.concentration import fraction_for_share
from influence_kit.errors import ParameterError
from influence_kit.plots.sensitivity import plot_readers_segments, plot_threshold_sweep
from influence_kit.population import default_panel_path, load_panel
from influence_kit.results import dumps
from influence_kit.scenarios import load_scenario, scenario_from_dict
from influence_kit.segments import segment_people
from influence_kit.sensitivity import (
    ReadersSweepResult,
    ThresholdSweepResult,
    segment_readers_sweep,
    sweep_readers_per_post,
    threshold_sweep,
)
from influence_kit.sensitivity._common import with_type_readers
from influence_kit.sensitivity.person_level import (
    DEFAULT_THRESHOLDS,
    READERS_SEGMENTS,
    THRESHOLD_SEGMENTS,
)

DEFAULT_SCENARIO = (
    Path(__file__).resolve().parents[1] / "data" / "scenarios" / "forrester-us-2009.yaml"
)
READERS = [0, 10, 50, 100, 150, 300, 1000, 5000]


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def panel():
    return load_panel()


@pytest.fixture(scope="module")
def base_seg(panel, scenario):
    return segment_people(panel, scenario, n_boot=0)


@pytest.fixture(scope="module")
def thresholds(panel):
    return threshold_sweep(panel)


@pytest.fixture(scope="module")
def by_readers(panel, scenario):
    return segment_readers_sweep(panel, scenario, READERS)


# --- threshold_sweep -------------------------------------------------------------------


def test_threshold_08_reproduces_segment_people_exactly(thresholds, base_seg):
    assert 0.8 in thresholds.thresholds
    for name in THRESHOLD_SEGMENTS:
        assert thresholds.share_at(0.8, name) == base_seg.segments.loc[name, "share_of_adults"]
    row = thresholds.summary().set_index("threshold").loc[0.8]
    assert row["mass_connectors_share"] == base_seg.mass_connectors_share
    assert (
        row["mass_influencers_share_of_total"]
        == (base_seg.segments.loc["mass_influencers", "share_of_total_impressions"])
    )
    assert row["connectors_mean_audience"] == base_seg.connectors_mean_friends
    # ... which are Forrester's published figures
    assert base_seg.mass_connectors_share == pytest.approx(0.062, abs=5e-4)
    assert base_seg.mass_mavens_share == pytest.approx(0.138, abs=5e-4)
    assert base_seg.overlap_share == pytest.approx(0.037, abs=5e-4)


def test_shares_grow_with_the_threshold(thresholds):
    assert np.array_equal(thresholds.thresholds, np.array(DEFAULT_THRESHOLDS))
    for name in ("mass_connectors", "mass_mavens", "mass_influencers"):
        assert np.all(np.diff(thresholds.shares[name]) > 0), name
    # nested top groups: the overlap cannot shrink either
    assert np.all(np.diff(thresholds.shares["overlap"]) >= 0)
    assert np.all(np.diff(thresholds.influencers_share_of_total) > 0)
    # the Connectors get less exclusive, so their mean audience falls
    assert np.all(np.diff(thresholds.connectors_mean_audience) < 0)


def test_union_is_connectors_plus_mavens_minus_overlap(thresholds):
    s = thresholds.shares
    expected = s["mass_connectors"] + s["mass_mavens"] - s["overlap"]
    np.testing.assert_allclose(s["mass_influencers"], expected, rtol=1e-12)


def test_threshold_input_forms_and_order(panel):
    from influence_kit.population import calibrate_population, simulate_population

    one = threshold_sweep(panel, [0.9, 0.7, 0.9])
    assert one.thresholds.tolist() == [0.7, 0.9]
    from_path = threshold_sweep(default_panel_path(), [0.7, 0.9])
    for name in THRESHOLD_SEGMENTS:
        assert np.array_equal(one.shares[name], from_path.shares[name])
    pop = simulate_population(calibrate_population(load_scenario(DEFAULT_SCENARIO)), 2_000, seed=1)
    small = threshold_sweep(pop, [0.8])
    assert small.n_people == 2_000
    assert 0 < small.share_at(0.8) < 1


@pytest.mark.parametrize(
    "bad",
    [[], [0.8, 1.0], [0.0], [1.2], [-0.1], [float("nan")], "0.8", None, ["x"]],
)
def test_bad_thresholds_raise_one_line_naming_them(panel, bad):
    with pytest.raises(ParameterError) as err:
        threshold_sweep(panel, bad)
    message = str(err.value)
    assert "thresholds" in message and "\n" not in message


def test_threshold_share_at_rejects_unknown(thresholds):
    with pytest.raises(ParameterError, match="not swept"):
        thresholds.share_at(0.81)
    with pytest.raises(ParameterError, match="segment"):
        thresholds.share_at(0.8, "spectators")


def test_threshold_result_exports(thresholds):
    assert isinstance(thresholds, ThresholdSweepResult)
    frame = thresholds.summary()
    assert list(frame.columns) == [
        "threshold",
        "mass_connectors_share",
        "mass_mavens_share",
        "overlap_share",
        "mass_influencers_share",
        "mass_influencers_share_of_total",
        "connectors_mean_audience",
    ]
    assert len(frame) == len(DEFAULT_THRESHOLDS)
    pd.testing.assert_frame_equal(thresholds.summary(), frame)
    data = json.loads(dumps(thresholds.to_dict()))
    assert data["n_people"] == 100_000 and len(data["rows"]) == len(DEFAULT_THRESHOLDS)
    assert "<table" in thresholds._repr_html_()


# --- segment_readers_sweep ---------------------------------------------------------------------


def test_zero_readers_gives_the_network_figures(by_readers, base_seg, panel):
    seg = base_seg.segments
    assert by_readers.readers[0] == 0
    for name in READERS_SEGMENTS:
        share = seg.loc[name, "share_of_network_impressions"]
        assert by_readers.share_of_total[name][0] == pytest.approx(share, rel=1e-12)
        assert by_readers.share_at_zero_readers[name] == pytest.approx(share, rel=1e-12)
    assert by_readers.top_fraction_total[0] == by_readers.top_fraction_network
    w = panel["weight"].to_numpy()
    expected = fraction_for_share(panel["network_impressions"].to_numpy(), 0.8, weights=w)[0]
    assert by_readers.top_fraction_network == expected
    assert np.isnan(by_readers.top_fraction_posts[0])


def test_many_readers_approach_the_post_figures(panel, scenario, base_seg):
    seg = base_seg.segments
    far = segment_readers_sweep(panel, scenario, [1e3, 1e5, 1e9])
    for name in READERS_SEGMENTS:
        share = seg.loc[name, "share_of_posts"]
        assert far.share_at_infinite_readers[name] == pytest.approx(share, rel=1e-12)
        gaps = np.abs(far.share_of_total[name] - share)
        assert np.all(np.diff(gaps) < 0) and gaps[-1] < 1e-6, name
    assert far.top_fraction_total[-1] == pytest.approx(far.top_fraction_posts[-1], abs=1e-6)


def test_base_readers_reproduce_segment_people(by_readers, base_seg):
    i = int(np.flatnonzero(by_readers.readers == 150)[0])
    for name in READERS_SEGMENTS:
        expected = base_seg.segments.loc[name, "share_of_total_impressions"]
        assert by_readers.share_of_total[name][i] == pytest.approx(expected, rel=1e-9)


def test_totals_match_the_scenario_sweep(by_readers, scenario):
    aggregate = sweep_readers_per_post(scenario, by_readers.readers)
    np.testing.assert_allclose(
        by_readers.total_impressions, aggregate.outputs["total_impressions"], rtol=1e-9
    )
    np.testing.assert_allclose(
        by_readers.post_impressions, aggregate.outputs["post_impressions"], rtol=1e-9
    )


def test_shares_move_monotonically_between_the_limits(by_readers):
    for name in READERS_SEGMENTS:
        series = by_readers.share_of_total[name]
        lo = by_readers.share_at_zero_readers[name]
        hi = by_readers.share_at_infinite_readers[name]
        steps = np.diff(series)
        assert np.all(steps * np.sign(hi - lo) >= 0), name
        assert np.all(series >= min(lo, hi) - 1e-15) and np.all(series <= max(lo, hi) + 1e-15)
        for r, value in zip(by_readers.readers, series, strict=True):
            assert by_readers.share_of_total_at(r, name) == pytest.approx(value, rel=1e-12)
    # the Connectors lose ground to the Mavens as posts weigh more
    assert by_readers.share_of_total_at(1000, "mass_connectors") < 0.5
    assert by_readers.share_of_total_at(1000, "mass_mavens") > 0.75


def test_top_fraction_of_total_obeys_the_channel_bounds(by_readers):
    """min(fN, fP) <= fT <= fN + fP is a theorem (any group making 80% of the total makes
    80% of one channel; the union of the two top groups makes 80% of the total)."""
    f_n = by_readers.top_fraction_network
    for r, f_t, f_p in zip(
        by_readers.readers,
        by_readers.top_fraction_total,
        by_readers.top_fraction_posts,
        strict=True,
    ):
        if r == 0:
            continue
        assert min(f_n, f_p) - 1e-12 <= f_t <= f_n + f_p + 1e-12, r
    # On the panel it lies between the two channels' fractions in the scenario's range ...
    inside = (by_readers.readers > 0) & (by_readers.readers <= 300)
    f_t = by_readers.top_fraction_total[inside]
    assert np.all((f_t >= f_n) & (f_t <= by_readers.top_fraction_posts[inside]))


def test_top_fraction_of_total_can_exceed_both_channels():
    """... but "between the two channel fractions" is not a theorem: two disjoint elites."""
    people = pd.DataFrame(
        {
            "weight": np.ones(100),
            "audience": np.ones(100),
            "network_impressions": np.r_[np.full(10, 100.0), np.zeros(90)],
            "influence_posts": np.r_[np.zeros(10), np.full(10, 1.0), np.zeros(80)],
        }
    )
    scen = load_scenario(DEFAULT_SCENARIO)
    r = segment_readers_sweep(people, scen, [100], broadcaster_min_audience=None)
    assert r.top_fraction_network == pytest.approx(0.08)
    assert r.top_fraction_posts[0] == pytest.approx(0.08)
    assert r.top_fraction_total[0] == pytest.approx(0.16)


def test_fixed_type_readers_stay_fixed(panel, scenario):
    scen, key = with_type_readers(scenario, "reviews")
    assert key == "readers_per_post_by_type.reviews"
    fixed = segment_readers_sweep(panel, scen, [0, 150, 1000])
    plain = segment_readers_sweep(panel, scenario, [150])
    assert fixed.fixed_readers == {"reviews": 150.0}
    assert fixed.share_of_total["mass_influencers"][1] == pytest.approx(
        plain.share_of_total["mass_influencers"][0], rel=1e-9
    )
    aggregate = sweep_readers_per_post(scen, [0, 150, 1000])
    np.testing.assert_allclose(
        fixed.total_impressions, aggregate.outputs["total_impressions"], rtol=1e-9
    )
    # reviews read by 1,000 per post: with the per-type columns each person's reviews
    # count 1,000 readers; without them posts take the effective readers per post
    # (accounting.person_impressions), and the totals are the account's either way
    data = scenario.model_dump(exclude_none=True)
    data["readers_per_post_by_type"] = {"reviews": 1000.0}
    typed = scenario_from_dict(data)
    grid = [0, 150, 1000]
    expected = sweep_readers_per_post(typed, grid).outputs["total_impressions"]
    full = segment_readers_sweep(panel, typed, grid)
    bare = segment_readers_sweep(panel.drop(columns=["reviews"]), typed, grid)
    np.testing.assert_allclose(full.total_impressions, expected, rtol=1e-9)
    np.testing.assert_allclose(bare.total_impressions, expected, rtol=1e-9)
    assert full.share_of_total["mass_mavens"][0] != pytest.approx(
        bare.share_of_total["mass_mavens"][0], rel=1e-6
    )


@pytest.mark.parametrize("bad", [[-1], [], [150, -0.5], ["many"], [float("inf")]])
def test_bad_readers_raise_one_line_naming_them(panel, scenario, bad):
    with pytest.raises(ParameterError) as err:
        segment_readers_sweep(panel, scenario, bad)
    assert "readers" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (-1, r"^readers must not be negative, got -1$"),
        (True, r"^readers must be a number, got True$"),
        ("150", r"^readers must be a number, got '150'$"),
    ],
)
def test_share_of_total_at_refuses_bad_readers(by_readers, bad, message):
    with pytest.raises(ParameterError, match=message):
        by_readers.share_of_total_at(bad)


@pytest.mark.parametrize("bad", [0, 1, 1.5])
def test_bad_concentration_share(panel, scenario, bad):
    with pytest.raises(ParameterError, match="concentration_share"):
        segment_readers_sweep(panel, scenario, [150], concentration_share=bad)


def test_readers_result_exports_and_determinism(by_readers, panel, scenario):
    assert isinstance(by_readers, ReadersSweepResult)
    frame = by_readers.summary()
    assert frame["readers_per_post"].tolist() == READERS
    assert {
        "mass_influencers_share_of_total",
        "top_fraction_total",
        "post_share_of_total",
    } <= set(frame.columns)
    pd.testing.assert_frame_equal(by_readers.summary(), frame)
    assert list(by_readers.limits().index) == list(READERS_SEGMENTS)
    data = json.loads(dumps(by_readers.to_dict()))
    assert data["base_readers"] == 150 and data["readers_high"] == 1000
    assert len(data["rows"]) == len(READERS)
    again = segment_readers_sweep(panel, scenario, READERS[::-1])
    pd.testing.assert_frame_equal(again.summary(), frame, check_exact=True)


# --- plots -----------------------------------------------------------------------------


def test_plots_draw_with_titles_and_labels(thresholds, by_readers):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for ax in (plot_threshold_sweep(thresholds), plot_readers_segments(by_readers)):
            assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
            assert ax.get_legend() is not None
            plt.close(ax.figure)


def test_threshold_plot_marks_the_given_threshold(thresholds, scenario):
    mark = scenario.segments.concentration_share.base
    ax = plot_threshold_sweep(thresholds, mark=mark)
    texts = [t.get_text() for t in ax.texts]
    assert any("published: 80%" in t for t in texts)
    assert sum(1 for t in texts if t.endswith("%") and not t.startswith(" ")) == 4
    plt.close(ax.figure)
    ax = plot_threshold_sweep(thresholds)
    assert ax.texts == [] or all("published" not in t.get_text() for t in ax.texts)
    plt.close(ax.figure)
