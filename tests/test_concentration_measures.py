"""Concentration measures: Lorenz, Gini, top shares, "p% make q%", ties, weights, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence_kit.concentration import (
    ConcentrationTable,
    concentration,
    concentration_table,
    fraction_for_share,
    gini,
    lorenz_curve,
    top_share,
)
from influence_kit.errors import DataError, ParameterError

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


def test_frequency_table_equals_expanded_values():
    rng = np.random.default_rng(3)
    values = rng.integers(0, 40, size=25).astype(float)
    counts = rng.integers(0, 30, size=25)
    expanded = np.repeat(values, counts)
    p = [0.01, 0.1, 0.16, 0.5, 0.9]
    q = [0.2, 0.5, 0.8]
    table = concentration_table(values, counts)
    assert table.n_people == expanded.size
    assert table.top_share(p) == pytest.approx(top_share(expanded, p), abs=1e-12)
    assert table.fraction_for_share(q) == pytest.approx(fraction_for_share(expanded, q), abs=1e-12)
    assert table.gini() == pytest.approx(ref_gini(expanded), abs=1e-12)
    np.testing.assert_allclose(np.sort(table.expand()), np.sort(expanded))


def test_integer_weights_equal_repetition():
    values = np.array([3.0, 1.0, 9.0, 4.0, 0.0, 9.0])
    weights = np.array([2, 1, 3, 1, 5, 2])
    expanded = np.repeat(values, weights)
    weighted = concentration_table(values, weights=weights.astype(float))
    assert weighted.weighted
    assert weighted.gini() == pytest.approx(gini(expanded), abs=1e-12)
    assert weighted.top_share([0.05, 0.3]) == pytest.approx(top_share(expanded, [0.05, 0.3]))
    assert weighted.fraction_for_share(0.8) == pytest.approx(fraction_for_share(expanded, 0.8))


def test_weights_are_scale_free():
    values = [1.0, 2.0, 8.0]
    a = concentration_table(values, weights=[1.0, 2.0, 0.5])
    b = concentration_table(values, weights=[10.0, 20.0, 5.0])
    assert a.gini() == pytest.approx(b.gini())
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
    table = concentration_table([1, 2, 2, 5])
    assert set(table.summary().columns) >= {"value", "count", "share_of_total"}
    assert table.to_dict()["n_people"] == 4
    assert "<table" in table._repr_html_()
    res = concentration([1, 2, 2, 5], reps=0)
    assert res.gini_ci_low is None
    assert "gini" in res.print_summary()


# ---------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "empty"),
        ([1.0, -2.0], "negative"),
        ([1.0, float("nan")], "NaN"),
        ([1.0, float("inf")], "infinity"),
        ([0.0, 0.0, 0.0], "every value is zero"),
        ([[1.0, 2.0]], "one-dimensional"),
        (["a", "b"], "numbers"),
    ],
)
def test_bad_values(values, message):
    with pytest.raises(DataError, match=message):
        concentration_table(values)


def test_bad_counts_and_weights():
    with pytest.raises(DataError, match="whole numbers"):
        concentration_table([1, 2], counts=[1.5, 2])
    with pytest.raises(DataError, match="2 values but 3 counts"):
        concentration_table([1, 2], counts=[1, 2, 3])
    with pytest.raises(DataError, match="negative"):
        concentration_table([1, 2], counts=[1, -2])
    with pytest.raises(DataError, match="every count is zero"):
        concentration_table([1, 2], counts=[0, 0])
    with pytest.raises(DataError, match="weights"):
        concentration_table([1, 2], weights=[1, 0])
    with pytest.raises(DataError, match="weights"):
        concentration_table([1, 2], weights=[1])


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5, float("nan")])
def test_p_and_q_outside_unit_interval(bad):
    table = concentration_table(SMALL)
    with pytest.raises(ParameterError, match="between 0 and 1"):
        table.top_share(bad)
    with pytest.raises(ParameterError, match="between 0 and 1"):
        table.fraction_for_share([0.5, bad])


def test_messages_are_one_line():
    with pytest.raises(DataError) as err:
        concentration_table([1.0, float("nan")], name="votes")
    assert "\n" not in str(err.value) and "votes" in str(err.value)
    assert isinstance(concentration_table(SMALL), ConcentrationTable)


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
    a = concentration_table(xs)
    b = concentration_table(np.asarray(xs) * scale)
    assert b.gini() == pytest.approx(a.gini(), abs=1e-9)
    assert b.top_share([0.1, 0.5]) == pytest.approx(a.top_share([0.1, 0.5]), abs=1e-9)


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
    table = concentration_table(xs)
    p = table.fraction_for_share(q)[0]
    assert 0 < p <= 1
    if p < 1:
        assert table.top_share(p)[0] == pytest.approx(q, abs=1e-9)
    assert table.top_share(q)[0] >= q - 1e-12  # the top q always hold at least q
