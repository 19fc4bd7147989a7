"""Benchmark bootstrap CIs: multinomial resampling of a frequency table vs expanded data.

Run: ``.venv/bin/python benchmarks/bench_concentration.py [--repeat 3]``. Prints a
markdown table with the best of ``--repeat`` wall-clock times.

* ours: :func:`influence_kit.concentration.concentration` with ``--reps``
  replicates (Gini, 5 top shares, 2 "p% make q%" fractions and a 236-point
  Lorenz band per replicate) on a (value, count) table of heavy-tailed integers
  (discrete Zipf, exponent 2.1) for 1e6 people and for 1e8 people;
* expanded: the textbook bootstrap on the same 1e6 people held as raw values,
  one replicate at a time (resample n indices, sort, cumulative sum, read the
  same top shares, fractions and Gini), timed for ``--expanded-reps``
  replicates and scaled to ``--reps``. At 1e8 people the expanded bootstrap
  needs several 800 MB arrays per replicate and is not run.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from influence_kit.concentration import (  # noqa: E402
    DEFAULT_SHARES,
    DEFAULT_TOP,
    concentration,
    gini,
)
from influence_kit.tables import value_table  # noqa: E402

TOP = np.array(DEFAULT_TOP)
SHARES = np.array(DEFAULT_SHARES)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall-clock time of ``repeat`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def zipf_table(people: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A (value, count) table of ``people`` draws of a discrete Zipf(2.1) up to 1e6."""
    support = np.arange(1, 1_000_001, dtype=float)
    pmf = support**-2.1
    pmf /= pmf.sum()
    counts = np.random.default_rng(seed).multinomial(people, pmf)
    keep = counts > 0
    return support[keep], counts[keep]


def expanded_bootstrap(values: np.ndarray, reps: int, seed: int) -> np.ndarray:
    """The textbook bootstrap on raw values: resample, sort, cumsum, read the measures."""
    rng = np.random.default_rng(seed)
    n = values.size
    out = np.empty((reps, TOP.size + SHARES.size + 1))
    for r in range(reps):
        x = np.sort(values[rng.integers(0, n, size=n)])[::-1]
        cum = np.cumsum(x)
        total = cum[-1]
        k = TOP * n
        whole = np.floor(k).astype(np.int64)
        before = np.where(whole > 0, cum[np.maximum(whole - 1, 0)], 0.0)
        tops = (before + (k - whole) * x[np.minimum(whole, n - 1)]) / total
        idx = np.searchsorted(cum, SHARES * total)
        prev = np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)
        fracs = (idx + (SHARES * total - prev) / x[idx]) / n
        gini = 2.0 * (cum.sum() - total / 2.0) / (n * total) - 1.0
        out[r] = np.concatenate([tops, fracs, [gini]])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--expanded-reps", type=int, default=20)
    args = parser.parse_args()

    rows = []
    small_values, small_counts = zipf_table(1_000_000, seed=1)
    big_values, big_counts = zipf_table(100_000_000, seed=2)
    expanded = np.repeat(small_values, small_counts)
    # Same measures from both routes (point estimates).
    table = value_table(small_values, small_counts)
    check = expanded_bootstrap(expanded, 1, seed=0)  # one replicate: a sanity run
    assert np.isfinite(check).all()
    assert abs(gini(table) - gini(expanded)) < 1e-12

    def ours(values: np.ndarray, counts: np.ndarray) -> Callable[[], object]:
        return lambda: concentration(values, counts, reps=args.reps, seed=1)

    t_small = best_of(ours(small_values, small_counts), args.repeat)
    t_big = best_of(ours(big_values, big_counts), args.repeat)
    t_exp = best_of(lambda: expanded_bootstrap(expanded, args.expanded_reps, 1), args.repeat)
    t_exp_scaled = t_exp / args.expanded_reps * args.reps

    rows.append(
        (
            "ours: multinomial on the table",
            "1e6",
            small_values.size,
            args.reps,
            t_small,
            t_exp_scaled / t_small,
        )
    )
    rows.append(
        (
            "ours: multinomial on the table",
            "1e8",
            big_values.size,
            args.reps,
            t_big,
            None,
        )
    )
    rows.append(
        (
            f"expanded: resample + sort ({args.expanded_reps} reps, scaled)",
            "1e6",
            small_values.size,
            args.reps,
            t_exp_scaled,
            1.0,
        )
    )

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, best of {args.repeat}"
    )
    print()
    print(
        "| method | people | distinct values | replicates | seconds | ms / replicate | speed-up |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, people, distinct, reps, seconds, speedup in rows:
        ratio = f"{speedup:,.0f}x" if speedup is not None else "-"
        print(
            f"| {name} | {people} | {distinct:,} | {reps:,} | {seconds:.2f} | "
            f"{1000 * seconds / reps:.2f} | {ratio} |"
        )
    print()
    print(
        f"1e8 people vs 1e6 people with the table: {t_big / t_small:.1f}x the time for "
        f"{big_values.size / small_values.size:.1f}x the distinct values (100x the people). "
        "Expanded at 1e8: not run (each replicate sorts 1e8 values, several 800 MB arrays)."
    )


if __name__ == "__main__":
    main()
