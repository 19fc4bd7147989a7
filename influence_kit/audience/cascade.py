"""Readers per post by simulation: independent cascades on a graph or a table of audiences.

Each simulated post starts at its author. Every member of the author's audience sees it
with probability ``visibility``; every reader reshares it with probability ``reshare``;
the audience of every resharer sees the reshare with probability ``visibility``, and so
on until no one reshares. A person counts once per post however often they are reached,
and never for their own post. The readers of a post are the people who saw it.

Two substrates:

* :func:`simulate_cascades` runs on an :class:`~influence_kit.audience.graph.AudienceGraph`
  (real links: the friendship paradox, clustering and overlap are the graph's own);
* :func:`simulate_audience_sizes` runs on a table of audience sizes (follower counts)
  under the configuration model: an author's audience is drawn from the table, a
  resharer's from its size-biased version minus the link it came by, and audiences do
  not overlap (a tree, as in a large sparse random graph).

Both are vectorised over the posts of a chunk and advance all cascades a step at a
time; chunks run serially, on local processes or on Dask through
:func:`influence_kit.parallel.map_chunks`, each with its own child seed, so a fixed seed
gives the same readers everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import ParameterError
from ..formatting import format_value
from ..parallel import map_chunks
from ..tables import ValueTable, value_table
from ..validation import (
    SeedLike,
    check_budget,
    check_positive_int,
    check_seed,
    check_share,
    seed_entropy,
)
from .graph import AudienceGraph, sorted_unique
from .readers import ReadersDistribution

__all__ = ["simulate_audience_sizes", "simulate_cascades"]

#: Audience members expanded per chunk (sets the chunk size, so it never depends on the
#: number of workers: the same seed gives the same readers on any number of them).
LINKS_PER_CHUNK = 2_000_000

#: Bytes of working memory per expanded audience member (ids, keys, random numbers).
_BYTES_PER_LINK = 64


@dataclass(frozen=True)
class _Cascade:
    """Shared input of every chunk: the substrate and the two probabilities."""

    visibility: float
    reshare: float
    graph: AudienceGraph | None = None
    sizes: np.ndarray | None = None  # audience sizes, one per person
    excess_values: np.ndarray | None = None  # configuration model: k - 1 of a link end
    excess_cdf: np.ndarray | None = None


@dataclass(frozen=True)
class _Chunk:
    authors: np.ndarray
    seed: np.random.SeedSequence


def _expand(graph: AudienceGraph, posts: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every (post, audience member) pair of the given (post, node) pairs."""
    starts = graph.indptr[nodes]
    counts = graph.indptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    members = graph.indices[offsets + np.arange(total, dtype=np.int64)]
    return np.repeat(posts, counts), members


def _in_sorted(keys: np.ndarray, sorted_pool: np.ndarray) -> np.ndarray:
    if sorted_pool.size == 0:
        return np.zeros(keys.size, dtype=bool)
    pos = np.searchsorted(sorted_pool, keys)
    pos[pos == sorted_pool.size] = 0
    return sorted_pool[pos] == keys


def _graph_chunk(job: _Cascade, chunk: _Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    graph = job.graph
    assert graph is not None
    rng = np.random.default_rng(chunk.seed)
    authors = chunk.authors
    n_posts, n = authors.size, graph.n_nodes
    readers = np.zeros(n_posts, dtype=np.int64)
    reshares = np.zeros(n_posts, dtype=np.int64)
    depth = np.zeros(n_posts, dtype=np.int64)
    post, member = _expand(graph, np.arange(n_posts, dtype=np.int64), authors)
    seen = rng.random(post.size) < job.visibility
    post, member = post[seen], member[seen]
    readers += np.bincount(post, minlength=n_posts)
    sharing = rng.random(post.size) < job.reshare
    front_post, front_node = post[sharing], member[sharing]
    if front_post.size == 0:
        return readers, reshares, depth
    reshares += np.bincount(front_post, minlength=n_posts)
    depth[front_post] = 1
    # Only posts that were reshared need the set of people already reached.
    active = np.zeros(n_posts, dtype=bool)
    active[front_post] = True
    keep = active[post]
    reached = np.concatenate(
        [post[keep] * n + member[keep], np.flatnonzero(active) * n + authors[active]]
    )
    reached.sort()
    step = 1
    while front_post.size:
        step += 1
        post, member = _expand(graph, front_post, front_node)
        seen = rng.random(post.size) < job.visibility
        keys = sorted_unique(post[seen] * n + member[seen])
        new = keys[~_in_sorted(keys, reached)]
        reached = np.union1d(reached, new)
        new_post, new_member = new // n, new % n
        readers += np.bincount(new_post, minlength=n_posts)
        sharing = rng.random(new.size) < job.reshare
        front_post, front_node = new_post[sharing], new_member[sharing]
        reshares += np.bincount(front_post, minlength=n_posts)
        depth[front_post] = step
    return readers, reshares, depth


def _sizes_chunk(job: _Cascade, chunk: _Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes, excess, cdf = job.sizes, job.excess_values, job.excess_cdf
    assert sizes is not None and excess is not None and cdf is not None
    rng = np.random.default_rng(chunk.seed)
    n_posts = chunk.authors.size
    readers = np.zeros(n_posts, dtype=np.int64)
    reshares = np.zeros(n_posts, dtype=np.int64)
    depth = np.zeros(n_posts, dtype=np.int64)
    front_post = np.arange(n_posts, dtype=np.int64)
    audience = sizes[chunk.authors]
    step = 0
    while front_post.size:
        seen = rng.binomial(audience, job.visibility)
        readers += np.bincount(front_post, weights=seen, minlength=n_posts).astype(np.int64)
        shared = rng.binomial(seen, job.reshare)
        front_post = np.repeat(front_post, shared)
        step += 1
        if front_post.size == 0:
            break
        reshares += np.bincount(front_post, minlength=n_posts)
        depth[front_post] = step
        u = rng.random(front_post.size)
        audience = excess[np.minimum(np.searchsorted(cdf, u, side="right"), excess.size - 1)]
    return readers, reshares, depth


def _links_per_post(audience: np.ndarray, job: _Cascade, *, finite: bool) -> float:
    """Expected audience links a post's cascade expands, to size the chunks.

    Each reader reshares with probability ``reshare`` to an audience reached along a
    link (size-biased, less that link: mean ``E[k(k-1)]/E[k]``), so a cascade grows by
    ``R = visibility * reshare * excess`` a step. Below 1 a post expands ``m (1 +
    visibility * reshare * m / (1 - R))`` links on average; at or above 1 a cascade on a
    graph can reach its whole component (at most every link), and one on a table of
    audience sizes never stops, which is refused.
    """
    k = audience.astype(float)
    mean = float(k.mean()) if k.size else 0.0
    if mean <= 0:
        return 1.0
    excess = max(float((k * (k - 1)).mean()) / mean, 0.0)
    growth = job.visibility * job.reshare * excess
    total = max(float(k.sum()), 1.0)
    if growth >= 1:
        if not finite:
            raise ParameterError(
                f"visibility x reshare x mean audience of a resharer = {format_value(growth, 3)} "
                ">= 1: cascades on a table of audience sizes would never stop; lower --reshare or "
                "--visibility (or run on a graph)"
            )
        return total
    per_post = max(mean, 1.0) * (1 + job.visibility * job.reshare * mean / (1 - growth))
    return min(per_post, total) if finite else per_post


def _seeds_and_authors(
    n_people: int, posts: int | None, seed: SeedLike, chunk_posts: int
) -> tuple[np.random.SeedSequence, np.ndarray, list[np.random.SeedSequence]]:
    root = check_seed(seed)
    author_seed, chunk_root = root.spawn(2)
    if posts is None:
        authors = np.arange(n_people, dtype=np.int64)
    else:
        posts = check_positive_int("posts", posts)
        # authors, readers, reshares, depth and audience: five int64 per post
        check_budget("simulated posts", posts, 5 * 8, option="--posts")
        authors = np.random.default_rng(author_seed).integers(0, n_people, size=posts)
    n_chunks = max(1, math.ceil(authors.size / chunk_posts))
    return root, authors, chunk_root.spawn(n_chunks)


def _simulate(
    func: Any,
    job: _Cascade,
    audience: np.ndarray,
    posts: int | None,
    seed: SeedLike,
    *,
    n_jobs: int | None,
    client: Any,
    progress: bool | None,
    source: str,
    method: str,
    max_readers: float | None,
) -> ReadersDistribution:
    """Draw the authors, run the chunks and collect the readers of every post.

    ``audience`` holds each person's audience size; it sets the chunk size (so that a
    chunk expands about :data:`LINKS_PER_CHUNK` audience members) and the working memory.
    ``max_readers`` is the most readers a post can have (``None``: not bounded); the
    result's intervals never reach above it.
    """
    per_post = _links_per_post(audience, job, finite=job.graph is not None)
    chunk_posts = max(1, int(LINKS_PER_CHUNK // per_post))
    root, authors, seeds = _seeds_and_authors(audience.size, posts, seed, chunk_posts)
    check_budget(
        "audience links expanded per chunk",
        min(authors.size, chunk_posts) * per_post,
        _BYTES_PER_LINK,
        # a chunk of one post is too large only through the audiences themselves
        option="--posts" if chunk_posts > 1 else "the audience sizes (one post alone is too large)",
    )
    chunks = [
        _Chunk(authors[i * chunk_posts : (i + 1) * chunk_posts], s) for i, s in enumerate(seeds)
    ]
    parts = map_chunks(
        func,
        job,
        chunks,
        sizes=[c.authors.size for c in chunks],
        client=client,
        n_jobs=n_jobs,
        progress=progress,
        desc="posts",
    )
    readers, reshares, depth = (np.concatenate([p[k] for p in parts]) for k in range(3))
    return ReadersDistribution(
        source=source,
        method=method,
        visibility=job.visibility,
        reshare=job.reshare,
        readers=readers,
        reshares=reshares,
        depth=depth,
        audience=audience[authors],
        seed=seed_entropy(root),
        max_readers=max_readers,
    )


def _check_probabilities(visibility: float, reshare: float) -> tuple[float, float]:
    return check_share("visibility", visibility), check_share("reshare", reshare)


def simulate_cascades(
    graph: AudienceGraph,
    *,
    visibility: float,
    reshare: float = 0.0,
    posts: int | None = None,
    seed: SeedLike = None,
    n_jobs: int | None = None,
    client: Any = None,
    progress: bool | None = None,
) -> ReadersDistribution:
    """Readers of simulated posts spreading by independent cascades on a graph.

    Parameters
    ----------
    graph
        Who sees whose posts.
    visibility
        Probability that an audience member sees a given post or reshare, in [0, 1].
    reshare
        Probability that a reader reshares, in [0, 1].
    posts
        Number of posts, each by an author drawn uniformly from the graph's people;
        ``None``: one post by every person.
    seed, n_jobs, client, progress
        Seed (see :mod:`influence_kit.validation`); local workers, a Dask client and
        the progress bar (see :func:`influence_kit.parallel.map_chunks`).

    Returns
    -------
    ReadersDistribution
        Readers, reshares and depth of every post.
    """
    visibility, reshare = _check_probabilities(visibility, reshare)
    if graph.n_nodes == 0:
        raise ParameterError(f"{graph.name}: the graph has no people")
    job = _Cascade(visibility=visibility, reshare=reshare, graph=graph)
    # a person counts once per post and never for their own: everyone else at most
    return _simulate(
        _graph_chunk, job, graph.audience_sizes(), posts, seed,
        n_jobs=n_jobs, client=client, progress=progress,
        source=graph.name, method="independent cascade on the graph",
        max_readers=float(max(graph.n_nodes - 1, 0)),
    )  # fmt: skip


def simulate_audience_sizes(
    sizes: ArrayLike | ValueTable,
    *,
    visibility: float,
    reshare: float = 0.0,
    posts: int | None = None,
    seed: SeedLike = None,
    n_jobs: int | None = None,
    client: Any = None,
    progress: bool | None = None,
    name: str = "audience sizes",
) -> ReadersDistribution:
    """Readers of simulated posts on the configuration model of a table of audience sizes.

    Parameters
    ----------
    sizes
        Audience size (friends or followers) of each person: raw integers or a
        :class:`~influence_kit.tables.ValueTable` of (size, number of people).
    visibility, reshare, posts, seed, n_jobs, client, progress
        As in :func:`simulate_cascades`; ``posts=None`` gives one post per person.
    name
        A label for reports.

    Returns
    -------
    ReadersDistribution
    """
    visibility, reshare = _check_probabilities(visibility, reshare)
    table = sizes if isinstance(sizes, ValueTable) else value_table(sizes, name=name)
    if not table.discrete:
        raise ParameterError(f"{name}: audience sizes must be whole numbers")
    counts = table.counts
    if table.n_zeros:
        values = np.concatenate([[0.0], table.values])
        counts = np.concatenate([[float(table.n_zeros)], counts])
    else:
        values = table.values
    people = float(counts.sum())
    check_budget("people in the audience table", people, 8, option="the counts")
    per_person = np.repeat(values.astype(np.int64), counts.astype(np.int64))
    # A resharer is reached along a link: its audience is size-biased, minus that link.
    link_weight = values * counts
    if link_weight.sum() <= 0:
        raise ParameterError(f"{name}: every audience is empty")
    cdf = np.cumsum(link_weight) / link_weight.sum()
    excess = np.maximum(values - 1, 0).astype(np.int64)
    job = _Cascade(
        visibility=visibility,
        reshare=reshare,
        sizes=per_person,
        excess_values=excess,
        excess_cdf=cdf,
    )
    # Without reshares a post reaches at most its author's audience, so at most the
    # largest audience in the table. With them there is no ceiling: the configuration
    # model treats the table as a sample from a large sparse graph (a tree whose
    # audiences never overlap and are drawn afresh at every step), not as a closed
    # population, so a cascade may count more readers than the table has rows.
    bounded = reshare == 0 or visibility == 0
    return _simulate(
        _sizes_chunk, job, per_person, posts, seed,
        n_jobs=n_jobs, client=client, progress=progress,
        source=name, method="branching on the configuration model of the audience sizes",
        max_readers=float(values.max()) if bounded else None,
    )  # fmt: skip
