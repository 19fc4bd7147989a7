"""Turn an executed notebook into a single shareable HTML page.

Code and prompts are hidden, images stay embedded (one file can be mailed), a
header box shows the run's parameters and the notebook's key figures, every
figure carries alt text (from the titles and axis labels that
:func:`influence_kit.reporting.setup_notebook` records), and stray stderr output
(warnings) is kept out of the page and logged instead.
"""

from __future__ import annotations

import datetime as _dt
import html
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__

logger = logging.getLogger(__name__)

PAGE_CSS = """
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
main, .jp-Notebook { max-width: 60rem; margin: 0 auto; }
.jp-RenderedHTMLCommon { font-size: 1rem; line-height: 1.55; }
.ik-header { font-family: system-ui, sans-serif; border: 1px solid #c8d3e0;
  background: #f5f8fb; border-radius: 6px; padding: 0.8rem 1.2rem; margin: 1rem auto;
  max-width: 60rem; }
.ik-header .ik-title { font-size: 1.05rem; margin: 0 0 0.5rem 0; }
.ik-header table { border-collapse: collapse; font-size: 0.9rem; }
.ik-header td, .ik-header th { padding: 0.15rem 0.8rem 0.15rem 0; text-align: left;
  vertical-align: top; }
.ik-header .ik-meta { color: #444; font-size: 0.85rem; margin-top: 0.5rem; }
</style>
"""


def format_figure(value: Any) -> str | None:
    """Format a key figure for display (None for values that are not scalars)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
            return f"{value:.4g}"
        return f"{value:,.4g}"
    if isinstance(value, str):
        return value
    if value is None:
        return "n/a"
    return None


def scalar_figures(figures: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """The scalar key figures of a notebook, formatted for display.

    Nested mappings are flattened with dotted keys (``synthetic.mass_mavens_share``);
    lists are left out.
    """
    out: dict[str, str] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(scalar_figures(value, prefix=f"{name}."))
            continue
        text = format_figure(value)
        if text is not None:
            out[name] = text
    return out


def report_header(
    *,
    scenario: str,
    notebook: str,
    seed: int,
    overrides: Sequence[str],
    figures: Mapping[str, Any],
    rendered_at: _dt.datetime | None = None,
) -> str:
    """The summary box shown at the top of every report."""
    stamp = (rendered_at or _dt.datetime.now(_dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    rows = "".join(
        f'<tr><th scope="row">{html.escape(k.replace("_", " "))}</th>'
        f'<td data-key="{html.escape(k)}">{html.escape(v)}</td></tr>'
        for k, v in scalar_figures(figures).items()
    )
    over = html.escape(", ".join(overrides)) if overrides else "none"
    table = f"<table>{rows}</table>" if rows else ""
    return (
        '<section class="ik-header" aria-label="Key figures">'
        f'<p class="ik-title"><strong>Key figures: {html.escape(notebook)} &middot; '
        f"{html.escape(scenario)}</strong></p>"
        f"{table}"
        f'<div class="ik-meta">scenario <strong>{html.escape(scenario)}</strong> &middot; '
        f"overrides: {over} &middot; seed {seed} &middot; influence_kit "
        f"{html.escape(__version__)} &middot; rendered {stamp}</div></section>"
    )


#: External scripts nbconvert adds that reports do not need (no widgets, no LaTeX): a
#: mailed report must not depend on the network.
_EXTERNAL_SCRIPTS = re.compile(
    r'<script src="https://[^"]*(?:require\.js|mathjax)[^"]*">\s*</script>\n?'
)


def _alt_texts(nb: Any) -> list[tuple[str, str]]:
    """(start of base64 PNG, alt text) for every PNG output, in document order."""
    pairs = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            png = data.get("image/png")
            if not png:
                continue
            meta = output.get("metadata", {}).get("image/png", {})
            alt = meta.get("alt") if isinstance(meta, dict) else None
            pairs.append((png.replace("\n", "")[:200], alt or "Figure"))
    return pairs


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
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    # nbconvert warns about images without alt text; the alt text is added below.
    exporter.log.setLevel(logging.ERROR)
    body, _ = exporter.from_notebook_node(nb)
    for start, alt in _alt_texts(nb):
        pattern = re.compile(
            r'<img alt="[^"]*"(?P<rest>[^>]*?src="data:image/png;base64,' + re.escape(start) + ")"
        )
        body = pattern.sub(
            lambda m, alt=alt: f'<img alt="{html.escape(alt)}"{m.group("rest")}', body, count=1
        )
    body = _EXTERNAL_SCRIPTS.sub("", body)
    body = body.replace("</head>", PAGE_CSS + "</head>", 1)
    if header:
        pos = body.find("<main>")
        if pos >= 0:
            pos += len("<main>")
        else:
            pos = body.find(">", body.find("<body")) + 1
        body = body[:pos] + header + body[pos:]
    return body
