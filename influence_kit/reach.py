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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .accounting import derived_quantities, evaluate, person_impressions
from .audience.readers import ReadersDistribution
from .concentration.measures import top_share
from .errors import ParameterError
from .formatting import format_percent, format_quantity
from .results import (
    Conclusion,
    KeyFigures,
    Result,
    check_alpha,
    interval_frame,
    key_figures,
    to_jsonable,
)
from .scenarios import Scenario
from .segments import published_headline
from .sensitivity import monte_carlo
from .validation import SeedLike, child_seeds

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "HeadlineSurvival",
    "ReadersComparison",
    "compare_readers",
    "default_reshare",
    "default_visibility",
    "derived_scenario",
    "headline_survival",
    "readers_on_shipped_graphs",
]


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
    return float(-np.expm1(np.log(p0) / readers)) + 0.0  # p0 = 1 gives 0, not -0


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
    readers of its own; network impressions are those the scenario uses (derived by
    its audience model when it derives them). The total it is compared with is the
    scenario's stated one: stated readers per post and, for a scenario that derives
    them, its stated network impressions too.

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
    stated = float(scenario.readers_per_post.base)

    def totals_at(readers: np.ndarray) -> np.ndarray:
        out = evaluate(scenario, {"readers_per_post": np.asarray(readers, dtype=float)})
        return np.asarray(out["total_impressions"], dtype=float)

    with_derived = totals_at(np.array([distribution.mean_readers]))[0]
    as_stated = {name: np.array([float(getattr(scenario, name).base)]) for name in scenario.derived}
    as_stated["readers_per_post"] = np.array([stated])
    with_stated = np.asarray(evaluate(scenario, as_stated)["total_impressions"], dtype=float)[0]
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


def readers_on_shipped_graphs(
    scenario: Scenario,
    *,
    posts: int | None = None,
    seed: SeedLike = None,
    n_jobs: int | None = None,
) -> dict[str, ReadersComparison]:
    """Derived readers per post on each shipped audience, compared with the scenario.

    Runs the independent-cascade simulation on the ego-Facebook friendships and the
    wiki-Vote attention graph, and the configuration-model simulation on the
    ego-Facebook friend counts, each with the scenario's visibility and the reshare
    probability of :func:`default_reshare`.

    Returns
    -------
    dict of str to ReadersComparison
        Keyed by a label of the audience.
    """
    from .audience import ego_facebook, simulate_audience_sizes, simulate_cascades, wiki_vote

    visibility = default_visibility(scenario)
    seeds = child_seeds(seed, 3)
    out: dict[str, ReadersComparison] = {}
    graphs = (ego_facebook(), wiki_vote())
    for graph, child in zip(graphs, seeds, strict=False):
        mean_audience = graph.n_links / graph.n_nodes
        reshare = default_reshare(scenario, mean_audience, visibility)
        dist = simulate_cascades(
            graph,
            visibility=visibility,
            reshare=reshare,
            posts=posts,
            seed=child,
            n_jobs=n_jobs,
            progress=False,
        )
        out[graph.name] = compare_readers(scenario, dist)
    sizes = graphs[0].audience_sizes()
    reshare = default_reshare(scenario, float(sizes.mean()), visibility)
    dist = simulate_audience_sizes(
        sizes,
        visibility=visibility,
        reshare=reshare,
        posts=posts,
        seed=seeds[2],
        n_jobs=n_jobs,
        progress=False,
        name="ego-Facebook friend counts",
    )
    out[dist.source] = compare_readers(scenario, dist)
    return out


def derived_scenario(scenario: Scenario) -> Scenario:
    """The scenario with readers per post and network impressions derived by its model."""
    _model(scenario)
    return scenario.with_overrides(
        {"audience_model.derive": ["readers_per_post", "network_impressions"]}
    )


@dataclass(frozen=True, eq=False)
class HeadlineSurvival(Result):
    """How far the headline survives readers per post derived from evidence.

    Attributes
    ----------
    scenario_name
        The scenario.
    claim, influencers_share, claimed_share
        The published total and concentration claim ("16% make 80%"; see
        :func:`influence_kit.segments.published_headline`).
    table
        One row per way of setting readers per post (stated; the closed-form audience
        model; each simulated audience; the model deriving network impressions too):
        readers per post, network impressions, the total, the total over the claim, and
        the share of impressions made by the top ``influencers_share`` of people.
    monte_carlo_interval
        5th and 95th percentiles of the total with both figures derived, over the
        audience model's input distributions.
    probability_of_claim
        Monte Carlo probability that that total reaches the claim.
    samples
        The Monte Carlo draws of that total (behind :meth:`conf_int`; ``None`` if the
        result was made without them).
    """

    scenario_name: str
    claim: float | None
    influencers_share: float
    claimed_share: float
    table: pd.DataFrame
    monte_carlo_interval: tuple[float, float]
    probability_of_claim: float | None
    samples: np.ndarray | None = field(default=None, repr=False)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Monte Carlo interval covering ``1 - alpha`` of the total with both figures derived.

        Parameters
        ----------
        alpha
            One minus the coverage, in (0, 1).

        Returns
        -------
        pandas.DataFrame
            One row, ``total_all_derived``, with columns ``lower`` and ``upper``: the
            ``alpha / 2`` and ``1 - alpha / 2`` quantiles of :attr:`samples`, the total
            drawn over the audience model's input distributions.
            ``conf_int(0.10)`` is :attr:`monte_carlo_interval`. The point estimate is the
            table's total at the inputs' base values (row ``audience model, network
            derived too``), not the draws' mean or median, so it need not be centred in
            the interval.

        Raises
        ------
        ParameterError
            If the result holds no Monte Carlo draws, or ``alpha`` is not strictly
            between 0 and 1.
        """
        if self.samples is None or not len(self.samples):
            raise ParameterError(
                "no interval: this headline survival holds no Monte Carlo draws; "
                "recompute it with headline_survival(draws=...)"
            )
        a = check_alpha(alpha)
        lower, upper = np.quantile(self.samples, [a / 2, 1 - a / 2])
        return interval_frame(["total_all_derived"], [lower], [upper])

    def summary(self) -> pd.DataFrame:
        """The comparison table."""
        return self.table

    def key_figures(self) -> KeyFigures:
        """Stated and derived readers per post and the totals they give."""
        t = self.table
        derived = t.loc["audience model (closed form)"]
        both = t.loc["audience model, network derived too"]
        lo, hi = self.monte_carlo_interval
        rows: list[tuple[str, str, Any, str]] = [
            (
                "stated_readers",
                "readers per post (stated)",
                t.iloc[0]["readers_per_post"],
                "readers",
            ),
            (
                "derived_readers",
                "readers per post (derived)",
                derived["readers_per_post"],
                "readers",
            ),
            (
                "total_with_derived_readers",
                "total, derived readers",
                derived["total"],
                "impressions",
            ),
            (
                "total_all_derived",
                "total, all derived (base case)",
                both["total"],
                "impressions",
            ),
            ("p5_all_derived", "5th percentile, all derived (Monte Carlo)", lo, "impressions"),
            ("p95_all_derived", "95th percentile, all derived (Monte Carlo)", hi, "impressions"),
            ("top_share_derived", "top group's share, derived", derived["top_share"], "share"),
        ]
        if self.probability_of_claim is not None:
            rows.append(
                (
                    "p_claim",
                    "chance the total reaches the claim",
                    self.probability_of_claim,
                    "share",
                )
            )
        return key_figures(*rows)

    def conclusion(self) -> Conclusion:
        """What the evidence says of the headline, in three plain sentences, and its figures.

        Readers per post derived against stated; whether the total survives derived readers
        (with the Monte Carlo interval and chance); whether the concentration claim moves.
        """
        t = self.table
        stated = t.iloc[0]
        derived = t.loc["audience model (closed form)"]
        both = t.loc["audience model, network derived too"]
        sims = t[t.index.str.startswith("simulated on")]
        lo_sim, hi_sim = sims["readers_per_post"].min(), sims["readers_per_post"].max()
        derived_readers = derived["readers_per_post"]
        stated_readers = stated["readers_per_post"]
        parts = [
            "Audience evidence puts readers per post at "
            f"{format_quantity(derived_readers, 'readers')} (audience model) and "
            f"{format_quantity(lo_sim, 'readers')} to {format_quantity(hi_sim, 'readers')} on "
            f"the real graphs, against the {format_quantity(stated_readers, 'readers')} stated: "
            f"{format_quantity(derived_readers / stated_readers, 'share')} of it."
        ]
        if self.claim is not None:
            verdict = "survives" if both["total"] >= self.claim else "does not survive"
            chance = (
                f", reached in {format_quantity(self.probability_of_claim, 'share')} of Monte "
                "Carlo draws"
                if self.probability_of_claim is not None
                else ""
            )
            parts.append(
                "With derived readers the total is "
                f"{format_quantity(derived['total'], 'impressions')}, and counting only the "
                "network impressions people actually see as well, "
                f"{format_quantity(both['total'], 'impressions')} (90% of draws between "
                f"{format_quantity(self.monte_carlo_interval[0], 'impressions')} and "
                f"{format_quantity(self.monte_carlo_interval[1], 'impressions')}): the "
                f"{format_quantity(self.claim, 'impressions')} headline {verdict}{chance}."
            )
        change = derived["top_share"] - stated["top_share"]
        lead = (
            "Concentration barely depends on readers per post: the top"
            if abs(change) < 0.05
            else "Concentration moves with readers per post: the top"
        )
        parts.append(
            f"{lead} {format_percent(self.influencers_share, 1)} make "
            f"{format_percent(stated['top_share'])} of impressions with stated readers and "
            f"{format_percent(derived['top_share'])} with derived ones "
            f"({format_percent(change, 1, signed=True)} points), against the "
            f"{format_percent(self.claimed_share)} claimed."
        )
        return Conclusion(tuple(parts), tuple(f.key for f in self.key_figures())[:8])


def headline_survival(
    scenario: Scenario,
    comparisons: dict[str, ReadersComparison],
    people: pd.DataFrame,
    *,
    draws: int = 20_000,
    seed: SeedLike = None,
) -> HeadlineSurvival:
    """Recompute the total and the concentration claim with derived readers per post.

    Parameters
    ----------
    scenario
        A scenario with an audience model.
    comparisons
        Simulated audiences (:func:`readers_on_shipped_graphs`).
    people
        A person table calibrated to the scenario (:func:`influence_kit.population.load_panel`)
        for the concentration claim.
    draws, seed
        Monte Carlo draws over the audience model's inputs, and their seed.
    """
    _model(scenario)
    stated = float(scenario.readers_per_post.base)
    derivable = derived_quantities(scenario)
    closed = float(derivable["readers_per_post"].base)
    p, claimed_share = published_headline(scenario)
    weights = people["weight"].to_numpy(dtype=float) if "weight" in people else None
    seen = float(derivable["seen_share"].base)
    network = float(scenario.network_impressions.base)

    person_network = people["network_impressions"].to_numpy(dtype=float)
    person_network_total = float(
        person_network.sum() if weights is None else (person_network * weights).sum()
    )

    def row(readers: float, network_scale: float = 1.0) -> dict[str, float]:
        person = person_impressions(people, scenario, readers_per_post=readers)
        # the people's network impressions, rescaled to the stated (or seen) total
        scale = network * network_scale / person_network_total if person_network_total else 0.0
        total_each = person["network_impressions"] * scale + person["post_impressions"]
        values = evaluate(scenario, {"readers_per_post": np.array(readers)})
        posts = float(values["post_impressions"])
        net = network * network_scale
        total = net + posts
        return {
            "readers_per_post": readers,
            "network_impressions": net,
            "total": total,
            "share_of_claim": total / claim if claim else float("nan"),
            "top_share": float(top_share(total_each.to_numpy(), p, weights=weights)[0]),
        }

    claim = scenario.headline.total_impressions_claim if scenario.headline else None
    rows = {"stated": row(stated), "audience model (closed form)": row(closed)}
    for label, comparison in comparisons.items():
        rows[f"simulated on {label}"] = row(comparison.derived_readers)
    rows["audience model, network derived too"] = row(closed, seen)
    import pandas as pd

    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "readers per post"
    both = derived_scenario(scenario)
    mc = monte_carlo(both, draws=draws, seed=seed)
    samples = np.asarray(mc.samples, dtype=float)
    interval = (float(np.quantile(samples, 0.05)), float(np.quantile(samples, 0.95)))
    probability = None if claim is None else float(np.mean(samples >= claim))
    return HeadlineSurvival(
        scenario_name=scenario.name,
        claim=claim,
        influencers_share=p,
        claimed_share=claimed_share,
        table=table,
        monte_carlo_interval=interval,
        probability_of_claim=probability,
        samples=samples,
    )
