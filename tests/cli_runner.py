"""Run the command line in the test process, as ``python -m influence_kit`` would run it.

Starting a Python process per command costs about a second of imports; the tests of what a
command prints and returns call :func:`~influence_kit.cli.main.main` here instead (the tests
of the process itself, closed pipes, signals, concurrent runs, keep real processes).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import warnings
from collections.abc import Iterator, Mapping

from influence_kit.cli.main import main

#: Python's default warning filters for a program that is not ``__main__``.
_PROCESS_IGNORES = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


@contextlib.contextmanager
def _environment(extra: Mapping[str, str] | None) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in extra or {}}
    os.environ.update(extra or {})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_cli(*argv: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``influence-kit ARGV`` in this process; the result is as from :func:`subprocess.run`.

    What the command would write to stderr in a process of its own is on ``stderr``: log
    records at WARNING and above (the command line's default level) and Python warnings,
    under Python's default filters. An exception escaping ``main`` (a traceback in a real
    run) propagates and fails the test. ``env`` adds environment variables for the run.
    """
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    handler = logging.StreamHandler(err)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    try:
        with (
            _environment(env),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("default")
            for category in _PROCESS_IGNORES:
                warnings.simplefilter("ignore", category)
            try:
                code = main(list(argv))
            except SystemExit as stop:  # argparse's usage errors
                if stop.code is None or isinstance(stop.code, int):
                    code = stop.code or 0
                else:  # sys.exit("message"): the message goes to stderr, exit code 1
                    err.write(f"{stop.code}\n")
                    code = 1
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    for w in caught:
        err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
    return subprocess.CompletedProcess(
        ["influence-kit", *argv], code, out.getvalue(), err.getvalue()
    )
