"""Run every benchmark script in this folder, one after another, printing their tables.

Usage: ``.venv/bin/python benchmarks/run_all.py [--quick]`` (``make benchmarks``). ``--quick``
passes ``--quick`` to the scripts that have a quick mode and limits the data-at-scale
benchmark to 1e6 and 1e7 rows.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

QUICK_ARGS = {
    "bench_fitting.py": ["--quick"],
    "bench_data.py": ["--sizes", "1e6", "1e7", "--no-events"],
    "bench_cli.py": ["--runs", "3"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes where supported")
    args = parser.parse_args()
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        extra = QUICK_ARGS.get(script.name, []) if args.quick else []
        sys.stdout.write(f"\n## {script.name} {' '.join(extra)}\n\n")
        sys.stdout.flush()
        code = subprocess.call([sys.executable, str(script), *extra])
        if code:
            failed.append(script.name)
    if failed:
        sys.stderr.write(f"failed: {', '.join(failed)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
