"""The explorer's server answers only its own name and bounds its kernels.

Fast tests check the pieces (:func:`refusal`, :func:`server_line`, the command, the
scenario list passed to the app). The slow ones run a real ``influence-kit explore
--no-browser`` on 127.0.0.1 (a free port, loopback only) with ``--max-pages 2
--cull-after 2`` and send it foreign ``Host``/``Origin`` headers and repeated ``GET /``,
counting the kernel processes under it.
"""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from influence_kit.cli import explore as cli_explore
from influence_kit.cli.explore import refusal, server_line, voila_command
from influence_kit.errors import ParameterError
from influence_kit.explorer.widgets import SCENARIOS_ENV, listed_scenarios

PORT = 18866
URL = f"http://127.0.0.1:{PORT}/"


# -- the pieces ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": f"127.0.0.1:{PORT}"},
        {"Host": f"localhost:{PORT}"},
        {"Host": f"[::1]:{PORT}"},
        {"Host": "localhost"},
        {"Host": f"127.0.0.1:{PORT}", "Origin": f"http://127.0.0.1:{PORT}"},
        {"Host": f"localhost:{PORT}", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "document"},
        {"Host": f"localhost:{PORT}", "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "iframe"},
    ],
)
def test_own_names_are_served(headers):
    assert refusal(headers) is None


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        # DNS rebinding: the browser sends the attacker's name as Host and Origin
        (
            {"Host": f"evil.example.com:{PORT}", "Origin": f"http://evil.example.com:{PORT}"},
            "Host",
        ),
        ({"Host": f"localhost.evil.example.com:{PORT}"}, "Host"),
        ({"Host": f"127.0.0.2:{PORT}"}, "Host"),
        ({"Host": ""}, "Host"),
        ({}, "Host"),
        ({"Host": f"127.0.0.1:{PORT}", "Origin": "http://evil.example.com"}, "Origin"),
        ({"Host": f"127.0.0.1:{PORT}", "Origin": f"http://localhost:{PORT}"}, "Origin"),
        ({"Host": f"127.0.0.1:{PORT}", "Origin": "null"}, "Origin"),
        ({"Host": f"127.0.0.1:{PORT}", "Origin": f"https://127.0.0.1:{PORT}"}, "Origin"),
        (
            {"Host": f"127.0.0.1:{PORT}", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "img"},
            "cross-site",
        ),
        (
            {
                "Host": f"127.0.0.1:{PORT}",
                "Sec-Fetch-Site": "same-site",
                "Sec-Fetch-Dest": "iframe",
            },
            "same-site",
        ),
    ],
)
def test_foreign_names_are_refused(headers, why):
    status, reason = refusal(headers)
    assert status == 403
    assert why in reason


def test_server_lines_say_how_to_reach_the_explorer():
    host = (
        "[Voila] WARNING | Blocking request with non-local 'Host' evil.example.com "
        f"(evil.example.com:{PORT}). If the server should be accessible at that name, "
        "set ServerApp.allow_remote_access to disable the check.\n"
    )
    assert server_line(host, URL) == (
        f"influence-kit explore: refused a request for Host 'evil.example.com:{PORT}' "
        f"(HTTP 403); the explorer answers only at {URL} (or localhost, [::1])\n"
    )
    page = "503 GET / (127.0.0.1): 2 pages are open, the most\n"
    assert server_line(page, URL) == (
        "influence-kit explore: refused a page (HTTP 503): 2 pages are open, the most; "
        f"the explorer answers at {URL}\n"
    )
    for routine in (
        "403 GET / (127.0.0.1) 19.26ms\n",
        "[Voila] WARNING | wrote error: 'Forbidden'\n",
        "[Voila] WARNING | Culling 'idle' kernel 'python3' (x) with 0 connections due to 3\n",
    ):
        assert server_line(routine, URL) is None
    # anything else passes unchanged
    assert server_line("something else\n", URL) == "something else\n"


def test_command_bounds_and_culls_kernels(tmp_path):
    command = voila_command(tmp_path / "app.ipynb", PORT, max_pages=3, cull_after=7)
    assert command[1:3] == ["-c", cli_explore.SERVE_CODE]
    assert "--max-pages=3" in command
    assert "--MappingKernelManager.cull_idle_timeout=7" in command
    assert "--MappingKernelManager.cull_interval=3" in command
    assert "--MappingKernelManager.cull_connected=False" in command
    # a taken port is an error, not another port the printed URL does not name
    assert "--Voila.port_retries=0" in command
    assert f"--Voila.config_file_paths={tmp_path}" in command


def test_scenario_list_keeps_path_separators():
    paths = ["/tmp/a:b/my:scenario.yaml", "/tmp/c;d/other.yaml"]
    assert listed_scenarios(json.dumps(paths)) == paths
    assert listed_scenarios("") == []
    # one path set by hand is one path, never split on os.pathsep
    assert listed_scenarios("/tmp/a:b.yaml") == ["/tmp/a:b.yaml"]
    for bad in ("[not json", '["a.yaml", 3]', '[""]'):
        with pytest.raises(ParameterError, match=SCENARIOS_ENV):
            listed_scenarios(bad)


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "many"])
def test_bounds_must_be_positive_whole_numbers(text, capsys):
    from influence_kit.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(["explore", "--max-pages", text, "--no-browser"])
    assert exit_info.value.code == 2
    assert "--max-pages" in capsys.readouterr().err


# -- a real server ---------------------------------------------------------------------


def _kernels(pid: int) -> list[psutil.Process]:
    """The kernel processes under ``pid`` (zombies and vanished ones left out)."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def _page(port: int, headers: dict[str, str]) -> tuple[int, str]:
    """``GET /`` on 127.0.0.1 with ``headers``: the status and the page."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", "/", headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _get(port: int, headers: dict[str, str]) -> int:
    return _page(port, headers)[0]


def _wait_no_kernels(pid: int, seconds: float) -> float:
    """Seconds until no kernel runs under ``pid``; fails after ``seconds``."""
    start = time.monotonic()
    while _kernels(pid):
        assert time.monotonic() - start < seconds, "kernels still running"
        time.sleep(0.25)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def server(tmp_path_factory, root):
    folder = tmp_path_factory.mktemp("server")
    # a scenario path holding os.pathsep: the app must still find it
    own = folder / "a:b" / "my:scenario.yaml"
    own.parent.mkdir()
    shutil.copy(root / "data" / "scenarios" / "forrester-us-2009.yaml", own)
    err_path = folder / "stderr.txt"
    with err_path.open("w") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "influence_kit",
                "explore",
                "--no-browser",
                "--max-pages",
                "2",
                "--cull-after",
                "2",
                "--scenario",
                str(own),
            ],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    line = process.stdout.readline()
    assert line.startswith("Explorer running at http://127.0.0.1:"), line + err_path.read_text()
    port = int(line.split()[3].rstrip("/").rsplit(":", 1)[1])
    yield {"process": process, "port": port, "stderr": err_path}
    children = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGINT)
    assert process.wait(30) == 130
    _, alive = psutil.wait_procs(children, timeout=15)
    assert alive == [], f"still running after Ctrl-C: {alive}"


@pytest.mark.slow
def test_foreign_host_and_origin_get_403_and_start_no_kernel(server):
    pid, port = server["process"].pid, server["port"]
    _wait_no_kernels(pid, 30)
    refused = [
        {"Host": f"evil.example.com:{port}", "Origin": f"http://evil.example.com:{port}"},
        {"Host": f"evil.example.com:{port}"},
        {"Host": f"127.0.0.1:{port}", "Origin": "http://evil.example.com"},
        {"Host": f"127.0.0.2:{port}"},
        {"Host": f"127.0.0.1:{port}", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image"},
    ]
    for headers in refused:
        assert _get(port, headers) == 403, headers
        assert _kernels(pid) == [], f"a kernel started for a refused request: {headers}"
    text = server["stderr"].read_text()
    assert (
        f"refused a request for Host 'evil.example.com:{port}' (HTTP 403); the explorer "
        f"answers only at http://127.0.0.1:{port}/" in text
    )
    # said once, not once per request; and no traceback
    assert text.count(f"Host 'evil.example.com:{port}'") == 1
    assert "Traceback" not in text


@pytest.mark.slow
def test_kernels_are_bounded_and_unconnected_ones_culled(server):
    pid, port = server["process"].pid, server["port"]
    _wait_no_kernels(pid, 30)
    # six pages asked for at once: --max-pages 2 serves two and refuses the rest (503)
    with ThreadPoolExecutor(6) as pool:
        pending = [pool.submit(_get, port, {"Host": f"localhost:{port}"}) for _ in range(6)]
        counts = []
        while not all(f.done() for f in pending):
            counts.append(len(_kernels(pid)))
            time.sleep(0.1)
        statuses = sorted(f.result() for f in pending)
    assert statuses == [200, 200, 503, 503, 503, 503], statuses
    assert max(counts) <= 2, counts
    # nobody connects: culled after 2 idle seconds (checked every second)
    assert _wait_no_kernels(pid, 20) < 20
    assert "refused a page (HTTP 503)" in server["stderr"].read_text()
    # and the bound is free again: the page with the own scenario (':' in its path) works
    status, page = _page(port, {"Host": f"[::1]:{port}"})
    assert status == 200
    assert "There was an error when executing cell" not in page
    assert "Traceback" not in server["stderr"].read_text()
    _wait_no_kernels(pid, 20)
