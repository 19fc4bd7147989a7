"""The results-object convention shared by every analysis.

Each analysis returns a frozen dataclass that mixes in :class:`Result`. A result
offers

* ``summary()``: a :class:`pandas.DataFrame` for display and further work;
* ``to_dict()``: plain JSON-serialisable data (what ``--json`` and
  ``summary.json`` print);
* ``_repr_html_()``: the summary table rendered for JupyterLab;
* ``print_summary()``: the summary as text, for terminals.

Plots are drawn by functions in :mod:`influence_kit.plots` that take a result.

Two further parts of the contract:

* a result with uncertainty offers ``conf_int(alpha=0.05)``: a DataFrame indexed by
  quantity with columns ``lower`` and ``upper`` (the shape of statsmodels'
  ``conf_int``); :func:`interval_frame` builds it;
* a result that reports headline numbers offers ``key_figures()`` returning
  :class:`KeyFigures`: ordered (key, label, value, unit) rows whose ``to_dict()`` is
  what ``summary.json`` stores and whose table shows readable text.
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .formatting import UNITS, format_number, format_quantity

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported by the functions that build tables, not here: results that need no
# table (``influence-kit account --json``) then run without paying for pandas.


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
    pandas = sys.modules.get("pandas")  # no value is a pandas object unless pandas is loaded
    if pandas is not None and isinstance(value, pandas.DataFrame):
        return [to_jsonable(r) for r in value.to_dict(orient="records")]
    if pandas is not None and isinstance(value, pandas.Series):
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
        if not dataclasses.is_dataclass(self):
            raise TypeError(f"{type(self).__name__} is not a dataclass")
        return {
            f.name: to_jsonable(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if not f.name.startswith("_")
        }

    def to_json(self) -> str:
        """Return :meth:`to_dict` as deterministic JSON text."""
        return dumps(self.to_dict())

    def _repr_html_(self) -> str:
        title = type(self).__name__
        table = self.summary().to_html(float_format=format_number)
        return f"<div><strong>{title}</strong>{table}</div>"

    def print_summary(self) -> str:
        """Return the summary rendered as plain text (callers decide where it goes)."""
        import pandas as pd

        with pd.option_context("display.float_format", format_number):
            return self.summary().to_string()


def interval_frame(names: list[str] | tuple[str, ...], lower: Any, upper: Any) -> pd.DataFrame:
    """The ``conf_int`` table: one row per quantity, columns ``lower`` and ``upper``."""
    import pandas as pd

    return pd.DataFrame(
        {"lower": np.asarray(lower, dtype=float), "upper": np.asarray(upper, dtype=float)},
        index=pd.Index(list(names), name="quantity"),
    )


def check_alpha(alpha: Any) -> float:
    """Validate the ``alpha`` of ``conf_int`` (the interval covers ``1 - alpha``).

    The rule of ``validation.check_share("alpha", alpha, closed=False)`` (results sits
    beside validation in the layers, so it cannot import it): a finite real number
    strictly between 0 and 1; text and booleans are refused.

    Raises
    ------
    ParameterError
        If ``alpha`` is not a number or not strictly between 0 and 1.
    """
    from .errors import ParameterError

    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        raise ParameterError(f"alpha must be a number, got {alpha!r}")
    value = float(alpha)
    if not math.isfinite(value):
        raise ParameterError(f"alpha must be a finite number, got {alpha!r}")
    if not 0.0 < value < 1.0:
        raise ParameterError(f"alpha must be in (0, 1), got {alpha!r}")
    return value


#: What a key figure is: an ``estimate`` computed by the toolkit, an ``input`` of the run (a
#: scenario figure, a threshold), a ``published`` figure to compare with, or a ``verdict``.
KINDS: tuple[str, ...] = ("estimate", "input", "published", "verdict")


@dataclasses.dataclass(frozen=True)
class KeyFigure:
    """One headline number, born with its meaning: key, label, exact value, unit and kind.

    ``unit`` is one of :data:`influence_kit.formatting.UNITS` and ``kind`` one of
    :data:`KINDS`; nothing downstream (the report header, the index, the explorer, the
    command line) guesses either from the key.

    Raises
    ------
    ValueError
        If the unit or the kind is not in its closed set.
    """

    key: str
    label: str
    value: Any
    unit: str = "number"
    kind: str = "estimate"

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"key figure {self.key}: unit {self.unit!r} is not one of {UNITS}")
        if self.kind not in KINDS:
            raise ValueError(f"key figure {self.key}: kind {self.kind!r} is not one of {KINDS}")

    @property
    def text(self) -> str:
        """The value in the words a reader uses (see :func:`format_quantity`)."""
        return format_quantity(self.value, self.unit)  # type: ignore[arg-type]  # unit checked in __post_init__

    def to_dict(self) -> dict[str, Any]:
        """Value, label, unit and kind (what ``summary.json`` stores for a figure)."""
        return {
            "value": to_jsonable(self.value),
            "label": self.label,
            "unit": self.unit,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, key: str, data: Mapping[str, Any]) -> KeyFigure:
        """The figure :meth:`to_dict` wrote."""
        return cls(
            key,
            str(data["label"]),
            data.get("value"),
            str(data.get("unit", "number")),
            str(data.get("kind", "estimate")),
        )


@dataclasses.dataclass(frozen=True)
class KeyFigures:
    """The key figures of a result, in the author's order.

    ``to_dict()`` maps each key to the figure's value, label, unit and kind (what
    ``summary.json`` records); ``values()`` maps key to exact value; ``summary()`` is a
    table of label, value and readable text.
    """

    figures: tuple[KeyFigure, ...]

    def __post_init__(self) -> None:
        keys = [f.key for f in self.figures]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate key figure in {keys}")

    def __iter__(self) -> Any:
        return iter(self.figures)

    def __len__(self) -> int:
        return len(self.figures)

    def __getitem__(self, key: str) -> Any:
        return self.figure(key).value

    def __contains__(self, key: object) -> bool:
        return any(f.key == key for f in self.figures)

    def figure(self, key: str) -> KeyFigure:
        """The figure named ``key``."""
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def __add__(self, other: KeyFigures) -> KeyFigures:
        return KeyFigures(self.figures + other.figures)

    def labels(self) -> dict[str, str]:
        """Key to readable label."""
        return {f.key: f.label for f in self.figures}

    def values(self) -> dict[str, Any]:
        """Key to exact (JSON-safe) value, in order."""
        return {f.key: to_jsonable(f.value) for f in self.figures}

    def to_dict(self) -> dict[str, Any]:
        """Key to the figure's value, label, unit and kind, in order."""
        return {f.key: f.to_dict() for f in self.figures}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KeyFigures:
        """The figures :meth:`to_dict` wrote (entries without a label are left out)."""
        return cls(
            tuple(
                KeyFigure.from_dict(str(key), entry)
                for key, entry in data.items()
                if isinstance(entry, Mapping) and "label" in entry
            )
        )

    def summary(self) -> pd.DataFrame:
        """One row per figure: readable label (index), exact value and readable text."""
        import pandas as pd

        return pd.DataFrame(
            {
                "value": [f.value for f in self.figures],
                "shown as": [f.text for f in self.figures],
            },
            index=pd.Index([f.label for f in self.figures], name="figure"),
        )

    def __repr__(self) -> str:
        # The readable text only: exact floats would make stored notebook outputs unstable.
        return self.summary()[["shown as"]].to_string()

    def _repr_html_(self) -> str:
        return self.summary()[["shown as"]].to_html()


def key_figures(*rows: tuple[Any, ...]) -> KeyFigures:
    """Build :class:`KeyFigures` from ``(key, label, value[, unit[, kind]])`` tuples."""
    return KeyFigures(tuple(KeyFigure(*row) for row in rows))


#: Most sentences in a report's conclusion (the box that opens the report).
CONCLUSION_SENTENCES = 4
#: Most key figures the opening box shows; the report's own tables show the rest.
LEAD_FIGURES = 8


@dataclasses.dataclass(frozen=True)
class Conclusion:
    """What a report concludes: at most four sentences computed from its results, and the
    keys of at most eight key figures that back them.

    The renderer opens the report with this box (the sentences, then the named figures);
    the notebook shows the same sentences under its own "Conclusion" heading. Sentences
    are plain text (no Markdown), so they read the same in the box, the notebook and a
    terminal.

    Raises
    ------
    ValueError
        If there is no sentence or more than :data:`CONCLUSION_SENTENCES`, a sentence is
        empty, or more than :data:`LEAD_FIGURES` figures are named (or one twice).

    Examples
    --------
    >>> c = Conclusion(("The total is 502 billion.", "It reaches the claim."), ("total",))
    >>> c.text
    'The total is 502 billion. It reaches the claim.'
    """

    sentences: tuple[str, ...]
    figures: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        sentences = tuple(self.sentences)
        figures = tuple(self.figures)
        object.__setattr__(self, "sentences", sentences)
        object.__setattr__(self, "figures", figures)
        if not 1 <= len(sentences) <= CONCLUSION_SENTENCES:
            raise ValueError(
                f"a conclusion has 1 to {CONCLUSION_SENTENCES} sentences, got {len(sentences)}"
            )
        if any(not isinstance(s, str) or not s.strip() for s in sentences):
            raise ValueError("every sentence of a conclusion is non-empty text")
        if len(figures) > LEAD_FIGURES or len(set(figures)) != len(figures):
            raise ValueError(
                f"a conclusion names at most {LEAD_FIGURES} distinct key figures, got {figures}"
            )

    def __add__(self, other: Conclusion) -> Conclusion:
        """The two conclusions' sentences and figures, one after the other (checked again)."""
        return Conclusion(self.sentences + other.sentences, self.figures + other.figures)

    @property
    def text(self) -> str:
        """The sentences as one paragraph."""
        return " ".join(s.strip() for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        """Sentences and figure keys (what ``summary.json`` stores for a report)."""
        return {"sentences": list(self.sentences), "figures": list(self.figures)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Conclusion | None:
        """The conclusion :meth:`to_dict` wrote (``None`` for none or a malformed entry)."""
        if not isinstance(data, Mapping):
            return None
        try:
            return cls(
                tuple(str(s) for s in data.get("sentences", ())),
                tuple(str(k) for k in data.get("figures", ())),
            )
        except (TypeError, ValueError):
            return None

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        from .formatting import escape_markdown

        return escape_markdown(self.text)
