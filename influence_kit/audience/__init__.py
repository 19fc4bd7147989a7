"""Readers per post from how audiences behave, instead of an assumed number.

* :mod:`~influence_kit.audience.branching`: the closed form (audience x visibility x a
  branching reshare layer pinned by the cascade evidence), vectorised for sensitivity
  work; scenarios use it to derive readers per post;
* :mod:`~influence_kit.audience.graph`: audience graphs (who sees whose posts), from
  files, arrays, networkx or the shipped ego-Facebook and wiki-Vote graphs;
* :mod:`~influence_kit.audience.cascade`: seeded independent-cascade simulations on a
  graph or on a table of audience sizes, returning a
  :class:`~influence_kit.audience.readers.ReadersDistribution`.
"""

from .branching import (
    amplification,
    expected_readers,
    mean_offspring,
    past_one_step_share,
    reshare_rate,
)
from .cascade import simulate_audience_sizes, simulate_cascades
from .graph import AudienceGraph, Direction, ego_facebook, wiki_vote
from .readers import ReadersDistribution

__all__ = [
    "AudienceGraph",
    "Direction",
    "ReadersDistribution",
    "amplification",
    "ego_facebook",
    "expected_readers",
    "mean_offspring",
    "past_one_step_share",
    "reshare_rate",
    "simulate_audience_sizes",
    "simulate_cascades",
    "wiki_vote",
]
