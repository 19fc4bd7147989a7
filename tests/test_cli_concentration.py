"""``influence-kit concentration`` and ``influence-kit calibrate``, and the file reader."""

from __future__ import annotations

import json

import numpy as np
import pytest

from influence_kit.cli.main import main
from influence_kit.concentration import gini
from influence_kit.data.files import read_column
from influence_kit.errors import DataError


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tsv(tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("user\tposts\tfriends\n1\t0\t10\n2\t3\t200\n3\t10\t15\n4\t1\t7\n5\t50\t30\n")
    return path


def test_concentration_json_keys(capsys, tsv):
    code, out, err = run(
        capsys,
        "concentration",
        tsv,
        "--column",
        "posts",
        "--top",
        "0.2",
        "0.5",
        "--share",
        "0.8",
        "--bootstrap-reps",
        "50",
        "--seed",
        "3",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert {"gini", "top_shares", "fraction_for_share"} <= set(data)
    assert [row["top"] for row in data["top_shares"]] == [0.2, 0.5]
    for row in data["top_shares"]:
        assert set(row) == {"top", "share"}
    assert set(data["fraction_for_share"][0]) == {"share", "fraction"}
    intervals = data["conf_int"]["intervals"]
    assert data["conf_int"]["alpha"] == pytest.approx(0.05)
    assert set(intervals) == {
        "gini",
        "share of top 0.2",
        "share of top 0.5",
        "fraction holding 0.8",
    }
    for row in intervals.values():
        assert set(row) == {"lower", "upper"} and row["lower"] <= row["upper"]
    values = np.array([0, 3, 10, 1, 50], dtype=float)
    assert data["gini"] == pytest.approx(gini(values))
    assert data["top_shares"][0]["share"] == pytest.approx(50 / 64)
    # Same seed, same output.
    again = run(
        capsys, "concentration", tsv, "--column", "posts", "--top", "0.2", "0.5",
        "--share", "0.8", "--bootstrap-reps", "50", "--seed", "3", "--json",
    )  # fmt: skip
    assert again[1] == out


def test_concentration_text_and_counts_column(capsys, tmp_path):
    path = tmp_path / "hist.csv"
    path.write_text("degree,frequency\n1,500\n2,120\n10,30\n100,2\n")
    code, out, _ = run(
        capsys, "concentration", path, "--column", "degree", "--counts-column", "frequency"
    )
    assert code == 0
    assert "652 people" in out and "Gini" in out and "of people make 90%" in out
    expanded = np.repeat([1.0, 2.0, 10.0, 100.0], [500, 120, 30, 2])
    code, out_json, _ = run(
        capsys,
        "concentration",
        path,
        "--column",
        "degree",
        "--counts-column",
        "frequency",
        "--bootstrap-reps",
        "0",
        "--json",
    )
    assert json.loads(out_json)["gini"] == pytest.approx(gini(expanded))
    assert "conf_int" not in json.loads(out_json)


def test_one_number_per_line(capsys, tmp_path):
    path = tmp_path / "values.txt"
    path.write_text("# comment\n5\n1\n\n2\n")
    code, out, _ = run(capsys, "concentration", path, "--bootstrap-reps", "0", "--json")
    assert code == 0
    assert json.loads(out)["n_people"] == 3


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ("a\tb\n1\t2\n", [], "choose one with --column"),
        ("a\tb\n1\t2\n", ["--column", "c"], "no column 'c'"),
        ("x\n1\nfoo\n", [], "non-numeric entry 'foo'"),
        ("x\n1\n-3\n", [], "negative"),
        ("x\n0\n0\n", [], "no positive values (only zeros)"),
        ("x\n1\nnan\n", [], "missing or NaN value"),
        ("x\n1\ninf\n", [], "NaN or infinite"),
        ("# only a comment\n", [], "the file is empty"),
        ("x\n", [], "no data"),
        ("x\n1\n2\n", ["--top", "1.0"], "between 0 and 1"),
        ("x\n1\n2\n", ["--share", "0"], "between 0 and 1"),
        ("x\n1\n2\n", ["--bootstrap-reps", "1"], "reps"),
        ("x\n1\n2\n", ["--confidence", "1.5"], "--confidence must lie strictly between"),
    ],
)
def test_concentration_bad_input_exits_2(capsys, tmp_path, content, extra, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content)
    code, out, err = run(capsys, "concentration", path, *extra)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "concentration", tmp_path / "nope.tsv")
    assert code == 2 and "file not found" in err


def test_calibrate_json(capsys):
    code, out, _ = run(capsys, "calibrate", "--top", "0.16", "--share", "0.8", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["pareto"]["tail_index"] == pytest.approx(1.139, abs=5e-4)
    assert data["lognormal"]["sigma"] == pytest.approx(1.836, abs=5e-4)
    assert data["weibull"]["k"] == pytest.approx(0.417, abs=5e-4)
    for fam in ("pareto", "lognormal", "weibull"):
        assert 0 < data[fam]["gini"] < 1
        assert 0 < data[fam]["top_1pct_share"] < 1
    assert data["top_1pct_ratio"] == pytest.approx(2.58, abs=0.01)


def test_calibrate_text(capsys):
    code, out, _ = run(capsys, "calibrate")
    assert code == 0
    assert "Pareto" in out and "fold" in out and "e+" not in out and "e-0" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--top", "0.5", "--share", "0.3"],
        ["--top", "0", "--share", "0.8"],
        ["--top", "0.16", "--share", "1.5"],
        ["--cutoff-alpha", "400"],
    ],
)
def test_calibrate_bad_input_exits_2(capsys, argv):
    code, out, err = run(capsys, "calibrate", *argv)
    assert code == 2 and out == "" and err.startswith("influence-kit calibrate: error:")


def test_reader_headerless_table(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_text("# FromNodeId\tToNodeId\n30\t1412\n30\t3352\n")
    data = read_column(path, "2")
    assert data.table.values.tolist() == [1412.0, 3352.0]
    assert data.table.counts.tolist() == [1.0, 1.0]
    with pytest.raises(DataError, match="choose one"):
        read_column(path)


def test_reader_social_data(root):
    data = read_column(root / "data" / "social" / "scifi_stackexchange_users_counts.tsv", "UpVotes")
    assert data.rows == data.table.n_observations == 24260
    assert data.counts_column is None and data.column == "UpVotes"
