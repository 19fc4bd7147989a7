"""Run every benchmark script in this folder, then print every case in one table.

Usage: ``.venv/bin/python benchmarks/run_all.py [--quick]`` (``make benchmarks``). ``--quick``
passes ``--quick`` to the scripts that have a quick mode and limits the data-at-scale
benchmark to 1e6 and 1e7 rows.

Each script prints its own markdown tables as it runs (ours beside its peer, timed in the
same run). At the end the rows of all of them are gathered into one summary table with the
same columns for every case: ours, igraph, powerlaw, any other peer, and the remaining
columns of the script's own row as notes.
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
    "bench_audience.py": ["--nodes", "1e5", "--links", "1e6", "--reference-posts", "500"],
}

#: Column headers (as the scripts print them) holding our time, by what they measure.
OURS = (
    "ours (s)",
    "influence_kit (s)",
    "median wall (s)",
    "seconds",
    "time",
    "total wall (s)",
    "CLI `fit` (every comparison)",
)
#: Column headers holding a peer's time: (peer name, header).
PEERS = (
    ("igraph", "igraph (s)"),
    ("powerlaw", "powerlaw (s)"),
    ("pandas", "pandas read + value_counts"),
    ("pandas", "pandas value_counts (s)"),
    ("", "peer (s)"),
)


def _tables(text: str) -> list[list[list[str]]]:
    """Markdown tables in ``text``: each a list of rows (the header first), cells stripped.

    A separator row (``|---|``) starts a new table whose header is the row just before it,
    so tables printed back to back without a blank line are still told apart.
    """
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if not line.startswith("|"):
            if current:
                tables.append(current)
            current = []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(set(c) <= set("-: ") for c in cells):
            header = current.pop() if current else []
            if current:
                tables.append(current)
            current = [header]
        else:
            current.append(cells)
    return [t for t in tables if len(t) > 1]


def summary_rows(script: str, text: str) -> list[dict[str, str]]:
    """One summary row per table row of a script's output."""
    rows = []
    for table in _tables(text):
        header, body = table[0], table[1:]
        for cells in body:
            row = dict(zip(header, cells, strict=False))
            ours = next((row[h] for h in OURS if h in row), "")
            peers = {"igraph": "", "powerlaw": "", "other": ""}
            used = {header[0], *OURS}
            for name, column in PEERS:
                if column not in row:
                    continue
                used.add(column)
                if name in ("igraph", "powerlaw"):
                    peers[name] = row[column]
                else:
                    label = row.get("peer", name) or name
                    used.add("peer")
                    peers["other"] = f"{label}: {row[column]}"
            notes = "; ".join(f"{h}: {row[h]}" for h in header if h not in used and row.get(h))
            rows.append(
                {
                    "benchmark": script.removeprefix("bench_").removesuffix(".py"),
                    "case": cells[0],
                    "ours": ours,
                    **peers,
                    "notes": notes,
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes where supported")
    args = parser.parse_args()
    failed = []
    gathered: list[dict[str, str]] = []
    for script in sorted(HERE.glob("bench_*.py")):
        extra = QUICK_ARGS.get(script.name, []) if args.quick else []
        sys.stdout.write(f"\n## {script.name} {' '.join(extra)}\n\n")
        sys.stdout.flush()
        proc = subprocess.run(
            [sys.executable, str(script), *extra], stdout=subprocess.PIPE, text=True
        )
        sys.stdout.write(proc.stdout)
        sys.stdout.flush()
        if proc.returncode:
            failed.append(script.name)
        gathered += summary_rows(script.name, proc.stdout)
    columns = ["benchmark", "case", "ours", "igraph", "powerlaw", "other", "notes"]
    sys.stdout.write("\n## Every case in one table\n\n")
    sys.stdout.write("| " + " | ".join(columns) + " |\n")
    sys.stdout.write("|" + "---|" * len(columns) + "\n")
    for row in gathered:
        sys.stdout.write("| " + " | ".join(row[c] or "-" for c in columns) + " |\n")
    if failed:
        sys.stderr.write(f"failed: {', '.join(failed)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
