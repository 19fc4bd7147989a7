"""The data layer: read files, globs and databases with DuckDB, validate, aggregate.

:func:`value_counts` turns per-person values, histograms or per-event rows into a
:class:`~influence_kit.tables.ValueTable` (with its provenance, a
:class:`SourceTable`) inside DuckDB, streaming and within a memory
limit, so fitting and concentration work on tables of any size.
:func:`value_counts_dask` does the same on a ``dask.dataframe`` (or Parquet files
read by Dask) for data larger than one machine.
"""

from .aggregate import SourceTable, value_counts
from .dask_frames import value_counts_dask
from .files import read_column, read_values
from .sources import Source, connect, open_source

__all__ = [
    "Source",
    "SourceTable",
    "connect",
    "open_source",
    "read_column",
    "read_values",
    "value_counts",
    "value_counts_dask",
]
