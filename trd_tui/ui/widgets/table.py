"""A DataTable that keeps its drawn rows when shown again, and draws a screenful without
recomputing its styles for each row.

The mechanisms rely on DataTable internals and live in
:mod:`trd_tui.ui.internals.table_caches` (see ui/internals/README.md).
"""

from __future__ import annotations

from textual.widgets import DataTable

from trd_tui.ui.internals.table_caches import KeptRenderCaches, StylesOncePerDraw


class FastTable(KeptRenderCaches, StylesOncePerDraw, DataTable):  # type: ignore[type-arg]
    """DataTable, without redrawing every row when it is shown again or refocused,
    and with its styles looked up once per draw."""
