"""The Checklist pane: the reassessment checklist, walked through item by item.

A table of the content pack's items grouped by section, a detail panel for the
highlighted item (what to ask, why, what to do, sources, the note) and a line
of overall progress. Quick keys set an item's status and move on, so a
clinician can walk the list during a consultation; every change is one
undoable edit.
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from trd_tui.clinical.assess import Assessment
from trd_tui.pack.records import ChecklistSection
from trd_tui.model import ChecklistEntry, ReviewStatus, with_checklist
from trd_tui.ui.internals.redraw import set_text
from trd_tui.ui.internals.row_spans import SpanningRows
from trd_tui.ui.internals.table_caches import replace_row_cells
from trd_tui.ui.panes.pane import Pane
from trd_tui.ui.widgets.note_editor import NoteEditor, one_line
from trd_tui.ui.widgets.table import FastTable

# Glyph and word, so a status never depends on colour alone.
STATUS_LOOK = {
    ReviewStatus.UNREVIEWED: ("· unreviewed", "dim"),
    ReviewStatus.NO_CONCERN: ("✓ no concern", "green"),
    ReviewStatus.CONCERN: ("! concern", "bold red"),
    ReviewStatus.FOLLOW_UP: ("→ follow-up", "bold yellow"),
}
FILTERS = ("all", "unreviewed", "flagged")
SECTION = "section:"  # row-key prefix of section header rows
NARROW = 100  # below this many columns the detail panel goes under the table
STATUS_WIDTH = max(cell_len(word) for word, _ in STATUS_LOOK.values())
#: Where o, c and f leave the cursor (ChecklistPane.action_set_status).
THEN = "then the next item, unless its note is open or the palette's “stay on the item” is on"
#: An answer copied from an earlier visit and not asked again yet: its glyph replaces the
#: status's, and it is dim, so it never reads as reviewed today.
CARRIED_GLYPH = "↺"


def status_text(status: ReviewStatus, width: int = 0, *, carried: bool = False) -> Text:
    """The status as glyph and word, padded to ``width`` to line up in a list."""
    word, style = STATUS_LOOK[status]
    if carried:
        word, style = f"{CARRIED_GLYPH}{word[1:]}", "dim italic"
    return Text(word.ljust(width), style)


def entry_status(entry: ChecklistEntry, width: int = 0) -> Text:
    return status_text(entry.status, width, carried=entry.carried_from is not None)


def is_section(key: str) -> bool:
    return key.startswith(SECTION)


def cell_text(text: str, style: str = "") -> Text:
    """A table cell: literal text (a string cell would be parsed as markup), cut with an ellipsis."""
    return Text(text, style, no_wrap=True, overflow="ellipsis")


class Row(NamedTuple):
    """One table row as plain data, so unchanged rows can be recognised and left alone."""

    key: str  # item id, or "section:<id>"
    status: Text
    item: str
    note: str


class ItemTable(SpanningRows, FastTable):
    """The checklist rows, with columns fitted to the table's own width.

    Section rows are headers: their title spans the Item and Note columns
    (cut with an ellipsis only if it is wider than both).
    """

    COLUMNS = (("status", "Status"), ("item", "Item"), ("note", "Note"))

    def __init__(self, label_width: int, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self._label_width = label_width
        self._rows: list[Row] = []
        self._widths: tuple[int, ...] = ()

    @property
    def keys(self) -> list[str]:
        return [row.key for row in self._rows]

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor (None when the table is empty)."""
        if not self.row_count:
            return None
        return self.ordered_rows[self.cursor_row].key.value

    def move_to(self, key: str) -> None:
        self.move_cursor(row=self.get_row_index(key))

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``, keeping the cursor on its row if that row is still shown."""
        if [row.key for row in rows] == self.keys and self._widths == self._fit():
            self._update_changed(rows)
        else:
            self._rows = rows
            self._rebuild()

    def on_resize(self, _: events.Resize) -> None:
        if self._fit() != self._widths:
            self._rebuild()

    def _fit(self) -> tuple[int, ...]:
        """Column widths: Status fixed, Item as wide as the longest label, Note the rest."""
        padding = 2 * self.cell_padding * len(self.COLUMNS)
        available = self.scrollable_content_region.width - padding - STATUS_WIDTH
        item = min(self._label_width, max(8, available // 2))
        return STATUS_WIDTH, item, max(8, available - item)

    def _rebuild(self) -> None:
        key = self.current_key
        self.clear(columns=True)
        self._widths = self._fit()
        for (column_key, label), width in zip(self.COLUMNS, self._widths, strict=True):
            # Text, not str: DataTable reads a str label as markup, and markup loads Rich's emoji table.
            self.add_column(Text(label), key=column_key, width=width)
        for row in self._rows:
            self.add_row(*self._cells(row), key=row.key)
        if key in self.keys:
            self.move_to(key)

    def _update_changed(self, rows: list[Row]) -> None:
        """Redraw only the rows that differ: a status key changes one item and its section."""
        for old, new in zip(self._rows, rows, strict=True):
            if old != new:
                cells = zip((key for key, _ in self.COLUMNS), self._cells(new), strict=True)
                replace_row_cells(self, new.key, dict(cells))
        self._rows = rows

    def spans(self, row_key: str) -> bool:
        return is_section(row_key)

    def _cells(self, row: Row) -> tuple[Text, Text, Text]:
        if is_section(row.key):
            return row.status, cell_text(row.item, "bold"), Text()
        return row.status, cell_text(row.item), cell_text(one_line(row.note))


class ChecklistPane(Pane):
    """The reassessment checklist: pseudo-resistance, diagnosis, medical causes and the rest."""

    BINDINGS = [
        Binding("o", "set_status('no-concern')", "No concern", id="checklist.no_concern",
                tooltip=f"Mark: no concern; {THEN}"),
        Binding("c", "set_status('concern')", "Concern", id="checklist.concern",
                tooltip=f"Mark: concern; {THEN}"),
        Binding("f", "set_status('follow-up')", "Follow-up", id="checklist.follow_up",
                tooltip=f"Mark: to follow up; {THEN}"),
        Binding("x", "set_status('unreviewed')", "Clear", id="checklist.clear",
                tooltip="Mark the item unreviewed again"),
        Binding("n", "edit_note", "Note", id="checklist.note", tooltip="Edit the item's note (also Enter): typing replaces it, End adds to it"),
        Binding("v", "cycle_filter", "Filter", id="checklist.filter",
                tooltip="Show all items, only the unreviewed, or only the flagged (concern or follow-up)"),
    ]
    DEFAULT_CSS = """
    ChecklistPane #checklist-progress { height: 1; padding: 0 1; background: $boost; }
    ChecklistPane #checklist-body { height: 1fr; }
    ChecklistPane #checklist-table-box { width: 1fr; height: 1fr; }
    ChecklistPane #checklist-table { height: 1fr; scrollbar-gutter: stable; }
    ChecklistPane #checklist-detail {
        width: 42%; max-width: 72; height: 1fr; padding: 0 1;
        border-left: vkey $foreground 20%;
    }
    /* As tall as the panel at least: the next item's detail, when it fits, redraws without a relayout. */
    ChecklistPane #checklist-detail-text { min-height: 100%; }
    ChecklistPane.-narrow #checklist-body { layout: vertical; }
    ChecklistPane.-narrow #checklist-detail {
        width: 1fr; max-width: 100%; height: 45%; border-left: none; border-top: hkey $foreground 20%;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._filter = FILTERS[0]
        self._detail_key: str | None = None  # the row whose detail is shown

    def compose(self) -> ComposeResult:
        label_width = max((cell_len(item.label) for item in self.content.checklist_items.values()), default=8)
        yield Static(id="checklist-progress")
        with Horizontal(id="checklist-body"):
            # The box gives the table no focusable sibling: when the table is hidden with focus
            # (another pane shown), Textual would move focus to such a sibling, inside the hidden pane.
            with Container(id="checklist-table-box"):
                yield ItemTable(label_width, id="checklist-table")
            with VerticalScroll(id="checklist-detail"):
                yield Static(id="checklist-detail-text")
        yield NoteEditor(id="note-editor")

    @property
    def table(self) -> ItemTable:
        return self.query_one(ItemTable)

    @property
    def editor(self) -> NoteEditor:
        return self.query_one(NoteEditor)

    def focus_main(self) -> None:
        self.table.focus()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self._draw_detail()

    # -- drawing ------------------------------------------------------------

    def show(self, assessment: Assessment) -> None:
        set_text(self.query_one("#checklist-progress", Static), self._progress_text(assessment), fixed_size=True)
        table = self.table
        previous = table.current_key
        table.set_rows(self._rows(assessment))
        if previous not in table.keys:
            self._place_cursor(previous)
        self._draw_detail()

    def _progress_text(self, assessment: Assessment) -> Text:
        p = assessment.checklist
        concerns = f"{p.concerns} concern" + ("" if p.concerns == 1 else "s")
        return Text.assemble(
            (f"Reviewed {p.reviewed} of {p.total}", "bold"),
            f" · {p.to_reask} to re-ask ({CARRIED_GLYPH})" if p.to_reask else "",
            f" · {concerns} · {p.follow_ups} to follow up · ",
            ("filter: ", "dim"),
            (self._filter, "bold"),
        )

    def _carried(self, entry: ChecklistEntry) -> list[Text]:
        """A carried answer says so in the detail: it was given at an earlier visit, not today."""
        if entry.carried_from is None:
            return []
        day = self.privacy.day(entry.carried_from)
        return [Text(f"{CARRIED_GLYPH} Carried from the visit of {day}: ask again, then mark it (o, c or f).", "italic")]

    def _entry(self, item_id: str) -> ChecklistEntry:
        return self.host.assessment.session.checklist.get(item_id, ChecklistEntry())

    def _shown(self, item_id: str, assessment: Assessment) -> bool:
        if self._filter == "unreviewed":
            return self._entry(item_id).status is ReviewStatus.UNREVIEWED
        if self._filter == "flagged":
            return item_id in assessment.checklist.flagged
        return True

    def _rows(self, assessment: Assessment) -> list[Row]:
        """Each section with items to show: a header row, then its items."""
        rows = []
        for section in self.content.sections:
            items = [item for item in self.content.items_in(section.id) if self._shown(item.id, assessment)]
            if items:
                rows.append(self._section_row(section, assessment))
            for item in items:
                entry = self._entry(item.id)
                rows.append(Row(item.id, entry_status(entry), item.label, self.privacy.note(entry.note)))
        return rows

    def _section_row(self, section: ChecklistSection, assessment: Assessment) -> Row:
        reviewed, total = assessment.checklist.by_section[section.id]
        return Row(SECTION + section.id, Text(f"{reviewed}/{total} reviewed", "dim"), section.title, "")

    def _place_cursor(self, previous: str | None) -> None:
        """When the cursor's row is gone (or on first show): the nearest item shown, later ones first."""
        order = self._pack_order
        shown = [key for key in order if key in self.table.keys and not is_section(key)]
        if not shown:
            return
        start = order.index(previous) if previous in order else 0
        later = [key for key in shown if order.index(key) >= start]
        self.table.move_to(later[0] if later else shown[-1])

    @cached_property
    def _pack_order(self) -> list[str]:
        """Every row key in display order, whatever the filter."""
        keys = []
        for section in self.content.sections:
            keys.append(SECTION + section.id)
            keys.extend(item.id for item in self.content.items_in(section.id))
        return keys

    @on(DataTable.RowHighlighted, "#checklist-table")
    def _draw_detail(self) -> None:
        """Show the highlighted row's item (or section) in the detail panel."""
        key = self.table.current_key
        if key is None:
            text = Text(f"No items match the filter “{self._filter}”. Press v to change it.")
        elif is_section(key):
            text = self._section_detail(key.removeprefix(SECTION))
        else:
            text = self._item_detail(key)
        set_text(self.query_one("#checklist-detail-text", Static), text)
        if key != self._detail_key:  # another item's detail starts at its top, not where the last was scrolled
            self._detail_key = key
            self.query_one("#checklist-detail", VerticalScroll).scroll_home(animate=False)

    def _item_detail(self, item_id: str) -> Text:
        item = self.content.checklist_items[item_id]
        entry = self._entry(item_id)
        blocks = [
            Text.assemble(
                (item.label, "bold"), "  ", entry_status(entry), (f"  {self._section(item.section).title}", "dim")
            ),
            *self._carried(entry),
            Text.assemble(("Ask  ", "dim"), (item.question, "bold")),
            Text.assemble(("Why it matters  ", "dim"), item.why),
            Text.assemble(("If present  ", "dim"), item.action),
            Text.assemble(("Sources  ", "dim"), self.content.cite(item.sources)),
            Text.assemble(("Note  ", "dim"), self.privacy.note(entry.note) or ("none; n or Enter to add one", "dim")),
        ]
        # Under the table (narrow) the panel is short: no blank lines between blocks there.
        return Text("\n" if self.has_class("-narrow") else "\n\n").join(blocks)

    def _section(self, section_id: str) -> ChecklistSection:
        return next(s for s in self.content.sections if s.id == section_id)

    def _section_detail(self, section_id: str) -> Text:
        section = self._section(section_id)
        reviewed, total = self.host.assessment.checklist.by_section[section_id]
        text = Text.assemble((section.title, "bold"), (f"\n{reviewed} of {total} reviewed\n", "dim"))
        for item in self.content.items_in(section_id):
            text.append_text(Text.assemble("\n", entry_status(self._entry(item.id), STATUS_WIDTH), "  ", item.label))
        return text

    # -- actions ------------------------------------------------------------

    def action_set_status(self, status: str) -> None:
        """Set the highlighted item's status, then move to the next item: not after a clear,
        nor while a note is open or the preference says to stay, so a note can follow."""
        key = self.table.current_key
        if key is None or is_section(key):
            self._go_to_next_item(key)
            return
        following = self._next_item(key)
        new = ReviewStatus(status)
        stay = self.editor.display or self.host.config.checklist_stay
        if new is not ReviewStatus.UNREVIEWED and not stay and following is not None:
            # Before the edit, whose redraw then shows the next item's detail, once.
            self.table.move_to(following)
        self.edit(with_checklist(self.session, key, status=new), self._edit_label(key))

    def _next_item(self, key: str | None) -> str | None:
        keys = self.table.keys
        start = keys.index(key) + 1 if key in keys else 0
        return next((k for k in keys[start:] if not is_section(k)), None)

    def _go_to_next_item(self, key: str | None) -> None:
        following = self._next_item(key)
        if following is not None:
            self.table.move_to(following)

    async def action_edit_note(self) -> None:
        key = self.table.current_key
        if key is None or is_section(key):
            self._go_to_next_item(key)
            return
        # While the note is open, its Input consumes printable keys: the quick keys and 1-4 type text.
        await self.editor.open(key, self.content.checklist_items[key].label, self._entry(key).note, private=self.privacy.sharing)
        # The box takes a line from the table: once laid out, the item's row is scrolled back into view.
        self.call_after_refresh(lambda: self.table.move_cursor(row=self.table.cursor_row))

    @on(DataTable.RowSelected, "#checklist-table")
    async def _row_selected(self) -> None:
        """Enter (or a click on the highlighted row) edits the note."""
        await self.action_edit_note()

    def on_note_editor_closed(self, message: NoteEditor.Closed) -> None:
        self.table.focus()
        self.editor.display = False
        if message.note is not None:
            edited = with_checklist(self.session, message.item_id, note=message.note)
            self.edit(edited, self._edit_label(message.item_id))

    def _edit_label(self, item_id: str) -> str:
        """What undo names the edit: "Undone: checklist: Sleep"."""
        return f"checklist: {self.content.checklist_items[item_id].label}"

    def action_cycle_filter(self) -> None:
        self._filter = FILTERS[(FILTERS.index(self._filter) + 1) % len(FILTERS)]
        self.show(self.host.assessment)
