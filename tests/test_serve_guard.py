"""`trd-tui serve` refuses what is not the clinician's own tab: as an attacker would try it.

Real aiohttp clients talk to the real server (trd_tui.ui.serve.GuardedServer) on 127.0.0.1; the
accepted connections start real app processes. The browser itself is in test_serve_browser.py.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from trd_tui.ui.serve import CLOSE_TOO_MANY, TEMPLATES, GuardedServer, app_command

pytestmark = pytest.mark.e2e  # a server, and app processes for the connections it accepts

SCREEN_TIMEOUT = 60  # seconds for an app process to draw its first screen; the suite runs alongside
DEMO_LABEL = b"Demo patient"  # at 80 columns the header cuts the rest of the label ("Demo patient (f…")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def served():
    """(server, client) for `trd-tui --demo` served on 127.0.0.1, at most 1 app at once."""
    port = free_port()
    server = GuardedServer(
        app_command(["--demo"], python=sys.executable),
        host="127.0.0.1",
        port=port,
        max_sessions=1,
        title="trd-tui",
        templates_path=TEMPLATES,
    )
    client = TestClient(TestServer(await server._make_app(), host="127.0.0.1", port=port))
    await client.start_server()
    try:
        yield server, client
    finally:
        await ended(server)
        await client.close()


async def ended(server: GuardedServer) -> None:
    """Wait until every app the server started has ended (their tabs are closed) and been reaped."""
    async with asyncio.timeout(SCREEN_TIMEOUT):
        while server.sessions or children():
            await asyncio.sleep(0.05)


def children() -> list[str]:
    """This process's child processes, zombies included (Linux)."""
    return [pid for task in Path(f"/proc/{os.getpid()}/task").iterdir() for pid in (task / "children").read_text().split()]


def origin(server: GuardedServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def first_screen(websocket: aiohttp.ClientWebSocketResponse) -> bytes:
    """What the app drew until its screen shows the demo's patient label (bounded in time)."""
    received = b""
    async with asyncio.timeout(SCREEN_TIMEOUT):
        while DEMO_LABEL not in received:
            message = await websocket.receive()
            assert message.type == aiohttp.WSMsgType.BINARY or message.type == aiohttp.WSMsgType.TEXT, message
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
    return received


async def test_the_page_and_its_files_need_the_token(served) -> None:
    server, client = served
    for path in ("/", "/?token=", "/?token=guess", f"/?token={server.token}x", "/static/js/textual.js", "/static/"):
        response = await client.get(path)
        assert response.status == 403, path
        assert server.token not in await response.text()
    page = await client.get(f"/?token={server.token}")
    assert page.status == 200
    html = await page.text()
    assert f'"/ws/{server.token}"' in html  # the page hands the token on to its websocket
    assert page.headers["Referrer-Policy"] == "no-referrer"  # the token never leaves in a Referer
    script = await client.get(f"/static/js/textual.js?token={server.token}")
    assert script.status == 200


async def test_the_websocket_needs_the_token(served) -> None:
    server, client = served
    for path in ("/ws", "/ws?token=guess", "/ws/guess"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(path, origin=origin(server))
        assert refused.value.status == 403, path
    assert server.sessions == 0


async def test_another_web_page_is_refused(served) -> None:
    # What a page at evil.example open in the clinician's browser sends, if it guessed the token.
    server, client = served
    for foreign in ("http://evil.example", "null", f"http://localhost:{server.port}.evil.example", f"https://127.0.0.1:{server.port}"):
        page = await client.get(f"/?token={server.token}", headers={"Origin": foreign})
        assert page.status == 403, foreign
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(f"/ws/{server.token}", origin=foreign)
        assert refused.value.status == 403, foreign
    # A websocket without any Origin is no browser's: refused too.
    for no_origin in ({}, {"Origin": ""}):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(f"/ws/{server.token}", headers=no_origin)
        assert refused.value.status == 403
    assert server.sessions == 0


async def test_a_foreign_host_name_is_refused(served) -> None:
    # DNS rebinding: evil.example resolves to 127.0.0.1, so the browser thinks this is evil.example's
    # own server and sends Host and Origin both naming evil.example.
    server, client = served
    for host in (f"evil.example:{server.port}", f"127.0.0.1:{server.port + 1}", "127.0.0.1", "a b"):
        same = {"Host": host, "Origin": f"http://{host}"}
        page = await client.get(f"/?token={server.token}", headers=same)
        assert page.status == 403, host
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(f"/ws/{server.token}", headers=same)
        assert refused.value.status == 403, host
    for host in (f"localhost:{server.port}", f"[::1]:{server.port}"):  # this machine's own names
        page = await client.get(f"/?token={server.token}", headers={"Host": host})
        assert page.status == 200, host


async def test_the_tab_with_the_token_gets_the_app_and_one_too_many_is_refused(served) -> None:
    server, client = served
    first = await client.ws_connect(f"/ws/{server.token}?width=100&height=30", origin=origin(server))
    try:
        assert DEMO_LABEL in await first_screen(first)
        assert server.sessions == 1
        # The limit is 1 here: the next tab gets a reason, which the page shows, and no app.
        second = await client.ws_connect(f"/ws/{server.token}", origin=origin(server))
        async with asyncio.timeout(SCREEN_TIMEOUT):
            message = await second.receive()
        assert message.type == aiohttp.WSMsgType.CLOSE
        assert second.close_code == CLOSE_TOO_MANY
        assert message.extra == "Too many tabs: this server runs the app in at most 1 at once. Close one, then Restart."
        assert server.sessions == 1
    finally:
        await first.close()
    await ended(server)  # closing the first tab ends its app, which makes room again
    third = await client.ws_connect(f"/ws/{server.token}", origin=origin(server))
    try:
        assert DEMO_LABEL in await first_screen(third)
    finally:
        await third.close()


def test_every_start_makes_a_new_token() -> None:
    def token() -> str:
        return GuardedServer("true", host="127.0.0.1", port=1, max_sessions=1).token

    tokens = {token() for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 40 for t in tokens)
