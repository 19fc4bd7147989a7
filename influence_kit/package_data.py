"""Locate the files shipped inside the package: scenarios, datasets, reference tables, notebooks.

The files live in ``influence_kit/resources``, a folder of data only (no code); the
repository's top-level ``data/`` and ``notebooks/`` folders are links to
``influence_kit/resources/data`` and ``influence_kit/resources/notebooks``, so a checkout
and an installed wheel read the same bytes. Everything there is located with
:mod:`importlib.resources`, never relative to the working directory or to the checkout.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_dir", "notebook_dir", "package_dir", "resource", "resource_path"]


def resource(*parts: str) -> Traversable:
    """Return a shipped file or folder as a :class:`~importlib.resources.abc.Traversable`.

    Parameters
    ----------
    *parts : str
        Path components below ``influence_kit/resources``, e.g. ``("data", "scenarios")``.

    Returns
    -------
    importlib.resources.abc.Traversable
        The file or folder (which need not exist).
    """
    node = files("influence_kit") / "resources"
    for part in parts:
        node = node / part
    return node


def resource_path(*parts: str) -> Path:
    """Return a shipped file or folder as a file-system path.

    Wheels are installed unpacked, so the package data are real files.

    Parameters
    ----------
    *parts : str
        Path components below ``influence_kit/resources`` (see :func:`resource`).

    Returns
    -------
    pathlib.Path
        The path of the file or folder.

    Raises
    ------
    FileNotFoundError
        If it is not there (or the package is imported from an archive).
    """
    path = Path(str(resource(*parts)))
    if not path.exists():
        raise FileNotFoundError(f"shipped resource not found: {'/'.join(parts)}")
    return path


def data_dir() -> Path:
    """Folder of the shipped data (scenarios, datasets, reference tables, the panel)."""
    return resource_path("data")


def notebook_dir() -> Path:
    """Folder of the shipped report notebooks."""
    return resource_path("notebooks")


def package_dir() -> Path:
    """Folder of the installed ``influence_kit`` package (its code, for fingerprints)."""
    return Path(str(files("influence_kit")))
