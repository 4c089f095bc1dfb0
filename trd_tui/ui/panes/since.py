"""The Since last visit pane: what changed since the previous visit, and, a key away, at each
earlier visit, read-only.

The changes are the rules' own (:func:`trd_tui.clinical.since.changes_at`), computed for
the one visit shown, when it is shown: a file with forty visits costs one comparison per
key press, not forty. Nothing here edits the session: past visits are history, and the
current visit is edited in the other panes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual import events
from textual.widgets import Static

from trd_tui.clinical.elapsed import gap
from trd_tui.clinical.since import NOTHING_CHANGED, SinceVisit, changes_at
from trd_tui.model import Plan, Visit
from trd_tui.ui.internals.redraw import set_text
from trd_tui.ui.panes.pane import Pane
from trd_tui.ui.widgets.text_lines import TextLines

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.document import Document

_LINE_BREAK = re.compile(r"\r\n|\r")
#: What the header says of a past visit: nothing here edits it, and edits elsewhere go to the current one.
PAST = "PAST VISIT, read-only (current: {date})"


class SincePane(Pane):
    """One visit at a time: the current one first, ``[`` and ``]`` step through the others."""

    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", "Earlier visit", id="since.earlier",
                tooltip="Show the visit before this one and what changed at it"),
        Binding("right_square_bracket", "step(1)", "Later visit", id="since.later",
                tooltip="Show the visit after this one, up to the current visit"),
    ]
    DEFAULT_CSS = """
    SincePane #since-header { padding: 0 1; background: $primary 25%; }
    SincePane #since-header.-past { background: $warning 20%; border-left: thick $warning; }
    SincePane #since-body { height: 1fr; padding: 0 1; overflow-y: auto; }
    SincePane > .since--title { color: $text-accent; text-style: bold; }
    """
    COMPONENT_CLASSES = {"since--title"}

    def __init__(self) -> None:
        super().__init__()
        self._index: int | None = None  # the visit shown (its place in session.visits); None: the current one
        self._document: Document | None = None  # the document the index belongs to

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _theme: str) -> None:
        # The titles' colour is the theme's: redraw once the new theme's styles are applied.
        self._stale = True
        self.call_after_refresh(self.catch_up)

    def compose(self) -> ComposeResult:
        yield Static(id="since-header")
        # Lines wrapped once per visit shown (Wrapper), not a Static: a Static's text is wrapped
        # again to lay out the screen and again to draw it, and a long visit's changes are many lines.
        yield TextLines(id="since-body")

    def on_resize(self, _: events.Resize) -> None:
        # The lines shown are wrapped to the old width.
        self._stale = True
        self.catch_up()

    @property
    def visit_index(self) -> int:
        """The place in ``session.visits`` of the visit shown."""
        last = len(self.session.visits) - 1
        return last if self._index is None else min(self._index, last)

    def action_step(self, by: int) -> None:
        index = self.visit_index + by
        last = len(self.session.visits) - 1
        if not 0 <= index <= last:
            return
        self._index = None if index == last else index
        self.show(self.host.assessment)
        self.query_one("#since-body", TextLines).scroll_home(animate=False)
        if {index, index - by} & {0, last}:  # to or from the first or the current visit: a key dims or lights
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Earlier at the first visit and later at the current one are shown, dimmed."""
        if action == "step":
            index = self.visit_index + int(parameters[0])  # type: ignore[call-overload]
            return True if 0 <= index < len(self.session.visits) else None
        return True

    def show(self, assessment: Assessment) -> None:
        if self._document is not self.host.document:  # another file: start again at its current visit
            self._document, self._index = self.host.document, None
        session = assessment.session
        index, visits = self.visit_index, session.visits
        alerts = tuple(alert.message for alert in assessment.safety)
        since = assessment.since if index == len(visits) - 1 else changes_at(session, self.content, index, alerts)
        header = self.query_one("#since-header", Static)
        header.set_class(index < len(visits) - 1, "-past")
        set_text(header, self._header(visits, index, since))
        body = self.query_one("#since-body", TextLines)
        # Wrapped short of the scrollbar's room, whether or not the changes need one.
        width = max(body.content_region.width - body.styles.scrollbar_size_vertical, 0)
        # Not laid out yet (no width): on_resize shows it.
        body.set_texts(self._body(visits, index, since, width) if width else [])

    @property
    def _title_style(self) -> Style:
        """The section titles' style, from the theme (the pane redraws when the theme changes)."""
        return self.get_component_rich_style("since--title")

    def _header(self, visits: tuple[Visit, ...], index: int, since: SinceVisit | None) -> Text:
        shown = self.privacy.text  # dates relative to onset while sharing; never a control character
        current = index == len(visits) - 1
        state = "current visit" if current else PAST.format(date=visits[-1].date.isoformat())
        text = Text.assemble(
            (shown(f"Visit of {visits[index].date.isoformat()} ({index + 1} of {len(visits)})"), "bold"), shown(f" · {state}")
        )
        if since is None:
            text.append("\nThe first visit in this file: nothing earlier to compare with.")
        else:
            text.append(shown(f"\nWhat changed since the visit of {since.earlier.date.isoformat()}, {gap(since.earlier.date, since.current.date)} before:"))
        return text

    def _body(self, visits: tuple[Visit, ...], index: int, since: SinceVisit | None, width: int) -> list[Text]:
        """The lines of the changes, wrapped to ``width`` here (bullets with a hanging indent)."""
        wrap = Wrapper(self.app.console, width)
        lines: list[Text] = []
        if since is not None:
            sections = since.sections()
            for title, texts in sections:
                lines.append(Text(title, style=self._title_style))
                for text in texts:
                    lines += wrap(Text(self.privacy.text(text)), "  • ")
            if not sections:
                lines += wrap(Text(NOTHING_CHANGED), "")
            lines += self._plan("Previous plan", since.earlier, wrap)
        if index < len(visits) - 1 or since is None:
            lines += self._plan("Plan made at this visit", visits[index], wrap)
        return lines

    def _plan(self, title: str, visit: Visit, wrap: Wrapper) -> list[Text]:
        plan: Plan = visit.plan
        review = f"; next review {plan.next_review.isoformat()}" if plan.next_review else ""
        head = Text.assemble((title, self._title_style), self.privacy.text(f" (visit of {visit.date.isoformat()}{review})"))
        # Line breaks kept: a plan is often a list typed one line each.
        written = _LINE_BREAK.sub("\n", plan.text.strip())
        shown = self.privacy.plan(plan, earlier=True)  # every plan here is an earlier visit's, or only looked at
        if shown is not plan:  # while sharing, hidden unless marked shared
            body = Text(shown.text, style="italic")
        else:
            body = Text(self.privacy.text(written)) if written else Text("none recorded", style="italic")
        return [Text(""), *wrap(head, ""), *wrap(body, "  ", "  ")]


@attrs.frozen
class Wrapper:
    """Wraps a text to a width, its first line after ``first`` and the others under its first word.

    Done here, once per visit shown, rather than by a Rich table per list, which Rich measures and
    draws again cell by cell: a long visit's changes took longer to draw than to compute.
    """

    console: Console
    width: int

    def __call__(self, text: Text, first: str, rest: str | None = None) -> list[Text]:
        room = max(self.width - len(first), 8)
        if "\n" not in text.plain and cell_len(text.plain) <= room:
            return [Text.assemble(first, text)]  # most changes are one short line
        rest = " " * len(first) if rest is None else rest
        lines = text.wrap(self.console, room)
        return [Text.assemble(first if i == 0 else rest, line) for i, line in enumerate(lines)]
