"""Heavy-tail fitting speed: influence_kit against powerlaw 2.0.0 in the same run.

Cases (issue 3):

1. continuous, all-distinct values, n = 1e5: x_min scan + MLE, ours vs ``powerlaw.Fit``
   (the peer takes about 4 minutes here, so it runs once; ours runs 3 times), same x_min;
2. continuous, n = 1e6: ours only (the peer would take hours);
3. discrete zipf(2.5), n = 1e6: ours vs ``powerlaw.Fit(discrete=True)``;
4. goodness-of-fit p for Moby Dick words, 2500 replicates on every core;
5. ``weblinks.hist`` (2.4e8 observations in 14,480 rows): the full discrete fit
   (x_min scan over every distinct value, exact zeta MLE) and ``fit_all`` (every
   alternative, comparisons and verdict, fitted as continuous like the paper).

The ratio is the peer's median time over ours. ``--quick`` uses n = 1e4 for case 1,
n = 1e5 for cases 2 and 3 and 250 GoF replicates (a smoke run of about a minute).

Usage::

    .venv/bin/python benchmarks/bench_fitting.py [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from influence_kit.distributions import PowerLaw  # noqa: E402
from influence_kit.fitting import PowerLawFitter, fit_all, fit_power_law  # noqa: E402


def timed(func: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peer_fit(x: np.ndarray, discrete: bool) -> object:
    import powerlaw

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return powerlaw.Fit(x, discrete=discrete, verbose=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours per case")
    parser.add_argument("--no-peer", action="store_true", help="skip powerlaw (ours only)")
    args = parser.parse_args()
    n1, n2, n3, reps = (
        (10_000, 100_000, 100_000, 250) if args.quick else (100_000, 1_000_000, 1_000_000, 2500)
    )
    rows: list[tuple[str, str, str, str, str]] = []

    # 1. continuous all-distinct
    x = PowerLaw(1.0).sample(n1, [2.5], np.random.default_rng(1))
    ours_t, ours = timed(lambda: fit_power_law(x, discrete=False), args.repeat)
    if args.no_peer:
        rows.append((f"continuous n={n1:.0e}", f"{ours_t:.2f}", "-", "-", f"x_min {ours.xmin:.6g}"))
    else:
        peer_t, peer = timed(lambda: peer_fit(x, False), 1)
        same = "same" if peer.xmin == ours.xmin else f"DIFFERENT ({peer.xmin:.6g})"
        rows.append(
            (
                f"continuous all-distinct n={n1:.0e}",
                f"{ours_t:.2f}",
                f"{peer_t:.1f}",
                f"{peer_t / ours_t:.0f}x",
                f"x_min {ours.xmin:.6g} {same}",
            )
        )
    print(rows[-1], file=sys.stderr)

    # 2. continuous 1e6, ours only
    x = PowerLaw(1.0).sample(n2, [2.5], np.random.default_rng(2))
    ours_t, ours = timed(lambda: fit_power_law(x, discrete=False), 1)
    rows.append(
        (
            f"continuous all-distinct n={n2:.0e}",
            f"{ours_t:.2f}",
            "not run",
            "-",
            f"x_min {ours.xmin:.6g}, alpha {ours.alpha:.4f}",
        )
    )
    print(rows[-1], file=sys.stderr)

    # 3. discrete zipf(2.5)
    z = np.random.default_rng(3).zipf(2.5, n3).astype(float)
    ours_t, ours = timed(lambda: fit_power_law(z, discrete=True), args.repeat)
    if args.no_peer:
        rows.append(
            (f"discrete zipf(2.5) n={n3:.0e}", f"{ours_t:.2f}", "-", "-", f"x_min {ours.xmin:g}")
        )
    else:
        peer_t, peer = timed(lambda: peer_fit(z, True), args.repeat)
        rows.append(
            (
                f"discrete zipf(2.5) n={n3:.0e}",
                f"{ours_t:.2f}",
                f"{peer_t:.1f}",
                f"{peer_t / ours_t:.0f}x",
                f"x_min {ours.xmin:g} (peer {peer.xmin:g}), alpha {ours.alpha:.4f} "
                f"(peer {peer.alpha:.4f})",
            )
        )
    print(rows[-1], file=sys.stderr)

    # 4. GoF for words
    words = np.loadtxt(ROOT / "data/clauset2009/words.txt")
    fitter = PowerLawFitter(discrete=True).fit(words)
    gof_t, gof = timed(
        lambda: fitter.goodness_of_fit(reps, seed=2009, n_jobs=-1, progress=False), 1
    )
    rows.append(
        (
            f"GoF p, words, {reps} replicates, {os.cpu_count()} cores",
            f"{gof_t:.1f}",
            "no GoF",
            "-",
            f"p = {gof.p:.3f}",
        )
    )
    print(rows[-1], file=sys.stderr)

    # 5. weblinks
    h = np.loadtxt(ROOT / "data/clauset2009/weblinks.hist", skiprows=1)
    web_t, web = timed(lambda: fit_power_law(h[:, 0], h[:, 1], discrete=True), args.repeat)
    rows.append(
        (
            "weblinks.hist discrete fit (2.4e8 obs)",
            f"{web_t:.2f}",
            "-",
            "-",
            f"x_min {web.xmin:g}, alpha {web.alpha:.4f}, n_tail {web.n_tail}",
        )
    )
    all_t, rep = timed(lambda: fit_all(h[:, 0], h[:, 1], discrete=False), 1)
    rows.append(
        (
            "weblinks.hist fit_all, continuous (paper)",
            f"{all_t:.2f}",
            "-",
            "-",
            f"x_min {rep.power_law.xmin:g}, alpha {rep.power_law.alpha:.4f}, verdict {rep.verdict}",
        )
    )
    print(rows[-1], file=sys.stderr)

    print("| case | ours (s) | powerlaw 2.0.0 (s) | speed-up | result |")
    print("|---|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
