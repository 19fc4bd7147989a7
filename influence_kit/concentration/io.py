"""Read one column of per-person values (and optional counts) from a text file.

Accepted layouts, recognised from the content rather than the file name:

* a table with a header row, tab- or comma-separated (``--column NAME`` picks
  the values, ``--counts-column NAME`` the number of people with each value);
* a table without a header: columns are named by their 1-based position
  (``--column 2``);
* one number per line.

Lines starting with ``#`` (SNAP-style comments) and blank lines are skipped.
Problems (missing file, unknown column, text where numbers are expected,
missing cells) raise :class:`~influence_kit.errors.DataError` naming the file,
the column and the first offending row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["ColumnData", "read_column"]


@dataclass(frozen=True, eq=False)
class ColumnData:
    """Values read from a file.

    Attributes
    ----------
    path
        The file read.
    column
        Name of the values column (its 1-based position for headerless tables).
    values
        The values, as floats.
    counts
        Number of people with each value, if a counts column was named.
    counts_column
        Name of the counts column, if any.
    """

    path: str
    column: str
    values: np.ndarray
    counts: np.ndarray | None = None
    counts_column: str | None = None


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _sniff(path: Path) -> tuple[str | None, bool]:
    """Return ``(separator, has_header)``; separator ``None`` means whitespace."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                sep = "\t" if "\t" in text else "," if "," in text else None
                tokens = [t.strip().strip('"') for t in (text.split(sep) if sep else text.split())]
                return sep, not all(_is_number(t) for t in tokens if t)
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a UTF-8 text file") from None
    raise DataError(f"{path}: no data (the file is empty or only has comments)")


_NAN_TEXT = frozenset({"nan", "+nan", "-nan"})


def _numeric(frame: pd.DataFrame, name: str, path: Path) -> np.ndarray:
    raw = frame[name].fillna("").astype(str).str.strip()
    empty = (raw == "").to_numpy()
    if empty.any():
        row = int(np.flatnonzero(empty)[0])
        raise DataError(f"{path}: column {name!r} has a missing value in data row {row + 1}")
    values = pd.to_numeric(raw, errors="coerce")
    # "nan" is read as NaN and refused later with the other invalid values.
    bad = (values.isna() & ~raw.str.lower().isin(_NAN_TEXT)).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(f"{path}: column {name!r} row {row + 1} is not a number: {raw.iloc[row]!r}")
    return values.to_numpy(dtype=float)


def read_column(
    path: str | Path, column: str | None = None, counts_column: str | None = None
) -> ColumnData:
    """Read a column of values (and optionally counts) from a text file.

    Parameters
    ----------
    path
        TSV/CSV with a header, a headerless table, or one number per line.
    column
        Column holding the values; required when the file has several columns.
    counts_column
        Column holding the number of people with each value (a frequency table).

    Returns
    -------
    ColumnData

    Raises
    ------
    DataError
        If the file cannot be read or the columns are missing or not numeric.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    sep, header = _sniff(path)
    try:
        frame = pd.read_csv(
            path,
            sep=sep if sep else r"\s+",
            header=0 if header else None,
            comment="#",
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            engine="c" if sep else "python",
        )
    except (pd.errors.ParserError, ValueError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise DataError(f"{path}: cannot parse as a table ({first})") from None
    if not header:
        frame.columns = [str(i + 1) for i in range(frame.shape[1])]
    frame.columns = [str(c).strip() for c in frame.columns]
    available = ", ".join(frame.columns)
    if column is None:
        candidates = [c for c in frame.columns if c != counts_column]
        if len(candidates) != 1:
            raise DataError(f"{path} has columns {available}: choose one with --column")
        column = candidates[0]
    for name in (column, counts_column):
        if name is not None and name not in frame.columns:
            raise DataError(f"{path}: no column {name!r} (have {available})")
    if frame.empty:
        raise DataError(f"{path}: no data rows")
    values = _numeric(frame, column, path)
    counts = _numeric(frame, counts_column, path) if counts_column else None
    return ColumnData(
        path=str(path), column=column, values=values, counts=counts, counts_column=counts_column
    )
