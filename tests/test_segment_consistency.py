"""Consistency check of Forrester's segment figures."""

from __future__ import annotations

import pytest

from influence_kit import load_scenario
from influence_kit.concentration import segment_consistency, segment_consistency_from_scenario
from influence_kit.errors import ParameterError


def test_forrester_bounds():
    res = segment_consistency()
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
    heavy_posts = segment_consistency(post_impressions=1.64e9 * 1000)
    assert heavy_posts.lower == pytest.approx(0.8)
    assert heavy_posts.upper_top_groups < segment_consistency().upper_top_groups


def test_from_scenario(default_scenario_path):
    res = segment_consistency_from_scenario(load_scenario(default_scenario_path))
    assert res.network_impressions == pytest.approx(256e9)
    assert res.post_impressions == pytest.approx(246e9)
    assert res.central == pytest.approx(segment_consistency().central)
    table = res.summary()
    assert table.shape == (4, 3)
    assert "80.0%" in res.describe()
    assert res.to_dict()["network_weight"] == pytest.approx(256 / 502)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"connectors_share": 0.0}, "connectors_share"),
        ({"mavens_share": 1.2}, "mavens_share"),
        ({"overlap_share": 0.1}, "overlap_share"),
        ({"channel_concentration": 1.0}, "channel_concentration"),
        ({"connectors_share": 0.6, "mavens_share": 0.6, "overlap_share": 0.1}, "cover everyone"),
        ({"network_impressions": -1.0}, "negative"),
    ],
)
def test_bad_segment_figures(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        segment_consistency(**kwargs)
