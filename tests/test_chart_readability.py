"""Every chart of :mod:`influence_kit.plots` is readable at a glance on a report page.

Each public plotting function is drawn the way the report notebooks call it (shipped
scenario, the notebooks' figure sizes, the report style of
:func:`influence_kit.plots.report_style`), with cheap inputs, and checked on the drawn
figure:

* no text is smaller than :data:`MIN_PX` CSS pixels as shown on a 1280 px page, where a
  chart is inlined as SVG at its natural size (72 pt to 96 px) unless it is wider than the
  report column (:data:`COLUMN_PX`), when it is scaled down to fit;
* no two texts overlap, and no text runs off the figure or out of its clip box;
* a value label never partly covers a bar or an error bar (it is inside one bar, as a
  segment's name, or clear of them);
* a legend covers no bar and no data point.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import influence_kit.plots as plots_package
from influence_kit.plots import report_style

matplotlib.use("Agg")

#: Smallest text on the page, CSS pixels (the issue's bar: 10 px at 1280 px page width).
MIN_PX = 10.0
#: Width of the report column a chart is shown in at 1280 px (60rem less padding).
COLUMN_PX = 950.0
#: Overlap (pixels, each way) below which two boxes are taken to touch, not overlap.
SLACK = 1.0

#: Public names of influence_kit.plots modules that draw nothing (helpers, data).
NOT_CHARTS = {
    "literal",
    "report_style",
    "legend_outside",
    "new_axes",
    "make_room",
    "published_segments",
}


@pytest.fixture(scope="module", autouse=True)
def style() -> Iterator[None]:
    with matplotlib.rc_context():
        report_style()
        yield
    plt.close("all")


# --- inputs, built once and cheaply -----------------------------------------------------


@pytest.fixture(scope="module")
def scenario():
    from influence_kit import load_scenario

    return load_scenario("forrester-us-2009")


@pytest.fixture(scope="module")
def people(scenario):
    from influence_kit.population import load_panel

    return load_panel(scenario, n=20_000)


@pytest.fixture(scope="module")
def segmentation(people, scenario):
    from influence_kit.segments import segment_people

    with _quiet():
        return segment_people(people, scenario, n_boot=39, seed=1)


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence the heavy-tail cautions of cheap inputs (the charts are under test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def fit_report():
    from influence_kit.distributions import PowerLaw
    from influence_kit.fitting import fit_all

    x = PowerLaw(2.0, True).sample(800, [2.4], np.random.default_rng(5))
    return fit_all(x, discrete=True, gof_replicates=39, seed=1, n_jobs=1)


@pytest.fixture(scope="module")
def concentrations():
    from influence_kit.concentration import concentration

    rng = np.random.default_rng(0)
    return [
        concentration(rng.lognormal(0, s, 2000), shares=[0.8], reps=50, seed=1, label=name)
        for s, name in ((1.0, "ego-Facebook friends"), (2.0, "Stack Exchange (scifi) upvotes"))
    ]


def _ax_figure(ax) -> Figure:
    return ax.figure


def _headline(scenario_name: str) -> Callable[..., Figure]:
    def build(**_: object) -> Figure:
        from influence_kit import account, load_scenario
        from influence_kit.plots.accounting import impressions_by_channel

        return _ax_figure(impressions_by_channel(account(load_scenario(scenario_name))))

    return build


def _sweep(scenario, post_type=None, **_: object) -> Figure:
    from influence_kit import sensitivity
    from influence_kit.plots.sensitivity import plot_sweep

    low, high = sensitivity.readers_range(scenario)
    sweep = sensitivity.sweep_readers_per_post(
        scenario, low=low, high=high, num=21, post_type=post_type
    )
    marks = None if post_type else sensitivity.breakevens(scenario, [1e12], [0.5])
    return _ax_figure(plot_sweep(sweep, marks))


def _sensitivity(kind: str) -> Callable[..., Figure]:
    def build(scenario, **_: object) -> Figure:
        from influence_kit import sensitivity
        from influence_kit.plots import sensitivity as ps

        if kind == "tornado":
            return _ax_figure(ps.plot_tornado(sensitivity.tornado(scenario)))
        if kind == "spider":
            return _ax_figure(ps.plot_spider(sensitivity.spider(scenario)))
        if kind == "monte_carlo":
            result = sensitivity.monte_carlo(scenario, 4000, seed=1, thresholds=(5e11,))
            return _ax_figure(ps.plot_monte_carlo(result))
        return _ax_figure(ps.plot_sobol(sensitivity.sobol(scenario, 128, seed=1)))

    return build


def _threshold(scenario, people, **_: object) -> Figure:
    from influence_kit.plots.sensitivity import plot_threshold_sweep
    from influence_kit.sensitivity import threshold_sweep

    with _quiet():
        result = threshold_sweep(people, scenario=scenario)
    return _ax_figure(plot_threshold_sweep(result, mark=0.8))


def _readers_segments(scenario, people, **_: object) -> Figure:
    from influence_kit.plots.sensitivity import plot_readers_segments
    from influence_kit.sensitivity import segment_readers_sweep

    return _ax_figure(plot_readers_segments(segment_readers_sweep(people, scenario)))


def _calibration(scenario, **_: object) -> Figure:
    from influence_kit.concentration import calibrate_to_headline
    from influence_kit.plots.concentration import calibration_curves
    from influence_kit.segments import published_headline

    return _ax_figure(calibration_curves(calibrate_to_headline(*published_headline(scenario))))


def _segment_bounds(scenario, **_: object) -> Figure:
    from influence_kit.plots.concentration import segment_bounds
    from influence_kit.segments import segment_consistency_from_scenario

    return _ax_figure(segment_bounds(segment_consistency_from_scenario(scenario)))


def _lorenz(scenario, concentrations, **_: object) -> Figure:
    from influence_kit.plots.concentration import lorenz_curves
    from influence_kit.segments import published_headline

    fig, ax = plt.subplots(figsize=(7.0, 6.5))  # as report 06 draws it
    lorenz_curves(
        concentrations,
        ax=ax,
        headline=published_headline(scenario),
        title="Lorenz curves of real per-person data (95% bands)",
    )
    return fig


def _who(scenario, concentrations, **_: object) -> Figure:
    from influence_kit.plots.concentration import published_segments, who_makes_what

    reference = published_segments(scenario)
    return _ax_figure(who_makes_what(concentrations, share=0.8, reference=reference))


def _ccdf(fit_report, **_: object) -> Figure:
    from influence_kit.plots.fitting import ccdf_with_fits

    return _ax_figure(ccdf_with_fits(fit_report, xlabel="value (synthetic panel)"))


def _diagnostics(fit_report, **_: object) -> Figure:
    from influence_kit.plots.fitting import fit_diagnostics

    return fit_diagnostics(fit_report, xlabel="value")


def _pyramid_and_overlap(segmentation, **_: object) -> Figure:
    from influence_kit.plots.segments import connector_maven_overlap, segment_pyramid

    # as report 04 draws them: side by side on a 14-inch figure
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5), layout="constrained")
    segment_pyramid(segmentation, ax=axes[0], title="Synthetic US online adults, 2009")
    connector_maven_overlap(segmentation, ax=axes[1])
    return fig


def _pyramid(segmentation, **_: object) -> Figure:
    from influence_kit.plots.segments import segment_pyramid

    return _ax_figure(segment_pyramid(segmentation))


def _overlap(segmentation, **_: object) -> Figure:
    from influence_kit.plots.segments import connector_maven_overlap

    return _ax_figure(connector_maven_overlap(segmentation))


def _ladder(segmentation, **_: object) -> Figure:
    from influence_kit.plots.segments import technographics_ladder
    from influence_kit.population import technographics_profile

    return _ax_figure(
        technographics_ladder(
            segmentation,
            reference=technographics_profile(),
            title="Technographics ladder: synthetic vs published 2009Q4",
        )
    )


def _comparison(segmentation, **_: object) -> Figure:
    from influence_kit.plots.segments import segment_comparison

    results = {
        "synthetic (Forrester 2009)": segmentation,
        "wiki-Vote": segmentation,
        "Stack Exchange": segmentation,
    }
    return _ax_figure(segment_comparison(results))


def _readers_ccdf(**_: object) -> Figure:
    from influence_kit.plots.audience import readers_ccdf

    rng = np.random.default_rng(2)
    dists = {
        name: SimpleNamespace(readers=np.floor(rng.pareto(1.3, 3000) * k))
        for name, k in (("ego-Facebook", 40), ("Twitter (directed)", 100), ("Barabasi-Albert", 20))
    }
    return _ax_figure(readers_ccdf(dists, stated=150))


def _headline_by_readers(**_: object) -> Figure:
    from influence_kit.plots.audience import headline_by_readers

    table = pd.DataFrame(
        {"readers_per_post": [150.0, 38.0, 410.0, 12.0], "total": [5.0e11, 3.2e11, 7.6e11, 2.7e11]},
        index=["stated", "simulated on ego-Facebook", "simulated on Twitter", "derived"],
    )
    return _ax_figure(headline_by_readers(SimpleNamespace(claim=5e11, table=table)))


#: Chart name -> (the plotting functions it draws, how to build it).
CHARTS: dict[str, tuple[tuple[str, ...], Callable[..., Figure]]] = {
    "headline": (("impressions_by_channel",), _headline("forrester-us-2009")),
    "headline western-europe-2010": (("impressions_by_channel",), _headline("western-europe-2010")),
    "headline audience-us-2009": (("impressions_by_channel",), _headline("audience-us-2009")),
    "sweep": (("plot_sweep",), _sweep),
    "sweep of one post type": (("plot_sweep",), lambda **kw: _sweep(post_type="reviews", **kw)),
    "tornado": (("plot_tornado",), _sensitivity("tornado")),
    "spider": (("plot_spider",), _sensitivity("spider")),
    "monte carlo": (("plot_monte_carlo",), _sensitivity("monte_carlo")),
    "sobol": (("plot_sobol",), _sensitivity("sobol")),
    "threshold sweep": (("plot_threshold_sweep",), _threshold),
    "readers segments": (("plot_readers_segments",), _readers_segments),
    "calibration": (("calibration_curves",), _calibration),
    "segment bounds": (("segment_bounds",), _segment_bounds),
    "lorenz": (("lorenz_curves",), _lorenz),
    "who makes what": (("who_makes_what",), _who),
    "ccdf": (("ccdf_with_fits",), _ccdf),
    "fit diagnostics": (("fit_diagnostics",), _diagnostics),
    "pyramid": (("segment_pyramid",), _pyramid),
    "overlap": (("connector_maven_overlap",), _overlap),
    "pyramid beside overlap (report 04)": (
        ("segment_pyramid", "connector_maven_overlap"),
        _pyramid_and_overlap,
    ),
    "ladder": (("technographics_ladder",), _ladder),
    "segment comparison": (("segment_comparison",), _comparison),
    "readers ccdf": (("readers_ccdf",), _readers_ccdf),
    "headline by readers": (("headline_by_readers",), _headline_by_readers),
}


def _public_plot_functions() -> set[str]:
    names = set()
    for info in pkgutil.iter_modules(plots_package.__path__):
        module = importlib.import_module(f"{plots_package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not name.startswith("_")
                and name not in NOT_CHARTS
            ):
                names.add(name)
    return names


def test_every_plotting_function_is_checked():
    drawn = {name for functions, _ in CHARTS.values() for name in functions}
    assert _public_plot_functions() <= drawn, _public_plot_functions() - drawn


# --- what is measured ---------------------------------------------------------------------


def drawn_texts(fig: Figure) -> list[Text]:
    """Draw ``fig`` and return every text matplotlib actually drew (non-empty, visible)."""
    drawn: list[Text] = []
    original = Text.draw

    def record(self, renderer):
        drawn.append(self)
        return original(self, renderer)

    Text.draw = record  # type: ignore[method-assign]  # recorded for this draw only
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original  # type: ignore[method-assign]  # restored
    return [t for t in drawn if t.get_visible() and t.get_text().strip()]


def displayed_px_per_pt(fig: Figure) -> float:
    """CSS pixels per point of the chart as shown in the report column."""
    width_pt = fig.get_tightbbox(fig.canvas.get_renderer()).width * 72
    return min(4 / 3, COLUMN_PX / width_pt)


def _overlap(a: Bbox, b: Bbox) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > SLACK and height > SLACK


def _inside(inner: Bbox, outer: Bbox) -> bool:
    return (
        inner.x0 >= outer.x0 - SLACK
        and inner.y0 >= outer.y0 - SLACK
        and inner.x1 <= outer.x1 + SLACK
        and inner.y1 <= outer.y1 + SLACK
    )


def _label(text: Text) -> str:
    return repr(text.get_text()[:40])


def problems(fig: Figure) -> list[str]:
    """Everything that makes ``fig`` hard to read, in words (empty: none)."""
    texts = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    scale = displayed_px_per_pt(fig)
    found = []
    # A figure with a layout engine keeps its text inside; the notebooks' own figures
    # without one are saved with bbox_inches="tight" (setup_notebook), which grows to fit.
    laid_out = fig.get_layout_engine() is not None
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    for text, box in boxes:
        px = text.get_fontsize() * scale
        if px < MIN_PX:
            found.append(f"{_label(text)} is {px:.1f} px on the page")
        if laid_out and not _inside(box, fig.bbox):
            found.append(f"{_label(text)} runs off the figure")
        clip = text.get_clip_box()
        if text.get_clip_on() and clip is not None and not _inside(box, clip):
            found.append(f"{_label(text)} is clipped by its axes")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if _overlap(box_a, box_b):
                found.append(f"{_label(a)} overlaps {_label(b)}")
    for ax in fig.axes:
        found += _labels_on_marks(ax, renderer)
        found += _legends_on_data(ax, renderer)
    return found


def _bars(ax) -> list[Bbox]:
    """Bars in data coordinates (a band across the axes, ``axvspan``, is not one)."""
    return [
        p.get_window_extent()
        for p in ax.patches
        if isinstance(p, Rectangle)
        and p.get_visible()
        and p.get_width()
        and p.get_height()
        and _in_data_coordinates(p)
    ]


def _segments(ax) -> list[Bbox]:
    """Error bars and interval lines (the line collections of the axes), one box each."""
    boxes = []
    for collection in ax.collections:
        if not isinstance(collection, LineCollection):
            continue
        transform = collection.get_transform()
        for segment in collection.get_segments():
            points = transform.transform(np.asarray(segment))
            boxes.append(Bbox([points.min(axis=0), points.max(axis=0)]))
    return boxes


def _labels_on_marks(ax, renderer) -> list[str]:
    """A value label is inside one bar (a segment's name) or clear of bars and whiskers."""
    found = []
    bars = _bars(ax)
    whiskers = _segments(ax)
    for text in ax.texts:
        if not (text.get_visible() and text.get_text().strip()):
            continue
        box = text.get_window_extent(renderer)
        if any(_inside(box, bar) for bar in bars):
            continue
        if any(_overlap(box, bar) for bar in bars):
            found.append(f"{_label(text)} partly covers a bar")
        if any(_overlap(box, whisker) for whisker in whiskers):
            found.append(f"{_label(text)} is crossed by an error bar")
    return found


def _legends_on_data(ax, renderer) -> list[str]:
    """No legend covers a bar or a data point (lines spanning the axes are not data)."""
    found = []
    for legend in [a for a in ax.get_children() if isinstance(a, Legend)]:
        box = legend.get_window_extent(renderer)
        if any(_overlap(box, bar) for bar in _bars(ax)):
            found.append("a legend covers a bar")
        for line in ax.get_lines():
            xy = np.asarray(line.get_xydata(), dtype=float)
            if not line.get_visible() or xy.size == 0 or not _is_data(line):
                continue
            points = line.get_transform().transform(xy)
            inside = (
                (points[:, 0] > box.x0)
                & (points[:, 0] < box.x1)
                & (points[:, 1] > box.y0)
                & (points[:, 1] < box.y1)
            )
            if inside.any():
                found.append(f"a legend covers data of {line.get_label()!r}")
    return found


def _is_data(line: Line2D) -> bool:
    """A line of data points (not an axvline or axhline drawn across the axes)."""
    return _in_data_coordinates(line)


def _in_data_coordinates(artist) -> bool:
    """Whether ``artist`` is placed in its axes' data coordinates on both axes."""
    axes = artist.axes
    return artist.get_transform().contains_branch(axes.transData) if axes else True


# --- the checks -----------------------------------------------------------------------------


@pytest.mark.parametrize("chart", list(CHARTS))
def test_chart_is_readable(chart, request):
    _, build = CHARTS[chart]
    wanted = inspect.signature(build).parameters
    inputs = {
        name: request.getfixturevalue(name)
        for name in ("scenario", "people", "segmentation", "fit_report", "concentrations")
        if name in wanted or any(p.kind is p.VAR_KEYWORD for p in wanted.values())
    }
    fig = build(**inputs)
    try:
        assert problems(fig) == []
    finally:
        plt.close(fig)


def test_the_checks_catch_small_overlapping_and_clipped_text():
    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    try:
        ax.bar([0, 1], [1, 2])
        ax.text(0.5, 0.5, "tiny", fontsize=6)
        ax.text(0.5, 0.5, "on top", fontsize=11)
        ax.text(1.0, 2.2, "clipped", fontsize=11, clip_on=True)
        ax.text(0.1, 1.0, "half on a bar", fontsize=11)
        off = ax.annotate("off", (1.0, 1.0), xytext=(0, 300), textcoords="offset points")
        off.set_in_layout(False)
        ax.legend(["bars"], loc="center")
        ax.set_ylim(0, 2.1)
        found = "\n".join(problems(fig))
        assert "'tiny' is 8.0 px" in found
        assert "'tiny' overlaps 'on top'" in found
        assert "'clipped' is clipped by its axes" in found
        assert "'half on a bar' partly covers a bar" in found
        assert "a legend covers a bar" in found
        assert "'off' runs off the figure" in found
    finally:
        plt.close(fig)
