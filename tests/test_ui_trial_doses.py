"""The trial form types each dose in its treatment's unit: the label says which, the file keeps mg,
and a weight-dosed treatment's number goes in the note (tests/test_doses.py has the units)."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Label

from clinical_helpers import session
from test_ui_trial_links import VENLAFAXINE, answer, error_at, submit
from trd_tui.model import Trial
from ui_helpers import TODAY, make_app, screen_text


def dose_label(app) -> str:
    return str(app.screen.query_one("#field-dose_mg .field-label", Label).render())


async def fill(pilot, **fields: str) -> None:
    form = pilot.app.screen
    for field, text in fields.items():
        form.query_one(f"#{field}", Input).value = text
    form.query_one("#ongoing").value = True
    await pilot.pause()


async def test_liothyronine_is_typed_in_mcg_kept_in_mg_and_reopens_as_typed() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        assert dose_label(app) == "Dose (mg/day)"
        await fill(pilot, treatment="liothyronine", dose_mg="25", start="2026-09-01")
        assert dose_label(app) == "Dose (mcg/day)"
        assert app.screen.query_one("#dose_mg", Input).placeholder == "usual 25–50 mcg/day"
        await submit(pilot)
        added = app.document.session.trials[-1]
        assert (added.treatment, added.dose_mg) == ("liothyronine", 0.025)
        assert "25 mcg" in screen_text(app)  # the timeline's Dose column
        await pilot.press("e")  # the new trial is the selected row
        await pilot.pause()
        assert app.screen.query_one("#dose_mg", Input).value == "25"
        assert dose_label(app) == "Dose (mcg/day)"


async def test_the_label_follows_the_treatment_as_it_is_typed_over() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "a")
        await fill(pilot, treatment="esketamine")
        assert dose_label(app) == "Dose (mg/dose)"
        await fill(pilot, treatment="sertraline", dose_mg="100", start="2026-09-01")
        assert dose_label(app) == "Dose (mg/day)"
        await submit(pilot)
        assert app.document.session.trials[-1].dose_mg == 100


async def test_ketamine_takes_no_number_and_says_where_its_dose_goes() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "a")
        await fill(pilot, treatment="ketamine", dose_mg="0.5", start="2026-09-01")
        assert dose_label(app) == "Dose"  # no unit to type a number in
        assert app.screen.query_one("#dose_mg", Input).placeholder == (
            "leave empty, note it: dosed by body weight (mg/kg), usual 0.5–1.0 mg/kg IV")
        await submit(pilot)
        assert error_at(app, "dose_mg") == "Ketamine (IV racemic) is dosed by body weight (mg/kg): write the dose in the note"
        assert app.document.session.trials == (VENLAFAXINE,)  # nothing saved with a misleading number
        await fill(pilot, dose_mg="", note="0.5 mg/kg over 40 min")
        await submit(pilot)
        added = app.document.session.trials[-1]
        assert (added.treatment, added.dose_mg, added.note) == ("ketamine", None, "0.5 mg/kg over 40 min")


async def test_a_misspelt_treatment_taken_as_the_packs_reads_its_dose_in_that_unit() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "a")
        await fill(pilot, treatment="liothyronin", dose_mg="25", start="2026-09-01")
        await submit(pilot)
        await answer(pilot, "use")
        added = app.document.session.trials[-1]
        assert (added.treatment, added.dose_mg) == ("liothyronine", 0.025)


@pytest.mark.parametrize(("treatment", "kept", "shown", "label"), [
    ("esketamine", 84, "84", "Dose (mg/dose)"),
    ("liothyronine", 0.025, "25", "Dose (mcg/day)"),
    ("ketamine", 35, "35", "Dose"),  # an older file's mg, never shown as mg/kg
])
async def test_a_kept_dose_reopens_in_its_unit(treatment: str, kept: float, shown: str, label: str) -> None:
    app = make_app(session(Trial(treatment=treatment, dose_mg=kept, start=dt.date(2026, 9, 1)), visit=TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "e")
        await pilot.pause()
        assert (app.screen.query_one("#dose_mg", Input).value, dose_label(app)) == (shown, label)
        if treatment == "ketamine":
            await submit(pilot)  # kept until the clinician moves it to the note
            assert error_at(app, "dose_mg").startswith("Ketamine (IV racemic) is dosed by body weight (mg/kg)")
            assert app.document.session.trials[0].dose_mg == kept
