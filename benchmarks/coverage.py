"""Coverage of the concentration intervals: how often the nominal 95% interval holds the truth.

For each family of heavy- and light-tailed laws and each sample size, draws seeded samples,
computes :func:`influence_kit.concentration.concentration` on each and records, for four
quantities (share of the top 1%, share of the top 16%, fewest people making 80%, Gini):

* the coverage and mean width of every interval method (``percentile``, ``pareto_tail``,
  ``envelope`` and ``auto``, the default, which picks one of the others);
* how often ``auto`` picked each method;
* how often the result carried a caution on the quantity (``cautions_for``), and the coverage
  of the intervals returned *without* one: a cell passes when that is at least 90% (a result
  that says its interval cannot be trusted has kept its promise).

The true values come from closed forms written here, independently of the package's
distributions: Pareto ``p^(1 - 1/a)``, lognormal ``Phi(sigma - z_(1-p))``, Weibull
``Q(1 + 1/k, ln(1/p))``, and the lognormal body with a Pareto tail spliced at its 90%
quantile; fractions by root finding and Gini coefficients by quadrature of the Lorenz curve
(checked against the closed forms where they exist).

Usage::

    python benchmarks/coverage.py                      # the full study (make coverage)
    python benchmarks/coverage.py --families lognormal-1.5 --sizes 2000 --samples 200

writes ``benchmarks/results/coverage.md`` (the table) and ``coverage.csv`` (every cell) unless
``--out -`` (print only). Every sample's seed derives from ``--seed`` and the cell, so a cell's
numbers do not depend on which other cells run or on ``--jobs``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import integrate, optimize, special, stats

from influence_kit.concentration import concentration
from influence_kit.formatting import format_fixed, format_percent

HERE = Path(__file__).resolve().parent

#: The quantities: (column name, conf_int row, top fraction or share).
QUANTITIES = (
    ("top 1%", "share of top 0.01"),
    ("top 16%", "share of top 0.16"),
    ("fraction making 80%", "fraction holding 0.8"),
    ("Gini", "gini"),
)
METHODS = ("percentile", "pareto_tail", "envelope", "auto")
TOP = (0.01, 0.16)
SHARES = (0.8,)
#: Nominal coverage, and the coverage a cell must reach unless a caution is returned.
NOMINAL = 0.95
REQUIRED = 0.90


@dataclass(frozen=True)
class Law:
    """A law by its upper partial mean ``partial(u) = integral of Q over [u, 1]``."""

    name: str
    draw: Callable[[int, np.random.Generator], np.ndarray]
    partial: Callable[[float], float] | None  # None: infinite mean
    gini_closed: float | None = None

    def truth(self) -> dict[str, float]:
        """True top-1% and top-16% shares, fraction making 80% and Gini."""
        if self.partial is None:  # infinite mean: the top holds everything
            return {"top 1%": 1.0, "top 16%": 1.0, "fraction making 80%": 0.0, "Gini": 1.0}
        partial = self.partial
        mean = partial(0.0)

        def top(p: float) -> float:
            return partial(1.0 - p) / mean

        fraction = optimize.brentq(lambda p: top(p) - 0.8, 1e-15, 1.0, xtol=1e-14)
        lorenz_area, _ = integrate.quad(lambda u: 1.0 - top(1.0 - u), 0.0, 1.0, limit=400)
        return {
            "top 1%": top(0.01),
            "top 16%": top(0.16),
            "fraction making 80%": fraction,
            "Gini": 1.0 - 2.0 * lorenz_area,
        }


def pareto(a: float) -> Law:
    """Pareto with tail index ``a`` above 1: ``Q(u) = (1 - u)^(-1/a)``."""

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        return (1.0 - rng.random(n)) ** (-1.0 / a)

    def partial(u: float) -> float:
        return (1.0 - u) ** (1.0 - 1.0 / a) / (1.0 - 1.0 / a)

    finite = a > 1.0
    return Law(
        f"Pareto {a:g}", draw, partial if finite else None, 1 / (2 * a - 1) if finite else 1.0
    )


def lognormal(sigma: float) -> Law:
    """Lognormal(0, sigma): ``partial(u) = exp(sigma^2 / 2) Phi(sigma - z_u)``."""

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.lognormal(0.0, sigma, n)

    def partial(u: float) -> float:
        return float(np.exp(sigma**2 / 2) * stats.norm.cdf(sigma - stats.norm.ppf(u)))

    return Law(f"lognormal {sigma:g}", draw, partial, 2 * stats.norm.cdf(sigma / np.sqrt(2)) - 1)


def weibull(k: float) -> Law:
    """Weibull with shape ``k``: ``partial(u) = Gamma(1 + 1/k) Q(1 + 1/k, -ln(1 - u))``."""

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.weibull(k, n)

    def partial(u: float) -> float:
        s = 1.0 + 1.0 / k
        return float(special.gamma(s) * special.gammaincc(s, -np.log1p(-u)))

    return Law(f"Weibull {k:g}", draw, partial, 1 - 2 ** (-1 / k))


def lognormal_pareto(sigma: float, a: float, splice: float = 0.9) -> Law:
    """Lognormal(0, sigma) up to its ``splice`` quantile, a Pareto tail of index ``a`` above."""
    z0 = stats.norm.ppf(splice)
    x0 = float(np.exp(sigma * z0))
    tail_share = 1.0 - splice

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        u = rng.random(n)
        body = np.exp(sigma * stats.norm.ppf(np.minimum(u, splice)))
        tail = x0 * (tail_share / np.maximum(1.0 - u, 1e-300)) ** (1.0 / a)
        return np.where(u < splice, body, tail)

    def tail_partial(u: float) -> float:  # integral of x0 (t / (1 - v))^(1/a) over [u, 1]
        return x0 * tail_share ** (1 / a) * (1 - u) ** (1 - 1 / a) / (1 - 1 / a)

    def partial(u: float) -> float:
        if u >= splice:
            return tail_partial(u)
        body = np.exp(sigma**2 / 2) * (
            stats.norm.cdf(z0 - sigma) - stats.norm.cdf(stats.norm.ppf(u) - sigma)
        )
        return float(body) + tail_partial(splice)

    return Law(f"lognormal {sigma:g} + Pareto {a:g} tail", draw, partial)


#: Every family of the study, by its command-line name.
FAMILIES: dict[str, Law] = {
    **{f"pareto-{a:g}": pareto(a) for a in (0.9, 1.14, 1.5, 1.9, 2.5, 4.0)},
    **{f"lognormal-{s:g}": lognormal(s) for s in (1.0, 1.5, 2.5)},
    "weibull-0.5": weibull(0.5),
    "lognormal-1-pareto-1.5": lognormal_pareto(1.0, 1.5),
}
SIZES = (500, 2000, 20000)


@dataclass(frozen=True)
class Cell:
    family: str
    n: int
    samples: int
    reps: int
    seed: int


def _family_index(name: str) -> int:
    return list(FAMILIES).index(name)


def run_cell(cell: Cell) -> list[dict[str, object]]:
    """One row per (sample, quantity, method): hit, width; plus what auto chose."""
    law = FAMILIES[cell.family]
    truth = law.truth()
    rows: list[dict[str, object]] = []
    for i in range(cell.samples):
        seq = np.random.SeedSequence([cell.seed, _family_index(cell.family), cell.n, i])
        rng = np.random.default_rng(seq)
        x = law.draw(cell.n, rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = concentration(
                x, top=TOP, shares=SHARES, reps=cell.reps, seed=int(seq.generate_state(1)[0])
            )
        chosen = res.interval_method.value
        for method in METHODS:
            try:
                ci = res.conf_int(method=method)
            except Exception:  # no tail model: the method does not apply to this sample
                continue
            for column, quantity in QUANTITIES:
                low, high = ci.loc[quantity, ["lower", "upper"]]
                true = truth[column]
                rows.append(
                    {
                        "family": cell.family,
                        "n": cell.n,
                        "sample": i,
                        "quantity": column,
                        "method": method,
                        "hit": bool(low - 1e-12 <= true <= high + 1e-12),
                        "width": float(high - low),
                        "chosen": chosen,
                        "caution": bool(res.cautions_for(quantity)),
                    }
                )
    return rows


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per (family, n, quantity): coverage and width of each method, auto's choices."""
    keys = ["family", "n", "quantity"]
    cov = raw.pivot_table(index=keys, columns="method", values="hit", aggfunc="mean")
    width = raw.pivot_table(index=keys, columns="method", values="width", aggfunc="mean")
    count = raw[raw.method == "auto"].groupby(keys).size().rename("samples")
    auto = raw[raw.method == "auto"]
    caution = auto.groupby(keys)["caution"].mean().rename("caution")
    trusted = auto[~auto["caution"]].groupby(keys)["hit"].mean().rename("coverage uncautioned")
    chosen = (
        raw[raw.method == "auto"]
        .groupby(keys)["chosen"]
        .value_counts(normalize=True)
        .unstack(fill_value=0.0)
        .add_prefix("chose ")
    )
    out = pd.concat(
        [count, cov.add_prefix("coverage "), width.add_prefix("width "), chosen, caution, trusted],
        axis=1,
    )
    return out.reset_index()


def passes(row: pd.Series) -> bool:
    """Whether the intervals returned without a caution cover at least :data:`REQUIRED`."""
    trusted = row["coverage uncautioned"]
    return bool(pd.isna(trusted) or trusted >= REQUIRED)


def _verdict(row: pd.Series) -> str:
    if row["coverage auto"] >= REQUIRED:
        return "yes"
    return "yes, the misses cautioned" if passes(row) else "NO"


def to_markdown(summary: pd.DataFrame) -> str:
    """The published table: coverage and width of auto, its choices, the other methods."""
    lines = [
        "| family | n | quantity | auto: coverage | auto: mean width | auto chose "
        "(percentile / envelope) | percentile | Pareto tail | envelope | cautioned | "
        f"coverage without caution | at least {format_percent(REQUIRED)} or cautioned |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for _, row in summary.iterrows():

        def pct(name: str, row: pd.Series = row) -> str:
            value = row.get(name)
            return "-" if value is None or pd.isna(value) else format_percent(value)

        lines.append(
            f"| {row['family']} | {row['n']} | {row['quantity']} | {pct('coverage auto')} | "
            f"{format_fixed(row['width auto'], 3)} | {pct('chose percentile')} / "
            f"{pct('chose envelope')} | {pct('coverage percentile')} | "
            f"{pct('coverage pareto_tail')} | {pct('coverage envelope')} | {pct('caution')} | "
            f"{pct('coverage uncautioned')} | {_verdict(row)} |"
        )
    return "\n".join(lines)


#: The cells the issue's acceptance rests on get at least this many samples.
KEY_CELLS = {("lognormal-1.5", 2000), ("pareto-1.14", 2000)}
KEY_SAMPLES = 200


def cells(
    families: Iterable[str],
    sizes: Iterable[int],
    samples: int,
    reps: int,
    seed: int,
    large_samples: int | None = None,
) -> list[Cell]:
    """Every (family, size) cell; the largest size gets ``large_samples`` (default half of
    ``samples``: cost), the :data:`KEY_CELLS` at least :data:`KEY_SAMPLES`."""
    sizes = list(sizes)
    top = max(sizes)
    large = max(samples // 2, 1) if large_samples is None else large_samples

    def count(family: str, n: int) -> int:
        base = samples if n < top or len(sizes) == 1 else large
        return max(base, KEY_SAMPLES) if (family, n) in KEY_CELLS else base

    return [Cell(f, n, count(f, n), reps, seed) for f in families for n in sizes]


def run(
    cell_list: list[Cell], jobs: int, sink: Callable[[pd.DataFrame], None] | None = None
) -> pd.DataFrame:
    """Raw rows of every cell (in the order given, whatever ``jobs``); ``sink`` receives each
    cell's rows as soon as it and the cells before it are done (a long study keeps them)."""
    parts: list[pd.DataFrame] = []

    def keep(rows: list[dict[str, object]]) -> None:
        part = pd.DataFrame(rows)
        parts.append(part)
        if sink is not None:
            sink(part)

    if jobs <= 1:
        for cell in cell_list:
            keep(run_cell(cell))
    else:
        with ProcessPoolExecutor(jobs) as pool:
            for rows in pool.map(run_cell, cell_list):
                keep(rows)
    return pd.concat(parts, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    parser.add_argument("--samples", type=int, default=100, help="samples per cell")
    parser.add_argument(
        "--large-samples", type=int, default=30, help="samples per cell at the largest size"
    )
    parser.add_argument("--reps", type=int, default=250, help="bootstrap replicates")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default=str(HERE / "results"), help="folder, or - to print")
    parser.add_argument("--raw", help="also write every sample's rows to this CSV file")
    parser.add_argument(
        "--from-raw", help="summarise the rows of an earlier --raw file instead of running"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    cell_list = cells(
        args.families, args.sizes, args.samples, args.reps, args.seed, args.large_samples
    )
    if args.from_raw:
        raw = pd.read_csv(args.from_raw)
    else:
        sink = None
        if args.raw:
            Path(args.raw).unlink(missing_ok=True)

            def sink(part: pd.DataFrame) -> None:
                part.to_csv(args.raw, mode="a", header=not Path(args.raw).exists(), index=False)

        raw = run(cell_list, args.jobs, sink)
    summary = summarise(raw)
    table = to_markdown(summary)
    seconds = time.perf_counter() - start
    given = [a for a in (argv or sys.argv[1:]) if not a.startswith(("--raw", "--from-raw", "/"))]
    command = "python benchmarks/coverage.py " + " ".join(given)
    header = (
        "# Coverage of the 95% concentration intervals\n\n"
        f"Command: `{command.strip()}` ({format_fixed(seconds / 60, 1)} min). Samples per cell: "
        f"{args.samples} ({args.large_samples} at n = {max(args.sizes)}; {KEY_SAMPLES} for "
        "lognormal 1.5 and Pareto 1.14 at n = 2000); bootstrap "
        f"replicates: {args.reps}; seed {args.seed}. A cell passes when `auto` covers at "
        f"least {format_percent(REQUIRED)}, or the intervals returned without a caution on "
        f"the quantity cover at least {format_percent(REQUIRED)} (the others said they could "
        "not be trusted). Coverage is of the truth by the nominal 95% interval; widths are in "
        "the quantity's own units (shares).\n\n"
    )
    if args.out == "-":
        print(header + table)
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary.to_csv(out / "coverage.csv", index=False, float_format="%.6g")
    (out / "coverage.md").write_text(header + table + "\n", encoding="utf-8")
    print(header + table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
