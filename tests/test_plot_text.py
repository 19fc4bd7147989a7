"""Text from scenarios reaches charts literally: a ``$`` in a name is no mathtext.

A network, post type or scenario name with two ``$`` (``a$^$b``, accepted by ``account``)
used to reach matplotlib's mathtext: drawing the figure failed (ValueError), and a
name like ``cost $5 and $6`` was shown as math. The charts now escape such text with
:func:`influence_kit.plots.literal`. Every plotting function of :mod:`influence_kit.plots`
is drawn below with such a name where data, a scenario or a user gives it one.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from influence_kit.plots import literal

matplotlib.use("Agg")


def test_literal_escapes_every_dollar():
    assert literal("us$ 5$ ads") == r"us\$ 5\$ ads"
    assert literal("no dollars") == "no dollars"
    assert literal(3) == "3"


def test_unescaped_dollar_fails_and_literal_draws_as_typed():
    fig, ax = plt.subplots()
    try:
        ax.set_title("a$^$b")
        with pytest.raises(ValueError):
            fig.canvas.draw()
        title = ax.set_title(literal("a$^$b"))
        fig.canvas.draw()
        assert title.get_text() == r"a\$^\$b"
    finally:
        plt.close(fig)


@pytest.fixture(scope="module")
def dollar_scenario(tmp_path_factory, default_scenario_path):
    text = default_scenario_path.read_text()
    text = text.replace("name: forrester-us-2009", "name: us$^$2009", 1)
    text = text.replace("  facebook:", "  face$^$book:", 1)
    text = text.replace("  reviews:", "  re$^$views:", 1)
    assert text.count("$^$") == 3
    path = tmp_path_factory.mktemp("dollar") / "dollar.yaml"
    path.write_text(text)
    return path


def test_account_chart_draws_dollar_names(dollar_scenario):
    from influence_kit import account, load_scenario
    from influence_kit.plots.accounting import impressions_by_channel

    result = account(load_scenario(dollar_scenario))
    ax = impressions_by_channel(result)
    try:
        ax.figure.canvas.draw()
        # every part is named in the legends beside the bars (and inside a bar if it fits)
        texts = [t.get_text() for t in ax.figure.findobj(Text)]
        assert any(r"face\$^\$book" in t for t in texts), texts
        assert any(r"re\$^\$views" in t for t in texts), texts
        assert r"us\$^\$2009" in ax.get_title()
    finally:
        plt.close(ax.figure)


def test_explorer_figure_draws_dollar_names(dollar_scenario):
    from influence_kit.explorer import explore
    from influence_kit.explorer.figure import explore_figure

    fig = explore_figure(explore(dollar_scenario))
    try:
        fig.canvas.draw()
        assert fig.get_suptitle().startswith(r"us\$^\$2009: ")
    finally:
        plt.close(fig)


# Every plotting function, drawn with a name from data, a scenario or a user typed
# ``a$^$b``: unescaped, that name makes ``fig.canvas.draw()`` fail (see above), so a
# chart that draws and carries the escaped form shows the name as typed.

NAME = "a$^$b"
SHOWN = r"a\$^\$b"


def _texts(fig):
    """Every string the figure draws: titles, labels, tick labels, legend entries, notes.

    Matplotlib's own log-scale tick labels (``$\\mathdefault{10^{1}}$``) are mathtext
    on purpose and left out.
    """
    texts = (t.get_text() for t in fig.findobj(Text))
    return [t for t in texts if t and not re.fullmatch(r"\$\\mathdefault\{.*\}\$", t)]


def _draws_literally(ax_or_fig, *expected):
    """Draw on Agg; every ``$`` is escaped and each expected text is shown as typed."""
    fig = ax_or_fig if isinstance(ax_or_fig, Figure) else ax_or_fig.figure
    try:
        fig.canvas.draw()
        texts = _texts(fig)
        bare = [t for t in texts if t.replace(r"\$", "").count("$")]
        assert not bare, bare
        for part in expected:
            assert any(part in t for t in texts), (part, texts)
    finally:
        plt.close(fig)


@pytest.fixture(scope="module")
def dollar(dollar_scenario):
    from influence_kit import load_scenario

    return load_scenario(dollar_scenario)


# --- sensitivity ----------------------------------------------------------------------


def test_sweep_draws_dollar_scenario_and_post_type(dollar):
    from influence_kit.plots.sensitivity import plot_sweep
    from influence_kit.sensitivity import breakevens, sweep_readers_per_post

    sweep = sweep_readers_per_post(dollar, num=11, post_type="re$^$views")
    marks = breakevens(dollar, [1e12], post_type="re$^$views")
    ax = plot_sweep(sweep, marks)
    assert r"re\$^\$views" in ax.get_xlabel()
    _draws_literally(ax, r"us\$^\$2009", r"re\$^\$views")


@pytest.mark.parametrize("kind", ["tornado", "spider", "monte_carlo", "sobol"])
def test_sensitivity_charts_draw_dollar_scenario(dollar, kind):
    from influence_kit import sensitivity
    from influence_kit.plots import sensitivity as ps

    make = {
        "tornado": lambda: ps.plot_tornado(sensitivity.tornado(dollar)),
        "spider": lambda: ps.plot_spider(sensitivity.spider(dollar)),
        "monte_carlo": lambda: ps.plot_monte_carlo(sensitivity.monte_carlo(dollar, 2000, seed=1)),
        "sobol": lambda: ps.plot_sobol(sensitivity.sobol(dollar, 64, seed=1)),
    }
    ax = make[kind]()
    assert ax.get_title().endswith(r"us\$^\$2009")
    _draws_literally(ax, r"us\$^\$2009")


def test_tornado_draws_dollar_input_and_output_names():
    from influence_kit.plots.sensitivity import plot_tornado

    bar = SimpleNamespace(
        input=f"readers_per_post_by_type.{NAME}", low=1.0, high=2.0, output_low=1.0, output_high=3.0
    )
    bar.swing = 2.0
    result = SimpleNamespace(scenario_name=NAME, output=f"out{NAME}", base_output=2.0, bars=(bar,))
    ax = plot_tornado(result)
    assert ax.get_yticklabels()[0].get_text() == rf"readers per post: {SHOWN}"
    _draws_literally(ax, rf"out{SHOWN}", rf"readers per post: {SHOWN}")


def test_readers_segments_draws_dollar_scenario():
    from influence_kit.plots.sensitivity import plot_readers_segments

    x = np.array([0.0, 10.0, 100.0])
    shares = {k: np.array([0.2, 0.3, 0.4]) for k in ("mass_influencers", "mass_connectors")}
    shares["mass_mavens"] = np.array([0.1, 0.2, 0.3])
    result = SimpleNamespace(
        scenario_name=NAME,
        readers=x,
        share_of_total=shares,
        share_at_zero_readers={"mass_influencers": 0.2},
        share_at_infinite_readers={"mass_influencers": 0.5},
        concentration_share=0.8,
        top_fraction_total=np.array([0.1, 0.15, 0.2]),
        readers_low=5.0,
        readers_high=50.0,
        base_readers=10.0,
    )
    _draws_literally(plot_readers_segments(result), SHOWN)


# --- concentration --------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled_concentration():
    from influence_kit.concentration import concentration

    values = np.random.default_rng(0).lognormal(0, 1, 500)
    return concentration(values, shares=[0.8], reps=50, seed=1, label=NAME)


def test_lorenz_curves_draw_dollar_label_headline_and_title(labelled_concentration):
    from influence_kit.plots.concentration import lorenz_curves

    ax = lorenz_curves(
        labelled_concentration,
        headline=(0.16, 0.8),
        headline_label=f"headline {NAME}",
        title=f"Lorenz curve: {NAME}",
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[1].startswith(f"{SHOWN} (Gini ") and legend[2] == f"headline {SHOWN}"
    assert ax.get_title() == f"Lorenz curve: {SHOWN}"
    _draws_literally(ax, SHOWN)


def test_who_makes_what_draws_dollar_label_and_scenario_keys(labelled_concentration, dollar):
    from influence_kit.plots.concentration import published_segments, who_makes_what

    reference = published_segments(dollar)
    # the keys stay as typed (they are data); the chart escapes them when it draws
    assert all(key.startswith("us$^$2009: ") for key in reference)
    ax = who_makes_what(
        labelled_concentration, share=0.8, reference=reference, title=f"Who: {NAME}"
    )
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == r"us\$^\$2009: Mass Connectors (network impressions)"
    assert ticks[-1] == SHOWN
    assert ax.get_title() == f"Who: {SHOWN}"
    _draws_literally(ax, SHOWN, r"us\$^\$2009")


def test_calibration_curves_and_segment_bounds_draw_dollar_names():
    from influence_kit.plots.concentration import calibration_curves, segment_bounds

    top = np.geomspace(1e-3, 1.0, 20)
    fam = SimpleNamespace(family=f"fam {NAME}", parameters={NAME: 1.5}, top_1pct_share=0.3)
    calib = SimpleNamespace(
        families=(fam,),
        curve_top=top,
        curves={fam.family: np.sqrt(top)},
        top=0.16,
        share=0.8,
    )
    _draws_literally(calibration_curves(calib), rf"fam {SHOWN} ({SHOWN} = 1.5")

    table = pd.DataFrame({"total": [0.85, 0.9]}, index=[NAME, "other"])
    bounds = SimpleNamespace(
        summary=lambda: table, lower=0.85, headline_share=0.8, influencers_share=0.16
    )
    ax = segment_bounds(bounds)
    assert ax.get_yticklabels()[0].get_text() == SHOWN
    _draws_literally(ax, SHOWN)


# --- fitting --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fit_report():
    from influence_kit.distributions import PowerLaw
    from influence_kit.fitting import fit_all

    x = PowerLaw(2.0, True).sample(500, [2.4], np.random.default_rng(5))
    return fit_all(x, discrete=True, gof_replicates=0, seed=1, n_jobs=1)


def test_ccdf_and_diagnostics_draw_dollar_data_names(fit_report):
    from influence_kit.plots.fitting import ccdf_with_fits, fit_diagnostics

    ax = ccdf_with_fits(fit_report, title=f"CCDF: {NAME}", xlabel=f"value ({NAME})")
    assert ax.get_title() == f"CCDF: {SHOWN}" and ax.get_xlabel() == f"value ({SHOWN})"
    _draws_literally(ax, SHOWN)
    fig = fit_diagnostics(fit_report, xlabel=NAME)
    assert fig.axes[0].get_xlabel() == SHOWN
    _draws_literally(fig, SHOWN)


# --- segments -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def segmentation(dollar):
    from influence_kit.segments import segment_people

    rng = np.random.default_rng(0)
    n = 300
    table = pd.DataFrame(
        {
            "network_impressions": rng.pareto(1.2, n) * 10,
            "influence_posts": rng.pareto(1.4, n),
            "audience": rng.pareto(1.5, n) * 100,
            **{f: rng.random(n) < 0.4 for f in ("creator", "critic", "joiner", "spectator")},
            **{f: rng.random(n) < 0.2 for f in ("conversationalist", "collector")},
        }
    )
    return segment_people(table, dollar, n_boot=0, broadcaster_min_audience=3_000)


@pytest.mark.parametrize(
    "name", ["segment_pyramid", "connector_maven_overlap", "technographics_ladder"]
)
def test_segment_charts_draw_dollar_titles(segmentation, name):
    from influence_kit.plots import segments

    ax = getattr(segments, name)(segmentation, title=f"{NAME} users")
    assert ax.get_title() == f"{SHOWN} users"
    _draws_literally(ax, SHOWN)


def test_segment_comparison_draws_dollar_data_set_names(segmentation):
    from influence_kit.plots.segments import segment_comparison

    ax = segment_comparison({NAME: segmentation, "plain": segmentation}, title=f"by {NAME}")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [SHOWN, "plain"] and ax.get_title() == f"by {SHOWN}"
    _draws_literally(ax, SHOWN)


# --- audience -------------------------------------------------------------------------


def test_audience_charts_draw_dollar_audience_names():
    from influence_kit.plots.audience import headline_by_readers, readers_ccdf

    readers = SimpleNamespace(readers=np.array([0, 1, 2, 2, 5, 40]))
    ax = readers_ccdf({NAME: readers, "plain": readers}, stated=150)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [SHOWN, "plain", "stated: 150 readers per post"]
    _draws_literally(ax, SHOWN)

    table = pd.DataFrame(
        {"readers_per_post": [150.0, 12.0], "total": [5e11, 2e11]},
        index=["stated", f"simulated on {NAME}"],
    )
    ax = headline_by_readers(SimpleNamespace(claim=5e11, table=table))
    assert f"simulated on {SHOWN}" in [t.get_text() for t in ax.get_yticklabels()]
    _draws_literally(ax, f"simulated on {SHOWN}")
