"""Error types for user mistakes.

Every mistake a user can make (a bad scenario file, a malformed data table, a
notebook that fails to render) raises a subclass of :class:`InfluenceKitError`
whose message names the file, key, column or value at fault. The command-line
interface turns these into a single line on stderr and exit code 2; any other
exception is a bug in the toolkit.
"""

from __future__ import annotations


class InfluenceKitError(Exception):
    """Base class for every user-facing error raised by influence_kit."""


class ScenarioError(InfluenceKitError, ValueError):
    """A scenario file or an override is missing, malformed or out of range."""


class DataError(InfluenceKitError, ValueError):
    """Input data (values, frequency tables, person tables) are unusable."""


class FitError(DataError):
    """A model has no finite likelihood on these data, from any start of its optimiser."""


class ParameterError(InfluenceKitError, ValueError):
    """A function argument or CLI option has an invalid value."""


class RenderError(InfluenceKitError, RuntimeError):
    """A notebook could not be executed or converted into a report."""


class HeavyTailWarning(UserWarning):
    """Values whose tail has an infinite variance: bootstrap intervals need care.

    Raised by :func:`influence_kit.concentration.concentration` when the fitted
    power-law tail index is below 2, where percentile bootstrap intervals of top
    shares do not hold.
    """
