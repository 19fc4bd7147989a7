"""Build-time pages of the influence_kit documentation.

Three things are generated when Sphinx starts, so they never go stale:

* ``reference/cli.md``: the help of ``influence-kit`` and of each subcommand, taken from the
  argparse parser that :func:`influence_kit.cli.main.main` uses;
* ``reference/scenario-schema.md``: the JSON schema of :class:`influence_kit.scenarios.Scenario`
  from its pydantic model;
* ``tutorials/notebooks/*.ipynb``: copies of the committed notebooks (``notebooks/0*.ipynb``),
  which myst-nb shows with their committed outputs.

It also drops the docstring a constant inherits from its type (a ``dict`` constant would show
``dict``'s own docstring), and loads the names a package imports on first use (PEP 562
``__getattr__``, as :mod:`influence_kit.audience` does), so autodoc, which lists a module's
attributes, sees every name of its ``__all__``.

A file is rewritten only when its content changes, so an unchanged build stays incremental.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

#: The width argparse wraps help text to, fixed so the page does not depend on the terminal.
HELP_WIDTH = 100


def _write_if_changed(path: Path, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_reference() -> str:
    """The CLI reference page (MyST): the top-level help, then each subcommand's."""
    from influence_kit.cli.main import build_parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(HELP_WIDTH)
    try:
        parser = build_parser()
        parser.prog = "influence-kit"
        lines = [
            "# Command line",
            "",
            "<!-- Generated at build time from influence_kit.cli.main.build_parser(); "
            "do not edit. -->",
            "",
            "Every subcommand of `influence-kit`, with the help text its `--help` prints.",
            "",
            "```text",
            parser.format_help().rstrip(),
            "```",
            "",
        ]
        for name, sub in _subcommands(parser).items():
            lines += [f"## `influence-kit {name}`", "", "```text", sub.format_help().rstrip()]
            lines += ["```", ""]
        return "\n".join(lines)
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous


def schema_reference() -> str:
    """The scenario schema page (MyST): the pydantic model's JSON schema."""
    from influence_kit.scenarios import Scenario

    schema = json.dumps(Scenario.model_json_schema(), indent=2, sort_keys=False)
    return "\n".join(
        [
            "# Scenario schema",
            "",
            "<!-- Generated at build time from Scenario.model_json_schema(); do not edit. -->",
            "",
            "The JSON schema of a scenario file, generated from the pydantic model",
            "{class}`influence_kit.scenarios.Scenario`. A scenario YAML file is validated",
            "against this model when it is loaded; see {doc}`../howto/own-scenario`.",
            "",
            "```json",
            schema,
            "```",
            "",
        ]
    )


def load_lazy_names(modules: list[str]) -> None:
    """Bind each lazily loaded name of ``__all__`` in its package (in this process only)."""
    import importlib

    for name in modules:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            if attr not in vars(module):
                setattr(module, attr, getattr(module, attr))


def drop_type_docstring(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Clear a data member's docstring when it is only its type's (``dict``, ``tuple``, ...)."""
    if what not in ("data", "attribute") or not lines:
        return
    own = inspect.getdoc(type(obj))
    if own and lines[0].strip() == own.splitlines()[0].strip():
        lines.clear()


def _api_modules(src: Path) -> list[str]:
    """The modules the API page lists in its autosummary."""
    text = (src / "reference" / "api.md").read_text()
    return [line.strip() for line in text.splitlines() if line.strip().startswith("influence_kit.")]


def generate(app: Sphinx, config: Any) -> None:
    src = Path(app.srcdir)
    load_lazy_names(_api_modules(src))
    _write_if_changed(src / "reference" / "cli.md", cli_reference())
    _write_if_changed(src / "reference" / "scenario-schema.md", schema_reference())
    notebooks = src.parent / "notebooks"
    for path in sorted(notebooks.glob("0*.ipynb")):
        _write_if_changed(src / "tutorials" / "notebooks" / path.name, path.read_bytes())


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", generate)
    app.connect("autodoc-process-docstring", drop_type_docstring)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
