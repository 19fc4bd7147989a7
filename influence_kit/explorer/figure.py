"""The explorer's figure: decomposition, break-even, Lorenz curve and segments.

:func:`explore_figure` draws an :class:`~influence_kit.explorer.ExploreState`
on four panels and computes nothing new; the same function draws the static
figure of ``notebooks/00-explore.ipynb`` and every update of its widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..formatting import format_count, format_number, format_percent, format_quantity
from ..plots import TEXT_SIZE, literal, renderer_of
from ..plots.accounting import impressions_by_channel
from ..plots.concentration import LorenzPoints, lorenz_curves
from ..plots.segments import segment_pyramid

if TYPE_CHECKING:
    from ..accounting import ImpressionAccount
    from ..segments import Segmentation

__all__ = ["breakeven_curve", "explore_figure", "total_lorenz"]


class _AccountLike(Protocol):
    @property
    def total_impressions(self) -> float: ...

    @property
    def readers_per_post(self) -> float: ...


class _BreakEvenLike(Protocol):
    @property
    def criterion(self) -> str: ...

    @property
    def readers_per_post(self) -> float | None: ...

    @property
    def label(self) -> str: ...


class _BreakEvensLike(Protocol):
    @property
    def items(self) -> Sequence[_BreakEvenLike]: ...


class _LorenzWithGini(LorenzPoints, Protocol):
    @property
    def gini(self) -> float: ...


class BreakevenSource(Protocol):
    """What :func:`breakeven_curve` draws (an :class:`~influence_kit.explorer.ExploreState`)."""

    @property
    def readers_curve(self) -> pd.DataFrame: ...

    @property
    def account(self) -> _AccountLike: ...

    @property
    def breakevens(self) -> _BreakEvensLike: ...


class LorenzSource(Protocol):
    """What :func:`total_lorenz` draws: a Lorenz curve with its Gini and the threshold point."""

    @property
    def lorenz(self) -> _LorenzWithGini: ...

    @property
    def threshold(self) -> float: ...

    @property
    def top_fraction_for_threshold(self) -> float: ...


class ExploreSource(BreakevenSource, LorenzSource, Protocol):
    """What :func:`explore_figure` draws (an :class:`~influence_kit.explorer.ExploreState`)."""

    @property
    def scenario_name(self) -> str: ...

    @property
    def account(self) -> ImpressionAccount: ...

    @property
    def segmentation(self) -> Segmentation: ...


@dataclass(frozen=True)
class _TotalCurve:
    """The explorer's curve as :func:`~influence_kit.plots.concentration.lorenz_curves` takes it."""

    lorenz: LorenzPoints
    gini: float
    label: str = "total impressions"


def _billions(value: float, _pos: int | None = None) -> str:
    return format_count(value / 1e9)


def breakeven_curve(state: BreakevenSource, ax: Axes | None = None) -> Axes:
    """Total, network and post impressions against readers per post, break-evens marked.

    The current readers per post is a vertical line; each reachable break-even
    is a dot on the total (or, for posts equal network, on the post line).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    sweep = state.readers_curve
    colors = sns.color_palette("deep", 4)
    x = sweep["readers_per_post"]
    ax.plot(x, sweep["total_impressions"], color=colors[0], linewidth=2, label="total")
    ax.plot(x, sweep["network_impressions"], color=colors[1], linestyle="--", label="network")
    ax.plot(x, sweep["post_impressions"], color=colors[2], linestyle="-.", label="posts")
    acc = state.account
    ax.axvline(acc.readers_per_post, color="black", linewidth=1)
    now = ax.annotate(
        f"now: {format_number(acc.readers_per_post, 4)} readers\n"
        f"{format_number(acc.total_impressions / 1e9, 4)} bn",
        xy=(acc.readers_per_post, acc.total_impressions),
        xytext=(6, -28),
        textcoords="offset points",
        fontsize=NOTE_SIZE,
    )
    lines = ["Break-even readers per post:"]
    marked: set[float] = set()
    # A dot's number is written only where it overlaps neither the current readers' note
    # nor another number (every value is in the box anyway).
    ax.set_xlim(0, float(x.iloc[-1]))
    ax.set_ylim(0, 1.35 * float(sweep["total_impressions"].max()))
    now.set_gid(_NOW)
    for item in state.breakevens.items:
        r = item.readers_per_post
        name = "posts = network" if item.criterion == "posts_equal_network" else literal(item.label)
        lines.append(f"  {name}: {'never' if r is None else format_number(r, 4)}")
        if r is None or r > float(x.iloc[-1]) or round(r, 6) in marked:
            continue
        marked.add(round(r, 6))
        column = (
            "post_impressions" if item.criterion == "posts_equal_network" else "total_impressions"
        )
        y = float(np.interp(r, x, sweep[column]))
        ax.plot([r], [y], marker="o", color=colors[3], linestyle="none")
        ax.annotate(
            format_number(r, 4),
            xy=(r, y),
            xytext=(4, -12),
            textcoords="offset points",
            fontsize=NOTE_SIZE,
            gid=_NUMBER,
        )
    ax.text(
        0.02,
        0.97,
        "\n".join(lines),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=NOTE_SIZE,
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.8"},
    )
    ax.set_xlim(0, float(x.iloc[-1]))
    ax.set_ylim(0, 1.35 * float(sweep["total_impressions"].max()))
    ax.yaxis.set_major_formatter(FuncFormatter(_billions))
    ax.set_xlabel("Readers per post")
    ax.set_ylabel("Impressions per year (billions)")
    ax.set_title("Break-even readers per post")
    ax.legend(loc="lower right", fontsize=NOTE_SIZE)
    drop_crowded_numbers(ax)
    return ax


#: Notes, numbers and the legend of the break-even panel (one point under the axes' text).
NOTE_SIZE = TEXT_SIZE - 1

_NOW = "ik-breakeven-now"
_NUMBER = "ik-breakeven-number"


def drop_crowded_numbers(ax: Axes) -> None:
    """Remove each break-even dot's number that overlaps the current readers' note or another
    number, at the axes' present size (every value is in the box anyway).

    :func:`breakeven_curve` calls it; call it again once the figure's layout has moved the
    axes (as :func:`explore_figure` does after ``tight_layout``).
    """
    renderer = renderer_of(ax.figure)
    labelled = [t.get_window_extent(renderer).padded(2) for t in ax.texts if t.get_gid() == _NOW]
    for label in [t for t in ax.texts if t.get_gid() == _NUMBER]:
        box = label.get_window_extent(renderer).padded(2)
        if any(box.overlaps(other) for other in labelled):
            label.remove()
        else:
            labelled.append(box)


def total_lorenz(state: LorenzSource, ax: Axes | None = None) -> Axes:
    """Lorenz curve of total impressions per person, with the threshold point marked.

    Drawn by :func:`~influence_kit.plots.concentration.lorenz_curves`.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5))
    top, share = state.top_fraction_for_threshold, state.threshold
    lorenz_curves(
        _TotalCurve(state.lorenz, state.lorenz.gini),
        ax=ax,
        headline=(top, share),
        headline_label=(
            f"top {format_quantity(top, 'share')} make {format_quantity(share, 'share', digits=2)}"
        ),
        band=False,
        title="Who makes the impressions (Lorenz curve)",
    )
    ax.axhline(1 - share, color="black", linewidth=0.6, linestyle="--")
    ax.set_xlabel("Share of adults, from the fewest impressions up (%)")
    ax.set_ylabel("Share of total impressions they make (%)")
    return ax


def explore_figure(state: ExploreSource, fig: Figure | None = None) -> Figure:
    """The explorer's four panels for one state.

    Parameters
    ----------
    state
        The result of :func:`influence_kit.explorer.explore`.
    fig
        Figure to draw on (cleared first); a new 12 x 14 inch figure if omitted (its
        text stays at least 10 px when a report page shows it 960 px wide).

    Returns
    -------
    matplotlib.figure.Figure
        On top the decomposition by channel; below it the break-even curve beside
        the Lorenz curve of total impressions per person with the threshold point;
        at the bottom the segments at the threshold.
    """
    if fig is None:
        fig = plt.figure(figsize=(12, 14))
    else:
        fig.clear()
    grid = fig.add_gridspec(3, 2, height_ratios=(1.0, 1.3, 1.0))
    top = fig.add_subplot(grid[0, :])
    impressions_by_channel(state.account, ax=top)
    top.set_title("Influence impressions by channel")
    breakeven = breakeven_curve(state, ax=fig.add_subplot(grid[1, 0]))
    total_lorenz(state, ax=fig.add_subplot(grid[1, 1]))
    segment_pyramid(
        state.segmentation,
        ax=fig.add_subplot(grid[2, :]),
        title=f"Segments at the {format_percent(state.threshold)} threshold",
    )
    acc = state.account
    fig.suptitle(
        f"{literal(state.scenario_name)}: {format_number(acc.total_impressions / 1e9, 4)} "
        "billion influence impressions with "
        f"{format_number(acc.readers_per_post, 4)} readers per post",
        fontweight="bold",
    )
    fig.tight_layout()
    drop_crowded_numbers(breakeven)  # the layout moved the panel: check the numbers again
    return fig
