"""Rendering notebooks into reports with papermill and nbconvert (runs a real kernel)."""

from __future__ import annotations

import json
import os
import re
import shutil

import nbformat
import psutil
import pytest

from influence_kit.cli.main import main
from influence_kit.errors import RenderError, ScenarioError
from influence_kit.render import render_reports
from influence_kit.render.execute import kernel_environment, kernel_threads
from influence_kit.scenarios import load_scenario

NOTEBOOK = "01-headline-impressions"
SENSITIVITY = "02-readers-per-post-sensitivity"


VARIANT = "forrester-us-2009--readers_per_post-300"


def _folder_bytes(folder):
    """Each file's bytes, but a report page without its navigation bar (rewritten when the
    site changes) and the render state without the pages' digests (updated with it)."""
    from influence_kit.render.html import strip_navigation
    from influence_kit.render.site import STATE_FILE

    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    for name, data in files.items():
        if name.endswith(".html"):
            files[name] = strip_navigation(data.decode()).encode()
        elif name == STATE_FILE:
            state = json.loads(data)
            for run in state.get("runs", {}).values():
                run.pop("content", None)
            files[name] = json.dumps(state).encode()
    return files


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, root, default_scenario_path):
    """The base report, then a variant (--set readers_per_post=300) beside it."""
    out = tmp_path_factory.mktemp("reports")
    base = render_reports(
        [default_scenario_path], [NOTEBOOK], out, notebook_dir=root / "notebooks", seed=11
    )
    assert base.ok, base.summary()
    before = _folder_bytes(out / "forrester-us-2009")
    result = render_reports(
        [default_scenario_path],
        [NOTEBOOK],
        out,
        notebook_dir=root / "notebooks",
        overrides={"readers_per_post": 300},
        seed=11,
    )
    return out, result, before


def test_a_variant_is_published_beside_its_base(rendered, default_scenario_path):
    """A render with overrides never replaces the base report; the index lists it under it."""
    out, result, before = rendered
    assert result.ok, result.summary()
    assert _folder_bytes(out / "forrester-us-2009") == before  # byte for byte
    base = json.loads((out / "forrester-us-2009" / "summary.json").read_text())
    variant = json.loads((out / VARIANT / "summary.json").read_text())
    assert base["overrides"] == {} and base["base_scenario"] == "forrester-us-2009"
    assert variant["base_scenario"] == "forrester-us-2009"
    assert variant["overrides"] == {"readers_per_post": 300.0}
    resolved = load_scenario(default_scenario_path, {"readers_per_post": 300})
    assert variant["scenario_digest"] == resolved.digest() != base["scenario_digest"]
    # the kernels read the resolved scenario, published beside the reports
    assert load_scenario(out / VARIANT / "scenario.yaml").digest() == resolved.digest()
    figures = variant["notebooks"][NOTEBOOK]["figures"]
    assert figures["total_impressions"]["value"] == pytest.approx(256e9 + 1.64e9 * 300)
    base_total = base["notebooks"][NOTEBOOK]["figures"]["total_impressions"]["value"]
    assert base_total == pytest.approx(502e9)
    index = (out / "index.html").read_text()
    base_row = index.index(f'href="forrester-us-2009/{NOTEBOOK}.html"')
    variant_row = index.index(f'href="{VARIANT}/{NOTEBOOK}.html"')
    assert base_row < variant_row
    assert "variant of forrester-us-2009" in index[base_row : variant_row + 200] or (
        "variant of forrester-us-2009" in index[:variant_row]
    )
    assert "overrides: readers_per_post = 300" in index


def test_report_files_and_summary(rendered):
    out, result, _ = rendered
    assert result.ok, result.summary()
    folder = out / VARIANT
    html = (folder / f"{NOTEBOOK}.html").read_text()
    assert (folder / f"{NOTEBOOK}.ipynb").exists()
    # code hidden, parameters and provenance shown
    assert "load_scenario(" not in html
    body = html.split("</style>")[-1]
    assert "from influence_kit" not in body
    assert 'class="jp-CodeMirrorEditor' not in body
    assert 'class="jp-InputPrompt' not in body
    assert "readers_per_post = 300" in html
    assert "seed 11" in html
    assert "influence_kit" in html
    summary = json.loads((folder / "summary.json").read_text())
    entry = summary["notebooks"][NOTEBOOK]
    figures = entry["figures"]
    assert figures["total_impressions"]["value"] == pytest.approx(256e9 + 1.64e9 * 300)
    assert figures["readers_per_post"] == {
        "value": pytest.approx(300),
        "label": "readers per post (effective)",
        "unit": "readers",
        "kind": "estimate",
    }
    assert entry["seed"] == 11
    assert entry["overrides"] == {"readers_per_post": 300.0}
    index = (out / "index.html").read_text()
    assert f'href="{VARIANT}/{NOTEBOOK}.html"' in index


def test_executed_notebook_has_no_papermill_timing(rendered):
    out, _, _ = rendered
    nb = nbformat.read(str(out / VARIANT / f"{NOTEBOOK}.ipynb"), as_version=4)
    assert all("papermill" not in c.metadata for c in nb.cells)
    assert "papermill" not in nb.metadata


def test_failing_notebook_keeps_previous_report(rendered, tmp_path, root, default_scenario_path):
    out, _, _ = rendered
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    good = root / "notebooks" / f"{NOTEBOOK}.ipynb"
    shutil.copy(good, nb_dir / good.name)
    nb = nbformat.read(str(good), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise ValueError('deliberate failure')"))
    nbformat.write(nb, str(nb_dir / good.name))
    report = out / "forrester-us-2009" / f"{NOTEBOOK}.html"
    before = report.read_bytes()
    summary_before = (out / "forrester-us-2009" / "summary.json").read_text()
    result = render_reports([default_scenario_path], None, out, notebook_dir=nb_dir)
    assert not result.ok
    assert "ValueError: deliberate failure" in result.failures[0].error
    assert "cell" in result.failures[0].error
    assert report.read_bytes() == before
    assert (out / "forrester-us-2009" / "summary.json").read_text() == summary_before
    assert not list((out / "forrester-us-2009").glob(".render-*"))


def test_cli_render_failure_is_one_line_exit_2(capsys, tmp_path, root, default_scenario_path):
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    params = nbformat.v4.new_code_cell("scenario_path = ''\noverrides = []\nseed = 0\n")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(nb, str(nb_dir / "99-broken.ipynb"))
    code = main(
        [
            "render",
            "--scenario",
            str(default_scenario_path),
            "--notebook-dir",
            str(nb_dir),
            "--output-dir",
            str(tmp_path / "out"),
        ]
    )
    _, err = capsys.readouterr()
    assert code == 2
    line = [x for x in err.strip().splitlines() if x.startswith("influence-kit render")]
    assert len(line) == 1
    assert "99-broken.ipynb" in line[0] and "ZeroDivisionError" in line[0]
    assert not (tmp_path / "out" / "forrester-us-2009" / "99-broken.html").exists()


def test_bad_scenario_fails_before_any_kernel(tmp_path, root):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {}\n")
    with pytest.raises(ScenarioError):
        render_reports([bad], [NOTEBOOK], tmp_path / "out", notebook_dir=root / "notebooks")
    assert not (tmp_path / "out").exists()


def test_unknown_notebook(tmp_path, root, default_scenario_path):
    with pytest.raises(RenderError, match="notebook 'zz' not found"):
        render_reports(
            [default_scenario_path], ["zz"], tmp_path / "o", notebook_dir=root / "notebooks"
        )


@pytest.mark.slow
def test_site_rerender_skips_unchanged_and_keeps_summary_identical(site, tmp_path, root):
    """The session's site (rendered with jobs=2): a re-render skips all, a forced one agrees."""
    from conftest import QUICK_PARAMETERS

    rendered, first = site
    out = tmp_path / "site"
    shutil.copytree(rendered, out)
    scenarios = sorted((root / "data" / "scenarios").glob("*.yaml"))
    notebooks = sorted(p.stem for p in root.glob("notebooks/*.ipynb"))
    assert len(first.runs) == 2 + len(scenarios) * (len(notebooks) - 2)
    assert {r.status for r in first.runs} == {"ok"}
    summaries = {p: p.read_bytes() for p in out.glob("*/summary.json")}
    assert len(summaries) == len(scenarios) + 1
    kwargs = {"notebook_dir": root / "notebooks", "jobs": 2, "parameters": QUICK_PARAMETERS}
    second = render_reports(scenarios, None, out, **kwargs)
    assert [(r.scenario, r.notebook) for r in second.runs] == [
        (r.scenario, r.notebook) for r in first.runs
    ]
    assert {r.status for r in second.runs} == {"skipped"}
    assert {p: p.read_bytes() for p in out.glob("*/summary.json")} == summaries
    forced = render_reports(
        scenarios[:1], [NOTEBOOK], out, notebook_dir=root / "notebooks", force=True
    )
    assert [r.status for r in forced.runs] == ["ok"]
    assert (out / "forrester-us-2009" / "summary.json").read_bytes() == summaries[
        out / "forrester-us-2009" / "summary.json"
    ]
    index = (out / "index.html").read_text()
    assert "Scenario comparison" in index
    assert 'href="skeptic-us-2009/01-headline-impressions.html"' in index
    skeptic = json.loads((out / "skeptic-us-2009" / "summary.json").read_text())
    assert skeptic["notebooks"][NOTEBOOK]["figures"]["total_impressions"]["value"] == pytest.approx(
        338e9
    )
    html = (out / "skeptic-us-2009" / f"{NOTEBOOK}.html").read_text()
    assert 'data-key="total_impressions" data-unit="impressions">338 billion<' in html
    # charts are inline SVG with real text, labelled for screen readers
    charts = re.findall(r"<svg\b[^>]*>", html)
    assert any(
        'role="img"' in tag and 'aria-label="Figure: Influence impressions by channel' in tag
        for tag in charts
    ), charts
    assert "<text" in html and 'src="data:image/png' not in html
    assert "cdnjs.cloudflare.com/ajax/libs/require.js" not in html


@pytest.mark.slow
def test_site_records_and_shows_the_notebook_parameters(site):
    from conftest import QUICK_PARAMETERS

    out, result = site
    for run in result.runs:
        assert run.parameters == QUICK_PARAMETERS.get(run.notebook, {}), run.notebook
    summary = json.loads((out / "skeptic-us-2009" / "summary.json").read_text())
    assert summary["notebooks"][SENSITIVITY]["parameters"] == QUICK_PARAMETERS[SENSITIVITY]
    assert summary["notebooks"][NOTEBOOK]["parameters"] == {}
    # the notebook's own parameters table shows the values it ran with
    html = (out / "skeptic-us-2009" / f"{SENSITIVITY}.html").read_text()
    assert "20,000" in html and "1,000,000" not in html


def test_unknown_or_reserved_notebook_parameters_fail_before_rendering(tmp_path, root):
    kwargs = {"notebook_dir": root / "notebooks"}
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=r"no parameter 'draw' in its parameters cell \(has: "):
        render_reports(
            ["forrester-us-2009"],
            [SENSITIVITY],
            out,
            parameters={SENSITIVITY: {"draw": 5}},
            **kwargs,
        )
    with pytest.raises(RenderError, match="'seed' is set by the renderer"):
        render_reports(
            ["forrester-us-2009"],
            [SENSITIVITY],
            out,
            parameters={SENSITIVITY: {"seed": 5}},
            **kwargs,
        )
    with pytest.raises(
        RenderError, match="parameters given for '02-sensitivity', which is not a notebook"
    ):
        render_reports(
            ["forrester-us-2009"], [NOTEBOOK], out, parameters={"02-sensitivity": {}}, **kwargs
        )
    assert not list(out.rglob("*.html"))


def test_notebook_parameters_are_part_of_the_fingerprint(root):
    from influence_kit.render.jobs import fingerprint

    notebook = root / "notebooks" / f"{SENSITIVITY}.ipynb"
    common = {
        "seed": 1,
        "kernel_name": "python3",
        "data_digest": "d",
        "code_digest": "c",
    }
    prints = {
        fingerprint(notebook, None, **common),
        fingerprint(notebook, None, parameters={}, **common),
        fingerprint(notebook, None, parameters={"draws": 1}, **common),
        fingerprint(notebook, None, parameters={"draws": 2}, **common),
        fingerprint(notebook, None, parameters={"draws": 2, "sobol_n": 8}, **common),
    }
    assert len(prints) == 4  # no parameters and empty parameters are the same inputs
    assert fingerprint(
        notebook, None, parameters={"draws": 2, "sobol_n": 8}, **common
    ) == fingerprint(notebook, None, parameters={"sobol_n": 8, "draws": 2}, **common)


def test_relative_output_dir_keeps_key_figures(tmp_path, root, monkeypatch):
    """Kernels run in the notebook folder; a relative output folder must still get figures."""
    monkeypatch.chdir(tmp_path)
    result = render_reports(
        [root / "data" / "scenarios" / "forrester-us-2009.yaml"],
        [NOTEBOOK],
        "site",
        notebook_dir=root / "notebooks",
    )
    assert result.ok
    summary = json.loads((tmp_path / "site" / "forrester-us-2009" / "summary.json").read_text())
    assert summary["notebooks"][NOTEBOOK]["figures"]["total_impressions"]["value"] == pytest.approx(
        502e9
    )
    assert not (root / "notebooks" / "site").exists()


def test_unknown_kernel_and_bad_seed_fail_before_rendering(tmp_path, root, default_scenario_path):
    from influence_kit.errors import ParameterError

    with pytest.raises(RenderError, match="no Jupyter kernel named 'nosuch'"):
        render_reports([default_scenario_path], [NOTEBOOK], tmp_path, kernel_name="nosuch")
    with pytest.raises(ParameterError, match="seed must be a non-negative integer"):
        render_reports([default_scenario_path], [NOTEBOOK], tmp_path, seed=-1)


def _tiny_notebook(path, *, scenario_dependent, body):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    if scenario_dependent is not None:
        nb.metadata["influence_kit"] = {"scenario_dependent": scenario_dependent}
    params = nbformat.v4.new_code_cell(
        "scenario_path = 'forrester-us-2009'\noverrides = {}\nseed = 0\nsummary_path = ''\n"
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, str(path))
    return path


def test_scenario_dependent_metadata(tmp_path, root):
    from influence_kit.render import scenario_dependent

    assert not scenario_dependent(
        _tiny_notebook(tmp_path / "a.ipynb", scenario_dependent=False, body="1")
    )
    assert scenario_dependent(
        _tiny_notebook(tmp_path / "b.ipynb", scenario_dependent=None, body="1")
    )
    with pytest.raises(RenderError, match="scenario_dependent must be true or false"):
        scenario_dependent(_tiny_notebook(tmp_path / "c.ipynb", scenario_dependent="no", body="1"))
    declared = {p.stem: scenario_dependent(p) for p in sorted(root.glob("notebooks/*.ipynb"))}
    independent = sorted(k for k, v in declared.items() if not v)
    assert independent == ["03-impression-distribution", "05-clauset-replication"], declared


def test_scenario_independent_notebook_renders_once_per_site(tmp_path):
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    writes = "open('scratch.txt', 'w').write('x')\n"
    save = (
        "from influence_kit.render.notebook_support import save_summary\n"
        "from influence_kit.results import key_figures\n"
    )
    _tiny_notebook(
        nb_dir / "10-shared.ipynb",
        scenario_dependent=False,
        body=save
        + writes
        + "save_summary(summary_path, key_figures(('seed_seen', 'seed', seed, 'number')))",
    )
    _tiny_notebook(
        nb_dir / "11-per-scenario.ipynb",
        scenario_dependent=True,
        body=save
        + writes
        + "import os\n"
        + "from influence_kit import load_scenario\n"
        + "s = load_scenario(scenario_path, overrides)\n"
        + "threads = os.environ.get('OPENBLAS_NUM_THREADS')\n"
        + "save_summary(summary_path, key_figures(('readers', 'readers', s.readers_per_post.base, "
        + "'readers'), ('threads', 'threads', threads, 'text')))",
    )
    before = sorted(p.name for p in nb_dir.iterdir())
    out = tmp_path / "site"
    scenarios = ["forrester-us-2009", "skeptic-us-2009"]
    first = render_reports(scenarios, None, out, notebook_dir=nb_dir, seed=5, jobs=2)
    assert first.ok, first.summary()
    # every kernel was shut down once its notebook was done
    kernels = [
        p for p in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(p.cmdline())
    ]
    assert kernels == []
    assert [(r.scenario, r.notebook, r.status) for r in first.runs] == [
        (None, "10-shared", "ok"),
        ("forrester-us-2009", "11-per-scenario", "ok"),
        ("skeptic-us-2009", "11-per-scenario", "ok"),
    ]
    # the kernel ran in a temporary folder: nothing was written beside the notebooks
    assert sorted(p.name for p in nb_dir.iterdir()) == before
    assert not list(out.rglob("scratch.txt"))
    shared = json.loads((out / "all-scenarios" / "summary.json").read_text())
    assert shared["scenario"] is None
    assert shared["notebooks"]["10-shared"]["figures"]["seed_seen"]["value"] == 5
    assert (out / "all-scenarios" / "10-shared.html").exists()
    for name, readers in (("forrester-us-2009", 150), ("skeptic-us-2009", 50)):
        summary = json.loads((out / name / "summary.json").read_text())
        assert summary["scenario"] == name
        assert list(summary["notebooks"]) == ["11-per-scenario"]
        assert summary["notebooks"]["11-per-scenario"]["figures"]["readers"]["value"] == readers
        # two kernels at a time: each one's numerical libraries got its share of the cores
        threads = summary["notebooks"]["11-per-scenario"]["figures"]["threads"]["value"]
        assert threads == os.environ.get("OPENBLAS_NUM_THREADS", str(kernel_threads(2)))
        assert not (out / name / "10-shared.html").exists()
    index = (out / "index.html").read_text()
    assert 'href="all-scenarios/10-shared.html"' in index
    assert "Reports that do not depend on the scenario" in index
    assert 'href="skeptic-us-2009/11-per-scenario.html"' in index
    header = (out / "all-scenarios" / "10-shared.html").read_text()
    assert "does not depend on the scenario" in header
    # overrides make a variant of the scenario-dependent notebook only, in its own folder
    second = render_reports(
        scenarios[:1], None, out, notebook_dir=nb_dir, seed=5, overrides={"readers_per_post": 300}
    )
    assert [(r.scenario, r.status) for r in second.runs] == [
        (None, "skipped"),
        ("forrester-us-2009--readers_per_post-300", "ok"),
    ]
    base = json.loads((out / "forrester-us-2009" / "summary.json").read_text())
    assert base["notebooks"]["11-per-scenario"]["figures"]["readers"]["value"] == 150
    summary = json.loads(
        (out / "forrester-us-2009--readers_per_post-300" / "summary.json").read_text()
    )
    assert summary["notebooks"]["11-per-scenario"]["figures"]["readers"]["value"] == 300
    # a single kernel keeps the libraries' own default
    threads = summary["notebooks"]["11-per-scenario"]["figures"]["threads"]["value"]
    assert threads == os.environ.get("OPENBLAS_NUM_THREADS")


def test_scenario_named_like_the_shared_folder_is_refused(tmp_path, default_scenario_path):
    clash = tmp_path / "all-scenarios.yaml"
    clash.write_text(default_scenario_path.read_text())
    with pytest.raises(RenderError, match="may not be named 'all-scenarios'"):
        render_reports([clash], [NOTEBOOK], tmp_path / "out")


def test_shipped_notebooks_are_the_default(tmp_path, default_scenario_path):
    from influence_kit.package_data import notebook_dir

    with pytest.raises(RenderError) as info:
        render_reports([default_scenario_path], ["zz"], tmp_path / "o")
    assert str(notebook_dir()) in str(info.value)
    assert "01-headline-impressions" in str(info.value)


def test_report_header_shows_each_figure_in_its_own_unit_and_escapes():
    """The header shows the label and unit each figure was saved with; nothing is guessed."""
    import datetime as dt

    from influence_kit.formatting import format_number
    from influence_kit.render.figures import scalar_figures
    from influence_kit.render.html import report_header
    from influence_kit.results import key_figures

    figures = key_figures(
        ("total_impressions", "total", 5.02e11, "impressions"),
        ("people", "people", 1234567, "people"),
        ("ok", "ok", True, "text", "verdict"),
        ("gap", "gap", None, "number"),
        ("note", "a note", "a<b", "text"),
        ("alpha", "alpha", 2.51234, "number"),
        ("breakeven_readers_per_post", "break-even readers per post", 156.097, "readers"),
        ("share", "a <b>share</b>", 0.25, "share"),
    ).to_dict()
    shown = scalar_figures(figures)
    assert shown == {
        "total_impressions": "502 billion",
        "people": "1.23 million",
        "ok": "yes",
        "gap": "n/a",
        "note": "a<b",
        "alpha": format_number(2.51234),
        "breakeven_readers_per_post": "156",
        "share": "25%",
    }
    header = report_header(
        scenario=None,
        notebook="nb",
        seed=3,
        overrides={"x": 1},
        figures=figures,
        rendered_at=dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC),
    )
    assert '<td data-key="note" data-unit="text">a&lt;b</td>' in header
    assert '<th scope="row">break-even readers per post</th>' in header
    assert '<th scope="row">a &lt;b&gt;share&lt;/b&gt;</th>' in header
    assert "does not depend on the scenario" in header and "x = 1" not in header
    assert "rendered 2020-01-02 03:04 UTC" in header
    scenario_header = report_header(scenario="s<1", notebook="nb", seed=3, overrides={}, figures={})
    assert "scenario <strong>s&lt;1</strong> &middot; overrides: <span" in scenario_header
    assert ">none</span>" in scenario_header
    assert "<table>" not in scenario_header


def test_kernel_thread_limits_share_the_cores_and_keep_the_users_settings(monkeypatch):
    assert kernel_threads(1, cpus=8) is None
    assert [kernel_threads(j, cpus=4) for j in (2, 3, 4, 8)] == [2, 1, 1, 1]
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    env = kernel_environment(2)
    assert env["OMP_NUM_THREADS"] == "2" and env["OPENBLAS_NUM_THREADS"] == "3"
    assert "OMP_NUM_THREADS" not in kernel_environment(None)
    assert env["PATH"] == os.environ["PATH"]


@pytest.mark.slow
def test_every_key_figure_carries_its_meaning_to_the_page(site):
    """Every figure in every summary.json has a label, a unit from the closed set and a kind,
    and the page shows formatting's rendering of that very value in that unit."""
    from markupsafe import escape

    from influence_kit.formatting import UNITS, format_quantity
    from influence_kit.results import KINDS

    out, _ = site
    checked = 0
    for summary_path in sorted(out.glob("*/summary.json")):
        summary = json.loads(summary_path.read_text())
        for notebook, entry in summary["notebooks"].items():
            page = (summary_path.parent / f"{notebook}.html").read_text()
            for key, figure in entry["figures"].items():
                assert figure["label"], (summary_path, key)
                assert figure["unit"] in UNITS, (summary_path, key, figure["unit"])
                assert figure["kind"] in KINDS, (summary_path, key)
                shown = escape(format_quantity(figure["value"], figure["unit"]))
                cell = f'data-key="{key}" data-unit="{figure["unit"]}">{shown}<'
                assert cell in page, (summary_path.parent.name, notebook, key, shown)
                checked += 1
    assert checked > 100
