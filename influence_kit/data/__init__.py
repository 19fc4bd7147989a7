"""The data layer: read files, globs and databases with DuckDB, validate, aggregate.

:func:`value_counts` turns per-person values, histograms or per-event rows into a
(value, count) frequency table inside DuckDB, streaming and within a memory
limit, so fitting and concentration work on tables of any size.
:func:`value_counts_dask` does the same on a ``dask.dataframe`` (or Parquet files
read by Dask) for data larger than one machine.
"""

from .aggregate import ValueCounts, value_counts
from .dask_frames import value_counts_dask
from .sources import Source, connect, open_source

__all__ = ["Source", "ValueCounts", "connect", "open_source", "value_counts", "value_counts_dask"]
