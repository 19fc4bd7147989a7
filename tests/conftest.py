"""Shared fixtures: paths into the repository, the default scenario, one rendered site."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEFAULT_SCENARIO = DATA / "scenarios" / "forrester-us-2009.yaml"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def default_scenario_path() -> Path:
    return DEFAULT_SCENARIO


@pytest.fixture
def scenario_yaml(tmp_path):
    """Write the default scenario with edits applied to the raw YAML text and return its path."""
    import yaml

    base = yaml.safe_load(DEFAULT_SCENARIO.read_text())

    def write(edit=None, text: str | None = None) -> Path:
        path = tmp_path / "scenario.yaml"
        if text is not None:
            path.write_text(text)
            return path
        data = yaml.safe_load(yaml.safe_dump(base))
        if edit is not None:
            edit(data)
        path.write_text(yaml.safe_dump(data))
        return path

    return write


#: Notebook parameters of the test site: every cell, table, plot and key figure of the
#: reports, with fewer Monte Carlo draws and bootstrap replicates than the shipped reports
#: (never fewer than the floor of 39 replicates behind an interval or a p-value).
QUICK_PARAMETERS = {
    "02-readers-per-post-sensitivity": {"draws": 20_000, "sobol_n": 256, "sweep_points": 24},
    "03-impression-distribution": {
        "gof_replicates": 39,
        "bootstrap_replicates": 39,
        "concentration_reps": 50,
    },
    "04-mass-influencers": {"n_boot": 39, "survey_boot": 39},
    "05-clauset-replication": {"gof_replicates": 39, "bootstrap_replicates": 39},
    "06-concentration-calibration": {"bootstrap_reps": 100},
    "07-readers-per-post-evidence": {"draws": 2000},
}


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Every shipped notebook rendered for every shipped scenario, once per test session.

    Rendered with :data:`QUICK_PARAMETERS`; the render, browser and summary tests all
    read this one site (copy it before rendering into it again).
    """
    from influence_kit.render import render_reports

    out = tmp_path_factory.mktemp("site")
    result = render_reports(
        sorted((DATA / "scenarios").glob("*.yaml")),
        None,
        out,
        notebook_dir=ROOT / "notebooks",
        jobs=2,
        parameters=QUICK_PARAMETERS,
    )
    assert result.ok, result.summary().to_string()
    return out, result


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, one per test module (the skip rule and the
    launch flags are in ``browsers.py``)."""
    from browsers import browser_or_skip, launch

    executable = browser_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = launch(p, executable)
        yield b
        b.close()
