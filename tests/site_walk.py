"""Walk every page of the rendered report site in Chromium and list what a reader would trip on.

:func:`walk_page` opens one page (in a browser context prepared by :func:`new_context`) and
returns its problems as readable lines; :func:`walk_site` does it for every ``.html`` file
of a site folder. The checks:

1. visible text with a raw value or a code key: e-notation (``1.961e+11``), ``NaN``,
   ``None``, ``inf``/``Infinity``, or a snake_case key (``share_of_total``); see
   :data:`ALLOWED_EXTENSIONS` and :func:`snake_case_keys` for the small allow-list;
2. visible text smaller than :data:`MIN_FONT_PX` (for text in an inline SVG chart, its
   font size times the chart's scale). Chart text is held to it at the laptop width
   (:data:`CHART_TEXT_WIDTH`): on a phone a chart scales down to the screen, as the
   report site's design asks (nothing but a table may scroll sideways), so its text
   shrinks with it; the page's own text is held to it at every width;
3. overlapping text boxes within one SVG chart (overlaps under :data:`OVERLAP_PX` either
   way pass);
4. a page wider than the window (the body scrolls sideways);
5. a relative link to a file missing from the site folder, or an image that did not load;
6. a console error or an uncaught page error;
7. a request to another host (aborted: the site must work offline);
8. a report page without the navigation bar's links to the index, the previous and the
   next report (``report_nav.html.j2``; ``influence_kit.render.site.navigation`` gives
   every report both: the first report's "previous" and the last one's "next" are the
   index).

Run as a script to print every problem of a site at both widths::

    .venv/bin/python tests/site_walk.py SITE_DIR
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

#: Window widths walked: a laptop and a phone.
WIDTHS = (1280, 390)
HEIGHT = 900
#: Smallest readable text, in CSS pixels.
MIN_FONT_PX = 10.0
#: The window width at which chart text, too, must be at least :data:`MIN_FONT_PX`.
CHART_TEXT_WIDTH = 1280
#: Chart labels may overlap by less than this (px) in either dimension.
OVERLAP_PX = 2.0
INDEX_FILE = "index.html"

#: File names that may show a snake_case name (a data or notebook file is named so).
ALLOWED_EXTENSIONS = (".yaml", ".yml", ".csv", ".parquet", ".py", ".ipynb", ".json")
#: The package's own name, alone or as the head of a dotted path (``influence_kit.segments``).
PACKAGE = "influence_kit"

E_NOTATION = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?[eE][-+]?\d+(?![\w.])")
NAN = re.compile(r"\bnan\b", re.IGNORECASE)
# "None of the ..." is English; a Python None stands alone or before punctuation.
NONE = re.compile(r"\bNone\b(?!\s+[a-z])")
INF = re.compile(r"(?<![\w.])[-+]?(?:inf|Inf|INF|Infinity)\b")
TOKEN = re.compile(r"[\w./-]+")
SNAKE_WORD = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def snake_case_keys(text: str) -> list[str]:
    """The snake_case tokens of ``text`` outside the allow-list: a file name ending in one of
    :data:`ALLOWED_EXTENSIONS`, the package name :data:`PACKAGE` and a dotted path under it."""
    found = []
    for match in TOKEN.finditer(text):
        token = match.group().strip("./-")
        if "_" not in token:
            continue
        if token.lower().endswith(ALLOWED_EXTENSIONS):
            continue
        if token == PACKAGE or token.startswith(PACKAGE + "."):
            continue
        for part in re.split(r"[./-]", token):
            if SNAKE_WORD.match(part) and re.search(r"[a-z]", part):
                found.append(part)
    return found


def text_problems(text: str, in_code: bool) -> list[str]:
    """What is wrong with one visible text: raw numbers, missing values and code keys.

    Text in ``<code>``/``<pre>`` may hold identifiers (snake_case names, ``None``); its
    numbers must still read as numbers."""
    out = [f"e-notation {m.group()!r}" for m in E_NOTATION.finditer(text)]
    out += [f"NaN {m.group()!r}" for m in NAN.finditer(text)]
    out += [f"infinity {m.group()!r}" for m in INF.finditer(text)]
    if not in_code:
        out += [f"None {m.group()!r}" for m in NONE.finditer(text)]
        out += [f"snake_case key {key!r}" for key in snake_case_keys(text)]
    return out


#: JavaScript: every visible text node of the page, with its rendered font size.
TEXT_NODES = """() => {
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'title', 'desc', 'style',
                        'script', 'metadata', 'TITLE']);
  const closedDetails = el => {
    for (let d = el.closest('details:not([open])'); d; d = d.parentElement &&
         d.parentElement.closest('details:not([open])')) {
      const summary = d.querySelector(':scope > summary');
      if (!summary || !summary.contains(el)) return true;
    }
    return false;
  };
  const svgScale = svg => {
    const vb = svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width) return 1;
    return svg.getBoundingClientRect().width / vb.width;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || SKIP.has(el.tagName) || el.closest('svg title, svg desc, svg style')) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (closedDetails(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    let top = svg;
    while (top && top.parentElement && top.parentElement.closest('svg')) {
      top = top.parentElement.closest('svg');
    }
    out.push({
      text,
      inCode: !!el.closest('code, pre, kbd, samp'),
      tag: [el.tagName.toLowerCase(), ...el.classList].join('.'),
      size: svg ? size * svgScale(svg) : size,
      chart: top ? (top.getAttribute('aria-label') || top.id || 'unnamed svg') : null,
    });
  }
  return out;
}"""

#: JavaScript: pairs of text boxes of one SVG chart overlapping by OVERLAP_PX or more each way.
OVERLAPS = """(minimum) => {
  const out = [];
  const charts = [...document.querySelectorAll('svg')].filter(s => !s.parentElement.closest('svg'));
  for (const svg of charts) {
    const boxes = [...svg.querySelectorAll('text')]
      .filter(t => t.textContent.trim() && t.checkVisibility({visibilityProperty: true}))
      .map(t => [t.textContent.replace(/\\s+/g, ' ').trim(), t.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, p] = boxes[i], [b, q] = boxes[j];
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (w >= minimum && h >= minimum) {
          out.push([svg.getAttribute('aria-label') || svg.id || 'unnamed svg', a, b,
                    Math.round(w * 10) / 10, Math.round(h * 10) / 10]);
        }
      }
    }
  }
  return out;
}"""

#: JavaScript: the page's width against the window's, and the outermost elements that stick
#: out of the window without a scroll box of their own around them.
WIDE = """() => {
  const limit = window.innerWidth + 1;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= limit || r.width === 0) continue;
    const p = el.parentElement;
    if (p && p !== document.body && p.getBoundingClientRect().right > limit) continue;
    if (scrolls(el)) continue;
    const name = [el.tagName.toLowerCase(), ...el.classList].join('.');
    culprits.push(`<${name}> right edge ${Math.round(r.right)} px`);
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, culprits};
}"""

#: JavaScript: wait until every image has loaded (or failed), lazy ones included.
LOAD_IMAGES = """async () => {
  const imgs = [...document.images];
  for (const img of imgs) img.loading = 'eager';
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  return imgs.map(img => [img.getAttribute('src') || '', img.naturalWidth]);
}"""

NAV = """() => {
  const nav = document.querySelector('nav.ik-nav');
  if (!nav) return null;
  const hrefs = sel => [...nav.querySelectorAll(sel)].map(a => a.getAttribute('href'));
  return {index: hrefs('a[href]').filter(h => h.split(/[?#]/)[0].endsWith('index.html')),
          prev: hrefs('a[rel~=prev][href]'), next: hrefs('a[rel~=next][href]')};
}"""


def pages(site_dir: Path) -> list[Path]:
    """Every ``.html`` page of the site, the index first."""
    found = sorted(site_dir.rglob("*.html"))
    index = site_dir / INDEX_FILE
    return ([index] if index in found else []) + [p for p in found if p != index]


class Recorder:
    """What the browser reports for the page now open: console and page errors, and
    requests to another host (aborted)."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.events.append(f"request to another host: {url}")
            route.abort()

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda m: self.events.append(f"console error: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.events.append(f"page error: {e}"))


def new_context(browser, width: int):
    """A browser context ``width`` px wide that records (and aborts) requests leaving the
    computer; returns ``(context, recorder)``."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    recorder = Recorder()
    context.route("**/*", recorder.route)
    return context, recorder


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link_problem(href: str, page_path: Path, site_dir: Path) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):  # absolute: not a file of the site
        return None
    if not parts.path:  # "#section" or "?query" on the page itself
        return None
    target = Path(unquote(urljoin(page_path.as_uri(), parts.path).removeprefix("file://")))
    try:
        target.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return f"broken link {href!r}: outside the site folder"
    if not target.is_file():
        return f"broken link {href!r}: no such file"
    return None


def _counted(lines: list[str]) -> list[str]:
    return [f"{line} (x{n})" if n > 1 else line for line, n in Counter(lines).items()]


def walk_page(page, path: Path, site_dir: Path, recorder: Recorder | None = None) -> list[str]:
    """Every problem of the site page at ``path`` (already opened in ``page``)."""
    problems: list[str] = []
    nodes = page.evaluate(TEXT_NODES)

    # 1. raw values and code keys in visible text
    texts = []
    for node in nodes:
        for what in text_problems(node["text"], node["inCode"]):
            where = f"chart {_short(node['chart'], 50)!r}" if node["chart"] else f"<{node['tag']}>"
            texts.append(f"text: {what} in {_short(node['text'])!r} ({where})")
    problems += _counted(texts)

    # 2. small text, grouped per chart (or element kind) and size
    small: dict[tuple[str, float], list[str]] = {}
    charts_held = page.viewport_size is None or page.viewport_size["width"] >= CHART_TEXT_WIDTH
    for node in nodes:
        if node["chart"] and not charts_held:
            continue  # a chart scaled to a phone's screen
        if node["size"] < MIN_FONT_PX - 0.05:
            where = f"chart {_short(node['chart'], 60)!r}" if node["chart"] else f"<{node['tag']}>"
            small.setdefault((where, round(node["size"], 1)), []).append(node["text"])
    for (where, size), shown in small.items():
        examples = ", ".join(repr(_short(t, 30)) for t in dict.fromkeys(shown).keys())
        problems.append(
            f"small text: {len(shown)} text(s) at {size} px in {where}: {_short(examples, 160)}"
        )

    # 3. overlapping chart labels
    for chart, a, b, w, h in page.evaluate(OVERLAPS, OVERLAP_PX):
        problems.append(
            f"overlap: {_short(a, 40)!r} and {_short(b, 40)!r} ({w}x{h} px) in chart "
            f"{_short(chart, 80)!r}"
        )

    # 4. sideways scrolling
    wide = page.evaluate(WIDE)
    if wide["scroll"] > wide["inner"] + 1:
        culprits = "; ".join(wide["culprits"][:4]) or "no single element found"
        problems.append(
            f"scrolls sideways: page {wide['scroll']} px wide in a {wide['inner']} px window "
            f"({culprits})"
        )

    # 5. links and images
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    problems += _counted([p for h in hrefs if (p := _link_problem(h, path, site_dir))])
    for src, width in page.evaluate(LOAD_IMAGES):
        if not src.startswith("data:") and width == 0:
            problems.append(f"image did not load: {_short(src, 100)!r}")

    # 6. and 7. console/page errors and requests elsewhere
    if recorder is not None:
        problems += _counted(recorder.events)

    # 8. navigation bar of a report page
    if path.resolve() != (site_dir / INDEX_FILE).resolve():
        nav = page.evaluate(NAV)
        if nav is None:
            problems.append('navigation: no <nav class="ik-nav">')
        else:
            for key, label in (("index", "the index"), ("prev", "previous"), ("next", "next")):
                if not nav[key]:
                    problems.append(f"navigation: no link to {label} in the navigation bar")
    return problems


def open_page(context, recorder: Recorder, path: Path):
    """``path`` opened in a new page of ``context`` (with ``recorder`` listening)."""
    recorder.events = []
    page = context.new_page()
    recorder.attach(page)
    page.goto(path.as_uri(), wait_until="load")
    return page


def walk_site(browser, site_dir: Path, width: int) -> dict[str, list[str]]:
    """The problems of every page of ``site_dir`` at ``width``, by page (relative path)."""
    context, recorder = new_context(browser, width)
    found: dict[str, list[str]] = {}
    try:
        for path in pages(site_dir):
            page = open_page(context, recorder, path)
            try:
                found[path.relative_to(site_dir).as_posix()] = walk_page(
                    page, path, site_dir, recorder
                )
            finally:
                page.close()
    finally:
        context.close()
    return found


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    if len(argv) != 2:
        print("usage: site_walk.py SITE_DIR", file=sys.stderr)
        return 2
    site_dir = Path(argv[1]).resolve()
    total = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width in WIDTHS:
            start = time.perf_counter()
            found = walk_site(browser, site_dir, width)
            elapsed = time.perf_counter() - start
            count = sum(len(v) for v in found.values())
            total += count
            print(f"=== width {width} px: {len(found)} pages, {count} problems, {elapsed:.1f} s")
            for name, problems in found.items():
                if problems:
                    print(f"--- {name} ({width} px)")
                    for problem in problems:
                        print(f"  - {problem}")
        browser.close()
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
