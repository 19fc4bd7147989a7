"""Text from inputs reaches HTML and Markdown escaped: the escaper, and a hostile scenario.

A scenario's text fields and the names it chooses (networks, post types) are written by
users; every report page must show them as text, never run them as script or markup.
"""

from __future__ import annotations

import html
import re

import pytest
import yaml

from influence_kit.formatting import MARKDOWN_SPECIALS, escape_markdown

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
#: The raw forms that must never appear in a rendered page.
RAW = ("<script>alert(", "<img src=x onerror=")


# ---------------------------------------------------------------- the escaper


@pytest.mark.parametrize(
    "text",
    [
        SCRIPT,
        IMG,
        "a \"quoted\" & 'single' value",
        "top_1% [link](javascript:alert(1)) *bold* `code` #heading a|b $x^2$ ~x~ !{}+",
        "back\\slash \\*",
        "",
        "Facebook",
    ],
)
def test_escape_markdown_leaves_no_markup(text):
    out = escape_markdown(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    # Every Markdown special is preceded by a backslash (an odd run of backslashes); the
    # HTML entities' own ``#`` is not text, so look at the entity-decoded form.
    decoded = html.unescape(out)
    for match in re.finditer(r"(\\*)([" + re.escape("".join(MARKDOWN_SPECIALS)) + "])", decoded):
        backslashes, char = match.groups()
        if char == "\\":
            continue
        assert len(backslashes) % 2 == 1, (decoded, match.start())
    # Inverting both steps gives the input back: the text is kept, only its syntax is escaped.
    unescaped = re.sub(r"\\(.)", r"\1", html.unescape(out))
    assert unescaped == text


def test_escape_markdown_is_html_escaping_of_backslashed_specials():
    # An independent statement of the rule on one string with every special.
    text = "\\`*_{}[]()#+!|~$<>&\"'x"
    expected = "".join("\\" + c if c in "\\`*_{}[]()#+!|~$" else c for c in text)
    expected = (
        expected.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )
    assert escape_markdown(text) == expected


def test_escape_markdown_joins_lines_and_converts_non_strings():
    assert escape_markdown("a\nb\r\nc") == "a b c"
    assert escape_markdown(12.5) == "12.5"
    assert escape_markdown(None) == "None"


def test_escaped_text_renders_literally_in_markdown():
    import mistune  # nbconvert's Markdown renderer

    for text in (SCRIPT, IMG, "*bold* _it_ [a](b) `c` # h $x$"):
        rendered = mistune.html(f"* {escape_markdown(text)}")
        assert "<script" not in rendered and "<img" not in rendered
        assert "<em>" not in rendered and "<strong>" not in rendered
        assert "<a " not in rendered and "<code>" not in rendered
        assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == text


# ---------------------------------------------------------------- a hostile scenario


def _payload(i: int) -> str:
    return (SCRIPT if i % 2 == 0 else IMG) + f" *x{i}* [l](u) `c` #{i} _u_ |"


def _hostile_scenario() -> dict:
    """The shipped scenario with a payload in every text field and as every chosen name."""
    from influence_kit.scenarios import read_scenario_data

    data = read_scenario_data("forrester-us-2009")
    counter = iter(range(10_000))

    def hostile_text(node):
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key in ("kind", "resharers"):  # choices from fixed lists
                    out[key] = value
                elif key in ("source",):  # a key into `sources`, renamed below
                    out[key] = f"{value} {SCRIPT}"
                elif isinstance(value, str):
                    out[key] = f"{value} {_payload(next(counter))}"
                else:
                    out[key] = hostile_text(value)
            return out
        if isinstance(node, list):
            return [f"{v} {_payload(next(counter))}" if isinstance(v, str) else v for v in node]
        return node

    sources = data.pop("sources")
    data = hostile_text(data)
    data["sources"] = {
        f"{k} {SCRIPT}": f"{v} {_payload(next(counter))}" for k, v in sources.items()
    }
    for section in ("network_shares", "post_type_shares"):
        data[section] = {
            f"{name} {_payload(i)}": value for i, (name, value) in enumerate(data[section].items())
        }
    by_type = data.get("readers_per_post_by_type") or {}
    if by_type:
        renamed = {name.split(" ", 1)[0]: name for name in data["post_type_shares"]}
        data["readers_per_post_by_type"] = {renamed[k]: v for k, v in by_type.items()}
    else:
        first = next(iter(data["post_type_shares"]))
        data["readers_per_post_by_type"] = {first: {"base": 150, "low": 50, "high": 1000}}
    return data


def test_hostile_scenario_is_valid_and_keeps_the_payloads(tmp_path):
    from influence_kit.scenarios import load_scenario

    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(_hostile_scenario(), allow_unicode=True))
    scenario = load_scenario(path)
    assert SCRIPT in scenario.meta.name
    assert all(SCRIPT in n or IMG in n for n in scenario.network_shares)
    assert all(SCRIPT in n or IMG in n for n in scenario.post_type_shares)


@pytest.mark.slow
def test_no_payload_reaches_a_report_page_unescaped(tmp_path):
    import jupytext
    from conftest import QUICK_PARAMETERS, ROOT

    from influence_kit.render import render_reports

    # Render the notebooks' text sources (the .py files), so the test checks the code a change
    # edits even before the paired .ipynb files are re-synced.
    notebook_dir = tmp_path / "notebooks"
    notebook_dir.mkdir()
    sources = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.py"))
    assert sources
    for source in sources:
        jupytext.write(jupytext.read(source), notebook_dir / f"{source.stem}.ipynb")
    data = _hostile_scenario()
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    # The per-type sweep's post type is a parameter naming a hostile key.
    (reviews,) = (name for name in data["post_type_shares"] if name.startswith("reviews "))
    sweep = "02-readers-per-post-sensitivity"
    parameters = {**QUICK_PARAMETERS, sweep: {**QUICK_PARAMETERS[sweep], "post_type": reviews}}
    out = tmp_path / "site"
    result = render_reports(
        [path],
        None,
        out,
        notebook_dir=notebook_dir,
        jobs=2,
        parameters=parameters,
    )
    assert result.ok, result.summary().to_string()
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= len(sources)
    leaks = {
        str(page.relative_to(out)): [raw for raw in RAW if raw in page.read_text("utf-8")]
        for page in pages
    }
    assert not {page: found for page, found in leaks.items() if found}
    # The payloads were shown (escaped), not dropped: the test can fail.
    scenario_pages = [p for p in pages if "hostile" in str(p.relative_to(out))]
    assert scenario_pages
    assert any("&lt;script&gt;alert" in p.read_text("utf-8") for p in scenario_pages)


def test_sensitivity_conclusion_escapes_input_names():
    import dataclasses

    from influence_kit import load_scenario
    from influence_kit.sensitivity.report import conclusion, sensitivity_report

    report = sensitivity_report(load_scenario("forrester-us-2009"), draws=2_000, seed=1, sobol_n=64)
    hostile = f"readers_per_post_by_type.{SCRIPT}"
    bars = report.tornado.bars
    bar = dataclasses.replace(bars[0], input=hostile)
    tornado = dataclasses.replace(report.tornado, bars=type(bars)([bar, *bars[1:]]))
    text = conclusion(
        report.base_total,
        report.base_readers_per_post,
        report.breakevens,
        tornado,
        report.monte_carlo,
        report.sobol,
        report.threshold,
    )
    assert "<script>" not in text
    assert "readers per post of &lt;script&gt;alert\\(1\\)&lt;/script&gt;" in text
