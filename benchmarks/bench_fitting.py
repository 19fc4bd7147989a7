"""Heavy-tail fitting speed: influence_kit against igraph and powerlaw in the same run.

Peers: igraph's C ``plfit`` (``igraph.power_law_fit``, PyPI ``igraph``) and the
``powerlaw`` package 2.0.0 (``powerlaw.Fit``). Neither is a runtime dependency; a
peer that is not importable is reported as "not installed".

Cases (issues 3 and 13):

1. continuous pure Pareto (alpha 2.5, every value distinct, power law from the
   smallest value: the hard case for the exact x_min scan), n = 1e5: ours vs both
   peers (igraph always computes a p-value: ``p_precision=0.5``, its coarsest, adds
   one bootstrap replicate to its time);
2. the same at n = 1e6 and n = 1e7, and lognormal / lognormal body + Pareto tail /
   heavily tied data at n = 1e6: ours only;
3. discrete zipf(2.5), n = 1e6: ours vs both peers;
4. goodness-of-fit p (semi-parametric bootstrap, each replicate refitted with its
   own x_min scan) for Moby Dick words (discrete), 2500 replicates: ours on every
   core and on one, igraph with ``p_precision=0.01`` (2500 replicates);
5. the same for continuous data (lognormal body + Pareto tail) of n = 1e4 (100
   replicates) and n = 1e5 (10 replicates): ours vs igraph;
6. ``weblinks.hist`` (2.4e8 observations in 14,480 rows): the full discrete fit and
   ``fit_all`` (fitted as continuous like the paper);
7. the discrete lognormal comparison (power law fit at a fixed x_min, lognormal fit,
   Vuong's test) on about 4,000 distinct integers: power-law data (floor of 100 x a
   Pareto(2.2) sample, n = 1e5, where the lognormal MLE runs along the ridge towards
   the power-law limit) and lognormal data (n = 3e5): ours vs powerlaw's
   ``Fit(x, discrete=True, xmin=...).distribution_compare("power_law", "lognormal")``
   (igraph has no comparisons);
8. the command line ``influence-kit fit data/clauset2009/weblinks.hist --discrete``
   with every comparison, in a fresh process (imports included): ours only.

Ratios are the peer's time over ours, measured in the same run. ``--quick`` uses
smaller sizes and fewer replicates (a smoke run); ``--comparisons`` runs cases 7 and 8
only.

Usage::

    PYTHONPATH=.:/path/to/peers .venv/bin/python benchmarks/bench_fitting.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from influence_kit.distributions import PowerLaw  # noqa: E402
from influence_kit.fitting import (  # noqa: E402
    Comparison,
    PowerLawFitter,
    fit_all,
    fit_power_law,
)

Row = tuple[str, str, str, str, str, str, str]


def timed(func: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def powerlaw_fit(x: np.ndarray, discrete: bool) -> object:
    import powerlaw

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return powerlaw.Fit(x, discrete=discrete, verbose=False)


def igraph_fit(x: np.ndarray, discrete: bool, p_precision: float = 0.5) -> object:
    import igraph

    method = "discrete" if discrete else "continuous"
    return igraph.power_law_fit(x, method=method, p_precision=p_precision)


def powerlaw_lognormal_compare(x: np.ndarray, xmin: float) -> tuple[float, float]:
    """powerlaw's fit at a fixed x_min and its normalised power law / lognormal ratio."""
    import powerlaw

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = powerlaw.Fit(x, discrete=True, xmin=xmin, verbose=False)
        r, p = fit.distribution_compare("power_law", "lognormal", normalized_ratio=True)
    return float(r), float(p)


def ours_lognormal_compare(x: np.ndarray, xmin: float) -> Comparison:
    """Our fit at a fixed x_min and the lognormal comparison."""
    fitter = PowerLawFitter(discrete=True, xmin=xmin).fit(x)
    return fitter.compare(["lognormal"])[0]


def cli_fit(path: Path, *options: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of ``influence-kit fit PATH OPTIONS`` in a
    fresh process."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    command = [sys.executable, "-m", "influence_kit", "fit", str(path), *options]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def installed(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def ratio(peer: float | None, ours: float) -> str:
    return "-" if peer is None else f"{peer / ours:.1f}x"


def seconds(t: float | None) -> str:
    if t is None:
        return "-"
    return f"{t:.2f}" if t < 100 else f"{t:.0f}"


def mixed(n: int, seed: int) -> np.ndarray:
    """Lognormal body plus a Pareto(2.3) tail above 5 (half and half)."""
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.lognormal(0.0, 1.0, n // 2), PowerLaw(5.0).sample(n - n // 2, [2.3], rng)]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours per fit case")
    parser.add_argument("--no-powerlaw", action="store_true", help="skip the powerlaw peer")
    parser.add_argument("--no-igraph", action="store_true", help="skip the igraph peer")
    parser.add_argument(
        "--comparisons", action="store_true", help="only the comparison cases (7 and 8)"
    )
    args = parser.parse_args()
    use_pl = not args.no_powerlaw and installed("powerlaw")
    use_ig = not args.no_igraph and installed("igraph")
    quick = args.quick
    n1, n_big, n_zipf, reps = (
        (10_000, (100_000,), 100_000, 250)
        if quick
        else (100_000, (1_000_000, 10_000_000), 1_000_000, 2500)
    )
    rows: list[Row] = []

    def add(row: Row) -> None:
        rows.append(row)
        print(" | ".join(row), file=sys.stderr, flush=True)

    if args.comparisons:
        comparison_cases(args, use_pl, add)
        return print_table(rows)

    # 1. continuous pure Pareto, all three
    x = PowerLaw(1.0).sample(n1, [2.5], np.random.default_rng(1))
    ours_t, ours = timed(lambda: fit_power_law(x, discrete=False), args.repeat)
    ig_t = pl_t = None
    notes = [f"x_min {ours.xmin:.6g}, KS {ours.ks:.6g}"]
    if use_ig:
        ig_t, ig = timed(lambda: igraph_fit(x, False), 1)
        notes.append(f"igraph x_min {ig.xmin:.6g}, KS {ig.D:.6g}")
    if use_pl:
        pl_t, pl = timed(lambda: powerlaw_fit(x, False), 1)
        notes.append(f"powerlaw x_min {pl.xmin:.6g}")
    add(
        (
            f"continuous Pareto n={n1:.0e}",
            seconds(ours_t),
            seconds(ig_t),
            ratio(ig_t, ours_t),
            seconds(pl_t),
            ratio(pl_t, ours_t),
            "; ".join(notes),
        )
    )

    # 2. larger continuous data and other shapes, ours only
    for n in n_big:
        x = PowerLaw(1.0).sample(n, [2.5], np.random.default_rng(2))
        ours_t, ours = timed(lambda x=x: fit_power_law(x, discrete=False), 1)
        add(
            (
                f"continuous Pareto n={n:.0e}",
                seconds(ours_t),
                "not run",
                "-",
                "not run",
                "-",
                f"x_min {ours.xmin:.6g}, alpha {ours.alpha:.4f}",
            )
        )
    n = n_big[0]
    rng = np.random.default_rng(4)
    shapes = {
        "lognormal(0, 2)": rng.lognormal(0.0, 2.0, n),
        "lognormal body + Pareto tail": mixed(n, 4),
        "Pareto rounded to 2 decimals (ties)": np.round(PowerLaw(1.0).sample(n, [2.5], rng), 2),
    }
    for name, x in shapes.items():
        ours_t, ours = timed(lambda x=x: fit_power_law(x, discrete=False), 1)
        add(
            (
                f"{name} n={n:.0e}",
                seconds(ours_t),
                "not run",
                "-",
                "not run",
                "-",
                f"x_min {ours.xmin:.6g}, alpha {ours.alpha:.4f}",
            )
        )

    # 3. discrete zipf(2.5)
    z = np.random.default_rng(3).zipf(2.5, n_zipf).astype(float)
    ours_t, ours = timed(lambda: fit_power_law(z, discrete=True), args.repeat)
    ig_t = pl_t = None
    notes = [f"x_min {ours.xmin:g}, alpha {ours.alpha:.6f}"]
    if use_ig:
        ig_t, ig = timed(lambda: igraph_fit(z, True), args.repeat)
        notes.append(f"igraph {ig.xmin:g}, {ig.alpha:.6f}")
    if use_pl:
        pl_t, pl = timed(lambda: powerlaw_fit(z, True), 1)
        notes.append(f"powerlaw {pl.xmin:g}, {pl.alpha:.6f}")
    add(
        (
            f"discrete zipf(2.5) n={n_zipf:.0e}",
            seconds(ours_t),
            seconds(ig_t),
            ratio(ig_t, ours_t),
            seconds(pl_t),
            ratio(pl_t, ours_t),
            "; ".join(notes),
        )
    )

    # 4. GoF for words
    words = np.loadtxt(ROOT / "data/clauset2009/words.txt")
    fitter = PowerLawFitter(discrete=True).fit(words)
    ig_t = None
    ig_note = ""
    if use_ig:
        ig_t, ig = timed(lambda: igraph_fit(words, True, 0.5 / np.sqrt(reps)), 1)
        ig_note = f", igraph p = {ig.p:.3f}"
    for n_jobs in (-1, 1):
        gof_t, gof = timed(
            lambda n_jobs=n_jobs: fitter.goodness_of_fit(
                reps, seed=2009, n_jobs=n_jobs, progress=False
            ),
            1,
        )
        cores = os.cpu_count() if n_jobs == -1 else 1
        add(
            (
                f"GoF p, words, {reps} replicates, {cores} core(s)",
                seconds(gof_t),
                seconds(ig_t),
                ratio(ig_t, gof_t),
                "no GoF",
                "-",
                f"p = {gof.p:.3f}{ig_note}",
            )
        )

    # 5. GoF for continuous data
    for n, gof_reps in ((10_000, 100), (100_000, 10)):
        if quick and n > 10_000:
            continue
        x = mixed(n, 5)
        fitter = PowerLawFitter(discrete=False).fit(x)
        gof_t, gof = timed(
            lambda fitter=fitter, gof_reps=gof_reps: fitter.goodness_of_fit(
                gof_reps, seed=2009, n_jobs=None, progress=False
            ),
            1,
        )
        ig_t = None
        ig_note = ""
        if use_ig:
            ig_t, ig = timed(lambda x=x, r=gof_reps: igraph_fit(x, False, 0.5 / np.sqrt(r)), 1)
            ig_note = f", igraph p = {ig.p:.2f}"
        add(
            (
                f"GoF p, continuous n={n:.0e}, {gof_reps} replicates, {os.cpu_count()} cores",
                seconds(gof_t),
                seconds(ig_t),
                ratio(ig_t, gof_t),
                "no GoF",
                "-",
                f"p = {gof.p:.2f}{ig_note}",
            )
        )

    # 6. weblinks
    h = np.loadtxt(ROOT / "data/clauset2009/weblinks.hist", skiprows=1)
    web_t, web = timed(lambda: fit_power_law(h[:, 0], h[:, 1], discrete=True), args.repeat)
    add(
        (
            "weblinks.hist discrete fit (2.4e8 obs)",
            seconds(web_t),
            "-",
            "-",
            "-",
            "-",
            f"x_min {web.xmin:g}, alpha {web.alpha:.4f}, n_tail {web.n_tail}",
        )
    )
    all_t, rep = timed(lambda: fit_all(h[:, 0], h[:, 1], discrete=False), 1)
    add(
        (
            "weblinks.hist fit_all, continuous (paper)",
            seconds(all_t),
            "-",
            "-",
            "-",
            "-",
            f"x_min {rep.power_law.xmin:g}, alpha {rep.power_law.alpha:.4f}, verdict {rep.verdict}",
        )
    )

    comparison_cases(args, use_pl, add)
    return print_table(rows)


def comparison_cases(args: argparse.Namespace, use_pl: bool, add: Callable[[Row], None]) -> None:
    """Cases 7 (discrete lognormal comparison) and 8 (the command line on weblinks)."""
    data = {
        "power-law data": (
            np.floor(100.0 * PowerLaw(1.0).sample(100_000, [2.2], np.random.default_rng(8))),
            100.0,
        ),
        "lognormal data": (
            np.floor(np.random.default_rng(6).lognormal(3.0, 2.0, 300_000)) + 1.0,
            1.0,
        ),
    }
    for label, (x, xmin) in data.items():
        distinct = np.unique(x[x >= xmin]).size
        ours_t, comp = timed(lambda x=x, xmin=xmin: ours_lognormal_compare(x, xmin), args.repeat)
        assert isinstance(comp, Comparison)
        pl_t = None
        notes = [f"R/(sigma sqrt n) {comp.normalized:.4f}, p {comp.p:.3g}"]
        if use_pl:
            pl_t, peer = timed(lambda x=x, xmin=xmin: powerlaw_lognormal_compare(x, xmin), 1)
            assert isinstance(peer, tuple)
            notes.append(f"powerlaw {peer[0]:.4f}, p {peer[1]:.3g}")
        add(
            (
                f"discrete lognormal comparison, {label}, {distinct} distinct values",
                seconds(ours_t),
                "no comparison",
                "-",
                seconds(pl_t),
                ratio(pl_t, ours_t),
                "; ".join(notes),
            )
        )
    web = ROOT / "data/clauset2009/weblinks.hist"
    options = ("--column", "degree", "--counts-column", "frequency", "--discrete")
    runs = [cli_fit(web, *options) for _ in range(args.repeat)]
    cli_t = statistics.median(wall for wall, _ in runs)
    cpu_t = statistics.median(cpu for _, cpu in runs)
    add(
        (
            "CLI `influence-kit fit weblinks.hist --discrete`, every comparison",
            seconds(cli_t),
            "-",
            "-",
            "-",
            "-",
            f"fresh process, imports included; CPU (user + sys) {cpu_t:.2f} s",
        )
    )


def print_table(rows: list[Row]) -> int:
    """Print the Markdown table of the README."""
    print(
        "| case | ours (s) | igraph (s) | igraph / ours | powerlaw (s) | powerlaw / ours | result |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
