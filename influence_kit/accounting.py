"""The influence-impression accounting model (Forrester's two channels).

Total influence impressions are the sum of two channels:

* **network impressions**: status updates in social networks times the poster's
  friends/followers, taken as a scenario input (256e9 per year for the US in 2009);
* **post impressions**: influence posts times readers per post,
  ``posts * sum_t share_t * readers_t`` over post types ``t`` (1.64e9 x 150 = 246e9).

For the shipped scenario the total is 256e9 + 1.64e9 x 150 = 502e9, 25.1% of the
2.0e12 online advertising impressions of 2009.

:func:`evaluate` computes the model's outputs for arrays of inputs (used by the
sensitivity analyses); :func:`account` computes the full decomposition of one
scenario and returns an :class:`ImpressionAccount`; :func:`person_impressions`
applies the same model to each person of a person table (the one place where
per-person impressions are computed: the synthetic population, the segments,
the explorer and the person-level sensitivity all call it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .audience.branching import amplification, expected_readers
from .audience.distribution import AudienceDistribution
from .errors import DataError, ParameterError, ScenarioError
from .formatting import format_quantity
from .results import Conclusion, KeyFigures, Result, key_figures
from .scenarios import Quantity, Scenario

if TYPE_CHECKING:
    import pandas as pd

#: Scalar inputs of the model, keyed as in :meth:`Scenario.quantities`.
MODEL_INPUTS: tuple[str, ...] = (
    "online_adults",
    "network_impressions",
    "influence_posts",
    "readers_per_post",
    "advertiser_impressions",
)

#: Outputs computed by :func:`evaluate`.
MODEL_OUTPUTS: tuple[str, ...] = (
    "total_impressions",
    "network_impressions",
    "post_impressions",
    "post_share_of_total",
    "share_of_advertiser_impressions",
    "impressions_per_online_adult",
)


#: Inputs of the audience model, keyed as in :meth:`Scenario.quantities`.
AUDIENCE_INPUTS: tuple[str, ...] = (
    "audience_model.audience",
    "audience_model.visibility",
    "audience_model.no_spread_share",
    "audience_model.resharer_audience_ratio",
)

#: Key of the stated network impressions (updates x friends) when they are derived.
POSSIBLE_NETWORK = "audience_model.possible_network_impressions"


def _derived_figures(
    audience: ArrayLike,
    visibility: ArrayLike,
    no_spread_share: ArrayLike,
    resharer_audience_ratio: ArrayLike,
    distribution: AudienceDistribution | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Readers per post and the share of possible network impressions seen.

    The one place the audience model's figures are computed (vectorised): readers per
    post are the expected readers of :func:`~influence_kit.audience.branching.expected_readers`
    (visibility x audience x amplification by reshares, over the scenario's audience
    distribution: ``None`` for equal audiences); the share seen is visibility x
    amplification, which turns the impressions possible (updates x friends) into the
    network impressions seen.
    """
    readers = expected_readers(
        audience, visibility, no_spread_share, resharer_audience_ratio, distribution=distribution
    )
    seen = np.asarray(visibility, dtype=float) * amplification(
        no_spread_share, resharer_audience_ratio, audience=audience, distribution=distribution
    )
    return np.asarray(readers, dtype=float), seen


def _range_quantity(values: np.ndarray, unit: str | None, note: str) -> Quantity:
    """A derived quantity from its (low, base, high) values."""
    return Quantity(
        base=float(values[1]),
        low=float(values[0]),
        high=float(values[2]),
        unit=unit,
        source="audience_model",
        note=f"derived: {note}",
    )


def derived_quantities(scenario: Scenario) -> dict[str, Quantity]:
    """What the scenario's audience model derives, with the range its inputs' ranges imply.

    Returns ``{"readers_per_post": ..., "network_impressions": ..., "seen_share": ...}``
    (empty without an audience model), whether or not the model's ``derive`` uses them:
    the low end takes every input at the corner giving the fewest readers (the *highest*
    share of posts nobody reshares), the high end the most. Network impressions are
    derived from the stated ones (impressions possible).

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> round(derived_quantities(load_scenario("audience-us-2009"))["readers_per_post"].base, 1)
    71.9
    """
    model = scenario.audience_model
    if model is None:
        return {}

    def corners(q: Quantity, reverse: bool = False) -> np.ndarray:
        low, high = q.range
        return np.array([high, q.base, low] if reverse else [low, q.base, high], dtype=float)

    readers, seen = _derived_figures(
        corners(model.audience),
        corners(model.visibility),
        corners(model.no_spread_share, reverse=True),
        corners(model.resharer_audience_ratio),
        model.distribution(),
    )
    stated_network = scenario.network_impressions
    return {
        "readers_per_post": _range_quantity(
            readers, "readers per post", "audience x visibility x amplification by reshares"
        ),
        "network_impressions": _range_quantity(
            corners(stated_network) * seen,
            stated_network.unit,
            "stated network impressions (updates x friends) x visibility x amplification "
            "by reshares",
        ),
        "seen_share": _range_quantity(
            seen,
            "share",
            "visibility x amplification by reshares (share of possible network impressions seen)",
        ),
    }


@dataclass(frozen=True)
class EffectiveInputs:
    """The inputs the model uses for one scenario: each stated, or derived by its audience model.

    Attributes
    ----------
    quantities
        Every input keyed as in :meth:`Scenario.quantities`, a derived figure in place of
        the stated one; when network impressions are derived, the stated figure (the
        impressions possible) is :data:`POSSIBLE_NETWORK`.
    derived
        The figures derived (``audience_model.derive``).
    stated
        Every figure the audience model can derive, as the file states it.
    derivable
        The audience model's figures (:func:`derived_quantities`), used or not.
    """

    quantities: dict[str, Quantity]
    derived: tuple[str, ...]
    stated: dict[str, Quantity]
    derivable: dict[str, Quantity]

    def __getitem__(self, key: str) -> Quantity:
        return self.quantities[key]

    @property
    def readers_per_post(self) -> Quantity:
        """Readers per post in use (stated, or derived)."""
        return self.quantities["readers_per_post"]

    @property
    def network_impressions(self) -> Quantity:
        """Network impressions in use (stated, or derived)."""
        return self.quantities["network_impressions"]

    def base_values(self) -> dict[str, float]:
        """Base value of every input in use."""
        return {key: float(q.base) for key, q in self.quantities.items()}


def effective_inputs(scenario: Scenario) -> EffectiveInputs:
    """Decide, once, which figures the model uses: those stated, or those derived.

    A scenario holds what its file states. When its audience model lists a figure in
    ``derive``, the model uses the derived figure (:func:`derived_quantities`) instead;
    every analysis (account, sweeps, tornado, Monte Carlo, Sobol, segments, explorer)
    reads its inputs from here.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> inputs = effective_inputs(load_scenario("audience-us-2009"))
    >>> inputs.derived, inputs.stated["readers_per_post"].base
    (('readers_per_post', 'network_impressions'), 150.0)
    >>> round(inputs.readers_per_post.base, 1)
    71.9
    """
    quantities = scenario.quantities()
    stated = {name: quantities[name] for name in ("readers_per_post", "network_impressions")}
    derivable = derived_quantities(scenario)
    derived = scenario.derived
    for name in derived:
        quantities[name] = derivable[name]
    if "network_impressions" in derived:
        quantities[POSSIBLE_NETWORK] = stated["network_impressions"]
    return EffectiveInputs(quantities, derived, stated, derivable)


def model_inputs(scenario: Scenario) -> tuple[str, ...]:
    """Every independent input that :func:`evaluate` responds to, for this scenario.

    These are :data:`MODEL_INPUTS` plus ``readers_per_post_by_type.<type>`` for
    each post type given its own readers per post. Shares only split the totals
    and do not change any output of :func:`evaluate`. When the scenario's audience
    model derives readers per post or network impressions, those are replaced by the
    model's inputs (:data:`AUDIENCE_INPUTS`, and :data:`POSSIBLE_NETWORK` for the
    stated network impressions), so Monte Carlo and Sobol analyses vary what the
    derived figures depend on.
    """
    derived = scenario.derived
    inputs = tuple(k for k in MODEL_INPUTS if k not in derived)
    if derived:
        inputs += AUDIENCE_INPUTS
    if "network_impressions" in derived:
        inputs += (POSSIBLE_NETWORK,)
    by_type = tuple(f"readers_per_post_by_type.{t}" for t in scenario.readers_per_post_by_type)
    return inputs + by_type


def overridable_inputs(scenario: Scenario) -> tuple[str, ...]:
    """:func:`model_inputs` plus any derived figure, which :func:`evaluate` also accepts.

    Given explicitly (a sweep of readers per post, say), a derived figure is used as
    given instead of being derived.
    """
    return model_inputs(scenario) + tuple(k for k in MODEL_INPUTS if k in scenario.derived)


def readers_weights(scenario: Scenario) -> tuple[float, dict[str, float]]:
    """Post-type weights of the effective readers per post.

    Returns ``(w_default, {type: share})`` such that the effective readers per
    post is ``w_default * readers_per_post + sum_t share_t * readers_t`` over the
    post types that have their own readers per post.
    """
    own = {t: scenario.post_type_shares[t].base for t in scenario.readers_per_post_by_type}
    w_default = sum(q.base for t, q in scenario.post_type_shares.items() if t not in own)
    return float(w_default), {t: float(s) for t, s in own.items()}


def readers_per_post_by_type(
    scenario: Scenario, readers_per_post: float | None = None
) -> dict[str, float]:
    """Readers per post of every post type of a scenario.

    Parameters
    ----------
    scenario
        Gives the post types, the readers per post of the types that have their
        own, and the readers per post of the others.
    readers_per_post
        Replaces the scenario's readers per post of the types without their own
        (``None``: the scenario's value).

    Returns
    -------
    dict of str to float
        ``{type: readers}`` in the order of ``scenario.post_type_shares``.
    """
    if readers_per_post is None:
        default = float(effective_inputs(scenario).readers_per_post.base)
    else:
        default = float(readers_per_post)
        if not (math.isfinite(default) and default >= 0):
            raise ParameterError(
                f"readers_per_post must be finite and >= 0, got {readers_per_post}"
            )
    return {
        t: float(scenario.readers_per_post_by_type[t].base)
        if t in scenario.readers_per_post_by_type
        else default
        for t in scenario.post_type_shares
    }


#: Columns of :func:`person_impressions`.
PERSON_IMPRESSIONS: tuple[str, ...] = (
    "network_impressions",
    "post_impressions",
    "total_impressions",
)


def person_impressions(
    people: pd.DataFrame, scenario: Scenario, *, readers_per_post: float | None = None
) -> pd.DataFrame:
    """Network, post and total impressions of each person of a person table.

    The accounting model applied person by person: network impressions are the
    table's ``network_impressions``; post impressions are the person's posts of
    each type times that type's readers per post
    (:func:`readers_per_post_by_type`) when the table has one column per post
    type of the scenario, else ``influence_posts`` times the scenario's
    effective (share-weighted) readers per post; total impressions are their
    sum. Summed with the person weights over a population whose channel totals
    and post-type mix are the scenario's, the columns give the
    ``network_impressions``, ``post_impressions`` and ``total_impressions`` of
    :func:`account`.

    Parameters
    ----------
    people
        Person table with ``network_impressions`` and ``influence_posts``
        columns and, optionally, one column per post type (e.g. ``reviews``).
    scenario
        Gives the post types, their shares and their readers per post.
    readers_per_post
        Replaces the scenario's readers per post of the types without their own
        (``None``: the scenario's value).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PERSON_IMPRESSIONS`, indexed like ``people``.

    Raises
    ------
    DataError
        If a needed column is missing.
    """
    import pandas as pd  # here, not at the top: `influence-kit account` runs without pandas

    missing = [c for c in ("network_impressions", "influence_posts") if c not in people.columns]
    if missing:
        raise DataError(f"person table: missing column {missing[0]!r}")
    readers = readers_per_post_by_type(scenario, readers_per_post)
    network = people["network_impressions"].to_numpy(dtype=float)
    if all(t in people.columns for t in readers):
        posts = np.zeros(len(people))
        for t, r in readers.items():
            posts = posts + people[t].to_numpy(dtype=float) * r
    else:
        effective = sum(scenario.post_type_shares[t].base * r for t, r in readers.items())
        posts = people["influence_posts"].to_numpy(dtype=float) * effective
    return pd.DataFrame(
        {
            "network_impressions": network,
            "post_impressions": posts,
            "total_impressions": network + posts,
        },
        index=people.index,
    )


def evaluate(
    scenario: Scenario, values: Mapping[str, ArrayLike] | None = None
) -> dict[str, np.ndarray]:
    """Evaluate the model's outputs, vectorised over any inputs given as arrays.

    Parameters
    ----------
    scenario
        Supplies the base value of every input not given in ``values``.
    values
        Input values keyed as in :func:`overridable_inputs` (for example
        ``{"readers_per_post": np.linspace(50, 1000, 100)}``); arrays broadcast
        against each other.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per name in :data:`MODEL_OUTPUTS`.
    """
    values = dict(values or {})
    allowed = set(overridable_inputs(scenario))
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ParameterError(
            f"unknown model input {unknown[0]!r}; the inputs are {', '.join(sorted(allowed))}"
        )
    inputs = effective_inputs(scenario)
    base = inputs.base_values()

    def get(key: str) -> np.ndarray:
        return np.asarray(values.get(key, base[key]), dtype=float)

    derived = inputs.derived
    default = get("readers_per_post")
    network = get("network_impressions")
    if derived and any(k in values for k in (*AUDIENCE_INPUTS, POSSIBLE_NETWORK)):
        audience, visibility, no_spread, ratio = (get(k) for k in AUDIENCE_INPUTS)
        model = scenario.audience_model
        assert model is not None  # derived figures need an audience model
        readers, seen = _derived_figures(
            audience, visibility, no_spread, ratio, model.distribution()
        )
        if "readers_per_post" in derived and "readers_per_post" not in values:
            default = readers
        if "network_impressions" in derived and "network_impressions" not in values:
            network = get(POSSIBLE_NETWORK) * seen
    w_default, own = readers_weights(scenario)
    readers = w_default * default
    for t, share in own.items():
        readers = readers + share * get(f"readers_per_post_by_type.{t}")
    posts = get("influence_posts") * readers
    total = network + posts
    network, posts = np.broadcast_arrays(network, posts)
    with np.errstate(divide="ignore", invalid="ignore"):
        post_share = np.where(total > 0, posts / np.where(total > 0, total, 1.0), np.nan)
    return {
        "total_impressions": total,
        "network_impressions": network.copy(),
        "post_impressions": posts.copy(),
        "post_share_of_total": post_share,
        "share_of_advertiser_impressions": total / get("advertiser_impressions"),
        "impressions_per_online_adult": total / get("online_adults"),
    }


@dataclass(frozen=True)
class ImpressionAccount(Result):
    """The decomposition of influence impressions for one scenario.

    Attributes
    ----------
    scenario_name
        ``meta.name`` of the scenario.
    total_impressions
        Network plus post impressions per year.
    network_impressions, post_impressions
        The two channels.
    by_network, by_post_type
        Each channel split by its composition.
    influence_posts, readers_per_post
        Posts per year and the effective (share-weighted) readers per post.
    advertiser_impressions, share_of_advertiser_impressions
        Online ad impressions and the total as a fraction of them.
    online_adults, impressions_per_online_adult
        Population and the total per online adult.
    dominant_channel
        ``"network"`` or ``"posts"``, whichever is larger (``"tie"`` if equal).
    claim
        The published headline total, if the scenario states one.
    stated_readers_per_post
        The readers per post the scenario file states (Forrester's assumed 150).
    derived_readers_per_post
        The readers per post its audience model derives (``None`` without one), used by
        the account only when the model's ``derive`` lists it.
    notes
        Notes recorded while loading the scenario.
    overrides, scenario_digest
        The overrides the scenario was made with and its digest
        (:meth:`~influence_kit.scenarios.Scenario.digest`): what exactly was computed.
    """

    scenario_name: str
    total_impressions: float
    network_impressions: float
    post_impressions: float
    by_network: dict[str, float]
    by_post_type: dict[str, float]
    influence_posts: float
    readers_per_post: float
    readers_per_post_by_type: dict[str, float]
    advertiser_impressions: float
    share_of_advertiser_impressions: float
    online_adults: float
    impressions_per_online_adult: float
    dominant_channel: str
    claim: float | None = None
    stated_readers_per_post: float | None = None
    derived_readers_per_post: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    overrides: dict[str, Any] = field(default_factory=dict)
    scenario_digest: str = ""

    @property
    def post_share_of_total(self) -> float:
        """Post impressions as a fraction of the total."""
        return self.post_impressions / self.total_impressions if self.total_impressions else 0.0

    @property
    def meets_claim(self) -> bool | None:
        """Whether the total reaches the published headline (None without one)."""
        return None if self.claim is None else bool(self.total_impressions >= self.claim)

    def to_dict(self) -> dict[str, Any]:
        """JSON data: every field plus the post share and the claim check."""
        out = super().to_dict()
        out["post_share_of_total"] = self.post_share_of_total
        out["meets_claim"] = self.meets_claim
        return out

    def summary(self) -> pd.DataFrame:
        """Impressions by channel and component, with shares of the total.

        Columns: ``channel``, ``component``, ``impressions``, ``share_of_total``.
        """
        import pandas as pd

        rows: list[tuple[str, str, float]] = []
        for name, value in self.by_network.items():
            rows.append(("network", name, value))
        rows.append(("network", "all networks", self.network_impressions))
        for name, value in self.by_post_type.items():
            rows.append(("posts", name, value))
        rows.append(("posts", "all post types", self.post_impressions))
        rows.append(("total", "influence impressions", self.total_impressions))
        rows.append(("reference", "advertiser impressions", self.advertiser_impressions))
        frame = pd.DataFrame(rows, columns=["channel", "component", "impressions"])
        frame["share_of_total"] = frame["impressions"] / self.total_impressions
        return frame

    def describe(self) -> str:
        """A plain-language paragraph (Markdown) stating how the total is built.

        Its figures read as in :meth:`key_figures` (:func:`format_quantity` by unit).

        Examples
        --------
        >>> from influence_kit.scenarios import load_scenario
        >>> print(account(load_scenario("forrester-us-2009")).describe())  # doctest: +ELLIPSIS
        **502 billion** influence impressions a year = 256 billion in social networks + ...
        """
        claim = ""
        if self.claim is not None:
            verdict = "reaches" if self.meets_claim else "falls short of"
            claim = (
                f" This {verdict} the published claim of "
                f"{format_quantity(self.claim, 'impressions')}."
            )
        lead = "network updates" if self.dominant_channel == "network" else "influence posts"
        larger_share = max(self.post_share_of_total, 1 - self.post_share_of_total)
        total = format_quantity(self.total_impressions, "impressions")
        network = format_quantity(self.network_impressions, "impressions")
        posts = format_quantity(self.influence_posts, "posts")
        readers = format_quantity(self.readers_per_post, "readers")
        post_impressions = format_quantity(self.post_impressions, "impressions")
        share = format_quantity(self.share_of_advertiser_impressions, "share")
        advertiser = format_quantity(self.advertiser_impressions, "impressions")
        per_adult = format_quantity(self.impressions_per_online_adult, "impressions")
        return (
            f"**{total}** influence impressions a year = {network} in social networks + "
            f"{posts} influence posts x {readers} readers per post (= {post_impressions}). "
            f"That is {share} of the {advertiser} online advertising impressions and "
            f"{per_adult} impressions per online adult; {lead} are the larger channel "
            f"({format_quantity(larger_share, 'share')} of the total).{claim}"
        )

    def conclusion(self, place: str = "") -> Conclusion:
        """What the account concludes, in three or four sentences, and its lead figures.

        Parameters
        ----------
        place
            The scenario's region and year in words (``"US, 2009"``; see
            :func:`influence_kit.wording.scenario_place`), named in the first sentence.

        Examples
        --------
        >>> from influence_kit.scenarios import load_scenario
        >>> said = account(load_scenario("forrester-us-2009")).conclusion("US, 2009")
        >>> said.sentences[0][:70]
        'Online adults in US, 2009 create 502 billion influence impressions a y'
        >>> said.sentences[1]
        'That reaches the published claim of 500 billion (within 1% of it).'
        """
        who = f"Online adults in {place}" if place else "Online adults"
        total = format_quantity(self.total_impressions, "impressions")
        sentences = [
            f"{who} create {total} influence impressions a year: "
            f"{format_quantity(self.network_impressions, 'impressions')} from social-network "
            f"updates and {format_quantity(self.post_impressions, 'impressions')} from "
            f"{format_quantity(self.influence_posts, 'posts')} influence posts at "
            f"{format_quantity(self.readers_per_post, 'readers')} readers each."
        ]
        if self.claim is None:
            sentences.append("The scenario publishes no total of its own to compare with.")
        else:
            gap = self.total_impressions - self.claim
            verdict = "reaches" if self.meets_claim else "falls short of"
            side = "above" if gap > 0 else "below"
            how_far = (
                "within 1% of it"
                if abs(gap) < 0.01 * self.claim
                else f"{format_quantity(abs(gap), 'impressions')} {side} it"
            )
            sentences.append(
                f"That {verdict} the published claim of "
                f"{format_quantity(self.claim, 'impressions')} ({how_far})."
            )
        post_share = format_quantity(self.post_share_of_total, "share")
        derived = self.derived_readers_per_post
        if derived is not None and self.readers_per_post == derived:
            stated = format_quantity(self.stated_readers_per_post, "readers")
            readers_sentence = (
                f"Post impressions, {post_share} of the total, use readers per post derived "
                f"from audience evidence, not the {stated} stated"
            )
        else:
            readers_sentence = (
                f"Post impressions, {post_share} of the total, rest on an assumed number of "
                "readers per post and move one-for-one with it"
            )
            if derived is not None:
                readers_sentence += (
                    f"; audience evidence gives {format_quantity(derived, 'readers')} readers "
                    "per post instead"
                )
        sentences.append(readers_sentence + ".")
        sentences.append(
            f"The total equals {format_quantity(self.share_of_advertiser_impressions, 'share')} "
            f"of the {format_quantity(self.advertiser_impressions, 'impressions')} online "
            f"advertising impressions, or "
            f"{format_quantity(self.impressions_per_online_adult, 'impressions')} per online "
            "adult."
        )
        keys = [
            "total_impressions",
            "network_impressions",
            "post_impressions",
            "readers_per_post",
        ]
        if self.derived_readers_per_post is not None:
            keys.append("derived_readers_per_post")
        keys.append("share_of_advertiser_impressions")
        if self.claim is not None:
            keys += ["claim", "meets_claim"]
        return Conclusion(tuple(sentences), tuple(keys))

    def _readers_figures(self) -> list[tuple[str, str, float, str]]:
        """Stated and derived readers per post, side by side, when a model derives one."""
        if self.derived_readers_per_post is None or self.stated_readers_per_post is None:
            return []
        return [
            (
                "stated_readers_per_post",
                "readers per post (stated)",
                self.stated_readers_per_post,
                "readers",
            ),
            (
                "derived_readers_per_post",
                "readers per post (derived from audience evidence)",
                self.derived_readers_per_post,
                "readers",
            ),
        ]

    def key_figures(self) -> KeyFigures:
        """The headline figures, with readable labels and units."""
        return key_figures(
            ("scenario", "scenario", self.scenario_name, "text", "input"),
            (
                "total_impressions",
                "total influence impressions per year",
                self.total_impressions,
                "impressions",
            ),
            (
                "network_impressions",
                "network impressions per year",
                self.network_impressions,
                "impressions",
            ),
            ("post_impressions", "post impressions per year", self.post_impressions, "impressions"),
            ("influence_posts", "influence posts per year", self.influence_posts, "posts"),
            ("readers_per_post", "readers per post (effective)", self.readers_per_post, "readers"),
            *self._readers_figures(),
            (
                "share_of_advertiser_impressions",
                "share of advertiser impressions",
                self.share_of_advertiser_impressions,
                "share",
            ),
            (
                "impressions_per_online_adult",
                "impressions per online adult",
                self.impressions_per_online_adult,
                "impressions",
            ),
            ("post_share_of_total", "post share of total", self.post_share_of_total, "share"),
            ("dominant_channel", "larger channel", self.dominant_channel, "text", "verdict"),
            *self._claim_figures(),
        )

    def _claim_figures(self) -> list[tuple[str, str, Any, str, str]]:
        """The published claim and whether the total reaches it (when there is one)."""
        if self.claim is None:
            return []
        return [
            ("claim", "published claim", self.claim, "impressions", "published"),
            ("meets_claim", "total reaches the claim", self.meets_claim, "text", "verdict"),
        ]


def account(scenario: Scenario) -> ImpressionAccount:
    """Compute the impression decomposition of a scenario.

    Parameters
    ----------
    scenario
        A validated scenario (see :func:`influence_kit.scenarios.load_scenario`).

    Returns
    -------
    ImpressionAccount

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> acc = account(load_scenario("forrester-us-2009"))
    >>> round(acc.total_impressions / 1e9, 1)
    502.0
    """
    with np.errstate(over="ignore"):
        out = {k: float(v) for k, v in evaluate(scenario).items()}
    overflowed = sorted(k for k, v in out.items() if math.isinf(v))
    if overflowed:
        raise ScenarioError(
            f"{scenario.name}: {', '.join(overflowed)} overflow(s) a float (inputs too large "
            "to multiply); use smaller values"
        )
    network = out["network_impressions"]
    posts_total = scenario.influence_posts.base
    inputs = effective_inputs(scenario)
    rpp = inputs.readers_per_post.base
    by_type_readers = readers_per_post_by_type(scenario)
    by_network = {n: network * q.base for n, q in scenario.network_shares.items()}
    by_post_type = {
        t: posts_total * q.base * by_type_readers[t] for t, q in scenario.post_type_shares.items()
    }
    post_impr = out["post_impressions"]
    if post_impr > network:
        dominant = "posts"
    elif post_impr < network:
        dominant = "network"
    else:
        dominant = "tie"
    claim = scenario.headline.total_impressions_claim if scenario.headline else None
    return ImpressionAccount(
        scenario_name=scenario.name,
        total_impressions=out["total_impressions"],
        network_impressions=network,
        post_impressions=post_impr,
        by_network=by_network,
        by_post_type=by_post_type,
        influence_posts=float(posts_total),
        readers_per_post=post_impr / posts_total if posts_total else float(rpp),
        readers_per_post_by_type=by_type_readers,
        advertiser_impressions=float(scenario.advertiser_impressions.base),
        share_of_advertiser_impressions=out["share_of_advertiser_impressions"],
        online_adults=float(scenario.online_adults.base),
        impressions_per_online_adult=out["impressions_per_online_adult"],
        dominant_channel=dominant,
        claim=claim,
        stated_readers_per_post=float(inputs.stated["readers_per_post"].base),
        derived_readers_per_post=float(inputs.derivable["readers_per_post"].base)
        if inputs.derivable
        else None,
        notes=scenario.notes,
        overrides=dict(scenario.overrides),
        scenario_digest=scenario.digest(),
    )
