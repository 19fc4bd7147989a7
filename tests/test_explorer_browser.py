"""The explorer in a real browser: the Voila app of ``influence-kit explore`` and JupyterLab.

One app server for the module: ``influence-kit explore --no-browser`` on a free port with
an own scenario file (a copy of the US 2009 scenario, so it is shown first). Chromium
(Playwright, the system's browser, see ``browsers.py``) opens it, types into the fields,
picks another scenario and downloads the state; the figures shown must be those of
``influence-kit account --json``. A second test opens ``00-explore.ipynb`` (a copy) in a
headless JupyterLab, runs all cells and changes a widget. Skipped outside CI when no
Chromium-family browser is installed, as the report test is.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from influence_kit.formatting import format_quantity

#: Seconds to wait for the first render of the app (kernel start, panel read, first figure).
FIRST_RENDER = 120_000
#: Milliseconds an update may take in the test (the app aims at about a second).
UPDATE = 30_000


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def account_json(scenario: str | Path) -> dict:
    """``influence-kit account --scenario SCENARIO --json``, run as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "influence_kit", "account", "--scenario", str(scenario), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def app(tmp_path_factory, root):
    """The explorer served by ``influence-kit explore``; stopped with Ctrl-C (SIGINT) after."""
    folder = tmp_path_factory.mktemp("app")
    own = folder / "my-scenario.yaml"
    shutil.copy(root / "data" / "scenarios" / "forrester-us-2009.yaml", own)
    process = subprocess.Popen(
        [sys.executable, "-m", "influence_kit", "explore", "--no-browser", "--scenario", str(own)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("Explorer running at http://127.0.0.1:"), line + process.stderr.read()
    url = line.split()[3]
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    state = {"url": url, "port": port, "folder": folder}
    yield state
    # the Voila server and the kernels it started
    children = psutil.Process(process.pid).children(recursive=True)
    assert children, "no server process under influence-kit explore"
    process.send_signal(signal.SIGINT)
    code = process.wait(30)
    err = process.stderr.read()
    assert code == 130, err
    # nothing but the interrupt on stderr: no routine server warnings after page loads
    assert err == "influence-kit: interrupted\n", err
    _, alive = psutil.wait_procs(children, timeout=15)
    assert alive == [], f"still running after Ctrl-C: {[p.cmdline() for p in alive]}"
    assert not _listening(port), "the Voila server still listens after Ctrl-C"


def _open_app(browser, url):
    page = browser.new_page(accept_downloads=True)
    errors: list[str] = []
    # everything the page loads comes from the app (no CDN: the app works offline)
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((url, "data:", "blob:"))
            else errors.append(f"request outside the app: {r.url}")
        ),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(url)
    page.wait_for_selector(".ik-headline-value", timeout=FIRST_RENDER)
    return page, errors


def _headline(page) -> str:
    return page.inner_text(".ik-headline-value")


def _type(page, selector: str, text: str) -> None:
    field = page.locator(f"{selector} input")
    field.fill(text)
    field.press("Enter")


def _wait_headline(page, text: str) -> float:
    """Wait until the headline reads ``text``; return the seconds it took."""
    start = time.perf_counter()
    page.wait_for_function(
        "t => document.querySelector('.ik-headline-value')?.textContent === t",
        arg=text,
        timeout=UPDATE,
    )
    return time.perf_counter() - start


def _shown(page) -> dict[str, float]:
    return {
        key: float(value)
        for key, value in page.eval_on_selector_all(
            ".ik-decomposition td[data-key]",
            "els => els.map(e => [e.dataset.key, e.dataset.value])",
        )
    }


@pytest.mark.slow
def test_explorer_app_end_to_end(app, browser, record_property):
    page, errors = _open_app(browser, app["url"])
    assert page.locator(".ik-scenario select").input_value() == "my-scenario"
    assert _headline(page) == "502 billion"
    body = page.inner_text("body")
    assert "explorer_app" not in body and "import" not in body  # no code shown
    page.wait_for_selector(".ik-channels .ik-chart .main-svg", timeout=UPDATE)

    # readers per post 150 -> 300: the headline changes from 502 to 748 billion, then the
    # live channel chart's title
    start = time.perf_counter()
    _type(page, ".ik-readers-per-post", "300")
    _wait_headline(page, "748 billion")
    seconds = time.perf_counter() - start
    page.wait_for_function(
        "() => document.querySelector('.ik-channels .ik-chart .gtitle')?.textContent"
        ".includes('748 billion')",
        timeout=UPDATE,
    )
    figure = time.perf_counter() - start
    record_property("seconds_from_change_to_headline", round(seconds, 2))
    record_property("seconds_from_change_to_figure", round(figure, 2))
    sys.stderr.write(
        f"\nexplorer: control change to updated headline in {seconds:.2f} s, "
        f"to updated figure in {figure:.2f} s\n"
    )
    assert page.locator(".ik-readers-slider .slider-container, .ik-readers-slider").count() > 0
    assert _shown(page)["total_impressions"] == 748e9

    # bad values: an inline message, the headline unchanged
    for bad in ("-5", "", "many"):
        _type(page, ".ik-network-impressions", bad)
        page.wait_for_selector(".ik-message [role=alert], .ik-message .ik-message", timeout=UPDATE)
        assert "Not updated" in page.inner_text(".ik-message")
        assert "network impressions" in page.inner_text(".ik-message").lower()
        assert _headline(page) == "748 billion"
    _type(page, ".ik-network-impressions", "256,000,000,000")
    page.wait_for_function(
        "() => !document.querySelector('.ik-message')?.textContent.includes('Not updated')",
        timeout=UPDATE,
    )
    assert _headline(page) == "748 billion"
    assert "Traceback" not in page.inner_text("body")

    # download the state and round-trip it through `influence-kit account`
    _type(page, ".ik-readers-blog-posts", "420")
    page.wait_for_function(
        "() => document.querySelector('.ik-headline-value').textContent !== '748 billion'",
        timeout=UPDATE,
    )
    shown = _shown(page)
    with page.expect_download() as info:
        page.click(".ik-download-link")
    saved = app["folder"] / "downloaded.yaml"
    info.value.save_as(saved)
    figures = account_json(saved)
    assert figures["readers_per_post_by_type"]["blog_posts"] == 420
    for key, value in shown.items():
        assert figures[key] == value, key  # to the last digit
    assert _headline(page) == format_quantity(figures["total_impressions"], "impressions")

    # another scenario: the figures are those of `influence-kit account --json`
    page.locator(".ik-scenario select").select_option("skeptic-us-2009")
    expected = account_json("skeptic-us-2009")
    _wait_headline(page, format_quantity(expected["total_impressions"], "impressions"))
    assert page.locator(".ik-readers-per-post input").input_value() == "50"
    for key, value in _shown(page).items():
        assert expected[key] == value, key
    total = format_quantity(expected["total_impressions"], "impressions")
    page.wait_for_function(
        "t => document.querySelector('.ik-channels .ik-chart .gtitle')?.textContent.includes(t)",
        arg=total,
        timeout=UPDATE,
    )
    assert errors == []
    page.close()


def _lab(folder: Path, port: int, token: str) -> subprocess.Popen:
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR"):
        env[name] = str(folder / name.lower())
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(folder / "workspaces")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--ServerApp.port_retries=0",
            "--allow-root",  # CI containers run as root
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.mark.slow
def test_jupyterlab_runs_the_explorer_notebook_with_live_widgets(browser, root, tmp_path):
    shutil.copy(root / "notebooks" / "00-explore.ipynb", tmp_path / "00-explore.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    server = _lab(tmp_path, port, token)
    try:
        deadline = time.monotonic() + 120
        while not _listening(port):
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "JupyterLab did not start"
            time.sleep(0.3)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"http://127.0.0.1:{port}/lab/tree/00-explore.ipynb?token={token}")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.sessionContext"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel",
            timeout=120_000,
        )
        page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"
            " === 'idle'",
            timeout=120_000,
        )
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # the widgets render as widgets (a DOM element), not as their text fallback
        page.wait_for_selector(".jp-OutputArea .ik-headline-value", timeout=180_000)
        assert page.locator(".jp-OutputArea .widget-dropdown select").count() == 1
        assert "VBox(children=" not in page.inner_text(".jp-Notebook")
        assert page.inner_text(".jp-OutputArea .ik-headline-value") == "502 billion"
        field = page.locator(".jp-OutputArea .ik-readers-per-post input")
        field.fill("300")
        field.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('.jp-OutputArea .ik-headline-value')"
            "?.textContent === '748 billion'",
            timeout=UPDATE,
        )
        assert errors == []
        page.close()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    assert not _listening(port)
