"""The session line at the top, the sharing-mode bar and the safety banner under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from trd_tui.text import printable
from trd_tui.ui.host import host
from trd_tui.ui.internals.redraw import set_text

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.privacy import Privacy


class SessionHeader(Horizontal):
    """Patient label, TRD status, staging, episode and visit, updated live; the file
    state on the right, never cut off however narrow the terminal."""

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

    def _redraw(self, _: object = None) -> None:
        app = host(self)
        session = self.query_one("#header-session", Static)
        set_text(session, header_text(app.assessment, app.privacy), fixed_size=True)
        session.tooltip = trd_tooltip(app.assessment)
        file = app.file_state
        marker = Text("● unsaved", "bold") if file.dirty else Text("saved", "dim")
        set_text(self.query_one("#header-file", Static), marker + Text(f" · {file.title}" if file.title else "", "dim"))


def header_text(a: Assessment, privacy: Privacy) -> Text:
    """Most important first, so a narrow terminal cuts the least important."""
    s = a.session
    trd = a.trd
    msm = a.maudsley.score
    parts: list[tuple[str, str]] = [
        (printable(s.patient.label), "bold"),
        (f"TRD {'yes' if trd.meets_definition else 'no'} ({trd.failed_adequate_antidepressants} failed)", "bold"),
        (f"MSM {msm.score} {msm.band}" if msm else "MSM –", ""),
        (f"Visit {privacy.day(s.visit_date)}", ""),
        (f"Episode {a.episode_months} mo" if a.episode_months is not None else "Episode onset ?", ""),
        (f"Thase–Rush {a.thase_rush.roman}", ""),
    ]
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    for i, (part, style) in enumerate(parts):
        if i:
            text.append(" │ ", "dim")
        text.append(part, style)
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
        crisis = a.crisis
        text = Text("⚠ SAFETY  ", style="bold")
        text.append(app.privacy.text(" · ".join(alert.headline for alert in a.safety)), "bold")
        # Contacts only, to stay short on a shared screen; the names are in the tooltip and summary.
        text.append(f"\nCrisis ({a.region}): " + " · ".join(r.contact for r in crisis))
        self.tooltip = "\n".join(f"{r.name}: {r.contact}" for r in crisis)
        set_text(self, text)
