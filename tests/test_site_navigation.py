"""The report site's index (comparison table first, reports grouped by scenario), every
report page's navigation bar and title, and the per-scenario PDF (``render --pdf``).

The fast tests build a small fake site (summary files, resolved scenarios and report pages
with an empty navigation bar) and call :func:`influence_kit.render.publish.update_site`; the
slow ones read the session's rendered site (the ``site`` fixture in ``conftest.py``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest

from influence_kit.render.html import (
    NAV_END,
    NAV_START,
    navigation_html,
    notebook_title,
    scenario_title,
)
from influence_kit.render.jobs import content_digest
from influence_kit.render.publish import update_site as write_index
from influence_kit.render.site import INDEX_FILE, SCENARIO_FILE, STATE_FILE, SUMMARY_FILE
from influence_kit.scenarios import load_scenario, write_scenario

SCENARIOS = ("forrester-us-2009", "western-europe-2010")
NOTEBOOKS = ("01-headline-impressions", "07-readers-per-post-evidence")
E_NOTATION = re.compile(r"\b\d(\.\d+)?e[+-]?\d+\b", re.IGNORECASE)


def _figure(value, label, unit, kind="estimate"):
    return {"value": value, "label": label, "unit": unit, "kind": kind}


def _figures(scenario: str, notebook: str) -> dict:
    """Key figures like the notebooks write them (totals of the shipped scenarios)."""
    claim, total, derived = {
        "forrester-us-2009": (500e9, 502e9, 345.1e9),
        "western-europe-2010": (120e9, 120e9, 82.5e9),
    }[scenario]
    if notebook == "01-headline-impressions":
        return {
            "total_impressions": _figure(
                total, "total influence impressions per year", "impressions"
            ),
            "claim": _figure(claim, "published claim", "impressions", "published"),
            "meets_claim": _figure(total >= claim, "total reaches the claim", "text", "verdict"),
        }
    return {"total_with_derived_readers": _figure(derived, "total, derived readers", "impressions")}


def _page(title: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f"{navigation_html()}<main><h1>{title}</h1></main></body></html>"
    )


@pytest.fixture
def fake_site(tmp_path: Path) -> Path:
    """Two scenarios with two reports each and one shared report, no kernels involved."""
    out = tmp_path / "site"
    for scenario in (*SCENARIOS, "all-scenarios"):
        folder = out / scenario
        folder.mkdir(parents=True)
        shared = scenario == "all-scenarios"
        notebooks = ("03-impression-distribution",) if shared else NOTEBOOKS
        runs = {}
        for notebook in notebooks:
            page = folder / f"{notebook}.html"
            page.write_text(_page(f"{notebook_title(notebook)}: {scenario_title(scenario)}"))
            (folder / f"{notebook}.ipynb").write_text("{}")
            runs[notebook] = {
                "status": "ok",
                "seconds": 1.25,
                "content": content_digest(page, folder / f"{notebook}.ipynb"),
            }
        summary = {
            "scenario": None if shared else scenario,
            "base_scenario": None if shared else scenario,
            "overrides": {},
            "notebooks": {
                nb: {"figures": {} if shared else _figures(scenario, nb)} for nb in notebooks
            },
        }
        (folder / SUMMARY_FILE).write_text(json.dumps(summary))
        (folder / STATE_FILE).write_text(json.dumps({"scenario": scenario, "runs": runs}))
        if not shared:
            write_scenario(load_scenario(scenario), folder / SCENARIO_FILE)
    return out


def _nav_links(page: Path) -> dict[str, list[str]]:
    """rel (or class) -> hrefs of the navigation bar of a report page."""
    text = page.read_text()
    start, end = text.index(NAV_START), text.index(NAV_END)
    links: dict[str, list[str]] = {}
    for attrs in re.findall(r"<a ([^>]*)>", text[start:end]):
        href = re.search(r'href="([^"]*)"', attrs).group(1)
        rel = re.search(r'rel="([^"]*)"', attrs)
        kind = rel.group(1) if rel else re.search(r'class="([^"]*)"', attrs).group(1)
        links.setdefault(kind, []).append(html.unescape(href))
    return links


def _comparison_rows(index: str) -> dict[str, str]:
    """Scenario folder -> the text of its row in the index's comparison table."""
    rows = re.findall(r'<tr data-scenario="([^"]+)"[^>]*>(.*?)</tr>', index, re.DOTALL)
    return {name: re.sub(r"<[^>]+>", " ", row) for name, row in rows}


def _title(page: Path) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page.read_text(), re.DOTALL).group(1))


def test_index_opens_with_each_scenario_against_its_own_claim(fake_site):
    index = write_index(fake_site).read_text()
    rows = _comparison_rows(index)
    assert sorted(rows) == sorted(SCENARIOS)
    # the comparison table comes before the list of reports
    assert index.index("Scenario comparison") < index.index("Reports by scenario")
    europe = " ".join(rows["western-europe-2010"].split())
    assert "120 billion" in europe and "500 billion" not in europe
    assert "Western Europe (7 countries), 2010" in europe
    assert "reaches it (100%)" in europe and "82.5 billion" in europe
    assert "seven Western European countries" in europe  # the scenario's one sentence
    us = " ".join(rows["forrester-us-2009"].split())
    assert "500 billion" in us and "502 billion" in us and "345 billion" in us
    # the default scenario first, titles in words, no e-notation, NaN or None
    assert list(rows) == list(SCENARIOS)
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", index, flags=re.S))
    assert "Forrester US 2009" in visible and "Headline impressions" in visible
    assert not E_NOTATION.search(visible)
    assert not re.search(r"\b(NaN|None|nan|inf)\b", visible)


def test_every_report_page_links_to_index_previous_next_and_other_scenarios(fake_site):
    write_index(fake_site)
    pages = sorted(fake_site.glob("*/*.html"))
    assert len(pages) == 5
    for page in pages:
        links = _nav_links(page)
        for rel in ("index", "prev", "next"):
            assert links.get(rel), f"{page}: no {rel} link"
            for href in links[rel]:
                assert (page.parent / unquote(href)).resolve().is_file(), (page, rel, href)
        assert links["index"] == [f"../{INDEX_FILE}"]
        if page.parent.name != "all-scenarios":
            (other,) = links["ik-nav-other"]
            assert other.endswith(f"/{page.name}") and page.parent.name not in other
    # the site's order: forrester first, its headline report's previous page is the index
    first = fake_site / "forrester-us-2009" / "01-headline-impressions.html"
    assert _nav_links(first)["prev"] == [f"../{INDEX_FILE}"]
    assert _nav_links(first)["next"] == ["../forrester-us-2009/07-readers-per-post-evidence.html"]


def test_navigation_keeps_the_render_state_consistent(fake_site):
    """Rewritten pages get their new digest (no re-render), unless someone else changed them."""
    tampered = fake_site / "western-europe-2010" / "07-readers-per-post-evidence.html"
    tampered.write_text(tampered.read_text().replace("<h1>", "<h1>edited "))
    write_index(fake_site)
    for page in fake_site.glob("*/*.html"):
        state = json.loads((page.parent / STATE_FILE).read_text())["runs"][page.stem]
        digest = content_digest(page, page.with_suffix(".ipynb"))
        assert (state["content"] == digest) is (page != tampered), page
    before = {p: p.read_bytes() for p in fake_site.glob("*/*")}
    write_index(fake_site)  # nothing changed: nothing rewritten
    after = {p: p.read_bytes() for p in fake_site.glob("*/*")}
    assert before == after


def test_titles_are_words():
    assert notebook_title("01-headline-impressions") == "Headline impressions"
    assert scenario_title("forrester-us-2009") == "Forrester US 2009"
    variant = scenario_title("rpp300", "western-europe-2010", {"readers_per_post": 300.0})
    assert variant == "Western Europe 2010, readers per post 300"


def test_pdf_needs_chromium_and_says_so_in_one_line(tmp_path, monkeypatch):
    from influence_kit.cli.main import main

    monkeypatch.setenv("INFLUENCE_KIT_CHROMIUM", str(tmp_path / "no-such-browser"))
    code = main(["render", "--output-dir", str(tmp_path / "out"), "--pdf"])
    assert code == 2
    assert not (tmp_path / "out").exists()  # refused before rendering anything


# ---------------------------------------------------------------- the rendered site


def _pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number -> (dictionary text, decompressed stream) of a PDF without object
    streams (what Chromium writes). Enough to read one page's text; not a general parser."""
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.DOTALL):
        body = match.group(2)
        stream = b""
        found = re.search(rb"stream\r?\n(.*)endstream", body, re.DOTALL)
        if found:
            stream = found.group(1)
            if b"/FlateDecode" in body[: found.start()]:
                stream = zlib.decompressobj().decompress(stream)
            body = body[: found.start()]
        objects[int(match.group(1))] = (body, stream)
    return objects


def _cmap(stream: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code -> text (bfchar and bfrange)."""
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.DOTALL):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.DOTALL):
        for lo, hi, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(start, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(first + offset)
    return table


def _ref(body: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
    return int(found.group(1)) if found else None


#: A font change, a hex string shown, or the end of a text object (a word break).
_TEXT_TOKENS = re.compile(rb"/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b")


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page of a PDF Chromium printed, from its ToUnicode maps."""
    objects = _pdf_objects(path.read_bytes())
    catalog = next(body for body, _ in objects.values() if re.search(rb"/Type\s*/Catalog", body))

    def leaves(number: int) -> list[int]:
        body = objects[number][0]
        if not re.search(rb"/Type\s*/Pages\b", body):
            return [number]
        kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S).group(1)
        return [leaf for n in re.findall(rb"(\d+) 0 R", kids) for leaf in leaves(int(n))]

    kids = leaves(_ref(catalog, b"Pages"))
    texts = []
    for kid in kids:
        body, _ = objects[kid]
        resources = body
        ref = _ref(body, b"Resources")
        if ref is not None:
            resources = objects[ref][0]
        fonts_body = resources
        fonts_ref = _ref(resources, b"Font")
        if fonts_ref is not None:
            fonts_body = objects[fonts_ref][0]
        fonts = {}
        for name, number in re.findall(rb"/([A-Za-z0-9_.+-]+)\s+(\d+) 0 R", fonts_body):
            font = objects.get(int(number), (b"", b""))[0]
            to_unicode = _ref(font, b"ToUnicode")
            if to_unicode is not None:
                fonts[name] = _cmap(objects[to_unicode][1])
        contents = re.search(rb"/Contents\s*(\[.*?\]|\d+ 0 R)", body, re.S).group(1)
        stream = b"".join(objects[int(n)][1] for n in re.findall(rb"(\d+) 0 R", contents))
        out, font = [], {}
        for token in re.finditer(
            rb"/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b", stream
        ):
            if token.group(1) is not None:
                font = fonts.get(token.group(1), {})
            elif token.group(2) is not None:
                raw = token.group(2).decode()
                width = 4 if len(raw) % 4 == 0 else 2
                out += [
                    font.get(int(raw[i : i + width], 16), "") for i in range(0, len(raw), width)
                ]
            else:
                out.append(" ")
        texts.append(unicodedata.normalize("NFKC", "".join(out)))  # ligatures: "fi"
    return texts


@pytest.mark.slow
def test_rendered_index_and_pages(site):
    out, _ = site
    index = (out / INDEX_FILE).read_text()
    rows = _comparison_rows(index)
    assert sorted(rows) == sorted(p.parent.name for p in out.glob("*/scenario.yaml"))
    europe = " ".join(rows["western-europe-2010"].split())
    assert "120 billion" in europe and "500 billion" not in europe
    pages = sorted(out.glob("*/*.html"))
    assert pages
    slugs = {p.parent.name for p in pages} | {p.stem for p in pages}
    for page in pages:
        links = _nav_links(page)
        for rel in ("index", "prev", "next"):
            assert links.get(rel), f"{page}: no {rel} link"
            for href in links[rel]:
                assert (page.parent / unquote(href)).resolve().is_file(), (page, rel, href)
        title = _title(page)
        assert title.endswith(" - influence_kit")
        assert not [slug for slug in slugs if slug in title], title


@pytest.mark.slow
def test_pdf_of_a_scenario(site, tmp_path):
    from browsers import browser_or_skip

    from influence_kit.render.pdf import write_pdfs

    chromium = browser_or_skip()
    out, _ = site
    copy = tmp_path / "site"
    shutil.copytree(out / "forrester-us-2009", copy / "forrester-us-2009")
    (pdf,) = write_pdfs(copy, ["forrester-us-2009"], chromium=chromium)
    assert pdf == copy / "forrester-us-2009" / "forrester-us-2009.pdf"
    pages = pdf_pages_text(pdf)
    reports = sorted((copy / "forrester-us-2009").glob("*.html"))
    assert len(pages) >= len(reports) + 1  # the cover, then each report on its own pages
    summary = json.loads((copy / "forrester-us-2009" / SUMMARY_FILE).read_text())
    total = summary["notebooks"]["01-headline-impressions"]["figures"]["total_impressions"]
    assert total["value"] == pytest.approx(502e9)
    first = " ".join(pages[0].split())
    assert "502 billion" in first and "500 billion" in first, first
    # every report starts a page: its key-figures box opens one, after the cover
    starts = [
        i
        for report in reports
        for i, text in enumerate(pages)
        if " ".join(text.split()).startswith(f"{notebook_title(report.stem)}: Forrester US 2009")
    ]
    assert len(starts) == len(reports) and 0 not in starts and starts == sorted(starts)
    assert not list(copy.glob(".pdf-*"))  # the printing folder is gone


def _opening_box(page: Path) -> tuple[str, list[str]]:
    """The conclusion paragraph and the lead key figures' labels of a report page."""
    text = page.read_text()
    opening = re.search(r'<section[^>]*class="ik-header"[^>]*>', text)
    assert opening, f"{page}: no opening box"
    box = text[opening.end() : text.index("</section>", opening.end())]
    found = re.search(r'<p class="ik-conclusion">(.*?)</p>', box, re.S)
    lead = re.search(r'<table class="ik-lead">(.*?)</table>', box, re.S)
    labels = re.findall(r'<th scope="row">(.*?)</th>', lead[1]) if lead else []
    return html.unescape(found[1]) if found else "", labels


@pytest.mark.slow
def test_every_report_opens_with_its_conclusion(site):
    """Each report's box: one to four computed sentences first, then at most eight figures
    (the rest folded away); western-europe-2010's names its own 120 billion claim."""
    out, _ = site
    pages = sorted(out.glob("*/*.html"))
    for page in pages:
        said, lead = _opening_box(page)
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", said) if s]
        assert 1 <= len(sentences) <= 4, (page, said)
        assert 1 <= len(lead) <= 8, (page, lead)
        assert not E_NOTATION.search(said), (page, said)
        summary = json.loads((page.parent / SUMMARY_FILE).read_text())
        entry = summary["notebooks"][page.stem]
        assert entry["conclusion"]["sentences"], page  # summary.json keeps what the box says
    europe, _ = _opening_box(out / "western-europe-2010" / "01-headline-impressions.html")
    assert "published claim of 120 billion" in europe and "500 billion" not in europe
    us, lead = _opening_box(out / "forrester-us-2009" / "01-headline-impressions.html")
    assert us.startswith("Online adults in US, 2009 create 502 billion influence impressions")
    assert lead[0] == "total influence impressions per year"
