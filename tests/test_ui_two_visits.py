"""Two visits played as a clinician would, through the keys: the first visit stays on disk and on screen.

Visit 1 (a new file): answers, a PHQ-9, an option marked and a plan, saved. Three months
later the file is reopened: today's visit is started, an answer changed, a PHQ-9 added,
saved. Visit 1's answers, plan and mark are then as they were, on disk and in the Since
last visit pane. Reopened again later, a third visit starts and both earlier ones are kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trd_tui.document import Document
from trd_tui.model import OptionStatus, ReviewStatus
from trd_tui.storage.sessionfile import load_session
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from ui_helpers import content, screen_text

pytestmark = pytest.mark.ui

VISIT_1, VISIT_2, VISIT_3 = dt.date(2026, 6, 1), dt.date(2026, 9, 1), dt.date(2026, 12, 1)
PLAN_1 = "Raise sertraline to 150 mg"


def app_on(document: Document, today: dt.date):
    from trd_tui.ui.app import TrdApp

    return TrdApp(document, content(), today=today)


async def add_phq9(pilot, answers: str) -> None:
    """A PHQ-9 dated the visit, entirely by keys (Timeline pane: s, Enter, nine answers, difficulty, Enter)."""
    await pilot.press("2", "s", "enter", *answers, "1", "enter")
    await pilot.pause()


async def start_todays_visit(pilot, app) -> None:
    await pilot.pause()
    assert isinstance(app.screen, ChoiceDialog)  # the file's last visit is before today
    await pilot.click("#start")
    await pilot.pause()


async def test_two_visits_keep_the_first_on_disk_and_show_it_as_history(tmp_path: Path) -> None:
    path = tmp_path / "patient.toml"
    # Visit 1: a new file.
    app = app_on(Document.new(VISIT_1, path), VISIT_1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "o", "o", "c")  # the first three items: no concern, no concern, concern
        await add_phq9(pilot, "222211110")
        await pilot.press("3", "m")
        await pilot.pause()
        await pilot.press("d", "enter")  # the highlighted option: discussed (a letter chooses, Enter saves)
        await pilot.pause()
        await pilot.press("4", "e", *PLAN_1, "ctrl+s")  # ctrl+s in the form applies it and saves the file
        await pilot.pause()
        assert not app.document.dirty
    first = load_session(path)
    assert len(first.visits) == 1 and first.visit_date == VISIT_1
    answers_1 = {k: e.status for k, e in first.checklist.items() if e.status is not ReviewStatus.UNREVIEWED}
    assert sorted(answers_1.values()) == sorted([ReviewStatus.NO_CONCERN, ReviewStatus.NO_CONCERN, ReviewStatus.CONCERN])
    assert [o.status for o in first.options] == [OptionStatus.DISCUSSED] and first.plan.text == PLAN_1

    # Visit 2: reopened three months later.
    app = app_on(Document.open(path, content()), VISIT_2)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_todays_visit(pilot, app)
        changed = next(k for k, status in answers_1.items() if status is ReviewStatus.CONCERN)
        app.screen.query_one("#checklist-table").move_to(changed)
        await pilot.press("1", "o")  # asked again: no concern now
        await add_phq9(pilot, "111100000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        second = load_session(path)
        assert [v.date for v in second.visits] == [VISIT_1, VISIT_2]
        assert second.visits[0] == first.visits[0]  # visit 1's answers, plan and marks, on disk as they were
        assert second.checklist[changed].status is ReviewStatus.NO_CONCERN and second.checklist[changed].carried_from is None
        assert second.plan.text == "" and len(second.measurements) == 2
        # Shown as history: the Since pane compares with visit 1, and a key away shows visit 1 itself.
        await pilot.press("5")
        await pilot.pause()
        shown = screen_text(app)
        assert f"Visit of {VISIT_2} (2 of 2)" in shown and f"since the visit of {VISIT_1}" in shown
        assert "concern → no concern" in shown and PLAN_1 in shown  # the answer changed; visit 1's plan
        await pilot.press("left_square_bracket")
        await pilot.pause()
        shown = screen_text(app)
        assert f"Visit of {VISIT_1} (1 of 2)" in shown and "PAST VISIT, read-only" in shown and PLAN_1 in shown

    # Visit 3: reopened later again; both earlier visits are kept.
    app = app_on(Document.open(path, content()), VISIT_3)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_todays_visit(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    third = load_session(path)
    assert [v.date for v in third.visits] == [VISIT_1, VISIT_2, VISIT_3]
    assert third.visits[:2] == second.visits
