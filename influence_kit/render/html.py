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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..formatting import format_number, format_quantity
from .templates import REPORT_TEMPLATE, TEMPLATE_DIR, render_template

logger = logging.getLogger(__name__)


def _format_figure(value: Any) -> str | None:
    """A key figure as text (None for values that are not scalars)."""
    if isinstance(value, (bool, int, float)):
        return format_number(value)
    if value is None or isinstance(value, str):
        return format_quantity(value)
    return None


def scalar_figures(figures: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """The scalar key figures of a notebook, formatted for display.

    Numbers are formatted by :func:`influence_kit.formatting.format_number` (booleans as
    yes/no), text is kept and ``None`` shows as ``n/a``. Nested mappings are flattened with
    dotted keys (``synthetic.mass_mavens_share``); lists are left out.
    """
    out: dict[str, str] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(scalar_figures(value, prefix=f"{name}."))
            continue
        text = _format_figure(value)
        if text is not None:
            out[name] = text
    return out


def report_header(
    *,
    scenario: str | None,
    notebook: str,
    seed: int,
    overrides: Sequence[str],
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
        figures=scalar_figures(figures),
        overrides=list(overrides),
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


def notebook_to_html(executed: str | Path, header: str = "", title: str | None = None) -> str:
    """Convert an executed notebook to standalone HTML with code and prompts hidden.

    The page is nbconvert's JupyterLab page through the shipped ``report`` template: no
    external scripts, ``header`` at the top of the body, and each PNG figure's alt text
    taken from its output metadata (see
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
    )
    body, _ = exporter.from_notebook_node(nb, resources={"report_header": header})
    return body
