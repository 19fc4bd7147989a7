"""Replicates give identical numbers serially, on local processes and on a Dask cluster."""

from __future__ import annotations

import numpy as np
import pytest

from influence_kit.errors import ParameterError
from influence_kit.parallel import connect_scheduler, map_chunks, split


def _means(scale: float, seeds) -> np.ndarray:
    return np.array([np.random.default_rng(s).exponential(scale, 1000).mean() for s in seeds])


def _reference(n: int) -> np.ndarray:
    seeds = np.random.SeedSequence(42).spawn(n)
    return _means(2.0, seeds)


def test_serial_and_process_pool_agree():
    seeds = np.random.SeedSequence(42).spawn(40)
    chunks = split(seeds, 7)
    serial = np.concatenate(map_chunks(_means, 2.0, chunks, n_jobs=1))
    pooled = np.concatenate(map_chunks(_means, 2.0, chunks, n_jobs=2))
    np.testing.assert_array_equal(serial, pooled)
    np.testing.assert_array_equal(serial, _reference(40))


@pytest.mark.slow
def test_local_cluster_agrees_with_local_run():
    from distributed import Client, LocalCluster, default_client

    seeds = np.random.SeedSequence(42).spawn(40)
    chunks = split(seeds, 7)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        remote = np.concatenate(map_chunks(_means, 2.0, chunks, client=client))
        same_client = connect_scheduler(cluster.scheduler_address)
        try:
            # the connected client is handed on, never made the process-wide default
            assert default_client() is client
            again = np.concatenate(map_chunks(_means, 2.0, chunks, client=same_client))
        finally:
            same_client.close()
    np.testing.assert_array_equal(remote, _reference(40))
    np.testing.assert_array_equal(again, remote)


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(
        ParameterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        connect_scheduler("tcp://127.0.0.1:9", timeout=1.0)


def test_bad_arguments():
    with pytest.raises(ParameterError, match="n_jobs must be None, -1 or a positive integer"):
        map_chunks(_means, 1.0, [[]], n_jobs=0)
    with pytest.raises(ParameterError, match=r"n_jobs .* got -2"):
        map_chunks(_means, 1.0, [[]], n_jobs=-2)
    with pytest.raises(ParameterError, match="chunk size"):
        split([1, 2], 0)


def test_in_process_cluster_from_inside_a_running_event_loop():
    """As in a notebook: an in-process cluster (an ``inproc://`` address) and a call made
    while an event loop runs in this thread."""
    import asyncio

    from distributed import LocalCluster, default_client

    seeds = np.random.SeedSequence(42).spawn(12)
    chunks = split(seeds, 5)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        assert cluster.scheduler_address.startswith("inproc://")

        async def inside() -> np.ndarray:
            client = connect_scheduler(cluster.scheduler_address, timeout=10)
            try:
                with pytest.raises(ValueError):
                    default_client()  # not made the default
                return np.concatenate(map_chunks(_means, 2.0, chunks, client=client))
            finally:
                client.close()

        got = asyncio.run(inside())
    np.testing.assert_array_equal(got, _reference(12))
