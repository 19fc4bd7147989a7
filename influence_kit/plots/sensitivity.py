"""Plots of the sensitivity results. Plots draw; they compute nothing new.

Each function takes any object with the attributes it draws (the small protocols
below; the results of :mod:`influence_kit.sensitivity` satisfy them) and optionally an
``ax``, draws with a title, labelled axes and units, and returns the matplotlib
``Axes``. Numbers are written by :mod:`influence_kit.formatting`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ..formatting import format_count, format_fixed, format_number, format_percent, format_quantity
from . import TEXT_SIZE, legend_outside, literal, make_room, new_axes, wrap


class SweepLike(Protocol):
    """Outputs along a readers-per-post sweep (e.g. :class:`~.sensitivity.SweepResult`)."""

    scenario_name: str
    post_type: str | None
    base_value: float
    values: np.ndarray
    outputs: Mapping[str, np.ndarray]


class BreakEvenLike(Protocol):
    """One break-even criterion (e.g. :class:`~.sensitivity.BreakEven`)."""

    criterion: str
    readers_per_post: float | None

    @property
    def label(self) -> str: ...


class BreakEvensLike(Protocol):
    """Break-even criteria (e.g. :class:`~.sensitivity.BreakEvens`)."""

    @property
    def items(self) -> Sequence[BreakEvenLike]: ...


class TornadoBarLike(Protocol):
    """One tornado bar (e.g. :class:`~.sensitivity.TornadoBar`)."""

    input: str
    low: float
    high: float
    output_low: float
    output_high: float

    @property
    def swing(self) -> float: ...


class TornadoLike(Protocol):
    """Tornado bars sorted by swing (e.g. :class:`~.sensitivity.TornadoResult`)."""

    scenario_name: str
    output: str
    base_output: float

    @property
    def bars(self) -> Sequence[TornadoBarLike]: ...


class SpiderLike(Protocol):
    """A spider table (e.g. :class:`~.sensitivity.SpiderResult`)."""

    scenario_name: str
    output: str
    scale: str
    base_output: float
    data: pd.DataFrame


class MonteCarloLike(Protocol):
    """Simulated outputs and their summary (e.g. :class:`~.sensitivity.MonteCarloResult`)."""

    scenario_name: str
    output: str
    draws: int
    seed: int | None
    p5: float
    p50: float
    p95: float
    samples: np.ndarray
    thresholds: Mapping[str, float]
    prob_above: Mapping[str, float]


class SobolLike(Protocol):
    """Sobol indices with intervals (e.g. :class:`~.sensitivity.SobolResult`)."""

    scenario_name: str
    output: str
    method: str
    n: int

    def summary(self) -> pd.DataFrame: ...

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame: ...


class ThresholdSweepLike(Protocol):
    """Segment shares against the threshold (e.g. ``ThresholdSweepResult``)."""

    n_people: int
    thresholds: np.ndarray
    shares: Mapping[str, np.ndarray]


class ReadersSweepLike(Protocol):
    """Who makes the total as readers move (e.g. ``ReadersSweepResult``)."""

    scenario_name: str
    readers: np.ndarray
    share_of_total: Mapping[str, np.ndarray]
    share_at_zero_readers: Mapping[str, float]
    share_at_infinite_readers: Mapping[str, float]
    concentration_share: float
    top_fraction_total: np.ndarray
    readers_low: float
    readers_high: float
    base_readers: float


#: Outputs measured in impressions (drawn in billions); the others are fractions.
_IMPRESSION_OUTPUTS = frozenset({"total_impressions", "network_impressions", "post_impressions"})

_OUTPUT_NAMES = {
    "total_impressions": "Total influence impressions",
    "network_impressions": "Network impressions",
    "post_impressions": "Post impressions",
    "post_share_of_total": "Post share of the total",
    "share_of_advertiser_impressions": "Share of advertiser impressions",
    "impressions_per_online_adult": "Impressions per online adult",
}


def _number(value: float, _pos: int | None = None) -> str:
    """A number for a chart: four significant digits, whole above 10,000 (never 1e+04)."""
    return format_number(value) if abs(value) < 1e4 else format_count(value)


def _billions(value: float, _pos: int | None = None) -> str:
    return _number(value / 1e9)


def _pretty(name: str) -> str:
    return literal(
        name.replace("readers_per_post_by_type.", "readers per post: ").replace("_", " ")
    )


def _short(value: float) -> str:
    """Compact value label: 1.64e9 -> '1.64 billion', 150 -> '150'."""
    return format_quantity(value, "count")


def _in_units(value: float, output: str) -> str:
    """An output value in the words of its unit ('502 billion', '25.1%')."""
    if output in _IMPRESSION_OUTPUTS:
        return format_quantity(value, "impressions")
    if output == "impressions_per_online_adult":
        return _number(value)
    return format_quantity(value, "share")


def _output_name(output: str) -> str:
    """An output's name in words; one not known here is shown as typed."""
    return _OUTPUT_NAMES.get(output) or literal(output)


def _output_axis(output: str) -> tuple[str, FuncFormatter | PercentFormatter | None]:
    name = _output_name(output)
    if output in _IMPRESSION_OUTPUTS:
        return f"{name} (billions per year)", FuncFormatter(_billions)
    if output == "impressions_per_online_adult":
        return f"{name} (per year)", None
    return f"{name} (%)", PercentFormatter(1.0)


def _new_ax(ax: Axes | None, figsize: tuple[float, float] = (8, 4.5)) -> Axes:
    return new_axes(figsize) if ax is None else ax


def plot_sweep(
    sweep: SweepLike,
    breakevens: BreakEvensLike | None = None,
    ax: Axes | None = None,
    *,
    advertiser_share: bool = True,
) -> Axes:
    """Total, network and post impressions against readers per post, with break-evens.

    Break-even points (reachable ones) are marked on the total line and labelled;
    the share of advertiser impressions is drawn on a right-hand axis.
    """
    ax = _new_ax(ax)
    x = sweep.values
    palette = sns.color_palette("deep")
    ax.plot(x, sweep.outputs["total_impressions"], color=palette[0], lw=2, label="total")
    ax.plot(x, sweep.outputs["network_impressions"], color=palette[2], ls="--", label="network")
    ax.plot(x, sweep.outputs["post_impressions"], color=palette[1], ls="-.", label="posts")
    ax.axvline(sweep.base_value, color="0.4", lw=1, ls=":")
    ax.annotate(
        f" base: {_number(sweep.base_value)}",
        (sweep.base_value, 0.98),
        xycoords=("data", "axes fraction"),
        va="top",
        fontsize=TEXT_SIZE,
        color="0.3",
    )
    if breakevens is not None:
        points: dict[tuple[str, float], list[str]] = {}
        for item in breakevens.items:
            r = item.readers_per_post
            if r is None or not (x.min() <= r <= x.max()):
                continue
            line = (
                "network_impressions"
                if item.criterion == "posts_equal_network"
                else "total_impressions"
            )
            points.setdefault((line, round(r, 6)), []).append(literal(item.label))
        top = float(np.max(sweep.outputs["total_impressions"]))
        for (line, r), labels in points.items():
            y = float(np.interp(r, x, sweep.outputs[line]))
            ax.plot([r], [y], marker="o", color="black", zorder=5)
            # below the dot, unless that would reach the axis and its tick labels
            low = y < 0.3 * top
            ax.annotate(
                "\n".join(labels) + f":\n{_number(r)} readers per post",
                (r, y),
                textcoords="offset points",
                xytext=(8, 8) if low else (8, -12 - 10 * len(labels)),
                va="bottom" if low else "baseline",
                fontsize=TEXT_SIZE,
            )
    ax.yaxis.set_major_formatter(FuncFormatter(_billions))
    ax.set_xlabel(
        "Readers per post"
        if sweep.post_type is None
        else f"Readers per post of {_pretty(sweep.post_type)} (others at base)"
    )
    ax.set_ylabel("Impressions (billions per year)")
    what = f" ({literal(sweep.post_type)})" if sweep.post_type else ""
    ax.set_title(
        wrap(
            f"Influence impressions against readers per post{what}: {literal(sweep.scenario_name)}"
        )
    )
    ax.set_xlim(float(x.min()), float(x.max()))
    ax.set_ylim(bottom=0)
    legend_outside(ax, where="below", ncol=3)
    if advertiser_share:
        right = ax.twinx()
        right.plot(x, sweep.outputs["share_of_advertiser_impressions"], alpha=0)
        lo, hi = ax.get_ylim()
        ads = sweep.outputs["total_impressions"] / sweep.outputs["share_of_advertiser_impressions"]
        scale = float(np.nanmedian(ads)) if np.all(np.isfinite(ads)) else 1.0
        right.set_ylim(lo / scale, hi / scale)
        right.yaxis.set_major_formatter(PercentFormatter(1.0))
        right.set_ylabel("Total as share of advertiser impressions")
        right.grid(False)
    return ax


def plot_tornado(result: TornadoLike, ax: Axes | None = None, *, max_bars: int = 12) -> Axes:
    """Horizontal bars from output(low) to output(high), sorted by swing, with a base line.

    Each bar end is labelled with the output and the input value that produced it.
    """
    bars = result.bars[:max_bars]
    ax = _new_ax(ax, (9, 0.6 * len(bars) + 1.5))
    label, formatter = _output_axis(result.output)
    base = result.base_output
    palette = sns.color_palette("deep")
    labels: list[Text] = []
    for i, b in enumerate(bars):
        if b.swing == 0:
            labels.append(
                ax.text(
                    base, i, "  no effect", va="center", ha="left", fontsize=TEXT_SIZE, color="0.4"
                )
            )
            continue
        for end, value, color in (
            (b.low, b.output_low, palette[0]),
            (b.high, b.output_high, palette[3]),
        ):
            ax.barh(i, value - base, left=base, color=color, height=0.6, alpha=0.85)
            text = f"{_in_units(value, result.output)} ({_short(end)})"
            right = value >= base
            labels.append(
                ax.annotate(
                    text,
                    (value, i),
                    xytext=(4 if right else -4, 0),
                    textcoords="offset points",
                    va="center",
                    ha="left" if right else "right",
                    fontsize=TEXT_SIZE,
                )
            )
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(range(len(bars)))
    ax.set_yticklabels([_pretty(b.input) for b in bars])
    ax.set_ylim(len(bars) - 0.4, -0.6)  # the first bar on top, the last clear of the axis
    if formatter is not None:
        ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel(label)
    ax.set_title(
        wrap(
            f"Tornado: {_output_name(result.output).lower()} "
            f"(base {_in_units(base, result.output)}): "
            f"{literal(result.scenario_name)}"
        )
    )
    lo_patch = plt.Rectangle((0, 0), 1, 1, color=palette[0])
    hi_patch = plt.Rectangle((0, 0), 1, 1, color=palette[3])
    legend_outside(
        ax, [lo_patch, hi_patch], ["input at low", "input at high"], where="below", ncol=2
    )
    ax.margins(x=0.05)
    make_room(ax, labels)
    return ax


def plot_spider(result: SpiderLike, ax: Axes | None = None) -> Axes:
    """One line per input: the output against its percentile (or % change)."""
    ax = _new_ax(ax)
    label, formatter = _output_axis(result.output)
    for name, group in result.data.groupby("input", sort=False):
        ax.plot(group["x"], group["output"], marker="o", ms=3, label=_pretty(str(name)))
    ax.axhline(
        result.base_output,
        color="black",
        lw=1,
        ls=":",
        label=f"base: {_in_units(result.base_output, result.output)}",
    )
    if formatter is not None:
        ax.yaxis.set_major_formatter(formatter)
    ax.set_ylabel(label)
    if result.scale == "percentile":
        ax.set_xlabel("Percentile of the input's distribution (%)")
    else:
        ax.set_xlabel("Change of the input from its base value (%)")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(wrap(f"Spider plot: {literal(result.scenario_name)}"))
    legend_outside(ax)
    return ax


def plot_monte_carlo(result: MonteCarloLike, ax: Axes | None = None, *, bins: int = 120) -> Axes:
    """Histogram of the simulated output with P5/P50/P95 lines and the 90% band.

    The lines' values (and each threshold's probability) are named in a legend under the
    axes, so no label covers the histogram.
    """
    ax = _new_ax(ax)
    label, formatter = _output_axis(result.output)
    data = result.samples
    upper = float(np.quantile(data, 0.995)) if data.size else 1.0
    ax.hist(
        data,
        bins=bins,
        range=(float(data.min()), upper),
        density=True,
        color=sns.color_palette("deep")[0],
        alpha=0.7,
    )
    ax.axvspan(result.p5, result.p95, color="0.5", alpha=0.15, label="90% band (P5 to P95)")
    for value, name, style in (
        (result.p5, "P5", "--"),
        (result.p50, "P50 (median)", "-"),
        (result.p95, "P95", ":"),
    ):
        ax.axvline(
            value,
            color="black",
            ls=style,
            lw=1.2,
            label=f"{name}: {_in_units(value, result.output)}",
        )
    for key, value in result.thresholds.items():
        ax.axvline(
            value,
            color="firebrick",
            lw=1.5,
            label=(
                f"P(> {_in_units(value, result.output)}) = "
                f"{format_quantity(result.prob_above[key], 'share')}"
            ),
        )
    if formatter is not None:
        ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel(label)
    ax.set_ylabel("Probability density")
    ax.set_yticklabels([])
    ax.set_title(
        wrap(
            f"Monte Carlo, {format_number(result.draws)} draws (seed {result.seed}): "
            f"{literal(result.scenario_name)}"
        )
    )
    legend_outside(ax, where="below", ncol=2)
    return ax


def plot_sobol(result: SobolLike, ax: Axes | None = None, *, alpha: float = 0.05) -> Axes:
    """Grouped bars of first-order (S1) and total (ST) indices with ``1 - alpha`` whiskers.

    The whiskers are ``result.conf_int(alpha)`` (asymmetric percentile intervals). The bars
    are the full-sample estimates; where one lies outside its interval (a biased estimator at
    a small sample) its whisker reaches from the bar to the far end of the interval, and
    the axis label says how many bars lie outside their interval.
    """
    table = result.summary()
    ci = result.conf_int(alpha)
    outside = sum(
        not float(ci.loc[f"{kind}[{name}]", "lower"])
        <= float(value)
        <= float(ci.loc[f"{kind}[{name}]", "upper"])
        for kind in ("S1", "ST")
        for name, value in zip(table["input"], table[kind], strict=True)
    )

    def whiskers(kind: str) -> np.ndarray:
        rows = ci.loc[[f"{kind}[{name}]" for name in table["input"]]]
        values = table[kind].to_numpy()
        low = np.clip(values - rows["lower"].to_numpy(), 0.0, None)
        high = np.clip(rows["upper"].to_numpy() - values, 0.0, None)
        return np.vstack([low, high])

    ax = _new_ax(ax, (9, 0.5 * len(table) + 2))
    y = np.arange(len(table))
    palette = sns.color_palette("deep")
    h = 0.38
    labels: list[Text] = []
    for offset, index, color, label in (
        (-h / 2, "S1", palette[0], "first order S1"),
        (h / 2, "ST", palette[1], "total ST"),
    ):
        values = table[index].to_numpy(dtype=float)
        errors = whiskers(index)
        ax.barh(
            y + offset,
            values,
            height=h,
            xerr=errors,
            color=color,
            capsize=3,
            label=label,
        )
        # each value beyond the end of its bar and whisker, so no whisker crosses it
        for yi, value, reach in zip(y + offset, values, values + errors[1], strict=True):
            labels.append(
                ax.annotate(
                    format_fixed(value, 2),
                    (max(value, reach), yi),
                    xytext=(5, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=TEXT_SIZE,
                )
            )
    ax.set_yticks(y)
    ax.set_yticklabels([_pretty(str(n)) for n in table["input"]])
    ax.invert_yaxis()
    ends = [float(np.nanmin(ci["lower"])), float(np.nanmax(ci["upper"]))]
    ax.set_xlim(min(-0.02, ends[0] - 0.02), max(1.02, ends[1] + 0.02))
    level = format_quantity(1 - alpha, "share", digits=2)
    ax.set_xlabel(
        wrap(
            "Share of the output's variance (Sobol index;\n"
            f"whiskers: {level} bootstrap interval)"
            + (
                f"\n{format_quantity(outside, 'count')} of the full-sample estimates (bars) "
                f"lie\noutside their {level} bootstrap percentile interval"
                if outside
                else ""
            )
            if result.method != "analytic"
            else "Share of the output's variance (Sobol index, exact)"
        )
    )
    name = _output_name(result.output).lower()
    ax.set_title(
        wrap(
            f"Sobol indices of {name} (N = {format_number(result.n)}): "
            f"{literal(result.scenario_name)}"
        )
    )
    legend_outside(ax, where="below", ncol=2)
    make_room(ax, labels)
    return ax


_SEGMENT_NAMES = {
    "mass_influencers": "Mass Influencers (either)",
    "mass_connectors": "Mass Connectors",
    "mass_mavens": "Mass Mavens",
    "overlap": "both (overlap)",
}


def plot_threshold_sweep(
    result: ThresholdSweepLike, ax: Axes | None = None, *, mark: float | None = None
) -> Axes:
    """Segment shares of adults against the concentration threshold.

    One line per segment (Connectors, Mavens, overlap, Mass Influencers); a
    dotted line marks the threshold ``mark`` (e.g. the scenario's
    ``segments.concentration_share``), where each share is labelled; ``None``
    marks nothing.
    """
    ax = _new_ax(ax)
    x = result.thresholds
    palette = sns.color_palette("deep")
    styles = {
        "mass_influencers": (palette[0], "-", 2.2),
        "mass_connectors": (palette[2], "--", 1.5),
        "mass_mavens": (palette[1], "-.", 1.5),
        "overlap": (palette[4], ":", 1.5),
    }
    at = np.array([], dtype=int)
    if mark is not None:
        at = np.flatnonzero(np.isclose(x, mark, rtol=0, atol=1e-12))
    for name, (color, style, width) in styles.items():
        y = result.shares[name]
        ax.plot(x, y, color=color, ls=style, lw=width, marker="o", ms=3, label=_SEGMENT_NAMES[name])
        if at.size:
            ax.annotate(
                format_quantity(y[at[0]], "share"),
                (mark, y[at[0]]),
                textcoords="offset points",
                xytext=(5, -3),
                ha="left",
                va="top",
                fontsize=TEXT_SIZE,
                color=color,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    if mark is not None and x.min() <= mark <= x.max():
        ax.axvline(mark, color="0.4", lw=1, ls=":")
        ax.annotate(
            f" published: {format_percent(mark)}",
            (mark, 0.98),
            xycoords=("data", "axes fraction"),
            va="top",
            fontsize=TEXT_SIZE,
            color="0.3",
        )
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Concentration threshold: share of the activity the group makes (%)")
    ax.set_ylabel("Share of online adults (%)")
    ax.set_title(
        wrap(f"Segment sizes against the 80% threshold ({format_number(result.n_people)} people)")
    )
    ax.set_ylim(bottom=0)
    legend_outside(ax)
    return ax


def plot_readers_segments(result: ReadersSweepLike, ax: Axes | None = None) -> Axes:
    """Who makes the total impressions as readers per post move.

    Solid lines: the share of total impressions made by the Mass Influencers,
    Connectors and Mavens; thin dotted lines: the Influencers' shares at zero
    and at unlimited readers; dashed black: the smallest share of adults making
    ``concentration_share`` of the total. The scenario's readers range is
    shaded and its base value marked. The x axis is logarithmic (linear near 0).
    """
    ax = _new_ax(ax, (8, 7))  # room for the legend of eight entries under the axes
    x = result.readers
    palette = sns.color_palette("deep")
    colors = {
        "mass_influencers": palette[0],
        "mass_connectors": palette[2],
        "mass_mavens": palette[1],
    }
    for name, color in colors.items():
        lw = 2.2 if name == "mass_influencers" else 1.5
        ax.plot(
            x,
            result.share_of_total[name],
            color=color,
            lw=lw,
            marker="o",
            ms=3,
            label=f"{_SEGMENT_NAMES[name]}: share of total impressions",
            zorder=3,
        )
    zero = result.share_at_zero_readers["mass_influencers"]
    limit = result.share_at_infinite_readers["mass_influencers"]
    for value, where, style in (
        (zero, "at 0 readers", ":"),
        (limit, "as readers grow", (0, (6, 3))),
    ):
        if np.isfinite(value):
            ax.axhline(
                value,
                color=palette[0],
                lw=0.8,
                ls=style,
                label=f"Mass Influencers {where}: {format_quantity(value, 'share')}",
            )
    q = result.concentration_share
    ax.plot(
        x,
        result.top_fraction_total,
        color="black",
        ls="--",
        marker="s",
        ms=3,
        label=(
            f"smallest share of adults making {format_quantity(q, 'share', digits=2)} of the total"
        ),
    )
    if np.isfinite(result.readers_low) and np.isfinite(result.readers_high):
        ax.axvspan(
            result.readers_low,
            result.readers_high,
            color="0.5",
            alpha=0.12,
            label=(
                f"scenario range ({_number(result.readers_low)} to {_number(result.readers_high)})"
            ),
        )
    ax.axvline(
        result.base_readers,
        color="0.4",
        lw=1,
        ls=":",
        label=f"scenario's base: {_number(result.base_readers)} readers per post",
    )
    positive = x[x > 0]
    if positive.size and positive.size < x.size:
        ax.set_xscale("symlog", linthresh=float(positive.min()))
    elif positive.size == x.size and x.size > 1:
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(_number))
    ax.set_xlim(float(x.min()), float(x.max()))
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Readers per post (log scale)")
    ax.set_ylabel("Share of impressions or of adults (%)")
    ax.set_title(
        wrap(f"Who makes the impressions as readers per post move: {literal(result.scenario_name)}")
    )
    legend_outside(ax, where="below", ncol=1)
    return ax
