"""Run independent replicates serially, on local cores, or on a Dask cluster, identically.

Bootstraps and Monte Carlo runs split their replicates into chunks; each
replicate draws its random numbers from its own child of a
:class:`numpy.random.SeedSequence`, so the numbers do not depend on where a
chunk runs. :func:`map_chunks` runs ``func(job, chunk)`` for every chunk:

* on a ``dask.distributed`` client when one is given (``client=``, or a
  scheduler address through :func:`connect_scheduler`);
* otherwise on ``n_jobs`` local worker processes, or in this process, following the
  ``n_jobs`` rule of :mod:`influence_kit.validation` (``None``/1: in process, -1: every
  core, k > 1: k workers).

Results come back in chunk order, with a tqdm progress bar on stderr.
"""

from __future__ import annotations

import asyncio
import math
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from tqdm.auto import tqdm

from .errors import ParameterError
from .formatting import format_value
from .validation import check_positive_int, resolve_n_jobs

J = TypeVar("J")
C = TypeVar("C")
R = TypeVar("R")


def split(items: Sequence[C], size: int) -> list[Sequence[C]]:
    """Split ``items`` into consecutive chunks of at most ``size``."""
    size = check_positive_int("chunk size", size)
    return [items[i : i + size] for i in range(0, len(items), size)]


#: Seconds :func:`connect_scheduler` waits for a scheduler to answer, unless the
#: environment variable :data:`SCHEDULER_TIMEOUT_ENV` says otherwise.
DEFAULT_SCHEDULER_TIMEOUT = 10.0

#: Environment variable with the scheduler timeout in seconds (e.g. ``30``).
SCHEDULER_TIMEOUT_ENV = "INFLUENCE_KIT_SCHEDULER_TIMEOUT"


def scheduler_timeout() -> float:
    """Seconds to wait for a Dask scheduler: ``INFLUENCE_KIT_SCHEDULER_TIMEOUT`` or 10.

    Raises
    ------
    ParameterError
        If the variable is set to anything but a positive number of seconds.

    Examples
    --------
    >>> scheduler_timeout() > 0
    True
    """
    text = os.environ.get(SCHEDULER_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_SCHEDULER_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ParameterError(
            f"{SCHEDULER_TIMEOUT_ENV} must be a positive number of seconds, got {text!r}"
        )
    return value


#: Address schemes a scheduler can be reached by from here (distributed's comm backends).
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")


def _check_address(address: str) -> str:
    """Refuse a malformed address at once, before any connection (or thread) is made.

    The scheme must be one of :data:`SCHEDULER_SCHEMES` with a host and a port from
    1 to 65535 (``tls://`` and ``wss://`` also need Dask's TLS settings), or
    ``inproc://`` for a scheduler made in this very process (an in-process
    ``LocalCluster``). Returns the scheme.
    """
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme == "inproc":
            parts = location.split("/")
            if len(parts) != 3 or parts[1] != str(os.getpid()):
                raise ValueError("an inproc:// address works only in the process that made it")
            return scheme
        if scheme not in SCHEDULER_SCHEMES:
            raise ValueError(
                f"the scheme {scheme}:// is not one of "
                + ", ".join(f"{s}://" for s in SCHEDULER_SCHEMES)
            )
        host, port = parse_host_port(location)
        if not host or not 0 < int(port) < 65536:
            raise ValueError("expected HOST:PORT, a host and a port from 1 to 65535")
    except ValueError as err:
        raise ParameterError(f"--scheduler {address!r} is not a scheduler address: {err}") from None
    if scheme in ("tls", "wss"):
        from distributed.security import Security

        if Security().get_connection_args("client").get("ssl_context") is None:
            raise ParameterError(
                f"--scheduler {address!r}: a {scheme}:// scheduler needs Dask's TLS settings "
                "(distributed.comm.tls.ca-file, .client.cert and .client.key in Dask's config)"
            )
    return scheme


async def _identify(address: str, wait: float) -> Any:
    """Connect to ``address``, ask who is there, and hang up (on the caller's loop)."""
    from distributed.comm import connect
    from distributed.security import Security

    args = Security().get_connection_args("client")
    comm = await connect(address, timeout=wait, **args)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def _probe(address: str, wait: float) -> None:
    """Check within about ``wait`` seconds that a Dask scheduler answers at ``address``.

    The probe runs on a private event loop in a helper thread that always ends
    (``asyncio.wait_for`` cancels a silent read), so nothing is left behind in
    this process: no thread, no half-made client, no open connection.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            coro = asyncio.wait_for(_identify(address, wait), wait + 0.5)
            outcome["reply"] = asyncio.run(coro)
        except BaseException as err:  # handed to the caller's thread
            outcome["error"] = err

    thread = threading.Thread(target=run, name="influence-kit-probe", daemon=True)
    thread.start()
    thread.join()
    err = outcome.get("error")
    if isinstance(err, asyncio.TimeoutError):
        raise ParameterError(
            f"the Dask scheduler at {address} did not answer within {format_value(wait)} s; check "
            f"the address, or wait longer with {SCHEDULER_TIMEOUT_ENV}=SECONDS"
        )
    if err is not None:
        raise _connection_error(address, err)
    reply = outcome.get("reply")
    if not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        kind = reply.get("type") if isinstance(reply, dict) else type(reply).__name__
        raise ParameterError(f"{address} does not answer as a Dask scheduler (it says {kind!r})")


def _connection_error(address: str, err: BaseException) -> BaseException:
    """The one-line error for a failed connection to a well-formed address.

    KeyboardInterrupt and SystemExit pass through unchanged.
    """
    if isinstance(err, ParameterError):
        return err
    if isinstance(err, OSError):
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return ParameterError(f"cannot reach the Dask scheduler at {address}: {first}")
    if isinstance(err, Exception):  # it answered, but not as a Dask scheduler does
        return ParameterError(
            f"{address} does not answer as a Dask scheduler ({type(err).__name__})"
        )
    return err  # KeyboardInterrupt, SystemExit


def connect_scheduler(address: str | None, timeout: float | None = None) -> Any:
    """A ``dask.distributed.Client`` for a scheduler address (``None`` gives ``None``).

    The whole connection, handshake included, is bounded by ``timeout`` seconds
    (default :func:`scheduler_timeout`, 10 s unless ``INFLUENCE_KIT_SCHEDULER_TIMEOUT``
    says otherwise): distributed's own timeout does not cover a server that accepts
    the connection and never answers, so the address is first asked who it is on a
    private event loop whose wait is bounded, and the client is made only once a
    scheduler has answered.

    The client is not made the process-wide default: pass it on (``client=``) to
    the functions that should run on the cluster. A connection that fails
    therefore leaves every other Dask computation of the process as it was.

    Raises
    ------
    ParameterError
        A malformed address, a scheduler that cannot be reached or does not answer
        within ``timeout`` seconds, or a server that answers but is not a Dask
        scheduler (junk bytes): one line naming the address.
    """
    if address is None:
        return None
    if not str(address).strip():
        raise ParameterError("--scheduler is empty: give an address such as tcp://HOST:8786")
    wait = scheduler_timeout() if timeout is None else float(timeout)
    if not (math.isfinite(wait) and wait > 0):
        raise ParameterError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if _check_address(address) != "inproc":  # in this process: nothing can be silent
        _probe(address, wait)
    from distributed import Client

    try:
        return Client(address, timeout=wait, set_as_default=False)
    except BaseException as err:  # it went away between the probe and the client
        raise _connection_error(address, err) from None


#: The shared job of :func:`map_chunks` in a local worker process (set once per process).
_WORKER_JOB: Any = None


def _receive_job(job: Any) -> None:
    """Initializer of a local worker process: keep the shared job for every chunk it runs."""
    global _WORKER_JOB
    _WORKER_JOB = job


def _run_with_job(func: Callable[[Any, C], R], chunk: C) -> R:
    """Run one chunk in a local worker process with the job it received once."""
    return func(_WORKER_JOB, chunk)


def map_chunks(
    func: Callable[[J, C], R],
    job: J,
    chunks: Sequence[C],
    *,
    sizes: Sequence[int] | None = None,
    client: Any = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
    desc: str = "replicates",
) -> list[R]:
    """Apply ``func(job, chunk)`` to every chunk and return the results in order.

    Parameters
    ----------
    func
        A picklable (module-level) function.
    job
        Shared, picklable input (sent once per worker, on Dask and locally alike).
    chunks
        The work items.
    sizes
        Replicates in each chunk, for the progress bar (default 1 each).
    client
        A ``dask.distributed.Client``; takes precedence over ``n_jobs``.
    n_jobs
        Local worker processes: the rule of :func:`influence_kit.validation.resolve_n_jobs`
        (``None`` or 1 in this process, -1 every core, k > 1 k workers).
    progress
        Draw a progress bar (``None``: only when stderr is a terminal).
    desc
        Progress bar label.
    """
    n_jobs = resolve_n_jobs(n_jobs)
    weights = list(sizes) if sizes is not None else [1] * len(chunks)
    results: list[Any] = [None] * len(chunks)
    disable = None if progress is None else not progress
    with tqdm(total=sum(weights), desc=desc, file=sys.stderr, disable=disable, leave=False) as bar:
        if client is not None:
            from distributed import as_completed as dask_completed

            # hash=False: a fresh key per call, so back-to-back calls with equal jobs do
            # not race with the release of the previous call's copy
            shared = client.scatter(job, broadcast=True, hash=False)
            futures = client.map(func, [shared] * len(chunks), list(chunks), pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            for future in dask_completed(futures, loop=client.loop):
                i = index[future.key]
                results[i] = future.result()
                bar.update(weights[i])
        elif n_jobs == 1 or len(chunks) <= 1:
            for i, chunk in enumerate(chunks):
                results[i] = func(job, chunk)
                bar.update(weights[i])
        else:
            # The shared job goes to each worker process once (its initializer), not with
            # every chunk: many small chunks of a large graph then cost no more than one.
            with ProcessPoolExecutor(
                max_workers=min(n_jobs, len(chunks)),
                initializer=_receive_job,
                initargs=(job,),
            ) as pool:
                futures_local = {
                    pool.submit(_run_with_job, func, c): i for i, c in enumerate(chunks)
                }
                for future in as_completed(futures_local):
                    i = futures_local[future]
                    results[i] = future.result()
                    bar.update(weights[i])
    return results
