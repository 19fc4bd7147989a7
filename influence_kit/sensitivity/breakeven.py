"""Break-even readers per post, solved exactly.

Post impressions are affine in readers per post ``r`` (overall or of one post
type): ``posts(r) = P * (w * r + c)``, where ``P`` is influence posts, ``w`` the
share of posts whose readers are ``r`` and ``c`` the share-weighted readers of
the other post types. Each criterion asks for a level ``R`` of post impressions,
so ``r* = (R / P - c) / w``:

* posts equal network impressions: ``R = network`` (256e9 / 1.64e9 = 156.1);
* the total reaches ``T``: ``R = T - network`` (1e12 gives 453.7);
* the total reaches a share ``s`` of advertiser impressions: ``R = s * ads - network``.

The answer is "never" (``readers_per_post=None``, ``reachable=False``) when
readers per post do not move post impressions (``P * w = 0``) or the required
value is negative (the criterion is already exceeded with no readers at all).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from ..accounting import effective_inputs, evaluate, readers_weights
from ..formatting import format_number, format_quantity, number_key
from ..results import Result
from ..scenarios import Scenario
from ..validation import check_number, check_numbers, check_positive
from ._common import with_type_readers

#: Criterion names, as used in :attr:`BreakEven.criterion`.
CRITERIA: tuple[str, ...] = ("posts_equal_network", "total", "share_of_advertiser_impressions")


@dataclass(frozen=True)
class BreakEven(Result):
    """The readers per post at which one criterion is met.

    Attributes
    ----------
    criterion
        ``posts_equal_network``, ``total`` or ``share_of_advertiser_impressions``.
    target
        The target total or share (``None`` for ``posts_equal_network``).
    input
        The solved input (``readers_per_post`` or ``readers_per_post_by_type.<type>``).
    readers_per_post
        The exact solution, or ``None`` when the criterion can never be met.
    reachable
        Whether a non-negative readers per post meets the criterion.
    base_value
        The scenario's base value of the input, for comparison.
    reason
        Why the criterion is unreachable ("" when it is reachable).
    """

    criterion: str
    target: float | None
    input: str
    readers_per_post: float | None
    reachable: bool
    base_value: float
    reason: str = ""

    @property
    def key(self) -> str:
        """Key in :meth:`BreakEvens.as_mapping`.

        ``posts_equal_network``, the target total (``1e12``) or ``share_<s>`` (``share_0.5``).
        """
        if self.criterion == "posts_equal_network" or self.target is None:
            return "posts_equal_network"
        if self.criterion == "total":
            return number_key(self.target)
        return f"share_{number_key(self.target)}"

    @property
    def label(self) -> str:
        """Plain-language name of the criterion."""
        if self.criterion == "posts_equal_network" or self.target is None:
            return "post impressions equal network impressions"
        if self.criterion == "total":
            return f"total reaches {format_quantity(self.target, 'impressions')}"
        return f"total reaches {format_quantity(self.target, 'share')} of advertiser impressions"

    def summary(self) -> pd.DataFrame:
        """One row: criterion, target, readers per post, reachable, reason."""
        return pd.DataFrame(
            [
                {
                    "criterion": self.label,
                    "readers_per_post": self.readers_per_post,
                    "reachable": self.reachable,
                    "times_base": (
                        self.readers_per_post / self.base_value
                        if self.readers_per_post is not None and self.base_value
                        else None
                    ),
                    "reason": self.reason,
                }
            ]
        )


@dataclass(frozen=True)
class BreakEvens(Result):
    """Several break-even criteria for one scenario and input."""

    scenario_name: str
    input: str
    items: tuple[BreakEven, ...]

    def as_mapping(self) -> dict[str, float | None]:
        """Criterion key -> readers per post (``None`` = never)."""
        return {b.key: b.readers_per_post for b in self.items}

    def __getitem__(self, key: str) -> BreakEven:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def summary(self) -> pd.DataFrame:
        """One row per criterion."""
        return pd.concat([b.summary() for b in self.items], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """Scenario, input, the key -> value mapping and every criterion in full."""
        return {
            "scenario_name": self.scenario_name,
            "input": self.input,
            "readers_per_post": self.as_mapping(),
            "items": [b.to_dict() for b in self.items],
        }


def _solve(
    scenario: Scenario,
    criterion: str,
    target: float | None,
    required_posts: float,
    post_type: str | None,
) -> BreakEven:
    scen, key = with_type_readers(scenario, post_type)
    w_default, own = readers_weights(scen)
    weight = w_default if post_type is None else own[post_type]
    posts = float(scen.influence_posts.base)
    slope = posts * weight
    intercept = float(evaluate(scen, {key: 0.0})["post_impressions"])
    base_value = float(effective_inputs(scen)[key].base)
    solved = partial(
        BreakEven, criterion=criterion, target=target, input=key, base_value=base_value
    )
    if slope == 0:
        reason = "readers per post do not change post impressions (no posts or no share)"
        return solved(readers_per_post=None, reachable=False, reason=reason)
    solution = (required_posts - intercept) / slope
    if solution < 0:
        reason = (
            f"would need {format_number(solution)} readers per post: the criterion is exceeded "
            "even with no readers"
        )
        return solved(readers_per_post=None, reachable=False, reason=reason)
    return solved(readers_per_post=float(solution), reachable=True)


def breakeven_posts_equal_network(scenario: Scenario, *, post_type: str | None = None) -> BreakEven:
    """Readers per post at which post impressions equal network impressions.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> s = load_scenario("forrester-us-2009")
    >>> round(breakeven_posts_equal_network(s).readers_per_post, 1)
    156.1
    """
    network = float(effective_inputs(scenario).network_impressions.base)
    return _solve(scenario, "posts_equal_network", None, network, post_type)


def breakeven_total(
    scenario: Scenario, target: float, *, post_type: str | None = None
) -> BreakEven:
    """Readers per post at which the total reaches ``target`` impressions.

    Raises
    ------
    ParameterError
        If ``target`` is not a finite positive number.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> s = load_scenario("forrester-us-2009")
    >>> round(breakeven_total(s, 1e12).readers_per_post, 1)
    453.7
    """
    value = check_positive("target total", target)
    network = float(effective_inputs(scenario).network_impressions.base)
    return _solve(scenario, "total", value, value - network, post_type)


def breakeven_share(scenario: Scenario, share: float, *, post_type: str | None = None) -> BreakEven:
    """Readers per post at which the total reaches ``share`` x advertiser impressions.

    Raises
    ------
    ParameterError
        If ``share`` is not a finite number.
    """
    value = check_number("target share of advertiser impressions", share)
    required = value * float(scenario.advertiser_impressions.base)
    network = float(effective_inputs(scenario).network_impressions.base)
    return _solve(scenario, "share_of_advertiser_impressions", value, required - network, post_type)


def breakevens(
    scenario: Scenario,
    target_totals: Iterable[float] = (),
    target_shares: Iterable[float] = (),
    *,
    post_type: str | None = None,
) -> BreakEvens:
    """Posts-equal-network plus every target total and share, in that order.

    Parameters
    ----------
    scenario
        The scenario.
    target_totals
        Total impressions to reach (numbers such as ``1e12``).
    target_shares
        Shares of advertiser impressions to reach (0.5 = half of the ad impressions).
    post_type
        Solve for one post type's readers per post instead of the overall value.

    Raises
    ------
    ParameterError
        If a target is not a finite number or the post type is unknown.
    """
    totals = check_numbers("target totals", target_totals, allow_empty=True)
    shares = check_numbers("target shares", target_shares, allow_empty=True)
    items = [breakeven_posts_equal_network(scenario, post_type=post_type)]
    items += [breakeven_total(scenario, float(t), post_type=post_type) for t in totals]
    items += [breakeven_share(scenario, float(s), post_type=post_type) for s in shares]
    return BreakEvens(scenario_name=scenario.name, input=items[0].input, items=tuple(items))
