"""The one place numbers are turned into text for tables, prose, reports and keys.

* :func:`format_number`: significant digits with thousands separators (stable under nbval);
* :func:`format_quantity`: a value in the words a reader uses, by unit ("502 billion",
  "25.1%", "1,234");
* :func:`format_value`, :func:`format_fixed`, :func:`format_percent`,
  :func:`format_count`: the text of the ``:g``, ``:.2f``, ``:.1%`` and ``:,`` format
  specs, for messages, labels and prose (nothing else in the package writes a spec);
* :func:`number_key`: a compact exact key for a number ("500e9", "1e12", "0.25");
* :func:`escape_markdown`: text from a scenario, a data file or a parameter made safe to
  interpolate into Markdown or HTML (it renders literally, never as markup or script).
"""

from __future__ import annotations

import html
import math
import numbers
from typing import Any, Literal

#: Significant digits of floats shown in tables (stable under nbval).
DISPLAY_DIGITS = 4

#: The closed set of units a key figure may have (:class:`influence_kit.results.KeyFigure`):
#: counts in words (``impressions``, ``readers`` per post, ``posts``, ``people``, other
#: ``count``), a ``share`` as a percentage, a plain ``number`` (an exponent, a p-value, a
#: Gini coefficient) and ``text`` (a name, a verdict, yes/no).
Unit = Literal["impressions", "readers", "posts", "people", "count", "share", "number", "text"]

#: The units of :data:`Unit`, for checks.
UNITS: tuple[str, ...] = (
    "impressions",
    "readers",
    "posts",
    "people",
    "count",
    "share",
    "number",
    "text",
)

#: Units whose large values are written in words (million, billion, trillion).
_WORD_UNITS = ("impressions", "count", "readers", "posts", "people")

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))

#: From here up, counts are written in exponent form (``2.50e+15``), not in words: a
#: figure past a thousand trillion is outside anything this model counts.
WORDS_LIMIT = 1e15


def format_number(value: Any, digits: int = DISPLAY_DIGITS) -> str:
    """Format a number with ``digits`` significant digits and thousands separators.

    ``None`` prints as an empty string. Negative zero (a difference of -1e-17 rounded
    away) prints as ``0``, so platform noise in the last bit cannot flip a stored output.

    Examples
    --------
    >>> format_number(1234567.0)
    '1.235e+06'
    >>> format_number(-0.0)
    '0'
    >>> format_number(12.3456)
    '12.35'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    number = float(value)
    if number == 0.0:
        number = 0.0
    return f"{number:,.{digits}g}"


def format_quantity(value: Any, unit: Unit | Literal[""] = "", digits: int = 3) -> str:
    """Format ``value`` in the words a reader uses for its ``unit``.

    Parameters
    ----------
    value : float, int, str, bool or None
        The number (or text) to show. ``None`` and non-finite numbers print as ``n/a``.
    unit : str
        One of :data:`UNITS` (or ``""``, a plain number): ``"share"`` prints a percentage;
        ``"impressions"``, ``"readers"``, ``"posts"``, ``"people"`` and ``"count"`` print
        large numbers in millions, billions or trillions; ``"number"`` prints
        :func:`format_number` with ``digits + 1`` significant digits.
    digits : int
        Significant digits.

    Examples
    --------
    >>> format_quantity(502e9, "impressions")
    '502 billion'
    >>> format_quantity(0.251, "share")
    '25.1%'
    >>> format_quantity(0.8, "share")
    '80%'
    >>> format_quantity(1e12, "impressions")
    '1 trillion'
    >>> format_quantity(156.097, "readers")
    '156'
    >>> format_quantity(None)
    'n/a'
    >>> format_quantity(1e308, "impressions")
    '1.00e+308'
    >>> format_quantity(1e80, "readers"), format_quantity(2.5e15, "impressions")
    ('1.00e+80', '2.50e+15')
    """
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    number = float(value)
    if not math.isfinite(number):
        return "n/a"
    if number == 0.0:
        number = 0.0
    if unit == "share":
        return f"{_sig(number * 100, digits)}%"
    if unit in _WORD_UNITS:
        if abs(number) >= WORDS_LIMIT:  # past "999 trillion" words stop helping
            return f"{number:.{max(digits - 1, 0)}e}"
        for scale, word in _SCALES:
            if abs(number) >= scale:
                return f"{_sig(number / scale, digits)} {word}"
        if isinstance(value, int) or float(number).is_integer():
            return f"{int(number):,}"
        return _sig(number, digits)
    return format_number(number, digits + 1)


def _sig(number: float, digits: int) -> str:
    """``number`` with ``digits`` significant digits; in exponent form from a million up
    (only absurd figures get there: a share of 1e6, say).
    """
    if number == 0.0:
        return "0"
    if abs(number) >= 1e6:
        return f"{number:.{max(digits - 1, 0)}e}"
    magnitude = math.floor(math.log10(abs(number)))
    decimals = max(digits - 1 - magnitude, 0)
    text = f"{round(number, decimals):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_value(value: float, digits: int = 6) -> str:
    """A number in a message: ``digits`` significant digits, no thousands separators.

    The text of ``f"{value:.{digits}g}"``; the default ``digits=6`` is the text of
    ``f"{value:g}"``. Trailing zeros are dropped, and the exponent form is used below
    1e-4 and from ``10**digits`` up, so a parameter, a bound or a tolerance reads as the
    user would type it.

    Parameters
    ----------
    value : float
        The number (an int is shown as a float would be).
    digits : int
        Significant digits.

    Examples
    --------
    >>> format_value(0.25)
    '0.25'
    >>> format_value(2)
    '2'
    >>> format_value(1e-100)
    '1e-100'
    >>> format_value(1234567.0)
    '1.23457e+06'
    >>> format_value(3.14159, 3)
    '3.14'
    >>> format_value(float("nan"))
    'nan'
    """
    return f"{value:.{digits}g}"


#: The smallest p-value written as a number; smaller ones read ``p < 0.0001``.
P_FLOOR = 1e-4


def format_p_value(p: float, digits: int = 2) -> str:
    """A p-value in a sentence: ``p = 0.012``, ``p < 0.0001`` (never exponent form).

    Examples
    --------
    >>> format_p_value(0.01234), format_p_value(1e-49), format_p_value(0.0)
    ('p = 0.012', 'p < 0.0001', 'p = 0')
    >>> format_p_value(float("nan"))
    'p = n/a'
    """
    value = float(p)
    if not math.isfinite(value):
        return "p = n/a"
    if 0 < value < P_FLOOR:
        return f"p < {format_fixed(P_FLOOR, 4)}"
    return f"p = {format_value(value, digits)}"


def format_fixed(value: float, decimals: int, *, grouping: bool = False) -> str:
    """A number with exactly ``decimals`` digits after the point.

    The text of ``f"{value:.{decimals}f}"``, or of ``f"{value:,.{decimals}f}"`` with
    ``grouping`` (thousands separators).

    Parameters
    ----------
    value : float
        The number.
    decimals : int
        Digits after the decimal point (0 prints no point).
    grouping : bool
        Separate thousands with commas.

    Examples
    --------
    >>> format_fixed(0.5, 2)
    '0.50'
    >>> format_fixed(1234.567, 1, grouping=True)
    '1,234.6'
    >>> format_fixed(-2.345, 0)
    '-2'
    """
    separator = "," if grouping else ""
    return f"{value:{separator}.{decimals}f}"


def format_percent(share: float, decimals: int = 0, *, signed: bool = False) -> str:
    """A share (0.25 for a quarter) as a percentage with ``decimals`` decimals.

    The text of ``f"{share:.{decimals}%}"``, or of ``f"{share:+.{decimals}%}"`` with
    ``signed`` (a change, shown with its sign). Unlike ``format_quantity(share, "share")``
    the number of decimals is fixed, so the figures of a sentence or a column line up.

    Parameters
    ----------
    share : float
        The share, 1.0 for 100%.
    decimals : int
        Digits after the decimal point of the percentage.
    signed : bool
        Print ``+`` before a positive (or zero) change.

    Examples
    --------
    >>> format_percent(0.8)
    '80%'
    >>> format_percent(0.062, 1)
    '6.2%'
    >>> format_percent(0.05, 1)
    '5.0%'
    >>> format_percent(0.0123, 1, signed=True)
    '+1.2%'
    >>> format_percent(-0.0123, 1, signed=True)
    '-1.2%'
    """
    sign = "+" if signed else ""
    return f"{share:{sign}.{decimals}%}"


def format_count(count: float) -> str:
    """A count with thousands separators, rounded to a whole number.

    An integer (Python or NumPy) prints in full, as ``f"{count:,}"``; a float prints as
    ``f"{count:,.0f}"`` (rounded, no decimal point), so 1234 and 1234.0 read alike.

    Parameters
    ----------
    count : int or float
        The count (of people, rows, posts, impressions, ...).

    Examples
    --------
    >>> format_count(1234567)
    '1,234,567'
    >>> format_count(256e9)
    '256,000,000,000'
    >>> format_count(1234.4)
    '1,234'
    >>> format_count(7)
    '7'
    """
    if isinstance(count, numbers.Integral):
        return f"{count:,}"
    return f"{count:,.0f}"


def number_key(value: float) -> str:
    """Compact, exact key for a large number: ``500e9``, ``1e12``, ``1500e9``, ``0.25``.

    Examples
    --------
    >>> number_key(500e9)
    '500e9'
    >>> number_key(0.25)
    '0.25'
    """
    if value == int(value) and value != 0 and abs(value) < 1e18:
        for exp in (12, 9, 6, 3):
            scale = 10**exp
            if int(value) % scale == 0:
                return f"{int(value) // scale}e{exp}"
        return str(int(value))
    return f"{value:g}"


#: Characters that Markdown (CommonMark, Jupyter's ``$`` math included) may read as markup.
MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+!|~$")


def escape_markdown(text: Any) -> str:
    r"""``text`` made safe to interpolate into Markdown or HTML: it renders literally.

    Markdown specials (backslash, backtick, ``*_{}[]()#+!|~`` and Jupyter's ``$`` math
    delimiter) are backslash-escaped, then ``&``, ``<``, ``>`` and both quotes are
    HTML-escaped, so no user-chosen name, label, unit or note can open a tag, a script, a link
    or an emphasis in a notebook's Markdown output (Jupyter and nbconvert alike). Line
    breaks become spaces, so a value cannot end the list item or paragraph it sits in.
    Non-strings are converted with :func:`str` first.

    Examples
    --------
    >>> escape_markdown("<script>alert(1)</script>")
    '&lt;script&gt;alert\\(1\\)&lt;/script&gt;'
    >>> escape_markdown("top_1% [link](x) *bold* `code` #1 a|b $x$")
    'top\\_1% \\[link\\]\\(x\\) \\*bold\\* \\`code\\` \\#1 a\\|b \\$x\\$'
    >>> escape_markdown('Tom & "Jerry\'s"')
    'Tom &amp; &quot;Jerry&#x27;s&quot;'
    >>> escape_markdown("two\nlines")
    'two lines'
    >>> escape_markdown("Facebook")
    'Facebook'
    """
    raw = " ".join(str(text).splitlines())
    marked = "".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in raw)
    return html.escape(marked, quote=True)
