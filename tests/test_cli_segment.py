"""``influence-kit simulate`` and ``influence-kit segment`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from influence_kit.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = str(ROOT / "data" / "scenarios" / "forrester-us-2009.yaml")
WIKI = str(ROOT / "data" / "social" / "wiki-Vote_per_user.tsv")
STACK = str(ROOT / "data" / "social" / "scifi_stackexchange_users_counts.tsv")


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    out = capsys.readouterr().out
    return json.loads(out)


def test_done_when_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = str(tmp_path / "people.parquet")
    written = run_json(
        capsys,
        [
            "simulate",
            "--n",
            "200000",
            "--seed",
            "7",
            "--out",
            people,
            "--scenario",
            SCENARIO,
            "--json",
        ],
    )
    assert written["n"] == 200_000 and written["format"] == "parquet"
    data = run_json(capsys, ["segment", people, "--json"])
    assert data["mass_connectors_share"] == pytest.approx(0.062, abs=0.003)
    assert data["mass_mavens_share"] == pytest.approx(0.138, abs=0.005)
    assert data["overlap_share"] == pytest.approx(0.037, abs=0.003)
    assert data["network_impressions_total"] == pytest.approx(256e9, rel=0.01)
    assert data["posts_total"] == pytest.approx(1.64e9, rel=0.01)
    assert data["connectors_mean_friends"] == pytest.approx(537, rel=0.05)
    assert data["mass_influencers_share"] == pytest.approx(
        data["mass_connectors_share"] + data["mass_mavens_share"] - data["overlap_share"]
    )
    assert set(data["technographics"]) == {
        "creators",
        "conversationalists",
        "critics",
        "collectors",
        "joiners",
        "spectators",
        "inactives",
    }
    assert data["technographics"]["inactives"] == pytest.approx(0.17, abs=0.005)


def test_simulate_csv_chunks_and_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "we.csv"
    data = run_json(
        capsys,
        [
            "simulate",
            "--n",
            "5000",
            "--out",
            str(out),
            "--chunk-size",
            "1500",
            "--scenario",
            SCENARIO,
            "--set",
            "segments.connectors_mean_friends=425",
            "--json",
        ],
    )
    assert data["chunks"] == 4
    assert len(pd.read_csv(out)) == 5000
    assert main(["simulate", "--n", "100", "--out", str(tmp_path / "p.parquet")]) == 0
    assert "wrote 100 people" in capsys.readouterr().out


def test_segment_real_data_with_column_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    wiki = run_json(
        capsys,
        [
            "segment",
            WIKI,
            "--column",
            "influence_posts=votes_cast",
            "--column",
            "network_updates=votes_cast",
            "--column",
            "audience=votes_received",
            "--json",
            "--bootstrap",
            "39",
            "--seed",
            "1",
        ],
    )
    assert wiki["n_people"] == 7115
    assert wiki["technographics"] == {}
    assert len(wiki["intervals"]) > 0
    stack = run_json(
        capsys,
        [
            "segment",
            STACK,
            "--drop",
            "Id=-1",
            "--column",
            "influence_posts=UpVotes",
            "--column",
            "network_updates=UpVotes",
            "--column",
            "audience=Reputation",
            "--json",
            "--no-broadcasters",
        ],
    )
    assert stack["n_people"] == 24259
    assert stack["social_broadcasters_share"] == 0
    assert stack["broadcaster_min_audience"] is None
    top = run_json(
        capsys,
        [
            "segment",
            STACK,
            "--drop",
            "Id=-1",
            "--column",
            "influence_posts=UpVotes",
            "--column",
            "audience=Reputation",
            "--broadcaster-top-share",
            "0.01",
            "--json",
        ],
    )
    assert top["social_broadcasters_share"] == pytest.approx(0.01, abs=0.001)
    assert top["broadcaster_top_share"] == 0.01
    assert top["network_impressions_total"] is None
    assert main(["segment", WIKI, "--column", "influence_posts=votes_cast"]) == 0
    assert "Mass connectors" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("make", "argv", "message"),
    [
        (None, ["segment", "nope.parquet"], "file not found"),
        ("negative", ["segment", "{path}"], "column 'influence_posts' has negative values (row 2"),
        ("text", ["segment", "{path}"], "column 'audience' is not numeric (row 0: 'lots')"),
        ("zero_weight", ["segment", "{path}"], "must be positive (row 1: 0.0)"),
        ("ok", ["segment", "{path}", "--column", "posts"], "must have the form KEY=VALUE"),
        ("ok", ["segment", "{path}", "--column", "friends=audience"], "unknown column role"),
        ("ok", ["segment", "{path}", "--drop", "Id=-1"], "no such column"),
        ("ok", ["segment", "{path}", "--concentration-share", "1.2"], "concentration_share"),
        (None, ["simulate", "--n", "0", "--out", "x.parquet"], "n must be an integer >= 1, got 0"),
        (None, ["simulate", "--n", "10", "--out", "x.txt"], "cannot tell the format"),
        (
            None,
            ["simulate", "--n", "10", "--out", "x.parquet", "--set", "segments.nope=1"],
            "unknown key",
        ),
    ],
)
def test_errors_exit_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    make: str | None,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "people.csv"
    table = pd.DataFrame(
        {
            "network_impressions": [1.0, 2.0, 3.0],
            "influence_posts": [1.0, 0.0, 2.0],
            "audience": [1, 2, 3],
            "weight": [1.0, 1.0, 1.0],
        }
    )
    if make == "negative":
        table.loc[2, "influence_posts"] = -4.0
    elif make == "text":
        table["audience"] = ["lots", "2", "3"]
    elif make == "zero_weight":
        table.loc[1, "weight"] = 0.0
    table.to_csv(path, index=False)
    args = [a.replace("{path}", str(path)) for a in argv]
    if argv[0] == "simulate":
        args += ["--scenario", SCENARIO]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"influence-kit {argv[0]}: error: ")
    assert message in err


def test_segment_reads_a_glob_of_parquet_parts(tmp_path, capsys):
    """A population split over several Parquet files segments like the single file."""
    from influence_kit.cli.main import main

    panel = Path(__file__).resolve().parent.parent / "data" / "population"
    whole = panel / "forrester-us-2009-panel.parquet"
    frame = pd.read_parquet(whole)
    frame.iloc[:40_000].to_parquet(tmp_path / "part-1.parquet")
    frame.iloc[40_000:].to_parquet(tmp_path / "part-2.parquet")
    assert main(["segment", str(whole), "--json"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert main(["segment", str(tmp_path / "part-*.parquet"), "--json"]) == 0
    parts = json.loads(capsys.readouterr().out)
    assert parts == single


def test_dates_and_a_single_replicate_are_refused(tmp_path, capsys):
    """A datetime column would become nanoseconds; one replicate gives no interval."""
    import pandas as pd

    from influence_kit.cli.main import main
    from influence_kit.population import load_panel

    people = load_panel().head(2000).copy()
    panel = tmp_path / "people.parquet"
    people.to_parquet(panel)
    dated = people.assign(audience=pd.to_datetime(people["audience"], unit="s"))
    dated.to_parquet(tmp_path / "dated.parquet")
    assert main(["segment", str(tmp_path / "dated.parquet")]) == 2
    err = capsys.readouterr().err
    assert "column 'audience' holds dates or times" in err and len(err.splitlines()) == 1
    assert main(["segment", str(panel), "--bootstrap", "1"]) == 2
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1
        and "--bootstrap" in err
        and "at least 39 to give an interval, got 1;" in err
    )
