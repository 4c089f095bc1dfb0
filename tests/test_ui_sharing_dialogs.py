"""Sharing mode covers every form and dialog (issue 13 part 6), and the plan on the Summary pane.

Each form is opened while sharing and the screen is read as the terminal shows it: no
calendar date, no clinician note, no record id. The problems, recovery and file-in-use
dialogs are covered in test_ui_sharing.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from trd_tui.storage import sessionfile
from trd_tui.model import Plan
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from trd_tui.ui.dialogs.option_mark import OptionMark
from trd_tui.ui.dialogs.patient_form import PatientForm
from trd_tui.ui.dialogs.plan_form import PlanForm
from trd_tui.ui.dialogs.scale_form import ScaleForm
from trd_tui.ui.dialogs.trial_form import TrialForm
from ui_helpers import make_app, screen_text

ISO_DATE = re.compile(r"(19|20)\d\d-\d\d")
PLAN_TEXT = "Discuss esketamine and rTMS"  # the demo's plan starts so
RECORD_ID = "MRN-4471"


def demo_with(**changes: object):
    demo = sessionfile.load_demo()
    return attrs.evolve(demo, **changes)


def leaks(shown: str, *texts: str) -> list[str]:
    found = [text for text in texts if text in shown]
    if match := ISO_DATE.search(shown):
        found.append(match[0])
    return found


async def stop_sharing(pilot) -> None:
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ChoiceDialog)
    await pilot.click("#stop")
    await pilot.pause()


async def test_the_kept_trial_form_follows_sharing_each_time_it_is_shown_both_ways() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "e")  # the first trial (2019, note "Previous episode.")
        await pilot.pause()
        assert isinstance(app.screen, TrialForm)
        assert "2019-03-01" in screen_text(app) and "Previous episode." in screen_text(app)
        await pilot.press("escape", "f3", "e")  # sharing on: the same form object again
        await pilot.pause()
        assert leaks(screen_text(app), "Previous episode.") == []
        await pilot.press("escape")
        await stop_sharing(pilot)
        await pilot.press("e")  # sharing off again: shown as recorded
        await pilot.pause()
        assert "2019-03-01" in screen_text(app) and "Previous episode." in screen_text(app)


async def test_scale_form_while_sharing() -> None:
    app = make_app(sharing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "t", "e")  # edit the highlighted score
        await pilot.pause()
        assert isinstance(app.screen, ScaleForm)
        assert leaks(screen_text(app)) == []


async def test_patient_form_while_sharing() -> None:
    demo = sessionfile.load_demo()
    session = attrs.evolve(demo, patient=attrs.evolve(demo.patient, record_id=RECORD_ID))
    app = make_app(session, sharing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PatientForm)
        shown = screen_text(app)
        assert leaks(shown, RECORD_ID, "1981", "Second episode") == []
        assert "Demo patient" in shown  # the pseudonymous label is what sharing shows


async def test_option_mark_while_sharing() -> None:
    app = make_app(sharing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "slash", *"esketamine", "enter", "m")
        await pilot.pause()
        assert isinstance(app.screen, OptionMark)
        assert leaks(screen_text(app), "Interested; transport") == []


async def test_plan_form_while_sharing_hides_an_unshared_plan_and_keeps_it() -> None:
    app = make_app(sharing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "e")
        await pilot.pause()
        assert isinstance(app.screen, PlanForm)
        shown = screen_text(app)
        assert leaks(shown, PLAN_TEXT) == [] and "hidden while sharing" in shown
        await pilot.click("#ok")  # applied while hidden: the text is kept, not blanked
        await pilot.pause()
        assert app.document.session.plan.text.startswith(PLAN_TEXT)


async def test_summary_hides_the_plan_while_sharing_unless_it_is_marked_shared() -> None:
    session = demo_with()
    for shared, sharing, shown in ((False, True, False), (True, True, True), (False, False, True)):
        plan = attrs.evolve(session.plan, shared=shared)
        app = make_app(attrs.evolve(session, plan=plan), sharing=sharing)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("4")
            await pilot.pause()
            summary = app.screen.query_one("#summary-markdown").source
            assert (PLAN_TEXT in summary) is shown, (shared, sharing)
            assert ("Plan text hidden while sharing" in summary) is not shown


async def test_the_plan_form_marks_the_plan_shared_and_then_shows_it_while_sharing() -> None:
    app = make_app(sharing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "e")
        await pilot.pause()
        await pilot.click("#plan-shared")  # "Share with the patient"
        await pilot.pause()
        assert PLAN_TEXT in screen_text(app)  # the clinician chose to show it
        await pilot.click("#ok")
        await pilot.pause()
        assert app.document.session.plan.shared
        assert PLAN_TEXT in app.screen.query_one("#summary-markdown").source


def test_the_shared_flag_round_trips_and_is_left_out_when_false(tmp_path: Path) -> None:
    demo = sessionfile.load_demo()
    path = tmp_path / "visit.toml"
    sessionfile.save_session(demo, path)
    assert "shared" not in path.read_text()  # files that never share their plan are unchanged
    assert sessionfile.load_session(path).plan.shared is False
    sessionfile.save_session(attrs.evolve(demo, plan=attrs.evolve(demo.plan, shared=True)), path)
    assert "shared = true" in path.read_text()
    assert sessionfile.load_session(path).plan == Plan(demo.plan.text, demo.plan.next_review, shared=True)
