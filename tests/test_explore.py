"""The explorer: explore() agrees with the tested analyses; the widgets' callbacks update it."""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest

from influence_kit import account, load_scenario
from influence_kit.accounting import effective_inputs
from influence_kit.errors import ParameterError, ScenarioError
from influence_kit.explorer import ExploreState, explore, explored_overrides
from influence_kit.formatting import UNITS
from influence_kit.parsing import parse_overrides
from influence_kit.population import load_panel
from influence_kit.results import dumps
from influence_kit.segments import segment_people
from influence_kit.sensitivity.breakeven import breakevens

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def panel():
    return load_panel()


@pytest.fixture(scope="module")
def default_state(default_scenario_path, panel):
    return explore(default_scenario_path, panel=panel)


@pytest.fixture(scope="module")
def state_300(default_scenario_path, panel):
    return explore(default_scenario_path, readers_per_post=300, panel=panel)


def test_readers_override_agrees_with_account(default_scenario_path, state_300):
    assert isinstance(state_300, ExploreState)
    assert state_300.account.total_impressions == pytest.approx(256e9 + 1.64e9 * 300)
    expected = account(load_scenario(default_scenario_path, {"readers_per_post": 300}))
    assert state_300.account.to_dict() == expected.to_dict()


def test_channel_totals_agree_with_account(default_scenario_path, panel):
    state = explore(
        default_scenario_path, network_impressions=100e9, influence_posts=2e9, panel=panel
    )
    expected = account(
        load_scenario(
            default_scenario_path,
            {"network_impressions": 100000000000.0, "influence_posts": 2000000000.0},
        )
    )
    assert state.account.total_impressions == pytest.approx(100e9 + 2e9 * 150)
    assert state.account.to_dict() == expected.to_dict()


def test_breakevens_agree(default_scenario_path, state_300):
    scenario = load_scenario(default_scenario_path, {"readers_per_post": 300})
    expected = breakevens(scenario, (500e9, 1e12), (0.5,))
    assert state_300.breakevens.as_mapping() == expected.as_mapping()
    assert state_300.breakeven_readers_per_post == pytest.approx(256e9 / 1.64e9)


def test_segments_agree_with_segment_people(default_state, panel):
    direct = segment_people(panel, concentration_share=0.8, n_boot=0)
    seg = default_state.segmentation
    assert seg.mass_connectors_share == pytest.approx(0.062, abs=0.003)
    np.testing.assert_allclose(
        seg.segments["share_of_adults"], direct.segments["share_of_adults"], rtol=1e-9
    )
    # At the scenario's own inputs the rescaled panel is the panel itself.
    np.testing.assert_allclose(
        seg.segments["share_of_total_impressions"],
        direct.segments["share_of_total_impressions"],
        rtol=1e-6,
    )


def test_threshold_and_readers_move_the_segment_view(
    default_scenario_path, default_state, state_300, panel
):
    state_90 = explore(default_scenario_path, threshold=0.9, panel=panel)
    direct = segment_people(panel, concentration_share=0.9, n_boot=0)
    assert state_90.segmentation.mass_connectors_share == pytest.approx(
        direct.mass_connectors_share
    )
    assert (
        state_90.segmentation.mass_connectors_share
        > default_state.segmentation.mass_connectors_share
    )
    # Segment membership is scale-free; the Lorenz curve of the total is not.
    assert state_300.segmentation.mass_connectors_share == pytest.approx(
        default_state.segmentation.mass_connectors_share
    )
    assert state_300.lorenz.gini != pytest.approx(default_state.lorenz.gini, abs=1e-6)
    weighted_total = panel["weight"] @ (
        panel["network_impressions"] + panel["influence_posts"] * 300
    )
    assert weighted_total == pytest.approx(state_300.account.total_impressions, rel=1e-9)
    lorenz = state_300.lorenz
    assert lorenz.population_share[0] == 0 and lorenz.value_share[-1] == 1
    assert 0 < state_300.top_fraction_for_threshold < 1


def test_key_figures_and_presentation(default_state):
    figures = default_state.key_figures()
    assert figures["total_impressions"] == pytest.approx(502e9)
    assert figures["breakeven_readers_per_post"] == pytest.approx(156.1, abs=0.05)
    assert set(figures.values()) >= {
        "mass_connectors_share",
        "breakeven_1e12",
        "breakeven_share_0.5",
    }
    assert {f.unit for f in figures} <= set(UNITS)
    json.loads(dumps(default_state.to_dict()))
    table = default_state.summary()
    assert list(table.columns) == ["figure", "value", "shown"]
    shown = table.set_index("figure")["shown"]
    assert shown["total influence impressions per year"] == "502 billion"
    assert shown["share of advertiser impressions"] == "25.1%"
    assert shown["influence posts per year"] == "1.64 billion"
    assert shown["break-even readers, posts = network"] == "156"
    assert table["figure"].str.len().max() < 50
    assert "<table" in default_state._repr_html_()
    assert list(default_state.segment_table().columns) == [
        "share_of_adults",
        "share_of_total_impressions",
    ]


def test_figure_has_four_titled_panels(default_state):
    import matplotlib.pyplot as plt

    from influence_kit.explorer import explore_figure

    fig = explore_figure(default_state)
    try:
        assert len(fig.axes) == 4
        assert all(ax.get_title() for ax in fig.axes)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"readers_per_post": -1}, r"^readers_per_post must not be negative, got -1$"),
        ({"readers_per_post": float("nan")}, r"^readers_per_post must be a finite number, got nan"),
        ({"readers_per_post": True}, r"^readers_per_post must be a number, got True$"),
        ({"network_impressions": -5e9}, r"^network_impressions must not be negative, got "),
        ({"influence_posts": "many"}, r"^influence_posts must be a number, got 'many'$"),
        ({"threshold": 0.0}, r"^threshold must lie strictly between 0 and 1, got 0.0$"),
        ({"threshold": 1.0}, r"^threshold must lie strictly between 0 and 1, got 1.0$"),
        ({"threshold": 1.5}, r"^threshold must lie strictly between 0 and 1, got 1.5$"),
        ({"threshold": "0.8"}, r"^threshold must be a number, got '0.8'$"),
    ],
)
def test_bad_inputs_raise(default_scenario_path, panel, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        explore(default_scenario_path, panel=panel, **kwargs)


def test_bad_scenario_raises(default_scenario_path, panel, tmp_path):
    with pytest.raises(ScenarioError):
        explore(tmp_path / "missing.yaml", panel=panel)
    with pytest.raises(ScenarioError):
        explore(default_scenario_path, overrides={"nope": 1}, panel=panel)


def test_explored_inputs_are_overrides_on_the_one_path(default_scenario_path, panel):
    """explore(readers_per_post=v) is the override {"readers_per_post": v}: same scenario."""
    scenario = load_scenario(default_scenario_path)
    by_keyword = explore(scenario, readers_per_post=2000, panel=panel).scenario
    by_override = explore(scenario, overrides={"readers_per_post": 2000}, panel=panel).scenario
    cli_path = load_scenario(default_scenario_path, parse_overrides(["readers_per_post=2000"]))
    assert by_keyword.digest() == by_override.digest() == cli_path.digest()
    assert by_keyword.readers_per_post.range == pytest.approx((2000 / 3, 40000 / 3))
    assert by_keyword.notes == scenario.notes
    assert explore(scenario, panel=panel).scenario is scenario


def test_explorer_rule_for_derived_figures():
    """A value typed into a derived figure makes it assumed, with a note; the same
    override alone is refused on every other path."""
    base = load_scenario("audience-us-2009")
    overrides, notes = explored_overrides(base, readers_per_post=300)
    assert overrides == {"readers_per_post": 300, "audience_model.derive": ["network_impressions"]}
    assert "readers per post is now assumed (300)" in notes[0]
    same, none = explored_overrides(
        base, readers_per_post=effective_inputs(base)["readers_per_post"].base
    )
    assert same == {} and none == ()
    with pytest.raises(ScenarioError, match="derived by the audience model"):
        load_scenario("audience-us-2009", {"readers_per_post": 300})
    cli = load_scenario(
        "audience-us-2009",
        parse_overrides(["readers_per_post=300", "audience_model.derive=[network_impressions]"]),
    )
    assert base.with_overrides(overrides).digest() == cli.digest()


def test_explorer_callbacks_update_the_state(root, panel):
    pytest.importorskip("ipywidgets")
    from influence_kit.explorer.widgets import build_explorer, live_frontend

    assert live_frontend() is False  # no kernel here
    paths = sorted((root / "data" / "scenarios").glob("*.yaml"))
    explorer = build_explorer(
        paths, panel, initial=root / "data" / "scenarios" / "forrester-us-2009.yaml"
    )
    first = explorer.state
    assert first.account.total_impressions == pytest.approx(502e9)

    explorer.controls["readers_per_post"].value = "300"
    assert explorer.state is not first
    assert explorer.state.account.total_impressions == pytest.approx(256e9 + 1.64e9 * 300)

    explorer.controls["threshold"].value = 0.9
    assert explorer.state.threshold == pytest.approx(0.9)
    assert (
        explorer.state.segmentation.mass_connectors_share > first.segmentation.mass_connectors_share
    )

    explorer.controls["scenario"].value = "skeptic-us-2009"
    assert explorer.state.scenario_name == "skeptic-us-2009"
    assert explorer.controls["readers_per_post"].value == "50"
    assert explorer.state.account.total_impressions == pytest.approx(256e9 + 1.64e9 * 50)


def test_live_frontend_env_override(monkeypatch):
    from influence_kit.explorer.widgets import WIDGETS_ENV, live_frontend

    monkeypatch.setenv(WIDGETS_ENV, "1")
    assert live_frontend() is True
    monkeypatch.setenv(WIDGETS_ENV, "0")
    assert live_frontend() is False


def test_committed_notebook_has_no_widget_output(root):
    text = (root / "notebooks" / "00-explore.ipynb").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget" not in text
    assert '"widgets"' not in json.dumps(json.loads(text)["metadata"])


def test_rescaled_panel_is_the_accounting_model(default_scenario_path, panel):
    """Rescaled people carry person_impressions: per-type readers and the account's totals."""
    from influence_kit.accounting import person_impressions
    from influence_kit.explorer import rescaled_panel
    from influence_kit.scenarios import scenario_from_dict

    data = load_scenario(default_scenario_path, {"influence_posts": 2000000000.0}).model_dump(
        exclude_none=True
    )
    data["readers_per_post_by_type"] = {"reviews": 900.0}
    scenario = scenario_from_dict(data)
    people = rescaled_panel(panel, scenario)
    w = people["weight"].to_numpy()
    acc = account(scenario)
    assert w @ people["influence_posts"].to_numpy() == pytest.approx(2e9, rel=1e-9)
    assert w @ people["post_impressions"].to_numpy() == pytest.approx(acc.post_impressions)
    assert w @ people["total_impressions"].to_numpy() == pytest.approx(acc.total_impressions)
    expected = person_impressions(people, scenario)
    np.testing.assert_array_equal(people["post_impressions"], expected["post_impressions"])
    reviews = people["reviews"].to_numpy()
    others = people["influence_posts"].to_numpy() - reviews
    np.testing.assert_allclose(
        people["post_impressions"], 900.0 * reviews + 150.0 * others, rtol=1e-9, atol=1e-6
    )


def test_readers_curve_and_threshold_from_the_scenario(default_state, default_scenario_path):
    assert default_state.threshold == pytest.approx(0.8)
    curve = default_state.readers_curve
    assert list(curve.columns) == [
        "readers_per_post",
        "total_impressions",
        "network_impressions",
        "post_impressions",
    ]
    # the scenario's own range of readers per post, as the sweep and the tornado use
    assert (curve["readers_per_post"].iloc[0], curve["readers_per_post"].iloc[-1]) == (50, 1000)
    np.testing.assert_allclose(
        curve["total_impressions"], 256e9 + 1.64e9 * curve["readers_per_post"], rtol=1e-12
    )


def _overlapping_texts(fig):
    """Pairs of visible texts of one axes whose boxes overlap (Agg renderer)."""
    import itertools

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pairs = []
    for ax in fig.axes:
        texts = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
        for a, b in itertools.combinations(texts, 2):
            if a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer)):
                pairs.append((a.get_text(), b.get_text()))
    return pairs


@pytest.mark.parametrize("readers", [0, 50, 150, 300, 1000])
def test_explore_figure_labels_never_overlap(default_scenario_path, panel, readers):
    import matplotlib.pyplot as plt

    from influence_kit.explorer import explore_figure

    for scenario in (default_scenario_path, "western-europe-2010", "skeptic-us-2009"):
        fig = explore_figure(explore(scenario, readers_per_post=readers, panel=panel))
        assert _overlapping_texts(fig) == [], (scenario, readers)
        plt.close(fig)


def test_headline_bar_labels_fit_their_segments():
    import matplotlib.pyplot as plt

    from influence_kit.accounting import account
    from influence_kit.plots.accounting import impressions_by_channel

    for readers in (50, 150, 1000):
        ax = impressions_by_channel(
            account(load_scenario("forrester-us-2009", {"readers_per_post": readers}))
        )
        renderer = ax.figure.canvas.get_renderer()
        for text in ax.texts:
            if text.get_text().endswith(" bn"):
                continue  # the claim and each bar's total are written beside the bars
            box = text.get_window_extent(renderer)
            bars = [p.get_window_extent(renderer) for p in ax.patches]
            inside = [b for b in bars if b.x0 <= box.x0 and box.x1 <= b.x1 and b.contains(*box.p0)]
            assert inside, (readers, text.get_text())
        assert _overlapping_texts(ax.figure) == []
        plt.close(ax.figure)
