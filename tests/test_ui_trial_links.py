"""Trials across visits, played by keys: an option marked started offers its trial, a trial
names what it augments and the timeline shows it, an adjunct defaults to augmentation, an end
typed as a length, episode severity beside the PHQ-9, and the timeline at a glance."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from clinical_helpers import session
from trd_tui.model import OptionStatus, Role, Trial
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from trd_tui.ui.dialogs.patient_form import PatientForm
from trd_tui.ui.dialogs.trial_form import TrialForm
from trd_tui.ui.panes.timeline import TimelineChart
from trd_tui.ui.panes.timeline_table import WIDE_FROM
from ui_helpers import TODAY, make_app, screen_text

pytestmark = pytest.mark.ui

VENLAFAXINE = Trial(treatment="venlafaxine", dose_mg=225, start=dt.date(2026, 6, 1))
ARIPIPRAZOLE = Trial(treatment="aripiprazole", role=Role.AUGMENTATION, dose_mg=5, start=dt.date(2026, 8, 3),
                     augments="venlafaxine")


def value(app, field: str) -> str:
    widget = app.screen.query_one(f"#{field}")
    if isinstance(widget, Select):
        return "" if widget.is_blank() else str(widget.value)
    return widget.value


def error_at(app, field: str) -> str:
    return str(app.screen.query_one(f"#field-{field} .field-error", Label).render())


async def submit(pilot) -> None:
    await pilot.click("#ok")
    await pilot.pause()


async def shown(pilot, kind: type) -> bool:
    """Wait until a screen of ``kind`` is on top: a dialog opened after an edit may come a little later under load."""
    for _ in range(50):
        if isinstance(pilot.app.screen, kind):
            return True
        await pilot.pause(0.1)
    return False


async def settled(pilot, read, expected):
    """What ``read()`` gives once it equals ``expected``, or after a few seconds (a new form's selects settle on mount)."""
    for _ in range(50):
        if read() == expected:
            break
        await pilot.pause(0.1)
    return read()


async def answer(pilot, choice: str) -> None:
    assert await shown(pilot, ChoiceDialog)
    pilot.app.screen.query_one(f"#{choice}", Button).press()
    await pilot.pause()


async def start_option(pilot, search: str) -> None:
    """In the Options pane, find an option and mark it started in the mark dialog."""
    await pilot.press("3")
    await pilot.pause()
    await pilot.press("slash", *search, "enter", "m", "s", "enter")
    await pilot.pause()


# -- issue 15 part 5: started options, augments --------------------------------------------------


async def test_marking_an_option_started_offers_its_trial_prefilled() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_option(pilot, "aripiprazole")
        await answer(pilot, "add")
        assert await shown(pilot, TrialForm)
        prefilled = ["Aripiprazole", "augmentation", "venlafaxine", TODAY.isoformat()]
        fields = ("treatment", "role", "augments", "start")
        assert await settled(pilot, lambda: [value(app, f) for f in fields], prefilled) == prefilled
        app.screen.query_one("#dose_mg", Input).value = "5"
        await submit(pilot)
        added = app.document.session.trials[-1]
        assert added == Trial(treatment="aripiprazole", role=Role.AUGMENTATION, dose_mg=5, start=TODAY,
                              augments="venlafaxine")
        assert app.document.session.options[-1].status is OptionStatus.STARTED
        assert app.document.can_undo == "add trial"  # the mark is its own undo step, before it


async def test_cancelling_the_offered_trial_keeps_the_started_mark() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_option(pilot, "lithium")
        await answer(pilot, "add")
        assert await shown(pilot, TrialForm)
        await pilot.press("escape")
        await pilot.pause()
        assert app.document.session.trials == (VENLAFAXINE,)
        mark = app.document.session.options[-1]
        assert (mark.id, mark.status, mark.since) == ("lithium-augmentation", OptionStatus.STARTED, TODAY)
        await start_option(pilot, "lithium")  # started again: nothing new to record, no offer
        assert not isinstance(app.screen, ChoiceDialog)


async def test_augments_is_chosen_saved_and_checked_against_the_base_trials_run() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        form = app.screen
        for field, text in {"treatment": "lithium", "start": "2026-05-01"}.items():
            form.query_one(f"#{field}", Input).value = text
        form.query_one("#ongoing").value = True
        augments = form.query_one("#augments", Select)
        assert [str(o[0]) for o in augments._options[1:]] == ["Venlafaxine"]  # the other trials' treatments
        augments.value = "venlafaxine"
        await submit(pilot)
        assert error_at(app, "augments") == "this trial must start while Venlafaxine ran (2026-06-01 to ongoing), after its start"
        assert app.document.session.trials == (VENLAFAXINE,)
        form.query_one("#start", Input).value = "2026-09-01"
        await submit(pilot)
        assert app.document.session.trials[-1].augments == "venlafaxine"


async def test_the_kept_forms_augments_list_follows_the_trials() -> None:
    """The Timeline pane reuses one form: its Augments list names the trials there are now."""
    app = make_app(session(VENLAFAXINE, visit=TODAY))

    def offered() -> list[str]:
        return [str(o[0]) for o in app.screen.query_one("#augments", Select)._options[1:]]

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        form = app.screen
        assert offered() == ["Venlafaxine"]
        for field, text in {"treatment": "lithium", "dose_mg": "600", "start": "2026-09-01"}.items():
            form.query_one(f"#{field}", Input).value = text
        form.query_one("#ongoing").value = True
        await submit(pilot)
        assert [t.treatment for t in app.document.session.trials] == ["venlafaxine", "lithium"]
        await pilot.press("a")  # the same form, refilled
        await pilot.pause()
        assert app.screen is form and offered() == ["Venlafaxine", "Lithium"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")  # on lithium, the trial just added: it cannot augment itself
        await pilot.pause()
        assert app.screen is form and value(app, "treatment") == "Lithium" and offered() == ["Venlafaxine"]


@pytest.mark.parametrize(("size", "role"), [((80, 24), "aug + Venlafaxine"), ((120, 40), "aug + Venlafaxine"),
                                            ((WIDE_FROM, 40), "augmentation + Venlafaxine")])
async def test_table_and_chart_show_what_a_trial_augments(size: tuple[int, int], role: str) -> None:
    app = make_app(session(VENLAFAXINE, ARIPIPRAZOLE, visit=TODAY))
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#trials", DataTable)
        labels = [str(c.label) for c in table.ordered_columns]
        assert str(table.get_row("1")[labels.index("Role")]) == role
        assert role in screen_text(app)  # on screen, not scrolled off
        chart = str(app.screen.query_one(TimelineChart).render()).split("\n")
        bars = {line[:14].strip(): line for line in chart}
        assert "+ Aripiprazole" in bars  # the add-on's row
        venlafaxine = bars["Venlafaxine"]
        assert "+" in venlafaxine[15:] and venlafaxine.index("+", 15) < venlafaxine.rindex("█")
        assert "+ add-on started" in chart[-1] or any("+ add-on started" in line for line in chart)


# -- issue 17 part 6: trial form defaults ------------------------------------------------------------


async def test_an_adjunct_defaults_to_augmentation_until_the_clinician_picks_a_role() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        await pilot.press(*"lithium")
        await pilot.pause()
        assert value(app, "role") == "augmentation"
        app.screen.query_one("#treatment", Input).value = "sertraline"  # changed its mind: an antidepressant
        await pilot.pause()
        assert value(app, "role") == "monotherapy"
        app.screen.query_one("#role", Select).value = "combination"  # the clinician's choice stays
        await pilot.pause()
        app.screen.query_one("#treatment", Input).value = "T3"
        await pilot.pause()
        assert value(app, "role") == "combination"


async def test_a_typed_add_on_augments_the_one_running_antidepressant_until_the_clinician_picks() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a", *"lithium")
        await pilot.pause()
        assert (value(app, "role"), value(app, "augments")) == ("augmentation", "venlafaxine")
        app.screen.query_one("#treatment", Input).value = "sertraline"  # an antidepressant: added to nothing
        await pilot.pause()
        assert (value(app, "role"), app.screen.query_one("#augments", Select).is_blank()) == ("monotherapy", True)
        app.screen.query_one("#treatment", Input).value = "aripiprazole"
        await pilot.pause()
        assert value(app, "augments") == "venlafaxine"
        app.screen.query_one("#role", Select).value = "monotherapy"  # the clinician's role: it augments nothing
        await pilot.pause()
        assert app.screen.query_one("#augments", Select).is_blank()
        app.screen.query_one("#role", Select).value = "combination"
        await pilot.pause()
        assert value(app, "augments") == "venlafaxine"
        app.screen.query_one("#augments", Select).clear()  # the clinician's choice: added to nothing recorded
        await pilot.pause()
        app.screen.query_one("#treatment", Input).value = "lithium"
        app.screen.query_one("#role", Select).value = "augmentation"
        await pilot.pause()
        assert app.screen.query_one("#augments", Select).is_blank()


@pytest.mark.parametrize(("typed", "hint"), [
    ("lithium", "usual 600–1200 mg/day (serum 0.5–0.8 mmol/L)"),  # the pack's own words and unit
    ("venlafaxine", "usual 75–225 mg/day (XR) (to be confirmed)"),  # and its own doubt (dose_to_confirm)
    ("rTMS", "leave empty: no mg/day dose"),
    ("CBT", "leave empty: no mg/day dose"),
    ("fish oil", "highest daily dose sustained"),  # free text: no figure that could read as advice
])
async def test_the_dose_field_hints_the_packs_usual_dose_or_none(typed: str, hint: str) -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a", *typed)
        await pilot.pause()
        assert app.screen.query_one("#dose_mg", Input).placeholder == hint


async def test_an_end_can_be_typed_as_a_length() -> None:
    app = make_app(session(VENLAFAXINE, visit=TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        form = app.screen
        for field, text in {"treatment": "sertraline", "dose_mg": "100", "start": "2026-01-05", "end": "5 fortnights"}.items():
            form.query_one(f"#{field}", Input).value = text
        await submit(pilot)
        assert error_at(app, "end") == (
            "not a length: type a number and days, weeks or months, such as 5 weeks, 3 months or 10 days")
        form.query_one("#end", Input).value = "5 weeks"
        await pilot.pause()
        assert str(form.query_one("#end-hint", Label).render()) == "= ends 2026-02-09"
        await submit(pilot)
        assert app.document.session.trials[-1].end == dt.date(2026, 2, 9)


async def test_episode_severity_offers_msm_levels_and_says_how_the_phq9_maps() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PatientForm)
        offered = [str(o[1]) for o in app.screen.query_one("#severity", Select)._options[1:]]
        assert offered == ["subsyndromal", "mild", "moderate", "severe", "severe-psychotic"]
        latest = str(app.screen.query_one("#severity-latest", Static).render())
        assert latest == ("Latest PHQ-9 16 (2026-11-20) is moderately severe: no MSM level of that name; "
                          "choose by clinical judgement.")
        mapping = str(app.screen.query_one("#severity-mapping", Static).render())
        assert "15–19 moderately severe → none" in mapping and "[MSM]" in mapping
        assert "The reference gives no PHQ-9 threshold for MSM levels" in " ".join(mapping.split())


# -- issue 17 part 8: the timeline at a glance ------------------------------------------------------


async def test_earlier_episodes_fold_to_one_line_and_f_shows_them() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        chart = app.screen.query_one(TimelineChart)
        lines = str(chart.render()).split("\n")
        assert lines[0].startswith("◂1 earlier (f)")  # how many are folded, and the key that shows them
        assert not any(line.startswith("Escitalopram") for line in lines)
        assert "2019" not in lines[1] and "2020" not in lines[1]  # the axis starts at the onset
        await pilot.press("f")
        await pilot.pause()
        lines = str(chart.render()).split("\n")
        assert any(line.startswith("Escitalopram") for line in lines) and "2020" in lines[1]
        assert "f folds the earlier episode" in " ".join(lines)


async def test_the_table_at_80_columns_keeps_role_and_adherence_and_drops_reason() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        header = next(line for line in screen_text(app).split("\n") if line.lstrip().startswith("Treatment"))
        assert "Adh." in header and "Role" in header
        table = app.screen.query_one("#trials", DataTable)
        assert "Reason" not in [str(c.label) for c in table.ordered_columns]
        row = next(line for line in screen_text(app).split("\n") if line.lstrip().startswith("Sertraline") and "adequate" in line)
        assert row.split()[:6] == ["Sertraline", "█", "adequate", "none", "good", "mono"]
