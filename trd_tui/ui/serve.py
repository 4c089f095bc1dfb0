"""``trd-tui serve``: the app in a browser tab, through textual-serve, for sharing a screen.

textual-serve runs a small web server; every browser connection starts its own app process
(``python -m trd_tui ...`` with the options the user gave) and relays its screen to xterm.js in
the page. It has no authentication, so it listens on 127.0.0.1 unless told otherwise, and says
loudly what another address means. The page is trd-tui's own copy of textual-serve's template,
so the browser loads nothing from outside this machine (see serve_templates/app_index.html).
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import shlex
import socket
import sys
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

TEMPLATES = Path(__file__).with_name("serve_templates")
EXIT_OK, EXIT_CANNOT_LISTEN = 0, 2


class QuietServer(Server):
    """textual-serve's server without its banner and request log.

    trd-tui prints its own URL and warnings; a log line for every request would only be noise on
    a screen that may be shared. Problems (an app that failed to start) are still logged.
    """

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="trd-tui serve: %(message)s", stream=sys.stderr)

    async def on_startup(self, app: web.Application) -> None:
        pass


def app_command(app_args: list[str], python: str = sys.executable) -> str:
    """The shell command textual-serve runs for each connection (it runs it through /bin/sh)."""
    return shlex.join([python, "-m", "trd_tui", *app_args])


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def page_url(host: str, port: int) -> str:
    """The address to open on this machine."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}/"
    if address.is_unspecified:  # 0.0.0.0 or ::, every interface; this machine is 127.0.0.1
        return f"http://127.0.0.1:{port}/"
    return f"http://[{host}]:{port}/" if address.version == 6 else f"http://{host}:{port}/"


def exposure_warning(host: str, port: int) -> str:
    return (
        f"trd-tui: WARNING: serving on {host}, not only on this machine.\n"
        f"  Anyone who can reach port {port} of this machine gets the app as you: they can see and change\n"
        "  this patient's data and open any session file your account can read.\n"
        "  There is no password (textual-serve has no authentication) and no encryption (plain http).\n"
        "  Use --host only on a network you trust, and stop the server (Ctrl+C) after the consultation."
    )


def listen_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, or None when it can.

    Tried before serving, so a taken port gets one clear sentence instead of a traceback after
    the URL has already been printed. Binds each address the server will bind, with the same
    SO_REUSEADDR, and lets go at once.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"cannot listen on {host!r}: {exc.strerror}"
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                return explain_listen_error(exc, host, port)
    return None


def explain_listen_error(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use on {host} (another trd-tui serve?); choose another with --port N"
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port} (ports below 1024 need root); choose --port 1024 to 65535"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine; leave out --host to serve on 127.0.0.1"
    return f"cannot listen on {host} port {port}: {exc.strerror or exc}"


def serve(app_args: list[str], host: str, port: int) -> int:
    """Serve ``trd-tui APP_ARGS`` on host:port until Ctrl+C; the exit code."""
    if not is_loopback(host):
        print(exposure_warning(host, port), file=sys.stderr)
    problem = listen_problem(host, port)
    if problem is not None:
        print(f"trd-tui: {problem}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    # title: the page and tab show "trd-tui", never the command line with the file's name.
    server = QuietServer(app_command(app_args), host=host, port=port, title="trd-tui", templates_path=TEMPLATES)
    print(f"trd-tui: serving at {page_url(host, port)}", flush=True)
    print("Each browser tab runs its own copy of the app. Ctrl+C stops the server.", flush=True)
    try:
        server.serve()
    except OSError as exc:  # the port was taken between the check above and now
        print(f"trd-tui: {explain_listen_error(exc, host, port)}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    return EXIT_OK
