"""The default synthetic panel shipped in ``data/population/``."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from ..constants import DEFAULT_SCENARIO, DEFAULT_SEED
from ..errors import DataError
from ..package_data import resource_path
from ..scenarios import Scenario, load_scenario
from .calibration import calibrate_population
from .generator import simulate_population

logger = logging.getLogger(__name__)

#: People in the default panel.
PANEL_SIZE = 100_000

#: Shipped scenario the default panel is calibrated to.
PANEL_SCENARIO = DEFAULT_SCENARIO

#: The default panel, below ``influence_kit/resources`` (and below the checkout, whose
#: ``data/`` links there).
PANEL_PATH = Path("data") / "population" / "forrester-us-2009-panel.parquet"

#: The one command that regenerates the default panel (run from the repository root).
PANEL_COMMAND = (
    f"influence-kit simulate --n {PANEL_SIZE} --seed {DEFAULT_SEED} --out {PANEL_PATH.as_posix()}"
)


def default_panel_path() -> Path:
    """Absolute path of the shipped panel."""
    return resource_path(*PANEL_PATH.parts)


def load_panel(
    scenario: Scenario | None = None,
    seed: int = DEFAULT_SEED,
    *,
    path: str | Path | None = None,
    n: int = PANEL_SIZE,
) -> pd.DataFrame:
    """The person table for a scenario: the shipped panel when it matches, else simulated.

    The shipped panel (``data/population/forrester-us-2009-panel.parquet``) is
    read when ``scenario`` is ``None`` or calibrates exactly like the shipped US
    2009 scenario, ``seed`` is the default seed and ``n`` the panel size;
    otherwise ``n`` people are simulated in memory (a second or so).

    Parameters
    ----------
    scenario
        Scenario to calibrate to; ``None`` for the shipped one.
    seed
        Root seed.
    path
        Panel file; default the shipped one.
    n
        People to simulate when the panel does not apply.

    Raises
    ------
    DataError
        If the panel applies but its file is missing.
    """
    panel = Path(path) if path is not None else default_panel_path()
    matches = seed == DEFAULT_SEED and n == PANEL_SIZE
    if matches and scenario is not None:
        shipped = calibrate_population(load_scenario(PANEL_SCENARIO)).to_dict()
        mine = calibrate_population(scenario).to_dict()
        shipped.pop("scenario")
        mine.pop("scenario")
        matches = shipped == mine
    if matches:
        if not panel.is_file():
            raise DataError(
                f"{panel}: default panel not found; regenerate it with: {PANEL_COMMAND}"
            )
        logger.info("reading the shipped panel %s", panel)
        return pd.read_parquet(panel)
    if scenario is None:
        scenario = load_scenario(PANEL_SCENARIO)
    logger.info("simulating %s people (seed %s) for scenario %s", n, seed, scenario.name)
    return simulate_population(scenario, n, seed).people
