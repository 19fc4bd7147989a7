"""Refitting the shipped datasets of Clauset, Shalizi & Newman (2009), Tables 6.1 and 6.2.

:data:`CLAUSET_DATASETS` records how the paper fitted each shipped file (discrete or
continuous, scale); :func:`replicate` refits them all and :func:`table_61` /
:func:`table_62` lay our numbers beside the published ones
(``data/reference/clauset2009_table61.csv`` and ``_table62.csv``);
:func:`replication_agreement` counts where they agree (a :class:`ReplicationAgreement`).
:func:`grid_alpha_check` recomputes a discrete goodness-of-fit p with alpha on the grid of
the paper's reference code (a :class:`GridAlphaCheck`).

Web links are fitted as continuous data: that reproduces the published x_min = 3684,
n_tail = 28,986 and alpha = 2.336 (the exact discrete fit's KS minimum is at
x_min = 20; its MLE at x_min = 3684 is 2.3354), and Table 6.2 lists them as
continuous.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from ..errors import DataError, ParameterError
from ..formatting import escape_markdown, format_number
from ..results import Conclusion, KeyFigures, Result, key_figures
from ..tables import ValueTable, value_table
from .estimator import PowerLawFitter, fit_all
from .results import HeavyTailReport
from .xmin import Ties, ks_distance


@dataclass(frozen=True)
class ClausetDataset:
    """How one shipped dataset is read and fitted to match the paper."""

    name: str
    file: str
    discrete: bool
    scale: float
    histogram: bool = False


#: The shipped datasets, in Table 6.1's order.
CLAUSET_DATASETS: tuple[ClausetDataset, ...] = (
    ClausetDataset("words", "words.txt", True, 1.0),
    ClausetDataset("terrorism", "terrorism.txt", True, 1.0),
    ClausetDataset("blackouts", "blackouts.txt", False, 1e-3),
    ClausetDataset("cities", "cities.txt", False, 1e-3),
    ClausetDataset("fires", "fires.txt", False, 1.0),
    ClausetDataset("flares", "flares.txt", False, 1.0),
    ClausetDataset("quakes", "quakes.txt", False, 1e-3),
    ClausetDataset("surnames", "surnames.txt", False, 1e-3),
    ClausetDataset("weblinks", "weblinks.hist", False, 1.0, histogram=True),
)

#: Table 6.2 column prefix of each alternative family.
TABLE62_COLUMNS = {
    "poisson": "poisson",
    "lognormal": "lognormal",
    "exponential": "exponential",
    "stretched_exponential": "stretched_exp",
    "power_law_cutoff": "pl_cutoff",
}


def load_dataset(dataset: ClausetDataset, data_dir: str | Path) -> ValueTable:
    """Read one shipped file as the paper fitted it."""
    path = Path(data_dir) / dataset.file
    if dataset.histogram:
        h = np.loadtxt(path, skiprows=1)
        return value_table(
            h[:, 0], h[:, 1], discrete=dataset.discrete, scale=dataset.scale, name=str(path)
        )
    return value_table(
        np.loadtxt(path), discrete=dataset.discrete, scale=dataset.scale, name=str(path)
    )


def replicate(
    data_dir: str | Path,
    *,
    gof_replicates: int = 0,
    bootstrap_replicates: int = 0,
    skip_bootstrap: tuple[str, ...] = ("weblinks",),
    seed: int = 2009,
    n_jobs: int | None = None,
    ties: Ties = "each",
) -> dict[str, HeavyTailReport]:
    """Fit every shipped dataset (bootstraps skipped for the names in ``skip_bootstrap``)."""
    reports = {}
    for i, ds in enumerate(CLAUSET_DATASETS):
        heavy = ds.name in skip_bootstrap
        reports[ds.name] = fit_all(
            load_dataset(ds, data_dir),
            discrete=ds.discrete,
            ties=ties,
            gof_replicates=0 if heavy else gof_replicates,
            bootstrap_replicates=0 if heavy else bootstrap_replicates,
            seed=seed + 10 * i,
            n_jobs=n_jobs,
            progress=False,
        )
    return reports


def _agree(ours: float, published: float, tol: float) -> str:
    if np.isnan(ours) or np.isnan(published):
        return "-"
    return "yes" if abs(ours - published) <= tol * (1 + 1e-9) else "NO"


def _reference_row(ref: pd.DataFrame, name: str) -> pd.Series:
    """The row of the published table for dataset ``name``."""
    row = ref.loc[name]
    if not isinstance(row, pd.Series):
        raise DataError(f"the published table lists {name!r} more than once")
    return row


def _unit(text: str) -> float:
    return 10.0 ** -(len(text.split(".")[1]) if "." in text else 0)


#: Tolerance of the goodness-of-fit p in :func:`table_61` (its Monte Carlo error).
P_TOLERANCE = 0.1

#: Default tolerance of ``R`` in :func:`table_62`.
R_TOLERANCE = 0.1


def table_61(reports: dict[str, HeavyTailReport], reference: str | Path) -> pd.DataFrame:
    """Our Table 6.1 beside the published one, with an agreement column per quantity.

    x_min and n_tail must match exactly (x_min to the printed digits), alpha within one
    unit of its last printed digit and the GoF p within :data:`P_TOLERANCE` (0.1, Monte
    Carlo error). The tolerance is recorded in ``attrs["p_tolerance"]``.
    """
    ref = pd.read_csv(reference, dtype=str).set_index("dataset")
    rows = []
    for name, rep in reports.items():
        r = _reference_row(ref, name)
        pl = rep.power_law
        u = rep.uncertainty
        xmin_pub = float(r["xmin"])
        rows.append(
            {
                "dataset": name,
                "n": pl.n,
                "n (paper)": int(r["n"]),
                "x_min": pl.xmin,
                "x_min (paper)": xmin_pub,
                "x_min ok": _agree(pl.xmin, xmin_pub, _unit(r["xmin"]) / 2),
                "±x_min": u.xmin_sd if u else np.nan,
                "±x_min (paper)": float(r["xmin_err"]),
                "alpha": pl.alpha,
                "alpha (paper)": float(r["alpha"]),
                "alpha ok": _agree(pl.alpha, float(r["alpha"]), _unit(r["alpha"])),
                "±alpha": u.alpha_sd if u else np.nan,
                "±alpha (paper)": float(r["alpha_err"]),
                "n_tail": pl.n_tail,
                "n_tail (paper)": int(r["ntail"]),
                "n_tail ok": "yes" if pl.n_tail == int(r["ntail"]) else "NO",
                "p": rep.gof.p if rep.gof else np.nan,
                "p (paper)": float(r["p_gof"]),
                "p ok": _agree(rep.gof.p if rep.gof else np.nan, float(r["p_gof"]), P_TOLERANCE),
            }
        )
    table = pd.DataFrame(rows).set_index("dataset")
    table.attrs["p_tolerance"] = P_TOLERANCE
    return table


def table_62(
    reports: dict[str, HeavyTailReport], reference: str | Path, tol: float = R_TOLERANCE
) -> pd.DataFrame:
    """Our Table 6.2 beside the published one: one row per dataset and alternative.

    ``R`` is the normalised ratio for non-nested alternatives and the raw ratio for the
    cut-off, as printed. ``sign ok`` compares signs; ``R ok`` checks ``|diff| <= tol``
    (recorded in ``attrs["r_tolerance"]``).
    """
    ref = pd.read_csv(reference).set_index("dataset")
    rows = []
    for name, rep in reports.items():
        r = _reference_row(ref, name)
        for c in rep.comparisons:
            col = TABLE62_COLUMNS[c.alternative]
            ours = c.lr if c.nested else c.normalized
            pub = float(r[f"{col}_LR"])
            rows.append(
                {
                    "dataset": name,
                    "alternative": c.alternative,
                    "R": ours,
                    "R (paper)": pub,
                    "p": c.p,
                    "p (paper)": float(r[f"{col}_p"]),
                    "sign ok": "-"
                    if pub == 0
                    else ("yes" if np.sign(ours) == np.sign(pub) else "NO"),
                    "R ok": _agree(ours, pub, tol),
                }
            )
        rows.append(
            {
                "dataset": name,
                "alternative": "verdict",
                "R": np.nan,
                "R (paper)": np.nan,
                "p": np.nan,
                "p (paper)": np.nan,
                "sign ok": rep.verdict,
                "R ok": "yes" if rep.verdict == r["support"] else f"NO (paper: {r['support']})",
            }
        )
    table = pd.DataFrame(rows).set_index(["dataset", "alternative"])
    table.attrs["r_tolerance"] = float(tol)
    return table


#: Quantities of Table 6.1 that must agree exactly (x_min, n_tail) or to the printed
#: digit (alpha); the goodness-of-fit p is compared within its Monte Carlo error apart.
TABLE61_QUANTITIES: tuple[str, ...] = ("x_min", "alpha", "n_tail")


@dataclass(frozen=True)
class ReplicationAgreement(Result):
    """How many cells of our Tables 6.1 and 6.2 agree with the published ones.

    Attributes
    ----------
    datasets
        Datasets refitted (rows of Table 6.1).
    agree
        Quantity of Table 6.1 (``x_min``, ``alpha``, ``n_tail``, ``p``) -> datasets where
        it agrees.
    compared
        The same -> datasets where it could be compared (``p`` is not compared where no
        goodness-of-fit test was run).
    differing
        ``(dataset, quantity)`` of every Table 6.1 cell that differs, in table order.
    p_tolerance
        Tolerance of the goodness-of-fit p.
    comparisons
        Comparisons with an alternative in Table 6.2 (verdict rows left out).
    sign_compared, sign_agree
        Comparisons whose published ratio has a sign (not 0), and those whose sign agrees.
    r_within, r_tolerance
        Comparisons whose ratio lies within ``r_tolerance`` of the published one.
    verdicts, verdict_agree
        Datasets with a verdict, and those whose verdict is the paper's.
    """

    datasets: int
    agree: dict[str, int]
    compared: dict[str, int]
    differing: tuple[tuple[str, str], ...]
    p_tolerance: float
    comparisons: int
    sign_compared: int
    sign_agree: int
    r_within: int
    r_tolerance: float
    verdicts: int
    verdict_agree: int

    @property
    def cells(self) -> int:
        """Cells of x_min, alpha and n_tail in Table 6.1 (three per dataset)."""
        return len(TABLE61_QUANTITIES) * self.datasets

    @property
    def cells_agree(self) -> int:
        """Those of :attr:`cells` that agree with the paper."""
        return sum(self.agree[q] for q in TABLE61_QUANTITIES)

    def describe_table61(self) -> str:
        """One Markdown sentence: x_min / alpha / n_tail cells that agree, and the cells
        (any quantity, p included) that differ."""
        cells = ", ".join(f"{escape_markdown(name)} ({q})" for name, q in self.differing)
        return (
            f"**{self.cells_agree} of {self.cells}** xmin / alpha / tail-size cells agree with "
            f"the paper. Cells that differ: {cells or 'none'}."
        )

    def describe_table62(self) -> str:
        """One Markdown sentence: signs, ratios and verdicts that agree."""
        return (
            f"Signs agree in **{self.sign_agree} of {self.sign_compared}** comparisons, "
            f"R is within {format_number(self.r_tolerance)} in "
            f"**{self.r_within} of {self.comparisons}**, and the verdict agrees for "
            f"**{self.verdict_agree} of {self.verdicts}** datasets."
        )

    def conclusion(self) -> Conclusion:
        """What the replication concludes, in three plain sentences, and its figures."""
        differing = ", ".join(f"{name} ({q.replace('_', ' ')})" for name, q in self.differing)
        return Conclusion(
            (
                f"Refitting the paper's {self.datasets} data sets gives back "
                f"{self.cells_agree} of its {self.cells} cells of xmin, alpha and tail size, "
                f"and {self.agree['p']} of {self.compared['p']} goodness-of-fit p-values within "
                f"{format_number(self.p_tolerance)}.",
                f"Cells that differ: {differing or 'none'}.",
                f"Against the alternatives, the sign of the likelihood ratio agrees in "
                f"{self.sign_agree} of {self.sign_compared} comparisons and the verdict for "
                f"{self.verdict_agree} of {self.verdicts} data sets.",
            ),
            (
                "datasets",
                "xmin_agree",
                "alpha_agree",
                "ntail_agree",
                "p_agree",
                "sign_agree",
                "verdict_agree",
            ),
        )

    def summary(self) -> pd.DataFrame:
        """One row per check: cells that agree and cells compared."""
        rows = [(f"Table 6.1 {q}", self.agree[q], self.compared[q]) for q in self.agree]
        rows += [
            ("Table 6.2 sign of R", self.sign_agree, self.sign_compared),
            (
                f"Table 6.2 R within {format_number(self.r_tolerance)}",
                self.r_within,
                self.comparisons,
            ),
            ("Table 6.2 verdict", self.verdict_agree, self.verdicts),
        ]
        return pd.DataFrame(rows, columns=["check", "agree", "compared"]).set_index("check")

    def to_dict(self) -> dict[str, Any]:
        """Every count, the tolerances and the differing cells as ``[dataset, quantity]``."""
        data = super().to_dict()
        data["cells"] = self.cells
        data["cells_agree"] = self.cells_agree
        return data

    def key_figures(self) -> KeyFigures:
        """``datasets``, ``xmin_agree``, ``alpha_agree``, ``ntail_agree``, ``p_agree``,
        ``sign_agree``, ``r_within_<tolerance>`` (``r_within_0_1``) and ``verdict_agree``."""
        tol = format_number(self.r_tolerance).replace(".", "_")
        return key_figures(
            ("datasets", "data sets refitted", self.datasets, "count", "input"),
            ("xmin_agree", "xmin agrees (data sets)", self.agree["x_min"], "count"),
            ("alpha_agree", "alpha agrees (data sets)", self.agree["alpha"], "count"),
            ("ntail_agree", "tail size agrees (data sets)", self.agree["n_tail"], "count"),
            ("p_agree", "goodness-of-fit p agrees (data sets)", self.agree["p"], "count"),
            ("sign_agree", "sign of R agrees (comparisons)", self.sign_agree, "count"),
            (
                f"r_within_{tol}",
                f"R within {format_number(self.r_tolerance)} (comparisons)",
                self.r_within,
                "count",
            ),
            ("verdict_agree", "verdict agrees (data sets)", self.verdict_agree, "count"),
        )


def replication_agreement(table61: pd.DataFrame, table62: pd.DataFrame) -> ReplicationAgreement:
    """Count the cells of :func:`table_61` and :func:`table_62` that agree with the paper.

    Table 6.1: the ``x_min ok``, ``alpha ok``, ``n_tail ok`` and ``p ok`` columns (``yes``,
    ``NO``, or ``-`` where nothing was compared). Table 6.2: the ``sign ok`` column of each
    comparison (``-`` where the published ratio is 0), its ``R ok`` column and the
    ``R ok`` column of each dataset's ``verdict`` row.

    Raises
    ------
    DataError
        If a table lacks the columns (or Table 6.2 the verdict rows) the two functions write.
    """
    quantities = (*TABLE61_QUANTITIES, "p")
    missing = [f"{q} ok" for q in quantities if f"{q} ok" not in table61.columns]
    missing += [c for c in ("sign ok", "R ok") if c not in table62.columns]
    if missing or "alternative" not in table62.index.names:
        raise DataError(
            "replication_agreement needs the tables of table_61 and table_62 "
            f"(missing: {', '.join(missing) or 'the alternative level of Table 6.2'})"
        )
    agree = {q: int(table61[f"{q} ok"].eq("yes").sum()) for q in quantities}
    compared = {q: int(table61[f"{q} ok"].ne("-").sum()) for q in quantities}
    ok_columns = [c for c in table61.columns if str(c).endswith(" ok")]
    differing = tuple(
        (str(name), str(column)[: -len(" ok")])
        for name, row in table61.iterrows()
        for column in ok_columns
        if row[column] == "NO"
    )
    is_verdict = table62.index.get_level_values("alternative") == "verdict"
    comparisons = table62[~is_verdict]
    verdicts = table62[is_verdict]
    return ReplicationAgreement(
        datasets=len(table61),
        agree=agree,
        compared=compared,
        differing=differing,
        p_tolerance=float(table61.attrs.get("p_tolerance", P_TOLERANCE)),
        comparisons=len(comparisons),
        sign_compared=int(comparisons["sign ok"].ne("-").sum()),
        sign_agree=int(comparisons["sign ok"].eq("yes").sum()),
        r_within=int(comparisons["R ok"].eq("yes").sum()),
        r_tolerance=float(table62.attrs.get("r_tolerance", R_TOLERANCE)),
        verdicts=len(verdicts),
        verdict_agree=int(verdicts["R ok"].eq("yes").sum()),
    )


#: The grid of alpha of the paper's reference MATLAB code (``plfit.m``) for discrete data:
#: 1.50, 1.51, ..., 3.50.
PLFIT_ALPHA_GRID: np.ndarray = np.round(np.linspace(1.5, 3.5, 201), 2)


def grid_alpha(table: ValueTable, xmin: float, grid: Any = PLFIT_ALPHA_GRID) -> float:
    """The grid value of alpha with the largest discrete power-law likelihood above ``xmin``.

    What ``plfit.m`` reports for discrete data by default: the log-likelihood
    ``-alpha * sum(log x) - n * log(zeta(alpha, xmin))`` of the tail, maximised over
    ``grid`` instead of solved exactly.

    Raises
    ------
    ParameterError
        If the table is not discrete, or the grid is empty or has a value <= 1.
    DataError
        If no observation lies at or above ``xmin``.
    """
    if not table.discrete:
        raise ParameterError("the alpha grid of the paper's code applies to discrete data only")
    alphas = np.asarray(grid, dtype=float).ravel()
    if alphas.size == 0 or not np.all(np.isfinite(alphas)) or np.any(alphas <= 1.0):
        raise ParameterError("grid must hold finite values of alpha above 1")
    tail = table.tail(xmin)
    if tail.n_distinct == 0:
        raise DataError(f"no observations at or above xmin = {format_number(xmin)}")
    n = float(tail.counts.sum())
    sum_log = float(np.sum(tail.counts * np.log(tail.values)))
    loglik = -alphas * sum_log - n * np.log(special.zeta(alphas, float(xmin)))
    return float(alphas[int(np.argmax(loglik))])


@dataclass(frozen=True)
class GridAlphaCheck(Result):
    """The goodness-of-fit p of a discrete fit, with the exact alpha and the grid's.

    The synthetic data sets are those of the exact fit's test; only the observed KS
    distance changes with alpha, so ``grid_p`` is the share of the same replicate
    distances at least the grid fit's.

    Attributes
    ----------
    dataset
        A name for the data (for tables).
    xmin, n_tail
        The fitted x_min and the observations at or above it.
    alpha, grid_alpha, grid_step
        The exact MLE, the grid estimate (:func:`grid_alpha`) and the grid's step.
    ks, grid_ks
        Observed KS distances at the two alphas.
    p, grid_p
        Goodness-of-fit p against the two distances.
    replicates, seed
        Synthetic data sets and the seed of the test.
    published_p
        The paper's p, if given.
    """

    dataset: str
    xmin: float
    n_tail: int
    alpha: float
    grid_alpha: float
    grid_step: float
    ks: float
    grid_ks: float
    p: float
    grid_p: float
    replicates: int
    seed: int | None
    published_p: float | None = None

    def summary(self) -> pd.DataFrame:
        """Two rows (``exact MLE``, ``grid``): alpha, observed KS, p and the paper's p."""
        return pd.DataFrame(
            {
                "alpha": [self.alpha, self.grid_alpha],
                "observed KS": [self.ks, self.grid_ks],
                "p": [self.p, self.grid_p],
                "p (paper)": [np.nan, np.nan if self.published_p is None else self.published_p],
            },
            index=pd.Index(["exact MLE", "grid"], name="alpha estimate"),
        )

    def key_figures(self) -> KeyFigures:
        """``alpha``, ``grid_alpha``, ``ks``, ``grid_ks``, ``p``, ``grid_p`` and, if given,
        ``published_p``."""
        rows: list[tuple[Any, ...]] = [
            ("alpha", "alpha, exact MLE", self.alpha, "number"),
            ("grid_alpha", "alpha on the reference code's grid", self.grid_alpha, "number"),
            ("ks", "observed KS distance, exact alpha", self.ks, "number"),
            ("grid_ks", "observed KS distance, grid alpha", self.grid_ks, "number"),
            ("p", "goodness-of-fit p, exact alpha", self.p, "number"),
            ("grid_p", "goodness-of-fit p, grid alpha", self.grid_p, "number"),
        ]
        if self.published_p is not None:
            rows.append(
                (
                    "published_p",
                    "goodness-of-fit p (paper)",
                    self.published_p,
                    "number",
                    "published",
                )
            )
        return key_figures(*rows)


def grid_alpha_check(
    table: ValueTable,
    *,
    replicates: int = 500,
    seed: Any = None,
    grid: Any = PLFIT_ALPHA_GRID,
    published_p: float | None = None,
    dataset: str = "",
    n_jobs: int | None = None,
) -> GridAlphaCheck:
    """Recompute a discrete goodness-of-fit p with alpha on the paper's grid.

    Fits the power law exactly (:class:`~influence_kit.fitting.PowerLawFitter`), runs its
    goodness-of-fit test, and measures the same synthetic KS distances against the
    observed distance at the grid's alpha (:func:`grid_alpha`, at the fitted x_min): what
    the paper's reference code, which estimates discrete alpha on that grid, observes.

    Parameters
    ----------
    table
        Discrete data (e.g. :func:`load_dataset` of ``words``).
    replicates, seed, n_jobs
        Of the goodness-of-fit test
        (:meth:`~influence_kit.fitting.PowerLawFitter.goodness_of_fit`).
    grid
        Values of alpha (default :data:`PLFIT_ALPHA_GRID`).
    published_p
        The paper's p, kept for the table.
    dataset
        A name for the data.

    Raises
    ------
    ParameterError
        If the data are not discrete or an argument is invalid.
    """
    if not table.discrete:
        raise ParameterError("grid_alpha_check needs discrete data (the grid is plfit.m's)")
    fitter = PowerLawFitter(discrete=True).fit(table)
    gof = fitter.goodness_of_fit(replicates, seed=seed, n_jobs=n_jobs, progress=False)
    alphas = np.asarray(grid, dtype=float).ravel()
    on_grid = grid_alpha(table, fitter.xmin_, alphas)
    grid_ks = ks_distance(table, fitter.xmin_, on_grid)
    steps = np.diff(np.unique(alphas))
    return GridAlphaCheck(
        dataset=dataset,
        xmin=float(fitter.xmin_),
        n_tail=int(fitter.n_tail_),
        alpha=float(fitter.alpha_),
        grid_alpha=on_grid,
        grid_step=float(np.round(steps.min(), 12)) if steps.size else float("nan"),
        ks=float(gof.ks),
        grid_ks=float(grid_ks),
        p=float(gof.p),
        grid_p=float(np.mean(gof.ks_replicates >= grid_ks)),
        replicates=int(gof.replicates),
        seed=gof.seed,
        published_p=None if published_p is None else float(published_p),
    )
