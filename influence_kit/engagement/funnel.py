"""The care funnel: how many influence impressions reach people who care.

The stages of "getting people to care", from one :func:`~.model.engagement_account`:

* ``impressions``: all influence impressions of the scenario's account (base values);
* ``seen``: impressions seen (impressions x attention, summed over channels);
* ``reacted``: engaged impressions of action ``reaction`` (likes, comments, shares),
  summed over channels;
* ``replied``: engaged impressions of action ``reply``, summed over channels.

``reacted`` and ``replied`` are two branches after ``seen``, not one stage after the
other: each is at most ``seen``, and together (``reacted_or_replied``, which counts
actions: a person who both reacts and replies counts twice) they are at most ``seen``
too, but ``replied`` may exceed ``reacted`` (it does for the shipped scenarios, whose
post channels reply more often than network updates draw a reaction).

Every stage has its *base case* (every rate at its most likely value) and its Monte Carlo
median and interval, computed from the very draws the engagement account holds (the
rates drawn over their ranges, triangular with mode at the base value); the two are
different figures, and because the ranges are right-skewed the base case may lie below
the interval. Each stage also lists the rates that lead to it, each with its low, base
and high value and the evidence-table ids behind the three
(:attr:`CareFunnel.rates`, :meth:`CareFunnel.rate_table`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import ImpressionAccount
from ..constants import DEFAULT_SEED
from ..errors import ParameterError
from ..formatting import format_quantity
from ..results import Conclusion, KeyFigures, Result, check_alpha, interval_frame, key_figures
from ..scenarios import Scenario
from ..validation import SeedLike
from .model import (
    BASE_CASE_LABEL,
    INTERVAL_NOTE,
    MC_INTERVAL_LABEL,
    MC_MEDIAN_LABEL,
    EngagementAccount,
    engagement_account,
)
from .rates import EngagementRates, Rate

__all__ = ["STAGES", "CareFunnel", "FunnelRate", "care_funnel"]

#: The stages of the funnel, in order.
STAGES: tuple[str, ...] = ("impressions", "seen", "reacted", "replied")

#: The action behind each engaged stage.
STAGE_ACTIONS: dict[str, str] = {"reacted": "reaction", "replied": "reply"}

#: Both engaged stages together (actions counted: reacting and replying counts twice).
EITHER = "reacted_or_replied"

#: Readable labels of the stages (and of both engaged stages together).
STAGE_LABELS: dict[str, str] = {
    "impressions": "influence impressions per year",
    "seen": "impressions seen per year",
    "reacted": "impressions that draw a reaction per year",
    "replied": "impressions that draw a reply per year",
    EITHER: "impressions that draw a reaction or a reply per year",
}

#: The default number of Monte Carlo draws of :func:`care_funnel`.
DEFAULT_FUNNEL_DRAWS = 2000


@dataclass(frozen=True)
class FunnelRate:
    """One rate on the way to a stage: the channel, the step and the rate with its range.

    Attributes
    ----------
    stage
        The stage the rate leads to (``seen``, ``reacted`` or ``replied``).
    channel
        The channel it applies to (``network_updates`` or a post type).
    step
        ``attention`` or the action (``reaction``, ``reply``).
    rate
        The rate: ``low``, ``base``, ``high`` and the evidence ids behind each bound.
    """

    stage: str
    channel: str
    step: str
    rate: Rate

    def to_dict(self) -> dict[str, Any]:
        """One flat row: stage, channel, step, the rate's name, range, evidence and basis."""
        return {
            "stage": self.stage,
            "channel": self.channel,
            "step": self.step,
            "rate": self.rate.name,
            "low": self.rate.low,
            "base": self.rate.base,
            "high": self.rate.high,
            "evidence_low": self.rate.evidence[0] or "",
            "evidence_base": self.rate.evidence[1] or "",
            "evidence_high": self.rate.evidence[2] or "",
            "basis": self.rate.basis,
        }


def _stage_rates(rates: EngagementRates, channels: list[str]) -> tuple[FunnelRate, ...]:
    rows: list[FunnelRate] = []
    for channel in channels:
        rows.append(FunnelRate("seen", channel, "attention", rates[channel].attention))
    for stage, action in STAGE_ACTIONS.items():
        for channel in channels:
            channel_rates = rates[channel]
            if action in channel_rates.actions:
                rows.append(FunnelRate(stage, channel, "attention", channel_rates.attention))
                rows.append(FunnelRate(stage, channel, action, channel_rates.actions[action]))
    return tuple(rows)


@dataclass(frozen=True, eq=False)
class CareFunnel(Result):
    """The stages of getting people to care: impressions, seen, reacted, replied.

    Attributes
    ----------
    scenario_name
        ``meta.name`` of the scenario.
    impressions, seen, reacted, replied
        The stages' base-case values (every rate at its most likely value), impressions
        per year; ``reacted`` and ``replied`` are summed over channels.
    mc_median, mc_lower, mc_upper
        ``{quantity: value}`` for the stages and ``reacted_or_replied``: the Monte Carlo
        median and 95% interval over the rates' ranges (a different figure from the
        base case, which need not lie inside the interval).
    rates
        The rates that lead to each stage (:class:`FunnelRate` rows).
    n_draws, seed
        The engagement account's Monte Carlo draws and seed entropy.
    """

    scenario_name: str
    impressions: float
    seen: float
    reacted: float
    replied: float
    mc_median: dict[str, float]
    mc_lower: dict[str, float]
    mc_upper: dict[str, float]
    rates: tuple[FunnelRate, ...]
    n_draws: int
    seed: int | None
    _draws: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def reacted_or_replied(self) -> float:
        """Impressions that draw a reaction or a reply (base case; actions counted)."""
        return self.reacted + self.replied

    def base_case(self, name: str) -> float:
        """The base-case value of a stage or of ``reacted_or_replied``."""
        if name == EITHER:
            return self.reacted_or_replied
        if name not in STAGES:
            raise ParameterError(
                f"unknown stage {name!r}; the stages are {', '.join(STAGES)} and {EITHER}"
            )
        return float(getattr(self, name))

    def share(self, name: str) -> float:
        """A stage's base-case value as a share of impressions."""
        return self.base_case(name) / self.impressions if self.impressions else 0.0

    @property
    def share_of_impressions(self) -> dict[str, float]:
        """``{stage: base case / impressions}``."""
        return {stage: self.share(stage) for stage in STAGES}

    def stage_rates(self, stage: str) -> tuple[FunnelRate, ...]:
        """The rates that lead to ``stage`` (none for ``impressions``)."""
        self.base_case(stage)  # validates the name
        if stage == EITHER:
            return tuple(r for r in self.rates if r.stage in STAGE_ACTIONS)
        return tuple(r for r in self.rates if r.stage == stage)

    def rate_table(self) -> pd.DataFrame:
        """One row per (stage, channel, step): the rate, its range, evidence ids and basis."""
        columns = list(FunnelRate("", "", "", Rate.fixed("", 0.0)).to_dict())
        return pd.DataFrame([r.to_dict() for r in self.rates], columns=columns)

    def summary(self) -> pd.DataFrame:
        """One row per stage (``impressions``, ``seen``, ``reacted``, ``replied``).

        Columns ``base_case`` (every rate at its most likely value), ``mc_median`` and the
        95% Monte Carlo interval ``lower``, ``upper`` (over the rates' ranges, from the
        engagement account's draws: a different figure from the base case), and
        ``share_of_impressions`` (base case / impressions).
        """
        frame = pd.DataFrame(
            {
                "base_case": [self.base_case(s) for s in STAGES],
                "mc_median": [self.mc_median[s] for s in STAGES],
                "lower": [self.mc_lower[s] for s in STAGES],
                "upper": [self.mc_upper[s] for s in STAGES],
                "share_of_impressions": [self.share(s) for s in STAGES],
            },
            index=pd.Index(list(STAGES), name="stage"),
        )
        frame.attrs["note"] = "base_case and share_of_impressions: base case; " + INTERVAL_NOTE
        return frame

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Monte Carlo intervals of the stages and of ``reacted_or_replied``.

        Rows ``impressions``, ``seen``, ``reacted``, ``replied`` and
        ``reacted_or_replied``; columns ``lower`` and ``upper`` (the ``alpha / 2`` and
        ``1 - alpha / 2`` quantiles of the draws over the rates' ranges). The base case
        need not lie inside.

        Raises
        ------
        ParameterError
            If ``alpha`` is not strictly between 0 and 1.
        """
        alpha = check_alpha(alpha)
        names = [*STAGES, EITHER]
        draws = np.vstack([self._draws[n] for n in names])
        lower, upper = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=1)
        frame = interval_frame(names, lower, upper)
        frame.attrs["note"] = INTERVAL_NOTE
        return frame

    def to_dict(self) -> dict[str, Any]:
        """JSON data: every field, the shares and ``reacted_or_replied``."""
        out = super().to_dict()
        out["reacted_or_replied"] = self.reacted_or_replied
        out["share_of_impressions"] = {
            **self.share_of_impressions,
            EITHER: self.share(EITHER),
        }
        return out

    def key_figures(self) -> KeyFigures:
        """The headline figures, with readable labels and units."""
        rows: list[tuple[str, str, Any, str]] = [
            ("total_impressions", STAGE_LABELS["impressions"], self.impressions, "impressions"),
        ]
        for name in (*STAGES[1:], EITHER):
            label = STAGE_LABELS[name]
            rows += [
                (name, f"{label}, {BASE_CASE_LABEL}", self.base_case(name), "impressions"),
                (
                    f"{name}_mc_median",
                    f"{label}, {MC_MEDIAN_LABEL}",
                    self.mc_median[name],
                    "impressions",
                ),
                (
                    f"{name}_mc_lower",
                    f"{label}, {MC_INTERVAL_LABEL}, lower end",
                    self.mc_lower[name],
                    "impressions",
                ),
                (
                    f"{name}_mc_upper",
                    f"{label}, {MC_INTERVAL_LABEL}, upper end",
                    self.mc_upper[name],
                    "impressions",
                ),
                (
                    f"{name}_share",
                    f"share of impressions: {label.removesuffix(' per year')}, {BASE_CASE_LABEL}",
                    self.share(name),
                    "share",
                ),
            ]
        total = self.impressions
        rows += [
            (
                f"{EITHER}_share_mc_lower",
                f"share of impressions that draw a reaction or a reply, {MC_INTERVAL_LABEL}, "
                "lower end",
                self.mc_lower[EITHER] / total if total else 0.0,
                "share",
            ),
            (
                f"{EITHER}_share_mc_upper",
                f"share of impressions that draw a reaction or a reply, {MC_INTERVAL_LABEL}, "
                "upper end",
                self.mc_upper[EITHER] / total if total else 0.0,
                "share",
            ),
        ]
        return key_figures(*rows)

    def conclusion(self) -> Conclusion:
        """Two or three plain sentences computed from the funnel."""
        total = self.impressions

        def count(value: float) -> str:
            return format_quantity(value, "impressions")

        def share(value: float) -> str:
            return format_quantity(value / total if total else 0.0, "share")

        base, lower, upper = self.reacted_or_replied, self.mc_lower[EITHER], self.mc_upper[EITHER]
        sentences = [
            f"Of {count(total)} influence impressions a year, about {count(self.seen)} are "
            f"seen and {count(base)} draw a reaction or a reply ({count(self.reacted)} "
            f"reactions, {count(self.replied)} replies): {share(base)} of the total (95% "
            f"interval {share(lower)} to {share(upper)}).",
            "The headline figures are the base case, every rate at its most likely value; "
            "the interval is the Monte Carlo interval over the rates' ranges, around a "
            f"Monte Carlo median of {share(self.mc_median[EITHER])}.",
        ]
        if base < lower:
            sentences.append(
                f"The base case of {share(base)} lies below its interval, because the rates' "
                "ranges reach further above their most likely values than below."
            )
        elif base > upper:
            sentences.append(
                f"The base case of {share(base)} lies above its interval, because the rates' "
                "ranges reach further below their most likely values than above."
            )
        return Conclusion(
            tuple(sentences),
            (
                "total_impressions",
                "seen",
                EITHER,
                f"{EITHER}_share",
                f"{EITHER}_share_mc_lower",
                f"{EITHER}_share_mc_upper",
            ),
        )


def _funnel_from_account(acc: EngagementAccount) -> CareFunnel:
    n = acc.n_draws
    draws: dict[str, np.ndarray] = {
        "impressions": np.full(n, acc.total_impressions),
        "seen": np.asarray(acc._draws["seen_impressions"], dtype=float),
    }
    base: dict[str, float] = {"impressions": acc.total_impressions, "seen": acc.seen_impressions}
    for stage, action in STAGE_ACTIONS.items():
        draws[stage] = sum(
            (v for (_, a), v in acc._action_draws.items() if a == action), np.zeros(n)
        )
        base[stage] = float(sum(actions.get(action, 0.0) for actions in acc.engaged.values()))
    draws[EITHER] = draws["reacted"] + draws["replied"]
    lower, upper = np.quantile(np.vstack(list(draws.values())), [0.025, 0.975], axis=1)
    return CareFunnel(
        scenario_name=acc.scenario_name,
        impressions=base["impressions"],
        seen=base["seen"],
        reacted=base["reacted"],
        replied=base["replied"],
        mc_median={k: float(np.median(v)) for k, v in draws.items()},
        mc_lower={k: float(v) for k, v in zip(draws, lower, strict=True)},
        mc_upper={k: float(v) for k, v in zip(draws, upper, strict=True)},
        rates=_stage_rates(acc.rates, list(acc.impressions)),
        n_draws=n,
        seed=acc.seed,
        _draws=draws,
    )


def care_funnel(
    scenario: Scenario | ImpressionAccount,
    rates: EngagementRates | None = None,
    *,
    n_draws: int = DEFAULT_FUNNEL_DRAWS,
    seed: SeedLike = DEFAULT_SEED,
) -> CareFunnel:
    """The care funnel of a scenario: impressions, seen, reacted, replied.

    Computed from one :func:`~.model.engagement_account` (same arguments): the base
    cases are its own figures and the Monte Carlo medians and intervals come from its
    draws.

    Parameters
    ----------
    scenario
        A scenario or an account already computed.
    rates
        Attention and action rates per channel; the default is
        :func:`~.model.engagement_account`'s.
    n_draws
        Monte Carlo draws over the rates' ranges (at least 39).
    seed
        ``int``, :class:`numpy.random.Generator` or ``None``; a fixed seed gives
        identical results.

    Returns
    -------
    CareFunnel

    Raises
    ------
    ParameterError
        As :func:`~.model.engagement_account`.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> funnel = care_funnel(load_scenario("forrester-us-2009"))
    >>> list(funnel.summary().index)
    ['impressions', 'seen', 'reacted', 'replied']
    >>> round(funnel.reacted / 1e9, 2), round(funnel.replied / 1e9, 2)
    (4.49, 4.92)
    """
    acc = engagement_account(scenario, rates, n_draws=n_draws, seed=seed)
    return _funnel_from_account(acc)
