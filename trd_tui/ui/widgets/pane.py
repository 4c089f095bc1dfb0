"""What every pane shares: it shows the app's assessment and edits through the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.containers import Container

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.content import Content
    from trd_tui.model import Session
    from trd_tui.ui.app import TrdApp


class Pane(Container):
    """A main-screen pane. Subclasses implement :meth:`show`.

    ``show`` runs on mount and after every change to the session, with the
    fresh assessment; the pane redraws from it and never computes rules itself.
    """

    @property
    def trd_app(self) -> TrdApp:
        return cast("TrdApp", self.app)

    @property
    def content(self) -> Content:
        return self.trd_app.content

    @property
    def session(self) -> Session:
        return self.trd_app.document.session

    def on_mount(self) -> None:
        self.watch(self.app, "assessment", self.show)

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
