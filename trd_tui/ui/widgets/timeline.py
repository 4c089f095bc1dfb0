"""The Timeline pane: the trials as a chart and a table, each with its adequacy and reasons.

Everything shown comes from the app's assessment; the pane only draws it and
turns keys into edits (add, edit, duplicate, delete), each undoable with ctrl+z.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Static

from trd_tui.clinical.adequacy import mg
from trd_tui.clinical.assess import Assessment
from trd_tui.clinical.trd import TrialAssessment
from trd_tui.model import Trial, with_trial, without_trial
from trd_tui.ui.widgets.dialogs import ChoiceDialog
from trd_tui.ui.widgets.pane import Pane
from trd_tui.ui.widgets.timeline_chart import bar_char, by_start, timeline_chart

# What a clinician scans for comes first, so it is on screen at 80 columns; the rest scrolls.
COLUMNS = ("Treatment", "Adequacy", "Outcome", "Dose", "Start", "End", "Weeks", "Role", "Adherence", "Reason")
#: The table's adequacy cell gives the first reason up to this many cells; the detail line has them all.
ADEQUACY_CELL_WIDTH = 60


class TimelineChart(Widget):
    """:func:`timeline_chart` drawn to this widget's width, so it refits on every resize."""

    DEFAULT_CSS = "TimelineChart { height: auto; padding: 0 1; }"

    assessment: reactive[Assessment | None] = reactive(None, layout=True)
    max_bars: reactive[int | None] = reactive(None, layout=True)

    def _chart(self, width: int) -> Text:
        if self.assessment is None:
            return Text()
        return timeline_chart(self.assessment, width, max_bars=self.max_bars)

    def render(self) -> Text:
        return self._chart(self.content_size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # The legend wraps, so the height depends on the width.
        return len(self._chart(width).plain.splitlines())


class TimelinePane(Pane):
    """Chart above, table of trials below, and every reason for the highlighted trial."""

    BINDINGS = [
        Binding("a", "add", "Add", id="timeline.add", tooltip="Add a trial"),
        Binding("e", "edit", "Edit", id="timeline.edit", tooltip="Edit the highlighted trial (or press Enter)"),
        Binding("d", "duplicate", "Duplicate", id="timeline.duplicate", tooltip="Add a copy of the highlighted trial to change"),
        Binding("delete,x", "delete", "Delete", id="timeline.delete", tooltip="Delete the highlighted trial (ctrl+z undoes)"),
    ]
    DEFAULT_CSS = """
    TimelinePane #trials { height: 1fr; }
    TimelinePane #detail-scroll { height: auto; max-height: 25%; background: $boost; }
    TimelinePane #trial-detail { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: Assessment | None = None  # what the table shows; its row keys index these trials
        self._follow: Trial | None = None  # the trial to highlight after the next redraw

    def compose(self) -> ComposeResult:
        yield TimelineChart(id="chart")
        # The name stays in view when the table scrolls sideways on a narrow terminal.
        table: DataTable[str | Text] = DataTable(id="trials", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        table.add_columns(*COLUMNS)
        yield table
        with VerticalScroll(id="detail-scroll"):
            yield Static(id="trial-detail")

    def focus_main(self) -> None:
        self.query_one("#trials", DataTable).focus()

    def on_resize(self) -> None:
        # The chart takes about a third of the pane, so the table stays usable at 80×24;
        # the table lists every trial anyway.
        self.query_one(TimelineChart).max_bars = max(2, self.size.height // 3 - 3)

    # -- drawing ------------------------------------------------------------

    def show(self, assessment: Assessment) -> None:
        self.query_one(TimelineChart).assessment = assessment
        self._fill_table(assessment)
        self.refresh_bindings()

    def _fill_table(self, assessment: Assessment) -> None:
        """Refill the table, keeping the cursor on the same trial when it is still there."""
        table = self.query_one("#trials", DataTable)
        current = self._highlighted()
        follow = self._follow or (current.trial if current else None)
        row = table.cursor_row
        self._shown = assessment
        table.clear()
        ordered = by_start(assessment.trials)
        for t in ordered:
            table.add_row(*_cells(t), key=str(t.index))
        if ordered:
            # Identity, not equality: an edit replaces the trial object, so an equal twin is another trial.
            found = next((i for i, t in enumerate(ordered) if t.trial is follow), None)
            table.move_cursor(row=found if found is not None else min(row, len(ordered) - 1))
        self._show_detail()

    def _highlighted(self) -> TrialAssessment | None:
        table = self.query_one("#trials", DataTable)
        if self._shown is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self._shown.trials[int(str(key.value))]  # row keys are trial indices

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        t = self._highlighted()
        detail = _detail(t) if t else Text("No trials recorded. Press a to add one.", "italic")
        self.query_one("#trial-detail", Static).update(detail)

    # -- editing ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Editing keys need a highlighted trial; without one they show greyed out."""
        if action in ("edit", "duplicate", "delete"):
            return bool(self.session.trials) or None
        return True

    def action_add(self) -> None:
        self._open_form("Add trial", None, None, "add trial")

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        if t := self._highlighted():
            self._open_form("Edit trial", t.trial, t.index, "edit trial")

    def action_duplicate(self) -> None:
        if t := self._highlighted():
            self._open_form("Duplicate trial", t.trial, None, "duplicate trial")

    def _open_form(self, title: str, trial: Trial | None, index: int | None, label: str) -> None:
        """Open the trial form; a valid result replaces the trial at ``index`` (None adds it)."""
        from trd_tui.ui.widgets.trial_form import TrialForm

        def done(result: Trial | None) -> None:
            if result is None:
                return
            self._follow = result
            self.edit(with_trial(self.session, index, result), label)
            self._follow = None

        self.app.push_screen(TrialForm(title, trial, self.session.visit_date, self.content), done)

    @work(exclusive=True, group="timeline-delete")
    async def action_delete(self) -> None:
        t = self._highlighted()
        if t is None:
            return
        what = f"{t.name} (started {t.trial.start.isoformat()})"
        choice = await self.app.push_screen_wait(
            ChoiceDialog("Delete trial?", f"Delete {what}?", [("delete", "Delete"), ("cancel", "Cancel")])
        )
        if choice != "delete":
            return
        self.edit(without_trial(self.session, t.index), "delete trial")
        self.notify(f"Deleted {what} — ctrl+z to undo", markup=False)


def _cells(t: TrialAssessment) -> tuple[str | Text, ...]:
    """One table row; user text goes in as Text so it is never read as markup."""
    trial = t.trial
    reason = Text(t.reasons[0])
    reason.truncate(ADEQUACY_CELL_WIDTH, overflow="ellipsis")
    return (
        Text(t.name),
        Text(f"{bar_char(t.adequacy)} {t.adequacy.value}"),
        _outcome(t),
        f"{mg(trial.dose_mg)} mg" if trial.dose_mg is not None else "—",
        trial.start.isoformat(),
        trial.end.isoformat() if trial.end else "ongoing",
        Text(f"{t.weeks:.1f}", justify="right"),
        trial.role.value,
        trial.adherence.value,
        reason,
    )


def _outcome(t: TrialAssessment) -> Text:
    """The recorded outcome, flagged when the rating scales measured something else."""
    text = Text(t.trial.outcome.value)
    if t.measured is not None and t.measured.agrees_with_outcome is False:
        text.append(f" ⚠ measured {t.measured.band.value}", "bold")
    return text


def _detail(t: TrialAssessment) -> Text:
    """The highlighted trial: adequacy, every reason from the assessment, and what was noted."""
    text = Text.assemble((t.name, "bold"), f" · {t.trial.role.value} · ", (t.adequacy.value, "bold"))
    for reason in t.reasons:
        text.append(f"\n• {reason}")
    noted = [
        ("Side effects", ", ".join(t.trial.side_effects)),
        ("Stopped", t.trial.stop_reason),
        ("Note", t.trial.note),
    ]
    if extras := [f"{label}: {value}" for label, value in noted if value]:
        text.append("\n" + " · ".join(extras), "italic")
    return text
