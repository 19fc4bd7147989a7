"""Execute notebooks with papermill on an explicitly named kernel."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..constants import KERNEL_NAME
from ..errors import RenderError

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_CELL_TIMEOUT",
    "KERNEL_NAME",
    "THREAD_VARIABLES",
    "CellStopped",
    "error_line",
    "execute_notebook",
    "is_ipython_kernel",
    "kernel_environment",
    "kernel_threads",
    "kill_kernels",
    "refresh_notebook",
]

#: Most seconds one cell may run by default (``render --cell-timeout``).
DEFAULT_CELL_TIMEOUT = 1800


class CellStopped(RenderError):
    """A notebook stopped inside a cell: the cell ran past its time limit or the kernel died.

    The message names the cell (its number and first line) and what happened.
    """


_kernels_lock = threading.Lock()
_kernels: set[Any] = set()

#: Environment variables that set the thread pools of the numerical libraries
#: (OpenBLAS, MKL, OpenMP) a kernel loads.
THREAD_VARIABLES: tuple[str, ...] = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def kernel_threads(jobs: int, cpus: int | None = None) -> int | None:
    """Threads each kernel's numerical libraries get when ``jobs`` kernels run at once.

    ``None`` (the libraries' own default, one thread per core) for a single job; else
    the cores shared out, at least one each. Without the limit every kernel's
    OpenBLAS starts a thread per core and their spinning threads fight for the same
    cores: a notebook's bootstrap then runs several times slower.

    >>> kernel_threads(1), kernel_threads(2, cpus=2), kernel_threads(3, cpus=8)
    (None, 1, 2)
    """
    if jobs <= 1:
        return None
    return max(1, (cpus if cpus is not None else os.cpu_count() or 1) // jobs)


def kernel_environment(threads: int | None) -> dict[str, str]:
    """This process's environment with the kernel's thread limit (see :func:`kernel_threads`).

    Variables the user set are kept as they are.
    """
    env = dict(os.environ)
    if threads is not None:
        for name in THREAD_VARIABLES:
            env.setdefault(name, str(threads))
    return env


def kill_kernels() -> int:
    """Kill every kernel :func:`execute_notebook` is running now; return how many.

    Their ``execute_notebook`` calls then fail with a dead-kernel error. Used when a
    render is interrupted; call it again for kernels that were still starting.
    """
    with _kernels_lock:
        managers = list(_kernels)
    killed = 0
    for km in managers:
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            killed += 1
    return killed


def error_line(err: BaseException) -> str:
    """One line naming the failing cell and the error."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, CellStopped):
        return str(err)
    if isinstance(err, PapermillExecutionError):
        evalue = str(err.evalue).strip().splitlines()
        return f"cell {err.exec_count} raised {err.ename}: {evalue[-1] if evalue else ''}"
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[-1] if text else ''}"


def strip_papermill_metadata(path: Path) -> None:
    """Remove papermill's timing metadata (it changes every run) from a notebook file."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, str(path))


def execute_notebook(
    notebook: Path,
    output: Path,
    parameters: Mapping[str, Any] | None = None,
    *,
    kernel_name: str = KERNEL_NAME,
    timeout: int | None = DEFAULT_CELL_TIMEOUT,
    cwd: str | Path | None = None,
    threads: int | None = None,
) -> None:
    """Execute ``notebook`` into ``output`` with papermill.

    ``timeout`` is the most seconds one cell may run (``None``: no limit); a cell that
    runs longer, or a kernel that dies (a cell calling ``os._exit``, a crash), ends the
    run with :class:`CellStopped`, whose message names the cell. Papermill's own log
    records are logged at DEBUG level by this module, never shown by default.

    The kernel talks over IPC sockets in a private temporary folder instead of
    TCP ports, so any number of renders can run at once without port
    collisions. The kernel's working directory is ``cwd`` (default: the
    notebook's folder, as in JupyterLab); the process's own working directory
    is never changed, so renders can run in threads. ``threads`` limits the
    thread pools of the kernel's numerical libraries (``None``: their default;
    see :func:`kernel_threads`). The kernel is shut down when the notebook is done.
    Papermill's timing metadata is stripped from ``output``.

    Raises
    ------
    CellStopped
        A cell ran past ``timeout`` or the kernel died.
    Exception
        Whatever papermill raised (``PapermillExecutionError`` for a failing cell);
        :func:`error_line` turns it into one line.
    """
    import papermill as pm
    from jupyter_client.manager import KernelManager

    with tempfile.TemporaryDirectory(prefix="ik-kernel-") as sockets:
        km = KernelManager(
            kernel_name=kernel_name,
            transport="ipc",
            ip=os.path.join(sockets, "k"),
            # nbclient awaits its client; a blocking one waits for output of a dead kernel
            # forever (a cell calling os._exit hung the render), an asynchronous one lets
            # nbclient see the kernel die.
            client_class="jupyter_client.asynchronous.AsyncKernelClient",
        )
        clients = _track_clients(km)
        with _kernels_lock:
            _kernels.add(km)
        try:
            # Started here rather than by papermill, to give it its environment; papermill
            # then uses it as it is and leaves it running, so it is shut down below.
            km.start_kernel(
                cwd=str(Path(cwd or notebook.parent).resolve()),
                env=kernel_environment(threads),
                # an IPython option: another kernel (R, Julia...) would refuse to start
                extra_arguments=(
                    ["--HistoryManager.hist_file=:memory:"] if is_ipython_kernel(km) else []
                ),
            )
            try:
                with _papermill_logs_demoted():
                    _execute(pm, notebook, output, parameters, kernel_name, km, cwd, timeout)
            except Exception as err:
                stopped = _stopped_cell_error(err, output, km, timeout)
                if stopped is None:
                    raise
                raise stopped from None
        finally:
            with _kernels_lock:
                _kernels.discard(km)
            _shut_down(km, clients)
    strip_papermill_metadata(output)


def is_ipython_kernel(km: Any) -> bool:
    """Whether the kernel ``km`` starts is IPython's (``ipykernel``), which takes IPython
    options on its command line; other kernels may refuse unknown options."""
    try:
        argv = km.kernel_spec.argv
    except Exception:  # no spec: start_kernel will say so
        return False
    return any("ipykernel" in str(arg) for arg in argv)


_demote_lock = threading.Lock()
_demote_users = 0


class _Demote(logging.Filter):
    """Drop a papermill record, logging it again at DEBUG level under this module."""

    def filter(self, record: logging.LogRecord) -> bool:
        logger.debug("papermill %s: %s", record.levelname, record.getMessage())
        return False


_DEMOTE = _Demote()


@contextlib.contextmanager
def _papermill_logs_demoted() -> Iterator[None]:
    """While notebooks run, papermill's and nbclient's log records go to DEBUG.

    They ("Passed unknown parameter", "Timeout waiting for IOPub output", "Kernel died
    while waiting for execute reply") would reach the user's stderr beside the render's
    own one-line result; a failure is reported by :func:`error_line` instead.
    """
    global _demote_users
    papermill_logger = logging.getLogger("papermill")
    with _demote_lock:
        if _demote_users == 0:
            papermill_logger.addFilter(_DEMOTE)
        _demote_users += 1
    try:
        yield
    finally:
        with _demote_lock:
            _demote_users -= 1
            if _demote_users == 0:
                papermill_logger.removeFilter(_DEMOTE)


def _stopped_cell_error(
    err: BaseException, output: Path, km: Any, timeout: int | None
) -> CellStopped | None:
    """A :class:`CellStopped` for a cell timeout or a dead kernel, else ``None``."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(err, CellTimeoutError):
        return CellStopped(
            f"{_running_cell(output)} ran past the time limit of {timeout} s per cell "
            "(cell_timeout, --cell-timeout)"
        )
    elif isinstance(err, DeadKernelError):
        code = None
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                code = process.poll()
        status = f", exit code {code}" if isinstance(code, int) and code >= 0 else ""
        if isinstance(code, int) and code < 0:
            status = f", killed by signal {-code}"
        return CellStopped(
            f"the kernel died in {_running_cell(output)}{status} "
            "(os._exit, a crash or out of memory?)"
        )
    return None


def _running_cell(output: Path) -> str:
    """Name the cell that was running when papermill stopped (read from ``output``)."""
    import nbformat

    try:
        nb = nbformat.read(str(output), as_version=4)
    except Exception:
        return "a cell"
    # numbered as in the source notebook: without the cell papermill injects
    code_cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    started = [
        (number, cell)
        for number, cell in enumerate(code_cells, start=1)
        # papermill marks every cell completed at the end; start times tell which ran
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return "a cell"
    number, cell = started[-1]
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    if len(first) > 60:
        first = first[:57] + "..."
    return f"code cell {number} ({first})" if first else f"code cell {number}"


def _track_clients(km: Any) -> list[Any]:
    """Record the kernel clients ``km`` hands out (nbclient keeps its own out of reach)."""
    clients: list[Any] = []
    make_client = km.client

    def client(**kwargs: Any) -> Any:
        kc = make_client(**kwargs)
        clients.append(kc)
        return kc

    km.client = client
    return clients


def _shut_down(km: Any, clients: list[Any]) -> None:
    """Stop the clients' channels and the kernel, quietly.

    nbclient leaves both running when it is given a kernel manager: the kernel then
    lived until the command ended, and each client's garbage collection logged
    "Could not destroy zmq context" on stderr.
    """
    for kc in clients:
        with contextlib.suppress(Exception):
            kc.stop_channels()
    with contextlib.suppress(Exception):
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    with contextlib.suppress(Exception):
        km.cleanup_resources()
    for kc in clients:  # the context is ours once the channels stopped: close it now
        with contextlib.suppress(Exception):
            if getattr(kc, "_created_context", False) and not kc.context.closed:
                kc.context.destroy(linger=0)


def _execute(
    pm: Any,
    notebook: Path,
    output: Path,
    parameters: Mapping[str, Any] | None,
    kernel_name: str,
    km: Any,
    cwd: str | Path | None,
    timeout: int | None,
) -> None:
    """Run papermill with the kernel manager ``km`` (see :func:`execute_notebook`)."""
    pm.execute_notebook(
        str(notebook),
        str(output),
        parameters=dict(parameters or {}),
        kernel_name=kernel_name,
        language="python",
        km=km,
        # The kernel starts in the notebook's folder. papermill's own ``cwd`` changes
        # the whole process's working directory, which races when renders run in
        # threads; nbclient starts the kernel in ``resources.metadata.path`` instead.
        resources={"metadata": {"path": str(Path(cwd or notebook.parent).resolve())}},
        progress_bar=False,
        log_output=False,
        execution_timeout=timeout,
    )


def refresh_notebook(notebook: str | Path, *, kernel_name: str = KERNEL_NAME) -> Path:
    """Execute a committed notebook in place with its default parameters.

    Used before committing a notebook so that nbval has outputs to compare:
    papermill's timing metadata is stripped and execution counts are kept.
    """
    path = Path(notebook)
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / path.name
        try:
            execute_notebook(path, executed, kernel_name=kernel_name)
        except Exception as err:
            raise RenderError(f"{path.name}: {error_line(err)}") from None
        os.replace(executed, path)
    return path
