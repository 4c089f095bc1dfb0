"""The session summary as plain text, for pasting into a medical record.

The same sections and wording as the Markdown summary (both are
:func:`trd_tui.export.summary.render`), without Markdown: no ``#`` or ``**``, no
escapes such as ``\\<50%``, a table as one line per row, and the line breaks of
the plan and notes kept. Control characters are still shown as escapes
(``\\x1b``), so pasted text cannot carry terminal commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trd_tui.export.summary import LINE_BREAK, Markup, render
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.text import printable

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.pack.records import Content

class PlainText(Markup):
    """Markup for a record that takes plain text."""

    @staticmethod
    def literal(text: str) -> str:  # type: ignore[override]
        return printable(" ".join(text.split()))

    def block(self, text: str, indent: str = "") -> str:
        first, *rest = (printable(line.rstrip()) for line in LINE_BREAK.split(text.strip()))
        return "\n".join([first, *(indent + line if line else "" for line in rest)])

    def strong(self, text: str) -> str:
        return text

    def emphasis(self, text: str) -> str:
        return text

    def heading(self, text: str, level: int = 2) -> str:
        return f"{text}\n{('=' if level == 1 else '-') * len(text)}"

    def table(self, head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
        return "\n".join("- " + "; ".join(f"{h}: {cell}" for h, cell in zip(head, cells, strict=True)) for cells in rows)


PLAIN_TEXT = PlainText()


def to_text(a: Assessment, content: Content, privacy: Privacy = SHOWN) -> str:
    """The summary as plain text; with a sharing ``privacy``, without notes and with relative dates."""
    return render(a, content, privacy, PLAIN_TEXT)
