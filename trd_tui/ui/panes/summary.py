"""The Summary pane: the live Markdown summary, and the plan edited here."""

from __future__ import annotations

import attrs
from textual.app import ComposeResult
from textual.binding import Binding

from trd_tui.clinical.assess import Assessment
from trd_tui.model import Plan, with_plan
from trd_tui.export.summary import to_markdown
from trd_tui.ui.internals.flat_markdown import FlatMarkdown
from trd_tui.ui.internals.focus_styles import RestyledAloneOnFocus
from trd_tui.ui.panes.pane import Pane


class SummaryPane(Pane):
    """The same text as ``trd-tui summary``, redrawn after every edit."""

    BINDINGS = [
        Binding("e", "edit_plan", "Edit plan", id="summary.edit_plan", tooltip="Edit the plan and next review date"),
        Binding("x", "app.export('markdown')", "Export", id="summary.export", tooltip="Write the summary as Markdown"),
        Binding("y", "app.copy_summary", "Copy", id="summary.copy", tooltip="Copy the summary as Markdown"),
    ]
    DEFAULT_CSS = """
    SummaryPane #summary-scroll { height: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with RestyledAloneOnFocus(id="summary-scroll", can_focus=True):
            yield FlatMarkdown(id="summary-markdown", open_links=False)

    def show(self, assessment: Assessment) -> None:
        session = assessment.session
        plan = self.privacy.plan(session.plan)
        if plan is not session.plan:
            assessment = attrs.evolve(assessment, session=with_plan(session, plan))
        self.query_one("#summary-markdown", FlatMarkdown).update(to_markdown(assessment, self.content, self.privacy))

    def action_edit_plan(self) -> None:
        from trd_tui.ui.dialogs.form import open_form
        from trd_tui.ui.dialogs.plan_form import PlanForm

        def done(plan: Plan) -> None:
            self.edit(with_plan(self.session, plan), "edit plan")

        open_form(self, PlanForm(self.session.plan, self.session.visit_date, self.session.previous_visit), done)
