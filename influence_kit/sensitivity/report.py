"""Everything the CLI and the notebook report, in one call, plus the plain-language verdict.

:func:`sensitivity_report` runs the break-evens, the tornado, Monte Carlo and
Sobol for a scenario and returns a :class:`SensitivityReport`, whose
:meth:`~SensitivityReport.to_dict` is what ``influence-kit sensitivity --json``
prints. :func:`conclusion` writes the verdict from the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..accounting import evaluate
from ..constants import DEFAULT_DRAWS, DEFAULT_SOBOL_N, HEADLINE_THRESHOLD
from ..formatting import escape_markdown, format_number, format_quantity, number_key
from ..results import KeyFigures, Result, key_figures
from ..scenarios import Scenario
from ..validation import SeedLike, check_number, check_seed, seed_entropy
from .breakeven import BreakEvens, breakevens
from .montecarlo import MonteCarloResult, monte_carlo
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
) -> str:
    """A plain-language paragraph (Markdown) computed from the results.

    Parameters
    ----------
    base_total, base_readers
        Total impressions and readers per post of the base case.
    breakeven, tornado_result, mc, sobol_result
        The analyses to summarise (``mc`` must report ``threshold``).
    threshold
        The headline threshold (500 billion by default).
    """
    parts = [
        f"At the base case of {_num(base_readers)} readers per post the total is "
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
    key = number_key(threshold)
    if key in mc.prob_above:
        parts.append(
            f"With every input drawn from its distribution ({format_number(mc.draws)} draws), "
            f"the total has "
            f"a median of {_bn(mc.p50)} and a 90% interval of {_bn(mc.p5)} to {_bn(mc.p95)}; "
            f"it exceeds {_bn(threshold)} with probability {_pct(mc.prob_above[key])}."
        )
    ranked = sobol_result.summary()
    lead = ranked.iloc[0]
    interval = sobol_result.index_of(str(lead["input"]), alpha=0.05)
    lead_name = escape_markdown(_words(str(lead["input"])).capitalize())
    shown = [lead["S1"], interval["S1_lower"], interval["S1_upper"], lead["ST"]]
    # Sobol indices lie in [0, 1]; estimates outside are Monte Carlo error, said as such
    s1, s1_low, s1_high, st = (_pct(min(max(float(v), 0.0), 1.0)) for v in shown)
    parts.append(
        f"{lead_name} explains {s1} of the variance "
        f"of the total on its own (Sobol first-order index, 95% interval "
        f"{s1_low} to {s1_high}) and {st} with its interactions."
    )
    if any(not 0.0 <= float(v) <= 1.0 for v in shown):
        parts.append(
            "(Some estimates fell outside 0-100%, which only sampling error can do; they "
            "are shown at the nearest bound, and a larger Sobol sample, `--sobol-n`, "
            "narrows them.)"
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
        )

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
                f"probability the total exceeds {_bn(self.threshold)}",
                mc.prob_above[key],
                "share",
            ),
            (
                "top_tornado_input",
                "input with the largest tornado swing",
                self.tornado.top_input,
                "text",
            ),
            (
                "top_sobol_input",
                "input with the largest total Sobol index",
                str(self.sobol.summary().iloc[0]["input"]),
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
    threshold: float = HEADLINE_THRESHOLD,
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
        Report P(total > threshold); 500 billion (``prob_above_500e9``) is always reported.
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
    limit = check_number("threshold", threshold)
    thresholds = dict.fromkeys([HEADLINE_THRESHOLD, limit])
    be = breakevens(scenario, list(target_totals), list(target_shares))
    return SensitivityReport(
        scenario_name=scenario.name,
        base_total=float(evaluate(scenario)["total_impressions"]),
        base_readers_per_post=float(scenario.readers_per_post.base),
        threshold=limit,
        breakevens=be,
        tornado=tornado(scenario),
        monte_carlo=monte_carlo(
            scenario, draws, mc_seed, thresholds=thresholds, n_jobs=n_jobs, client=client
        ),
        sobol=sobol(scenario, sobol_n, sobol_seed),
    )
