"""Reading an edge list (who is in whose audience) from a text or Parquet file.

An edge list has one row per link and two columns naming its ends; node names may be
numbers or text (user names). :func:`read_edges` reads it with the same format rules as
:func:`~influence_kit.data.files.read_column` (delimited text with or without a header,
no comment character unless one is given, Parquet) and returns the two columns as
integer node ids with the names they stand for.

Nodes are told apart by value: when every end is a number, ``2``, ``2.0`` and ``"2"``
are one person (in text and in Parquet, whatever the column types); in a list of
names, ``bob#1`` and ``bob#2`` are two people, and two spellings of one number
(``2`` and ``2.0``) are refused rather than guessed at.

The first line of a text file is a header only by this rule: one of its fields is not
a number while the column below it holds only numbers, or its first two fields are
column names (words such as ``source``, ``target``, ``from``, ``to``, ``follower``,
``user``, ``id``, ``node``, with digits and ``_`` allowed: ``FromNodeId``, ``node_a``)
that no other link names. Otherwise it is the first link. Taking a first line of
names as a header is logged at WARNING with the rule.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..validation import check_input_file
from .files import _read_frame
from .sources import _is_number, check_comment, shorten

logger = logging.getLogger(__name__)

#: Words that make a first line of names a header (see the module docstring).
HEADER_WORDS = frozenset(
    """
    source sources src target targets tgt dst dest destination from to follower followers
    followee followees followed following author authors user users username usernames
    name names id ids uid node nodes vertex vertices head tail u v a b i j x y who whom
    friend friends fan fans member members reader readers subscriber subscribers sender
    senders receiver receivers recipient recipients voter voters candidate candidates
    in out start end left right origin edge link parent child account accounts person
    people handle screen
    """.split()
)

#: The header rule, as the warning states it.
HEADER_RULE = (
    "a first line is a header when a column below it holds only numbers, or when its "
    "fields are column names (source, target, from, to, follower, user, id, node, ...) "
    "that no other link names"
)

_INTEGER = re.compile(r"[+-]?[0-9]+")

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
    path: str | Path,
    source_column: str | None = None,
    target_column: str | None = None,
    *,
    comment: str | None = None,
    header: bool | None = None,
) -> EdgeList:
    """Read the links of an edge-list file.

    Parameters
    ----------
    path
        A delimited text file (a header is optional; without one the columns are
        ``"1"`` and ``"2"``) or a Parquet file.
    source_column, target_column
        The columns holding the two ends; default: the first two columns.
    comment
        Comment character of a text file (default: none, so ``bob#1`` is a name).
    header
        Whether the first line of a text file is a header; default: by the rule of
        the module docstring.

    Returns
    -------
    EdgeList

    Raises
    ------
    DataError
        A missing or unreadable file, fewer than two columns, an unknown column, a
        missing entry, ends that mix numbers and names, or no links at all.
    """
    comment = check_comment(comment)
    path = check_input_file(path, "edge list", error=DataError)
    frame, has_header = _read_frame(path, comment)
    parquet = has_header and not _is_text(path)
    columns = [str(c) for c in frame.columns]
    if len(columns) < 2:
        found = f"one column {columns[0]!r}" if has_header else "one column"
        raise DataError(f"{path}: an edge list needs two columns, found {found}")
    if has_header and not parquet:
        if header is False:
            frame = _as_link(frame)
        elif header is None and source_column is None and target_column is None:
            frame = _first_line_as_link(frame, path)
        columns = [str(c) for c in frame.columns]
    chosen = [source_column or columns[0], target_column or columns[1]]
    for name in chosen:
        if name not in columns:
            raise DataError(f"{path}: no column {name!r}; columns are {columns}")
    if chosen[0] == chosen[1]:
        raise DataError(f"{path}: the two ends of a link must be different columns")
    pair = [frame[name] for name in chosen]
    for i, col in enumerate(pair):
        if not pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
            pair[i] = col.astype("string").str.strip()
    blank = np.zeros(len(frame), dtype=bool)
    for col in pair:
        blank |= col.isna().to_numpy(dtype=bool)
        if not pd.api.types.is_numeric_dtype(col.dtype):
            blank |= col.fillna("").str.lower().isin(["", "nan"]).to_numpy(dtype=bool)
    if blank.any():
        row = int(np.flatnonzero(blank)[0])
        raise DataError(f"{path}: link {row + 1} has a missing end")
    if len(frame) == 0:
        only = f" (its one line, {' '.join(columns)!r}, reads as a header)" if has_header else ""
        raise DataError(f"{path}: no links{only}")
    source, target, names = _node_ids(path, pair, chosen)
    return EdgeList(source=source, target=target, names=names, path=str(path))


def _is_text(path: Path) -> bool:
    """Whether ``path`` is read as text (not Parquet, by suffix or magic bytes)."""
    if path.suffix.lower() in (".parquet", ".pq"):
        return False
    with path.open("rb") as handle:
        return handle.read(4) != b"PAR1"


def _number(text: str) -> int | float | None:
    """The value of a field that is a number (integers exactly), else None."""
    text = text.strip().strip("\"'")
    if _INTEGER.fullmatch(text):
        return int(text)
    if "_" in text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else value


def _canonical(values: np.ndarray) -> tuple[list[Any], bool]:
    """Each distinct value as a number (integer-valued numbers as ``int``) when it is
    one, else as written; the flag says whether all were numbers."""
    out: list[Any] = []
    numeric = True
    for value in values.tolist():
        if isinstance(value, str):
            number = _number(value)
        elif isinstance(value, float):
            number = (
                None if not math.isfinite(value) else (int(value) if value.is_integer() else value)
            )
        else:
            number = int(value)
        if number is None:
            numeric = False
            out.append(value)
        else:
            out.append(number)
    return out, numeric


def _node_ids(
    path: Path, pair: list[pd.Series], chosen: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense int64 ids of the two ends, told apart by value (see the module docstring)."""
    factorized = [pd.factorize(col.to_numpy()) for col in pair]
    canon = [_canonical(np.asarray(uniques, dtype=object)) for _, uniques in factorized]
    numeric = all(flag for _, flag in canon)
    kinds = [pd.api.types.is_numeric_dtype(col.dtype) for col in pair]
    if not numeric and any(kinds):
        num = chosen[kinds.index(True)]
        txt = chosen[kinds.index(False)]
        example = next(v for v in canon[kinds.index(False)][0] if isinstance(v, str))
        raise DataError(
            f"{path}: column {num!r} holds numbers and column {txt!r} text (e.g. "
            f"{shorten(example)!r}); write both ends of a link the same way"
        )
    index: dict[Any, int] = {}
    keys: list[Any] = []
    spelled: dict[Any, str] = {}
    ids = []
    for (codes, uniques), (values, _) in zip(factorized, canon, strict=True):
        mapped = np.empty(len(values), dtype=np.int64)
        for i, (raw, value) in enumerate(
            zip(np.asarray(uniques, dtype=object), values, strict=True)
        ):
            key = value if numeric else raw
            if not numeric and not isinstance(value, str):
                # a name that is a number: another spelling of it would be another person
                other = spelled.setdefault(value, raw)
                if other != raw:
                    raise DataError(
                        f"{path}: {shorten(other)!r} and {shorten(raw)!r} are the same "
                        "number written two ways in a list of names; write each id one way"
                    )
            if key not in index:
                index[key] = len(keys)
                keys.append(key)
            mapped[i] = index[key]
        ids.append(mapped[codes])
    if numeric and all(isinstance(k, int) for k in keys):
        fits = all(-(2**63) <= k < 2**63 for k in keys)
        names = np.array(keys, dtype=np.int64) if fits else np.array(keys, dtype=object)
    elif numeric:
        names = np.array(keys, dtype=object)
    else:
        names = np.array(keys, dtype=object).astype(str)
    return ids[0], ids[1], names


def _as_link(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its header taken back as the first row, columns ``"1"``, ``"2"``, ..."""
    names = [str(c).strip() for c in frame.columns]
    first = pd.DataFrame([names], columns=frame.columns)
    frame = pd.concat([first, frame], ignore_index=True)
    frame.columns = [str(i + 1) for i in range(frame.shape[1])]
    return frame


def _column_words(field: str) -> bool:
    """Whether a field reads as a column name (see :data:`HEADER_WORDS`)."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", field.strip().strip("\"'"))
    words = [w for w in re.split(r"[^a-z]+", spaced.lower()) if w]
    return bool(words) and all(w in HEADER_WORDS for w in words)


def _first_line_as_link(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Apply the header rule (module docstring) to a first line read as a header.

    A first line of text reads as a header (``source target``), but in an edge list of
    user names (``alice bob``) it is the first link. It stays a header when a column
    below one of its non-number fields holds only numbers (``source,target`` over
    ids), or when its first two fields are column names that no other link names;
    otherwise it is taken back as a link and the columns are numbered ``"1"``,
    ``"2"``, ... as for a file without a header.
    """
    names = [str(c).strip() for c in frame.columns]
    ends = frame.iloc[:, :2].astype("string")
    for field, column in zip(names[:2], ends.columns, strict=True):
        values = ends[column].dropna().str.strip().unique()
        if not _is_number(field) and len(values) and all(_is_number(v) for v in values):
            logger.info(
                "%s: first line %r read as a header (%s)", path, ",".join(names), HEADER_RULE
            )
            return frame
    nodes = set(ends.iloc[:, 0].str.strip()) | set(ends.iloc[:, 1].str.strip())
    if names[0] in nodes or names[1] in nodes or not all(_column_words(f) for f in names[:2]):
        return _as_link(frame)
    logger.warning(
        "%s: first line %r read as a header, not a link (rule: %s); if it is a link, "
        "say there is no header (header=False, --no-header)",
        path,
        shorten(",".join(names[:2]), 80),
        HEADER_RULE,
    )
    return frame
