"""Turn an executed notebook into a single shareable HTML page.

Code and prompts are hidden, images stay embedded (one file can be mailed), a
header box shows the run's parameters and the notebook's key figures, every
figure carries alt text (from the titles and axis labels that
:func:`influence_kit.render.notebook_support.setup_notebook` records), and stray stderr output
(warnings) is kept out of the page and logged instead.

Pages and scenarios are named in words (:func:`notebook_title`, :func:`scenario_title`,
:func:`page_title`), and every page carries a navigation bar (:func:`navigation_html`)
between :data:`NAV_START` and :data:`NAV_END`, which the publisher fills in once the site
is known (:func:`influence_kit.render.publish.update_site`).
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..formatting import format_number
from ..results import LEAD_FIGURES, Conclusion
from .figures import shown_figures
from .notebook_support import describe_overrides
from .templates import REPORT_TEMPLATE, TEMPLATE_DIR, render_template

logger = logging.getLogger(__name__)

#: The site's front page, seen from a report page's folder.
_INDEX_FILE = "index.html"

#: Markers around the navigation bar of a report page (rewritten by
#: :func:`influence_kit.render.publish.update_site` whenever the site changes).
NAV_START = "<!--ik-nav-->"
NAV_END = "<!--/ik-nav-->"
_NAV_RE = re.compile(re.escape(NAV_START) + ".*?" + re.escape(NAV_END), re.DOTALL)

#: Words written in capitals when a slug is turned into words.
_ACRONYMS = frozenset({"us", "uk", "eu"})


def words(slug: str) -> str:
    """A slug as words: ``forrester-us-2009`` -> ``Forrester US 2009``.

    Examples
    --------
    >>> words("forrester-us-2009")
    'Forrester US 2009'
    >>> words("western-europe-2010")
    'Western Europe 2010'
    """
    parts = [p for p in re.split(r"[-_.\s]+", slug) if p]
    return " ".join(p.upper() if p.lower() in _ACRONYMS else p.capitalize() for p in parts)


def notebook_title(stem: str) -> str:
    """A notebook's title in words, from its file stem (the number prefix dropped).

    Examples
    --------
    >>> notebook_title("01-headline-impressions")
    'Headline impressions'
    >>> notebook_title("02-readers-per-post-sensitivity")
    'Readers per post sensitivity'
    """
    text = re.sub(r"^\d+[-_]", "", stem)
    text = " ".join(p for p in re.split(r"[-_]+", text) if p)
    return (text[:1].upper() + text[1:]) if text else stem


def _override_words(overrides: Mapping[str, Any]) -> str:
    """Overrides in words: ``{"readers_per_post": 300.0}`` -> ``readers per post 300``."""
    parts = []
    for key, value in overrides.items():
        name = key.rsplit(".", 1)[-1].replace("_", " ")
        shown = format_number(value) if isinstance(value, int | float) else str(value)
        parts.append(f"{name} {shown}")
    return ", ".join(parts)


def scenario_title(folder: str | None, base: str | None = None, overrides: Any = None) -> str:
    """A report folder's scenario in words; a variant names its base and its overrides.

    Examples
    --------
    >>> scenario_title("forrester-us-2009")
    'Forrester US 2009'
    >>> scenario_title("rpp300", "forrester-us-2009", {"readers_per_post": 300.0})
    'Forrester US 2009, readers per post 300'
    >>> scenario_title(None)
    'All scenarios'
    """
    if folder is None:
        return "All scenarios"
    if overrides and base:
        return f"{words(base)}, {_override_words(overrides)}"
    return words(folder)


def page_title(stem: str, scenario: str) -> str:
    """A report page's ``<title>``: ``Headline impressions: Forrester US 2009 - influence_kit``."""
    return f"{notebook_title(stem)}: {scenario} - influence_kit"


def navigation_html(nav: Mapping[str, Any] | None = None) -> str:
    """The navigation bar of a report page, between :data:`NAV_START` and :data:`NAV_END`.

    Without ``nav`` (a page just rendered, before the site is known) it links to the
    index only.
    """
    shown = nav or {"index": f"../{_INDEX_FILE}", "previous": None, "next": None, "others": []}
    bar = render_template("report_nav.html.j2", nav=shown)
    return f"{NAV_START}{bar.strip()}{NAV_END}"


def replace_navigation(text: str, bar: str) -> str | None:
    """``text`` (a report page) with its navigation bar replaced by ``bar`` (see
    :func:`navigation_html`); ``None`` for a page without one."""
    found = _NAV_RE.search(text)
    if found is None:
        return None
    return text[: found.start()] + bar + text[found.end() :]


def strip_navigation(text: str) -> str:
    """``text`` (a report page) without its navigation bar (for print)."""
    return _NAV_RE.sub("", text)


def report_header(
    *,
    scenario: str | None,
    notebook: str,
    seed: int,
    overrides: Mapping[str, Any],
    figures: Mapping[str, Any],
    conclusion: Mapping[str, Any] | None = None,
    rendered_at: _dt.datetime | None = None,
    base_scenario: str | None = None,
) -> str:
    """The box that opens every report: its conclusion, then its lead key figures.

    ``conclusion`` is what the notebook saved (:class:`~influence_kit.results.Conclusion`
    as data): its sentences open the box and the figures it names follow; without one the
    box shows the first :data:`~influence_kit.results.LEAD_FIGURES` figures. Every other
    key figure sits in a collapsed list below. ``scenario`` is ``None`` for a notebook
    that does not depend on the scenario; ``base_scenario`` is the scenario a variant (a
    render with ``overrides``) was made from.
    """
    every = shown_figures(figures)
    said = Conclusion.from_dict(conclusion)
    by_key = {figure.key: figure for figure in every}
    if said is not None and said.figures:
        lead = tuple(by_key[key] for key in said.figures if key in by_key)
    else:
        lead = every[:LEAD_FIGURES]
    rest = tuple(figure for figure in every if figure not in lead)
    stamp = (rendered_at or _dt.datetime.now(_dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return render_template(
        "report_header.html.j2",
        notebook=notebook,
        notebook_title=notebook_title(notebook),
        scenario=scenario,
        scenario_label=scenario_title(scenario, base_scenario, overrides),
        sentences=said.sentences if said is not None else (),
        figures=lead,
        more_figures=rest,
        overrides=describe_overrides(overrides),
        overrides_words=_override_words(overrides),
        seed=seed,
        version=__version__,
        rendered_at=stamp,
    )


def _drop_stderr(nb: Any, name: str) -> None:
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                logger.warning(
                    "%s: stderr output left out of the report: %s",
                    name,
                    output.get("text", "").strip()[:200],
                )
                continue
            kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept


def inline_svg(svg: str | list[str]) -> str:
    """An SVG output as markup to put inside an HTML page (as the report template does).

    The XML prolog and doctype are dropped; the root element keeps (or gets) ``role="img"``
    and an ``aria-label`` (see
    :func:`influence_kit.render.notebook_support.label_svg`). Only the notebooks' own
    matplotlib output is inlined: matplotlib escapes every text it writes.

    Examples
    --------
    >>> inline_svg('<?xml version="1.0"?><svg width="1"></svg>')
    '<svg role="img" aria-label="Figure" width="1"></svg>'
    """
    text = "".join(svg) if isinstance(svg, list) else str(svg)
    start = text.find("<svg")
    if start < 0:
        return ""
    text = text[start:]
    if 'role="img"' not in text[: text.find(">")]:
        text = f'<svg role="img" aria-label="Figure"{text[4:]}'
    return text


_EXPORTERS = threading.local()


def _report_exporter() -> Any:
    """This thread's nbconvert exporter of report pages, made once: its templates are
    compiled on first use, and render threads never share one."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name=REPORT_TEMPLATE,
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            filters={"inline_svg": inline_svg},
        )
        _EXPORTERS.exporter = exporter
    return exporter


def notebook_to_html(executed: str | Path, header: str = "", title: str | None = None) -> str:
    """Convert an executed notebook to standalone HTML with code and prompts hidden.

    The page is nbconvert's JupyterLab page through the shipped ``report`` template: no
    external scripts, a navigation bar (:func:`~.site.navigation_html`; it links to the
    index until :func:`~.site.write_index` fills in the site) and ``header`` at the top of
    the body, SVG charts inlined (see
    :func:`inline_svg`) and each PNG figure's alt text taken from its output metadata (see
    :func:`influence_kit.render.notebook_support.setup_notebook`).

    Parameters
    ----------
    executed
        The executed notebook file.
    header
        HTML inserted at the top of the page body (see :func:`report_header`).
    title
        The page title (default: the notebook's first heading or file name).
    """
    import nbformat

    path = Path(executed)
    nb = nbformat.read(str(path), as_version=4)
    _drop_stderr(nb, path.name)
    if title:
        nb.metadata["title"] = title
    body, _ = _report_exporter().from_notebook_node(
        nb, resources={"report_header": header, "report_nav": navigation_html()}
    )
    return body
