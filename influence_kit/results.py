"""The results-object convention shared by every analysis.

Each analysis returns a frozen dataclass that mixes in :class:`Result`. A result
offers

* ``summary()``: a :class:`pandas.DataFrame` for display and further work;
* ``to_dict()``: plain JSON-serialisable data (what ``--json`` and
  ``summary.json`` print);
* ``_repr_html_()``: the summary table rendered for JupyterLab;
* ``print_summary()``: the summary as text, for terminals.

Plots are drawn by functions in :mod:`influence_kit.plots` that take a result.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def to_jsonable(value: Any) -> Any:
    """Convert numpy scalars, arrays, dataclasses and mappings into JSON data.

    Non-finite floats become ``None`` so the output is strict JSON.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return value.to_dict()
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


def dumps(data: Any, *, sort_keys: bool = True) -> str:
    """Serialise ``data`` as deterministic, pretty JSON.

    Keys are sorted unless ``sort_keys=False``, which keeps the (deterministic)
    insertion order, as reports do to list key figures in the author's order.
    """
    return json.dumps(to_jsonable(data), indent=2, sort_keys=sort_keys, allow_nan=False)


class Result:
    """Mixin giving dataclass results the common presentation methods.

    Subclasses implement :meth:`summary`; :meth:`to_dict` defaults to the
    dataclass fields converted to JSON data.
    """

    def summary(self) -> pd.DataFrame:  # pragma: no cover - abstract
        """Return the result as a table."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-serialisable data."""
        return {
            f.name: to_jsonable(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if not f.name.startswith("_")
        }

    def to_json(self) -> str:
        """Return :meth:`to_dict` as deterministic JSON text."""
        return dumps(self.to_dict())

    def _repr_html_(self) -> str:
        title = type(self).__name__
        table = self.summary().to_html(float_format=lambda x: f"{x:,.4g}")
        return f"<div><strong>{title}</strong>{table}</div>"

    def print_summary(self) -> str:
        """Return the summary rendered as plain text (callers decide where it goes)."""
        with pd.option_context("display.float_format", lambda x: f"{x:,.4g}"):
            return self.summary().to_string()
