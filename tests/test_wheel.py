"""The installed package carries its content pack and demo: build the wheel, install it, run it."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path
import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parent.parent


def test_wheel_installs_and_runs_outside_the_source_tree(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("trd_tui-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)  # ensurepip is offline
    bin_dir = env_dir / "bin"
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    # Dependencies come from this test environment; trd_tui itself only from the wheel (paths
    # listed in a .pth file are not scanned for further .pth files, so the editable install stays out).
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")

    def trd(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([bin_dir / "trd-tui", *args], capture_output=True, text=True, cwd=tmp_path, timeout=120)

    check = trd("content", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert str(site / "trd_tui" / "content") in check.stdout  # the installed copy, not the repository's
    # trd-tui serve's page, which keeps the browser off the network, ships with the package.
    assert (site / "trd_tui" / "ui" / "serve_templates" / "app_index.html").is_file()
    summary = trd("summary", "--demo")
    assert summary.returncode == 0, summary.stderr
    assert "Meets the definition of treatment-resistant depression" in summary.stdout
