"""Engaged impressions: impressions x attention x engagement, by channel.

For each channel of a scenario's account (network updates and each post type, see
:mod:`.rates`) and each action the channel has a rate for,

``seen = impressions x attention``  and  ``engaged = seen x action rate``.

:func:`engagement_account` computes these at the base rates (the *base case*: every
rate at its most likely value) and runs a seeded Monte Carlo over the rates' ranges (each
distinct rate drawn from a triangular distribution on ``[low, high]`` with mode ``base``;
channels sharing a rate share its draw). The two are different things: the ranges are
right-skewed (the most likely value sits near the low end), so the Monte Carlo median and
mean lie well above the base case, and the 95% Monte Carlo interval of
:meth:`EngagementAccount.conf_int` need not contain it. Every result reports the base
case, the Monte Carlo median and mean and the interval side by side
(:meth:`EngagementAccount.monte_carlo`), each labelled. The impressions themselves are
the account's base values: this layer asks how many of them reach people who care, not
how uncertain they are (that is :mod:`influence_kit.sensitivity`'s question).

Given a scenario, the share of an author's friends who see a post is the scenario's
``audience_model.visibility`` when it has an audience model
(:func:`~.rates.scenario_engagement_rates`): the same quantity, base and range as the
audience model's.

Engaged impressions count actions: when a channel has several action rates, a person who
both reacts and replies counts twice. The default rates give each channel one action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import ImpressionAccount, account
from ..constants import DEFAULT_SEED
from ..errors import ParameterError
from ..formatting import format_fixed, format_percent
from ..results import KeyFigures, Result, check_alpha, interval_frame, key_figures
from ..scenarios import Scenario
from ..validation import SeedLike, check_replicates, check_seed, seed_entropy
from .rates import (
    NETWORK_CHANNEL,
    EngagementRates,
    Rate,
    default_engagement_rates,
    scenario_engagement_rates,
)

__all__ = [
    "EngagementAccount",
    "channel_impressions",
    "engaged_impressions",
    "engagement_account",
]

#: Default number of Monte Carlo draws of :func:`engagement_account`.
DEFAULT_DRAWS = 10_000

#: Labels that tell the base case and the Monte Carlo figures apart.
BASE_CASE_LABEL = "base case (every input at its most likely value)"
MC_MEDIAN_LABEL = "Monte Carlo median"
MC_MEAN_LABEL = "Monte Carlo mean"
MC_INTERVAL_LABEL = "95% Monte Carlo interval"

#: What :meth:`EngagementAccount.conf_int` is an interval of.
INTERVAL_NOTE = (
    "quantiles of the Monte Carlo distribution over the rates' ranges; the base case "
    "(every rate at its most likely value) is a different figure and need not lie inside"
)


def channel_impressions(acc: ImpressionAccount) -> dict[str, float]:
    """Impressions per channel of an account: network updates, then each post type."""
    return {NETWORK_CHANNEL: float(acc.network_impressions), **acc.by_post_type}


def engaged_impressions(
    impressions: Mapping[str, float],
    rates: EngagementRates,
    values: Mapping[Rate, Any] | None = None,
) -> tuple[dict[str, Any], dict[tuple[str, str], Any]]:
    """Seen and engaged impressions per channel, vectorised over rate values.

    Parameters
    ----------
    impressions
        ``{channel: impressions}``; every channel needs rates in ``rates``.
    rates
        The attention and action rates.
    values
        Values to use for some rates (scalars or arrays that broadcast); the others take
        their base value.

    Returns
    -------
    seen, engaged
        ``{channel: impressions x attention}`` and
        ``{(channel, action): seen x action rate}``.
    """
    values = values or {}

    def value(rate: Rate) -> Any:
        return np.asarray(values.get(rate, rate.base), dtype=float)

    seen: dict[str, Any] = {}
    engaged: dict[tuple[str, str], Any] = {}
    for channel, count in impressions.items():
        channel_rates = rates[channel]
        seen[channel] = float(count) * value(channel_rates.attention)
        for action, rate in channel_rates.actions.items():
            engaged[(channel, action)] = seen[channel] * value(rate)
    return seen, engaged


def _draw(rate: Rate, n: int, rng: np.random.Generator) -> np.ndarray:
    if rate.low == rate.high:
        return np.full(n, rate.base)
    return rng.triangular(rate.low, rate.base, rate.high, size=n)


@dataclass(frozen=True, eq=False)
class EngagementAccount(Result):
    """Impressions, seen impressions and engaged impressions of a scenario, by channel.

    Attributes
    ----------
    scenario_name
        ``meta.name`` of the scenario.
    impressions
        ``{channel: impressions per year}`` (the account's base values).
    seen
        ``{channel: impressions x attention}`` at the base rates.
    engaged
        ``{channel: {action: seen x action rate}}`` at the base rates; a channel without
        action rates maps to ``{}``.
    total_impressions, seen_impressions, engaged_impressions
        Sums over channels (and actions).
    online_adults
        The scenario's population, for per-adult figures.
    rates
        The rates used.
    n_draws, seed
        Monte Carlo draws behind :meth:`conf_int`, and the seed's entropy (``None`` when
        a Generator was passed).

    The figures above are the *base case* (every rate at its most likely value).
    :meth:`monte_carlo` sets the Monte Carlo median, mean and interval beside them.
    """

    scenario_name: str
    impressions: dict[str, float]
    seen: dict[str, float]
    engaged: dict[str, dict[str, float]]
    total_impressions: float
    seen_impressions: float
    engaged_impressions: float
    online_adults: float
    rates: EngagementRates
    n_draws: int
    seed: int | None
    _draws: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _action_draws: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False)

    def base_case(self, name: str) -> float:
        """The base-case value of a quantity of :meth:`conf_int` (e.g. ``engaged.reviews``)."""
        if name.startswith("engaged."):
            return float(sum(self.engaged[name.removeprefix("engaged.")].values()))
        return float(getattr(self, name))

    def monte_carlo(self, alpha: float = 0.05) -> pd.DataFrame:
        """The base case beside the Monte Carlo median, mean and interval, per quantity.

        Rows as :meth:`conf_int`; columns ``base_case`` (every rate at its most likely
        value), ``mc_median``, ``mc_mean``, ``mc_lower`` and ``mc_upper`` (the
        ``alpha / 2`` and ``1 - alpha / 2`` quantiles of the draws) and
        ``draws_at_or_below_base_case`` (the share of draws at or below the base case:
        near 0 when the ranges are right-skewed around their most likely values).
        """
        interval = self.conf_int(alpha)
        names = list(interval.index)
        frame = pd.DataFrame(
            {
                "base_case": [self.base_case(n) for n in names],
                "mc_median": [float(np.median(self._draws[n])) for n in names],
                "mc_mean": [float(np.mean(self._draws[n])) for n in names],
                "mc_lower": interval["lower"].to_numpy(),
                "mc_upper": interval["upper"].to_numpy(),
                "draws_at_or_below_base_case": [
                    float(np.mean(self._draws[n] <= self.base_case(n) * (1 + 1e-12))) for n in names
                ],
            },
            index=interval.index,
        )
        frame.attrs["note"] = INTERVAL_NOTE
        return frame

    @property
    def seen_share(self) -> float:
        """Seen impressions as a share of impressions."""
        return self.seen_impressions / self.total_impressions if self.total_impressions else 0.0

    @property
    def engaged_share(self) -> float:
        """Engaged impressions as a share of impressions."""
        return self.engaged_impressions / self.total_impressions if self.total_impressions else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON data: every field (rates as their summary rows) plus the shares."""
        out = super().to_dict()
        out["rates"] = self.rates.summary().to_dict(orient="records")
        out["seen_share"] = self.seen_share
        out["engaged_share"] = self.engaged_share
        return out

    def summary(self) -> pd.DataFrame:
        """One row per (channel, action), then the total.

        Columns ``channel``, ``action`` (``""`` for a channel without action rates),
        ``impressions``, ``attention``, ``seen``, ``rate``, ``engaged`` and
        ``engaged_share`` (engaged / impressions), all at the base case (every rate at
        its most likely value); then the Monte Carlo distribution of engaged impressions,
        a different thing: ``engaged_mc_median``, ``engaged_mc_mean`` and the 95% Monte
        Carlo interval ``engaged_mc_lower``, ``engaged_mc_upper``.
        """
        rows = []
        for channel, count in self.impressions.items():
            channel_rates = self.rates[channel]
            attention = channel_rates.attention.base
            actions = self.engaged[channel] or {"": 0.0}
            for action, engaged in actions.items():
                rate = channel_rates.actions[action].base if action else float("nan")
                rows.append((channel, action, count, attention, self.seen[channel], rate, engaged))
        rows.append(
            (
                "all",
                "all",
                self.total_impressions,
                self.seen_share,
                self.seen_impressions,
                float("nan"),
                self.engaged_impressions,
            )
        )
        frame = pd.DataFrame(
            rows,
            columns=["channel", "action", "impressions", "attention", "seen", "rate", "engaged"],
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["engaged_share"] = frame["engaged"] / frame["impressions"]
        zeros = np.zeros(self.n_draws)
        draws = [
            self._action_draws.get((c, a), zeros)
            if c != "all"
            else self._draws["engaged_impressions"]
            for c, a in zip(frame["channel"], frame["action"], strict=True)
        ]
        frame["engaged_mc_median"] = [float(np.median(d)) for d in draws]
        frame["engaged_mc_mean"] = [float(np.mean(d)) for d in draws]
        frame["engaged_mc_lower"] = [float(np.quantile(d, 0.025)) for d in draws]
        frame["engaged_mc_upper"] = [float(np.quantile(d, 0.975)) for d in draws]
        frame.attrs["note"] = (
            "impressions to engaged_share: base case; engaged_mc_*: " + INTERVAL_NOTE
        )
        return frame

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Intervals of the Monte Carlo distribution over the rates' ranges.

        Rows ``seen_impressions``, ``engaged_impressions``, ``engaged_share`` and
        ``engaged.<channel>`` per channel with action rates; columns ``lower`` and
        ``upper`` (the ``alpha / 2`` and ``1 - alpha / 2`` quantiles of the draws). The
        interval belongs to the Monte Carlo distribution (it contains the Monte Carlo
        median), not to the base case, which need not lie inside: see
        :meth:`monte_carlo` for the two side by side.
        """
        alpha = check_alpha(alpha)
        names = list(self._draws)
        draws = np.vstack([self._draws[n] for n in names])
        lower, upper = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=1)
        frame = interval_frame(names, lower, upper)
        frame.attrs["note"] = INTERVAL_NOTE
        return frame

    def describe(self) -> str:
        """A plain-language paragraph (Markdown), computed from the result."""
        mc = self.monte_carlo().loc["engaged_impressions"]

        def billions(value: float, decimals: int = 2) -> str:
            return format_fixed(value / 1e9, decimals, grouping=True)

        return (
            f"Of **{billions(self.total_impressions, 1)} billion** "
            "influence impressions a year, about "
            f"{billions(self.seen_impressions, 1)} billion "
            f"({format_percent(self.seen_share, 1)}) reach someone who sees them and "
            f"**{billions(self.engaged_impressions)} billion** "
            f"({format_percent(self.engaged_share, 2)}) lead to a reaction or reply in the "
            "base case (every rate at its most likely, central published value), "
            f"{format_fixed(self.engaged_impressions / self.online_adults, 1, grouping=True)} per "
            "online adult. Drawing every rate over its published range (triangular, mode at the "
            "central figure) gives a different figure, the Monte Carlo distribution: median "
            f"{billions(mc['mc_median'])} billion, mean {billions(mc['mc_mean'])} billion, 95% "
            f"Monte Carlo interval {billions(mc['mc_lower'])} to {billions(mc['mc_upper'])} "
            "billion. The ranges reach further above their most likely values than below, so "
            f"only {format_percent(mc['draws_at_or_below_base_case'], 1)} of the draws fall at "
            "or below the base case; the interval describes the Monte Carlo distribution, not "
            "the base case."
        )

    def key_figures(self) -> KeyFigures:
        """The headline figures, with readable labels and units."""
        mc = self.monte_carlo()
        rows: list[tuple[str, str, Any, str]] = [
            (
                "total_impressions",
                "influence impressions per year",
                self.total_impressions,
                "impressions",
            ),
        ]
        for key, label, unit in (
            ("seen_impressions", "impressions seen per year", "impressions"),
            ("engaged_impressions", "engaged impressions per year", "impressions"),
            ("engaged_share", "share of impressions engaged", "share"),
        ):
            row = mc.loc[key]
            rows += [
                (key, f"{label}, {BASE_CASE_LABEL}", float(row["base_case"]), unit),
                (f"{key}_mc_median", f"{label}, {MC_MEDIAN_LABEL}", float(row["mc_median"]), unit),
                (f"{key}_mc_mean", f"{label}, {MC_MEAN_LABEL}", float(row["mc_mean"]), unit),
                (
                    f"{key}_mc_lower",
                    f"{label}, {MC_INTERVAL_LABEL}, lower end",
                    float(row["mc_lower"]),
                    unit,
                ),
                (
                    f"{key}_mc_upper",
                    f"{label}, {MC_INTERVAL_LABEL}, upper end",
                    float(row["mc_upper"]),
                    unit,
                ),
            ]
        rows += [
            (
                "seen_share",
                f"share of impressions seen, {BASE_CASE_LABEL}",
                self.seen_share,
                "share",
            ),
            (
                "engaged_per_online_adult",
                f"engaged impressions per online adult, {BASE_CASE_LABEL}",
                self.engaged_impressions / self.online_adults if self.online_adults else None,
                "impressions",
            ),
        ]
        return key_figures(*rows)


def engagement_account(
    scenario: Scenario | ImpressionAccount,
    rates: EngagementRates | None = None,
    *,
    n_draws: int = DEFAULT_DRAWS,
    seed: SeedLike = DEFAULT_SEED,
) -> EngagementAccount:
    """Engaged impressions of a scenario, by channel, with Monte Carlo intervals.

    Parameters
    ----------
    scenario
        A scenario (its :func:`~influence_kit.accounting.account` is taken) or an
        account already computed.
    rates
        Attention and action rates per channel; default, given a scenario,
        :func:`~influence_kit.engagement.rates.scenario_engagement_rates` (the share of
        friends who see a post is the audience model's ``visibility``, and is not applied
        again to network impressions the model derives as already seen); given an
        account, :func:`~influence_kit.engagement.rates.default_engagement_rates` for its
        post types.
    n_draws
        Monte Carlo draws over the rates' ranges, at least
        :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39).
    seed
        ``int``, :class:`numpy.random.Generator` or ``None`` (fresh entropy); a fixed
        seed gives identical results.

    Returns
    -------
    EngagementAccount
        Its figures are the base case (every rate at its most likely value);
        :meth:`EngagementAccount.monte_carlo` gives the Monte Carlo median, mean and
        interval beside them.

    Raises
    ------
    ParameterError
        If a channel of the account has no rates, or ``n_draws`` is below 39.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> result = engagement_account(load_scenario("forrester-us-2009"), n_draws=2000)
    >>> round(result.engaged_impressions / 1e9, 2)
    9.41
    """
    acc = scenario if isinstance(scenario, ImpressionAccount) else account(scenario)
    n_draws = check_replicates("n_draws", n_draws, purpose="an interval")
    impressions = channel_impressions(acc)
    if rates is None:
        post_types = tuple(acc.by_post_type)
        rates = (
            default_engagement_rates(post_types)
            if isinstance(scenario, ImpressionAccount)
            else scenario_engagement_rates(scenario, post_types)
        )
    missing = [c for c in impressions if c not in rates.channels]
    if missing:
        raise ParameterError(f"no engagement rates for channel {missing[0]!r}")
    seen, engaged = engaged_impressions(impressions, rates)
    by_channel: dict[str, dict[str, float]] = {c: {} for c in impressions}
    for (channel, action), value in engaged.items():
        by_channel[channel][action] = float(value)

    seq = check_seed(seed)
    rng, entropy = np.random.default_rng(seq), seed_entropy(seq)
    values = {rate: _draw(rate, n_draws, rng) for rate in rates.distinct_rates()}
    seen_draws, engaged_draws = engaged_impressions(impressions, rates, values)
    total = float(sum(impressions.values()))
    seen_total = sum(np.broadcast_to(v, (n_draws,)) for v in seen_draws.values())
    engaged_total = sum(
        (np.broadcast_to(v, (n_draws,)) for v in engaged_draws.values()), np.zeros(n_draws)
    )
    draws: dict[str, np.ndarray] = {
        "seen_impressions": np.asarray(seen_total, dtype=float),
        "engaged_impressions": engaged_total,
        "engaged_share": engaged_total / total if total else np.zeros(n_draws),
    }
    for channel in impressions:
        parts = [v for (c, _), v in engaged_draws.items() if c == channel]
        if parts:
            draws[f"engaged.{channel}"] = sum(
                (np.broadcast_to(p, (n_draws,)) for p in parts), np.zeros(n_draws)
            )
    return EngagementAccount(
        scenario_name=acc.scenario_name,
        impressions={c: float(v) for c, v in impressions.items()},
        seen={c: float(v) for c, v in seen.items()},
        engaged=by_channel,
        total_impressions=total,
        seen_impressions=float(sum(float(v) for v in seen.values())),
        engaged_impressions=float(sum(float(v) for v in engaged.values())),
        online_adults=float(acc.online_adults),
        rates=rates,
        n_draws=n_draws,
        seed=entropy,
        _draws=draws,
        _action_draws={
            key: np.array(np.broadcast_to(v, (n_draws,)), dtype=float)
            for key, v in engaged_draws.items()
        },
    )
