"""Plots of results objects (seaborn/matplotlib): one module per area.

Plots draw; they compute nothing new. Every function takes a results object (or any
object with the attributes it draws, stated as a :class:`typing.Protocol`), draws on an
optional ``ax`` with titles, labelled axes and units, and returns the matplotlib
``Axes`` or ``Figure``.

* :mod:`.accounting`: the headline decomposition by channel;
* :mod:`.sensitivity`: sweeps, break-evens, tornado, spider, Monte Carlo, Sobol;
* :mod:`.fitting`: CCDFs with fitted laws and fit diagnostics;
* :mod:`.concentration`: Lorenz curves, headline calibration, segment bounds;
* :mod:`.segments`: segment sizes and comparisons with published figures;
* the explorer's dashboard figure lives with the explorer (:mod:`influence_kit.explorer.figure`).

Text that comes from data or scenarios (scenario, network and post-type names, labels of
results) goes into a chart through :func:`literal`, so a ``$`` in it is shown as typed
rather than read as matplotlib mathtext (which fails on an unpaired ``$``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..formatting import format_fixed, format_value

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend
    from matplotlib.text import Text


def literal(text: object) -> str:
    """``text`` as a matplotlib label shows it literally: every ``$`` escaped.

    Parameters
    ----------
    text : object
        A name or label from data or a scenario (converted with ``str``).

    Returns
    -------
    str
        The text with ``$`` written ``\\$``, so mathtext never parses it.
    """
    return str(text).replace("$", r"\$")


#: Size (points) of every note, value label and legend entry a chart writes. Charts are
#: 8-9 inches wide and shown at their natural size in a report (72 points to 96 CSS
#: pixels), so this is about 15 px on the page; two 7-inch panels side by side (a 14-inch
#: figure scaled into a 950 px column) still show it above 10 px.
TEXT_SIZE = 11.0


def report_style() -> None:
    """Matplotlib and seaborn settings of the report charts (what the notebooks use).

    Seaborn's ``notebook`` context (titles and axis labels 12 pt, ticks and legends 11 pt),
    8 x 4.5 inch figures at 100 dpi and text kept as text in SVG. The charts of this package
    make their own figures with a constrained layout, and the notebooks save figures with
    ``bbox_inches="tight"``, so labels and legends outside the axes are never cut off.
    """
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid")
    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "svg.hashsalt": "influence_kit",
            # Text stays text in SVG: crisp, searchable and measurable in a browser.
            "svg.fonttype": "none",
            "axes.titleweight": "bold",
            "axes.titlesize": 12.0,
            "axes.labelsize": 12.0,
            "xtick.labelsize": TEXT_SIZE,
            "ytick.labelsize": TEXT_SIZE,
            "legend.fontsize": TEXT_SIZE,
            "legend.title_fontsize": TEXT_SIZE,
            "font.size": TEXT_SIZE,
        }
    )


def new_axes(figsize: tuple[float, float]) -> Axes:
    """Axes on a new figure of ``figsize`` inches with a constrained layout (nothing clipped)."""
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def renderer_of(figure: Any) -> Any:
    """The figure's renderer on any backend (the SVG and PDF canvases have no
    ``get_renderer``; matplotlib's own helper then builds one for the figure)."""
    get = getattr(figure.canvas, "get_renderer", None)
    return get() if get is not None else figure._get_renderer()


def legend_outside(ax: Axes, *args: Any, where: str = "right", **kwargs: Any) -> Legend:
    """A legend beside (``"right"``) or under (``"below"``) the axes, where it covers no data.

    Extra arguments go to :meth:`matplotlib.axes.Axes.legend` (handles and labels, ``title``,
    ``ncol``); the figure's layout (constrained, or ``bbox_inches="tight"`` when saved)
    makes room for it.
    """
    if where == "right":
        kwargs.setdefault("loc", "upper left")
        kwargs.setdefault("bbox_to_anchor", (1.02, 1.0))
    else:
        from matplotlib.transforms import ScaledTranslation

        # under the tick labels and the axis label, however the layout resizes the axes
        renderer = renderer_of(ax.figure)
        frame = ax.get_window_extent(renderer)
        tight = ax.get_tightbbox(renderer)
        below = frame.y0 - tight.y0 if tight is not None else 0.0
        drop = below / ax.figure.dpi + 0.1
        kwargs.setdefault("loc", "upper center")
        kwargs.setdefault("bbox_to_anchor", (0.5, 0.0))
        kwargs.setdefault(
            "bbox_transform",
            ax.transAxes + ScaledTranslation(0.0, -drop, ax.figure.dpi_scale_trans),
        )
    kwargs.setdefault("frameon", False)
    kwargs.setdefault("fontsize", TEXT_SIZE)
    kwargs.setdefault("borderaxespad", 0.0)
    return ax.legend(*args, **kwargs)


def make_room(ax: Axes, texts: Sequence[Text], *, pad: float = 4.0) -> None:
    """Widen a linear x axis until every one of ``texts`` (labels at data points) lies inside.

    Value labels written beside bar ends can run past the axes, over the tick labels or out
    of the figure; the limits grow (a few passes, since growing them moves the labels) until
    each label is ``pad`` pixels inside.
    """
    if not texts:
        return
    for _ in range(6):
        # the figure's layout engine (if any) first sets the axes' final size
        ax.get_figure(root=True).draw_without_rendering()  # type: ignore[union-attr]  # root: a Figure
        renderer = renderer_of(ax.figure)
        frame = ax.get_window_extent(renderer)
        boxes = [t.get_window_extent(renderer) for t in texts]
        over_left = max(0.0, max(frame.x0 + pad - b.x0 for b in boxes))
        over_right = max(0.0, max(b.x1 + pad - frame.x1 for b in boxes))
        if over_left < 0.5 and over_right < 0.5:
            return
        lo, hi = ax.get_xlim()
        per_pixel = (hi - lo) / frame.width
        ax.set_xlim(lo - 1.2 * over_left * per_pixel, hi + 1.2 * over_right * per_pixel)


def wrap(text: str, width: int = 60) -> str:
    r"""``text`` broken into lines of at most ``width`` characters (a title or axis label
    longer than its axes would otherwise run over the tick labels or off the figure).

    Examples
    --------
    >>> wrap("Tornado: total influence impressions (base 502 billion): western-europe-2010")
    'Tornado: total influence impressions (base 502 billion):\nwestern-europe-2010'
    """
    import textwrap

    return "\n".join(
        textwrap.fill(line, width, break_on_hyphens=False) for line in text.split("\n")
    )


def log_tick(value: float, _pos: int | None = None) -> str:
    """A log axis tick in plain digits: ``0.0001``, ``0.5``, ``20``, ``1,000``.

    Examples
    --------
    >>> [log_tick(v) for v in (1e-4, 0.5, 20.0, 1000.0, 2.5e6)]
    ['0.0001', '0.5', '20', '1,000', '2,500,000']
    """
    if not math.isfinite(value) or value <= 0:
        return ""
    if value >= 1:
        return (
            format_fixed(value, 0, grouping=True)
            if float(value).is_integer()
            else format_value(value, 3)
        )
    decimals = math.ceil(-math.log10(value) - 1e-9) + 2
    return format_fixed(value, decimals).rstrip("0").rstrip(".")
