"""Plots of results objects (seaborn/matplotlib). Plots draw; they compute nothing new.

Every function takes a results object (and optionally an ``ax``), draws on it
with titles, labelled axes and units, and returns the matplotlib ``Axes`` or
``Figure``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from ..formatting import format_count
from . import literal

if TYPE_CHECKING:
    from ..accounting import ImpressionAccount


def _billions(value: float, _pos: int | None = None) -> str:
    return format_count(value / 1e9)


def impressions_by_channel(account: ImpressionAccount, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars: network and post impressions by component, beside ads.

    The total influence impressions and the advertiser impressions are drawn as
    single bars so the reader sees the headline against the ad market.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    palette = sns.color_palette("Blues_r", n_colors=len(account.by_network) + 1)
    palette_posts = sns.color_palette("Oranges_r", n_colors=len(account.by_post_type) + 1)
    rows = [
        ("Social networks", account.by_network, palette),
        ("Influence posts", account.by_post_type, palette_posts),
    ]
    segments: list[tuple[float, float, float, str]] = []
    for y, (_label, parts, colors) in enumerate(rows):
        left = 0.0
        for (name, value), color in zip(parts.items(), colors, strict=False):
            ax.barh(y, value, left=left, color=color, edgecolor="white")
            segments.append((left, value, y, literal(name.replace("_", " "))))
            left += value
    ax.barh(2, account.network_impressions, color=palette[0], label="network impressions")
    ax.barh(
        2,
        account.post_impressions,
        left=account.network_impressions,
        color=palette_posts[0],
        label="post impressions",
    )
    ax.barh(3, account.advertiser_impressions, color="0.6", label="advertiser impressions")
    if account.claim:
        ax.axvline(account.claim, color="black", linestyle="--", linewidth=1)
        ax.text(
            account.claim,
            3.45,
            f" claim: {format_count(account.claim / 1e9)} bn",
            fontsize=8,
            va="bottom",
        )
    ax.set_yticks(range(4))
    ax.set_yticklabels(["Social networks", "Influence posts", "Total influence", "Online ads"])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(_billions))
    ax.set_xlabel("Impressions per year (billions)")
    ax.set_title(f"Influence impressions by channel: {literal(account.scenario_name)}")
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    _label_segments(ax, segments)
    return ax


def _label_segments(ax: Axes, segments: list[tuple[float, float, float, str]]) -> None:
    """Write each segment's name inside it, only where the name fits (no two labels overlap).

    A label wider than its segment (at the figure's current size) is left out;
    the legend and the table beside the chart name every part.
    """
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvases have it
    ax.set_xlim(ax.get_xlim())  # the scale no longer changes with what is drawn here
    for left, value, y, name in segments:
        if value <= 0:
            continue
        text = ax.text(
            left + value / 2, y, name, ha="center", va="center", fontsize=7, color="black"
        )
        width = text.get_window_extent(renderer).width
        x0, x1 = ax.transData.transform([(left, y), (left + value, y)])[:, 0]
        if width > abs(x1 - x0) - 2:
            text.remove()
