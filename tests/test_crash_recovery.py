"""kill -9 for real: the app runs in a pseudo-terminal, is killed mid-edit, and offers the edit back."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path

from test_sessionfile import example_toml
from trd_tui import load_session
import pytest

pytestmark = pytest.mark.e2e

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07")


class Terminal:
    """trd-tui in a 100x30 pseudo-terminal, typed at like a person."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            os.execve(sys.executable, [sys.executable, "-m", "trd_tui", *args], env)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.output = b""
        self._seen = 0

    def read_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Wait until ``text`` is drawn after the last call (earlier output does not count)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read_for(0.2)
            if text in self.screen_text()[self._seen :]:
                self._seen = len(self.screen_text())
                return
        raise AssertionError(f"{text!r} never appeared; saw: {self.screen_text()[-800:]!r}")

    def screen_text(self) -> str:
        # Cursor moves split words on screen; drop the escapes and keep the letters in order.
        return ANSI.sub(b"", self.output).decode("utf-8", "replace")

    def type(self, keys: str | bytes, pause: float = 0.4) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)
        self.read_for(pause)

    def kill9(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def close(self) -> int:
        self.read_for(1)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return status


def test_kill_9_mid_edit_then_the_edit_is_offered_back(tmp_path: Path, private_state: Path) -> None:
    session_file = tmp_path / "visit.toml"
    session_file.write_text(example_toml())
    session_file.chmod(0o600)
    env = {**os.environ, "XDG_STATE_HOME": str(private_state), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}

    first = Terminal(str(session_file), "--autosave", "1", env=env)
    first.wait_for("Today's visit?")  # the app is up, and the file's visit is before today
    first.type("\x1b")  # Escape: go on with the visit as it opened
    first.type("4")  # Summary pane
    first.wait_for("Edit plan")
    first.type("e")  # edit the plan
    first.wait_for("Save (ctrl+s)")
    first.type("Crash-test plan ")
    first.type("\t")  # to the review date
    first.type("\r")  # Enter there applies the plan form (ctrl+s would save the file too)
    first.wait_for("unsaved")
    recovery = private_state / "trd-tui" / "recovery"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(recovery.glob("*.toml")):
        first.read_for(0.5)
    assert list(recovery.glob("*.toml")), "no recovery copy was written"
    first.kill9()
    assert "Crash-test plan" not in session_file.read_text()  # the edit never reached the file

    second = Terminal(str(session_file), env=env)
    second.wait_for("Recover unsaved work?")
    second.type("\r")  # Restore (the first button)
    # Restored, then (the file's visit being before today) the offer of today's visit; both may
    # be drawn in one burst, so wait for the later one only.
    second.wait_for("Today's visit?")
    second.type("\x1b")
    second.type("\x13")  # ctrl+s saves the restored session over its file
    second.wait_for("Saved visit.toml")
    second.type("\x11")  # ctrl+q
    second.close()
    assert "Crash-test plan" in load_session(session_file).plan.text
    assert not list(recovery.glob("*.toml"))  # saved, so the copy is gone
