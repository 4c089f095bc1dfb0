"""DataTable rows drawn as one cell from a given column to the right edge: a heading across the columns."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style


class SpanningRows:
    """Mixin for a DataTable: a row that :meth:`spans` draws its cell in column ``span_from``
    across that column and every later one, whose own cells it leaves undrawn.

    DataTable has no column span. A heading wider than its column was cut, or had its
    tail put in the next column, where the cell padding opened a gap in the middle of it.

    Relies on: ``DataTable._render_cell`` (one cell's lines, cached per row and column
    but not per width, so a spanning cell is always asked for at its spanning width),
    ``DataTable._render_line_in_row`` joining the cells' lines side by side, and
    ``DataTable._row_locations`` (row index to key).
    """

    span_from = 1

    def spans(self, row_key: str) -> bool:
        """Whether the row drawn for ``row_key`` is one cell from ``span_from`` on."""
        return False

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        table: Any = self
        if row_index >= 0 and column_index >= self.span_from:
            row_key = table._row_locations.get_key(row_index)
            if row_key is not None and self.spans(row_key.value):
                if column_index > self.span_from:
                    return [[] for _ in range(table.rows[row_key].height)]  # drawn by the spanning cell
                width = sum(column.get_render_width(table) for column in table.ordered_columns[column_index:])
        return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)  # type: ignore[misc, no-any-return]
