"""Benchmark the sensitivity analyses: Monte Carlo (1e6 draws) and Sobol (N = 4096).

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py [--repeat 3]``. Prints a
markdown table with the best of ``--repeat`` wall-clock times. The peer for Sobol
is SALib's plain functions (``sample.sobol`` -> inverse-CDF transform -> model ->
``analyze.sobol``) on the same problem, timed in the same run; the peer for Monte
Carlo is drawing the same distributions through scipy's inverse CDFs.
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

from influence_kit.scenarios import load_scenario  # noqa: E402
from influence_kit.sensitivity import monte_carlo, sobol  # noqa: E402
from influence_kit.sensitivity._common import build_marginals  # noqa: E402

SCENARIO = ROOT / "data" / "scenarios" / "forrester-us-2009.yaml"
TARGET_SECONDS = 5.0


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall-clock time of ``repeat`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=4096)
    args = parser.parse_args()

    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    scenario = load_scenario(SCENARIO)
    margs = {k: m for k, m in build_marginals(scenario).items() if m.varies}
    names = list(margs)

    def ours_mc() -> object:
        return monte_carlo(scenario, args.draws, seed=1)

    def peer_mc() -> object:
        rng = np.random.default_rng(1)
        x = {k: m.frozen.ppf(rng.random(args.draws)) for k, m in margs.items()}
        total = x["network_impressions"] + x["influence_posts"] * x["readers_per_post"]
        return np.quantile(total, [0.05, 0.5, 0.95]), np.mean(total > 500e9)

    def ours_sobol() -> object:
        return sobol(scenario, args.n, seed=1)

    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}

    def peer_sobol() -> object:
        unit = salib_sample.sample(problem, args.n, calc_second_order=False, seed=1)
        x = {k: margs[k].ppf(unit[:, j]) for j, k in enumerate(names)}
        y = x["network_impressions"] + x["influence_posts"] * x["readers_per_post"]
        return salib_analyze.analyze(problem, y, calc_second_order=False, seed=1)

    rows = [
        (
            f"Monte Carlo, {args.draws:,} draws",
            best_of(ours_mc, args.repeat),
            "scipy inverse-CDF draws",
            best_of(peer_mc, args.repeat),
        ),
        (
            f"Sobol S1/ST + 100 bootstrap CIs, N = {args.n:,} "
            f"({args.n * (len(names) + 2):,} model runs)",
            best_of(ours_sobol, args.repeat),
            "SALib plain functions",
            best_of(peer_sobol, args.repeat),
        ),
    ]
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, best of {args.repeat}\n"
    )
    print("| task | influence_kit (s) | peer | peer (s) | ratio (ours / peer) | under 5 s |")
    print("|---|---:|---|---:|---:|:---:|")
    for task, ours, peer_name, peer in rows:
        ok = "yes" if ours < TARGET_SECONDS else "NO"
        print(f"| {task} | {ours:.3f} | {peer_name} | {peer:.3f} | {ours / peer:.2f} | {ok} |")


if __name__ == "__main__":
    main()
