"""Where data come from: files, globs, folders and DuckDB databases, as DuckDB relations.

A *source* is a path, a glob (``logs/*.parquet``), a folder of Parquet or CSV
files, or a DuckDB database file with a table name. :func:`open_source` checks
that it exists and turns it into a SQL table expression that DuckDB streams
from without loading the data into Python.
"""

from __future__ import annotations

import glob as _glob
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, ParameterError
from ..formatting import format_count
from ..validation import check_input_file, check_input_folder, path_kind

logger = logging.getLogger(__name__)

PARQUET_SUFFIXES = (".parquet", ".pq")
DUCKDB_SUFFIXES = (".duckdb", ".ddb", ".db")
#: Everything else is read as delimited text; DuckDB sniffs the delimiter from the
#: content, so ``.hist``, ``.txt`` and extension-less files work too.

#: Text inputs have no comment character unless one is asked for (``comment="#"``): a
#: ``#`` inside a field (``bob#1``) is data. Only lines starting with this character
#: *at the top of a file*, before its first data line (a preamble, as SNAP files have),
#: are skipped.
PREAMBLE = "#"


def check_comment(comment: str | None) -> str | None:
    """Check a comment character: ``None`` (none) or one punctuation character.

    Raises
    ------
    ParameterError
        ``comment`` is not a single character, or is a letter, digit, space or quote.
    """
    if comment is None:
        return None
    text = str(comment)
    if len(text) != 1 or text.isalnum() or text.isspace() or text in "\"'":
        raise ParameterError(
            f"comment character {shorten(text)!r}: give one punctuation character such as '#'"
        )
    return text


def shorten(text: str, most: int = 40) -> str:
    """``text`` as it is when short, else its first and last characters around ``...``.

    Error messages echo values from the data; a 5,000-digit number must not make a
    5,000-character line.

    Examples
    --------
    >>> shorten("alice")
    'alice'
    >>> shorten("1" * 100, 12)
    '11111...111 (100 characters)'
    """
    text = str(text)
    if len(text) <= most:
        return text
    head = max(most // 2 - 1, 1)
    tail = max(most - head - 4, 1)
    return f"{text[:head]}...{text[-tail:]} ({format_count(len(text))} characters)"


def duckdb_message(err: BaseException) -> str:
    """One line from a DuckDB error: its first line, with the reason when that names
    only a line number (``CSV Error on Line: 1``), and echoed text shortened."""
    lines = [ln.strip() for ln in str(err).strip().splitlines() if ln.strip()]
    if not lines:
        return type(err).__name__
    first = lines[0]
    if re.search(r"Error on Line: *\d+$", first):
        reasons = [
            ln
            for ln in lines[1:]
            if not ln.startswith(("Original Line", "Possible Solution", "LINE ")) and "=" not in ln
        ]
        if reasons:
            first = f"{first}: {reasons[0]}"
    return shorten(first, 300)


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
        For text: ``False`` when the first data line is all numbers, ``True`` when it
        holds a field that is not a number (the rule of
        :func:`~influence_kit.data.files.read_column`), ``None`` to let DuckDB decide.
    names
        For text without a header: the column names, as :func:`read_column` gives
        them (``value`` for one column, else ``1``, ``2``, ...).
    comment
        For text: the comment character (``None``: none, see :data:`PREAMBLE`).
    skip
        For text: the preamble lines skipped at the top of each file.
    """

    description: str
    kind: str
    files: tuple[str, ...]
    table: str | None = None
    header: bool | None = None
    names: tuple[str, ...] | None = None
    comment: str | None = None
    skip: tuple[int, ...] = ()

    def relation_sql(
        self,
        alias: str = "src",
        *,
        comments: bool = True,
        type_candidates: Sequence[str] | None = None,
    ) -> str:
        """A SQL table expression for this source (for DuckDB sources, attach first).

        With ``comments``, the preamble of each text file is skipped and text from the
        source's comment character (if any) to the end of its line is ignored (as
        :func:`~influence_kit.data.files.read_column` does); without, every line is
        data. ``#`` is never a comment unless the source was opened with it.
        ``type_candidates`` limits the types DuckDB may give text columns (for
        example no dates, as pandas reads them).
        """
        if self.kind == "parquet":
            files = ", ".join(quote_literal(f) for f in self.files)
            return f"read_parquet([{files}])"
        if self.kind == "duckdb":
            return f"{alias}.{quote_identifier(self.table or '')}"
        header = "" if self.header is None else f", header = {str(self.header).lower()}"
        if self.names:
            header += f", names = [{', '.join(quote_literal(n) for n in self.names)}]"
        # DuckDB guesses a comment character unless told: say which (or none).
        char = self.comment if comments else None
        options = f", comment = {quote_literal(char or '')}"
        if type_candidates:
            kinds = ", ".join(quote_literal(t) for t in type_candidates)
            options += f", auto_type_candidates = [{kinds}]"
        skips = list(self.skip) if comments and self.skip else [0] * len(self.files)

        def read(files: Sequence[str], skip: int) -> str:
            listed = ", ".join(quote_literal(f) for f in files)
            rows = f", skip = {skip}" if skip else ""
            return (
                f"read_csv([{listed}], auto_detect = true, sample_size = -1{options}{rows}{header})"
            )

        if len(set(skips)) <= 1:
            return read(self.files, skips[0] if skips else 0)
        parts = " UNION ALL BY NAME ".join(
            f"SELECT * FROM {read([f], k)}" for f, k in zip(self.files, skips, strict=True)
        )
        return f"({parts})"


def _hidden(path: Path, folder: Path) -> bool:
    """Whether ``path`` (inside ``folder``) is hidden: a name or a folder on the way
    starting with ``.`` (dotfiles, ``.ipynb_checkpoints/``, macOS ``._`` copies)."""
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def _expand(spec: str) -> list[str]:
    path = Path(spec)
    pattern = any(ch in spec for ch in "*?[")
    if not pattern and path_kind(path) == "directory":
        check_input_folder(path, "data folder", error=DataError)
        tables = [
            p
            for p in path.rglob("*")
            if p.suffix.lower() in (*PARQUET_SUFFIXES, ".csv", ".tsv") and p.is_file()
        ]
        found = sorted(str(p) for p in tables if not _hidden(p, path))
        skipped = len(tables) - len(found)
        if skipped:
            logger.warning(
                "%s: skipped %s hidden %s (names or folders starting with '.', such as "
                ".ipynb_checkpoints/ or macOS ._ copies); read %s",
                spec,
                format_count(skipped),
                "file" if skipped == 1 else "files",
                format_count(len(found)),
            )
        if not found:
            hidden = f" (besides {format_count(skipped)} hidden)" if skipped else ""
            raise DataError(f"{spec}: folder holds no Parquet, CSV or TSV files{hidden}")
        return found
    if pattern:
        found = sorted(p for p in _glob.glob(spec, recursive=True) if Path(p).is_file())
        if not found:
            raise DataError(f"{spec}: the pattern matches no file")
        return found
    return [str(check_input_file(path, "data file", error=DataError))]


def _read_once(files: list[str]) -> list[str]:
    """``files`` without repeats (the same file named twice, or by two paths), in order."""
    seen: set[str] = set()
    kept: list[str] = []
    for name in files:
        key = os.path.normcase(os.path.realpath(name))
        if key in seen:
            logger.warning("%s: given more than once; read once", name)
            continue
        seen.add(key)
        kept.append(name)
    return kept


def open_source(
    spec: str | Path | Sequence[str | Path],
    table: str | None = None,
    *,
    comment: str | None = None,
) -> Source:
    """Resolve a path, glob, folder or list of paths into a :class:`Source`.

    Folders are searched for Parquet, CSV and TSV files, leaving out hidden ones
    (names or folders starting with ``.``: ``.ipynb_checkpoints/``, macOS ``._``
    copies), with a warning that says how many. A file named twice (or matched by
    two patterns) is read once.

    Parameters
    ----------
    spec
        A file, a glob pattern, a folder, or a list of files.
    table
        Table name when ``spec`` is a DuckDB database file.
    comment
        Comment character of text files (default: none, so ``bob#1`` is a name;
        lines starting with ``#`` at the top of a file are skipped all the same).

    Raises
    ------
    DataError
        Nothing matches, files of mixed kinds, or a database without ``table``.
    ParameterError
        ``comment`` is not one punctuation character.
    """
    comment = check_comment(comment)
    specs = [spec] if isinstance(spec, (str, Path)) else list(spec)
    if not specs:
        raise DataError("no data source given")
    files: list[str] = []
    for item in specs:
        files.extend(_expand(str(item)))
    files = _read_once(files)
    description = ", ".join(dict.fromkeys(str(s) for s in specs))
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
    skip: tuple[int, ...] = ()
    if kind == "text":
        for name in files:
            refuse_binary(name)
        skip = tuple(preamble_lines(name, comment) for name in files)
    header, names = _sniff_header(files[0], comment) if kind == "text" else (None, None)
    return Source(
        description=description,
        kind=kind,
        files=tuple(files),
        table=table,
        header=header,
        names=names,
        comment=comment,
        skip=skip,
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


def data_lines(text: str, comment: str | None) -> tuple[int, list[str]]:
    """The preamble of ``text`` and its data lines (stripped, blank ones left out).

    Returns ``(skip, lines)``: ``skip`` physical lines at the top are blank or start
    with :data:`PREAMBLE`; with a ``comment`` character, text from it to the end of
    each line is dropped too.
    """
    lines = text.splitlines()
    skip = 0
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith(PREAMBLE):
            break
        skip += 1
    kept = []
    for line in lines[skip:]:
        if comment is not None:
            line = line.split(comment, 1)[0]
        if line.strip():
            kept.append(line.strip())
    # a preamble of blank lines only is no preamble (readers skip blank lines anyway)
    if not any(ln.strip().startswith(PREAMBLE) for ln in lines[:skip]):
        skip = 0
    return skip, kept


def preamble_lines(path: str | Path, comment: str | None = None) -> int:
    """Physical lines to skip at the top of a text file (see :data:`PREAMBLE`)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return 0
    skip, _ = data_lines(head, comment)
    if skip:
        logger.info("%s: skipped %s comment lines at the top", path, format_count(skip))
    return skip


def _is_number(text: str) -> bool:
    """Whether a field reads as a number (quotes around it allowed, as CSV writes them)."""
    try:
        float(text.strip().strip("\"'"))
    except ValueError:
        return False
    return True


def _sniff_header(
    path: str, comment: str | None = None
) -> tuple[bool | None, tuple[str, ...] | None]:
    """``(False, names)`` when the first data line is all numbers (no header),
    ``(True, None)`` when it holds a field that is not a number (a header, the rule
    of :func:`~influence_kit.data.files.read_column`), ``(None, None)`` when it
    cannot be seen (let DuckDB decide).

    DuckDB's own sniffer takes the first line of a one-number-per-line file for a
    header when a later line is not a number, which would silently drop a value.
    The names are those :func:`~influence_kit.data.files.read_column` gives:
    ``value`` for one column, ``1``, ``2``, ... for several.
    """
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None, None
    # a first line longer than the sniffed bytes is left to DuckDB
    if len(head) == SNIFF_BYTES:
        head = head[: head.rfind("\n") + 1]
    _, lines = data_lines(head, comment)
    if not lines:
        return None, None
    tokens = [t for t in re.split(r"[,;\t| ]+", lines[0]) if t]
    if not all(_is_number(t) for t in tokens):
        return True, None
    if len(tokens) == 1:
        return False, ("value",)
    return False, tuple(str(i + 1) for i in range(len(tokens)))


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
