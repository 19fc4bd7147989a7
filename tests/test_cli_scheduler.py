"""Network waits have timeouts (issue 12): a ``--scheduler`` that accepts the connection
and never answers, or answers with junk, fails within the documented time with one line
and exit code 2 (``INFLUENCE_KIT_SCHEDULER_TIMEOUT``, 10 s by default)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from influence_kit.errors import ParameterError
from influence_kit.parallel import (
    DEFAULT_SCHEDULER_TIMEOUT,
    SCHEDULER_TIMEOUT_ENV,
    connect_scheduler,
    scheduler_timeout,
)

ROOT = Path(__file__).resolve().parents[1]
WORDS = str(ROOT / "data" / "clauset2009" / "words.txt")


@pytest.fixture(autouse=True)
def _nothing_left_behind() -> Iterator[None]:
    """No test here may leave anything behind in this process: no dask scheduler
    setting, no default client, no thread of ours still waiting on a connection.

    A half-made client left in the process would make later dask computations wait
    on it, or deadlock distributed's event-loop lock when it is garbage-collected.
    """
    import dask
    from distributed.client import _get_global_client

    before = dask.config.get("scheduler", None)
    yield
    assert dask.config.get("scheduler", None) == before
    assert _get_global_client() is None
    ours = [t for t in threading.enumerate() if t.name.startswith("influence-kit")]
    for thread in ours:
        thread.join(2)
    assert not [t.name for t in ours if t.is_alive()]


class Server:
    """A local TCP server that accepts every connection and then sends ``reply``
    (``None``: stays silent) and keeps the connection open (or closes it)."""

    def __init__(self, reply: bytes | None, close: bool = False) -> None:
        self.reply, self.close_after = reply, close
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.address = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        self.conns: list[socket.socket] = []
        self.stopped = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            try:
                if self.reply is not None:
                    conn.sendall(self.reply)
                if self.close_after:
                    conn.close()
            except OSError:
                pass

    def stop(self) -> None:
        self.stopped = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the serving thread
        except OSError:
            pass
        self.sock.close()
        self.thread.join(5)
        for conn in self.conns:
            conn.close()


@pytest.fixture
def silent() -> Iterator[Server]:
    server = Server(None)
    yield server
    server.stop()


JUNK = {
    "http": (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", False),
    "huge-length": (b"\xff" * 64, False),
    "bytes-then-close": (bytes(range(256)) * 4, True),
    "short-frame": (b"\x01\x00\x00\x00\x00\x00\x00\x00", False),
}


@pytest.fixture(params=sorted(JUNK))
def junk(request: pytest.FixtureRequest) -> Iterator[Server]:
    reply, close = JUNK[request.param]
    server = Server(reply, close)
    yield server
    server.stop()


def test_silent_scheduler_times_out(silent):
    start = time.perf_counter()
    with pytest.raises(ParameterError, match=r"did not answer within 0\.5 s"):
        connect_scheduler(silent.address, timeout=0.5)
    assert time.perf_counter() - start < 5


def test_junk_answer_is_one_clear_error(junk):
    start = time.perf_counter()
    with pytest.raises(ParameterError) as err:
        connect_scheduler(junk.address, timeout=1.0)
    assert junk.address in str(err.value)
    assert "\n" not in str(err.value)
    assert time.perf_counter() - start < 6


def test_dask_still_computes_after_a_failed_connection(silent, junk):
    """In a long-lived session (a notebook), a failed ``connect_scheduler`` must leave
    dask's own computations running as before, not waiting on a dead client."""
    import dask

    for server in (silent, junk):
        with pytest.raises(ParameterError):
            connect_scheduler(server.address, timeout=0.5)
    outcome: list[int] = []
    worker = threading.Thread(
        target=lambda: outcome.append(dask.delayed(sum)([1, 2, 3]).compute()), daemon=True
    )
    worker.start()
    worker.join(30)
    assert outcome == [6]


def test_timeout_from_the_environment(monkeypatch):
    monkeypatch.delenv(SCHEDULER_TIMEOUT_ENV, raising=False)
    assert scheduler_timeout() == DEFAULT_SCHEDULER_TIMEOUT == 10.0
    monkeypatch.setenv(SCHEDULER_TIMEOUT_ENV, "2.5")
    assert scheduler_timeout() == 2.5
    for bad in ("0", "-1", "soon", "inf", "nan"):
        monkeypatch.setenv(SCHEDULER_TIMEOUT_ENV, bad)
        with pytest.raises(ParameterError, match=SCHEDULER_TIMEOUT_ENV):
            scheduler_timeout()


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("tcp://127.0.0.1:notaport", "not a scheduler address: invalid literal"),
        ("tcp://127.0.0.1:99999", "a port from 1 to 65535"),
        ("tcp://127.0.0.1:0", "a port from 1 to 65535"),
        ("tcp://:8786", "a host and a port"),
        ("tcp://127.0.0.1", "missing port"),
        ("ucx://127.0.0.1:8786", "the scheme ucx:// is not one of tcp://, tls://, ws://, wss://"),
        ("inproc://127.0.0.1/1/1", "works only in the process that made it"),
        ("tls://127.0.0.1:8786", "a tls:// scheduler needs Dask's TLS settings"),
        ("", "--scheduler is empty"),
        ("  ", "--scheduler is empty"),
    ],
)
def test_malformed_address_is_refused_without_waiting(address, says):
    start = time.perf_counter()
    with pytest.raises(ParameterError, match=re.escape(says)) as err:
        connect_scheduler(address, timeout=5)
    assert "\n" not in str(err.value)
    assert time.perf_counter() - start < 1


#: Small, valid arguments of each command that takes --scheduler.
SMALL_RUNS = {
    "fit": ["fit", WORDS, "--gof-reps", "39"],
    "concentration": ["concentration", WORDS, "--bootstrap-reps", "39"],
    "sensitivity": ["sensitivity", "--draws", "1000"],
    "render": ["render", "--notebook", "01"],
    "reach": ["reach", "ego-facebook", "--posts", "100"],
}


def test_every_command_with_scheduler_is_covered():
    import argparse

    from influence_kit.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    with_scheduler = {
        name for name, p in sub.choices.items() if any(a.dest == "scheduler" for a in p._actions)
    }
    assert with_scheduler == set(SMALL_RUNS)


@pytest.mark.parametrize("command", sorted(SMALL_RUNS))
def test_every_command_with_a_silent_scheduler(command, silent, tmp_path, monkeypatch, capsys):
    from influence_kit.cli.main import main

    argv = [*SMALL_RUNS[command], "--scheduler", silent.address]
    if command == "render":
        argv += ["--output-dir", str(tmp_path / "site")]
    monkeypatch.setenv(SCHEDULER_TIMEOUT_ENV, "0.5")
    start = time.perf_counter()
    code = main(argv)
    elapsed = time.perf_counter() - start
    assert code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"influence-kit {command}: error: the Dask scheduler at {silent.address} did not "
        f"answer within 0.5 s; check the address, or wait longer with "
        f"{SCHEDULER_TIMEOUT_ENV}=SECONDS"
    ]
    assert elapsed < 10


def test_the_process_ends_despite_the_silent_server(silent):
    """A silent server must not keep the command's process alive."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), SCHEDULER_TIMEOUT_ENV: "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "influence_kit", *SMALL_RUNS["fit"], "--scheduler", silent.address],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "did not answer within 1 s" in proc.stderr
    assert time.perf_counter() - start < 30  # imports plus one second, on a loaded machine
