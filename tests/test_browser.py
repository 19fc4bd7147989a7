"""The rendered report site, opened in headless Chromium as a reader would.

Reads the site of every notebook rendered for every shipped scenario (the session's
``site`` fixture in ``conftest.py``), then opens ``index.html`` and each report with
Playwright driving the system's Chromium (``.ci/run`` installs Debian's ``chromium``).
Outside CI the test is skipped when no Chromium-family browser is installed; in CI it
must run.
"""

from __future__ import annotations

import itertools
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from influence_kit.render.figures import scalar_figures

# Every report of the whole site in a browser: part of `make test-all` (and CI), not `make test`.
pytestmark = pytest.mark.slow


#: JavaScript: pairs of text labels of one inline SVG chart whose boxes overlap (by more
#: than 1 px each way, so labels that merely touch pass).
OVERLAPPING_LABELS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg[role=img]')) {
    const boxes = [...svg.querySelectorAll('text')]
      .filter(t => t.textContent.trim())
      .map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, p] = boxes[i], [b, q] = boxes[j];
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (w > 1 && h > 1) out.push([svg.getAttribute('aria-label').slice(0, 60), a, b]);
      }
    }
  }
  return out;
}"""


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))


def _open(browser, path: Path):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def _reports(out: Path) -> list[Path]:
    return sorted(out.glob("*/*.html"))


def test_index_links_resolve_and_show_every_report(site, browser):
    out, _ = site
    page, errors = _open(browser, out / "index.html")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs, "index has no links"
    for href in hrefs:
        if href.startswith("#"):  # a section of the index itself
            assert page.query_selector(f"[id='{href[1:]}']"), f"index links to missing {href}"
        else:
            assert (out / href).is_file(), f"index links to missing {href}"
    linked = {h for h in hrefs if h.endswith(".html")}
    assert linked == {p.relative_to(out).as_posix() for p in _reports(out)}
    # the answer first: the comparison of every scenario with its own claim, then the reports
    assert page.inner_text("h2 >> nth=0") == "Scenario comparison"
    assert page.inner_text("h2 >> nth=1") == "Reports by scenario"
    assert errors == []
    page.close()


def test_every_report_loads_cleanly_with_its_key_figures(site, browser):
    out, _ = site
    reports = _reports(out)
    summaries = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/summary.json")}
    assert len(reports) == sum(len(s["notebooks"]) for s in summaries.values())
    # every shipped scenario and the reports of the notebooks that do not depend on it
    shipped = len(list((Path(__file__).resolve().parents[1] / "data" / "scenarios").glob("*.yaml")))
    assert len(summaries) == shipped + 1 and summaries["all-scenarios"]["scenario"] is None
    for report in reports:
        summary = summaries[report.parent.name]
        page, errors = _open(browser, report)
        assert errors == [], f"{report.name}: {errors}"
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        assert all(w > 0 for w in widths), f"{report.name}: an image did not load"
        alts = page.eval_on_selector_all(
            "img, svg[role=img]",
            "els => els.map(e => e.getAttribute('alt') || e.getAttribute('aria-label'))",
        )
        assert all(a and a.startswith("Figure") for a in alts), f"{report.name}: {alts}"
        overlaps = page.evaluate(OVERLAPPING_LABELS)
        assert overlaps == [], f"{report.name}: chart labels overlap: {overlaps[:5]}"
        shown = dict(
            page.eval_on_selector_all(
                ".ik-header td[data-key]", "els => els.map(e => [e.dataset.key, e.textContent])"
            )
        )
        figures = summary["notebooks"][report.stem]["figures"]
        expected = scalar_figures(figures)
        assert shown == expected, report.name
        if "scenario" in shown and summary["scenario"] is not None:
            assert shown["scenario"] == report.parent.name, report.name
        text = page.inner_text("body")
        assert "Traceback" not in text and "Warning" not in text, report.name
        assert " object at 0x" not in text and "<matplotlib" not in text, report.name
        page.close()


def test_headings_are_in_order(site):
    out, _ = site
    for report in [out / "index.html", *_reports(out)]:
        parser = _Headings()
        parser.feed(report.read_text())
        levels = parser.levels
        assert levels and levels[0] == 1, f"{report.name} does not start with an h1"
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{report.name}: h{before} followed by h{after}"
