"""The range rule: overriding a base moves its range (and distribution) with it."""

from __future__ import annotations

import numpy as np
import pytest

from influence_kit.accounting import account
from influence_kit.errors import ScenarioError
from influence_kit.parsing import parse_overrides
from influence_kit.scenarios import apply_overrides, load_scenario, move_range
from influence_kit.sensitivity import monte_carlo, sweep_readers_per_post, tornado

SCENARIO = "forrester-us-2009"


@pytest.mark.parametrize("factor", [0.1, 0.5, 2.0, 7.0])
def test_base_override_keeps_the_relative_spread(factor):
    plain = load_scenario(SCENARIO)
    for key in ("network_impressions", "influence_posts", "online_adults", "readers_per_post"):
        q = plain.quantities()[key]
        moved = load_scenario(SCENARIO, {key: q.base * factor}).quantities()[key]
        assert moved.base == pytest.approx(q.base * factor)
        assert moved.low / moved.base == pytest.approx(q.low / q.base)
        assert moved.high / moved.base == pytest.approx(q.high / q.base)
        assert moved.distribution == q.distribution  # triangular/PERT follow low/high


def test_key_and_key_base_are_the_same_override():
    a = load_scenario(SCENARIO, {"readers_per_post": 300})
    b = load_scenario(SCENARIO, {"readers_per_post.base": 300})
    assert a.readers_per_post == b.readers_per_post
    assert a.readers_per_post.range == pytest.approx((100, 2000))


def test_zero_base_collapses_the_range_and_fixes_the_distribution():
    s = load_scenario(SCENARIO, {"network_impressions": 0})
    q = s.network_impressions
    assert (q.base, q.low, q.high) == (0, 0, 0)
    assert q.distribution is not None and q.distribution.kind == "fixed"
    # from a zero base, a new base is a point too
    data = {"x": {"base": 0, "low": 0, "high": 10, "distribution": {"kind": "uniform"}}}
    out = apply_overrides(data, {"x": 5})
    assert out["x"] == {"base": 5, "low": 5, "high": 5, "distribution": {"kind": "fixed"}}


def test_monte_carlo_without_network_is_the_posts_part_alone():
    s = load_scenario(SCENARIO, {"network_impressions": 0})
    total = monte_carlo(s, draws=20_000, seed=7)
    posts = monte_carlo(s, draws=20_000, seed=7, output="post_impressions")
    np.testing.assert_array_equal(total.samples, posts.samples)
    assert total.p50 == pytest.approx(posts.p50)
    # the posts part of the unmodified scenario, draw for draw (same seed, same inputs)
    plain = load_scenario(SCENARIO)
    unmodified_posts = monte_carlo(plain, draws=20_000, seed=7, output="post_impressions")
    np.testing.assert_allclose(total.samples, unmodified_posts.samples, rtol=1e-12)
    # and the median drops by about the network's 256 billion, not nothing
    drop = monte_carlo(plain, draws=20_000, seed=7).p50 - total.p50
    assert plain.network_impressions.low < drop < plain.network_impressions.high
    assert total.p5 >= 0
    assert total.base_output == pytest.approx(account(s).post_impressions)


def test_tornado_and_sweeps_use_the_moved_range():
    s = load_scenario(SCENARIO, {"network_impressions": 0, "readers_per_post": 300})
    bars = {b.input: b for b in tornado(s).bars}
    assert bars["network_impressions"].swing == 0
    rpp = bars["readers_per_post"]
    assert (rpp.low, rpp.high) == pytest.approx((100, 2000))
    posts = s.influence_posts.base
    assert rpp.output_high == pytest.approx(posts * 2000)
    assert rpp.output_low == pytest.approx(posts * 100)
    doubled = load_scenario(SCENARIO, {"influence_posts": 3280000000.0})
    bar = next(b for b in tornado(doubled).bars if b.input == "influence_posts")
    assert (bar.low, bar.high) == pytest.approx((2.62e9, 3.94e9))
    swept = sweep_readers_per_post(s, num=3)  # default: the scenario's range
    assert swept.values == pytest.approx([100, 1050, 2000])
    assert swept.outputs["network_impressions"] == pytest.approx([0, 0, 0])


def test_explicit_low_high_win_whatever_their_order():
    for overrides in (
        {"readers_per_post": 300, "readers_per_post.low": 200, "readers_per_post.high": 400},
        {"readers_per_post.high": 400, "readers_per_post.low": 200, "readers_per_post": 300},
    ):
        q = load_scenario(SCENARIO, overrides).readers_per_post
        assert (q.low, q.base, q.high) == (200, 300, 400)
    q = load_scenario(SCENARIO, {"readers_per_post": 300, "readers_per_post.low": 120})
    assert q.readers_per_post.range == pytest.approx((120, 2000))  # high still moves
    with pytest.raises(ScenarioError, match="outside its range"):
        load_scenario(SCENARIO, {"readers_per_post": 300, "readers_per_post.high": 250})
    with pytest.raises(ScenarioError, match="outside its range"):
        load_scenario(SCENARIO, {"readers_per_post": 300, "readers_per_post.low": 301})


def test_distribution_parameters_follow_the_rule():
    base = {"base": 100.0, "low": 80.0, "high": 130.0, "distribution": {"kind": "normal", "sd": 10}}
    out = apply_overrides({"q": base}, {"q": 300})["q"]
    assert out["distribution"]["sd"] == pytest.approx(30)
    assert (out["low"], out["high"]) == pytest.approx((240, 390))
    out = apply_overrides({"q": base}, {"q": 300, "q.distribution.sd": 5})["q"]
    assert out["distribution"]["sd"] == 5
    logn = {**base, "distribution": {"kind": "lognormal", "sigma": 0.4}}
    out = apply_overrides({"q": logn}, {"q": 300})["q"]
    assert out["distribution"] == {"kind": "lognormal", "sigma": 0.4}  # relative already
    out = apply_overrides({"q": logn}, {"q": 0, "q.distribution.kind": "lognormal"})["q"]
    assert out["distribution"]["kind"] == "lognormal"  # explicit wins (then refused on load)


def test_shares_moved_range_is_clipped_to_unit_interval():
    s = load_scenario(SCENARIO, {"segments.mass_connectors_share": 0.99})
    q = s.segments.mass_connectors_share
    assert q.high == 1.0
    assert q.low == pytest.approx(0.99 * 0.057 / 0.062)


def test_moved_range_that_overflows_is_refused():
    with pytest.raises(ScenarioError, match=r"readers_per_post\.high explicitly"):
        load_scenario(SCENARIO, {"readers_per_post": 1e308})


def test_move_range_leaves_bad_values_to_the_validator():
    q = {"base": "abc", "low": 1, "high": 2}
    move_range(q, {"base": 1.5, "low": 1, "high": 2}, {"base"})
    assert q == {"base": "abc", "low": 1, "high": 2}
    with pytest.raises(ScenarioError, match="must not be negative"):
        load_scenario(SCENARIO, {"influence_posts": -1})


def test_a_tiny_base_moves_its_range_without_underflow():
    q = load_scenario(SCENARIO, {"online_adults": 5e-300}).online_adults
    assert q.low == pytest.approx(5e-300 * 167 / 176) and q.low > 0
    assert q.high == pytest.approx(5e-300 * 185 / 176)


def test_per_type_readers_can_be_set_for_an_existing_post_type():
    s = load_scenario(SCENARIO, {"readers_per_post_by_type.reviews": 300})
    assert s.readers_per_post_by_type["reviews"].base == 300
    assert account(s).by_post_type["reviews"] == pytest.approx(
        2 * account(load_scenario(SCENARIO)).by_post_type["reviews"]
    )
    with pytest.raises(ScenarioError, match="unknown key"):
        load_scenario(SCENARIO, {"readers_per_post_by_type.tweets": 300})


@pytest.mark.parametrize("item", ["a\nb=1", "readers_per_post=1\n2", "readers\x00=3"])
def test_override_with_a_control_character_is_one_clean_line(item):
    with pytest.raises(ScenarioError, match="control character") as info:
        load_scenario(SCENARIO, parse_overrides([item]))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "item",
    {
        "headline.total_impressions_claim": -5,
        "headline.influencers_share": 1.5,
        "headline.impressions_share": -0.1,
        "meta.year": 99999999999999999999999,
    },
)
def test_headline_and_year_are_range_checked(item):
    with pytest.raises(ScenarioError, match=item.split("=")[0]):
        load_scenario(SCENARIO, parse_overrides([item]))
