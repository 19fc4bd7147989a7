"""Every estimate shown beside an interval lies inside it, or the two are labelled apart.

The rule (issue 22, "Intervals that belong to their estimates"): a result that shows a point
estimate with an interval either contains it, or says that the two are different things
(the base case against a Monte Carlo interval, a model's interval against the sample's
estimate). Two halves:

* every class of :mod:`influence_kit` with a ``conf_int`` method is built through the public
  API, small and seeded, and what it shows beside its intervals (``summary()``, key figures,
  ``describe()``) is checked; :func:`test_every_class_with_conf_int_is_covered` fails when a
  class with ``conf_int`` appears that this file does not check;
* every rendered report (the session's ``site``): the key figures of ``summary.json`` and
  every table the notebooks display, read back from their HTML, hold no estimate outside its
  own lower/upper columns unless the table labels them apart.

Estimates and bounds equal by construction may differ in the last bits of a float (a top
group holds exactly 80% of its activity with ties split): :func:`inside` allows a relative
1e-9.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import math
import pkgutil
import re
import warnings
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import influence_kit
from influence_kit import load_scenario

SCENARIOS = ("forrester-us-2009", "skeptic-us-2009", "audience-us-2009", "western-europe-2010")


def inside(value: float, lower: float, upper: float, rel: float = 1e-9) -> bool:
    """``lower <= value <= upper`` up to a relative ``rel`` (float rounding only)."""
    tol = rel * max(1.0, abs(value), abs(lower), abs(upper))
    return lower - tol <= value <= upper + tol


def _rows_outside(frame: pd.DataFrame, estimate: str, lower: str, upper: str) -> list[str]:
    """Rows of ``frame`` whose ``estimate`` lies outside ``[lower, upper]`` (NaN: no interval)."""
    bad = []
    for name, row in frame.iterrows():
        value, low, high = (float(row[c]) for c in (estimate, lower, upper))
        if math.isnan(low) and math.isnan(high):
            continue
        if math.isnan(value) or not inside(value, low, high):
            bad.append(f"{name}: {estimate} {value!r} outside [{low!r}, {high!r}]")
    return bad


# --- building the results ----------------------------------------------------------------


@cache
def _panel(name: str) -> pd.DataFrame:
    from influence_kit.population import load_panel

    return load_panel(load_scenario(name))


@cache
def _comparisons(name: str, seed: int) -> dict[str, Any]:
    from influence_kit.reach import readers_on_shipped_graphs

    return readers_on_shipped_graphs(load_scenario(name), posts=200, seed=seed)


def _heavy_tailed(seed: int, n: int = 400, tail_index: float = 1.3) -> np.ndarray:
    return np.random.default_rng(seed).pareto(tail_index, n) + 1.0


def _lognormal(seed: int, n: int = 400) -> np.ndarray:
    return np.random.default_rng(seed).lognormal(0.0, 1.5, n)


@cache
def _fit(family: str, seed: int) -> Any:
    from influence_kit.fitting import fit_all

    rng = np.random.default_rng(seed)
    if family == "pareto":
        values = np.floor(rng.pareto(1.5, 600) * 3.0 + 1.0)
    else:
        values = np.floor(rng.lognormal(1.0, 1.5, 600)) + 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_all(values, bootstrap_replicates=39, seed=seed)


def _concentration(values: np.ndarray, method: str, seed: int) -> Any:
    from influence_kit.concentration import concentration

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return concentration(values, reps=39, seed=seed, method=method)


# --- one check per class -------------------------------------------------------------------


def check_monte_carlo(seeds: range = range(3)) -> None:
    """P5 <= P50 <= P95, the P50 inside ``conf_int`` at every level; the base case labelled."""
    from influence_kit.sensitivity import monte_carlo

    for name in SCENARIOS:
        scenario = load_scenario(name)
        for seed in seeds:
            mc = monte_carlo(scenario, draws=2000, seed=seed)
            for alpha in (0.05, 0.10, 0.5):
                ci = mc.conf_int(alpha).iloc[0]
                assert inside(mc.p50, ci["lower"], ci["upper"]), (name, seed, alpha)
            ci = mc.conf_int(0.05).iloc[0]
            assert inside(mc.mean, ci["lower"], ci["upper"]), (name, seed)
            summary = mc.summary().set_index("statistic")["value"]
            assert summary["P5"] <= summary["P50 (median)"] <= summary["P95"]
            # the base case is a different figure, and the table says so
            assert "base case" in summary.index
            data = mc.to_dict()
            block = data["conf_int"]["intervals"][mc.output]
            assert inside(data["p50"], block["lower"], block["upper"])


def check_sobol(seeds: range = range(5)) -> None:
    """The full-sample indices lie inside their bootstrap percentile intervals, and where one
    could not (a biased estimator) the prose and the plot say which is which."""
    from influence_kit.sensitivity import sobol, sobol_analytic

    for name in SCENARIOS:
        scenario = load_scenario(name)
        for seed in seeds:
            result = sobol(scenario, n=64, seed=seed, num_resamples=39)
            assert result.outside_interval() == [], (name, seed)
            assert result.to_dict()["estimates_outside_interval"] == []
            lead = str(result.summary().iloc[0]["input"])
            shown = result.index_of(lead)
            for kind in ("S1", "ST"):
                assert inside(shown[kind], shown[f"{kind}_lower"], shown[f"{kind}_upper"])
    exact = sobol_analytic(load_scenario("forrester-us-2009"))
    ci = exact.conf_int()
    assert np.allclose(ci["lower"], np.concatenate([exact.S1, exact.ST]))
    assert exact.outside_interval() == []


def _biased(result: Any) -> Any:
    """``result`` with bootstrap replicates shifted above every estimate."""
    return dataclasses.replace(result, S1_boot=result.S1_boot + 0.5, ST_boot=result.ST_boot + 0.5)


def check_sobol_labelled_when_outside() -> None:
    """A Sobol estimate outside its interval is never printed beside it unlabelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from influence_kit.plots.sensitivity import plot_sobol
    from influence_kit.sensitivity import sensitivity_report

    report = sensitivity_report(load_scenario("forrester-us-2009"), draws=1000, seed=3, sobol_n=64)
    assert "full-sample estimate" not in report.describe()
    biased = dataclasses.replace(report, sobol=_biased(report.sobol))
    assert biased.sobol.outside_interval()
    text = biased.describe()
    assert "full-sample estimate" in text and "does not contain that estimate" in text
    assert "bootstrap percentile interval" in text
    assert biased.to_dict()["sobol_run"]["estimates_outside_interval"]
    ax = plot_sobol(biased.sobol)
    assert "outside their 95% bootstrap percentile interval" in ax.get_xlabel()
    plt.close(ax.figure)
    ax = plot_sobol(report.sobol)
    assert "outside" not in ax.get_xlabel()
    plt.close(ax.figure)


def check_sobol_protocol() -> None:
    """``SobolLike`` is what :func:`plot_sobol` draws: a real result satisfies it, and the
    whiskers it draws from ``conf_int`` are labelled when a bar lies outside (above)."""
    from influence_kit.plots.sensitivity import SobolLike
    from influence_kit.sensitivity import sobol

    result = sobol(load_scenario("skeptic-us-2009"), n=64, seed=1, num_resamples=39)
    for member in ("scenario_name", "output", "method", "n", "summary", "conf_int"):
        assert hasattr(result, member), member
    assert "conf_int" in vars(SobolLike)
    check_sobol_labelled_when_outside()


def check_care_funnel() -> None:
    """Each stage's Monte Carlo median lies inside its Monte Carlo interval; the base case,
    which need not, is named as the base case, and the conclusion says when it lies
    outside."""
    from influence_kit.engagement import care_funnel

    for name in SCENARIOS:
        for seed in (0, 1):
            funnel = care_funnel(load_scenario(name), n_draws=2000, seed=seed)
            summary = funnel.summary()
            assert _rows_outside(summary, "mc_median", "lower", "upper") == [], (name, seed)
            ci = funnel.conf_int()
            assert np.allclose(ci.loc[summary.index, "lower"], summary["lower"])
            said = funnel.conclusion().text
            assert "base case" in said
            share = funnel.share("reacted_or_replied")
            low, high = (
                float(ci.loc["reacted_or_replied", b]) / funnel.impressions
                for b in ("lower", "upper")
            )
            if not low <= share <= high:
                assert "lies below its interval" in said or "lies above its interval" in said


def check_engagement() -> None:
    """The Monte Carlo median and mean lie inside the Monte Carlo interval; the base case,
    which need not, is labelled as a different figure everywhere it is shown."""
    from influence_kit.engagement import engagement_account
    from influence_kit.engagement.model import BASE_CASE_LABEL, MC_INTERVAL_LABEL

    base_outside = 0
    for name in SCENARIOS:
        for seed in (0, 1):
            result = engagement_account(load_scenario(name), n_draws=2000, seed=seed)
            mc = result.monte_carlo()
            for column in ("mc_median", "mc_mean"):
                assert _rows_outside(mc, column, "mc_lower", "mc_upper") == [], (name, seed)
            assert "base case" in mc.attrs["note"]
            ci = result.conf_int()
            assert np.allclose(ci["lower"], mc["mc_lower"]) and "base case" in ci.attrs["note"]
            summary = result.summary()
            for column in ("engaged_mc_median", "engaged_mc_mean"):
                assert _rows_outside(summary, column, "engaged_mc_lower", "engaged_mc_upper") == []
            assert "base case" in summary.attrs["note"]
            outside = _rows_outside(mc, "base_case", "mc_lower", "mc_upper")
            base_outside += len(outside)
            figures = result.key_figures()
            labels = figures.labels()
            for key in ("seen_impressions", "engaged_impressions", "engaged_share"):
                assert BASE_CASE_LABEL in labels[key]
                assert MC_INTERVAL_LABEL in labels[f"{key}_mc_lower"]
                assert BASE_CASE_LABEL not in labels[f"{key}_mc_lower"]
                assert inside(
                    figures[f"{key}_mc_median"],
                    figures[f"{key}_mc_lower"],
                    figures[f"{key}_mc_upper"],
                )
            text = result.describe()
            assert "base case" in text and "Monte Carlo interval" in text
    # the labelled case is exercised: F4's base case falls below the Monte Carlo interval
    assert base_outside > 0


def check_segmentation(seeds: range = range(4)) -> None:
    """Every segment statistic and ladder share inside its bootstrap percentile interval."""
    from influence_kit.segments import segment_people

    scenario = load_scenario("forrester-us-2009")
    people = _panel("forrester-us-2009")
    for seed in seeds:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the heavy-tail caution, checked elsewhere
            result = segment_people(
                people.sample(n=1000, random_state=seed), scenario, n_boot=39, seed=seed
            )
        table = result.intervals.set_index(["segment", "statistic"])
        assert _rows_outside(table, "estimate", "low", "high") == [], seed
        ci = result.conf_int(1 - result.ci_level)
        for quantity, row in ci.iterrows():
            segment, statistic = str(quantity).split(".", 1)
            if segment == "technographics":
                estimate = result.technographics[statistic]
            else:
                estimate = float(result.segments[statistic].loc[segment])
            if math.isnan(row["lower"]) or math.isnan(estimate):
                continue
            assert inside(estimate, row["lower"], row["upper"]), (seed, quantity)
        assert _rows_outside(result.ladder(), "share_of_adults", "low", "high") == []


def check_family_fit() -> None:
    """Wald intervals are centred on the estimate; a parameter without a standard error has
    no interval at all (both ends NaN), never half of one."""
    for family in ("pareto", "lognormal"):
        for seed in (0, 1):
            report = _fit(family, seed)
            for fit in report.alternatives.values():
                frame = fit.summary().join(fit.conf_int().set_axis(fit.summary().index))
                assert _rows_outside(frame, "estimate", "lower", "upper") == [], fit.family
                assert (frame["lower"].isna() == frame["upper"].isna()).all()


def check_power_law_fit() -> None:
    """The Wald interval of alpha contains alpha (the summary's ``alpha`` row)."""
    for family in ("pareto", "lognormal"):
        for seed in (0, 1):
            fit = _fit(family, seed).power_law
            ci = fit.conf_int().loc["alpha"]
            assert inside(fit.alpha, ci["lower"], ci["upper"])
            assert "alpha" in fit.summary().index


def check_uncertainty(seeds: range = range(4)) -> None:
    """The bootstrap re-chooses x_min in every replicate, so its percentile intervals can
    leave the fit's x_min, alpha or n_tail out (seen: n_tail 58 against 61.2-452, lognormal
    data, seed 8): the summary shows no point beside them and ``conf_int`` says what they
    are. The alpha interval contains alpha in the seeds checked."""
    for family in ("pareto", "lognormal"):
        for seed in seeds:
            report = _fit(family, seed)
            unc, fit = report.uncertainty, report.power_law
            assert unc is not None
            assert list(unc.summary().columns) == ["std. dev.", "2.5%", "97.5%"]
            ci = unc.conf_int()
            assert "need not contain the fitted" in ci.attrs["note"]
            row = ci.loc["alpha"]
            assert inside(fit.alpha, row["lower"], row["upper"]), (family, seed)


def check_heavy_tail_report() -> None:
    """Every Wald row of ``conf_int`` contains the key figure (or parameter) it belongs to;
    the bootstrap rows, which need not, are named and described as the bootstrap's."""
    for family in ("pareto", "lognormal"):
        for seed in (0, 1):
            report = _fit(family, seed)
            figures = report.key_figures()
            estimates = {"alpha": figures["alpha"]}
            for name, fit in report.alternatives.items():
                estimates.update({f"{name}: {k}": v for k, v in fit.params.items()})
            frame = report.conf_int()
            bootstrap = [q for q in frame.index if str(q).endswith(" (bootstrap)")]
            assert sorted(bootstrap) == [
                "alpha (bootstrap)",
                "n_tail (bootstrap)",
                "xmin (bootstrap)",
            ]
            assert "xmin held fixed" in frame.attrs["note"]
            assert "need not contain the fitted" in frame.attrs["note"]
            frame = frame.drop(index=bootstrap)
            assert set(frame.index) == set(estimates)
            frame["estimate"] = [estimates[q] for q in frame.index]
            assert _rows_outside(frame, "estimate", "lower", "upper") == [], (family, seed)


def check_concentration(seeds: range = range(2)) -> None:
    """The sample estimate lies inside the percentile and the envelope interval; a forced
    Pareto-tail interval belongs to the model: the summary then names the method and gives
    the model's estimate, which lies inside, beside the sample's."""
    for seed in seeds:
        for values in (_heavy_tailed(seed), _lognormal(seed)):
            for method in ("auto", "percentile", "pareto_tail", "envelope"):
                try:
                    result = _concentration(values, method, seed)
                except influence_kit.errors.ParameterError:
                    assert method in ("pareto_tail", "envelope")  # no tail to model
                    continue
                summary = result.summary()
                chosen = result.interval_method.value
                assert set(summary["interval"]) == {chosen}
                if chosen == "pareto_tail":
                    assert "model_estimate" in summary.columns
                else:
                    assert _rows_outside(summary, "estimate", "lower", "upper") == [], (
                        seed,
                        method,
                    )
                if "model_estimate" in summary.columns:
                    assert _rows_outside(summary, "model_estimate", "lower", "upper") == [], (
                        seed,
                        method,
                    )


def check_bootstrap_draws() -> None:
    """The replicates' mean inside their 2.5-97.5 percentiles, the same as ``conf_int``."""
    for seed in range(3):
        draws = _concentration(_heavy_tailed(seed), "percentile", seed).draws
        summary = draws.summary().set_index("measure")
        assert _rows_outside(summary, "mean", "p2.5", "p97.5") == []
        ci = draws.conf_int(0.05)
        assert np.allclose(ci["lower"], summary["p2.5"]) and np.allclose(
            ci["upper"], summary["p97.5"]
        )


def check_pareto_tail_model() -> None:
    """The tail index inside its exact interval, x_min inside its range."""
    for seed in range(3):
        model = _concentration(_heavy_tailed(seed, 800), "pareto_tail", seed).tail_model
        assert model is not None
        values = model.summary()["value"]
        assert inside(values["tail_index"], values["tail_index_lower"], values["tail_index_upper"])
        assert inside(values["xmin"], values["xmin_lower"], values["xmin_upper"])
        ci = model.conf_int().loc["tail_index"]
        assert inside(model.tail_index, ci["lower"], ci["upper"])


def check_readers_distribution() -> None:
    """Mean readers and the cascade shares inside their Monte Carlo intervals."""
    for seed in (0, 1):
        for comparison in _comparisons("forrester-us-2009", seed).values():
            summary = comparison.distribution.summary()
            assert _rows_outside(summary, "value", "lower", "upper") == []


def check_readers_comparison() -> None:
    """Derived readers per post and the total they give inside their intervals."""
    for seed in (0, 1):
        for comparison in _comparisons("forrester-us-2009", seed).values():
            assert _rows_outside(comparison.summary(), "value", "lower", "upper") == []


def check_headline_survival(names: tuple[str, ...] = ("audience-us-2009",)) -> None:
    """The total with everything derived (at the inputs' base values) inside its Monte Carlo
    5-95% interval, in the key figures and the conclusion alike."""
    from influence_kit.reach import headline_survival

    for name in names:
        scenario = load_scenario(name)
        survival = headline_survival(
            scenario, _comparisons(name, 0), _panel(name), draws=1000, seed=0
        )
        figures = survival.key_figures()
        assert inside(
            figures["total_all_derived"], figures["p5_all_derived"], figures["p95_all_derived"]
        ), name
        ci = survival.conf_int(0.10).iloc[0]
        assert np.isclose(ci["lower"], figures["p5_all_derived"])
        assert np.isclose(ci["upper"], figures["p95_all_derived"])


#: Each class with ``conf_int`` (module path and qualified name) and the check of what it shows.
CHECKS: dict[str, Callable[[], None]] = {
    "influence_kit.sensitivity.montecarlo.MonteCarloResult": check_monte_carlo,
    "influence_kit.sensitivity.sobol.SobolResult": check_sobol,
    "influence_kit.plots.sensitivity.SobolLike": check_sobol_protocol,
    "influence_kit.engagement.model.EngagementAccount": check_engagement,
    "influence_kit.engagement.funnel.CareFunnel": check_care_funnel,
    "influence_kit.segments.segmentation.Segmentation": check_segmentation,
    "influence_kit.fitting.results.FamilyFit": check_family_fit,
    "influence_kit.fitting.results.PowerLawFit": check_power_law_fit,
    "influence_kit.fitting.results.Uncertainty": check_uncertainty,
    "influence_kit.fitting.results.HeavyTailReport": check_heavy_tail_report,
    "influence_kit.concentration.bootstrap.ConcentrationResult": check_concentration,
    "influence_kit.concentration.bootstrap.BootstrapDraws": check_bootstrap_draws,
    "influence_kit.concentration.tail_intervals.ParetoTailModel": check_pareto_tail_model,
    "influence_kit.audience.readers.ReadersDistribution": check_readers_distribution,
    "influence_kit.reach.ReadersComparison": check_readers_comparison,
    "influence_kit.reach.HeadlineSurvival": check_headline_survival,
}


def classes_with_conf_int() -> set[str]:
    """Every class defined in :mod:`influence_kit` that has a ``conf_int`` method."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(influence_kit.__path__, "influence_kit."):
        if info.name.rsplit(".", 1)[-1] == "__main__":  # runs the command line
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and obj.__module__ == module.__name__
                and callable(getattr(obj, "conf_int", None))
            ):
                found.add(f"{obj.__module__}.{obj.__qualname__}")
    return found


def test_every_class_with_conf_int_is_covered():
    """A new class with ``conf_int`` needs a check in :data:`CHECKS` (and one gone, out)."""
    found = classes_with_conf_int()
    assert found - set(CHECKS) == set(), "classes with conf_int that no check covers"
    assert set(CHECKS) - found == set(), "checks of classes that no longer have conf_int"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_estimates_lie_in_their_intervals(name):
    CHECKS[name]()


@pytest.mark.slow
@pytest.mark.parametrize(
    "check",
    [
        lambda: check_monte_carlo(range(3, 23)),
        lambda: check_sobol(range(5, 20)),
        lambda: check_segmentation(range(4, 12)),
        lambda: check_uncertainty(range(4, 12)),
        lambda: check_concentration(range(2, 12)),
        lambda: check_headline_survival(SCENARIOS),
    ],
    ids=["monte_carlo", "sobol", "segmentation", "uncertainty", "concentration", "survival"],
)
def test_estimates_lie_in_their_intervals_over_many_seeds(check):
    check()


# --- every rendered report -----------------------------------------------------------------

_NUMBER = r"[-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?%?"
_WITH_INTERVAL = re.compile(rf"^\s*({_NUMBER})\s*\(\s*({_NUMBER})\s+to\s+({_NUMBER})\s*\)\s*$")

#: ``(lower, upper)`` column or key names that make an interval, as suffix pairs of a stem.
_BOUND_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ci low", "ci high"),  # before ("low", "high"): "observed CI low" has stem "observed"
    ("lower", "upper"),
    ("low", "high"),
    ("p2.5", "p97.5"),
    ("2.5%", "97.5%"),
    ("p5", "p95"),
)

#: Columns that hold the estimate of a bare ``lower``/``upper`` (or ``low``/``high``) pair.
_BARE_ESTIMATES = ("estimate", "value", "central", "base", "median", "model_estimate", "mean")

#: Words that label an estimate as a different figure from a Monte Carlo interval.
_BASE_CASE_WORDS = ("base case", "base_case")


#: The words :func:`influence_kit.formatting.format_quantity` writes large counts with.
_SCALE_WORDS = {"million": 1e6, "billion": 1e9, "trillion": 1e12}


def parse_number(text: Any) -> float | None:
    """The number a table cell shows (``"4,039"``, ``"81.3%"``, ``"1.4e+11"``,
    ``"502 billion"``), else None."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    if isinstance(text, str):
        words = re.fullmatch(rf"\s*({_NUMBER})\s+(million|billion|trillion)\s*", text)
        if words:
            number = parse_number(words.group(1))
            return None if number is None else number * _SCALE_WORDS[words.group(2)]
    if not isinstance(text, str) or not re.fullmatch(rf"\s*{_NUMBER}\s*", text):
        return None
    cleaned = text.strip().replace(",", "")
    scale = 0.01 if cleaned.endswith("%") else 1.0
    try:
        return float(cleaned.rstrip("%")) * scale
    except ValueError:
        return None


def _split(name: str, lower: str, upper: str) -> tuple[str, str] | None:
    """``(stem, "lower"|"upper")`` if ``name`` is ``stem`` joined to a bound suffix."""
    low = name.lower()
    for suffix, side in ((lower, "lower"), (upper, "upper")):
        if low == suffix:
            return "", side
        for sep in ("_", " "):
            if low.endswith(sep + suffix):
                return name[: -len(sep + suffix)], side
            if low.startswith(suffix + sep):  # p5_all_derived
                return name[len(suffix + sep) :], side
    return None


def interval_pairs(names: list[str]) -> list[tuple[str, str, str]]:
    """``(stem, lower name, upper name)`` of every interval among ``names``."""
    pairs = []
    for lower, upper in _BOUND_SUFFIXES:
        lows: dict[str, str] = {}
        highs: dict[str, str] = {}
        for name in names:
            split = _split(name, lower, upper)
            if split is not None:
                (lows if split[1] == "lower" else highs)[split[0]] = name
        taken = {n for _, lo, hi in pairs for n in (lo, hi)}
        pairs += [
            (stem, lows[stem], highs[stem])
            for stem in lows
            if stem in highs and not {lows[stem], highs[stem]} & taken
        ]
    return pairs


def estimates_of(stem: str, names: list[str], bounds: set[str]) -> list[str]:
    """The names among ``names`` that hold the estimate an interval of ``stem`` belongs to."""
    if not stem:
        return [n for n in names if n.lower() in _BARE_ESTIMATES]
    out = []
    for name in names:
        if name in bounds:
            continue
        low, s = name.lower(), stem.lower()
        if low == s or any(
            low in (f"{s}{sep}{tail}", f"{tail}{sep}{s}")
            for sep in ("_", " ")
            for tail in ("median", "mean", "central", "estimate", "p50")
        ):
            out.append(name)
        elif low.endswith(f"_{s}") or low.startswith(f"{s} "):  # share_of_adults, total_all_derived
            out.append(name)
    return out


def _labelled_apart(estimate: str, interval: str) -> bool:
    """Whether two labels name different kinds of figure (base case against Monte Carlo,
    sample against model)."""
    e, i = estimate.lower(), interval.lower()
    base = any(w in e for w in _BASE_CASE_WORDS) and ("monte carlo" in i or "_mc_" in i)
    model = "model" in i and "model" not in e
    return base or model


def figure_violations(figures: dict[str, dict[str, Any]]) -> list[str]:
    """Key figures of a ``summary.json`` that lie outside the interval of their stem."""
    names = [k for k, v in figures.items() if isinstance(v.get("value"), (int, float))]
    pairs = interval_pairs(names)
    bounds = {n for _, lo, hi in pairs for n in (lo, hi)}
    bad = []
    for stem, lo, hi in pairs:
        low, high = float(figures[lo]["value"]), float(figures[hi]["value"])
        for key in estimates_of(stem, names, bounds):
            value = float(figures[key]["value"])
            if not inside(value, low, high) and not _labelled_apart(
                figures[key]["label"], figures[lo]["label"]
            ):
                bad.append(f"{key} = {value!r} outside {lo}..{hi} = [{low!r}, {high!r}]")
        # the base case beside a Monte Carlo interval must say it is the base case
        if stem.endswith("_mc") and stem[: -len("_mc")] in figures:
            base = figures[stem[: -len("_mc")]]
            if not inside(float(base["value"]), low, high) and not _labelled_apart(
                base["label"], figures[lo]["label"]
            ):
                bad.append(f"{stem[:-3]} outside {lo}..{hi} and not labelled as the base case")
    return bad


def table_violations(header: list[str], rows: list[list[str]]) -> list[str]:
    """Rows of a displayed table whose estimate lies outside its own lower/upper columns.

    Also every cell written ``estimate (lower to upper)``, and tables whose rows are the
    bounds (rows ``low``, ``base``, ``high``), read column by column. A row whose estimate
    is labelled apart (an ``interval`` column naming the Pareto-tail model, with
    ``model_estimate`` beside it) may hold a sample estimate outside; a bare lower/upper
    pair without an estimate column must contain at least one number of its row.
    """
    bad = []
    for row in rows:
        for cell in row:
            match = _WITH_INTERVAL.match(cell)
            if match:
                value, low, high = (parse_number(g) or 0.0 for g in match.groups())
                if not inside(value, low, high):
                    bad.append(f"cell {cell!r}")
    usable = [r for r in rows if len(r) == len(header)]
    names = [r[0] for r in usable]
    if usable and interval_pairs(names):
        columns = [[header[j]] + [r[j] for r in usable] for j in range(1, len(header))]
        bad += [f"(by column) {v}" for v in _column_violations(["", *names], columns)]
    return bad + _column_violations(header, usable)


def _column_violations(header: list[str], usable: list[list[str]]) -> list[str]:
    """:func:`table_violations` for rows as long as the header (intervals in columns)."""
    bad = []
    pairs = interval_pairs(header)
    bounds = {n for _, lo, hi in pairs for n in (lo, hi)}
    for stem, lo, hi in pairs:
        estimates = estimates_of(stem, header, bounds)
        i_lo, i_hi = header.index(lo), header.index(hi)
        for row in usable:
            low, high = parse_number(row[i_lo]), parse_number(row[i_hi])
            if low is None or high is None or math.isnan(low) or math.isnan(high):
                continue
            cells = dict(zip(header, row, strict=True))
            apart = "pareto_tail" in cells.get("interval", "") and "model_estimate" in cells
            if not estimates:
                if lo.lower() not in ("lower", "low"):
                    continue  # percentiles of a distribution, shown without a point
                numbers = [parse_number(c) for n, c in cells.items() if n not in bounds and n != ""]
                if not any(v is not None and inside(v, low, high) for v in numbers):
                    bad.append(f"{row[0]}: no number of the row lies in {lo}..{hi}")
                continue
            for column in estimates:
                value = parse_number(cells[column])
                if value is None or math.isnan(value) or inside(value, low, high):
                    continue
                if column == "estimate" and apart:
                    continue
                bad.append(f"{row[0]}: {column} {cells[column]} outside [{row[i_lo]}, {row[i_hi]}]")
    return bad


def html_tables(html: str) -> Iterator[tuple[list[str], list[list[str]]]]:
    """``(header, rows)`` of every table in ``html`` (first header row; index cells first)."""
    from bs4 import BeautifulSoup  # installed with nbconvert, which renders the reports

    soup = BeautifulSoup(html, "html.parser")
    for table in soup.find_all("table"):
        head = table.find("thead")
        header = []
        if head is not None and head.find("tr") is not None:
            header = [c.get_text(" ", strip=True) for c in head.find("tr").find_all(["th", "td"])]
        body = table.find("tbody") or table
        rows = [
            [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
            for tr in body.find_all("tr")
        ]
        yield header, rows


def report_violations(folder: Path) -> tuple[list[str], int, int]:
    """Violations in every rendered report under ``folder``, with the numbers of key-figure
    groups and tables read."""
    import nbformat

    bad: list[str] = []
    n_summaries = n_tables = 0
    for path in sorted(folder.glob("*/summary.json")):
        data = json.loads(path.read_text())
        for notebook, entry in data.get("notebooks", {}).items():
            n_summaries += 1
            bad += [f"{path.parent.name}/{notebook} summary.json: {v}" for v in
                    figure_violations(entry.get("figures", {}))]  # fmt: skip
    for path in sorted(folder.glob("*/*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html", "")
                if "<table" not in html:
                    continue
                for header, rows in html_tables(html):
                    n_tables += 1
                    bad += [
                        f"{path.parent.name}/{path.name} cell {index}: {v}"
                        for v in table_violations(header, rows)
                    ]
    return bad, n_summaries, n_tables


def test_the_report_checker_finds_what_it_should():
    """The checker of rendered reports flags an estimate outside its interval, and lets
    a labelled base case or a Pareto-tail model interval pass."""
    fig = {
        "x": {"value": 5.0, "label": "x"},
        "x_lower": {"value": 1.0, "label": "x, lower end"},
        "x_upper": {"value": 2.0, "label": "x, upper end"},
        "y": {"value": 1.0, "label": "y, base case (every input at its most likely value)"},
        "y_mc_median": {"value": 3.0, "label": "y, Monte Carlo median"},
        "y_mc_lower": {"value": 2.0, "label": "y, 95% Monte Carlo interval, lower end"},
        "y_mc_upper": {"value": 4.0, "label": "y, 95% Monte Carlo interval, upper end"},
        "total_all": {"value": 9.0, "label": "total, all derived"},
        "p5_all": {"value": 1.0, "label": "5th percentile, all derived"},
        "p95_all": {"value": 3.0, "label": "95th percentile, all derived"},
    }
    found = figure_violations(fig)
    assert len(found) == 2 and found[0].startswith("x =") and found[1].startswith("total_all")
    fig["y"]["label"] = "y"
    assert len(figure_violations(fig)) == 3
    header = ["", "estimate", "lower", "upper", "interval", "model_estimate"]
    rows = [
        ["gini", "0.5", "0.6", "0.7", "pareto_tail", "0.65"],
        ["top", "0.5", "0.6", "0.7", "envelope", "0.65"],
        ["fraction", "0.5", "0.4", "0.7", "percentile", "0.65"],
    ]
    assert [v.split(":")[0] for v in table_violations(header, rows)] == ["top"]
    header = ["", "share_of_adults", "adults_low", "adults_high", "Gini"]
    rows = [["a", "0.1", "0.2", "0.3", "81.3% (80.6% to 100.0%)"]]
    rows.append(["b", "0.25", "0.2", "0.3", "81.3% (82.0% to 100.0%)"])
    assert len(table_violations(header, rows)) == 2
    assert table_violations(["", "a", "lower", "upper"], [["r", "5", "1", "2"]])
    by_rows = [["low", "50", "21"], ["base", "150", "72"], ["high", "1,000", "277"]]
    assert table_violations(["", "stated", "derived"], by_rows) == []
    by_rows[1][2] = "300"
    assert table_violations(["", "stated", "derived"], by_rows) == [
        "(by column) derived: base 300 outside [21, 277]"
    ]
    header = ["", "observed top 1%", "observed CI low", "observed CI high"]
    assert table_violations(header, [["wiki", "0.5", "0.1", "0.3"]])
    assert parse_number("4,039") == 4039 and parse_number("81.3%") == pytest.approx(0.813)
    assert parse_number("NaN") is None and parse_number("envelope") is None


@pytest.mark.slow
def test_no_rendered_report_shows_an_estimate_outside_its_interval(site):
    """Every report of the session's site: key figures and displayed tables."""
    out, _ = site
    bad, n_summaries, n_tables = report_violations(out)
    assert n_summaries > 20 and n_tables > 100, (n_summaries, n_tables)
    assert bad == [], "\n".join(bad)
