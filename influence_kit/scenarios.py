"""Scenario files: every assumption of the accounting model, explicit and validated.

A scenario is a YAML file (see ``data/scenarios/forrester-us-2009.yaml``). Every
numeric input is a *quantity*: a ``base`` value with a ``low``/``high`` range and
an optional ``distribution`` for sensitivity work, plus its unit and source.
A bare number is accepted as shorthand for a quantity whose range is the single
point ``base``.

Validation is strict: unknown keys, strings where numbers are expected (PyYAML
reads ``256e9`` as a string), negative counts, shares outside [0, 1] and ranges
that do not contain their base value are refused with a message naming the
key. Compositions (network shares, post-type shares) must sum to 1 within
:data:`SHARE_TOLERANCE`, which admits published rounding (Forrester's network
shares sum to 0.99, its post-type shares to 1.01); they are then renormalised
and a note is recorded in :attr:`Scenario.notes`.

Overrides use dotted keys: ``readers_per_post=300`` sets the base value of a
quantity, ``readers_per_post.high=2000`` one of its fields,
``network_shares.facebook=0.5`` one share. A dotted key that does not name a
field is an error.

**The range rule.** Setting only the base of a quantity (``key=v`` or
``key.base=v``) moves its range with it, keeping the relative spread: the new
``low`` and ``high`` keep the old ``low/base`` and ``high/base`` ratios (a share's
moved range is clipped to [0, 1]). If the old or the new base is 0, the range
collapses to the new base and a distribution that needs a spread becomes
``fixed``. Distribution parameters in the quantity's own units (a normal's
``sd``) scale by the same ratio; relative ones (a lognormal's ``sigma``, a PERT's
``lamb``) are kept. A ``low``, ``high`` or distribution field set in the same
override set wins over the moved value, and ``low <= base <= high`` is then
validated as for a file. So ``network_impressions=0`` removes the channel from
the base case, the sweeps, the tornado and the Monte Carlo alike, and
``readers_per_post=300`` turns the range 50..1000 around 150 into 100..2000.
The rule is applied in one place, :func:`move_range`.

**Plausible bounds.** :data:`PLAUSIBLE_BOUNDS` states, for each input, the values a
person typing into the explorer could plausibly mean (readers per post up to a million,
a share between 0 and 1); :func:`check_plausible` refuses a typed value outside them.
Scenario files and overrides are not held to these bounds: a scenario may explore
extremes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .audience.branching import mean_offspring, past_one_step_unchecked
from .audience.distribution import AudienceDistribution, lognormal_sigma
from .errors import InfluenceKitError, ParameterError, ScenarioError
from .formatting import Unit, format_quantity, format_value
from .package_data import resource, resource_path
from .validation import check_input_file, path_kind

logger = logging.getLogger(__name__)

#: Largest absolute deviation of a composition's sum from 1 that is treated as
#: published rounding (and renormalised) rather than an error.
SHARE_TOLERANCE = 0.02

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)

Number = float


class Distribution(BaseModel):
    """A probability distribution for Monte Carlo and global sensitivity work.

    Parameters not given are taken from the owning quantity: ``uniform`` spans
    ``low``..``high``; ``triangular`` and ``pert`` use ``low``/``base``/``high``
    (mode = base); ``lognormal`` has median ``base`` and, unless ``sigma`` is
    given, puts ``low`` and ``high`` at its 5th and 95th percentiles (geometric
    mean of the two implied sigmas); ``normal`` has mean ``base`` and, unless
    ``sd`` is given, ``(high - low) / (2 * 1.645)``.
    """

    model_config = _STRICT

    kind: Literal["uniform", "triangular", "pert", "lognormal", "normal", "fixed"]
    sigma: Annotated[float, Field(gt=0)] | None = None
    sd: Annotated[float, Field(gt=0)] | None = None
    lamb: Annotated[float, Field(gt=0)] = 4.0
    note: str | None = None


#: The largest magnitude a scenario number may have (impressions are about 1e12).
MAX_MAGNITUDE = 1e100


class Quantity(BaseModel):
    """A numeric input: base value, plausible range, distribution and provenance."""

    model_config = _STRICT

    base: Number
    low: Number | None = None
    high: Number | None = None
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    distribution: Distribution | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            try:
                value = float(data)
            except OverflowError:  # an integer beyond the largest float
                raise ValueError("a number too large to represent (above 1.8e308)") from None
            return {"base": value, "low": value, "high": value}
        if isinstance(data, Mapping) and "base" in data:
            # an absent end of the range is the base (filled here: the model is frozen)
            return {"low": data["base"], "high": data["base"], **data}
        return data

    @model_validator(mode="after")
    def _check_range(self) -> Quantity:
        for name in ("base", "low", "high"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value}")
            if value is not None and abs(value) > MAX_MAGNITUDE:
                # squares and products of such inputs overflow a float in the models
                raise ValueError(
                    f"{name} ({format_value(value)}) is beyond {format_value(MAX_MAGNITUDE)}; "
                    "no count, share or rate of this model comes near"
                )
        low = self.base if self.low is None else self.low
        high = self.base if self.high is None else self.high
        if low > high:
            raise ValueError(
                f"low ({format_value(low)}) is greater than high ({format_value(high)})"
            )
        if not low <= self.base <= high:
            raise ValueError(
                f"base ({format_value(self.base)}) lies outside its range "
                f"[{format_value(low)}, {format_value(high)}]"
            )
        dist = self.distribution
        if dist is not None:
            if dist.kind in ("uniform", "triangular", "pert") and not low < high:
                raise ValueError(f"a {dist.kind} distribution needs low < high")
            if dist.kind == "lognormal":
                if self.base <= 0:
                    raise ValueError("a lognormal distribution needs base > 0")
                if dist.sigma is None and not (0 < low < self.base < high):
                    raise ValueError(
                        "a lognormal distribution without sigma needs 0 < low < base < high"
                    )
            if dist.kind == "normal" and dist.sd is None and not low < high:
                raise ValueError("a normal distribution without sd needs low < high")
        return self

    @property
    def range(self) -> tuple[float, float]:
        """The ``(low, high)`` range (equal to ``(base, base)`` for a fixed input)."""
        low, high = self.low, self.high
        assert low is not None and high is not None  # filled in by _check_range
        return (float(low), float(high))


@dataclass(frozen=True)
class Plausible:
    """The values a person could plausibly mean for one input of a scenario.

    Attributes
    ----------
    low, high
        The plausible range, both ends included.
    unit
        The input's unit (:data:`influence_kit.formatting.UNITS`): how the bounds are
        written (:func:`~influence_kit.formatting.format_quantity`) and how the text a
        person types is read (:func:`influence_kit.parsing.parse_quantity`).
    reason
        Why the bounds lie where they do, in one line.
    """

    low: float
    high: float
    unit: Unit
    reason: str


#: What a person typing into the explorer could plausibly mean, by scenario key (dotted,
#: as ``--set`` spells it). ``network_shares.*``, ``post_type_shares.*`` and
#: ``readers_per_post_by_type.*`` stand for every network, post type or type of post
#: (:func:`plausible_bounds` resolves them). The bounds are wide: they catch a slip of the
#: keyboard (``1e99`` readers per post, a share of 25 meant as 25%), not a bold
#: assumption. **Scenario files are not held to them**: a scenario may explore extremes,
#: and loading one (or applying ``--set`` overrides) checks only what the model needs
#: (:class:`Quantity`, :class:`Scenario`); these bounds are for :func:`check_plausible`,
#: which the explorer's fields call.
PLAUSIBLE_BOUNDS: dict[str, Plausible] = {
    "online_adults": Plausible(
        0.0, 1e10, "people", "more than everyone alive (8 billion) is a slip of the keyboard"
    ),
    "network_impressions": Plausible(
        0.0, 1e15, "impressions", "a thousand trillion a year: over 100,000 for each person alive"
    ),
    "network_shares.*": Plausible(0.0, 1.0, "share", "a network's share of the impressions"),
    "influence_posts": Plausible(
        0.0, 1e13, "posts", "ten trillion posts a year: over 1,000 for each person alive"
    ),
    "post_type_shares.*": Plausible(0.0, 1.0, "share", "a post type's share of the posts"),
    "readers_per_post": Plausible(
        0.0, 1e6, "readers", "an average post read by over a million people is a slip"
    ),
    "readers_per_post_by_type.*": Plausible(
        0.0, 1e6, "readers", "as readers_per_post: a million readers on average is a slip"
    ),
    "advertiser_impressions": Plausible(
        0.0, 1e15, "impressions", "a thousand trillion ads a year: over 100,000 per person"
    ),
    "audience_model.audience": Plausible(
        0.0, 1e6, "people", "friends per person: networks cap friends at a few thousand"
    ),
    "audience_model.visibility": Plausible(
        0.0, 1.0, "share", "the share of an audience who see a post"
    ),
    "audience_model.no_spread_share": Plausible(
        0.0, 1.0, "share", "the share of posts nobody reshares"
    ),
    "audience_model.past_one_step_share": Plausible(
        0.0, 1.0, "share", "the share of cascades past one step"
    ),
    "segments.mass_connectors_share": Plausible(0.0, 1.0, "share", "a share of online adults"),
    "segments.mass_mavens_share": Plausible(0.0, 1.0, "share", "a share of online adults"),
    "segments.overlap_share": Plausible(0.0, 1.0, "share", "a share of online adults"),
    "segments.concentration_share": Plausible(
        0.0, 1.0, "share", "a share of the impressions or posts"
    ),
    "segments.connectors_mean_friends": Plausible(
        0.0, 1e6, "people", "friends per person, as audience_model.audience"
    ),
}

#: The families of keys one entry of :data:`PLAUSIBLE_BOUNDS` stands for.
_PLAUSIBLE_FAMILIES = ("network_shares", "post_type_shares", "readers_per_post_by_type")


def plausible(key: str) -> Plausible | None:
    """The :class:`Plausible` entry for a scenario ``key``, or ``None`` if it has none.

    ``key`` is dotted as ``--set`` spells it. ``network_shares.<network>``,
    ``post_type_shares.<post type>`` and ``readers_per_post_by_type.<post type>`` resolve
    to their family's entry, whatever the name; a quantity's ``.base``, ``.low`` or
    ``.high`` to the quantity's. Other keys (a distribution's parameters, the notes, a
    key no scenario has) have none.

    Examples
    --------
    >>> plausible("network_shares.facebook").unit
    'share'
    >>> plausible("readers_per_post.high") == plausible("readers_per_post")
    True
    >>> plausible("meta.title") is None
    True
    """
    parts = str(key).strip().split(".")
    names_a_category = len(parts) == 2 and parts[0] in _PLAUSIBLE_FAMILIES
    if len(parts) > 1 and parts[-1] in ("base", "low", "high") and not names_a_category:
        parts = parts[:-1]
    if len(parts) == 2 and parts[0] in _PLAUSIBLE_FAMILIES and parts[1]:
        parts = [parts[0], "*"]
    return PLAUSIBLE_BOUNDS.get(".".join(parts))


def plausible_bounds(key: str) -> tuple[float, float] | None:
    """The ``(low, high)`` a person could plausibly mean for ``key``, or ``None``.

    Keys resolve as in :func:`plausible`: ``readers_per_post_by_type.<anything>`` has the
    bounds of ``readers_per_post_by_type.*`` in :data:`PLAUSIBLE_BOUNDS`.

    Examples
    --------
    >>> plausible_bounds("readers_per_post_by_type.reviews")
    (0.0, 1000000.0)
    >>> plausible_bounds("post_type_shares.anything")
    (0.0, 1.0)
    >>> plausible_bounds("no_such_key") is None
    True
    """
    entry = plausible(key)
    return None if entry is None else (entry.low, entry.high)


def check_plausible(key: str, value: float, label: str | None = None) -> float:
    """``value`` for the scenario ``key`` if a person could plausibly mean it.

    For what a person types into the explorer, not for scenario files: loading a scenario
    never applies these bounds (see :data:`PLAUSIBLE_BOUNDS`). A key with no stated bounds
    (:func:`plausible_bounds` gives ``None``) takes any finite value.

    Parameters
    ----------
    key : str
        The scenario key, dotted as ``--set`` spells it.
    value : float
        The value (a share as a fraction), as :func:`influence_kit.parsing.parse_quantity`
        read it.
    label : str, optional
        The field's name in the message; the key, with spaces for its underscores and
        dots, by default.

    Returns
    -------
    float
        ``value``, unchanged.

    Raises
    ------
    ParameterError
        One line naming the field, the plausible bounds (in the field's unit) and the
        value, if the value is not finite or lies outside the bounds.

    Examples
    --------
    >>> check_plausible("network_impressions", 256e9)
    256000000000.0
    >>> for key, typed in [("readers_per_post", 1e99), ("network_shares.facebook", 25)]:
    ...     try:
    ...         check_plausible(key, typed)
    ...     except ParameterError as err:
    ...         print(err)
    readers per post must lie between 0 and 1 million, got 1e+99
    network shares facebook must lie between 0% and 100%, got 25 (2,500%)
    """
    name = label if label is not None else str(key).replace("_", " ").replace(".", " ")
    number = float(value)
    if not math.isfinite(number):
        raise ParameterError(f"{name} must be a finite number, got {format_value(number)}")
    entry = plausible(key)
    if entry is None or entry.low <= number <= entry.high:
        return number
    shown = format_value(number)
    if entry.unit == "share":
        shown = f"{shown} ({format_quantity(number, 'share')})"
    raise ParameterError(
        f"{name} must lie between {format_quantity(entry.low, entry.unit)} and "
        f"{format_quantity(entry.high, entry.unit)}, got {shown}"
    )


def _check_nonnegative(name: str, q: Quantity, *, positive: bool = False) -> None:
    bound = q.low if q.low is not None else q.base
    if positive and bound <= 0:
        raise ValueError(f"{name} must be positive, got {format_value(bound)}")
    if bound < 0:
        raise ValueError(f"{name} must not be negative, got {format_value(bound)}")


def _check_fraction(name: str, q: Quantity) -> None:
    low, high = q.range
    if low < 0 or high > 1:
        raise ValueError(
            f"{name} must lie in [0, 1], got base {format_value(q.base)} range "
            f"[{format_value(low)}, {format_value(high)}]"
        )
    kind = q.distribution.kind if q.distribution is not None else None
    if kind in _UNBOUNDED_KINDS:
        raise ValueError(
            f"{name} is a share, but a {kind} distribution draws values above 1; "
            "use uniform, triangular or pert"
        )


#: Distributions with no upper bound (a share drawn from one could exceed 1).
_UNBOUNDED_KINDS = ("lognormal", "normal")


class Meta(BaseModel):
    """Descriptive information about a scenario."""

    model_config = _STRICT

    name: str
    title: str
    region: str
    year: Annotated[int, Field(ge=1, le=9999)]
    description: str | None = None
    #: One sentence saying what the scenario is (shown in the report site's index).
    summary: str | None = None


class Segments(BaseModel):
    """Published segment figures (shares of online adults and their audience)."""

    model_config = _STRICT

    mass_connectors_share: Quantity
    mass_mavens_share: Quantity | None = None
    overlap_share: Quantity | None = None
    concentration_share: Quantity
    connectors_mean_friends: Quantity | None = None

    @model_validator(mode="after")
    def _check(self) -> Segments:
        for name in (
            "mass_connectors_share",
            "mass_mavens_share",
            "overlap_share",
            "concentration_share",
        ):
            q = getattr(self, name)
            if q is not None:
                _check_fraction(f"segments.{name}", q)
        if self.connectors_mean_friends is not None:
            _check_nonnegative("segments.connectors_mean_friends", self.connectors_mean_friends)
        if self.overlap_share is not None:
            smaller = min(
                self.mass_connectors_share.base,
                self.mass_mavens_share.base if self.mass_mavens_share else 1.0,
            )
            if self.overlap_share.base > smaller:
                raise ValueError(
                    f"segments.overlap_share ({format_value(self.overlap_share.base)}) exceeds "
                    f"the smaller segment ({format_value(smaller)})"
                )
        return self

    @property
    def mass_influencers_share(self) -> float | None:
        """Share of adults in either segment (union), if both segments are given."""
        if self.mass_mavens_share is None or self.overlap_share is None:
            return None
        return (
            self.mass_connectors_share.base + self.mass_mavens_share.base - self.overlap_share.base
        )


#: What the audience model can derive instead of taking the scenario's stated figure.
Derivable = Literal["readers_per_post", "network_impressions"]


class AudienceSpread(BaseModel):
    """How unequal the authors' audiences are (the shape; the mean is ``audience``).

    ``kind: equal`` gives every author the same audience and every resharer the author's
    (the original closed form). ``kind: lognormal`` takes the spread from the published
    mean over median (Facebook 2011: mean about 191, median 99 friends), and resharers,
    reached along friendships, have the size-biased audiences of the friendship paradox
    less the friendship they came by (``resharers: size_biased``) or the authors' law
    (``resharers: as_authors``: one-way links with independent in- and out-degrees).
    See :mod:`influence_kit.audience.distribution`.
    """

    model_config = _STRICT

    kind: Literal["equal", "lognormal"]
    mean_over_median: Annotated[float, Field(ge=1)] | None = None
    resharers: Literal["size_biased", "as_authors"] = "size_biased"
    unit: str | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> AudienceSpread:
        if self.kind == "lognormal" and self.mean_over_median is None:
            raise ValueError(
                "audience_model.audience_distribution: a lognormal needs mean_over_median"
            )
        if self.kind == "equal" and self.mean_over_median not in (None, 1.0):
            raise ValueError(
                "audience_model.audience_distribution: equal audiences have mean_over_median 1"
            )
        return self

    def distribution(self) -> AudienceDistribution:
        """The :class:`~influence_kit.audience.distribution.AudienceDistribution` it states."""
        if self.kind == "equal":
            return AudienceDistribution.point()
        assert self.mean_over_median is not None
        return AudienceDistribution.lognormal(
            lognormal_sigma(self.mean_over_median),
            size_biased=self.resharers == "size_biased",
        )


class AudienceModel(BaseModel):
    """Readers per post (and network impressions) from how audiences behave.

    The closed form of :mod:`influence_kit.audience.branching`: a post reaches
    ``visibility`` x ``audience`` readers directly, and reshares (pinned by the share of
    posts nobody reshares, ``no_spread_share``) multiply that by the *amplification*.
    ``audience_distribution`` states how unequal audiences are (absent: equal audiences,
    the original form); ``resharer_audience_ratio`` scales a resharer's new audience
    over what that distribution gives. ``past_one_step_share`` is the cascade evidence
    the no-spread share must agree with: on load, the share of cascades past one step
    that the model implies at both ends of ``no_spread_share`` must lie in its range.
    ``derive`` lists what the model replaces: ``readers_per_post`` becomes the expected
    readers of a post; ``network_impressions`` becomes the stated figure (the survey's
    updates x friends, i.e. impressions *possible*) x visibility x amplification. This
    class holds the inputs; the figures are computed, once, by
    :func:`influence_kit.accounting.derived_quantities`, and
    :func:`influence_kit.accounting.effective_inputs` decides which the model uses. With
    ``derive: []`` the model is only compared, never used.
    """

    model_config = _STRICT

    derive: list[Derivable] = Field(default_factory=list)
    audience: Quantity
    visibility: Quantity
    no_spread_share: Quantity
    resharer_audience_ratio: Quantity = Quantity(base=1.0)
    audience_distribution: AudienceSpread | None = None
    past_one_step_share: Quantity | None = None

    @model_validator(mode="after")
    def _check(self) -> AudienceModel:
        if len(set(self.derive)) != len(self.derive):
            raise ValueError(f"audience_model.derive lists a name twice: {self.derive}")
        _check_nonnegative("audience_model.audience", self.audience)
        _check_fraction("audience_model.visibility", self.visibility)
        _check_fraction("audience_model.no_spread_share", self.no_spread_share)
        if self.no_spread_share.range[0] <= 0:
            raise ValueError("audience_model.no_spread_share must be above 0")
        _check_nonnegative("audience_model.resharer_audience_ratio", self.resharer_audience_ratio)
        try:  # the worst corner of the ranges must keep the reshare process subcritical
            mean_offspring(
                self.no_spread_share.range[0],
                self.resharer_audience_ratio.range[1],
                audience=self.audience.range[1],
                distribution=self.distribution(),
            )
        except InfluenceKitError as err:
            # the error's location (audience_model) is prefixed by _format_validation_error
            raise ValueError(str(err)) from None
        if self.past_one_step_share is not None:
            _check_fraction("audience_model.past_one_step_share", self.past_one_step_share)
        return self

    def distribution(self) -> AudienceDistribution | None:
        """The audience distribution of the closed form (``None``: equal audiences)."""
        spread = self.audience_distribution
        return None if spread is None else spread.distribution()

    def implied_past_one_step(self, no_spread_share: float) -> float:
        """Share of cascades past one step the model implies at ``no_spread_share`` (the
        other inputs at their base values)."""
        return float(
            past_one_step_unchecked(
                no_spread_share,
                self.resharer_audience_ratio.base,
                audience=self.audience.base,
                distribution=self.distribution(),
            )
        )

    def evidence_contradiction(self) -> str | None:
        """What contradicts the cascade evidence, or ``None``: a no-spread range whose
        implied share past one step leaves ``past_one_step_share``.

        The implied share falls as the no-spread share rises, so the ends of the range
        map to the ends of the implied range.
        """
        evidence = self.past_one_step_share
        if evidence is None:
            return None
        low, high = self.no_spread_share.range
        implied = (self.implied_past_one_step(high), self.implied_past_one_step(low))
        ev_low, ev_high = evidence.range
        slack = 1e-9
        if implied[0] >= ev_low - slack and implied[1] <= ev_high + slack:
            return None
        agree = [self._no_spread_at(ev_high), self._no_spread_at(ev_low)]
        where = f" ({evidence.source})" if evidence.source else ""
        hint = (
            f"; under this audience model the evidence needs a no-spread share of "
            f"{format_value(agree[0], 3)}-{format_value(agree[1], 3)}"
            if all(math.isfinite(a) for a in agree)
            else ""
        )
        return (
            f"audience_model.no_spread_share {format_value(low)}-{format_value(high)} implies "
            f"{format_value(implied[0], 3)}-{format_value(implied[1], 3)} of cascades past one "
            f"step, outside the past_one_step_share range {format_value(ev_low)}-"
            f"{format_value(ev_high)}{where}: the two ranges contradict each other{hint}"
        )

    def _no_spread_at(self, past: float) -> float:
        """The no-spread share at which the implied share past one step is ``past``
        (bisection; NaN when no share in (0, 1] gives it)."""
        lo, hi = 1e-6, 1.0
        if not (0.0 < past < 1.0) or self.implied_past_one_step(lo) < past:
            return float("nan")
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if self.implied_past_one_step(mid) > past:
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    def quantities(self) -> dict[str, Quantity]:
        """The model's inputs, keyed by field name (the evidence range is not an input)."""
        return {
            name: getattr(self, name)
            for name in ("audience", "visibility", "no_spread_share", "resharer_audience_ratio")
        }


class Headline(BaseModel):
    """The published headline claims the scenario is meant to reproduce."""

    model_config = _STRICT

    total_impressions_claim: Annotated[Number, Field(ge=0)] | None = None
    influencers_share: Annotated[Number, Field(ge=0, le=1)] | None = None
    impressions_share: Annotated[Number, Field(ge=0, le=1)] | None = None
    source: str | None = None


def _quantities(shares: Mapping[Any, Any]) -> dict[str, Quantity] | None:
    """``shares`` as validated quantities, or ``None`` when one is invalid (the field's
    own validation then names it, with its key)."""
    if not all(isinstance(name, str) for name in shares):
        return None
    try:
        return {name: Quantity.model_validate(q) for name, q in shares.items()}
    except (ValidationError, TypeError):
        return None


def _normalise_shares(
    field: str, shares: Mapping[str, Quantity], notes: list[str]
) -> dict[str, Quantity]:
    if not shares:
        raise ValueError(f"{field} must name at least one category")
    for name, q in shares.items():
        _check_fraction(f"{field}.{name}", q)
    total = math.fsum(q.base for q in shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE + 1e-9:
        raise ValueError(
            f"{field} sum to {format_value(total, 4)}; they must sum to 1 (within "
            f"{SHARE_TOLERANCE} for published rounding)"
        )
    if abs(total - 1.0) <= 1e-12:  # already normalised (a variant's shares, say)
        return dict(shares)
    notes.append(
        f"the {field.replace('_', ' ')} summed to {format_value(total, 4)} (published "
        "rounding) and were "
        "renormalised to sum to 1"
    )
    return {
        name: q.model_copy(
            update={"base": q.base / total, "low": q.range[0] / total, "high": q.range[1] / total}
        )
        for name, q in shares.items()
    }


class Scenario(BaseModel):
    """Every input of the influence-impression accounting model.

    Attributes
    ----------
    online_adults
        Number of online adults in the population.
    network_impressions
        Influence impressions per year in social networks (updates x audience).
    network_shares
        Composition of network impressions by network (sums to 1).
    influence_posts
        Influence posts per year (reviews, forum posts, blog comments, blog posts).
    post_type_shares
        Composition of influence posts by type (sums to 1).
    readers_per_post
        Average readers of one influence post as the file states it (Forrester's
        assumption: 150). When the audience model derives it, the model uses the derived
        figure instead (:func:`influence_kit.accounting.effective_inputs`).
    readers_per_post_by_type
        Optional readers per post for each post type; missing types use
        ``readers_per_post``.
    audience_model
        Optional :class:`AudienceModel` deriving readers per post (and network
        impressions) from audience evidence, or only compared with the stated figures.
    advertiser_impressions
        Online advertising impressions per year, for comparison.
    notes
        Normalisations and adjustments made while loading.
    overrides
        The overrides this scenario was made with, applied to the file named by
        ``meta.name`` (empty for the file itself; see :meth:`with_overrides`).
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    meta: Meta
    online_adults: Quantity
    network_impressions: Quantity
    network_shares: dict[str, Quantity]
    influence_posts: Quantity
    post_type_shares: dict[str, Quantity]
    readers_per_post: Quantity
    readers_per_post_by_type: dict[str, Quantity] = Field(default_factory=dict)
    advertiser_impressions: Quantity
    audience_model: AudienceModel | None = None
    segments: Segments | None = None
    headline: Headline | None = None
    sources: dict[str, str] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()
    overrides: dict[str, Any] = Field(default_factory=dict)

    @field_validator(
        "online_adults",
        "network_impressions",
        "influence_posts",
        "readers_per_post",
        "advertiser_impressions",
    )
    @classmethod
    def _nonnegative(cls, q: Quantity, info: Any) -> Quantity:
        _check_nonnegative(info.field_name, q, positive=info.field_name == "online_adults")
        return q

    @field_validator("notes", mode="before")
    @classmethod
    def _notes_list(cls, notes: Any) -> Any:
        # to_dict() writes the notes as a JSON list; they load back as the tuple
        return tuple(notes) if isinstance(notes, list) else notes

    @field_validator("advertiser_impressions")
    @classmethod
    def _positive_ads(cls, q: Quantity) -> Quantity:
        if q.range[0] <= 0:
            raise ValueError(
                f"advertiser_impressions must be positive, got {format_value(q.range[0])}"
            )
        return q

    @model_validator(mode="before")
    @classmethod
    def _compositions(cls, data: Any) -> Any:
        """Normalise the compositions before the model is built (a frozen model is never
        changed after): shares that sum to 1 within :data:`SHARE_TOLERANCE` are
        renormalised, with a note."""
        if not isinstance(data, Mapping):
            return data
        out = dict(data)
        notes = list(out.get("notes") or ())
        for field in ("network_shares", "post_type_shares"):
            shares = out.get(field)
            quantities = _quantities(shares) if isinstance(shares, Mapping) else None
            if quantities is not None:
                out[field] = _normalise_shares(field, quantities, notes)
        out["notes"] = tuple(dict.fromkeys(notes))
        return out

    @model_validator(mode="after")
    def _audience_evidence(self) -> Scenario:
        """Refuse an audience model whose no-spread range contradicts the cascade evidence.

        A scenario file is refused. A variant whose overrides set the audience model's
        inputs departs from the evidence on purpose (no reshares at all, say): it loads,
        and the contradiction is recorded in :attr:`notes`.
        """
        model = self.audience_model
        problem = None if model is None else model.evidence_contradiction()
        if problem is None:
            return self
        if not any(key.startswith("audience_model.") for key in self.overrides):
            raise ValueError(problem)
        note = f"set by overrides: {problem}"
        if note not in self.notes:
            # the model is frozen; the note is part of what the variant holds
            object.__setattr__(self, "notes", (*self.notes, note))
        return self

    @model_validator(mode="after")
    def _readers_by_type(self) -> Scenario:
        for name, q in self.readers_per_post_by_type.items():
            if name not in self.post_type_shares:
                raise ValueError(
                    f"readers_per_post_by_type.{name} is not one of the post types "
                    f"{sorted(self.post_type_shares)}"
                )
            _check_nonnegative(f"readers_per_post_by_type.{name}", q)
        return self

    @property
    def derived(self) -> tuple[str, ...]:
        """Figures this scenario's audience model derives (``audience_model.derive``).

        The scenario holds only what its file states; which figure the model uses, the
        stated or the derived one, is decided once, by
        :func:`influence_kit.accounting.effective_inputs`.
        """
        return tuple(self.audience_model.derive) if self.audience_model is not None else ()

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> Scenario:
        """This scenario with dotted-key ``overrides`` applied: a validated variant.

        The one override path: the command line, the renderer, the explorer, its widgets
        and the notebooks all call it (text is parsed before, by
        :mod:`influence_kit.parsing`). Setting a quantity's base moves its range by the
        range rule (:func:`move_range`); a figure the audience model derives may only be
        set by the same override set that takes it out of ``audience_model.derive``. The
        overrides are recorded in :attr:`overrides` (merged with any applied before), so a
        variant written out with :meth:`to_dict` loads back as the same scenario.

        Parameters
        ----------
        overrides
            ``{"readers_per_post": 300, "network_shares.facebook": 0.6}``; values are
            numbers, booleans, lists or strings, never text to be parsed.

        Raises
        ------
        ParameterError
            If ``overrides`` is not a mapping with string keys.
        ScenarioError
            If a key names no field, or the result fails validation.

        Examples
        --------
        >>> s = load_scenario("forrester-us-2009").with_overrides({"readers_per_post": 300})
        >>> s.readers_per_post.base, s.readers_per_post.range, s.overrides
        (300.0, (100.0, 2000.0), {'readers_per_post': 300.0})
        """
        checked = check_overrides(overrides)
        if not checked:
            return self
        data = apply_overrides(self.to_dict(), checked, origin=self.name)
        data["overrides"] = {**self.overrides, **_recorded(checked)}
        return scenario_from_dict(data, origin=f"{self.name} with overrides")

    def digest(self) -> str:
        """A SHA-256 digest of the resolved scenario (equal digests: identical inputs)."""
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def name(self) -> str:
        """Short name of the scenario (``meta.name``)."""
        return self.meta.name

    def quantities(self) -> dict[str, Quantity]:
        """Every numeric input as a flat mapping of dotted key -> quantity."""
        out: dict[str, Quantity] = {}
        for key in (
            "online_adults",
            "network_impressions",
            "influence_posts",
            "readers_per_post",
            "advertiser_impressions",
        ):
            out[key] = getattr(self, key)
        for group in ("network_shares", "post_type_shares", "readers_per_post_by_type"):
            for name, q in getattr(self, group).items():
                out[f"{group}.{name}"] = q
        if self.audience_model is not None:
            for name, q in self.audience_model.quantities().items():
                out[f"audience_model.{name}"] = q
        if self.segments is not None:
            for fname in type(self.segments).model_fields:
                q = getattr(self.segments, fname)
                if q is not None:
                    out[f"segments.{fname}"] = q
        return out

    def base_values(self) -> dict[str, float]:
        """Base value of every numeric input, keyed as in :meth:`quantities`."""
        return {k: float(q.base) for k, q in self.quantities().items()}

    def to_dict(self) -> dict[str, Any]:
        """The validated scenario as plain data (what would be written back to YAML).

        It loads back (:func:`scenario_from_dict`) as this very scenario: overrides
        recorded, compositions already normalised, notes kept.
        """
        data = self.model_dump(mode="json", exclude_none=True)
        if not data.get("overrides"):
            data.pop("overrides", None)
        return data


# ---------------------------------------------------------------------------
# Loading and overriding


def _format_validation_error(err: ValidationError, origin: str) -> str:
    first = err.errors()[0]
    parts = [str(p) for p in first["loc"] if p not in ("function-after",)]
    loc = ".".join(parts)
    if parts and not all(part.strip() for part in parts):  # a blank key would vanish
        loc = ".".join(repr(part) if not part.strip() else part for part in parts)
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if first["type"] == "extra_forbidden":
        msg = "unknown key"
    elif first["type"] == "missing":
        msg = "required key is missing"
    elif first["type"] in ("float_type", "int_type") and isinstance(first.get("input"), str):
        msg = (
            f"expected a number, got the string {first['input']!r} (write large numbers as "
            "256_000_000_000 or 2.56e+11)"
        )
    # a message that already starts with its location ("audience_model.visibility must
    # ...") is not prefixed with it again
    repeats = bool(loc) and msg.startswith((f"{loc}:", f"{loc}.", f"{loc} "))
    where = f"{loc}: " if loc and not repeats else ""
    extra = f" (and {len(err.errors()) - 1} more problems)" if len(err.errors()) > 1 else ""
    return f"{origin}: {where}{msg}{extra}"


#: Deepest nesting a scenario document may have (the schema needs four levels).
MAX_DEPTH = 12


def _check_document(data: Any, origin: str, path: str = "", depth: int = 0) -> None:
    """Refuse what no schema field can hold: non-finite numbers and absurd nesting.

    Every number in a scenario is a finite count, share, rate or parameter, so NaN and
    infinities are refused wherever they stand (one line naming the key).
    """
    if depth > MAX_DEPTH:
        raise ScenarioError(f"{origin}: {path or 'document'}: nested more than {MAX_DEPTH} deep")
    if isinstance(data, Mapping):
        for key, value in data.items():
            _check_document(value, origin, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            _check_document(value, origin, f"{path}[{i}]", depth + 1)
    elif isinstance(data, float) and not math.isfinite(data):
        raise ScenarioError(f"{origin}: {path}: must be a finite number, got {data}")


def scenario_from_dict(data: Mapping[str, Any], origin: str = "<scenario>") -> Scenario:
    """Validate a mapping as a :class:`Scenario`.

    Parameters
    ----------
    data
        The parsed YAML content.
    origin
        Where the data came from, used in error messages.

    Raises
    ------
    ScenarioError
        With a one-line message naming ``origin`` and the offending key.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{origin}: a scenario must be a mapping of keys to values")
    _check_document(data, origin)
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as err:
        raise ScenarioError(_format_validation_error(err, origin)) from None
    for note in scenario.notes:
        logger.info("%s: %s", origin, note)
    return scenario


def list_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package, sorted.

    Each name can be passed to :func:`load_scenario` in place of a path.

    Examples
    --------
    >>> "forrester-us-2009" in list_scenarios()
    True
    """
    folder = resource("data", "scenarios")
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and entry.is_file()
    )


def scenario_file(name_or_path: str | Path) -> Path:
    """The scenario file named by a path or by a shipped scenario's name.

    A path wins when the file exists; otherwise a name from :func:`list_scenarios`
    selects the shipped file.

    Raises
    ------
    ScenarioError
        If ``name_or_path`` is neither an existing file nor a shipped scenario name,
        or names something that is not a readable regular file (a folder, a FIFO,
        ``/dev/stdin``...; see :func:`~influence_kit.validation.check_input_file`).
    """
    path = Path(name_or_path)
    name = str(name_or_path)
    kind = path_kind(path)
    if kind == "regular file":
        return check_input_file(path, "scenario YAML file", error=ScenarioError)
    shipped = list_scenarios()
    if name in shipped:
        return resource_path("data", "scenarios", f"{name}.yaml")
    if kind is not None:  # a folder, a FIFO, /dev/stdin...: say what it is, never open it
        check_input_file(path, "scenario YAML file", error=ScenarioError)
    raise ScenarioError(
        f"{name}: scenario file not found and not a shipped scenario "
        f"(shipped: {', '.join(shipped)})"
    )


#: Most aliases (``*name``) a scenario file may use. A scenario needs few, if any; nested
#: aliases multiply (the "billion laughs": nine levels of ten aliases expand to 10**9
#: values) and whatever walks the expanded document would run for minutes.
MAX_ALIASES = 100

#: Most values (mappings, lists and scalars) a scenario may hold once its aliases are
#: expanded; the shipped scenarios hold about 320.
MAX_NODES = 10_000

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


class _RefusedYAML(yaml.constructor.ConstructorError):
    """YAML that parses but that a scenario refuses (too many aliases, YAML 1.1 octal or
    base-60 numbers); the message says why and what to write instead."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(None, None, problem, mark)


def _yaml11_number_problem(node: yaml.Node, key: Any = None) -> str | None:
    """Why a plain scalar read as a YAML 1.1 octal or base-60 number is refused, or ``None``.

    PyYAML follows YAML 1.1: ``0150`` is octal (104) and ``2:30`` base 60 (150), which
    nobody writing a scenario means. YAML 1.2 reads both differently, so neither is
    guessed: the user writes the number plainly.
    """
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (_INT_TAG, _FLOAT_TAG):
        return None
    if node.style is not None:  # quoted: a string, never a number
        return None
    text = str(node.value)
    body = text.replace("_", "").lstrip("+-")
    where = f"{key}: " if key is not None else ""
    if ":" in body:
        value = 0.0
        for part in body.split(":"):  # how YAML 1.1 reads it: 2:30 is 2 * 60 + 30
            value = value * 60 + float(part or 0)
        shown = -value if text.startswith("-") else value
        shown = int(shown) if shown.is_integer() else shown
        return (
            f"{where}{text!r} is a YAML 1.1 base-60 (sexagesimal) number, read as {shown}; "
            "write the number itself, or quote it if it is text"
        )
    if node.tag == _INT_TAG and len(body) > 1 and body[0] == "0" and body[1] not in "xXbB":
        octal = int(body, 8) * (-1 if text.startswith("-") else 1)
        return (
            f"{where}{text!r} is a YAML 1.1 octal number, read as {octal}; write it "
            f"without the leading zero ({text[:1] if text[:1] in '+-' else ''}"
            f"{body.lstrip('0') or '0'}), or "
            "quote it if it is text"
        )
    return None


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing what a scenario must not hold.

    A key written twice in one mapping (YAML says a key is unique; PyYAML would silently
    keep the last value); more than :data:`MAX_ALIASES` aliases or more than
    :data:`MAX_NODES` values once aliases are expanded (checked on the composed nodes,
    before anything is built, so a "billion laughs" file is refused at once); and YAML
    1.1 octal (``0150``) and base-60 (``2:30``) numbers
    (:func:`_yaml11_number_problem`).
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _RefusedYAML(
                    f"more than {MAX_ALIASES} aliases (*name); write the values out", mark
                )
        return super().compose_node(parent, index)

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _check_expanded_size(node)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
            problem = _yaml11_number_problem(value_node, key)
            if problem is not None:
                raise _RefusedYAML(problem, value_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        problem = _yaml11_number_problem(node)
        if problem is not None:
            raise _RefusedYAML(problem, node.start_mark)
        return int(super().construct_yaml_int(node))

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        problem = _yaml11_number_problem(node)
        if problem is not None:
            raise _RefusedYAML(problem, node.start_mark)
        return float(super().construct_yaml_float(node))


_UniqueKeyLoader.add_constructor(_INT_TAG, _UniqueKeyLoader.construct_yaml_int)
_UniqueKeyLoader.add_constructor(_FLOAT_TAG, _UniqueKeyLoader.construct_yaml_float)


def _check_expanded_size(root: yaml.Node) -> None:
    """Refuse a document of more than :data:`MAX_NODES` values with its aliases expanded,
    or one that contains itself; the count takes time linear in the file, never in the
    expansion (each node's expanded size is computed once)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        ident = id(node)
        if ident in sizes:
            return sizes[ident]
        if ident in open_nodes:
            raise _RefusedYAML("an alias refers to a value that contains it", node.start_mark)
        open_nodes.add(ident)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        open_nodes.discard(ident)
        if total > MAX_NODES:
            raise _RefusedYAML(
                f"more than {MAX_NODES} values once its aliases are expanded; a scenario "
                "holds a few hundred",
                node.start_mark,
            )
        sizes[ident] = total
        return total

    size(root)


def read_scenario_data(name_or_path: str | Path) -> dict[str, Any]:
    """Read a scenario (a YAML file or a shipped name) into a dictionary, without validating it.

    Raises
    ------
    ScenarioError
        The file is not YAML, or holds what a scenario refuses (see
        :class:`_UniqueKeyLoader`): one line naming the file, the line and the fix.
    """
    p = scenario_file(name_or_path)
    try:
        # _UniqueKeyLoader is a SafeLoader: no tags, no code.
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except RecursionError:
        raise ScenarioError(f"{p}: nested too deeply to be a scenario") from None
    except _RefusedYAML as err:
        mark = err.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ScenarioError(f"{p}: {where}{err.problem}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{p}: not valid YAML{where}: {getattr(err, 'problem', err)}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{p}: not a UTF-8 text file") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{p}: a scenario must be a mapping of keys to values")
    return data


def check_overrides(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """``overrides`` as a plain dict of dotted key to value, checked for its shape only.

    The library takes typed overrides; ``KEY=VALUE`` text is parsed by
    :func:`influence_kit.parsing.parse_overrides` (what the command line and the explorer's
    fields call) before it gets here.

    Raises
    ------
    ParameterError
        If ``overrides`` is not a mapping, or a key is not a non-empty string.
    """
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        hint = (
            "; parse KEY=VALUE text with influence_kit.parsing.parse_overrides"
            if isinstance(overrides, (list, tuple))
            and overrides
            and all(isinstance(item, str) for item in overrides)
            else ""
        )
        raise ParameterError(
            "overrides must be a mapping of dotted keys to values, such as "
            f"{{'readers_per_post': 300}}, got {type(overrides).__name__}{hint}"
        )
    for key in overrides:
        if not isinstance(key, str) or not key.strip():
            raise ParameterError(f"override key {key!r} must be a non-empty string")
    return {key.strip(): value for key, value in overrides.items()}


def _recorded(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides as a variant records them: every number a float (``300`` and ``300.0``
    make the same variant, with the same digest)."""
    return {key: float(value) if _is_number(value) else value for key, value in overrides.items()}


_QUANTITY_FIELDS = set(Quantity.model_fields)
_DISTRIBUTION_FIELDS = set(Distribution.model_fields)
#: Distribution parameters in the quantity's own units (they scale with its base);
#: ``sigma`` (a log-scale spread) and ``lamb`` (a shape) are already relative.
_ABSOLUTE_DISTRIBUTION_PARAMETERS = ("sd",)
#: Distribution kinds that need a range wider than a point.
_SPREAD_KINDS = ("uniform", "triangular", "pert", "lognormal", "normal")


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_fraction_key(path: tuple[str, ...]) -> bool:
    """Whether the quantity at ``path`` is a share (bounded by [0, 1])."""
    return (
        path[0] in ("network_shares", "post_type_shares")
        or (path[0] == "segments" and path[-1].endswith("_share"))
        or path
        in (
            ("audience_model", "visibility"),
            ("audience_model", "no_spread_share"),
            ("audience_model", "past_one_step_share"),
        )
    )


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    return data


def move_range(
    quantity: dict[str, Any],
    old: Any,
    explicit: set[str],
    *,
    name: str = "quantity",
    fraction: bool = False,
) -> None:
    """Move a quantity's range with its overridden base (the range rule, in place).

    Parameters
    ----------
    quantity
        The quantity's raw mapping after overrides, with its new ``base``.
    old
        The quantity before overrides (a mapping or a bare number).
    explicit
        The fields the same override set gave explicitly (``"low"``, ``"high"``,
        ``"distribution.sd"``, ...): those are kept as given.
    name
        The quantity's dotted key, for error messages.
    fraction
        Whether the quantity is a share: a moved range is clipped to [0, 1].

    Raises
    ------
    ScenarioError
        If the moved ``low`` or ``high`` overflows a float.

    Notes
    -----
    The rule (see the module docstring): the new ``low`` and ``high`` keep the old
    ``low/base`` and ``high/base`` ratios; when the old or the new base is 0 the range
    collapses to the new base, and a distribution that needs a spread becomes ``fixed``.
    Distribution parameters in the quantity's units (``sd``) scale by the same ratio.
    """
    new_base = quantity.get("base")
    old_q = old if isinstance(old, Mapping) else {"base": old}
    old_base = old_q.get("base")
    if not (_is_number(new_base) and _is_number(old_base)):
        return  # the validator names the non-number
    if not (math.isfinite(new_base) and math.isfinite(old_base)):
        return  # refused by the validator
    # A negative base collapses too, so that the validator's message is about its sign.
    collapse = old_base <= 0 or new_base <= 0
    for field in ("low", "high"):
        if field in explicit:
            continue
        old_value = old_q.get(field, old_base)
        if collapse or not _is_number(old_value):
            moved = float(new_base)
        else:
            # new_base * (old_value / old_base): the ratio is moderate, so neither factor
            # underflows a tiny new base to 0 nor overflows a large one needlessly.
            moved = new_base * (old_value / old_base)
            if not math.isfinite(moved):
                raise ScenarioError(
                    f"override {name}={format_value(new_base)}: its {field}, moved with the "
                    f"base, overflows a float; set {name}.{field} explicitly"
                )
            if fraction:
                moved = min(max(moved, 0.0), 1.0)
            # the ratio keeps low <= base <= high up to rounding
            moved = min(moved, new_base) if field == "low" else max(moved, new_base)
        if field in old_q or field in quantity:
            quantity[field] = moved
    dist = quantity.get("distribution")
    if not isinstance(dist, dict):
        return
    if collapse:
        if "distribution.kind" not in explicit and dist.get("kind") in _SPREAD_KINDS:
            note = dist.get("note")
            quantity["distribution"] = {"kind": "fixed", **({"note": note} if note else {})}
        return
    for param in _ABSOLUTE_DISTRIBUTION_PARAMETERS:
        if f"distribution.{param}" not in explicit and _is_number(dist.get(param)):
            dist[param] = new_base * (dist[param] / old_base)


def _names_a_post_type(data: Mapping[str, Any], parts: list[str]) -> bool:
    """Whether ``parts`` is ``readers_per_post_by_type.<post type>`` (which may be added)."""
    post_types = data.get("post_type_shares")
    return (
        len(parts) == 2
        and parts[0] == "readers_per_post_by_type"
        and isinstance(post_types, Mapping)
        and parts[1] in post_types
    )


def apply_overrides(
    data: Mapping[str, Any], overrides: Mapping[str, Any], origin: str = "<scenario>"
) -> dict[str, Any]:
    """Return a copy of raw scenario ``data`` with dotted-key ``overrides`` applied.

    Setting a quantity to a number (``key=v`` or ``key.base=v``) sets its ``base``
    and moves its range with it by the range rule of this module (see
    :func:`move_range`); ``low``, ``high`` and distribution fields given in the same
    override set win over the moved ones.

    Raises
    ------
    ScenarioError
        If a dotted key does not name a field of the scenario.
    """
    original = data
    out = copy.deepcopy(dict(data))
    # quantity path -> fields set explicitly by this override set
    explicit: dict[tuple[str, ...], set[str]] = {}
    for key, value in overrides.items():
        parts = key.split(".")
        if not all(parts):
            raise ScenarioError(f"override {key}: empty part in the dotted key")
        node: Any = out
        for i, part in enumerate(parts[:-1]):
            if not isinstance(node, dict):
                raise ScenarioError(f"override {key}: {'.'.join(parts[:i])} is not a mapping")
            if part not in node:
                # Only a quantity's distribution is a mapping one can create on the way.
                if part == "distribution" and "base" in node:
                    node[part] = {}
                else:
                    unknown = ".".join(parts[: i + 1])
                    raise ScenarioError(f"override {key}: unknown key {unknown!r}")
            elif not isinstance(node[part], dict):
                if (part in _QUANTITY_FIELDS and "base" in node) or not _is_number(node[part]):
                    raise ScenarioError(
                        f"override {key}: {'.'.join(parts[: i + 1])} is a plain value, "
                        "it has no fields"
                    )
                node[part] = {"base": node[part]}
            node = node[part]
        last = parts[-1]
        if not isinstance(node, dict):
            raise ScenarioError(f"override {key}: cannot set a field of a plain value")
        in_distribution = len(parts) >= 2 and parts[-2] == "distribution"
        if not (
            last in node
            or (last in _QUANTITY_FIELDS and "base" in node)
            or (in_distribution and last in _DISTRIBUTION_FIELDS)
            or _names_a_post_type(out, parts)
        ):
            raise ScenarioError(f"override {key}: unknown key {key!r}")
        current = node.get(last)
        if isinstance(current, dict) and "base" in current and not isinstance(value, dict):
            current["base"] = value
            explicit.setdefault(tuple(parts), set()).add("base")
        else:
            node[last] = value
            if in_distribution and len(parts) >= 3:
                explicit.setdefault(tuple(parts[:-2]), set()).add(f"distribution.{last}")
            elif last in _QUANTITY_FIELDS and "base" in node and len(parts) >= 2:
                explicit.setdefault(tuple(parts[:-1]), set()).add(last)
    for path, fields in explicit.items():
        quantity = _lookup(out, path)
        if "base" in fields and isinstance(quantity, dict):
            move_range(
                quantity,
                _lookup(original, path),
                fields,
                name=".".join(path),
                fraction=_is_fraction_key(path),
            )
    _check_not_derived(out, overrides)
    return out


def _check_not_derived(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> None:
    """Refuse overrides of a figure the audience model derives (they would be ignored)."""
    model = data.get("audience_model")
    derive = model.get("derive", []) if isinstance(model, Mapping) else []
    for key in overrides:
        name = key.split(".")[0]
        if isinstance(derive, list) and name in derive:
            raise ScenarioError(
                f"override {key}: {name} is derived by the audience model in this scenario; "
                f"set audience_model.* instead, or take {name} out of audience_model.derive"
            )


def load_scenario(name_or_path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario, with ``overrides`` applied (:meth:`Scenario.with_overrides`).

    Parameters
    ----------
    name_or_path
        A YAML scenario file, or the name of a shipped scenario (see
        :func:`list_scenarios`); an existing file wins over a name.
    overrides
        ``{"readers_per_post": 300, ...}``: dotted keys to typed values.

    Returns
    -------
    Scenario
        The validated scenario (a variant when overrides were given).

    Raises
    ------
    ScenarioError
        If the file is missing (and the name is not shipped), not YAML, or fails
        validation, or an override names no field.
    ParameterError
        If ``overrides`` is not a mapping.

    Examples
    --------
    >>> s = load_scenario("forrester-us-2009", {"readers_per_post": 300})
    >>> s.readers_per_post.base
    300.0
    """
    checked = check_overrides(overrides)
    origin = str(name_or_path)
    scenario = scenario_from_dict(read_scenario_data(name_or_path), origin=origin)
    return scenario.with_overrides(checked)


def write_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write ``scenario`` (a variant with its overrides applied, say) as a YAML file.

    Floats are written in their shortest exact form, so :func:`load_scenario` reads the
    file back as the same scenario (the same :meth:`Scenario.digest`). The file is
    written to a temporary name beside ``path`` and renamed into place.
    """
    import os
    import tempfile

    target = Path(path)
    text = yaml.safe_dump(scenario.to_dict(), sort_keys=False, allow_unicode=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
