"""One writer per file, and recovery copies that are private and never named after the patient."""

from __future__ import annotations

import datetime as dt
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from test_sessionfile import example_toml
from trd_tui.document import Document
from trd_tui.model import with_checklist
from trd_tui.storage import locks, recovery
from trd_tui.storage.locks import LockHolder, acquire_lock, lock_path, read_lock, release_lock
from trd_tui.storage.recovery import recovery_copies


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "visit.toml"
    path.write_text(example_toml())
    path.chmod(0o600)
    return path


def other_process_lock(path: Path, pid: int, host: str | None = None) -> None:
    holder = LockHolder(pid, host or socket.gethostname(), dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    lock_path(path).write_bytes(locks.lock_bytes(holder))


def a_dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_lock_is_private_and_names_pid_host_time(session_file: Path) -> None:
    assert acquire_lock(session_file) is None
    lock = lock_path(session_file)
    assert lock.name == ".visit.toml.lock"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    holder = read_lock(session_file)
    assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
    release_lock(session_file)
    assert not lock.exists()


def test_a_live_holder_is_reported(session_file: Path) -> None:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        other_process_lock(session_file, live.pid)
        holder = acquire_lock(session_file)
        assert holder is not None and holder.pid == live.pid
        assert acquire_lock(session_file, take_over=True) is None
        assert read_lock(session_file).pid == os.getpid()
    finally:
        live.kill()


def test_a_stale_lock_is_taken_over_silently(session_file: Path) -> None:
    other_process_lock(session_file, a_dead_pid())
    assert acquire_lock(session_file) is None
    assert read_lock(session_file).pid == os.getpid()


def test_a_lock_from_another_host_is_respected(session_file: Path) -> None:
    other_process_lock(session_file, a_dead_pid(), host="other-machine")
    assert acquire_lock(session_file).host == "other-machine"


def test_release_leaves_another_holders_lock(session_file: Path) -> None:
    other_process_lock(session_file, 1)
    release_lock(session_file)
    assert lock_path(session_file).exists()


def test_recovery_copy_is_private_randomly_named_and_complete(session_file: Path, private_state: Path) -> None:
    doc = Document.open(session_file)
    doc.apply(with_checklist(doc.session, "sleep", note="unsaved"), "note")
    doc.write_recovery()
    folder = private_state / "trd-tui" / "recovery"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (copy_file,) = folder.iterdir()
    assert stat.S_IMODE(copy_file.stat().st_mode) == 0o600
    assert "Patient" not in copy_file.name and "visit" not in copy_file.name
    (copy,) = recovery_copies()
    assert copy.session == doc.session and copy.source == session_file.resolve()
    assert copy.newer_than_source() and not copy.orphaned()  # we are alive, so not offered


def test_a_dead_writers_copy_is_offered_and_restores_over_its_file(session_file: Path) -> None:
    doc = Document.open(session_file)
    doc.apply(with_checklist(doc.session, "sleep", note="unsaved"), "note")
    doc.write_recovery()
    (copy,) = recovery_copies()
    copy = attrs.evolve(copy, writer=attrs.evolve(copy.writer, pid=a_dead_pid()))
    assert copy.orphaned()
    restored = Document.recovered(copy, keep_both=False)
    assert restored.path == session_file.resolve() and restored.dirty
    assert restored.session.checklist["sleep"].note == "unsaved"
    beside = Document.recovered(copy, keep_both=True)
    assert beside.path is None and beside.session == restored.session


def test_saving_removes_the_recovery_copy(session_file: Path) -> None:
    doc = Document.open(session_file)
    doc.apply(with_checklist(doc.session, "sleep", note="unsaved"), "note")
    doc.write_recovery()
    assert recovery_copies()
    doc.save()
    assert recovery_copies() == []


def test_a_copy_older_than_its_file_is_not_offered(session_file: Path) -> None:
    doc = Document.open(session_file)
    doc.write_recovery()
    (copy,) = recovery_copies()
    later = copy.written.timestamp() + 60
    os.utime(session_file, (later, later))
    assert not recovery_copies()[0].newer_than_source()


def test_unreadable_recovery_files_are_skipped(private_state: Path) -> None:
    folder = recovery.recovery_folder()
    (folder / "junk.toml").write_text("not = [toml")
    assert recovery_copies() == []


async def test_a_file_held_elsewhere_opens_read_only_and_save_goes_to_save_as(session_file: Path) -> None:
    from trd_tui.ui.dialogs.dialogs import ChoiceDialog, PathDialog
    from ui_helpers import make_app

    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        other_process_lock(session_file, live.pid)
        app = make_app(document=Document.open(session_file))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            await pilot.click("#read-only")
            await pilot.pause()
            assert app.document.read_only
            assert "read-only" in str(app.screen.query_one("#header-file").render())
            app.edit(with_checklist(app.document.session, "sleep", note="mine"), "note")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, PathDialog)  # save as, never over the held file
        assert read_lock(session_file).pid == live.pid
    finally:
        live.kill()


async def test_an_exit_without_the_quit_dialog_keeps_every_edit_and_lets_go_of_the_file(session_file: Path) -> None:
    """A closed browser tab or SIGTERM ends the app with ExitApp, not ctrl+q: nothing typed is lost."""
    from textual.messages import ExitApp

    from ui_helpers import make_app

    app = make_app(document=Document.open(session_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert lock_path(session_file).exists()
        app.edit(with_checklist(app.document.session, "sleep", note="said just before the tab closed"), "note")
        assert recovery_copies() == []  # the debounced copy is not due yet
        app.post_message(ExitApp())
        await pilot.pause()
    (copy,) = recovery_copies()
    assert copy.session.checklist["sleep"].note == "said just before the tab closed"
    assert not lock_path(session_file).exists()


async def test_quitting_and_discarding_leaves_no_copy_behind(session_file: Path) -> None:
    from ui_helpers import make_app

    app = make_app(document=Document.open(session_file))
    async with app.run_test(size=(80, 24)) as pilot:
        app.edit(with_checklist(app.document.session, "sleep", note="not wanted"), "note")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert recovery_copies() == []


async def test_a_full_disk_at_start_opens_read_only_and_says_why(session_file: Path, monkeypatch) -> None:
    """Issue 13 finding 8: the lock write's OSError was a traceback, and left an empty lock."""
    from test_document import FullDiskFile
    from ui_helpers import make_app

    monkeypatch.setattr(locks.os, "fdopen", FullDiskFile)
    app = make_app(document=Document.open(session_file))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.document.read_only
        assert "read-only" in str(app.screen.query_one("#header-file").render())
        assert any("No space left on device" in n.message and "read-only" in n.message for n in app._notifications)
    assert not lock_path(session_file).exists()
