"""Notebook display helpers: stable number formatting, parameters table, summary files."""

from __future__ import annotations

import json

import pytest

from influence_kit.formatting import format_number
from influence_kit.render.notebook_support import parameters_table, save_summary


def test_format_number_is_stable():
    assert format_number(-0.0) == "0"
    assert format_number(0.0) == "0"
    assert format_number(502e9) == "5.02e+11"
    assert format_number(1234.5678) == "1,235"
    assert format_number(0.123456) == "0.1235"
    assert format_number(None) == ""


def test_parameters_table_and_summary(tmp_path):
    from influence_kit.results import key_figures
    from influence_kit.scenarios import load_scenario

    variant = load_scenario("forrester-us-2009", {"readers_per_post": 300})
    table = parameters_table(scenario=variant, seed=3)
    assert table.loc["seed", "value"] == "3"
    assert table.loc["scenario", "value"] == "forrester-us-2009"
    assert table.loc["overrides", "value"] == "readers_per_post = 300"
    assert table.loc["scenario digest", "value"] == variant.digest()[:12]
    base = parameters_table(scenario=load_scenario("forrester-us-2009"), seed=3)
    assert base.loc["overrides", "value"] == "none"
    assert "toolkit version" in table.index
    path = tmp_path / "s.json"
    figures = key_figures(("b", "bee", 2.0, "number"), ("a", "ay", float("nan"), "share"))
    data = save_summary(str(path), figures)
    assert data["figures"] == {
        "b": {"value": 2.0, "label": "bee", "unit": "number", "kind": "estimate"},
        "a": {"value": None, "label": "ay", "unit": "share", "kind": "estimate"},
    }
    assert data["conclusion"] is None
    assert list(json.loads(path.read_text())["figures"]) == ["b", "a"]  # author's order kept
    assert save_summary("", figures) == data
    with pytest.raises(TypeError, match="takes KeyFigures"):
        save_summary("", {"x": 1})
