"""One PDF per scenario: the scenario's reports, in the site's order, printed by Chromium.

:func:`write_pdfs` builds one HTML page per scenario folder (a cover with the scenario's
row of the index's comparison table, then every report of the folder, each in its own
``<div class="ik-report">`` that starts a new printed page) and prints it with headless
Chromium (``--print-to-pdf``) into ``<output-dir>/<scenario>/<scenario>.pdf``. The page
is built in a private dot folder of the output folder and removed afterwards, so nothing
is written outside the output folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import RenderError
from .html import strip_navigation
from .publish import PDF_PREFIX, output_lock, update_site
from .site import SHARED_DIR, collect, scenario_rows
from .templates import render_template

#: Browsers that can print a page to PDF, tried in this order on ``PATH``.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Environment variable naming the browser to use instead (a path or a name on ``PATH``).
CHROMIUM_ENV = "INFLUENCE_KIT_CHROMIUM"

#: Most seconds Chromium may take to print one scenario.
PRINT_TIMEOUT = 300

_BODY_RE = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_HEAD_RE = re.compile(r"<head[^>]*>(.*?)</head>", re.DOTALL | re.IGNORECASE)


def find_chromium() -> str | None:
    """The path of the browser that prints PDFs, ``None`` if there is none.

    :data:`CHROMIUM_ENV` wins when set (a missing browser there is ``None``, not a search
    of ``PATH``); otherwise the first of :data:`CHROMIUM_NAMES` on ``PATH``.
    """
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return shutil.which(chosen)
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def require_chromium() -> str:
    """The browser's path, or one line saying that ``--pdf`` needs it.

    Raises
    ------
    RenderError
        When no Chromium-family browser is found (see :func:`find_chromium`).
    """
    path = find_chromium()
    if path is None:
        names = ", ".join(CHROMIUM_NAMES)
        raise RenderError(
            f"--pdf needs headless Chromium and none was found ({names} on PATH, or "
            f"{CHROMIUM_ENV}); install it (e.g. apt-get install chromium) or leave out --pdf"
        )
    return path


def _body(text: str) -> str:
    found = _BODY_RE.search(text)
    body = found.group(1) if found else text
    return strip_navigation(body)


def combined_html(
    output_dir: Path,
    records: Sequence[Mapping[str, Any]],
    cover: Mapping[str, Any] | None = None,
) -> str:
    """One printable page of ``records`` (reports of one folder, in order), cover first.

    The ``<head>`` (styles) is the first report's; each report's body, without its
    navigation bar, goes into its own ``<div class="ik-report">`` that starts a page.
    """
    pages = [
        output_dir / str(r["scenario"] or SHARED_DIR) / f"{r['notebook']}.html" for r in records
    ]
    texts = [p.read_text(encoding="utf-8") for p in pages if p.is_file()]
    if not texts:
        raise RenderError(f"{output_dir}: no report to print")
    head = _HEAD_RE.search(texts[0])
    sections = []
    if cover is not None:
        sections.append(render_template("pdf_cover.html.j2", row=cover, records=records))
    sections += [f'<div class="ik-report">\n{_body(text)}\n</div>' for text in texts]
    return render_template(
        "pdf_book.html.j2",
        head=head.group(1) if head else "",
        title=cover["title"] if cover else "influence_kit reports",
        sections=sections,
    )


def print_pdf(html_file: Path, pdf_file: Path, *, chromium: str, workdir: Path) -> None:
    """Print ``html_file`` to ``pdf_file`` with headless ``chromium``.

    Raises
    ------
    RenderError
        One line when Chromium fails, runs past :data:`PRINT_TIMEOUT` or writes no PDF.
    """
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={workdir / 'profile'}",
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",
        f"--print-to-pdf={pdf_file}",
        html_file.resolve().as_uri(),
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=PRINT_TIMEOUT,
            check=False,
            env={**os.environ, "HOME": str(workdir)},
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"{pdf_file.name}: Chromium did not finish printing in {PRINT_TIMEOUT} s"
        ) from None
    except OSError as err:
        raise RenderError(f"{pdf_file.name}: cannot start {chromium}: {err}") from None
    if not pdf_file.is_file() or not pdf_file.read_bytes()[:5] == b"%PDF-":
        lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
        last = lines[-1].strip() if lines else f"exit code {done.returncode}"
        raise RenderError(f"{pdf_file.name}: Chromium wrote no PDF ({last})")


def write_pdfs(
    output_dir: str | Path,
    scenarios: Iterable[str] | None = None,
    *,
    chromium: str | None = None,
) -> list[Path]:
    """Write ``<scenario>/<scenario>.pdf`` for each scenario folder of the site.

    Parameters
    ----------
    output_dir
        The report site (see :func:`~.batch.render_reports`).
    scenarios
        Folder names to print (default: every scenario folder; the reports that do not
        depend on the scenario are in none of the PDFs).
    chromium
        The browser (default: :func:`require_chromium`).

    Returns
    -------
    list of Path
        The PDFs written, one per scenario, in the site's order; the index then links to
        them. The output folder's lock is held meanwhile (as a render holds it).

    Raises
    ------
    RenderError
        No Chromium, or Chromium failing to print (one line).
    """
    out = Path(output_dir)
    browser = chromium or require_chromium()
    with output_lock(out):
        written = _write_pdfs(out, scenarios, browser)
        if written:
            update_site(out)  # the index links to the PDFs
    return written


def _write_pdfs(out: Path, scenarios: Iterable[str] | None, browser: str) -> list[Path]:
    """:func:`write_pdfs` while holding the output folder's lock."""
    records = collect(out)
    wanted = set(scenarios) if scenarios is not None else None
    folders = [
        s
        for s in dict.fromkeys(r["scenario"] for r in records if r["scenario"] is not None)
        if wanted is None or s in wanted
    ]
    rows = {row["scenario"]: row for row in scenario_rows(out, records)}
    written = []
    for folder in folders:
        own = [r for r in records if r["scenario"] == folder and r["html"]]
        if not own:
            continue
        work = Path(tempfile.mkdtemp(prefix=PDF_PREFIX, dir=out))
        try:
            page = work / "book.html"
            page.write_text(combined_html(out, own, rows.get(folder)), encoding="utf-8")
            staged = work / f"{folder}.pdf"
            print_pdf(page, staged, chromium=browser, workdir=work)
            target = out / folder / f"{folder}.pdf"
            os.replace(staged, target)
            written.append(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return written
