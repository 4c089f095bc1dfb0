"""A checklist status key: the next item's detail shows at once and whole, whatever its height,
and a status set to the one it had is no edit."""

from __future__ import annotations

import pytest

from trd_tui.model import ReviewStatus, Session
from trd_tui.ui.panes.checklist import ItemTable
from ui_helpers import TODAY, content, make_app, screen_text

pytestmark = pytest.mark.ui


def table(app) -> ItemTable:
    return app.screen.query_one(ItemTable)


def detail_lines(app) -> list[str]:
    """The detail panel's lines as on screen."""
    box = app.screen.query_one("#checklist-detail").content_region
    lines = screen_text(app).splitlines()[box.y : box.bottom]
    return [line[box.x : box.right].rstrip() for line in lines]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_status_key_shows_the_next_items_detail_whole_whatever_its_height(size: tuple[int, int]) -> None:
    items = content().checklist_items
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        box = app.screen.query_one("#checklist-detail")
        # Every item in turn: at 120x40 their details (15 to 27 lines) fit the panel, at 80x24
        # (7 to 14 lines) none does; taller and shorter by turns.
        for item_id, item in items.items():
            assert table(app).current_key == item_id
            box.scroll_home(animate=False)
            await pilot.pause()
            assert detail_lines(app)[0].startswith(item.label), item_id
            box.scroll_end(animate=False)
            await pilot.pause()
            shown = [line for line in detail_lines(app) if line]
            assert shown[-1] == "Note  none; n or Enter to add one", item_id
            await pilot.press("o")
        assert all(app.document.session.checklist[i].status is ReviewStatus.NO_CONCERN for i in items)


async def test_a_status_set_to_the_one_it_had_is_no_edit() -> None:
    app = make_app()
    checklist, order = app.document.session.checklist, list(content().checklist_items)
    # An answer asked at this visit (not carried from an earlier one): "o" again changes nothing.
    item_id = next(i for i in order if (e := checklist.get(i)) and e.status is ReviewStatus.NO_CONCERN and not e.carried_from)
    async with app.run_test(size=(80, 24)) as pilot:
        table(app).move_to(item_id)
        await pilot.pause()
        before = app.assessment
        await pilot.press("o")
        await pilot.pause()
        assert app.assessment is before and app.document.can_undo is None and not app.document.dirty
        assert table(app).current_key == order[order.index(item_id) + 1]  # it still moves on to the next item


async def test_the_next_items_detail_starts_at_its_top() -> None:
    # At 80x24 no detail fits the panel: one scrolled to read its note must not leave the next
    # item's detail opening part-way down (its question and why are at the top).
    items = list(content().checklist_items.values())
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        box = app.screen.query_one("#checklist-detail")
        box.scroll_end(animate=False)
        await pilot.pause()
        assert box.scroll_y > 0
        await pilot.press("o")
        await pilot.pause()
        assert table(app).current_key == items[1].id
        assert box.scroll_y == 0 and detail_lines(app)[0].startswith(items[1].label)
