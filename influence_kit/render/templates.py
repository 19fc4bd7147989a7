"""The Jinja2 templates of the report site, shipped in ``influence_kit/render/templates``.

* ``report/``: an nbconvert template (extends JupyterLab's) for one report page;
* ``report_header.html.j2``: the key-figures box at the top of every report;
* ``site_index.html.j2``: the site's front page.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

#: Folder of the shipped templates (real files: wheels are installed unpacked).
TEMPLATE_DIR = Path(str(files(__package__ or "influence_kit.render") / "templates"))

#: Name of the nbconvert template of a report page (a folder of :data:`TEMPLATE_DIR`).
REPORT_TEMPLATE = "report"


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment


def render_template(name: str, **context: Any) -> str:
    """Render the shipped template ``name`` (HTML-escaped) with ``context``."""
    return _environment().get_template(name).render(**context)
