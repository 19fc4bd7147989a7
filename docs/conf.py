"""Sphinx configuration of the influence_kit documentation (``make docs``).

The site builds offline: no intersphinx, no remote images or fonts beyond what the theme ships.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

from influence_kit import __version__  # noqa: E402

project = "influence_kit"
author = "The influence_kit authors"
copyright = "The influence_kit authors"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    # Napoleon rather than numpydoc: the docstrings follow the numpydoc layout, but not all of
    # them strictly (free prose sections, "Returns" without a type); numpydoc's validation would
    # warn on those and -W turns warnings into errors, while napoleon reads what it recognises
    # and passes the rest through as reStructuredText.
    "sphinx.ext.napoleon",
    # MyST markdown pages and notebooks; myst-nb registers myst-parser itself.
    "myst_nb",
    "influence_kit_docs",
]

# Notebooks are shown with the outputs committed with them, never re-executed.
nb_execution_mode = "off"
# No "dollarmath": math would load MathJax from a CDN, and the site must work offline.
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "_templates"]
templates_path = ["_templates"]

autosummary_generate = True


def _public_data() -> dict[str, list[str]]:
    """Per module of the API page, the names of its ``__all__`` that are data (constants, type
    aliases): autodoc's ``automodule`` shows only data documented in the module's own source, so
    the module template documents these one by one with ``autodata``."""
    import importlib
    import inspect

    api = (HERE / "reference" / "api.md").read_text().splitlines()
    found: dict[str, list[str]] = {}
    for line in api:
        name = line.strip()
        if not name.startswith("influence_kit."):
            continue
        module = importlib.import_module(name)
        found[name] = [
            attr
            for attr in getattr(module, "__all__", ())
            if not (inspect.isclass(obj := getattr(module, attr)) or inspect.isroutine(obj))
            and not inspect.ismodule(obj)
        ]
    return found


autosummary_context = {"public_data": _public_data()}
autosummary_imported_members = False
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
# pydantic models carry generated members (model_config, model_fields, ...): document what the
# project wrote, not what pydantic adds.
autodoc_inherit_docstrings = False
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

html_theme = "pydata_sphinx_theme"
html_title = f"influence_kit {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_show_sourcelink = False

# The report notebooks write their title in code (from the scenario's own region, year and
# claim), so their first Markdown heading is an H2; the tutorial pages take that as it is.
suppress_warnings = ["myst.header"]
