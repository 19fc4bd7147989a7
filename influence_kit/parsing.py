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

:func:`parse_quantity` reads the same numbers for a field of a known unit, and also what a
person writes in prose: scale words (``256 billion``, ``256bn``), spaces between groups of
three digits (``1 640 000 000``) and, for a share, a percentage (``25%``).
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable
from typing import Any

from .errors import ParameterError, ScenarioError
from .formatting import UNITS, format_value

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
    value = _literal(text)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
    return _typed_number(name, raw, raw)


def _typed_number(name: str, typed: str, number_text: str, hint: str = "", shift: int = 0) -> float:
    """The rules every typed number obeys, shared by :func:`parse_number` and
    :func:`parse_quantity`: ``number_text`` (the number part of ``typed``, what the person
    typed, stripped) must spell a number in an accepted form (:func:`parse_number_text`),
    times ``10**shift``, that is not negative and fits a float.

    ``hint`` ends the message of text that is not a number (where there is a comma, the
    rule for commas instead).
    """
    if not typed:
        raise ParameterError(f"{name}: enter a number")
    number = _literal(number_text, shift)
    if number is None:
        if "," in typed:
            hint = " (commas only between groups of three digits: 1,500)"
        raise ParameterError(f"{name}: {typed!r} is not a number{hint}")
    if number < 0:
        raise ParameterError(f"{name} must not be negative, got {typed}")
    return _finite(name, typed, number)


def _literal(text: str, shift: int = 0) -> int | float | None:
    """The number ``text`` spells in an accepted form times ``10**shift``, or ``None``.

    Unlike :func:`parse_number_text`, a literal too large for a float (``1e999``) is kept
    (as ``inf``, or as the int it spells), so that the message can say so. The shift is
    made on the decimal exponent, not by a multiplication, so ``1.64`` shifted by 9 is
    exactly the float of ``1.64e9`` (and ``12.3`` shifted by -2 that of ``0.123``).
    """
    raw = str(text).strip()
    if _NUMBER.fullmatch(raw) is None and _GROUPED.fullmatch(raw) is None:
        return None
    compact = raw.replace("_", "").replace(",", "")
    if shift == 0 and re.fullmatch(r"[+-]?\d+", compact):
        return int(compact)
    mantissa, _, exponent = compact.lower().partition("e")
    return float(f"{mantissa}e{int(exponent or 0) + shift}")


def _finite(name: str, typed: str, number: float) -> float:
    """``number`` as a float, refused (naming the field and the text typed) if it overflows."""
    try:
        value = float(number)
    except OverflowError:  # an integer beyond the largest float
        value = math.inf
    if not math.isfinite(value):
        raise ParameterError(
            f"{name}: {typed!r} is too large to compute with (above {format_value(_FLOAT_MAX, 2)})"
        )
    return value + 0.0  # -0 is 0


#: The largest float; a typed value beyond it overflows.
_FLOAT_MAX = sys.float_info.max

#: The scale words and abbreviations :func:`parse_quantity` reads after a number (in
#: any case), each with its power of ten: ``256 billion`` and ``256bn`` are 256e9.
SCALE_WORDS: dict[str, int] = {
    "thousand": 3,
    "k": 3,
    "million": 6,
    "m": 6,
    "mn": 6,
    "billion": 9,
    "b": 9,
    "bn": 9,
    "trillion": 12,
    "t": 12,
    "tn": 12,
}
_SCALED = re.compile(
    r"(?P<number>.*?)\s*(?P<scale>" + "|".join(sorted(SCALE_WORDS, key=len, reverse=True)) + r")",
    re.IGNORECASE,
)
#: Spaces between groups of three digits (``1 640 000 000``): a space, a no-break space or
#: a narrow no-break space, as word processors and French or SI typography write them.
_SPACED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?")


def parse_quantity(name: str, text: str, unit: str) -> float:
    """A finite, non-negative value of ``unit`` typed into a field named ``name``.

    Accepts every form :func:`parse_number` accepts (``150``, ``1.64e9``,
    ``1,640,000,000``, ``1_640_000_000``), and also:

    * surrounding whitespace;
    * spaces between groups of three digits: ``1 640 000 000`` (a no-break space or a
      narrow no-break space too);
    * a scale word or abbreviation after the number, with or without a space, in any
      case: ``thousand`` or ``k`` (1e3); ``million``, ``m`` or ``mn`` (1e6); ``billion``,
      ``b`` or ``bn`` (1e9); ``trillion``, ``t`` or ``tn`` (1e12) (:data:`SCALE_WORDS`).
      So ``256 billion``, ``256bn``, ``1.64 billion``, ``12k`` and ``2 trillion``; no
      plurals (``2 billions``), no other words;
    * for ``unit == "share"``, a percentage: ``25%`` (or ``25 %``) is 0.25; a plain
      number is the share itself, as a fraction (``0.25``). A share takes no scale word.

    Parameters
    ----------
    name : str
        The field, as the person reads it ("readers per post"): every message starts
        with it.
    text : str
        What the person typed.
    unit : str
        The field's unit, one of :data:`influence_kit.formatting.UNITS` but ``"text"``
        (which holds no number): ``"share"`` reads percentages, the others read counts
        and plain numbers alike.

    Returns
    -------
    float
        The value, in the unit's own scale (a share as a fraction).

    Raises
    ------
    ParameterError
        One line naming the field and what was typed, if the text is empty, not a
        number in an accepted form (``nan``, ``inf`` and words included), negative, too
        large for a float (``1e300 trillion``), or a percentage in a field that is not a
        share; or if ``unit`` is not a unit of numbers.

    Examples
    --------
    >>> parse_quantity("network impressions", "256 billion", "impressions")
    256000000000.0
    >>> parse_quantity("influence posts", "1.64bn", "posts")
    1640000000.0
    >>> parse_quantity("online adults", " 176 000 000 ", "people")
    176000000.0
    >>> parse_quantity("readers per post", "12K", "readers")
    12000.0
    >>> parse_quantity("Facebook share", "25%", "share"), parse_quantity("x", "0.25", "share")
    (0.25, 0.25)
    >>> parse_quantity("readers per post", "25%", "readers")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    influence_kit.errors.ParameterError: readers per post: '25%' is a percentage, but only ...
    >>> parse_quantity("readers per post", "-3", "readers")
    Traceback (most recent call last):
    influence_kit.errors.ParameterError: readers per post must not be negative, got -3
    """
    if unit not in UNITS or unit == "text":
        numeric = ", ".join(repr(u) for u in UNITS if u != "text")
        raise ParameterError(f"unit must be one of {numeric}, got {unit!r}")
    typed = str(text).strip()
    number_text = typed
    percent = typed.endswith("%")
    if percent:
        if unit != "share":
            raise ParameterError(
                f"{name}: {typed!r} is a percentage, but only a share takes one; type a "
                "number such as 150 or 1.64 billion"
            )
        number_text = typed[:-1].rstrip()
    shift = -2 if percent else 0
    scaled = _SCALED.fullmatch(number_text) if unit != "share" else None
    if scaled is not None and scaled["number"]:
        number_text = scaled["number"]
        shift = SCALE_WORDS[scaled["scale"].lower()]
    if _SPACED.fullmatch(number_text):
        number_text = re.sub(r"[ \u00a0\u202f]", ",", number_text)
    hint = (
        " (type a fraction such as 0.25, or a percentage such as 25%)"
        if unit == "share"
        else " (type it as 1.64 billion, 1.64bn, 1.64e9 or 1,640,000,000)"
    )
    return _typed_number(name, typed, number_text, hint, shift)


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
