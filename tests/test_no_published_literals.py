"""Published figures live only in the scenario files, never written out in code.

Every ``.py`` file of the package (tests and the shipped scenario YAML files are not
``.py`` files of the package, so they are not scanned) and every notebook script
(``notebooks/NN-*.py``) is read with :mod:`tokenize`. A ``NUMBER`` token whose value
equals one of :data:`PUBLISHED` fails the test, named ``file:line``; values, not
spellings, are compared, so ``256e9`` and ``256_000_000_000`` both match while
``1500`` or ``0.0625`` do not. The default seed (20100420) may be written only in
``influence_kit/constants.py``.

Principled exemptions:

* **Comments and strings are not scanned** (``tokenize`` reports them as ``COMMENT``
  and ``STRING`` tokens, docstrings and f-strings included): prose may cite a
  figure, code may not compute with one.
* **Plot styling keywords** (:data:`STYLE_KEYWORDS`, e.g. ``linewidth=0.8``): a line
  width or transparency of 0.8 is a drawing choice, not the 80% of a headline. A
  number is exempt only when it is the whole value (or an element of a tuple value)
  of such a keyword argument in a call, or of such a string key in a dict literal
  (``bbox={"alpha": 0.8}``).
* :data:`NOT_FIGURES`: a short, reviewed list of (file, source line) pairs whose number
  happens to equal a figure but means something else, each with its reason.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "influence_kit"

#: Published figures (US 2009 scenario): segment shares, channel totals, readers per
#: post, the Connectors' mean friends, the headline's 16% / 80%, and the default seed.
PUBLISHED: dict[float, str] = {
    0.062: "Mass Connectors share",
    0.138: "Mass Mavens share",
    0.037: "overlap share",
    256e9: "network impressions",
    1.64e9: "influence posts",
    150: "readers per post",
    537: "Mass Connectors' mean friends",
    0.16: "headline share of adults",
    0.8: "concentration / headline share",
    20100420: "default seed",
}

#: The only file allowed to write the default seed.
SEED_HOME = "influence_kit/constants.py"

#: Keyword arguments of plotting calls whose numbers are styling, not figures.
STYLE_KEYWORDS = frozenset(
    {
        "alpha",
        "linewidth",
        "lw",
        "linewidths",
        "markersize",
        "ms",
        "fontsize",
        "bbox_to_anchor",
        "width",
        "height",
        "pad",
        "shrink",
        "fraction",
    }
)

#: (file, stripped source line) -> why the number there is not a published figure.
NOT_FIGURES: dict[tuple[str, str], str] = {
    (
        "influence_kit/distributions/frozen.py",
        "edges = [start, *[start + d for d in (2.0, 10.0, 40.0, 150.0) if start + d < _T_MAX]]",
    ): "break points of a numerical integral in t = -ln s, not readers per post",
}


def _files() -> list[Path]:
    package = [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.py"))
    scripts = {p.resolve() for p in package}
    return sorted(package) + [p for p in notebooks if p.resolve() not in scripts]


def _style_positions(source: str) -> set[tuple[int, int]]:
    """Start positions of numbers that are the value of a styling keyword argument."""
    exempt: set[tuple[int, int]] = set()
    styled: list[ast.expr] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg in STYLE_KEYWORDS:
            styled.append(node.value)
        elif isinstance(node, ast.Dict):  # e.g. bbox={"alpha": 0.8}
            styled += [
                v
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and k.value in STYLE_KEYWORDS
            ]
    for styled_value in styled:
        values = styled_value.elts if isinstance(styled_value, ast.Tuple) else [styled_value]
        for value in values:
            if isinstance(value, ast.UnaryOp):
                value = value.operand
            if isinstance(value, ast.Constant):
                exempt.add((value.lineno, value.col_offset))
    return exempt


def published_literals(path: Path, relative: str) -> list[str]:
    """``file:line: value (figure)`` for every published figure written in ``path``."""
    source = path.read_text(encoding="utf-8")
    exempt = _style_positions(source)
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.NUMBER:
            continue
        value = ast.literal_eval(tok.string)
        if isinstance(value, complex) or value not in PUBLISHED:
            continue
        if value == 20100420 and relative == SEED_HOME:
            continue
        if tok.start in exempt or (relative, tok.line.strip()) in NOT_FIGURES:
            continue
        found.append(f"{relative}:{tok.start[0]}: {tok.string} ({PUBLISHED[value]})")
    return found


def test_scanner_finds_numbers_not_prose(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Readers per post: 150; 0.8 of impressions."""\n'
        "a = 150  # 150 in a comment is prose\n"
        "b = 256_000_000_000\n"
        "c = 1500 + 0.0625 + 5370\n"
        "d = f'{0.8:.0%}'\n"
        "ax.plot(x, linewidth=0.8, alpha=0.8)\n"
        "e = 0.80\n"
        "seed = 20100420\n",
        encoding="utf-8",
    )
    found = published_literals(sample, "sample.py")
    assert [f.split(":")[1] for f in found] == ["2", "3", "7", "8"]
    assert published_literals(sample, SEED_HOME)[-1].startswith(f"{SEED_HOME}:7:")


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_published_literals(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    found = published_literals(path, relative)
    assert not found, "published figures written in code (read them from the Scenario):\n" + (
        "\n".join(found)
    )
