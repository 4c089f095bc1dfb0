"""Building the app for pilot and snapshot tests: fixed visit date, bundled content."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from trd_tui.document import Document
from trd_tui.model import Session
from trd_tui.pack.load import load_content
from trd_tui.pack.records import Content

TODAY = dt.date(2026, 11, 20)


@cache
def content() -> Content:
    return load_content()


def make_app(
    session: Session | None = None, path: Path | None = None, *, document: Document | None = None, sharing: bool = False
):
    """The app on the demo (default), a given session, or a document; ``sharing`` starts in sharing mode."""
    from trd_tui.ui.app import TrdApp

    if document is None:
        document = Document.demo() if session is None else Document(session, path, saved=session)
    return TrdApp(document, content(), today=TODAY, sharing=sharing)


def screen_text(app) -> str:
    """The text on the active screen, line by line, as the terminal would show it."""
    # The compositor's strips are exactly what is drawn; Textual has no public call for this.
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
