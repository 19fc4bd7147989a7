"""Concentration of frozen distributions (closed forms against numerics); headline calibration."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from influence_kit.concentration import (
    SplicedModel,
    calibrate_cutoff_power_law,
    calibrate_lognormal,
    calibrate_pareto,
    calibrate_to_headline,
    calibrate_weibull,
    gini,
    top_share,
)
from influence_kit.distributions import (
    FrozenDistribution,
    IsfDistribution,
    Lognormal,
    Pareto,
    PowerLaw,
    PowerLawCutoff,
    Weibull,
)
from influence_kit.errors import ParameterError
from influence_kit.tables import value_table

P = np.array([0.001, 0.01, 0.16, 0.5, 0.9])


def lognormal(sigma: float):
    return Lognormal(0.0).freeze(0.0, sigma)


def test_forrester_headline_parameters():
    """16%/80% gives Pareto tail index 1.1386, lognormal sigma 1.8361, Weibull k 0.4172."""
    assert calibrate_pareto(0.16, 0.8).tail_index == pytest.approx(1.1386, abs=5e-5)
    assert calibrate_lognormal(0.16, 0.8).sigma == pytest.approx(1.8361, abs=5e-5)
    assert calibrate_weibull(0.16, 0.8).k == pytest.approx(0.4172, abs=5e-5)


def test_calibrated_models_reproduce_the_headline():
    res = calibrate_to_headline(0.16, 0.8)
    for fam in res.families:
        assert fam.model.top_share(0.16)[0] == pytest.approx(0.8, abs=1e-10)
        assert fam.model.fraction_for_share(0.8)[0] == pytest.approx(0.16, abs=1e-10)


def test_top_one_percent_differs_about_2_6_fold():
    res = calibrate_to_headline(0.16, 0.8)
    assert res["pareto"].top_1pct_share == pytest.approx(0.5708, abs=1e-4)
    assert res["lognormal"].top_1pct_share == pytest.approx(0.3120, abs=1e-4)
    assert res["weibull"].top_1pct_share == pytest.approx(0.2212, abs=1e-4)
    assert res.top_1pct_ratio == pytest.approx(2.58, abs=0.01)


def test_closed_form_top_shares():
    """The formulas written out independently: Pareto, lognormal, Weibull."""
    a, sigma, k = 1.3, 1.2, 0.6
    assert Pareto(tail_index=a).top_share(P) == pytest.approx(P ** (1 - 1 / a), rel=1e-12)
    assert lognormal(sigma).top_share(P) == pytest.approx(
        stats.norm.cdf(sigma + stats.norm.ppf(P)), rel=1e-12
    )
    assert Weibull(k=k).top_share(P) == pytest.approx(
        special.gammaincc(1 + 1 / k, -np.log(P)), rel=1e-12
    )


def test_gini_closed_forms():
    assert Pareto(tail_index=1.5).gini() == pytest.approx(0.5)
    assert lognormal(1.0).gini() == pytest.approx(2 * stats.norm.cdf(1 / math.sqrt(2)) - 1)
    assert Weibull(k=1.0).gini() == pytest.approx(0.5)  # exponential distribution
    # Closed forms agree with the generic numerical quadratures of the base class.
    for model in (Pareto(tail_index=1.3), lognormal(1.2), Weibull(k=0.6)):
        assert FrozenDistribution.gini(model) == pytest.approx(model.gini(), abs=1e-7)
        assert FrozenDistribution.top_share(model, P) == pytest.approx(model.top_share(P), abs=1e-8)
        assert FrozenDistribution.fraction_for_share(model, [0.3, 0.8]) == pytest.approx(
            model.fraction_for_share([0.3, 0.8]), abs=1e-8
        )
        assert FrozenDistribution.mean(model) == pytest.approx(model.mean(), rel=1e-8)


@pytest.mark.parametrize(
    ("closed", "dist"),
    [
        (Pareto(tail_index=1.139), stats.pareto(1.139)),
        (lognormal(1.836), stats.lognorm(1.836)),
        (Weibull(k=0.417), stats.weibull_min(0.417)),
    ],
)
def test_numerical_isf_distribution_matches_closed_forms(closed, dist):
    numeric = IsfDistribution(dist.isf, name="scipy")
    assert numeric.top_share(P) == pytest.approx(closed.top_share(P), abs=1e-8)
    assert numeric.gini() == pytest.approx(closed.gini(), abs=1e-8)
    assert numeric.fraction_for_share(0.8) == pytest.approx(
        closed.fraction_for_share(0.8), abs=1e-8
    )
    assert numeric.sf([2.0, 5.0]) == pytest.approx(dist.sf([2.0, 5.0]), rel=1e-8)


def test_calibration_rejects_what_is_not_a_model():
    with pytest.raises(ParameterError, match="cannot compute the concentration"):
        calibrate_to_headline(0.16, 0.8, extra=[object()])


def test_extra_models_are_compared_as_given():
    fitted = PowerLaw(2.0).freeze(3.5)
    res = calibrate_to_headline(0.16, 0.8, extra=[fitted])
    assert res["pareto"].parameters["tail_index"] == pytest.approx(1.1386, abs=1e-4)
    # the extra power law keeps its own parameters (tail index 2.5), scale left out
    assert res.families[-1].parameters == {"tail_index": 2.5}
    assert res.families[-1].top_1pct_share == pytest.approx(0.01 ** (1 - 1 / 2.5))


@pytest.mark.parametrize("n", [400_000])
def test_large_sample_agreement(n):
    """Sample top shares approach the closed forms (lognormal, Weibull, Pareto tail index 3)."""
    rng = np.random.default_rng(42)
    cases = [
        (lognormal(1.0), rng.lognormal(0.0, 1.0, n), 0.01),
        (Weibull(k=0.8), rng.weibull(0.8, n), 0.01),
        (Pareto(tail_index=3.0), rng.pareto(3.0, n) + 1.0, 0.01),
    ]
    for model, sample, tol in cases:
        table = value_table(sample)
        assert top_share(table, [0.01, 0.16]) == pytest.approx(
            model.top_share([0.01, 0.16]), abs=tol
        )
        assert gini(table) == pytest.approx(model.gini(), abs=tol)


def test_cutoff_power_law_limits():
    # A tiny cutoff: a pure power law with density exponent 2.5 = Pareto with tail index 1.5.
    near_pareto = PowerLawCutoff(1.0).freeze(2.5, 1e-9)
    assert near_pareto.top_share([0.01, 0.16]) == pytest.approx(
        Pareto(tail_index=1.5).top_share([0.01, 0.16]), abs=1e-3
    )
    assert near_pareto.gini() == pytest.approx(0.5, abs=1e-3)
    # The incomplete-gamma closed forms match the generic numerical route of the base class.
    model = PowerLawCutoff(1.0).freeze(1.5, 0.01)
    assert FrozenDistribution.top_share(model, [0.05, 0.3]) == pytest.approx(
        model.top_share([0.05, 0.3]), abs=1e-7
    )
    assert FrozenDistribution.gini(model) == pytest.approx(model.gini(), abs=1e-6)
    # lambda = 0 is the pure power law
    assert isinstance(PowerLawCutoff(2.0).freeze(2.5, 0.0), Pareto)


def test_calibrate_cutoff_power_law():
    model = calibrate_cutoff_power_law(0.16, 0.8, alpha=1.5)
    assert model.top_share(0.16)[0] == pytest.approx(0.8, abs=1e-8)
    assert model.fraction_for_share(0.8)[0] == pytest.approx(0.16, abs=1e-6)
    assert model.parameters["alpha"] == 1.5
    with pytest.raises(ParameterError, match="too light-tailed"):
        calibrate_cutoff_power_law(0.16, 0.8, alpha=3.0)
    res = calibrate_to_headline(0.16, 0.8, cutoff_alpha=1.5)
    assert set(res.to_dict()["power_law_cutoff"]) >= {"alpha", "lambda", "gini"}


def test_spliced_model():
    rng = np.random.default_rng(0)
    body_values = rng.integers(1, 10, size=2000).astype(float)
    tail = Pareto(tail_index=1.5, xmin=10.0)
    model = SplicedModel(value_table(body_values), tail, tail_fraction=0.1)
    shares = model.top_share([0.05, 0.1, 0.5])
    assert np.all(np.diff(shares) > 0)
    # The top 10% is exactly the tail: its share is tail mass over total mass.
    tail_mass = 0.1 * 30.0  # Pareto(1.5, scale 10) has mean 30
    body_mass = 0.9 * body_values.mean()
    assert shares[1] == pytest.approx(tail_mass / (tail_mass + body_mass), rel=1e-6)
    assert 0 < model.gini() < 1
    assert model.parameters["tail_fraction"] == 0.1
    assert model.fraction_for_share(shares[1])[0] == pytest.approx(0.1, rel=1e-8)


def test_spliced_model_matches_a_discretised_population():
    """Tail + body against the same population written out as a weighted table."""
    body = value_table([1.0, 2.0, 2.0, 5.0, 9.0])
    uniform = stats.uniform(10.0, 10.0)
    tail = IsfDistribution(uniform.isf, name="uniform tail")
    model = SplicedModel(body, tail, tail_fraction=0.2)
    m = 20_000
    tail_values = uniform.isf((np.arange(m) + 0.5) / m)
    values = np.concatenate([body.values, tail_values])
    weights = np.concatenate([0.8 * body.counts / body.n_observations, np.full(m, 0.2 / m)])
    population = value_table(values, weights=weights)
    assert model.gini() == pytest.approx(gini(population), abs=1e-6)
    p = [0.05, 0.2, 0.6]
    assert model.top_share(p) == pytest.approx(top_share(population, p), abs=1e-6)


def test_headline_calibration_result_protocol():
    res = calibrate_to_headline(0.16, 0.8)
    data = res.to_dict()
    assert data["pareto"]["tail_index"] == pytest.approx(1.1386, abs=1e-4)
    assert data["lognormal"]["sigma"] == pytest.approx(1.8361, abs=1e-4)
    assert data["weibull"]["k"] == pytest.approx(0.4172, abs=1e-4)
    for fam in ("pareto", "lognormal", "weibull"):
        assert {"gini", "top_1pct_share", "top_shares"} <= set(data[fam])
    assert data["pareto"]["gini"] == pytest.approx(1 / (2 * 1.1386468838532138 - 1))
    assert list(res.summary().index) == ["pareto", "lognormal", "weibull"]
    assert res.curves["pareto"].shape == res.curve_top.shape
    with pytest.raises(KeyError):
        res["gamma"]


@pytest.mark.parametrize(
    ("p", "q", "message"),
    [
        (0.0, 0.8, "between 0 and 1"),
        (0.16, 1.0, "between 0 and 1"),
        (1.2, 0.8, "between 0 and 1"),
        (0.5, 0.4, "must exceed"),
        (0.3, 0.3, "must exceed"),
    ],
)
def test_bad_headlines(p, q, message):
    with pytest.raises(ParameterError, match=message):
        calibrate_to_headline(p, q)


def test_bad_model_parameters():
    with pytest.raises(ParameterError, match="tail index must be positive"):
        Pareto(tail_index=-0.5)
    with pytest.raises(ParameterError, match="infinite mean"):
        Pareto(tail_index=0.9).top_share(0.1)
    with pytest.raises(ParameterError, match="sigma"):
        lognormal(-1.0)
    with pytest.raises(ParameterError, match="shape k"):
        Weibull(k=0.0)
    with pytest.raises(ParameterError, match="lambda must be positive"):
        PowerLawCutoff(1.0).freeze(2.0, -0.1)
    with pytest.raises(ParameterError, match="between 0 and 1"):
        Pareto(tail_index=2.0).top_share(1.0)
