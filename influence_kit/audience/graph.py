"""Audience graphs: who sees whose posts, stored as compressed sparse rows.

Row ``u`` of an :class:`AudienceGraph` lists the audience of ``u``: the people who may
see what ``u`` posts. A friendship graph is undirected (friends see each other); a
follower graph is directed, and :class:`Direction` says which way its links point.
Links are de-duplicated and self-links dropped, so an audience is a set of people.

Build one from arrays (:meth:`AudienceGraph.from_edges`), a file
(:meth:`AudienceGraph.read`), a networkx graph (:meth:`AudienceGraph.from_networkx`), or
one of the shipped graphs (:func:`ego_facebook`, :func:`wiki_vote`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..data.edges import read_edges
from ..datasets import load_facebook_edges, load_wiki_vote_edges
from ..errors import DataError, ParameterError

__all__ = ["AudienceGraph", "Direction", "ego_facebook", "sorted_unique", "wiki_vote"]

#: Most people an explicit ``n_nodes`` may ask for: ``n * n`` must fit in int64 for
#: the link keys, and 2**31 row pointers already take 16 GiB.
MAX_NODES = 2**31


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """The distinct values of an int64 array, sorted (a sort and a neighbour comparison).

    The same as :func:`numpy.unique` without its extras, which on 2e7 keys is tens of
    times slower than the sort itself here.
    """
    keys = np.sort(keys)
    if keys.size < 2:
        return keys
    keep = np.empty(keys.size, dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


class Direction(enum.Enum):
    """How the links of an edge list relate to audiences."""

    #: Each link joins two people who see each other's posts (friendship).
    UNDIRECTED = "undirected"
    #: A link ``a -> b`` means ``a`` follows ``b``: ``a`` is in ``b``'s audience.
    FOLLOWER_TO_AUTHOR = "follower-to-author"
    #: A link ``a -> b`` means ``b`` follows ``a``: ``b`` is in ``a``'s audience.
    AUTHOR_TO_FOLLOWER = "author-to-follower"


def _direction(direction: Direction | str) -> Direction:
    """``direction`` as a :class:`Direction` (its member or its value); anything else is
    refused rather than read as one of them."""
    if isinstance(direction, Direction):
        return direction
    try:
        return Direction(direction)
    except ValueError:
        choices = ", ".join(repr(d.value) for d in Direction)
        raise ParameterError(f"direction must be one of {choices}, got {direction!r}") from None


@dataclass(frozen=True, eq=False)
class AudienceGraph:
    """Who sees whose posts, as compressed sparse rows (row ``u``: the audience of ``u``).

    Attributes
    ----------
    indptr
        Row pointers, length ``n_nodes + 1``.
    indices
        The audience members of every row, concatenated (sorted within a row).
    name
        A label for reports.
    labels
        The id or name of each row as the input gave it (``None``: the row numbers).
    """

    indptr: np.ndarray
    indices: np.ndarray
    name: str = "graph"
    labels: np.ndarray | None = None

    @property
    def n_nodes(self) -> int:
        """Number of people."""
        return int(self.indptr.size - 1)

    @property
    def n_links(self) -> int:
        """Number of (author, audience member) pairs."""
        return int(self.indices.size)

    def audience_sizes(self) -> np.ndarray:
        """The audience size of every person (int64)."""
        return np.diff(self.indptr)

    def reverse_links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every link ``author -> member`` with the position of its reverse, if any.

        Returns ``(author, member, reverse, has_reverse)``, one entry per link in storage
        order: ``reverse[i]`` is the position of the link ``member -> author`` where
        ``has_reverse[i]`` (a follow-back, or any link of an undirected graph), else 0.
        """
        n = self.n_nodes
        author = np.repeat(np.arange(n, dtype=np.int64), self.audience_sizes())
        member = self.indices.astype(np.int64)
        keys = author * n + member  # sorted: rows ascending, members sorted within a row
        reverse = np.searchsorted(keys, member * n + author)
        reverse[reverse == keys.size] = 0
        has_reverse = keys[reverse] == member * n + author
        return author, member, reverse, has_reverse

    @classmethod
    def from_edges(
        cls,
        source: ArrayLike,
        target: ArrayLike,
        *,
        direction: Direction = Direction.UNDIRECTED,
        n_nodes: int | None = None,
        name: str = "graph",
    ) -> AudienceGraph:
        """Build the graph from the two ends of each link (non-negative integer ids).

        Parameters
        ----------
        source, target
            Ends of each link, non-negative integers of equal length (any integer
            dtype, ``uint64`` included).
        direction
            How links relate to audiences (see :class:`Direction`).
        n_nodes
            Number of people, when the ids are row numbers ``0 .. n_nodes - 1``: ids
            that no link names are people with an empty audience. Default: the ids
            are labels, relabelled densely (one row per distinct id, in increasing
            order, kept in :attr:`labels`), so memory follows the number of distinct
            ids, not the largest (ids near ``2**40`` or ``2**64 - 1`` are fine).
        name
            A label for reports.

        Raises
        ------
        DataError
            Arrays of different shapes, ids that are not integers >= 0, an id of
            ``n_nodes`` or more, or ``n_nodes`` above :data:`MAX_NODES`.
        """
        src = np.asarray(source)
        dst = np.asarray(target)
        if src.shape != dst.shape or src.ndim != 1:
            raise DataError("source and target must be 1-d arrays of equal length")
        for label, arr in (("source", src), ("target", dst)):
            if arr.size and (not np.issubdtype(arr.dtype, np.integer) or int(arr.min()) < 0):
                raise DataError(f"{label} ids must be integers >= 0")
        # int64 and uint64 together would make float64 (ids above 2**53 would merge)
        common = np.uint64 if np.uint64 in (src.dtype.type, dst.dtype.type) else np.int64
        src, dst = src.astype(common), dst.astype(common)
        labels = None
        if n_nodes is None:
            ends = np.concatenate([src, dst])
            uniques, codes = np.unique(ends, return_inverse=True)
            n = int(uniques.size)
            src, dst = codes[: src.size].astype(np.int64), codes[src.size :].astype(np.int64)
            if n and int(uniques[-1]) != n - 1:  # not already 0 .. n - 1
                labels = uniques
        else:
            n = int(n_nodes)
            top = int(max(src.max(initial=0), dst.max(initial=0))) + 1 if src.size else 0
            if n < top:
                raise DataError(f"n_nodes={n} but a link names node {top - 1}")
            if n > MAX_NODES:
                raise DataError(
                    f"n_nodes={n} is more than {MAX_NODES} people (a row pointer each); "
                    "leave n_nodes out to count only the ids the links name"
                )
            src, dst = src.astype(np.int64), dst.astype(np.int64)
        direction = _direction(direction)
        if direction is Direction.UNDIRECTED:
            author, member = np.concatenate([src, dst]), np.concatenate([dst, src])
        elif direction is Direction.FOLLOWER_TO_AUTHOR:
            author, member = dst, src
        else:
            author, member = src, dst
        keep = author != member
        # n < 2**31.5, so author * n + member fits in int64
        keys = sorted_unique(author[keep] * n + member[keep])
        author, member = keys // max(n, 1), keys % max(n, 1)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(author, minlength=n), out=indptr[1:])
        return cls(indptr=indptr, indices=member.astype(np.int64), name=name, labels=labels)

    @classmethod
    def read(
        cls,
        path: str | Path,
        *,
        direction: Direction = Direction.UNDIRECTED,
        source_column: str | None = None,
        target_column: str | None = None,
        comment: str | None = None,
        header: bool | None = None,
    ) -> AudienceGraph:
        """Read an edge-list file (see :func:`influence_kit.data.edges.read_edges`).

        ``comment`` is the comment character of a text file (default: none, so
        ``bob#1`` is a name); ``header`` says whether its first line is a header
        (default: by the rule of :mod:`influence_kit.data.edges`). The graph's
        :attr:`labels` are the node names.
        """
        edges = read_edges(path, source_column, target_column, comment=comment, header=header)
        graph = cls.from_edges(
            edges.source,
            edges.target,
            direction=direction,
            n_nodes=edges.n_nodes,
            name=Path(path).name,
        )
        return replace(graph, labels=edges.names)

    @classmethod
    def from_networkx(cls, graph: Any, *, name: str | None = None) -> AudienceGraph:
        """Build from a networkx graph: undirected, or directed (``a -> b``: ``a`` follows ``b``).

        Node labels are mapped to ids in the graph's node order (kept in
        :attr:`labels`). A multigraph's parallel edges are one link (the edge keys
        and data are ignored), as are a graph's self-loops dropped: an audience is a
        set of people.
        """
        nodes = list(graph.nodes)
        index = {node: i for i, node in enumerate(nodes)}
        # edges() yields (u, v) pairs for graphs and multigraphs alike (no keys)
        pairs = np.array([(index[a], index[b]) for a, b in graph.edges()], dtype=np.int64)
        pairs = pairs.reshape(-1, 2)
        direction = Direction.FOLLOWER_TO_AUTHOR if graph.is_directed() else Direction.UNDIRECTED
        built = cls.from_edges(
            pairs[:, 0],
            pairs[:, 1],
            direction=direction,
            n_nodes=len(nodes),
            name=name or str(graph.name or "networkx graph"),
        )
        return replace(built, labels=np.fromiter(nodes, dtype=object, count=len(nodes)))


def ego_facebook() -> AudienceGraph:
    """The shipped SNAP ego-Facebook friendships (4,039 people; friends see each other).

    See :func:`influence_kit.datasets.load_facebook_edges` for the source.
    """
    edges = load_facebook_edges()
    return AudienceGraph.from_edges(
        edges["node_a"].to_numpy(), edges["node_b"].to_numpy(), name="ego-Facebook"
    )


def wiki_vote() -> AudienceGraph:
    """The shipped SNAP wiki-Vote graph read as attention: voters are the candidate's audience.

    A vote ``a -> b`` says ``a`` read about ``b``; ids are relabelled to ``0 .. 7,114``.
    See :func:`influence_kit.datasets.load_wiki_vote_edges` for the source.
    """
    edges = load_wiki_vote_edges()
    ends = np.concatenate([edges["from_node"].to_numpy(), edges["to_node"].to_numpy()])
    labels, codes = np.unique(ends, return_inverse=True)
    n = len(edges)
    return AudienceGraph.from_edges(
        codes[:n],
        codes[n:],
        direction=Direction.FOLLOWER_TO_AUTHOR,
        n_nodes=labels.size,
        name="wiki-Vote",
    )
