"""An unexpected error: keep the work, say so, and never print the values in play.

Textual (checked against 8.2.8) ends the app on an unhandled exception in
``App._handle_exception``, which prints a Rich traceback with ``show_locals=True``:
the locals of every frame, which in this app hold patient names, notes and dates.
There is no public switch for that. What Textual does offer: an exception with a
``__rich__`` method is shown through the public ``App.panic`` instead. So the
override below keeps the work first, then hands Textual an :class:`UnexpectedError`
that renders as a short message (the exception's type and where it happened, never
its text, which may quote a value). Textual's own path still sets the exit code
and lets ``run_test`` re-raise it, with the original error as its cause.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from rich.text import Text

FRAMES_SHOWN = 6


class UnexpectedError(Exception):
    """An error no code path expected, shown without its text or any variable."""

    def __init__(self, error: BaseException, kept: str) -> None:
        super().__init__(type(error).__name__)
        self.error, self.kept = error, kept

    def __rich__(self) -> Text:
        frames = traceback.extract_tb(self.error.__traceback__)[-FRAMES_SHOWN:]
        where = "\n".join(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}" for frame in frames)
        return Text(
            f"trd-tui stopped after an unexpected error ({type(self.error).__name__}).\n{self.kept}\n"
            "Please report it with these lines (they hold no patient data):\n" + where
        )


def _short(filename: str) -> str:
    """From the package or library folder on: no home folder or user name."""
    parts = Path(filename).parts
    for anchor in ("trd_tui", "site-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) :])
    return Path(filename).name


class KeepsWorkOnCrash:
    """Mixed into the app before ``App``: keeps unsaved work before an unexpected error ends it.

    The app defines ``keep_work_after_crash() -> str``, which writes the work aside and
    says in words what it kept.
    """

    def _handle_exception(self, error: Exception) -> None:
        kept = self.keep_work_after_crash()  # type: ignore[attr-defined]
        unexpected = UnexpectedError(error, kept)
        unexpected.__cause__ = error
        super()._handle_exception(unexpected)  # type: ignore[misc]
