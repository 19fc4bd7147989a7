"""Report tables (:func:`influence_kit.render.tables.report_table`): human headers, values
through :mod:`influence_kit.formatting`, no index column, percentages, a dash and a
footnote for a missing value, stable HTML."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from influence_kit.render.tables import DASH, human_header, report_table

COLUMNS = {
    "channel": ("Channel", "text"),
    "impressions": ("Impressions a year", "impressions"),
    "share_of_total": ("Share of total", "share"),
}


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "channel": ["network", "posts", "email"],
            "impressions": [2.56e11, 2.46e11, np.nan],
            "share_of_total": [0.51, 0.49, None],
        }
    )


def _cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", html)


def _headers(html: str) -> list[str]:
    return re.findall(r"<th[^>]*>(.*?)</th>", html)


def test_headers_in_words_and_no_index_column(frame):
    html = report_table(frame, COLUMNS).to_html()
    assert _headers(html) == ["Channel", "Impressions a year", "Share of total"]
    assert "row_heading" not in html and "index_name" not in html
    assert 'class="report-table"' in html
    assert not any(re.search(r"[a-z]_[a-z]", h) for h in _headers(html))


def test_values_through_formatting_and_percentages(frame):
    cells = _cells(report_table(frame, COLUMNS).to_html())
    assert cells[:6] == ["network", "256 billion", "51%", "posts", "246 billion", "49%"]
    assert not any(re.search(r"\de[+-]\d", c) for c in cells)


def test_missing_values_are_a_dash_with_a_footnote(frame):
    table = report_table(frame, COLUMNS, missing="email is not counted")
    html = table.to_html()
    assert "NaN" not in html and "None" not in html and "nan" not in html
    assert _cells(html)[6:] == ["email", DASH, DASH]
    assert f"A dash ({DASH}): email is not counted." in html
    assert "NaN" not in repr(table) and "email is not counted" in repr(table)


def test_footnote_per_column_only_where_a_dash_is_shown(frame):
    reasons = {"impressions": "not estimated", "channel": "never shown"}
    html = report_table(frame, COLUMNS, missing=reasons).to_html()
    assert "\u201cImpressions a year\u201d: not estimated" in html
    assert "never shown" not in html
    full = frame.dropna()
    assert "dash" not in report_table(full, COLUMNS).to_html()


def test_infinite_and_none_are_missing_too():
    frame = pd.DataFrame({"x": [np.inf, 1.5], "y": ["a", None]})
    html = report_table(frame).to_html()
    assert "inf" not in html and "None" not in html
    assert _cells(html) == [DASH, "a", "1.5", DASH]


def test_meaningful_index_becomes_the_first_column(frame):
    indexed = frame.set_index("channel")
    html = report_table(
        indexed,
        {"share_of_total": ("Share of total", "share")},
        index=("Channel", "text"),
    ).to_html()
    assert _headers(html) == ["Channel", "Share of total"]
    assert _cells(html)[:2] == ["network", "51%"]
    default = report_table(indexed).to_html()
    assert _headers(default)[0] == "Channel"


def test_default_headers_and_units_have_no_exponents():
    frame = pd.DataFrame({"total_impressions": [3.84e11], "p_value": [5e-05]})
    html = report_table(frame).to_html()
    assert _headers(html) == ["Total impressions", "P value"]
    assert _cells(html)[0] == "384 billion"


def test_series_and_digits():
    series = pd.Series([0.123456], name="gini")
    html = report_table(series, {"gini": ("Gini", "number", 2)}).to_html()
    assert _cells(html) == ["0.123"]


def test_text_is_escaped_and_html_is_stable(frame):
    frame.loc[0, "channel"] = "<script>x</script>"
    first = report_table(frame, COLUMNS, caption="A & B").to_html()
    assert "<script>" not in first and "&lt;script&gt;" in first and "A &amp; B" in first
    assert report_table(frame, COLUMNS, caption="A & B").to_html() == first


def test_bad_specs_are_refused(frame):
    with pytest.raises(KeyError, match="no column 'nope'"):
        report_table(frame, {"nope": ("Nope", "number")})
    with pytest.raises(ValueError, match="unknown unit 'furlongs'"):
        report_table(frame, {"impressions": ("Impressions", "furlongs")})
    with pytest.raises(ValueError, match="share a header"):
        report_table(frame, {"impressions": ("X", "impressions"), "share_of_total": ("X", "share")})


def test_human_header():
    assert human_header("share_of_total") == "Share of total"
    assert human_header("S1") == "S1"


def test_key_figure_table():
    from influence_kit.render.tables import key_figure_table
    from influence_kit.results import key_figures

    figures = key_figures(
        ("total", "total influence impressions", 502e9, "impressions"),
        ("share", "post share of total", 0.49, "share"),
        ("never", "break-even readers per post", None, "readers"),
        ("claim_met", "total reaches the claim", True, "text"),
    )
    html = key_figure_table(figures).to_html()
    assert _headers(html) == ["Figure", "Value"]
    assert _cells(html) == [
        "Total influence impressions",
        "502 billion",
        "Post share of total",
        "49%",
        "Break-even readers per post",
        DASH,
        "Total reaches the claim",
        "yes",
    ]
    assert "never reached" in html and "n/a" not in html


def test_numbers_and_p_values_never_in_exponent_form():
    from influence_kit.render.tables import P_VALUE

    frame = pd.DataFrame({"aic": [12725.08, -20348.7], "p": [6.7e-12, 0.0312], "x": [2.5e-5, 1.0]})
    html = report_table(
        frame, {"aic": ("AIC", "number"), "p": ("p", P_VALUE), "x": ("Rate", "number")}
    ).to_html()
    assert _cells(html) == ["12,725", "&lt; 0.0001", "0.00002500", "-20,349", "0.0312", "1"]


def test_concentration_table():
    from types import SimpleNamespace

    from influence_kit.render.tables import concentration_table

    summary = pd.DataFrame(
        {
            "estimate": [0.541, 0.0638, 0.401],
            "lower": [0.535, 0.055, np.nan],
            "upper": [0.552, 0.0748, np.nan],
            "interval": ["percentile"] * 3,
            "caution": ["heavy tail"] * 3,
        },
        index=pd.Index(["gini", "share of top 0.01", "fraction holding 0.8"], name="quantity"),
    )
    html = concentration_table(SimpleNamespace(summary=lambda: summary)).to_html()
    assert _headers(html) == ["Measure", "Estimate", "Lower", "Upper", "Interval"]
    cells = _cells(html)
    assert cells[:5] == ["Gini coefficient", "54.1%", "53.5%", "55.2%", "percentile"]
    assert cells[5] == "Share held by the top 1% of people"
    assert cells[10:14] == ["Smallest share of people holding 80%", "40.1%", DASH, DASH]
    assert "Caution: heavy tail." in html and "no interval for this measure" in html


def test_multi_index_levels_become_columns():
    frame = pd.DataFrame(
        {"R": [4.449, np.nan]},
        index=pd.MultiIndex.from_tuples(
            [("words", "poisson"), ("words", "verdict")], names=["dataset", "alternative"]
        ),
    )
    html = report_table(frame, {"R": ("R", "number")}, missing="a verdict has no ratio").to_html()
    assert _headers(html) == ["Dataset", "Alternative", "R"]
    assert _cells(html) == ["words", "poisson", "4.449", "words", "verdict", DASH]


def test_a_zero_p_value_is_zero():
    from influence_kit.render.tables import P_VALUE

    html = report_table(pd.DataFrame({"p": [0.0, 1e-9]}), {"p": ("p", P_VALUE)}).to_html()
    assert _cells(html) == ["0", "&lt; 0.0001"]


def test_scenario_wording():
    from influence_kit.scenarios import load_scenario
    from influence_kit.wording import claim_of, claim_words, scenario_place

    europe = load_scenario("western-europe-2010")
    assert claim_of(europe) == 120e9
    assert claim_words(europe) == "120 billion"
    assert scenario_place(europe) == "Western Europe (7 countries), 2010"
    assert scenario_place(europe, markdown=True) == "Western Europe \\(7 countries\\), 2010"
    none = europe.model_copy(update={"headline": None})
    assert claim_of(none) is None and claim_words(none, "the total") == "the total"


def test_notebook_prose_names_no_other_scenarios_claim():
    """Titles and prose are computed from the scenario (issue 20, item 6): no markdown cell
    of a report writes the US 2009 headline as if it were every scenario's."""
    import jupytext

    from influence_kit.package_data import notebook_dir

    for script in sorted(notebook_dir().glob("[0-9][0-9]-*.py")):
        for cell in jupytext.read(script).cells:
            if cell.cell_type != "markdown":
                continue
            for match in re.finditer(r"500 billion", cell.source):
                after = cell.source[match.end() : match.end() + 40]
                assert "US 2009" in after, f"{script.name}: {cell.source[:80]!r}"


def test_row_numbers_left_by_filtering_are_not_shown(frame):
    filtered = frame[frame["channel"] != "network"]  # index 1, 2: row numbers, not data
    assert _headers(report_table(filtered, COLUMNS).to_html())[0] == "Channel"
    named = filtered.rename_axis("rank")
    assert _headers(report_table(named, COLUMNS).to_html())[0] == "Rank"
