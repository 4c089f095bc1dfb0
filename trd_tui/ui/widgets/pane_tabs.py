"""The row of pane names over the panes, the shown one underlined.

One widget drawing two lines, where Textual's TabbedContent is a Tabs widget, a
Tab per name, an animated underline and a TabPane per pane: those cost a share of
every start and of every pane switch (docs/performance.md has the figures). It looks the
same as Textual's tabs; the keyboard switches panes with 1-4, the mouse by a click.
"""

from __future__ import annotations

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.widget import Widget

PADDING = 1  # cells either side of each name, as Textual's Tab has


class PaneTabs(Widget):
    """The panes' titles (``names``: ``{pane_id: title}``, from ``PANES``); :attr:`active` is the one shown."""

    DEFAULT_CSS = """
    PaneTabs {
        height: 2;
        & > .pane-tabs--name { color: $foreground 50%; }
        & > .pane-tabs--active { color: $foreground; }
        & > .pane-tabs--bar { color: $block-cursor-background; background: $foreground 10%; }
        &:ansi {
            & > .pane-tabs--name { text-style: dim; }
            & > .pane-tabs--active { text-style: not dim bold; }
            & > .pane-tabs--bar { color: $block-cursor-background; background: $border-blurred; }
        }
    }
    """
    COMPONENT_CLASSES = {"pane-tabs--name", "pane-tabs--active", "pane-tabs--bar"}
    ALLOW_SELECT = False

    active: reactive[str] = reactive("")

    class Chosen(Message):
        """A pane's name was clicked."""

        def __init__(self, pane_id: str) -> None:
            super().__init__()
            self.pane_id = pane_id

    def __init__(self, names: dict[str, str], active: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names = names
        self.set_reactive(PaneTabs.active, active)
        self._spans = self._lay_out(names)

    @staticmethod
    def _lay_out(names: dict[str, str]) -> dict[str, tuple[int, int]]:
        """Each pane's columns, start inclusive, end exclusive."""
        spans, x = {}, 0
        for pane_id, name in names.items():
            width = len(name) + 2 * PADDING
            spans[pane_id] = (x, x + width)
            x += width
        return spans

    def render(self) -> Group:
        pad = " " * PADDING
        names = Text(no_wrap=True, overflow="crop")
        for pane_id, name in self.names.items():
            part = "pane-tabs--active" if pane_id == self.active else "pane-tabs--name"
            names.append(pad)
            names.append(name, self.get_component_rich_style(part, partial=True))
            names.append(pad)
        # Under the name itself, not its padding, as Textual's tabs underline it.
        start, end = self._spans.get(self.active, (0, 0))
        bar = self.get_component_rich_style("pane-tabs--bar")
        underline = Bar((start + PADDING, end - PADDING), Style.from_color(bar.color), Style.from_color(bar.bgcolor))
        return Group(names, underline)

    def pane_at(self, x: int) -> str | None:
        """The pane whose name (or underline) is at column ``x``."""
        return next((pane_id for pane_id, (start, end) in self._spans.items() if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        pane_id = self.pane_at(event.x)
        if pane_id is not None and pane_id != self.active:
            self.post_message(self.Chosen(pane_id))
