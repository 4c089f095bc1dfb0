"""The Timeline pane: the trials as a chart and a table, each with its adequacy and reasons,
and the rating-scale measurements in a second table (t toggles).

Everything shown comes from the app's assessment; the pane only draws it and
turns keys into edits (add, edit, duplicate, delete, score), each undoable with ctrl+z.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Static

from trd_tui.clinical.assess import Assessment
from trd_tui.clinical.safety import follow_up_item9, item9_follow_up_notice, item9_warning, positive_item9
from trd_tui.clinical.trd import TrialAssessment
from trd_tui.pack.doses import unit_of
from trd_tui.pack.records import Content
from trd_tui.model import Measurement, Session, Trial, with_measurement, with_trial, without_measurement, without_trial
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.text import printable
from trd_tui.ui.dialogs.form import format_number, open_form
from trd_tui.ui.host import host
from trd_tui.ui.internals.redraw import set_text
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from trd_tui.ui.panes.pane import Pane
from trd_tui.ui.widgets.table import FastTable
from trd_tui.ui.dialogs.scale_form import ScaleForm, numbered_answers
from trd_tui.ui.panes.timeline_table import WIDE_FROM, columns, role_words, trial_cells
from trd_tui.ui.widgets.timeline_chart import by_start, timeline_chart

if TYPE_CHECKING:
    from trd_tui.ui.dialogs.trial_form import TrialForm

MEASUREMENT_COLUMNS = ("Date", "Instrument", "Score", "Band", "Items")
#: A typed instrument name is cut to this in the table (the detail line has it whole).
INSTRUMENT_CELL_WIDTH = 20
VIEWS = {"trials": "Trials", "measurements": "Scores"}  # the tables t toggles between, as the title names them
ORDER = {"trials": "start", "measurements": "date"}
TRENDS_FROM_HEIGHT = 28  # pane rows; below this the trends appear with the scores view only
TREND_ROWS = 6  # what one scale's trend adds to the chart
FOLD_KEY = "f"  # shows or folds the trials of earlier episodes in the chart (the chart names it)


class TimelineChart(Widget):
    """:func:`timeline_chart` drawn to this widget's width, so it refits on every resize."""

    DEFAULT_CSS = "TimelineChart { height: auto; padding: 0 1; }"

    assessment: reactive[Assessment | None] = reactive(None, layout=True)
    max_bars: reactive[int | None] = reactive(None, layout=True)
    show_trends: reactive[bool] = reactive(False, layout=True)
    privacy: reactive[Privacy] = reactive(SHOWN)
    show_earlier: reactive[bool] = reactive(False, layout=True)

    def _chart(self, width: int) -> Text:
        if self.assessment is None:
            return Text()
        content = host(self).content if self.show_trends else None
        return timeline_chart(self.assessment, width, max_bars=self.max_bars, content=content, privacy=self.privacy,
                              show_earlier=self.show_earlier, fold_key=FOLD_KEY)

    def render(self) -> Text:
        return self._chart(self.content_size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # The legend wraps, so the height depends on the width.
        return len(self._chart(width).plain.splitlines())


class TimelinePane(Pane):
    """Chart above; below it the trials or the rating-scale scores (t toggles), and every detail of the highlighted one."""

    BINDINGS = [
        Binding("a", "add", "Add", id="timeline.add", tooltip="Add a trial"),
        Binding("e", "edit", "Edit", id="timeline.edit", tooltip="Edit the highlighted trial or score (or press Enter)"),
        Binding("d", "duplicate", "Duplicate", id="timeline.duplicate", tooltip="Add a copy of the highlighted trial to change"),
        # x first: the footer shows "x", two cells narrower than "del", so every key fits at 80 columns.
        Binding("x,delete", "delete", "Delete", id="timeline.delete",
                tooltip="Delete the highlighted trial or score (ctrl+z undoes)"),
        Binding("s", "score", "Score", id="timeline.score",
                tooltip="Add a rating-scale score: PHQ-9 or GAD-7 item by item with the keys 0–3, others as a total"),
        # One key, two bindings: check_action lets through the one that leaves the view shown,
        # so the footer names the table t brings up.
        Binding("t", "show_table('measurements')", "Scores", id="timeline.measurements",
                tooltip="Trials shown: show the rating-scale scores instead"),
        Binding("t", "show_table('trials')", "Trials", id="timeline.trials",
                tooltip="Scores shown: show the trials instead"),
        # Off the key bar (no room at 80 columns): the chart's fold line names the key.
        Binding(FOLD_KEY, "toggle_earlier", "Earlier episodes", id="timeline.earlier", show=False,
                tooltip="Show the trials of earlier episodes in the chart, or fold them to one line"),
    ]
    DEFAULT_CSS = """
    TimelinePane #table-title { height: 1; padding: 0 1; background: $boost; }
    TimelinePane DataTable { height: 1fr; }
    TimelinePane #detail-scroll { height: auto; max-height: 25%; background: $boost; }
    TimelinePane #trial-detail { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: Assessment | None = None  # what the tables show; their row keys index its records
        self._view = "trials"  # which table is shown: a key of VIEWS
        self._follow: Trial | Measurement | None = None  # the record to highlight after the next redraw
        self._trial_form: TrialForm | None = None  # built on first use, then reused
        self._wide = False  # the trial table's layout (timeline_table.columns), set by the pane's width

    def compose(self) -> ComposeResult:
        yield TimelineChart(id="chart")
        yield Static(id="table-title")
        # The first column stays in view when a table scrolls sideways on a narrow terminal.
        trials: DataTable[str | Text] = FastTable(id="trials", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        trials.add_columns(*map(Text, columns(self._wide)))  # Text: a str label is read as markup
        yield trials
        measurements: DataTable[str | Text] = FastTable(
            id="measurements", cursor_type="row", zebra_stripes=True, fixed_columns=1
        )
        measurements.add_columns(*map(Text, MEASUREMENT_COLUMNS))
        measurements.display = False
        yield measurements
        with VerticalScroll(id="detail-scroll"):
            yield Static(id="trial-detail")

    def _table(self, view: str | None = None) -> DataTable[str | Text]:
        return self.query_one(f"#{view or self._view}", DataTable)

    def focus_main(self) -> None:
        self._table().focus()

    def on_resize(self) -> None:
        self._fit_chart()
        wide = self.size.width >= WIDE_FROM
        if wide != self._wide:
            self._wide = wide
            table = self._table("trials")
            table.clear(columns=True)
            table.add_columns(*map(Text, columns(wide)))
            if self._shown is not None:
                self.show(self._shown)

    def _fit_chart(self) -> None:
        """Score trends under the bars when there is room, or whenever the scores are shown.

        The chart gets about a third of the pane, or half while trends are drawn, so the
        table stays usable at 80×24; the table lists every trial anyway.
        """
        chart = self.query_one(TimelineChart)
        height = self.size.height
        chart.show_trends = self._view == "measurements" or height >= TRENDS_FROM_HEIGHT
        room = height // 2 - TREND_ROWS if chart.show_trends else height // 3
        chart.max_bars = max(2, room - 3)

    # -- drawing ------------------------------------------------------------

    def show(self, assessment: Assessment) -> None:
        chart = self.query_one(TimelineChart)
        chart.privacy = self.privacy
        chart.assessment = assessment
        # What each table highlights now, read before the records it indexes are replaced.
        current = {view: self._highlighted_record(view) for view in VIEWS}
        self._shown = assessment
        cells = [(str(t.index), t.trial, trial_cells(t, self.privacy, self.content, wide=self._wide)) for t in by_start(assessment.trials)]
        _refill(self._table("trials"), cells, (self._follow, current["trials"]))
        measurements = _measurement_rows(assessment, self.privacy)
        _refill(self._table("measurements"), measurements, (self._follow, current["measurements"]))
        self._show_title()
        self._show_detail()
        self.refresh_bindings()

    def _show_title(self) -> None:
        """Which table is shown, how many records each holds, and how to see the other."""
        session = self.session
        counts = {"trials": len(session.trials), "measurements": len(session.measurements)}
        other = next(view for view in VIEWS if view != self._view)
        title = Text.assemble(
            (VIEWS[self._view], "bold"),
            f" ({counts[self._view]}, by {ORDER[self._view]})",
            (f" · t shows the {VIEWS[other].lower()} ({counts[other]})", "dim"),
        )
        set_text(self.query_one("#table-title", Static), title, fixed_size=True)

    def _highlighted_key(self, view: str | None = None) -> int | None:
        """The highlighted row's record index (row keys are indices into the session's records)."""
        table = self._table(view)
        if self._shown is None or not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _highlighted_trial(self) -> TrialAssessment | None:
        index = self._highlighted_key("trials")
        return None if index is None or self._shown is None else self._shown.trials[index]

    def _highlighted_record(self, view: str) -> Trial | Measurement | None:
        index = self._highlighted_key(view)
        if index is None or self._shown is None:
            return None
        return self._shown.session.trials[index] if view == "trials" else self._shown.session.measurements[index]

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        set_text(self.query_one("#trial-detail", Static), self._detail())

    def _detail(self) -> Text:
        if self._view == "trials":
            t = self._highlighted_trial()
            return _detail(t, self.privacy, self.content) if t else Text("No trials recorded. Press a to add one.", "italic")
        index = self._highlighted_key()
        if index is None or self._shown is None:
            return Text("No scores recorded. Press s to add one.", "italic")
        m = self._shown.session.measurements[index]
        return _measurement_detail(m, self._shown.measurement_bands[index], self.content, self.privacy)

    def action_toggle_earlier(self) -> None:
        chart = self.query_one(TimelineChart)
        chart.show_earlier = not chart.show_earlier

    def action_show_table(self, view: str) -> None:
        """Show the trials or the measurements; the keyboard goes with the table."""
        self._view = view
        shown = self._table(view)
        shown.display = True
        shown.focus()
        self._table(next(v for v in VIEWS if v != view)).display = False
        self._fit_chart()
        self._show_title()
        self._show_detail()
        self.refresh_bindings()

    # -- editing ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys for the table not shown are hidden; editing keys without a row show greyed out."""
        if action == "show_table":
            return parameters[0] != self._view
        if action in ("add", "duplicate"):
            return self._view == "trials" and (action == "add" or bool(self.session.trials) or None)
        if action in ("edit", "delete"):
            records = self.session.trials if self._view == "trials" else self.session.measurements
            return bool(records) or None
        return True

    def action_add(self) -> None:
        self._open_form("Add trial", None, None, "add trial")

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        if self._view == "measurements":
            if (index := self._highlighted_key()) is not None:
                self._open_scale_form("Edit score", index)
        elif t := self._highlighted_trial():
            self._open_form("Edit trial", t.trial, t.index, "edit trial")

    def action_duplicate(self) -> None:
        if t := self._highlighted_trial():
            self._open_form("Duplicate trial", t.trial, None, "duplicate trial")

    def action_score(self) -> None:
        self._open_scale_form("Add score", None)

    def _open_form(self, title: str, trial: Trial | None, index: int | None, label: str) -> None:
        """Open the trial form; a valid result replaces the trial at ``index`` (None adds it)."""
        from trd_tui.ui.dialogs.trial_form import TrialForm

        def done(result: Trial) -> None:
            self._follow = result
            self.edit(with_trial(self.session, index, result), label)
            self._follow = None

        others = tuple(t for i, t in enumerate(self.session.trials) if i != index)
        if self._trial_form is None:
            self._trial_form = TrialForm(title, trial, self.session.visit_date, self.content, others)
            # Installed, so closing it keeps it for the next trial (see TrialForm.reuse).
            self.app.install_screen(self._trial_form, f"trial-form-{id(self)}")
        else:
            self._trial_form.reuse(title, trial, self.session.visit_date, others)
        open_form(self, self._trial_form, done)

    def _open_scale_form(self, title: str, index: int | None) -> None:
        """Open the scale form; a valid result replaces the measurement at ``index`` (None adds it)."""
        def done(result: Measurement) -> None:
            self._record_measurement(index, result)

        measurement = None if index is None else self.session.measurements[index]
        open_form(self, ScaleForm(title, measurement, self.session.visit_date, self.content), done)

    def _record_measurement(self, index: int | None, m: Measurement) -> None:
        """Save ``m`` and show it; a PHQ-9 item 9 above 0 marks the safety item for follow-up in the same undo step."""
        recorded = with_measurement(self.session, index, m)
        session = follow_up_item9(recorded, m, self.content)
        if self._view != "measurements":
            self.action_show_table("measurements")
        self._follow = m
        self.edit(session, _edit_label(index, m, self.content))
        self._follow = None
        if session.checklist != recorded.checklist:
            label = self.content.checklist_items[self.content.rules.safety_item].label
            self.notify(item9_follow_up_notice(label), severity="warning", markup=False)

    @work(exclusive=True, group="timeline-delete")
    async def action_delete(self) -> None:
        target = self._deletion()
        if target is None:
            return
        noun, what, session = target
        choice = await self.app.push_screen_wait(
            ChoiceDialog(f"Delete {noun}?", f"Delete {what}?", [("delete", "Delete"), ("cancel", "Cancel")])
        )
        if choice != "delete":
            return
        self.edit(session, f"delete {noun}")
        self.notify(f"Deleted {what} — ctrl+z to undo", markup=False)

    def _deletion(self) -> tuple[str, str, Session] | None:
        """What deleting the highlighted row means: its kind, a description, and the session without it."""
        if self._view == "trials":
            t = self._highlighted_trial()
            if t is None:
                return None
            return "trial", f"{printable(t.name)} (started {self.privacy.day(t.trial.start)})", without_trial(self.session, t.index)
        index = self._highlighted_key()
        if index is None:
            return None
        m = self.session.measurements[index]
        what = f"{m.instrument} {format_number(m.score)} of {self.privacy.day(m.date)}"
        return "measurement", what, without_measurement(self.session, index)


def _refill(table: DataTable[str | Text], rows: list[tuple[str, object, tuple[str | Text, ...]]], follow: tuple[object, ...]) -> None:
    """Refill a table with ``(key, record, cells)`` rows.

    The cursor goes to the first record of ``follow`` still there, else stays on the same row number.
    Identity, not equality: an edit replaces the record, so an equal twin is another record.
    """
    row = table.cursor_row
    table.clear()
    for key, _, cells in rows:
        table.add_row(*cells, key=key)
    if rows:
        records = [record for _, record, _ in rows]
        found = next((i for f in follow if f is not None for i, r in enumerate(records) if r is f), None)
        table.move_cursor(row=found if found is not None else min(row, len(rows) - 1))


def _edit_label(index: int | None, m: Measurement, content: Content) -> str:
    """The undo label: "add PHQ-9" names a pack instrument; a typed name stays out, as the
    app shows labels in toasts that read markup."""
    if index is not None:
        return "edit measurement"
    known = content.instrument(m.instrument)
    return f"add {known.id}" if known else "add measurement"


def _detail(t: TrialAssessment, privacy: Privacy, content: Content) -> Text:
    """The highlighted trial: dose, role, adherence, adequacy, every reason from the assessment, and
    what was noted. The dose leads: at 80 columns the table has no Dose column."""
    dose = f" · {unit_of(t.treatment).text(t.trial.dose_mg)}" if t.trial.dose_mg is not None else ""
    role = f"{dose} · {role_words(t, content)} · adherence {t.trial.adherence.value} · "
    text = Text.assemble((printable(t.name), "bold"), role, (t.adequacy.words, "bold"))
    for reason in t.reasons:
        text.append(f"\n• {privacy.text(reason)}")
    noted = [
        ("Side effects", ", ".join(t.trial.side_effects)),
        ("Stopped", privacy.note(t.trial.stop_reason)),
        ("Note", privacy.note(t.trial.note)),
    ]
    if extras := [f"{label}: {value}" for label, value in noted if value]:
        text.append("\n" + " · ".join(extras), "italic")
    return text


def _measurement_rows(assessment: Assessment, privacy: Privacy) -> list[tuple[str, object, tuple[str | Text, ...]]]:
    """The measurement table's rows, by date; the key is the session index."""
    measurements = assessment.session.measurements
    order = sorted(range(len(measurements)), key=lambda i: measurements[i].date)
    bands = assessment.measurement_bands
    return [(str(i), measurements[i], _measurement_cells(measurements[i], bands[i], privacy)) for i in order]


def _measurement_cells(m: Measurement, band: str | None, privacy: Privacy) -> tuple[str | Text, ...]:
    """One measurement row; the instrument name may be typed text, so it goes in as Text."""
    instrument = Text(m.instrument)
    instrument.truncate(INSTRUMENT_CELL_WIDTH, overflow="ellipsis")
    return (
        privacy.day(m.date),
        instrument,
        Text(format_number(m.score), justify="right"),
        Text(band or "—"),
        Text(" ".join(map(str, m.items))) if m.items else Text("total only", "dim"),
    )


def _measurement_detail(m: Measurement, band: str | None, content: Content, privacy: Privacy) -> Text:
    """The highlighted measurement: instrument, score and band, every answer, and item 9's warning."""
    instrument = content.instrument(m.instrument)
    text = Text.assemble((m.instrument, "bold"), f" · {privacy.day(m.date)} · ", (format_number(m.score), "bold"))
    text.append(f" {band}" if band else "")
    text.append(f" · {instrument.name}" if instrument else " · not in the content pack: no bands", "dim")
    if m.items:
        text.append("\nItems ").append_text(numbered_answers(m.items))
    if m.difficulty is not None:
        answers = instrument.difficulty_answers if instrument else ()
        text.append(f"\nDifficulty: {answers[m.difficulty] if 0 <= m.difficulty < len(answers) else m.difficulty}")
    if positive_item9(m) is not None:
        text.append("\n" + item9_warning(), "bold")
    return text
