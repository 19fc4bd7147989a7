"""Benchmark: readers-per-post cascades on large graphs, against a networkx reference.

The goal: the cascade model on a graph of 1e6 people and 1e7 links, one post by every
person, in under 60 s on 2 cores. The peer is the loop a researcher writes with networkx
(a breadth-first cascade per post with ``random.random()`` per audience member), timed on
a sample of posts of the same graph in the same run and reported per post, so the ratio
compares like with like.

A second table times the same simulation in this process and on 2 local workers on
graphs of every shape (directed, dense with strong resharing, a star, a large sparse
graph): the work is cut into chunks whatever the number of workers, so ``--jobs 2`` should
never be slower than serial. Each time is the best of ``--repeat`` runs, serial and
parallel alternating; the readers must be identical.

Usage: ``.venv/bin/python benchmarks/bench_audience.py [--nodes 1e6] [--links 1e7]
[--reference-posts 2000] [--jobs 2] [--repeat 3] [--shapes-only | --no-shapes]``
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Callable

import numpy as np

from influence_kit.audience import AudienceGraph, ego_facebook, simulate_cascades, wiki_vote
from influence_kit.audience.graph import Direction
from influence_kit.audience.readers import ReadersDistribution

VISIBILITY = 0.35
RESHARE = 0.01


def random_graph(nodes: int, links: int, seed: int) -> AudienceGraph:
    """An undirected random graph with heavy-tailed degrees (Chung-Lu style pairing)."""
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(rng.pareto(2.5, nodes) + 1.0)
    cdf /= cdf[-1]
    a = np.minimum(np.searchsorted(cdf, rng.random(links)), nodes - 1)
    b = np.minimum(np.searchsorted(cdf, rng.random(links)), nodes - 1)
    return AudienceGraph.from_edges(a, b, n_nodes=nodes, name=f"random {nodes:.0e}")


def networkx_reference(graph: AudienceGraph, authors: np.ndarray, seed: int) -> np.ndarray:
    """Readers per post by a plain breadth-first cascade over a networkx graph."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(graph.n_nodes))
    rows = np.repeat(np.arange(graph.n_nodes), np.diff(graph.indptr))
    g.add_edges_from(zip(rows.tolist(), graph.indices.tolist(), strict=True))
    rand = random.Random(seed)
    readers = np.zeros(authors.size, dtype=np.int64)
    for i, author in enumerate(authors.tolist()):
        seen = {author}
        frontier = [author]
        while frontier:
            nxt = []
            for node in frontier:
                for member in g.neighbors(node):
                    if member not in seen and rand.random() < VISIBILITY:
                        seen.add(member)
                        if rand.random() < RESHARE:
                            nxt.append(member)
            frontier = nxt
        readers[i] = len(seen) - 1
    return readers


def star_graph(followers: int) -> AudienceGraph:
    """One person followed by ``followers`` people who see each other's posts (a star)."""
    hub = np.zeros(followers, dtype=np.int64)
    return AudienceGraph.from_edges(
        np.arange(1, followers + 1), hub, direction=Direction.UNDIRECTED, name="star"
    )


#: Graph shapes of the serial / 2-jobs table: (label, graph factory, visibility, reshare,
#: posts; ``None``: one post by every person).
SHAPES: list[tuple[str, Callable[[], AudienceGraph], float, float, int | None]] = [
    ("wiki-Vote (directed), reshare 0.05, 50,000 posts", wiki_vote, 0.35, 0.05, 50_000),
    ("wiki-Vote (directed), reshare 0.1, one post each", wiki_vote, 0.35, 0.1, None),
    ("wiki-Vote (directed), reshare 0.1, 200,000 posts", wiki_vote, 0.35, 0.1, 200_000),
    ("ego-Facebook, strong reshare 0.1, one post each", ego_facebook, 0.35, 0.1, None),
    ("ego-Facebook, strong reshare 0.1, 40,000 posts", ego_facebook, 0.35, 0.1, 40_000),
    ("star of 30,000 followers, reshare 0.01, one post each", lambda: star_graph(30_000),
     0.35, 0.01, None),
    ("sparse random graph, 2e5 people / 1e6 links, reshare 0.01, one post each",
     lambda: random_graph(200_000, 1_000_000, seed=5), VISIBILITY, RESHARE, None),
]  # fmt: skip


def _timed(
    graph: AudienceGraph, v: float, r: float, posts: int | None, jobs: int | None
) -> tuple[float, float, ReadersDistribution]:
    """Wall seconds and CPU seconds (this process and its workers) of one seeded
    simulation, and its result."""

    def cpu() -> float:
        own, workers = (
            resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    out = simulate_cascades(
        graph, visibility=v, reshare=r, posts=posts, seed=11, n_jobs=jobs, progress=False
    )
    return time.perf_counter() - start, cpu() - start_cpu, out


def shapes_table(repeat: int) -> None:
    """Print serial against 2 local workers on every graph shape of :data:`SHAPES`."""
    print(
        "\n| case | serial (s) | ours (s) | 2 jobs / serial | CPU serial / 2 jobs (s) "
        "| identical | mean readers |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, make, v, r, posts in SHAPES:
        graph = make()
        serial, parallel = [], []
        for _ in range(repeat):
            *t1, a = _timed(graph, v, r, posts, None)
            *t2, b = _timed(graph, v, r, posts, 2)
            serial.append(t1)
            parallel.append(t2)
        same = np.array_equal(a.readers, b.readers) and np.array_equal(a.depth, b.depth)
        (wall1, cpu1), (wall2, cpu2) = min(serial), min(parallel)
        print(
            f"| {label}, --jobs 2 | {wall1:.3f} | {wall2:.3f} | {wall2 / wall1:.2f} | "
            f"{cpu1:.2f} / {cpu2:.2f} | {'yes' if same else 'NO'} | {a.mean_readers:.2f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=float, default=1e6)
    parser.add_argument("--links", type=float, default=1e7)
    parser.add_argument("--reference-posts", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs per shape (best is kept)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--shapes-only", action="store_true", help="only serial against 2 jobs")
    which.add_argument("--no-shapes", action="store_true", help="skip serial against 2 jobs")
    args = parser.parse_args()
    nodes, links = int(args.nodes), int(args.links)
    if not args.no_shapes:
        shapes_table(args.repeat)
    if args.shapes_only:
        return

    start = time.perf_counter()
    graph = random_graph(nodes, links, seed=1)
    build = time.perf_counter() - start
    start = time.perf_counter()
    ours = simulate_cascades(
        graph, visibility=VISIBILITY, reshare=RESHARE, seed=2, n_jobs=args.jobs, progress=False
    )
    run = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    sample = np.random.default_rng(3).integers(0, graph.n_nodes, args.reference_posts)
    start = time.perf_counter()
    ref = networkx_reference(graph, sample, seed=4)
    ref_seconds = time.perf_counter() - start
    ours_per_post = run / ours.n_posts
    ref_per_post = ref_seconds / sample.size
    print(
        f"\ngraph: {graph.n_nodes:,} people, {graph.n_links // 2:,} links "
        f"(built in {build:.1f} s); visibility {VISIBILITY}, reshare {RESHARE}\n"
    )
    print("| case | ours (s) | peer (s) | ratio | notes |")
    print("|---|---|---|---|---|")
    print(
        f"| cascades, {nodes:.0e} people / {links:.0e} links, one post each | {run:.2f} | "
        f"{ref_per_post * ours.n_posts:.0f} (networkx loop, extrapolated from "
        f"{sample.size:,} posts) | {ref_per_post / ours_per_post:.0f}x | mean readers ours "
        f"{ours.mean_readers:.2f}, networkx {ref.mean():.2f}; peak RSS {peak:,.0f} MB; "
        f"{args.jobs} jobs |"
    )


if __name__ == "__main__":
    main()
