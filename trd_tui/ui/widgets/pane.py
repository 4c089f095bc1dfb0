"""What every pane shares: it shows the app's assessment and edits through the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.containers import Container

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.pack.records import Content
    from trd_tui.model import Session
    from trd_tui.privacy import Privacy
    from trd_tui.ui.app import TrdApp


class Pane(Container):
    """A main-screen pane. Subclasses implement :meth:`show`.

    ``show`` redraws the pane from a fresh assessment, shown as :attr:`privacy`
    allows; the pane never computes rules itself. Only the pane on screen redraws when the session changes: a
    hidden pane notes that it is stale and catches up when it is shown, so an
    edit costs one pane's redraw, not four.
    """

    _stale = True  # nothing drawn yet

    @property
    def trd_app(self) -> TrdApp:
        return cast("TrdApp", self.app)

    @property
    def content(self) -> Content:
        return self.trd_app.content

    @property
    def session(self) -> Session:
        return self.trd_app.document.session

    @property
    def privacy(self) -> Privacy:
        """How to show dates and notes (sharing mode hides some)."""
        return self.trd_app.privacy

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
            self.show(self.trd_app.assessment)

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
        self.trd_app.edit(session, label)
