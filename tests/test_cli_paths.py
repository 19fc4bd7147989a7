"""Every path argument of every subcommand: one line naming the path and what it is.

The path options are found by introspecting the parser (each carries a ``path_kind``,
see :func:`influence_kit.cli.common.mark_path`), so a new option is covered as soon as
it is added. A FIFO, ``/dev/stdin`` (a pipe here), a socket, a directory where a file
is expected and a file where a folder is expected each give exit code 2 and one line,
never "not found", never a hang (issue 12).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from influence_kit.cli.common import PATH_KINDS
from influence_kit.cli.main import build_parser, main
from influence_kit.errors import DataError, ParameterError
from influence_kit.validation import (
    check_input_file,
    check_input_folder,
    check_output_file,
    check_output_folder,
    path_kind,
    write_error,
)

ROOT = Path(__file__).resolve().parents[1]
WORDS = str(ROOT / "data" / "clauset2009" / "words.txt")
PEOPLE = str(ROOT / "data" / "social" / "wiki-Vote_per_user.tsv")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def path_options() -> list[tuple[str, argparse.Action]]:
    """Every (subcommand, action) whose value names a file or folder."""
    found = []
    for command, parser in subcommands().items():
        for action in parser._actions:
            if hasattr(action, "path_kind"):
                found.append((command, action))
    return found


def test_every_path_looking_option_is_marked():
    """An option whose metavar or name says it takes a path must carry a path kind."""
    for command, parser in subcommands().items():
        for action in parser._actions:
            words = re.split(r"[^A-Z0-9]+", f"{action.metavar or ''} {action.dest}".upper())
            # whole words (timeOUT is no OUTput): PATH, DIR, FILE, OUT and names ending so
            looks_like_path = any(
                w in ("OUT", "OUTPUT") or w.endswith(("PATH", "DIR", "FILE")) for w in words if w
            )
            if looks_like_path:
                assert hasattr(action, "path_kind"), (command, action.option_strings)
            if hasattr(action, "path_kind"):
                assert action.path_kind in PATH_KINDS


def test_path_options_cover_every_subcommand_that_reads_or_writes():
    commands = {command for command, _ in path_options()}
    assert commands == set(subcommands()), set(subcommands()) - commands
    kinds = {action.path_kind for _, action in path_options()}
    assert kinds == set(PATH_KINDS)


# --- building a valid command line around one bad path ------------------------------


def valid_argv(command: str, tmp: Path) -> dict[str, list[str]]:
    """Valid values for the required and path arguments of ``command``, by dest."""
    values: dict[str, list[str]] = {}
    for action in subcommands()[command]._actions:
        kind = getattr(action, "path_kind", None)
        if kind is None:
            continue
        if action.dest == "path":
            values["path"] = [PEOPLE if command == "segment" else WORDS]
        elif kind == "output file":
            values[action.dest] = [str(tmp / "out.parquet")]
        elif kind == "output folder":
            values[action.dest] = [str(tmp / "site")]
    return values


def argv_with(command: str, action: argparse.Action, value: str, tmp: Path) -> list[str]:
    values = valid_argv(command, tmp)
    values[action.dest] = [value]
    argv = [command]
    if "path" in values:
        argv += values.pop("path")
    parser = subcommands()[command]
    for act in parser._actions:
        if act.dest in values and act.option_strings:
            argv += [act.option_strings[0], *values[act.dest]]
    if command == "simulate":
        argv += ["--n", "10"]
    if command == "render":
        argv += ["--notebook", "01"] if action.dest != "notebooks" else []
    return argv


class _Hang(Exception):
    pass


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command in this process, failing (not hanging) after 20 s."""

    def alarm(signum: int, frame: object) -> None:
        raise _Hang(f"{argv} hung")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    try:
        try:
            code = main(argv)
        except SystemExit as stop:
            code = int(stop.code or 0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, capsys.readouterr().err


@pytest.fixture
def specials(tmp_path: Path) -> Iterator[dict[str, Path]]:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    regular = tmp_path / "regular.txt"
    regular.write_text("1\n")
    yield {"fifo": fifo, "socket": sock_path, "folder": folder, "regular": regular}
    server.close()


#: What each case is called in the message.
CASES = {
    "fifo": "is a FIFO",
    "socket": "is a socket",
    "stdin": r"is an? (FIFO|character device|socket)",
    "folder": "is a directory",
    "regular": "is a regular file",
    "empty": "expected a path, got ''",
}


def cases_for(kind: str) -> list[str]:
    if kind in ("input file", "output file"):
        return ["fifo", "socket", "stdin", "folder", "empty"]
    if kind == "input source":  # a folder of data files is a valid source
        return ["fifo", "socket", "stdin", "empty"]
    return ["fifo", "socket", "stdin", "regular", "empty"]  # folders


PARAMS = [
    pytest.param(command, action.dest, case, id=f"{command}-{action.dest}-{case}")
    for command, action in path_options()
    for case in cases_for(action.path_kind)
]


@pytest.mark.parametrize(("command", "dest", "case"), PARAMS)
def test_special_path_is_one_line(command, dest, case, specials, tmp_path, capsys):
    if case == "stdin":
        mode = os.fstat(0).st_mode
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            pytest.skip("standard input is a regular file here")
        value = "/dev/stdin"
    elif case == "empty":
        value = ""
    else:
        value = str(specials[case])
    action = next(a for c, a in path_options() if c == command and a.dest == dest)
    argv = argv_with(command, action, value, tmp_path)
    code, err = run_main(argv, capsys)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert value in lines[0]
    assert re.search(CASES[case], lines[0]), lines[0]
    assert "not found" not in lines[0]


def test_stdin_pipe_is_not_read():
    """``fit /dev/stdin`` with a pipe that never ends: refused at once, nothing read."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "influence_kit", "fit", "/dev/stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None and proc.stderr is not None
    try:
        code = proc.wait(timeout=60)  # standard input stays open: reading it would block
    finally:
        proc.kill()
        proc.stdin.close()
    err = proc.stderr.read()
    assert code == 2, err
    assert err.strip() == (
        "influence-kit fit: error: /dev/stdin: is a FIFO (a named pipe), not a regular file "
        "(expected a data file)"
    )


def test_unreadable_file_as_another_user(tmp_path):
    """Permissions are real only for a user other than root: run the command as nobody."""
    if os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists():
        pytest.skip("needs root and setpriv to run as another user")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ik-perm-") as place:
        os.chmod(place, 0o755)
        secret = Path(place) / "secret.txt"
        secret.write_text("1\n2\n")
        secret.chmod(0o600)
        scenario = Path(place) / "secret.yaml"
        scenario.write_text("meta: {}\n")
        scenario.chmod(0o600)
        locked = Path(place) / "locked"
        locked.mkdir(mode=0o755)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": place}
        nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        # A private clone (a 0700 folder on the way to the checkout or the venv) keeps
        # nobody out of the package or its dependencies: nothing to learn about the
        # messages then.
        reach = subprocess.run(
            [*nobody, sys.executable, "-c", "import numpy, pandas, yaml, influence_kit.cli.main"],
            capture_output=True,
            text=True,
            env=env,
            cwd=place,
            timeout=120,
        )
        if reach.returncode != 0:
            last = (reach.stderr.strip().splitlines() or ["no message"])[-1]
            pytest.skip(
                f"user nobody cannot run {sys.executable} with influence_kit ({ROOT}) and "
                f"its dependencies (a private folder on the way?): {last}"
            )
        for argv, fragment in (
            (["fit", str(secret)], f"{secret}: no permission to read it"),
            (["account", "--scenario", str(scenario)], f"{scenario}: no permission to read it"),
            (
                ["simulate", "--n", "10", "--out", str(locked / "p.parquet")],
                f"{locked}: cannot create the population file in this folder (permission denied)",
            ),
        ):
            proc = subprocess.run(
                [*nobody, sys.executable, "-m", "influence_kit", *argv],
                capture_output=True,
                text=True,
                env=env,
                cwd=place,
                timeout=120,
            )
            assert proc.returncode == 2, proc.stderr
            assert proc.stderr.strip().splitlines() == [
                f"influence-kit {argv[0]}: error: {fragment}"
            ]


# --- the checks themselves ---------------------------------------------------------


def test_path_kind_names_every_type(specials):
    assert path_kind(specials["fifo"]) == "FIFO (a named pipe)"
    assert path_kind(specials["socket"]) == "socket"
    assert path_kind(specials["folder"]) == "directory"
    assert path_kind(specials["regular"]) == "regular file"
    assert path_kind(specials["regular"] / "below") is None
    assert path_kind("/dev/null") == "character device"
    assert path_kind(specials["folder"] / "missing") is None


def test_checks_raise_the_given_error_type(specials):
    with pytest.raises(DataError, match="is a FIFO"):
        check_input_file(specials["fifo"], error=DataError)
    with pytest.raises(ParameterError, match="data file not found"):
        check_input_file(specials["folder"] / "missing")
    assert check_input_file(specials["regular"]) == specials["regular"]
    assert check_input_folder(specials["folder"]) == specials["folder"]
    with pytest.raises(ParameterError, match="is a regular file, expected a folder"):
        check_input_folder(specials["regular"])


def test_output_checks(specials, tmp_path):
    assert check_output_file(tmp_path / "new" / "deeper" / "x.csv").name == "x.csv"
    assert check_output_file(specials["regular"]) == specials["regular"]
    with pytest.raises(ParameterError, match="is a directory, expected an output file"):
        check_output_file(specials["folder"])
    with pytest.raises(ParameterError, match="is a character device"):
        check_output_file("/dev/full")
    with pytest.raises(ParameterError, match="is a regular file, cannot hold the output file"):
        check_output_file(specials["regular"] / "x.csv")
    assert check_output_folder(tmp_path / "new-site") == tmp_path / "new-site"
    with pytest.raises(ParameterError, match="is a regular file, expected an output folder"):
        check_output_folder(specials["regular"])


def test_write_error_takes_the_reason_from_pyarrow_text():
    err = OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")
    assert str(write_error(err, "/x/y.parquet", "population file")) == (
        "/x/y.parquet: cannot write the population file: No space left on device"
    )
    assert "cannot write the site: odd" in str(write_error(OSError("odd"), "/x", "site"))
