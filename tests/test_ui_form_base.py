"""What every form shares (FormDialog): ctrl+s applies the form and saves the file, Enter or
OK applies only, Escape cancels, and keys typed before ctrl+s are never lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from trd_tui.storage import sessionfile
from trd_tui.document import Document
from trd_tui.ui.dialogs.form import FormDialog
from trd_tui.ui.dialogs.option_mark import OptionMark
from trd_tui.ui.dialogs.patient_form import PatientForm
from trd_tui.ui.dialogs.plan_form import PlanForm
from trd_tui.ui.dialogs.scale_form import ScaleForm
from trd_tui.ui.dialogs.trial_form import TrialForm
from trd_tui.ui.screens.main import MainScreen
from ui_helpers import content, make_app


@pytest.fixture
def saved_demo(tmp_path: Path) -> Path:
    path = tmp_path / "visit.toml"
    sessionfile.save_session(sessionfile.load_demo(), path)
    return path


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.press("home", "ctrl+k", *text)


async def edit_trial(pilot) -> None:
    await type_into(pilot, "#dose_mg", "123")


async def edit_score(pilot) -> None:
    pass  # applying it unchanged is still an edit to save


async def edit_plan(pilot) -> None:
    pilot.app.screen.query_one("#plan-text", TextArea).text = "Plan typed in the form"


async def edit_patient(pilot) -> None:
    await type_into(pilot, "#clinician", "Dr Form")


async def edit_mark(pilot) -> None:
    await pilot.press("d")  # discussed


def trial_saved(session) -> bool:
    return any(t.dose_mg == 123 for t in session.trials)


FORMS = {
    "trial": (["2", "e"], TrialForm, edit_trial, trial_saved),
    "scale": (["2", "t", "e"], ScaleForm, edit_score, lambda s: True),
    "plan": (["4", "e"], PlanForm, edit_plan, lambda s: s.plan.text == "Plan typed in the form"),
    "patient": (["f2"], PatientForm, edit_patient, lambda s: s.session.clinician == "Dr Form"),
    "option mark": (["3", "m"], OptionMark, edit_mark, lambda s: any(o.status.value == "discussed" for o in s.options[:1])),
}


@pytest.mark.parametrize("form", FORMS)
async def test_ctrl_s_in_any_form_applies_it_and_saves_the_file(form: str, saved_demo: Path) -> None:
    keys, form_class, edit, saved = FORMS[form]
    app = make_app(document=Document.open(saved_demo, content()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, form_class)
        await edit(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the save runs in a worker after the form closes
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert not app.document.dirty
        on_disk = sessionfile.load_session(saved_demo)
        assert on_disk == app.document.session and saved(on_disk)


async def test_enter_applies_the_form_without_saving(saved_demo: Path) -> None:
    before = saved_demo.read_bytes()
    app = make_app(document=Document.open(saved_demo, content()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "e")
        await edit_trial(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.document.dirty and trial_saved(app.document.session)
    assert saved_demo.read_bytes() == before


@pytest.mark.parametrize("form", ["trial", "patient"])
async def test_keys_queued_before_ctrl_s_reach_the_field_first(form: str) -> None:
    """ctrl+s is a priority binding, handled ahead of keys already queued for the field."""
    keys, form_class, _, _ = FORMS[form]
    field = {"trial": "#dose_mg", "patient": "#clinician"}[form]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        await type_into(pilot, field, "12")
        dialog = app.screen
        assert isinstance(dialog, form_class) and isinstance(dialog, FormDialog)
        typed = dialog.query_one(field, Input)
        typed.post_message(events.Key("3", "3"))  # still queued when ctrl+s acts
        dialog.action_submit()
        await pilot.pause()
        session = app.document.session
        value = next(t.dose_mg for t in session.trials if t.dose_mg == 123) if form == "trial" else session.session.clinician
        assert str(value) == "123"


@pytest.mark.parametrize("form", FORMS)
async def test_escape_closes_any_form_without_change(form: str) -> None:
    keys, form_class, edit, _ = FORMS[form]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        before = app.document.session
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, form_class)
        await edit(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.document.session == before
