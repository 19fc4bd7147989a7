"""Plots of concentration and calibration results. Plots draw; they compute nothing new.

Every function takes results from :mod:`influence_kit.concentration` (and
optionally an ``ax``), draws with titles, labelled axes and units, and returns
the matplotlib ``Axes``.

* :func:`lorenz_curves`: Lorenz curves with bootstrap bands and the headline point;
* :func:`who_makes_what`: the fraction of people making a share (80%) of each
  total, with CIs, beside a scenario's published segment figures
  (:func:`published_segments`);
* :func:`calibration_curves`: the top-share curves of the families calibrated
  to one headline, with the top 1% marked;
* :func:`segment_bounds`: the range of the Mass Influencers' share of total
  impressions allowed by Forrester's segment figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..formatting import format_fixed, format_percent, format_value
from . import TEXT_SIZE, legend_outside, literal, make_room, new_axes

if TYPE_CHECKING:
    from ..concentration import ConcentrationResult, HeadlineCalibration, SegmentConsistency
    from ..scenarios import Scenario

__all__ = [
    "BandedLorenz",
    "LabelledLorenz",
    "LorenzPoints",
    "calibration_curves",
    "lorenz_curves",
    "published_segments",
    "segment_bounds",
    "who_makes_what",
]


def published_segments(scenario: Scenario, label: str | None = None) -> dict[str, float]:
    """A scenario's published segment sizes, labelled for :func:`who_makes_what`.

    The fraction of online adults making the concentration share of each total:
    Mass Connectors (network impressions), Mass Mavens (influence posts) and,
    when the overlap is published, Mass Influencers (all impressions). Empty
    when the scenario has no segments block. Labels start with ``label``
    (default: the scenario's name), as typed: :func:`who_makes_what` escapes them
    (:func:`~influence_kit.plots.literal`) when it draws them.
    """
    seg = scenario.segments
    if seg is None:
        return {}
    lead = scenario.name if label is None else label
    out = {f"{lead}: Mass Connectors (network impressions)": seg.mass_connectors_share.base}
    if seg.mass_mavens_share is not None:
        out[f"{lead}: Mass Mavens (influence posts)"] = seg.mass_mavens_share.base
    if seg.mass_influencers_share is not None:
        out[f"{lead}: Mass Influencers (all impressions)"] = seg.mass_influencers_share
    return out


class LorenzPoints(Protocol):
    """The points of a Lorenz curve (e.g. :class:`~influence_kit.concentration.LorenzCurve`)."""

    @property
    def population_share(self) -> np.ndarray: ...

    @property
    def value_share(self) -> np.ndarray: ...


class LabelledLorenz(Protocol):
    """What :func:`lorenz_curves` draws of one curve: its points, a label and its Gini.

    A :class:`~influence_kit.concentration.ConcentrationResult` qualifies; its bootstrap
    band is drawn when it also has one (see :class:`BandedLorenz`).
    """

    @property
    def label(self) -> str: ...

    @property
    def gini(self) -> float: ...

    @property
    def lorenz(self) -> LorenzPoints: ...


@runtime_checkable
class BandedLorenz(Protocol):
    """A Lorenz curve that may carry a bootstrap band (``lower``/``upper`` columns)."""

    @property
    def has_intervals(self) -> bool: ...

    def lorenz_band(self, alpha: float = 0.05) -> pd.DataFrame: ...


_Item = TypeVar("_Item")


def _as_list(results: _Item | Sequence[_Item]) -> list[_Item]:
    if isinstance(results, Sequence):
        return list(results)
    return [results]


def lorenz_curves(
    results: LabelledLorenz | Sequence[LabelledLorenz],
    ax: Axes | None = None,
    *,
    headline: tuple[float, float] | None = None,
    headline_label: str | None = None,
    band: bool = True,
    title: str = "Lorenz curves",
) -> Axes:
    """Lorenz curves of one or more results, with bootstrap bands and the headline point.

    Parameters
    ----------
    results
        One or more curves (:class:`LabelledLorenz`, e.g.
        :class:`~influence_kit.concentration.ConcentrationResult`).
    ax
        Axes to draw on (a new figure if omitted).
    headline
        ``(top fraction, share)`` marked as a point on the Lorenz plane at
        ``(1 - top, 1 - share)`` (e.g.
        :func:`~influence_kit.segments.published_headline` of a scenario);
        ``None`` for no mark.
    headline_label
        Legend text of the headline point (default: "headline: top p make q").
    band
        Draw each result's pointwise bootstrap band, if it has one.
    title
        Axes title. It, ``headline_label`` and the results' labels are shown as typed
        (:func:`~influence_kit.plots.literal`: a ``$`` is never mathtext).
    """
    if ax is None:
        ax = new_axes((6.5, 6.5))
    items = _as_list(results)
    colors = sns.color_palette("colorblind", n_colors=max(len(items), 1))
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", linewidth=1, label="perfect equality")
    for res, color in zip(items, colors, strict=False):
        curve = res.lorenz
        ax.plot(
            curve.population_share,
            curve.value_share,
            color=color,
            linewidth=1.6,
            label=f"{literal(res.label)} (Gini {format_fixed(res.gini, 2)})",
        )
        if band and isinstance(res, BandedLorenz) and res.has_intervals:
            frame = res.lorenz_band()
            ax.fill_between(
                frame["population_share"],
                frame["lower"],
                frame["upper"],
                color=color,
                alpha=0.25,
                linewidth=0,
            )
    if headline is not None:
        top, share = headline
        ax.plot(
            [1 - top],
            [1 - share],
            marker="*",
            markersize=14,
            color="black",
            linestyle="none",
            label=literal(headline_label)
            if headline_label
            else f"headline: top {format_percent(top)} make {format_percent(share)}",
        )
        ax.axvline(1 - top, color="black", linewidth=0.6, linestyle="--")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("Share of people, from the smallest value up (%)")
    ax.set_ylabel("Share of the total they hold (%)")
    ax.set_title(literal(title), pad=10)  # clear of the 100% tick label
    legend_outside(ax, where="below")
    return ax


def who_makes_what(
    results: ConcentrationResult | Sequence[ConcentrationResult],
    ax: Axes | None = None,
    *,
    share: float,
    reference: Mapping[str, float] | None = None,
    title: str | None = None,
) -> Axes:
    """Horizontal bars: the smallest fraction of people making ``share`` of each total.

    Each result must have evaluated ``share`` (see ``shares=`` of
    :func:`~influence_kit.concentration.concentration`); intervals are drawn as
    black lines from lower to upper end (a model-based interval need not contain
    the sample's estimate). ``reference`` bars (e.g.
    :func:`published_segments` of a scenario; ``None``: none) are drawn in grey.
    Labels, reference names and ``title`` are shown as typed (a ``$`` is no mathtext).
    """
    if ax is None:
        ax = new_axes((8.5, 0.45 * (len(_as_list(results)) + len(reference or {})) + 1.6))
    reference = {} if reference is None else reference
    labels_text: list[str] = []
    values: list[float] = []
    lows: list[float] = []
    highs: list[float] = []
    colors: list[tuple[float, float, float] | str] = []
    data_color = sns.color_palette("colorblind")[0]
    for name, value in reference.items():
        labels_text.append(literal(name))
        values.append(value)
        lows.append(np.nan)
        highs.append(np.nan)
        colors.append("0.65")
    for res in _as_list(results):
        est = res.fraction_for(share)
        labels_text.append(literal(res.label))
        values.append(est.fraction)
        if res.has_intervals:
            ci = res.conf_int()
            lows.append(float(ci["lower"].loc[est.quantity]))
            highs.append(float(ci["upper"].loc[est.quantity]))
        else:
            lows.append(np.nan)
            highs.append(np.nan)
        colors.append(data_color)
    y = np.arange(len(labels_text))
    ax.barh(y, values, color=colors)
    drawn = ~np.isnan(lows)
    if drawn.any():
        ax.hlines(y[drawn], np.array(lows)[drawn], np.array(highs)[drawn], color="black")
        ends = np.concatenate([np.array(lows)[drawn], np.array(highs)[drawn]])
        ax.plot(ends, np.tile(y[drawn], 2), "|", color="black", markersize=8)
    right = [float(np.nanmax([v, h])) for v, h in zip(values, highs, strict=True)]
    labels = [
        # beyond the end of the bar and of its interval (and the interval's end mark)
        ax.annotate(
            format_percent(value, 1),
            (end, yi),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=TEXT_SIZE,
        )
        for yi, (value, end) in enumerate(zip(values, right, strict=True))
    ]
    ax.set_yticks(y)
    ax.set_yticklabels(labels_text)
    ax.set_ylim(len(y) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    # few ticks: a browser's font can be wider than the one matplotlib measures
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_xlim(0, max(right) * 1.05)
    ticks = [t for t in ax.get_xticks() if 0 <= t <= 1]
    # right-aligned: long names can leave the axes narrower than this label
    ax.set_xlabel(
        f"Smallest share of people making {format_percent(share)} of the total (%)", loc="right"
    )
    ax.set_title(literal(title) if title else f"Who makes {format_percent(share)}?")
    make_room(ax, labels)
    ax.set_xticks(ticks)  # no tick past 100%, where the room for the labels may reach
    return ax


def calibration_curves(
    result: HeadlineCalibration, ax: Axes | None = None, *, mark_top: float = 0.01
) -> Axes:
    """Top-share curves of every calibrated family, the headline and the top 1% marked."""
    if ax is None:
        ax = new_axes((8.0, 5.0))
    colors = sns.color_palette("colorblind", n_colors=max(len(result.families), 1))
    for fam, color in zip(result.families, colors, strict=False):
        params = ", ".join(
            f"{literal(k.replace('_', ' '))} = {format_value(v, 3)}"
            for k, v in fam.parameters.items()
        )
        ax.plot(
            result.curve_top,
            result.curves[fam.family],
            color=color,
            linewidth=1.8,
            label=(
                f"{literal(fam.family)} ({params}): "
                f"top 1% hold {format_percent(fam.top_1pct_share)}"
            ),
        )
        if np.isclose(mark_top, 0.01):
            ax.plot([mark_top], [fam.top_1pct_share], marker="o", color=color)
    ax.plot(
        [result.top],
        [result.share],
        marker="*",
        markersize=14,
        color="black",
        linestyle="none",
        label=f"headline: top {format_percent(result.top)} hold {format_percent(result.share)}",
    )
    ax.axvline(mark_top, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_ylim(0, 1)
    ticks = [t for t in (1e-4, 1e-3, 1e-2, 1e-1, 1.0) if t >= result.curve_top.min() / 1.001]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{format_value(100 * t)}%" for t in ticks])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("Top fraction of people (%, log scale)")
    ax.set_ylabel("Share of the total they hold (%)")
    ax.set_title("Same headline, different distributions")
    legend_outside(ax, where="below")
    return ax


def segment_bounds(result: SegmentConsistency, ax: Axes | None = None) -> Axes:
    """The Mass Influencers' share of total impressions under each assumption."""
    if ax is None:
        ax = new_axes((8.5, 3.2))
    table = result.summary()
    shares = table["total"].to_numpy()
    y = np.arange(len(shares))
    ax.hlines(y, result.lower, shares, color="0.7", linewidth=6)
    ax.plot(shares, y, marker="o", linestyle="none", color="black")
    labels = [
        ax.annotate(
            format_percent(value, 1),
            (value, yi),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=TEXT_SIZE,
        )
        for yi, value in enumerate(shares)
    ]
    ax.axvline(
        result.headline_share,
        color="tab:red",
        linestyle="--",
        linewidth=1,
        label=f"published: {format_percent(result.headline_share)}",
    )
    ax.set_yticks(y)
    ax.set_yticklabels([literal(name) for name in table.index])
    ax.set_ylim(len(y) - 0.5, -0.5)
    low = min(0.75, result.lower - 0.05)
    ax.set_xlim(low, 1.02)
    ax.set_xticks(np.arange(np.ceil(low * 20) / 20, 1.0001, 0.05))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(
        f"Share of total impressions made by the {format_percent(result.influencers_share, 1)} "
        "Mass Influencers (%)",
        loc="right",  # the names beside the axes can leave them narrower than this label
    )
    ax.set_title("What the segment figures allow")
    legend_outside(ax, where="below")
    make_room(ax, labels)
    return ax
