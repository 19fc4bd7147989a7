"""Reading one numeric column (and optionally a counts column) into a value table,
for the fit and concentration commands.

:func:`read_values` is the entry point: a small single text or Parquet file is
read here with pandas (errors name the row); anything larger or more varied (a
single file of :data:`LARGE_FILE_BYTES` or more, globs, folders of Parquet files,
DuckDB databases, per-event rows) is aggregated in DuckDB by
:func:`influence_kit.data.aggregate.value_counts`, so the rows never enter Python
and memory stays within DuckDB's limit. Both routes give the same table.

Accepted single files:

* Parquet (``.parquet``, ``.pq`` or the ``PAR1`` magic bytes);
* delimited text with a header (CSV, TSV, semicolon- or space-separated),
  recognised by its content with :class:`csv.Sniffer`, whatever the extension
  (``weblinks.hist`` is tab-separated with the header ``degree<TAB>frequency``);
* plain text with one number per line (no header).

Text has no comment character unless one is given (``comment="#"``, ``--comment '#'``):
``bob#1`` is a name and ``12#3`` is not a number. Lines starting with ``#`` at the top
of a file, before its first data line (a preamble, as SNAP files have), are skipped.
A first line is a header when it holds a field that is not a number. A histogram is
read with ``column`` (the values) and ``counts_column`` (how many observations of
each value). Both readers return a :class:`~influence_kit.data.aggregate.SourceTable`: the validated
:class:`~influence_kit.tables.ValueTable` with where it came from.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..formatting import format_value
from ..tables import value_table
from ..validation import check_input_file, path_kind
from .aggregate import SourceTable, value_counts
from .sources import (
    DUCKDB_SUFFIXES,
    SNIFF_BYTES,
    _is_number,
    check_comment,
    data_lines,
    refuse_binary,
    shorten,
)

#: Single files at least this large (in bytes) are aggregated in DuckDB rather than
#: read whole with pandas: a 3e7-row Parquet file (18 MB) takes about 0.5 s and 240 MB
#: there against 40 s and 3 GB through pandas. Smaller files (up to about 3e6 Parquet
#: integers, or 3e5 text lines) keep pandas' row-numbered errors.
LARGE_FILE_BYTES = 2 * 2**20


def _read_frame(path: Path, comment: str | None = None) -> tuple[pd.DataFrame, bool]:
    """Read a file into a DataFrame; the flag says whether it had a header."""
    try:
        return _read_frame_unchecked(path, comment)
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        first = shorten(str(err).strip().splitlines()[0], 200)
        hint = ""
        if comment is None and "Expected" in first:
            hint = "; if a character such as '#' starts comments, give it (--comment '#')"
        raise DataError(f"{path}: not readable as text ({first}){hint}") from None


def _read_frame_unchecked(path: Path, comment: str | None = None) -> tuple[pd.DataFrame, bool]:
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    magic = head[:4]
    if path.suffix.lower() in (".parquet", ".pq") or magic == b"PAR1":
        try:
            return pd.read_parquet(path), True
        except Exception as err:  # pyarrow raises many types
            raise DataError(f"{path}: not a readable Parquet file ({err})") from None
    refuse_binary(path, head)
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            sample = fh.read(SNIFF_BYTES)
    except OSError as err:
        raise DataError(f"{path}: cannot read ({err.strerror})") from None
    skip, lines = data_lines(sample, comment)
    if not lines:
        raise DataError(f"{path}: the file is empty")
    first = lines[0].strip()
    single = len(first.split()) == 1 and not any(d in first for d in ",;\t|")
    if single:
        header = not _is_number(first)
        frame = pd.read_csv(
            path,
            header=0 if header else None,
            comment=comment,
            skiprows=skip,
            skip_blank_lines=True,
            dtype=str,
            encoding="utf-8-sig",
        )
        if not header:
            frame.columns = ["value"]
        return frame, header
    if not any(d in first for d in ",;\t|"):
        sep = " "  # runs of spaces, however many
    else:
        try:
            dialect = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",;\t| ")
            sep = dialect.delimiter
        except csv.Error:
            sep = "\t" if "\t" in first else ","
    fields = [f.strip() for f in (first.split() if sep == " " else first.split(sep))]
    header = not all(_is_number(f) for f in fields if f)
    frame = pd.read_csv(
        path,
        sep=r"\s+" if sep == " " else sep,
        header=0 if header else None,
        comment=comment,
        skiprows=skip,
        dtype=str,
        engine="python" if sep == " " else "c",
        encoding="utf-8-sig",
    )
    if not header:
        frame.columns = [str(i + 1) for i in range(frame.shape[1])]
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, header


def _numeric(frame: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    missing = frame[column].isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise DataError(
            f"{path}: column {column!r} has a missing or NaN value (data row {row + 1})"
        )
    dtype = frame[column].dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        # Parquet numbers need no parsing (the text route below costs ~1 us a row).
        return frame[column].to_numpy(dtype=float)
    text = frame[column].astype(str).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & ~text.str.lower().isin(["nan", ""])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{path}: column {column!r} has a non-numeric entry {shorten(text.iloc[row])!r} "
            f"(data row {row + 1})"
        )
    return numbers.to_numpy(dtype=float)


def read_column(
    path: str | Path,
    column: str | None = None,
    counts_column: str | None = None,
    *,
    comment: str | None = None,
) -> SourceTable:
    """Read the values (and counts) of one column of ``path`` into a table.

    Parameters
    ----------
    path
        The data file (see the module docstring for the formats).
    column
        Column holding the values; may be omitted when the file has one column.
        Files without a header name their columns ``"1"``, ``"2"``, ...
    counts_column
        Column holding the number of observations of each value (a histogram).
    comment
        Comment character of a text file (default: none; see the module docstring).

    Returns
    -------
    SourceTable
        The table (``discrete`` when every value is an integer) and its source.

    Raises
    ------
    DataError
        Missing file, unknown column, non-numeric entries, an ambiguous column, or
        values a table refuses (see :func:`~influence_kit.tables.value_table`).
    """
    start = time.perf_counter()
    _distinct_columns(column, counts_column)
    comment = check_comment(comment)
    path = check_input_file(path, "data file", error=DataError)
    frame, _ = _read_frame(path, comment)
    columns = list(frame.columns)
    if column is None:
        if counts_column is not None:
            rest = [c for c in columns if c != counts_column]
            if len(rest) != 1:
                raise DataError(f"{path}: choose the values column with --column from {columns}")
            column = rest[0]
        elif len(columns) == 1:
            column = columns[0]
        else:
            raise DataError(
                f"{path}: {len(columns)} columns {columns}; choose one with --column "
                "(and --counts-column for a histogram)"
            )
    for name in (column, counts_column):
        if name is not None and name not in columns:
            raise DataError(f"{path}: no column {name!r}; columns are {columns}")
    if len(frame) == 0:
        raise DataError(f"{path}: no data (the table has columns but no rows)")
    values = _numeric(frame, column, path)
    counts = None if counts_column is None else _numeric(frame, counts_column, path)
    if counts is not None:
        keep = ~np.isnan(values) | ~np.isnan(counts)
        with np.errstate(invalid="ignore"):
            bad = keep & (~np.isfinite(counts) | (counts < 0) | (counts % 1 != 0))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"{path}: counts column {counts_column!r} holds {format_value(counts[row])} (data "
                f"row {row + 1}); counts must be whole numbers, 0 or more"
            )
        values, counts = values[keep], counts[keep]
    label = f"{path}:{column}" if len(columns) > 1 else str(path)
    rows = int(values.size)
    if counts is None and rows and np.isfinite(values).all() and values.min() >= 0:
        # Count equal values by hashing (the table would sort every row); invalid
        # values are left to value_table, whose message shows the first one.
        tally = pd.Series(values).value_counts(sort=False)
        values, counts = tally.index.to_numpy(dtype=float), tally.to_numpy(dtype=float)
    return SourceTable(
        table=value_table(values, counts, name=label),
        source=str(path),
        label=label,
        column=column,
        counts_column=counts_column,
        person_column=None,
        rows=rows,
        seconds=time.perf_counter() - start,
    )


def _distinct_columns(
    column: str | None, counts_column: str | None, person_column: str | None = None
) -> None:
    """Refuse one column named for two roles (the values would count themselves)."""
    roles = {"--column": column, "--counts-column": counts_column, "--person-column": person_column}
    named = [(flag, name) for flag, name in roles.items() if name is not None]
    for i, (flag, name) in enumerate(named):
        for other, same in named[i + 1 :]:
            if same == name:
                raise ParameterError(f"{flag} and {other} both name {name!r}; give two columns")


def read_values(
    source: str | Path | Sequence[str | Path],
    column: str | None = None,
    counts_column: str | None = None,
    *,
    person_column: str | None = None,
    table: str | None = None,
    drop_invalid: bool = False,
    memory_limit: str | None = "1GB",
    comment: str | None = None,
) -> SourceTable:
    """Read a table of values from a file, glob, folder or DuckDB database.

    A single existing file smaller than :data:`LARGE_FILE_BYTES`, without
    ``person_column``, ``table`` or ``drop_invalid``, is read by
    :func:`read_column`; everything else (large files included) is aggregated
    to a (value, count) table in DuckDB (see
    :func:`~influence_kit.data.aggregate.value_counts`), so the rows never
    enter Python and memory stays within ``memory_limit``.

    Several files (a list, as a shell expands a glob) are read as one source, like
    the glob itself; a file named twice is read once. Text has no comment character
    unless ``comment`` gives one (lines starting with ``#`` at the top of a file are
    skipped all the same).

    Returns
    -------
    SourceTable
        The table and where it came from (the same table either way).
    """
    _distinct_columns(column, counts_column, person_column)
    if not isinstance(source, (str, Path)):
        sources = [str(s) for s in source]
        if len(sources) != 1:
            return value_counts(
                sources,
                column,
                counts_column=counts_column,
                person_column=person_column,
                table=table,
                drop_invalid=drop_invalid,
                memory_limit=memory_limit,
                comment=comment,
            )
        source = sources[0]
    path = Path(source)
    pattern = any(ch in str(source) for ch in "*?[")
    kind = None if pattern else path_kind(path)
    if kind not in (None, "directory"):  # not a pattern or a folder: a single file
        check_input_file(path, "data file", error=DataError)
    simple = not pattern and kind != "directory"
    simple = simple and person_column is None and table is None and not drop_invalid
    simple = simple and path.suffix.lower() not in DUCKDB_SUFFIXES
    if simple and (not path.is_file() or path.stat().st_size < LARGE_FILE_BYTES):
        return read_column(path, column, counts_column, comment=comment)
    return value_counts(
        str(source),
        column,
        counts_column=counts_column,
        person_column=person_column,
        table=table,
        drop_invalid=drop_invalid,
        memory_limit=memory_limit,
        comment=comment,
    )
