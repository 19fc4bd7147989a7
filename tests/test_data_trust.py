"""Inputs that used to give quietly wrong numbers, tracebacks or unreadable errors (issue 25).

Each case names what a reader would count by hand; the assertion is that count.
"""

from __future__ import annotations

import json
import logging

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from influence_kit.audience import AudienceGraph
from influence_kit.cli.main import main
from influence_kit.data import open_source, read_values, value_counts
from influence_kit.data.edges import read_edges
from influence_kit.data.sources import duckdb_message, shorten
from influence_kit.errors import DataError, ParameterError


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- comments: '#' is data unless asked for ---------------------------------------------


def test_a_hash_inside_a_user_name_is_part_of_the_name(tmp_path):
    """bob#1, bob#2 and bob#3 are three people (was one: '#' started a comment)."""
    path = tmp_path / "follows.csv"
    path.write_text("alice,bob#1\nalice,bob#2\nalice,bob#3\n")
    edges = read_edges(path)
    assert edges.n_nodes == 4
    graph = AudienceGraph.read(path)
    assert graph.n_nodes == 4 and sorted(graph.audience_sizes().tolist()) == [1, 1, 1, 3]


def test_a_hash_in_a_tsv_edge_list_and_the_comment_option(tmp_path):
    path = tmp_path / "links.tsv"
    path.write_text("alice\tbob#x\ncarol\talice#y\nbob\tcarol # a note\n")
    names = {"alice", "bob#x", "carol", "alice#y", "bob", "carol # a note"}
    assert set(read_edges(path).names) == names
    # asked for, '#' starts a comment anywhere on a line
    assert set(read_edges(path, comment="#").names) == {"alice", "bob", "carol"}
    with pytest.raises(ParameterError, match="one punctuation character"):
        read_edges(path, comment="ab")


def test_a_top_preamble_of_hash_lines_is_still_skipped(tmp_path):
    """SNAP files start with '# ...' lines: a preamble, not data."""
    path = tmp_path / "snap.txt"
    path.write_text("# Directed graph\n\n# FromNodeId\tToNodeId\n1\t2\n2\t3\n")
    edges = read_edges(path)
    assert edges.n_nodes == 3 and edges.source.size == 2
    values = tmp_path / "values.txt"
    values.write_text("# one a line\n5\n1\n2\n")
    assert read_values(values).table.n_observations == 3
    assert value_counts(values).table.n_observations == 3  # the DuckDB route agrees


@pytest.mark.parametrize("route", ["pandas", "duckdb"])
def test_a_hash_after_a_number_is_not_a_comment_in_values(tmp_path, route):
    """'12#3' is not a number: an error naming it, not a silent 12."""
    path = tmp_path / "values.csv"
    path.write_text("x\n1\n12#3\n")
    read = read_values if route == "pandas" else value_counts
    with pytest.raises(DataError, match="non-numeric"):
        read(path, "x")
    got = read(path, "x", comment="#")
    assert sorted(got.table.values.tolist()) == [1.0, 12.0]


def test_the_comment_option_on_the_command_line(capsys, tmp_path):
    path = tmp_path / "values.txt"
    path.write_text("4\n4 # doubled\n2\n")
    code, _, err = run(capsys, "concentration", path, "--bootstrap-reps", "0", "--json")
    assert code == 2 and "non-numeric" in err and "\n" not in err.rstrip("\n")
    code, out, _ = run(
        capsys, "concentration", path, "--bootstrap-reps", "0", "--json", "--comment", "#"
    )
    assert code == 0 and json.loads(out)["n_people"] == 3
    code, _, err = run(capsys, "fit", path, "--comment", "xy")
    assert code == 2 and "give one punctuation character such as '#'" in err


# --- node ids by value ------------------------------------------------------------------


def test_parquet_int_and_float_columns_name_the_same_people(tmp_path):
    """2 (int64) and 2.0 (float64) are one person (were two)."""
    path = tmp_path / "links.parquet"
    pd.DataFrame(
        {"a": np.array([1, 2, 3], dtype=np.int64), "b": np.array([2.0, 3.0, 1.0])}
    ).to_parquet(path)
    graph = AudienceGraph.read(path)
    assert graph.n_nodes == 3 and graph.audience_sizes().tolist() == [2, 2, 2]


def test_text_ids_are_compared_by_value(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text('1,2\n2.0,"3"\n3,01\n')  # a triangle however written
    edges = read_edges(path)
    assert edges.n_nodes == 3 and edges.names.tolist() == [1, 2, 3]


def test_huge_integer_ids_keep_their_identity(tmp_path):
    """Ids above 2**53 stay distinct (a float route would merge 2**53 and 2**53 + 1)."""
    path = tmp_path / "links.csv"
    big = 2**53
    path.write_text(f"{big},{big + 1}\n{big + 1},18446744073709551615\n")
    edges = read_edges(path)
    assert edges.n_nodes == 3
    assert [int(n) for n in edges.names] == [big, big + 1, 2**64 - 1]


def test_two_spellings_of_a_number_in_a_list_of_names_are_refused(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("alice,2\nbob,2.0\n")
    with pytest.raises(DataError, match=r"'2' and '2\.0' are the same number"):
        read_edges(path)


def test_a_parquet_of_numbers_and_names_is_refused(tmp_path):
    path = tmp_path / "links.parquet"
    pd.DataFrame({"a": [1, 2], "b": ["alice", "bob"]}).to_parquet(path)
    with pytest.raises(DataError, match="column 'a' holds numbers and column 'b' text"):
        read_edges(path)


# --- headers by rule --------------------------------------------------------------------


def test_a_headerless_list_of_names_keeps_its_first_link(tmp_path, caplog):
    """'alice,bob' names nobody else, but it is a link, not a header (was dropped)."""
    path = tmp_path / "links.csv"
    path.write_text("alice,bob\ncarol,dave\nerin,dave\n")
    with caplog.at_level(logging.WARNING):
        graph = AudienceGraph.read(path)
    assert graph.n_nodes == 5 and graph.n_links == 6
    assert not caplog.records


def test_a_header_of_column_names_is_taken_and_the_rule_is_logged(tmp_path, caplog):
    path = tmp_path / "links.csv"
    path.write_text("follower,author\nann,bob\ncid,dee\n")
    with caplog.at_level(logging.WARNING):
        graph = AudienceGraph.read(path)
    assert graph.n_nodes == 4 and graph.n_links == 4
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "first line 'follower,author' read as a header" in record.getMessage()
    assert "rule:" in record.getMessage()
    assert AudienceGraph.read(path, header=False).n_nodes == 6


def test_a_header_over_numbers_needs_no_warning(tmp_path, caplog):
    path = tmp_path / "links.csv"
    path.write_text("FromNodeId,ToNodeId\n1,2\n2,3\n")
    with caplog.at_level(logging.WARNING):
        assert AudienceGraph.read(path).n_nodes == 3
    assert not caplog.records


def test_reach_logs_the_header_rule_and_takes_no_header(capsys, caplog, tmp_path):
    """The warning is logged (the CLI's logging shows WARNING on stderr)."""
    path = tmp_path / "follows.csv"
    path.write_text("source,target\nann,bob\ncid,dee\n")
    argv = ["reach", path, "--visibility", "1", "--reshare", "0", "--json", "--seed", "1"]
    with caplog.at_level(logging.WARNING):
        code, out, _ = run(capsys, *argv)
    assert code == 0 and json.loads(out)["distribution"]["statistics"]["posts"] == 4
    assert any("read as a header" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        code, out, _ = run(capsys, *argv, "--no-header")
    assert code == 0 and json.loads(out)["distribution"]["statistics"]["posts"] == 6
    assert not caplog.records


# --- folders and repeated paths ---------------------------------------------------------


def test_a_folder_skips_hidden_files_and_says_how_many(tmp_path, caplog):
    folder = tmp_path / "parts"
    (folder / ".ipynb_checkpoints").mkdir(parents=True)
    (folder / "a.csv").write_text("x\n1\n2\n")
    (folder / ".ipynb_checkpoints" / "a-checkpoint.csv").write_text("x\n1\n2\n")
    (folder / "._a.csv").write_bytes(b"\x00\x05\x16\x07Mac OS X        \x00\x02")
    (folder / ".hidden.csv").write_text("x\n100\n")
    with caplog.at_level(logging.WARNING):
        got = value_counts(folder, "x")
    assert got.table.n_observations == 2
    assert any("skipped 3 hidden files" in r.getMessage() for r in caplog.records)


def test_a_folder_of_only_hidden_files_says_so(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "._a.csv").write_bytes(b"\x00\x05")
    with pytest.raises(DataError, match=r"no Parquet, CSV or TSV files \(besides 1 hidden\)"):
        open_source(folder)


def test_a_path_given_twice_is_read_once(tmp_path, capsys, caplog):
    path = tmp_path / "values.csv"
    path.write_text("x\n1\n2\n3\n")
    assert read_values([path, path], "x").table.n_observations == 3
    assert read_values([path, tmp_path / "." / "values.csv"], "x").rows == 3
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        code, out, _ = run(capsys, "concentration", path, path, "--bootstrap-reps", "0", "--json")
    assert code == 0 and json.loads(out)["n_people"] == 3
    assert [r.getMessage() for r in caplog.records] == [f"{path}: given more than once; read once"]


# --- graphs: dense relabelling and multigraphs ------------------------------------------


def test_ids_near_2_to_the_40_take_memory_by_distinct_ids():
    """Was an 8 TiB allocation; now three people."""
    src = np.array([2**40, 5, 2**40 + 7])
    dst = np.array([2**40 + 7, 2**40, 5])
    graph = AudienceGraph.from_edges(src, dst)
    assert graph.n_nodes == 3 and graph.audience_sizes().tolist() == [2, 2, 2]
    assert graph.labels.tolist() == [5, 2**40, 2**40 + 7]


def test_uint64_ids_up_to_the_maximum():
    top = np.iinfo(np.uint64).max
    src = np.array([top, 3, top - 1], dtype=np.uint64)
    dst = np.array([3, top - 1, 7], dtype=np.uint64)
    graph = AudienceGraph.from_edges(src, dst, direction="author-to-follower")
    assert graph.n_nodes == 4
    assert [int(x) for x in graph.labels] == [3, 7, int(top) - 1, int(top)]
    # int64 sources with uint64 targets: no float64 detour merging neighbours
    mixed = AudienceGraph.from_edges(np.array([1, 2]), np.array([top, top - 1], dtype=np.uint64))
    assert mixed.n_nodes == 4 and mixed.n_links == 4


def test_dense_ids_and_an_explicit_n_nodes_are_unchanged():
    src, dst = np.array([0, 1, 2]), np.array([1, 2, 0])
    graph = AudienceGraph.from_edges(src, dst)
    assert graph.labels is None and graph.audience_sizes().tolist() == [2, 2, 2]
    assert AudienceGraph.from_edges(src, dst, n_nodes=5).n_nodes == 5
    with pytest.raises(DataError, match="n_nodes=2199023255552 is more than"):
        AudienceGraph.from_edges(np.array([2**40]), np.array([0]), n_nodes=2**41)


def test_a_multigraph_collapses_parallel_edges():
    g = nx.MultiGraph()
    g.add_edges_from([("a", "b"), ("a", "b"), ("b", "c"), ("c", "c")])
    graph = AudienceGraph.from_networkx(g)
    assert graph.n_nodes == 3 and graph.n_links == 4
    assert graph.audience_sizes().tolist() == [1, 2, 1]
    d = nx.MultiDiGraph([(1, 2), (1, 2), (2, 1)])
    assert AudienceGraph.from_networkx(d).n_links == 2


# --- short, readable errors -------------------------------------------------------------


def test_a_5000_digit_entry_is_echoed_short(tmp_path, capsys):
    path = tmp_path / "values.txt"
    path.write_text("x\n1\n" + "1" * 5000 + "x\n")
    code, _, err = run(capsys, "fit", path)
    assert code == 2 and len(err) < 300 and "(5,001 characters)" in err


def test_a_too_long_line_names_the_reason_not_only_the_line(tmp_path):
    import duckdb

    path = tmp_path / "long.csv"
    path.write_text("x\n" + "1" * 5000 + "\n")
    con = duckdb.connect()
    with pytest.raises(duckdb.Error) as err:
        con.execute(f"SELECT * FROM read_csv('{path}', max_line_size = 100)").fetchall()
    line = duckdb_message(err.value)
    assert "Maximum line size of 100 bytes exceeded" in line and len(line) < 300


def test_shorten_keeps_short_text_and_cuts_long_text():
    assert shorten("bob#1") == "bob#1"
    cut = shorten("9" * 5000)
    assert cut.startswith("9" * 19 + "...") and cut.endswith("(5,000 characters)")


@pytest.mark.slow
def test_a_line_over_duckdbs_limit_gives_the_reason_end_to_end(tmp_path, capsys):
    """A 3 MB line (over DuckDB's 2 MB): was 'CSV Error on Line: 1' and nothing more."""
    path = tmp_path / "huge.csv"
    path.write_text("x\n1\n" + "1" * 3_000_000 + "\n2\n")
    code, _, err = run(capsys, "fit", path)
    assert code == 2 and "Maximum line size of" in err and len(err) < 400


def test_files_with_different_preambles_read_as_one_source(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "a.csv").write_text("# written by tool A\n# two lines\nx\n1\n2\n")
    (folder / "b.csv").write_text("x\n3\n")
    got = value_counts(folder, "x")
    assert got.rows == 3 and got.table.values.tolist() == [1.0, 2.0, 3.0]
