"""How cascades on a graph are cut into chunks: the same readers on any number of workers,
chunks that hold enough work to pay for a worker, and bounded working memory.

No test here times anything: the properties are about chunk sizes and the work a chunk
does (audience links expanded), which are the same on any machine.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence_kit.audience import AudienceGraph, cascade, simulate_cascades, wiki_vote
from influence_kit.audience.graph import Direction
from influence_kit.errors import ParameterError


@pytest.fixture(scope="module")
def wiki():
    return wiki_vote()


def star(followers: int) -> AudienceGraph:
    """One person and ``followers`` friends of theirs (an undirected star)."""
    return AudienceGraph.from_edges(
        np.arange(1, followers + 1), np.zeros(followers, dtype=np.int64), name="star"
    )


def _same(a, b) -> bool:
    return all(
        np.array_equal(getattr(a, k), getattr(b, k)) for k in ("readers", "reshares", "depth")
    )


def _spy_work(monkeypatch) -> list[list[int]]:
    """Record, for every chunk run in this process, its posts and the links it expands."""
    chunks: list[list[int]] = []
    real_chunk, real_expand = cascade._graph_chunk, cascade._expand

    def chunk(job, c):
        chunks.append([c.authors.size, 0])
        return real_chunk(job, c)

    def expand(graph, posts, nodes):
        out = real_expand(graph, posts, nodes)
        chunks[-1][1] += out[0].size
        return out

    monkeypatch.setattr(cascade, "_graph_chunk", chunk)
    monkeypatch.setattr(cascade, "_expand", expand)
    return chunks


def _spy_workers(monkeypatch) -> list[int | None]:
    """Record the ``n_jobs`` that each simulation hands to ``map_chunks``."""
    asked: list[int | None] = []
    real = cascade.map_chunks

    def spy(*args, n_jobs=None, **kwargs):
        asked.append(n_jobs)
        return real(*args, n_jobs=n_jobs, **kwargs)

    monkeypatch.setattr(cascade, "map_chunks", spy)
    return asked


def test_a_directed_graph_gives_the_same_readers_serially_and_on_two_workers(wiki, monkeypatch):
    asked = _spy_workers(monkeypatch)
    options = {"visibility": 0.35, "reshare": 0.1, "seed": 5, "progress": False}
    serial = simulate_cascades(wiki, **options)
    little = simulate_cascades(wiki, n_jobs=2, **options)  # too little work for workers
    monkeypatch.setattr(cascade, "PARALLEL_MIN_LINKS", 0)  # use the workers however little
    pooled = simulate_cascades(wiki, n_jobs=2, **options)
    assert asked == [None, None, 2]
    assert _same(serial, little)
    job = cascade._Cascade(visibility=0.35, reshare=0.1, graph=wiki)
    assert (
        math.ceil(wiki.n_nodes / cascade._chunk_posts(cascade._graph_links_per_post(wiki, job))) > 2
    )
    assert _same(serial, pooled)
    assert serial.to_json() == pooled.to_json()


def test_a_star_gives_the_same_readers_serially_and_on_two_workers(monkeypatch):
    graph = star(30_000)
    asked = _spy_workers(monkeypatch)
    monkeypatch.setattr(cascade, "PARALLEL_MIN_LINKS", 0)  # use the workers however little
    options = {"visibility": 0.35, "reshare": 0.01, "seed": 8, "progress": False}
    serial = simulate_cascades(graph, **options)
    pooled = simulate_cascades(graph, n_jobs=2, **options)
    assert asked == [None, 2]
    assert _same(serial, pooled)
    # the hub reaches every follower it is seen by; each follower's post reaches the hub
    assert serial.readers.max() <= graph.n_nodes - 1


@pytest.mark.parametrize(
    ("visibility", "reshare", "posts"),
    [(0.35, 0.05, 20_000), (0.35, 0.1, None), (0.5, 0.3, None), (1.0, 1.0, 300)],
)
def test_chunks_of_a_directed_graph_hold_enough_work(wiki, monkeypatch, visibility, reshare, posts):
    """Every chunk but the last expands a sizeable share of LINKS_PER_CHUNK audience
    links, measured, so a worker's start-up and each chunk's hand-over are paid for
    (before, a supercritical cascade was sized as if each post expanded every link of
    the graph: chunks of 19 posts on wiki-Vote, about 4,000 links each); and no chunk
    expands much more than LINKS_PER_CHUNK, so the memory stays bounded."""
    chunks = _spy_work(monkeypatch)
    simulate_cascades(wiki, visibility=visibility, reshare=reshare, posts=posts, seed=3)
    full = chunks[:-1]
    floor = cascade.LINKS_PER_CHUNK / 40
    assert all(links >= floor for _, links in full), chunks
    assert all(links <= 3 * cascade.LINKS_PER_CHUNK for _, links in chunks), chunks


def test_every_person_resharing_expands_every_link_so_chunks_are_sized_by_the_graph(wiki):
    job = cascade._Cascade(visibility=1.0, reshare=1.0, graph=wiki)
    # wiki-Vote is one weak component, but a directed cascade reaches fewer than all
    per_post = cascade._graph_links_per_post(wiki, job)
    assert per_post <= wiki.n_links + wiki.n_links / wiki.n_nodes


@st.composite
def directed_graphs(draw):
    n = draw(st.integers(2, 60))
    m = draw(st.integers(0, 300))
    src = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    dst = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    direction = draw(st.sampled_from(list(Direction)))
    return AudienceGraph.from_edges(
        np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), n_nodes=n, direction=direction
    )


@settings(max_examples=60, deadline=None)
@given(
    graph=directed_graphs(),
    visibility=st.floats(0, 1),
    reshare=st.floats(0, 1),
)
def test_the_chunk_size_is_at_least_what_the_simplest_bound_allows(graph, visibility, reshare):
    """A post expands its author's audience and, each with probability ``reshare``, the
    audience of every reader: on average at most ``mean + reshare * links``. The chunk
    size never falls below what that bound gives, nor the estimate below one link."""
    job = cascade._Cascade(visibility=visibility, reshare=reshare, graph=graph)
    per_post = cascade._graph_links_per_post(graph, job)
    mean = graph.n_links / graph.n_nodes
    assert 1.0 <= per_post <= max(1.0, mean + reshare * graph.n_links) * (1 + 1e-12)
    chunk = cascade._chunk_posts(per_post)
    assert chunk >= cascade.LINKS_PER_CHUNK // max(1.0, mean + reshare * graph.n_links)
    # the plan depends on the graph and the two probabilities only
    assert chunk == cascade._chunk_posts(cascade._graph_links_per_post(graph, job))


def test_the_bound_follows_the_author_s_component():
    """Many small disconnected stars: a post can reach only its own star, however strong
    the resharing, so the chunks are not sized by the links of the whole graph."""
    stars, size = 2_000, 20
    hubs = np.repeat(np.arange(stars) * (size + 1), size)
    leaves = hubs + np.tile(np.arange(1, size + 1), stars)
    graph = AudienceGraph.from_edges(leaves, hubs, n_nodes=stars * (size + 1))
    job = cascade._Cascade(visibility=0.5, reshare=0.5, graph=graph)
    assert cascade._graph_links_per_post(graph, job) <= 2 * size


def test_a_large_step_expands_in_pieces_with_the_same_readers(wiki, monkeypatch):
    options = {"visibility": 0.5, "reshare": 0.1, "posts": 3000, "seed": 12, "progress": False}
    whole = simulate_cascades(wiki, **options)
    monkeypatch.setattr(cascade, "LINKS_PER_STEP", 1_000)
    pieces = simulate_cascades(wiki, **options)
    assert _same(whole, pieces)


def test_little_work_stays_in_this_process_and_n_jobs_is_still_checked(monkeypatch):
    graph = star(200)
    asked = _spy_workers(monkeypatch)
    a = simulate_cascades(graph, visibility=0.35, reshare=0.01, seed=1, n_jobs=2)
    b = simulate_cascades(graph, visibility=0.35, reshare=0.01, seed=1)
    assert asked == [None, None] and _same(a, b)
    with pytest.raises(ParameterError, match="n_jobs"):
        simulate_cascades(graph, visibility=0.35, reshare=0.01, seed=1, n_jobs=0)
