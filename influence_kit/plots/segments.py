"""Plots of segmentation results: the pyramid, the Connector/Maven overlap, the ladder.

Every function takes a :class:`~influence_kit.segments.Segmentation` (or a
mapping of them), draws with titles, labelled axes and units, and returns the
matplotlib ``Axes``. They draw what the result holds and compute nothing new
(the circle layout of the overlap diagram is geometry, not analysis). Titles and
data set names are shown as typed (:func:`~influence_kit.plots.literal`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Circle
from matplotlib.ticker import FuncFormatter, PercentFormatter
from scipy import optimize

from ..formatting import format_percent
from . import TEXT_SIZE, legend_outside, literal, make_room, new_axes

if TYPE_CHECKING:
    from ..segments import Segmentation

_TIER_LABELS = {
    "social_broadcasters": "Social Broadcasters",
    "mass_influencers": "Mass Influencers",
    "potential_influencers": "Potential Influencers",
    "non_posters": "Non-posters",
}

_LADDER_LABELS = {
    "creators": "Creators",
    "conversationalists": "Conversationalists",
    "critics": "Critics",
    "collectors": "Collectors",
    "joiners": "Joiners",
    "spectators": "Spectators",
    "inactives": "Inactives",
}


def _percent(value: float, _pos: int | None = None) -> str:
    return format_percent(abs(value))


def segment_pyramid(result: Segmentation, ax: Axes | None = None, title: str = "") -> Axes:
    """The Peer Influence Pyramid: each tier's share of adults beside its share of impressions.

    Tiers run from Social Broadcasters (top) to Non-posters (bottom); bars to
    the left are shares of adults, bars to the right shares of total influence
    impressions (network + post impressions).
    """
    if ax is None:
        ax = new_axes((8, 4.5))
    tiers = list(_TIER_LABELS)
    adults = [float(result.segments["share_of_adults"].loc[t]) for t in tiers]
    impressions = [float(result.segments["share_of_total_impressions"].loc[t]) for t in tiers]
    y = np.arange(len(tiers))[::-1]
    colors = sns.color_palette("deep", 2)
    ax.barh(y, [-a for a in adults], color=colors[0], label="share of adults")
    ax.barh(y, impressions, color=colors[1], label="share of total impressions")
    labels = []
    for yi, a, s in zip(y, adults, impressions, strict=True):
        for value, side in ((-a, -1), (s, 1)):
            labels.append(
                ax.annotate(
                    format_percent(abs(value), 1),
                    (value, yi),
                    xytext=(4 * side, 0),
                    textcoords="offset points",
                    ha="left" if side > 0 else "right",
                    va="center",
                    fontsize=TEXT_SIZE,
                )
            )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [_TIER_LABELS[t] for t in tiers])
    ax.set_xlim(-1.05, 1.05)
    ax.xaxis.set_major_formatter(FuncFormatter(_percent))
    ax.set_xlabel("share of adults (left) and of influence impressions (right), %")
    ax.set_title(literal(title) if title else "Peer Influence Pyramid: who makes the impressions")
    legend_outside(ax, where="below", ncol=2)
    make_room(ax, labels)
    return ax


def _lens_area(r1: float, r2: float, d: float) -> float:
    if d >= r1 + r2:
        return 0.0
    if d <= abs(r1 - r2):
        return math.pi * min(r1, r2) ** 2
    a1 = r1 * r1 * math.acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1))
    a2 = r2 * r2 * math.acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2))
    tri = 0.5 * math.sqrt((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2))
    return a1 + a2 - tri


def connector_maven_overlap(result: Segmentation, ax: Axes | None = None, title: str = "") -> Axes:
    """Area-proportional diagram of Mass Connectors and Mass Mavens and their overlap.

    Circle areas are the segments' shares of adults; the lens is the overlap.
    """
    if ax is None:
        ax = new_axes((7, 4.5))
    c = result.mass_connectors_share
    m = result.mass_mavens_share
    o = result.overlap_share
    r1, r2 = math.sqrt(max(c, 0.0) / math.pi), math.sqrt(max(m, 0.0) / math.pi)
    lo, hi = abs(r1 - r2), r1 + r2
    if r1 <= 0 or r2 <= 0 or o <= 0:
        d = hi * 1.05
    elif o >= math.pi * min(r1, r2) ** 2 * (1 - 1e-9):
        d = lo
    else:
        d = optimize.brentq(lambda x: _lens_area(r1, r2, x) - o, lo + 1e-12, hi)
    colors = sns.color_palette("deep", 2)
    ax.add_patch(Circle((0.0, 0.0), r1, alpha=0.5, color=colors[0], label="Mass Connectors"))
    ax.add_patch(Circle((d, 0.0), r2, alpha=0.5, color=colors[1], label="Mass Mavens"))
    ax.text(-r1 * 0.5, 0, format_percent(c - o, 1), ha="center", va="center", fontsize=TEXT_SIZE)
    ax.text(d + r2 * 0.5, 0, format_percent(m - o, 1), ha="center", va="center", fontsize=TEXT_SIZE)
    if o > 0:
        ax.text(
            (r1 + d - r2) / 2, 0, format_percent(o, 1), ha="center", va="center", fontsize=TEXT_SIZE
        )
    span = max(r1, r2) * 1.25
    ax.set_xlim(-r1 * 1.25, d + r2 * 1.25)
    ax.set_ylim(-span, span)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(
        f"circle areas = share of adults (%)\nConnectors {format_percent(c, 1)}, Mavens "
        f"{format_percent(m, 1)}, both {format_percent(o, 1)}, either "
        f"{format_percent(result.mass_influencers_share, 1)}"
    )
    ax.set_title(literal(title) if title else "Mass Connectors and Mass Mavens (% of adults)")
    legend_outside(ax)
    return ax


def technographics_ladder(
    result: Segmentation,
    ax: Axes | None = None,
    reference: Mapping[str, float] | None = None,
    title: str = "",
) -> Axes:
    """The Social Technographics ladder: share of adults in each group.

    Bootstrap intervals are drawn as error bars when the result has them;
    ``reference`` shares (e.g. Forrester's published profile) as markers.
    """
    if ax is None:
        ax = new_axes((8, 4.5))
    table = result.ladder()
    groups = [g for g in _LADDER_LABELS if g in table.index]
    values = table.loc[groups, "share_of_adults"].to_numpy(dtype=float)
    y = np.arange(len(groups))[::-1]
    ax.barh(y, values, color=sns.color_palette("deep", 1)[0], label="this table")
    if "low" in table.columns:
        low = table.loc[groups, "low"].to_numpy(dtype=float)
        high = table.loc[groups, "high"].to_numpy(dtype=float)
        ax.errorbar(
            values,
            y,
            xerr=np.vstack([values - low, high - values]),
            fmt="none",
            ecolor="black",
            capsize=3,
            label="95% bootstrap interval",
        )
    if reference:
        ref = [(yi, reference[g]) for yi, g in zip(y, groups, strict=True) if g in reference]
        if ref:
            ax.scatter(
                [v for _, v in ref],
                [yi for yi, _ in ref],
                marker="D",
                color="black",
                zorder=3,
                label="published",
            )
    ax.set_yticks(y, [_LADDER_LABELS[g] for g in groups])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of adults doing it at least monthly (%)")
    ax.set_title(
        literal(title)
        if title
        else "Social Technographics ladder (groups overlap; Inactives exclusive)"
    )
    legend_outside(ax, where="below", ncol=3)
    return ax


def segment_comparison(
    results: Mapping[str, Segmentation],
    ax: Axes | None = None,
    title: str = "",
) -> Axes:
    """Grouped bars: Mass Connector, Maven, overlap and Influencer shares of adults per table."""
    if ax is None:
        ax = new_axes((8, 4.5))
    keys = ("mass_connectors", "mass_mavens", "overlap", "mass_influencers")
    labels = ("Mass\nConnectors", "Mass\nMavens", "both\n(overlap)", "Mass\nInfluencers")
    names = list(results)
    width = 0.75 / max(len(names), 1)
    x = np.arange(len(keys))
    colors = sns.color_palette("deep", len(names))
    for i, name in enumerate(names):
        shares = [float(results[name].segments["share_of_adults"].loc[k]) for k in keys]
        pos = x + (i - (len(names) - 1) / 2) * width
        ax.bar(pos, shares, width=width, color=colors[i], label=literal(name))
    ax.set_xticks(x, labels)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("share of adults (%)")
    ax.set_xlabel("segment (each top group makes 80% of its activity)")
    ax.set_title(
        literal(title) if title else "How concentrated is influence? Segment sizes by data set"
    )
    legend_outside(ax, title="data set")
    return ax
