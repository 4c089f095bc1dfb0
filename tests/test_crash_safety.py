"""No crash loses work: an unexpected error keeps the edits and shows no patient data; bad copies are set aside."""

from __future__ import annotations

import datetime as dt
import socket
import stat
import tomllib
from pathlib import Path

import pytest
import tomli_w
from rich.console import Console

from test_locks_recovery import a_dead_pid
from test_sessionfile import example_toml
from trd_tui.document import Document
from trd_tui.model import with_checklist
from trd_tui.storage.recovery import recovery_copies, recovery_folder
from trd_tui.storage import kept_aside
from trd_tui.ui.internals.crash import UnexpectedError
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from ui_helpers import make_app

SECRET = "Told me about her brother's death"


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "visit.toml"
    path.write_text(example_toml(), encoding="utf-8")
    path.chmod(0o600)
    return path


def rendered(renderable) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


async def test_an_unexpected_error_keeps_the_work_first_and_prints_no_patient_data(session_file: Path, capfd) -> None:
    """Finding 3: the app exited with a traceback printing locals (notes, onset); the edit was lost."""
    app = make_app(document=Document.open(session_file))

    def broken_handler() -> None:
        note = app.document.session.checklist["sleep"].note  # a local holding patient text
        raise RuntimeError(f"cannot show {note}")

    with pytest.raises(UnexpectedError) as caught:
        async with app.run_test(size=(80, 24)) as pilot:
            app.edit(with_checklist(app.document.session, "sleep", note=SECRET), "note")
            app.call_later(broken_handler)
            await pilot.pause()
    assert isinstance(caught.value.__cause__, RuntimeError) and app.return_code == 1
    (copy,) = recovery_copies()  # written before the app ended, not lost with it
    assert copy.session.checklist["sleep"].note == SECRET and copy.source == session_file.resolve()
    message = rendered(caught.value)
    assert "RuntimeError" in message and "written to a recovery copy" in message
    assert "test_crash_safety.py" in message and "broken_handler" in message  # where, for a report
    printed = capfd.readouterr()
    for shown in (message, printed.out, printed.err):
        assert SECRET not in shown and "Patient A" not in shown and "wakes at 4am" not in shown
        assert "locals" not in shown.lower() and str(Path.home()) not in shown


def bad_recovery_copy(folder: Path) -> Path:
    """A copy an earlier trd-tui wrote while its forms took a year-1 date (finding 3)."""
    session = tomllib.loads(example_toml())
    session["trials"][0]["start"] = dt.date(1, 1, 1)
    since = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    writer = {"pid": a_dead_pid(), "host": socket.gethostname(), "since": since}
    path = folder / "0123456789abcdef.toml"
    path.write_text(tomli_w.dumps({"recovery": {"source": "", "written": since, "writer": writer}, "session": session}))
    return path


async def test_a_recovery_copy_that_cannot_be_opened_is_offered_to_be_kept_aside_once() -> None:
    """Finding 3: Restore and Keep both crashed on such a copy, at every start; only Discard worked."""
    path = bad_recovery_copy(recovery_folder())
    assert recovery_copies() == [] and kept_aside.unopenable_copies() == [path]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert "Unsaved work cannot be opened" in str(app.screen.query_one(".dialog-title").render())
        await pilot.click("#keep-aside")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
    moved = path.parent / kept_aside.FOLDER / path.name
    assert not path.exists() and moved.read_text(encoding="utf-8").count("0001-01-01") == 1
    assert stat.S_IMODE(moved.parent.stat().st_mode) == 0o700
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, ChoiceDialog)  # not offered again


async def test_asked_to_wait_the_copy_stays_where_it_is(private_state: Path) -> None:
    path = bad_recovery_copy(recovery_folder())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#later")
        await pilot.pause()
    assert path.exists()


def test_a_recovery_file_whose_session_is_not_a_table_is_unopenable_not_a_crash() -> None:
    path = recovery_folder() / "fedcba9876543210.toml"
    path.write_text('session = [1]\n[recovery]\nsource = ""\n', encoding="utf-8")
    assert recovery_copies() == [] and kept_aside.unopenable_copies() == [path]
