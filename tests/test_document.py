"""The open-document lifecycle without a terminal: lock, read-only, recovery offer, recent files, save."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli
import tomli_w

from test_locks_recovery import a_dead_pid, other_process_lock
from test_sessionfile import example_toml
from trd_tui.document import Document, discard_offer, recovery_offers
from trd_tui.model import with_checklist
from trd_tui.storage import locks, recent
from trd_tui.storage.locks import lock_path, read_lock
from trd_tui.storage.recovery import recovery_copies


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "visit.toml"
    path.write_text(example_toml())
    path.chmod(0o600)
    return path


@pytest.fixture
def live_pid():
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    yield live.pid
    live.kill()
    live.wait()


def edited(doc: Document, note: str = "unsaved") -> Document:
    doc.apply(with_checklist(doc.session, "sleep", note=note), "note")
    return doc


# -- the lock ---------------------------------------------------------------------------


def test_opening_and_locking_holds_the_file_until_closed(session_file: Path) -> None:
    doc = Document.open(session_file)
    assert doc.lock() is None and not doc.read_only
    assert read_lock(session_file).pid == os.getpid()
    doc.close()
    assert not lock_path(session_file).exists()


def test_a_file_held_elsewhere_is_reported_and_read_only_keeps_its_lock(session_file: Path, live_pid: int) -> None:
    other_process_lock(session_file, live_pid)
    doc = Document.open(session_file)
    holder = doc.lock()
    assert holder is not None and holder.pid == live_pid
    doc.read_only = True  # the user chose Read-only
    assert doc.title == "visit.toml (read-only)" and not doc.can_save_over(session_file)
    doc.close()
    assert read_lock(session_file).pid == live_pid


def test_taking_over_a_live_holders_file(session_file: Path, live_pid: int) -> None:
    other_process_lock(session_file, live_pid)
    doc = Document.open(session_file)
    assert doc.lock(take_over=True) is None
    assert read_lock(session_file).pid == os.getpid()


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FullDiskFile:
    """os.fdopen's file on a full disk: opening works, writing does not."""

    def __init__(self, fd: int, mode: str) -> None:
        self._f = open(fd, mode)  # noqa: SIM115 - closed in __exit__

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()

    def write(self, _data):
        disk_full()


def test_a_full_disk_at_start_opens_read_only_with_a_message_and_no_empty_lock(session_file: Path, monkeypatch) -> None:
    """Issue 13 finding 8: the lock write's OSError escaped and left an empty lock behind."""
    monkeypatch.setattr(locks.os, "fdopen", FullDiskFile)
    doc = Document.open(session_file)
    assert doc.lock() is None
    assert doc.read_only
    (notice,) = doc.take_notices()
    assert "No space left on device" in notice and "read-only" in notice
    assert "visit" not in notice  # a file name can name the patient; the screen may be shared
    assert not lock_path(session_file).exists()
    assert doc.take_notices() == []


def test_a_folder_that_cannot_be_written_opens_read_only(session_file: Path, monkeypatch) -> None:
    real_open = os.open

    def refuse_the_lock(path, flags, *args):
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(locks.os, "open", refuse_the_lock)
    doc = Document.open(session_file)
    assert doc.lock() is None and doc.read_only
    assert "Permission denied" in doc.take_notices()[0]
    assert not lock_path(session_file).exists()


def test_a_symlink_and_its_target_share_one_lock(session_file: Path, live_pid: int) -> None:
    link = session_file.with_name("link.toml")
    link.symlink_to(session_file)
    other_process_lock(session_file, live_pid)
    holder = Document.open(link).lock()
    assert holder is not None and holder.pid == live_pid


# -- unsaved work: the recovery offer --------------------------------------------------


def written_by_a_dead_process(doc: Document) -> None:
    """Write the document's recovery copy as a trd-tui that then crashed would have."""
    doc.write_recovery()
    raw = tomli.loads(doc.recovery.read_text(encoding="utf-8"))
    raw["recovery"]["writer"]["pid"] = a_dead_pid()
    doc.recovery.write_text(tomli_w.dumps(raw), encoding="utf-8")


def test_only_a_crashed_writers_newer_copy_is_offered(session_file: Path) -> None:
    doc = edited(Document.open(session_file))
    doc.write_recovery()
    assert recovery_offers() == []  # this process is alive: its own copy is not offered
    written_by_a_dead_process(doc)
    (offer,) = recovery_offers()
    assert offer.source == session_file.resolve()
    later = offer.written.timestamp() + 60
    os.utime(session_file, (later, later))
    assert recovery_offers() == []  # the file was saved after the crash


def test_restore_keep_both_and_discard(session_file: Path) -> None:
    written_by_a_dead_process(edited(Document.open(session_file), "typed before the crash"))
    (offer,) = recovery_offers()
    restored = Document.recovered(offer, keep_both=False)
    assert restored.path == session_file.resolve() and restored.dirty
    assert restored.session.checklist["sleep"].note == "typed before the crash"
    both = Document.recovered(offer, keep_both=True)
    assert both.path is None and both.session == restored.session
    discard_offer(offer)
    assert recovery_offers() == [] and recovery_copies() == []


# -- recent files -------------------------------------------------------------------------


def test_remember_lists_saved_files_only(session_file: Path, tmp_path: Path) -> None:
    Document.new(dt.date(2026, 11, 20), tmp_path / "not-yet-saved.toml").remember()
    Document.demo().remember()
    assert recent.recent_files() == []
    Document.open(session_file).remember()
    assert recent.recent_files() == [session_file.resolve()]


# -- changed underneath, save and save as --------------------------------------------------


def test_a_change_underneath_is_noticed_until_saved(session_file: Path) -> None:
    doc = edited(Document.open(session_file))
    assert not doc.changed_on_disk()
    session_file.write_text(session_file.read_text() + "\n# edited elsewhere\n")
    assert doc.changed_on_disk()
    assert not doc.changed_on_disk(session_file.with_name("other.toml"))
    doc.save()
    assert not doc.changed_on_disk()


def test_save_as_moves_the_lock_to_the_new_file(session_file: Path) -> None:
    doc = Document.open(session_file)
    doc.lock()
    copy = session_file.with_name("copy.toml")
    assert doc.save(copy) == copy
    assert doc.path == copy and not lock_path(session_file).exists()
    assert read_lock(copy).pid == os.getpid()


def test_save_as_from_a_read_only_file_leaves_the_holders_lock(session_file: Path, live_pid: int) -> None:
    other_process_lock(session_file, live_pid)
    doc = Document.open(session_file)
    doc.lock()
    doc.read_only = True
    copy = session_file.with_name("copy.toml")
    doc.save(copy)
    assert not doc.read_only and doc.can_save_over(copy)
    assert read_lock(session_file).pid == live_pid and read_lock(copy).pid == os.getpid()


def test_saving_through_a_symlink_writes_its_target(session_file: Path) -> None:
    """Issue 13 finding 9: the link was replaced by a regular file and the target kept its old text."""
    link = session_file.with_name("link.toml")
    link.symlink_to(session_file)
    doc = edited(Document.open(link), "through the link")
    doc.lock()
    doc.save()
    assert link.is_symlink()
    assert Document.open(session_file).session.checklist["sleep"].note == "through the link"
    assert read_lock(session_file).pid == os.getpid()  # locked under the file's own name
    assert not doc.changed_on_disk()


def test_a_backup_that_cannot_be_written_is_a_warning_and_the_save_counts(session_file: Path) -> None:
    """Issue 13 finding 9: a FILE.bak that is a folder made every save fail."""
    session_file.with_name("visit.toml.bak").mkdir()
    doc = edited(Document.open(session_file), "kept all the same")
    doc.save()
    assert not doc.dirty
    assert Document.open(session_file).session.checklist["sleep"].note == "kept all the same"
    (notice,) = doc.take_notices()
    assert notice.startswith("Saved, but the previous version was not kept as a .bak copy")
    assert "visit" not in notice


def stale_temporary(beside: Path, name: str, age: float) -> Path:
    path = beside.with_name(name)
    path.write_text(example_toml())
    then = time.time() - age
    os.utime(path, (then, then))
    return path


@pytest.mark.parametrize("when", ["open", "save"])
def test_temporary_files_left_by_killed_saves_are_removed(session_file: Path, when: str) -> None:
    """Issue 13 finding 9: each held a whole copy of the session, and was never cleaned up."""
    old = stale_temporary(session_file, ".trd-abc123.tmp", age=120)
    recent_one = stale_temporary(session_file, ".trd-def456.tmp", age=5)  # a save in progress elsewhere
    other = stale_temporary(session_file, "notes.tmp", age=120)
    doc = Document.open(session_file)
    if when == "save":
        old.write_text("left by a later kill")
        os.utime(old, (time.time() - 120, time.time() - 120))
        doc.save()
    assert not old.exists()
    assert recent_one.exists() and other.exists()
