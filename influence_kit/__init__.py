"""influence_kit: measure word-of-mouth influence impressions.

Reproduce Forrester's "Peer Influence Analysis" (2010) headline from explicit
scenario files, stress-test its assumptions, fit heavy-tailed impression
distributions, measure concentration and render shareable reports.

The top-level namespace stays light; import the modules for each concern:
:mod:`~influence_kit.scenarios`, :mod:`~influence_kit.accounting`,
:mod:`~influence_kit.render`, :mod:`~influence_kit.plots`, ...
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("influence_kit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from .accounting import ImpressionAccount, account
from .errors import DataError, InfluenceKitError, ParameterError, RenderError, ScenarioError
from .scenarios import Scenario, load_scenario

__all__ = [
    "DataError",
    "ImpressionAccount",
    "InfluenceKitError",
    "ParameterError",
    "RenderError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "account",
    "load_scenario",
]
