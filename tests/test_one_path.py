"""One override path: the CLI, render, explore() and the widgets resolve the same scenario.

An override typed as text (``--set readers_per_post=300``, or ``300`` in the explorer's
field) is parsed once, by :mod:`influence_kit.parsing`, and applied once, by
:meth:`~influence_kit.scenarios.Scenario.with_overrides`; every path then holds the same
resolved scenario, named by the same digest. An override of a figure the audience model
derives is refused on every path that takes overrides, unless the same override set takes
it out of ``audience_model.derive``; the explorer, where a person types into the figure,
does that and says the figure is now assumed.
"""

from __future__ import annotations

import json

import pytest
from cli_runner import run_cli

from influence_kit.errors import ScenarioError
from influence_kit.explorer import explore
from influence_kit.explorer.widgets import build_explorer
from influence_kit.population import load_panel
from influence_kit.render import render_reports
from influence_kit.scenarios import load_scenario

NOTEBOOK = "01-headline-impressions"


@pytest.fixture(scope="module")
def panel():
    return load_panel()


def _cli_digest(*argv: str) -> str:
    result = run_cli("account", *argv, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["scenario_digest"]


def _widget_state(scenario: str, panel, field: str, text: str):
    explorer = build_explorer([scenario], panel, draws=100, seed=1)
    explorer.controls[field].value = text
    assert not explorer.errors, explorer.errors
    return explorer.state


def _render_digest(tmp_path, root, scenario: str, overrides) -> str:
    out = tmp_path / "site"
    result = render_reports(
        [scenario], [NOTEBOOK], out, notebook_dir=root / "notebooks", overrides=overrides
    )
    assert result.ok, result.summary()
    (folder,) = [run.scenario for run in result.runs]
    summary = json.loads((out / folder / "summary.json").read_text())
    assert summary["overrides"] == {key: float(v) for key, v in overrides.items()}
    return summary["scenario_digest"]


@pytest.mark.slow
def test_one_override_gives_one_resolved_scenario_on_every_path(tmp_path, root, panel):
    expected = load_scenario("forrester-us-2009", {"readers_per_post": 300}).digest()
    cli = _cli_digest("--scenario", "forrester-us-2009", "--set", "readers_per_post=300")
    rendered = _render_digest(tmp_path, root, "forrester-us-2009", {"readers_per_post": 300})
    explored = explore("forrester-us-2009", overrides={"readers_per_post": 300}, panel=panel)
    widget = _widget_state("forrester-us-2009", panel, "readers_per_post", "300")
    assert cli == rendered == explored.scenario.digest() == widget.scenario.digest() == expected
    # the forms the one parser accepts all give the same scenario
    for text in ("300.0", "3e2", "3_00"):
        assert (
            _cli_digest("--scenario", "forrester-us-2009", "--set", f"readers_per_post={text}")
            == expected
        )
        assert (
            _widget_state("forrester-us-2009", panel, "readers_per_post", text).scenario.digest()
            == expected
        )


def test_an_override_of_a_derived_figure_behaves_the_same_on_every_path(tmp_path, root, panel):
    alone = {"readers_per_post": 300}
    result = run_cli("account", "--scenario", "audience-us-2009", "--set", "readers_per_post=300")
    assert result.returncode == 2
    assert "derived by the audience model" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(ScenarioError, match="derived by the audience model"):
        render_reports(["audience-us-2009"], [NOTEBOOK], tmp_path / "o", overrides=alone)
    assert not (tmp_path / "o").exists()
    with pytest.raises(ScenarioError, match="derived by the audience model"):
        explore("audience-us-2009", overrides=alone, panel=panel)
    # taken out of the derivation in the same override set, it is accepted everywhere
    both = ["readers_per_post=300", "audience_model.derive=[network_impressions]"]
    expected = load_scenario(
        "audience-us-2009",
        {"readers_per_post": 300, "audience_model.derive": ["network_impressions"]},
    ).digest()
    argv = [item for pair in (("--set", text) for text in both) for item in pair]
    assert _cli_digest("--scenario", "audience-us-2009", *argv) == expected
    explored = explore(
        "audience-us-2009",
        overrides={"readers_per_post": 300, "audience_model.derive": ["network_impressions"]},
        panel=panel,
    )
    assert explored.scenario.digest() == expected
    # typed into the explorer's field, the figure becomes assumed, and the page says so
    widget = _widget_state("audience-us-2009", panel, "readers_per_post", "300")
    assert widget.scenario.digest() == expected
    assert any("readers per post is now assumed (300)" in note for note in widget.notes)
    assert widget.account.readers_per_post == pytest.approx(300)
