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

from bisect import bisect_right
from dataclasses import replace
from functools import cached_property
from itertools import accumulate
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
    """A block drawn in bands (a table row, a list item) of known height, each drawn
    only when a line of it is first shown, and kept until the width or styles change.

    A mixin, listed first but not a widget, so Textual still takes the CSS type of the
    block it is mixed into (its CSS follows the first widget base class only).
    """

    _width = -1
    _starts: list[int] = []  # first line of each band, and the total height last
    _drawn: dict[int, list[Strip]] = {}

    def notify_style_update(self) -> None:
        self._width = -1
        super().notify_style_update()  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        return iter(())  # the cells are drawn, not mounted

    def _measure(self, width: int) -> None:
        if width != self._width:
            self._starts = list(accumulate(self._band_heights(width), initial=0)) if width > 0 else [0]
            self._drawn = {}
            self._width = width

    def _band_heights(self, width: int) -> list[int]:
        raise NotImplementedError

    def _draw_band(self, band: int, width: int) -> list[Strip]:
        raise NotImplementedError

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._measure(width)
        return self._starts[-1]

    def _line(self, y: int, width: int) -> Strip | None:
        self._measure(width)
        starts = self._starts
        if not 0 <= y < starts[-1]:
            return None
        band = bisect_right(starts, y) - 1
        if (strips := self._drawn.get(band)) is None:
            strips = self._drawn[band] = self._draw_band(band, width)
        return strips[y - starts[band]]

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        strip = self._line(y, width)
        if strip is None:
            return Strip.blank(width, self.rich_style)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            selected = VisualStyle.from_styles(self.screen.get_component_styles("screen--selection"))
            strip = _highlight(strip, span, selected)
        # Offsets let the mouse select text here, as in any Textual text (here: the lines as drawn).
        return strip.apply_offsets(0, y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        width = self.content_size.width
        self._measure(width)
        lines = (self._line(y, width) for y in range(self._starts[-1]))
        return selection.extract("\n".join(line.text.rstrip() for line in lines if line is not None)), "\n"

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


class _TablePart:
    """A table's section, row or cell as the parser builds it: plain data, not a widget.

    Textual builds (but never mounts) a widget for each, about 3,500 on the large
    summary; a widget costs tens of microseconds and a hundred objects to collect.
    """

    __slots__ = ("_blocks", "_content", "source_range", "id")

    def __init__(self, _markdown: Markdown, _token: object) -> None:
        self._blocks: list[_TablePart] = []
        self._content = Content()

    def build_from_token(self, token: object) -> None:
        self._content = MarkdownBlock._token_to_content(self, token)  # type: ignore[arg-type]


class _Row(_TablePart):
    __slots__ = ()


class _Cell(_TablePart):
    __slots__ = ()


class FlatTable(_Flat, MarkdownTable):
    """A Markdown table: a grid of cells with keylines, in one widget."""

    COMPONENT_CLASSES = {"flat-table--header", "flat-table--keyline"}
    DEFAULT_CSS = """
    FlatTable > .flat-table--header { color: $primary; }
    FlatTable > .flat-table--keyline { color: $foreground 20%; }
    """

    _column_spans: list[tuple[int, int]] = []  # (offset, width) of each column at self._width
    _row_spans: list[tuple[int, int]] = []  # (offset, height) of each row

    def _get_headers_and_rows(self) -> tuple[list[Content], list[list[Content]]]:
        """The header cells and the rows, as MarkdownTable finds them in what the parser built."""
        rows: list[list[Content]] = []
        for section in self._blocks:
            for row in section._blocks:
                if isinstance(row, _Row):
                    rows.append([cell._content for cell in row._blocks if isinstance(cell, _Cell)])
        if not rows:
            return [], []
        return rows[0], [row for row in rows[1:] if row]

    @cached_property
    def _cells(self) -> list[list[Content]]:
        """The header row then the body rows, each as many cells as there are headers."""
        headers, rows = self._get_headers_and_rows()
        self._blocks = []  # the cells' text is all that is needed
        columns = len(headers)
        return [headers, *(row[:columns] + [Content()] * (columns - len(row)) for row in rows)] if headers else []

    def _band_heights(self, width: int) -> list[int]:
        """One band per row: the keyline above it and its lines (the last also the one below).

        Column widths and row heights follow Textual's GridLayout.arrange for a grid of
        auto columns and rows, expanding and shrinking with auto minimums, with a keyline
        (one cell of border on every side) and a gutter of one.
        """
        cells = self._cells
        if not cells:
            self._column_spans, self._row_spans = [], []
            return []
        inner = Size(max(0, width - 2), 0)
        gutter = 2 * CELL_PADDING
        count = len(cells[0])
        widths = [max(row[c].get_optimal_width(CELL_RULES, 0) + gutter for row in cells) for c in range(count)]
        minimums = [max([1, *(row[c].get_minimal_width(CELL_RULES) + gutter for row in cells)]) for c in range(count)]
        scalars = [Scalar.from_number(w) for w in widths]
        columns = resolve(scalars, inner.width, GUTTER, inner, inner, expand=True, shrink=True, minimums=minimums)
        heights = [
            max([0, *(_cell_height(cell, width - gutter) for cell, (_, width) in zip(row, columns, strict=True))])
            for row in cells
        ]
        rows = resolve([Scalar.from_number(h) for h in heights], 0, GUTTER, inner, inner)
        self._column_spans, self._row_spans = columns, rows
        bands = [top - previous for (previous, _), (top, _) in zip(rows, rows[1:])]
        last_top, last_height = rows[-1]
        return [*bands, last_height + 2]

    def _draw_band(self, band: int, width: int) -> list[Strip]:
        """A row's lines: the keyline above it, its cells between keylines, and for the
        last row the keyline below, drawn as Textual's keyline canvas draws them."""
        columns, rows = self._column_spans, self._row_spans
        top, height = rows[band]
        last = band == len(rows) - 1
        _, background = self.background_colors
        keyline = background + self.get_component_styles("flat-table--keyline").color
        # This row's boxes, and the row above's (its bottom edge is this band's first line).
        boxes = [
            Rectangle(Offset(x, row_top - top), column_width + 2, row_height + 2, keyline, "thin")
            for row_top, row_height in rows[max(0, band - 1) : band + 1]
            for x, column_width in columns
        ]
        lines = Canvas(width, height + 2).render(boxes, self.rich_style)._strips
        lines = lines[: height + 2 if last else height + 1]
        style = self.visual_style
        header = band == 0
        if header:
            style = replace(style, foreground=self.get_component_styles("flat-table--header").color)
        # Where a cell's text stops, Textual pads with the cell's background only.
        inner_style = RichStyle.from_color(bgcolor=(background + background).rich_color)
        for cell, (x, column_width) in zip(self._cells[band], columns, strict=True):
            for dy, strip in enumerate(self._cell_strips(cell, column_width, height, style, header, inner_style), 1):
                line = lines[dy]
                lines[dy] = Strip.join([line.crop(0, x + 1), strip, line.crop(x + 1 + column_width, width)])
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
        padding = Strip.blank(CELL_PADDING, inner_style)
        out = []
        for y in range(height):
            line = strips[y] if y < len(strips) else Strip.blank(content_width, style.rich_style)
            out.append(Strip.join([padding, line.adjust_cell_length(content_width, inner_style), padding]))
        return out

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # Textual gives each cell its text as a tooltip, which shows what an ellipsis cut.
        self._measure(self.content_size.width)
        text = None
        for row, (top, height) in zip(self._cells, self._row_spans):
            if top + 1 <= event.y < top + 1 + height:
                for cell, (left, width) in zip(row, self._column_spans, strict=True):
                    if left + 1 <= event.x < left + 1 + width:
                        text = cell.plain or None
        if text != self.tooltip:
            self.tooltip = text


def _cell_height(cell: Content, width: int) -> int:
    """Lines a cell's text takes at ``width`` (0 in a column with no room for text)."""
    if width <= 0:
        return 0
    plain = cell.plain
    if plain and "\n" not in plain and cell.cell_length <= width:
        return 1  # the common case, without wrapping
    return cell.get_height(CELL_RULES, width)


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
        else:
            self._blocks.clear()  # the items' text is all that is needed

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

    def _band_heights(self, width: int) -> list[int]:
        """One band per item, as tall as its paragraph (at least the bullet's line)."""
        return [
            max(1, paragraph.get_height({}, width - cell_len(bullet)) if width > cell_len(bullet) else 0)
            for bullet, paragraph in self._flat_items or []
        ]

    def _draw_band(self, band: int, width: int) -> list[Strip]:
        """An item as Textual lays it out: the bullet beside its paragraph, as tall as it."""
        bullet, paragraph = (self._flat_items or [])[band]
        style = self.visual_style
        bullet_style = replace(style, foreground=self.get_component_styles("flat-list--bullet").color)
        _, background = self.background_colors
        inner = RichStyle.from_color(bgcolor=(background + background).rich_color)
        symbol = Content(bullet)
        bullet_width = symbol.cell_length
        text_width = width - bullet_width
        marker = self._content_strips(symbol, bullet_width, bullet_style, {})
        text = self._content_strips(paragraph, text_width, style, {})
        lines = []
        for y in range(self._starts[band + 1] - self._starts[band]):
            if y == 0 and marker:
                left = marker[0].adjust_cell_length(bullet_width, inner)
            else:
                left = Strip.blank(bullet_width, bullet_style.rich_style)  # the bullet is as tall as its item
            if y < len(text):
                right = text[y].adjust_cell_length(text_width, inner)
            else:
                right = Strip.blank(text_width, style.rich_style)
            lines.append(Strip.join([left, right]))
        return lines


class FlatMarkdown(Markdown):
    """Markdown whose tables and simple bullet lists are drawn by one widget each."""

    BLOCKS = {
        **Markdown.BLOCKS,
        "table_open": FlatTable,
        "thead_open": _TablePart,
        "tbody_open": _TablePart,
        "tr_open": _Row,
        "th_open": _Cell,
        "td_open": _Cell,
        "bullet_list_open": FlatBulletList,
    }
