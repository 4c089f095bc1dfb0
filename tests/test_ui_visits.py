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
from ui_helpers import TODAY, content, make_app, screen_text

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


# -- the Since last visit pane (5) -----------------------------------------------


def since_text(app) -> str:
    """The Since last visit pane's header and changes, as drawn."""
    return screen_text(app).split("Since last visit", 1)[1]


async def test_since_view_shows_what_changed_and_steps_back_through_earlier_visits() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        shown = since_text(app)
        assert "Visit of 2026-11-20 (3 of 3) · current visit" in shown
        assert "What changed since the visit of 2026-08-19, 13 weeks before" in shown
        assert "PHQ-9: 12 (moderate) on 2026-08-19 → 16 (moderately severe) on 2026-11-20 (+4)" in shown
        assert "Thoughts of self-harm: no concern → follow-up" in shown and "Safety alerts raised" in shown
        assert "Previous plan (visit of 2026-08-19" in shown and "CBASP referral made" in shown
        await pilot.press("left_square_bracket")
        shown = since_text(app)
        assert "Visit of 2026-08-19 (2 of 3) · PAST VISIT, read-only (current: 2026-11-20)" in shown
        assert "PHQ-9: 17 (moderately severe) on 2026-05-20 → 12 (moderate) on 2026-08-19 (-5)" in shown
        assert "Safety alerts cleared" in shown and "Thoughts of self-harm marked concern in the checklist" in shown
        assert "Previous plan (visit of 2026-05-20" in shown and "Plan made at this visit (visit of 2026-08-19" in shown
        await pilot.press("left_square_bracket", "left_square_bracket")  # no visit before the first: stays
        shown = since_text(app)
        assert "Visit of 2026-05-20 (1 of 3)" in shown and "nothing earlier to compare with" in shown
        assert "Pill organiser for vortioxetine" in shown
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert "Visit of 2026-11-20 (3 of 3) · current visit" in since_text(app)


async def test_since_view_fits_at_80x24_and_its_keys_are_in_the_key_bar() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "left_square_bracket")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("Visit of 2026-08-19 (2 of 3) · PAST VISIT, read-only (current: 2026-11-20)" in line for line in lines)
        assert lines[-1].startswith("[ Earlier visit ] Later visit")


async def test_since_view_counts_days_between_visits_less_than_a_week_apart() -> None:
    from trd_tui.model import start_visit

    app = make_app(start_visit(load_demo(), TODAY + dt.timedelta(days=3)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert "What changed since the visit of 2026-11-20, 3 days before" in since_text(app)


async def test_no_key_in_the_since_view_edits_a_past_visit() -> None:
    from trd_tui.ui.panes.since import SincePane

    # Its only keys step between visits: nothing to edit with.
    assert {b.action for b in SincePane.BINDINGS} == {"step(-1)", "step(1)"}
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        await pilot.press("5", "left_square_bracket")
        await pilot.press(*"eoncfvmxdpsa", "space", "enter", "delete", "backspace", "down", "end")
        await pilot.pause()
        assert app.document.session == before and not app.document.dirty
        # An edit made meanwhile goes to the current visit; the past visit shown stays as it was.
        app.edit(with_checklist(before, "sleep", status=ReviewStatus.CONCERN), "sleep")
        await pilot.pause()
        assert app.document.session.visits[:-1] == before.visits[:-1]
        assert "Visit of 2026-08-19 (2 of 3) · PAST VISIT" in since_text(app)


async def test_since_view_steps_through_forty_visits_one_comparison_per_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.sessions import large
    from trd_tui.ui.panes import since as since_pane

    calls = []
    compare = since_pane.changes_at
    monkeypatch.setattr(since_pane, "changes_at", lambda *args: calls.append(args[2]) or compare(*args))
    session = large(content())
    app = make_app(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert "(40 of 40) · current visit" in since_text(app) and calls == []  # the assessment's own comparison
        await pilot.press(*["left_square_bracket"] * 39)
        await pilot.pause()
        first = session.visits[0].date.isoformat()
        assert f"Visit of {first} (1 of 40)" in since_text(app)
        assert calls == list(range(38, -1, -1))  # one visit compared per key, only the one shown


# -- the previous plan beside the new one ------------------------------------------

PREVIOUS_PLAN = "Start CBASP.\nRepeat PHQ-9 in 4 weeks.\nLetter to GP."


def file_with_previous_plan(tmp_path: Path, shared: bool = False) -> Path:
    from trd_tui.model import as_of

    session = as_of(load_demo(), LAST_VISIT)
    path = tmp_path / "patient.toml"
    save_session(with_plan(session, attrs.evolve(session.plan, text=PREVIOUS_PLAN, shared=shared)), path)
    return path


async def start_todays_visit_and_edit_the_plan(pilot) -> None:
    await pilot.pause()
    await pilot.click("#start")
    await pilot.pause()
    await pilot.press("4", "e")
    await pilot.pause()


async def test_plan_form_at_a_new_visit_shows_the_previous_plan_and_copies_it_in(tmp_path: Path) -> None:
    from textual.widgets import TextArea

    from trd_tui.ui.dialogs.plan_form import PlanForm

    app = make_app(document=Document.open(file_with_previous_plan(tmp_path), content()))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_todays_visit_and_edit_the_plan(pilot)
        form = app.screen
        assert isinstance(form, PlanForm)
        area = form.query_one("#plan-text", TextArea)
        assert area.text == "" and app.focused is area  # a new visit's plan starts empty, ready to type
        lines = screen_text(app).splitlines()
        assert any("Previous plan (visit of 2026-08-19" in line for line in lines)
        # Read-only, its line breaks kept: each line of the plan on a line of its own.
        rows = [next(i for i, line in enumerate(lines) if text in line) for text in PREVIOUS_PLAN.splitlines()]
        assert rows == sorted(set(rows)) and not form.query_one("#previous-plan-scroll").query(TextArea)
        # Everything fits at 80×24: the previous plan, the editor and the buttons.
        for selector in ("#previous-plan-scroll", "#plan-text", "#copy-previous", "#ok"):
            region = form.query_one(selector).region
            assert region.height > 0 and region.bottom <= 24 and region.right <= 80, selector
        box = form.query_one(".dialog-box").region
        assert box.x > 0 and abs(box.x - (80 - box.right)) <= 1  # centred, as every dialog is
        await pilot.press(*"Add rTMS.", "ctrl+r")
        await pilot.pause()
        assert area.text == f"Add rTMS.\n\n{PREVIOUS_PLAN}"  # after what was typed: nothing lost
        await pilot.click("#ok")
        await pilot.pause()
    session = app.document.session
    assert session.plan.text == f"Add rTMS.\n\n{PREVIOUS_PLAN}" and session.visits[-2].plan.text == PREVIOUS_PLAN


async def test_plan_form_hides_an_unshared_previous_plan_while_sharing(tmp_path: Path) -> None:
    from textual.widgets import Button, Static

    from trd_tui.privacy import EARLIER_PLAN_HIDDEN

    app = make_app(document=Document.open(file_with_previous_plan(tmp_path), content()), sharing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_todays_visit_and_edit_the_plan(pilot)
        shown = screen_text(app)
        assert "Start CBASP" not in shown
        assert str(app.screen.query_one("#previous-plan", Static).content) == EARLIER_PLAN_HIDDEN
        assert "2026-08-19" not in shown  # dates count from onset
        assert app.screen.query_one("#copy-previous", Button).disabled
        await pilot.press("ctrl+r")
        assert "Start CBASP" not in screen_text(app)


async def test_since_view_while_sharing_counts_months_and_hides_unshared_plans() -> None:
    from trd_tui.privacy import EARLIER_PLAN_HIDDEN

    app = make_app(sharing=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "left_square_bracket")
        await pilot.pause()
        shown = since_text(app)
        assert "Visit of month 24 (2 of 3) · PAST VISIT, read-only (current: month 27)" in shown
        assert "2026-" not in shown and "CBASP referral made" not in shown and "Pill organiser" not in shown
        assert shown.count(EARLIER_PLAN_HIDDEN) == 2  # the previous plan and this visit's
