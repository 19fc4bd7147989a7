"""Plots of results objects (seaborn/matplotlib). Plots draw; they compute nothing new.

Every function takes a results object (and optionally an ``ax``), draws on it
with titles, labelled axes and units, and returns the matplotlib ``Axes`` or
``Figure``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from ..formatting import format_count
from . import TEXT_SIZE, legend_outside, literal, make_room, new_axes, renderer_of

if TYPE_CHECKING:
    from ..accounting import ImpressionAccount


#: A white box behind a label, so a line the label crosses (the claim) does not strike it.
_CLEAR = {"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"}


def _billions(value: float, _pos: int | None = None) -> str:
    return format_count(value / 1e9)


def impressions_by_channel(account: ImpressionAccount, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars: network and post impressions by component, beside ads.

    The network row is split by network and the post row by post type; the total row
    joins the two, so every part keeps its colour, and each part is named in the legends
    beside the chart (and inside its bar where the name fits). Each bar ends with its
    total; the published claim is a dashed line named above the bars.
    """
    if ax is None:
        ax = new_axes((8, 4.5))
    networks = sns.color_palette("Blues_r", n_colors=len(account.by_network) + 1)
    posts = sns.color_palette("Oranges_r", n_colors=len(account.by_post_type) + 1)
    parts = [
        (name, value, color, "network")
        for (name, value), color in zip(account.by_network.items(), networks, strict=False)
    ] + [
        (name, value, color, "posts")
        for (name, value), color in zip(account.by_post_type.items(), posts, strict=False)
    ]
    segments: list[tuple[float, float, float, str]] = []
    handles: dict[str, list[tuple[Rectangle, str]]] = {"network": [], "posts": []}
    totals: list[float] = []
    for y, kinds in enumerate((("network",), ("posts",), ("network", "posts"))):
        left = 0.0
        for name, value, color, kind in parts:
            if kind not in kinds:
                continue
            bar = ax.barh(y, value, left=left, color=color, edgecolor="white", height=0.7)
            label = literal(name.replace("_", " "))
            if y < 2:
                segments.append((left, value, y, label))
                handles[kind].append((bar.patches[0], label))
            left += value
        totals.append(left)
    ax.barh(3, account.advertiser_impressions, color="0.6", height=0.7)
    totals.append(account.advertiser_impressions)
    labels: list[Text] = []
    for y, total in enumerate(totals):
        note = ax.annotate(
            f"{format_count(total / 1e9)} bn",
            (total, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=TEXT_SIZE,
            bbox=_CLEAR,
        )
        labels.append(note)
    ax.set_ylim(3.6, -1.1)  # room above the first bar for the claim's name
    if account.claim:
        ax.axvline(account.claim, color="black", linestyle="--", linewidth=1, zorder=1)
        ax.annotate(
            f"claim: {format_count(account.claim / 1e9)} bn",
            (account.claim, -0.75),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=TEXT_SIZE,
        )
    ax.set_yticks(range(4))
    ax.set_yticklabels(["Social networks", "Influence posts", "Total influence", "Online ads"])
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(*totals, account.claim or 0.0) * 1.16)
    ax.xaxis.set_major_formatter(FuncFormatter(_billions))
    ax.set_xlabel("Impressions per year (billions)")
    ax.set_title(f"Influence impressions by channel: {literal(account.scenario_name)}")
    _legends(ax, handles)
    make_room(ax, labels)
    _label_segments(ax, segments)
    return ax


def _legends(ax: Axes, handles: dict[str, list[tuple[Rectangle, str]]]) -> None:
    """Two legends beside the axes: the networks, and under them the post types."""
    first = legend_outside(
        ax,
        [h for h, _ in handles["network"]],
        [name for _, name in handles["network"]],
        title="Networks",
        alignment="left",
    )
    ax.add_artist(first)
    renderer = renderer_of(ax.figure)
    box = first.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    legend_outside(
        ax,
        [h for h, _ in handles["posts"]],
        [name for _, name in handles["posts"]],
        title="Post types",
        alignment="left",
        bbox_to_anchor=(1.01, box.y0 - 0.06),
    )


def _label_segments(ax: Axes, segments: list[tuple[float, float, float, str]]) -> None:
    """Write each segment's name inside it, only where the name fits (no two labels overlap).

    A label wider than its segment (at the figure's current size) is left out: the
    legends beside the chart name every part.
    """
    renderer = renderer_of(ax.figure)
    for left, value, y, name in segments:
        if value <= 0:
            continue
        text = ax.text(
            left + value / 2, y, name, ha="center", va="center", fontsize=TEXT_SIZE, color="black"
        )
        width = text.get_window_extent(renderer).width
        x0, x1 = ax.transData.transform([(left, y), (left + value, y)])[:, 0]
        if width > abs(x1 - x0) - 4:
            text.remove()
