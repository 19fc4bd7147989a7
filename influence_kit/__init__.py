"""influence_kit: measure word-of-mouth influence impressions.

Reproduce Forrester's "Peer Influence Analysis" (2010) headline from explicit
scenario files, stress-test its assumptions, fit heavy-tailed impression
distributions, measure concentration and render shareable reports.

The top-level namespace stays light; import the modules for each concern:
:mod:`~influence_kit.scenarios`, :mod:`~influence_kit.accounting`,
:mod:`~influence_kit.render`, :mod:`~influence_kit.plots`, ...

``import influence_kit`` imports no third-party library: :func:`account`,
:class:`ImpressionAccount`, :class:`Scenario`, :func:`load_scenario` and ``__version__``
are loaded on first use (PEP 562), so the command line starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import DataError, InfluenceKitError, ParameterError, RenderError, ScenarioError

if TYPE_CHECKING:
    from .accounting import ImpressionAccount, account
    from .scenarios import Scenario, load_scenario

    __version__: str

#: Top-level names loaded on first use, and the module that defines each.
_LAZY = {
    "ImpressionAccount": "accounting",
    "account": "accounting",
    "Scenario": "scenarios",
    "load_scenario": "scenarios",
}

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


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("influence_kit")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    """Load the heavier top-level names on first use (PEP 562)."""
    if name == "__version__":
        value: Any = _package_version()
    elif name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
