"""The one per-person impressions model: accounting.person_impressions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from influence_kit.accounting import (
    PERSON_IMPRESSIONS,
    account,
    person_impressions,
    readers_per_post_by_type,
)
from influence_kit.errors import DataError, ParameterError
from influence_kit.population import simulate_population
from influence_kit.scenarios import load_scenario, scenario_from_dict


@pytest.fixture(scope="module")
def scenario(default_scenario_path):
    return load_scenario(default_scenario_path)


def _with_type_readers(scenario, readers: dict[str, float]):
    data = scenario.model_dump(exclude_none=True)
    data["readers_per_post_by_type"] = dict(readers)
    return scenario_from_dict(data)


@pytest.fixture(scope="module")
def typed(scenario):
    """Reviews read by 1,000 people per post, forum posts by 40; the other types by 150."""
    return _with_type_readers(scenario, {"reviews": 1000.0, "forum_posts": 40.0})


def test_readers_by_type(scenario, typed):
    assert readers_per_post_by_type(scenario) == dict.fromkeys(scenario.post_type_shares, 150.0)
    by_type = readers_per_post_by_type(typed)
    assert by_type == {
        "reviews": 1000.0,
        "forum_posts": 40.0,
        "blog_comments": 150.0,
        "blog_posts": 150.0,
    }
    assert readers_per_post_by_type(typed, readers_per_post=7.0)["blog_posts"] == 7.0
    assert readers_per_post_by_type(typed, readers_per_post=7.0)["reviews"] == 1000.0
    with pytest.raises(ParameterError):
        readers_per_post_by_type(typed, readers_per_post=-1.0)


def test_hand_computed_table_with_per_type_readers(typed):
    people = pd.DataFrame(
        {
            "network_impressions": [100.0, 0.0, 5.0],
            "reviews": [1.0, 0.0, 2.0],
            "forum_posts": [2.0, 1.0, 0.0],
            "blog_comments": [0.0, 3.0, 0.0],
            "blog_posts": [0.5, 0.0, 0.0],
            "influence_posts": [3.5, 4.0, 2.0],
        },
        index=["a", "b", "c"],
    )
    got = person_impressions(people, typed)
    assert list(got.columns) == list(PERSON_IMPRESSIONS)
    assert list(got.index) == ["a", "b", "c"]
    # a: 1 x 1000 + 2 x 40 + 0.5 x 150; b: 1 x 40 + 3 x 150; c: 2 x 1000
    assert got["post_impressions"].tolist() == [1155.0, 490.0, 2000.0]
    assert got["network_impressions"].tolist() == [100.0, 0.0, 5.0]
    assert got["total_impressions"].tolist() == [1255.0, 490.0, 2005.0]
    # readers_per_post replaces only the types without their own readers
    low = person_impressions(people, typed, readers_per_post=0.0)
    assert low["post_impressions"].tolist() == [1080.0, 40.0, 2000.0]


def test_without_type_columns_posts_take_the_effective_readers(typed):
    people = pd.DataFrame({"network_impressions": [1.0, 2.0], "influence_posts": [2.0, 0.0]})
    effective = account(typed).readers_per_post
    got = person_impressions(people, typed)
    assert got["post_impressions"].tolist() == pytest.approx([2.0 * effective, 0.0])
    assert effective != pytest.approx(150.0)  # the per-type readers count


def test_missing_columns_are_named(scenario):
    with pytest.raises(DataError, match="influence_posts"):
        person_impressions(pd.DataFrame({"network_impressions": [1.0]}), scenario)


@pytest.mark.parametrize("per_type", [False, True])
def test_population_sums_to_the_account(scenario, typed, per_type):
    """Summed over a population built to the scenario's totals: the account's totals."""
    for scen in (scenario, typed):
        people = simulate_population(scen, 70_000, seed=3).people
        if not per_type:
            people = people.drop(columns=list(scen.post_type_shares))
        got = person_impressions(people, scen)
        w = people["weight"].to_numpy()
        acc = account(scen)
        assert w @ got["network_impressions"].to_numpy() == pytest.approx(
            acc.network_impressions, rel=1e-9
        )
        assert w @ got["post_impressions"].to_numpy() == pytest.approx(
            acc.post_impressions, rel=1e-9
        )
        assert w @ got["total_impressions"].to_numpy() == pytest.approx(
            acc.total_impressions, rel=1e-9
        )


def test_population_columns_are_the_model(typed):
    people = simulate_population(typed, 2_000, seed=5).people
    got = person_impressions(people, typed)
    np.testing.assert_array_equal(people["post_impressions"], got["post_impressions"])
    np.testing.assert_array_equal(people["total_impressions"], got["total_impressions"])
