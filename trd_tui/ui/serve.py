"""``trd-tui serve``: the app in a browser tab, through textual-serve, for sharing a screen.

textual-serve runs a small web server; every browser connection starts its own app process
(``python -m trd_tui ...`` with the options the user gave) and relays its screen to xterm.js in
the page. textual-serve has no authentication of its own, so ``GuardedServer`` adds it (see
docs/security.md): a secret token made at each start and printed in the URL, a Host check (no
DNS rebinding), an Origin check (no other web page), and a limit on the number of apps at once.
It listens on 127.0.0.1 unless told otherwise, and says loudly what another address means. The
page is trd-tui's own copy of textual-serve's template, so the browser loads nothing from outside
this machine (see serve_templates/app_index.html).
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int
from yarl import URL

TEMPLATES = Path(__file__).with_name("serve_templates")
EXIT_OK, EXIT_CANNOT_LISTEN = 0, 2
# WebSocket close code for "too many tabs"; 4000-4999 are the application's own.
CLOSE_TOO_MANY = 4003
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
NO_TOKEN = (
    "403: this page needs the address that `trd-tui serve` printed, with its token "
    "(a new one at every start of the server)."
)


class QuietServer(Server):
    """textual-serve's server without its banner and request log.

    trd-tui prints its own URL and warnings; a log line for every request would only be noise on
    a screen that may be shared. Problems (an app that failed to start) are still logged.
    """

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="trd-tui serve: %(message)s", stream=sys.stderr)

    async def on_startup(self, app: web.Application) -> None:
        pass


class GuardedServer(QuietServer):
    """The server, refusing (403) every request that does not prove it comes from the clinician.

    Every request needs the token (``?token=`` on the page and its files; the websocket carries it
    as its last path segment, because textual.js appends its own query string to that URL), a
    Host naming this server (a name that the attacker's DNS points here does not), and, if it has
    an Origin, this server's own origin; a websocket must have one (browsers always send it).
    At most ``max_sessions`` apps run at once; a connection beyond that is closed with a reason,
    which the page shows. textual.js asks for an app's file downloads (``/download/KEY``) without
    the token, so they are refused too; trd-tui delivers no files through the browser.
    """

    def __init__(self, command: str, *, host: str, port: int, max_sessions: int, **options) -> None:
        super().__init__(command, host=host, port=port, **options)
        self.token = secrets.token_urlsafe(32)
        self.max_sessions = max_sessions
        self.sessions = 0  # apps running now; the server's one event loop is the only writer

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{token}", self.handle_websocket, name="websocket_with_token")
        app.middlewares.append(self.guard)
        return app

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        problem = self.refusal(request)
        if problem is not None:
            raise web.HTTPForbidden(text=problem, headers={"Cache-Control": "no-store"})
        response = await handler(request)
        if not response.prepared:  # a websocket's headers have already gone
            # The token is in the address: no Referer may carry it anywhere, no cache keeps it.
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["Cache-Control"] = "no-store"
            response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response

    def refusal(self, request: web.Request) -> str | None:
        """Why the request is refused, or None. Says what is wrong, never what would be right."""
        host = _parse_host(request.host)
        if host is None or not self.serves(host):
            return "403: this server answers only at the address `trd-tui serve` printed."
        origin = request.headers.get("Origin")
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        if (origin is not None or websocket) and not _same_origin(origin, host):
            return "403: another web page may not use this server."
        given = request.match_info.get("token") or request.query.get("token", "")
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return NO_TOKEN
        return None

    def serves(self, host: URL) -> bool:
        """Whether a request for ``host`` (from its Host header) is meant for this server.

        An IP address or localhost cannot be a name that an attacker's DNS points at this
        machine (DNS rebinding); the name the server was told to listen on was chosen by the user.
        """
        if host.port != self.port:
            return False
        name = host.host
        if name in LOCAL_NAMES or name == self.host.strip("[]").lower():
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return _unspecified(self.host)  # listening everywhere: any of this machine's addresses

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with the token in its own files' addresses (see serve_templates/app_index.html)."""
        context = {
            "application": {"name": self.title},
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "token": self.token,
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if self.sessions >= self.max_sessions:
            return await _refuse_websocket(request, self.too_many_message())
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    def too_many_message(self) -> str:
        # A WebSocket close reason holds at most 123 bytes.
        return f"Too many tabs: this server runs the app in at most {self.max_sessions} at once. Close one, then Restart."


async def _refuse_websocket(request: web.Request, reason: str) -> web.WebSocketResponse:
    """Accept the connection only to close it with a reason, which the page shows (no app starts)."""
    websocket = web.WebSocketResponse()
    await websocket.prepare(request)
    await websocket.close(code=CLOSE_TOO_MANY, message=reason.encode())
    return websocket


def _parse_host(header: str) -> URL | None:
    try:
        url = URL(f"http://{header}")
    except ValueError:
        return None
    if url.host is None or url.user is not None or url.path not in ("", "/") or url.query_string:
        return None
    return url


def _same_origin(origin: str | None, host: URL) -> bool:
    if origin is None:
        return False
    try:
        url = URL(origin)
    except ValueError:
        return False
    return url.scheme == "http" and url.host == host.host and url.port == host.port and url.path in ("", "/")


def _unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def app_command(app_args: list[str], python: str = sys.executable) -> str:
    """The shell command textual-serve runs for each connection (it runs it through /bin/sh).

    ``exec``: the shell becomes the app, so each tab is one process, not two.
    """
    return "exec " + shlex.join([python, "-m", "trd_tui", *app_args])


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def page_url(host: str, port: int, token: str = "") -> str:
    """The address to open on this machine (with the token, when given)."""
    query = f"?token={token}" if token else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}/{query}"
    if address.is_unspecified:  # 0.0.0.0 or ::, every interface; this machine is 127.0.0.1
        return f"http://127.0.0.1:{port}/{query}"
    return f"http://[{host}]:{port}/{query}" if address.version == 6 else f"http://{host}:{port}/{query}"


def exposure_warning(host: str, port: int) -> str:
    return (
        f"trd-tui: WARNING: serving on {host}, not only on this machine.\n"
        f"  Anyone who can reach port {port} of this machine gets the app as you: they can see and change\n"
        "  this patient's data and open any session file your account can read, if they learn the address\n"
        "  with its token. There is no encryption (plain http): anyone on the network path can read the\n"
        "  token and the screen. Use --host only on a network you trust, and stop the server (Ctrl+C)\n"
        "  after the consultation."
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


def serve(app_args: list[str], host: str, port: int, max_sessions: int) -> int:
    """Serve ``trd-tui APP_ARGS`` on host:port until Ctrl+C; the exit code."""
    if not is_loopback(host):
        print(exposure_warning(host, port), file=sys.stderr)
    problem = listen_problem(host, port)
    if problem is not None:
        print(f"trd-tui: {problem}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    # title: the page and tab show "trd-tui", never the command line with the file's name.
    server = GuardedServer(
        app_command(app_args), host=host, port=port, max_sessions=max_sessions, title="trd-tui", templates_path=TEMPLATES
    )
    print(f"trd-tui: serving at {page_url(host, port, server.token)}", flush=True)
    print(
        f"Open that address (its token changes at every start). Each browser tab runs its own copy of the app,\n"
        f"at most {max_sessions} at once. Ctrl+C stops the server.",
        flush=True,
    )
    try:
        server.serve()
    except OSError as exc:  # the port was taken between the check above and now
        print(f"trd-tui: {explain_listen_error(exc, host, port)}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    return EXIT_OK
