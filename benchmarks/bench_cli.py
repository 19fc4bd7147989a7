"""Benchmark how fast everyday ``influence-kit`` commands start (issue 13).

Run: ``.venv/bin/python benchmarks/bench_cli.py [--runs 5]``. Prints a markdown table with
the median wall-clock time of ``--runs`` runs (each a fresh process, after one warm-up run so
the file cache is warm) of ``influence-kit --help``, every subcommand's ``--help`` and
``influence-kit account --json``, with the goal beside each. The median CPU time (user +
system) of the same runs is shown too: on a busy machine it is what the wall time would be
on an idle one.

The command is the ``influence-kit`` script installed next to the Python running this file
(``python -m influence_kit`` when there is none); the worktree is put first on
``PYTHONPATH`` so its code is the one timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from influence_kit.cli.main import build_parser  # noqa: E402

#: Goals (seconds, wall clock, warm file cache) from issue 13.
HELP_GOAL = 0.3
ACCOUNT_GOAL = 0.6


def command() -> list[str]:
    """The ``influence-kit`` command of the Python running this script."""
    script = Path(sys.executable).parent / "influence-kit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "influence_kit"]


def subcommands() -> list[str]:
    """The subcommand names, in the order ``--help`` lists them."""
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    raise RuntimeError("the parser has no subcommands")


def cpu_seconds() -> float:
    """User + system CPU seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_times(argv: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``runs`` runs of ``argv`` (after a warm-up run)."""
    walls, cpus = [], []
    for i in range(runs + 1):
        cpu = cpu_seconds()
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        if i:  # the first run only warms the file cache
            walls.append(time.perf_counter() - start)
            cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (5)")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    base = command()
    cases = [(["--help"], HELP_GOAL)]
    cases += [([name, "--help"], HELP_GOAL) for name in subcommands()]
    cases += [(["account", "--json"], ACCOUNT_GOAL)]
    sys.stdout.write(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        f"median of {args.runs} runs (fresh process each, warm file cache)\n\n"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    sys.stdout.write(f"load average before: {load}\n\n")
    sys.stdout.write(
        "| command | median wall (s) | goal (s) | within goal | median CPU (s) |\n"
        "|---|---:|---:|---|---:|\n"
    )
    missed = 0
    for extra, goal in cases:
        seconds, cpu = median_times([*base, *extra], args.runs, env)
        ok = seconds < goal
        missed += not ok
        sys.stdout.write(
            f"| influence-kit {' '.join(extra)} | {seconds:.3f} | {goal:.1f} | "
            f"{'yes' if ok else 'NO'} | {cpu:.3f} |\n"
        )
        sys.stdout.flush()
    if missed:
        sys.stdout.write(f"\n{missed} command(s) slower than the goal\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
