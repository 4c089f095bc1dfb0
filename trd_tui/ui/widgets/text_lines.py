"""A scrolling view of lines of text that their writer has already wrapped.

It looks and scrolls as a ``RichLog`` with ``wrap=False`` that was given the same lines, and
draws them with fewer steps: a RichLog renders every line written at once (through a
console render of the whole text, split into lines again) and looks its own style up, by
walking its ancestors, twice for each line it draws; here a line is rendered when it first
comes into view, and the style is looked up once until the widget is restyled.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class TextLines(ScrollView, can_focus=True):
    """Lines of text, one :class:`~rich.text.Text` each (no line breaks in them), from the top."""

    DEFAULT_CSS = """
    TextLines {
        background: $surface;
        color: $foreground;
        overflow-y: scroll;
        &:focus {
            background-tint: $foreground 5%;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._texts: list[Text] = []
        self._drawn: dict[tuple[int, int, int], Strip] = {}  # (line, scroll x, width) -> the line drawn
        self._look: Style | None = None  # the widget's style, until it is restyled

    def set_texts(self, texts: list[Text]) -> None:
        """Show ``texts``, one line each; the scroll position is kept where it still fits."""
        self._texts = [_tabs_expanded(text) for text in texts]
        self._drawn.clear()
        self.virtual_size = Size(max((text.cell_len for text in self._texts), default=0), len(self._texts))
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look = None
        self._drawn.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index, width = scroll_y + y, self.scrollable_content_region.width
        if self._look is None:
            self._look = self.rich_style
        look = self._look
        if index >= len(self._texts):
            return Strip.blank(width, look)
        key = (index, scroll_x, width)
        if (strip := self._drawn.get(key)) is None:
            text = self._texts[index]
            # Assembled into a new text, the line's own style becomes a span: Text.render leaves
            # the style of a text with no spans out.
            segments = Segment.apply_style(Text.assemble(text).render(self.app.console), look)
            strip = self._drawn[key] = Strip(list(segments), text.cell_len).crop_extend(scroll_x, scroll_x + width, look)
        return strip


def _tabs_expanded(text: Text) -> Text:
    """``text`` with its tabs as spaces, as a RichLog shows them."""
    if "\t" not in text.plain:
        return text
    text = text.copy()
    text.expand_tabs()
    return text
