"""The audience model: closed forms, cascades on graphs and tables, and scenarios that use it."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from influence_kit.accounting import (
    account,
    derived_quantities,
    effective_inputs,
    evaluate,
    model_inputs,
)
from influence_kit.audience import (
    AudienceGraph,
    Direction,
    amplification,
    ego_facebook,
    expected_readers,
    past_one_step_share,
    reshare_rate,
    simulate_audience_sizes,
    simulate_cascades,
    wiki_vote,
)
from influence_kit.errors import DataError, ParameterError, ScenarioError
from influence_kit.scenarios import load_scenario, scenario_from_dict
from influence_kit.sensitivity import monte_carlo


def _within(sim_mean: float, sim_sd: float, n: int, expected: float, z: float = 4.5) -> bool:
    return abs(sim_mean - expected) <= z * sim_sd / math.sqrt(n)


# --- closed forms -------------------------------------------------------------------------


def test_without_reshares_readers_are_audience_times_visibility_exactly():
    a = np.array([0.0, 10.0, 130.0, 5000.0])
    v = np.array([0.0, 0.35, 0.61, 1.0])
    assert np.array_equal(expected_readers(a, v, 1.0), a * v)


def test_reshare_rate_inverts_the_no_spread_share():
    p0 = np.array([0.7, 0.85, 0.95, 1.0])
    assert np.allclose(np.exp(-reshare_rate(p0)), p0)


def test_amplification_is_the_galton_watson_total_progeny():
    # rho = 1: 1 + lam / (1 - lam) = 1 / (1 - lam)
    lam = np.array([0.05, 0.2, 0.5])
    assert np.allclose(amplification(np.exp(-lam)), 1 / (1 - lam))
    # rho = 2, lam = 0.25: m = 0.5, 1 + 2 * 0.25 / 0.5 = 2
    assert float(amplification(np.exp(-0.25), 2.0)) == pytest.approx(2.0)


def test_closed_form_agrees_with_a_direct_galton_watson_simulation():
    rng = np.random.default_rng(7)
    lam, rho, n = 0.4, 1.5, 200_000
    m = lam * rho
    first = rng.poisson(lam, n)
    total = first.astype(float)
    gen = first
    second_step = np.zeros(n, dtype=bool)
    depth = 0
    while gen.any():
        gen = rng.poisson(m * gen)
        if depth == 0:
            second_step = gen > 0
        total += gen
        depth += 1
    # each reshare is seen by rho times the author's direct readers
    readers = 1 + rho * total
    amp = float(amplification(math.exp(-lam), rho))
    assert _within(readers.mean(), readers.std(), n, amp)
    share = float(past_one_step_share(math.exp(-lam), rho))
    assert abs(second_step.mean() - share) < 4.5 * math.sqrt(share * (1 - share) / n)


def test_the_evidence_base_case_lands_inside_the_observed_one_to_four_percent():
    assert 0.01 <= float(past_one_step_share(0.85)) <= 0.04


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"no_spread_share": 0.2}, "not subcritical"),
        ({"no_spread_share": 0.0}, "no_spread_share must be in (0, 1]"),
        ({"visibility": 1.5}, "visibility must be in [0, 1]"),
        ({"audience": -1.0}, "audience must be in [0, inf]"),
        ({"audience": np.nan}, "audience must be in"),
    ],
)
def test_closed_form_refuses_bad_inputs(kwargs, message):
    args = {"audience": 100.0, "visibility": 0.3, "no_spread_share": 0.9} | kwargs
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace("[", r"\[")):
        expected_readers(**args)


# --- graphs -------------------------------------------------------------------------------


def test_graph_from_edges_dedupes_drops_self_links_and_follows_the_direction():
    src, dst = np.array([0, 0, 1, 2, 2]), np.array([1, 1, 2, 2, 0])
    und = AudienceGraph.from_edges(src, dst)
    assert und.audience_sizes().tolist() == [2, 2, 2]
    f2a = AudienceGraph.from_edges(src, dst, direction=Direction.FOLLOWER_TO_AUTHOR)
    # a -> b: a is in b's audience; 0->1, 1->2, 2->0
    assert f2a.indices[f2a.indptr[1] : f2a.indptr[2]].tolist() == [0]
    a2f = AudienceGraph.from_edges(src, dst, direction=Direction.AUTHOR_TO_FOLLOWER)
    assert a2f.indices[a2f.indptr[0] : a2f.indptr[1]].tolist() == [1]
    assert AudienceGraph.from_edges(src, dst, n_nodes=5).audience_sizes().tolist() == [
        2,
        2,
        2,
        0,
        0,
    ]
    with pytest.raises(DataError, match="n_nodes=2"):
        AudienceGraph.from_edges(src, dst, n_nodes=2)
    with pytest.raises(DataError, match="integers >= 0"):
        AudienceGraph.from_edges(np.array([-1]), np.array([0]))


def test_sorted_unique_is_numpy_unique():
    from influence_kit.audience.graph import sorted_unique

    rng = np.random.default_rng(3)
    for size in (0, 1, 2, 1000):
        keys = rng.integers(0, 50, size)
        assert np.array_equal(sorted_unique(keys), np.unique(keys))


def test_shipped_graphs_have_their_published_sizes():
    fb = ego_facebook()
    assert (fb.n_nodes, fb.n_links) == (4039, 2 * 88_234)
    wv = wiki_vote()
    assert wv.n_nodes == 7115
    assert wv.n_links == 103_689  # no duplicate votes or self-votes in wiki-Vote


def test_networkx_and_a_file_give_the_same_graph(tmp_path):
    g = nx.karate_club_graph()
    from_nx = AudienceGraph.from_networkx(g)
    path = tmp_path / "karate edges.csv"
    names = {i: f"member-{i}" for i in g.nodes}
    lines = ["who,whom"] + [f"{names[a]},{names[b]}" for a, b in g.edges]
    path.write_text("\n".join(lines) + "\n")
    from_file = AudienceGraph.read(path)
    assert sorted(from_file.audience_sizes().tolist()) == sorted(from_nx.audience_sizes().tolist())
    assert from_nx.n_links == 2 * g.number_of_edges()


@pytest.mark.parametrize(
    "content",
    [
        b"alice bob\nbob carol\ncarol alice\n",  # text names, no header
        b"\xef\xbb\xbf1 2\n2 3\n3 1\n",  # a UTF-8 byte-order mark
        b'"1","2"\n"2","3"\n"3","1"\n',  # quoted numbers
        b"1  2\n2   3\n3\t 1\n",  # runs of spaces
        b"from,to\nalice,bob\nbob,carol\ncarol,alice\n",  # a real header
        b"# a triangle\n\n1,2\n2,3\n3,1\n",
    ],
    ids=["names", "bom", "quoted", "spaces", "header", "comment"],
)
def test_every_way_of_writing_a_triangle_reads_as_one(tmp_path, content):
    """The first line is a link unless it is a header: a triangle is three links."""
    path = tmp_path / "edges.txt"
    path.write_bytes(content)
    graph = AudienceGraph.read(path)
    assert graph.n_nodes == 3 and graph.n_links == 6
    assert graph.audience_sizes().tolist() == [2, 2, 2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("a\nb\n", "two columns"),
        ("x,y\n1,\n", "missing end"),
        ("a b\n", r"no links \(its one line, 'a b', reads as a header\)"),
    ],
)
def test_bad_edge_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "edges.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        AudienceGraph.read(path)


# --- cascades -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def facebook():
    return ego_facebook()


def test_full_visibility_and_no_reshare_reads_the_whole_audience(facebook):
    r = simulate_cascades(facebook, visibility=1.0, reshare=0.0, seed=1)
    assert np.array_equal(r.readers, facebook.audience_sizes())
    assert r.no_spread_share == 1.0 and r.past_one_step_share == 0.0


def test_everyone_resharing_reaches_the_whole_connected_graph():
    g = AudienceGraph.from_networkx(nx.path_graph(30))
    r = simulate_cascades(g, visibility=1.0, reshare=1.0, seed=3)
    assert r.readers.tolist() == [29] * 30  # everyone but the author, once each
    assert r.depth.max() == 29  # from an end of the path every reader reshares, the last in vain


def test_without_reshares_the_mean_is_visibility_times_the_mean_audience(facebook):
    r = simulate_cascades(facebook, visibility=0.35, reshare=0.0, seed=2)
    expected = 0.35 * facebook.audience_sizes().mean()
    assert _within(r.mean_readers, r.readers.std(), r.n_posts, expected)
    assert r.amplification == pytest.approx(r.mean_readers / expected)


def test_known_branching_on_a_regular_table():
    # every audience has k members: a resharer reached by a link has k - 1 more
    k, v, q = 20, 0.5, 0.05
    r = simulate_audience_sizes(np.full(2_000, k), visibility=v, reshare=q, posts=60_000, seed=5)
    m = q * v * (k - 1)
    expected = v * k / (1 - m)
    assert _within(r.mean_readers, r.readers.std(), r.n_posts, expected)
    p_none = (1 - v * q) ** k  # no reader of the post reshares it
    assert abs(r.no_spread_share - p_none) < 4.5 * math.sqrt(p_none * (1 - p_none) / r.n_posts)


def test_random_graph_with_a_known_degree_distribution_gives_the_expected_mean():
    # Erdos-Renyi G(n, c/n): Poisson(c) degrees, excess degrees Poisson(c) too
    n, c, v, q = 20_000, 8.0, 0.5, 0.1
    g = AudienceGraph.from_networkx(nx.fast_gnp_random_graph(n, c / n, seed=11))
    r = simulate_cascades(g, visibility=v, reshare=q, posts=30_000, seed=12)
    expected = v * c / (1 - q * v * c)
    assert r.mean_readers == pytest.approx(expected, rel=0.04)


def test_a_fixed_seed_gives_identical_readers_in_process_and_on_local_workers(facebook):
    a = simulate_cascades(facebook, visibility=0.4, reshare=0.02, posts=9000, seed=9)
    b = simulate_cascades(facebook, visibility=0.4, reshare=0.02, posts=9000, seed=9, n_jobs=2)
    c = simulate_cascades(facebook, visibility=0.4, reshare=0.02, posts=9000, seed=10)
    assert np.array_equal(a.readers, b.readers) and np.array_equal(a.depth, b.depth)
    assert not np.array_equal(a.readers, c.readers)
    assert a.to_json() == b.to_json()


def test_chunks_do_not_change_the_readers(facebook, monkeypatch):
    from influence_kit.audience import cascade

    whole = simulate_cascades(facebook, visibility=0.3, reshare=0.01, seed=4)
    monkeypatch.setattr(cascade, "LINKS_PER_CHUNK", 50_000)  # many chunks now
    split = simulate_cascades(facebook, visibility=0.3, reshare=0.01, seed=4)
    # the chunk seeds differ, so the posts differ, but the distribution agrees
    assert split.n_posts == whole.n_posts
    assert stats.ks_2samp(split.readers, whole.readers).pvalue > 1e-4


def test_summary_intervals_and_key_figures(facebook):
    r = simulate_cascades(facebook, visibility=0.35, reshare=0.003, seed=1)
    ci = r.conf_int()
    low, high = ci.loc["mean_readers", ["lower", "upper"]]
    assert low < r.mean_readers < high
    half = stats.t.isf(0.025, r.n_posts - 1) * r.readers.std(ddof=1) / math.sqrt(r.n_posts)
    assert high - r.mean_readers == pytest.approx(half)
    s = r.summary()
    assert s.loc["posts", "value"] == 4039
    assert s.loc["unread_share", "value"] == pytest.approx(np.mean(r.readers == 0))
    top = np.sort(r.readers)[::-1]
    assert s.loc["top_10pct_posts_share", "value"] == pytest.approx(
        top[:404].sum() / top.sum(), abs=0.01
    )
    assert r.key_figures()["mean_readers"] == r.mean_readers
    assert r.to_dict()["statistics"]["posts"] == 4039


def test_the_interval_of_mean_readers_never_goes_below_zero():
    """A skewed sample: the t interval would reach below 0 readers; it stops at 0."""
    from influence_kit.audience.readers import ReadersDistribution

    readers = np.array([0] * 39 + [100])
    zeros = np.zeros(readers.size, dtype=int)
    r = ReadersDistribution("star", "test", 0.5, 0.0, readers, zeros, zeros, readers, None)
    ci = r.conf_int()
    low, high = ci.loc["mean_readers", ["lower", "upper"]]
    half = stats.t.isf(0.025, r.n_posts - 1) * r.readers.std(ddof=1) / math.sqrt(r.n_posts)
    assert r.mean_readers - half < 0  # the case the cut is for
    assert low == 0.0 and high == pytest.approx(r.mean_readers + half)


def test_too_few_posts_give_no_interval_of_mean_readers():
    """Three posts are fewer than the 39 replicates an interval needs: no interval."""
    graph = AudienceGraph.from_edges([0, 1, 2, 0], [1, 2, 0, 2], direction="undirected")
    r = simulate_cascades(graph, visibility=0.5, reshare=0.0, seed=1)
    low, high = r.conf_int().loc["mean_readers", ["lower", "upper"]]
    assert np.isnan(low) and np.isnan(high)


def test_wiki_vote_authors_without_voters_are_never_read():
    g = wiki_vote()
    r = simulate_cascades(g, visibility=0.5, reshare=0.0, seed=1)
    assert np.all(r.readers[g.audience_sizes() == 0] == 0)
    assert r.unread_share >= np.mean(g.audience_sizes() == 0)


def test_bad_simulation_arguments(facebook):
    with pytest.raises(ParameterError, match="visibility"):
        simulate_cascades(facebook, visibility=1.2)
    with pytest.raises(ParameterError, match="posts"):
        simulate_cascades(facebook, visibility=0.3, posts=0)
    with pytest.raises(ParameterError, match="whole numbers"):
        simulate_audience_sizes([1.5, 2.0], visibility=0.3)


# --- scenarios ----------------------------------------------------------------------------


def test_the_derived_scenario_uses_the_closed_form():
    s = load_scenario("audience-us-2009")
    am = s.audience_model
    assert am is not None
    readers = float(
        expected_readers(
            am.audience.base,
            am.visibility.base,
            am.no_spread_share.base,
            distribution=am.distribution(),
        )
    )
    inputs = effective_inputs(s)
    assert inputs.readers_per_post.base == pytest.approx(readers)
    # the scenario holds what its file states; the model uses the derived figures
    assert s.readers_per_post.base == 150 and inputs.stated["readers_per_post"].base == 150
    seen = am.visibility.base * float(
        amplification(
            am.no_spread_share.base, audience=am.audience.base, distribution=am.distribution()
        )
    )
    assert inputs.network_impressions.base == pytest.approx(256e9 * seen)
    assert s.network_impressions.base == 256e9
    acc = account(s)
    assert acc.total_impressions == pytest.approx(256e9 * seen + 1.64e9 * readers)
    # low and high come from the corners of the input ranges
    low = float(
        expected_readers(
            am.audience.low,
            am.visibility.low,
            am.no_spread_share.high,
            distribution=am.distribution(),
        )
    )
    assert inputs.readers_per_post.low == pytest.approx(low)


def test_monte_carlo_varies_the_audience_inputs_not_the_derived_figure():
    s = load_scenario("audience-us-2009")
    assert "readers_per_post" not in model_inputs(s)
    assert "audience_model.visibility" in model_inputs(s)
    mc = monte_carlo(s, draws=4000, seed=1)
    q05, q95 = np.quantile(mc.samples, [0.05, 0.95])
    assert q05 < account(s).total_impressions < q95
    # explicit readers per post still override the derivation (what a sweep does)
    out = evaluate(s, {"readers_per_post": np.array([150.0])})
    assert out["post_impressions"][0] == pytest.approx(1.64e9 * 150)


def test_overriding_a_derived_figure_is_refused_and_the_inputs_can_be_set():
    with pytest.raises(ScenarioError, match="derived by the audience model"):
        load_scenario("audience-us-2009", {"readers_per_post": 300})
    s = load_scenario("audience-us-2009", {"audience_model.visibility": 0.5})
    readers = effective_inputs(s).readers_per_post.base
    am = s.audience_model
    assert am is not None
    expected = expected_readers(130, 0.5, 0.915, distribution=am.distribution())
    assert readers == pytest.approx(float(expected))
    off = load_scenario("audience-us-2009", {"audience_model.derive": []})
    assert off.readers_per_post.base == 150 and off.derived == ()
    assert effective_inputs(off).readers_per_post.base == 150


def test_a_derived_scenario_round_trips_through_its_data():
    s = load_scenario("audience-us-2009")
    again = scenario_from_dict(s.to_dict())
    assert account(again).to_dict() == account(s).to_dict()


def test_a_supercritical_range_is_refused():
    with pytest.raises(ScenarioError, match="not subcritical"):
        load_scenario(
            "audience-us-2009",
            {"audience_model.resharer_audience_ratio.high": 5},
        )


@pytest.mark.parametrize("kind", ["lognormal", "normal"])
@pytest.mark.parametrize("share", ["visibility", "no_spread_share"])
def test_a_share_cannot_take_an_unbounded_distribution(share, kind):
    """Sampling would draw shares above 1 (found only later, by sensitivity)."""
    with pytest.raises(ScenarioError, match=f"is a share, but a {kind} distribution"):
        load_scenario("audience-us-2009", {f"audience_model.{share}.distribution.kind": kind})


def test_compare_only_scenarios_keep_their_stated_figures():
    s = load_scenario("forrester-us-2009")
    assert s.audience_model is not None and s.derived == ()
    assert s.readers_per_post.base == 150
    assert effective_inputs(s).readers_per_post.base == 150
    assert derived_quantities(s)["readers_per_post"].base == pytest.approx(
        effective_inputs(load_scenario("audience-us-2009")).readers_per_post.base
    )


def test_exact_sobol_indices_are_refused_for_a_derived_scenario():
    from influence_kit.sensitivity import sobol_analytic

    with pytest.raises(ParameterError, match="bilinear model"):
        sobol_analytic(load_scenario("audience-us-2009"))


def test_a_supercritical_cascade_on_a_graph_runs_in_bounded_chunks(facebook, monkeypatch):
    from influence_kit.audience import cascade

    """Everyone sees and reshares: every post reaches its whole component, in chunks
    sized for that (the chunk size follows the expected cascade, not the audience)."""
    sizes: list[int] = []
    real = cascade._graph_chunk

    def spy(job, chunk):
        sizes.append(chunk.authors.size)
        return real(job, chunk)

    monkeypatch.setattr(cascade, "_graph_chunk", spy)
    r = simulate_cascades(facebook, visibility=1.0, reshare=1.0, posts=60, seed=2)
    links = int(facebook.audience_sizes().sum())
    assert max(sizes) == cascade.LINKS_PER_CHUNK // links  # 11 posts of 176,468 links each
    # ego-Facebook is one connected component: every post reaches everyone but its author
    assert np.all(r.readers == facebook.n_nodes - 1)


def test_a_supercritical_cascade_on_an_audience_table_is_refused():
    sizes = np.repeat([10, 50], [50, 50])
    with pytest.raises(ParameterError, match=r"would never stop; lower --reshare"):
        simulate_audience_sizes(sizes, visibility=0.5, reshare=0.2, seed=1)
    # below criticality it runs: R = 0.5 * 0.0425 * E[k(k-1)]/E[k] (= 42.33) = 0.9
    r = simulate_audience_sizes(sizes, visibility=0.5, reshare=0.0425, posts=50, seed=1)
    assert r.n_posts == 50


def test_an_unknown_link_direction_is_refused():
    with pytest.raises(ParameterError, match="direction must be one of"):
        AudienceGraph.from_edges([0], [1], direction="mutual")
    friends = AudienceGraph.from_edges([0], [1], direction="undirected")
    assert friends.audience_sizes().tolist() == [1, 1]
