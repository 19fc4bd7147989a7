"""Synthetic population: calibration, published figures, determinism, chunking."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from influence_kit.constants import DEFAULT_SEED
from influence_kit.errors import DataError, ParameterError, ScenarioError
from influence_kit.population import (
    BLOCK_SIZE,
    PANEL_COMMAND,
    PANEL_SIZE,
    calibrate_population,
    default_panel_path,
    iter_population,
    load_panel,
    reference_scenario,
    simulate_population,
    technographics_profile,
    upper_orthant,
    write_population,
)
from influence_kit.scenarios import load_scenario, read_scenario_data, scenario_from_dict
from influence_kit.segments import segment_people

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "data" / "scenarios" / "forrester-us-2009.yaml"


@pytest.fixture(scope="module")
def us() -> object:
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def western_europe() -> object:
    """The 2010 Western Europe figures: 4% / 11.1% / 425 friends, no overlap published."""
    data = read_scenario_data(SCENARIO)
    data["meta"] = {**data["meta"], "name": "forrester-we-2010", "region": "Western Europe"}
    data["meta"]["year"] = 2010
    seg = data["segments"]
    seg["mass_connectors_share"] = {"base": 0.04}
    seg["mass_mavens_share"] = {"base": 0.111}
    seg["connectors_mean_friends"] = {"base": 425}
    del seg["overlap_share"]
    return scenario_from_dict(data, origin="western-europe-2010")


@pytest.fixture(scope="module")
def done_when(us: object) -> object:
    """The issue's acceptance run: n = 200000, seed 7."""
    return segment_people(simulate_population(us, 200_000, 7), n_boot=0)


def check_published(seg: object, connectors: float, mavens: float, overlap: float) -> None:
    assert abs(seg.mass_connectors_share - connectors) <= 0.003
    assert abs(seg.mass_mavens_share - mavens) <= 0.005
    assert abs(seg.overlap_share - overlap) <= 0.003


def test_done_when_figures(done_when: object) -> None:
    check_published(done_when, 0.062, 0.138, 0.037)
    assert done_when.network_impressions_total == pytest.approx(256e9, rel=0.01)
    assert done_when.posts_total == pytest.approx(1.64e9, rel=0.01)
    assert done_when.connectors_mean_friends == pytest.approx(537, rel=0.05)
    assert done_when.mass_influencers_share == pytest.approx(0.163, abs=0.006)


def test_technographics_percentages(done_when: object) -> None:
    published = technographics_profile("2009Q4")
    assert published["spectators"] == pytest.approx(0.70)
    for group, share in published.items():
        assert done_when.technographics[group] == pytest.approx(share, abs=0.005), group


@pytest.mark.parametrize(("n", "seed"), [(100_000, DEFAULT_SEED), (100_000, 1), (300_000, 123)])
def test_other_seeds_and_sizes(us: object, n: int, seed: int) -> None:
    seg = segment_people(simulate_population(us, n, seed), n_boot=0)
    check_published(seg, 0.062, 0.138, 0.037)
    assert seg.network_impressions_total == pytest.approx(256e9, rel=1e-9)
    assert seg.posts_total == pytest.approx(1.64e9, rel=1e-9)
    assert seg.connectors_mean_friends == pytest.approx(537, rel=0.05)


def test_western_europe(western_europe: object) -> None:
    cal = calibrate_population(western_europe)
    assert cal.overlap_assumed
    assert cal.notes and "carried over" in cal.notes[0]
    us_rho = calibrate_population(load_scenario(SCENARIO)).rho
    assert cal.rho == pytest.approx(us_rho, abs=1e-9)
    seg = segment_people(simulate_population(western_europe, 200_000, 7), n_boot=0)
    check_published(seg, 0.04, 0.111, cal.overlap_share)
    assert seg.connectors_mean_friends == pytest.approx(425, rel=0.05)
    assert 0.01 < cal.overlap_share < 0.04


def test_overlap_reference_is_a_scenario(western_europe: object) -> None:
    """The carried-over copula correlation comes from a scenario, the shipped one by default."""
    us = load_scenario(SCENARIO)
    assert reference_scenario().segments == us.segments
    default = calibrate_population(western_europe)
    assert calibrate_population(western_europe, overlap_reference=us).rho == default.rho
    data = read_scenario_data(SCENARIO)
    data["segments"]["overlap_share"] = 0.02
    looser = calibrate_population(western_europe, overlap_reference=scenario_from_dict(data))
    assert looser.rho < default.rho
    assert "forrester-us-2009" in looser.notes[0]
    del data["segments"]["overlap_share"]
    with pytest.raises(ScenarioError, match="overlap reference"):
        calibrate_population(western_europe, overlap_reference=scenario_from_dict(data))


def test_shipped_western_europe_scenario() -> None:
    """data/scenarios/western-europe-2010.yaml states its overlap assumption (0.0239)."""
    scenario = load_scenario(ROOT / "data" / "scenarios" / "western-europe-2010.yaml")
    cal = calibrate_population(scenario)
    assert not cal.overlap_assumed
    # its "same fraction of Connectors are Mavens" assumption and ours (same copula) agree
    assert calibrate_population(scenario, assume_overlap=True).overlap_share == pytest.approx(
        0.0239, abs=5e-4
    )
    seg = segment_people(simulate_population(scenario, 200_000, 7), n_boot=0)
    check_published(seg, 0.04, 0.111, 0.0239)
    assert seg.connectors_mean_friends == pytest.approx(425, rel=0.05)
    assert seg.network_impressions_total == pytest.approx(61.2e9, rel=0.01)
    assert seg.posts_total == pytest.approx(392e6, rel=0.01)
    assert seg.adults == pytest.approx(190e6)


@pytest.mark.parametrize(
    ("overrides", "targets"),
    [
        (
            {
                "segments.mass_connectors_share": 0.03,
                "segments.mass_mavens_share": 0.2,
                "segments.overlap_share": 0.02,
                "segments.connectors_mean_friends": 300,
            },
            (0.03, 0.2, 0.02, 300.0),
        ),
        (
            {
                "segments.mass_connectors_share": 0.1,
                "segments.mass_mavens_share": 0.1,
                "segments.overlap_share": 0.05,
                "segments.connectors_mean_friends": 900,
                "segments.concentration_share": 0.7,
            },
            (0.1, 0.1, 0.05, 900.0),
        ),
    ],
)
def test_other_published_figures_are_met(overrides: list[str], targets: tuple) -> None:
    connectors, mavens, overlap, friends = targets
    scenario = load_scenario(SCENARIO, overrides)
    share = scenario.segments.concentration_share.base
    seg = segment_people(
        simulate_population(scenario, 100_000, 3), n_boot=0, concentration_share=share
    )
    check_published(seg, connectors, mavens, overlap)
    assert seg.connectors_mean_friends == pytest.approx(friends, rel=0.05)


def test_calibration_is_solved_not_tuned(us: object) -> None:
    cal = calibrate_population(us)
    a, b = stats.norm.isf(cal.connectors_share), stats.norm.isf(cal.mavens_share)
    assert upper_orthant(a, b, cal.rho) == pytest.approx(0.037, abs=1e-9)
    z_c = stats.norm.isf(0.062)
    t_j = stats.norm.isf(0.59)
    top = special.ndtr(cal.network_sigma - z_c) / special.ndtr(cal.network_sigma - t_j)
    assert top == pytest.approx(0.8, abs=1e-9)
    mean_friends = (
        math.exp(cal.audience_mu + cal.audience_sigma**2 / 2)
        * special.ndtr(cal.audience_sigma * cal.audience_rho - z_c)
        / 0.062
    )
    assert mean_friends == pytest.approx(537, rel=1e-9)
    other = calibrate_population(us, overlap_share=0.02)
    assert other.rho < cal.rho


def test_upper_orthant_against_independence_and_scipy() -> None:
    assert upper_orthant(0.5, -0.3, 0.0) == pytest.approx(
        stats.norm.sf(0.5) * stats.norm.sf(-0.3), abs=1e-10
    )
    mvn = stats.multivariate_normal(mean=[0, 0], cov=[[1, 0.4], [0.4, 1]])
    assert upper_orthant(1.0, 0.5, 0.4) == pytest.approx(mvn.cdf([-1.0, -0.5]), abs=1e-6)


def test_same_seed_same_people_and_prefix_property(us: object) -> None:
    a = simulate_population(us, 1_000, 5).people
    b = simulate_population(us, 1_000, 5).people
    pd.testing.assert_frame_equal(a, b)
    c = simulate_population(us, 1_000, 6).people
    assert not a["network_impressions"].equals(c["network_impressions"])
    big = simulate_population(us, BLOCK_SIZE + 10, 5).people
    small = simulate_population(us, BLOCK_SIZE, 5).people
    pd.testing.assert_frame_equal(
        big.iloc[:BLOCK_SIZE].drop(columns="weight"), small.drop(columns="weight")
    )


def test_chunked_equals_unchunked(us: object) -> None:
    n = BLOCK_SIZE + 5_000
    whole = simulate_population(us, n, 11).people
    chunks = list(iter_population(us, n, 11, chunk_size=7_777))
    assert max(len(c) for c in chunks) == 7_777
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)


def test_parquet_byte_identical_and_equal_to_memory(us: object, tmp_path: Path) -> None:
    n = 20_000
    one = write_population(tmp_path / "a.parquet", us, n, 3, chunk_size=6_000)
    two = write_population(tmp_path / "b.parquet", us, n, 3, chunk_size=6_000)
    assert one.chunks == 4
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    other_chunks = write_population(tmp_path / "c.parquet", us, n, 3, chunk_size=n)
    on_disk = pd.read_parquet(tmp_path / "c.parquet")
    pd.testing.assert_frame_equal(on_disk, pd.read_parquet(tmp_path / "a.parquet"))
    pd.testing.assert_frame_equal(on_disk, simulate_population(us, n, 3).people)
    assert one.posts_total == pytest.approx(1.64e9, rel=1e-9)
    assert two.to_dict()["path"].endswith("b.parquet")
    assert other_chunks.chunks == 1


def test_csv_output(us: object, tmp_path: Path) -> None:
    out = write_population(tmp_path / "p.csv", us, 3_000, 2, chunk_size=1_000)
    assert out.format == "csv"
    back = pd.read_csv(tmp_path / "p.csv")
    mem = simulate_population(us, 3_000, 2).people
    assert list(back.columns) == list(mem.columns)
    assert len(back) == 3_000
    np.testing.assert_allclose(back["influence_posts"], mem["influence_posts"], rtol=1e-12)
    assert not list(tmp_path.glob(".*partial"))


def test_person_columns_are_consistent(us: object) -> None:
    people = simulate_population(us, 50_000, 9).people
    assert (people["weight"] * len(people)).round(6).eq(176e6).all()
    joiner = people["joiner"]
    assert (people.loc[~joiner, "audience"] == 0).all()
    assert (people.loc[joiner, "audience"] >= 1).all()
    np.testing.assert_allclose(
        people["network_updates"] * people["audience"], people["network_impressions"], rtol=1e-9
    )
    types = ["reviews", "forum_posts", "blog_comments", "blog_posts"]
    np.testing.assert_allclose(people[types].sum(axis=1), people["influence_posts"], rtol=1e-9)
    assert (people.loc[~people["creator"], "blog_posts"] == 0).all()
    assert (people.loc[~people["critic"], "influence_posts"] == 0).all()
    assert not (people["creator"] & ~people["critic"]).any()
    flags = ["creator", "conversationalist", "critic", "collector", "joiner", "spectator"]
    assert people["inactive"].equals(~people[flags].any(axis=1))
    shares = people[types].sum() / people["influence_posts"].sum()
    expected = np.array([0.32, 0.29, 0.24, 0.16]) / 1.01
    np.testing.assert_allclose(shares.to_numpy(), expected, atol=1e-6)
    np.testing.assert_allclose(people["post_impressions"], people["influence_posts"] * 150)


def test_shipped_panel_is_regenerable_and_calibrated() -> None:
    panel = load_panel()
    assert len(panel) == PANEL_SIZE
    assert default_panel_path().stat().st_size < 6_000_000
    fresh = simulate_population(load_scenario(SCENARIO), PANEL_SIZE, DEFAULT_SEED).people
    pd.testing.assert_frame_equal(panel, fresh)
    seg = segment_people(panel, load_scenario(SCENARIO), n_boot=0)
    check_published(seg, 0.062, 0.138, 0.037)


def test_panel_readme_documents_the_command() -> None:
    readme = (ROOT / "data" / "population" / "README.md").read_text(encoding="utf-8")
    assert PANEL_COMMAND in readme
    assert default_panel_path().name in readme


def test_load_panel_missing_file_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="influence-kit simulate --n 100000"):
        load_panel(path=tmp_path / "none.parquet")


def test_load_panel_simulates_for_other_scenarios(us: object) -> None:
    other = load_scenario(SCENARIO, {"segments.connectors_mean_friends": 500})
    people = load_panel(other, seed=4, n=2_000)
    assert len(people) == 2_000


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"segments.overlap_share": 0.0001}, "Inactive share"),
        ({"segments.concentration_share": 0.05}, "concentration_share"),
        ({"segments.mass_connectors_share": 0.7, "segments.overlap_share": 0.1}, "fewer than"),
    ],
)
def test_infeasible_scenarios_are_refused(override: list[str], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        calibrate_population(load_scenario(SCENARIO, override))


def test_unreachable_overlap_is_refused(us: object) -> None:
    with pytest.raises(ScenarioError, match="overlap_share"):
        calibrate_population(us, overlap_share=0.062)


def test_missing_segments_and_bad_arguments(us: object) -> None:
    data = read_scenario_data(SCENARIO)
    del data["segments"]
    with pytest.raises(ScenarioError, match="mass_connectors_share"):
        calibrate_population(scenario_from_dict(data))
    with pytest.raises(ParameterError, match=r"^n must be an integer >= 1, got 0$"):
        simulate_population(us, 0)
    with pytest.raises(ParameterError, match=r"^n must be an integer, got 2.5$"):
        simulate_population(us, 2.5)
    with pytest.raises(ParameterError, match=r"^chunk_size must be an integer >= 1, got 0$"):
        next(iter_population(us, 10, chunk_size=0))
    with pytest.raises(ParameterError, match=r"^type_concentration must be positive, got 0$"):
        next(iter_population(us, 10, type_concentration=0))
    with pytest.raises(ParameterError, match=r"^format must be one of 'parquet', 'csv', got 'xls'"):
        write_population("people.parquet", us, 10, format="xls")
    with pytest.raises(ParameterError, match="suffix"):
        write_population("people.txt", us, 10)
    with pytest.raises(ParameterError, match="audience_rho"):
        calibrate_population(us, audience_rho=1.5)
    with pytest.raises(ParameterError, match=r"^audience_sigma must be positive, got 0$"):
        calibrate_population(us, audience_sigma=0)
    with pytest.raises(
        ParameterError, match=r"^technographics.critics must lie strictly between 0 and 1, got 1.0$"
    ):
        calibrate_population(us, technographics={**technographics_profile(), "critics": 1.0})
    with pytest.raises(ScenarioError, match="Inactive"):
        profile = technographics_profile()
        calibrate_population(us, technographics={**profile, "inactives": 0.6})
