"""Fitted heavy-tail reports as concentration models (fitting x concentration)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from influence_kit.concentration import concentration, splice_fitted_tail
from influence_kit.distributions import FrozenDistribution, FrozenLognormal, Lognormal, Pareto
from influence_kit.errors import ParameterError
from influence_kit.fitting import fit_all


def test_fitted_report_plugs_into_concentration():
    """A correct fitted model (Pareto tail over a uniform body) reproduces observed shares."""
    rng = np.random.default_rng(11)
    body = rng.uniform(0.1, 1.0, 50_000)
    tail = 1.0 * (1.0 - rng.random(50_000)) ** (-1.0 / 3.0)  # continuous, tail index 3
    values = np.concatenate([body, tail])
    report = fit_all(values, discrete=False, xmin=1.0, alternatives=["lognormal"], progress=False)
    observed = concentration(values, top=[0.01, 0.1, 0.5], reps=0)
    for family in ("power_law", "lognormal"):
        model = splice_fitted_tail(report, family)
        implied = model.top_share([0.01, 0.1, 0.5])
        for row, share in zip(observed.top_shares, implied, strict=True):
            assert share == pytest.approx(row.share, abs=0.01)
        assert model.gini() == pytest.approx(observed.gini, abs=0.01)
    assert isinstance(report.frozen(), Pareto)
    assert report.frozen().tail_index == pytest.approx(report.power_law.alpha - 1.0)
    heavy = fit_all(1.0 + rng.pareto(0.8, 5000), discrete=False, xmin=1.0, progress=False)
    with pytest.raises(ParameterError, match="infinite mean"):
        splice_fitted_tail(heavy)
    with pytest.raises(ParameterError, match="no 'gamma' fit"):
        report.frozen("gamma")


def test_fitted_lognormal_top_share_is_the_closed_form():
    """A fitted lognormal's top share equals the truncated-lognormal formula."""
    rng = np.random.default_rng(5)
    values = rng.lognormal(1.0, 1.3, 20_000)
    report = fit_all(values, discrete=False, xmin=3.0, alternatives=["lognormal"], progress=False)
    fit = report.alternatives["lognormal"]
    law = report.frozen("lognormal")
    assert isinstance(law, FrozenLognormal)
    mu, sigma = fit.params["mu"], fit.params["sigma"]
    same = Lognormal(3.0).freeze(mu, sigma)
    p = np.array([0.01, 0.1, 0.5])
    # S(p) = Phi(sigma - z_p) / Phi(sigma - z_min), z = (log x - mu) / sigma
    z_min = (np.log(3.0) - mu) / sigma
    z_p = -special.ndtri(p * special.ndtr(-z_min))
    expected = special.ndtr(sigma - z_p) / special.ndtr(sigma - z_min)
    assert law.top_share(p) == pytest.approx(expected, rel=1e-10)
    assert same.top_share(p) == pytest.approx(expected, rel=1e-10)
    assert FrozenDistribution.top_share(law, p) == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("family", ["exponential", "stretched_exponential", "power_law_cutoff"])
def test_every_fitted_family_splices(family):
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.uniform(0.1, 1.0, 3000), 1.0 + rng.pareto(2.5, 3000)])
    report = fit_all(values, discrete=False, xmin=1.0, alternatives=[family], progress=False)
    model = splice_fitted_tail(report, family)
    shares = model.top_share([0.01, 0.1, 0.5, 0.9])
    assert np.all(np.diff(shares) > 0) and np.all((shares > 0) & (shares < 1))
    assert 0 < model.gini() < 1
    q = float(shares[1])
    assert model.fraction_for_share(q)[0] == pytest.approx(0.1, rel=1e-6)
