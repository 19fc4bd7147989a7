"""Concentration measures: Lorenz, Gini, top shares, "p% make q%", ties, weights, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence_kit.concentration import (
    TopGroup,
    concentration,
    fraction_for_share,
    gini,
    lorenz_curve,
    top_curve,
    top_group,
    top_share,
)
from influence_kit.errors import DataError, ParameterError
from influence_kit.tables import ValueTable, value_table

# ---------------------------------------------------------------------------
# An independent reference: sort, expand, cumulative sums, fractional boundary person.


def ref_top_share(values: np.ndarray, p: float) -> float:
    """Share held by the top p of the people, splitting the boundary person fractionally."""
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    n = x.size
    k = p * n  # number of people (possibly fractional) in the top
    whole = math.floor(k)
    held = x[:whole].sum() + (k - whole) * (x[whole] if whole < n else 0.0)
    return held / x.sum()


def ref_fraction(values: np.ndarray, q: float) -> float:
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    target = q * x.sum()
    cum = np.concatenate([[0.0], np.cumsum(x)])
    i = int(np.searchsorted(cum, target, side="left")) - 1  # people fully needed: i
    return (i + (target - cum[i]) / x[i]) / x.size


def ref_gini(values: np.ndarray) -> float:
    x = np.asarray(values, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean()))


SMALL = np.array([0, 1, 1, 2, 3, 3, 3, 5, 8, 13, 21, 21, 50], dtype=float)


@pytest.mark.parametrize("p", [0.01, 0.05, 0.1, 0.16, 0.3, 0.5, 0.77, 0.99])
def test_top_share_matches_sort_and_cumsum(p):
    assert top_share(SMALL, p)[0] == pytest.approx(ref_top_share(SMALL, p), abs=1e-12)


@pytest.mark.parametrize("q", [0.05, 0.2, 0.5, 0.8, 0.95, 0.999])
def test_fraction_for_share_matches_reference(q):
    assert fraction_for_share(SMALL, q)[0] == pytest.approx(ref_fraction(SMALL, q), abs=1e-12)


def test_gini_matches_mean_absolute_difference():
    assert gini(SMALL) == pytest.approx(ref_gini(SMALL), abs=1e-12)


def test_known_values():
    # One person holds everything among n: Gini 1 - 1/n; equal values: Gini 0.
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert gini([4, 4, 4]) == pytest.approx(0.0, abs=1e-15)
    # Top 25% of [0, 0, 0, 10] hold everything; the top 10% hold 40% (fractional person).
    assert top_share([0, 0, 0, 10], [0.25, 0.1]) == pytest.approx([1.0, 0.4])
    assert fraction_for_share([0, 0, 0, 10], 0.8)[0] == pytest.approx(0.2)


def test_ties_are_split_fractionally():
    # Five people with equal values: the top 16% hold exactly 16%.
    assert top_share([7, 7, 7, 7, 7], 0.16)[0] == pytest.approx(0.16)
    assert fraction_for_share([7, 7, 7, 7, 7], 0.8)[0] == pytest.approx(0.8)
    # A tie straddling the boundary: [10, 5, 5, 5, 0]; top 30% = 10 + half of one 5.
    assert top_share([10, 5, 5, 5, 0], 0.3)[0] == pytest.approx(12.5 / 25)


def test_table_with_counts_equals_expanded_values():
    rng = np.random.default_rng(3)
    values = rng.integers(0, 40, size=25).astype(float)
    counts = rng.integers(0, 30, size=25)
    values, counts = np.append(values, 0.0), np.append(counts, 7)  # people with nothing
    expanded = np.repeat(values, counts)
    p = [0.01, 0.1, 0.16, 0.5, 0.9]
    q = [0.2, 0.5, 0.8]
    table = value_table(values, counts)
    assert table.n_observations == expanded.size
    assert table.n_zeros == int((expanded == 0).sum()) > 0
    assert top_share(table, p) == pytest.approx(top_share(expanded, p), abs=1e-12)
    assert fraction_for_share(table, q) == pytest.approx(fraction_for_share(expanded, q), abs=1e-12)
    assert gini(table) == pytest.approx(ref_gini(expanded), abs=1e-12)
    np.testing.assert_allclose(np.sort(table.expand()), np.sort(expanded))


def test_integer_weights_equal_repetition():
    values = np.array([3.0, 1.0, 9.0, 4.0, 0.0, 9.0])
    weights = np.array([2, 1, 3, 1, 5, 2])
    expanded = np.repeat(values, weights)
    weighted = value_table(values, weights=weights.astype(float))
    assert weighted.weighted
    assert gini(weighted) == pytest.approx(gini(expanded), abs=1e-12)
    assert top_share(weighted, [0.05, 0.3]) == pytest.approx(top_share(expanded, [0.05, 0.3]))
    assert fraction_for_share(weighted, 0.8) == pytest.approx(fraction_for_share(expanded, 0.8))
    # The zero person carries weight 5: population 14, of which 5 hold nothing.
    assert weighted.population == pytest.approx(14.0)
    assert weighted.zero_people() == pytest.approx(5.0)


def test_weights_are_scale_free():
    values = [1.0, 2.0, 8.0]
    a = value_table(values, weights=[1.0, 2.0, 0.5])
    b = value_table(values, weights=[10.0, 20.0, 5.0])
    assert gini(a) == pytest.approx(gini(b))
    assert a.population == pytest.approx(3.5)


def test_lorenz_curve_shape():
    curve = lorenz_curve(SMALL)
    assert curve.population_share[0] == 0 and curve.value_share[0] == 0
    assert curve.population_share[-1] == 1 and curve.value_share[-1] == 1
    assert curve.gini == pytest.approx(ref_gini(SMALL))
    # Bottom 50% hold one minus what the top 50% hold.
    assert curve.at(0.5) == pytest.approx(1 - ref_top_share(SMALL, 0.5))
    assert list(curve.summary().columns) == ["population_share", "value_share"]


def test_result_protocol():
    res = concentration([1, 2, 2, 5], reps=0)
    assert not res.has_intervals
    assert "gini" in res.print_summary()
    assert "<table" in res._repr_html_()


# ---------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "empty"),
        ([1.0, -2.0], "negative"),
        ([1.0, float("nan")], "NaN or infinite"),
        ([1.0, float("inf")], "NaN or infinite"),
        ([0.0, 0.0, 0.0], "only zeros"),
        ([[1.0, 2.0]], "one-dimensional"),
        (["a", "b"], "numbers"),
    ],
)
def test_bad_values(values, message):
    with pytest.raises(DataError, match=message):
        value_table(values)


def test_bad_counts_and_weights():
    with pytest.raises(DataError, match="whole numbers"):
        value_table([1, 2], counts=[1.5, 2])
    with pytest.raises(DataError, match="2 values but 3 counts"):
        value_table([1, 2], counts=[1, 2, 3])
    with pytest.raises(DataError, match="negative"):
        value_table([1, 2], counts=[1, -2])
    with pytest.raises(DataError, match="every count is zero"):
        value_table([1, 2], counts=[0, 0])
    with pytest.raises(DataError, match="weights"):
        value_table([1, 2], weights=[1, 0])
    with pytest.raises(DataError, match="weights"):
        value_table([1, 2], weights=[1])


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5, float("nan")])
def test_p_and_q_outside_unit_interval(bad):
    table = value_table(SMALL)
    expected = "finite number, got nan" if np.isnan(bad) else "between 0 and 1"
    with pytest.raises(ParameterError, match=rf"^p must .*{expected}"):
        top_share(table, bad)
    with pytest.raises(ParameterError, match=rf"^q must .*{expected}"):
        fraction_for_share(table, [0.5, bad])


def test_messages_are_one_line():
    with pytest.raises(DataError) as err:
        value_table([1.0, float("nan")], name="votes")
    assert "\n" not in str(err.value) and "votes" in str(err.value)
    assert isinstance(value_table(SMALL), ValueTable)


# ---------------------------------------------------------------------------
# Properties

# Zero or a normal float: subnormal values (5e-324) underflow to 0 when scaled.
amounts = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e6))
positive_lists = st.lists(
    amounts,
    min_size=1,
    max_size=40,
).filter(lambda xs: any(x > 0 for x in xs))


@settings(max_examples=60, deadline=None)
@given(positive_lists)
def test_gini_in_unit_interval(xs):
    g = gini(xs)
    assert 0.0 <= g < 1.0
    assert g <= 1 - 1 / len(xs) + 1e-9


@settings(max_examples=60, deadline=None)
@given(positive_lists, st.floats(min_value=1e-3, max_value=1e3))
def test_scale_invariance(xs, scale):
    a = value_table(xs)
    b = value_table(np.asarray(xs) * scale)
    assert gini(b) == pytest.approx(gini(a), abs=1e-9)
    assert top_share(b, [0.1, 0.5]) == pytest.approx(top_share(a, [0.1, 0.5]), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(positive_lists)
def test_lorenz_monotone_convex_below_diagonal(xs):
    curve = lorenz_curve(xs)
    x, y = curve.population_share, curve.value_share
    assert np.all(np.diff(x) > 0)
    assert np.all(np.diff(y) >= -1e-12)
    assert np.all(y <= x + 1e-12)
    slopes = np.diff(y) / np.diff(x)
    assert np.all(np.diff(slopes) >= -1e-9 * max(1.0, slopes.max()))


@settings(max_examples=60, deadline=None)
@given(positive_lists, st.floats(min_value=0.01, max_value=0.99))
def test_inverse_round_trip(xs, q):
    table = value_table(xs)
    p = fraction_for_share(table, q)[0]
    assert 0 < p <= 1
    if p < 1:
        assert top_share(table, p)[0] == pytest.approx(q, abs=1e-9)
    assert top_share(table, q)[0] >= q - 1e-12  # the top q always hold at least q


# ---------------------------------------------------------------------------
# The top group with fractional ties (what segments need per person)


def test_top_curve_runs_from_origin_to_one():
    values, people, mass = top_curve(value_table([0, 0, 3, 1, 3]))
    np.testing.assert_array_equal(values, [3.0, 1.0, 0.0])
    np.testing.assert_allclose(people, [0.0, 0.4, 0.6, 1.0])
    np.testing.assert_allclose(mass, [0.0, 6 / 7, 1.0, 1.0])


def test_top_group_splits_the_tie_exactly():
    # [10, 5, 5, 5, 0]: half of the total (12.5) is 10 plus half of one 5 = 1/6 of the tie.
    group = top_group([10, 5, 5, 5, 0], 0.5)
    assert isinstance(group, TopGroup)
    assert group.boundary == 5.0
    assert group.tie_fraction == pytest.approx(2.5 / 15)
    assert group.fraction == pytest.approx((1 + 3 * 2.5 / 15) / 5)
    np.testing.assert_allclose(group.membership([10, 5, 0]), [1.0, 2.5 / 15, 0.0])
    everything = top_group([10, 5, 5, 5, 0], 1.0)
    assert everything.boundary == 5.0 and everything.tie_fraction == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="between 0 and 1"):
        top_group([1, 2], 1.5)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=30).filter(any),
    st.floats(min_value=0.01, max_value=1.0),
    st.integers(min_value=0, max_value=2**31),
)
def test_top_group_equals_segments_membership(xs, share, seed):
    """Per-person membership equals segments.membership.top_membership (ties split), weighted."""
    from influence_kit.segments.membership import top_membership

    values = np.asarray(xs, dtype=float)
    weights = np.random.default_rng(seed).uniform(0.5, 3.0, size=values.size)
    group = top_group(values, share, weights=weights)
    expected = top_membership(values, weights, share, ties="split")
    np.testing.assert_allclose(group.membership(values), expected, atol=1e-9)
    mass = weights * values
    assert float((group.membership(values) * mass).sum()) == pytest.approx(
        share * mass.sum(), rel=1e-9
    )
    held = float((group.membership(values) * weights).sum() / weights.sum())
    assert group.fraction == pytest.approx(held, abs=1e-9)
    if share < 1:
        assert group.fraction == pytest.approx(
            fraction_for_share(values, share, weights=weights)[0], abs=1e-9
        )
