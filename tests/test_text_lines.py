"""TextLines draws lines exactly as a RichLog given the same lines does (the Since pane used one)."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import RichLog

from trd_tui.ui.widgets.text_lines import TextLines

pytestmark = pytest.mark.ui

WIDTH = 30  # each view's content width: 32 columns, less the vertical scrollbar's 2

LINES = [
    Text("Scores then and now", style="bold green"),
    Text.assemble("  • ", ("PHQ-9", "italic"), ": 12 → 16 (+4)"),
    Text(""),
    Text("\tnote with a tab"),
    Text.assemble(("Previous plan", "bold"), " (visit of 2026-08-19)"),
    *(Text(f"  line {i}") for i in range(12)),
]


class Both(App[None]):
    CSS = "RichLog, TextLines { width: 32; height: 8; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield RichLog(wrap=False, auto_scroll=False, min_width=1)
            yield TextLines()


def cells(strip) -> list[tuple[str, object]]:
    """Each cell's character and style: the same picture whatever the segments."""
    return [(char, segment.style) for segment in strip for char in segment.text]


def picture(view) -> list[list[tuple[str, object]]]:
    return [cells(view.render_line(y)) for y in range(8)]


async def focused_picture(pilot, view) -> list[list[tuple[str, object]]]:
    """The view's picture while it has the focus (which tints its background)."""
    view.focus()
    await pilot.pause()
    return picture(view)


async def test_text_lines_draw_as_a_rich_log_does() -> None:
    app = Both()
    async with app.run_test(size=(80, 12)) as pilot:
        log, lines = app.query_one(RichLog), app.query_one(TextLines)
        log.write(Text("\n").join(LINES), width=WIDTH)
        lines.set_texts(LINES)
        await pilot.pause()
        assert lines.virtual_size == log.virtual_size
        for scroll in (0, 3):
            log.scroll_to(y=scroll, animate=False)
            lines.scroll_to(y=scroll, animate=False)
            app.set_focus(None)
            await pilot.pause()
            assert picture(lines) == picture(log), scroll
            # Focus restyles the view: what it drew before is drawn again in the new style.
            assert await focused_picture(pilot, lines) == await focused_picture(pilot, log), scroll
        app.set_focus(None)
        lines.set_texts(LINES[:2])  # fewer lines: the rest of the view is blank
        log.clear().write(Text("\n").join(LINES[:2]), width=WIDTH)
        await pilot.pause()
        assert picture(lines) == picture(log)
