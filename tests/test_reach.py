"""Derived readers per post beside the stated figure, and the headline recomputed with them."""

from __future__ import annotations

import numpy as np
import pytest

from influence_kit.accounting import (
    account,
    derived_quantities,
    effective_inputs,
    person_impressions,
)
from influence_kit.audience import ego_facebook, simulate_cascades
from influence_kit.concentration import top_share
from influence_kit.errors import ParameterError
from influence_kit.formatting import format_quantity
from influence_kit.population import load_panel
from influence_kit.reach import (
    compare_readers,
    default_reshare,
    derived_scenario,
    headline_survival,
    readers_on_shipped_graphs,
)
from influence_kit.scenarios import load_scenario


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("forrester-us-2009")


@pytest.fixture(scope="module")
def comparisons(scenario):
    return readers_on_shipped_graphs(scenario, seed=5)


def test_default_reshare_leaves_the_stated_share_unshared():
    s = load_scenario("forrester-us-2009")
    r = default_reshare(s, 100.0, 0.3)
    assert (1 - r) ** 30 == pytest.approx(s.audience_model.no_spread_share.base)
    assert default_reshare(s, 0.0, 0.3) == 0.0


def test_compare_readers_recomputes_the_total_linearly(scenario):
    dist = simulate_cascades(ego_facebook(), visibility=0.35, reshare=0.0, seed=1)
    c = compare_readers(scenario, dist)
    assert c.stated_readers == 150
    assert c.total_with_stated == pytest.approx(account(scenario).total_impressions)
    assert c.total_with_derived == pytest.approx(256e9 + 1.64e9 * dist.mean_readers)
    ci = c.conf_int()
    lo, hi = ci.loc["derived_readers"]
    assert ci.loc["total_with_derived", "lower"] == pytest.approx(256e9 + 1.64e9 * lo)
    assert ci.loc["total_with_derived", "upper"] == pytest.approx(256e9 + 1.64e9 * hi)
    assert c.ratio == pytest.approx(dist.mean_readers / 150)


def test_a_derived_scenario_is_compared_with_its_stated_figures():
    """audience-us-2009 derives readers and network impressions: the stated total is
    Forrester's (256 billion + 1.64 billion posts x 150), the derived one uses the
    simulated readers with the network impressions the scenario derives."""
    derived = load_scenario("audience-us-2009")
    dist = simulate_cascades(ego_facebook(), visibility=0.35, reshare=0.0, seed=1)
    c = compare_readers(derived, dist)
    assert c.stated_readers == 150
    assert c.total_with_stated == pytest.approx(256e9 + 1.64e9 * 150)
    assert derived.network_impressions.base == 256e9  # the scenario holds what it states
    network = effective_inputs(derived).network_impressions.base  # as its model derives it
    assert network != pytest.approx(256e9)
    assert c.total_with_derived == pytest.approx(network + 1.64e9 * dist.mean_readers)


def test_shipped_graphs_are_all_run_and_seeded(scenario, comparisons):
    assert set(comparisons) == {"ego-Facebook", "wiki-Vote", "ego-Facebook friend counts"}
    again = readers_on_shipped_graphs(scenario, seed=5)
    for label, c in comparisons.items():
        assert np.array_equal(c.distribution.readers, again[label].distribution.readers)
        # the reshare default reproduces the cascade evidence on every audience
        target = scenario.audience_model.no_spread_share.base
        assert c.distribution.no_spread_share == pytest.approx(target, abs=0.04)


def test_headline_survival_rows_are_the_model_and_the_simulations(scenario, comparisons):
    people = load_panel(scenario)
    sv = headline_survival(scenario, comparisons, people, draws=4000, seed=2)
    t = sv.summary()
    closed = derived_quantities(scenario)["readers_per_post"].base
    assert t.loc["stated", "readers_per_post"] == 150
    assert t.loc["stated", "total"] == pytest.approx(502e9)
    assert t.loc["audience model (closed form)", "total"] == pytest.approx(256e9 + 1.64e9 * closed)
    seen = derived_quantities(scenario)["seen_share"].base
    both = t.loc["audience model, network derived too"]
    assert both["total"] == pytest.approx(256e9 * seen + 1.64e9 * closed)
    assert both["total"] == pytest.approx(account(derived_scenario(scenario)).total_impressions)
    for label, c in comparisons.items():
        assert t.loc[f"simulated on {label}", "readers_per_post"] == c.derived_readers
    # the top-16% share, computed independently on the panel
    person = person_impressions(people, scenario, readers_per_post=closed)
    expected = top_share(person["total_impressions"].to_numpy(), 0.16, weights=people["weight"])
    assert t.loc["audience model (closed form)", "top_share"] == pytest.approx(expected[0])
    lo, hi = sv.monte_carlo_interval
    assert lo < both["total"] < hi
    assert 0 <= sv.probability_of_claim < 0.05
    said = sv.conclusion()
    assert "does not survive" in said.text
    assert f"at {format_quantity(closed, 'readers')} (audience model)" in said.text
    assert set(said.figures) <= set(sv.key_figures().labels())


def test_headline_survival_conf_int_is_the_percentiles_of_its_draws(scenario, comparisons):
    import dataclasses

    sv = headline_survival(scenario, comparisons, load_panel(scenario), draws=2000, seed=3)
    assert sv.samples is not None and sv.samples.shape == (2000,)
    ci = sv.conf_int()
    assert list(ci.index) == ["total_all_derived"] and list(ci.columns) == ["lower", "upper"]
    lower, upper = ci.loc["total_all_derived"]
    assert [lower, upper] == pytest.approx(np.percentile(sv.samples, [2.5, 97.5]))
    narrow_lower, narrow_upper = sv.conf_int(0.1).loc["total_all_derived"]
    assert lower < narrow_lower < narrow_upper < upper
    # the 90% interval is the stored 5th to 95th percentiles
    assert (narrow_lower, narrow_upper) == pytest.approx(sv.monte_carlo_interval)
    # the point estimate is the total at the base values, not the draws' centre
    both = sv.summary().loc["audience model, network derived too", "total"]
    assert narrow_lower < both < narrow_upper
    assert both != pytest.approx(float(np.median(sv.samples)), rel=1e-6)
    with pytest.raises(ParameterError, match="alpha"):
        sv.conf_int(1.0)
    with pytest.raises(ParameterError, match="no Monte Carlo draws"):
        dataclasses.replace(sv, samples=None).conf_int()


def test_the_derived_scenario_is_an_override_of_the_derive_list(scenario):
    both = derived_scenario(scenario)
    assert both.overrides == {"audience_model.derive": ["readers_per_post", "network_impressions"]}
    assert both.derived == ("readers_per_post", "network_impressions")
    assert both.readers_per_post.base == 150 and both.digest() != scenario.digest()


def test_a_scenario_without_an_audience_model_is_refused(scenario):
    bare = scenario.model_copy(update={"audience_model": None})
    with pytest.raises(ParameterError, match="no audience_model"):
        derived_scenario(bare)
