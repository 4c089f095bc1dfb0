"""A DataTable that draws a screenful of rows without recomputing its styles for each row."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable


class _RowStyles:
    """A component's styles with its Rich style computed once."""

    __slots__ = ("_styles", "rich_style")

    def __init__(self, styles: Any) -> None:
        self._styles = styles
        self.rich_style: Style = styles.rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


class FastTable(DataTable):  # type: ignore[type-arg]
    """DataTable, without redrawing every row when it is shown again, and with its
    styles looked up once per draw.

    DataTable forgets every row it has drawn when its styles are updated, which
    Textual does each time it gains or loses focus, and when it is resized, which
    Textual reports each time it is shown, even at the same size: each visit to the
    Timeline or Checklist pane redrew a screenful of cells (about 10 ms). Its render
    caches are keyed on its focus and hover state, its styles and the size, so here
    only a change of the CSS itself (a theme), of classes, or of size forgets them.

    DataTable looks up its own style, its header's and the row's for every row it
    draws, and each lookup merges styles and walks every ancestor for the colours.
    Within one draw the styles cannot change.
    """

    _draw_styles: dict[tuple[str, ...], Any] | None = None
    _sizes: tuple[Size, Size, Size] | None = None  # of the last Resize
    _same_size = False  # set while a Resize that changes nothing is handled
    _updates = 0

    _style_stamp: object = None

    def notify_style_update(self) -> None:
        stamp = (self.app._css_update_count, [node.classes for node in self.ancestors_with_self])
        if stamp != self._style_stamp:
            self._style_stamp = stamp
            super().notify_style_update()
            return
        # Only pseudo-classes changed (focus, hover), which the caches are keyed on.
        super(DataTable, self).notify_style_update()
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()
        self.refresh()

    def _on_resize(self, event: events.Resize) -> None:
        # Handled before DataTable._on_resize, which bumps _update_count (see the setter).
        sizes = (event.size, event.virtual_size, event.container_size)
        self._same_size = sizes == self._sizes
        self._sizes = sizes
        if self._same_size:
            self.call_next(self._end_resize)

    def _end_resize(self) -> None:
        self._same_size = False

    @property  # type: ignore[override]
    def _update_count(self) -> int:
        return self._updates

    @_update_count.setter
    def _update_count(self, value: int) -> None:
        if self._same_size and value == self._updates + 1:
            self._same_size = False  # DataTable's bump for a Resize that changed nothing
            return
        self._updates = value

    def render_lines(self, crop: Region) -> list[Strip]:
        self._draw_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._draw_styles = None

    @property
    def rich_style(self) -> Style:
        memo = self._draw_styles
        if memo is None:
            return super().rich_style
        if (style := memo.get(())) is None:
            style = memo[()] = super().rich_style
        return style  # type: ignore[return-value]

    def get_component_styles(self, *names: str) -> Any:
        memo = self._draw_styles
        if memo is None:
            return super().get_component_styles(*names)
        if (styles := memo.get(names)) is None:
            styles = memo[names] = _RowStyles(super().get_component_styles(*names))
        return styles
