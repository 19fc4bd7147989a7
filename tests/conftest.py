"""Shared fixtures: paths into the repository and a loaded default scenario."""

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
