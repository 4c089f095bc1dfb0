"""DataTable's render caches kept where Textual would throw them away, and its styles looked up once per draw.

Used by :class:`trd_tui.ui.widgets.table.FastTable` (the mixins) and the Checklist pane
(:func:`replace_row_cells`). Each piece names the DataTable internals it relies on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


class KeptRenderCaches:
    """Mixin for a DataTable: keep its rendered rows when it is shown again or refocused.

    DataTable forgets every row it has drawn when its styles are updated, which Textual
    does each time it gains or loses focus, and when it is resized, which Textual reports
    each time it is shown, even at the same size: each visit to the Timeline or Checklist
    pane redrew a screenful of cells. Its render caches are keyed on its focus and hover
    state, its styles and the size, so here only a change of the CSS itself (a theme), of
    classes, or of size forgets them.

    Relies on: ``App._css_update_count``, ``Widget._styles_cache``,
    ``DataTable._get_styles_to_render_cell``, ``DataTable._on_resize`` (which bumps
    ``DataTable._update_count``, made a property here).
    """

    _sizes: tuple[Size, Size, Size] | None = None  # of the last Resize
    _same_size = False  # set while a Resize that changes nothing is handled
    _updates = 0
    _style_stamp: object = None

    def notify_style_update(self) -> None:
        table: Any = self
        stamp = (table.app._css_update_count, [node.classes for node in table.ancestors_with_self])
        if stamp != self._style_stamp:
            self._style_stamp = stamp
            super().notify_style_update()  # type: ignore[misc]
            return
        # Only pseudo-classes changed (focus, hover), which the caches are keyed on.
        super(DataTable, table).notify_style_update()
        table._styles_cache.clear()
        table._get_styles_to_render_cell.cache_clear()
        table.refresh()

    def _on_resize(self, event: events.Resize) -> None:
        # Handled before DataTable._on_resize, which bumps _update_count (see the setter).
        sizes = (event.size, event.virtual_size, event.container_size)
        self._same_size = sizes == self._sizes
        self._sizes = sizes
        if self._same_size:
            self.call_next(self._end_resize)  # type: ignore[attr-defined]

    def _end_resize(self) -> None:
        self._same_size = False

    @property
    def _update_count(self) -> int:
        return self._updates

    @_update_count.setter
    def _update_count(self, value: int) -> None:
        if self._same_size and value == self._updates + 1:
            self._same_size = False  # DataTable's bump for a Resize that changed nothing
            return
        self._updates = value


class RowStyles:
    """A component's styles with its Rich style computed once."""

    __slots__ = ("_styles", "rich_style")

    def __init__(self, styles: Any) -> None:
        self._styles = styles
        self.rich_style: Style = styles.rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


class StylesOncePerDraw:
    """Mixin for a DataTable: its own style and its components' looked up once per draw.

    DataTable looks up its own style, its header's and the row's for every row it draws,
    and each lookup merges styles and walks every ancestor for the colours. Within one
    draw the styles cannot change. Relies on DataTable reading them through
    ``rich_style`` and ``get_component_styles`` from ``render_lines``.
    """

    _draw_styles: dict[tuple[str, ...], Any] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._draw_styles = {}
        try:
            return super().render_lines(crop)  # type: ignore[misc, no-any-return]
        finally:
            self._draw_styles = None

    @property
    def rich_style(self) -> Style:
        memo = self._draw_styles
        if memo is None:
            return super().rich_style  # type: ignore[misc, no-any-return]
        if (style := memo.get(())) is None:
            style = memo[()] = super().rich_style  # type: ignore[misc]
        return style  # type: ignore[no-any-return]

    def get_component_styles(self, *names: str) -> Any:
        memo = self._draw_styles
        if memo is None:
            return super().get_component_styles(*names)  # type: ignore[misc]
        if (styles := memo.get(names)) is None:
            styles = memo[names] = RowStyles(super().get_component_styles(*names))  # type: ignore[misc]
        return styles


def replace_row_cells(table: DataTable[Any], key: str, cells: Mapping[str, object]) -> None:
    """Replace one row's cells (by column key) and forget only that row's cached rendering.

    ``update_cell`` bumps a counter that every render cache of the table is keyed on,
    so one changed cell re-renders every visible row (most of the time of a checklist
    status key). The table's columns must have fixed widths: nothing else changes.

    Relies on: ``DataTable._data``, ``_update_count``, ``_row_renderable_cache``,
    ``_cell_render_cache``, ``_row_render_cache`` and ``_line_cache``.
    """
    row_key = RowKey(key)
    row = table._data[row_key]
    for column_key, cell in cells.items():
        row[ColumnKey(column_key)] = cell
    row_index = table.get_row_index(row_key)
    table._row_renderable_cache.discard((table._update_count, row_index))
    cells_cache = table._cell_render_cache
    for cache_key in [k for k in cells_cache.keys() if k[0] == row_key]:
        cells_cache.discard(cache_key)
    # Lines and whole rows are keyed on the cursor too, so a status key (which moves
    # the cursor) misses them anyway; they are rebuilt from the cached cells.
    table._row_render_cache.clear()
    table._line_cache.clear()
    table.refresh_row(row_index)
