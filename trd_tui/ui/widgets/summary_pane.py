"""The Summary pane: the live Markdown summary, and the plan edited here."""

from __future__ import annotations

import attrs
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from trd_tui.clinical.assess import Assessment
from trd_tui.model import Plan
from trd_tui.export.summary import to_markdown
from trd_tui.ui.widgets.flat_markdown import FlatMarkdown
from trd_tui.ui.widgets.pane import Pane


class SummaryScroll(VerticalScroll):
    """The summary's scroller; focusing it restyles the scroller alone.

    Textual restyles a widget and all its descendants when it gains or loses focus;
    here that is the whole summary (15-20 ms on the large session, on every visit to
    the pane and every departure). No style of the summary depends on the scroller's
    focus; a rule that made one so (``#summary-scroll:focus MarkdownH2``) would need
    this removed.
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)


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
        with SummaryScroll(id="summary-scroll", can_focus=True):
            yield FlatMarkdown(id="summary-markdown", open_links=False)

    def show(self, assessment: Assessment) -> None:
        self.query_one("#summary-markdown", FlatMarkdown).update(to_markdown(assessment, self.content, self.privacy))

    def action_edit_plan(self) -> None:
        from trd_tui.ui.widgets.plan_form import PlanForm

        def done(plan: Plan | None) -> None:
            if plan is not None:
                self.edit(attrs.evolve(self.session, plan=plan), "edit plan")

        self.app.push_screen(PlanForm(self.session.plan, self.session.visit_date), done)
