"""Rendering under hostile inputs: odd names, links, concurrent runs and interrupts."""

from __future__ import annotations

import json
import shutil

import pytest

from influence_kit.cli.main import main
from influence_kit.errors import RenderError
from influence_kit.render import render_reports
from influence_kit.render.jobs import checked_slug

NOTEBOOK = "01-headline-impressions"


@pytest.mark.parametrize("stem", ["..", ".", ".hidden", "a#b", "a?b", "100%", "a b", "é"])
def test_scenario_stems_that_are_not_slugs_are_refused(tmp_path, default_scenario_path, stem):
    scenario = tmp_path / "in" / f"{stem}.yaml"
    scenario.parent.mkdir()
    shutil.copy(default_scenario_path, scenario)
    out = tmp_path / "site" / "out"
    with pytest.raises(RenderError, match="cannot name a report"):
        render_reports([scenario], [NOTEBOOK], out)
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == [scenario.name]


def test_cli_refuses_a_dot_dot_scenario_in_one_line_exit_2(tmp_path, default_scenario_path, capsys):
    scenario = tmp_path / "...yaml"
    shutil.copy(default_scenario_path, scenario)
    out = tmp_path / "out"
    code = main(["render", "--scenario", str(scenario), "--output-dir", str(out)])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "...yaml" in err and "cannot name a report" in err
    assert not out.exists()


def test_slug_rule():
    for good in ("forrester-us-2009", "a.b", "A_1", "-x"):
        assert checked_slug(good, "f") == good
    for bad in ("", ".", "..", ".a", "a/b", "a\\b", "a#", "a?", "a%20"):
        with pytest.raises(RenderError, match="f: "):
            checked_slug(bad, "f")


def test_notebook_stems_that_are_not_slugs_are_refused(tmp_path, root, default_scenario_path):
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    shutil.copy(root / "notebooks" / f"{NOTEBOOK}.ipynb", nb_dir / "a#b.ipynb")
    with pytest.raises(RenderError, match=r"a#b\.ipynb.*cannot name a report"):
        render_reports([default_scenario_path], None, tmp_path / "out", notebook_dir=nb_dir)


def test_report_folder_that_is_a_link_is_refused(tmp_path, root, default_scenario_path):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / default_scenario_path.stem).symlink_to(elsewhere)
    with pytest.raises(RenderError, match="link"):
        render_reports([default_scenario_path], [NOTEBOOK], out, notebook_dir=root / "notebooks")
    assert list(elsewhere.iterdir()) == []


def test_source_notebooks_are_never_overwritten(tmp_path, root, default_scenario_path):
    out = tmp_path / "out"
    nb_dir = out / default_scenario_path.stem
    nb_dir.mkdir(parents=True)
    source = nb_dir / f"{NOTEBOOK}.ipynb"
    shutil.copy(root / "notebooks" / source.name, source)
    before = source.read_bytes()
    with pytest.raises(RenderError, match="beside the source notebooks"):
        render_reports([default_scenario_path], [NOTEBOOK], out, notebook_dir=nb_dir)
    assert source.read_bytes() == before
    assert sorted(p.name for p in nb_dir.iterdir()) == [source.name]


def test_index_links_are_url_encoded_and_html_escaped(tmp_path):
    from influence_kit.render.site import SUMMARY_FILE, write_index

    folder = tmp_path / "a#b?c%d&e"
    folder.mkdir()
    (folder / "nb.html").write_text("<html></html>")
    (folder / SUMMARY_FILE).write_text(json.dumps({"notebooks": {"nb": {"figures": {}}}}))
    index = write_index(tmp_path).read_text()
    assert 'href="a%23b%3Fc%25d%26e/nb.html"' in index


def _assert_consistent_site(out):
    """Every report on disk is listed in its summary.json, state file and the index, and agrees."""
    from influence_kit.render.jobs import content_digest
    from influence_kit.render.site import STATE_FILE, SUMMARY_FILE

    index = (out / "index.html").read_text()
    assert not [p for p in out.rglob("*") if p.name.startswith(".staging-")]
    assert not list(out.rglob("*.tmp"))
    reports = sorted(out.glob("*/*.html"))
    assert reports
    for html in reports:
        folder = html.parent
        summary = json.loads((folder / SUMMARY_FILE).read_text())
        state = json.loads((folder / STATE_FILE).read_text())["runs"]
        entry = summary["notebooks"][html.stem]
        assert state[html.stem]["status"] == "ok"
        assert state[html.stem]["content"] == content_digest(html, folder / f"{html.stem}.ipynb")
        assert f'href="{folder.name}/{html.stem}.html"' in index
        for override in entry["overrides"]:
            assert override in html.read_text()
    return reports


def test_two_concurrent_renders_into_one_folder_do_not_interleave(
    tmp_path, root, default_scenario_path, caplog
):
    import threading

    out = tmp_path / "out"
    results = {}

    def render(value):
        results[value] = render_reports(
            [default_scenario_path],
            [NOTEBOOK],
            out,
            notebook_dir=root / "notebooks",
            overrides={"readers_per_post": value},
        )

    threads = [threading.Thread(target=render, args=(v,)) for v in (300, 400)]
    with caplog.at_level("WARNING", logger="influence_kit.render.publish"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert all(r.ok for r in results.values())
    assert "another render is writing here" in caplog.text
    reports = _assert_consistent_site(out)
    # each variant has its own folder: neither render replaced the other's report
    assert [r.parent.name for r in reports] == [
        f"forrester-us-2009--readers_per_post-{value}" for value in (300, 400)
    ]
    for report in reports:
        summary = json.loads((report.parent / "summary.json").read_text())
        value = summary["notebooks"][NOTEBOOK]["overrides"]["readers_per_post"]
        assert summary["notebooks"][NOTEBOOK]["figures"]["readers_per_post"]["value"] == value
        assert f"readers_per_post = {700 - value:g}" not in report.read_text()


def test_leftovers_are_cleaned_and_tampered_reports_rerendered(
    tmp_path, root, default_scenario_path
):
    out = tmp_path / "out"
    kwargs = {"notebook_dir": root / "notebooks"}
    first = render_reports([default_scenario_path], [NOTEBOOK], out, **kwargs)
    assert first.ok
    folder = out / default_scenario_path.stem
    # What an interrupted render leaves behind, and a report that no longer matches its state.
    (out / ".staging-dead").mkdir()
    (out / ".staging-dead" / "x.html").write_text("half")
    (out / "index.html.tmp").write_text("half")
    (folder / "summary.json.tmp").write_text("half")
    report = folder / f"{NOTEBOOK}.html"
    report.write_text(report.read_text().replace("influence_kit", "tampered"))
    again = render_reports([default_scenario_path], [NOTEBOOK], out, **kwargs)
    assert [r.status for r in again.runs] == ["ok"]
    assert "tampered" not in report.read_text()
    _assert_consistent_site(out)
    third = render_reports([default_scenario_path], [NOTEBOOK], out, **kwargs)
    assert [r.status for r in third.runs] == ["skipped"]


def _start_render(out, scenarios):
    import subprocess
    import sys

    args = [sys.executable, "-m", "influence_kit.cli.main", "render", "--output-dir", str(out)]
    for scenario in scenarios:
        args += ["--scenario", str(scenario)]
    args += ["--notebook", NOTEBOOK, "--jobs", "2"]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_kernels(out, process, timeout=120.0):
    """Wait until the render is executing (its staging folder holds a kernel folder)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if list(out.glob(".staging-*/*/.kernel-*")):
            time.sleep(1.5)
            return
        time.sleep(0.1)
    raise AssertionError("the render never started a kernel")


@pytest.mark.parametrize(
    ("sig", "code"),
    [
        # Each takes 10-20 s (a whole render started and stopped): make test-all runs them.
        pytest.param("SIGINT", 130, marks=pytest.mark.slow),
        pytest.param("SIGTERM", 143, marks=pytest.mark.slow),
        pytest.param("SIGKILL", None, marks=pytest.mark.slow),
    ],
)
def test_interrupted_render_stops_promptly_and_the_next_render_is_consistent(
    tmp_path, root, sig, code
):
    import signal
    import time

    scenarios = sorted((root / "data" / "scenarios").glob("*.yaml"))
    out = tmp_path / "out"
    process = _start_render(out, scenarios)
    _wait_for_kernels(out, process)
    sent = time.monotonic()
    process.send_signal(getattr(signal, sig))
    _, err = process.communicate(timeout=60)
    elapsed = time.monotonic() - sent
    if code is not None:
        assert process.returncode == code, err
        assert elapsed < 10
        last = err.strip().splitlines()[-1]
        assert last == f"influence-kit render: interrupted by {sig}; nothing more published"
        assert not list(out.glob(".staging-*"))
    else:
        assert process.returncode == -signal.SIGKILL
    result = render_reports(scenarios, [NOTEBOOK], out, notebook_dir=root / "notebooks")
    assert result.ok, result.summary()
    reports = _assert_consistent_site(out)
    assert sorted(r.parent.name for r in reports) == sorted(s.stem for s in scenarios)
