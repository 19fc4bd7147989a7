"""Data at scale: Parquet of 1e6..1e8 per-person values (or per-event rows) to a fitted verdict.

For each size the script generates (once, cached under /tmp/influence-kit-bench/, or
$INFLUENCE_KIT_BENCH_DIR; never in the repository) a Parquet file of heavy-tailed integer
values per person (zipf(2.2) - 1, so about 70% zeros), then, in a fresh child process
measured by /usr/bin/time -v:

* aggregates it to a (value, count) table in DuckDB (memory_limit 1GB, 2 threads), and
* fits the power law with every alternative (x_min scan, MLE, comparisons, verdict).

The peer in the same run is pandas: read the column and ``value_counts()``. The per-event
variant writes about 1e8 event rows for 5.7e7 people and aggregates GROUP BY person, then value.

The command-line part (issue 13) runs ``influence-kit fit FILE --discrete --json`` and
``influence-kit concentration FILE --json`` end to end on ONE Parquet file of 3e7 and 1e8 rows
(interpreter start-up, imports, DuckDB aggregation, the fit with every comparison, no
goodness-of-fit bootstrap; concentration with its default 1,000 bootstrap replicates), each in
a fresh process under /usr/bin/time -v, with the pandas read + ``value_counts()`` of the same
file as the peer.

Usage::

    .venv/bin/python benchmarks/bench_data.py                # 1e6, 1e7, 1e8 + events + CLI
    .venv/bin/python benchmarks/bench_data.py --sizes 1e6 1e7 --no-events --no-cli
    .venv/bin/python benchmarks/bench_data.py --sizes --no-events --cli-sizes 3e7 1e8
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

OUT = Path(os.environ.get("INFLUENCE_KIT_BENCH_DIR", "/tmp/influence-kit-bench"))
ROOT = Path(__file__).resolve().parent.parent
CHUNK = 10_000_000


def generate_values(rows: int, path: Path, seed: int = 1) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    schema = pa.schema([("impressions", pa.int64())])
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        done = 0
        while done < rows:
            size = min(CHUNK, rows - done)
            values = rng.zipf(2.2, size=size) - 1
            writer.write_table(pa.table({"impressions": values}, schema=schema))
            done += size
    tmp.rename(path)


def generate_events(people: int, path: Path, seed: int = 2) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    schema = pa.schema([("person", pa.int64()), ("reach", pa.int64())])
    tmp = path.with_suffix(".tmp")
    total = 0
    block = 5_000_000
    with pq.ParquetWriter(tmp, schema) as writer:
        for start in range(0, people, block):
            n = min(block, people - start)
            per_person = rng.zipf(2.6, size=n)
            ids = np.repeat(np.arange(start, start + n, dtype=np.int64), per_person)
            rng.shuffle(ids)
            reach = rng.zipf(2.0, size=ids.size)
            writer.write_table(pa.table({"person": ids, "reach": reach}, schema=schema))
            total += ids.size
    tmp.rename(path)
    return total


def stage(file: str, mode: str) -> dict[str, float]:
    """Run in a child process: aggregate (and fit), print timings as JSON."""
    out: dict[str, float] = {}
    if mode == "pandas":
        import pandas as pd

        t = time.perf_counter()
        counts = pd.read_parquet(file, columns=["impressions"])["impressions"].value_counts()
        out["aggregate_s"] = time.perf_counter() - t
        out["distinct"] = float(counts.size)
        return out
    if mode in ("read", "fit-only"):
        # The command line's route for one file (read_values), without the CLI layer.
        from influence_kit.data.files import read_values
        from influence_kit.fitting import fit_all

        t = time.perf_counter()
        data = read_values(file, "impressions")
        out["aggregate_s"] = time.perf_counter() - t
        if mode == "fit-only":
            t = time.perf_counter()
            fit_all(data.table, discrete=True, alternatives=[], progress=False)
            out["fit_s"] = time.perf_counter() - t
        return out
    from influence_kit.data import value_counts
    from influence_kit.fitting import fit_all

    t = time.perf_counter()
    if mode == "events":
        vc = value_counts(file, person_column="person", memory_limit="1GB", threads=2)
    else:
        vc = value_counts(file, "impressions", memory_limit="1GB", threads=2)
    out["aggregate_s"] = time.perf_counter() - t
    out["rows"] = float(vc.rows)
    out["people"] = float(vc.people)
    out["distinct"] = float(vc.table.n_distinct + (1 if vc.table.n_zeros else 0))
    t = time.perf_counter()
    report = fit_all(vc.table, discrete=True, progress=False)
    out["fit_s"] = time.perf_counter() - t
    out["alpha"] = float(report.power_law.alpha)
    out["xmin"] = float(report.power_law.xmin)
    return out


def timed(cmd: list[str]) -> tuple[str, dict[str, float]]:
    """Run ``cmd`` under /usr/bin/time -v: stdout, peak RSS (MB), wall and CPU time (s)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=True, env=env
    )
    result: dict[str, float] = {}
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    result["peak_mb"] = int(peak.group(1)) / 1024 if peak else float("nan")
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr)
    result["cpu_s"] = sum(float(c) for c in cpu) if cpu else float("nan")
    if wall:
        h, m, s = wall.groups()
        result["wall_s"] = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return proc.stdout, result


def measure(file: Path, mode: str) -> dict[str, float]:
    stdout, usage = timed([sys.executable, __file__, "--stage", str(file), mode])
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(usage)
    return result


def measure_cli(file: Path, command: str) -> dict[str, float]:
    """``influence-kit fit|concentration FILE --json`` end to end in a fresh process."""
    args = [sys.executable, "-m", "influence_kit.cli.main", command, str(file), "--json"]
    if command == "fit":
        args.append("--discrete")
    stdout, usage = timed(args)
    out = json.loads(stdout)
    if command == "fit":
        usage["alpha"] = float(out["alpha"])
    return usage


def cli_table(sizes: list[str]) -> None:
    """One Parquet file per size: CLI fit and concentration end to end, pandas as the peer.

    Cells are ``wall s (user + system CPU s) / peak RSS MB`` of a fresh process (interpreter
    start-up and imports included; CPU time is the figure that a loaded machine disturbs
    least); "read" is ``read_values`` alone, the aggregation's own seconds after ``+``.
    """
    print(
        "| single Parquet file | read (DuckDB) | pandas read + value_counts | read ratio "
        "| read + fit, no comparisons | CLI `fit` (every comparison) | CLI `concentration` |"
    )
    print("|---|---|---|---|---|---|---|")

    def cell(m: dict[str, float]) -> str:
        return f"{m['wall_s']:.1f} s ({m['cpu_s']:.1f}) / {m['peak_mb']:.0f} MB"

    for size in sizes:
        path = values_file(size)
        read = measure(path, "read")
        peer = measure(path, "pandas")
        bare = measure(path, "fit-only")
        fit = measure_cli(path, "fit")
        conc = measure_cli(path, "concentration")
        print(
            f"| {size} rows ({path.stat().st_size / 2**20:.0f} MB) | {cell(read)} "
            f"+ {read['aggregate_s']:.2f} | {cell(peer)} + {peer['aggregate_s']:.2f} | "
            f"{peer['aggregate_s'] / read['aggregate_s']:.1f}x | {cell(bare)} | {cell(fit)} | "
            f"{cell(conc)} |",
            flush=True,
        )


def values_file(size: str) -> Path:
    path = OUT / f"values-{size}.parquet"
    if not path.exists():
        generate_values(int(float(size)), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["1e6", "1e7", "1e8"])
    parser.add_argument("--no-events", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--cli-sizes", nargs="*", default=["3e7", "1e8"])
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--stage", nargs=2, metavar=("FILE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(*args.stage)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    if not args.no_cli and args.cli_sizes:
        cli_table(args.cli_sizes)
    if not args.sizes and args.no_events:
        return
    for size in args.sizes:
        path = values_file(size)
        ours = measure(path, "values")
        peer = None if args.no_pandas else measure(path, "pandas")
        rows.append((f"{size} per-person rows", ours, peer))
    if not args.no_events:
        path = OUT / "events-5.7e7-people.parquet"
        if not path.exists():
            generate_events(57_000_000, path)
        events = measure(path, "events")
        label = f"{events['rows']:.3g} event rows ({events['people']:.3g} people)"
        rows.append((label, events, None))
    print(
        "| input | distinct values | DuckDB aggregate (s) | fit + compare (s) | total wall (s) "
        "| peak RSS (MB) | pandas value_counts (s) | pandas peak (MB) | aggregate ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, ours, peer in rows:
        ratio = f"{peer['aggregate_s'] / ours['aggregate_s']:.1f}x" if peer else "-"
        print(
            f"| {label} | {ours['distinct']:.0f} | {ours['aggregate_s']:.2f} | "
            f"{ours['fit_s']:.2f} | {ours.get('wall_s', float('nan')):.1f} | "
            f"{ours['peak_mb']:.0f} | "
            + (f"{peer['aggregate_s']:.2f} | {peer['peak_mb']:.0f} | " if peer else "- | - | ")
            + f"{ratio} |"
        )


if __name__ == "__main__":
    main()
