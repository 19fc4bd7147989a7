"""The one (value, count) table: construction, zeros apart, weights, round trips, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence_kit.data import read_column, value_counts
from influence_kit.errors import DataError, ParameterError
from influence_kit.tables import ValueTable, value_table


def test_raw_values_are_sorted_tallied_and_zeros_kept_apart():
    table = value_table([7, 0, 3, 1, 7, 0, 1, 1])
    np.testing.assert_array_equal(table.values, [1.0, 3.0, 7.0])
    np.testing.assert_array_equal(table.counts, [3.0, 1.0, 2.0])
    assert table.n_zeros == 2
    assert table.n == 6 and table.n_observations == 8 and table.n_distinct == 3
    assert table.discrete and table.weights is None and not table.weighted
    assert table.population == 8 and table.total == 3 + 3 + 14
    assert table.mean == pytest.approx(20 / 8)


def test_histogram_equals_raw_values_and_merges_duplicates():
    raw = value_table([0, 0, 1, 1, 1, 3, 7, 7])
    hist = value_table([7, 3, 1, 0, 1], [2, 1, 2, 2, 1])
    assert hist.equals(raw)
    # Rows with a zero count vanish.
    assert value_table([1, 5, 9], [1, 0, 2]).values.tolist() == [1.0, 9.0]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(st.just(0.0), st.integers(0, 50).map(float), st.floats(0.01, 1e4)),
        min_size=1,
        max_size=60,
    ).filter(lambda xs: any(x > 0 for x in xs))
)
def test_round_trip_values_table_values(xs):
    table = value_table(xs)
    np.testing.assert_array_equal(table.expand(), np.sort(np.asarray(xs, dtype=float)))
    assert np.all(np.diff(table.values) > 0) and np.all(table.values > 0)
    assert table.n_zeros == sum(x == 0 for x in xs)
    assert table.n_observations == len(xs)
    frame = table.to_frame()
    again = value_table(frame["value"], frame["count"])
    assert again.equals(table)
    assert ValueTable.from_pandas(frame, "value", counts_column="count").equals(table)


def test_constructors_agree():
    values = [0.0, 2.0, 2.0, 5.0]
    a = ValueTable.from_values(values)
    b = ValueTable.from_counts([5.0, 2.0, 0.0], [1, 2, 1])
    c = ValueTable.from_pandas(pd.Series(values, name="posts"))
    d = ValueTable.from_pandas(
        pd.DataFrame({"v": [0.0, 2.0, 5.0], "n": [1, 2, 1]}), counts_column="n"
    )
    for other in (b, c, d):
        assert other.equals(a)
    assert value_table(a) is a  # a table passes through unchanged
    assert not a.equals(value_table([0.0, 2.0, 5.0]))


def test_scale_and_discrete():
    table = value_table([1000, 2000, 2000])
    assert table.discrete
    scaled = value_table(table, scale=1e-3)
    np.testing.assert_allclose(scaled.values, [1.0, 2.0])
    assert not scaled.discrete  # a fractional scale makes the values continuous
    assert not value_table(table, discrete=False).discrete
    assert not value_table([0.5, 1.5]).discrete
    with pytest.raises(DataError, match=r"non-integer value 0\.5 with discrete data"):
        value_table([0.5, 1.5], discrete=True)
    with pytest.raises(ParameterError, match="counts and weights cannot be given"):
        value_table(table, [1, 2])


def test_weighted_tables_keep_value_weight_pairs_and_weighted_zeros():
    table = value_table([3.0, 0.0, 3.0, 1.0, 0.0, 3.0], weights=[2.0, 1.0, 2.0, 1.0, 4.0, 0.5])
    np.testing.assert_array_equal(table.values, [1.0, 3.0, 3.0])
    np.testing.assert_array_equal(table.weights, [1.0, 0.5, 2.0])
    np.testing.assert_array_equal(table.counts, [1.0, 1.0, 2.0])
    assert table.n_zeros == 2
    np.testing.assert_array_equal(table.zero_weights, [1.0, 4.0])
    np.testing.assert_array_equal(table.zero_counts, [1.0, 1.0])
    assert table.weighted
    assert table.population == pytest.approx(1 + 0.5 + 4 + 1 + 4)
    assert table.total == pytest.approx(1 + 1.5 + 12)
    values, counts, weights = table.rows()
    np.testing.assert_array_equal(values, [0.0, 0.0, 1.0, 3.0, 3.0])
    np.testing.assert_array_equal(counts * weights, [1.0, 4.0, 1.0, 0.5, 4.0])
    assert table.tail(2.0).weights.tolist() == [0.5, 2.0]
    below = table.below(3.0)
    assert below.values.tolist() == [1.0] and below.zero_people() == pytest.approx(5.0)


def test_tail_and_below():
    table = value_table([0, 1, 2, 2, 5, 9])
    tail = table.tail(2)
    assert tail.values.tolist() == [2.0, 5.0, 9.0] and tail.n_zeros == 0 and tail.n == 4
    below = table.below(2)
    assert below.values.tolist() == [1.0] and below.n_zeros == 1


def test_result_protocol():
    table = value_table([0, 1, 1, 4])
    summary = table.summary()
    assert summary.loc["zeros (not fitted)", "value"] == "1"
    assert summary.loc["observations (positive)", "value"] == "3"
    data = table.to_dict()
    assert data == {
        "n": 3,
        "n_zeros": 1,
        "n_distinct": 2,
        "min": 1.0,
        "max": 4.0,
        "discrete": True,
        "weighted": False,
    }
    assert "<table" in table._repr_html_() and "ValueTable" in table._repr_html_()


@pytest.mark.parametrize(
    ("data", "kwargs", "error", "match"),
    [
        ([], {}, DataError, "no data"),
        ([1.0, np.nan], {}, DataError, "NaN or infinite"),
        ([1.0, np.inf], {}, DataError, "NaN or infinite"),
        ([1.0, -2.0], {}, DataError, "negative"),
        ([0, 0], {}, DataError, "only zeros"),
        (["a", "b"], {}, DataError, "not numbers"),
        ([[1.0, 2.0]], {}, DataError, "one-dimensional"),
        ([1, 2], {"counts": [1.5, 2]}, DataError, "whole numbers"),
        ([1, 2], {"counts": [1, 2, 3]}, DataError, "2 values but 3 counts"),
        ([1, 2], {"counts": [1, -2]}, DataError, "non-negative"),
        ([1, 2], {"counts": [0, 0]}, DataError, "every count is zero"),
        ([1, 2], {"weights": [1, 0]}, DataError, "weights must be positive"),
        ([1, 2], {"weights": [1]}, DataError, "2 values but 1 weights"),
        ([1, 2], {"scale": 0}, ParameterError, "scale"),
        ([1, 2], {"scale": np.nan}, ParameterError, "scale"),
    ],
)
def test_invalid_input_raises_one_line_errors(data, kwargs, error, match):
    with pytest.raises(error, match=match) as info:
        value_table(data, name="votes", **kwargs)
    assert "\n" not in str(info.value)
    if error is DataError:
        assert str(info.value).startswith("votes: ")


def test_from_pandas_bad_columns():
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    with pytest.raises(DataError, match="name the value column"):
        ValueTable.from_pandas(frame)
    with pytest.raises(DataError, match="no column 'c'"):
        ValueTable.from_pandas(frame, "c")
    with pytest.raises(ParameterError, match="Series or DataFrame"):
        ValueTable.from_pandas([1, 2])  # type: ignore[arg-type]


def test_duckdb_path_equals_pandas_path(tmp_path):
    """The table aggregated in DuckDB equals the table built from the same data in pandas."""
    rng = np.random.default_rng(8)
    frame = pd.DataFrame(
        {
            "person": np.arange(3000),
            "reach": rng.zipf(2.2, 3000) - 1,  # zeros included
            "score": np.round(rng.lognormal(0, 1, 3000), 2),
        }
    )
    frame.to_parquet(tmp_path / "people.parquet")
    frame.to_csv(tmp_path / "people.csv", index=False)
    for column in ("reach", "score"):
        expected = ValueTable.from_pandas(frame, column)
        assert expected.n_zeros > 0 or column == "score"
        for path in (tmp_path / "people.parquet", tmp_path / "people.csv"):
            assert value_counts(path, column).table.equals(expected)
        assert read_column(tmp_path / "people.csv", column).table.equals(expected)
    hist = frame.groupby("reach").size().rename("n").reset_index()
    hist.to_parquet(tmp_path / "hist.parquet")
    from_duckdb = value_counts(tmp_path / "hist.parquet", "reach", counts_column="n").table
    assert from_duckdb.equals(ValueTable.from_pandas(hist, "reach", counts_column="n"))
    assert from_duckdb.equals(ValueTable.from_pandas(frame, "reach"))


def test_pandas_missing_values_and_text_are_data_errors():
    with pytest.raises(DataError, match="posts: values are not numbers"):
        ValueTable.from_pandas(pd.Series(["a", "b"], name="posts"))
    with pytest.raises(DataError, match="posts: 1 NaN or infinite"):
        ValueTable.from_pandas(pd.Series([1, None], dtype="Int64", name="posts"))
    frame = pd.DataFrame({"v": [1.0, 2.0], "n": ["x", "y"]})
    with pytest.raises(DataError, match="column 'n' are not numbers"):
        ValueTable.from_pandas(frame, "v", counts_column="n")
