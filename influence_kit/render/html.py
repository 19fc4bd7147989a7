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
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..formatting import format_number, format_quantity
from .templates import REPORT_TEMPLATE, TEMPLATE_DIR, render_template

logger = logging.getLogger(__name__)


#: Words of a key figure's name that make it a share of something (shown as a percentage).
_SHARE_WORDS = ("share", "fraction", "threshold", "prob_above", "headline_top")
#: Groups (first part of a dotted key) whose figures are all shares.
_SHARE_GROUPS = ("technographics",)
#: Words that make a key figure a count of impressions, posts or people (shown in billions).
_COUNT_WORDS = ("impressions", "influence_posts", "monte_carlo_p", "online_adults", "friends")
#: Words that make a key figure a number of readers per post.
_READERS_WORDS = ("readers",)
#: Words of key figures' names written differently in labels.
_LABEL_WORDS = {
    "breakeven": "break-even",
    "gini": "Gini",
    "pct": "%",
    "p": "p-value",
    "gof": "goodness-of-fit",
    "se": "standard error",
    "xmin": "x_min",
    "n": "number",
    "mc": "Monte Carlo",
    "monte": "Monte",
    "sobol": "Sobol",
    "prob": "probability",
    "1pct": "1%",
}


def _key_parts(key: str) -> list[str]:
    """The parts of a flattened key: split at dots, except a decimal point (``share_0.5``)."""
    return re.split(r"\.(?!\d)", key)


def figure_unit(key: str) -> str:
    """The unit of a key figure, from its name (for :func:`format_quantity`).

    Shares and fractions print as percentages, impressions and other large counts in
    billions, readers per post (and break-evens) as whole readers; any other number
    with four significant digits.

    Examples
    --------
    >>> figure_unit("share_of_advertiser_impressions"), figure_unit("total_impressions")
    ('share', 'impressions')
    >>> figure_unit("breakeven_readers_per_post.posts_equal_network"), figure_unit("alpha")
    ('readers', '')
    """
    name = key.lower()
    parts = _key_parts(name)
    group = parts[0] if len(parts) > 1 else ""
    if "breakeven" in name:
        return "readers"
    if any(word in name for word in _SHARE_WORDS) or any(g in group for g in _SHARE_GROUPS):
        return "share"
    if any(word in name for word in _READERS_WORDS):
        return "readers"
    if any(word in name for word in _COUNT_WORDS):
        return "impressions"
    return ""


def figure_label(key: str) -> str:
    """A key figure's name as a reader reads it: words, not identifiers.

    Examples
    --------
    >>> figure_label("breakeven_readers_per_post.posts_equal_network")
    'break-even readers per post: posts equal network'
    >>> figure_label("synthetic.mass_mavens_share")
    'synthetic: mass mavens share'
    >>> figure_label("breakeven_share_0.5"), figure_unit("breakeven_share_0.5")
    ('break-even share 0.5', 'readers')
    """
    parts = []
    for part in _key_parts(key):
        words = [_LABEL_WORDS.get(word, word) for word in part.split("_") if word]
        parts.append(" ".join(words))
    text = ": ".join(parts)
    return text[:1].lower() + text[1:] if text[:2] != "Gi" else text


def _format_figure(value: Any, key: str = "") -> str | None:
    """A key figure as text (None for values that are not scalars)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return format_quantity(value)
    if isinstance(value, int) and figure_unit(key) in ("", "readers"):
        return format_number(value)
    if isinstance(value, (int, float)):
        return format_quantity(value, figure_unit(key))
    return None


def scalar_figures(figures: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """The scalar key figures of a notebook, formatted for display.

    Numbers are shown in the words a reader uses by
    :func:`influence_kit.formatting.format_quantity`, in the unit :func:`figure_unit` finds
    in the key ("502 billion", "25.1%", "156"; booleans as yes/no), text is kept and
    ``None`` shows as ``n/a``; ``summary.json`` keeps the exact values. Nested mappings are
    flattened with dotted keys (``synthetic.mass_mavens_share``); lists are left out.
    """
    out: dict[str, str] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(scalar_figures(value, prefix=f"{name}."))
            continue
        text = _format_figure(value, name)
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
