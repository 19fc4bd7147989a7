"""The shipped datasets: one loader per file, documented columns, citations, known sizes."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pandas as pd
import pytest

from influence_kit import datasets
from influence_kit.errors import DataError
from influence_kit.package_data import data_dir

#: Folders of ``data/`` whose files are datasets (scenarios and the synthetic panel have
#: their own loaders: ``load_scenario`` and ``load_panel``).
DATASET_FOLDERS = ("clauset2009", "social", "reference")

NAMES = list(datasets.list_datasets()["name"])


def _loader(name: str):
    return getattr(datasets, f"load_{name}")


def test_every_shipped_data_file_has_exactly_one_loader():
    shipped = sorted(
        p.relative_to(data_dir()).as_posix()
        for folder in DATASET_FOLDERS
        for p in (data_dir() / folder).iterdir()
        if p.is_file() and p.suffix != ".md"
    )
    listed = datasets.list_datasets()["file"].tolist()
    assert sorted(listed) == shipped
    assert len(set(listed)) == len(listed)
    loaders = sorted(n for n in datasets.__all__ if n.startswith("load_"))
    assert loaders == sorted(f"load_{n}" for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_loader_returns_documented_columns_and_citation(name):
    frame = _loader(name)()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    doc = inspect.getdoc(_loader(name))
    assert "Returns" in doc and "Citation" in doc
    for column in frame.columns:
        assert f"``{column}``" in doc, f"{name}: column {column!r} not documented"
    row = datasets.list_datasets().set_index("name").loc[name]
    assert frame.attrs["citation"] == row["citation"]
    assert re.search(r"(19|20)\d\d", row["citation"]), row["citation"]
    assert datasets.dataset_path(name).is_file()
    assert datasets.dataset_path(name).as_posix().endswith(row["file"])


def test_clauset_sizes_match_table_61():
    """Every Clauset set has the n of Table 6.1 and (unscaled sets) its published maximum."""
    table = datasets.load_clauset_table61().set_index("dataset")
    for name in ("words", "terrorism", "blackouts", "cities", "fires", "flares", "quakes"):
        frame = _loader(name)()
        assert len(frame) == int(table.loc[name, "n"]), name
    words = datasets.load_words()["count"]
    assert int(words.max()) == int(table.loc["words", "x_max"]) == 14086
    assert words.mean() == pytest.approx(float(table.loc["words", "mean"]), abs=0.005)
    assert words.std() == pytest.approx(float(table.loc["words", "sd"]), abs=0.01)
    terrorism = datasets.load_terrorism()["deaths"]
    assert int(terrorism.max()) == int(table.loc["terrorism", "x_max"])


def test_weblinks_histogram_and_quakes_pair():
    web = datasets.load_weblinks()
    assert len(web) == 14480
    assert int(web.loc[web["degree"] > 0, "frequency"].sum()) == 241_428_853
    quakes = datasets.load_quakes()["intensity"].to_numpy()
    magnitudes = datasets.load_quake_magnitudes()["magnitude"].to_numpy()
    assert len(quakes) == len(magnitudes) == 19302
    np.testing.assert_allclose(quakes, 10.0**magnitudes, rtol=1e-6)


def test_wiki_vote_users_are_the_edges_counted():
    edges = datasets.load_wiki_vote_edges()
    users = datasets.load_wiki_vote_users().set_index("user")
    assert len(edges) == 103_689
    assert len(users) == 7_115
    cast = edges["from_node"].value_counts().reindex(users.index, fill_value=0)
    received = edges["to_node"].value_counts().reindex(users.index, fill_value=0)
    assert (cast.to_numpy() == users["votes_cast"].to_numpy()).all()
    assert (received.to_numpy() == users["votes_received"].to_numpy()).all()


def test_facebook_degrees_sum_to_twice_the_edges():
    degrees = datasets.load_facebook_degrees()
    assert len(degrees) == 4039
    assert int(degrees["degree"].sum()) == 2 * 88_234


def test_technographics_wave_2009q4():
    profile = datasets.load_technographics().set_index("data_year")
    assert profile.loc["2009Q4", "creators"] == 24
    assert profile.loc["2009Q4", "inactives"] == 17


def test_unknown_dataset_is_one_line_error():
    with pytest.raises(DataError, match=r"unknown dataset 'nope' \(shipped: .*words"):
        datasets.dataset_path("nope")


def test_stackexchange_loader_drops_the_community_bot_only():
    """data/README.md: Id -1 is the Community bot; the loader drops it and nothing else."""
    raw = pd.read_csv(datasets.dataset_path("scifi_stackexchange_users"), sep="\t")
    users = datasets.load_scifi_stackexchange_users()
    assert datasets.STACKEXCHANGE_COMMUNITY_ID == -1
    assert (raw["Id"] == -1).sum() == 1
    assert len(users) == len(raw) - 1 == 24_259
    assert -1 not in set(users["Id"])
    pd.testing.assert_frame_equal(users, raw[raw["Id"] != -1].reset_index(drop=True))
    assert users.attrs["dataset"] == "scifi_stackexchange_users"


def test_drop_stackexchange_community_keeps_order_and_attrs():
    table = pd.DataFrame({"Id": [5, -1, 2], "UpVotes": [1, 99, 3]})
    table.attrs["origin"] = "another site"
    kept = datasets.drop_stackexchange_community(table)
    assert kept["Id"].tolist() == [5, 2]
    assert kept["UpVotes"].tolist() == [1, 3]
    assert kept.index.tolist() == [0, 1]
    assert kept.attrs == {"origin": "another site"}
    assert table["Id"].tolist() == [5, -1, 2]  # the input is not changed
    with pytest.raises(DataError, match="needs an 'Id' column"):
        datasets.drop_stackexchange_community(table.drop(columns="Id"))
