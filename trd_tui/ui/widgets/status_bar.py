"""The session line at the top, the sharing-mode bar and the safety banner under it."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from trd_tui.clinical.elapsed import time_ago
from trd_tui.text import printable
from trd_tui.ui.host import host
from trd_tui.ui.internals.redraw import set_text

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.privacy import Privacy
    from trd_tui.ui.host import FileState


class SessionHeader(Horizontal):
    """Patient label, TRD status, staging, visit and episode, updated live; the file
    state on the right. What fits the width is chosen by :func:`header_line`."""

    DEFAULT_CSS = """
    SessionHeader { height: 1; }
    SessionHeader #header-session { width: 1fr; }
    SessionHeader #header-file { width: auto; padding-left: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="header-session")
        yield Static(id="header-file")

    def on_mount(self) -> None:
        self.watch(self.app, "assessment", self._redraw)
        self.watch(self.app, "file_state", self._redraw)
        self.watch(self.app, "privacy", self._redraw)

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self, _: object = None) -> None:
        app = host(self)
        if not self.content_size.width:
            return  # not laid out yet: on_resize draws it
        text, file = header_line(app.assessment, app.privacy, app.file_state, self.content_size.width)
        session = self.query_one("#header-session", Static)
        set_text(session, text, fixed_size=True)
        session.tooltip = trd_tooltip(app.assessment)
        set_text(self.query_one("#header-file", Static), file)


class Part(NamedTuple):
    """One part of the header: its words in full and short, and when it is dropped (0: never)."""

    long: str
    short: str
    style: str = ""
    drop: int = 0


SEPARATOR = " │ "
FILE_GAP = 2  # cells between the session line and the file state (#header-file's padding)
TITLE_MIN = 8  # cells for " · " and the start of a file name cut short, or none of it
LABEL_MIN = 4  # cells the patient label keeps, its last one an ellipsis, before the line itself is cut


def header_parts(a: Assessment, privacy: Privacy) -> list[Part]:
    """The session line's parts, most important first; ``drop`` orders what goes when narrow."""
    s = a.session
    trd, msm = a.trd, a.maudsley.score
    yes = "yes" if trd.meets_definition else "no"
    band = "" if msm is None else msm.band if len(msm.band) <= 6 else msm.band[:3]  # "moderate" as "mod"
    parts = [
        Part(printable(s.patient.label), printable(s.patient.label), "bold"),
        Part(f"TRD {yes} ({trd.failed_adequate_antidepressants} failed)", f"TRD {yes} ({trd.failed_adequate_antidepressants})", "bold"),
        Part(f"MSM {msm.score} {msm.band}", f"MSM {msm.score} {band}") if msm else Part("MSM –", "MSM –"),
        Part(f"Thase–Rush {a.thase_rush.roman}", f"T–R {a.thase_rush.roman}"),
        Part(f"Visit {privacy.day(s.visit_date)}", f"Visit {privacy.day(s.visit_date)}"),
    ]
    if (previous := s.previous_visit) is not None:
        then, now = previous.date, s.visit_date
        parts.append(Part(f"last visit {time_ago(then, now)}", f"last {time_ago(then, now, short=True)}", drop=1))
    months = a.episode_months
    parts.append(Part(f"Episode {months} mo", f"Ep {months} mo", drop=2) if months is not None else Part("Episode onset ?", "Ep onset ?", drop=2))
    return parts


def header_line(a: Assessment, privacy: Privacy, file: FileState, width: int) -> tuple[Text, Text]:
    """The session line and the file state for ``width`` cells (the two cells between them included).

    Fullest first: every part in full; then shorter labels; then the episode length dropped,
    then the file name (cut short, where some fits); then the last visit; then the patient
    label cut short. The time since the last visit outlasts the file name: it is what a
    clinician reads on reopening a patient's file, whose name they just chose. TRD status,
    Maudsley, Thase–Rush and the visit date are never dropped; only a terminal too narrow
    for even those cuts the line itself, with an ellipsis. The file state (unsaved, read-only)
    stays whole.
    """
    parts = header_parts(a, privacy)
    saved = Text("● unsaved", "bold") if file.dirty else Text("saved", "dim")
    # The state is never left out; read-only is part of it (the title says it too, where it fits).
    state = saved + Text(" · read-only", "bold") if file.read_only else saved
    named = saved + Text(f" · {file.title}", "dim") if file.title else state
    # (short labels, the highest drop kept, the file state)
    tries = [(False, 2, named), (True, 2, named), (True, 1, named), (True, 1, state), (True, 0, state)]
    for short, keep, file_text in tries:
        line = _session_line([p for p in parts if p.drop <= keep], short)
        room = width - FILE_GAP - file_text.cell_len
        if line.cell_len <= room:
            return line, _with_cut_title(file_text, file, saved, room - line.cell_len)
    # The label gives way, then the line is cut: room for the label is what the rest leaves.
    rest = _session_line([p for p in parts[1:] if p.drop == 0], True)
    label_room = max(room - rest.cell_len - len(SEPARATOR), LABEL_MIN)
    label = Text(parts[0].short, parts[0].style)
    label.truncate(label_room, overflow="ellipsis")
    line = Text.assemble(label, Text(SEPARATOR, "dim"), rest, no_wrap=True, end="")
    line.truncate(max(room, 0), overflow="ellipsis")
    return line, state


def _with_cut_title(shown: Text, file: FileState, saved: Text, spare: int) -> Text:
    """The file state with as much of the file name as ``spare`` cells hold, when the whole name did not fit."""
    if shown.plain != saved.plain or not file.title or spare < TITLE_MIN:
        return shown  # the name is there already, or the state says more (read-only), or no room
    title = Text(f" · {file.title}", "dim")
    title.truncate(spare, overflow="ellipsis")
    return saved + title


def _session_line(parts: list[Part], short: bool) -> Text:
    text = Text(no_wrap=True, end="")
    for i, part in enumerate(parts):
        if i:
            text.append(SEPARATOR, "dim")
        text.append(part.short if short else part.long, part.style)
    return text


def trd_tooltip(a: Assessment) -> str:
    """The TRD definition applied and the Sforzini 2022 category, behind "TRD yes/no"."""
    trd = a.trd
    verdict = "Meets" if trd.meets_definition else "Does not meet"
    return f"{verdict} the TRD definition applied: {trd.rule}.\n{trd.reasons[0]}\n{trd.sforzini_reason}"


class SharingBar(Static):
    """Says, in words and a glyph, that sharing mode is on; hidden otherwise."""

    def on_mount(self) -> None:
        self.watch(self.app, "privacy", self._redraw)

    def _redraw(self, privacy: Privacy) -> None:
        self.display = privacy.sharing
        if privacy.sharing:
            self.update(Text.assemble(("◉ ", "bold"), (privacy.indicator, "bold"), " · F3 stops"))


def crisis_line(a: Assessment) -> str:
    """The crisis contacts for the preferred region, one line: "Crisis (US): Call or text 988 · …".

    Contacts only, to stay short on a shared screen; the names are in the tooltip and summary.
    """
    return f"Crisis ({a.region}): " + " · ".join(r.contact for r in a.crisis)


def crisis_names(a: Assessment) -> str:
    """Each crisis resource with its name, a line each: the tooltip of a crisis line."""
    return "\n".join(f"{r.name}: {r.contact}" for r in a.crisis)


class CrisisLine(Static):
    """The crisis contacts at the foot of a dialog while a safety alert is active: a dialog
    hides the main screen and its safety banner (the terminal's own background cannot be
    dimmed to show it through), and the contacts must stay in view."""

    DEFAULT_CSS = """
    CrisisLine {
        dock: bottom;
        height: auto;
        padding: 0 1;
        background: $error 25%;
        border-left: thick $error;
        color: $foreground;
        text-style: bold;
    }
    """

    def on_mount(self) -> None:
        # Followed while the dialog is open too: a region chosen from the palette over it, or an
        # edit while a kept form (the trial form) is hidden, changes what this line must say.
        self.watch(self.app, "assessment", self._redraw)

    def _redraw(self, a: Assessment) -> None:
        self.display = bool(a.safety)
        if a.safety:
            set_text(self, Text.assemble(("⚠ ", "bold"), crisis_line(a)))
            self.tooltip = crisis_names(a)


class SafetyBanner(Static):
    """Shown while the engine reports a safety alert, with the crisis resources."""

    def on_mount(self) -> None:
        self.watch(self.app, "assessment", self._redraw)
        self.watch(self.app, "privacy", self._redraw)

    def _redraw(self, _: object = None) -> None:
        app = host(self)
        a = app.assessment
        self.display = bool(a.safety)
        if not a.safety:
            return
        text = Text("⚠ SAFETY  ", style="bold")
        text.append(app.privacy.text(" · ".join(alert.headline for alert in a.safety)), "bold")
        text.append("\n" + crisis_line(a))
        self.tooltip = crisis_names(a)
        set_text(self, text)
