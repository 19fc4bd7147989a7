"""Tables a reader reads: human headers, values in words, no index column, no ``NaN``.

:func:`report_table` turns a :class:`pandas.DataFrame` into a :class:`ReportTable` (a
:class:`pandas.io.formats.style.Styler`) for a report:

* each column gets a header in words and a unit (one of
  :data:`influence_kit.formatting.UNITS`), and every value is written by
  :func:`influence_kit.formatting.format_quantity` for that unit: shares as
  percentages (``25.1%``), counts in words (``502 billion``), plain numbers to a few
  significant digits, never in exponent form below a thousand trillion;
* a meaningful index (anything but a 0..N :class:`~pandas.RangeIndex`) becomes the first
  column, with its own header; the index column itself is never shown;
* a missing value (``NaN``, ``None``, an infinite number) is shown as an em dash, and a
  footnote under the table says why (``missing=``);
* the HTML is stable from run to run (a table id derived from the table's content, no
  per-cell ids), so stored notebook outputs do not change when nothing else did; the
  plain-text form (:meth:`ReportTable.__repr__`) is the same table as text.

The table carries the class ``report-table`` (and sits in no box of its own: the page's
stylesheet makes a wide table scroll inside its container).
"""

from __future__ import annotations

import hashlib
import html
import math
import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

import pandas as pd
from pandas.io.formats.style import Styler

from ..formatting import P_FLOOR, UNITS, WORDS_LIMIT, Unit, format_fixed, format_quantity

__all__ = [
    "DASH",
    "P_VALUE",
    "READERS_STATISTICS",
    "SEGMENT_COLUMNS",
    "ReportTable",
    "account_table",
    "breakeven_table",
    "calibration_table",
    "concentration_table",
    "fit_table",
    "human_header",
    "key_figure_table",
    "ladder_table",
    "monte_carlo_table",
    "numbers_in_words",
    "percent_words",
    "readers_table",
    "report_table",
    "segmentation_table",
    "sobol_table",
    "tornado_table",
]

#: What a missing value is shown as.
DASH = "\u2014"

#: Default footnote for missing values when the caller gives no reason.
DEFAULT_MISSING = "no value (not defined or not computed for this row)"

#: A column's header and unit, optionally with its significant digits.
ColumnSpec = tuple[str, str] | tuple[str, str, int]

#: HTML class of every report table (the site's stylesheet keys on it).
TABLE_CLASS = "report-table"

#: A unit of tables only (beside :data:`influence_kit.formatting.UNITS`): a p-value,
#: written ``< 0.0001`` below :data:`~influence_kit.formatting.P_FLOOR` (but above zero)
#: rather than in exponent form.
P_VALUE = "p-value"

#: Every unit a column may have.
TABLE_UNITS = (*UNITS, P_VALUE)


def human_header(name: Any) -> str:
    """A column name in words: ``"share_of_total"`` -> ``"Share of total"``.

    Examples
    --------
    >>> human_header("share_of_total")
    'Share of total'
    >>> human_header("S1")
    'S1'
    """
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else text


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Real):
        return not math.isfinite(float(value))
    return False


def _formatter(unit: str, digits: int) -> Callable[[Any], str]:
    """The function writing one value of a column in ``unit``."""

    def write(value: Any) -> str:
        if _is_missing(value):
            return DASH
        if unit == "text" or isinstance(value, str):
            return str(value)
        if unit == P_VALUE and not isinstance(value, bool) and 0 < abs(float(value)) < P_FLOOR:
            return f"< {format_quantity(P_FLOOR, 'number', digits)}"
        if isinstance(value, bool):
            return format_quantity(value, "", digits)
        if unit in ("", "number", P_VALUE):
            return _plain(float(value), digits + 1)
        return format_quantity(value, cast("Unit", unit), digits)  # unit checked in _specs

    return write


def _plain(number: float, digits: int) -> str:
    """A plain number to ``digits`` significant digits, never in exponent form: whole
    numbers from ``10**digits`` up (``12,725``), decimals below 0.0001 (``0.00002500``).

    Examples
    --------
    >>> _plain(12725.08, 4), _plain(0.541413, 4), _plain(2.5e-05, 4), _plain(-6361.5, 4)
    ('12,725', '0.5414', '0.00002500', '-6,362')
    """
    if number == 0.0 or WORDS_LIMIT <= abs(number):
        return format_quantity(number, "number", digits - 1)
    magnitude = math.floor(math.log10(abs(number)))
    if magnitude >= digits:
        return format_fixed(number, 0, grouping=True)
    if magnitude < -4:
        return format_fixed(number, digits - 1 - magnitude)
    return format_quantity(number, "number", digits - 1)


class ReportTable(Styler):
    """A :class:`~pandas.io.formats.style.Styler` whose plain-text form is the table.

    Built by :func:`report_table`; ``display(table)`` (or a cell's last expression) shows
    the HTML, ``repr(table)`` the same cells as aligned text.
    """

    _text: str = ""

    def __repr__(self) -> str:
        return self._text


def _stable_id(frame: pd.DataFrame, caption: str) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(frame.to_csv().encode("utf-8"))
    digest.update(caption.encode("utf-8"))
    return "rt" + digest.hexdigest()[:10]


def _guess_unit(column: pd.Series) -> str:
    """A column's unit when the caller names none: text, a count in words from a million
    up (never an exponent), else a plain number."""
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        return "text"
    values = pd.to_numeric(column, errors="coerce").abs()
    return "count" if bool((values >= 1e6).any()) else "number"


def _row_numbers(index: pd.Index) -> bool:
    """Whether an index only numbers the rows (unnamed integers: a RangeIndex, or what
    filtering one leaves): such an index is not shown."""
    return index.nlevels == 1 and index.name is None and pd.api.types.is_integer_dtype(index)


def _specs(
    frame: pd.DataFrame, columns: Mapping[Any, ColumnSpec] | None, digits: int
) -> dict[Any, tuple[str, str, int]]:
    if columns is None:
        chosen: dict[Any, ColumnSpec] = {
            name: (human_header(name), _guess_unit(frame[name])) for name in frame.columns
        }
    else:
        missing = [name for name in columns if name not in frame.columns]
        if missing:
            raise KeyError(f"report_table: no column {missing[0]!r} in the table")
        chosen = dict(columns)
    specs = {}
    for name, spec in chosen.items():
        header, unit, *rest = spec
        if unit not in TABLE_UNITS and unit != "":
            raise ValueError(f"report_table: unknown unit {unit!r} for column {name!r}")
        specs[name] = (str(header), str(unit), int(rest[0]) if rest else digits)
    return specs


def report_table(
    frame: pd.DataFrame | pd.Series,
    columns: Mapping[Any, ColumnSpec] | None = None,
    *,
    index: ColumnSpec | None = None,
    caption: str = "",
    missing: str | Mapping[Any, str] = DEFAULT_MISSING,
    notes: tuple[str, ...] | list[str] = (),
    digits: int = 3,
) -> ReportTable:
    """``frame`` as a table a reader reads (see the module docstring).

    Parameters
    ----------
    frame
        The table (a Series is shown as a one-column table).
    columns
        Column name -> ``(header, unit)`` or ``(header, unit, digits)``, in the order to
        show; columns not named are left out. The unit is one of
        :data:`influence_kit.formatting.UNITS` (``"share"`` prints a percentage,
        ``"impressions"`` and the other counts print in words, ``"number"`` a plain
        number, ``"text"`` the text as it is), ``"p-value"`` (below 0.0001 written
        ``< 0.0001``) or ``""`` (a plain number). ``None``: every
        column, headed by its name in words (:func:`human_header`), numbers as numbers.
    index
        ``(header, unit)`` of the index. An index that only numbers the rows (unnamed
        integers, such as a 0..N :class:`~pandas.RangeIndex`) is dropped unless ``index``
        is given; any other index becomes the first column, headed by ``index``
        (default: its name in words); each level of a :class:`~pandas.MultiIndex` becomes
        a column headed by its name in words.
    caption
        A sentence above the footnotes, saying what the table is.
    missing
        Why a value may be missing: one reason for the whole table, or column name ->
        reason. A footnote is written only when a dash is shown (and only for the
        columns that show one).
    notes
        Further footnotes, one sentence each.
    digits
        Default significant digits (as :func:`influence_kit.formatting.format_quantity`).

    Returns
    -------
    ReportTable
        A pandas Styler: ``display`` it, or ``.to_html()`` for the markup.

    Raises
    ------
    KeyError
        If ``columns`` names a column the table does not have.
    ValueError
        If a unit is not one of :data:`influence_kit.formatting.UNITS`.
    """
    data = frame.to_frame() if isinstance(frame, pd.Series) else frame
    specs = _specs(data, columns, digits)
    if isinstance(data.index, pd.MultiIndex):  # each level a column, headed by its name
        levels = [f"__level{i}__" for i in range(data.index.nlevels)]
        level_specs = {
            name: (human_header(level or ""), "text")
            for name, level in zip(levels, data.index.names, strict=True)
        }
        data = data.reset_index(names=levels)
        specs = {**_specs(data, level_specs, digits), **specs}
    elif not _row_numbers(data.index) or index is not None:
        data = data.reset_index(names="__index__")
        index_spec = index or (human_header(frame.index.name or ""), "text")
        specs = {**_specs(data, {"__index__": index_spec}, digits), **specs}
    shown = data[list(specs)].reset_index(drop=True)
    headers = [header for header, _, _ in specs.values()]
    if len(set(headers)) < len(headers):
        raise ValueError(f"report_table: two columns share a header in {headers}")

    # Cells as text, once: the Styler shows them, the plain-text form prints them.
    cells = pd.DataFrame(
        {
            i: [_formatter(unit, d)(v) for v in shown[name]]
            for i, (name, (_, unit, d)) in enumerate(specs.items())
        }
    )
    cells.columns = pd.Index(headers)

    dashed = [name for i, name in enumerate(specs) if (cells.iloc[:, i] == DASH).any()]
    footnotes = []
    if dashed:
        if isinstance(missing, str):
            footnotes.append(f"A dash ({DASH}): {missing}.")
        else:
            for name in dashed:
                reason = missing.get(name, DEFAULT_MISSING)
                footnotes.append(f"A dash ({DASH}) in \u201c{specs[name][0]}\u201d: {reason}.")
    footnotes += [str(n) for n in notes]
    text_caption = " ".join(part for part in [caption, *footnotes] if part)

    table = ReportTable(
        cells,
        uuid=_stable_id(cells, text_caption),
        cell_ids=False,
        caption=html.escape(text_caption) if text_caption else None,
    )
    table.format(escape="html")
    table.format_index(escape="html", axis=1)
    table.hide(axis="index")
    table.set_table_attributes(f'class="{TABLE_CLASS}"')
    numeric = [
        i
        for i, (name, (_, unit, _)) in enumerate(specs.items())
        if unit != "text" and pd.api.types.is_numeric_dtype(shown[name])
    ]
    table.set_table_styles(
        [
            {"selector": "caption", "props": "caption-side: bottom; text-align: left;"},
            {"selector": "th", "props": "text-align: left;"},
            *(
                {"selector": f"td.col{i}, th.col{i}", "props": "text-align: right;"}
                for i in numeric
            ),
        ]
    )
    table._text = _as_text(cells, text_caption)
    return table


def _text_value(figure: Any) -> str:
    """A key figure's text; an input's name (``readers_per_post``) in words."""
    text = str(figure.text)
    return text.replace("_", " ") if figure.unit == "text" else text


def key_figure_table(figures: Any, caption: str = "") -> ReportTable:
    """Key figures (:class:`influence_kit.results.KeyFigures`) as a two-column table.

    Each figure's label (first letter capitalised) beside its value as the figure writes
    it (``KeyFigure.text``: formatted by unit, ``yes``/``no`` for a verdict); a figure
    without a value (``None``: a break-even never reached, say) shows a dash.
    """
    rows = pd.DataFrame(
        {
            "figure": [human_header(f.label) for f in figures.figures],
            "value": [None if _is_missing(f.value) else _text_value(f) for f in figures.figures],
        }
    )
    return report_table(
        rows,
        {"figure": ("Figure", "text"), "value": ("Value", "text")},
        caption=caption,
        missing="no value (never reached, or not defined for this scenario)",
    )


_FRACTION_AFTER = re.compile(r"\b(top|holding|making) (0?\.\d+|1\.0*)(?![\d%])")


def percent_words(name: Any) -> str:
    """A column or row name in words, fractions after ``top``, ``holding`` or ``making``
    written as percentages.

    Examples
    --------
    >>> percent_words("top 0.127 hold (headline)")
    'Top 12.7% hold (headline)'
    >>> percent_words("share of top 0.062")
    'Share of top 6.2%'
    >>> percent_words("observed top 1%")
    'Observed top 1%'
    """
    text = _FRACTION_AFTER.sub(
        lambda m: f"{m[1]} {format_quantity(float(m[2]), 'share')}", str(name)
    )
    return human_header(text)


_EXPONENT_NUMBER = re.compile(r"(= )?((?<![\w.])[-+]?\d+(?:\.\d+)?[eE][-+]?\d+(?![\w.]))")


def numbers_in_words(text: str) -> str:
    """``text`` with every number in exponent form written in words.

    For text made elsewhere (a distribution's description, say) that a table shows as it
    is: ``1.6e+08`` becomes ``160 million``.

    Examples
    --------
    >>> numbers_in_words("triangular(low=1.6e+08, mode=1.9e+08, high=2.2e+08)")
    'triangular(low=160 million, mode=190 million, high=220 million)'
    >>> numbers_in_words("pert(low=50, mode=150, high=1000, lamb=4)")
    'pert(low=50, mode=150, high=1000, lamb=4)'
    >>> numbers_in_words("a lognormal fits it better, Vuong p = 2.5e-15")
    'a lognormal fits it better, Vuong p < 0.0001'
    """

    def words(match: re.Match[str]) -> str:
        number = float(match[2])
        if 0 < abs(number) < P_FLOOR:  # a p-value, say: "p = 2.5e-15" -> "p < 0.0001"
            floor = _plain(P_FLOOR, 1)
            return f"< {floor}" if match[1] else f"less than {floor}"
        return f"{match[1] or ''}{format_quantity(number, 'count')}"

    return _EXPONENT_NUMBER.sub(words, text)


def _concentration_row(quantity: str) -> str:
    """A row name of :meth:`ConcentrationResult.summary` in words."""
    head, _, tail = quantity.rpartition(" ")
    try:
        value = float(tail)
    except ValueError:
        return human_header(quantity)
    share = format_quantity(value, "share")
    if head == "share of top":
        return f"Share held by the top {share} of people"
    if head == "fraction holding":
        return f"Smallest share of people holding {share}"
    return percent_words(quantity)


def account_table(acc: Any, caption: str = "") -> ReportTable:
    """An impression account's decomposition as a report table (a report's and the command
    line's): channel, component in words, impressions a year and share of the total; the
    advertiser impressions, a yardstick outside the total, get a dash.

    Examples
    --------
    >>> from influence_kit import account, load_scenario
    >>> text = repr(account_table(account(load_scenario("forrester-us-2009"))))
    >>> text.splitlines()[0].split()
    ['Channel', 'Component', 'Impressions', 'a', 'year', 'Share', 'of', 'the', 'total']
    >>> "forum posts       70.6 billion" in text
    True
    """
    table = acc.summary()
    return report_table(
        table.assign(
            component=table["component"].str.replace("_", " "),
            share_of_total=table["share_of_total"].where(table["channel"] != "reference"),
        ),
        {
            "channel": ("Channel", "text"),
            "component": ("Component", "text"),
            "impressions": ("Impressions a year", "impressions"),
            "share_of_total": ("Share of the total", "share"),
        },
        caption=caption,
        missing="the advertiser impressions are a yardstick for comparison, not part of the total",
    )


def breakeven_table(breakevens: Any, caption: str = "") -> ReportTable:
    """Break-even readers per post (:class:`~influence_kit.sensitivity.breakeven.BreakEvens`):
    each criterion, its readers per post and how many times the base case; a dash where no
    number of readers meets it, with the reason when one is given."""
    table = breakevens.summary()
    return report_table(
        table,
        {
            "criterion": ("Criterion", "text"),
            "readers_per_post": ("Break-even readers per post", "readers"),
            "times_base": ("Times the base case", "number"),
            **({"reason": ("Why never", "text")} if table["reason"].astype(bool).any() else {}),
        },
        caption=caption,
        missing="never: no non-negative number of readers per post meets the criterion",
    )


def tornado_table(tornado: Any, caption: str = "") -> ReportTable:
    """Tornado bars (:class:`~influence_kit.sensitivity.tornado.TornadoResult`): each input's
    range, written as a count in its own unit, and the total at either end, by swing."""
    bars = tornado.summary()
    inputs_at = ["low", "base", "high"]  # each input in its own unit: written as a count
    bars[inputs_at] = bars[inputs_at].map(lambda v: format_quantity(v, "count"))
    return report_table(
        bars.assign(input=bars["input"].str.replace("_", " ").str.replace(".", ": ")),
        {
            "input": ("Input", "text"),
            "low": ("Low", "text"),
            "base": ("Base", "text"),
            "high": ("High", "text"),
            "output_low": ("Total at the low end", "impressions"),
            "output_high": ("Total at the high end", "impressions"),
            "swing": ("Swing of the total", "impressions"),
        },
        caption=caption,
    )


def monte_carlo_table(mc: Any, tested: Any = None, caption: str = "") -> ReportTable:
    """The Monte Carlo distribution of the total
    (:class:`~influence_kit.sensitivity.montecarlo.MonteCarloResult`): its percentiles, mean
    and spread in impressions, and the probability of exceeding each tested total
    (``tested``: threshold keys such as ``"500e9"``; ``None``: every one computed)."""
    rows = []
    for statistic, value in mc.summary().itertuples(index=False):
        if statistic.startswith("P(output > "):
            key = statistic.removeprefix("P(output > ").removesuffix(")")
            if tested is not None and key not in tested:
                continue  # a threshold this scenario does not test
            limit = format_quantity(float(key), "impressions")
            rows.append((f"Probability the total exceeds {limit}", format_quantity(value, "share")))
        else:
            rows.append((statistic, format_quantity(value, "impressions")))
    return report_table(
        pd.DataFrame(rows, columns=["statistic", "value"]),
        {"statistic": ("Total impressions a year", "text"), "value": ("Value", "text")},
        caption=caption,
    )


def sobol_table(sobol: Any, exact: Any = None, caption: str = "") -> ReportTable:
    """Sobol indices (:class:`~influence_kit.sensitivity.sobol.SobolResult`) as shares, with
    the model's exact indices beside them when ``exact`` (the same kind of result, from
    :func:`~influence_kit.sensitivity.sobol_analytic`) is given."""
    estimate = sobol.summary().set_index("input")
    columns: dict[str, ColumnSpec] = {
        "S1": ("First-order index (S1)", "share"),
        "ST": ("Total index (ST)", "share"),
    }
    if exact is not None:
        estimate = estimate.join(
            exact.summary().set_index("input")[["S1", "ST"]].add_suffix("_exact")
        )
        columns |= {
            "S1_exact": ("Exact first-order index", "share"),
            "ST_exact": ("Exact total index", "share"),
        }
    estimate.index = estimate.index.str.replace("_", " ").str.replace(".", ": ")
    return report_table(estimate, columns, index=("Input", "text"), caption=caption)


def calibration_table(calibration: Any, caption: str = "") -> ReportTable:
    """A headline calibrated to each family
    (:class:`~influence_kit.concentration.HeadlineCalibration`): the family, its calibrated
    parameter, its Gini coefficient and the share held by other top fractions, as
    percentages."""
    calibrated = calibration.summary().reset_index()
    return report_table(
        calibrated.assign(
            family=calibrated["family"].str.capitalize(),
            parameters=calibrated["parameters"].str.replace("_", " "),
        ),
        {
            "family": ("Family", "text"),
            "parameters": ("Calibrated parameter", "text"),
            "gini": ("Gini", "share"),
            **{
                c: (percent_words(c if c.endswith("share") else f"{c} share"), "share")
                for c in calibrated.columns
                if str(c).startswith("top ")
            },
        },
        caption=caption,
    )


def fit_table(report: Any, caption: str = "") -> ReportTable:
    """The power law against each alternative
    (:class:`~influence_kit.fitting.results.HeavyTailReport`): parameters, log-likelihood,
    AIC, the likelihood ratio or Vuong's normalized R, its p-value and whom it favours; the
    power law's own row, the reference, has dashes."""
    fits = report.summary().reset_index()
    return report_table(
        fits.assign(
            family=fits["family"].str.replace("_", " "),
            favours=fits["favours"].str.replace("_", " "),
        ),
        {
            "family": ("Family", "text"),
            "parameters": ("Parameters", "text"),
            "loglik": ("Log-likelihood", "number"),
            "AIC": ("AIC", "number"),
            "LR": ("LR", "number"),
            "normalized R": ("Normalized R", "number"),
            "p": ("p", P_VALUE),
            "favours": ("Favours", "text"),
        },
        caption=caption,
        missing="the power law is the reference each alternative is compared with",
    )


#: The segment statistics of a segmentation's summary: column -> (header, unit).
SEGMENT_COLUMNS: dict[str, ColumnSpec] = {
    "share_of_adults": ("Share of adults", "share"),
    "share_of_network_impressions": ("Share of network impressions", "share"),
    "share_of_posts": ("Share of posts", "share"),
    "share_of_total_impressions": ("Share of total impressions", "share"),
    "mean_audience": ("Mean audience", "people"),
    "median_audience": ("Median audience", "people"),
}


def segmentation_table(segmentation: Any, caption: str = "") -> ReportTable:
    """Every segment of a :class:`~influence_kit.segments.Segmentation` with its shares of
    adults, network impressions, posts and total impressions and its audience, in words."""
    table = segmentation.summary()
    table.index = table.index.str.replace("_", " ").str.capitalize()
    columns = {c: spec for c, spec in SEGMENT_COLUMNS.items() if c in table.columns}
    return report_table(table, columns, index=("Segment", "text"), caption=caption)


def ladder_table(segmentation: Any, caption: str = "") -> ReportTable:
    """The Technographics ladder of a segmentation: each group's share of adults (with its
    bootstrap interval when there is one)."""
    table = segmentation.ladder()
    table.index = table.index.str.replace("_", " ").str.capitalize()
    columns: dict[str, ColumnSpec] = {"share_of_adults": ("Share of adults", "share")}
    if "low" in table.columns:
        columns |= {"low": ("Low", "share"), "high": ("High", "share")}
    return report_table(table, columns, index=("Group", "text"), caption=caption)


#: The statistics of a readers-per-post distribution: name -> (words, unit).
READERS_STATISTICS: dict[str, tuple[str, str]] = {
    "posts": ("posts simulated", "count"),
    "mean_readers": ("mean readers per post", "readers"),
    "median_readers": ("median readers per post", "readers"),
    "p90_readers": ("90th percentile of readers", "readers"),
    "p99_readers": ("99th percentile of readers", "readers"),
    "max_readers": ("most readers of one post", "readers"),
    "unread_share": ("posts read by nobody", "share"),
    "no_spread_share": ("posts nobody reshares", "share"),
    "past_one_step_share": ("posts reshared past one step", "share"),
    "top_1pct_posts_share": ("readers of the top 1% of posts", "share"),
    "top_10pct_posts_share": ("readers of the top 10% of posts", "share"),
    "mean_author_audience": ("mean audience of an author", "people"),
    "direct_readers": ("readers reached directly", "readers"),
    "amplification": ("amplification by reshares", "number"),
}


def readers_table(distribution: Any, caption: str = "") -> ReportTable:
    """A readers-per-post distribution (:class:`~influence_kit.audience.ReadersDistribution`):
    each statistic in words and its unit, with its 95% interval where there is one."""
    table = distribution.summary()
    rows: list[list[str | None]] = []
    for name, row in table.iterrows():
        words, unit = READERS_STATISTICS.get(str(name), (str(name).replace("_", " "), "number"))
        cells: list[str | None] = [str(words)]
        for column in ("value", "lower", "upper"):
            value = row[column]
            cells.append(None if _is_missing(value) else format_quantity(value, cast("Unit", unit)))
        rows.append(cells)
    return report_table(
        pd.DataFrame(rows, columns=["statistic", "value", "lower", "upper"]),
        {
            "statistic": ("Statistic", "text"),
            "value": ("Value", "text"),
            "lower": ("95% interval, low", "text"),
            "upper": ("95% interval, high", "text"),
        },
        caption=caption,
        missing="no interval: the statistic is read off the simulated posts",
    )


def concentration_table(result: Any, caption: str = "") -> ReportTable:
    """A :class:`~influence_kit.concentration.ConcentrationResult` as a report table.

    One row per measure (the Gini coefficient, the share held by each top fraction, the
    smallest fraction holding each share) with its estimate and 95% interval as
    percentages; a caution shared by every row becomes a footnote instead of a column.
    """
    frame = result.summary().reset_index()
    frame["quantity"] = [
        "Gini coefficient" if q == "gini" else _concentration_row(str(q)) for q in frame["quantity"]
    ]
    columns: dict[Any, ColumnSpec] = {
        "quantity": ("Measure", "text"),
        "estimate": ("Estimate", "share"),
        "lower": ("Lower", "share"),
        "upper": ("Upper", "share"),
        "interval": ("Interval", "text"),
    }
    notes: list[str] = []
    cautions = {c for c in frame.get("caution", pd.Series(dtype=str)) if isinstance(c, str) and c}
    if len(cautions) == 1:
        notes.append(f"Caution: {numbers_in_words(cautions.pop())}.")
    elif cautions:
        columns["caution"] = ("Caution", "text")
    return report_table(
        frame,
        columns,
        caption=caption or "Estimates with their 95% intervals (lower and upper ends).",
        notes=notes,
        missing="no interval for this measure",
    )


def _as_text(cells: pd.DataFrame, caption: str) -> str:
    body = cells.to_string(index=False) if len(cells.columns) else ""
    return f"{body}\n{caption}" if caption else body
