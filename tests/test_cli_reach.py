"""``influence-kit reach``: the derived readers-per-post distribution from the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from influence_kit.audience import ego_facebook, simulate_cascades
from influence_kit.cli.main import main
from influence_kit.reach import default_reshare
from influence_kit.scenarios import load_scenario


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_reach_on_ego_facebook_prints_the_distribution_and_the_implied_mean(capsys):
    code, out, err = run(capsys, "reach", "ego-facebook", "--seed", "1")
    assert code == 0 and err == ""
    for statistic in (
        "mean readers per post",
        "median readers per post",
        "posts read by nobody",
        "readers of the top 10% of posts",
    ):
        assert statistic in out
    assert "e+" not in out and "_" not in out.split("\n\n")[0]  # the table is in words
    assert "readers per post (95% interval" in out
    assert "against 150 stated in forrester-us-2009" in out


def test_reach_json_agrees_with_the_library_and_the_scenario_defaults(capsys):
    code, out, _ = run(capsys, "reach", "ego-facebook", "--seed", "3", "--json")
    assert code == 0
    data = json.loads(out)
    scenario = load_scenario("forrester-us-2009")
    graph = ego_facebook()
    visibility = scenario.audience_model.visibility.base
    reshare = default_reshare(scenario, graph.n_links / graph.n_nodes, visibility)
    direct = simulate_cascades(graph, visibility=visibility, reshare=reshare, seed=3)
    assert data["derived_readers"] == pytest.approx(direct.mean_readers)
    assert data["distribution"]["reshare"] == pytest.approx(reshare)
    # the reshare default leaves the scenario's share of posts unshared
    target = scenario.audience_model.no_spread_share.base
    assert data["distribution"]["statistics"]["no_spread_share"] == pytest.approx(target, abs=0.03)
    ci = data["conf_int"]["intervals"]["derived_readers"]
    assert ci["lower"] < data["derived_readers"] < ci["upper"]
    expected_total = 256e9 + 1.64e9 * data["derived_readers"]
    assert data["total_with_derived"] == pytest.approx(expected_total)
    assert data["total_with_stated"] == pytest.approx(502e9)
    # the same seed gives the same output
    assert run(capsys, "reach", "ego-facebook", "--seed", "3", "--json")[1] == out


def test_reach_on_a_user_edge_list_and_a_table_of_audiences(capsys, tmp_path):
    edges = tmp_path / "follows.csv"
    edges.write_text("follower,author\nann,bob\ncid,bob\ndee,bob\nbob,ann\n")
    code, out, _ = run(
        capsys, "reach", str(edges), "--links", "follower-to-author",
        "--visibility", "1", "--reshare", "0", "--json",
    )  # fmt: skip
    assert code == 0
    stats = json.loads(out)["distribution"]["statistics"]
    # bob is read by 3 followers, ann by 1, cid and dee by nobody
    assert stats["mean_readers"] == pytest.approx(4 / 4)
    assert stats["unread_share"] == pytest.approx(0.5)
    sizes = tmp_path / "followers.tsv"
    sizes.write_text("followers\tpeople\n10\t3\n0\t1\n")
    code, out, _ = run(
        capsys, "reach", str(sizes), "--audience-sizes", "--column", "followers",
        "--counts-column", "people", "--visibility", "1", "--reshare", "0", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["derived_readers"] == pytest.approx(30 / 4)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope.csv"], "nope.csv"),
        (["ego-facebook", "--visibility", "2"], "visibility must lie in [0, 1]"),
        (["ego-facebook", "--reshare", "-0.1"], "reshare must lie in [0, 1]"),
        (["ego-facebook", "--posts", "1e12"], "simulated posts would need"),
        (["ego-facebook", "--posts", "1e308"], "is more than the 1,000,000,000 this toolkit"),
        (["ego-facebook", "--posts", "0"], "posts must be"),
        (["ego-facebook", "--column", "x"], "--column and --counts-column need --audience-sizes"),
    ],
)
def test_reach_errors_are_one_line_with_exit_code_2(capsys, argv, message):
    code, _, err = run(capsys, "reach", *argv)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_reach_refuses_non_finite_numbers_while_parsing(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["reach", "ego-facebook", "--visibility", "nan"])
    assert exit_info.value.code == 2
    assert "expected a finite number" in capsys.readouterr().err


def test_reach_refuses_binary_input(capsys, tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(np.random.default_rng(0).bytes(4000))
    code, _, err = run(capsys, "reach", str(path))
    assert code == 2 and "binary file" in err and len(err.strip().splitlines()) == 1


def test_the_seed_reported_without_seed_repeats_the_run(capsys):
    """A run without --seed reports its fresh 128-bit entropy; --seed takes it back."""
    code, first, _ = run(capsys, "reach", "ego-facebook", "--posts", "300", "--json")
    assert code == 0
    seed = json.loads(first)["distribution"]["seed"]
    assert seed >= 0
    code, again, _ = run(
        capsys, "reach", "ego-facebook", "--posts", "300", "--json", "--seed", str(seed)
    )
    assert code == 0 and again == first
    with pytest.raises(SystemExit) as exit_info:
        main(["reach", "ego-facebook", "--seed", str(2**128)])
    assert exit_info.value.code == 2 and "below 2**128" in capsys.readouterr().err


def test_reach_options_that_contradict_the_input_are_refused(capsys, tmp_path):
    table = tmp_path / "audiences.csv"
    table.write_text("size,count\n10,3\n200,1\n")
    for argv, message in [
        (["--column", "size", "--counts-column", "size"], "both name 'size'"),
        (["--column", "size", "--links", "follower-to-author"], "--links is for edge lists"),
    ]:
        code, _, err = run(capsys, "reach", str(table), "--audience-sizes", *argv)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_no_negative_zero_in_the_output(capsys):
    code, out, _ = run(
        capsys,
        "reach",
        "ego-facebook",
        "--posts",
        "200",
        "--seed",
        "1",
        "--visibility",
        "-0",
        "--set",
        "audience_model.no_spread_share=1",
        "--json",
    )
    assert code == 0 and "-0.0" not in out
    data = json.loads(out)["distribution"]
    assert (data["visibility"], data["reshare"]) == (0.0, 0.0)


def test_one_huge_audience_names_the_audience_not_the_posts(capsys, tmp_path):
    table = tmp_path / "one-star.csv"
    table.write_text("followers\n1e18\n10\n")
    code, _, err = run(capsys, "reach", str(table), "--audience-sizes")
    assert code == 2 and "lower the audience sizes (one post alone is too large)" in err
    edges = tmp_path / "one-column.txt"
    edges.write_text("1\n2\n")
    code, _, err = run(capsys, "reach", str(edges))
    assert code == 2 and err.strip().endswith("an edge list needs two columns, found one column")
