"""Aggregate a ``dask.dataframe`` (or Parquet files read by Dask) into a (value, count) table.

:func:`value_counts_dask` is the distributed twin of
:func:`~influence_kit.data.aggregate.value_counts`: the same three shapes of
input (per-person values, a histogram, per-event rows), the same validation,
and the same :class:`~influence_kit.data.aggregate.SourceTable` result. The rows
stay on the Dask workers; only the value table (one row per distinct value,
about 1e4 rows for 1e8 heavy-tailed integers) comes back, and that small table
is all the fitting and concentration code needs.

Recipe: data larger than one machine
------------------------------------
Aggregate where the data live, ship the small table to the fitter. With Dask,
connect to the cluster first and hand the client to each step::

    import dask.dataframe as dd
    from influence_kit.concentration import concentration
    from influence_kit.data import value_counts_dask
    from influence_kit.fitting import fit_all
    from influence_kit.parallel import connect_scheduler

    client = connect_scheduler("tcp://scheduler:8786")
    ddf = dd.read_parquet("s3://bucket/impressions/*.parquet")
    data = value_counts_dask(ddf, "impressions", client=client)  # or person_column="user_id"
    report = fit_all(data.table, gof_replicates=2500, seed=1, client=client)
    conc = concentration(data.table, reps=1000, client=client)

The same table from SQL in DuckDB, Spark or a warehouse, where ``v`` is the
per-person value column of ``t``::

    SELECT v, count(*) AS c FROM t GROUP BY v ORDER BY v

(from per-event rows: ``SELECT v, count(*) AS c FROM (SELECT count(*) AS v FROM
events GROUP BY person) GROUP BY v``). Collect the result (for example with
``spark.sql(...).toPandas()``), make it a table with
``ValueTable.from_pandas(frame, "v", counts_column="c")`` (see
:mod:`influence_kit.tables`) and pass that to
:func:`~influence_kit.fitting.fit_all` or
:func:`~influence_kit.concentration.concentration`. On one machine,
:func:`~influence_kit.data.aggregate.value_counts` runs exactly this query in
DuckDB, streaming and within a memory limit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..formatting import format_fixed
from ..tables import value_table
from .aggregate import SourceTable, plain_row

logger = logging.getLogger(__name__)

__all__ = ["value_counts_dask"]

#: Names of the helper columns (chosen not to clash with a user's columns).
_VALUE = "__influence_kit_value__"
_COUNT = "__influence_kit_count__"


def _read(ddf_or_paths: Any) -> tuple[Any, str]:
    """The Dask DataFrame to aggregate and a description of it."""
    import dask.dataframe as dd

    if isinstance(ddf_or_paths, dd.DataFrame):
        return ddf_or_paths, f"dask DataFrame ({ddf_or_paths.npartitions} partitions)"
    if isinstance(ddf_or_paths, pd.DataFrame):
        return dd.from_pandas(ddf_or_paths, npartitions=1), "pandas DataFrame"
    if isinstance(ddf_or_paths, (str, Path)):
        description = str(ddf_or_paths)
        paths: str | list[str] = description
    elif isinstance(ddf_or_paths, Sequence) and ddf_or_paths:
        paths = [str(p) for p in ddf_or_paths]
        description = ", ".join(paths)
    else:
        raise ParameterError(
            "give a dask DataFrame, or Parquet file paths or globs, "
            f"not {type(ddf_or_paths).__name__}"
        )
    try:
        ddf = dd.read_parquet(paths)
    except (OSError, ValueError, IndexError) as err:
        raise DataError(f"{description}: cannot be read as Parquet: {_first_line(err)}") from None
    if len(ddf.columns) == 0:
        raise DataError(f"{description}: no Parquet data (no file matches, or no columns)")
    return ddf, description


def _first_line(err: BaseException) -> str:
    """First line of the innermost cause of ``err`` (Dask wraps reader errors)."""
    while err.__cause__ is not None:
        err = err.__cause__
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _numeric(ddf: Any, name: str, description: str) -> None:
    dtype = ddf[name].dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        raise DataError(f"{description}: column {name!r} holds {dtype} values, not numbers")


def _example(ddf: Any, mask: Any, client: Any) -> dict[str, Any] | None:
    """The first row where ``mask`` holds, as plain Python values."""
    rows = ddf[mask].head(1, npartitions=-1, compute=False).compute(scheduler=client)
    return None if rows.empty else plain_row(rows.iloc[0])


def value_counts_dask(
    ddf_or_paths: Any,
    column: str | None = None,
    *,
    counts_column: str | None = None,
    person_column: str | None = None,
    client: Any = None,
) -> SourceTable:
    """Aggregate a column of a Dask DataFrame into a (value, count) table.

    The work runs on ``client`` when one is given (see
    :func:`influence_kit.parallel.connect_scheduler`), otherwise wherever Dask
    computations run by default: a ``dask.distributed`` client of your own that
    is current, or local threads. See the module docstring for the recipe for
    data larger than one machine.

    Parameters
    ----------
    ddf_or_paths
        A ``dask.dataframe.DataFrame``; Parquet file paths, globs or folders
        (local or remote, read with ``dask.dataframe.read_parquet``); or a
        pandas DataFrame.
    column
        The value column (numeric). With a single-column frame it may be
        omitted. With ``person_column`` and no ``column``, each person's value
        is their number of rows.
    counts_column
        The frame is a histogram: this column holds the count of each value.
    person_column
        The frame holds one row per event; values are aggregated per person
        (the sum of ``column``, or the number of rows).
    client
        A ``dask.distributed.Client`` to run on (``None``: Dask's default).

    Returns
    -------
    SourceTable
        The same result as :func:`~influence_kit.data.aggregate.value_counts`
        on the same data (``seconds`` is the time spent in Dask).

    Raises
    ------
    DataError
        Unreadable input, a missing or non-numeric column, or missing,
        non-finite or negative values (negative or fractional counts), with
        their count and an example row.
    ParameterError
        Both ``counts_column`` and ``person_column``, or an unusable input type.
    """
    import dask

    if counts_column is not None and person_column is not None:
        raise ParameterError("give counts_column (a histogram) or person_column (events), not both")
    start = time.perf_counter()
    ddf, description = _read(ddf_or_paths)
    columns = [str(c) for c in ddf.columns]
    if column is None and person_column is None:
        if len(columns) != 1:
            raise DataError(f"{description}: name the value column (columns: {', '.join(columns)})")
        column = columns[0]
    for name, what in ((column, "column"), (counts_column, "counts column")):
        if name is not None and name not in columns:
            raise DataError(f"{description}: no {what} {name!r} (columns: {', '.join(columns)})")
        if name is not None:
            _numeric(ddf, name, description)
    if person_column is not None and person_column not in columns:
        raise DataError(
            f"{description}: no person column {person_column!r} (columns: {', '.join(columns)})"
        )

    checks: list[tuple[str, Any]] = []
    value = ddf[column].astype("float64") if column is not None else None
    if value is not None:
        checks.append((f"missing values in {column!r}", value.isna()))
        checks.append((f"non-finite values in {column!r}", value.abs() == np.inf))
        checks.append((f"negative values in {column!r}", value < 0))
    count = ddf[counts_column].astype("float64") if counts_column is not None else None
    if count is not None:
        checks.append((f"missing counts in {counts_column!r}", count.isna()))
        checks.append(
            (
                f"negative or fractional counts in {counts_column!r}",
                (count < 0) | ((count % 1 != 0) & ~count.isna()),
            )
        )
    if person_column is not None:
        checks.append((f"missing ids in {person_column!r}", ddf[person_column].isna()))

    try:
        rows, *tallies = dask.compute(
            ddf.shape[0], *(mask.sum() for _, mask in checks), scheduler=client
        )
        problems: dict[str, Any] = {}
        for (label, mask), tally in zip(checks, tallies, strict=True):
            if int(tally):
                problems[label] = (int(tally), _example(ddf, mask, client))
        if problems:
            label, (n_bad, example) = next(iter(problems.items()))
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise DataError(
                f"{description}: {n_bad} {label}, e.g. row {example}{more}; "
                "fix the data or filter those rows out of the DataFrame first"
            )

        if person_column is not None:
            # each row adds its value (or 1 to count rows) to its person's total
            rowwise = ddf[[person_column]].assign(**{_VALUE: 1.0 if value is None else value})
            per_person = rowwise.groupby(person_column)[_VALUE].sum(split_out=True)
            table = per_person.value_counts()
        elif count is not None:
            table = ddf.assign(**{_VALUE: value, _COUNT: count}).groupby(_VALUE)[_COUNT].sum()
        else:
            assert value is not None
            table = value.value_counts()
        result = table.compute(scheduler=client)
    except (OSError, ValueError) as err:
        if isinstance(err, DataError):
            raise
        raise DataError(f"{description}: {_first_line(err)}") from None
    result = result.sort_index()
    values = np.asarray(result.index, dtype=float)
    counts = np.asarray(result.to_numpy(), dtype=float)
    if not (counts > 0).any():
        raise DataError(f"{description}: no valid values in {column or person_column!r}")
    table = value_table(values, counts, name=description)
    seconds = time.perf_counter() - start
    logger.debug(
        "%s: %s rows -> %s distinct values in %s s",
        description,
        rows,
        values.size,
        format_fixed(seconds, 2),
    )
    return SourceTable(
        table=table,
        source=description,
        label=f"{description}:{column}" if column else description,
        column=column,
        counts_column=counts_column,
        person_column=person_column,
        rows=int(rows),
        excluded=0,
        problems={},
        seconds=seconds,
    )
