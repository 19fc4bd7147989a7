"""A render and a simulation keep the user's files, end, and stay quiet (issue 25).

Files a user keeps: no writer replaces one of its own inputs; ``render`` into a folder of
the user's that no render made is refused unless ``--force``. Runs that never end: a dead
kernel or a cell past ``--cell-timeout`` fails its notebook with one line naming the cell,
and ``--timeout`` bounds the whole render. Noise: a notebook named twice renders once, a
``--notebook X.ipynb`` is looked up in ``--notebook-dir``, IPython options go to IPython
kernels only and a successful render prints no papermill log lines.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from cli_runner import run_cli

from influence_kit.errors import RenderError
from influence_kit.render import render_reports
from influence_kit.render.batch import RenderTimeout
from influence_kit.render.execute import DEFAULT_CELL_TIMEOUT, is_ipython_kernel
from influence_kit.render.jobs import _resolve_notebooks


def _notebook(path: Path, *cells: str, summary: bool = True) -> Path:
    """A notebook with a ``parameters`` cell and ``cells``; without ``summary_path`` in its
    parameters when ``summary`` is false (papermill then warns of an unknown parameter)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    params = "scenario_path = 'forrester-us-2009'\noverrides = {}\nseed = 0\n"
    if summary:
        params += "summary_path = ''\n"
    first = nbformat.v4.new_code_cell(params)
    first.metadata["tags"] = ["parameters"]
    nb.cells = [first, *(nbformat.v4.new_code_cell(c) for c in cells)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------------
# Files a user keeps


@pytest.fixture
def users_folder(tmp_path) -> Path:
    """A folder of the user's own, holding an index.html and a summary.json."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<h1>my own page</h1>")
    (folder / "summary.json").write_text('{"mine": true}')
    (folder / "draft.tmp").write_text("my draft")
    return folder


def test_render_into_a_users_folder_is_refused_naming_what_it_would_replace(
    users_folder, tmp_path, default_scenario_path
):
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-a.ipynb", "x = 1")
    before = _tree(users_folder)
    done = run_cli(
        "render",
        "--scenario",
        str(default_scenario_path),
        "--notebook-dir",
        str(nb_dir),
        "--output-dir",
        str(users_folder),
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert "not an empty folder nor a report site made by render" in done.stderr
    assert "would replace draft.tmp, index.html" in done.stderr
    assert "--force" in done.stderr
    assert _tree(users_folder) == before  # nothing replaced, nothing added (no lock file)


def test_a_users_folder_without_clashing_files_is_refused_too(tmp_path, default_scenario_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(7):
        (folder / f"img{i}.jpg").write_bytes(b"\xff\xd8")
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-a.ipynb", "x = 1")
    with pytest.raises(
        RenderError, match=r"holds files no render made \(img0.jpg, .* and 2 more\)"
    ):
        render_reports([default_scenario_path], None, folder, notebook_dir=nb_dir)
    assert sorted(p.name for p in folder.iterdir()) == [f"img{i}.jpg" for i in range(7)]


def test_output_folder_that_is_the_notebook_folder_is_refused_even_with_force(
    tmp_path, default_scenario_path
):
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-a.ipynb", "x = 1")
    with pytest.raises(RenderError, match="is the --notebook-dir this run reads"):
        render_reports(
            [default_scenario_path], None, nb_dir / ".." / "nbs", notebook_dir=nb_dir, force=True
        )
    assert sorted(p.name for p in nb_dir.iterdir()) == ["01-a.ipynb"]


def test_force_help_says_what_it_overrules():
    done = run_cli("render", "--help")
    text = " ".join(done.stdout.split())
    assert "into an existing --output-dir that is neither empty nor a report site" in text
    assert f"(default {DEFAULT_CELL_TIMEOUT})" in text and "--timeout SECONDS" in text


@pytest.mark.slow
def test_force_renders_into_a_users_folder_and_a_site_is_then_reused(
    users_folder, tmp_path, default_scenario_path
):
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-a.ipynb", "x = 1")
    result = render_reports(
        [default_scenario_path], None, users_folder, notebook_dir=nb_dir, force=True
    )
    assert result.ok, result.summary()
    assert "my own page" not in (users_folder / "index.html").read_text()
    # the folder is now a site a render made: the next render needs no --force
    again = render_reports([default_scenario_path], None, users_folder, notebook_dir=nb_dir)
    assert [run.status for run in again.runs] == ["skipped"]


def test_cli_constant_matches_the_renderer():
    from influence_kit.cli import render as cli_render

    assert cli_render.DEFAULT_CELL_TIMEOUT == DEFAULT_CELL_TIMEOUT


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink", "dotdot"])
def test_simulate_refuses_to_write_onto_its_own_scenario(tmp_path, default_scenario_path, link):
    scenario = tmp_path / "mysc.yaml"
    scenario.write_bytes(default_scenario_path.read_bytes())
    out = {
        "same": scenario,
        "symlink": tmp_path / "link.yaml",
        "hardlink": tmp_path / "hard.yaml",
        "dotdot": tmp_path / "sub" / ".." / "mysc.yaml",
    }[link]
    if link == "symlink":
        out.symlink_to(scenario)
    elif link == "hardlink":
        os.link(scenario, out)
    elif link == "dotdot":
        (tmp_path / "sub").mkdir()
    before = scenario.read_bytes()
    done = run_cli(
        "simulate", "--n", "100", "--scenario", str(scenario), "--out", str(out), "--format", "csv"
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "is the --scenario this run reads" in done.stderr
    assert scenario.read_bytes() == before


def test_simulate_still_writes_beside_its_scenario(tmp_path, default_scenario_path):
    scenario = tmp_path / "mysc.yaml"
    scenario.write_bytes(default_scenario_path.read_bytes())
    done = run_cli(
        "simulate", "--n", "100", "--scenario", str(scenario), "--out", str(tmp_path / "p.csv")
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "p.csv").read_text().count("\n") == 101


# ---------------------------------------------------------------------------
# Noise: notebook names, kernels


def test_a_notebook_named_twice_is_rendered_once(tmp_path):
    nb_dir = tmp_path / "nbs"
    first = _notebook(nb_dir / "01-headline-impressions.ipynb", "x = 1")
    _notebook(nb_dir / "02-other.ipynb", "x = 2")
    names = ["01", "01-headline-impressions", "01-headline-impressions.ipynb", str(first)]
    assert _resolve_notebooks(nb_dir, names) == [nb_dir / "01-headline-impressions.ipynb"]


def test_two_notebooks_sharing_a_stem_are_refused(tmp_path):
    a = _notebook(tmp_path / "a" / "01-x.ipynb", "x = 1")
    b = _notebook(tmp_path / "b" / "01-x.ipynb", "x = 1")
    with pytest.raises(RenderError, match="share the name '01-x'"):
        _resolve_notebooks(tmp_path / "a", [str(a), str(b)])


def test_a_notebook_file_name_is_looked_up_in_the_notebook_folder(tmp_path, monkeypatch):
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "07-mine.ipynb", "x = 1")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no 07-mine.ipynb here
    assert _resolve_notebooks(nb_dir, ["07-mine.ipynb"]) == [nb_dir / "07-mine.ipynb"]
    with pytest.raises(RenderError, match=r"notebook '08-none.ipynb' not found in .*nbs"):
        _resolve_notebooks(nb_dir, ["08-none.ipynb"])


class _Spec:
    def __init__(self, argv):
        self.argv = argv


class _KM:
    def __init__(self, argv):
        self.kernel_spec = _Spec(argv)


def test_ipython_options_only_for_ipython_kernels():
    python = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert is_ipython_kernel(_KM(python))
    assert not is_ipython_kernel(_KM(["R", "--slave", "-e", "IRkernel::main()", "--args", "{x}"]))
    assert not is_ipython_kernel(_KM(["julia", "-i", "kernel.jl", "{connection_file}"]))


def test_a_custom_non_ipython_kernel_gets_no_ipython_option(tmp_path, monkeypatch):
    """The kernel is started with the arguments of its spec only."""
    from jupyter_client.manager import KernelManager

    from influence_kit.render.execute import execute_notebook

    spec = tmp_path / "jp" / "kernels" / "plainkernel"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {"argv": ["plain-kernel", "{connection_file}"], "display_name": "P", "language": "p"}
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jp"))
    seen = {}

    def start_kernel(self, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(KernelManager, "start_kernel", start_kernel)
    nb = _notebook(tmp_path / "n.ipynb", "x = 1")
    with pytest.raises(RuntimeError, match="stop here"):
        execute_notebook(nb, tmp_path / "out.ipynb", kernel_name="plainkernel")
    assert seen["extra_arguments"] == []
    with pytest.raises(RuntimeError, match="stop here"):
        execute_notebook(nb, tmp_path / "out.ipynb", kernel_name="python3")
    assert seen["extra_arguments"] == ["--HistoryManager.hist_file=:memory:"]


# ---------------------------------------------------------------------------
# Runs that end (real kernels)


def _render_cli(nb_dir: Path, out: Path, scenario: Path, *extra: str):
    start = time.monotonic()
    done = run_cli(
        "render",
        "--scenario",
        str(scenario),
        "--notebook-dir",
        str(nb_dir),
        "--output-dir",
        str(out),
        *extra,
    )
    return done, time.monotonic() - start


@pytest.mark.slow
@pytest.mark.parametrize("code", ["os._exit(3)", "os.kill(os.getpid(), signal.SIGKILL)"])
def test_a_dead_kernel_ends_the_render_with_one_line_naming_the_cell(
    tmp_path, default_scenario_path, code
):
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-dies.ipynb", "x = 1", f"import os, signal\n{code}", "y = 2")
    done, seconds = _render_cli(nb_dir, tmp_path / "out", default_scenario_path)
    assert seconds < 60  # it used to wait until killed (905 s)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "01-dies.ipynb for forrester-us-2009: the kernel died in code cell 3" in lines[0]
    assert "(import os, signal)" in lines[0]
    assert ("exit code 3" if "_exit" in code else "killed by signal 9") in lines[0]
    assert not (tmp_path / "out" / "forrester-us-2009" / "01-dies.html").exists()


@pytest.mark.slow
def test_a_cell_past_cell_timeout_fails_its_notebook_only(tmp_path, default_scenario_path):
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-sleeps.ipynb", "import time\ntime.sleep(120)")
    _notebook(nb_dir / "02-quick.ipynb", "x = 1")
    done, seconds = _render_cli(
        nb_dir, tmp_path / "out", default_scenario_path, "--cell-timeout", "2", "--jobs", "2"
    )
    assert seconds < 60
    assert done.returncode == 2
    errors = [x for x in done.stderr.splitlines() if "error" in x]
    assert len(errors) == 1, done.stderr
    assert "01-sleeps.ipynb for forrester-us-2009: code cell 2 (import time) ran past" in errors[0]
    assert "time limit of 2 s per cell" in errors[0]
    assert (tmp_path / "out" / "forrester-us-2009" / "02-quick.html").exists()


@pytest.mark.slow
def test_the_whole_render_stops_at_timeout(tmp_path, default_scenario_path):
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-sleeps.ipynb", "import time\ntime.sleep(120)")
    start = time.monotonic()
    with pytest.raises(RenderTimeout, match="0 of 1 notebooks finished"):
        render_reports(
            [default_scenario_path], None, tmp_path / "out", notebook_dir=nb_dir, timeout=3
        )
    assert time.monotonic() - start < 30
    assert not list((tmp_path / "out").glob(".staging-*"))


@pytest.mark.parametrize(("option", "value"), [("--cell-timeout", "0"), ("--timeout", "-5")])
def test_bad_time_limits_are_one_line(tmp_path, default_scenario_path, option, value):
    done = run_cli("render", "--scenario", str(default_scenario_path), option, value)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert option.lstrip("-").replace("-", "_") in done.stderr


@pytest.mark.slow
def test_a_successful_render_prints_no_papermill_log_lines(tmp_path, default_scenario_path):
    """The notebook lacks summary_path: papermill warned 'Passed unknown parameter'."""
    nb_dir = tmp_path / "nbs"
    _notebook(nb_dir / "01-plain.ipynb", "x = 1", summary=False)
    done, _ = _render_cli(nb_dir, tmp_path / "out", default_scenario_path)
    assert done.returncode == 0, done.stderr
    assert "papermill" not in done.stderr
    assert "WARNING" not in done.stderr and "ERROR" not in done.stderr
