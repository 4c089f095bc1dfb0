"""`trd-tui serve` without a browser: what each tab runs, where it listens, and its messages.

The browser itself is in test_serve_browser.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from trd_tui.cli import _command_parser, app_options
from trd_tui.commands import served_app_arguments
from trd_tui.ui.serve import app_command, is_loopback, page_url

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parent.parent


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trd_tui", "serve", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def listening(host: str) -> socket.socket:
    """A socket listening on a free port of host, as another server would be."""
    sock = socket.socket()
    sock.bind((host, 0))
    sock.listen()
    return sock


@pytest.mark.parametrize(
    "name",
    ["Dr O'Neil's patients/visit 2 $HOME `x`.toml", "-visit.toml"],  # one a shell would split, one like an option
)
def test_each_tab_opens_the_same_file_with_the_same_options(tmp_path: Path, name: str) -> None:
    # Run through /bin/sh, as textual-serve runs it.
    session = Path(name)
    options = _command_parser("serve").parse_args(
        ["--config", "my config.toml", "--content", "clinic pack", "--autosave", "5", "--", str(session)]
    )
    # Stand-in for the interpreter, in a folder with a space too: it prints the arguments it got.
    python = tmp_path / "my python" / "python"
    python.parent.mkdir()
    python.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    python.chmod(0o755)
    command = app_command(served_app_arguments(options), python=str(python))
    shell = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=60)
    assert shell.returncode == 0, shell.stderr
    flag, module, *app_args = json.loads(shell.stdout)
    assert (flag, module) == ("-m", "trd_tui")
    received = app_options(app_args)
    assert received.file == session
    assert (received.config, received.content, received.autosave) == (Path("my config.toml"), "clinic pack", 5.0)
    assert not received.demo and not received.share


def test_the_demo_is_served_as_the_demo_and_sharing_mode_passes_through() -> None:
    served = app_options(served_app_arguments(_command_parser("serve").parse_args(["--demo", "--share"])))
    assert served.demo and served.share
    plain = app_options(served_app_arguments(_command_parser("serve").parse_args(["--demo"])))
    assert plain.demo and not plain.share


@pytest.mark.parametrize("port", ["0", "65536", "eighty"])
def test_a_bad_port_is_explained_with_exit_64(port: str) -> None:
    result = serve("--demo", "--port", port)
    assert result.returncode == 64  # a bad command line (EX_USAGE); 2 is a port in use
    assert "--port" in result.stderr and "is not a port number (1 to 65535)" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_port_in_use_is_explained_with_exit_2_and_no_address() -> None:
    with listening("127.0.0.1") as taken:
        port = taken.getsockname()[1]
        result = serve("--demo", "--port", str(port))
    assert result.returncode == 2
    assert f"port {port} is already in use" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert "http://" not in result.stdout  # no address for a server that is not running


def test_another_host_is_warned_about_before_anything_listens() -> None:
    # The port is taken so that nothing is ever served on every interface during the test.
    with listening("0.0.0.0") as taken:
        port = taken.getsockname()[1]
        result = serve("--demo", "--host", "0.0.0.0", "--port", str(port))
    assert "WARNING" in result.stderr
    assert f"Anyone who can reach port {port}" in result.stderr and "There is no encryption" in result.stderr
    assert result.returncode == 2


def test_a_broken_content_pack_stops_serve_before_it_listens(tmp_path: Path) -> None:
    result = serve("--demo", "--content", str(tmp_path / "no pack"))
    assert result.returncode == 2
    assert "content check" in result.stderr and "http://" not in result.stdout


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("clinic-pc.local", False)],
)
def test_only_loopback_addresses_go_without_a_warning(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("host", "url"),
    [("127.0.0.1", "http://127.0.0.1:8750/"), ("::1", "http://[::1]:8750/"),
     ("0.0.0.0", "http://127.0.0.1:8750/"), ("clinic-pc.local", "http://clinic-pc.local:8750/")],
)
def test_the_printed_address_opens_on_this_machine(host: str, url: str) -> None:
    assert page_url(host, 8750) == url
