"""Segment-consistency bounds: pure numbers, and read from a scenario."""

from __future__ import annotations

import pytest

from influence_kit import load_scenario
from influence_kit.accounting import account
from influence_kit.concentration import segment_consistency
from influence_kit.errors import ParameterError
from influence_kit.scenarios import scenario_from_dict
from influence_kit.segments import (
    segment_consistency_by_readers,
    segment_consistency_from_scenario,
)

#: Forrester's published figures, written out here (tests are not scanned for them).
FORRESTER = {
    "connectors_share": 0.062,
    "mavens_share": 0.138,
    "overlap_share": 0.037,
    "channel_concentration": 0.8,
    "network_impressions": 256e9,
    "post_impressions": 1.64e9 * 150,
    "headline_share": 0.8,
}


def _bounds(**changes):
    return segment_consistency(**{**FORRESTER, **changes})


def test_forrester_bounds():
    res = _bounds()
    assert res.influencers_share == pytest.approx(0.163)
    assert res.lower == pytest.approx(0.8)
    assert res.upper == pytest.approx(1.0)
    # Central: each channel's 20% remainder spread over non-members in proportion to people.
    network = 0.8 + 0.2 * 0.101 / 0.938
    posts = 0.8 + 0.2 * 0.025 / 0.862
    w = 256e9 / (256e9 + 246e9)
    assert res.network.central == pytest.approx(network)
    assert res.posts.central == pytest.approx(posts)
    assert res.central == pytest.approx(w * network + (1 - w) * posts)
    assert res.central == pytest.approx(0.8138, abs=1e-4)
    # Top-group reading: Connectors-only make at most 2.5% x (80% / 13.8%) of posts.
    assert res.posts.upper_top_groups == pytest.approx(0.8 + 0.025 * 0.8 / 0.138)
    assert res.network.upper_top_groups == pytest.approx(1.0)
    assert res.upper_top_groups == pytest.approx(0.9730, abs=1e-4)
    assert res.lower <= res.central <= res.upper_top_groups <= res.upper


def test_channel_weights_move_the_upper_bound_only():
    heavy_posts = _bounds(post_impressions=1.64e9 * 1000)
    assert heavy_posts.lower == pytest.approx(0.8)
    assert heavy_posts.upper_top_groups < _bounds().upper_top_groups


def test_from_scenario(default_scenario_path):
    res = segment_consistency_from_scenario(load_scenario(default_scenario_path))
    assert res.network_impressions == pytest.approx(256e9)
    assert res.post_impressions == pytest.approx(246e9)
    assert res.central == pytest.approx(_bounds().central)
    table = res.summary()
    assert table.shape == (4, 3)
    assert "80.0%" in res.describe()
    assert res.to_dict()["network_weight"] == pytest.approx(256 / 502)


def test_from_scenario_needs_the_overlap(default_scenario_path):
    scenario = load_scenario(default_scenario_path)
    data = scenario.model_dump(exclude_none=True)
    del data["segments"]["overlap_share"]
    with pytest.raises(ParameterError, match="overlap_share"):
        segment_consistency_from_scenario(scenario_from_dict(data))


def test_by_readers_matches_the_bounds_at_each_readers_value(default_scenario_path):
    scenario = load_scenario(default_scenario_path)
    table = segment_consistency_by_readers(scenario)
    q = scenario.readers_per_post
    assert list(table.index) == sorted({q.low, q.base, q.high})
    for readers, row in table.iterrows():
        direct = _bounds(post_impressions=1.64e9 * readers)
        assert row["network_weight"] == pytest.approx(direct.network_weight)
        assert row["central"] == pytest.approx(direct.central)
        assert row["upper_top_groups"] == pytest.approx(direct.upper_top_groups)
        assert row["lower"] == pytest.approx(0.8)
    at_base = table.loc[q.base]
    assert at_base["central"] == pytest.approx(segment_consistency_from_scenario(scenario).central)
    # more readers put more weight on posts
    assert table["network_weight"].is_monotonic_decreasing
    # per-type readers count: the network weight follows the account's post impressions
    data = scenario.model_dump(exclude_none=True)
    data["readers_per_post_by_type"] = {"reviews": 1000.0}
    typed = scenario_from_dict(data)
    row = segment_consistency_by_readers(typed, [q.base]).iloc[0]
    acc = account(typed)
    expected = acc.network_impressions / acc.total_impressions
    assert row["network_weight"] == pytest.approx(expected)
    with pytest.raises(ParameterError, match=r"^readers must not be negative, got -1$"):
        segment_consistency_by_readers(scenario, [-1.0])
    with pytest.raises(ParameterError, match=r"^readers must be a number, got '150'$"):
        segment_consistency_by_readers(scenario, ["150"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"connectors_share": 0.0}, r"^connectors_share must lie strictly between 0 and 1, got 0"),
        ({"mavens_share": 1.2}, r"^mavens_share must lie strictly between 0 and 1, got 1.2$"),
        ({"mavens_share": "0.1"}, r"^mavens_share must be a number, got '0.1'$"),
        ({"overlap_share": 0.1}, "overlap_share"),
        ({"overlap_share": True}, r"^overlap_share must be a number, got True$"),
        ({"channel_concentration": 1.0}, r"^channel_concentration must lie strictly between"),
        ({"connectors_share": 0.6, "mavens_share": 0.6, "overlap_share": 0.1}, "cover everyone"),
        ({"network_impressions": -1.0}, r"^network_impressions must not be negative, got -1.0$"),
        ({"post_impressions": float("nan")}, r"^post_impressions must be a finite number"),
    ],
)
def test_bad_segment_figures(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        _bounds(**kwargs)
