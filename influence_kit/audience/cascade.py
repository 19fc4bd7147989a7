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

A chunk holds as many posts as expand about :data:`LINKS_PER_CHUNK` audience members in
expectation (the expected links of a post, not the most it could expand: a
supercritical cascade on a graph is bounded by what its readers can pass on, see
:func:`_graph_links_per_post`). The chunk size follows from the substrate and the two
probabilities alone, never from the number of workers. A step of a chunk whose cascades
grow beyond that expectation is expanded in pieces of :data:`LINKS_PER_STEP` (drawing the
same random numbers in the same order), so the working memory stays bounded; and a run
whose least expected work is below :data:`PARALLEL_MIN_LINKS` stays in this process even when
local workers are asked for (starting them would cost more than they save; the readers
are the same either way).
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
    resolve_n_jobs,
    seed_entropy,
)
from .graph import AudienceGraph, sorted_unique
from .readers import ReadersDistribution

__all__ = ["simulate_audience_sizes", "simulate_cascades"]

#: Audience members expanded per chunk (sets the chunk size, so it never depends on the
#: number of workers: the same seed gives the same readers on any number of them).
LINKS_PER_CHUNK = 2_000_000

#: Audience members expanded at once within a step of a chunk: a larger step (a chunk
#: whose cascades grew beyond their expectation) is expanded in pieces of about this many.
LINKS_PER_STEP = 2_000_000

#: Expected audience members expanded by a whole run below which local workers are not
#: started (about three chunks: starting two processes costs about what they would save).
PARALLEL_MIN_LINKS = 3 * LINKS_PER_CHUNK

#: Rounds of the bound on the chance that a person is reached (:func:`_graph_links_per_post`).
_BOUND_ROUNDS = 8

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


def _seen_links(
    graph: AudienceGraph,
    posts: np.ndarray,
    nodes: np.ndarray,
    rng: np.random.Generator,
    visibility: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The (post, audience member) pairs of the given (post, node) pairs that see the post.

    One uniform number per expanded pair, in order. Above :data:`LINKS_PER_STEP` pairs the
    nodes are expanded in consecutive pieces of about that many pairs (one node's whole
    audience at least); the numbers drawn, and so the result, are the same as in one go.
    """
    counts = graph.indptr[nodes + 1] - graph.indptr[nodes]
    ends = np.cumsum(counts)
    total = int(ends[-1]) if ends.size else 0
    if total <= LINKS_PER_STEP:
        post, member = _expand(graph, posts, nodes)
        seen = rng.random(post.size) < visibility
        return post[seen], member[seen]
    marks = np.arange(LINKS_PER_STEP, total, LINKS_PER_STEP, dtype=np.int64)
    bounds = np.unique(
        np.concatenate([[0], np.searchsorted(ends, marks, side="right"), [nodes.size]])
    )
    seen_posts, seen_members = [], []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        post, member = _expand(graph, posts[lo:hi], nodes[lo:hi])
        seen = rng.random(post.size) < visibility
        seen_posts.append(post[seen])
        seen_members.append(member[seen])
    return np.concatenate(seen_posts), np.concatenate(seen_members)


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
    post, member = _seen_links(
        graph, np.arange(n_posts, dtype=np.int64), authors, rng, job.visibility
    )
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
        post, member = _seen_links(graph, front_post, front_node, rng, job.visibility)
        keys = sorted_unique(post * n + member)
        new = keys[~_in_sorted(keys, reached)]
        new_post, new_member = new // n, new % n
        readers += np.bincount(new_post, minlength=n_posts)
        sharing = rng.random(new.size) < job.reshare
        front_post, front_node = new_post[sharing], new_member[sharing]
        reshares += np.bincount(front_post, minlength=n_posts)
        depth[front_post] = step
        # Only the posts still spreading keep their people reached: the set then shrinks
        # as cascades end, and a step costs what its live cascades hold, not the chunk's.
        active[:] = False
        active[front_post] = True
        # two sorted runs of distinct keys: a stable sort merges them in linear time
        reached = np.concatenate([reached[active[reached // n]], new[active[new_post]]])
        reached.sort(kind="stable")
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


def _links_per_post(audience: np.ndarray, job: _Cascade) -> float:
    """Expected audience links a post's cascade expands on a table of audience sizes.

    Each reader reshares with probability ``reshare`` to an audience reached along a
    link (size-biased, less that link: mean ``E[k(k-1)]/E[k]``), so a cascade grows by
    ``R = visibility * reshare * excess`` a step. Below 1 a post expands ``m (1 +
    visibility * reshare * m / (1 - R))`` links on average; at or above 1 a cascade on
    the configuration model never stops, which is refused.
    """
    k = audience.astype(float)
    mean = float(k.mean()) if k.size else 0.0
    if mean <= 0:
        return 1.0
    excess = max(float((k * (k - 1)).mean()) / mean, 0.0)
    growth = job.visibility * job.reshare * excess
    if growth >= 1:
        raise ParameterError(
            f"visibility x reshare x mean audience of a resharer = {format_value(growth, 3)} "
            ">= 1: cascades on a table of audience sizes would never stop; lower --reshare or "
            "--visibility (or run on a graph)"
        )
    return max(mean, 1.0) * (1 + job.visibility * job.reshare * mean / (1 - growth))


def _graph_links_per_post(graph: AudienceGraph, job: _Cascade) -> float:
    """Expected audience links a post's cascade expands on a graph (at least 1), to size chunks.

    A post expands its author's audience (``m`` on average) and the audience of each of
    its resharers. Two estimates, the smaller is taken:

    * the branching estimate: a resharer is reached along a link, so its audience is
      weighted by the audiences it belongs to (``k_in``): mean ``E[k_in k_out] / E[k]``
      on a follower graph, ``E[k(k-1)] / E[k]`` on a friendship graph (less the link it
      came by). A cascade grows by ``R = visibility * reshare * excess`` a step; below 1
      a post expands ``m (1 + visibility * reshare * m / (1 - R))`` links on average;
    * a bound that holds on any graph: every reader reshares with probability
      ``reshare`` whatever happened before, so the resharers' audiences add up to
      ``reshare`` times the expected audiences of the readers; a reader is someone
      else in the author's (weakly) connected component, reached with probability at
      most ``visibility`` times the sum, over the people whose audience they are in,
      of the chance that that person expands the post (``1 / component size`` as its
      author, ``reshare`` times its own bound as a reader): from a bound of 1 this is
      applied :data:`_BOUND_ROUNDS` times, each a tighter bound.

    The bound is what keeps a supercritical cascade (``R >= 1``) from being sized as
    if every post expanded every link of the graph: on a directed or a dense graph
    with strong resharing that made chunks of a dozen posts, too little work to pay
    for a worker.
    """
    k_out = graph.audience_sizes().astype(float)
    n = k_out.size
    mean = float(k_out.mean()) if n else 0.0
    if mean <= 0:
        return 1.0
    k_in = np.bincount(graph.indices, minlength=n).astype(float)
    vr = job.visibility * job.reshare
    if np.array_equal(k_in, k_out):  # friendship: less the link the post came by
        excess = max(float((k_out * (k_out - 1)).mean()) / mean, 0.0)
    else:
        excess = float((k_in * k_out).mean()) / mean
    growth = vr * excess
    tree = max(mean, 1.0) * (1 + vr * mean / (1 - growth)) if growth < 1 else math.inf
    if tree <= mean + job.reshare * float(k_out.sum()):  # within the crudest bound
        return tree
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    links = np.ones(graph.indices.size, dtype=np.float64)
    adjacency = csr_matrix((links, graph.indices, graph.indptr), shape=(n, n))
    _, component = connected_components(adjacency, directed=True, connection="weak")
    authored = 1.0 / np.bincount(component)[component]  # P(author), within a component
    into = adjacency.T.tocsr()  # row b: the people whose audience b is in
    # P(b reached) <= visibility * sum over a -> b of P(a expands) <= ... (P(author) +
    # reshare * P(a reached)): from 1, each round is again an upper bound, and tighter
    reached = np.ones(n)
    for _ in range(_BOUND_ROUNDS):
        reached = np.minimum(1.0, job.visibility * (into @ (authored + job.reshare * reached)))
    passed_on = k_out * reached
    # E over authors of the sum over the others in the author's component
    others = float(np.bincount(component, weights=passed_on)[component].mean() - passed_on.mean())
    return max(min(tree, mean + job.reshare * max(others, 0.0)), 1.0)


def _graph_least_links_per_post(graph: AudienceGraph, job: _Cascade) -> float:
    """Audience links a post expands in its first two steps, on average: a lower bound.

    The author's audience, then, for each of its members, ``visibility * reshare`` times
    that member's audience (``E[k_in k_out]`` over people). Whether local workers are
    worth starting is judged on this, since :func:`_graph_links_per_post` may be a loose
    upper bound when cascades are supercritical.
    """
    k_out = graph.audience_sizes().astype(float)
    if k_out.size == 0:
        return 0.0
    k_in = np.bincount(graph.indices, minlength=k_out.size).astype(float)
    return float(k_out.mean() + job.visibility * job.reshare * (k_in * k_out).mean())


def _chunk_posts(per_post: float) -> int:
    """Posts per chunk: about :data:`LINKS_PER_CHUNK` expected links, at least one post."""
    return max(1, int(LINKS_PER_CHUNK // per_post))


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
    per_post: float,
    least_per_post: float,
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

    ``audience`` holds each person's audience size; ``per_post`` the expected audience
    links a post expands, which sets the chunk size (so that a chunk expands about
    :data:`LINKS_PER_CHUNK` audience members) and the working memory; ``least_per_post``
    the fewest it expands on average, which decides whether the run is worth local
    workers (:data:`PARALLEL_MIN_LINKS`). ``max_readers`` is
    the most readers a post can have (``None``: not bounded); the result's intervals never
    reach above it.
    """
    chunk_posts = _chunk_posts(per_post)
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
    # local workers only for enough work (the chunks, and so the readers, are the same)
    if resolve_n_jobs(n_jobs) > 1 and authors.size * least_per_post < PARALLEL_MIN_LINKS:
        n_jobs = None
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
    per_post, least = _graph_links_per_post(graph, job), _graph_least_links_per_post(graph, job)
    return _simulate(
        _graph_chunk, job, graph.audience_sizes(), per_post, least, posts, seed,
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
    per_post = _links_per_post(per_person, job)  # the expectation on a tree
    return _simulate(
        _sizes_chunk, job, per_person, per_post, per_post, posts, seed,
        n_jobs=n_jobs, client=client, progress=progress,
        source=name, method="branching on the configuration model of the audience sizes",
        max_readers=float(values.max()) if bounded else None,
    )  # fmt: skip
