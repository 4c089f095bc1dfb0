"""Reopening a file at a later visit: the app offers today's visit, and the earlier one stays as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from trd_tui.document import Document
from trd_tui.model import ReviewStatus, with_checklist, with_plan
from trd_tui.storage.sessionfile import load_demo, load_session, save_session
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from ui_helpers import TODAY, content, make_app

pytestmark = pytest.mark.ui

LAST_VISIT = dt.date(2026, 8, 19)


def file_of_last_visit(tmp_path: Path) -> Path:
    """The demo as it stood at its visit of 2026-08-19, saved as a patient's file."""
    from trd_tui.model import as_of

    path = tmp_path / "patient.toml"
    save_session(as_of(load_demo(), LAST_VISIT), path)
    return path


async def test_reopening_offers_todays_visit_and_keeps_the_last_one_as_it_was(tmp_path: Path) -> None:
    path = file_of_last_visit(tmp_path)
    before = load_session(path)
    app = make_app(document=Document.open(path, content()))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert "The last visit in this file was 2026-08-19 (13 weeks ago)" in str(app.screen.query_one(".dialog-message").render())
        await pilot.click("#start")
        await pilot.pause()
        session = app.document.session
        assert session.visit_date == TODAY and len(session.visits) == len(before.visits) + 1
        assert session.visits[:-1] == before.visits  # the earlier visits, untouched
        assert all(entry.carried_from is not None for entry in session.checklist.values())
        app.edit(with_checklist(session, "sleep", status=ReviewStatus.NO_CONCERN), "sleep")
        app.edit(with_plan(app.document.session, attrs.evolve(session.plan, text="Start rTMS")), "plan")
        app.document.save()
    saved = load_session(path)
    assert [v.date for v in saved.visits] == [*[v.date for v in before.visits], TODAY]
    assert saved.visits[-2] == before.visits[-1]  # visit 2's answers, plan and marks on disk as they were
    assert saved.plan.text == "Start rTMS" and saved.visits[-2].plan == before.plan


async def test_continue_keeps_correcting_the_last_visit(tmp_path: Path) -> None:
    path = file_of_last_visit(tmp_path)
    app = make_app(document=Document.open(path, content()))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.click("#continue")
        await pilot.pause()
        assert app.document.session.visit_date == LAST_VISIT and not app.document.dirty
