"""Modal: the plan text, the next review date, and whether the patient may see the text.

While sharing, the text shows only once the plan is marked "share with the patient"
(:meth:`trd_tui.privacy.Privacy.plan`); hidden, it is kept as it was.

A new visit starts with an empty plan; the previous visit's plan is shown above the
editor, read-only, and ctrl+r (or its button) copies it in as a starting point.
"""

from __future__ import annotations

import datetime as dt
import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Static, TextArea

from trd_tui.model import Plan, Visit
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.ui.dialogs.dialogs import PRIVATE
from trd_tui.ui.dialogs.form import Field, FormDialog, parse_date


HIDDEN = "Plan text hidden while sharing: tick “share with the patient” below to show it, or F3 stops sharing."
_LINE_BREAK = re.compile(r"\r\n|\r")


class PlanForm(FormDialog[Plan]):
    """Returns the plan as entered (keeping ``extra``), or None.

    ``previous``: the visit before this one, whose plan is shown read-only above the editor.
    """

    BINDINGS = [
        Binding("ctrl+r", "copy_previous", "Copy previous plan", id="plan.copy_previous", priority=True,
                tooltip="Copy the previous visit's plan into the editor, as a starting point"),
    ]
    AUTO_FOCUS = "#plan-text"

    def __init__(self, plan: Plan, visit_date: dt.date, previous: Visit | None = None) -> None:
        super().__init__()  # not classes=: they would replace the dialog's own
        self._plan, self._visit, self._previous = plan, visit_date, previous
        self.set_class(previous is not None, "-with-previous")

    @property
    def _previous_text(self) -> str:
        """The previous plan's text, its line breaks kept ("" when there is none)."""
        return _LINE_BREAK.sub("\n", self._previous.plan.text.strip()) if self._previous else ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Plan", classes="dialog-title")
            if self._previous is not None:
                yield Static(id="previous-plan-title")
                if self._previous_text:
                    with VerticalScroll(id="previous-plan-scroll"):
                        yield Static(id="previous-plan")
                yield Static(id="plan-title")
            yield TextArea(self._plan.text, id="plan-text", soft_wrap=True)
            yield Label(HIDDEN, id="plan-hidden")
            review = self._plan.next_review.isoformat() if self._plan.next_review else ""
            yield Field("Next review", Input(review, placeholder="YYYY-MM-DD", id="next-review", compact=True, classes=PRIVATE), name="next_review")
            shared = Checkbox("share with the patient (shown while sharing)", self._plan.shared, id="plan-shared", compact=True)
            yield Field("Sharing", shared, name="shared")
            with Horizontal(classes="dialog-buttons"):
                if self._previous_text:
                    yield Button("Copy previous (ctrl+r)", id="copy-previous")
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
        self._show_previous(getattr(self.app, "privacy", SHOWN))

    def _show_previous(self, privacy: Privacy) -> None:
        """The previous plan as privacy allows: while sharing, its text only if it was marked shared."""
        if self._previous is None:
            return
        plan = privacy.plan(self._previous.plan, earlier=True)
        review = f"; next review {plan.next_review.isoformat()}" if plan.next_review else ""
        said = "" if self._previous_text else ": none recorded"
        title = Text.assemble(("Previous plan", "bold"), privacy.text(f" (visit of {self._previous.date.isoformat()}{review}){said}"))
        self.query_one("#previous-plan-title", Static).update(title)
        self.query_one("#plan-title", Static).update(Text.assemble(("This visit's plan", "bold"), privacy.text(f" ({self._visit.isoformat()})")))
        if self._previous_text:
            hidden = plan is not self._previous.plan
            shown = plan.text if hidden else self._previous_text
            self.query_one("#previous-plan", Static).update(Text(privacy.text(shown)))
            self.query_one("#copy-previous", Button).disabled = hidden

    def action_copy_previous(self) -> None:
        """Put the previous plan in the editor: into an empty one, or after what is typed, so nothing is lost."""
        if not self._previous_text or self.query_one("#copy-previous", Button).disabled:
            return
        area = self.query_one("#plan-text", TextArea)
        typed = area.text.rstrip()
        area.text = f"{typed}\n\n{self._previous_text}" if typed else self._previous_text
        area.move_cursor(area.document.end)
        area.focus()

    @on(Button.Pressed, "#copy-previous")
    def _copy_pressed(self) -> None:
        self.action_copy_previous()

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
