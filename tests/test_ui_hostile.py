"""Every screen survives hostile text: markup, escapes, RTL, combining marks, a 1 MB note."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from trd_tui.storage import sessionfile
from trd_tui.document import Document
from trd_tui.model import ChecklistEntry, Measurement, OptionNote, OptionStatus, ReviewStatus, Trial, with_visit
from ui_helpers import content, make_app

pytestmark = pytest.mark.ui

MARKUP = "[red]x[/] [@click=app.quit]quit[/] [b]"
NASTY = [MARKUP, "[/]", "\x1b[2J\x1b]0;pwned\x07", "\u202eevil\u202c", "e\u0301\u0301\u0301", "\u0000\u0007"]
HUGE = "x" * 1_000_000


def hostile_session():
    s = sessionfile.load_demo()
    text = " ".join(NASTY)
    checklist = {item: ChecklistEntry(ReviewStatus.CONCERN, text) for item in content().checklist_items}
    checklist["sleep"] = ChecklistEntry(ReviewStatus.FOLLOW_UP, HUGE)
    trials = (
        *s.trials,
        Trial(treatment=MARKUP, start=dt.date(2026, 1, 1), side_effects=tuple(NASTY), stop_reason=text, note=HUGE),
        Trial(treatment="\u202esertraline", start=dt.date(2026, 2, 1), note=text),
    )
    visit = with_visit(
        s,
        clinician=text,
        checklist=checklist,
        options=tuple(OptionNote(o, OptionStatus.DISCUSSED, text) for o in list(content().options)[:10]),
        plan=attrs.evolve(s.plan, text=text + HUGE[:10_000]),
    )
    return attrs.evolve(
        visit,
        patient=attrs.evolve(s.patient, label=MARKUP, record_id=text),
        episode=attrs.evolve(s.episode, note=text),
        trials=trials,
        measurements=(*s.measurements, Measurement(dt.date(2026, 11, 1), MARKUP, 3)),
        extra={"[red]": MARKUP},
    )


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.toml"
    sessionfile.save_session(hostile_session(), path)
    return path


async def test_every_pane_and_form_shows_hostile_text_literally(hostile_file: Path) -> None:
    app = make_app(document=Document.open(hostile_file, content()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#header-session").render())
        label = header.split(" │ ")[0]  # the label, as typed (and cut short at 80 columns)
        assert label.endswith("…") and MARKUP.startswith(label[:-1]) and len(label) > 10
        for pane in ("1", "2", "3", "4", "1"):
            await pilot.press(pane)
            await pilot.pause(0.3)
        await pilot.press("n", "escape")  # the checklist note editor on a hostile note
        await pilot.press("2", "end", "e")  # the trial form on the last (hostile) trial
        await pilot.pause()
        await pilot.press("escape", "3", "m")  # the option mark dialog
        await pilot.pause()
        await pilot.press("escape", "4", "e")  # the plan form
        await pilot.pause()
        await pilot.press("escape", "f2")  # patient and episode
        await pilot.pause()
        await pilot.press("escape", "f1")
        await pilot.pause()
        await pilot.press("escape")
        assert app.is_running  # [@click=app.quit] was shown, never run
        assert app.document.session == app.document.saved  # looking changed nothing


async def test_hostile_session_saves_and_reopens_unchanged(hostile_file: Path, tmp_path: Path) -> None:
    app = make_app(document=Document.open(hostile_file, content()))
    target = tmp_path / "again.toml"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.document.save(target)
    assert sessionfile.load_session(target) == sessionfile.load_session(hostile_file)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_timeline_chart_survives_hostile_names(size, hostile_file: Path) -> None:
    app = make_app(document=Document.open(hostile_file, content()))
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        await pilot.pause(0.3)
        chart = str(app.screen.query_one("#chart").render())
        assert "[red]x[/]" in chart and "\x1b" not in chart
