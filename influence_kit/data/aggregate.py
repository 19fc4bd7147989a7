"""Aggregate per-person (or per-event) rows into a (value, count) table in DuckDB.

The rows never enter Python: DuckDB validates the column, groups by value and
returns a table with one row per distinct value (about 1e4 rows for 1e8
heavy-tailed integers), which is all the fitting and concentration code needs.
Memory is bounded by DuckDB's ``memory_limit``; larger work spills to
``temp_directory``.

Three shapes of input are understood:

* per-person values: one row per person, ``column`` holds the value;
* a histogram: ``column`` holds values and ``counts_column`` their counts;
* per-event rows: ``person_column`` names who produced each row; the value of a
  person is the number of rows (``column=None``) or the sum of ``column``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..results import Result
from ..tables import ValueTable, value_table
from .sources import Source, connect, duckdb_message, open_source, quote_identifier, shorten

logger = logging.getLogger(__name__)

_NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "REAL",
)


@dataclass(frozen=True, eq=False)
class SourceTable(Result):
    """A value table read from a data source, with where it came from and what was checked.

    Attributes
    ----------
    table
        The (value, count) table, zeros counted apart.
    source
        The source as the user gave it.
    label
        What to call the data in messages and reports (the source, with the
        column when there was a choice of columns).
    column, counts_column, person_column
        The columns used.
    rows
        Rows read from the source (events, people or histogram rows).
    excluded
        Rows left out because they were invalid (only with ``drop_invalid``).
    problems
        Validation findings: ``{problem: (count, example row)}``.
    seconds
        Time spent reading and aggregating.
    """

    table: ValueTable
    source: str
    label: str
    column: str | None
    counts_column: str | None
    person_column: str | None
    rows: int
    excluded: int = 0
    problems: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def people(self) -> int:
        """Observations in the table, zeros included (the sum of the counts)."""
        return self.table.n_observations

    def summary(self) -> pd.DataFrame:
        """Rows read, observations, zeros, distinct values, exclusions and time."""
        rows = {
            "source": self.label,
            "rows read": self.rows,
            "observations": self.people,
            "zeros": self.table.n_zeros,
            "distinct positive values": self.table.n_distinct,
            "rows excluded": self.excluded,
            "seconds": round(self.seconds, 3),
        }
        return pd.DataFrame({"value": pd.Series(rows, dtype=object)})

    def to_dict(self) -> dict[str, Any]:
        """Provenance and summary figures (not the arrays)."""
        return {
            "source": self.source,
            "label": self.label,
            "column": self.column,
            "counts_column": self.counts_column,
            "person_column": self.person_column,
            "rows": self.rows,
            "people": self.people,
            "excluded": self.excluded,
            "problems": {k: {"count": v[0], "example": v[1]} for k, v in self.problems.items()},
            "table": self.table.to_dict(),
        }


def _columns(con: Any, relation: str, source: Source) -> dict[str, str]:
    import duckdb

    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    except duckdb.Error as err:
        raise DataError(f"{source.description}: cannot be read: {duckdb_message(err)}") from None
    return {row[0]: str(row[1]).upper() for row in described}


def _check_column(name: str | None, columns: dict[str, str], source: Source, what: str) -> None:
    if name is not None and name not in columns:
        raise DataError(f"{source.description}: no {what} {name!r} (columns: {', '.join(columns)})")


def plain_row(row: pd.Series) -> dict[str, Any]:
    """A table row as plain Python values (for error messages and JSON)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out[str(key)] = None
        elif hasattr(value, "item"):
            out[str(key)] = value.item()
        elif isinstance(value, (int, float, str)):
            out[str(key)] = value
        else:
            out[str(key)] = str(value)
    return out


def _example(con: Any, relation: str, condition: str) -> dict[str, Any] | None:
    row = con.execute(f"SELECT * FROM {relation} WHERE {condition} LIMIT 1").fetchdf()
    return None if row.empty else plain_row(row.iloc[0])


def _numeric_expr(name: str, columns: dict[str, str], source: Source) -> str:
    ident = quote_identifier(name)
    kind = columns[name]
    if kind.startswith(_NUMERIC_TYPES) or kind.startswith("DECIMAL"):
        return f"CAST({ident} AS DOUBLE)"
    if kind.startswith("VARCHAR"):
        return f"TRY_CAST({ident} AS DOUBLE)"
    raise DataError(f"{source.description}: column {name!r} holds {kind} values, not numbers")


def _integer_tallies(
    con: Any,
    relation: str,
    columns: dict[str, str],
    column: str | None,
    counts_column: str | None,
    person_column: str | None,
    n_checks: int,
) -> list[int] | None:
    """The problem tallies without reading the rows, when the columns are integers.

    Integer columns can only be missing or negative: ``count``, ``count(column)``
    and ``min`` answer that, from the Parquet statistics when there are some (no
    scan at all). Returns the tallies (the rows, then ``n_checks`` zeros: no
    problem) or None when a closer look is needed (not integers, or some value
    missing or negative).
    """
    numbers = [c for c in (column, counts_column) if c is not None]
    if not all(columns[c].startswith(_NUMERIC_TYPES[:10]) for c in numbers):
        return None
    parts = ["count(*)"]
    for name in numbers:
        ident = quote_identifier(name)
        parts += [f"count({ident})", f"coalesce(min({ident}) < 0, false)"]
    if person_column is not None:
        parts.append(f"count({quote_identifier(person_column)})")
    found = con.execute(f"SELECT {', '.join(parts)} FROM {relation}").fetchone()
    rows = int(found[0])
    present = [int(n) for n in found[1 : 1 + 2 * len(numbers) : 2]]
    if person_column is not None:
        present.append(int(found[-1]))
    negative = [bool(b) for b in found[2 : 2 + 2 * len(numbers) : 2]]
    if any(n != rows for n in present) or any(negative):
        return None
    return [rows] + [0] * n_checks


def value_counts(
    source: str | Path | Sequence[str | Path] | Source,
    column: str | None = None,
    *,
    counts_column: str | None = None,
    person_column: str | None = None,
    table: str | None = None,
    drop_invalid: bool = False,
    memory_limit: str | None = "1GB",
    temp_directory: str | Path | None = None,
    threads: int | None = None,
    comment: str | None = None,
) -> SourceTable:
    """Aggregate a column of a data source into a (value, count) table inside DuckDB.

    Parameters
    ----------
    source
        File, glob, folder, list of files, or a resolved :class:`Source`.
    column
        The value column. With a single-column source it may be omitted. With
        ``person_column`` and no ``column``, each person's value is their number
        of rows.
    counts_column
        The source is a histogram: this column holds the count of each value.
    person_column
        The source holds one row per event; values are aggregated per person.
    table
        Table name for a DuckDB database source.
    drop_invalid
        Leave out (and report) rows whose value is missing, negative or not a
        number, instead of raising.
    memory_limit, temp_directory, threads
        DuckDB settings (see :func:`~influence_kit.data.sources.connect`).
    comment
        Comment character of text files (default: none; see
        :func:`~influence_kit.data.sources.open_source`). Ignored for a resolved
        :class:`Source`, which has its own.

    Returns
    -------
    SourceTable
        The table (zeros counted apart; ``discrete`` when every value is an
        integer) with the source, columns, rows read and exclusions.

    Raises
    ------
    DataError
        Missing file or column, unreadable or corrupt file, or invalid values
        (with their count and an example row) unless ``drop_invalid``.
    """
    import duckdb

    src = (
        source if isinstance(source, Source) else open_source(source, table=table, comment=comment)
    )
    if counts_column is not None and person_column is not None:
        raise ParameterError("give counts_column (a histogram) or person_column (events), not both")
    start = time.perf_counter()
    con = connect(src, memory_limit=memory_limit, temp_directory=temp_directory, threads=threads)
    try:
        relation = src.relation_sql()
        columns = _columns(con, relation, src)
        if src.kind == "text" and len(columns) == 1:
            # A blank line of a one-column text file holds no value: skip it, as
            # pandas does (DuckDB reads it as a missing value).
            only = quote_identifier(next(iter(columns)))
            relation = f"(SELECT * FROM {relation} WHERE {only} IS NOT NULL)"
        if column is None and person_column is None:
            if len(columns) != 1:
                raise DataError(
                    f"{src.description}: name the value column (columns: {', '.join(columns)})"
                )
            column = next(iter(columns))
        _check_column(column, columns, src, "column")
        _check_column(counts_column, columns, src, "counts column")
        _check_column(person_column, columns, src, "person column")

        problems: dict[str, Any] = {}
        checks: list[tuple[str, str]] = []
        value_expr = _numeric_expr(column, columns, src) if column is not None else "1.0"
        raw = quote_identifier(column) if column is not None else None
        if raw is not None:
            checks.append((f"missing values in {column!r}", f"{raw} IS NULL"))
            checks.append(
                (f"non-numeric values in {column!r}", f"{raw} IS NOT NULL AND {value_expr} IS NULL")
            )
            checks.append((f"non-finite values in {column!r}", f"NOT isfinite({value_expr})"))
            checks.append((f"negative values in {column!r}", f"{value_expr} < 0"))
        count_expr = "1"
        if counts_column is not None:
            count_expr = _numeric_expr(counts_column, columns, src)
            craw = quote_identifier(counts_column)
            checks.append((f"missing counts in {counts_column!r}", f"{craw} IS NULL"))
            checks.append(
                (
                    f"non-numeric counts in {counts_column!r}",
                    f"{craw} IS NOT NULL AND {count_expr} IS NULL",
                )
            )
            checks.append(
                (
                    f"negative or fractional counts in {counts_column!r}",
                    f"{count_expr} < 0 OR {count_expr} <> floor({count_expr})",
                )
            )
        if person_column is not None:
            checks.append(
                (f"missing ids in {person_column!r}", f"{quote_identifier(person_column)} IS NULL")
            )
        tallies = _integer_tallies(
            con, relation, columns, column, counts_column, person_column, len(checks)
        )
        if tallies is None:
            select = "".join(f", count(*) FILTER (WHERE {cond})" for _, cond in checks)
            tallies = con.execute(f"SELECT count(*){select} FROM {relation}").fetchone()
        rows = int(tallies[0])
        if rows == 0:
            what = "the file is" if len(src.files) == 1 else "the files are"
            what = "the table is" if src.kind == "duckdb" else what
            # a folder or pattern that matched one file: name the file
            where = src.files[0] if len(src.files) == 1 and src.kind != "duckdb" else None
            raise DataError(f"{where or src.description}: {what} empty")
        bad_conditions = []
        for (label, cond), tally in zip(checks, tallies[1:], strict=True):
            if tally:
                problems[label] = (int(tally), _example(con, relation, cond))
                bad_conditions.append(f"({cond})")
        if problems and not drop_invalid:
            label, (count, example) = next(iter(problems.items()))
            if example:  # a 5,000-character value must not make a 5,000-character line
                example = {k: shorten(v) if isinstance(v, str) else v for k, v in example.items()}
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise DataError(
                f"{src.description}: {count} {label}, e.g. row {example}{more}; "
                "fix the data or exclude them explicitly (drop_invalid / --drop-invalid)"
            )
        where = f"WHERE NOT ({' OR '.join(bad_conditions)})" if bad_conditions else ""
        excluded = sum(p[0] for p in problems.values()) if problems else 0
        for label, (count, _) in problems.items():
            logger.warning("%s: excluded %s rows with %s", src.description, count, label)

        if person_column is not None:
            if column is None:
                per_person = "count(*)"
            elif columns[column].startswith(_NUMERIC_TYPES[:10]):
                # Integers sum exactly whatever order the threads add them in.
                per_person = f"CAST(sum({quote_identifier(column)}) AS DOUBLE)"
            else:
                # Compensated summation: per-person totals of fractional values do not
                # depend on how DuckDB splits the rows between threads.
                per_person = f"fsum({value_expr})"
            inner = (
                f"SELECT {per_person} AS v FROM {relation} {where} "
                f"GROUP BY {quote_identifier(person_column)}"
            )
            sql = f"SELECT v, count(*) AS c FROM ({inner}) GROUP BY v ORDER BY v"
        else:
            sql = (
                f"SELECT {value_expr} AS v, sum({count_expr}) AS c FROM {relation} {where} "
                "GROUP BY v ORDER BY v"
            )
        result = con.execute(sql).fetchnumpy()
    except duckdb.Error as err:
        raise DataError(f"{src.description}: {duckdb_message(err)}") from None
    finally:
        con.close()
    values = np.asarray(result["v"], dtype=float)
    counts = np.asarray(result["c"], dtype=float)
    if not (counts > 0).any():
        raise DataError(f"{src.description}: no valid values in {column or person_column!r}")
    # Name the column only when there was a choice (as read_column does).
    label = f"{src.description}:{column}" if column and len(columns) > 1 else src.description
    return SourceTable(
        table=value_table(values, counts, name=label),
        source=src.description,
        label=label,
        column=column,
        counts_column=counts_column,
        person_column=person_column,
        rows=rows,
        excluded=int(excluded),
        problems=problems,
        seconds=time.perf_counter() - start,
    )
