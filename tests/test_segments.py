"""Segmentation: brute-force agreement, ties, weights, bootstrap, real data, bad tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence_kit.accounting import account
from influence_kit.errors import DataError, HeavyTailWarning, ParameterError, ScenarioError
from influence_kit.population import simulate_population
from influence_kit.scenarios import load_scenario, scenario_from_dict
from influence_kit.segments import (
    PYRAMID,
    concentration_verdict,
    membership,
    published_comparison,
    published_headline,
    read_person_table,
    segment_people,
    top_membership,
    validate_person_table,
)
from influence_kit.segments.membership import Levels, level_membership

ROOT = Path(__file__).resolve().parents[1]
WIKI = ROOT / "data" / "social" / "wiki-Vote_per_user.tsv"
STACK = ROOT / "data" / "social" / "scifi_stackexchange_users_counts.tsv"
PANEL = ROOT / "data" / "population" / "forrester-us-2009-panel.parquet"
US = load_scenario(ROOT / "data" / "scenarios" / "forrester-us-2009.yaml")
WIKI_COLUMNS = {
    "influence_posts": "votes_cast",
    "network_updates": "votes_cast",
    "audience": "votes_received",
}


def brute_top(values: list[float], weights: list[float], share: float, ties: str) -> list[float]:
    """Independent, pure-Python smallest top group: whole value groups, descending."""
    total = sum(v * w for v, w in zip(values, weights, strict=True))
    member = [0.0] * len(values)
    if total <= 0:
        return member
    target = share * total
    cum = 0.0
    for value in sorted(set(values), reverse=True):
        idx = [i for i, v in enumerate(values) if v == value and weights[i] > 0]
        mass = sum(values[i] * weights[i] for i in idx)
        if cum + mass < target * (1 - 1e-12):
            for i in idx:
                member[i] = 1.0
            cum += mass
            continue
        frac = 1.0 if ties == "include" or mass == 0 else (target - cum) / mass
        for i in idx:
            member[i] = min(1.0, frac)
        break
    return member


@settings(max_examples=150, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])),
        min_size=1,
        max_size=12,
    ),
    share=st.sampled_from([0.5, 0.8, 0.9, 1.0]),
    ties=st.sampled_from(["split", "include"]),
)
def test_top_membership_matches_brute_force(data: list, share: float, ties: str) -> None:
    values = [float(v) for v, _ in data]
    weights = [w for _, w in data]
    got = top_membership(np.array(values), np.array(weights), share, ties=ties)
    np.testing.assert_allclose(got, brute_top(values, weights, share, ties), atol=1e-9)
    mass = np.array(values) * np.array(weights)
    if mass.sum() > 0:
        held = float(got @ mass) / mass.sum()
        if ties == "split":
            assert held == pytest.approx(share, abs=1e-9)
        else:
            assert held >= share - 1e-9


def test_levels_ranked_once_serve_every_reweighting() -> None:
    """The bootstrap's path: levels of the full sample, then only the weights change.

    Each replicate's membership must equal the top group of the resampled people
    alone (the people drawn, each weighted by how often), computed from scratch.
    """
    rng = np.random.default_rng(11)
    n = 400
    values = np.floor(rng.pareto(1.2, n) * 20)  # heavy ties, zeros included
    weights = rng.integers(1, 4, n).astype(float)
    levels = Levels.of(values)
    for ties in ("split", "include"):
        for _ in range(20):
            counts = np.bincount(rng.integers(0, n, n), minlength=n)
            w = weights * counts
            got = level_membership(levels, w, 0.8, ties)
            drawn = counts > 0
            fresh = np.zeros(n)
            fresh[drawn] = brute_top(list(values[drawn]), list(w[drawn]), 0.8, ties)
            np.testing.assert_allclose(got, fresh, atol=1e-9)
            assert np.all(got[~drawn] == 0)


def test_smallest_group_brute_force_over_subsets() -> None:
    """With unit weights and ties included, the group is the smallest of ALL subsets."""
    rng = np.random.default_rng(3)
    for _ in range(40):
        n = 8
        values = rng.pareto(1.2, n) + rng.random(n)
        weights = np.ones(n)
        target = 0.8 * float(values @ weights)
        best = np.inf
        for mask in range(1, 2**n):
            chosen = np.array([(mask >> i) & 1 for i in range(n)], dtype=bool)
            if values[chosen] @ weights[chosen] >= target:
                best = min(best, weights[chosen].sum())
        got = top_membership(values, weights, 0.8, ties="include")
        assert got @ weights == pytest.approx(best)


def people_table(rng: np.random.Generator, n: int = 300) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "network_impressions": np.floor(rng.pareto(1.1, n) * 50),
            "influence_posts": np.floor(rng.pareto(1.3, n) * 3),
            "audience": np.floor(rng.pareto(1.5, n) * 100),
            "weight": rng.integers(1, 4, n).astype(float),
            "joiner": rng.random(n) < 0.6,
            "critic": rng.random(n) < 0.4,
        }
    )


def test_segments_partition_and_agree_with_brute_force() -> None:
    table = people_table(np.random.default_rng(1))
    seg = segment_people(table, US, n_boot=0, broadcaster_min_audience=2_000)
    rows = seg.segments
    assert rows.loc[list(PYRAMID), "share_of_adults"].sum() == pytest.approx(1.0)
    w = table["weight"].to_numpy()
    broadcaster = table["audience"].to_numpy() >= 2_000
    w_el = np.where(broadcaster, 0.0, w)
    conn = np.array(brute_top(table["network_impressions"].tolist(), list(w_el), 0.8, "split"))
    mav = np.array(brute_top(table["influence_posts"].tolist(), list(w_el), 0.8, "split"))
    assert seg.mass_connectors_share == pytest.approx((w @ conn) / w.sum())
    assert seg.mass_mavens_share == pytest.approx((w @ mav) / w.sum())
    assert seg.overlap_share == pytest.approx((w @ (conn * mav)) / w.sum())
    assert seg.social_broadcasters_share == pytest.approx(w[broadcaster].sum() / w.sum())
    net = table["network_impressions"].to_numpy()
    eligible_net = float(w_el @ net)
    assert rows.loc["mass_connectors", "share_of_network_impressions"] * float(
        w @ net
    ) == pytest.approx(0.8 * eligible_net)
    aud = table["audience"].to_numpy()
    assert seg.connectors_mean_friends == pytest.approx((w * conn) @ aud / (w @ conn))
    assert seg.technographics["joiners"] == pytest.approx(w @ table["joiner"] / w.sum())
    assert "inactives" not in seg.technographics  # only two of six flags present


def test_integer_weights_equal_replicated_rows_and_order_does_not_matter() -> None:
    table = people_table(np.random.default_rng(2), 200)
    seg = segment_people(table, US, n_boot=0)
    rep = table.loc[table.index.repeat(table["weight"].astype(int))].drop(columns="weight")
    seg_rep = segment_people(rep.reset_index(drop=True), US, n_boot=0)
    shuffled = table.sample(frac=1.0, random_state=4)
    seg_shuf = segment_people(shuffled, US, n_boot=0)
    for other in (seg_rep, seg_shuf):
        pd.testing.assert_frame_equal(seg.segments, other.segments, rtol=1e-9)


def test_median_and_membership() -> None:
    table = pd.DataFrame(
        {
            "network_impressions": [100.0, 50, 30, 10, 5, 0],
            "influence_posts": [0.0, 10, 0, 1, 1, 0],
            "audience": [40.0, 30, 20, 10, 5, 1],
            "weight": [1.0, 1, 1, 1, 1, 1],
        }
    )
    seg = segment_people(table, US, n_boot=0)
    # network total 195, 80% = 156: 100 + 50 = 150, then 6 of the 30 -> membership 0.2
    m = membership(table, US)
    np.testing.assert_allclose(m["mass_connectors"], [1, 1, 0.2, 0, 0, 0])
    assert seg.mass_connectors_share == pytest.approx(2.2 / 6)
    assert seg.segments.loc["mass_connectors", "median_audience"] == 30
    assert seg.segments.loc["all_adults", "median_audience"] == 10
    # posts total 12, 80% = 9.6: the boundary person (10 posts) counts for 0.96
    np.testing.assert_allclose(m["mass_mavens"], [0, 0.96, 0, 0, 0, 0])
    assert seg.mass_influencers_share == pytest.approx(2.2 / 6)
    assert seg.potential_influencers_share == pytest.approx((0.8 + 1 + 1) / 6)
    assert seg.segments.loc["non_posters", "share_of_adults"] == pytest.approx(1 / 6)


def test_include_ties_makes_a_larger_group() -> None:
    table = pd.DataFrame(
        {"network_impressions": [5.0] * 10, "influence_posts": [1.0] * 10, "audience": [1.0] * 10}
    )
    split = segment_people(table, US, n_boot=0)
    incl = segment_people(table, US, n_boot=0, ties="include")
    assert split.mass_connectors_share == pytest.approx(0.8)
    assert incl.mass_connectors_share == pytest.approx(1.0)
    assert split.overlap_share == pytest.approx(0.64)


def test_broadcasters_are_excluded_from_mass_influencers() -> None:
    table = pd.DataFrame(
        {
            "network_impressions": [1e6, 10.0, 9, 8, 7, 6, 5, 4, 3, 2],
            "influence_posts": [100.0, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            "audience": [50_000.0, 10, 10, 10, 10, 10, 10, 10, 10, 10],
        }
    )
    seg = segment_people(table, US, n_boot=0)
    assert seg.social_broadcasters_share == pytest.approx(0.1)
    m = membership(table, US)
    assert m.loc[0, "mass_connectors"] == 0 and m.loc[0, "mass_mavens"] == 0
    assert seg.mass_connectors_share > 0.3
    none = segment_people(table, US, n_boot=0, broadcaster_min_audience=None)
    assert none.mass_connectors_share == pytest.approx(0.08, abs=1e-4)


def test_bootstrap_is_seeded_and_covers_estimates() -> None:
    table = people_table(np.random.default_rng(5), 400)
    with pytest.warns(HeavyTailWarning, match="network_impressions"):
        a = segment_people(table, US, n_boot=60, seed=3)
    b = segment_people(table, US, n_boot=60, seed=3)
    pd.testing.assert_frame_equal(a.intervals, b.intervals)
    c = segment_people(table, US, n_boot=60, seed=4)
    assert not a.intervals["low"].equals(c.intervals["low"])
    low, high = a.interval("mass_connectors", "share_of_adults")
    assert low <= a.mass_connectors_share <= high
    assert low < high
    assert a.interval("nope", "share_of_adults") is None
    ladder = a.ladder()
    assert {"low", "high"} <= set(ladder.columns)
    assert a.to_dict()["bootstrap"] == {"n_boot": 60, "ci_level": 0.95, "seed": 3}


@pytest.mark.filterwarnings("ignore::influence_kit.errors.HeavyTailWarning")
def test_conf_int_is_the_percentiles_of_the_stored_replicates() -> None:
    seg = segment_people(people_table(np.random.default_rng(5), 400), US, n_boot=60, seed=3)
    reps = seg.replicates
    assert reps is not None and reps.shape[0] == 60
    ci = seg.conf_int()
    assert list(ci.columns) == ["lower", "upper"] and ci.index.name == "quantity"
    assert list(ci.index) == list(reps.columns)
    assert "mass_connectors.share_of_adults" in ci.index
    assert any(name.startswith("technographics.") for name in ci.index)
    for name in reps.columns:  # numpy's percentiles of the replicates where it is defined
        defined = reps[name].to_numpy()
        defined = defined[np.isfinite(defined)]
        if defined.size:
            assert ci.loc[name].to_list() == pytest.approx(np.percentile(defined, [2.5, 97.5]))
        else:
            assert ci.loc[name].isna().all()
    # a wider alpha gives a narrower interval, inside the 95% one
    narrow = seg.conf_int(0.1).dropna()
    wide = ci.loc[narrow.index]
    assert (wide["lower"] <= narrow["lower"]).all() and (narrow["upper"] <= wide["upper"]).all()
    assert (narrow["lower"] < wide["lower"]).any() or (narrow["upper"] < wide["upper"]).any()
    # conf_int(1 - ci_level) is the intervals table; its estimates are the whole table's
    names = seg.intervals["segment"] + "." + seg.intervals["statistic"]
    same = seg.conf_int(1 - seg.ci_level).loc[names]
    assert same["lower"].to_numpy() == pytest.approx(seg.intervals["low"].to_numpy(), nan_ok=True)
    assert same["upper"].to_numpy() == pytest.approx(seg.intervals["high"].to_numpy(), nan_ok=True)
    for row in seg.intervals.itertuples():
        whole = (
            seg.technographics[row.statistic]
            if row.segment == "technographics"
            else seg.segments.loc[row.segment, row.statistic]
        )
        assert row.estimate == pytest.approx(whole, nan_ok=True)
    low, high = ci.loc["mass_connectors.share_of_adults"]
    assert low <= seg.mass_connectors_share <= high
    with pytest.raises(ParameterError, match="alpha"):
        seg.conf_int(0)


def test_conf_int_without_replicates_is_refused() -> None:
    seg = segment_people(people_table(np.random.default_rng(5)), US, n_boot=0)
    assert seg.replicates is None
    with pytest.raises(ParameterError, match="without bootstrap replicates"):
        seg.conf_int()


def test_results_object_conventions() -> None:
    seg = segment_people(people_table(np.random.default_rng(6)), US, n_boot=39)
    data = seg.to_dict()
    for key in (
        "mass_connectors_share",
        "mass_mavens_share",
        "overlap_share",
        "mass_influencers_share",
        "network_impressions_total",
        "posts_total",
        "connectors_mean_friends",
        "technographics",
    ):
        assert key in data
    assert "<table" in seg._repr_html_()
    assert seg.summary().index.name == "segment"
    import json

    json.loads(seg.to_json())


def test_real_wiki_vote() -> None:
    table = read_person_table(WIKI)
    seg = segment_people(table, US, columns=WIKI_COLUMNS, n_boot=0)
    assert seg.n_people == 7_115
    assert seg.posts_total == table["votes_cast"].sum()
    assert 0.10 < seg.mass_mavens_share < 0.18
    assert seg.overlap_share <= seg.mass_connectors_share + 1e-12
    assert seg.technographics == {}
    assert seg.social_broadcasters_share == 0


def test_real_stackexchange_drops_community_bot() -> None:
    table = read_person_table(STACK, drop={"Id": -1})
    assert -1 not in set(table["Id"])
    cols = {"influence_posts": "UpVotes", "network_updates": "UpVotes", "audience": "Reputation"}
    seg = segment_people(table, US, columns=cols, n_boot=0)
    assert seg.n_people == 24_259
    assert seg.social_broadcasters_share > 0
    assert seg.mass_mavens_share < 0.1


def test_published_comparison() -> None:
    scenario = load_scenario(ROOT / "data" / "scenarios" / "forrester-us-2009.yaml")
    seg = segment_people(people_table(np.random.default_rng(7)), US, n_boot=0)
    table = published_comparison(seg, scenario, {"joiners": 0.59})
    assert table.loc["mass_connectors_share", "published"] == pytest.approx(0.062)
    assert "technographics.joiners" in table.index
    assert table["difference"].notna().all()


GOOD = pd.DataFrame(
    {
        "network_impressions": [10.0, 5.0, 1.0],
        "influence_posts": [1.0, 0.0, 2.0],
        "audience": [3, 4, 5],
        "weight": [1.0, 2.0, 1.0],
        "creator": [True, False, True],
    }
)


@pytest.mark.parametrize(
    ("column", "value", "pattern"),
    [
        ("influence_posts", -1.0, r"column 'influence_posts' has negative values \(row 1: -1\.0\)"),
        ("audience", "many", r"column 'audience' is not numeric \(row 1: 'many'\)"),
        ("network_impressions", np.nan, r"'network_impressions' has missing values \(row 1"),
        ("network_impressions", np.inf, r"'network_impressions' has infinite values \(row 1"),
        ("weight", 0.0, r"column 'weight' \(weights\) must be positive \(row 1: 0\.0\)"),
        ("weight", -2.0, r"column 'weight' \(weights\) must be positive \(row 1: -2\.0\)"),
        ("creator", 2, r"flag column 'creator' must hold true/false or 0/1 \(row 1: 2\)"),
        ("audience", True, r"column 'audience' is not numeric"),
    ],
)
def test_bad_values_raise_one_line_data_errors(column: str, value: object, pattern: str) -> None:
    bad = GOOD.copy()
    bad[column] = bad[column].astype(object)
    bad.loc[1, column] = value
    if column == "audience" and value is True:
        bad[column] = [True, False, True]
    with pytest.raises(DataError, match=pattern) as info:
        segment_people(bad, US, n_boot=0, origin="people.parquet")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("people.parquet: ")


def test_missing_columns_and_empty_tables() -> None:
    with pytest.raises(DataError, match=r"missing column\(s\) 'audience'"):
        segment_people(GOOD.drop(columns="audience"), US, n_boot=0)
    with pytest.raises(DataError, match="no rows"):
        segment_people(GOOD.iloc[:0], US, n_boot=0)
    with pytest.raises(DataError, match="missing column"):
        segment_people(GOOD, US, columns={"influence_posts": "posts"}, n_boot=0)
    with pytest.raises(DataError, match="no activity columns"):
        validate_person_table(GOOD, {"audience": "audience"})
    with pytest.raises(ParameterError, match="unknown column role"):
        segment_people(GOOD, US, columns={"friends": "audience"}, n_boot=0)


def test_bad_options() -> None:
    with pytest.raises(
        ParameterError, match=r"^concentration_share must lie strictly between 0 and 1, got 1.5$"
    ):
        segment_people(GOOD, US, concentration_share=1.5)
    with pytest.raises(
        ParameterError, match=r"^ties must be one of 'split', 'include', got 'random'$"
    ):
        segment_people(GOOD, US, ties="random")  # type: ignore[arg-type]
    with pytest.raises(
        ParameterError, match=r"^n_boot \(--bootstrap\) must be an integer >= 0, got -1$"
    ):
        segment_people(GOOD, US, n_boot=-1)
    with pytest.raises(
        ParameterError, match=r"^n_boot \(--bootstrap\) must be an integer, got True$"
    ):
        segment_people(GOOD, US, n_boot=True)
    with pytest.raises(ParameterError, match=r"^ci_level must lie strictly between 0 and 1"):
        segment_people(GOOD, US, ci_level=1.0)
    with pytest.raises(ParameterError, match=r"^readers_per_post must not be negative, got -1$"):
        segment_people(GOOD, US, readers_per_post=-1)
    with pytest.raises(ParameterError, match=r"^broadcaster_min_audience must be positive, got 0$"):
        segment_people(GOOD, US, broadcaster_min_audience=0)
    with pytest.raises(ParameterError, match=r"^seed must be an integer >= 0"):
        segment_people(GOOD, US, seed=-1)
    with pytest.raises(ParameterError, match=r"^ties must be one of"):
        membership(GOOD, US, ties="all")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"^share must be positive, got 0$"):
        top_membership(np.ones(3), np.ones(3), 0)
    with pytest.raises(ParameterError, match=r"^share must lie in \[0, 1\], got 1.5$"):
        top_membership(np.ones(3), np.ones(3), 1.5)


def test_read_person_table_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        read_person_table(tmp_path / "none.parquet")
    odd = tmp_path / "people.xlsx"
    odd.write_text("x")
    with pytest.raises(DataError, match="unknown table format"):
        read_person_table(odd)
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    with pytest.raises(DataError, match="cannot read the table"):
        read_person_table(broken)
    with pytest.raises(DataError, match="cannot drop rows by column 'Id'"):
        read_person_table(WIKI, drop={"Id": -1})


def test_read_person_table_prunes_parquet_columns(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    GOOD.assign(Id=[-1, 2, 3], extra=["a", "b", "c"]).to_parquet(path)
    frame = read_person_table(path, drop={"Id": -1}, columns=["audience", "not_there"])
    assert list(frame.columns) == ["audience", "Id"]
    assert len(frame) == 2


def test_inactives_must_be_exclusive() -> None:
    bad = GOOD.assign(inactive=[False, False, True])
    with pytest.raises(DataError, match=r"'inactive' is true .* \(.*row 2: True\)"):
        segment_people(bad, US, n_boot=0)
    ok = GOOD.assign(inactive=[False, True, False])
    assert segment_people(ok, US, n_boot=0).technographics["inactives"] == pytest.approx(0.5)


def test_broadcaster_top_share() -> None:
    table = read_person_table(STACK, drop={"Id": -1})
    cols = {"influence_posts": "UpVotes", "network_updates": "UpVotes", "audience": "Reputation"}
    seg = segment_people(table, US, columns=cols, n_boot=0, broadcaster_top_share=0.01)
    assert seg.broadcaster_top_share == 0.01
    assert seg.social_broadcasters_share == pytest.approx(0.01, abs=0.001)
    threshold = seg.broadcaster_min_audience
    assert seg.social_broadcasters_share == pytest.approx((table["Reputation"] >= threshold).mean())
    with pytest.raises(ParameterError, match="needs an audience column"):
        segment_people(
            table, US, columns={"influence_posts": "UpVotes"}, broadcaster_top_share=0.01
        )
    with pytest.raises(
        ParameterError, match=r"^broadcaster_top_share must lie strictly between 0 and 1, got 1.5$"
    ):
        segment_people(table, US, columns=cols, broadcaster_top_share=1.5)


def _with_type_readers(scenario, readers):
    data = scenario.model_dump(exclude_none=True)
    data["readers_per_post_by_type"] = dict(readers)
    return scenario_from_dict(data)


def test_tables_without_post_impressions_use_each_types_readers() -> None:
    """Regression: post impressions come from each post type's readers per post.

    The segmentation used to take ``influence_posts x 150`` whenever a table had no
    ``post_impressions`` column, ignoring a scenario's per-type readers.
    """
    typed = _with_type_readers(US, {"reviews": 1000.0, "blog_posts": 20.0})
    pop = simulate_population(typed, 20_000, seed=11)
    table = pop.people.drop(columns=["post_impressions", "total_impressions"])
    acc = account(typed)
    seg = segment_people(table, typed, n_boot=0)
    assert seg.total_impressions_total == pytest.approx(acc.total_impressions, rel=1e-9)
    assert seg.total_impressions_total == pytest.approx(
        segment_people(pop.people, typed, n_boot=0).total_impressions_total, rel=1e-12
    )
    assert seg.total_impressions_total != pytest.approx(
        acc.network_impressions + acc.influence_posts * 150, rel=1e-3
    )
    # the shares of total impressions match those of the table's own post impressions
    own = segment_people(pop.people, typed, n_boot=0)
    pd.testing.assert_series_equal(
        seg.segments["share_of_total_impressions"], own.segments["share_of_total_impressions"]
    )
    # without the type columns, posts take the effective readers per post
    bare = table.drop(columns=list(typed.post_type_shares))
    seg_bare = segment_people(bare, typed, n_boot=0)
    assert seg_bare.total_impressions_total == pytest.approx(acc.total_impressions, rel=1e-9)
    assert seg_bare.readers_per_post == pytest.approx(150.0)
    assert own.readers_per_post is None


def test_settings_come_from_the_scenario() -> None:
    table = people_table(np.random.default_rng(3))
    assert segment_people(table, US, n_boot=0).concentration_share == pytest.approx(0.8)
    explicit = segment_people(table, US, concentration_share=0.7, n_boot=0)
    assert explicit.concentration_share == pytest.approx(0.7)
    with pytest.raises(ParameterError, match="concentration_share"):
        segment_people(table, n_boot=0)
    with pytest.raises(ParameterError, match="scenario"):
        segment_people(table, concentration_share=0.8, n_boot=0)  # posts, no post impressions
    with_impressions = table.assign(post_impressions=table["influence_posts"] * 3.0)
    alone = segment_people(with_impressions, concentration_share=0.8, n_boot=0)
    assert alone.readers_per_post is None
    # readers_per_post replaces the scenario's
    more = segment_people(table, US, readers_per_post=300.0, n_boot=0)
    w = table["weight"].to_numpy()
    expected = w @ table["network_impressions"].to_numpy() + 300.0 * (
        w @ table["influence_posts"].to_numpy()
    )
    assert more.total_impressions_total == pytest.approx(expected)
    assert more.readers_per_post == 300.0
    # a synthetic population brings its scenario
    pop = simulate_population(US, 5_000, seed=2)
    pd.testing.assert_frame_equal(
        segment_people(pop, n_boot=0).segments, segment_people(pop.people, US, n_boot=0).segments
    )
    assert membership(pop).equals(membership(pop.people, US))


def test_published_headline_and_verdict() -> None:
    assert published_headline(US) == (0.16, 0.8)
    assert published_headline(US, top=0.2) == (0.2, 0.8)
    data = US.model_dump(exclude_none=True)
    del data["headline"]
    bare = scenario_from_dict(data)
    top, share = published_headline(bare)
    assert top == pytest.approx(0.062 + 0.138 - 0.037) and share == pytest.approx(0.8)
    del data["segments"]
    with pytest.raises(ScenarioError, match="influencers_share"):
        published_headline(scenario_from_dict(data))
    assert concentration_verdict(0.138, 0.138) == "about as concentrated as"
    assert concentration_verdict(0.15, 0.138) == "about as concentrated as"
    assert concentration_verdict(0.05, 0.138) == "more concentrated than"
    assert concentration_verdict(0.3, 0.138) == "less concentrated than"
    assert concentration_verdict(0.15, 0.138, tolerance=0.0) == "less concentrated than"
    with pytest.raises(ParameterError, match=r"^reference must be positive, got 0.0$"):
        concentration_verdict(0.1, 0.0)
    with pytest.raises(ParameterError, match=r"^fraction must not be negative, got -0.1$"):
        concentration_verdict(-0.1, 0.138)
    with pytest.raises(ParameterError, match=r"^tolerance must not be negative, got -1$"):
        concentration_verdict(0.1, 0.138, tolerance=-1)


@pytest.mark.parametrize(
    ("path", "drop", "columns"),
    [
        (STACK, {"Id": -1}, None),
        (STACK, {"Id": -1}, ["UpVotes", "Views", "not_there"]),
        (WIKI, None, ["votes_cast", "votes_received"]),
        (PANEL, None, None),
        (PANEL, None, ["audience", "weight"]),
    ],
)
def test_large_person_tables_read_through_duckdb_equal_pandas(
    monkeypatch: pytest.MonkeyPatch, path: Path, drop: dict | None, columns: list | None
) -> None:
    """A single file above LARGE_FILE_BYTES is read by DuckDB: the same frame, same order."""
    from influence_kit.data import files

    small = read_person_table(path, drop=drop, columns=columns)
    monkeypatch.setattr(files, "LARGE_FILE_BYTES", 0)
    large = read_person_table(path, drop=drop, columns=columns)
    if columns is not None and path != PANEL:
        small = small[list(large.columns)]  # pandas reads every column of text files
    pd.testing.assert_frame_equal(large, small)
    if path == PANEL and columns is None:
        assert segment_people(large, US, n_boot=0).to_dict() == (
            segment_people(small, US, n_boot=0).to_dict()
        )


def test_heavy_tailed_activities_are_flagged_with_the_intervals() -> None:
    """Pareto activity with index 1.1 (infinite variance) is flagged; index 4 is not."""
    rng = np.random.default_rng(8)
    table = people_table(rng, 2000)
    table["influence_posts"] = np.floor((rng.pareto(4.0, 2000) + 1) * 10)
    with pytest.warns(HeavyTailWarning, match="may not hold") as record:
        seg = segment_people(table, US, n_boot=39, seed=1)
    assert len(record) == 1
    assert seg.heavy_tailed == ["network_impressions"]
    assert seg.tails["network_impressions"].tail_index == pytest.approx(1.1, abs=0.3)
    assert not seg.tails["influence_posts"].infinite_variance
    data = seg.to_dict()
    assert data["heavy_tailed"] == ["network_impressions"]
    assert set(data["tail_index"]) == {"network_impressions", "influence_posts"}
    # without bootstrap there are no intervals to doubt: no check, no warning
    assert segment_people(table, US, n_boot=0).tails == {}
