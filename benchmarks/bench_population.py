"""Benchmark the synthetic population and the segmentation at 1e6 people.

Run: ``.venv/bin/python benchmarks/bench_population.py [--n 1000000] [--repeat 3]``.
Prints a markdown table with the best of ``--repeat`` wall-clock times of:

* calibrate_population: solving every generator parameter from the US 2009 scenario;
* simulate: :func:`influence_kit.population.simulate_population` in memory;
* write: :func:`influence_kit.population.write_population` streamed to Parquet
  (chunks of 262,144 people) in a temporary folder, with the file size;
* segment: :func:`influence_kit.segments.segment_people` without bootstrap, and
  with ``--reps`` bootstrap replicates (seconds per replicate reported);

and the calibrated figures of the segmented population beside their targets.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from influence_kit.population import (  # noqa: E402
    calibrate_population,
    simulate_population,
    write_population,
)
from influence_kit.scenarios import load_scenario  # noqa: E402
from influence_kit.segments import segment_people  # noqa: E402

SCENARIO = ROOT / "data" / "scenarios" / "forrester-us-2009.yaml"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall-clock time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, default=1e6, help="people (default 1e6)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats, best kept (default 3)")
    parser.add_argument("--reps", type=int, default=20, help="bootstrap replicates (default 20)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    n = int(args.n)
    scenario = load_scenario(SCENARIO)
    cal = calibrate_population(scenario)
    rows: list[tuple[str, str]] = []
    rows.append(
        (
            "calibrate_population",
            f"{best_of(lambda: calibrate_population(scenario), args.repeat):.3f} s",
        )
    )
    pop = simulate_population(cal, n, args.seed)
    rows.append(
        (
            f"simulate {n:,}",
            f"{best_of(lambda: simulate_population(cal, n, args.seed), args.repeat):.2f} s",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "people.parquet"
        seconds = best_of(lambda: write_population(out, cal, n, args.seed), args.repeat)
        size = out.stat().st_size
    rows.append((f"write {n:,} to Parquet", f"{seconds:.2f} s ({size / 1e6:.1f} MB)"))
    seg = segment_people(pop, n_boot=0)
    rows.append(
        (
            f"segment {n:,}",
            f"{best_of(lambda: segment_people(pop, n_boot=0), args.repeat):.2f} s",
        )
    )
    boot = best_of(lambda: segment_people(pop, n_boot=args.reps, seed=1), 1)
    rows.append(
        (f"segment {n:,} + {args.reps} bootstrap", f"{boot:.2f} s ({boot / args.reps:.3f} s/rep)")
    )
    print(f"# bench_population ({platform.python_version()}, {platform.machine()})\n")
    print("| step | time |\n|---|---|")
    for step, value in rows:
        print(f"| {step} | {value} |")
    print("\n| figure | simulated | target |\n|---|---|---|")
    targets = {
        "mass_connectors_share": 0.062,
        "mass_mavens_share": 0.138,
        "overlap_share": 0.037,
        "network_impressions_total": 256e9,
        "posts_total": 1.64e9,
        "connectors_mean_friends": 537.0,
    }
    data = seg.to_dict()
    for key, target in targets.items():
        print(f"| {key} | {data[key]:.4g} | {target:.4g} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
