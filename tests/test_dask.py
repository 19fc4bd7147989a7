"""Bootstraps, Monte Carlo and aggregation on a real Dask cluster equal the local results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from influence_kit.concentration import bootstrap, concentration
from influence_kit.data import value_counts, value_counts_dask
from influence_kit.distributions import PowerLaw
from influence_kit.errors import DataError, ParameterError
from influence_kit.fitting import fit_all
from influence_kit.parallel import connect_scheduler
from influence_kit.scenarios import load_scenario
from influence_kit.sensitivity import monte_carlo
from influence_kit.tables import value_table

DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / "data/scenarios/forrester-us-2009.yaml"


@pytest.fixture(scope="module")
def client():
    """One two-process LocalCluster for the whole module."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster, set_as_default=False) as dask_client,
    ):
        yield dask_client


@pytest.fixture(scope="module")
def discrete_sample():
    """A modest discrete sample: a uniform body below 5 and a power-law tail above it."""
    rng = np.random.default_rng(17)
    body = rng.integers(1, 5, 300)
    tail = PowerLaw(5, True).sample(300, [2.4], rng)
    return np.concatenate([body, tail]).astype(float)


@pytest.fixture(scope="module")
def zipf_table():
    rng = np.random.default_rng(11)
    return value_table(rng.zipf(2.1, size=20_000).astype(float))


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def parquet_files(tmp_path_factory):
    """Three Parquet files of per-event rows: a heavy-tailed value, a person id, a count."""
    folder = tmp_path_factory.mktemp("parquet")
    rng = np.random.default_rng(3)
    for i in range(3):
        frame = pd.DataFrame(
            {
                "impressions": rng.zipf(2.2, 4000) - 1,
                "person": rng.integers(0, 2500, 4000),
                "n": rng.integers(0, 4, 4000),
            }
        )
        frame.to_parquet(folder / f"part-{i}.parquet")
    return str(folder / "*.parquet")


# --------------------------------------------------------------------------- the chunked scheme


def test_concentration_bootstrap_is_the_same_however_chunks_run(zipf_table):
    serial = bootstrap(zipf_table, reps=250, seed=5)
    pooled = bootstrap(zipf_table, reps=250, seed=5, n_jobs=2)
    small_batches = bootstrap(zipf_table, reps=250, seed=5, batch_cells=zipf_table.n_distinct * 7)
    for other in (pooled, small_batches):
        np.testing.assert_array_equal(serial.gini, other.gini)
        np.testing.assert_array_equal(serial.top_shares, other.top_shares)
        np.testing.assert_array_equal(serial.curve, other.curve)
    # A Generator seeds the chunks from its own draws (the seed rule): equal states, equal
    # numbers, whether the chunks run here or in worker processes.
    generator = bootstrap(zipf_table, reps=250, seed=np.random.default_rng(5))
    generator_pooled = bootstrap(zipf_table, reps=250, seed=np.random.default_rng(5), n_jobs=2)
    np.testing.assert_array_equal(generator.gini, generator_pooled.gini)
    np.testing.assert_array_equal(generator.curve, generator_pooled.curve)


def test_a_generator_seed_gives_fresh_chunks_on_every_call(zipf_table):
    rng = np.random.default_rng(5)
    first = bootstrap(zipf_table, reps=39, seed=rng)
    second = bootstrap(zipf_table, reps=39, seed=rng)
    assert not np.array_equal(first.gini, second.gini)


def test_monte_carlo_is_the_same_however_chunks_run(scenario):
    serial = monte_carlo(scenario, 250_001, seed=7)
    pooled = monte_carlo(scenario, 250_001, seed=7, n_jobs=2)
    np.testing.assert_array_equal(serial.samples, pooled.samples)
    assert serial.to_dict() == pooled.to_dict()


# --------------------------------------------------------------------------- on the cluster


@pytest.mark.slow
def test_fit_bootstraps_on_dask_equal_local(client, discrete_sample):
    options = {"discrete": True, "gof_replicates": 60, "bootstrap_replicates": 60, "seed": 4}
    local = fit_all(discrete_sample, n_jobs=1, progress=False, **options)
    remote = fit_all(discrete_sample, client=client, progress=False, **options)
    assert remote.gof.p == local.gof.p
    np.testing.assert_array_equal(remote.gof.ks_replicates, local.gof.ks_replicates)
    assert remote.uncertainty.alpha_sd == local.uncertainty.alpha_sd
    assert remote.uncertainty.xmin_sd == local.uncertainty.xmin_sd
    np.testing.assert_array_equal(
        remote.uncertainty.alpha_replicates, local.uncertainty.alpha_replicates
    )


@pytest.mark.slow
def test_concentration_intervals_on_dask_equal_local(client, zipf_table):
    local = concentration(zipf_table, reps=250, seed=9)
    remote = concentration(zipf_table, reps=250, seed=9, client=client)
    pd.testing.assert_frame_equal(remote.summary(), local.summary(), check_exact=True)
    pd.testing.assert_frame_equal(remote.conf_int(0.1), local.conf_int(0.1), check_exact=True)
    pd.testing.assert_frame_equal(remote.lorenz_band(), local.lorenz_band(), check_exact=True)
    assert remote.to_dict() == local.to_dict()


@pytest.mark.slow
def test_monte_carlo_on_dask_equals_local(client, scenario):
    local = monte_carlo(scenario, 250_001, seed=3, thresholds=[500e9, 1e12])
    remote = monte_carlo(scenario, 250_001, seed=3, thresholds=[500e9, 1e12], client=client)
    assert (remote.p5, remote.p50, remote.p95) == (local.p5, local.p50, local.p95)
    assert remote.to_dict() == local.to_dict()
    np.testing.assert_array_equal(remote.samples, local.samples)


@pytest.mark.slow
@pytest.mark.parametrize(
    "shape",
    [
        {"column": "impressions"},
        {"column": "impressions", "counts_column": "n"},
        {"column": "impressions", "person_column": "person"},
        {"person_column": "person"},
    ],
    ids=["per-person", "histogram", "events-sum", "events-count"],
)
def test_value_counts_dask_equals_duckdb(client, parquet_files, shape):
    expected = value_counts(parquet_files, **shape)
    got = value_counts_dask(parquet_files, **shape, client=client)
    with client.as_current():  # a client of the user's own, made current, serves as well
        assert value_counts_dask(parquet_files, **shape).table.equals(expected.table)
    assert got.table.equals(expected.table)
    assert (got.rows, got.people) == (expected.rows, expected.people)
    assert (got.column, got.counts_column, got.person_column) == (
        expected.column,
        expected.counts_column,
        expected.person_column,
    )


# --------------------------------------------------------------------------- bad input


def test_value_counts_dask_without_a_cluster_and_from_a_frame(parquet_files):
    import dask.dataframe as dd

    expected = value_counts(parquet_files, "impressions")
    frame = dd.read_parquet(parquet_files)
    got = value_counts_dask(frame, "impressions")
    np.testing.assert_array_equal(got.table.values, expected.table.values)
    np.testing.assert_array_equal(got.table.counts, expected.table.counts)
    assert got.table.n_zeros == expected.table.n_zeros
    assert got.table.n == expected.table.n


def test_value_counts_dask_bad_data(tmp_path):
    import dask.dataframe as dd

    frame = pd.DataFrame(
        {"v": [1.0, -2.0, np.nan, 4.0], "s": ["a", "b", "c", "d"], "c": [1.0, 2.5, 3.0, 4.0]}
    )
    ddf = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(DataError, match=r"no column 'x' \(columns: v, s, c\)"):
        value_counts_dask(ddf, "x")
    with pytest.raises(DataError, match=r"column 's' holds .* not numbers"):
        value_counts_dask(ddf, "s")
    with pytest.raises(DataError, match=r"1 missing values in 'v', e\.g\. row \{'v': None"):
        value_counts_dask(ddf, "v")
    with pytest.raises(DataError, match="1 negative values in 'v'"):
        value_counts_dask(ddf.dropna(), "v")
    with pytest.raises(DataError, match="1 negative or fractional counts in 'c'"):
        value_counts_dask(ddf.dropna(), "c", counts_column="c")
    with pytest.raises(ParameterError, match="not both"):
        value_counts_dask(ddf, "v", counts_column="c", person_column="s")
    with pytest.raises(DataError, match="no such file"):
        value_counts_dask(tmp_path / "missing.parquet", "v")
    with pytest.raises(DataError, match="no Parquet data"):
        value_counts_dask(str(tmp_path / "none-*.parquet"), "v")
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"not parquet" * 10)
    with pytest.raises(DataError, match=r"corrupt\.parquet: cannot be read as Parquet"):
        value_counts_dask(corrupt, "v")


def test_unreachable_scheduler_is_a_parameter_error():
    with pytest.raises(ParameterError, match="cannot reach the Dask scheduler"):
        connect_scheduler("tcp://127.0.0.1:9", timeout=1.0)


@pytest.mark.slow
def test_scenario_renders_run_on_the_cluster(client, tmp_path, site):
    """A notebook rendered as a Dask task gives the key figures of the local render."""
    import json

    from influence_kit.render import render_reports

    local, _ = site
    root = Path(__file__).resolve().parent.parent
    scenario = root / "data" / "scenarios" / "skeptic-us-2009.yaml"
    remote = render_reports(
        [scenario], ["01"], tmp_path / "dask", notebook_dir=root / "notebooks", client=client
    )
    assert remote.ok
    assert [(r.scenario, r.notebook, r.status) for r in remote.runs] == [
        ("skeptic-us-2009", "01-headline-impressions", "ok")
    ]

    def figures(folder: Path) -> dict:
        summary = json.loads((folder / "skeptic-us-2009" / "summary.json").read_text())
        return summary["notebooks"]["01-headline-impressions"]

    assert figures(tmp_path / "dask") == figures(local)


def test_cli_scheduler_unreachable_is_one_line(capsys, monkeypatch):
    import functools
    from pathlib import Path

    from influence_kit import parallel
    from influence_kit.cli.main import main

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    # Give up on the unreachable scheduler after 1 s instead of the default 10 s.
    quick = functools.partial(parallel.connect_scheduler, timeout=1.0)
    monkeypatch.setattr(parallel, "connect_scheduler", quick)
    code = main(
        [
            "sensitivity",
            "--scenario",
            "data/scenarios/forrester-us-2009.yaml",
            "--draws",
            "1000",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err


def test_cascades_on_dask_equal_local(client):
    from influence_kit.audience import ego_facebook, simulate_cascades

    graph = ego_facebook()
    kwargs = {"visibility": 0.35, "reshare": 0.02, "posts": 6000, "seed": 21}
    local = simulate_cascades(graph, **kwargs)
    remote = simulate_cascades(graph, client=client, **kwargs)
    assert np.array_equal(local.readers, remote.readers)
    assert np.array_equal(local.depth, remote.depth)
