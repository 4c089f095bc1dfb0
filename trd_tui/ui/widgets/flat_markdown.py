"""Markdown tables and bullet lists drawn by one widget each, looking as Textual draws them.

Textual's Markdown widget mounts a widget per table cell and four per list item. The
summary of a long history is a 300-row table, a 200-row table and 250 list items:
about 4,500 widgets, and Textual restyles, lays out, shows and hides each of them
whenever the Summary pane is shown, left or focused (a second or more per pane switch),
and rebuilds them all after every edit.

:class:`FlatMarkdown` swaps in :class:`FlatTable` and :class:`FlatBulletList`. They take
their layout rules from Textual's own code (the grid's column resolution, the keyline
canvas, content wrapping) and their colours from CSS, and draw the same cells, so the
pane looks the same: tests/test_flat_markdown.py compares the two, character by character.
Text selected with the mouse in a table or list is the text as drawn (Textual selects
per cell or item). A list holding anything but one paragraph per item is left to Textual.
"""

from __future__ import annotations

from dataclasses import replace
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual._resolve import resolve
from textual.app import ComposeResult
from textual.canvas import Canvas, Rectangle
from textual.content import Content
from textual.css.scalar import Scalar
from textual.geometry import Offset, Size
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions
from textual.widgets import Markdown
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownBulletList,
    MarkdownParagraph,
    MarkdownTable,
    MarkdownUnorderedListItem,
)

# What Textual's MarkdownTableContent and its cells ask of the grid (textual 8.2.8):
# padding 0 1, a gutter of 1 (drawn as a thin keyline), headers aligned to the bottom.
CELL_PADDING = 1
GUTTER = 1
CELL_RULES = {"text_overflow": "ellipsis"}


class _Flat:
    """A block drawn from lines computed once per width (and per style change).

    A mixin, listed first but not a widget, so Textual still takes the CSS type of the
    block it is mixed into (its CSS follows the first widget base class only).
    """

    _lines: tuple[int, list[Strip]] | None = None

    def notify_style_update(self) -> None:
        self._lines = None
        super().notify_style_update()  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        return iter(())  # the cells are drawn, not mounted

    def _strips(self, width: int) -> list[Strip]:
        if width <= 0:
            return []
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, self._draw(width))
        return self._lines[1]

    def _draw(self, width: int) -> list[Strip]:
        raise NotImplementedError

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips(width)) if width > 0 else 0

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        strips = self._strips(width)
        if not 0 <= y < len(strips):
            return Strip.blank(width, self.rich_style)
        strip = strips[y]
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            selected = VisualStyle.from_styles(self.screen.get_component_styles("screen--selection"))
            strip = _highlight(strip, span, selected)
        # Offsets let the mouse select text here, as in any Textual text (here: the lines as drawn).
        return strip.apply_offsets(0, y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        lines = self._strips(self.content_size.width)
        return selection.extract("\n".join(strip.text.rstrip() for strip in lines)), "\n"

    def _content_strips(self, content: Content, width: int, style: VisualStyle, rules: dict[str, str]) -> list[Strip]:
        """Wrapped lines of ``content``, as a Static with these rules renders them."""
        if width <= 0:
            return []
        return content.render_strips(width, None, style, RenderOptions(self._get_style, rules))


def _highlight(strip: Strip, span: tuple[int, int], style: VisualStyle) -> Strip:
    """``strip`` with the characters ``span`` (end -1: to the end) in the selection style."""
    text = strip.text
    start, end = span
    end = len(text) if end == -1 else end
    cells = [0]
    for character in text:
        cells.append(cells[-1] + cell_len(character))
    cuts = [cells[min(start, len(text))], cells[min(end, len(text))], strip.cell_length]
    before, selected, after = strip.divide(cuts)
    restyled = [
        Segment(text, ((VisualStyle.from_rich_style(old) if old else VisualStyle()) + style).rich_style, control)
        for text, old, control in selected
    ]
    return Strip.join([before, Strip(restyled, selected.cell_length), after])


class FlatTable(_Flat, MarkdownTable):
    """A Markdown table: a grid of cells with keylines, in one widget."""

    COMPONENT_CLASSES = {"flat-table--header", "flat-table--keyline"}
    DEFAULT_CSS = """
    FlatTable > .flat-table--header { color: $primary; }
    FlatTable > .flat-table--keyline { color: $foreground 20%; }
    """

    _grid: tuple[list[list[Content]], list[tuple[int, int]], list[tuple[int, int]]] | None = None

    def _cells(self) -> list[list[Content]]:
        if not self._headers and not self._rows:
            self._headers, self._rows = self._get_headers_and_rows()
        columns = len(self._headers)
        return [self._headers, *(row[:columns] + [Content()] * (columns - len(row)) for row in self._rows)]

    def _layout(self, width: int) -> tuple[list[list[Content]], list[tuple[int, int]], list[tuple[int, int]]]:
        """Rows of cells, and the (offset, size) of each column and row: Textual's grid rules.

        As GridLayout.arrange with auto columns and rows, expand, shrink and auto
        minimums, inside a keyline (one cell of border on every side).
        """
        cells = self._cells()
        columns = len(cells[0])
        inner = Size(max(0, width - 2), 0)
        gutter = 2 * CELL_PADDING
        widths = [max(row[c].get_optimal_width(CELL_RULES, 0) + gutter for row in cells) for c in range(columns)]
        minimums = [max([1, *(row[c].get_minimal_width(CELL_RULES) + gutter for row in cells)]) for c in range(columns)]
        scalars = [Scalar.from_number(w) for w in widths]
        resolved_columns = resolve(
            scalars, inner.width, GUTTER, inner, inner, expand=True, shrink=True, minimums=minimums
        )
        heights = []
        for row in cells:
            height = 0
            for cell, (_, column_width) in zip(row, resolved_columns, strict=True):
                content_width = column_width - gutter
                if content_width > 0:
                    height = max(height, cell.get_height(CELL_RULES, content_width))
            heights.append(height)
        resolved_rows = resolve([Scalar.from_number(h) for h in heights], 0, GUTTER, inner, inner)
        return cells, resolved_columns, resolved_rows

    def _draw(self, width: int) -> list[Strip]:
        if not self._cells()[0]:
            return []
        cells, columns, rows = self._layout(width)
        last_y, last_height = rows[-1]
        height = last_y + last_height + 2
        _, background = self.background_colors
        keyline = background + self.get_component_styles("flat-table--keyline").color
        canvas = Canvas(width, height)
        boxes = [
            Rectangle(Offset(x, y), column_width + 2, row_height + 2, keyline, "thin")
            for (y, row_height) in rows
            for (x, column_width) in columns
        ]
        lines = list(canvas.render(boxes, self.rich_style)._strips)
        style = self.visual_style
        header_style = replace(style, foreground=self.get_component_styles("flat-table--header").color)
        # Where a cell's text stops, Textual pads with the cell's background only.
        inner_style = RichStyle.from_color(bgcolor=(background + background).rich_color)
        for row_index, (row, (y, row_height)) in enumerate(zip(cells, rows, strict=True)):
            for cell, (x, column_width) in zip(row, columns, strict=True):
                header = row_index == 0
                cell_style = header_style if header else style
                cell_strips = self._cell_strips(cell, column_width, row_height, cell_style, header, inner_style)
                for dy, strip in enumerate(cell_strips):
                    line = lines[y + 1 + dy]
                    lines[y + 1 + dy] = Strip.join([line.crop(0, x + 1), strip, line.crop(x + 1 + column_width, width)])
        return lines

    def _cell_strips(
        self, cell: Content, width: int, height: int, style: VisualStyle, header: bool, inner_style: RichStyle
    ) -> list[Strip]:
        """One cell as a Static with padding 0 1 renders it, ``height`` lines tall."""
        content_width = width - 2 * CELL_PADDING
        strips = self._content_strips(cell, content_width, style, CELL_RULES)[:height] if content_width > 0 else []
        if header and strips:
            align_style = (style + VisualStyle(reverse=False)).rich_style
            strips = list(Strip.align(strips, align_style, content_width, height, "left", "bottom"))
        out = []
        for y in range(height):
            line = strips[y] if y < len(strips) else Strip.blank(content_width, style.rich_style)
            line = line.adjust_cell_length(content_width, inner_style)
            padding = Strip.blank(CELL_PADDING, inner_style)
            out.append(Strip.join([padding, line, padding]))
        return out

    def _cell_at(self, x: int, y: int) -> Content | None:
        if self._grid is None:
            return None
        cells, columns, rows = self._grid
        for row, (top, row_height) in zip(cells, rows, strict=True):
            if top + 1 <= y < top + 1 + row_height:
                for cell, (left, column_width) in zip(row, columns, strict=True):
                    if left + 1 <= x < left + 1 + column_width:
                        return cell
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # Textual gives each cell its text as a tooltip, which shows what an ellipsis cut.
        if self._grid is None or self._grid_width != self.content_size.width:
            self._grid_width = self.content_size.width
            self._grid = self._layout(self._grid_width)
        cell = self._cell_at(event.x, event.y)
        tooltip = cell.plain if cell is not None and cell.plain else None
        if tooltip != self.tooltip:
            self.tooltip = tooltip

    _grid_width = -1


class FlatBulletList(_Flat, MarkdownBulletList):
    """A bullet list of one paragraph per item, in one widget."""

    COMPONENT_CLASSES = {"flat-list--bullet"}
    DEFAULT_CSS = """
    FlatBulletList > .flat-list--bullet { color: $text-primary; }
    FlatBulletList:light > .flat-list--bullet { color: $text-secondary; }
    """

    def _items(self) -> list[tuple[str, Content]] | None:
        """(bullet, paragraph) of each item, or None when an item holds anything else."""
        items = []
        for block in self._blocks:
            if not isinstance(block, MarkdownUnorderedListItem):
                return None
            children = block._blocks
            if len(children) != 1 or not isinstance(children[0], MarkdownParagraph) or children[0]._blocks:
                return None
            items.append((block.bullet, children[0]._content))
        return items

    def compose(self) -> ComposeResult:
        self._flat_items = self._items()
        if self._flat_items is None:
            yield from MarkdownBulletList.compose(self)

    _flat_items: list[tuple[str, Content]] | None = None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._flat_items is None:
            return MarkdownBlock.get_content_height(self, container, viewport, width)
        return super().get_content_height(container, viewport, width)

    def render_line(self, y: int) -> Strip:
        if self._flat_items is None:
            return MarkdownBlock.render_line(self, y)
        return super().render_line(y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        if self._flat_items is None:
            return MarkdownBlock.get_selection(self, selection)
        return super().get_selection(selection)

    def _draw(self, width: int) -> list[Strip]:
        """Each item as Textual lays it out: the bullet beside its paragraph, as tall as it."""
        style = self.visual_style
        bullet_style = replace(style, foreground=self.get_component_styles("flat-list--bullet").color)
        bullet_blank = bullet_style.rich_style
        _, background = self.background_colors
        inner = RichStyle.from_color(bgcolor=(background + background).rich_color)
        lines: list[Strip] = []
        for bullet, paragraph in self._flat_items or []:
            symbol = Content(bullet)
            bullet_width = symbol.cell_length
            text_width = width - bullet_width
            marker = self._content_strips(symbol, bullet_width, bullet_style, {})
            text = self._content_strips(paragraph, text_width, style, {})
            for y in range(max(1, len(text))):
                if y == 0 and marker:
                    left = marker[0].adjust_cell_length(bullet_width, inner)
                else:
                    left = Strip.blank(bullet_width, bullet_blank)  # the bullet widget is as tall as its item
                if y < len(text):
                    right = text[y].adjust_cell_length(text_width, inner)
                else:
                    right = Strip.blank(text_width, style.rich_style)
                lines.append(Strip.join([left, right]))
        return lines


class FlatMarkdown(Markdown):
    """Markdown whose tables and simple bullet lists are drawn by one widget each."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": FlatTable, "bullet_list_open": FlatBulletList}
