"""``influence-kit explore``: serve the interactive explorer as a web app (Voila).

The app is the notebook ``influence_kit/resources/app/explorer.ipynb``, which calls
:func:`influence_kit.explorer.widgets.explorer_app`; Voila runs it in a kernel and shows its
widgets, never its code. The server listens on 127.0.0.1 only and runs in its own
process group, so Ctrl-C (or SIGTERM) reaches this command, which stops the server
before it exits (code 130, or 143 for SIGTERM).

The server answers only its own name. Voila's own server allows remote access, so it
would answer any ``Host`` header (a page using DNS rebinding would get the app and a
kernel); here jupyter_server's own check is turned back on (``allow_remote_access`` off,
``local_hostnames`` just ``localhost``), and a page request passes :class:`PageGate`
(Voila's ``prelaunch_hook``) before its kernel starts: Host must be one of
:data:`LOCAL_NAMES`, an ``Origin`` must be the same, and a page another site asks for
(``Sec-Fetch-Site`` cross-site, not a top-level navigation) is refused. Every page starts
a kernel (about 330 MB): at most ``--max-pages`` run at once (HTTP 503 beyond), and
jupyter_server's culler shuts down a kernel whose page never connected or has gone
after ``--cull-after`` idle seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from ..errors import InfluenceKitError
from ..formatting import format_value
from .common import add_list_option, integer_value, mark_path

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

#: The names the app answers to (``Host`` without its port); anything else gets 403.
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")

#: Default bound on the kernels (open pages) the server runs at once (``--max-pages``).
MAX_PAGES = 4

#: Default idle seconds after which the kernel of a page that never connected, or whose
#: page has gone, is shut down (``--cull-after``); a connected page is never culled.
CULL_AFTER = 30

#: Python run as the server process: Voila with :func:`serve`'s configuration.
SERVE_CODE = "import sys; from influence_kit.cli.explore import serve; serve(sys.argv[1:])"


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
    parser.add_argument(
        "--max-pages",
        type=_positive_integer,
        default=MAX_PAGES,
        metavar="N",
        help="pages (kernels, about 330 MB each) served at once; more are refused with "
        f"HTTP 503 (default: {MAX_PAGES})",
    )
    parser.add_argument(
        "--cull-after",
        type=_positive_integer,
        default=CULL_AFTER,
        metavar="SECONDS",
        help="shut down the kernel of a page that never connected or has gone after this "
        f"many idle seconds (default: {CULL_AFTER})",
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


def _positive_integer(text: str) -> int:
    value = integer_value(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


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


def voila_command(
    notebook: Path, port: int, *, max_pages: int = MAX_PAGES, cull_after: int = CULL_AFTER
) -> list[str]:
    """The command that serves ``notebook`` with Voila on :data:`HOST` and ``port``.

    Parameters
    ----------
    notebook : Path
        The app notebook.
    port : int
        The port to listen on; taken or not, Voila tries no other.
    max_pages : int
        At most this many kernels at once (:func:`serve`).
    cull_after : int
        Idle seconds after which a kernel without a connected page is shut down.

    Returns
    -------
    list of str
        The command (Python running :data:`SERVE_CODE`, then Voila's arguments).
    """
    return [
        sys.executable,
        "-c",
        SERVE_CODE,
        f"--max-pages={max_pages}",
        str(notebook),
        f"--port={port}",
        "--Voila.port_retries=0",
        "--no-browser",
        f"--Voila.ip={HOST}",
        # read no voila.py/voila.json of the user's: the app's configuration is all here
        f"--Voila.config_file_paths={notebook.parent}",
        # culling: kernels whose page never connected or has gone, checked every few s
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        f"--MappingKernelManager.cull_interval={max(1, min(5, cull_after // 2))}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        "--Voila.log_level=WARN",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        f"--VoilaConfiguration.template={TEMPLATE}",
        # JupyterLab extensions that fail to load in Voila's page (jupytext's needs
        # modules only JupyterLab provides); one flag per item, as traitlets 5 wants.
        *[f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS],
    ]


def _host_name(host: str) -> str:
    """``host`` (a Host header or an URL's netloc) without its port, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def refusal(headers: Any) -> tuple[int, str] | None:
    """Why a page request with these headers is refused (status, reason), or None.

    Parameters
    ----------
    headers : mapping
        The request's HTTP headers (``Host``, ``Origin``, ``Sec-Fetch-Site``,
        ``Sec-Fetch-Dest``); names as HTTP sends them.

    Returns
    -------
    tuple of (int, str) or None
        ``(403, reason)`` for a Host not in :data:`LOCAL_NAMES`, an Origin other than the
        Host, or a sub-resource another site asks for; None to serve the page.
    """
    host = headers.get("Host") or ""
    if _host_name(host) not in LOCAL_NAMES:
        return 403, f"Host {host!r} is not one of {', '.join(LOCAL_NAMES)}"
    origin = headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin.strip().lower())
        if parts.scheme != "http" or parts.netloc != host.strip().lower():
            return 403, f"Origin {origin!r} is not this server ({host})"
    site = (headers.get("Sec-Fetch-Site") or "").lower()
    if site in ("cross-site", "same-site") and headers.get("Sec-Fetch-Dest") != "document":
        return 403, f"a {site} request for {headers.get('Sec-Fetch-Dest') or 'a resource'}"
    return None


class PageGate:
    """Voila's ``prelaunch_hook``: refuse a page before its kernel starts.

    Parameters
    ----------
    max_pages : int
        Kernels that may run at once; a page beyond it gets HTTP 503.
    """

    def __init__(self, max_pages: int) -> None:
        self.max_pages = max_pages
        #: Pages admitted and not yet served; their kernels may not be listed yet, so
        #: they count on their own (a page being served counts twice: the bound errs
        #: on the side of fewer kernels).
        self.rendering: set[int] = set()

    def __call__(self, request_handler: Any, notebook: Any, cwd: str) -> None:
        from tornado.web import HTTPError

        refused = refusal(request_handler.request.headers)
        if refused is not None:
            raise HTTPError(refused[0], refused[1])
        manager = request_handler.kernel_manager
        running = len(manager.list_kernel_ids())
        # pages admitted whose kernel is not listed yet count too (requests in flight)
        if running + len(self.rendering) >= self.max_pages:
            raise HTTPError(
                503,
                f"{running} pages are open, the most this explorer serves at once "
                f"(--max-pages); close one, or wait for a closed page's kernel to stop",
            )
        # tornado calls on_finish when the page is served (or failed), and
        # on_connection_close when the browser went away first
        key = id(request_handler)
        self.rendering.add(key)
        for name in ("on_finish", "on_connection_close"):
            setattr(request_handler, name, self._releasing(key, getattr(request_handler, name)))

    def _releasing(self, key: int, method: Any) -> Any:
        def release() -> None:
            self.rendering.discard(key)
            method()

        return release


def serve(argv: list[str]) -> None:
    """Run Voila with ``argv`` (after ``--max-pages=N``): the server process of the app.

    Sets what the command line cannot: jupyter_server's Host check back on (Voila turns
    it off) and :class:`PageGate` as the prelaunch hook, which bounds the kernels.

    Parameters
    ----------
    argv : list of str
        ``--max-pages=N``, then Voila's command line (see :func:`voila_command`).
    """
    from jupyter_server import DEFAULT_STATIC_FILES_PATH
    from traitlets.config import Config
    from voila.app import Voila

    max_pages = int(argv[0].split("=", 1)[1])
    config = Config()
    config.Voila.tornado_settings = {
        "allow_remote_access": False,
        "local_hostnames": ["localhost"],
        # jupyter_server's error page (a 403 of its Host check, a 404 of the kernel API)
        # needs it; without it the page fails with a traceback on stderr
        "static_path": DEFAULT_STATIC_FILES_PATH,
    }
    config.VoilaConfiguration.prelaunch_hook = PageGate(max_pages)
    Voila.launch_instance(argv=argv[1:], config=config)


#: Lines the server and its kernels log at every start that say nothing to the user of
#: the app: the app's own notebook is unsigned, its kernel talks to the server over TCP
#: on 127.0.0.1 only, and jupyter_server's websocket ping default is one tornado trims
#: (two lines, once per server).
ROUTINE_SERVER_LINES = (
    "is not trusted",
    "Kernel is running over TCP without encryption",
    "websocket_ping_timeout",
)


#: Server log lines about a refused request, rewritten by :func:`server_line`: the Host
#: check of jupyter_server, tornado's log of an HTTP error with its reason, and its access
#: log line of the same request (dropped: the reason line says it all).
_HOST_REFUSED = re.compile(r"Blocking request with non-local 'Host' .*? \((.*?)\)\. ")
_PAGE_REFUSED = re.compile(r"^(403|503) [A-Z]+ \S+ \([^)]*\): (.*)$")
_ACCESS_REFUSED = re.compile(r"^(403|503) [A-Z]+ \S+ \([^)]*\) [\d.]+ms$")
#: jupyter_server's culler at work: routine, by design (``--cull-after``).
_CULLED = "Culling '"


def server_line(line: str, url: str) -> str | None:
    """What the server's stderr ``line`` becomes on ours; None drops it.

    A refused request becomes one line that says why and where the explorer answers
    (``url``); the server's routine lines (:data:`ROUTINE_SERVER_LINES`, culled kernels,
    the access log of refused requests) are dropped; anything else passes unchanged.

    Parameters
    ----------
    line : str
        One line of the server's stderr, with its newline.
    url : str
        The explorer's URL.

    Returns
    -------
    str or None
        The line to write, or None.
    """
    text = line.strip()
    if any(routine in text for routine in ROUTINE_SERVER_LINES) or _CULLED in text:
        return None
    if _ACCESS_REFUSED.match(text) or text.endswith("wrote error: 'Forbidden'"):
        return None
    host = _HOST_REFUSED.search(text)
    if host:
        return (
            f"influence-kit explore: refused a request for Host {host.group(1)!r} "
            f"(HTTP 403); the explorer answers only at {url} (or localhost, [::1])\n"
        )
    page = _PAGE_REFUSED.match(text)
    if page:
        return (
            f"influence-kit explore: refused a page (HTTP {page.group(1)}): "
            f"{page.group(2)}; the explorer answers at {url}\n"
        )
    return line


def _relay_stderr(process: subprocess.Popen[bytes], url: str) -> threading.Thread:
    """Pass the server's stderr on to ours through :func:`server_line`.

    A refusal repeated word for word is written once (a page may retry in a loop).
    """

    def relay() -> None:
        assert process.stderr is not None
        written: set[str] = set()
        for raw in process.stderr:
            line = server_line(raw.decode("utf-8", "replace"), url)
            if line is None or line in written:
                continue
            if line.startswith("influence-kit explore: refused"):
                written.add(line)
            sys.stderr.write(line)
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
    # JSON: a path may hold os.pathsep (``:``) itself
    env[SCENARIOS_ENV] = json.dumps([str(p) for p in paths])
    # Voila finds the app's template in <JUPYTER_PATH entry>/voila/templates.
    app_dir = resource_path("app")
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(app_dir), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    )
    notebook = app_dir / "explorer.ipynb"
    previous = signal.signal(signal.SIGTERM, _terminated)
    process = subprocess.Popen(
        voila_command(notebook, port, max_pages=args.max_pages, cull_after=args.cull_after),
        env=env,
        cwd=str(notebook.parent),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://{HOST}:{port}/"
    _relay_stderr(process, url)
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
