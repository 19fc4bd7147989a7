"""Notebook display helpers: stable number formatting, parameters table, summary files."""

from __future__ import annotations

import json

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
    table = parameters_table(scenario="/x/y/forrester-us-2009.yaml", overrides=[], seed=3)
    assert table.loc["scenario", "value"] == "forrester-us-2009.yaml"
    assert table.loc["overrides", "value"] == "(none)"
    assert "influence_kit version" in table.index
    path = tmp_path / "s.json"
    data = save_summary(str(path), {"b": 2.0, "a": float("nan")})
    assert data == {"b": 2.0, "a": None}
    assert list(json.loads(path.read_text())) == ["b", "a"]  # author's order kept
    assert save_summary("", {"x": 1}) == {"x": 1}
