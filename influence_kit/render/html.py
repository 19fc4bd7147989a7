"""Turn an executed notebook into a single shareable HTML page.

Code and prompts are hidden, images stay embedded (one file can be mailed), a
header box shows the run's parameters and the notebook's key figures, every
figure carries alt text (from the titles and axis labels that
:func:`influence_kit.render.notebook_support.setup_notebook` records), and stray stderr output
(warnings) is kept out of the page and logged instead.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from .figures import shown_figures
from .notebook_support import describe_overrides
from .templates import REPORT_TEMPLATE, TEMPLATE_DIR, render_template

logger = logging.getLogger(__name__)


def report_header(
    *,
    scenario: str | None,
    notebook: str,
    seed: int,
    overrides: Mapping[str, Any],
    figures: Mapping[str, Any],
    rendered_at: _dt.datetime | None = None,
) -> str:
    """The summary box shown at the top of every report.

    ``scenario`` is ``None`` for a notebook that does not depend on the scenario.
    """
    stamp = (rendered_at or _dt.datetime.now(_dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return render_template(
        "report_header.html.j2",
        notebook=notebook,
        scenario=scenario,
        scenario_label=scenario or "all scenarios",
        figures=shown_figures(figures),
        overrides=describe_overrides(overrides),
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


def notebook_to_html(executed: str | Path, header: str = "", title: str | None = None) -> str:
    """Convert an executed notebook to standalone HTML with code and prompts hidden.

    The page is nbconvert's JupyterLab page through the shipped ``report`` template: no
    external scripts, ``header`` at the top of the body, SVG charts inlined (see
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
    from nbconvert import HTMLExporter

    path = Path(executed)
    nb = nbformat.read(str(path), as_version=4)
    _drop_stderr(nb, path.name)
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name=REPORT_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        filters={"inline_svg": inline_svg},
    )
    body, _ = exporter.from_notebook_node(nb, resources={"report_header": header})
    return body
