"""Modal: the plan text, the next review date, and whether the patient may see the text.

While sharing, the text shows only once the plan is marked "share with the patient"
(:meth:`trd_tui.privacy.Privacy.plan`); hidden, it is kept as it was.
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, TextArea

from trd_tui.model import Plan
from trd_tui.ui.dialogs.dialogs import PRIVATE
from trd_tui.ui.dialogs.form import Field, FormDialog, parse_date


HIDDEN = "Plan text hidden while sharing: tick “share with the patient” below to show it, or F3 stops sharing."


class PlanForm(FormDialog[Plan]):
    """Returns the plan as entered (keeping ``extra``), or None."""

    def __init__(self, plan: Plan, visit_date: dt.date) -> None:
        super().__init__()
        self._plan, self._visit = plan, visit_date

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Plan", classes="dialog-title")
            yield TextArea(self._plan.text, id="plan-text", soft_wrap=True)
            yield Label(HIDDEN, id="plan-hidden")
            review = self._plan.next_review.isoformat() if self._plan.next_review else ""
            yield Field("Next review", Input(review, placeholder="YYYY-MM-DD", id="next-review", compact=True, classes=PRIVATE), name="next_review")
            shared = Checkbox("share with the patient (shown while sharing)", self._plan.shared, id="plan-shared", compact=True)
            yield Field("Sharing", shared, name="shared")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    @on(Checkbox.Changed, "#plan-shared")
    def _shared_changed(self) -> None:
        self.sharing_changed(self.sharing)

    def sharing_changed(self, sharing: bool) -> None:
        hidden = sharing and not self.query_one("#plan-shared", Checkbox).value
        self.query_one("#plan-text", TextArea).display = not hidden
        self.query_one("#plan-hidden", Label).display = hidden

    def result(self) -> Plan | None:
        field = self.query_one("#field-next_review", Field)
        try:
            review = parse_date(self.query_one("#next-review", Input).value)
        except ValueError as exc:
            field.set_error(str(exc))
            return None
        field.set_error("")
        text = self.query_one("#plan-text", TextArea).text.strip()
        shared = self.query_one("#plan-shared", Checkbox).value
        return Plan(text, review, shared, extra=self._plan.extra)
