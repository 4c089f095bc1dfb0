"""The Timeline pane and the trial form, driven by keys at 80×24."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, Label

from clinical_helpers import failed, session
from trd_tui.model import Adherence, Outcome, Role, Trial
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from trd_tui.ui.panes.timeline import TimelineChart
from trd_tui.ui.panes.timeline_table import WIDE_FROM
from trd_tui.ui.dialogs.trial_form import NOT_IN_PACK, TrialForm
from test_ui_app import header
from ui_helpers import content, make_app

pytestmark = pytest.mark.ui

MIRTAZAPINE = "4"  # row key: its index in the demo's trials


def table(app) -> DataTable:
    return app.screen.query_one("#trials", DataTable)


def row(app, key: str) -> dict[str, str]:
    """A table row as {column label: cell text}, so tests do not depend on column order."""
    labels = [str(c.label) for c in table(app).ordered_columns]
    return dict(zip(labels, (str(cell) for cell in table(app).get_row(key)), strict=True))


def shown(widget) -> str:
    return str(widget.render())


def error_at(app, field: str) -> str:
    return shown(app.screen.query_one(f"#field-{field} .field-error", Label))


async def open_timeline(pilot, key: str | None = None) -> None:
    """Show the pane (the table gets the keyboard) and highlight the trial with row ``key``."""
    await pilot.press("2")
    if key is not None:
        t = table(pilot.app)
        t.move_cursor(row=t.get_row_index(key))
    await pilot.pause()


async def type_into(pilot, field: str, text: str) -> None:
    """Focus an input of the open form, clear it and type ``text``."""
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press("home", "ctrl+k", *text)


async def fill(pilot, **values: str) -> None:
    """Set inputs of the open form as if typed (quicker than keys; one test types everything)."""
    for field, text in values.items():
        pilot.app.screen.query_one(f"#{field}", Input).value = text
    await pilot.pause()


async def submit(pilot) -> None:
    """Apply the form (its Apply button; ctrl+s would also save the file)."""
    await pilot.click("#ok")
    await pilot.pause()


VALID = {"treatment": "sertraline", "dose_mg": "100", "start": "2025-01-01", "end": "2025-06-01"}


async def test_pane_gives_the_table_the_keyboard_and_lists_trials_by_start() -> None:
    app = make_app()
    async with app.run_test(size=(WIDE_FROM, 40)) as pilot:  # wide enough for every column in words
        await open_timeline(pilot)
        assert app.focused is table(app)
        keys = [r.key.value for r in table(app).ordered_rows]
        assert keys == ["0", "1", "2", "3", "4", "5"]  # the demo's trials are already in start order
        mirtazapine = row(app, MIRTAZAPINE)
        assert [mirtazapine[c] for c in ("Treatment", "Role", "Dose", "Start", "End")] == [
            "Mirtazapine", "monotherapy", "7.5 mg", "2025-06-10", "2025-09-01"]
        assert row(app, "5")["End"] == "ongoing"
        assert mirtazapine["Adequacy"] == "▒ dose too low"
        assert mirtazapine["Reason"].startswith("7.5 mg/day is below")
        # The demo's vortioxetine was recorded as a partial response; the PHQ-9s measured 16%.
        assert row(app, "5")["Outcome"] == "partial ⚠ measured none"


async def test_detail_shows_every_reason_of_the_highlighted_trial() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot, "5")
        detail = shown(app.screen.query_one("#trial-detail"))
        assert detail.startswith("Vortioxetine · 20 mg/day · monotherapy · adherence partial · adequate")  # the dose: no column at 80
        for reason in app.assessment.trials[5].reasons:
            assert f"• {reason}" in detail


async def test_add_a_trial_entirely_by_keys() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TrialForm) and app.focused is app.screen.query_one("#treatment")
        await pilot.press(*"bupropion", "tab")  # treatment; on to role (kept: monotherapy)
        await pilot.press("tab", "tab", *"300", "tab", *"2026-01-05", "tab", *"2026-01-19")  # dose, start, dose reached
        await pilot.press("tab", *"2026-04-01")  # end
        await pilot.press("tab", "tab", "enter", "up", "enter")  # past Ongoing; adherence unknown → poor
        await pilot.press("tab", "enter", "up", "up", "enter")  # outcome unknown → none
        await pilot.press("tab", *"insomnia, dry mouth", "tab", *"no effect", "tab", *"[b]bold?[/b]", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, TrialForm)
        added = app.document.session.trials[-1]
        assert added == Trial(
            treatment="bupropion",
            dose_mg=300,
            start=dt.date(2026, 1, 5),
            dose_reached=dt.date(2026, 1, 19),
            end=dt.date(2026, 4, 1),
            adherence=Adherence.POOR,
            outcome=Outcome.NONE,
            side_effects=("insomnia", "dry mouth"),
            stop_reason="no effect",
            note="[b]bold?[/b]",
        )
        assert row(app, "6")["Treatment"] == "Bupropion" and row(app, "6")["Adequacy"] == "▒ poor adherence"
        assert table(app).cursor_row == table(app).get_row_index("6")  # the new trial is highlighted
        assert "[b]bold?[/b]" in shown(app.screen.query_one("#trial-detail"))
        assert app.document.can_undo == "add trial"


async def test_a_second_failed_antidepressant_meets_the_trd_definition() -> None:
    app = make_app(session(failed(content(), "sertraline")))
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.assessment.trd.meets_definition and "TRD no (1 failed)" in header(app)
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, treatment="citalopram", dose_mg="20", start="2026-03-01", end="2026-05-01")
        app.screen.query_one("#adherence").value = "good"
        app.screen.query_one("#outcome").value = "partial"
        await submit(pilot)
        assert app.assessment.trd.meets_definition
        assert "TRD yes (2 failed)" in header(app)
        assert row(app, "1")["Adequacy"] == "█ adequate"


async def test_enter_edits_and_a_higher_dose_makes_mirtazapine_adequate() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session.trials[4]
        await open_timeline(pilot, MIRTAZAPINE)
        assert "TRD yes (3)" in header(app)  # the header's short labels at 80 columns
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TrialForm)
        assert app.screen.query_one("#treatment", Input).value == "Mirtazapine"
        await type_into(pilot, "dose_mg", "30")
        await submit(pilot)
        assert app.document.session.trials[4] == attrs.evolve(before, dose_mg=30)
        assert app.assessment.trials[4].adequacy.value == "adequate"
        assert row(app, MIRTAZAPINE)["Adequacy"] == "█ adequate"
        assert "TRD yes (4)" in header(app)
        assert table(app).cursor_row == table(app).get_row_index(MIRTAZAPINE)  # still on the edited trial
        assert app.document.can_undo == "edit trial"


async def test_editing_keeps_unknown_keys() -> None:
    s = session(attrs.evolve(failed(content(), "sertraline"), extra={"colour": "blue"}))
    app = make_app(s)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot, "0")
        await pilot.press("e")
        await type_into(pilot, "dose_mg", "75")
        await submit(pilot)
        assert app.document.session.trials[0].extra == {"colour": "blue"}
        assert app.document.session.trials[0].dose_mg == 75


async def test_duplicate_adds_a_changed_copy() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        original = app.document.session.trials[1]
        await open_timeline(pilot, "1")
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.query_one("#treatment", Input).value == "Sertraline"
        await fill(pilot, start="2026-02-01", end="2026-05-01")
        await submit(pilot)
        trials = app.document.session.trials
        assert len(trials) == 7 and trials[1] is original
        assert trials[6] == attrs.evolve(original, start=dt.date(2026, 2, 1), end=dt.date(2026, 5, 1))
        assert app.document.can_undo == "duplicate trial"


async def test_delete_asks_cancel_keeps_confirm_removes_and_undo_restores() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = app.document.session
        await open_timeline(pilot, "2")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#cancel")
        await pilot.pause()
        assert app.document.session == before
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#delete")
        await pilot.pause()
        assert [t.treatment for t in app.document.session.trials] == [
            "escitalopram", "sertraline", "aripiprazole", "mirtazapine", "vortioxetine"
        ]
        assert table(app).row_count == 5
        assert "Deleted Venlafaxine (started 2025-01-20) — ctrl+z to undo" in [n.message for n in app._notifications]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.document.session == before and table(app).row_count == 6


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("end", "2024-12-01", "before start"),
        ("dose_mg", "abc", "must be a number"),
        ("dose_mg", "-5", "must be more than 0 and at most 10000 mg/day"),
        ("dose_mg", "99999999999999999999", "must be more than 0 and at most 10000 mg/day"),
        ("dose_mg", "1e400", "must be a number"),
        ("start", "0001-01", "must be between 1900-01-01 and 2100-12-31"),  # finding 3: OverflowError, work lost
        ("end", "9999-12-31", "must be between 1900-01-01 and 2100-12-31"),
        ("start", "2027-01-01", "after the visit date (2026-11-20)"),
        ("start", "2025-13-45", "use YYYY-MM-DD"),
        ("treatment", "", "is empty"),
    ],
)
async def test_each_error_shows_at_its_field_and_changes_nothing(field: str, typed: str, message: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, **{**VALID, field: typed})
        await submit(pilot)
        assert isinstance(app.screen, TrialForm)  # still open, with the error at the field
        assert message in error_at(app, field)
        others = [name for name in ("treatment", "dose_mg", "start", "end") if name != field]
        assert all(error_at(app, name) == "" for name in others)
        assert app.document.session == before


async def test_every_error_shows_at_once() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, dose_mg="abc", start="soon")
        await submit(pilot)
        assert error_at(app, "treatment") == "is empty" and error_at(app, "dose_mg") == "must be a number"
        assert "YYYY-MM-DD" in error_at(app, "start") and error_at(app, "end") == "required, or tick Ongoing"


async def test_escape_cancels_without_change() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        await open_timeline(pilot, MIRTAZAPINE)
        await pilot.press("e")
        await type_into(pilot, "dose_mg", "45")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TrialForm)
        assert app.document.session == before and not app.document.dirty


async def test_a_reopened_form_starts_over_as_a_new_one_would() -> None:
    """The pane keeps one form and refills it: nothing of the last use may show."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot, MIRTAZAPINE)
        await pilot.press("e")
        await fill(pilot, dose_mg="abc", note="left behind")
        app.screen.query_one("#ongoing", Checkbox).value = True
        await submit(pilot)
        assert error_at(app, "dose_mg") == "must be a number"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrialForm)
        values = {name: form.query_one(f"#{name}", Input).value for name in ("treatment", "dose_mg", "end", "note")}
        assert values == {"treatment": "", "dose_mg": "", "end": "", "note": ""}
        assert not form.query_one("#ongoing", Checkbox).value and not form.query_one("#end", Input).disabled
        assert form.query_one("#role").value == "monotherapy" and form.query_one("#outcome").value == "unknown"
        assert all(error_at(app, name) == "" for name in ("treatment", "dose_mg", "start", "end"))
        assert shown(form.query_one(".dialog-title", Label)) == "Add trial"
        assert app.focused is form.query_one("#treatment")
        await pilot.press("escape")
        await pilot.pause()
        await open_timeline(pilot, MIRTAZAPINE)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrialForm)
        assert shown(form.query_one(".dialog-title", Label)) == "Duplicate trial"
        assert form.query_one("#treatment", Input).value == "Mirtazapine"
        assert form.query_one("#dose_mg", Input).value == "7.5"
        assert "adequate from 15 mg/day" in shown(form.query_one("#treatment-hint", Label))


async def test_a_brand_name_is_stored_as_the_content_id() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, **{**VALID, "treatment": "Zoloft"})
        assert shown(app.screen.query_one("#treatment-hint")).startswith("= Sertraline")
        await submit(pilot)
        assert app.document.session.trials[-1].treatment == "sertraline"


async def test_free_text_warns_is_stored_as_typed_and_shown_literally() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        # In the current episode: an earlier episode's trial is folded out of the chart.
        await fill(pilot, **{**VALID, "treatment": "[red]x[/] tea", "start": "2026-01-05", "end": "2026-03-01"})
        hint = app.screen.query_one("#treatment-hint")
        assert shown(hint) == NOT_IN_PACK and hint.has_class("-warning")
        await submit(pilot)
        await choose(pilot, "keep")  # asked first; nothing in the pack comes close
        assert app.document.session.trials[-1].treatment == "[red]x[/] tea"
        assert row(app, "0")["Treatment"] == "[red]x[/] tea" and row(app, "0")["Adequacy"] == "░ not rated"
        assert "[red]x[/] tea" in shown(app.screen.query_one(TimelineChart))


async def choose(pilot, choice: str) -> None:
    """Answer the question the form asked, by its button."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ChoiceDialog)
    dialog.query_one(f"#{choice}", Button).press()
    await pilot.pause()


async def test_a_misspelt_treatment_is_offered_its_closest_match_before_free_text_is_kept() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, **{**VALID, "treatment": "Welbutrin", "dose_mg": "300"})
        hint = shown(app.screen.query_one("#treatment-hint"))
        assert hint == f"{NOT_IN_PACK} · did you mean Bupropion (Wellbutrin)?"
        assert "not rated, not counted" in hint
        await submit(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        message = shown(dialog.query_one(".dialog-message"))
        assert "Did you mean Bupropion (Wellbutrin)?" in message and "not rated and not counted" in message
        assert app.document.session.trials == ()  # nothing kept while it asks
        await choose(pilot, "use")
        assert not isinstance(app.screen, (TrialForm, ChoiceDialog))
        assert app.document.session.trials[-1].treatment == "bupropion"


async def test_an_unfinished_name_left_by_tab_is_offered_and_back_returns_to_the_form() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, **VALID)
        await type_into(pilot, "treatment", "sert")
        await pilot.press("tab")  # leaves the field without taking the suggestion
        assert app.screen.query_one("#treatment", Input).value == "sert"
        await submit(pilot)
        assert "Did you mean Sertraline?" in shown(app.screen.query_one(".dialog-message"))
        await choose(pilot, "back")
        assert isinstance(app.screen, TrialForm) and app.document.session.trials == ()
        await submit(pilot)
        await choose(pilot, "keep")
        assert app.document.session.trials[-1].treatment == "sert"
        assert app.assessment.trials[-1].adequacy == "not-rated"


async def test_dose_reached_is_checked_like_the_other_dates_and_counts_the_weeks() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, **{**VALID, "dose_reached": "2024-12-01"})
        await submit(pilot)
        assert error_at(app, "dose_reached") == "before start"
        await fill(pilot, dose_reached="2025-13-01")
        await submit(pilot)
        assert "YYYY-MM-DD" in error_at(app, "dose_reached")
        # 2025-01-01 to 2025-06-01 at 100 mg/day, reached 2025-05-01: 4.4 weeks at the dose.
        await fill(pilot, dose_reached="2025-05-01")
        await submit(pilot)
        added = app.document.session.trials[-1]
        assert added.dose_reached == dt.date(2025, 5, 1)
        assert app.assessment.trials[-1].adequacy == "too-short"


async def test_year_and_month_means_the_first() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, **{**VALID, "start": "2025-03", "end": "2025-07"})
        await submit(pilot)
        added = app.document.session.trials[-1]
        assert (added.start, added.end) == (dt.date(2025, 3, 1), dt.date(2025, 7, 1))


async def test_ongoing_clears_and_disables_the_end() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("a")
        await fill(pilot, **VALID)
        app.screen.query_one("#ongoing", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        end = app.screen.query_one("#end", Input)
        assert end.disabled and end.value == ""
        await submit(pilot)
        assert app.document.session.trials[-1].end is None
        assert row(app, "6")["End"] == "ongoing"


async def test_without_trials_the_editing_keys_are_off() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        assert "No trials recorded" in shown(app.screen.query_one("#trial-detail"))
        for key in ("e", "d", "x", "enter"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.__class__.__name__ == "MainScreen"
        await pilot.press("a")
        await fill(pilot, **VALID)
        await pilot.press("enter")  # Enter in a field submits
        await pilot.pause()
        assert app.document.session.trials[0].role is Role.MONOTHERAPY


async def test_chart_refits_when_the_terminal_is_resized() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        chart = app.screen.query_one(TimelineChart)
        for width, height in ((80, 24), (120, 40)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            lines = shown(chart).split("\n")
            assert max(len(line) for line in lines) == chart.content_size.width == width - 2
        # Taller: more bars; every trial of the current episode fits at 120×40, the earlier one folded.
        assert sum(line.startswith(("Sertraline", "Vortioxetine")) for line in lines) == 2
        assert lines[0].startswith("◂1 earlier (f)")
