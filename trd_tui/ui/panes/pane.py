"""What every pane shares (:class:`Pane`), and the one declaration of the panes (:data:`PANES`).

The tab strip, the main screen, the app's keys and palette, help and the tests all
read :data:`PANES`; a new pane is one line here and a module in this folder.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import attrs
from textual.containers import Container

from trd_tui.ui.host import Host, host

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.pack.records import Content
    from trd_tui.model import Session
    from trd_tui.privacy import Privacy


@attrs.frozen
class PaneSpec:
    """One pane: its id (also its widget id), the title on its tab, the key that shows it,
    and where its class lives (``module:Class``, imported only when the pane is built)."""

    id: str
    title: str
    key: str
    home: str

    def load(self) -> type[Pane]:
        pane: type[Pane] = load_class(self.home)
        return pane


def load_class(home: str) -> type:
    """The class at ``module:Class``, importing its module now."""
    module, name = home.split(":")
    cls: type = getattr(importlib.import_module(module), name)
    return cls


PANES = (
    PaneSpec("checklist", "Checklist", "1", "trd_tui.ui.panes.checklist:ChecklistPane"),
    PaneSpec("timeline", "Timeline", "2", "trd_tui.ui.panes.timeline:TimelinePane"),
    PaneSpec("options", "Options", "3", "trd_tui.ui.panes.options:OptionsPane"),
    PaneSpec("summary", "Summary", "4", "trd_tui.ui.panes.summary:SummaryPane"),
    PaneSpec("since", "Since last visit", "5", "trd_tui.ui.panes.since:SincePane"),
)


class Pane(Container):
    """A main-screen pane. Subclasses implement :meth:`show`.

    ``show`` redraws the pane from a fresh assessment, shown as :attr:`privacy`
    allows; the pane never computes rules itself. Only the pane on screen redraws when the session changes: a
    hidden pane notes that it is stale and catches up when it is shown, so an
    edit costs one pane's redraw, not four.
    """

    _stale = True  # nothing drawn yet

    @property
    def host(self) -> Host:
        return host(self)

    @property
    def content(self) -> Content:
        return self.host.content

    @property
    def session(self) -> Session:
        return self.host.document.session

    @property
    def privacy(self) -> Privacy:
        """How to show dates and notes (sharing mode hides some)."""
        return self.host.privacy

    def on_mount(self) -> None:
        self.watch(self.app, "assessment", self._inputs_changed, init=False)
        self.watch(self.app, "privacy", self._inputs_changed, init=False)
        # After the first refresh the content switcher has hidden the panes not shown.
        self.call_after_refresh(self.catch_up)

    def _inputs_changed(self, _: Assessment | Privacy) -> None:
        self._stale = True
        self.catch_up()

    @property
    def shown(self) -> bool:
        """Whether this pane's tab is the one displayed."""
        return self.parent is not None and self.parent.display

    def catch_up(self) -> None:
        """Redraw from the latest assessment if it changed while the pane was hidden."""
        if self._stale and self.shown:
            self._stale = False
            self.show(self.host.assessment)

    def show(self, assessment: Assessment) -> None:
        raise NotImplementedError

    def focus_main(self) -> None:
        """Focus the pane's main widget (by default its first focusable one)."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return
        # Nothing to focus: let go, or focus stays in the hidden pane and the tabs switch back.
        self.screen.set_focus(None)

    def edit(self, session: Session, label: str) -> None:
        """Apply an edit to the session (undoable as ``label``)."""
        self.host.edit(session, label)
