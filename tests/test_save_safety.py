"""Saving never loses the file on disk: backups, and a failure at every step."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import attrs
import pytest

from test_sessionfile import example_toml
from trd_tui.storage import atomic, locks, sessionfile
from trd_tui.storage.atomic import SaveError, disk_bytes
from trd_tui.storage.sessionfile import backup_path, save_session


@pytest.fixture
def session():
    return sessionfile.parse(example_toml())


@pytest.fixture
def saved(tmp_path: Path, session) -> Path:
    path = tmp_path / "visit.toml"
    save_session(session, path)
    return path


def edited(session):
    return attrs.evolve(session, plan=attrs.evolve(session.plan, text="changed"))


def test_the_replaced_version_is_kept_as_bak(saved: Path, session) -> None:
    first = saved.read_bytes()
    save_session(edited(session), saved)
    assert backup_path(saved).read_bytes() == first
    assert stat.S_IMODE(backup_path(saved).stat().st_mode) == 0o600
    assert sessionfile.load_session(saved).plan.text == "changed"


def test_only_one_backup_generation(saved: Path, session) -> None:
    save_session(edited(session), saved)
    middle = saved.read_bytes()
    save_session(session, saved)
    assert backup_path(saved).read_bytes() == middle
    assert sorted(p.name for p in saved.parent.iterdir()) == ["visit.toml", "visit.toml.bak"]


def test_saving_unchanged_bytes_keeps_the_backup(saved: Path, session) -> None:
    save_session(edited(session), saved)
    bak = backup_path(saved).read_bytes()
    save_session(edited(session), saved)
    assert backup_path(saved).read_bytes() == bak  # the older version is not lost


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("step", ["mkstemp", "write", "fsync", "chmod", "replace"])
def test_a_failure_at_any_step_leaves_the_old_file(monkeypatch, saved: Path, session, step: str) -> None:
    before = saved.read_bytes()
    targets = {
        "mkstemp": (tempfile, "mkstemp"),  # atomic imports it only to write
        "fsync": (atomic.os, "fsync"),
        "chmod": (atomic.os, "chmod"),
        "replace": (atomic.os, "replace"),
    }
    real_fdopen = os.fdopen

    class FullFile:
        def __init__(self, fd, mode):
            self._f = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

        def write(self, _data):
            disk_full()

    # A context, not undo(): undo() would also drop conftest's private XDG_STATE_HOME.
    with monkeypatch.context() as patch:
        if step == "write":
            patch.setattr(atomic.os, "fdopen", FullFile)
        else:
            patch.setattr(*targets[step], disk_full)
        with pytest.raises(SaveError, match="No space left on device"):
            atomic.write_private(saved, b"new contents")
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == ["visit.toml"]  # no temporary file left


def test_no_permission_to_write_the_folder(tmp_path: Path, session) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere; the injected failures above cover this path")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(SaveError, match="Permission denied"):
        save_session(session, folder / "s.toml")


def test_opening_a_file_others_can_read_warns_with_the_fix(saved: Path) -> None:
    saved.chmod(0o644)
    warnings = [str(w) for w in sessionfile.read_session(saved).warnings]
    assert warnings == ["(file): readable by other users (mode 644); fix with: chmod 600 visit.toml"]
    saved.chmod(0o600)
    assert sessionfile.read_session(saved).warnings == []


def test_the_bytes_kept_notice_a_change_underneath(saved: Path) -> None:
    before = disk_bytes(saved)
    assert disk_bytes(saved) == before
    saved.write_text(saved.read_text() + "\n# edited elsewhere\n")
    assert disk_bytes(saved) != before
    assert disk_bytes(saved.parent / "absent.toml") is None


def test_a_saved_session_is_flushed_to_disk_while_the_recent_list_and_a_lock_are_not(
    monkeypatch, tmp_path: Path, session
) -> None:
    """A session must survive a power cut once saved; the recent list and a lock need not."""
    from trd_tui.storage import recent

    synced: list[int] = []
    real_fsync = atomic.os.fsync
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    path = tmp_path / "visit.toml"
    save_session(session, path)
    assert len(synced) == 2  # the file, then its folder (so the rename survives too)
    synced.clear()
    recent.remember(path)
    locks.lock_path(path).write_text('pid = 1\nhost = "gone"\nsince = 2020-01-01T00:00:00Z\n')
    locks.acquire_lock(path, take_over=True)
    assert synced == [] and locks.read_lock(path) is not None
    assert recent.recent_files()[0] == path.resolve()
