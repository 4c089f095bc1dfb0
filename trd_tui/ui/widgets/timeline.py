"""Placeholder: the timeline pane is being built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from trd_tui.clinical.assess import Assessment
from trd_tui.ui.widgets.pane import Pane


class TimelinePane(Pane):
    def compose(self) -> ComposeResult:
        yield Static("timeline", id="placeholder")

    def show(self, assessment: Assessment) -> None:
        pass
