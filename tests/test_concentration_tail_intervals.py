"""Top-share intervals where the bootstrap cannot hold: detection, the Pareto-tail model."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import integrate, stats

from influence_kit.concentration import (
    IntervalMethod,
    ParetoTailModel,
    SplicedModel,
    check_tail,
    concentration,
)
from influence_kit.concentration.tail_intervals import xmin_interval
from influence_kit.distributions import Pareto
from influence_kit.errors import HeavyTailWarning, ParameterError
from influence_kit.tables import value_table

#: The Pareto law under which the top 16% make 80% ("16% make 80%").
HEADLINE_INDEX = 1.0 / (1.0 - np.log(0.8) / np.log(0.16))


def test_headline_index_makes_16_percent_make_80():
    assert HEADLINE_INDEX == pytest.approx(1.1386, abs=1e-4)
    assert Pareto(tail_index=HEADLINE_INDEX).top_share(0.16)[0] == pytest.approx(0.8)


def test_check_tail_detects_the_regime():
    heavy = check_tail(value_table(Pareto(tail_index=1.2).rvs(3000, random_state=1)))
    assert heavy.infinite_variance and heavy.tail_index == pytest.approx(1.2, abs=0.15)
    assert "infinite variance" in heavy.describe()
    light = check_tail(value_table(Pareto(tail_index=3.5).rvs(3000, random_state=2)))
    assert not light.infinite_variance and light.tail_index == pytest.approx(3.5, rel=0.2)
    assert "finite variance" in light.describe()
    # a few categories: no tail index, and why
    few = check_tail(value_table(np.repeat([1.0, 2.0, 5.0, 400.0], [50, 30, 15, 5])))
    assert few.tail_index is None and not few.infinite_variance
    assert few.reason and "not checked" in few.describe()


def test_tail_index_interval_is_the_exact_chi_square_pivot():
    model = _pure_model(1.3, 400)
    for alpha in (0.01, 0.05, 0.2):
        low, high = model.tail_index_interval(alpha)
        # 2 a sum(log x/xmin) ~ chi2(2 n): a in a_hat * chi2 quantiles / (2 n)
        q = stats.chi2.ppf([alpha / 2, 1 - alpha / 2], 2 * 400)
        assert (low, high) == pytest.approx(tuple(1.3 * q / 800), rel=1e-10)
    ci = model.conf_int(0.1)
    assert list(ci.index) == ["tail_index"]
    assert tuple(ci.loc["tail_index"]) == pytest.approx(model.tail_index_interval(0.1))


def _pure_model(tail_index: float, n_tail: int, tail_fraction: float = 1.0) -> ParetoTailModel:
    zeros = round(n_tail * (1 - tail_fraction) / tail_fraction)
    # the body below xmin = 1 holds nothing but the zeros
    body = value_table(np.r_[np.zeros(zeros), 1.0]).below(1.0)
    return ParetoTailModel(
        tail_index=tail_index, xmin=1.0, n_tail=n_tail, tail_fraction=tail_fraction, body=body
    )


@pytest.mark.parametrize("a", [1.14, 1.5, 2.5])
def test_model_measures_are_the_pareto_closed_forms(a):
    top, shares = np.array([0.01, 0.16, 0.5]), np.array([0.5, 0.8])
    g, t, f, _ = _pure_model(a, 100).measures(a, top, shares)
    assert t == pytest.approx(top ** (1 - 1 / a))
    assert f == pytest.approx(shares ** (a / (a - 1)))
    assert g == pytest.approx(1 / (2 * a - 1))


def test_model_with_zeros_integrates_to_its_gini():
    """Tail held by 40% of people, the rest zeros: Gini is 2 * integral of the top curve - 1."""
    model = _pure_model(1.6, 400, tail_fraction=0.4)
    g, t, f, curve = model.measures(1.6, [0.2, 0.4, 0.7], [0.9], grid=[0.1])
    law = Pareto(tail_index=1.6)
    curve_at = lambda p: min(p / 0.4, 1.0) ** (1 - 1 / 1.6)  # noqa: E731 (closed form)
    area, _ = integrate.quad(curve_at, 0, 1, points=[0.4], limit=200)
    assert g == pytest.approx(2 * area - 1, abs=1e-6)
    assert t == pytest.approx([law.top_share(0.5)[0], 1.0, 1.0])
    assert f == pytest.approx(0.4 * law.fraction_for_share(0.9))
    assert curve == pytest.approx(law.top_share(0.25))


def test_model_with_a_body_is_the_spliced_model_and_monotone():
    x = Pareto(tail_index=1.3).rvs(2000, random_state=3)
    table = value_table(x)
    model = ParetoTailModel.from_table(table, check_tail(table))
    assert 0 < model.tail_fraction < 1 and model.body.total > 0
    spliced = SplicedModel(model.body, Pareto(tail_index=1.3, xmin=model.xmin), model.tail_fraction)
    g, t, _, _ = model.measures(1.3, [0.16], [0.8])
    assert t == pytest.approx(spliced.top_share([0.16]))
    assert g == pytest.approx(spliced.gini())
    # heavier tail, more concentration: every measure is monotone in the index
    shares = [model.measures(a, [0.16], [0.8])[1][0] for a in (1.05, 1.3, 2.0, 4.0)]
    assert shares == sorted(shares, reverse=True)
    # at or below 1 the mean is infinite: the tail holds everything
    assert model.measures(0.9, [0.16], [0.8], [0.5]) == (1.0, [1.0], [0.0], [1.0])


def test_concentration_spans_both_tails_and_says_so():
    x = Pareto(tail_index=HEADLINE_INDEX).rvs(2000, random_state=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HeavyTailWarning)  # the result says it: no warning
        res = concentration(x, top=[0.16], shares=[0.8], reps=100, seed=1, label="x")
    assert res.infinite_variance and res.interval_method is IntervalMethod.ENVELOPE
    assert res.tail is not None and res.tail.tail_index < 2 and not res.tail.lognormal_better
    ci = res.conf_int()
    low, high = res.tail_model.bounds(0.05, [0.16], [0.8])
    pct = res.conf_int(method="percentile")
    assert ci["lower"].to_numpy() == pytest.approx(np.minimum(low, pct["lower"].to_numpy()))
    assert ci["upper"].to_numpy() == pytest.approx(np.maximum(high, pct["upper"].to_numpy()))
    # each method is there on request
    assert pct.equals(res.draws.conf_int())
    model = res.conf_int(method="pareto_tail")
    assert model["lower"].to_numpy() == pytest.approx(low)
    assert res.conf_int(method=IntervalMethod.AUTO).equals(ci)
    summary = res.summary()
    assert (summary["interval"] == "envelope").all()
    # the envelope holds both the sample's estimate and the model's
    for column in ("estimate", "model_estimate"):
        assert (summary["lower"] <= summary[column]).all()
        assert (summary[column] <= summary["upper"]).all()
    data = res.to_dict()
    assert data["interval_method"] == "envelope" and data["infinite_variance"] is True
    assert data["conf_int"]["method"] == "envelope"
    assert data["tail_model"]["tail_index"] == pytest.approx(res.tail.tail_index)
    assert "does not rule out an infinite variance" in res.describe_intervals()
    band = res.lorenz_band()
    assert (band["lower"] <= band["upper"] + 1e-12).all()
    # forcing the percentile method warns that it does not hold
    with pytest.warns(HeavyTailWarning, match="do not hold"):
        forced = concentration(x, top=[0.16], reps=100, seed=1, method="percentile")
    assert forced.interval_method is IntervalMethod.PERCENTILE
    assert forced.conf_int().equals(forced.draws.conf_int())


def test_xmin_uncertainty_widens_the_model_interval():
    x = Pareto(tail_index=1.5).rvs(2000, random_state=11)
    table = value_table(x)
    tail = check_tail(table)
    fixed = ParetoTailModel.from_table(table, tail)
    seq = np.random.SeedSequence(3)
    span = xmin_interval(table, tail.xmin, seq)
    assert span[0] <= tail.xmin <= span[1] and span[0] < span[1]
    assert xmin_interval(table, tail.xmin, np.random.SeedSequence(3)) == span  # seeded
    carried = ParetoTailModel.from_table(table, tail, span)
    assert carried.xmin_range == span and len(carried.xmin_models) >= 1
    low0, high0 = fixed.bounds(0.05, [0.01, 0.16], [0.8])
    low1, high1 = carried.bounds(0.05, [0.01, 0.16], [0.8])
    assert (low1 <= low0 + 1e-15).all() and (high1 >= high0 - 1e-15).all()
    assert carried.to_dict()["xmin_range"] == list(span)


def test_lognormal_tails_keep_the_percentile_bootstrap():
    """A lognormal sample large enough for Vuong's test to prefer the lognormal tail."""
    x = np.random.default_rng(12).lognormal(0.0, 2.5, 20000)
    res = concentration(x, top=[0.16], reps=50, seed=1)
    if res.tail.infinite_variance_possible:
        assert res.tail.lognormal_better == (res.interval_method is IntervalMethod.PERCENTILE)
    assert res.tail.lognormal_z is not None


def test_light_tails_keep_the_percentile_bootstrap_silently():
    x = np.random.default_rng(4).lognormal(0.0, 0.5, 2000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HeavyTailWarning)
        res = concentration(x, top=[0.16], reps=50, seed=1)
    assert not res.infinite_variance and res.interval_method is IntervalMethod.PERCENTILE
    assert "model_estimate" not in res.summary()
    assert res.describe_intervals() == "percentile bootstrap"


def test_bad_and_impossible_methods():
    x = Pareto(tail_index=1.5).rvs(500, random_state=6)
    with pytest.raises(ParameterError, match="'auto', 'percentile', 'pareto_tail', 'envelope'"):
        concentration(x, reps=39, method="bogus")
    with pytest.raises(ParameterError, match="weighted"):
        concentration(x, weights=np.full(x.size, 2.0), reps=39, method="pareto_tail")
    with pytest.raises(ParameterError, match="distinct values"):
        concentration([1.0, 2.0, 2.0, 9.0] * 10, reps=39, method="pareto_tail")
    # weighted heavy tails: the percentile interval, with the warning that it does not hold
    with pytest.warns(HeavyTailWarning, match="do not hold"):
        res = concentration(x, weights=np.full(x.size, 2.0), reps=39, seed=1)
    assert res.interval_method is IntervalMethod.PERCENTILE and res.tail_model is None
    with pytest.raises(ParameterError, match="no Pareto-tail interval"):
        res.conf_int(method="pareto_tail")


def test_infinite_mean_reaches_one_and_says_so():
    x = Pareto(tail_index=0.7).rvs(2000, random_state=8)
    res = concentration(x, top=[0.16], shares=[0.8], reps=50, seed=1)
    assert res.infinite_variance and not res.tail.finite_mean
    assert res.interval_method is IntervalMethod.ENVELOPE
    lower, upper = res.conf_int().loc["share of top 0.16"]
    assert upper == 1.0 and lower <= res.top_share(0.16).share
    assert res.conf_int().loc["fraction holding 0.8", "lower"] == 0.0
    assert any("infinite mean" in text for text in res.cautions_for("share of top 0.16"))
    assert "infinite mean" in res.summary().loc["gini", "caution"]


def test_small_top_groups_carry_a_caution_with_the_count():
    x = np.random.default_rng(9).lognormal(0.0, 0.5, 500)
    res = concentration(x, top=[0.01, 0.16], shares=[0.8], reps=50, seed=1)
    (text,) = res.cautions_for("share of top 0.01")
    assert "5 people" in text and "fewer than 30" in text
    assert res.cautions_for("share of top 0.16") == []
    assert res.summary().loc["share of top 0.16", "caution"] == ""
    assert res.to_dict()["cautions"] == [{"quantity": "share of top 0.01", "caution": text}]
    assert concentration(x, top=[0.01], reps=0).cautions == ()  # no intervals, no caution
