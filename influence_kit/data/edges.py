"""Reading an edge list (who is in whose audience) from a text or Parquet file.

An edge list has one row per link and two columns naming its ends; node names may be
numbers or text (user names). :func:`read_edges` reads it with the same format rules as
:func:`~influence_kit.data.files.read_column` (delimited text with or without a header,
``#`` comments, Parquet) and returns the two columns as integer node ids with the names
they stand for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..validation import check_input_file
from .files import _read_frame

__all__ = ["EdgeList", "read_edges"]


@dataclass(frozen=True)
class EdgeList:
    """Links read from a file, as integer node ids.

    Attributes
    ----------
    source, target
        One int64 id per link end, in ``0 .. len(names) - 1``.
    names
        The node name behind each id (as written in the file).
    path
        The file read.
    """

    source: np.ndarray
    target: np.ndarray
    names: np.ndarray
    path: str

    @property
    def n_nodes(self) -> int:
        """Number of distinct nodes named by the links."""
        return int(self.names.size)


def read_edges(
    path: str | Path, source_column: str | None = None, target_column: str | None = None
) -> EdgeList:
    """Read the links of an edge-list file.

    Parameters
    ----------
    path
        A delimited text file (a header is optional; without one the columns are
        ``"1"`` and ``"2"``) or a Parquet file.
    source_column, target_column
        The columns holding the two ends; default: the first two columns.

    Returns
    -------
    EdgeList

    Raises
    ------
    DataError
        A missing or unreadable file, fewer than two columns, an unknown column, a
        missing entry, or no links at all.
    """
    path = check_input_file(path, "edge list", error=DataError)
    frame, header = _read_frame(path)
    columns = [str(c) for c in frame.columns]
    if len(columns) < 2:
        found = f"one column {columns[0]!r}" if header else "one column"
        raise DataError(f"{path}: an edge list needs two columns, found {found}")
    if header and source_column is None and target_column is None:
        frame = _first_line_as_link(frame)
        columns = [str(c) for c in frame.columns]
    chosen = [source_column or columns[0], target_column or columns[1]]
    for name in chosen:
        if name not in columns:
            raise DataError(f"{path}: no column {name!r}; columns are {columns}")
    if chosen[0] == chosen[1]:
        raise DataError(f"{path}: the two ends of a link must be different columns")
    ends = frame[chosen].astype(str).apply(lambda col: col.str.strip())
    blank = ends.isna() | (ends == "") | (ends == "nan")
    if blank.to_numpy().any():
        row = int(np.flatnonzero(blank.to_numpy().any(axis=1))[0])
        raise DataError(f"{path}: link {row + 1} has a missing end")
    if ends.empty:
        only = f" (its one line, {' '.join(columns)!r}, reads as a header)" if header else ""
        raise DataError(f"{path}: no links{only}")
    codes, names = pd.factorize(np.concatenate([ends.iloc[:, 0], ends.iloc[:, 1]]))
    n = len(ends)
    return EdgeList(
        source=codes[:n].astype(np.int64),
        target=codes[n:].astype(np.int64),
        names=np.asarray(names),
        path=str(path),
    )


def _first_line_as_link(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo a header guess when the first line names nodes that the links also name.

    A first line of text reads as a header (``source target``), but in an edge list of
    user names (``alice bob``) it is the first link. When either of its first two
    fields is a node of the other links, it is taken back as a link and the columns
    are numbered ``"1"``, ``"2"``, ... as for a file without a header.
    """
    names = [str(c).strip() for c in frame.columns]
    ends = frame.iloc[:, :2].astype(str)
    nodes = set(ends.iloc[:, 0].str.strip()) | set(ends.iloc[:, 1].str.strip())
    if names[0] not in nodes and names[1] not in nodes:
        return frame
    first = pd.DataFrame([names], columns=frame.columns)
    frame = pd.concat([first, frame], ignore_index=True)
    frame.columns = [str(i + 1) for i in range(frame.shape[1])]
    return frame
