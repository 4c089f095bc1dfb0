"""The main screen: session header, safety banner, the four panes, footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane

from trd_tui.ui.widgets.checklist import ChecklistPane
from trd_tui.ui.widgets.options import OptionsPane
from trd_tui.ui.widgets.pane import Pane
from trd_tui.ui.widgets.status_bar import SafetyBanner, SessionHeader, SharingBar
from trd_tui.ui.widgets.summary_pane import SummaryPane
from trd_tui.ui.widgets.timeline import TimelinePane

PANES = {"checklist": "Checklist", "timeline": "Timeline", "options": "Options", "summary": "Summary"}


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"

    def compose(self) -> ComposeResult:
        yield SessionHeader(id="session-header")
        yield SharingBar(id="sharing-bar")
        yield SafetyBanner(id="safety-banner")
        with TabbedContent(id="panes"):
            with TabPane(PANES["checklist"], id="checklist"):
                yield ChecklistPane()
            with TabPane(PANES["timeline"], id="timeline"):
                yield TimelinePane()
            with TabPane(PANES["options"], id="options"):
                yield OptionsPane()
            with TabPane(PANES["summary"], id="summary"):
                yield SummaryPane()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_pane("checklist")

    def show_pane(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id
        pane = self.query_one(f"TabPane#{pane_id}").query_one(Pane)
        pane.catch_up()  # before its first frame, so a stale pane is never seen
        # Put the keyboard in the pane, so its keys work at once.
        pane.focus_main()
