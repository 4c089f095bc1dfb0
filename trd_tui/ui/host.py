"""What panes, screens and dialogs may ask of the app: the :class:`Host` protocol.

They reach the app through this protocol (``host(self)``), never through the
concrete app class, so nothing under ``ui/`` but ``ui/app.py`` imports the app
and no import cycle runs through it. The app (``TrdApp``) implements it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

import attrs

if TYPE_CHECKING:
    import datetime as dt

    from textual.dom import DOMNode

    from trd_tui.clinical.assess import Assessment
    from trd_tui.pack.records import Content
    from trd_tui.document import Document
    from trd_tui.model import Session
    from trd_tui.privacy import Privacy
    from trd_tui.storage.config import Config


@attrs.frozen
class FileState:
    title: str  # file name or "untitled" ("" while sharing); never patient data
    dirty: bool
    read_only: bool = False  # also in the title; said on its own where the title does not fit


class Host(Protocol):
    """The open document, what it is assessed as and how it may be shown, and the one way to edit it."""

    @property
    def content(self) -> Content: ...

    @property
    def today(self) -> dt.date: ...

    @property
    def document(self) -> Document: ...

    @property
    def assessment(self) -> Assessment:
        """The assessment of the document's session (a reactive: ``watch(app, "assessment", ...)``)."""
        ...

    @property
    def privacy(self) -> Privacy:
        """How dates and notes may be shown now (a reactive: sharing mode changes it)."""
        ...

    @property
    def file_state(self) -> FileState: ...

    @property
    def config(self) -> Config:
        """The user's preferences (the checklist reads whether o, c and f stay on the item)."""
        ...

    def edit(self, session: Session, label: str) -> None:
        """Apply an edit (undoable as ``label``); the assessment and every pane follow."""
        ...

    def set_aside_long_lived_objects(self) -> None:
        """Called once the hidden panes are built: what exists now lives as long as the app."""
        ...


def host(node: DOMNode) -> Host:
    """The app ``node`` runs in, as the :class:`Host` it implements."""
    return cast("Host", node.app)
