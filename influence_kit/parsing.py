"""Text typed by a person into typed values: the one parser.

The command line (``--set KEY=VALUE``, ``--drop``) and the explorer's text fields are the
only places where text becomes numbers; both call this module, so they accept the same
forms and refuse the same others. The library itself takes typed values: a scenario's
overrides are a mapping of dotted keys to numbers, lists and strings
(:meth:`influence_kit.scenarios.Scenario.with_overrides`), never ``KEY=VALUE`` text.

Accepted numbers: ``150``, ``1.64e9``, ``256e9``, ``256_000_000_000`` (digits grouped by
underscores, as in Python) and ``256,000,000,000`` (commas only between groups of three
digits, so ``1,5`` is refused rather than read as 15). Refused: words, ``nan`` and
infinities.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from .errors import ParameterError, ScenarioError

#: A number as a person may type it: Python's int and float literals (underscores
#: between digits allowed), without words such as ``nan`` or ``inf``.
_NUMBER = re.compile(
    r"[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?"
)
#: The same with thousands separators: ``1,500``, ``256,000,000,000.5``.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def parse_number_text(text: str) -> int | float | None:
    """The number ``text`` spells, or ``None`` if it spells none.

    Integers stay ``int`` (``300``); anything with a point or an exponent is a ``float``.

    Examples
    --------
    >>> parse_number_text("256e9"), parse_number_text("1_500"), parse_number_text(" 300 ")
    (256000000000.0, 1500, 300)
    >>> parse_number_text("1,500"), parse_number_text("1,5") is None
    (1500, True)
    >>> parse_number_text("nan") is None
    True
    """
    raw = str(text).strip()
    if _NUMBER.fullmatch(raw) is None and _GROUPED.fullmatch(raw) is None:
        return None
    compact = raw.replace("_", "").replace(",", "")
    if re.fullmatch(r"[+-]?\d+", compact):
        return int(compact)
    value = float(compact)
    return value if math.isfinite(value) else None


def parse_number(name: str, text: str) -> float:
    """A finite, non-negative number typed into a field named ``name``.

    Raises
    ------
    ParameterError
        If the text is empty, not a number in an accepted form, negative or not finite.

    Examples
    --------
    >>> parse_number("readers per post", " 1500 ")
    1500.0
    >>> parse_number("readers per post", "1,5")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    influence_kit.errors.ParameterError: readers per post: '1,5' is not a number
    """
    raw = str(text).strip()
    if not raw:
        raise ParameterError(f"{name}: enter a number")
    value = parse_number_text(raw)
    if value is None:
        hint = " (commas only between groups of three digits: 1,500)" if "," in raw else ""
        raise ParameterError(f"{name}: {raw!r} is not a number{hint}")
    if value < 0:
        raise ParameterError(f"{name} must not be negative, got {raw}")
    return float(value)


def parse_override_value(text: str) -> Any:
    """The value part of ``KEY=VALUE``: a number if it spells one.

    Unlike YAML 1.1, ``256e9`` is a number. ``[a, b]`` is a list of such values (``[]`` the
    empty list), as in ``audience_model.derive=[readers_per_post]``; ``true``/``false`` are
    booleans, ``null`` is ``None``, anything else stays text (for the scenario's validation
    to accept or refuse by the key's type).

    Examples
    --------
    >>> parse_override_value("256e9"), parse_override_value("[readers_per_post]")
    (256000000000.0, ['readers_per_post'])
    """
    raw = str(text).strip()
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1].strip()
        return [parse_override_value(item) for item in inner.split(",")] if inner else []
    number = parse_number_text(raw)
    if number is not None:
        return number
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if raw.lower() in ("null", "none", "~"):
        return None
    return raw


def parse_overrides(items: Iterable[str] | None) -> dict[str, Any]:
    """``["a.b=1", ...]`` as the mapping ``{"a.b": 1, ...}`` that the library takes.

    Raises
    ------
    ScenarioError
        If an item is not ``KEY=VALUE``, has an empty key or value, or a control character.

    Examples
    --------
    >>> parse_overrides(["readers_per_post=300", "network_shares.facebook = 0.6"])
    {'readers_per_post': 300, 'network_shares.facebook': 0.6}
    """
    out: dict[str, Any] = {}
    for item in items or ():
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"override {item!r} must have the form KEY=VALUE")
        if not key.strip().isprintable() or not value.strip().isprintable():
            raise ScenarioError(f"override {item!r} has a control character (a line break?)")
        if not value.strip():
            raise ScenarioError(f"override {item!r} has no value")
        out[key.strip()] = parse_override_value(value)
    return out
