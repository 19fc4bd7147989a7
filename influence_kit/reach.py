"""Derived readers per post set beside the assumed figure, and the headline each gives.

:func:`compare_readers` takes a readers-per-post distribution simulated on a graph or a
table of audience sizes (:mod:`influence_kit.audience`) and a scenario, and recomputes
the scenario's total with the derived mean (and its interval) in place of the stated
readers per post. :func:`default_reshare` gives the reshare probability that, on a given
audience, leaves the scenario's share of posts never reshared, so the cascade evidence
calibrates the simulation as it does the closed form.

Examples
--------
>>> from influence_kit.audience import ego_facebook, simulate_cascades
>>> from influence_kit.scenarios import load_scenario
>>> scenario = load_scenario("forrester-us-2009")
>>> graph = ego_facebook()
>>> r = simulate_cascades(graph, visibility=0.35, reshare=0.0, seed=1)
>>> comparison = compare_readers(scenario, r)
>>> comparison.stated_readers
150.0
>>> comparison.total_with_derived < comparison.total_with_stated
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .accounting import evaluate
from .audience.readers import ReadersDistribution
from .errors import ParameterError
from .results import KeyFigures, Result, check_alpha, interval_frame, key_figures, to_jsonable
from .scenarios import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ReadersComparison", "compare_readers", "default_reshare", "default_visibility"]


def _model(scenario: Scenario) -> Any:
    if scenario.audience_model is None:
        raise ParameterError(
            f"{scenario.name}: the scenario has no audience_model section to take "
            "visibility and the cascade evidence from"
        )
    return scenario.audience_model


def default_visibility(scenario: Scenario) -> float:
    """The visibility of the scenario's audience model (base value)."""
    return float(_model(scenario).visibility.base)


def default_reshare(scenario: Scenario, mean_audience: float, visibility: float) -> float:
    """Reshare probability per reader that leaves the scenario's share of posts unshared.

    With ``n = visibility * mean_audience`` direct readers each resharing with
    probability ``r``, a post is never reshared with probability ``(1 - r) ** n``; this
    returns the ``r`` that makes it the audience model's ``no_spread_share``.
    """
    p0 = float(_model(scenario).no_spread_share.base)
    readers = float(visibility) * float(mean_audience)
    if readers <= 0:
        return 0.0
    return float(-np.expm1(np.log(p0) / readers))


@dataclass(frozen=True, eq=False)
class ReadersComparison(Result):
    """Derived readers per post beside the stated figure, and the total each gives.

    Attributes
    ----------
    scenario_name
        The scenario recomputed.
    distribution
        The simulated readers per post.
    stated_readers
        Readers per post as the scenario file states them (Forrester: 150).
    total_with_stated, total_with_derived
        The scenario's total impressions with the stated and the derived readers per post.
    claim
        The published headline total, if the scenario states one.
    """

    scenario_name: str
    distribution: ReadersDistribution
    stated_readers: float
    total_with_stated: float
    total_with_derived: float
    claim: float | None
    _totals_at: Any = None  # callable: readers -> total (not part of the data)

    @property
    def derived_readers(self) -> float:
        """Mean readers per post of the simulated posts."""
        return self.distribution.mean_readers

    @property
    def ratio(self) -> float:
        """Derived over stated readers per post."""
        return self.derived_readers / self.stated_readers if self.stated_readers else float("nan")

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Intervals of the derived mean readers and of the total it gives (simulation error)."""
        alpha = check_alpha(alpha)
        ci = self.distribution.conf_int(alpha).loc["mean_readers"]
        lo, hi = float(ci["lower"]), float(ci["upper"])
        totals = self._totals_at(np.array([lo, hi]))
        return interval_frame(
            ["derived_readers", "total_with_derived"], [lo, totals[0]], [hi, totals[1]]
        )

    def summary(self) -> pd.DataFrame:
        """Stated and derived readers per post and totals, with intervals."""
        import pandas as pd

        ci = self.conf_int()
        rows = {
            "stated_readers": (self.stated_readers, np.nan, np.nan),
            "derived_readers": (self.derived_readers, *ci.loc["derived_readers"]),
            "total_with_stated": (self.total_with_stated, np.nan, np.nan),
            "total_with_derived": (self.total_with_derived, *ci.loc["total_with_derived"]),
        }
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "lower", "upper"])
        frame.index.name = "quantity"
        return frame

    def key_figures(self) -> KeyFigures:
        """Stated and derived readers per post and the two totals."""
        return key_figures(
            ("stated_readers", "readers per post (stated)", self.stated_readers, "readers"),
            ("derived_readers", "readers per post (derived)", self.derived_readers, "readers"),
            ("total_with_stated", "total, stated", self.total_with_stated, "impressions"),
            ("total_with_derived", "total, derived", self.total_with_derived, "impressions"),
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The comparison, its intervals and the distribution's summary."""
        ci = self.conf_int()
        return to_jsonable(
            {
                "scenario_name": self.scenario_name,
                "stated_readers": self.stated_readers,
                "derived_readers": self.derived_readers,
                "ratio": self.ratio,
                "total_with_stated": self.total_with_stated,
                "total_with_derived": self.total_with_derived,
                "claim": self.claim,
                "conf_int": {
                    "alpha": 0.05,
                    "intervals": {
                        str(k): {"lower": r["lower"], "upper": r["upper"]} for k, r in ci.iterrows()
                    },
                },
                "distribution": self.distribution.to_dict(),
            }
        )


def compare_readers(scenario: Scenario, distribution: ReadersDistribution) -> ReadersComparison:
    """Recompute a scenario's total with the derived readers per post.

    The derived mean replaces the readers per post of every post type that has no
    readers of its own; network impressions are the scenario's.

    Parameters
    ----------
    scenario
        The scenario to recompute (its stated readers per post are kept for comparison).
    distribution
        Simulated readers per post (:func:`influence_kit.audience.simulate_cascades` or
        :func:`~influence_kit.audience.simulate_audience_sizes`).

    Returns
    -------
    ReadersComparison
    """
    stated = float(scenario.stated("readers_per_post").base)

    def totals_at(readers: np.ndarray) -> np.ndarray:
        out = evaluate(scenario, {"readers_per_post": np.asarray(readers, dtype=float)})
        return np.asarray(out["total_impressions"], dtype=float)

    with_stated, with_derived = totals_at(np.array([stated, distribution.mean_readers]))
    claim = scenario.headline.total_impressions_claim if scenario.headline else None
    return ReadersComparison(
        scenario_name=scenario.name,
        distribution=distribution,
        stated_readers=stated,
        total_with_stated=float(with_stated),
        total_with_derived=float(with_derived),
        claim=claim,
        _totals_at=totals_at,
    )
