"""The care funnel: impressions, seen, reacted, replied, from one engagement account."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from influence_kit import load_scenario
from influence_kit.accounting import account
from influence_kit.engagement import CareFunnel, care_funnel, engagement_account
from influence_kit.errors import ParameterError
from influence_kit.formatting import format_quantity
from influence_kit.results import Conclusion, KeyFigures

SCENARIOS = ("forrester-us-2009", "audience-us-2009")
STAGES = ["impressions", "seen", "reacted", "replied"]
N_DRAWS = 2000


@pytest.fixture(scope="module", params=SCENARIOS)
def scenario(request):
    return load_scenario(request.param)


@pytest.fixture(scope="module")
def funnel(scenario) -> CareFunnel:
    return care_funnel(scenario, n_draws=N_DRAWS, seed=7)


def _action_total(engaged: dict[str, dict[str, float]], action: str) -> float:
    total = 0.0
    for actions in engaged.values():
        total += actions.get(action, 0.0)
    return total


def test_base_case_matches_engagement_account(scenario, funnel):
    acc = engagement_account(scenario, n_draws=N_DRAWS, seed=7)
    assert funnel.impressions == pytest.approx(account(scenario).total_impressions, rel=1e-12)
    assert funnel.seen == pytest.approx(acc.seen_impressions, rel=1e-12)
    assert funnel.seen == pytest.approx(sum(acc.seen.values()), rel=1e-12)
    assert funnel.reacted == pytest.approx(_action_total(acc.engaged, "reaction"), rel=1e-12)
    assert funnel.replied == pytest.approx(_action_total(acc.engaged, "reply"), rel=1e-12)
    assert funnel.reacted > 0 and funnel.replied > 0
    # the default rates give each channel one action: reacted + replied is all engagement
    assert funnel.reacted_or_replied == pytest.approx(acc.engaged_impressions, rel=1e-12)


def test_monte_carlo_comes_from_the_accounts_draws(scenario, funnel):
    acc = engagement_account(scenario, n_draws=N_DRAWS, seed=7)
    mc = acc.monte_carlo()
    assert funnel.mc_median["seen"] == pytest.approx(mc.loc["seen_impressions", "mc_median"])
    assert funnel.mc_lower["seen"] == pytest.approx(mc.loc["seen_impressions", "mc_lower"])
    assert funnel.mc_upper["seen"] == pytest.approx(mc.loc["seen_impressions", "mc_upper"])
    either = funnel.conf_int().loc["reacted_or_replied"]
    assert either["lower"] == pytest.approx(mc.loc["engaged_impressions", "mc_lower"])
    assert either["upper"] == pytest.approx(mc.loc["engaged_impressions", "mc_upper"])


def test_summary_shape(funnel):
    table = funnel.summary()
    assert list(table.index) == STAGES
    assert list(table.columns) == [
        "base_case",
        "mc_median",
        "lower",
        "upper",
        "share_of_impressions",
    ]
    assert table.loc["impressions", "share_of_impressions"] == 1.0
    expected = table["base_case"] / funnel.impressions
    np.testing.assert_allclose(table["share_of_impressions"], expected)


def test_stages_do_not_increase(funnel):
    """Impressions >= seen >= each engaged branch, and >= both branches together.

    ``reacted`` and ``replied`` are two branches after ``seen`` (different channels), not
    one stage after the other: ``replied`` may exceed ``reacted``.
    """
    table = funnel.summary()
    either = funnel.conf_int().loc["reacted_or_replied"]
    for column in ("base_case", "mc_median", "lower", "upper"):
        col = table[column]
        tol = 1e-9 * col["impressions"]
        assert col["impressions"] + tol >= col["seen"]
        assert col["seen"] + tol >= col["reacted"] >= 0
        assert col["seen"] + tol >= col["replied"] >= 0
    assert funnel.seen >= funnel.reacted_or_replied
    assert table.loc["seen", "upper"] >= either["upper"]
    assert (table["share_of_impressions"].diff().iloc[1:2] <= 0).all()


def test_intervals_contain_their_own_median(funnel):
    table = funnel.summary()
    assert (table["lower"] <= table["mc_median"]).all()
    assert (table["mc_median"] <= table["upper"]).all()
    for name in ("reacted_or_replied",):
        assert funnel.mc_lower[name] <= funnel.mc_median[name] <= funnel.mc_upper[name]


def test_same_seed_same_result(scenario, funnel):
    again = care_funnel(scenario, n_draws=N_DRAWS, seed=7)
    assert again.to_dict() == funnel.to_dict()
    assert json.dumps(funnel.to_dict(), allow_nan=False)
    other = care_funnel(scenario, n_draws=N_DRAWS, seed=8)
    assert other.to_dict() != funnel.to_dict()


def test_intervals_nest_across_alpha(funnel):
    wide, narrow = funnel.conf_int(0.05), funnel.conf_int(0.5)
    assert list(wide.columns) == ["lower", "upper"]
    assert wide.index.name == "quantity"
    assert (wide["lower"] <= narrow["lower"]).all()
    assert (narrow["upper"] <= wide["upper"]).all()
    assert (narrow["lower"] <= narrow["upper"]).all()
    default = funnel.conf_int()
    pd.testing.assert_series_equal(
        default.loc[STAGES, "lower"], funnel.summary()["lower"], check_names=False
    )


@pytest.mark.parametrize("alpha", [1.5, 0.0, 1.0, -0.1, "0.05", True, float("nan")])
def test_conf_int_rejects_bad_alpha(funnel, alpha):
    with pytest.raises(ParameterError):
        funnel.conf_int(alpha=alpha)


def test_rates_lead_to_their_stages(funnel):
    assert funnel.stage_rates("impressions") == ()
    steps = {stage: {r.step for r in funnel.stage_rates(stage)} for stage in STAGES[1:]}
    assert steps == {
        "seen": {"attention"},
        "reacted": {"attention", "reaction"},
        "replied": {"attention", "reply"},
    }
    table = funnel.rate_table()
    assert {"low", "base", "high", "evidence_low", "evidence_base", "evidence_high"} <= set(
        table.columns
    )
    assert (table["low"] <= table["base"]).all() and (table["base"] <= table["high"]).all()
    reaction = table[table["step"] == "reaction"].iloc[0]
    assert reaction["evidence_base"] == "fb_page_engagement_per_reach_2015_12"
    with pytest.raises(ParameterError):
        funnel.stage_rates("bought")


def test_key_figures(funnel):
    figures = funnel.key_figures()
    assert isinstance(figures, KeyFigures)
    assert figures["total_impressions"] == funnel.impressions
    assert figures.figure("seen").unit == "impressions"
    assert figures.figure("replied_share").unit == "share"
    assert figures["reacted_or_replied"] == pytest.approx(funnel.reacted + funnel.replied)
    assert all(f.label and "_" not in f.label for f in figures)


def test_conclusion(funnel):
    conclusion = funnel.conclusion()
    assert isinstance(conclusion, Conclusion)
    assert 2 <= len(conclusion.sentences) <= 4
    assert len(re.split(r"(?<=[.!?])\s+", conclusion.text.strip())) <= 4
    assert format_quantity(funnel.impressions, "impressions") in conclusion.text
    assert "base case" in conclusion.text and "Monte Carlo interval" in conclusion.text
    figures = funnel.key_figures()
    assert all(key in figures for key in conclusion.figures)
    either = funnel.reacted_or_replied
    outside = not funnel.mc_lower["reacted_or_replied"] <= either
    outside = outside or either > funnel.mc_upper["reacted_or_replied"]
    assert ("lies below its interval" in conclusion.text or "lies above" in conclusion.text) == (
        outside
    )


def test_forrester_total_in_words():
    funnel = care_funnel(load_scenario("forrester-us-2009"), n_draws=N_DRAWS)
    assert funnel.conclusion().text.startswith("Of 502 billion influence impressions a year")


def test_accepts_an_account():
    acc = account(load_scenario("forrester-us-2009"))
    funnel = care_funnel(acc, n_draws=N_DRAWS)
    assert funnel.impressions == acc.total_impressions
    assert list(funnel.summary().index) == STAGES


def test_bad_draws_rejected():
    with pytest.raises(ParameterError):
        care_funnel(load_scenario("forrester-us-2009"), n_draws=5)


def test_conclusion_says_when_base_case_is_outside_its_interval():
    from influence_kit.engagement import ChannelRates, EngagementRates, Rate

    acc = account(load_scenario("forrester-us-2009"))
    skewed = Rate("skewed rate", 0.01, 0.01, 0.5)
    channels = {"network_updates": ChannelRates(Rate.fixed("seen", 1.0), {"reaction": skewed})}
    for post_type in acc.by_post_type:
        channels[post_type] = ChannelRates(Rate.fixed("seen", 1.0), {"reply": skewed})
    funnel = care_funnel(acc, EngagementRates(channels), n_draws=N_DRAWS)
    assert funnel.reacted_or_replied < funnel.mc_lower["reacted_or_replied"]
    assert len(funnel.conclusion().sentences) == 3
    assert "lies below its interval" in funnel.conclusion().text


def test_with_action_sets_a_rate_everywhere_it_is_shared():
    from influence_kit.engagement import default_engagement_rates
    from influence_kit.errors import ParameterError

    rates = default_engagement_rates(("reviews", "forum_posts"))
    moved = rates.with_action("reply", 0.5)
    reviews, forums = moved["reviews"].actions["reply"], moved["forum_posts"].actions["reply"]
    assert reviews is forums  # one rate, one Monte Carlo draw, as before
    assert (reviews.low, reviews.base, reviews.high) == (
        rates["reviews"].actions["reply"].low,
        0.5,
        0.5,
    )
    assert "set to 0.5" in reviews.basis
    assert moved["reviews"].attention == rates["reviews"].attention
    with pytest.raises(ParameterError, match="unknown action"):
        rates.with_action("share", 0.1)
    with pytest.raises(ParameterError, match="no channel has a 'click' rate"):
        rates.with_action("click", 0.1)
