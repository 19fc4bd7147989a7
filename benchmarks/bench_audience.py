"""Benchmark: readers-per-post cascades on large graphs, against a networkx reference.

The goal: the cascade model on a graph of 1e6 people and 1e7 links, one post by every
person, in under 60 s on 2 cores. The peer is the loop a researcher writes with networkx
(a breadth-first cascade per post with ``random.random()`` per audience member), timed on
a sample of posts of the same graph in the same run and reported per post, so the ratio
compares like with like.

Usage: ``.venv/bin/python benchmarks/bench_audience.py [--nodes 1e6] [--links 1e7]
[--reference-posts 2000] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import random
import resource
import time

import numpy as np

from influence_kit.audience import AudienceGraph, simulate_cascades

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=float, default=1e6)
    parser.add_argument("--links", type=float, default=1e7)
    parser.add_argument("--reference-posts", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    nodes, links = int(args.nodes), int(args.links)

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
