"""Making text from files safe to print."""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL: they can move the cursor, clear the screen,
# retitle the window or worse when printed to a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``), never sent raw."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
