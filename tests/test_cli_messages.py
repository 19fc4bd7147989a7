"""Error messages say what is wrong (issue 12): a missing column lists the columns the
file has, every "no data" error names the file, an ambiguous ``--notebook`` prefix says
so and lists the matches."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from influence_kit.cli.main import main
from influence_kit.errors import RenderError
from influence_kit.package_data import notebook_dir
from influence_kit.render.jobs import _resolve_notebooks


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the command in this process; return its one error line."""
    try:
        code = main(argv)
    except SystemExit as stop:
        code = int(stop.code or 0)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1, err
    return err[0]


@pytest.fixture
def tables(tmp_path: Path) -> dict[str, Path]:
    frame = pd.DataFrame({"user": [1, 2, 3], "score": [4.0, 5.0, 6.0]})
    out = {}
    out["parquet"] = tmp_path / "other.parquet"
    frame.to_parquet(out["parquet"])
    out["csv"] = tmp_path / "other.csv"
    frame.to_csv(out["csv"], index=False)
    folder = tmp_path / "folder"
    folder.mkdir()
    frame.to_parquet(folder / "part-0.parquet")
    out["folder"] = folder
    out["empty_csv"] = tmp_path / "header-only.csv"
    out["empty_csv"].write_text("a,b\n")
    out["empty_parquet"] = tmp_path / "no-rows.parquet"
    pd.DataFrame({"a": pd.Series([], dtype=float)}).to_parquet(out["empty_parquet"])
    out["comments"] = tmp_path / "comments.txt"
    out["comments"].write_text("# nothing here\n\n")
    out["zero_bytes"] = tmp_path / "zero.txt"
    out["zero_bytes"].write_text("")
    empty_folder = tmp_path / "empty-folder"
    empty_folder.mkdir()
    (empty_folder / "part-0.csv").write_text("a,b\n")
    out["empty_folder"] = empty_folder
    return out


@pytest.mark.parametrize("kind", ["parquet", "csv", "folder"])
def test_missing_person_column_lists_the_file_columns(kind, tables, capsys):
    """Reading only the needed columns used to leave none to list: "(have: )"."""
    line = run(["segment", str(tables[kind])], capsys)
    assert "missing column(s) 'network_impressions'" in line
    assert "the file has columns 'user', 'score'" in line
    assert "(have: )" not in line


def test_missing_drop_column_lists_the_file_columns(tables, capsys):
    line = run(["segment", str(tables["parquet"]), "--drop", "Id=-1"], capsys)
    assert "no such column (the file has columns 'user', 'score')" in line


@pytest.mark.parametrize("command", ["fit", "concentration"])
def test_missing_value_column_lists_the_file_columns(command, tables, capsys):
    for source in (tables["parquet"], tables["csv"]):
        line = run([command, str(source), "--column", "nope"], capsys)
        assert "'user'" in line and "'score'" in line
        for extra in (["--drop-invalid"], ["--person-column", "user"]):  # the DuckDB route
            line = run([command, str(source), "--column", "nope", *extra], capsys)
            assert "user" in line and "score" in line, line


EMPTY_CASES = [
    ("fit", "empty_csv", ["--column", "a"]),
    ("fit", "empty_parquet", ["--column", "a"]),
    ("fit", "comments", []),
    ("fit", "zero_bytes", []),
    ("concentration", "empty_csv", ["--column", "a"]),
    ("concentration", "empty_parquet", ["--column", "a", "--drop-invalid"]),
    ("concentration", "empty_csv", ["--column", "a", "--person-column", "b"]),
    ("fit", "empty_folder", ["--column", "a"]),
    ("segment", "empty_csv", []),
    ("segment", "empty_parquet", []),
    ("segment", "empty_folder", []),
]


@pytest.mark.parametrize(("command", "kind", "extra"), EMPTY_CASES)
def test_no_data_errors_name_the_file(command, kind, extra, tables, capsys):
    line = run([command, str(tables[kind]), *extra], capsys)
    assert f"{tables[kind]}: " in line or f"{tables[kind]}/part-0.csv" in line, line
    assert any(w in line for w in ("empty", "no data", "no rows")), line


def test_ambiguous_notebook_prefix_lists_the_matches():
    folder = notebook_dir()
    stems = sorted(p.stem for p in folder.glob("0*.ipynb"))
    assert len(stems) >= 2
    with pytest.raises(RenderError) as err:
        _resolve_notebooks(folder, ["0"])
    message = str(err.value)
    assert "'0' is ambiguous" in message and "not found" not in message
    for stem in stems:
        assert stem in message
    # a unique prefix still selects its notebook; an unknown one is "not found"
    assert [p.stem for p in _resolve_notebooks(folder, [stems[1][:2]])] == [stems[1]]
    with pytest.raises(RenderError, match="'zz' not found"):
        _resolve_notebooks(folder, ["zz"])


def test_ambiguous_notebook_from_the_command_line(tmp_path, capsys):
    line = run(["render", "--notebook", "0", "--output-dir", str(tmp_path / "site")], capsys)
    assert "is ambiguous" in line and "01-headline-impressions" in line
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())


@pytest.mark.parametrize("command", ["fit", "reach", "concentration", "segment"])
def test_control_characters_in_a_file_name_stay_on_one_line(command, tmp_path, capsys):
    """A newline or a terminal escape in a file name is written as an escape."""
    for name in ("bad\nname.csv", "esc\x1b[31mred.csv"):
        path = tmp_path / name
        path.write_bytes(b"\x00\x01binary")
        line = run([command, str(path)], capsys)
        assert repr(name)[1:-1] in line
        assert "\x1b" not in line


@pytest.mark.parametrize("bad", ["-5", "2.5", "inf"])
def test_a_bad_count_names_the_counts_column(bad, tmp_path, capsys):
    path = tmp_path / "histogram.csv"
    path.write_text(f"size,people\n10,3\n20,{bad}\n")
    for command in (["fit", str(path)], ["reach", str(path), "--audience-sizes"]):
        line = run([*command, "--column", "size", "--counts-column", "people"], capsys)
        assert "counts column 'people' holds" in line and "data row 2" in line


@pytest.mark.parametrize("command", ["fit", "concentration"])
def test_a_large_zero_filled_file_is_refused_as_binary_at_once(command, tmp_path, capsys):
    """Past the size read in memory, files go to DuckDB; a sparse file of NUL bytes
    must be refused from its first bytes, not parsed as one enormous line."""
    path = tmp_path / "sparse.txt"
    with open(path, "wb") as handle:
        handle.truncate(64 * 2**20)  # 64 MiB of zeros, sparse on disk
    line = run([command, str(path)], capsys)
    assert "not readable as text (a binary file: NUL byte at offset 0)" in line
