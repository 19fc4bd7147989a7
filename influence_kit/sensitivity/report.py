"""Everything the CLI and the notebook report, in one call, plus the plain-language verdict.

:func:`sensitivity_report` runs the break-evens, the tornado, Monte Carlo and
Sobol for a scenario and returns a :class:`SensitivityReport`, whose
:meth:`~SensitivityReport.to_dict` is what ``influence-kit sensitivity --json``
prints. :func:`conclusion` writes the verdict from the numbers.

:func:`segment_sensitivity` does the same for the person-level figures: the Mass
Influencers at three thresholds and three readers per post, with the verdict in words
(:meth:`SegmentSensitivity.describe`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import effective_inputs, evaluate
from ..constants import DEFAULT_DRAWS, DEFAULT_SOBOL_N, HEADLINE_THRESHOLD
from ..formatting import (
    escape_markdown,
    format_number,
    format_percent,
    format_quantity,
    number_key,
)
from ..results import Conclusion, KeyFigures, Result, key_figures
from ..scenarios import Scenario
from ..segments.membership import resolve_concentration
from ..validation import SeedLike, check_nonnegative, check_number, check_seed, seed_entropy
from ..wording import claim_of, scenario_place
from .breakeven import BreakEvens, breakevens
from .montecarlo import MonteCarloResult, monte_carlo
from .person_level import PeopleInput, segment_readers_sweep, threshold_sweep
from .sobol import SobolResult, sobol
from .tornado import TornadoResult, tornado


def _bn(value: float) -> str:
    return format_quantity(value, "impressions")


def _num(value: float) -> str:
    return format_number(value)


def _pct(value: float) -> str:
    return format_quantity(value, "share")


def _label(name: str) -> str:
    """An input's name in words, escaped for Markdown (post-type names are user-chosen)."""
    return escape_markdown(_words(name))


def _words(name: str) -> str:
    return name.replace("readers_per_post_by_type.", "readers per post of ").replace("_", " ")


def conclusion(
    base_total: float,
    base_readers: float,
    breakeven: BreakEvens,
    tornado_result: TornadoResult,
    mc: MonteCarloResult,
    sobol_result: SobolResult,
    threshold: float = HEADLINE_THRESHOLD,
    *,
    claim: float | None = None,
    place: str = "",
) -> str:
    """A plain-language paragraph (Markdown) computed from the results.

    Parameters
    ----------
    base_total, base_readers
        Total impressions and readers per post of the base case.
    breakeven, tornado_result, mc, sobol_result
        The analyses to summarise (``mc`` must report ``threshold`` and ``claim``).
    threshold
        The total whose probability of being exceeded is reported (by default the
        scenario's own claim, see :func:`sensitivity_report`).
    claim
        The scenario's own published total: the probability of exceeding it is the
        verdict (``None``: the scenario publishes none, only ``threshold`` is tested).
    place
        The scenario's region and year (``"US, 2009"``), named in the opening sentence.
    """
    where = f" ({escape_markdown(place)})" if place else ""
    parts = [
        f"At the base case{where} of {_num(base_readers)} readers per post the total is "
        f"**{_bn(base_total)}** influence impressions a year."
    ]
    peq = breakeven["posts_equal_network"]
    if peq.readers_per_post is not None:
        side = "below" if base_readers < peq.readers_per_post else "at or above"
        parts.append(
            f"Post impressions would equal network impressions at {_num(peq.readers_per_post)} "
            f"readers per post, so the base case is {side} the point where posts take over."
        )
    for item in breakeven.items:
        if item.criterion == "posts_equal_network":
            continue
        if item.readers_per_post is None:
            parts.append(f"No readers per post meets '{item.label}': {item.reason}.")
        else:
            times = (
                f" ({format_number(item.readers_per_post / base_readers, 3)} times the base case)"
                if base_readers
                else ""
            )
            parts.append(
                f"The {item.label} at {_num(item.readers_per_post)} readers per post{times}."
            )
    top = tornado_result.bars[0]
    parts.append(
        f"Of all inputs, **{_label(top.input)}** moves the total most: from "
        f"{_bn(top.output_low)} to {_bn(top.output_high)} over its range "
        f"{_num(top.low)} to {_num(top.high)}."
    )
    tests = [
        (value, label)
        for value, label in (
            (claim, f"the published claim of {_bn(claim)}" if claim is not None else ""),
            (threshold, _bn(threshold)),
        )
        if value is not None and number_key(value) in mc.prob_above
    ]
    if tests and claim is not None and tests[-1][0] == claim:
        tests = tests[:1]  # the threshold is the claim: say it once
    if tests:
        exceeds = ", and ".join(
            f"{label} with probability {_pct(mc.prob_above[number_key(value)])}"
            for value, label in tests
        )
        parts.append(
            f"With every input drawn from its distribution ({format_number(mc.draws)} draws), "
            f"the total has "
            f"a median of {_bn(mc.p50)} and a 90% interval of {_bn(mc.p5)} to {_bn(mc.p95)}; "
            f"it exceeds {exceeds}."
        )
    ranked = sobol_result.summary()
    lead = ranked.iloc[0]
    interval = sobol_result.index_of(str(lead["input"]), alpha=0.05)
    lead_name = escape_markdown(_words(str(lead["input"])).capitalize())
    shown = [lead["S1"], interval["S1_lower"], interval["S1_upper"], lead["ST"]]
    # The prose shows the estimates exactly as the JSON and the tables hold them; true
    # Sobol indices lie in [0, 1], so estimates outside are sampling error, said as such.
    s1, s1_low, s1_high, st = (_pct(float(v)) for v in shown)
    if interval["S1_lower"] <= lead["S1"] <= interval["S1_upper"]:
        parts.append(
            f"{lead_name} explains {s1} of the variance "
            f"of the total on its own (Sobol first-order index, 95% interval "
            f"{s1_low} to {s1_high}) and {st} with its interactions."
        )
    else:
        # Never an estimate beside an interval that leaves it out without saying which is which.
        parts.append(
            f"{lead_name} explains {s1} of the variance "
            f"of the total on its own (Sobol first-order index, the full-sample estimate) "
            f"and {st} with its interactions. The 95% bootstrap percentile interval of the "
            f"estimator, {s1_low} to {s1_high}, does not contain that estimate: at this "
            "Sobol sample the estimator is biased, and a larger one (`--sobol-n`) settles it."
        )
    if any(not 0.0 <= float(v) <= 1.0 for v in shown):
        parts.append(
            "(Some estimates fall outside 0-100%, which only sampling error can do; "
            "a larger Sobol sample, `--sobol-n`, narrows them.)"
        )
    if lead["input"] == "readers_per_post" and lead["ST"] > 0.5:
        parts.append(
            "The total therefore stands or falls with readers per post, an assumption rather "
            "than a measurement."
        )
    return " ".join(parts)


@dataclass(frozen=True)
class SensitivityReport(Result):
    """The break-evens, tornado, Monte Carlo and Sobol results for one scenario."""

    scenario_name: str
    base_total: float
    base_readers_per_post: float
    threshold: float
    breakevens: BreakEvens
    tornado: TornadoResult
    monte_carlo: MonteCarloResult
    sobol: SobolResult
    #: The scenario's own published total (``None``: it publishes none).
    claim: float | None = None
    #: The scenario's region and year in words (``"US, 2009"``).
    place: str = ""

    def describe(self) -> str:
        """The plain-language conclusion (see :func:`conclusion`)."""
        return conclusion(
            self.base_total,
            self.base_readers_per_post,
            self.breakevens,
            self.tornado,
            self.monte_carlo,
            self.sobol,
            self.threshold,
            claim=self.claim,
            place=self.place,
        )

    def conclusion(self) -> Conclusion:
        """What the analysis concludes, in three or four plain sentences, and its lead figures.

        The base case and where posts take over; the Monte Carlo spread and the chance of
        exceeding the tested total (the scenario's own claim when it has one); the input
        that moves the total most, with its total Sobol index. :meth:`describe` is the
        longer paragraph with every break-even and the Sobol interval.
        """
        where = f" ({self.place})" if self.place else ""
        peq = self.breakevens["posts_equal_network"]
        first = (
            f"At the base case{where} of {_num(self.base_readers_per_post)} readers per post "
            f"the total is {_bn(self.base_total)} influence impressions a year"
        )
        if peq.readers_per_post is not None:
            first += (
                f"; post impressions would overtake network impressions above "
                f"{_num(peq.readers_per_post)} readers per post"
            )
        mc = self.monte_carlo
        key = number_key(self.threshold)
        sentences = [
            first + ".",
            f"With every input drawn from its distribution the total has a median of "
            f"{_bn(mc.p50)}, 90% of draws between {_bn(mc.p5)} and {_bn(mc.p95)}, and exceeds "
            f"{self._threshold_words()} in {_pct(mc.prob_above[key])} of draws.",
        ]
        top = self.tornado.bars[0]
        lead = self.sobol.summary().iloc[0]
        lead_name = _words(str(lead["input"]))
        sentences.append(
            f"{_words(top.input).capitalize()} moves the total most (from "
            f"{_bn(top.output_low)} to {_bn(top.output_high)} over its range), and "
            f"{lead_name} accounts for {_pct(float(lead['ST']))} of the total's variance with "
            "its interactions (Sobol total index)."
        )
        if lead["input"] == "readers_per_post" and lead["ST"] > 0.5:
            sentences.append(
                "The headline therefore stands or falls with readers per post, an assumption "
                "rather than a measurement."
            )
        return Conclusion(
            tuple(sentences),
            (
                "breakeven_posts_equal_network",
                "monte_carlo_p5",
                "monte_carlo_p50",
                "monte_carlo_p95",
                f"prob_above_{key}",
                "top_tornado_input",
                "top_sobol_input",
            ),
        )

    def _threshold_words(self) -> str:
        """The tested total in words, named as the claim when it is the claim."""
        if self.claim is not None and number_key(self.claim) == number_key(self.threshold):
            return f"the published claim of {_bn(self.threshold)}"
        return _bn(self.threshold)

    def key_figures(self) -> KeyFigures:
        """The figures a notebook's ``summary.json`` records.

        Keys: ``scenario``, ``breakeven_<criterion key>`` (``breakeven_posts_equal_network``,
        ``breakeven_1e12``, ...; ``None`` = never), ``monte_carlo_p5``/``p50``/``p95``,
        ``prob_above_<threshold>``, ``top_tornado_input`` and ``top_sobol_input``.
        """
        key = number_key(self.threshold)
        mc = self.monte_carlo
        rows: list[tuple[str, str, Any, str]] = [
            ("scenario", "scenario", self.scenario_name, "text")
        ]
        rows += [
            (
                f"breakeven_{b.key}",
                f"break-even readers per post: {b.label}",
                b.readers_per_post,
                "readers",
            )
            for b in self.breakevens.items
        ]
        rows += [
            ("monte_carlo_p5", "total impressions, 5th percentile", mc.p5, "impressions"),
            ("monte_carlo_p50", "total impressions, median", mc.p50, "impressions"),
            ("monte_carlo_p95", "total impressions, 95th percentile", mc.p95, "impressions"),
            (
                f"prob_above_{key}",
                f"probability the total exceeds {self._threshold_words()}",
                mc.prob_above[key],
                "share",
            ),
            (
                "top_tornado_input",
                "input with the largest tornado swing",
                _words(self.tornado.top_input),
                "text",
            ),
            (
                "top_sobol_input",
                "input with the largest total Sobol index",
                _words(str(self.sobol.summary().iloc[0]["input"])),
                "text",
            ),
        ]
        return key_figures(*rows)

    def summary(self) -> pd.DataFrame:
        """Key figures as a two-column table (figure, value)."""
        rows: list[tuple[str, float | None]] = [("total impressions (base case)", self.base_total)]
        for b in self.breakevens.items:
            rows.append((f"break-even readers per post: {b.label}", b.readers_per_post))
        rows += [
            ("Monte Carlo P5", self.monte_carlo.p5),
            ("Monte Carlo P50", self.monte_carlo.p50),
            ("Monte Carlo P95", self.monte_carlo.p95),
        ]
        rows += [(f"P(total > {k})", p) for k, p in self.monte_carlo.prob_above.items()]
        rows.append(("largest tornado swing", self.tornado.bars[0].swing))
        return pd.DataFrame(rows, columns=["figure", "value"])

    def to_dict(self) -> dict[str, Any]:
        """JSON for ``influence-kit sensitivity --json``.

        Keys: ``scenario``, ``base_total``, ``breakeven_readers_per_post``
        (``posts_equal_network`` and one entry per target total, keyed like
        ``1e12``; ``null`` = never), ``breakevens`` (every criterion in full),
        ``tornado`` (bars sorted by swing), ``tornado_output``, ``monte_carlo``
        (``p5``, ``p50``, ``p95``, ``prob_above_<threshold>``, ...), ``sobol``
        (records sorted by ST) and ``sobol_run``.
        """
        mc = self.monte_carlo.to_dict()
        sob = self.sobol.to_dict()
        return {
            "scenario": self.scenario_name,
            "claim": self.claim,
            "threshold": self.threshold,
            "base_total": self.base_total,
            "base_readers_per_post": self.base_readers_per_post,
            "breakeven_readers_per_post": self.breakevens.as_mapping(),
            "breakevens": [b.to_dict() for b in self.breakevens.items],
            "tornado": self.tornado.records(),
            "tornado_output": self.tornado.output,
            "monte_carlo": mc,
            "sobol": sob.pop("indices"),
            "sobol_run": sob,
            "conclusion": self.describe(),
        }


def sensitivity_report(
    scenario: Scenario,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: SeedLike = None,
    target_totals: Iterable[float] = (),
    target_shares: Iterable[float] = (),
    threshold: float | None = None,
    sobol_n: int = DEFAULT_SOBOL_N,
    n_jobs: int | None = None,
    client: Any = None,
) -> SensitivityReport:
    """Run the break-evens, tornado, Monte Carlo and Sobol analyses of the total.

    Parameters
    ----------
    scenario
        The scenario.
    draws, seed
        Monte Carlo draws and the seed shared by Monte Carlo and Sobol (the seed rule
        of :mod:`influence_kit.validation`: ``None`` draws fresh entropy, recorded in
        both results so the run can be repeated).
    n_jobs, client
        Where the Monte Carlo chunks run: local worker processes (the ``n_jobs`` rule of
        :mod:`influence_kit.validation`), or a ``dask.distributed`` client (identical
        numbers either way).
    target_totals, target_shares
        Break-even targets: totals (e.g. ``1e12``) and shares of advertiser impressions.
    threshold
        Report P(total > threshold); ``None`` (the default) tests the scenario's own
        published claim (``headline.total_impressions_claim``: 120 billion for Western
        Europe 2010), or 500 billion when it publishes none. The claim and 500 billion
        (``prob_above_500e9``) are always reported; the conclusion tests the claim.
    sobol_n
        Sobol base sample size (a power of 2).

    Raises
    ------
    ParameterError
        For any invalid argument (the message names it).
    """
    seq = check_seed(seed)
    entropy = seed_entropy(seq)
    mc_seed, sobol_seed = (entropy, entropy) if entropy is not None else seq.spawn(2)
    claim = claim_of(scenario)
    if threshold is None:
        threshold = HEADLINE_THRESHOLD if claim is None else claim
    limit = check_number("threshold", threshold)
    thresholds = dict.fromkeys([HEADLINE_THRESHOLD, *([] if claim is None else [claim]), limit])
    be = breakevens(scenario, list(target_totals), list(target_shares))
    return SensitivityReport(
        scenario_name=scenario.name,
        base_total=float(evaluate(scenario)["total_impressions"]),
        base_readers_per_post=float(effective_inputs(scenario).readers_per_post.base),
        threshold=limit,
        breakevens=be,
        tornado=tornado(scenario),
        monte_carlo=monte_carlo(
            scenario, draws, mc_seed, thresholds=thresholds, n_jobs=n_jobs, client=client
        ),
        sobol=sobol(scenario, sobol_n, sobol_seed),
        claim=claim,
        place=scenario_place(scenario),
    )


#: A change of the Mass Influencers' share of the total smaller than this (5 points) over
#: the readers range "barely moves" it.
BARELY_MOVES = 0.05

#: How far :func:`segment_sensitivity` moves the threshold either side of the scenario's.
THRESHOLD_STEP = 0.1


def _three(values: Any) -> tuple[float, float, float]:
    low, mid, high = (float(v) for v in values)
    return low, mid, high


@dataclass(frozen=True)
class SegmentSensitivity(Result):
    """The Mass Influencers at three thresholds and at three readers per post.

    Attributes
    ----------
    concentration_share
        The scenario's threshold (0.8: the segments make 80% of their channel).
    thresholds
        The threshold moved down and up by a step, and the scenario's in the middle.
    influencers_share_of_adults
        Share of adults who are Mass Influencers at each of :attr:`thresholds`.
    readers
        Readers per post: the low end of the range, the base and the high end.
    influencers_share_of_total, connectors_share_of_total, mavens_share_of_total
        Share of total impressions each segment makes at each of :attr:`readers`.
    influencers_share_at_zero_readers, influencers_share_at_infinite_readers
        The Mass Influencers' share of the total without readers and in the limit of many.
    top_fraction_total
        Smallest share of adults making :attr:`concentration_share` of the total at each
        of :attr:`readers`.
    top_fraction_network
        The same for network impressions alone.
    """

    concentration_share: float
    thresholds: tuple[float, float, float]
    influencers_share_of_adults: tuple[float, float, float]
    readers: tuple[float, float, float]
    influencers_share_of_total: tuple[float, float, float]
    connectors_share_of_total: tuple[float, float, float]
    mavens_share_of_total: tuple[float, float, float]
    influencers_share_at_zero_readers: float
    influencers_share_at_infinite_readers: float
    top_fraction_total: tuple[float, float, float]
    top_fraction_network: float

    @property
    def influencers_shift(self) -> float:
        """How far the Mass Influencers' share of the total moves from the low to the high
        readers per post (absolute)."""
        low, _, high = self.influencers_share_of_total
        return abs(high - low)

    @property
    def barely_moves(self) -> bool:
        """Whether that shift is under :data:`BARELY_MOVES` (5 points)."""
        return self.influencers_shift < BARELY_MOVES

    def describe(self) -> str:
        """Two Markdown paragraphs: the segments are set by the threshold; readers per post
        move the Mass Influencers' weight in the total (or barely), and the weight inside
        the group."""
        pct0, pct1 = format_percent, partial(format_percent, decimals=1)
        rules, mi = self.thresholds, self.influencers_share_of_adults
        r_low, r_base, r_high = (format_number(r) for r in self.readers)
        low, base, high = (pct1(v) for v in self.influencers_share_of_total)
        conn, mav = self.connectors_share_of_total, self.mavens_share_of_total
        limits = sorted(
            (self.influencers_share_at_infinite_readers, self.influencers_share_at_zero_readers)
        )
        f_low, f_base, f_high = (pct1(v) for v in self.top_fraction_total)
        concentration = pct0(self.concentration_share)
        moves = "barely moves" if self.barely_moves else "moves"
        first = (
            f"**The segments are a product of the threshold.** At {pct0(rules[1])} the Mass "
            f"Influencers are {pct1(mi[1])} of adults; a {pct0(rules[0])} rule would give "
            f"{pct1(mi[0])} and a {pct0(rules[2])} rule {pct1(mi[2])}, so the published size "
            "is a definition, not a finding."
        )
        second = (
            f"**Readers per post {moves} their weight in the total.** With {r_low}, {r_base} "
            f"and {r_high} readers per post the Mass Influencers make {low}, {base} and {high} "
            f"of all influence impressions (between {pct1(limits[0])} and {pct1(limits[1])} "
            f"whatever the readers), but the weight shifts inside the group: from {r_low} to "
            f"{r_high} readers the Connectors' share {'falls' if conn[2] < conn[0] else 'rises'} "
            f"from {pct1(conn[0])} to {pct1(conn[2])} and the Mavens' "
            f"{'rises' if mav[2] > mav[0] else 'falls'} from {pct1(mav[0])} to {pct1(mav[2])}. "
            f"The smallest share of adults making {concentration} of the total is {f_low}, "
            f"{f_base} and {f_high} at the three values (without posts it would be the "
            f"{pct1(self.top_fraction_network)} who make {concentration} of network "
            "impressions)."
        )
        return f"{first}\n\n{second}"

    def summary(self) -> pd.DataFrame:
        """One row per figure, one column per point (``low``, ``base``, ``high``)."""
        rows = {
            "threshold": self.thresholds,
            "influencers_share_of_adults": self.influencers_share_of_adults,
            "readers_per_post": self.readers,
            "influencers_share_of_total": self.influencers_share_of_total,
            "connectors_share_of_total": self.connectors_share_of_total,
            "mavens_share_of_total": self.mavens_share_of_total,
            "top_fraction_total": self.top_fraction_total,
        }
        return pd.DataFrame.from_dict(
            rows, orient="index", columns=["low", "base", "high"]
        ).rename_axis("figure")

    def to_dict(self) -> dict[str, Any]:
        """Every field, with ``barely_moves`` and the text of :meth:`describe`."""
        data = super().to_dict()
        data["barely_moves"] = self.barely_moves
        data["conclusion"] = self.describe()
        return data

    def key_figures(self) -> KeyFigures:
        """``influencers_share_of_adults_at_<threshold>`` for the three thresholds and
        ``influencers_share_of_total_at_<readers>_readers`` for the three readers per post
        (the keys the readers-per-post notebook records)."""
        rows: list[tuple[Any, ...]] = [
            (
                f"influencers_share_of_adults_at_{number_key(round(t, 12))}",
                f"Mass Influencers' share of adults at the {format_percent(t)} threshold",
                share,
                "share",
            )
            for t, share in zip(self.thresholds, self.influencers_share_of_adults, strict=True)
        ]
        seen = set()
        for r, share in zip(self.readers, self.influencers_share_of_total, strict=True):
            if r in seen:  # the base may equal an end of the range
                continue
            seen.add(r)
            rows.append(
                (
                    f"influencers_share_of_total_at_{number_key(r)}_readers",
                    f"Mass Influencers' share of the total at {format_quantity(r, 'readers')} "
                    "readers per post",
                    share,
                    "share",
                )
            )
        return key_figures(*rows)


def segment_sensitivity(
    people: PeopleInput,
    scenario: Scenario,
    *,
    readers_low: float,
    readers_high: float,
    base_readers: float | None = None,
    threshold_step: float = THRESHOLD_STEP,
) -> SegmentSensitivity:
    """The Mass Influencers at the threshold +- a step and at three readers per post.

    Runs :func:`~influence_kit.sensitivity.threshold_sweep` at the scenario's
    concentration threshold and ``threshold_step`` either side of it, and
    :func:`~influence_kit.sensitivity.segment_readers_sweep` at ``readers_low``, the base
    and ``readers_high`` readers per post, on a person table (usually the synthetic
    panel), and keeps the figures :meth:`SegmentSensitivity.describe` puts in words.

    Parameters
    ----------
    people
        A person table, a :class:`~influence_kit.population.SyntheticPopulation` or the
        path of one.
    scenario
        Gives the threshold (``segments.concentration_share``) and readers per post.
    readers_low, readers_high
        The ends of the readers-per-post range.
    base_readers
        The base readers per post (``None``: the scenario's ``readers_per_post.base``);
        it may equal an end of the range.
    threshold_step
        How far the threshold moves either side (both ends must stay inside (0, 1)).

    Raises
    ------
    ParameterError
        If a readers value is negative, the scenario has no segments block, or a moved
        threshold leaves (0, 1).
    """
    concentration = resolve_concentration(None, scenario)
    step = check_number("threshold_step", threshold_step)
    base = float(scenario.readers_per_post.base) if base_readers is None else base_readers
    points = [
        check_nonnegative(name, value)
        for name, value in (
            ("readers_low", readers_low),
            ("base_readers", base),
            ("readers_high", readers_high),
        )
    ]
    marks = segment_readers_sweep(people, scenario, points)
    at = [int(np.flatnonzero(marks.readers == r)[0]) for r in points]
    rules = [concentration - step, concentration, concentration + step]
    around = threshold_sweep(people, rules, scenario=scenario)
    return SegmentSensitivity(
        concentration_share=concentration,
        thresholds=_three(rules),
        influencers_share_of_adults=_three(around.share_at(t) for t in rules),
        readers=_three(points),
        influencers_share_of_total=_three(marks.share_of_total["mass_influencers"][i] for i in at),
        connectors_share_of_total=_three(marks.share_of_total["mass_connectors"][i] for i in at),
        mavens_share_of_total=_three(marks.share_of_total["mass_mavens"][i] for i in at),
        influencers_share_at_zero_readers=float(marks.share_at_zero_readers["mass_influencers"]),
        influencers_share_at_infinite_readers=float(
            marks.share_at_infinite_readers["mass_influencers"]
        ),
        top_fraction_total=_three(marks.top_fraction_total[i] for i in at),
        top_fraction_network=float(marks.top_fraction_network),
    )
