"""The documentation site (``make docs``) builds with no warning, documents every public name and
lists every subcommand of the command line."""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

#: The modules the API reference documents (docs/reference/api.md lists the same).
PUBLIC_MODULES = [
    "scenarios",
    "accounting",
    "sensitivity",
    "fitting",
    "concentration",
    "distributions",
    "segments",
    "population",
    "audience",
    "engagement",
    "explorer",
    "render",
    "data",
    "datasets",
    "results",
    "formatting",
    "parsing",
    "validation",
    "tables",
    "parallel",
    "reach",
    "evidence",
    "plots",
]

pytestmark = [
    pytest.mark.slow,
    # Sphinx's own napoleon uses an autodoc interface Sphinx itself deprecates (9.0).
    pytest.mark.filterwarnings("ignore:The mapping interface for autodoc options"),
]


class _Text(HTMLParser):
    """The visible text of a page and the ids of its elements."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.ids: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for key, value in attrs:
            if key == "id" and value:
                self.ids.add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


def _read(page: Path) -> _Text:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from sphinx.cmd.build import build_main

    out = tmp_path_factory.mktemp("docs") / "html"
    assert build_main(["-W", "-q", "-b", "html", str(DOCS), str(out)]) == 0
    return out


def test_api_page_lists_the_public_modules():
    listed = re.findall(
        r"^\s+(influence_kit\.\w+)$", (DOCS / "reference" / "api.md").read_text(), re.M
    )
    assert listed == [f"influence_kit.{name}" for name in PUBLIC_MODULES]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_public_name_is_documented(site, name):
    module = importlib.import_module(f"influence_kit.{name}")
    page = _read(site / "reference" / "generated" / f"influence_kit.{name}.html")
    text = " ".join(page.chunks)
    missing = [
        attr
        for attr in getattr(module, "__all__", ())
        if f"influence_kit.{name}.{attr}" not in page.ids or attr not in text
    ]
    assert not missing, f"influence_kit.{name}: not documented: {missing}"


def test_cli_reference_lists_every_subcommand(site):
    import argparse

    from influence_kit.cli.main import build_parser

    (subparsers,) = [
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ]
    text = " ".join(_read(site / "reference" / "cli.html").chunks)
    missing = [
        command
        for command in subparsers.choices
        if f"influence-kit {command}" not in text or f"usage: influence-kit {command}" not in text
    ]
    assert subparsers.choices and not missing, missing


def test_scenario_schema_and_tutorials_are_built(site):
    schema = " ".join(_read(site / "reference" / "scenario-schema.html").chunks)
    assert '"readers_per_post"' in schema and '"network_impressions"' in schema
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("0*.ipynb"))
    built = sorted(p.stem for p in (site / "tutorials" / "notebooks").glob("*.html"))
    assert built == notebooks
