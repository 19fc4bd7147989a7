"""Frozen distributions: scipy agreement, sf/cdf/isf round trips, sampling, alpha vs tail index."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, special, stats

from influence_kit.distributions import (
    Exponential,
    FrozenDistribution,
    Lognormal,
    Pareto,
    Poisson,
    PowerLaw,
    PowerLawCutoff,
    StretchedExponential,
    Weibull,
    alpha_from_tail_index,
    log_upper_gamma,
    tail_index_from_alpha,
)
from influence_kit.errors import ParameterError


class Conditioned:
    """A scipy law conditioned on ``X >= xmin`` (the reference for truncated families)."""

    def __init__(self, dist, xmin: float, discrete: bool = False) -> None:
        self.dist = dist
        self.xmin = xmin
        self.discrete = discrete
        self.norm = dist.sf(xmin - 1.0) if discrete else dist.sf(xmin)

    def sf(self, x):
        x = np.asarray(x, dtype=float)
        return np.where(x < self.xmin, 1.0, self.dist.sf(x) / self.norm)

    def pdf(self, x):
        x = np.asarray(x, dtype=float)
        dens = self.dist.pmf(x) if self.discrete else self.dist.pdf(x)
        return np.where(x < self.xmin, 0.0, dens / self.norm)


# (frozen law, scipy reference, points to compare at)
CONTINUOUS = [
    (Pareto(tail_index=1.5, xmin=2.0), stats.pareto(1.5, scale=2.0), [2.5, 7.0, 100.0]),
    (Lognormal(0.0).freeze(0.3, 1.2), stats.lognorm(1.2, scale=np.exp(0.3)), [0.2, 1.5, 40.0]),
    (
        Lognormal(2.0).freeze(0.3, 1.2),
        Conditioned(stats.lognorm(1.2, scale=np.exp(0.3)), 2.0),
        [2.5, 7.0, 40.0],
    ),
    (Exponential(2.0).freeze(0.5), stats.expon(loc=2.0, scale=2.0), [2.5, 5.0, 20.0]),
    (Weibull(k=0.6, scale=2.0), stats.weibull_min(0.6, scale=2.0), [0.1, 2.0, 30.0]),
    (
        StretchedExponential(2.0).freeze(0.5, 0.6),
        Conditioned(stats.weibull_min(0.6, scale=0.5 ** (-1 / 0.6)), 2.0),
        [2.5, 7.0, 40.0],
    ),
]

DISCRETE = [
    (PowerLaw(1.0, discrete=True).freeze(2.5), stats.zipf(2.5), [1.0, 3.0, 50.0]),
    (
        Exponential(3.0, discrete=True).freeze(0.4),
        stats.geom(-np.expm1(-0.4), loc=2.0),
        [3.0, 5.0, 20.0],
    ),
    (
        Poisson(3.0, discrete=True).freeze(4.0),
        Conditioned(stats.poisson(4.0), 3.0, discrete=True),
        [3.0, 5.0, 12.0],
    ),
]


def test_alpha_and_tail_index_conversions():
    assert tail_index_from_alpha(2.5) == 1.5
    assert alpha_from_tail_index(1.5) == 2.5
    for alpha in (1.2, 2.0, 3.7):
        assert alpha_from_tail_index(tail_index_from_alpha(alpha)) == pytest.approx(alpha)
    with pytest.raises(ParameterError, match="alpha must exceed 1"):
        tail_index_from_alpha(0.9)
    with pytest.raises(ParameterError, match="tail index must be positive"):
        alpha_from_tail_index(0.0)


def test_alpha_cannot_be_passed_for_the_tail_index():
    """The Pareto law takes its tail index by keyword; the power law its density exponent."""
    with pytest.raises(TypeError):
        Pareto(2.5)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Pareto(alpha=2.5)  # type: ignore[call-arg]
    law = PowerLaw(1.0).freeze(2.5)
    assert isinstance(law, Pareto)
    assert law.tail_index == 1.5 and law.alpha == 2.5
    assert law.top_share(0.2)[0] == pytest.approx(0.2 ** (1 - 1 / 1.5))
    with pytest.raises(ParameterError, match="alpha must exceed 1"):
        PowerLaw(1.0).freeze(0.8)


@pytest.mark.parametrize(("law", "ref", "xs"), CONTINUOUS)
def test_continuous_laws_agree_with_scipy(law, ref, xs):
    x = np.asarray(xs)
    assert law.sf(x) == pytest.approx(ref.sf(x), rel=1e-9)
    assert law.cdf(x) == pytest.approx(1.0 - ref.sf(x), rel=1e-9, abs=1e-15)
    assert law.pdf(x) == pytest.approx(ref.pdf(x), rel=1e-9)
    assert law.logpdf(x) == pytest.approx(np.log(ref.pdf(x)), rel=1e-9)
    q = np.array([0.9, 0.3, 1e-4])
    assert law.sf(law.isf(q)) == pytest.approx(q, rel=1e-8)
    assert law.isf(law.sf(x)) == pytest.approx(x, rel=1e-8)
    if hasattr(ref, "isf"):
        assert law.isf(q) == pytest.approx(ref.isf(q), rel=1e-9)
        assert law.mean() == pytest.approx(ref.mean(), rel=1e-9)


@pytest.mark.parametrize(("law", "ref", "xs"), DISCRETE)
def test_discrete_laws_agree_with_scipy(law, ref, xs):
    """``sf`` is P(X > x); P(X >= k) is ``sf(k - 1)``."""
    x = np.asarray(xs)
    assert law.sf(x) == pytest.approx(ref.sf(x), rel=1e-9)
    assert law.sf(x - 1.0) == pytest.approx(ref.sf(x - 1.0), rel=1e-9)  # P(X >= x)
    assert law.pdf(x) == pytest.approx(ref.pmf(x) if hasattr(ref, "pmf") else ref.pdf(x), rel=1e-9)
    assert law.sf(x + 0.5) == pytest.approx(law.sf(x), rel=1e-12)  # a step function
    assert law.pdf(x + 0.5) == pytest.approx(0.0)
    # isf: the smallest integer with sf <= q, so isf(q) = k for sf(k) <= q < sf(k - 1)
    assert law.isf(law.sf(x) * (1.0 + 1e-9)) == pytest.approx(x)
    q = np.array([0.9, 0.3, 1e-4])
    k = law.isf(q)
    assert np.all(law.sf(k) <= q) and np.all(law.sf(k - 1.0) > q)
    if hasattr(ref, "isf"):
        assert k == pytest.approx(ref.isf(q))


def test_discrete_power_law_is_the_hurwitz_zeta_law():
    law = PowerLaw(3.0, discrete=True).freeze(2.5)
    x = np.array([3.0, 4.0, 10.0, 1000.0])
    assert law.pdf(x) == pytest.approx(x**-2.5 / special.zeta(2.5, 3.0), rel=1e-12)
    assert law.sf(x) == pytest.approx(special.zeta(2.5, x + 1.0) / special.zeta(2.5, 3.0))
    assert law.mean() == pytest.approx(special.zeta(1.5, 3.0) / special.zeta(2.5, 3.0))


def test_cutoff_law_against_quadrature_and_the_incomplete_gamma():
    law = PowerLawCutoff(2.0).freeze(1.7, 0.05)
    for x in (3.0, 20.0, 150.0):
        tail, _ = integrate.quad(lambda t: float(law.pdf(t)), x, np.inf, limit=200)
        assert float(law.sf(x)) == pytest.approx(tail, rel=1e-7)
    mean, _ = integrate.quad(lambda t: t * float(law.pdf(t)), 2.0, np.inf, limit=200)
    assert law.mean() == pytest.approx(mean, rel=1e-7)
    assert law.sf(law.isf([0.5, 0.01])) == pytest.approx([0.5, 0.01], rel=1e-8)
    # the helper against scipy where scipy's regularised function is defined
    for s, z in ((2.5, 0.7), (0.4, 3.0), (1.0, 1e-3)):
        expected = np.log(special.gammaincc(s, z) * special.gamma(s))
        assert log_upper_gamma(s, z) == pytest.approx(expected, rel=1e-10)
    # recurrence Gamma(s + 1, z) = s Gamma(s, z) + z^s e^-z, also for negative s
    s, z = -1.3, 0.4
    lhs = np.exp(log_upper_gamma(s + 1.0, z))
    assert lhs == pytest.approx(s * np.exp(log_upper_gamma(s, z)) + z**s * np.exp(-z), rel=1e-9)


ALL_LAWS = [law for law, _, _ in CONTINUOUS + DISCRETE] + [
    PowerLawCutoff(2.0).freeze(1.7, 0.05),
    Lognormal(2.0, discrete=True).freeze(0.5, 1.5),
    StretchedExponential(2.0, discrete=True).freeze(0.5, 0.6),
]


@pytest.mark.parametrize("law", ALL_LAWS, ids=lambda law: law.describe())
def test_rvs_is_reproducible_and_follows_the_cdf(law):
    a = law.rvs(3000, random_state=7)
    b = law.rvs(3000, random_state=np.random.default_rng(7))
    assert np.array_equal(a, b)
    assert law.rvs((2, 3), random_state=1).shape == (2, 3)
    assert not np.array_equal(a, law.rvs(3000, random_state=8))
    if law.discrete:
        k = np.unique(a)
        ecdf = np.searchsorted(np.sort(a), k, side="right") / a.size
        assert np.max(np.abs(ecdf - law.cdf(k))) < 1.63 / np.sqrt(a.size)  # KS at 1%
    else:
        assert stats.kstest(a, law.cdf).pvalue > 0.01


@pytest.mark.parametrize("law", ALL_LAWS, ids=lambda law: law.describe())
def test_cdf_and_sf_are_complements_and_closed_forms_match_the_numerics(law):
    x = law.isf(np.array([0.8, 0.2, 0.01]))
    assert law.cdf(x) + law.sf(x) == pytest.approx(1.0)
    assert law.sf(law.lower - 0.5) == pytest.approx(1.0)
    assert law.mean() == pytest.approx(FrozenDistribution.mean(law), rel=1e-6)
    p = [0.01, 0.2]
    assert law.top_share(p) == pytest.approx(FrozenDistribution.top_share(law, p), abs=1e-6)


def test_discrete_gini_and_top_shares_against_a_large_sample():
    """The exact-sum numerics of a discrete law against a sample of a million draws."""
    law = PowerLaw(2.0, discrete=True).freeze(3.5)
    sample = law.rvs(1_000_000, random_state=3)
    values, counts = np.unique(sample, return_counts=True)
    order = np.argsort(values)[::-1]
    values, counts = values[order], counts[order]
    mean = float(np.sum(values * counts) / counts.sum())
    assert law.mean() == pytest.approx(mean, rel=0.01)
    # Gini of the sample: 1 - E[min(X1, X2)] / mean with the empirical survival function
    sf = 1.0 - np.cumsum(counts[::-1]) / counts.sum()  # P(X > v) for ascending v
    grid = values[::-1]
    e_min = grid[0] + np.sum(sf[:-1] ** 2 * np.diff(grid))
    assert law.gini() == pytest.approx(1.0 - e_min / mean, abs=0.01)
    top = np.cumsum(values * counts) / np.sum(values * counts)
    frac = np.cumsum(counts) / counts.sum()
    assert law.top_share(0.1)[0] == pytest.approx(np.interp(0.1, frac, top), abs=0.01)


@pytest.mark.parametrize(
    "law",
    [
        PowerLaw(2.0, discrete=True).freeze(2.6),
        PowerLawCutoff(2.0, discrete=True).freeze(1.7, 0.05),
        PowerLawCutoff(1.0, discrete=True).freeze(2.2, 0.03),
    ],
    ids=lambda law: law.describe(),
)
def test_closed_partial_means_of_discrete_laws_match_the_generic_sum(law):
    """Zeta and normalising-sum ratios against the exact sum plus quadrature of the base."""
    for x in (law.lower - 1.0, law.lower + 3.0, 40.0):
        assert law.mean_above(x) == pytest.approx(FrozenDistribution.mean_above(law, x), rel=1e-6)
    k = law.isf(np.array([0.5, 0.05]))
    assert np.all(law.sf(k) <= [0.5, 0.05]) and np.all(law.sf(k - 1.0) > [0.5, 0.05])
