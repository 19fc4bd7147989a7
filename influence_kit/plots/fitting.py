"""Plots of heavy-tail fits (they draw results objects and compute nothing new).

* :func:`ccdf_with_fits`: the empirical ``P(X >= x)`` on log-log axes with the
  power law and every alternative drawn over the fitted tail;
* :func:`fit_diagnostics`: a panel with the CCDF, alpha and the KS distance
  against the candidate ``x_min``, and the goodness-of-fit bootstrap distribution.

Fitted curves are the fitted laws themselves (``report.frozen(family)``), their
``P(X >= x)`` (``sf(x)``, or ``sf(x - 1)`` on the integers) evaluated over the data's
tail and scaled by the tail fraction.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..fitting.results import HeavyTailReport
from ..formatting import format_fixed, format_value
from . import TEXT_SIZE, legend_outside, literal, log_tick, new_axes

_LABELS = {
    "power_law": "power law",
    "lognormal": "lognormal",
    "exponential": "exponential",
    "stretched_exponential": "stretched exp.",
    "power_law_cutoff": "power law + cut-off",
    "poisson": "Poisson",
}
_STYLES: dict[str, dict[str, str | float]] = {
    "power_law": {"color": "C3", "lw": 2.2},
    "lognormal": {"color": "C2", "ls": "--"},
    "exponential": {"color": "C4", "ls": ":"},
    "stretched_exponential": {"color": "C1", "ls": "-."},
    "power_law_cutoff": {"color": "C0", "ls": "--"},
    "poisson": {"color": "C5", "ls": ":"},
}


def _grid(report: HeavyTailReport, points: int = 60) -> np.ndarray:
    tail = report.table.values[report.table.values >= report.power_law.xmin]
    grid = np.unique(np.geomspace(tail[0], tail[-1], points))
    return np.unique(np.floor(grid)) if report.table.discrete else grid


def ccdf_with_fits(
    report: HeavyTailReport,
    ax: Axes | None = None,
    *,
    alternatives: bool = True,
    title: str | None = None,
    xlabel: str = "x",
) -> Axes:
    """Empirical CCDF ``P(X >= x)`` with the fitted tails on log-log axes.

    ``title`` and ``xlabel`` (often a data set's or column's name) are shown as typed
    (:func:`~influence_kit.plots.literal`: a ``$`` is never mathtext).
    """
    if ax is None:
        ax = new_axes((7, 5))
    table = report.table
    pl = report.power_law
    n = table.counts.sum()
    ccdf = 1.0 - (np.cumsum(table.counts) - table.counts) / n  # P(X >= v)
    ax.loglog(table.values, ccdf, ".", color="0.35", ms=3, label="data")
    frac = float(ccdf[np.searchsorted(table.values, pl.xmin)])
    grid = _grid(report)
    # P(X >= x) is sf(x) for a continuous law and sf(x - 1) on the integers
    at = grid - 1.0 if table.discrete else grid
    ax.loglog(
        grid,
        frac * report.frozen("power_law").sf(at),
        label=f"power law, α = {format_value(pl.alpha, 3)}",
        **_STYLES["power_law"],
    )
    if alternatives:
        for name in report.alternatives:
            if name == "poisson":
                continue  # far off the scale for heavy-tailed data
            y = frac * report.frozen(name).sf(at)
            ax.loglog(grid, y, label=_LABELS[name], **_STYLES[name])
    ax.axvline(pl.xmin, color="0.5", lw=0.8, ls=":")
    ax.set_ylim(bottom=max(0.5 / n, 1e-12))
    ax.set_xlabel(literal(xlabel))
    ax.set_ylabel("P(X ≥ x)")
    ax.set_title(
        literal(title)
        if title
        else f"Empirical CCDF and fitted tails (xmin = {format_value(pl.xmin)})"
    )
    legend_outside(ax)
    _plain_minor_ticks(ax)
    return ax


def _plain_minor_ticks(ax: Axes) -> None:
    """Log axes labelled without crowding, in plain numbers: no labels on minor ticks (on
    a short range they run into each other); an axis spanning under three decades gets
    labels at 1, 2 and 5 times each power of ten instead. Labels read ``0.001``, ``10``,
    ``1,000`` (:func:`log_tick`), never ``10^3``, whose superscript is too small to read."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() != "log":
            continue
        axis.set_minor_formatter(NullFormatter())
        low, high = sorted(axis.get_view_interval())
        if low > 0 and np.log10(high / low) < 2.5:
            axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(FuncFormatter(log_tick))


def fit_diagnostics(report: HeavyTailReport, *, xlabel: str = "x") -> Figure:
    """Four panels: CCDF with fits, alpha(x_min), KS(x_min), GoF bootstrap distances.

    ``xlabel`` names the data (shown as typed, as in :func:`ccdf_with_fits`).
    """
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), layout="constrained")
    ccdf_with_fits(report, axes[0, 0], title="CCDF and fitted tails", xlabel=xlabel)
    pl = report.power_law
    scan = pl.scan
    ax = axes[0, 1]
    if scan is not None:
        ax.semilogx(scan.xmin, scan.alpha, color="C3", lw=1)
        ax.axvline(pl.xmin, color="0.5", ls=":")
        ax.set_ylim(*np.nanpercentile(scan.alpha, [1, 99]) + np.array([-0.1, 0.1]))
        ax.set_title("α estimate by candidate xmin")
    else:
        ax.text(
            0.5,
            0.5,
            "xmin fixed by the user",
            ha="center",
            transform=ax.transAxes,
            fontsize=TEXT_SIZE,
        )
        ax.set_title("α estimate by candidate xmin (no scan)")
    ax.set_xlabel("candidate xmin")
    ax.set_ylabel("α (MLE)")
    ax = axes[1, 0]
    if scan is not None:
        ax.loglog(scan.xmin, scan.ks_lower, ".", ms=2, color="0.6", label="lower bound")
        done = np.isfinite(scan.ks)
        ax.loglog(scan.xmin[done], scan.ks[done], "o", ms=3, color="C0", label="exact")
        ax.axvline(pl.xmin, color="0.5", ls=":")
        ax.legend(fontsize=TEXT_SIZE, loc="best")
    ax.set_title("KS distance by candidate xmin")
    ax.set_xlabel("candidate xmin")
    ax.set_ylabel("KS distance D")
    ax = axes[1, 1]
    if report.gof is not None:
        ax.hist(
            report.gof.ks_replicates[np.isfinite(report.gof.ks_replicates)],
            bins=40,
            color="C0",
            alpha=0.7,
        )
        ax.axvline(
            report.gof.ks,
            color="C3",
            lw=2,
            label=f"observed D (p = {format_fixed(report.gof.p, 2)})",
        )
        ax.set_title(f"Goodness of fit ({report.gof.replicates} simulations)")
    else:
        ax.text(
            0.5,
            0.5,
            "goodness-of-fit bootstrap not run",
            ha="center",
            transform=ax.transAxes,
            fontsize=TEXT_SIZE,
        )
        ax.set_title("Goodness of fit (not run)")
    ax.set_xlabel("KS distance of synthetic data")
    ax.set_ylabel("replicates")
    if report.gof is not None:
        legend_outside(ax, where="below")
    for ax in axes.flat:
        _plain_minor_ticks(ax)
    fig.suptitle(f"Power-law fit diagnostics: verdict '{report.verdict}'", fontweight="bold")
    return fig
