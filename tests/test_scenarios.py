"""Scenario loading, validation, renormalisation and overrides."""

from __future__ import annotations

import math

import pytest
import yaml

from influence_kit.errors import ParameterError, ScenarioError
from influence_kit.parsing import parse_number, parse_override_value, parse_overrides
from influence_kit.scenarios import apply_overrides, load_scenario, scenario_from_dict


def test_default_scenario_has_every_published_figure(default_scenario_path):
    s = load_scenario(default_scenario_path)
    assert s.online_adults.base == 176e6
    assert s.network_impressions.base == 256e9
    assert s.influence_posts.base == 1.64e9
    assert s.readers_per_post.base == 150
    assert s.readers_per_post.range == (50.0, 1000.0)
    assert s.advertiser_impressions.base == 2.0e12
    assert s.segments.mass_connectors_share.base == 0.062
    assert s.segments.mass_mavens_share.base == 0.138
    assert s.segments.overlap_share.base == 0.037
    assert s.segments.connectors_mean_friends.base == 537
    assert s.segments.mass_influencers_share == pytest.approx(0.163)
    assert s.headline.total_impressions_claim == 500e9
    assert s.headline.influencers_share == 0.16
    assert s.headline.impressions_share == 0.80
    assert "bernoff2010" in s.sources


def test_published_rounding_is_renormalised_with_a_note(default_scenario_path):
    s = load_scenario(default_scenario_path)
    assert math.fsum(q.base for q in s.network_shares.values()) == pytest.approx(1.0, abs=1e-12)
    assert math.fsum(q.base for q in s.post_type_shares.values()) == pytest.approx(1.0, abs=1e-12)
    assert s.network_shares["facebook"].base == pytest.approx(0.62 / 0.99)
    assert s.post_type_shares["reviews"].base == pytest.approx(0.32 / 1.01)
    assert any("the network shares summed to 0.99" in n for n in s.notes)
    assert any("the post type shares summed to 1.01" in n for n in s.notes)


def test_every_numeric_input_has_a_range(default_scenario_path):
    s = load_scenario(default_scenario_path)
    for key, q in s.quantities().items():
        assert q.low <= q.base <= q.high, key
    ranged = {k for k, q in s.quantities().items() if q.low < q.high}
    assert {
        "online_adults",
        "network_impressions",
        "influence_posts",
        "readers_per_post",
        "advertiser_impressions",
    } <= ranged


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"readers_per_post": -5}, "readers_per_post must not be negative"),
        ({"online_adults": 0}, "online_adults must be positive"),
        ({"nonsense": 1}, "unknown key 'nonsense'"),
        ({"readers_per_post.colour": 1}, "unknown key"),
        ({"network_shares.facebook": 0.3}, "network_shares sum to 0.67"),
        # applied to the loaded (renormalised) shares: one override path for every caller
        ({"post_type_shares.reviews": 0.5}, "post_type_shares sum to 1.183"),
        ({"readers_per_post.low": 300}, "base (150) lies outside its range [300, 1000]"),
        ({"readers_per_post": "abc"}, "expected a number, got the string 'abc'"),
        ({"readers_per_post": float("nan")}, "finite"),
        ({"readers_per_post.distribution.kind": "beta"}, "readers_per_post.distribution.kind"),
        ({"segments.overlap_share": 0.5}, "exceeds the smaller segment"),
        ({"segments.mass_mavens_share": 1.5}, "must lie in [0, 1]"),
        ({"network_shares.facebook": -0.1}, "must lie in [0, 1]"),
        ({"advertiser_impressions": 0}, "advertiser_impressions must be positive"),
    ],
)
def test_bad_overrides_are_refused_naming_the_key(default_scenario_path, overrides, message):
    with pytest.raises(ScenarioError) as info:
        load_scenario(default_scenario_path, overrides)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_yaml_strings_for_numbers_are_refused(scenario_yaml):
    def edit(d):
        d["network_impressions"]["base"] = "256e9"

    path = scenario_yaml(edit)
    with pytest.raises(ScenarioError, match=r"network_impressions.base: expected a number"):
        load_scenario(path)


def test_unknown_top_level_key_is_refused(scenario_yaml):
    path = scenario_yaml(lambda d: d.update(readers_per_pots=150))
    with pytest.raises(ScenarioError, match="readers_per_pots: unknown key"):
        load_scenario(path)


def test_missing_key_is_refused(scenario_yaml):
    path = scenario_yaml(lambda d: d.pop("influence_posts"))
    with pytest.raises(ScenarioError, match="influence_posts: required key is missing"):
        load_scenario(path)


def test_negative_readers_in_file_is_refused(scenario_yaml):
    def edit(d):
        d["readers_per_post"] = -5

    with pytest.raises(ScenarioError, match="readers_per_post must not be negative"):
        load_scenario(scenario_yaml(edit))


def test_low_above_high_is_refused(scenario_yaml):
    def edit(d):
        d["influence_posts"].update(low=2e9, high=1e9)

    with pytest.raises(ScenarioError, match=r"low .* is greater than high"):
        load_scenario(scenario_yaml(edit))


def test_invalid_distribution_parameters_are_refused(scenario_yaml):
    def edit(d):
        d["readers_per_post"]["distribution"] = {"kind": "lognormal", "sigma": -1.0}

    with pytest.raises(ScenarioError, match=r"readers_per_post\.distribution\.sigma"):
        load_scenario(scenario_yaml(edit))


def test_not_yaml_and_missing_file(tmp_path, scenario_yaml):
    with pytest.raises(ScenarioError, match=r"scenario file not found"):
        load_scenario(tmp_path / "nope.yaml")
    path = scenario_yaml(text="meta: [unclosed\n")
    with pytest.raises(ScenarioError, match=r"not valid YAML at line"):
        load_scenario(path)
    path = scenario_yaml(text="- just\n- a list\n")
    with pytest.raises(ScenarioError, match=r"must be a mapping"):
        load_scenario(path)


def test_override_sets_base_and_moves_range(default_scenario_path):
    s = load_scenario(default_scenario_path, {"readers_per_post": 2000})
    assert s.readers_per_post.base == 2000
    # 50..1000 around 150: the ratios 1/3 and 20/3 are kept
    assert s.readers_per_post.range == pytest.approx((2000 / 3, 40000 / 3))
    s = load_scenario(default_scenario_path, {"readers_per_post.high": 5000})
    assert s.readers_per_post.high == 5000
    base = load_scenario(default_scenario_path)
    others = sum(q.base for name, q in base.network_shares.items() if name != "facebook")
    s = load_scenario(default_scenario_path, {"network_shares.facebook": 0.61})
    # set on the loaded (normalised) shares, then renormalised again: one path for all
    assert s.network_shares["facebook"].base == pytest.approx(0.61 / (0.61 + others))


def test_per_type_readers_must_name_a_post_type(default_scenario_path):
    s = load_scenario(default_scenario_path, {"readers_per_post_by_type": {"reviews": 300}})
    assert s.readers_per_post_by_type["reviews"].base == 300
    with pytest.raises(ScenarioError, match="not one of the post types"):
        load_scenario(default_scenario_path, {"readers_per_post_by_type": {"tweets": 300}})


def test_override_value_parsing():
    assert parse_override_value("256e9") == 256e9
    assert parse_override_value("256_000") == 256000
    assert isinstance(parse_override_value("300"), int)
    assert parse_override_value("true") is True
    assert parse_override_value("abc") == "abc"
    assert parse_overrides(["a.b=1.5", "c = 2"]) == {"a.b": 1.5, "c": 2}
    with pytest.raises(ScenarioError, match="has no value"):
        parse_overrides(["a="])


@pytest.mark.parametrize(
    ("text", "value"),
    [("150", 150), ("1.64e9", 1.64e9), ("256e9", 256e9), ("256_000_000_000", 256e9),
     ("256,000,000,000", 256e9), ("1,500.5", 1500.5), (" +3 ", 3)],
)  # fmt: skip
def test_one_number_parser_accepts(text, value):
    """The CLI's --set and the explorer's fields read numbers with the same parser."""
    assert parse_override_value(text) == value
    assert parse_number("x", text) == value


@pytest.mark.parametrize("text", ["1,5", "1,50", "nan", "inf", "1e999", "12abc", "1 500", ""])
def test_one_number_parser_refuses(text):
    assert not isinstance(parse_override_value(text), (int, float)) or text == ""
    with pytest.raises(ParameterError):
        parse_number("x", text)


def test_library_takes_a_mapping_of_overrides_not_text():
    with pytest.raises(ParameterError, match=r"mapping of dotted keys.*parse_overrides"):
        load_scenario("forrester-us-2009", ["readers_per_post=300"])
    with pytest.raises(ScenarioError, match="expected a number"):
        load_scenario("forrester-us-2009", {"readers_per_post": "300"})  # text is not parsed


def test_variant_records_its_overrides_and_loads_back_identically():
    base = load_scenario("forrester-us-2009")
    variant = base.with_overrides({"readers_per_post": 300})
    assert variant.overrides == {"readers_per_post": 300.0} and not base.overrides
    assert variant.with_overrides({}) is variant
    again = scenario_from_dict(variant.to_dict())
    assert again.digest() == variant.digest() != base.digest()
    assert again.notes == base.notes  # renormalisation notes are not repeated
    assert scenario_from_dict(base.to_dict()).digest() == base.digest()
    # 300 and 300.0 make the same variant
    assert base.with_overrides({"readers_per_post": 300.0}).digest() == variant.digest()


def test_scenario_holds_what_its_file_states():
    """Derivation is the accounting layer's decision, not a mutation of the scenario."""
    from influence_kit.accounting import effective_inputs

    s = load_scenario("audience-us-2009")
    assert s.readers_per_post.base == 150 and s.derived == (
        "readers_per_post",
        "network_impressions",
    )
    inputs = effective_inputs(s)
    assert inputs.stated["readers_per_post"] is s.readers_per_post
    # unequal audiences (Facebook's spread, the friendship paradox) and a no-spread share
    # that agrees with the 1-4% of cascades past one step (it was 54.3 with equal audiences)
    assert inputs.readers_per_post.base == pytest.approx(71.9, abs=0.05)
    assert inputs["audience_model.possible_network_impressions"] is s.network_impressions


def test_apply_overrides_does_not_mutate_input():
    data = {"readers_per_post": {"base": 150, "low": 50, "high": 1000}}
    out = apply_overrides(data, {"readers_per_post": 15})
    assert data["readers_per_post"]["base"] == 150
    assert out["readers_per_post"] == pytest.approx({"base": 15, "low": 5, "high": 100})


@pytest.mark.parametrize(
    ("name", "total", "meets_claim"),
    [
        ("forrester-us-2009", 502e9, True),  # 256e9 + 1.64e9 x 150
        ("skeptic-us-2009", 338e9, False),  # 256e9 + 1.64e9 x 50
        ("western-europe-2010", 120e9, True),  # published total, split by stated assumptions
    ],
)
def test_shipped_scenarios(root, name, total, meets_claim):
    from influence_kit.accounting import account

    path = root / "data" / "scenarios" / f"{name}.yaml"
    s = load_scenario(path)
    assert s.name == name
    acc = account(s)
    assert acc.total_impressions == pytest.approx(total, rel=1e-9)
    assert acc.meets_claim is meets_claim


def test_shipped_scenarios_load_by_name_and_a_path_wins(tmp_path, monkeypatch, scenario_yaml):
    from influence_kit.scenarios import list_scenarios, scenario_file

    names = list_scenarios()
    assert names == sorted(names)
    assert {"forrester-us-2009", "skeptic-us-2009", "western-europe-2010"} <= set(names)
    for name in names:
        assert scenario_file(name).name == f"{name}.yaml"
        assert load_scenario(name).meta.name
    monkeypatch.chdir(tmp_path)
    assert load_scenario("skeptic-us-2009").readers_per_post.base == 50
    # a file of the same name in the working directory wins over the shipped scenario
    local = scenario_yaml(lambda d: d["readers_per_post"].update(base=77))
    local.rename(tmp_path / "skeptic-us-2009")
    assert load_scenario("skeptic-us-2009").readers_per_post.base == 77
    with pytest.raises(ScenarioError) as info:
        load_scenario("no-such-scenario")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("no-such-scenario: scenario file not found")
    assert ", ".join(names) in message


# --- refused documents and overrides: one clear error, never a silently wrong number ---


def _write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _shipped_text():
    from influence_kit.scenarios import scenario_file

    return scenario_file("forrester-us-2009").read_text()


def test_duplicate_key_is_refused(tmp_path):
    text = _shipped_text() + "\nreaders_per_post: 300\n"
    with pytest.raises(ScenarioError, match="'readers_per_post' appears twice"):
        load_scenario(_write(tmp_path, text))


def test_deep_nesting_is_one_line(tmp_path):
    path = _write(tmp_path, "a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "\n" not in str(err.value) and "deep" in str(err.value)


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ("headline.total_impressions_claim=nan", "headline.total_impressions_claim"),
        ("readers_per_post.high=inf", "readers_per_post.high"),
        ("network_impressions=-inf", "network_impressions"),
    ],
)
def test_non_finite_numbers_are_refused(override, key):
    with pytest.raises(
        ScenarioError,
        match=rf"{key}[.a-z]*: (must be a finite number|expected a number, got the string)",
    ):
        load_scenario("forrester-us-2009", parse_overrides([override]))


def test_non_finite_yaml_values_are_refused(tmp_path):
    data = yaml.safe_load(_shipped_text())
    data["headline"]["total_impressions_claim"] = float("nan")
    path = _write(tmp_path, yaml.safe_dump(data))
    with pytest.raises(ScenarioError, match="total_impressions_claim: must be a finite number"):
        load_scenario(path)


@pytest.mark.parametrize(
    "override",
    {
        "network_shares.facebook.high.base": 0.63,
        "readers_per_post.low.base": 10,
        "readers_per_post.nonsense": 1,
        "nonsense.base": 1,
    },
)
def test_dotted_keys_must_name_fields(override):
    with pytest.raises(ScenarioError, match="override"):
        load_scenario("forrester-us-2009", parse_overrides([override]))


def test_dotted_keys_that_name_fields_apply():
    s = load_scenario(
        "forrester-us-2009",
        {"network_shares.facebook.high": 0.7, "readers_per_post.distribution.kind": "uniform"},
    )
    assert s.network_shares["facebook"].high > s.network_shares["facebook"].base
    assert s.readers_per_post.distribution is not None
    assert s.readers_per_post.distribution.kind == "uniform"


def test_overflow_is_an_error_not_null():
    """A number no model input comes near (1e308, whose square or range overflows a
    float) is refused when the scenario loads, with one line naming it."""
    for overrides in (
        {"readers_per_post": 1e308},
        {"readers_per_post": 1e308, "readers_per_post.high": 1e308},
        {"network_impressions.high": 1e101},
    ):
        with pytest.raises(ScenarioError, match=r"is beyond 1e\+100|overflows a float") as err:
            load_scenario("forrester-us-2009", overrides)
        assert "\n" not in str(err.value)
    # just below the cap everything stays finite
    from influence_kit import account

    total = account(load_scenario("forrester-us-2009", {"readers_per_post": 1e98}))
    assert math.isfinite(total.total_impressions)


def test_a_blank_unknown_key_is_named(scenario_yaml):
    def edit(data):
        data[""] = 1
        data["network_shares"][" "] = 0.0

    with pytest.raises(ScenarioError, match=r": '': unknown key|: ' ': unknown key"):
        load_scenario(scenario_yaml(edit))
