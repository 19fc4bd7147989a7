"""Single published figures from the reach-evidence table, as typed records.

:func:`influence_kit.datasets.load_reach_evidence` returns the whole table (one row per
published figure on audience, reach, cascades and engagement). Models that take an input
from it read one figure at a time with :func:`reach_evidence`, which returns an
:class:`EvidenceRecord`: the value, the published range (``low``/``high``; both equal to
the value for a single figure), the unit and the citation, so every input stays traceable
to its source.

Examples
--------
>>> from influence_kit.evidence import reach_evidence
>>> visibility = reach_evidence("fb_post_friend_visibility")
>>> visibility.value, visibility.unit
(0.35, 'share')
>>> cascades = reach_evidence("cascade_no_spread")
>>> cascades.low, cascades.high
(0.7, 0.95)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .datasets import load_reach_evidence
from .errors import DataError

__all__ = [
    "EVIDENCE_UNITS",
    "EvidenceRecord",
    "evidence_ids",
    "reach_evidence",
]

#: The units a row of the evidence table may have. ``share`` is a fraction in [0, 1].
EVIDENCE_UNITS: tuple[str, ...] = (
    "share",
    "people",
    "users",
    "tweets per month",
    "page views per comment",
)


@dataclass(frozen=True)
class EvidenceRecord:
    """One published figure.

    Attributes
    ----------
    id
        The row's stable slug.
    quantity
        What is measured.
    value
        The figure (for a published range, its midpoint).
    low, high
        The published range; both equal ``value`` for a single figure.
    unit
        One of :data:`EVIDENCE_UNITS`.
    population, year, platform
        Who was measured, when it was published, where.
    citation, url_or_doi
        The primary source.
    verification
        ``"primary"`` (checked against the source's own text) or ``"secondary"`` (as
        reported by a secondary source named in ``note``).
    note
        How the figure was checked, and caveats.
    """

    id: str
    quantity: str
    value: float
    low: float
    high: float
    unit: str
    population: str
    year: int
    platform: str
    citation: str
    url_or_doi: str
    verification: str
    note: str

    @property
    def is_range(self) -> bool:
        """Whether the source publishes a range rather than a single figure."""
        return self.low != self.high


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    frame = load_reach_evidence()
    if frame["id"].duplicated().any():
        dup = frame.loc[frame["id"].duplicated(), "id"].iloc[0]
        raise DataError(f"reach-evidence.csv: duplicate id {dup!r}")
    return frame.set_index("id", drop=False)


def evidence_ids() -> tuple[str, ...]:
    """The ids of every row of the evidence table, in file order."""
    return tuple(_table()["id"])


def reach_evidence(evidence_id: str) -> EvidenceRecord:
    """The published figure with this id, as a record.

    Parameters
    ----------
    evidence_id
        A value of the ``id`` column of
        :func:`~influence_kit.datasets.load_reach_evidence`.

    Returns
    -------
    EvidenceRecord
        ``low`` and ``high`` equal ``value`` when the source gives a single figure.

    Raises
    ------
    DataError
        If no row has that id.
    """
    table = _table()
    if evidence_id not in table.index:
        raise DataError(
            f"unknown evidence id {evidence_id!r} (see influence_kit.evidence.evidence_ids())"
        )
    row = table.loc[evidence_id]
    value = float(row["value"])
    low = float(row["low"]) if not math.isnan(float(row["low"])) else value
    high = float(row["high"]) if not math.isnan(float(row["high"])) else value
    return EvidenceRecord(
        id=str(row["id"]),
        quantity=str(row["quantity"]),
        value=value,
        low=low,
        high=high,
        unit=str(row["unit"]),
        population=str(row["population"]),
        year=int(row["year"]),
        platform=str(row["platform"]),
        citation=str(row["citation"]),
        url_or_doi=str(row["url_or_doi"]),
        verification=str(row["verification"]),
        note=str(row["note"]),
    )
