"""Rating scales in the Timeline pane: the scale form driven by keys at 80×24, and the Scores table."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from textual.widgets import Checkbox, DataTable, Input, Label, Select

from clinical_helpers import VISIT, phq9, session
from trd_tui.clinical.safety import item9_warning
from trd_tui.model import Measurement, ReviewStatus
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from trd_tui.ui.dialogs.scale_form import OTHER, ItemPad, ScaleForm
from ui_helpers import make_app

pytestmark = pytest.mark.ui

PHQ9_ANSWERS = "210312101"  # total 11, moderate; item 9 = 1
DEMO_ITEMISED = "5"  # row key of the demo's one PHQ-9 with items (2026-11-20, total 16)
DEMO_TOTAL_ONLY = "2"  # row key of the demo's PHQ-9 of 2025-05-30, a total of 15


def scores(app) -> DataTable:
    return app.screen.query_one("#measurements", DataTable)


def row(app, key: str) -> dict[str, str]:
    """A Scores row as {column label: cell text}."""
    table = scores(app)
    labels = [str(c.label) for c in table.ordered_columns]
    return dict(zip(labels, (str(cell) for cell in table.get_row(key)), strict=True))


def shown(widget) -> str:
    return str(widget.render())


def pad(app) -> str:
    return shown(app.screen.query_one(ItemPad))


def error_at(app, field: str) -> str:
    return shown(app.screen.query_one(f"#field-{field} .field-error", Label))


def title(app) -> str:
    return shown(app.screen.query_one("#table-title"))


def footer_keys(app) -> dict[str, str]:
    """The keys the footer shows for the focused pane, as {key: description}."""
    return {key: b.binding.description for key, b in app.screen.active_bindings.items() if b.binding.show}


async def open_form(pilot) -> None:
    """The Timeline pane, then s: the scale form with the keyboard on its entry."""
    await pilot.press("2", "s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ScaleForm)


async def choose(pilot, instrument: str) -> None:
    """Pick an instrument in the open form's list (its value: an id, or OTHER)."""
    pilot.app.screen.query_one("#instrument", Select).value = instrument
    await pilot.pause()


async def type_into(pilot, field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press("home", "ctrl+k", *text)


async def show_scores(pilot, key: str | None = None) -> None:
    """The Timeline pane showing the Scores table, with row ``key`` highlighted."""
    await pilot.press("2", "t")
    await pilot.pause()
    if key is not None:
        scores(pilot.app).move_cursor(row=scores(pilot.app).get_row_index(key))
        await pilot.pause()


async def test_a_phq9_entirely_by_keys_takes_13_keys() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        before = app.document.session.measurements
        # s, Enter (PHQ-9 and the visit date as they are), nine answers, difficulty 1, Enter saves.
        keys = ["s", "enter", *PHQ9_ANSWERS, "1", "enter"]
        assert len(keys) <= 14
        await pilot.press(*keys)
        await pilot.pause()
        assert not isinstance(app.screen, ScaleForm)
        assert app.document.session.measurements == (
            *before,
            Measurement(VISIT, "PHQ-9", 11, items=(2, 1, 0, 3, 1, 2, 1, 0, 1), difficulty=1),
        )
        added = str(len(before))
        assert row(app, added) == {
            "Date": "2026-11-20", "Instrument": "PHQ-9", "Score": "11", "Band": "moderate", "Items": "2 1 0 3 1 2 1 0 1"
        }
        assert app.focused is scores(app) and scores(app).cursor_row == scores(app).get_row_index(added)
        assert app.document.can_undo == "add PHQ-9"
        detail = shown(app.screen.query_one("#trial-detail"))
        assert "Difficulty: Somewhat difficult" in detail and item9_warning() in detail


async def test_digits_straight_away_and_enter_skips_the_difficulty() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "s", *"000000000")
        await pilot.pause()
        assert "optional: Enter skips" in pad(app)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert app.document.session.measurements == (Measurement(VISIT, "PHQ-9", 0, items=(0,) * 9),)


async def test_the_running_total_and_band_follow_the_digits() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        assert "1/9 Little interest or pleasure in doing things" in pad(app)
        assert "0 Not at all  1 Several days  2 More than half the days  3 Nearly every day" in pad(app)
        for digit, total in (("3", "Total 3 · minimal"), ("3", "Total 6 · mild"), ("3", "Total 9 · mild"), ("3", "Total 12 · moderate")):
            await pilot.press(digit)
            await pilot.pause()
            assert total in pad(app)
        assert "1:3 2:3 3:3 4:3 5:·" in pad(app) and "(4 of 9 answered so far)" in pad(app)
        assert "5/9 Poor appetite or overeating" in pad(app)


async def test_left_goes_back_to_change_an_answer_and_backspace_clears() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await pilot.press("1", "2", "left", "3")
        await pilot.pause()
        assert "1:1 2:3 3:·" in pad(app) and "Total 4" in pad(app)
        await pilot.press("up", "up", "0")  # up goes back too
        await pilot.pause()
        assert "1:0 2:3 3:·" in pad(app)
        await pilot.press("backspace")  # on item 2, answered: cleared
        await pilot.pause()
        assert "1:0 2:· 3:·" in pad(app) and "2/9" in pad(app)
        await pilot.press("backspace")  # on item 2, empty: back to item 1 and clear it
        await pilot.pause()
        assert "1:· 2:·" in pad(app) and "1/9" in pad(app)
        await pilot.press("4")  # no such answer: refused
        await pilot.pause()
        assert "1:· 2:·" in pad(app)


async def test_a_gad7_by_keys() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        # Back to the instrument list, open it, one down to GAD-7: the answers go to its items at once.
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "enter", "down", "enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one(ItemPad)
        assert "1/7 Feeling nervous, anxious, or on edge" in pad(app) and "difficulty" not in pad(app)
        await pilot.press(*"3333222", "enter")
        await pilot.pause()
        assert app.document.session.measurements == (Measurement(VISIT, "GAD-7", 18, items=(3, 3, 3, 3, 2, 2, 2)),)
        assert row(app, "0")["Band"] == "severe"


async def test_qids_takes_a_total_and_shows_its_band() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await choose(pilot, "QIDS-SR16")
        total_only = app.screen.query_one("#total-only", Checkbox)
        assert total_only.value and total_only.disabled and not app.screen.query_one("#field-items").display
        assert app.focused is app.screen.query_one("#score", Input)
        await pilot.press("1", "2")
        await pilot.pause()
        assert shown(app.screen.query_one("#score-band")) == "QIDS-SR16 0–27 · moderate"
        await pilot.press("enter")
        await pilot.pause()
        assert app.document.session.measurements == (Measurement(VISIT, "QIDS-SR16", 12),)
        assert row(app, "0") == {"Date": "2026-11-20", "Instrument": "QIDS-SR16", "Score": "12", "Band": "moderate", "Items": "total only"}


async def test_other_instrument_by_name_is_kept_literally() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await choose(pilot, OTHER)
        assert app.focused is app.screen.query_one("#name", Input)
        await pilot.press(*"[red]x[/]", "enter", "enter", *"2.5", "enter")  # name, date kept, total
        await pilot.pause()
        assert app.document.session.measurements == (Measurement(VISIT, "[red]x[/]", 2.5),)
        assert row(app, "0")["Instrument"] == "[red]x[/]" and row(app, "0")["Band"] == "—"
        assert shown(app.screen.query_one("#trial-detail")).startswith("[red]x[/] · 2026-11-20 · 2.5")


async def test_a_known_name_typed_under_other_gets_its_band_and_range() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await choose(pilot, OTHER)
        await pilot.press(*"qids", "enter", "enter", *"30")
        await pilot.pause()
        assert shown(app.screen.query_one("#score-band")) == "QIDS-SR16 0–27"
        await pilot.press("enter")
        await pilot.pause()
        assert error_at(app, "score") == "QIDS-SR16 totals run from 0 to 27"


@pytest.mark.parametrize(
    ("instrument", "field", "typed", "message"),
    [
        ("QIDS-SR16", "score", "28", "QIDS-SR16 totals run from 0 to 27"),
        ("QIDS-SR16", "score", "", "required"),
        (OTHER, "score", "-1", "must be from 0 to 1000"),
        (OTHER, "score", "1001", "must be from 0 to 1000"),
        (OTHER, "date", "0001-01", "must be between 1900-01-01 and 2100-12-31"),
        (OTHER, "score", "abc", "must be a number"),
        (OTHER, "score", "inf", "must be a number"),
        (OTHER, "name", "", "required"),
        ("QIDS-SR16", "date", "2025-13-45", "use YYYY-MM-DD"),
        ("QIDS-SR16", "date", "", "required"),
    ],
)
async def test_an_error_shows_at_its_field_and_changes_nothing(instrument: str, field: str, typed: str, message: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        await open_form(pilot)
        await choose(pilot, instrument)
        values = {"name": "MADRS", "date": "2026-11-01", "score": "10", field: typed}
        for name, text in values.items():
            app.screen.query_one(f"#{name}", Input).value = text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ScaleForm)
        assert message in error_at(app, field)
        assert app.focused in list(app.screen.query_one(f"#field-{field}").query("*"))
        assert app.document.session == before


async def test_unanswered_items_are_an_error_at_the_items() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await pilot.press("1", "1", "ctrl+s")
        await pilot.pause()
        assert error_at(app, "items") == "answer every item (2 of 9 so far)"
        assert app.document.session.measurements == ()


async def test_escape_cancels_without_change() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        await open_form(pilot)
        await pilot.press(*PHQ9_ANSWERS, "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ScaleForm)
        assert app.document.session == before and not app.document.dirty


async def test_item9_warns_marks_follow_up_and_one_undo_takes_both_back() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = app.document.session
        await open_form(pilot)
        warning = app.screen.query_one("#item9-warning")
        await pilot.press(*PHQ9_ANSWERS[:-1])
        await pilot.pause()
        assert not warning.display
        await pilot.press("1")
        await pilot.pause()
        assert warning.display and shown(warning) == item9_warning()
        await pilot.press("enter", "enter")
        await pilot.pause()
        session_now = app.document.session
        assert session_now.measurements[0].items[8] == 1
        assert session_now.checklist["suicidality"].status is ReviewStatus.FOLLOW_UP
        assert session_now.checklist["suicidality"].note == "PHQ-9 item 9 scored 1 on 2026-11-20"
        messages = [n.message for n in app._notifications]
        assert "PHQ-9 item 9 above 0: Thoughts of self-harm marked follow-up in the checklist (ctrl+z undoes)" in messages
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.document.session == before


async def test_a_status_already_set_is_left_alone_and_no_toast() -> None:
    app = make_app(session(checklist={"suicidality": ReviewStatus.CONCERN}))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_form(pilot)
        await pilot.press(*PHQ9_ANSWERS, "enter", "enter")
        await pilot.pause()
        assert app.document.session.checklist["suicidality"].status is ReviewStatus.CONCERN
        assert not any("follow-up" in n.message for n in app._notifications)


async def test_t_toggles_the_table_and_the_title_and_footer_say_which() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert title(app) == "Trials (6, by start) · t shows the scores (6)"
        assert footer_keys(app)["t"] == "Scores" and "d" in footer_keys(app)
        await pilot.press("t")
        await pilot.pause()
        assert title(app) == "Scores (6, by date) · t shows the trials (6)"
        assert footer_keys(app)["t"] == "Trials" and "d" not in footer_keys(app) and "a" not in footer_keys(app)
        assert app.focused is scores(app) and not app.screen.query_one("#trials").display
        dates = [str(scores(app).get_row(r.key)[0]) for r in scores(app).ordered_rows]
        assert dates == sorted(dates)
        assert row(app, DEMO_ITEMISED) == {
            "Date": "2026-11-20", "Instrument": "PHQ-9", "Score": "16", "Band": "moderately severe", "Items": "2 2 2 2 1 2 2 2 1"
        }
        await pilot.press("t")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#trials") and title(app).startswith("Trials")


async def test_scores_sort_by_date_whatever_the_order_entered() -> None:
    late, early = phq9(VISIT, 0), phq9(dt.date(2026, 1, 5), 0, others=2)
    app = make_app(session(measurements=(late, early)))
    async with app.run_test(size=(80, 24)) as pilot:
        await show_scores(pilot)
        assert [r.key.value for r in scores(app).ordered_rows] == ["1", "0"]
        assert row(app, "1")["Band"] == "moderately severe" and row(app, "0")["Band"] == "mild"


async def test_editing_a_total_only_score() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session.measurements[2]
        await show_scores(pilot, DEMO_TOTAL_ONLY)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ScaleForm)
        assert app.screen.query_one("#total-only", Checkbox).value
        assert app.screen.query_one("#score", Input).value == "15" and app.focused is app.screen.query_one("#score")
        await type_into(pilot, "score", "17")
        await pilot.press("enter")
        await pilot.pause()
        assert app.document.session.measurements[2] == attrs.evolve(before, score=17)
        assert row(app, DEMO_TOTAL_ONLY)["Score"] == "17"
        assert scores(app).cursor_row == scores(app).get_row_index(DEMO_TOTAL_ONLY)
        assert app.document.can_undo == "edit measurement"


async def test_enter_edits_the_items_of_a_score_starting_at_the_end() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await show_scores(pilot, DEMO_ITEMISED)
        await pilot.press("enter")
        await pilot.pause()
        assert "All 9 items answered" in pad(app) and "Total 16 · moderately severe" in pad(app)
        await pilot.press("left", "left", "0", "enter", "enter")  # past the difficulty to item 9: 1 → 0; Enter skips, Enter saves
        await pilot.pause()
        edited = app.document.session.measurements[5]
        assert (edited.items, edited.score) == ((2, 2, 2, 2, 1, 2, 2, 2, 0), 15)
        assert row(app, DEMO_ITEMISED)["Band"] == "moderately severe"
        assert app.document.can_undo == "edit measurement"


async def test_delete_asks_cancel_keeps_confirm_removes_and_undo_restores() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = app.document.session
        await show_scores(pilot, DEMO_TOTAL_ONLY)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#cancel")
        await pilot.pause()
        assert app.document.session == before
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#delete")
        await pilot.pause()
        assert [m.date for m in app.document.session.measurements] == [
            m.date for i, m in enumerate(before.measurements) if i != 2
        ]
        assert scores(app).row_count == 5 and app.document.can_undo == "delete measurement"
        assert "Deleted PHQ-9 15 of 2025-05-30 — ctrl+z to undo" in [n.message for n in app._notifications]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.document.session == before and scores(app).row_count == 6


async def test_without_scores_the_editing_keys_are_off() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await show_scores(pilot)
        assert "No scores recorded" in shown(app.screen.query_one("#trial-detail"))
        for key in ("e", "x", "enter", "a", "d"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.__class__.__name__ == "MainScreen"


async def test_the_form_fits_at_80x24() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await pilot.press(*"2222222")  # item 8, the longest wording
        await pilot.pause()
        await pilot.press("ctrl+s")  # an error line as well
        await pilot.pause()
        box = app.screen.query_one(".dialog-box").region
        assert box.height <= 24 and box.width <= 80
        for widget in (app.screen.query_one(ItemPad), app.screen.query_one("#ok")):
            assert box.contains_region(widget.region)


async def test_other_panes_keep_the_keyboard_after_a_toggle() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "t", "1")  # the trials table was hidden while it had the keyboard
        await pilot.pause()
        assert app.screen.active_pane == "checklist"
        assert app.focused is app.screen.query_one("#checklist-table")
        await pilot.press("2")
        await pilot.pause()
        assert app.focused is scores(app)  # the pane comes back on the table it showed


async def test_a_typed_name_stays_out_of_the_undo_label() -> None:
    app = make_app(session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await choose(pilot, OTHER)
        await pilot.press(*"[/]", "enter", "enter", "5", "enter")
        await pilot.pause()
        assert app.document.session.measurements[0].instrument == "[/]"
        assert app.document.can_undo == "add measurement"
