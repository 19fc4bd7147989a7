"""What a person types into the explorer: :func:`influence_kit.parsing.parse_quantity` reads
numbers in the forms people write them, and :func:`influence_kit.scenarios.check_plausible`
refuses values nobody could mean (while scenario files stay free to explore extremes)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influence_kit.errors import ParameterError
from influence_kit.formatting import UNITS, format_quantity
from influence_kit.parsing import SCALE_WORDS, parse_number, parse_quantity
from influence_kit.scenarios import (
    PLAUSIBLE_BOUNDS,
    Plausible,
    check_plausible,
    load_scenario,
    plausible,
    plausible_bounds,
)

FIELD = "network impressions"


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("256 billion", "impressions", 256e9),
        ("256bn", "impressions", 256e9),
        ("256 BN", "impressions", 256e9),
        ("256b", "impressions", 256e9),
        ("256 Billion", "impressions", 256e9),
        ("1.64 billion", "posts", 1.64e9),
        ("1.64bn", "posts", 1.64e9),
        ("2 trillion", "impressions", 2e12),
        ("2tn", "impressions", 2e12),
        ("2T", "impressions", 2e12),
        ("390 million", "people", 390e6),
        ("390m", "people", 390e6),
        ("390 mn", "people", 390e6),
        ("12 thousand", "count", 12e3),
        ("12k", "readers", 12e3),
        ("12K", "readers", 12e3),
        ("1.64e9", "posts", 1.64e9),
        ("1,640,000,000", "posts", 1.64e9),
        ("1 640 000 000", "posts", 1.64e9),
        ("1\u00a0640\u00a0000\u00a0000", "posts", 1.64e9),
        ("1,500 million", "readers", 1.5e9),
        ("1 500 million", "readers", 1.5e9),
        ("1_000", "readers", 1e3),
        ("  150  ", "readers", 150.0),
        ("\t256 billion\n", "impressions", 256e9),
        ("0", "readers", 0.0),
        ("+3", "number", 3.0),
        ("0.1 million", "people", 1e5),
        ("2.5", "number", 2.5),
        ("25%", "share", 0.25),
        ("25 %", "share", 0.25),
        ("12.3%", "share", 0.123),
        ("0.25", "share", 0.25),
        ("1", "share", 1.0),
        ("100%", "share", 1.0),
    ],
)
def test_parse_quantity_reads_what_people_type(text, unit, value):
    got = parse_quantity(FIELD, text, unit)
    assert got == value  # exact: the float of the number written out in full
    assert type(got) is float


def test_scale_words_are_the_documented_ones():
    assert SCALE_WORDS == {
        "thousand": 3,
        "k": 3,
        "million": 6,
        "m": 6,
        "mn": 6,
        "billion": 9,
        "b": 9,
        "bn": 9,
        "trillion": 12,
        "t": 12,
        "tn": 12,
    }
    for word, power in SCALE_WORDS.items():
        assert parse_quantity("x", f"7 {word}", "count") == float(f"7e{power}")
        assert parse_quantity("x", f"7{word.upper()}", "count") == float(f"7e{power}")


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("", "impressions", "enter a number"),
        ("   ", "impressions", "enter a number"),
        ("abc", "impressions", "'abc' is not a number"),
        ("12abc", "impressions", "'12abc' is not a number"),
        ("nan", "impressions", "'nan' is not a number"),
        ("NaN", "share", "'NaN' is not a number"),
        ("inf", "impressions", "'inf' is not a number"),
        ("-inf", "impressions", "'-inf' is not a number"),
        ("infinity", "readers", "'infinity' is not a number"),
        ("-1", "impressions", "must not be negative, got -1"),
        ("-5 billion", "impressions", "must not be negative, got -5 billion"),
        ("-25%", "share", "must not be negative, got -25%"),
        ("1e999", "impressions", "'1e999' is too large"),
        ("1e300 trillion", "impressions", "'1e300 trillion' is too large"),
        ("9" * 400, "count", "is too large"),
        ("1e999%", "share", "is too large"),
        ("25%", "readers", "'25%' is a percentage, but only a share takes one"),
        ("25%", "impressions", "'25%' is a percentage"),
        ("25k", "share", "'25k' is not a number"),
        ("2 billions", "impressions", "'2 billions' is not a number"),
        ("bn", "impressions", "'bn' is not a number"),
        ("%", "share", "'%' is not a number"),
        ("1,5", "readers", "commas only between groups of three digits"),
        ("1,5 billion", "readers", "commas only between groups of three digits"),
        ("1 5", "readers", "'1 5' is not a number"),
        ("1 640,000", "readers", "is not a number"),
        ("25%%", "share", "is not a number"),
        ("1\n5", "readers", r"'1\\n5' is not a number"),
    ],
)
def test_parse_quantity_refuses_with_one_line_naming_the_field(text, unit, message):
    with pytest.raises(ParameterError, match=message) as err:
        parse_quantity(FIELD, text, unit)
    assert str(err.value).startswith(FIELD)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("unit", ["text", "percent", ""])
def test_parse_quantity_refuses_a_unit_without_numbers(unit):
    with pytest.raises(ParameterError, match="unit must be one of"):
        parse_quantity(FIELD, "1", unit)


def test_every_unit_of_numbers_is_read():
    for unit in UNITS:
        if unit != "text":
            assert parse_quantity("x", "0.5", unit) == 0.5


def test_parse_number_keeps_its_stricter_forms():
    """parse_number (the CLI's --set) reads no words, spaces or percentages."""
    for text in ("256 billion", "12k", "1 500", "25%"):
        with pytest.raises(ParameterError, match="is not a number"):
            parse_number("x", text)
    assert parse_number("x", "1,640,000,000") == parse_quantity("x", "1,640,000,000", "posts")


def test_share_percent_and_readers_percent():
    assert parse_quantity("Facebook share", "25%", "share") == 0.25
    with pytest.raises(ParameterError, match="readers per post"):
        parse_quantity("readers per post", "25%", "readers")


# --- plausible bounds -------------------------------------------------------------------


def test_1e99_readers_per_post_is_not_plausible():
    with pytest.raises(ParameterError, match="1 million") as err:
        check_plausible("readers_per_post", 1e99, "readers per post")
    assert str(err.value) == "readers per post must lie between 0 and 1 million, got 1e+99"


def test_256_billion_network_impressions_are_plausible():
    value = parse_quantity("network impressions", "256 billion", "impressions")
    assert check_plausible("network_impressions", value) == 256e9


def test_the_required_bounds():
    assert plausible_bounds("readers_per_post") == (0.0, 1e6)
    assert plausible_bounds("network_impressions") == (0.0, 1e15)
    assert plausible_bounds("influence_posts") == (0.0, 1e13)
    assert plausible_bounds("online_adults") == (0.0, 1e10)
    assert plausible_bounds("audience_model.audience") == (0.0, 1e6)
    for key in (
        "network_shares.facebook",
        "network_shares.a_network_no_scenario_names",
        "post_type_shares.reviews",
        "post_type_shares.anything",
        "segments.mass_connectors_share",
        "segments.mass_mavens_share",
        "segments.overlap_share",
        "segments.concentration_share",
        "audience_model.visibility",
        "audience_model.no_spread_share",
    ):
        assert plausible_bounds(key) == (0.0, 1.0), key
        assert plausible(key).unit == "share", key
    assert plausible_bounds("readers_per_post_by_type.reviews") == (0.0, 1e6)
    assert plausible_bounds("readers_per_post_by_type.anything") == (0.0, 1e6)


@pytest.mark.parametrize(
    "key",
    [
        "no_such_key",
        "meta.title",
        "network_shares",
        "readers_per_post_by_type",
        "network_shares.facebook.distribution.kind",
        "readers_per_post.distribution.sd",
        "",
    ],
)
def test_unknown_keys_have_no_bounds(key):
    assert plausible_bounds(key) is None
    assert check_plausible(key, 1e99) == 1e99


def test_a_quantity_field_has_its_quantity_bounds():
    assert plausible("readers_per_post.high") == plausible("readers_per_post")
    assert plausible("network_shares.facebook.low") == plausible("network_shares.*")
    # a network named "low" is a network, not the field of a quantity
    assert plausible("network_shares.low") == plausible("network_shares.*")


def test_every_entry_is_documented_and_in_a_unit_of_numbers():
    for key, entry in PLAUSIBLE_BOUNDS.items():
        assert isinstance(entry, Plausible)
        assert entry.unit in UNITS and entry.unit != "text", key
        assert 0 <= entry.low < entry.high and math.isfinite(entry.high), key
        assert entry.reason and "\n" not in entry.reason, key
        if entry.unit == "share":
            assert (entry.low, entry.high) == (0.0, 1.0), key


@pytest.mark.parametrize("scenario", ["forrester-us-2009", "audience-us-2009"])
def test_the_shipped_figures_are_plausible(scenario):
    data = load_scenario(scenario).to_dict()
    checked = 0
    for key in PLAUSIBLE_BOUNDS:
        family, _, rest = key.partition(".")
        node = data.get(family)
        names = list(node) if rest == "*" and isinstance(node, dict) else [rest]
        for name in names:
            quantity = node.get(name) if rest and isinstance(node, dict) else node
            if not isinstance(quantity, dict):
                continue
            dotted = f"{family}.{name}" if rest else family
            for field in ("base", "low", "high"):
                check_plausible(dotted, quantity[field])
                checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("readers_per_post", 2e6, "readers per post must lie between 0 and 1 million, got 2e+06"),
        ("readers_per_post", -1, "between 0 and 1 million, got -1"),
        ("online_adults", 1e11, "online adults must lie between 0 and 10 billion"),
        ("influence_posts", 1e14, "between 0 and 10 trillion"),
        ("network_impressions", 2e15, "between 0 and 1.00e+15"),
        ("network_shares.facebook", 25, "between 0% and 100%, got 25 (2,500%)"),
        ("audience_model.visibility", 1.5, "audience model visibility must lie between 0%"),
        ("readers_per_post_by_type.reviews", 1e7, "between 0 and 1 million"),
        ("readers_per_post", math.nan, "must be a finite number, got nan"),
        ("no_such_key", math.inf, "must be a finite number, got inf"),
    ],
)
def test_check_plausible_refuses_in_one_line_naming_the_field(key, value, message):
    with pytest.raises(ParameterError, match=re.escape(message)) as err:
        check_plausible(key, value)
    assert str(err.value).startswith(key.replace("_", " ").replace(".", " "))
    assert "\n" not in str(err.value)


def test_check_plausible_takes_the_label_and_includes_the_ends():
    with pytest.raises(ParameterError, match=r"^Facebook share must lie between"):
        check_plausible("network_shares.facebook", 1.01, "Facebook share")
    assert check_plausible("network_shares.facebook", 1) == 1.0
    assert check_plausible("readers_per_post", 1e6) == 1e6
    assert check_plausible("readers_per_post", 0) == 0.0


def test_scenario_loading_does_not_apply_the_plausible_bounds():
    """A scenario may explore extremes: only the explorer's fields check plausibility."""
    scenario = load_scenario(
        "forrester-us-2009", {"readers_per_post": 2e6, "network_impressions": 2e15}
    )
    assert scenario.readers_per_post.base == 2e6
    assert scenario.network_impressions.base == 2e15


# --- round trip: what the page shows reads back as the value, to its display rounding ---

#: Relative rounding of format_quantity's 3 significant digits (half a unit of the third
#: digit is at most 0.5% of the value), with room for the float of the rounded text.
DISPLAY_ROUNDING = 5e-3 + 1e-12


@given(st.floats(min_value=0, max_value=1e18, allow_nan=False, allow_infinity=False))
def test_impressions_round_trip_through_their_display(x):
    shown = format_quantity(x, "impressions")
    assert parse_quantity(FIELD, shown, "impressions") == pytest.approx(
        x, rel=DISPLAY_ROUNDING, abs=1e-300
    )


@given(st.integers(min_value=0, max_value=10**18))
def test_whole_impressions_round_trip_through_their_display(n):
    shown = format_quantity(n, "impressions")
    assert parse_quantity(FIELD, shown, "impressions") == pytest.approx(n, rel=DISPLAY_ROUNDING)


@given(
    st.floats(
        min_value=0, max_value=1, allow_nan=False, allow_infinity=False, allow_subnormal=False
    )
)
def test_shares_round_trip_through_their_display(x):
    shown = format_quantity(x, "share")
    assert shown.endswith("%")
    assert parse_quantity("Facebook share", shown, "share") == pytest.approx(
        x, rel=DISPLAY_ROUNDING, abs=1e-300
    )
