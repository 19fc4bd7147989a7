"""The DuckDB data layer: sources, validation in the engine, aggregation to frequency tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from influence_kit.data import open_source, value_counts
from influence_kit.errors import DataError, ParameterError


@pytest.fixture
def people(tmp_path):
    rng = np.random.default_rng(5)
    values = rng.zipf(2.2, size=5000) - 1  # zeros included
    frame = pd.DataFrame({"person": np.arange(values.size), "impressions": values})
    half = values.size // 2
    (tmp_path / "parts").mkdir()
    frame.iloc[:half].to_parquet(tmp_path / "parts" / "a.parquet")
    frame.iloc[half:].to_parquet(tmp_path / "parts" / "b.parquet")
    frame.to_csv(tmp_path / "people.csv", index=False)
    return tmp_path, values


def expected_table(values):
    v, c = np.unique(values, return_counts=True)
    return v.astype(float), c.astype(float)


def test_parquet_glob_folder_and_csv_agree_with_numpy(people):
    folder, values = people
    ev, ec = expected_table(values)
    for source in (
        str(folder / "parts" / "*.parquet"),
        str(folder / "parts"),
        [folder / "parts" / "a.parquet", folder / "parts" / "b.parquet"],
        str(folder / "people.csv"),
    ):
        got = value_counts(source, "impressions")
        assert ev[0] == 0  # zeros are counted apart
        np.testing.assert_array_equal(got.table.values, ev[1:])
        np.testing.assert_array_equal(got.table.counts, ec[1:])
        assert got.people == values.size
        assert got.table.n_zeros == ec[0] == int((values == 0).sum())
        assert got.table.discrete


def test_histogram_with_counts_column(root):
    got = value_counts(
        root / "data" / "clauset2009" / "weblinks.hist", "degree", counts_column="frequency"
    )
    # Clauset et al. (2009) Table 6.1: n = 241,428,853 sites with at least one in-link
    assert got.people - got.table.n_zeros == 241_428_853
    assert got.table.n_distinct + 1 == 14_480  # distinct values, zero included
    table = got.table
    assert table.discrete
    assert table.n == 241_428_853
    assert table.n_zeros == 35_159_835


def test_one_number_per_line_without_header(root):
    got = value_counts(root / "data" / "clauset2009" / "words.txt")
    assert got.people == 18_855
    assert got.table.values[-1] == 14_086


def test_per_event_rows_count_and_sum(tmp_path):
    events = pd.DataFrame({"user": [1, 1, 1, 2, 3, 3], "reach": [10, 5, 0, 7, 1, 1]})
    events.to_parquet(tmp_path / "events.parquet")
    counted = value_counts(tmp_path / "events.parquet", person_column="user")
    assert dict(zip(counted.table.values, counted.table.counts, strict=True)) == {
        1.0: 1,
        2.0: 1,
        3.0: 1,
    }
    summed = value_counts(tmp_path / "events.parquet", "reach", person_column="user")
    assert dict(zip(summed.table.values, summed.table.counts, strict=True)) == {
        2.0: 1,
        7.0: 1,
        15.0: 1,
    }
    assert summed.rows == 6 and summed.people == 3


def test_duckdb_database_source(tmp_path):
    import duckdb

    db = tmp_path / "logs.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE people AS SELECT range % 7 AS posts FROM range(70)")
    con.close()
    got = value_counts(db, "posts", table="people")
    np.testing.assert_array_equal(got.table.values, np.arange(1.0, 7.0))
    np.testing.assert_array_equal(got.table.counts, np.full(6, 10.0))
    assert got.table.n_zeros == 10
    with pytest.raises(DataError, match="needs a table name"):
        value_counts(db, "posts")


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            pd.DataFrame({"x": [1.0, -2.0, 3.0]}),
            r"1 negative values in 'x', e\.g\. row \{'x': -2\.0\}",
        ),
        (pd.DataFrame({"x": [1.0, None, 3.0]}), r"1 missing values in 'x'"),
        (
            pd.DataFrame({"x": ["1", "two", "3"]}),
            r"1 non-numeric values in 'x', e\.g\. row \{'x': 'two'\}",
        ),
        (pd.DataFrame({"x": [1.0, np.inf]}), r"1 non-finite values in 'x'"),
        # Integer columns are checked from count/min (Parquet statistics), then in full.
        (
            pd.DataFrame({"x": np.array([1, -2, 3, -4], dtype=np.int64)}),
            r"2 negative values in 'x', e\.g\. row \{'x': -2\}",
        ),
        (pd.DataFrame({"x": pd.array([1, None, 3], dtype="Int64")}), r"1 missing values in 'x'"),
        (
            pd.DataFrame({"x": pd.array([None, -1, 2], dtype="Int32")}),
            r"1 missing values in 'x'.*\(and 1 more problems\)",
        ),
    ],
)
def test_invalid_values_are_counted_with_an_example(tmp_path, frame, message):
    path = tmp_path / "bad.parquet"
    frame.to_parquet(path)
    with pytest.raises(DataError, match=message) as info:
        value_counts(path, "x")
    assert "\n" not in str(info.value)


def test_drop_invalid_excludes_and_reports(tmp_path):
    path = tmp_path / "bad.parquet"
    pd.DataFrame({"x": [1.0, -2.0, None, 3.0, 3.0]}).to_parquet(path)
    got = value_counts(path, "x", drop_invalid=True)
    assert got.excluded == 2
    assert got.people == 3
    assert set(got.problems) == {"negative values in 'x'", "missing values in 'x'"}


def test_string_and_date_columns_are_refused(root):
    path = root / "data" / "social" / "scifi_stackexchange_users_counts.tsv"
    with pytest.raises(DataError, match="'CreationDate' holds TIMESTAMP values, not numbers"):
        value_counts(path, "CreationDate")
    with pytest.raises(DataError, match=r"no column 'Nope' \(columns: Id, Reputation"):
        value_counts(path, "Nope")
    with pytest.raises(DataError, match="name the value column"):
        value_counts(path)


def test_missing_files_globs_and_corrupt_parquet(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        value_counts(tmp_path / "nope.parquet", "x")
    with pytest.raises(DataError, match="the pattern matches no file"):
        value_counts(str(tmp_path / "*.parquet"), "x")
    bad = tmp_path / "corrupt.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DataError, match=r"corrupt\.parquet: cannot be read"):
        value_counts(bad, "x")
    with pytest.raises(ParameterError, match="not both"):
        value_counts(bad, "x", counts_column="c", person_column="p")


def test_memory_limit_and_spill_directory(tmp_path, people):
    folder, values = people
    got = value_counts(
        str(folder / "parts"),
        "impressions",
        memory_limit="64MB",
        temp_directory=tmp_path,
        threads=1,
    )
    assert got.people == values.size


def test_open_source_kinds(people):
    folder, _ = people
    assert open_source(str(folder / "parts")).kind == "parquet"
    assert open_source(folder / "people.csv").kind == "text"
    with pytest.raises(DataError, match="mixes Parquet and text"):
        open_source([folder / "people.csv", folder / "parts" / "a.parquet"])


def test_cli_entry_points_accept_globs_and_event_rows(tmp_path, capsys):
    import json

    from influence_kit.cli.main import main

    rng = np.random.default_rng(3)
    (tmp_path / "logs").mkdir()
    for i in range(2):
        pd.DataFrame(
            {"user": rng.integers(0, 3000, 20000), "reach": rng.zipf(2.3, 20000)}
        ).to_parquet(tmp_path / "logs" / f"part-{i}.parquet")
    pattern = str(tmp_path / "logs" / "part-*.parquet")
    assert main(["fit", pattern, "--column", "reach", "--discrete", "--json"]) == 0
    fitted = json.loads(capsys.readouterr().out)
    assert fitted["n"] == 40000
    assert main(["concentration", pattern, "--person-column", "user", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    direct = value_counts(pattern, person_column="user")
    assert events["n_people"] == direct.people
    assert main(["fit", str(tmp_path / "logs" / "*.csv"), "--column", "reach"]) == 2
    assert "the pattern matches no file" in capsys.readouterr().err


def test_read_values_single_file_equals_duckdb_aggregation(root):
    from influence_kit.data.files import read_values

    path = root / "data" / "social" / "wiki-Vote_per_user.tsv"
    raw = read_values(path, "votes_cast")
    aggregated = read_values(path, "votes_cast", drop_invalid=True)
    column = pd.read_csv(path, sep="\t")["votes_cast"].to_numpy(dtype=float)
    v, c = np.unique(column, return_counts=True)
    assert v[0] == 0
    for got in (raw, aggregated):
        np.testing.assert_array_equal(got.table.values, v[1:])
        np.testing.assert_array_equal(got.table.counts, c[1:])
        assert got.table.n_zeros == c[0]
    assert raw.table.equals(aggregated.table)
    assert raw.rows == aggregated.rows == column.size
    assert raw.label == aggregated.label == f"{path}:votes_cast"


SHIPPED_COLUMNS = [
    ("clauset2009/words.txt", None, None),
    ("clauset2009/cities.txt", None, None),
    ("clauset2009/quakes.txt", None, None),
    ("clauset2009/fires.txt", None, None),
    ("clauset2009/blackouts.txt", None, None),
    ("clauset2009/weblinks.hist", "degree", "frequency"),
    ("social/facebook_degree.tsv", "degree", None),
    ("social/scifi_stackexchange_users_counts.tsv", "Reputation", None),
    ("social/snap_wiki-Vote.txt", "1", None),
    ("social/wiki-Vote_per_user.tsv", "votes_cast", None),
]


@pytest.mark.parametrize(("name", "column", "counts_column"), SHIPPED_COLUMNS)
def test_large_file_route_gives_the_same_table(root, monkeypatch, name, column, counts_column):
    """A file above LARGE_FILE_BYTES goes through DuckDB; the table, label and rows match."""
    from influence_kit.data import files

    path = root / "data" / name
    small = files.read_values(path, column, counts_column)
    monkeypatch.setattr(files, "LARGE_FILE_BYTES", 0)
    large = files.read_values(path, column, counts_column)
    assert large.source == str(path)
    assert large.table.equals(small.table)
    assert large.table.discrete == small.table.discrete
    assert (large.label, large.rows, large.column) == (small.label, small.rows, small.column)


@pytest.mark.parametrize("kind", ["parquet", "csv", "tsv", "txt", "dat"])
def test_large_file_route_on_generated_files(tmp_path, monkeypatch, kind):
    """Integers, fractions, zeros and comment lines: both routes agree with numpy."""
    from influence_kit.data import files

    rng = np.random.default_rng(11)
    whole = (rng.zipf(2.2, size=3000) - 1).astype(float)
    frame = pd.DataFrame({"person": np.arange(whole.size), "impressions": whole})
    frame.loc[::7, "impressions"] += 0.25
    path = tmp_path / f"people.{kind}"
    if kind in ("parquet", "dat"):  # .dat: Parquet known by its magic bytes
        frame.to_parquet(path)
    elif kind == "txt":
        path.write_text("# one number a line\n" + "\n".join(map(repr, frame["impressions"])))
    else:
        frame.to_csv(path, sep="," if kind == "csv" else "\t", index=False)
    column = None if kind == "txt" else "impressions"
    small = files.read_values(path, column)
    monkeypatch.setattr(files, "LARGE_FILE_BYTES", path.stat().st_size)
    large = files.read_values(path, column)
    monkeypatch.setattr(files, "LARGE_FILE_BYTES", path.stat().st_size + 1)
    assert files.read_values(path, column).table.equals(small.table)  # below: pandas
    v, c = np.unique(frame["impressions"], return_counts=True)
    for got in (small, large):
        np.testing.assert_array_equal(got.table.values, v[1:])
        np.testing.assert_array_equal(got.table.counts, c[1:])
        assert got.table.n_zeros == c[0]
        assert not got.table.discrete
        assert got.rows == whole.size
    assert large.label == small.label == (str(path) if kind == "txt" else f"{path}:impressions")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("impressions\n1\n2\n-3\n", "negative values in 'impressions'"),
        ("impressions\n1\nabc\n2\n", "non-numeric values in 'impressions'"),
        ("impressions\n1\ninf\n2\n", "non-finite values in 'impressions'"),
        ("impressions\n1\n\n2\nnan\n", "non-finite values in 'impressions'"),
        ("a,b\n1,2\n3,4\n", "name the value column"),
    ],
)
def test_large_file_route_errors_are_one_line(tmp_path, monkeypatch, content, message):
    from influence_kit.data import files

    path = tmp_path / "values.csv"
    path.write_text(content)
    monkeypatch.setattr(files, "LARGE_FILE_BYTES", 0)
    with pytest.raises(DataError, match=message) as err:
        files.read_values(path)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith(str(path))


def test_large_file_route_refuses_junk_and_missing_columns(tmp_path, monkeypatch):
    """Corrupt Parquet, binary text, empty files, unknown and text columns: one-line errors."""
    from influence_kit.data import files

    monkeypatch.setattr(files, "LARGE_FILE_BYTES", 0)
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"PAR1" + bytes(range(256)) * 8)
    with pytest.raises(DataError, match=r"junk\.parquet") as err:
        files.read_values(junk, "x")
    assert "\n" not in str(err.value)
    good = tmp_path / "good.parquet"
    pd.DataFrame({"x": [1, 2, 3]}).to_parquet(good)
    with pytest.raises(DataError, match="no column 'y'"):
        files.read_values(good, "y")
    for name, content in [("empty.txt", b""), ("comments.txt", b"# nothing\n# here\n")]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(DataError, match=f"{name}: the file is empty"):
            files.read_values(tmp_path / name)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"1\n2\n" + bytes(range(256)) * 8)
    with pytest.raises(DataError, match=r"binary\.txt") as err:
        files.read_values(binary)
    assert "\n" not in str(err.value)
    words = tmp_path / "words.parquet"
    pd.DataFrame({"x": ["a", "b"]}).to_parquet(words)
    with pytest.raises(DataError, match="non-numeric values in 'x'"):
        files.read_values(words, "x")


def test_undecodable_text_is_a_data_error(tmp_path):
    """The pandas route names a file that is not UTF-8 text (no traceback)."""
    from influence_kit.data.files import read_values

    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(128, 256)) * 8)
    with pytest.raises(DataError, match=r"junk\.txt: not readable as text"):
        read_values(junk)


def test_integer_columns_checked_from_statistics_match_the_full_checks(tmp_path):
    """Integer values, counts and ids (checked without a scan) give what doubles give."""
    rng = np.random.default_rng(3)
    ints = pd.DataFrame(
        {
            "person": rng.integers(0, 500, size=4000),
            "x": rng.zipf(2.0, size=4000) - 1,
            "n": rng.integers(0, 5, size=4000),
        }
    )
    ints.to_parquet(tmp_path / "ints.parquet")
    ints.astype(float).to_parquet(tmp_path / "floats.parquet")
    for kwargs in ({}, {"counts_column": "n"}, {"person_column": "person"}):
        a = value_counts(tmp_path / "ints.parquet", "x", **kwargs)
        b = value_counts(tmp_path / "floats.parquet", "x", **kwargs)
        assert a.table.equals(b.table)
        assert (a.rows, a.excluded, a.problems) == (b.rows, b.excluded, b.problems) == (4000, 0, {})
    events = value_counts(tmp_path / "ints.parquet", person_column="person")
    assert events.people == ints["person"].nunique()
    bad = ints.assign(person=pd.array([None] + [1] * 3999, dtype="Int64"), n=-ints["n"])
    bad.to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(DataError, match="missing ids in 'person'"):
        value_counts(tmp_path / "bad.parquet", person_column="person")
    with pytest.raises(DataError, match="negative or fractional counts in 'n'"):
        value_counts(tmp_path / "bad.parquet", "x", counts_column="n")
