"""``influence-kit fit``: formats, options, JSON and errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from influence_kit.cli.main import main
from influence_kit.data.files import read_column

WORDS = "data/clauset2009/words.txt"
WEBLINKS = "data/clauset2009/weblinks.hist"


def run_json(capsys, *args):
    code = main(["fit", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_json_has_the_documented_fields(capsys):
    data = run_json(capsys, WORDS, "--discrete")
    for key in (
        "n",
        "discrete",
        "xmin",
        "alpha",
        "alpha_se",
        "n_tail",
        "ks",
        "gof_p",
        "comparisons",
        "verdict",
    ):
        assert key in data
    assert data["gof_p"] is None
    assert data["xmin"] == 7 and data["n_tail"] == 2958 and data["n"] == 18855
    assert data["discrete"] is True
    comp = data["comparisons"][0]
    assert {"alternative", "lr", "normalized", "p"} <= set(comp)
    assert data["verdict"] in ("good", "moderate", "with cut-off", "none")


def test_histogram_with_counts_column(capsys):
    data = run_json(
        capsys, WEBLINKS, "--column", "degree", "--counts-column", "frequency", "--continuous"
    )
    assert data["xmin"] == 3684 and data["n_tail"] == 28986
    assert data["n_zeros"] == 35_159_835 and data["n"] == 241_428_853
    assert data["verdict"] == "with cut-off"


def test_gof_bootstrap_scale_and_xmin(capsys):
    data = run_json(
        capsys,
        "data/clauset2009/blackouts.txt",
        "--continuous",
        "--scale",
        "1e-3",
        "--gof-reps",
        "40",
        "--bootstrap-reps",
        "39",
        "--seed",
        "3",
        "--jobs",
        "1",
    )
    assert data["xmin"] == pytest.approx(230)
    assert 0 <= data["gof_p"] <= 1
    assert data["uncertainty"]["replicates"] == 39
    again = run_json(
        capsys,
        "data/clauset2009/blackouts.txt",
        "--continuous",
        "--scale",
        "1e-3",
        "--gof-reps",
        "40",
        "--bootstrap-reps",
        "39",
        "--seed",
        "3",
        "--jobs",
        "2",
    )
    assert again["gof_p"] == data["gof_p"]
    fixed = run_json(capsys, WORDS, "--xmin", "10")
    assert fixed["xmin"] == 10 and fixed["xmin_fixed"] is True


def test_text_output(capsys):
    assert main(["fit", WORDS]) == 0
    out = capsys.readouterr().out
    assert "x_min = 7" in out and "verdict:" in out


def test_csv_sniffed_by_content_and_parquet(tmp_path, capsys):
    x = np.floor(1 / (1 - np.random.default_rng(1).random(3000)) ** (1 / 1.4))
    csv_path = tmp_path / "activity.dat"  # extension says nothing
    pd.DataFrame({"user": range(x.size), "posts": x}).to_csv(csv_path, index=False)
    a = run_json(capsys, str(csv_path), "--column", "posts")
    pq_path = tmp_path / "activity.parquet"
    pd.DataFrame({"posts": x}).to_parquet(pq_path)
    b = run_json(capsys, str(pq_path))
    assert a["alpha"] == b["alpha"] and a["xmin"] == b["xmin"]
    semi = tmp_path / "semi.txt"
    semi.write_text("posts;other\n" + "\n".join(f"{v:g};1" for v in x))
    c = run_json(capsys, str(semi), "--column", "posts")
    assert c["alpha"] == a["alpha"]


def test_read_column_formats(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("# comment\n1\n2\n3\n")
    assert read_column(plain).table.values.tolist() == [1, 2, 3]
    nohead = tmp_path / "nohead.tsv"
    nohead.write_text("1\t5\n2\t6\n")
    d = read_column(nohead, "1", "2")
    assert d.table.values.tolist() == [1, 2] and d.table.counts.tolist() == [5, 6]
    assert d.rows == 2 and d.label == f"{nohead}:1"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("1\n2\nx\n", [], "non-numeric entry 'x'"),
        ("a,b\n1,2\n", [], "choose one with --column"),
        ("a,b\n1,2\n", ["--column", "c"], "no column 'c'"),
        ("1\n-2\n3\n", [], "negative"),
        ("1.5\n2\n3\n", ["--discrete"], "non-integer"),
        ("", [], "empty"),
        ("5\n5\n5\n5\n5\n5\n", [], "equal"),
        ("1\n2\n3\n4\n5\n6\n7\n", ["--xmin", "100"], "above the largest"),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, capsys, content, args, message):
    path = tmp_path / "data.csv"
    path.write_text(content)
    assert main(["fit", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and err.startswith("influence-kit fit: error:")


def test_missing_file(capsys):
    assert main(["fit", "no/such/file.txt"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["fit", "--help"])
    assert "examples:" in capsys.readouterr().out


@pytest.mark.parametrize(("option", "value"), [("--gof-reps", "-1"), ("--bootstrap-reps", "-2")])
def test_negative_replicates_name_the_option_and_allow_zero(option, value, capsys):
    from influence_kit.cli.main import main

    words = str(Path(__file__).resolve().parents[1] / "data" / "clauset2009" / "words.txt")
    assert main(["fit", words, option, value]) == 2
    err = capsys.readouterr().err
    assert f"({option}) must be 0 (skip) or a positive whole number" in err
