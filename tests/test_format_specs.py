"""Numbers a person reads are turned into text only by :mod:`influence_kit.formatting`.

Every ``.py`` file of the package except ``influence_kit/formatting.py`` and
``influence_kit/resources/``, and every report notebook's script ``notebooks/NN-name.py``
(the jupytext twin of its ``.ipynb``; ``notebooks/`` links into the exempt resources, so
the scripts are scanned by name), is parsed with :mod:`ast`; the test fails, naming
``file:line``, on each of:

* (a) an f-string field whose format spec has a numeric presentation type or grouping
  (``{x:.3g}``, ``{n:,}``, ``{p:.1%}``, ``{k:d}``, ``{x:.{digits}f}``); a spec made only
  of fill, alignment and width (``{name:<20}``, ``{x:>{width}}``) or a conversion
  (``{x!r}``) lays out text and is allowed;
* (b) ``format(x, "<numeric spec>")``;
* (c) ``"<literal with a numeric spec>".format(...)`` (or ``.format_map``);
* (d) ``%``-formatting of a string literal with a numeric conversion (``%d``, ``%.2f``,
  ``%g``, ``%e``, ``%(name)5.1f``), whether by the ``%`` operator or as the message of a
  logging call given arguments (``logger.info("%d rows", n)``); ``%s``, ``%r`` and
  ``%%`` are text.

Replace such a spec by the function of :mod:`influence_kit.formatting` that prints the
same text (``format_value``, ``format_fixed``, ``format_percent``, ``format_count``,
``format_scientific``, ``format_quantity``, ...).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "influence_kit"
#: The report notebooks' scripts (a symlink to ``influence_kit/resources/notebooks``).
NOTEBOOKS = ROOT / "notebooks"

#: Files (and folders, ending in ``/``) not scanned: the formatting module itself, and
#: the resources shipped as data.
EXEMPT = ("influence_kit/formatting.py", "influence_kit/resources/")

#: A format spec that prints a number: grouping, a precision, or a numeric type at the end.
NUMERIC_SPEC = re.compile(r"[,_]|\.\d|[bcdeEfFgGnoxX%]$")
#: A date/time spec (``{when:%Y-%m-%d}``): strftime directives, text rather than a number.
STRFTIME_SPEC = re.compile(r"%[A-Za-z]")
#: Stands in for a nested replacement field in a spec (``{x:.{digits}f}``): a digit, so
#: ``.{digits}`` reads as a precision.
_NESTED = "9"
#: A ``%`` conversion that prints a number (``%%`` is removed first).
PERCENT_NUMERIC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgG]")
#: Logging methods whose first argument is a ``%``-format message.
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"}
)


def _numeric(spec: str) -> bool:
    """Whether a format spec prints a number (a date/time spec does not)."""
    return bool(NUMERIC_SPEC.search(spec)) and not STRFTIME_SPEC.search(spec)


def _spec_text(spec: ast.expr) -> str:
    """The text of an f-string field's format spec, nested fields as :data:`_NESTED`."""
    if isinstance(spec, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else _NESTED for v in spec.values)
    return _NESTED


def _literal(node: ast.expr) -> str | None:
    """``node``'s text if it is a string literal, else ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _numeric_fields(template: str) -> list[str]:
    """Numeric specs of the replacement fields of a :meth:`str.format` template."""
    found = []
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return []
    for _text, name, spec, _conversion in fields:
        if name is None or not spec:
            continue
        flat = re.sub(r"\{[^{}]*\}", _NESTED, spec)
        if _numeric(flat):
            found.append(spec)
        found += _numeric_fields(spec)
    return found


def _percent_numeric(text: str) -> list[str]:
    return PERCENT_NUMERIC.findall(text.replace("%%", ""))


def offenders(source: str, relative: str) -> list[str]:
    """``file:line: what`` for every numeric format spec written in ``source``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = _spec_text(node.format_spec)
            if _numeric(spec):
                # the field's expression has its own line; before Python 3.12 the field
                # itself carries the line where the (implicitly joined) f-string starts
                found.append((node.value.lineno, f"f-string spec {{:{spec}}}"))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "format" and len(node.args) >= 2:
                spec_node = node.args[1]
                spec = _literal(spec_node)
                if spec is None and isinstance(spec_node, ast.JoinedStr):
                    spec = _spec_text(spec_node)
                if spec is not None and _numeric(spec):
                    found.append((node.lineno, f"format(..., {spec!r})"))
            elif isinstance(func, ast.Attribute) and func.attr in ("format", "format_map"):
                template = _literal(func.value)
                if template is None and node.args and _is_name(func.value, "str"):
                    template = _literal(node.args[0])
                if template is not None:
                    for spec in _numeric_fields(template):
                        found.append((node.lineno, f"str.format spec {{:{spec}}}"))
            elif (
                isinstance(func, ast.Attribute) and func.attr in LOG_METHODS | {"log"} and node.args
            ):
                position = 1 if func.attr == "log" else 0
                if len(node.args) > position + 1:  # a message and its arguments
                    message = _literal(node.args[position])
                    for conversion in _percent_numeric(message or ""):
                        found.append((node.lineno, f"logging {conversion!r}"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            template = _literal(node.left)
            for conversion in _percent_numeric(template or ""):
                found.append((node.lineno, f"%-format {conversion!r}"))
    return [f"{relative}:{line}: {what}" for line, what in sorted(found)]


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _matches(relative: str, entries: tuple[str, ...]) -> bool:
    return any(
        relative == entry or (entry.endswith("/") and relative.startswith(entry))
        for entry in entries
    )


def _files() -> list[tuple[Path, str]]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "__pycache__" in path.parts or _matches(relative, EXEMPT):
            continue
        files.append((path, relative))
    return files


def _notebook_files() -> list[tuple[Path, str]]:
    """The report notebooks' scripts, named ``notebooks/NN-name.py``."""
    return [(path, f"notebooks/{path.name}") for path in sorted(NOTEBOOKS.glob("*.py"))]


FLAGGED = [
    "f'{x:.3g}'",
    "f'{n:,}'",
    "f'{n:_}'",
    "f'{p:.1%}'",
    "f'{p:%}'",
    "f'{k:d}'",
    "f'{k:>5d}'",
    "f'{x:e}'",
    "f'{x:.{digits}f}'",
    "f'{x:,.{digits}g}'",
    "f'{x:{width}.2f}'",
    "f'{x:>10.2}'",
    "f'{x:n}'",
    "format(x, '.3g')",
    "format(x, ',')",
    "format(x, f'.{d}f')",
    "'{:.2f}'.format(x)",
    "'{0:,}'.format(n)",
    "'{x:{w}.3e}'.format(x=x, w=w)",
    "str.format('{:g}', x)",
    "'{a:.1%}'.format_map(d)",
    "'%.2f' % x",
    "'%d rows' % n",
    "'%(n)5.1f' % d",
    "'%g and %s' % (x, y)",
    "'%e' % x",
    "'%i' % x",
    "logger.info('%d rows', n)",
    "log.debug('%.1f s', t)",
    "logging.warning('%s: %g', a, b)",
    "logger.log(10, '%d', n)",
]

NOT_FLAGGED = [
    "f'{x}'",
    "f'{x!r}'",
    "f'{name:<20}'",
    "f'{name:>{width}}'",
    "f'{name:^9}'",
    "f'{name:s}'",
    "f'{when:%Y-%m-%d}'",
    "format(x, '<20')",
    "format(x)",
    "'{}'.format(x)",
    "'{name!r:>8}'.format(name=n)",
    "'%s' % x",
    "'%r and %s' % (x, y)",
    "'100%% of %s' % x",
    "logger.info('%s rows', n)",
    "logger.info('50%d done')",
    "logger.info('%(n)s rows', {'n': 1})",
    "time.strftime('%Y-%m-%d %H:%M')",
    "x % 3",
    "'text' + '%d'",
    "template.format(x)",
]


@pytest.mark.parametrize("snippet", FLAGGED)
def test_scanner_flags(snippet: str) -> None:
    assert offenders(snippet, "sample.py"), snippet


@pytest.mark.parametrize("snippet", NOT_FLAGGED)
def test_scanner_allows(snippet: str) -> None:
    assert offenders(snippet, "sample.py") == [], snippet


def test_scanner_names_file_and_line() -> None:
    source = "a = 1\nb = f'{a:.2f}'\nc = '%d' % a\nd = (\n    f'{a} '\n    f'{a:,}'\n)\n"
    assert offenders(source, "pkg/mod.py") == [
        "pkg/mod.py:2: f-string spec {:.2f}",
        "pkg/mod.py:3: %-format '%d'",
        "pkg/mod.py:6: f-string spec {:,}",
    ]


def test_scanner_reads_the_package() -> None:
    files = _files()
    relative = {r for _, r in files}
    assert len(files) > 20 and "influence_kit/tables.py" in relative
    assert "influence_kit/formatting.py" not in relative
    assert not any(r.startswith("influence_kit/resources/") for r in relative)


def test_scanner_reads_the_notebooks() -> None:
    scripts = {r for _, r in _notebook_files()}
    assert len(scripts) >= 8 and "notebooks/05-clauset-replication.py" in scripts
    assert all(re.fullmatch(r"notebooks/\d\d-[\w-]+\.py", r) for r in scripts), scripts


def test_numbers_are_formatted_by_the_formatting_module() -> None:
    found = []
    for path, relative in _files() + _notebook_files():
        found += offenders(path.read_text(encoding="utf-8"), relative)
    assert not found, (
        "numeric format specs outside influence_kit/formatting.py (use its functions):\n"
        + "\n".join(found)
    )
