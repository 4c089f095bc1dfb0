"""The recent-files list: paths only, private, most recent first, clearable."""

from __future__ import annotations

import stat
from pathlib import Path

from trd_tui.storage import recent


def test_most_recent_first_without_duplicates(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    recent.remember(a)
    recent.remember(b)
    recent.remember(a)
    assert recent.recent_files() == [a.resolve(), b.resolve()]


def test_holds_paths_only_in_a_private_file(tmp_path: Path, private_state: Path) -> None:
    recent.remember(tmp_path / "visit.toml")
    stored = private_state / "trd-tui" / "recent.toml"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stored.read_text() == f'paths = [\n    "{(tmp_path / "visit.toml").resolve()}",\n]\n'


def test_clear_and_limit(tmp_path: Path) -> None:
    for i in range(15):
        recent.remember(tmp_path / f"{i}.toml")
    assert len(recent.recent_files()) == recent.LIMIT
    recent.clear()
    assert recent.recent_files() == []


def test_a_damaged_list_is_empty(private_state: Path) -> None:
    recent.remember(Path("x.toml"))
    (private_state / "trd-tui" / "recent.toml").write_text("paths = [oops")
    assert recent.recent_files() == []
