"""The last guard between text and the terminal: any control or bidi character left is drawn visibly.

Text from files is made printable where it is shown (``trd_tui.text.printable``), but there are
many such places and a new one can forget. This line filter sees every line of every widget
just before it reaches the driver, so no raw ESC, C1 or bidi character is ever written to the
terminal, whatever a widget does.

Textual internals it relies on: every widget line passes through ``App.get_line_filters()``
(``_styles_cache``), and ``Strip.apply_filter`` keeps the strip's old cell length, so the
filter must return a line exactly as wide as it received. These characters are zero cells
wide to Textual, and each picture is one cell, so the line is cropped back to its width: a
line that still had them loses as many cells at its end, which shows that something slipped
through (a bug to fix where the text is shown) rather than hiding it.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from trd_tui.text import UNSAFE

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def picture(match: re.Match[str]) -> str:
    """One cell for a control: its Control Pictures glyph (␛ for ESC, ␡ for DEL), else �."""
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)
    return "\N{SYMBOL FOR DELETE}" if code == 0x7F else REPLACEMENT


class VisibleControls(LineFilter):
    """Draws any control or bidi character still in a line as a visible glyph, never raw."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(UNSAFE.search(segment.text) for segment in segments if not segment.control):
            return segments
        width = Segment.get_line_length(segments)
        shown = [
            segment if segment.control else Segment(UNSAFE.sub(picture, segment.text), segment.style)
            for segment in segments
        ]
        return Segment.adjust_line_length(shown, width)


VISIBLE_CONTROLS = VisibleControls()
