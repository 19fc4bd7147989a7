"""A clean run prints nothing on stderr but its progress and its result (issue 12).

Every subcommand runs on shipped data with small sizes; the test fails on any warning
Python would show (RuntimeWarning from numpy/scipy overflow or division, UserWarning,
FutureWarning...), on any log record of level WARNING or above and on any stderr line
that is not a progress bar. ``render`` runs one quick notebook in its own process, so
what the kernel and the Jupyter client print at shutdown (and at interpreter exit) is
seen too.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from influence_kit.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

#: A tqdm progress line (the only thing besides the result allowed on stderr).
PROGRESS = re.compile(r"\d+%\||\d+/\d+ \[|it/s\]|s/it\]")

#: Warning categories Python hides by default (not shown to a user).
HIDDEN = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


def runs(tmp: Path) -> dict[str, list[list[str]]]:
    """Small clean runs of every subcommand but render, on shipped data."""
    people = str(tmp / "people.parquet")
    return {
        "account": [["account"], ["account", "--scenario", "western-europe-2010", "--json"]],
        "reach": [
            ["reach", "ego-facebook", "--seed", "1"],
            ["reach", "wiki-vote", "--scenario", "audience-us-2009", "--json"],
            [
                "reach",
                str(DATA / "social" / "facebook_degree.tsv"),
                "--audience-sizes",
                "--column",
                "degree",
            ],
        ],
        "sensitivity": [
            ["sensitivity", "--draws", "2000", "--sobol-n", "64"],
            [
                "sensitivity",
                "--draws",
                "2000",
                "--sobol-n",
                "64",
                "--scenario",
                "skeptic-us-2009",
                "--set",
                "readers_per_post.distribution.kind=lognormal",
                "--target-total",
                "1e12",
                "750e9",
            ],
        ],
        "fit": [
            ["fit", str(DATA / "clauset2009" / "words.txt"), "--gof-reps", "39"],
            ["fit", str(DATA / "clauset2009" / "cities.txt"), "--continuous", "--scale", "1e-3"],
            ["fit", str(DATA / "clauset2009" / "quakes.txt"), "--bootstrap-reps", "39"],
            [
                "fit",
                str(DATA / "clauset2009" / "weblinks.hist"),
                "--column",
                "degree",
                "--counts-column",
                "frequency",
                "--continuous",
                "--json",
            ],
        ],
        "concentration": [
            [
                "concentration",
                str(DATA / "social" / "wiki-Vote_per_user.tsv"),
                "--column",
                "votes_received",
                "--top",
                "0.01",
                "0.16",
                "--bootstrap-reps",
                "50",
            ]
        ],
        "calibrate": [["calibrate"], ["calibrate", "--cutoff-alpha", "1.5", "--json"]],
        "simulate": [["simulate", "--n", "3000", "--out", people]],
        "segment": [
            ["segment", people, "--bootstrap", "39"],
            [
                "segment",
                str(DATA / "social" / "wiki-Vote_per_user.tsv"),
                "--column",
                "influence_posts=votes_cast",
                "network_updates=votes_cast",
                "audience=votes_received",
            ],
        ],
    }


def test_every_subcommand_is_run():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    # render runs below; explore is a server, stopped cleanly in tests/test_explorer_browser.py
    assert set(runs(Path("x"))) | {"render", "explore"} == set(sub.choices)


def test_clean_runs_print_nothing_else(tmp_path, capsys, caplog):
    caplog.set_level(logging.WARNING)
    for command, argvs in runs(tmp_path).items():
        for argv in argvs:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                code = main(argv)
            shown = [w for w in caught if not issubclass(w.category, HIDDEN)]
            assert code == 0, (argv, capsys.readouterr().err)
            assert not shown, (argv, [f"{w.category.__name__}: {w.message}" for w in shown])
            noisy = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
            assert not noisy, (argv, noisy)
            err = capsys.readouterr().err
            extra = [line for line in err.splitlines() if line and not PROGRESS.search(line)]
            assert not extra, (argv, extra)
            caplog.clear()
        assert command


@pytest.mark.slow
def test_render_prints_nothing_else(tmp_path):
    """One quick notebook in its own process: no zmq-context or kernel shutdown lines."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONWARNINGS", None)  # what a user sees by default
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "influence_kit",
            "render",
            "--notebook",
            "01",
            "--output-dir",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    extra = [line for line in proc.stderr.splitlines() if line and not PROGRESS.search(line)]
    assert not extra, proc.stderr
    assert "index:" in proc.stdout


def test_progress_pattern_matches_tqdm():
    from io import StringIO

    from tqdm import tqdm

    out = StringIO()
    for _ in tqdm(range(3), file=out, mininterval=0, desc="replicates"):
        pass
    lines = [line for line in re.split(r"[\r\n]", out.getvalue()) if line.strip()]
    assert lines and all(PROGRESS.search(line) for line in lines), lines
    assert not PROGRESS.search("influence-kit fit: error: 10/20 values are negative")
