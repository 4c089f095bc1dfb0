"""End to end: `trd-tui serve --demo` in headless Chromium, as a clinician sharing a tab sees it.

Debian's chromium (installed by tests/setup_browser.sh, which `make test` runs) is driven by
Playwright through its executable path; Playwright's own browser downloads are never used. The
test is skipped, with the reason, only when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT = 30  # seconds; generous because the whole suite runs alongside on few cores

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing and could not be installed (tests/setup_browser.sh says why)",
)

# textual-serve's textual.js keeps its xterm.js Terminal in a closure (`this.terminal = new
# Terminal(...)`) and draws it on a canvas, so the screen's text is in no DOM node. This runs
# before the page's scripts: the first `.terminal =` assignment of an xterm Terminal is caught by
# a setter on Object.prototype, which keeps the object on window and then removes itself.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && typeof value.onData === "function" && value.buffer) {
      window.__trdTerminal = value;
      delete Object.prototype.terminal;
    }
  },
});
"""
# The rows on screen, read from xterm's own buffer: exactly what it draws.
SCREEN_TEXT = """() => {
  const terminal = window.__trdTerminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y).translateToString(true));
  return rows.join("\\n");
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_line_matching(process: subprocess.Popen[str], pattern: str, timeout: float) -> re.Match[str]:
    """The first stdout line matching pattern, without ever blocking past the deadline."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if match := re.search(pattern, line):
            return match
    raise AssertionError(f"no line matching {pattern!r}; stdout: {seen}, stderr: {stop(process)}")


def stop(process: subprocess.Popen[str]) -> str:
    """Stop the server and every app it started (one process group), as Ctrl+C would; its stderr."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # any app process still running
    except ProcessLookupError:
        pass
    process.wait(timeout=10)
    return process.stderr.read()


@pytest.fixture
def served_demo():
    """(url, process) of `trd-tui serve --demo` on a free port; stopped with all its children."""
    yield from serving()


@pytest.fixture
def served_to_one_tab():
    yield from serving("--max-sessions", "1")


def serving(*options: str):
    port = free_port()
    trd_tui = Path(sys.executable).with_name("trd-tui")
    # The environment carries conftest's private XDG_STATE_HOME and XDG_CONFIG_HOME to the server
    # and from there to each app process.
    process = subprocess.Popen(
        [str(trd_tui), "serve", "--demo", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so stop() reaches the apps it starts
    )
    try:
        match = read_line_matching(process, r"https?://\S+", TIMEOUT)
        yield match.group(0), process
    finally:
        stop(process)


def wait_for_screen(page: Page, shows: str, hides: str | None = None) -> str:
    """The screen text once it shows `shows` (and no longer `hides`); fails with the screen."""
    predicate = f"""([shows, hides]) => {{
      const text = ({SCREEN_TEXT})();
      return text !== null && text.includes(shows) && !(hides && text.includes(hides));
    }}"""
    try:
        page.wait_for_function(predicate, arg=[shows, hides], timeout=TIMEOUT * 1000, polling=100)
    except PlaywrightTimeout:
        raise AssertionError(f"screen never showed {shows!r} without {hides!r}:\n{page.evaluate(SCREEN_TEXT)}") from None
    return page.evaluate(SCREEN_TEXT)


def open_page(page: Page, url: str) -> None:
    """Load the page; the URL is printed just before the server listens, so retry briefly."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            page.goto(url, timeout=TIMEOUT * 1000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_served_demo_shows_its_patient_switches_pane_and_loads_nothing_external(served_demo, tmp_path: Path) -> None:
    url, server = served_demo
    assert urlsplit(url).hostname == "127.0.0.1"
    requested: list[str] = []

    def only_this_machine(route: Route) -> None:
        # Every request is recorded; anything not for the local server is refused, so a breach
        # of the no-network rule fails this test without reaching the network.
        requested.append(route.request.url)
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",  # new and empty
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
        )
        try:
            browser.route("**/*", only_this_machine)
            page = browser.new_page()
            page.on("websocket", lambda websocket: requested.append(websocket.url))
            page.add_init_script(CATCH_TERMINAL)
            open_page(page, url)

            # The header's patient label, on the Checklist pane the app opens on.
            screen = wait_for_screen(page, "Demo patient (fictional)")
            assert "Reviewed 6 of 28" in screen, screen
            assert page.title() == "trd-tui"  # the tab, visible when sharing, names no file or patient

            page.focus(".xterm-helper-textarea")  # the keyboard goes to the terminal
            page.keyboard.press("2")
            # The trial table's column heading, only on Timeline; the Checklist's progress line gone.
            screen = wait_for_screen(page, "Adequacy", hides="Reviewed 6 of 28")
            assert "Demo patient (fictional)" in screen, screen
        finally:
            browser.close()

    hosts = {urlsplit(address).hostname for address in requested if urlsplit(address).scheme != "data"}
    assert hosts == {"127.0.0.1"}, requested
    # What was recorded is the whole page, so the check above covered it all.
    assert any(urlsplit(address).path == "/static/js/textual.js" for address in requested), requested
    assert any(address.startswith("ws://127.0.0.1:") for address in requested), requested
    assert "WARNING" not in stop(server)


def test_a_tab_beyond_the_limit_says_why_and_the_address_without_its_token_is_refused(served_to_one_tab, tmp_path: Path) -> None:
    url, _ = served_to_one_tab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile", executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            first = browser.new_page()
            first.add_init_script(CATCH_TERMINAL)
            open_page(first, url)
            wait_for_screen(first, "Demo patient (fictional)")
            second = browser.new_page()
            open_page(second, url)
            message = second.locator(".closed-dialog .message")
            message.wait_for(state="visible", timeout=TIMEOUT * 1000)
            assert message.inner_text() == "Too many tabs: this server runs the app in at most 1 at once. Close one, then Restart."
            third = browser.new_page()
            response = third.goto(url.split("?")[0], timeout=TIMEOUT * 1000)
            assert response is not None and response.status == 403
            assert "token" in third.content()
        finally:
            browser.close()
