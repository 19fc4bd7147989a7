"""``influence-kit explore``: serve the interactive explorer as a web app (Voila).

The app is the notebook ``influence_kit/resources/app/explorer.ipynb``, which calls
:func:`influence_kit.explorer.widgets.explorer_app`; Voila runs it in a kernel and shows its
widgets, never its code. The server listens on 127.0.0.1 only and runs in its own
process group, so Ctrl-C (or SIGTERM) reaches this command, which stops the server
before it exits (code 130, or 143 for SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from ..errors import InfluenceKitError
from ..formatting import format_value
from .common import add_list_option, mark_path

EPILOG = """examples:
  influence-kit explore
  influence-kit explore --scenario my-scenario.yaml --port 8866 --no-browser
"""

#: Host the app listens on (never a public interface).
HOST = "127.0.0.1"

#: The app's Voila template (``resources/app/voila/templates``): Voila's lab template
#: without style sheets from a CDN.
TEMPLATE = "influence_kit"

#: JupyterLab extensions not loaded in the app's page.
UNUSED_EXTENSIONS = ["jupyterlab-jupytext", "@voila-dashboards/jupyterlab-preview"]

#: Seconds to wait for the server to listen, and for it to stop once asked.
START_TIMEOUT = 120.0
STOP_TIMEOUT = 10.0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explore`` subcommand."""
    parser = subparsers.add_parser(
        "explore",
        help="serve the interactive explorer in the browser (Voila)",
        description="Serve the explorer as a web app with Voila on 127.0.0.1: pick a "
        "scenario, change readers per post, the channel totals and the concentration "
        "threshold, and see the headline, its decomposition, the break-even readers per "
        "post, the Monte Carlo interval of the total and who makes the impressions; "
        "download the state as a scenario YAML file. Prints the URL; Ctrl-C stops the "
        "server (exit code 130).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mark_path(
        add_list_option(
            parser,
            "--scenario",
            dest="scenarios",
            default=[],
            metavar="PATH",
            help="scenario YAML files to offer besides the shipped scenarios (shown first)",
        ),
        "input file",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=None,
        metavar="N",
        help="port to listen on (default: a free port)",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="print the URL only, do not open a browser"
    )
    parser.set_defaults(handler=run)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, got {port}")
    return port


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def voila_command(notebook: Path, port: int) -> list[str]:
    """The command that serves ``notebook`` with Voila on :data:`HOST` and ``port``."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        "--no-browser",
        f"--Voila.ip={HOST}",
        "--Voila.log_level=WARN",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        f"--VoilaConfiguration.template={TEMPLATE}",
        # JupyterLab extensions that fail to load in Voila's page (jupytext's needs
        # modules only JupyterLab provides); one flag per item, as traitlets 5 wants.
        *[f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS],
    ]


#: Lines the server and its kernels log at every start that say nothing to the user of
#: the app: the app's own notebook is unsigned, its kernel talks to the server over TCP
#: on 127.0.0.1 only, and jupyter_server's websocket ping default is one tornado trims
#: (two lines, once per server).
ROUTINE_SERVER_LINES = (
    "is not trusted",
    "Kernel is running over TCP without encryption",
    "websocket_ping_timeout",
)


def _relay_stderr(process: subprocess.Popen[bytes]) -> threading.Thread:
    """Pass the server's stderr on to ours, less :data:`ROUTINE_SERVER_LINES`."""

    def relay() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if not any(routine.encode() in line for routine in ROUTINE_SERVER_LINES):
                sys.stderr.write(line.decode("utf-8", "replace"))
                sys.stderr.flush()

    thread = threading.Thread(target=relay, name="influence-kit-voila-stderr", daemon=True)
    thread.start()
    return thread


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its kernels: SIGTERM to its process group, then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:  # pragma: no cover - exited meanwhile
        return
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def run(args: argparse.Namespace) -> int:
    """Run ``explore``: start Voila, print the URL, wait until interrupted."""
    from ..errors import ScenarioError
    from ..explorer.widgets import SCENARIOS_ENV, WIDGETS_ENV
    from ..package_data import resource_path
    from ..scenarios import load_scenario
    from ..validation import check_input_file

    paths = [
        check_input_file(p, "scenario YAML file", error=ScenarioError).resolve()
        for p in args.scenarios
    ]
    for path in paths:
        load_scenario(path)  # a broken file fails here, not inside the app
    port = args.port if args.port is not None else free_port()
    if _port_in_use(port):
        raise InfluenceKitError(f"port {port} is in use; choose another with --port")
    env = dict(os.environ)
    env[WIDGETS_ENV] = "1"
    env[SCENARIOS_ENV] = os.pathsep.join(str(p) for p in paths)
    # Voila finds the app's template in <JUPYTER_PATH entry>/voila/templates.
    app_dir = resource_path("app")
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(app_dir), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    )
    notebook = app_dir / "explorer.ipynb"
    previous = signal.signal(signal.SIGTERM, _terminated)
    process = subprocess.Popen(
        voila_command(notebook, port),
        env=env,
        cwd=str(notebook.parent),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _relay_stderr(process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(port):
            if process.poll() is not None:
                raise InfluenceKitError(f"the Voila server exited with code {process.returncode}")
            if time.monotonic() > deadline:
                raise InfluenceKitError(
                    f"the Voila server did not start in {format_value(START_TIMEOUT)} s"
                )
            time.sleep(0.2)
        url = f"http://{HOST}:{port}/"
        sys.stdout.write(f"Explorer running at {url} (Ctrl-C stops it)\n")
        sys.stdout.flush()
        if not args.no_browser:
            import webbrowser

            webbrowser.open(url)
        code = process.wait()
        raise InfluenceKitError(f"the Voila server stopped with code {code}")
    finally:
        stop(process)
        signal.signal(signal.SIGTERM, previous)
