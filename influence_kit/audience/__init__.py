"""Readers per post from how audiences behave, instead of an assumed number.

* :mod:`~influence_kit.audience.branching`: the closed form (audience x visibility x a
  branching reshare layer pinned by the cascade evidence), vectorised for sensitivity
  work; scenarios use it to derive readers per post;
* :mod:`~influence_kit.audience.distribution`: how unequal audiences are (the authors'
  and the resharers', friendship paradox included), which the closed form sums over;
* :mod:`~influence_kit.audience.graphform`: the same expectation on a given graph, link
  by link (degree correlations included), without simulation;
* :mod:`~influence_kit.audience.graph`: audience graphs (who sees whose posts), from
  files, arrays, networkx or the shipped ego-Facebook and wiki-Vote graphs;
* :mod:`~influence_kit.audience.cascade`: seeded independent-cascade simulations on a
  graph or on a table of audience sizes, returning a
  :class:`~influence_kit.audience.readers.ReadersDistribution`.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .branching import (
    amplification,
    expected_readers,
    mean_offspring,
    past_one_step_share,
    reshare_chance,
    reshare_rate,
)
from .distribution import AudienceDistribution

if TYPE_CHECKING:
    from .cascade import simulate_audience_sizes, simulate_cascades
    from .graph import AudienceGraph, Direction, ego_facebook, wiki_vote
    from .graphform import expected_readers_on_graph
    from .readers import ReadersDistribution

# The simulations pull in pandas and scipy; scenarios need only the closed form, and
# `influence-kit account` runs without either, so the rest loads on first use.
_LAZY = {
    "expected_readers_on_graph": "graphform",
    "simulate_audience_sizes": "cascade",
    "simulate_cascades": "cascade",
    "AudienceGraph": "graph",
    "Direction": "graph",
    "ego_facebook": "graph",
    "wiki_vote": "graph",
    "ReadersDistribution": "readers",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)


__all__ = [
    "AudienceDistribution",
    "AudienceGraph",
    "Direction",
    "ReadersDistribution",
    "amplification",
    "ego_facebook",
    "expected_readers",
    "expected_readers_on_graph",
    "mean_offspring",
    "past_one_step_share",
    "reshare_chance",
    "reshare_rate",
    "simulate_audience_sizes",
    "simulate_cascades",
    "wiki_vote",
]
