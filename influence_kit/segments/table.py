"""Person tables: column roles, reading from disk and strict validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..constants import FLAG_ROLES, NUMERIC_ROLES
from ..data import files as data_files
from ..errors import DataError, ParameterError
from ..validation import check_input_file, path_kind

#: Key of ``DataFrame.attrs`` where :func:`read_person_table` keeps every column of the
#: file (it reads only the columns needed), for messages about a missing column.
FILE_COLUMNS_ATTR = "influence_kit_file_columns"

#: Columns of the synthetic population schema (:mod:`influence_kit.population`).
DEFAULT_COLUMNS: dict[str, str] = {
    "weight": "weight",
    "audience": "audience",
    "network_updates": "network_updates",
    "network_impressions": "network_impressions",
    "influence_posts": "influence_posts",
    "post_impressions": "post_impressions",
    **{flag: flag for flag in FLAG_ROLES},
}

#: Roles the default schema requires; the others are used when present.
DEFAULT_REQUIRED: tuple[str, ...] = ("network_impressions", "influence_posts", "audience")


@dataclass(frozen=True)
class PersonColumns:
    """Which column plays which role.

    Attributes
    ----------
    roles
        ``{role: column}`` for the roles in :data:`NUMERIC_ROLES` and
        :data:`FLAG_ROLES` that the table provides.
    required
        Roles whose column must exist.
    """

    roles: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    required: tuple[str, ...] = DEFAULT_REQUIRED

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str | None] | None) -> PersonColumns:
        """Explicit roles (every named column is required); ``None`` gives the default schema.

        Examples
        --------
        >>> PersonColumns.from_mapping(
        ...     {"influence_posts": "votes_cast", "audience": "votes_received"}
        ... ).roles
        {'influence_posts': 'votes_cast', 'audience': 'votes_received'}
        """
        if mapping is None:
            return cls()
        roles: dict[str, str] = {}
        for role, column in mapping.items():
            if role not in NUMERIC_ROLES and role not in FLAG_ROLES:
                known = ", ".join(NUMERIC_ROLES + FLAG_ROLES)
                raise ParameterError(f"unknown column role {role!r} (known: {known})")
            if column is None or str(column) == "":
                continue
            roles[role] = str(column)
        if not roles:
            raise ParameterError("the column mapping names no columns")
        return cls(roles=roles, required=tuple(roles))


@dataclass(frozen=True)
class PersonArrays:
    """Validated person-level arrays (``None`` when a quantity is unavailable)."""

    n: int
    weight: np.ndarray
    audience: np.ndarray | None
    network_impressions: np.ndarray | None
    influence_posts: np.ndarray | None
    post_impressions: np.ndarray | None
    flags: dict[str, np.ndarray]
    columns: dict[str, str]


def _example(frame: pd.DataFrame, mask: np.ndarray, column: str) -> str:
    pos = int(np.flatnonzero(mask)[0])
    label = frame.index[pos]
    value = frame[column].iloc[pos]
    if isinstance(value, np.generic):
        value = value.item()
    count = int(mask.sum())
    more = f" and {count - 1} more" if count > 1 else ""
    return f"row {label}: {value!r}{more}"


def _numeric(frame: pd.DataFrame, column: str, origin: str) -> np.ndarray:
    series = frame[column]
    if (
        pd.api.types.is_datetime64_any_dtype(series)
        or pd.api.types.is_timedelta64_dtype(series)
        or isinstance(series.dtype, pd.PeriodDtype)
    ):
        # pandas would turn them into nanoseconds: a number, but not a count
        raise DataError(
            f"{origin}: column {column!r} holds dates or times ({series.dtype}), not numbers"
        )
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        coerced = pd.to_numeric(series, errors="coerce")
        bad = (coerced.isna() & series.notna()).to_numpy()
        if pd.api.types.is_bool_dtype(series):
            bad = np.ones(len(series), dtype=bool)
        if bad.any():
            raise DataError(
                f"{origin}: column {column!r} is not numeric ({_example(frame, bad, column)})"
            )
        series = coerced
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    nan = np.isnan(values)
    if nan.any():
        raise DataError(
            f"{origin}: column {column!r} has missing values ({_example(frame, nan, column)})"
        )
    inf = ~np.isfinite(values)
    if inf.any():
        raise DataError(
            f"{origin}: column {column!r} has infinite values ({_example(frame, inf, column)})"
        )
    return values


def _flag(frame: pd.DataFrame, column: str, origin: str) -> np.ndarray:
    series = frame[column]
    if pd.api.types.is_bool_dtype(series) and not series.isna().any():
        return series.to_numpy(dtype=bool)
    coerced = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isin(coerced, (0.0, 1.0))
    if bad.any():
        raise DataError(
            f"{origin}: flag column {column!r} must hold true/false or 0/1 "
            f"({_example(frame, bad, column)})"
        )
    return coerced == 1.0


def validate_person_table(
    frame: pd.DataFrame,
    columns: PersonColumns | Mapping[str, str | None] | None = None,
    *,
    origin: str = "person table",
) -> PersonArrays:
    """Check a person table and return its arrays by role.

    Parameters
    ----------
    frame
        One row per person.
    columns
        Column roles (:class:`PersonColumns`, a mapping ``{role: column}`` or
        ``None`` for the synthetic-population schema).
    origin
        Name used in error messages (usually the file).

    Returns
    -------
    PersonArrays
        Network impressions are taken from their column or, failing that,
        computed as ``network_updates x audience``.

    Raises
    ------
    DataError
        On a missing column, a non-numeric value, a missing (NaN) or infinite
        value, a negative count, a weight that is zero or negative, a flag
        that is not true/false, or an Inactive with another activity flag; the
        one-line message names the column and an example row.
    """
    cols = columns if isinstance(columns, PersonColumns) else PersonColumns.from_mapping(columns)
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            f"{origin}: expected a table (pandas DataFrame), got {type(frame).__name__}"
        )
    if len(frame) == 0:
        raise DataError(f"{origin}: the table has no rows")
    missing = [cols.roles[r] for r in cols.required if cols.roles[r] not in frame.columns]
    if missing:
        have = frame.attrs.get(FILE_COLUMNS_ATTR, list(frame.columns))
        raise DataError(
            f"{origin}: missing column(s) {', '.join(map(repr, missing))} ({_listed(have)})"
        )
    present = {r: c for r, c in cols.roles.items() if c in frame.columns}
    numeric: dict[str, np.ndarray] = {}
    for role in NUMERIC_ROLES:
        if role not in present:
            continue
        column = present[role]
        values = _numeric(frame, column, origin)
        if role == "weight":
            bad = values <= 0
            if bad.any():
                raise DataError(
                    f"{origin}: column {column!r} (weights) must be positive "
                    f"({_example(frame, bad, column)})"
                )
        else:
            bad = values < 0
            if bad.any():
                raise DataError(
                    f"{origin}: column {column!r} has negative values "
                    f"({_example(frame, bad, column)})"
                )
        numeric[role] = values
    flags = {role: _flag(frame, present[role], origin) for role in FLAG_ROLES if role in present}
    active = [flags[r] for r in FLAG_ROLES[:-1] if r in flags]
    if "inactive" in flags and active:
        clash = flags["inactive"] & np.logical_or.reduce(active)
        if clash.any():
            column = present["inactive"]
            raise DataError(
                f"{origin}: flag column {column!r} is true for someone with another activity "
                f"flag (Inactives are exclusive; {_example(frame, clash, column)})"
            )
    network = numeric.get("network_impressions")
    if network is None and "network_updates" in numeric and "audience" in numeric:
        network = numeric["network_updates"] * numeric["audience"]
    posts = numeric.get("influence_posts")
    if network is None and posts is None:
        raise DataError(
            f"{origin}: no activity columns: map network_impressions (or network_updates and "
            "audience) and/or influence_posts"
        )
    n = len(frame)
    return PersonArrays(
        n=n,
        weight=numeric.get("weight", np.ones(n)),
        audience=numeric.get("audience"),
        network_impressions=network,
        influence_posts=posts,
        post_impressions=numeric.get("post_impressions"),
        flags=flags,
        columns=present,
    )


def read_person_table(
    path: str | Path | Sequence[str | Path],
    *,
    drop: Mapping[str, Any] | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read a person table from Parquet, CSV or TSV (by suffix), or a glob or folder of them.

    Globs, folders and single files of
    :data:`~influence_kit.data.files.LARGE_FILE_BYTES` or more are read with
    DuckDB (in the files' row order), taking only the ``columns`` needed; smaller
    files with pandas. Both give the same frame.

    Parameters
    ----------
    path
        ``.parquet``/``.pq``, ``.csv``, or ``.tsv``/``.txt`` (tab-separated) file, a
        glob or folder of them, or a list of files (read as one table, like a glob).
    drop
        ``{column: value}``: rows where the column equals the value are dropped
        (e.g. ``{"Id": -1}`` for the Community bot of a Stack Exchange file read from
        disk; :func:`influence_kit.datasets.load_scifi_stackexchange_users` and
        :func:`~influence_kit.datasets.drop_stackexchange_community` drop it already).
    columns
        Read only those of these columns that the file has (plus the ``drop``
        columns); Parquet only, other formats are read whole. Saves memory on
        large populations.

    Raises
    ------
    DataError
        If the file is missing, unreadable, or a ``drop`` column does not exist.
    """
    if not isinstance(path, (str, Path)):
        files = [str(f) for f in path]
        if len(files) != 1:
            frame = _read_with_duckdb(files, columns, drop)
            return _drop_rows(frame, drop, ", ".join(files))
        path = files[0]
    p = Path(path)
    if any(ch in str(path) for ch in "*?[") or path_kind(p) == "directory":
        frame = _read_with_duckdb(str(path), columns, drop)
        return _drop_rows(frame, drop, str(path))
    check_input_file(p, "person table file", error=DataError)
    suffix = p.suffix.lower()
    if (
        suffix in (".parquet", ".pq", ".csv", ".tsv")
        and p.stat().st_size >= data_files.LARGE_FILE_BYTES
    ):
        frame = _read_with_duckdb(str(p), columns, drop)
        return _drop_rows(frame, drop, str(p))
    file_columns = None
    try:
        if suffix in (".parquet", ".pq"):
            wanted = None
            if columns is not None:
                import pyarrow.parquet as pq

                names = pq.read_schema(p).names
                keep = list(dict.fromkeys([*columns, *(drop or {})]))
                wanted = [c for c in keep if c in names]
                file_columns = [str(c) for c in names]
            frame = pd.read_parquet(p, columns=wanted)
        elif suffix == ".csv":
            frame = pd.read_csv(p)
        elif suffix in (".tsv", ".txt", ".tab"):
            frame = pd.read_csv(p, sep="\t")
        else:
            raise DataError(f"{p}: unknown table format {suffix!r} (use .parquet, .csv or .tsv)")
    except DataError:
        raise
    except Exception as err:  # pandas/pyarrow raise many types for unreadable files
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise DataError(f"{p}: cannot read the table: {first}") from None
    return _drop_rows(frame, drop, str(p), file_columns)


def _drop_rows(
    frame: pd.DataFrame,
    drop: Mapping[str, Any] | None,
    origin: str,
    file_columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Drop the rows ``drop`` names; record the columns of the file in ``attrs``.

    A table read with only the columns needed keeps the file's full list of columns
    in ``frame.attrs[FILE_COLUMNS_ATTR]``, so a missing column's message lists them.
    """
    file_columns = list(frame.attrs.get(FILE_COLUMNS_ATTR, file_columns or frame.columns))
    for column, value in (drop or {}).items():
        if column not in frame.columns:
            raise DataError(
                f"{origin}: cannot drop rows by column {column!r}: no such column "
                f"({_listed(file_columns)})"
            )
        frame = frame[frame[column] != value]
    frame.attrs[FILE_COLUMNS_ATTR] = [str(c) for c in file_columns]
    return frame


def _listed(columns: Sequence[Any], most: int = 20) -> str:
    """``the file has columns 'a', 'b', ...`` (or says it has none), for messages."""
    if not len(columns):
        return "the file has no columns"
    shown = ", ".join(repr(str(c)) for c in list(columns)[:most])
    more = f", ... ({len(columns)} in all)" if len(columns) > most else ""
    return f"the file has columns {shown}{more}"


def _read_with_duckdb(
    spec: str | Sequence[str], columns: Sequence[str] | None, drop: Mapping[str, Any] | None
) -> pd.DataFrame:
    """Read a glob or folder of Parquet/CSV files with DuckDB, only the columns needed."""
    import duckdb

    from ..data.sources import connect, open_source, quote_identifier

    source = open_source(spec)
    con = connect(source)
    try:
        # Keep the files' row order so results are reproducible to the last digit.
        con.execute("SET preserve_insertion_order = true")
        # Numbers, booleans and text, as pandas reads a CSV (no dates).
        relation = source.relation_sql(
            comments=False, type_candidates=("BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR")
        )
        every = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
        names = every
        if columns is not None:
            keep = list(dict.fromkeys([*columns, *(drop or {})]))
            # none of them: read one column anyway, so the rows are counted
            names = [c for c in keep if c in every] or every[:1]
        select = ", ".join(quote_identifier(c) for c in names)
        frame = con.execute(f"SELECT {select} FROM {relation}").fetchdf()
        frame.attrs[FILE_COLUMNS_ATTR] = [str(c) for c in every]
        return frame
    except duckdb.Error as err:
        first = str(err).strip().splitlines()[0]
        raise DataError(f"{source.description}: cannot read the table: {first}") from None
    finally:
        con.close()
