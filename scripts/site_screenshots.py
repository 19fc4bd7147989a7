"""Screenshot a rendered report site with headless Chromium.

Takes the folder ``make reports`` (``influence-kit render``) writes -- ``index.html`` plus one
folder per scenario with one HTML page per report -- and writes PNG screenshots of the index and
of chosen reports at a desktop and a phone width.

Usage
-----
::

    python scripts/site_screenshots.py SITE OUT [--report SCENARIO/REPORT ...]
                                                [--full-page] [--chromium PATH]

For each page it writes ``<name>-1280.png`` (viewport 1280x900) and ``<name>-390.png`` (viewport
390x844), device scale factor 1, top of page unless ``--full-page`` is given. ``<name>`` is
``index`` for the site's ``index.html`` and ``<scenario>--<report>`` for
``SITE/<scenario>/<report>.html``; the default reports are
``forrester-us-2009/01-headline-impressions`` and
``forrester-us-2009/06-concentration-calibration``.

Every request that is neither ``file:`` nor ``data:`` is aborted, so a screenshot never depends
on the network. Chromium is ``--chromium`` if given, else the first of ``chromium``,
``chromium-browser``, ``google-chrome`` found on ``PATH``, else the browser Playwright installed.

Output
------
One line per written file on stdout (its path). An error -- a missing site folder or page, no
usable Chromium -- prints one line on stderr and exits with code 2.

Examples
--------
Regenerate the README pictures from the site ``make reports`` renders::

    .venv/bin/python scripts/site_screenshots.py reports /tmp/shots
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_REPORTS: tuple[str, ...] = (
    "forrester-us-2009/01-headline-impressions",
    "forrester-us-2009/06-concentration-calibration",
)
"""Reports shot when no ``--report`` is given."""

VIEWPORTS: tuple[tuple[int, int], ...] = ((1280, 900), (390, 844))
"""Viewport (width, height) in CSS pixels for each shot; the width names the file."""

CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")
"""Executables looked up on ``PATH`` when ``--chromium`` is not given."""

EXIT_ERROR = 2


class ScreenshotError(Exception):
    """A problem reported as one line on stderr with exit code 2."""


@dataclass(frozen=True)
class Page:
    """One page of the site to screenshot.

    Parameters
    ----------
    name : str
        Stem of the PNG files (``index`` or ``<scenario>--<report>``).
    path : Path
        The HTML file.
    """

    name: str
    path: Path


def find_pages(site: Path, reports: list[str]) -> list[Page]:
    """List the index and the named reports of ``site``, checking that each exists.

    Parameters
    ----------
    site : Path
        The rendered site folder.
    reports : list of str
        Reports as ``<scenario>/<report>`` (a trailing ``.html`` is allowed).

    Returns
    -------
    list of Page
        The index first, then the reports in the order given.

    Raises
    ------
    ScreenshotError
        If the site folder, its ``index.html`` or a report page is missing, or a report name is
        not ``<scenario>/<report>``.
    """
    if not site.is_dir():
        raise ScreenshotError(f"site folder not found: {site}")
    pages = [Page("index", site / "index.html")]
    for report in reports:
        parts = report.removesuffix(".html").strip("/").split("/")
        if len(parts) != 2 or not all(parts) or ".." in parts:
            raise ScreenshotError(f"--report must be SCENARIO/REPORT, got {report!r}")
        scenario, stem = parts
        pages.append(Page(f"{scenario}--{stem}", site / scenario / f"{stem}.html"))
    for page in pages:
        if not page.path.is_file():
            raise ScreenshotError(f"page not found: {page.path}")
    return pages


def find_chromium(requested: str | None) -> str | None:
    """Choose the Chromium executable.

    Parameters
    ----------
    requested : str or None
        ``--chromium``: a path or a name looked up on ``PATH``.

    Returns
    -------
    str or None
        The executable's path, or None to let Playwright use the browser it installed.

    Raises
    ------
    ScreenshotError
        If ``requested`` is given but is not an executable.
    """
    if requested is not None:
        found = shutil.which(requested)
        if found is None:
            raise ScreenshotError(f"Chromium not found: {requested}")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


def first_line(error: Exception) -> str:
    """Return the first non-empty line of an exception's message (Playwright's run long).

    Parameters
    ----------
    error : Exception
        The exception.

    Returns
    -------
    str
        Its first non-empty line, or its class name when the message is empty.
    """
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def take_screenshots(
    pages: list[Page], out: Path, chromium: str | None, full_page: bool
) -> list[Path]:
    """Screenshot every page at every viewport width.

    Parameters
    ----------
    pages : list of Page
        The pages to shoot.
    out : Path
        Folder the PNGs are written into (created if missing).
    chromium : str or None
        Chromium executable, or None for Playwright's own.
    full_page : bool
        Shoot the whole page rather than the top viewport.

    Returns
    -------
    list of Path
        The PNG files written, in order.

    Raises
    ------
    ScreenshotError
        If Playwright is not installed or Chromium cannot be started.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import Route, sync_playwright
    except ImportError:
        raise ScreenshotError("Playwright is not installed (pip install playwright)") from None

    def block_network(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                headless=True, executable_path=chromium, args=["--no-sandbox"]
            )
        except PlaywrightError as error:
            which = chromium or "Playwright's own Chromium"
            raise ScreenshotError(f"cannot start {which}: {first_line(error)}") from None
        try:
            for width, height in VIEWPORTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=1
                )
                context.route("**/*", block_network)
                page = context.new_page()
                for item in pages:
                    page.goto(item.path.resolve().as_uri(), wait_until="load")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    target = out / f"{item.name}-{width}.png"
                    page.screenshot(path=str(target), full_page=full_page)
                    written.append(target)
                context.close()
        except PlaywrightError as error:
            raise ScreenshotError(f"screenshot failed: {first_line(error)}") from None
        finally:
            browser.close()
    return written


def build_parser() -> argparse.ArgumentParser:
    """Build the command-line parser.

    Returns
    -------
    argparse.ArgumentParser
        The parser for ``site_screenshots.py``.
    """
    parser = argparse.ArgumentParser(
        prog="site_screenshots.py",
        description="Write PNG screenshots of a rendered report site (index and chosen "
        "reports, at 1280 and 390 px wide) with headless Chromium.",
    )
    parser.add_argument("site", type=Path, help="rendered site folder (holds index.html)")
    parser.add_argument("out", type=Path, help="folder to write the PNG files into")
    parser.add_argument(
        "--report",
        action="append",
        metavar="SCENARIO/REPORT",
        help="report page to shoot, e.g. forrester-us-2009/01-headline-impressions "
        "(repeatable; default: " + ", ".join(DEFAULT_REPORTS) + ")",
    )
    parser.add_argument(
        "--full-page", action="store_true", help="shoot whole pages, not just the top"
    )
    parser.add_argument(
        "--chromium",
        metavar="PATH",
        help="Chromium executable (default: first of " + ", ".join(CHROMIUM_NAMES) + " on "
        "PATH, else Playwright's own)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 on success, 2 on an error (reported in one line on stderr).
    """
    args = build_parser().parse_args(argv)
    try:
        pages = find_pages(args.site, args.report or list(DEFAULT_REPORTS))
        chromium = find_chromium(args.chromium)
        written = take_screenshots(pages, args.out, chromium, args.full_page)
    except ScreenshotError as error:
        print(f"site_screenshots.py: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
