"""``influence-kit sensitivity``: JSON keys, determinism, text output and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from influence_kit.cli.main import main

SCENARIO = str(
    Path(__file__).resolve().parents[1] / "data" / "scenarios" / "forrester-us-2009.yaml"
)
FAST = ["--draws", "20000", "--sobol-n", "256"]


def run(capsys, *argv):
    try:
        code = main(["sensitivity", "--scenario", SCENARIO, *argv])
    except SystemExit as stop:  # argparse refuses text that is not a number
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def test_json_keys(capsys):
    code, out, err = run(
        capsys, *FAST, "--seed", "3", "--target-total", "1e12", "--target-total", "750e9", "--json"
    )
    assert code == 0 and err == ""
    data = json.loads(out)
    be = data["breakeven_readers_per_post"]
    assert be["posts_equal_network"] == pytest.approx(256e9 / 1.64e9)
    assert round(be["1e12"], 1) == 453.7
    assert be["750e9"] == pytest.approx((750e9 - 256e9) / 1.64e9)
    bars = data["tornado"]
    assert [set(b) for b in bars] == [
        {"input", "low", "high", "output_low", "output_high", "swing"}
    ] * len(bars)
    assert [b["swing"] for b in bars] == sorted((b["swing"] for b in bars), reverse=True)
    assert bars[0]["input"] == "readers_per_post"
    mc = data["monte_carlo"]
    assert {"p5", "p50", "p95", "prob_above_500e9"} <= set(mc)
    assert mc["p5"] < mc["p50"] < mc["p95"] and 0 < mc["prob_above_500e9"] < 1
    assert mc["draws"] == 20000 and mc["seed"] == 3
    sob = data["sobol"]
    assert all(set(r) == {"input", "S1", "ST"} for r in sob)
    assert sob[0]["input"] == "readers_per_post"
    intervals = data["sobol_run"]["conf_int"]
    assert intervals["alpha"] == 0.05
    top = intervals["intervals"]["ST[readers_per_post]"]
    assert top["lower"] <= sob[0]["ST"] <= top["upper"]
    mc_interval = mc["conf_int"]["intervals"]["total_impressions"]
    assert mc_interval["lower"] < mc["p5"] < mc["p95"] < mc_interval["upper"]
    assert isinstance(data["conclusion"], str)


def test_same_seed_same_json(capsys):
    _, first, _ = run(capsys, *FAST, "--seed", "0", "--json")
    _, second, _ = run(capsys, *FAST, "--seed", "0", "--json")
    assert first == second


def test_never_reachable_target_is_null(capsys):
    code, out, _ = run(capsys, *FAST, "--target-total", "100e9", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["breakeven_readers_per_post"]["100e9"] is None
    assert data["breakevens"][1]["reachable"] is False


def test_overrides_and_threshold(capsys):
    code, out, _ = run(
        capsys, *FAST, "--set", "readers_per_post=300", "--threshold", "1e12", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["base_total"] == pytest.approx(256e9 + 1.64e9 * 300)
    assert {"prob_above_500e9", "prob_above_1e12"} <= set(data["monte_carlo"])


def test_text_output(capsys):
    code, out, _ = run(capsys, *FAST, "--target-total", "1e12")
    assert code == 0
    assert "Break-even readers per post" in out and "Sobol indices" in out
    assert "156.1 readers per post" in out


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (
            ["--target-total", "a-trillion"],
            "argument --target-total: expected a number, got 'a-trillion'",
        ),
        (["--draws", "0"], "draws must be an integer >= 1, got 0"),
        (["--draws", "2.5"], "argument --draws: expected a whole number, got '2.5'"),
        (["--draws", "many"], "argument --draws: expected a number, got 'many'"),
        (["--seed", "-1"], "argument --seed: must be a non-negative integer"),
        (["--sobol-n", "1000"], "n must be a power of 2 for Sobol' sampling, got 1000"),
        (["--threshold", "x"], "argument --threshold: expected a number, got 'x'"),
        (["--jobs", "0"], "n_jobs must be None, -1 or a positive integer, got 0"),
        (["--set", "readers_per_post.distribution.sigma=-1"], "readers_per_post"),
        (["--set", "readers_per_post.distribution.kind=weibull"], "readers_per_post"),
    ],
)
def test_errors_exit_2_with_one_line(capsys, extra, needle):
    code, out, err = run(capsys, *extra, "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("influence-kit sensitivity: error: ")
    assert needle in err


def test_missing_scenario_file(capsys):
    code = main(["sensitivity", "--scenario", "no/such.yaml"])
    _, err = capsys.readouterr()
    assert code == 2 and "scenario file not found" in err


def test_help_lists_the_command():
    proc = subprocess.run(
        [sys.executable, "-m", "influence_kit", "sensitivity", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert "--target-total" in proc.stdout and "--draws" in proc.stdout
