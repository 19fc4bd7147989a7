"""Key figures as a reader reads them, from what ``summary.json`` stores.

Every notebook saves its key figures with their label, unit and kind
(:class:`influence_kit.results.KeyFigures`); the report header and the site's front page
show them through :func:`shown_figures` (each :class:`~influence_kit.results.KeyFigure`'s
``text`` is :func:`influence_kit.formatting.format_quantity` in its own unit);
:func:`scalar_figures` gives key -> that text. Nothing here guesses a label or a unit from
a key's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..results import KeyFigure, KeyFigures


def shown_figures(figures: Mapping[str, Any]) -> tuple[KeyFigure, ...]:
    """The key figures of one ``summary.json`` entry, in the notebook's order.

    Entries without a label (written by another version of the toolkit) are left out.

    Examples
    --------
    >>> entry = {"total": {"value": 5.02e11, "label": "total", "unit": "impressions"}}
    >>> [(f.label, f.text) for f in shown_figures(entry)]
    [('total', '502 billion')]
    """
    return KeyFigures.from_dict(figures).figures


def scalar_figures(figures: Mapping[str, Any]) -> dict[str, str]:
    """Key -> the value as shown ("502 billion", "25.1%", "156"; ``n/a`` for none).

    Examples
    --------
    >>> scalar_figures({"share": {"value": 0.251, "label": "share", "unit": "share"}})
    {'share': '25.1%'}
    """
    return {figure.key: figure.text for figure in shown_figures(figures)}
