"""The patient/episode form (F2) and the plan form (Summary pane, e)."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select

from trd_tui.model import Severity
from trd_tui.ui.dialogs.form import Field
from trd_tui.ui.dialogs.patient_form import PatientForm
from trd_tui.ui.dialogs.plan_form import PlanForm
from ui_helpers import make_app
import pytest

pytestmark = pytest.mark.ui


async def replace_text(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text) if text else None


async def test_f2_edits_episode_and_the_header_follows() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, PatientForm)
        await replace_text(pilot, "#onset", "2026-01")  # YYYY-MM means the 1st
        app.screen.query_one("#severity", Select).value = "moderate"
        await pilot.press("enter")  # applies; ctrl+s would also save (an untitled session asks where)
        await pilot.pause()
        episode = app.document.session.episode
        assert episode.onset == dt.date(2026, 1, 1) and episode.severity is Severity.MODERATE
        # Trials that ended before the new onset leave the current episode: only vortioxetine
        # still counts. 10 complete months (1) + moderate (3) + 1 failure (1) = 5.
        assert app.assessment.maudsley.score.score == 5
        header = str(app.screen.query_one("#header-session").render())
        assert "TRD no (1)" in header and "MSM 5 mild" in header  # short labels at 80 columns


async def test_patient_form_errors_are_shown_at_the_field_and_nothing_changes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        await pilot.press("f2")
        await replace_text(pilot, "#onset", "2026-13-40")
        await replace_text(pilot, "#birth_year", "nineteen")
        await replace_text(pilot, "#label", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PatientForm)
        errors = {f.field_name: str(f.query_one(".field-error").render()) for f in form.query(Field) if f.has_class("-invalid")}
        assert errors == {
            "onset": "use YYYY-MM-DD (or YYYY-MM for the 1st)",
            "birth_year": "must be a number",
        }
        await replace_text(pilot, "#onset", "2025-01-01")
        await replace_text(pilot, "#birth_year", "1980")
        await pilot.press("ctrl+s")
        await pilot.pause()
        errors = {f.field_name for f in form.query(Field) if f.has_class("-invalid")}
        assert errors == {"label"}  # a blank label is caught by the model's own rule
        await pilot.press("escape")
        await pilot.pause()
        assert app.document.session == before


async def test_onset_after_the_visit_is_refused() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await replace_text(pilot, "#onset", "2027-01-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = app.screen.query_one("#field-onset", Field)
        assert field.has_class("-invalid") and "after the visit date" in str(field.query_one(".field-error").render())


async def test_plan_is_edited_from_the_summary_pane() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "e")
        assert isinstance(app.screen, PlanForm)
        area = app.screen.query_one("#plan-text")
        area.text = "Start [b]rTMS[/b] referral"
        await replace_text(pilot, "#next-review", "2027-01-15")
        await pilot.press("enter")
        await pilot.pause()
        plan = app.document.session.plan
        assert (plan.text, plan.next_review) == ("Start [b]rTMS[/b] referral", dt.date(2027, 1, 15))
        await pilot.pause()
        summary = app.screen.query_one("#summary-markdown").source
        assert "Start \\[b\\]rTMS\\[/b\\] referral" in summary and "Next review: 2027-01-15" in summary


async def test_copy_summary_sends_the_markdown_and_says_how_to_fall_back() -> None:
    from trd_tui.export.summary import to_markdown

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("4", "y")
        await pilot.pause()
        assert app.clipboard == to_markdown(app.assessment, app.content)
        assert any("OSC 52" in n.message for n in app._notifications)
