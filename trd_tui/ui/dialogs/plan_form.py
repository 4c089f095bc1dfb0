"""Modal: the plan text and the next review date."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, TextArea

from trd_tui.model import Plan
from trd_tui.ui.dialogs.dialogs import PRIVATE
from trd_tui.ui.dialogs.form import Field, FormDialog, parse_date


class PlanForm(FormDialog[Plan]):
    """Returns the plan as entered (keeping ``extra``), or None."""

    def __init__(self, plan: Plan, visit_date: dt.date) -> None:
        super().__init__()
        self._plan, self._visit = plan, visit_date

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Plan", classes="dialog-title")
            yield TextArea(self._plan.text, id="plan-text", soft_wrap=True)
            review = self._plan.next_review.isoformat() if self._plan.next_review else ""
            yield Field("Next review", Input(review, placeholder="YYYY-MM-DD", id="next-review", compact=True, classes=PRIVATE), name="next_review")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def result(self) -> Plan | None:
        field = self.query_one("#field-next_review", Field)
        try:
            review = parse_date(self.query_one("#next-review", Input).value)
        except ValueError as exc:
            field.set_error(str(exc))
            return None
        field.set_error("")
        return Plan(self.query_one("#plan-text", TextArea).text.strip(), review, extra=self._plan.extra)
