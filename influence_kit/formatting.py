"""The one place numbers are turned into text for tables, prose, reports and keys.

* :func:`format_number`: significant digits with thousands separators (stable under nbval);
* :func:`format_quantity`: a value in the words a reader uses, by unit ("502 billion",
  "25.1%", "1,234");
* :func:`number_key`: a compact exact key for a number ("500e9", "1e12", "0.25");
* :func:`escape_markdown`: text from a scenario, a data file or a parameter made safe to
  interpolate into Markdown or HTML (it renders literally, never as markup or script).
"""

from __future__ import annotations

import html
import math
from typing import Any, Literal

#: Significant digits of floats shown in tables (stable under nbval).
DISPLAY_DIGITS = 4

#: Units understood by :func:`format_quantity`.
Unit = Literal["", "count", "share", "impressions", "readers", "ratio", "text"]

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


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


def format_quantity(value: Any, unit: Unit | str = "", digits: int = 3) -> str:
    """Format ``value`` in the words a reader uses for its ``unit``.

    Parameters
    ----------
    value : float, int, str, bool or None
        The number (or text) to show. ``None`` and non-finite numbers print as ``n/a``.
    unit : str
        ``"share"`` prints a percentage; ``"impressions"``, ``"count"`` and ``"readers"``
        print large numbers in millions, billions or trillions; anything else prints
        :func:`format_number`.
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
    '1.00e+296 trillion'
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
    if unit in ("impressions", "count", "readers"):
        for scale, word in _SCALES:
            if abs(number) >= scale:
                return f"{_sig(number / scale, digits)} {word}"
        if isinstance(value, int) or float(number).is_integer():
            return f"{int(number):,}"
        return _sig(number, digits)
    return format_number(number, digits + 1)


def _sig(number: float, digits: int) -> str:
    """``number`` with ``digits`` significant digits; in exponent form from a million up
    (only absurd figures get there, e.g. 1e308 impressions: ``1.00e+296 trillion``).
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
