"""Closed-form and numerical concentration of model distributions; calibration from a headline."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from influence_kit.concentration import (
    CcdfModel,
    CutoffPowerLawModel,
    IsfModel,
    LognormalModel,
    ParetoModel,
    SplicedModel,
    WeibullModel,
    as_model,
    calibrate,
    calibrate_cutoff_power_law,
    calibrate_lognormal,
    calibrate_pareto,
    calibrate_weibull,
    gini,
    top_share,
)
from influence_kit.errors import ParameterError
from influence_kit.tables import value_table

P = np.array([0.001, 0.01, 0.16, 0.5, 0.9])


def test_forrester_headline_parameters():
    """16%/80% gives Pareto alpha 1.139, lognormal sigma 1.836, Weibull k 0.417."""
    assert calibrate_pareto(0.16, 0.8).alpha == pytest.approx(1.139, abs=5e-4)
    assert calibrate_lognormal(0.16, 0.8).sigma == pytest.approx(1.836, abs=5e-4)
    assert calibrate_weibull(0.16, 0.8).k == pytest.approx(0.417, abs=5e-4)


def test_calibrated_models_reproduce_the_headline():
    res = calibrate(0.16, 0.8)
    for fam in res.families:
        assert fam.model.top_share(0.16)[0] == pytest.approx(0.8, abs=1e-10)
        assert fam.model.fraction_for_share(0.8)[0] == pytest.approx(0.16, abs=1e-10)


def test_top_one_percent_differs_about_2_6_fold():
    res = calibrate(0.16, 0.8)
    assert res["pareto"].top_1pct_share == pytest.approx(0.5708, abs=1e-4)
    assert res["lognormal"].top_1pct_share == pytest.approx(0.3120, abs=1e-4)
    assert res["weibull"].top_1pct_share == pytest.approx(0.2212, abs=1e-4)
    assert res.top_1pct_ratio == pytest.approx(2.58, abs=0.01)


def test_gini_closed_forms():
    assert ParetoModel(1.5).gini() == pytest.approx(0.5)
    assert LognormalModel(1.0).gini() == pytest.approx(2 * stats.norm.cdf(1 / math.sqrt(2)) - 1)
    assert WeibullModel(1.0).gini() == pytest.approx(0.5)  # exponential distribution
    # Closed forms agree with the generic numerical integral of the top-share curve.
    for model in (ParetoModel(1.3), LognormalModel(1.2), WeibullModel(0.6)):
        generic = super(type(model), model).gini()
        assert generic == pytest.approx(model.gini(), abs=1e-7)


@pytest.mark.parametrize(
    ("closed", "dist"),
    [
        (ParetoModel(1.139), stats.pareto(1.139)),
        (LognormalModel(1.836), stats.lognorm(1.836)),
        (WeibullModel(0.417), stats.weibull_min(0.417)),
    ],
)
def test_numerical_isf_model_matches_closed_forms(closed, dist):
    numeric = as_model(dist)
    assert isinstance(numeric, IsfModel)
    assert numeric.top_share(P) == pytest.approx(closed.top_share(P), abs=1e-8)
    assert numeric.gini() == pytest.approx(closed.gini(), abs=1e-8)
    assert numeric.fraction_for_share(0.8) == pytest.approx(
        closed.fraction_for_share(0.8), abs=1e-8
    )


def test_ccdf_model_matches_pareto():
    class Fitted:
        xmin = 2.0

        def ccdf(self, x):
            return (np.asarray(x, dtype=float) / 2.0) ** -1.4

    numeric = as_model(Fitted())
    assert isinstance(numeric, CcdfModel)
    closed = ParetoModel(1.4)
    assert numeric.top_share([0.01, 0.16, 0.5]) == pytest.approx(
        closed.top_share([0.01, 0.16, 0.5]), abs=1e-8
    )
    assert numeric.gini() == pytest.approx(closed.gini(), abs=1e-8)


def test_provider_protocol_is_used_first():
    class Fit:
        def concentration_model(self):
            return LognormalModel(0.9)

        def isf(self, s):  # pragma: no cover - must not be called
            raise AssertionError

    assert as_model(Fit()) == LognormalModel(0.9)
    with pytest.raises(ParameterError, match="cannot compute concentration"):
        as_model(object())


@pytest.mark.parametrize("n", [400_000])
def test_large_sample_agreement(n):
    """Sample top shares approach the closed forms (lognormal, Weibull, Pareto with alpha 3)."""
    rng = np.random.default_rng(42)
    cases = [
        (LognormalModel(1.0), rng.lognormal(0.0, 1.0, n), 0.01),
        (WeibullModel(0.8), rng.weibull(0.8, n), 0.01),
        (ParetoModel(3.0), rng.pareto(3.0, n) + 1.0, 0.01),
    ]
    for model, sample, tol in cases:
        table = value_table(sample)
        assert top_share(table, [0.01, 0.16]) == pytest.approx(
            model.top_share([0.01, 0.16]), abs=tol
        )
        assert gini(table) == pytest.approx(model.gini(), abs=tol)


def test_cutoff_power_law_limits():
    # A tiny cutoff: a pure power law with density exponent 2.5 = Pareto with alpha 1.5.
    near_pareto = CutoffPowerLawModel(2.5, 1e-9)
    assert near_pareto.top_share([0.01, 0.16]) == pytest.approx(
        ParetoModel(1.5).top_share([0.01, 0.16]), abs=1e-3
    )
    assert near_pareto.gini() == pytest.approx(0.5, abs=1e-3)
    # Matches the generic ccdf route.
    model = CutoffPowerLawModel(1.5, 0.01)

    class Ccdf:
        xmin = 1.0

        def ccdf(self, x):
            return math.exp(model._log_ccdf(float(x)))

    other = as_model(Ccdf())
    assert other.top_share([0.05, 0.3]) == pytest.approx(model.top_share([0.05, 0.3]), abs=1e-7)
    assert other.gini() == pytest.approx(model.gini(), abs=1e-6)


def test_calibrate_cutoff_power_law():
    model = calibrate_cutoff_power_law(0.16, 0.8, alpha=1.5)
    assert model.top_share(0.16)[0] == pytest.approx(0.8, abs=1e-8)
    assert model.fraction_for_share(0.8)[0] == pytest.approx(0.16, abs=1e-6)
    with pytest.raises(ParameterError, match="too light-tailed"):
        calibrate_cutoff_power_law(0.16, 0.8, alpha=3.0)
    res = calibrate(0.16, 0.8, cutoff_alpha=1.5)
    assert "power_law_cutoff" in res.to_dict()


def test_spliced_model():
    rng = np.random.default_rng(0)
    body_values = rng.integers(1, 10, size=2000).astype(float)
    tail = IsfModel(stats.pareto(1.5, scale=10.0).isf, name="pareto tail", params={"alpha": 1.5})
    model = SplicedModel(value_table(body_values), tail, tail_fraction=0.1)
    shares = model.top_share([0.05, 0.1, 0.5])
    assert np.all(np.diff(shares) > 0)
    # The top 10% is exactly the tail: its share is tail mass over total mass.
    tail_mass = 0.1 * 30.0  # Pareto(1.5, scale 10) has mean 30
    body_mass = 0.9 * body_values.mean()
    assert shares[1] == pytest.approx(tail_mass / (tail_mass + body_mass), rel=1e-6)
    assert 0 < model.gini() < 1
    assert model.parameters["tail_fraction"] == 0.1


def test_spliced_model_matches_a_discretised_population():
    """Tail + body against the same population written out as a weighted table."""
    body = value_table([1.0, 2.0, 2.0, 5.0, 9.0])
    tail = IsfModel(stats.uniform(10.0, 10.0).isf, name="uniform tail")
    model = SplicedModel(body, tail, tail_fraction=0.2)
    m = 20_000
    tail_values = tail.isf((np.arange(m) + 0.5) / m)
    values = np.concatenate([body.values, tail_values])
    weights = np.concatenate([0.8 * body.counts / body.n_observations, np.full(m, 0.2 / m)])
    population = value_table(values, weights=weights)
    assert model.gini() == pytest.approx(gini(population), abs=1e-6)
    p = [0.05, 0.2, 0.6]
    assert model.top_share(p) == pytest.approx(top_share(population, p), abs=1e-6)


def test_calibration_result_protocol():
    res = calibrate(0.16, 0.8)
    data = res.to_dict()
    assert data["pareto"]["alpha"] == pytest.approx(1.1386, abs=1e-4)
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
        calibrate(p, q)


def test_bad_model_parameters():
    with pytest.raises(ParameterError, match="alpha must exceed 1"):
        ParetoModel(0.9)
    with pytest.raises(ParameterError, match="sigma"):
        LognormalModel(-1.0)
    with pytest.raises(ParameterError, match="shape k"):
        WeibullModel(0.0)
    with pytest.raises(ParameterError, match="cutoff"):
        CutoffPowerLawModel(2.0, 0.0)
    with pytest.raises(ParameterError, match="between 0 and 1"):
        ParetoModel(2.0).top_share(1.0)


def test_fitting_families_plug_in_through_their_ccdf():
    """A continuous family of influence_kit.distributions, adapted to ``ccdf(x)``, plugs in."""
    distributions = pytest.importorskip("influence_kit.distributions")
    power_law = distributions.PowerLaw(2.0)
    model = CcdfModel(lambda x: power_law.ccdf(x, [2.5]), power_law.xmin, name="power law")
    assert model.top_share([0.01, 0.16]) == pytest.approx(
        ParetoModel(1.5).top_share([0.01, 0.16]), abs=1e-7
    )
    cutoff = distributions.PowerLawCutoff(1.0)
    model = CcdfModel(lambda x: cutoff.ccdf(x, [1.5, 0.01]), cutoff.xmin)
    assert model.top_share([0.01, 0.16]) == pytest.approx(
        CutoffPowerLawModel(1.5, 0.01).top_share([0.01, 0.16]), abs=1e-7
    )
