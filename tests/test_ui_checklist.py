"""The Checklist pane: quick status keys, notes in place, the filter, literal user text."""

from __future__ import annotations

from textual.widgets import Input

from trd_tui.model import ReviewStatus, Session, with_checklist
from trd_tui.ui.panes.checklist import ItemTable
from trd_tui.ui.widgets.note_editor import NoteEditor
from ui_helpers import TODAY, content, make_app, screen_text
import pytest

pytestmark = pytest.mark.ui


def table(app) -> ItemTable:
    return app.screen.query_one(ItemTable)


def status(app, item_id: str) -> ReviewStatus:
    entry = app.document.session.checklist.get(item_id)
    return entry.status if entry else ReviewStatus.UNREVIEWED


def cell(app, item_id: str, column: str) -> str:
    return table(app).get_cell(item_id, column).plain


def shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id).render())


async def go_to(pilot, item_id: str) -> None:
    """Put the cursor on an item (arrow keys would do, one slow press per row)."""
    table(pilot.app).move_to(item_id)
    await pilot.pause()


async def test_status_keys_set_the_status_and_move_to_the_next_item() -> None:
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        assert table(app).current_key == "dose"  # the first item, not its section header
        for key, item_id, expected, word in (
            ("o", "dose", ReviewStatus.NO_CONCERN, "✓ no concern"),
            ("c", "duration", ReviewStatus.CONCERN, "! concern"),
            ("f", "adherence", ReviewStatus.FOLLOW_UP, "→ follow-up"),
        ):
            await pilot.press(key)
            assert status(app, item_id) is expected
            assert cell(app, item_id, "status") == word
        assert table(app).current_key == "interactions"
        assert cell(app, "section:pseudo-resistance", "status") == "3/5 reviewed"


async def test_clear_makes_an_item_unreviewed_and_stays_on_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert status(app, "dose") is ReviewStatus.CONCERN
        await pilot.press("x")
        assert status(app, "dose") is ReviewStatus.UNREVIEWED
        assert cell(app, "dose", "status") == "· unreviewed"
        assert table(app).current_key == "dose"


async def test_the_next_item_skips_the_next_sections_header() -> None:
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "metabolism")  # the last item of its section
        await pilot.press("o")
        assert table(app).current_key == "bipolar-features"


async def test_status_keys_on_a_section_header_change_nothing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("up")
        assert table(app).current_key == "section:pseudo-resistance"
        before = app.document.session
        await pilot.press("c")
        assert app.document.session == before
        assert table(app).current_key == "dose"


async def test_progress_line_follows_a_status_change() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert shown(app, "#checklist-progress") == "Reviewed 6 of 28 · 2 to re-ask (↺) · 2 concerns · 3 to follow up · filter: all"
        await go_to(pilot, "interactions")
        await pilot.press("c")
        assert shown(app, "#checklist-progress") == "Reviewed 7 of 28 · 2 to re-ask (↺) · 3 concerns · 3 to follow up · filter: all"


async def test_undo_reverts_a_status() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        assert status(app, "dose") is ReviewStatus.NO_CONCERN
        await pilot.press("ctrl+z")
        assert status(app, "dose") is ReviewStatus.CONCERN
        assert cell(app, "dose", "status") == "! concern"
        assert not app.document.dirty


async def test_note_is_edited_in_place_and_digits_type_digits() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "thyroid")
        await pilot.press("n")
        assert app.focused is app.screen.query_one("#note-input", Input)
        await pilot.press("end", *"; T4 12 pmol/L")  # digits 1-4 also switch panes: not while typing
        await pilot.press("enter")
        assert app.screen.active_pane == "checklist"
        assert app.document.session.checklist["thyroid"].note == "TSH normal last month.; T4 12 pmol/L"
        assert app.document.session.checklist["thyroid"].status is ReviewStatus.NO_CONCERN
        assert cell(app, "thyroid", "note").startswith("TSH normal last month.; T4")
        assert app.focused is table(app) and not app.screen.query_one(NoteEditor).display


async def test_enter_on_an_item_edits_its_note() -> None:
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"dose ok", "enter")
        assert app.document.session.checklist["dose"].note == "dose ok"
        assert app.document.session.checklist["dose"].status is ReviewStatus.UNREVIEWED


async def test_escape_cancels_a_note_edit() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        await pilot.press("n", *"oops", "escape")
        assert app.document.session == before
        assert not app.screen.query_one(NoteEditor).display and app.focused is table(app)
        await pilot.press("o")  # the quick keys work again
        assert status(app, "dose") is ReviewStatus.NO_CONCERN


async def test_quick_keys_type_text_while_a_note_is_open() -> None:
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert "o" not in app.screen.active_bindings  # the Input takes it: not in the footer either
        await pilot.press(*"cofxnv", "enter")
        assert app.document.session.checklist["dose"].note == "cofxnv"
        assert status(app, "dose") is ReviewStatus.UNREVIEWED
        assert "o" in app.screen.active_bindings


async def test_filter_shows_unreviewed_then_flagged_then_all() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        every = table(app).keys
        await pilot.press("v")
        items = [key for key in table(app).keys if not key.startswith("section:")]
        assert items and all(status(app, key) is ReviewStatus.UNREVIEWED for key in items)
        assert len(items) == 28 - 8  # 28 items (pregnancy and refusing food added for issue 16), 8 reviewed in the demo
        assert shown(app, "#checklist-progress").endswith("filter: unreviewed")
        await pilot.press("v")
        items = [key for key in table(app).keys if not key.startswith("section:")]
        assert tuple(items) == app.assessment.checklist.flagged
        assert "section:diagnosis" not in table(app).keys  # no flagged item there
        await pilot.press("v")
        assert table(app).keys == every


async def test_a_reviewed_item_leaves_the_unreviewed_filter_and_the_cursor_moves_on() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        assert table(app).current_key == "interactions"
        await pilot.press("o")
        assert "interactions" not in table(app).keys
        assert table(app).current_key == "metabolism"


async def test_user_text_is_shown_literally() -> None:
    app = make_app(Session.new(TODAY))
    note = "[red]x[/] [@click=app.quit]"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *note, "enter")
        await pilot.pause()
        assert app.document.session.checklist["dose"].note == note
        assert cell(app, "dose", "note") == note
        assert note in shown(app, "#checklist-detail-text")
        await go_to(pilot, "duration")
        await pilot.click("#checklist-table", offset=(40, 2))  # on the note, in the dose row
        await pilot.pause()
        assert app.is_running and table(app).current_key == "dose"


async def test_a_click_highlights_a_row_and_a_second_click_edits_its_note() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#checklist-table", offset=(20, 3))  # header, section, dose, duration
        await pilot.pause()
        assert table(app).current_key == "duration"
        assert not app.screen.query_one(NoteEditor).display
        await pilot.click("#checklist-table", offset=(20, 3))
        await pilot.pause()
        assert app.screen.query_one(NoteEditor).display
        assert "Duration adequate" in shown(app, "#note-label")


async def test_a_redraw_keeps_the_cursor_on_its_item() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "sleep")
        app.edit(with_checklist(app.document.session, "dose", note="changed elsewhere"), "note")
        await pilot.pause()
        assert table(app).current_key == "sleep"
        assert cell(app, "dose", "note") == "changed elsewhere"
        assert "How are you sleeping?" in shown(app, "#checklist-detail-text")


async def test_n_selects_the_note_so_typing_replaces_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "thyroid")
        await pilot.press("n")
        note_input = app.screen.query_one("#note-input", Input)
        assert note_input.selected_text == "TSH normal last month."
        await pilot.press(*"TSH 2.1", "enter")
        assert app.document.session.checklist["thyroid"].note == "TSH 2.1"


async def test_a_multiline_note_keeps_its_line_breaks_in_the_row_the_detail_and_the_editor() -> None:
    session = with_checklist(Session.new(TODAY), "dose", note="line one\nline two\nline three")
    app = make_app(session)
    async with app.run_test(size=(120, 40)) as pilot:
        assert cell(app, "dose", "note") == "line one ↵ line two ↵ line three"
        assert "Note  line one\nline two\nline three" in shown(app, "#checklist-detail-text")
        await pilot.press("n", "enter")  # untouched: nothing saved
        assert app.document.session == session
        await pilot.press("n", "end", *" (sertraline)", "enter")
        assert app.document.session.checklist["dose"].note == "line one\nline two\nline three (sertraline)"


async def test_status_keys_stay_on_the_item_while_its_note_is_open() -> None:
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"wakes at 4am", "tab")  # to the list; the note stays open, unsaved
        assert app.focused is table(app) and app.screen.query_one(NoteEditor).display
        await pilot.press("c")
        assert status(app, "dose") is ReviewStatus.CONCERN and table(app).current_key == "dose"
        await pilot.press("enter")  # back into the note, as it was typed
        assert app.screen.query_one("#note-input", Input).value == "wakes at 4am"
        await pilot.press(*", early", "enter")
        assert app.document.session.checklist["dose"].note == "wakes at 4am, early"
        await pilot.press("o")  # the note is closed: on to the next item
        assert status(app, "dose") is ReviewStatus.NO_CONCERN and table(app).current_key == "duration"


async def test_a_preference_keeps_the_status_keys_on_the_item(tmp_path) -> None:
    from trd_tui.document import Document
    from trd_tui.storage.config import load_config
    from trd_tui.ui.app import TrdApp

    path = tmp_path / "prefs.toml"
    session = Session.new(TODAY)
    app = TrdApp(Document(session, None, saved=session), content(), today=TODAY, config_path=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Checklist: stay on the item after o, c, f (off)"].callback()
        await pilot.pause()
        assert load_config(path)[0].checklist_stay
        await pilot.press("c")
        assert status(app, "dose") is ReviewStatus.CONCERN and table(app).current_key == "dose"
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Checklist: stay on the item after o, c, f (on)"].callback()
        await pilot.pause()
        await pilot.press("o")
        assert table(app).current_key == "duration"
    assert not load_config(path)[0].checklist_stay


def columns_fit(grid: ItemTable) -> bool:
    """The columns fill the table exactly: no sideways scrolling, no wasted space."""
    return sum(column.get_render_width(grid) for column in grid.ordered_columns) == grid.scrollable_content_region.width


async def test_detail_is_beside_the_table_when_wide_and_under_it_when_narrow() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        grid, detail = table(app).region, app.screen.query_one("#checklist-detail").region
        assert detail.x >= grid.right and detail.y == grid.y
        assert columns_fit(table(app))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        grid, detail = table(app).region, app.screen.query_one("#checklist-detail").region
        assert detail.y >= grid.bottom and detail.width == grid.width
        assert columns_fit(table(app)) and table(app).current_key == "dose"


async def test_an_empty_filter_says_so_and_the_keys_do_nothing() -> None:
    session = Session.new(TODAY)
    for item_id in content().checklist_items:
        session = with_checklist(session, item_id, status=ReviewStatus.NO_CONCERN)
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        assert table(app).keys == []
        assert "No items match the filter “unreviewed”" in shown(app, "#checklist-detail-text")
        await pilot.press("o", "n", "enter")
        assert app.document.session == session and not app.screen.query_one(NoteEditor).display
        await pilot.press("v")  # flagged: still nothing; then all again
        await pilot.press("v")
        assert table(app).current_key == "dose"


async def test_an_answer_carried_from_an_earlier_visit_reads_as_to_re_ask_until_asked_again() -> None:
    # The demo's bipolar-features answer was given on 2026-05-20 and carried to today's visit.
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert cell(app, "bipolar-features", "status") == "↺ no concern"
        assert "Reviewed 6 of 28 · 2 to re-ask (↺)" in shown(app, "#checklist-progress")
        await go_to(pilot, "bipolar-features")
        assert "Carried from the visit of 2026-05-20: ask again" in shown(app, "#checklist-detail-text")
        await pilot.press("o")  # asked again today: no concern
        assert cell(app, "bipolar-features", "status") == "✓ no concern"
        assert "Reviewed 7 of 28 · 1 to re-ask (↺)" in shown(app, "#checklist-progress")
        assert app.document.session.checklist["bipolar-features"].carried_from is None


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (44, 24)])
async def test_a_section_row_spans_the_row_instead_of_running_into_the_note_column(size) -> None:
    # The titles were split at a space, their tails in the Note column: "Lifestyle (sleep,      exercise".
    app = make_app()
    async with app.run_test(size=size) as pilot:
        for section in content().sections:
            await go_to(pilot, f"section:{section.id}")
            count = f"/{len(content().items_in(section.id))} reviewed"
            region = table(app).region
            rows = [line[region.x : region.right] for line in screen_text(app).splitlines()[region.y : region.bottom]]
            row = next(line for line in rows if count in line and section.title[:6] in line)
            title = row.split(count, 1)[1].strip(" ▏▁▂▃▄▅▆▇█")
            if size[0] >= 80:
                assert title == section.title, row
            else:  # too narrow: cut once, with an ellipsis
                assert title == section.title or (title.endswith("…") and section.title.startswith(title[:-1])), row


async def test_the_item_stays_in_view_when_its_note_opens() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "exercise")  # scrolled to the table's last row
        await pilot.press("n")
        await pilot.pause()
        region = table(app).region
        rows = screen_text(app).splitlines()[region.y : region.bottom]
        assert any("Exercise" in row for row in rows)  # the box took a line from the table, not the item
