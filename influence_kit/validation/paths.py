"""Checks of the files and folders a user names, before anything is opened.

Every reader of a file or folder named by a user checks it first with
:func:`check_input_file` or :func:`check_input_folder`, and every writer its target
with :func:`check_output_file` or :func:`check_output_folder`. They look at the path
without opening it (:func:`path_kind`), so a FIFO, ``/dev/stdin``, a socket or a
device is refused at once with one line saying what it is, never waited on; a folder
where a file is expected (and the reverse), a missing file, a file without read
permission and a read-only or otherwise unwritable folder are one line each. An
``OSError`` met while writing (a full disk) becomes one line through
:func:`write_error`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ParameterError

#: What :func:`path_kind` calls each type of file system entry.
_KIND_NAMES = (
    (stat.S_ISREG, "regular file"),
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "FIFO (a named pipe)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def path_kind(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is, without opening it: ``"regular file"``, ``"directory"``,
    ``"FIFO (a named pipe)"``, ``"socket"``, ``"character device"``, ``"block device"``,
    ``"special file"``, or ``None`` when nothing is there (links are followed, so a
    dangling link is ``None``; ``/dev/stdin`` is what standard input is).

    Examples
    --------
    >>> path_kind("/")
    'directory'
    >>> path_kind("/no/such/path") is None
    True
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:  # a parent is a file
        return None
    except PermissionError:
        raise ParameterError(
            f"{os.fspath(path)}: cannot look at it (permission denied on a parent folder)"
        ) from None
    except OSError as err:
        raise ParameterError(f"{os.fspath(path)}: cannot look at it ({err.strerror})") from None
    for test, name in _KIND_NAMES:
        if test(mode):
            return name
    return "special file"


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _not_a_file(path: Path, kind: str, what: str) -> str:
    if kind == "directory":
        return f"{path}: is a directory, expected {_article(what)}"
    return f"{path}: is {_article(kind)}, not a regular file (expected {_article(what)})"


def _path_and_kind(path: str | os.PathLike[str], error: type[Exception]) -> tuple[Path, str | None]:
    """``path`` as a :class:`~pathlib.Path` and its :func:`path_kind`, errors as ``error``."""
    p = Path(path)
    try:
        return p, path_kind(p)
    except ParameterError as err:
        raise error(str(err)) from None


def check_input_file(
    path: str | os.PathLike[str],
    what: str = "data file",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if it is a regular file this process may read.

    Nothing is opened, so a FIFO, ``/dev/stdin`` or a socket is refused at once rather
    than waited on. Every reader of a file named by the user calls this first.

    Parameters
    ----------
    path
        The file.
    what
        What the file should be, for the message (``"scenario YAML file"``).
    error
        The exception type raised (a subclass of
        :class:`~influence_kit.errors.InfluenceKitError`).

    Raises
    ------
    error
        One line naming the path and what it is: ``... not found``, ``is a directory,
        expected a data file``, ``is a FIFO (a named pipe), not a regular file ...``,
        ``no permission to read it``.

    Examples
    --------
    >>> check_input_file("/", "scenario YAML file")
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: /: is a directory, expected a scenario YAML file
    """
    p, kind = _path_and_kind(path, error)
    if kind is None:
        raise error(f"{p}: {what} not found")
    if kind != "regular file":
        raise error(_not_a_file(p, kind, what))
    if not os.access(p, os.R_OK):
        raise error(f"{p}: no permission to read it")
    return p


def check_input_folder(
    path: str | os.PathLike[str],
    what: str = "folder",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if it is a folder this process may list.

    Raises
    ------
    error
        ``... not found``, ``is a regular file, expected a folder ...``, ``is a FIFO
        ...``, ``no permission to read it``.
    """
    p, kind = _path_and_kind(path, error)
    if kind is None:
        raise error(f"{p}: {what} not found")
    if kind != "directory":
        raise error(f"{p}: is {_article(kind)}, expected {_article(what)}")
    if not os.access(p, os.R_OK | os.X_OK):
        raise error(f"{p}: no permission to read it")
    return p


def _unwritable_reason(folder: Path) -> str | None:
    """Why this process cannot create files in ``folder`` (``None`` if it can)."""
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    return "permission denied"


def _writable_parent(p: Path, what: str, error: type[Exception]) -> None:
    """Check that the nearest existing ancestor of ``p`` is a folder we can write into."""
    parent = p.absolute().parent
    while True:
        parent, kind = _path_and_kind(parent, error)
        if kind is not None or parent == parent.parent:
            break
        parent = parent.parent
    if kind != "directory":
        raise error(f"{parent}: is {_article(kind or 'missing entry')}, cannot hold the {what}")
    reason = _unwritable_reason(parent)
    if reason:
        raise error(f"{parent}: cannot create the {what} in this folder ({reason})")


def check_output_file(
    path: str | os.PathLike[str],
    what: str = "output file",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if a regular file can be written there.

    The path must be a regular file or nothing yet, and its folder (or the nearest
    folder that exists, when the rest is to be created) must be writable. Devices
    (``/dev/full``, ``/dev/null``), FIFOs and folders are refused: writers create a
    private temporary file beside the target and rename it into place.

    Raises
    ------
    error
        One line naming the path and what is wrong with it.

    Examples
    --------
    >>> check_output_file("/dev/null")
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: /dev/null: is a character device, not a regular ...
    """
    p, kind = _path_and_kind(path, error)
    if kind is not None and kind != "regular file":
        raise error(_not_a_file(p, kind, what))
    _writable_parent(p, what, error)  # an existing file is replaced by a rename there
    return p


def check_output_folder(
    path: str | os.PathLike[str],
    what: str = "output folder",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if it is (or can be created as) a writable folder.

    Raises
    ------
    error
        ``is a regular file, expected an output folder``, ``cannot write ... (read-only
        file system)`` and the like.

    Examples
    --------
    >>> check_output_folder("/dev/null")
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: /dev/null: is a character device, expected an ...
    """
    p, kind = _path_and_kind(path, error)
    if kind is None:
        _writable_parent(p, what, error)
        return p
    if kind != "directory":
        raise error(f"{p}: is {_article(kind)}, expected {_article(what)}")
    reason = _unwritable_reason(p)
    if reason:
        raise error(f"{p}: cannot write into the {what} ({reason})")
    return p


def write_error(
    err: OSError, target: str | os.PathLike[str], what: str = "output"
) -> ParameterError:
    """A one-line error for an :class:`OSError` met while writing ``target``.

    pyarrow and others raise ``OSError`` without ``strerror`` (``"Error writing bytes
    to file. Detail: [errno 28] No space left on device"``); the reason is taken from
    the error number where there is one.

    Examples
    --------
    >>> import errno
    >>> str(write_error(OSError(errno.ENOSPC, "No space left on device"), "x.csv", "table"))
    'x.csv: cannot write the table: No space left on device'
    """
    import errno as errno_module
    import re

    number = err.errno
    if number is None:
        found = re.search(r"errno (\d+)", str(err))
        number = int(found.group(1)) if found else None
    if number is not None and number in errno_module.errorcode:
        reason = os.strerror(number)
    else:
        reason = err.strerror or (str(err).strip().splitlines() or [type(err).__name__])[0]
    return ParameterError(f"{os.fspath(target)}: cannot write the {what}: {reason}")


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` name the same file system entry (links and ``..`` followed).

    Two paths of which one does not exist are the same when they resolve to the same
    place; otherwise :func:`os.path.samefile` decides (hard links, bind mounts).

    Examples
    --------
    >>> same_file("/tmp", "/tmp/../tmp")
    True
    """
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return Path(a).resolve() == Path(b).resolve()


def check_not_an_input(
    output: str | os.PathLike[str],
    inputs: dict[str, str | os.PathLike[str]],
    what: str = "output file",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``output`` as a :class:`~pathlib.Path` if it is none of the files this run reads.

    A writer replaces its target; when the target is one of its inputs (the same file
    by another name, a link or a hard link too) the input would be lost. ``inputs``
    maps what each input is (``"--scenario"``) to its path.

    Raises
    ------
    error
        ``mysc.yaml: the output file is the --scenario this run reads; choose another
        output path``.

    Examples
    --------
    >>> check_not_an_input("/tmp/a.yaml", {"--scenario": "/tmp/../tmp/a.yaml"})
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: /tmp/a.yaml: the output file is the --scenario ...
    """
    p = Path(output)
    for name, source in inputs.items():
        if same_file(p, source):
            raise error(
                f"{p}: the {what} is the {name} this run reads ({source}); writing it would "
                "replace that input: choose another output path"
            )
    return p
