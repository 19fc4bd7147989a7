"""The accounting model against the published Forrester arithmetic."""

from __future__ import annotations

import json

import numpy as np
import pytest

from influence_kit.accounting import MODEL_OUTPUTS, account, evaluate, model_inputs
from influence_kit.errors import ParameterError
from influence_kit.scenarios import load_scenario


@pytest.fixture(scope="module")
def scenario(default_scenario_path):
    return load_scenario(default_scenario_path)


def test_headline_total_is_502_billion(scenario):
    acc = account(scenario)
    # 256e9 + 1.64e9 x 150 (Forrester 2010: "more than 500 billion")
    assert acc.network_impressions == 256e9
    assert acc.post_impressions == pytest.approx(246e9, rel=1e-12)
    assert acc.total_impressions == pytest.approx(502e9, rel=1e-12)
    assert acc.share_of_advertiser_impressions == pytest.approx(0.251, rel=1e-12)
    assert acc.impressions_per_online_adult == pytest.approx(502e9 / 176e6)
    assert acc.readers_per_post == pytest.approx(150)
    assert acc.dominant_channel == "network"
    assert acc.meets_claim is True


def test_components_add_up_to_channels(scenario):
    acc = account(scenario)
    assert sum(acc.by_network.values()) == pytest.approx(acc.network_impressions, rel=1e-12)
    assert sum(acc.by_post_type.values()) == pytest.approx(acc.post_impressions, rel=1e-12)
    # Facebook's share after renormalising the published 0.99
    assert acc.by_network["facebook"] == pytest.approx(256e9 * 0.62 / 0.99)
    assert acc.by_post_type["reviews"] == pytest.approx(1.64e9 * 150 * 0.32 / 1.01)


def test_summary_table_and_json(scenario):
    acc = account(scenario)
    table = acc.summary()
    assert list(table.columns) == ["channel", "component", "impressions", "share_of_total"]
    total_row = table[table.component == "influence impressions"].iloc[0]
    assert total_row.impressions == pytest.approx(502e9)
    assert total_row.share_of_total == 1.0
    data = json.loads(acc.to_json())
    for key in (
        "total_impressions",
        "network_impressions",
        "post_impressions",
        "readers_per_post",
        "share_of_advertiser_impressions",
        "impressions_per_online_adult",
        "by_network",
        "by_post_type",
    ):
        assert key in data
    assert "<table" in acc._repr_html_()
    assert "**502 billion** influence impressions" in acc.describe()


def test_readers_per_post_override_moves_only_posts(default_scenario_path):
    acc = account(load_scenario(default_scenario_path, {"readers_per_post": 300}))
    assert acc.post_impressions == pytest.approx(1.64e9 * 300)
    assert acc.total_impressions == pytest.approx(256e9 + 492e9)
    assert acc.dominant_channel == "posts"


def test_per_type_readers(default_scenario_path):
    s = load_scenario(default_scenario_path, {"readers_per_post_by_type": {"reviews": 1000}})
    acc = account(s)
    w = 0.32 / 1.01
    expected = 1.64e9 * (w * 1000 + (1 - w) * 150)
    assert acc.post_impressions == pytest.approx(expected, rel=1e-12)
    assert acc.readers_per_post_by_type["reviews"] == 1000
    assert acc.readers_per_post_by_type["forum_posts"] == 150
    assert "readers_per_post_by_type.reviews" in model_inputs(s)
    out = evaluate(s, {"readers_per_post_by_type.reviews": np.array([150.0, 1000.0])})
    assert out["post_impressions"] == pytest.approx([246e9, expected])


def test_evaluate_is_vectorised_and_matches_account(scenario):
    rpp = np.linspace(0, 1000, 11)
    out = evaluate(scenario, {"readers_per_post": rpp})
    assert set(out) == set(MODEL_OUTPUTS)
    np.testing.assert_allclose(out["total_impressions"], 256e9 + 1.64e9 * rpp)
    np.testing.assert_allclose(out["network_impressions"], np.full(11, 256e9))
    assert out["post_share_of_total"][0] == 0.0
    base = evaluate(scenario)
    assert float(base["total_impressions"]) == account(scenario).total_impressions


def test_evaluate_rejects_unknown_inputs(scenario):
    with pytest.raises(ParameterError, match="unknown model input 'readers'"):
        evaluate(scenario, {"readers": 1.0})


def test_zero_everything_is_not_nan(default_scenario_path):
    s = load_scenario(default_scenario_path, {"network_impressions": 0, "influence_posts": 0})
    acc = account(s)
    assert acc.total_impressions == 0.0
    assert acc.post_share_of_total == 0.0
    assert acc.dominant_channel == "tie"
