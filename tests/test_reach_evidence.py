"""The reach-evidence table: sources, units, ids, and the figures the models read from it."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from influence_kit import datasets
from influence_kit.errors import DataError
from influence_kit.evidence import EVIDENCE_UNITS, EvidenceRecord, evidence_ids, reach_evidence


@pytest.fixture(scope="module")
def table():
    return datasets.load_reach_evidence()


def test_listed_with_citation(table):
    listed = datasets.list_datasets().set_index("name")
    assert listed.loc["reach_evidence", "file"] == "reference/reach-evidence.csv"
    assert table.attrs["dataset"] == "reach_evidence"


def test_typed_columns(table):
    assert tuple(table.columns) == datasets.REACH_EVIDENCE_COLUMNS
    assert table["value"].dtype == np.float64
    assert table["low"].dtype == np.float64
    assert table["high"].dtype == np.float64
    assert table["year"].dtype == np.int64
    for column in ("id", "quantity", "unit", "citation", "url_or_doi", "note"):
        assert all(isinstance(v, str) for v in table[column]), column


def test_every_row_has_a_citation_and_a_finite_value(table):
    for row in table.itertuples():
        assert len(row.citation) > 20, row.id
        assert re.search(r"(19|20)\d\d", row.citation), row.id
        assert math.isfinite(row.value), row.id
        assert row.note.strip(), row.id
        assert 1990 <= row.year <= 2026, row.id


def test_ids_are_unique_slugs(table):
    assert table["id"].is_unique
    for evidence_id in table["id"]:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", evidence_id), evidence_id
    assert evidence_ids() == tuple(table["id"])


def test_units_from_fixed_vocabulary_and_shares_are_fractions(table):
    assert set(table["unit"]) <= set(EVIDENCE_UNITS)
    shares = table[table["unit"] == "share"]
    assert ((shares["value"] >= 0) & (shares["value"] <= 1)).all()
    assert set(table["verification"]) <= {"primary", "secondary"}


def test_ranges_bracket_the_value(table):
    ranged = table[table["low"].notna() | table["high"].notna()]
    assert ranged["low"].notna().all() and ranged["high"].notna().all()
    assert (ranged["low"] <= ranged["value"]).all()
    assert (ranged["value"] <= ranged["high"]).all()
    assert np.allclose(ranged["value"], (ranged["low"] + ranged["high"]) / 2)


def test_figures_the_audience_model_uses(table):
    visibility = reach_evidence("fb_post_friend_visibility")
    assert visibility.value == 0.35
    assert not visibility.is_range and visibility.low == visibility.high == 0.35
    assert "Bernstein" in visibility.citation and "2013" in visibility.citation
    never = reach_evidence("cascade_no_spread")
    assert (never.low, never.high) == (0.70, 0.95)
    beyond = reach_evidence("cascade_beyond_one_step")
    assert (beyond.low, beyond.high) == (0.01, 0.04)
    assert "Goel" in never.citation and "Goel" in beyond.citation
    assert reach_evidence("fb_monthly_friend_reach").value == 0.61
    assert reach_evidence("twitter_retweet_reach").value == 1000


def test_record_matches_its_row(table):
    row = table.set_index("id").loc["news_page_views_per_comment"]
    record = reach_evidence("news_page_views_per_comment")
    assert isinstance(record, EvidenceRecord)
    assert record.value == row["value"] == 50
    assert record.unit == row["unit"] == "page views per comment"
    assert record.citation == row["citation"]
    assert record.url_or_doi == ""


def test_unknown_id_is_one_line_error():
    with pytest.raises(DataError, match="unknown evidence id 'nope'") as err:
        reach_evidence("nope")
    assert "\n" not in str(err.value)
