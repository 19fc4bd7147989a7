"""Distribution families: normalisation, CDF identities, sampling and maximum likelihood."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, special, stats

from influence_kit.distributions import (
    FAMILIES,
    Exponential,
    Lognormal,
    Poisson,
    PowerLaw,
    PowerLawCutoff,
    StretchedExponential,
)
from influence_kit.distributions.power_law import discrete_alpha, log_zeta_derivatives
from influence_kit.errors import ParameterError

CASES = [
    (PowerLaw, [2.5]),
    (Lognormal, [1.0, 1.5]),
    (Exponential, [0.2]),
    (StretchedExponential, [0.5, 0.6]),
    (PowerLawCutoff, [1.7, 0.01]),
    (PowerLawCutoff, [0.6, 0.05]),
]


@pytest.mark.parametrize(("cls", "params"), CASES)
def test_continuous_density_integrates_to_one_and_matches_ccdf(cls, params):
    fam = cls(3.0, discrete=False)
    total, _ = integrate.quad(
        lambda x: float(fam.pdf(np.array([x]), params)[0]), 3.0, np.inf, limit=200
    )
    assert total == pytest.approx(1.0, abs=1e-6)
    x = 7.5
    upper, _ = integrate.quad(
        lambda t: float(fam.pdf(np.array([t]), params)[0]), x, np.inf, limit=200
    )
    assert float(fam.ccdf(np.array([x]), params)[0]) == pytest.approx(upper, rel=1e-5)
    assert float(fam.cdf(np.array([x]), params)[0]) == pytest.approx(1 - upper, rel=1e-5)


@pytest.mark.parametrize(("cls", "params"), [*CASES, (Poisson, [9.0])])
def test_discrete_mass_sums_to_one_and_matches_ccdf(cls, params):
    fam = cls(4.0, discrete=True)
    x = np.arange(4.0, 2_000_000.0)
    mass = fam.pdf(x, params)
    tail = float(fam.ccdf(np.array([2_000_000.0]), params)[0])
    assert mass.sum() + tail == pytest.approx(1.0, abs=1e-9)
    # P(X >= 10) = 1 - P(X <= 9)
    assert float(fam.ccdf(np.array([10.0]), params)[0]) == pytest.approx(
        1.0 - mass[:6].sum(), abs=1e-9
    )
    assert float(fam.cdf(np.array([9.0]), params)[0]) == pytest.approx(mass[:6].sum(), abs=1e-9)


def test_discrete_power_law_uses_hurwitz_zeta():
    fam = PowerLaw(5, discrete=True)
    assert float(fam.pdf(np.array([5.0]), [2.2])[0]) == pytest.approx(
        5.0**-2.2 / special.zeta(2.2, 5.0), rel=1e-14
    )


@pytest.mark.parametrize(("cls", "params"), [*CASES, (Poisson, [9.0])])
@pytest.mark.parametrize("discrete", [False, True])
def test_sampling_follows_the_law(cls, params, discrete):
    if cls is Poisson and not discrete:
        pytest.skip("Poisson is discrete only")
    fam = cls(4.0, discrete=discrete)
    x = fam.sample(20_000, params, np.random.default_rng(7))
    assert x.min() >= 4.0
    if discrete:
        assert np.all(x == np.floor(x))
    for q in np.quantile(x, [0.25, 0.5, 0.9]):
        expected = float(fam.ccdf(np.array([q]), params)[0])
        observed = np.mean(x >= q)
        assert observed == pytest.approx(expected, abs=0.015)


@pytest.mark.parametrize(("cls", "params"), CASES[:-1])
@pytest.mark.parametrize("discrete", [False, True])
def test_mle_recovers_parameters(cls, params, discrete):
    fam = cls(4.0, discrete=discrete)
    x = fam.sample(40_000, params, np.random.default_rng(11))
    v, c = np.unique(x, return_counts=True)
    est = fam.fit(v, c)
    se = np.sqrt(np.diag(fam.covariance(v, c, est)))
    assert np.all(np.abs(est - params) < 4 * se + 1e-9)
    assert fam.loglik(v, c, est) >= fam.loglik(v, c, params) - 1e-6


def test_poisson_mle():
    fam = Poisson(3, discrete=True)
    x = fam.sample(20_000, [5.0], np.random.default_rng(3))
    v, c = np.unique(x, return_counts=True)
    (mu,) = fam.fit(v, c)
    assert mu == pytest.approx(5.0, abs=0.1)


def test_discrete_alpha_is_vectorised_and_exact():
    x = np.loadtxt("data/clauset2009/words.txt")
    tail = x[x >= 7]
    # exact MLE (verified with mpmath at 30 digits: 1.95272751167344486...)
    alpha = float(discrete_alpha(7.0, tail.size, np.log(tail).sum()))
    assert alpha == pytest.approx(1.95272751167344487, abs=1e-11)
    # the independently published 1.9527275186009831 (PowerLaws.jl), to its optimiser tolerance
    assert alpha == pytest.approx(1.9527275186009831, abs=1e-8)
    many = discrete_alpha([7.0, 7.0, 10.0], [tail.size] * 3, [np.log(tail).sum()] * 3)
    assert many[0] == pytest.approx(alpha, abs=1e-13)
    assert np.isfinite(many).all()


def test_log_zeta_derivative_against_series():
    a, q = 2.3, 5.0
    k = np.arange(q, q + 2_000_000)
    series = -np.sum(np.log(k) * k**-a) / special.zeta(a, q)
    # tail of the series beyond the truncation point, by the integral
    first, second = log_zeta_derivatives(a, q)
    assert first == pytest.approx(series, rel=1e-4)
    assert second > 0


def test_power_law_covariance_is_closed_form():
    fam = PowerLaw(1.0)
    v = np.array([1.0, 2.0, 5.0])
    c = np.array([10.0, 5.0, 5.0])
    assert fam.covariance(v, c, [2.5])[0, 0] == pytest.approx(1.5**2 / 20)


def test_bad_family_arguments():
    with pytest.raises(ParameterError, match="positive"):
        PowerLaw(0.0)
    with pytest.raises(ParameterError, match="integer"):
        PowerLaw(2.5, discrete=True)
    with pytest.raises(ParameterError, match="discrete data only"):
        Poisson(1.0, discrete=False)


def test_registry_lists_every_family():
    assert set(FAMILIES) == {
        "power_law",
        "lognormal",
        "exponential",
        "stretched_exponential",
        "power_law_cutoff",
        "poisson",
    }


def test_lognormal_continuous_matches_scipy_truncated():
    fam = Lognormal(2.0)
    x = np.array([2.0, 3.0, 10.0])
    dist = stats.lognorm(s=1.2, scale=np.exp(0.5))
    expected = dist.logpdf(x) - dist.logsf(2.0)
    np.testing.assert_allclose(fam.logpdf(x, [0.5, 1.2]), expected, rtol=1e-12)
