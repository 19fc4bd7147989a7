"""Where data come from: files, globs, folders and DuckDB databases, as DuckDB relations.

A *source* is a path, a glob (``logs/*.parquet``), a folder of Parquet or CSV
files, or a DuckDB database file with a table name. :func:`open_source` checks
that it exists and turns it into a SQL table expression that DuckDB streams
from without loading the data into Python.
"""

from __future__ import annotations

import glob as _glob
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..validation import check_input_file, check_input_folder, path_kind

PARQUET_SUFFIXES = (".parquet", ".pq")
DUCKDB_SUFFIXES = (".duckdb", ".ddb", ".db")
#: Everything else is read as delimited text; DuckDB sniffs the delimiter and header
#: from the content, so ``.hist``, ``.txt`` and extension-less files work too.


def quote_identifier(name: str) -> str:
    """Quote a column or table name for SQL."""
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """Quote a string literal for SQL."""
    return "'" + str(text).replace("'", "''") + "'"


@dataclass(frozen=True)
class Source:
    """A resolved data source.

    Attributes
    ----------
    description
        What the user gave (used in error messages).
    kind
        ``"parquet"``, ``"text"`` or ``"duckdb"``.
    files
        The files matched (for a DuckDB source, the database file).
    table
        Table name inside a DuckDB database.
    header
        For text: ``False`` when the first data line is all numbers, ``None`` to let
        DuckDB decide.
    names
        For text without a header: the column names, as :func:`read_column` gives
        them (``value`` for one column, else ``1``, ``2``, ...).
    """

    description: str
    kind: str
    files: tuple[str, ...]
    table: str | None = None
    header: bool | None = None
    names: tuple[str, ...] | None = None

    def relation_sql(
        self,
        alias: str = "src",
        *,
        comments: bool = True,
        type_candidates: Sequence[str] | None = None,
    ) -> str:
        """A SQL table expression for this source (for DuckDB sources, attach first).

        With ``comments``, text from a ``#`` to the end of its line is ignored in text
        files (as :func:`~influence_kit.data.files.read_column` does).
        ``type_candidates`` limits the types DuckDB may give text columns (for
        example no dates, as pandas reads them).
        """
        if self.kind == "parquet":
            files = ", ".join(quote_literal(f) for f in self.files)
            return f"read_parquet([{files}])"
        if self.kind == "duckdb":
            return f"{alias}.{quote_identifier(self.table or '')}"
        files = ", ".join(quote_literal(f) for f in self.files)
        header = "" if self.header is None else f", header = {str(self.header).lower()}"
        if self.names:
            header += f", names = [{', '.join(quote_literal(n) for n in self.names)}]"
        comment = ", comment = '#'" if comments else ""
        if type_candidates:
            kinds = ", ".join(quote_literal(t) for t in type_candidates)
            comment += f", auto_type_candidates = [{kinds}]"
        return f"read_csv([{files}], auto_detect = true, sample_size = -1{comment}{header})"


def _expand(spec: str) -> list[str]:
    path = Path(spec)
    pattern = any(ch in spec for ch in "*?[")
    if not pattern and path_kind(path) == "directory":
        check_input_folder(path, "data folder", error=DataError)
        found = sorted(
            str(p)
            for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in (*PARQUET_SUFFIXES, ".csv", ".tsv")
        )
        if not found:
            raise DataError(f"{spec}: folder holds no Parquet, CSV or TSV files")
        return found
    if pattern:
        found = sorted(p for p in _glob.glob(spec, recursive=True) if Path(p).is_file())
        if not found:
            raise DataError(f"{spec}: the pattern matches no file")
        return found
    return [str(check_input_file(path, "data file", error=DataError))]


def open_source(spec: str | Path | Sequence[str | Path], table: str | None = None) -> Source:
    """Resolve a path, glob, folder or list of paths into a :class:`Source`.

    Parameters
    ----------
    spec
        A file, a glob pattern, a folder, or a list of files.
    table
        Table name when ``spec`` is a DuckDB database file.

    Raises
    ------
    DataError
        Nothing matches, files of mixed kinds, or a database without ``table``.
    """
    specs = [spec] if isinstance(spec, (str, Path)) else list(spec)
    if not specs:
        raise DataError("no data source given")
    files: list[str] = []
    for item in specs:
        files.extend(_expand(str(item)))
    description = ", ".join(str(s) for s in specs)
    # A Parquet file is known by its suffix or, whatever its name, its magic bytes.
    suffixes = {".parquet" if _is_parquet(f) else Path(f).suffix.lower() for f in files}
    if suffixes <= set(PARQUET_SUFFIXES):
        kind = "parquet"
    elif suffixes & set(DUCKDB_SUFFIXES):
        if len(files) != 1:
            raise DataError(f"{description}: give one DuckDB database at a time")
        if not table:
            raise DataError(f"{description}: a DuckDB database needs a table name (--table)")
        kind = "duckdb"
    elif suffixes & set(PARQUET_SUFFIXES):
        raise DataError(f"{description}: mixes Parquet and text files; give one kind")
    else:
        kind = "text"
    if kind == "text":
        for name in files:
            refuse_binary(name)
    header, names = _sniff_header(files[0]) if kind == "text" else (None, None)
    return Source(
        description=description,
        kind=kind,
        files=tuple(files),
        table=table,
        header=header,
        names=names,
    )


def _is_parquet(path: str) -> bool:
    """Whether ``path`` is Parquet: by its suffix, else by the ``PAR1`` magic bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return True
    if suffix in DUCKDB_SUFFIXES:
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


#: Bytes read from the start of a text file to sniff it (binary content, a header).
SNIFF_BYTES = 65536


def refuse_binary(path: str | Path, head: bytes | None = None) -> None:
    """Refuse a text input whose first bytes (``head``, read here when not given) hold a
    NUL: text never does, binary files do (a sparse or zero-filled file would otherwise
    be parsed as one enormous line)."""
    if head is None:
        try:
            with open(path, "rb") as handle:
                head = handle.read(SNIFF_BYTES)
        except OSError:
            return  # unreadable files are reported by the reader, with its reason
    nul = head.find(b"\x00")
    if nul >= 0:
        raise DataError(
            f"{path}: not readable as text (a binary file: NUL byte at offset {nul}); "
            "give a CSV/TSV/text table or a Parquet file"
        )


def _sniff_header(path: str) -> tuple[bool | None, tuple[str, ...] | None]:
    """``(False, names)`` when the first data line is all numbers (no header), else
    ``(None, None)``: let DuckDB decide.

    DuckDB's own sniffer takes the first line of a one-number-per-line file for a
    header when a later line is not a number, which would silently drop a value.
    The names are those :func:`~influence_kit.data.files.read_column` gives:
    ``value`` for one column, ``1``, ``2``, ... for several.
    """
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            head = handle.read(SNIFF_BYTES)
            # a first line longer than the sniffed bytes is left to DuckDB
            lines = head.splitlines()[:-1] if len(head) == SNIFF_BYTES else head.splitlines()
            for line in lines:
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                tokens = [t for t in re.split(r"[,;\t ]+", text) if t]
                try:
                    [float(t) for t in tokens]
                except ValueError:
                    return None, None
                if len(tokens) == 1:
                    return False, ("value",)
                return False, tuple(str(i + 1) for i in range(len(tokens)))
    except OSError:
        return None, None
    return None, None


def connect(
    source: Source | None = None,
    *,
    memory_limit: str | None = "1GB",
    temp_directory: str | Path | None = None,
    threads: int | None = None,
) -> Any:
    """An in-memory DuckDB connection configured for streaming aggregation.

    Parameters
    ----------
    source
        Attached read-only when it is a DuckDB database.
    memory_limit
        DuckDB's memory limit (for example ``"1GB"``); larger work spills to disk.
    temp_directory
        Where DuckDB spills (default: DuckDB's own choice).
    threads
        Worker threads (default: DuckDB's, one per core).
    """
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        if memory_limit:
            con.execute(f"SET memory_limit = {quote_literal(memory_limit)}")
        if temp_directory:
            con.execute(f"SET temp_directory = {quote_literal(str(temp_directory))}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET preserve_insertion_order = false")
        # Library code never prints: no progress bar on stderr for long queries.
        con.execute("SET enable_progress_bar = false")
        if source is not None and source.kind == "duckdb":
            con.execute(f"ATTACH {quote_literal(source.files[0])} AS src (READ_ONLY)")
    except duckdb.Error as err:
        con.close()
        raise DataError(f"{source.description if source else 'duckdb'}: {err}") from None
    return con
