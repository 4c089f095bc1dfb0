"""`make bench` runs apps in this process and in others; none may touch the user's own folders."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.folders import VARIABLES, private_folders
from trd_tui.storage.folders import user_folder


def test_a_bench_run_uses_private_folders_and_puts_the_users_back(tmp_path: Path) -> None:
    before = {name: os.environ.get(name) for name in VARIABLES}
    with private_folders() as private:
        for kind in ("config", "state", "cache"):
            # In this process (the in-process latency run) and in every process it starts.
            assert user_folder(kind).is_relative_to(private)
            assert os.environ[f"XDG_{kind.upper()}_HOME"].startswith(str(private))
    assert not private.exists()
    assert {name: os.environ.get(name) for name in VARIABLES} == before

