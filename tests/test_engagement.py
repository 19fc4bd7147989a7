"""The engagement layer: rates from evidence, engaged impressions, concentration."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from influence_kit.accounting import account
from influence_kit.datasets import load_scifi_stackexchange_users, load_wiki_vote_users
from influence_kit.engagement import (
    NETWORK_CHANNEL,
    ChannelRates,
    EngagementRates,
    Rate,
    compare_concentration,
    cross_top_share,
    default_engagement_rates,
    engaged_impressions,
    engagement_account,
    engagement_concentration,
    person_engagement,
    rate_from_evidence,
    scenario_engagement_rates,
    stackexchange_concentration,
    wiki_vote_concentration,
)
from influence_kit.engagement.model import channel_impressions
from influence_kit.errors import DataError, ParameterError
from influence_kit.evidence import reach_evidence
from influence_kit.scenarios import load_scenario

POST_TYPES = ("reviews", "forum_posts", "blog_comments", "blog_posts")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("forrester-us-2009")


@pytest.fixture(scope="module")
def acc(scenario):
    return account(scenario)


def uniform_rates(attention: float, action: float, channels=(NETWORK_CHANNEL, *POST_TYPES)):
    return EngagementRates(
        {
            c: ChannelRates(
                Rate.fixed(f"{c} attention", attention), {"reaction": Rate.fixed("act", action)}
            )
            for c in channels
        }
    )


# ----------------------------------------------------------------------------- rates


def test_default_rates_come_from_the_evidence_table():
    rates = default_engagement_rates(POST_TYPES)
    table = rates.summary()
    for row in table.itertuples():
        for bound, evidence_id in (
            ("low", row.evidence_low),
            ("base", row.evidence_base),
            ("high", row.evidence_high),
        ):
            if row.stage == "attention" and row.channel != NETWORK_CHANNEL:
                assert evidence_id == "" and getattr(row, bound) == 1.0
                continue
            record = reach_evidence(evidence_id)
            expected = 1 / record.value if record.unit == "page views per comment" else record.value
            assert getattr(row, bound) == pytest.approx(expected), (row.channel, bound)
    net = rates[NETWORK_CHANNEL]
    assert net.attention.base == 0.35
    assert (net.attention.low, net.attention.high) == (0.289, 0.61)
    assert rates["reviews"].actions["reply"].base == pytest.approx(1 / 50)
    # one reply rate shared by every post type, drawn once in a Monte Carlo
    assert len(rates.distinct_rates()) == 4


def test_rate_validation():
    with pytest.raises(ParameterError, match="low <= base <= high"):
        Rate("r", 0.5, 0.4, 0.6)
    with pytest.raises(ParameterError):
        Rate("r", 0.1, 0.2, 1.5)
    with pytest.raises(ParameterError, match="unknown action 'likes'"):
        ChannelRates(Rate.fixed("a", 1.0), {"likes": Rate.fixed("b", 0.1)})
    with pytest.raises(ParameterError, match="not a share"):
        rate_from_evidence(
            "x",
            "news_page_views_per_comment",
            "fb_post_friend_visibility",
            "fb_monthly_friend_reach",
        )
    with pytest.raises(ParameterError, match="no engagement rates for channel 'reviews'"):
        uniform_rates(1.0, 1.0, channels=(NETWORK_CHANNEL,))["reviews"]


# ----------------------------------------------------------------------------- model


def test_rates_one_give_engaged_equal_to_impressions(acc):
    result = engagement_account(acc, uniform_rates(1.0, 1.0), n_draws=50, seed=1)
    assert result.engaged_impressions == pytest.approx(acc.total_impressions, rel=1e-12)
    assert result.seen_impressions == pytest.approx(acc.total_impressions, rel=1e-12)
    for channel, count in channel_impressions(acc).items():
        assert result.engaged[channel]["reaction"] == pytest.approx(count, rel=1e-12)
    assert result.engaged_share == pytest.approx(1.0)


def test_linear_in_each_rate(acc):
    rates = default_engagement_rates(POST_TYPES)
    impressions = channel_impressions(acc)
    _, base = engaged_impressions(impressions, rates)
    for rate in rates.distinct_rates():
        factors = np.array([0.0, 0.5, 1.0, 2.0])
        _, scaled = engaged_impressions(impressions, rates, {rate: factors * rate.base})
        for key, value in scaled.items():
            channel, action = key
            channel_rates = rates[channel]
            uses = rate in (channel_rates.attention, channel_rates.actions[action])
            expected = factors * base[key] if uses else np.full(4, base[key])
            assert np.allclose(value, expected, rtol=1e-12), (rate.name, key)


def test_channel_with_rate_zero_contributes_nothing(acc):
    rates = default_engagement_rates(POST_TYPES)
    channels = dict(rates.channels)
    channels["reviews"] = ChannelRates(
        channels["reviews"].attention, {"reply": Rate.fixed("no replies", 0.0)}
    )
    zero = engagement_account(acc, EngagementRates(channels), n_draws=100, seed=3)
    full = engagement_account(acc, rates, n_draws=100, seed=3)
    assert zero.engaged["reviews"]["reply"] == 0.0
    assert zero.engaged_impressions == pytest.approx(
        full.engaged_impressions - full.engaged["reviews"]["reply"], rel=1e-12
    )
    assert zero.conf_int().loc["engaged.reviews"].tolist() == [0.0, 0.0]


def test_base_engaged_impressions_by_hand(scenario, acc):
    result = engagement_account(scenario, n_draws=100, seed=0)
    network = scenario.network_impressions.base * 0.35 * 0.0501
    posts = scenario.influence_posts.base * 150 * (1 / 50)
    assert acc.post_impressions == pytest.approx(scenario.influence_posts.base * 150)
    assert result.engaged_impressions == pytest.approx(network + posts, rel=1e-12)
    assert result.seen_impressions == pytest.approx(
        scenario.network_impressions.base * 0.35 + acc.post_impressions, rel=1e-12
    )
    summary = result.summary()
    assert list(summary["channel"]) == [NETWORK_CHANNEL, *POST_TYPES, "all"]
    assert summary["engaged"].iloc[:-1].sum() == pytest.approx(summary["engaged"].iloc[-1])
    assert result.key_figures()["engaged_impressions"] == result.engaged_impressions
    assert "billion" in result.describe()
    json.dumps(result.to_dict())
    assert "<table" in result._repr_html_()


def test_monte_carlo_seeded_identical(acc):
    a = engagement_account(acc, n_draws=500, seed=7)
    b = engagement_account(acc, n_draws=500, seed=7)
    c = engagement_account(acc, n_draws=500, seed=8)
    pd.testing.assert_frame_equal(a.conf_int(), b.conf_int())
    assert not a.conf_int().equals(c.conf_int())
    assert a.seed == 7
    fresh = engagement_account(acc, n_draws=50, seed=None)
    assert isinstance(fresh.seed, int)
    again = engagement_account(acc, n_draws=50, seed=fresh.seed)
    pd.testing.assert_frame_equal(fresh.conf_int(), again.conf_int())


def test_monte_carlo_interval_within_the_rate_bounds(acc):
    rates = default_engagement_rates(POST_TYPES)
    result = engagement_account(acc, rates, n_draws=4000, seed=11)
    interval = result.conf_int(alpha=0.1)
    assert list(interval.columns) == ["lower", "upper"]
    impressions = channel_impressions(acc)

    def at(bound):
        values = {r: getattr(r, bound) for r in rates.distinct_rates()}
        _, engaged = engaged_impressions(impressions, rates, values)
        return sum(float(v) for v in engaged.values())

    low, high = interval.loc["engaged_impressions"]
    assert at("low") <= low < high <= at("high")
    with pytest.raises(ParameterError):
        result.conf_int(alpha=1.5)


def test_fixed_rates_collapse_the_interval(acc):
    result = engagement_account(acc, uniform_rates(0.5, 0.1), n_draws=39, seed=2)
    lower, upper = result.conf_int().loc["engaged_impressions"]
    assert lower == upper == pytest.approx(acc.total_impressions * 0.05)


def test_missing_channel_and_bad_draws(acc):
    with pytest.raises(ParameterError, match="no engagement rates for channel 'reviews'"):
        engagement_account(acc, uniform_rates(1.0, 1.0, channels=(NETWORK_CHANNEL,)))
    with pytest.raises(ParameterError, match="n_draws must be at least 39"):
        engagement_account(acc, n_draws=0)


# ------------------------------------------------- base case against Monte Carlo (F4)


@pytest.mark.parametrize("seed", [0, 1, 7, 2009, 12345])
@pytest.mark.parametrize("name", ["forrester-us-2009", "audience-us-2009"])
def test_monte_carlo_median_inside_its_interval_base_case_labelled_apart(name, seed):
    result = engagement_account(load_scenario(name), n_draws=2000, seed=seed)
    mc = result.monte_carlo()
    interval = result.conf_int()
    assert list(mc.index) == list(interval.index)
    for quantity, row in mc.iterrows():
        draws = result._draws[quantity]
        # the interval is the Monte Carlo distribution's: its median and mean lie inside
        assert row["mc_lower"] <= row["mc_median"] <= row["mc_upper"], quantity
        # a constant output's mean may differ from its quantiles in the last digit
        slack = 1e-12 * abs(row["mc_upper"])
        assert row["mc_lower"] - slack <= row["mc_mean"] <= row["mc_upper"] + slack, quantity
        assert row["mc_median"] == pytest.approx(float(np.median(draws)))
        assert row["mc_mean"] == pytest.approx(float(np.mean(draws)))
        assert (row["mc_lower"], row["mc_upper"]) == tuple(interval.loc[quantity])
        assert row["draws_at_or_below_base_case"] == pytest.approx(
            float(np.mean(draws <= row["base_case"] * (1 + 1e-12)))
        )
    engaged = mc.loc["engaged_impressions"]
    assert engaged["base_case"] == result.engaged_impressions
    # right-skewed triangular inputs (mode near the low end): median and mean above the mode
    assert engaged["base_case"] < engaged["mc_median"] < engaged["mc_mean"]
    assert engaged["draws_at_or_below_base_case"] < 0.1
    figures = result.key_figures()
    labels = {f.key: f.label for f in figures}
    assert "base case (every input at its most likely value)" in labels["engaged_impressions"]
    assert labels["engaged_impressions_mc_median"].endswith("Monte Carlo median")
    assert labels["engaged_impressions_mc_mean"].endswith("Monte Carlo mean")
    assert "95% Monte Carlo interval" in labels["engaged_impressions_mc_lower"]
    assert "95% Monte Carlo interval" in labels["engaged_impressions_mc_upper"]
    assert "Monte Carlo" not in labels["engaged_impressions"]
    assert figures["engaged_impressions_mc_median"] == engaged["mc_median"]
    assert figures["engaged_impressions_mc_upper"] == engaged["mc_upper"]
    assert "Monte Carlo" in interval.attrs["note"]
    text = result.describe()
    assert "base case" in text and "Monte Carlo median" not in text  # worded, not labelled
    assert "median" in text and "95% Monte Carlo interval" in text
    summary = result.summary()
    total = summary.iloc[-1]
    assert total["engaged"] == result.engaged_impressions
    assert total["engaged_mc_median"] == pytest.approx(engaged["mc_median"])
    assert summary["engaged_mc_mean"].iloc[:-1].sum() == pytest.approx(engaged["mc_mean"])


def test_forrester_base_case_and_monte_carlo_by_hand(scenario):
    """Base case 9.41 billion (every rate at its mode); the draws' mean by hand.

    Rates are drawn independently, so the mean of engaged impressions is the sum over
    channels of impressions x mean(attention) x mean(action), a triangular mean being
    (low + base + high) / 3.
    """
    result = engagement_account(scenario, n_draws=20_000, seed=3)
    assert result.engaged_impressions == pytest.approx(9.40896e9, rel=1e-6)
    network = scenario.network_impressions.base
    posts = scenario.influence_posts.base * 150
    visibility = (0.16 + 0.35 + 0.61) / 3
    reaction = (0.049 + 0.0501 + 0.1183) / 3
    reply = (0.01 + 1 / 50 + 0.10) / 3
    expected_mean = network * visibility * reaction + posts * reply
    mc = result.monte_carlo().loc["engaged_impressions"]
    assert mc["mc_mean"] == pytest.approx(expected_mean, rel=0.01)


@pytest.mark.parametrize("name", ["forrester-us-2009", "audience-us-2009"])
def test_visibility_is_the_audience_models(name):
    scenario = load_scenario(name)
    result = engagement_account(scenario, n_draws=100, seed=0)
    visibility = result.rates.visibility
    model = scenario.audience_model.visibility
    assert (visibility.low, visibility.high) == scenario.audience_model.visibility.range
    assert visibility.base == model.base
    assert visibility.name == "share of friends who see a post"
    assert "audience_model.visibility" in visibility.basis
    assert scenario_engagement_rates(scenario).visibility == visibility


def test_visibility_applied_once(scenario):
    """Forrester's network impressions are impressions possible: engagement applies
    visibility. audience-us-2009 derives them as possible x visibility x amplification,
    already seen: engagement must not apply visibility again."""
    forrester = engagement_account(scenario, n_draws=100, seed=0)
    net = forrester.rates[NETWORK_CHANNEL].attention
    assert net is forrester.rates.visibility
    assert (net.low, net.base, net.high) == (0.16, 0.35, 0.61)
    assert forrester.seen[NETWORK_CHANNEL] == pytest.approx(256e9 * 0.35)

    derived = load_scenario("audience-us-2009")
    assert "network_impressions" in derived.derived
    result = engagement_account(derived, n_draws=100, seed=0)
    acc = account(derived)
    attention = result.rates[NETWORK_CHANNEL].attention
    assert (attention.low, attention.base, attention.high) == (1.0, 1.0, 1.0)
    assert result.seen[NETWORK_CHANNEL] == pytest.approx(acc.network_impressions, rel=1e-12)
    assert result.engaged[NETWORK_CHANNEL]["reaction"] == pytest.approx(
        acc.network_impressions * 0.0501, rel=1e-12
    )
    # an account carries no audience model: the evidence table's visibility
    plain = engagement_account(account(scenario), n_draws=100, seed=0)
    assert (plain.rates.visibility.low, plain.rates.visibility.high) == (0.289, 0.61)


# ----------------------------------------------------------------------- concentration


def test_cross_top_share_by_hand():
    # top half by rank: the 5 (value 1) and half of the two tied 3s (values 2 + 4)
    assert cross_top_share([5, 3, 3, 0], [1, 2, 4, 3], 0.5) == pytest.approx((1 + 3) / 10)
    # weights: person 0 counts twice, so the top 40% of weight 5 is person 0 alone,
    # holding 2 x 1 of the weighted total 2 + 2 + 4 + 3
    assert cross_top_share([5, 3, 3, 0], [1, 2, 4, 3], 0.4, weights=[2, 1, 1, 1]) == (
        pytest.approx(2 / 11)
    )
    with pytest.raises(DataError):
        cross_top_share([1, 2], [0, 0], 0.5)
    with pytest.raises(DataError):
        cross_top_share([1, 2], [1, 2, 3], 0.5)


def test_compare_concentration_by_hand():
    result = compare_concentration(
        [4, 3, 2, 1], [1, 1, 1, 1], top=0.25, share=0.7, names=("reach", "engagement")
    )
    assert result.top_share_first == pytest.approx(0.4)
    assert result.top_share_second == pytest.approx(0.25)
    assert result.cross_share == pytest.approx(0.25)
    assert result.fraction_first == pytest.approx(0.5)
    assert result.fraction_second == pytest.approx(0.7)
    # mean absolute difference 20/16 over twice the mean 5
    assert result.gini_first == pytest.approx(0.25)
    assert result.gini_second == pytest.approx(0.0)
    assert result.more_concentrated == "reach"
    assert result.n_people == 4
    reach, engagement = result.curves()
    assert (reach.label, engagement.label) == ("reach", "engagement")
    assert reach.gini == result.gini_first
    # the bottom 75% of reach hold 60% of it; engagement is equal for all
    assert float(reach.lorenz.at(0.75)) == pytest.approx(0.6)
    assert float(engagement.lorenz.at(0.5)) == pytest.approx(0.5)
    summary = result.summary()
    assert list(summary.index) == ["reach", "engagement", "engagement of the top by reach"]
    json.dumps(result.to_dict())
    assert "40.0% of reach" in result.describe()


def test_person_engagement_by_hand(scenario):
    people = pd.DataFrame(
        {
            "network_impressions": [1000.0, 0.0],
            "influence_posts": [3.0, 1.0],
            "reviews": [1.0, 0.0],
            "forum_posts": [2.0, 0.0],
            "blog_comments": [0.0, 1.0],
            "blog_posts": [0.0, 0.0],
        }
    )
    out = person_engagement(people, scenario)
    assert out["total_impressions"].tolist() == pytest.approx([1000 + 3 * 150, 150])
    assert out["seen_impressions"].tolist() == pytest.approx([350 + 450, 150])
    assert out["engaged_impressions"].tolist() == pytest.approx([350 * 0.0501 + 450 / 50, 150 / 50])
    # without post-type columns the share-weighted rates give the same (equal rates)
    fallback = person_engagement(people[["network_impressions", "influence_posts"]], scenario)
    pd.testing.assert_frame_equal(out, fallback)


def _top_share(values: np.ndarray, p: float) -> float:
    ordered = np.sort(values)[::-1]
    k = p * len(ordered)
    whole = math.floor(k)
    return (ordered[:whole].sum() + (k - whole) * ordered[whole]) / ordered.sum()


def _gini(values: np.ndarray) -> float:
    x = np.sort(values)
    n = len(x)
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * x.sum()))


def _cross(rank: pd.Series, values: pd.Series, p: float) -> float:
    k = p * len(rank)
    boundary = np.sort(rank.to_numpy())[::-1][math.floor(k)]
    above = rank > boundary
    tied = rank == boundary
    fraction = (k - above.sum()) / tied.sum()
    return (values[above].sum() + fraction * values[tied].sum()) / values.sum()


def test_stackexchange_reproduced_with_pandas(scenario):
    p, q = scenario.headline.influencers_share, scenario.headline.impressions_share
    result = stackexchange_concentration()
    users = load_scifi_stackexchange_users()
    assert -1 not in set(users["Id"])  # the loader drops the Community bot
    views = users["Views"].to_numpy(dtype=float)
    votes = (users["UpVotes"] + users["DownVotes"]).to_numpy(dtype=float)
    assert (result.top, result.share) == (p, q)
    assert result.n_people == len(users)
    assert result.top_share_first == pytest.approx(_top_share(views, p), rel=1e-9)
    assert result.top_share_second == pytest.approx(_top_share(votes, p), rel=1e-9)
    assert result.gini_first == pytest.approx(_gini(views), rel=1e-9)
    assert result.gini_second == pytest.approx(_gini(votes), rel=1e-9)
    assert result.cross_share == pytest.approx(
        _cross(users["Views"], users["UpVotes"] + users["DownVotes"], p), rel=1e-9
    )


def test_wiki_vote_reproduced_with_pandas(scenario):
    p = scenario.headline.influencers_share
    result = wiki_vote_concentration()
    users = load_wiki_vote_users()
    received = users["votes_received"].to_numpy(dtype=float)
    cast = users["votes_cast"].to_numpy(dtype=float)
    assert result.top_share_first == pytest.approx(_top_share(received, p), rel=1e-9)
    assert result.top_share_second == pytest.approx(_top_share(cast, p), rel=1e-9)
    assert result.gini_first == pytest.approx(_gini(received), rel=1e-9)
    assert result.gini_second == pytest.approx(_gini(cast), rel=1e-9)
    assert result.cross_share == pytest.approx(
        _cross(users["votes_received"], users["votes_cast"], p), rel=1e-9
    )
    assert wiki_vote_concentration(top=0.5, share=0.5).top == 0.5


def test_panel_engagement_concentration(scenario):
    from influence_kit.population import load_panel

    p = scenario.headline.influencers_share
    people = load_panel(scenario)
    result = engagement_concentration(people, scenario)
    per_person = person_engagement(people, scenario)
    assert people["weight"].nunique() == 1  # equal weights: unweighted shares apply
    assert result.top_share_first == pytest.approx(
        _top_share(per_person["total_impressions"].to_numpy(), p), rel=1e-9
    )
    assert result.top_share_second == pytest.approx(
        _top_share(per_person["engaged_impressions"].to_numpy(), p), rel=1e-9
    )
    # summed with the weights, the panel's engaged impressions are the scenario's order
    engaged = float((per_person["engaged_impressions"] * people["weight"]).sum())
    direct = engagement_account(scenario, n_draws=39, seed=0).engaged_impressions
    assert engaged == pytest.approx(direct, rel=0.05)


def test_missing_headline_needs_explicit_shares(scenario):
    bare = scenario.model_copy(update={"headline": None})
    people = pd.DataFrame({"network_impressions": [1.0, 2.0], "influence_posts": [0.0, 1.0]})
    with pytest.raises(ParameterError, match="give top and share"):
        engagement_concentration(people, bare)
    result = engagement_concentration(people, bare, top=0.5, share=0.5)
    assert result.top == 0.5


def test_curves_draw_with_the_concentration_plot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from influence_kit.plots.concentration import lorenz_curves

    result = wiki_vote_concentration()
    ax = lorenz_curves(result.curves(), headline=(result.top, result.share))
    labels = [line.get_label() for line in ax.get_lines()]
    assert any(label.startswith("votes received (Gini") for label in labels)
    assert any(label.startswith("votes cast (Gini") for label in labels)
    plt.close(ax.figure)
