"""Plots of readers per post derived from audiences (draw only; compute nothing new)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullFormatter

from ..formatting import format_count
from . import TEXT_SIZE, legend_outside, literal, log_tick, make_room, new_axes


class PostReaders(Protocol):
    """What :func:`readers_ccdf` draws: the readers of each simulated post."""

    readers: np.ndarray


def readers_ccdf(
    distributions: Mapping[str, PostReaders], stated: float | None = None, ax: Axes | None = None
) -> Axes:
    """Share of posts read by at least x people, one line per audience (log-log).

    Posts read by nobody are left out of the log scale (the summary tables give their
    share). ``stated`` draws the scenario's stated readers per post as a vertical line.
    The mapping's keys (audience names) are the legend entries, shown as typed.
    """
    if ax is None:
        ax = new_axes((8, 4.5))
    for label, dist in distributions.items():
        readers = np.sort(np.asarray(dist.readers))
        readers = readers[readers > 0]
        if readers.size == 0:
            continue
        n = np.asarray(dist.readers).size
        values, first = np.unique(readers, return_index=True)
        at_least = (readers.size - first) / n
        ax.step(values, at_least, where="post", label=literal(label))
    if stated is not None:
        ax.axvline(
            stated,
            color="black",
            linestyle="--",
            linewidth=1,
            label=f"stated: {format_count(stated)} readers per post",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):  # plain digits: a 10^k superscript is too small to read
        axis.set_major_formatter(FuncFormatter(log_tick))
        axis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("readers of a post (people)")
    ax.set_ylabel("share of posts with at least that many readers")
    ax.set_title("Readers per post on real audiences")
    legend_outside(ax)
    return ax


class SurvivalTable(Protocol):
    """What :func:`headline_by_readers` draws: totals by way of setting readers per post."""

    claim: float | None
    table: pd.DataFrame


def headline_by_readers(survival: SurvivalTable, ax: Axes | None = None) -> Axes:
    """Horizontal bars of the total for each way of setting readers per post, beside the claim."""
    table = survival.table
    if ax is None:
        ax = new_axes((8, 0.5 * len(table) + 2.0))
    y = np.arange(len(table))[::-1]
    ax.barh(y, table["total"] / 1e9, color="tab:blue")
    labels = [
        ax.annotate(
            f"{format_count(total / 1e9)} bn at {format_count(readers)} readers",
            xy=(total / 1e9, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=TEXT_SIZE,
            # a white box: the claim's line may run behind a label
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"},
        )
        for yi, (readers, total) in zip(
            y, zip(table["readers_per_post"], table["total"], strict=True), strict=True
        )
    ]
    ax.set_yticks(y, [literal(i) for i in table.index])
    ax.set_xlabel("influence impressions per year (billions)")
    ax.set_title("The headline with readers per post from evidence")
    ax.set_xlim(0, float(table["total"].max()) / 1e9 * 1.05)
    if survival.claim is not None:
        ax.axvline(
            survival.claim / 1e9,
            color="black",
            linestyle="--",
            linewidth=1,
            zorder=1,
            label=f"published claim: {format_count(survival.claim / 1e9)} billion",
        )
        legend_outside(ax, where="below")
    make_room(ax, labels)
    return ax
