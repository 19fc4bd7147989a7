"""The explorer's live charts: Plotly figures built from an explored state.

Each function takes what :func:`~influence_kit.explorer.explore` (or
:func:`~influence_kit.engagement.care_funnel`) computed and returns a
:class:`plotly.graph_objects.Figure` whose hover text is the exact value in words, with
its unit (every number through :func:`~influence_kit.formatting.format_quantity`). The
explorer shows them in :class:`~influence_kit.explorer.chartwidget.Chart` widgets and
redraws them in place; Plotly's script ships inside the ``plotly`` package and reaches the
page through a widget, so no request leaves it.

Text from a scenario file (network and post-type names, the scenario's title) passes
through :func:`chart_text` first: Plotly reads a subset of HTML in labels and a label
that starts and ends with ``$`` as mathematics, and neither may come from a file.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np

from ..formatting import format_quantity

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ..engagement import CareFunnel
    from .state import ExploreState

__all__ = [
    "CHART_FONT_SIZE",
    "breakeven_figure",
    "channel_figure",
    "chart_config",
    "chart_text",
    "funnel_figure",
    "lorenz_figure",
]

#: Font size (CSS px) of every chart text: ticks, labels, legends and hover boxes.
CHART_FONT_SIZE = 13

#: The palettes of the two channels (networks blue, post types orange), light to dark.
_NETWORK_COLORS = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7")
_POST_COLORS = ("#a63603", "#e6550d", "#fd8d3c", "#fdae6b", "#fdd0a2", "#feedde")


def chart_text(text: object) -> str:
    """``text`` as a Plotly label shows it literally.

    HTML special characters become entities (Plotly shows ``&lt;`` as ``<`` and never
    reads a tag from it), and a leading ``$`` is preceded by a zero-width space, so a
    label never starts a formula.

    Examples
    --------
    >>> chart_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> chart_text("$\\\\frac{$") == "\\u200b$\\\\frac{$"
    True
    """
    escaped = html.escape(str(text), quote=False)
    return "\u200b" + escaped if escaped.startswith("$") else escaped


def _words(name: str) -> str:
    return chart_text(name.replace("_", " "))


#: The look of every chart: white, axes drawn, ticks outside, no grid (set directly, not
#: through a Plotly template: a template is copied and checked on every update).
_AXIS = {
    "showline": True,
    "linecolor": "#444444",
    "ticks": "outside",
    "tickcolor": "#444444",
    "showgrid": False,
    "zeroline": False,
    "automargin": True,
}


def _layout(fig: go.Figure, title: str, **extra: Any) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": CHART_FONT_SIZE + 3}},
        font={"size": CHART_FONT_SIZE, "color": "#222222"},
        hoverlabel={"font": {"size": CHART_FONT_SIZE}},
        template="none",
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"],
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        autosize=True,
        height=380,
    )
    fig.update_xaxes(**_AXIS)
    fig.update_yaxes(**_AXIS)
    fig.update_layout(**extra)
    return fig


def channel_figure(state: ExploreState) -> go.Figure:
    """Impressions by channel: networks and post types stacked, online ads beside them.

    One horizontal bar per channel (social networks, influence posts), each segment a
    network or post type; the online advertising impressions as the yardstick and the
    scenario's published claim, when it has one, as a dashed line.
    """
    import plotly.graph_objects as go

    acc = state.account
    fig = go.Figure()
    rows = ("Social networks", "Influence posts")
    parts = [
        (rows[0], name, value, _NETWORK_COLORS[i % len(_NETWORK_COLORS)])
        for i, (name, value) in enumerate(acc.by_network.items())
    ] + [
        (rows[1], name, value, _POST_COLORS[i % len(_POST_COLORS)])
        for i, (name, value) in enumerate(acc.by_post_type.items())
    ]
    total = acc.total_impressions
    for row, name, value, color in parts:
        share = value / total if total else 0.0
        fig.add_trace(
            go.Bar(
                y=[row],
                x=[value / 1e9],
                orientation="h",
                name=_words(name),
                marker_color=color,
                customdata=[
                    [format_quantity(value, "impressions"), format_quantity(share, "share")]
                ],
                hovertemplate=(
                    f"<b>{_words(name)}</b><br>%{{customdata[0]}} impressions a year"
                    "<br>%{customdata[1]} of the total<extra></extra>"
                ),
                legendgroup=row,
                legendgrouptitle_text=row,
            )
        )
    fig.add_trace(
        go.Bar(
            y=["Online ads"],
            x=[acc.advertiser_impressions / 1e9],
            orientation="h",
            name="online advertising",
            marker_color="#999999",
            customdata=[[format_quantity(acc.advertiser_impressions, "impressions")]],
            hovertemplate=(
                "<b>Online advertising</b><br>%{customdata[0]} impressions a year<extra></extra>"
            ),
            showlegend=False,
        )
    )
    if acc.claim is not None:
        claim = format_quantity(acc.claim, "impressions")
        fig.add_trace(
            go.Scatter(
                x=[acc.claim / 1e9] * 3,
                y=["Online ads", *rows],
                mode="lines+text",
                line={"dash": "dash", "color": "black", "width": 2},
                text=["", "", f"claim: {claim}"],
                textposition="top right",
                name=f"published claim: {claim}",
                hovertemplate=(
                    f"<b>published claim</b><br>{claim} impressions a year<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(title_text="Impressions per year (billions)", rangemode="tozero")
    fig.update_yaxes(categoryorder="array", categoryarray=["Online ads", *reversed(rows)])
    return _layout(
        fig,
        f"Influence impressions by channel: {format_quantity(total, 'impressions')} a year",
        barmode="stack",
        height=460,
        legend={"orientation": "v", "x": 1.02, "y": 1, "traceorder": "grouped"},
    )


def breakeven_figure(state: ExploreState) -> go.Figure:
    """Total, network and post impressions against readers per post, break-evens marked."""
    import plotly.graph_objects as go

    sweep = state.readers_curve
    readers = sweep["readers_per_post"].to_numpy(dtype=float)
    fig = go.Figure()
    for column, name, dash in (
        ("total_impressions", "total", "solid"),
        ("network_impressions", "network", "dash"),
        ("post_impressions", "posts", "dashdot"),
    ):
        values = sweep[column].to_numpy(dtype=float)
        fig.add_trace(
            go.Scatter(
                x=readers,
                y=values / 1e9,
                mode="lines",
                name=name,
                line={"dash": dash, "width": 3 if name == "total" else 2},
                customdata=np.array(
                    [
                        [format_quantity(r, "readers"), format_quantity(v, "impressions")]
                        for r, v in zip(readers, values, strict=True)
                    ]
                ),
                hovertemplate=(
                    f"<b>{name}</b><br>%{{customdata[0]}} readers per post<br>"
                    "%{customdata[1]} impressions a year<extra></extra>"
                ),
            )
        )
    acc = state.account
    marks = [
        (item.label, float(item.readers_per_post))
        for item in state.breakevens.items
        if item.readers_per_post is not None and item.readers_per_post <= readers[-1]
    ]
    if marks:
        at = np.array([r for _, r in marks])
        totals = np.interp(at, readers, sweep["total_impressions"].to_numpy(dtype=float))
        fig.add_trace(
            go.Scatter(
                x=at,
                y=totals / 1e9,
                mode="markers",
                name="break-evens",
                marker={"size": 11, "color": "#c0392b"},
                customdata=[
                    [chart_text(label), format_quantity(r, "readers")] for label, r in marks
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>at %{customdata[1]} readers per post<extra></extra>"
                ),
            )
        )
    top = float(np.nanmax(sweep["total_impressions"].to_numpy(dtype=float))) / 1e9
    now = format_quantity(acc.readers_per_post, "readers")
    fig.add_trace(
        go.Scatter(
            x=[acc.readers_per_post, acc.readers_per_post],
            y=[0, top],
            mode="lines",
            line={"color": "black", "width": 1.5},
            name=f"now: {now} readers per post",
            hovertemplate=(
                f"<b>now</b><br>{now} readers per post<br>"
                f"{format_quantity(acc.total_impressions, 'impressions')} impressions a year"
                "<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title_text="Readers per post", rangemode="tozero")
    fig.update_yaxes(title_text="Impressions per year (billions)", rangemode="tozero")
    return _layout(fig, "Break-even readers per post", legend={"x": 0.01, "y": 0.99})


def lorenz_figure(state: ExploreState) -> go.Figure:
    """Who makes the impressions: the Lorenz curve of total impressions per person, with the
    segments (share of adults against their share of impressions) and the threshold point."""
    import plotly.graph_objects as go

    curve = state.lorenz
    people = np.asarray(curve.population_share, dtype=float)
    made = np.asarray(curve.value_share, dtype=float)
    if people.size > 400:  # a few hundred points draw the same curve
        keep = np.unique(np.linspace(0, people.size - 1, 400).astype(int))
        people, made = people[keep], made[keep]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name="perfect equality",
            line={"dash": "dot", "color": "#888888"},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=people,
            y=made,
            mode="lines",
            name=f"total impressions (Gini {format_quantity(curve.gini, 'number')})",
            line={"color": "#1f77b4", "width": 3},
            customdata=np.array(
                [
                    [format_quantity(1 - p, "share"), format_quantity(1 - m, "share")]
                    for p, m in zip(people, made, strict=True)
                ]
            ),
            hovertemplate=(
                "the top %{customdata[0]} of adults<br>make %{customdata[1]} of the impressions"
                "<extra></extra>"
            ),
        )
    )
    table = state.segment_table()
    # the Mass segments are top groups (of network impressions, of posts, or either): each
    # is a point "this share of adults makes that share"; the others are not top groups
    points = [
        (name, float(row["share_of_adults"]), float(row["share_of_total_impressions"]))
        for name, row in table.iterrows()
        if str(name).startswith("mass_") and 0 < float(row["share_of_adults"]) < 1
    ]
    if points:
        fig.add_trace(
            go.Scatter(
                x=[1 - adults for _, adults, _ in points],
                y=[1 - share for _, _, share in points],
                mode="markers",
                name="segments",
                marker={"size": 11, "symbol": "diamond", "color": "#d62728"},
                customdata=[
                    [
                        _words(str(name)).title(),
                        format_quantity(adults, "share"),
                        format_quantity(share, "share"),
                    ]
                    for name, adults, share in points
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]} of adults make "
                    "%{customdata[2]} of the impressions<extra></extra>"
                ),
            )
        )
    top, share = state.top_fraction_for_threshold, state.threshold
    fig.add_trace(
        go.Scatter(
            x=[1 - top],
            y=[1 - share],
            mode="markers",
            name=f"top {format_quantity(top, 'share')} make {format_quantity(share, 'share')}",
            marker={"size": 15, "symbol": "star", "color": "black"},
            hovertemplate=(
                f"the fewest adults making {format_quantity(share, 'share')} of the impressions:"
                f"<br>{format_quantity(top, 'share')}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(
        title_text="Share of adults, from the fewest impressions up",
        tickformat=".0%",
        range=[0, 1],
    )
    fig.update_yaxes(title_text="Share of impressions they make", tickformat=".0%", range=[0, 1])
    return _layout(
        fig,
        "Who makes the impressions (Lorenz curve)",
        legend={"x": 0.01, "y": 0.99},
    )


def funnel_figure(funnel: CareFunnel) -> go.Figure:
    """From impressions to people who care: all impressions, those seen, and those that drew a
    reaction or a reply, each with its 95% Monte Carlo interval in the hover box.

    Reactions (to network updates) and replies (to posts) are two branches after "seen";
    the last bar is their sum, and its hover box gives each.
    """
    import plotly.graph_objects as go

    interval = funnel.conf_int(0.05)
    stages = (
        ("impressions", "influence impressions"),
        ("seen", "seen"),
        ("reacted_or_replied", "drew a reaction or a reply"),
    )
    custom = []
    for key, _ in stages:
        value = funnel.base_case(key)
        custom.append(
            [
                format_quantity(value, "impressions"),
                format_quantity(value / funnel.impressions if funnel.impressions else 0.0, "share"),
                format_quantity(float(interval.loc[key, "lower"]), "impressions"),
                format_quantity(float(interval.loc[key, "upper"]), "impressions"),
            ]
        )
    detail = (
        f"<br>{format_quantity(funnel.reacted, 'impressions')} reactions, "
        f"{format_quantity(funnel.replied, 'impressions')} replies"
    )
    fig = go.Figure(
        go.Funnel(
            y=[label for _, label in stages],
            x=[funnel.base_case(key) / 1e9 for key, _ in stages],
            text=[f"{c[0]} ({c[1]})" for c in custom],
            textinfo="text",
            customdata=custom,
            hovertext=["", "", detail],
            hovertemplate=(
                "<b>%{y}</b><br>%{customdata[0]} impressions a year (base case), "
                "%{customdata[1]} of all<br>95% Monte Carlo interval %{customdata[2]} to "
                "%{customdata[3]}%{hovertext}<extra></extra>"
            ),
            marker={"color": ["#08519c", "#3182bd", "#e6550d"]},
        )
    )
    return _layout(fig, "Getting people to care: from impressions to engagement", height=300)


def chart_config(image_format: str = "svg") -> dict[str, Any]:
    """The Plotly ``config`` of the explorer's charts: the camera button downloads the chart
    as ``image_format`` (``"svg"`` or ``"png"``), no Plotly logo, responsive width, and no
    mathematics typeset from labels (a page may load MathJax for other widgets)."""
    return {
        "displaylogo": False,
        "responsive": True,
        # never read a label as mathematics: "$...$" in a scenario's names stays text
        "typesetMath": False,
        "toImageButtonOptions": {
            "format": image_format,
            "scale": 2 if image_format == "png" else 1,
        },
    }
