"""Building the app for pilot and snapshot tests: fixed visit date, bundled content."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from trd_tui.content import Content, load_content
from trd_tui.document import Document
from trd_tui.model import Session

TODAY = dt.date(2026, 11, 20)


@cache
def content() -> Content:
    return load_content()


def make_app(session: Session | None = None, path: Path | None = None, *, document: Document | None = None):
    """The app on the demo (default), a given session, or a document."""
    from trd_tui.ui.app import TrdApp

    if document is None:
        document = Document.demo() if session is None else Document(session, path, saved=session)
    return TrdApp(document, content(), today=TODAY)
