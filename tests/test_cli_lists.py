"""Every option that takes a list behaves alike (issue 12): several values after one
flag, repeated flags add up, and the first use replaces the default.

The list options are found by introspecting the parser, so a new one is covered as
soon as it is added; an option declared with argparse's own ``append``/``extend`` or
``nargs`` instead of :func:`influence_kit.cli.common.add_list_option` fails here.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from influence_kit.cli.common import ListAction, number_value
from influence_kit.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
WORDS_FILE = str(ROOT / "data" / "clauset2009" / "words.txt")
WORDS_GLOB = str(ROOT / "data" / "clauset2009" / "word*.txt")  # read by DuckDB


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def list_options() -> list[tuple[str, argparse.Action]]:
    found = []
    for command, parser in subcommands().items():
        for action in parser._actions:
            if not action.option_strings:
                continue
            if isinstance(action, ListAction) or action.nargs not in (None, 0):
                found.append((command, action))
    return found


def test_every_list_option_is_made_by_add_list_option():
    for command, parser in subcommands().items():
        for action in parser._actions:
            if not action.option_strings:
                continue
            bad = isinstance(action, (argparse._AppendAction, argparse._ExtendAction))
            assert not bad, (command, action.option_strings)
            if action.nargs not in (None, 0):
                assert isinstance(action, ListAction), (command, action.option_strings)


def test_the_known_list_options_are_lists():
    found = {(c, a.option_strings[0]) for c, a in list_options()}
    for expected in [
        ("concentration", "--top"),
        ("concentration", "--share"),
        ("sensitivity", "--target-total"),
        ("segment", "--column"),
        ("segment", "--drop"),
        ("render", "--scenario"),
        ("render", "--notebook"),
        ("explore", "--scenario"),
        *((c, "--set") for c in subcommands() if c not in ("fit", "concentration", "explore")),
    ]:
        assert expected in found


def sample_values(action: argparse.Action) -> list[str]:
    if action.type is number_value:
        return ["0.01", "0.16", "0.5"]
    return ["a=1", "b=2", "c=3"]


def base_argv(command: str) -> list[str]:
    """The required arguments of ``command`` (a positional PATH first)."""
    argv = [command]
    parser = subcommands()[command]
    for action in parser._actions:
        if not action.option_strings:  # the positional PATH
            argv.append("file.txt")
    for action in parser._actions:
        if action.required and action.option_strings:
            argv += [action.option_strings[0], "10" if action.dest == "n" else "x"]
    return argv


PARAMS = [
    pytest.param(command, action.dest, id=f"{command}-{action.option_strings[0]}")
    for command, action in list_options()
]


@pytest.mark.parametrize(("command", "dest"), PARAMS)
def test_one_flag_and_repeated_flags_give_the_same_list(command, dest):
    action = next(a for c, a in list_options() if c == command and a.dest == dest)
    flag = action.option_strings[0]
    a, b, c = sample_values(action)
    parse = build_parser().parse_args
    together = getattr(parse([*base_argv(command), flag, a, b, c]), dest)
    repeated = getattr(parse([*base_argv(command), flag, a, flag, b, flag, c]), dest)
    mixed = getattr(parse([*base_argv(command), flag, a, b, flag, c]), dest)
    expected = [action.type(v) if action.type else v for v in (a, b, c)]
    assert together == repeated == mixed == expected
    # the first use replaces the default; the default is never changed
    default = getattr(parse(base_argv(command)), dest)
    single = getattr(parse([*base_argv(command), flag, c]), dest)
    assert single == [expected[2]]
    assert getattr(parse(base_argv(command)), dest) == default


def test_positional_after_a_list_option_gets_a_hint(capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["segment", "--column", "audience=x", "people.parquet"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "give positional arguments first or end the list with --" in err
    args = build_parser().parse_args(["segment", "--column", "audience=x", "--", "p.parquet"])
    assert args.path == ["p.parquet"] and args.column == ["audience=x"]


def test_concentration_top_repeated_reaches_the_command():
    """``--top 0.01 --top 0.16`` reports both fractions (the last one alone before)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    data = str(ROOT / "data" / "social" / "facebook_degree.tsv")
    argv = [sys.executable, "-m", "influence_kit", "concentration", data, "--column", "degree"]
    runs = [
        subprocess.run(
            [*argv, *flags, "--bootstrap-reps", "0", "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        for flags in (["--top", "0.01", "--top", "0.16"], ["--top", "0.01", "0.16"])
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout == runs[1].stdout
    tops = [row["top"] for row in json.loads(runs[0].stdout)["top_shares"]]
    assert tops == [0.01, 0.16]


def test_render_takes_a_shell_glob_of_scenarios():
    files = sorted(glob.glob(str(ROOT / "data" / "scenarios" / "*.yaml")))
    assert len(files) >= 2
    args = build_parser().parse_args(["render", "--scenario", *files, "--notebook", "01", "02"])
    assert args.scenarios == files
    assert args.notebooks == ["01", "02"]


@pytest.fixture
def parts(tmp_path: Path) -> Path:
    """Two parts of one data set: value files and person tables."""
    from influence_kit.population import write_population
    from influence_kit.scenarios import load_scenario

    (tmp_path / "values").mkdir()
    (tmp_path / "values" / "a.csv").write_text("x\n" + "\n".join(map(str, range(1, 60))) + "\n")
    (tmp_path / "values" / "b.csv").write_text("x\n" + "\n".join(map(str, range(5, 90))) + "\n")
    scenario = load_scenario("forrester-us-2009")
    for seed in (1, 2):
        write_population(tmp_path / "people" / f"p{seed}.parquet", scenario, 1500, seed)
    return tmp_path


@pytest.mark.parametrize(
    ("command", "folder", "extra"),
    [
        ("fit", "values", ["--column", "x"]),
        ("concentration", "values", ["--column", "x", "--bootstrap-reps", "0"]),
        ("segment", "people", []),
    ],
)
def test_positional_path_takes_the_files_a_shell_glob_gives(command, folder, extra, parts, capsys):
    """`fit logs/*.csv` (expanded by the shell) reads what `fit 'logs/*.csv'` reads."""
    from influence_kit.cli.main import main

    files = sorted(str(p) for p in (parts / folder).iterdir())
    outputs = []
    for paths in (files, [str(parts / folder / "*")]):
        assert main([command, *paths, *extra, "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        for key in ("label", "origin", "source"):
            out.pop(key, None)
        outputs.append(out)
    assert outputs[0] == outputs[1]
    one = main([command, files[0], *extra, "--json"])
    assert one == 0 and json.loads(capsys.readouterr().out) != outputs[0]


@pytest.mark.parametrize("bad", ["abc", "0", "1KB", "-1", "1e9", "2EB"])
def test_memory_limit_is_checked_whichever_path_reads_the_data(bad, capsys):
    """The option is parsed up front, so a single small file (read in memory) and a
    glob (read by DuckDB) refuse the same bad sizes the same way."""
    from influence_kit.cli.main import main

    for source in (WORDS_FILE, WORDS_GLOB):
        with pytest.raises(SystemExit) as stop:
            main(["fit", source, "--memory-limit", bad, "--gof-reps", "0"])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert "argument --memory-limit" in err and len(err.strip().splitlines()) == 1


def test_memory_limit_sizes_reach_duckdb(capsys):
    from influence_kit.cli.common import memory_size
    from influence_kit.cli.main import main

    assert memory_size("512MB") == "512000000B" and memory_size("4GiB") == f"{4 * 2**30}B"
    assert main(["fit", WORDS_GLOB, "--memory-limit", "64MiB", "--gof-reps", "0", "--json"]) == 0
