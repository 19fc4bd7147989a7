"""The ``influence-kit`` command line: account, errors, help."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from influence_kit.cli.main import build_parser, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_account_json(capsys, default_scenario_path):
    code, out, _ = run(capsys, "account", "--scenario", str(default_scenario_path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total_impressions"] == pytest.approx(502e9)
    assert data["network_impressions"] == 256e9
    assert data["post_impressions"] == pytest.approx(246e9)
    assert data["readers_per_post"] == pytest.approx(150)
    assert data["share_of_advertiser_impressions"] == pytest.approx(0.251)
    assert data["impressions_per_online_adult"] == pytest.approx(502e9 / 176e6)
    assert set(data["by_network"]) == {"facebook", "myspace", "twitter", "linkedin", "other"}
    assert set(data["by_post_type"]) == {"reviews", "forum_posts", "blog_comments", "blog_posts"}


def test_account_set_overrides(capsys, default_scenario_path):
    code, out, _ = run(
        capsys,
        "account",
        "--scenario",
        str(default_scenario_path),
        "--set",
        "readers_per_post=300",
        "--set",
        "network_shares.facebook=0.61",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["total_impressions"] == pytest.approx(256e9 + 1.64e9 * 300)


@pytest.mark.parametrize("text", ["1500", "1_500", "1,500", "1.5e3"])
def test_account_set_reads_numbers_as_people_type_them(capsys, default_scenario_path, text):
    code, out, _ = run(
        capsys,
        "account",
        "--scenario",
        str(default_scenario_path),
        "--set",
        f"readers_per_post={text}",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["total_impressions"] == pytest.approx(256e9 + 1.64e9 * 1500)


def test_account_text(capsys, default_scenario_path):
    code, out, _ = run(capsys, "account", "--scenario", str(default_scenario_path))
    assert code == 0
    assert "total: 502 billion impressions per year (25.1% of advertiser impressions)" in out


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--set", "readers_per_post=-5"], "readers_per_post"),
        (["--set", "nope=1"], "unknown key 'nope'"),
        (["--set", "readers_per_post"], "KEY=VALUE"),
        # text the one parser does not read as a number reaches validation as text
        (["--set", "readers_per_post=1,5"], "expected a number, got the string '1,5'"),
        (["--set", "readers_per_post=nan"], "expected a number, got the string 'nan'"),
        (["--set", "readers_per_post=inf"], "expected a number, got the string 'inf'"),
    ],
)
def test_account_errors_are_one_line_exit_2(capsys, default_scenario_path, extra, needle):
    code, out, err = run(capsys, "account", "--scenario", str(default_scenario_path), *extra)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert needle in lines[0]
    assert "Traceback" not in err


def test_missing_scenario_file(capsys, tmp_path):
    code, _, err = run(capsys, "account", "--scenario", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "scenario file not found" in err


def test_negative_readers_scenario_file_via_console_script(tmp_path, default_scenario_path):
    text = default_scenario_path.read_text().replace(
        "readers_per_post:\n  base: 150\n  low: 50", "readers_per_post:\n  base: -5\n  low: -5"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    proc = subprocess.run(
        [sys.executable, "-m", "influence_kit", "account", "--scenario", str(bad), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "readers_per_post" in proc.stderr


def test_every_option_is_documented_with_an_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, subparser in sub.choices.items():
        assert subparser.epilog and "influence-kit " + name in subparser.epilog, name
        for action in subparser._actions:
            assert action.help, f"{name} {action.dest} has no help"


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["account", "--no-such-option"])
    assert info.value.code == 2


def test_scenario_defaults_to_the_shipped_one_by_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "account", "--json")
    assert code == 0
    assert json.loads(out)["total_impressions"] == pytest.approx(502e9)
    code, out, _ = run(capsys, "account", "--scenario", "skeptic-us-2009", "--json")
    assert json.loads(out)["total_impressions"] == pytest.approx(338e9)
    code, _, err = run(capsys, "account", "--scenario", "nope")
    assert code == 2
    assert (
        "not a shipped scenario (shipped: audience-us-2009, forrester-us-2009, skeptic-us-2009"
        in err
    )
