"""Making text from files safe to show: no character in it may act on a terminal or reorder a line.

Text from a session file, the content pack or the keyboard is shown with every such character
made visible as an escape (``\\x1b``, ``\\u202e``), never sent raw:

- C0 controls (but newline and tab), DEL and C1 controls: printed to a terminal they move the
  cursor, clear the screen, set the window title (OSC 2), write the clipboard (OSC 52) and worse;
  C1 ``\\x9b`` and ``\\x9d`` start such sequences on their own in some terminals.
- Bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) and the
  invisible direction marks (U+200E, U+200F, U+061C): terminals and browsers that reorder
  right-to-left text let them show a line in another order than it is stored ("Trojan Source"),
  so a note could display a different dose than the one saved. The marks are included too: they
  reorder less, but are just as invisible, and a clinical note has no need of them.

The file keeps the text exactly as written; only what is shown changes. ``printable`` is the one
function that does this; ``unsafe_paths`` finds the fields of a file that need it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Newline and tab are layout, not commands: a note may have lines and tabs.
UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI}]")
# The TOML escapes that can make such a character: \b \f \r, \e and \xHH (TOML 1.1), \uXXXX, \UXXXXXXXX.
_TOML_ESCAPE = re.compile(r"\\[bfrexuU]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control and bidi characters shown as escapes (``\\x1b``, ``\\u202e``), never raw."""
    return UNSAFE.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """Whether ``printable`` would change ``text``."""
    return UNSAFE.search(text) is not None


def json_safe(json_text: str) -> str:
    """JSON with the C1 and bidi characters that ``json.dumps(ensure_ascii=False)`` leaves raw escaped.

    Only strings can hold them, where ``\\uXXXX`` means the same character: the data is unchanged
    for a JSON reader, and a terminal showing the JSON is not acted on (C0 is escaped already).
    """
    return UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json_text)


def toml_may_hold_unsafe(toml_text: str) -> bool:
    """False only when no string read from ``toml_text`` can need ``printable``.

    A TOML value or key holds such a character only if the text has it raw or writes it as an
    escape; text with neither (most files) needs no walk over its values with ``unsafe_paths``.
    """
    return UNSAFE.search(toml_text) is not None or _TOML_ESCAPE.search(toml_text) is not None


def unsafe_paths(data: Any) -> list[str]:
    """The path (``checklist.dose.note``, ``trials[2].note``) of each string in ``data`` that needs
    ``printable``: values in nested tables and arrays, and keys (then the path ends at the key).

    A loop, not recursion: unknown keys may nest deeper than Python's recursion limit.
    """
    found = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if has_unsafe(value):
                found.append(path)
        elif isinstance(value, Mapping):
            for key, item in reversed(value.items()):
                here = f"{path}.{key}" if path else str(key)
                stack.append((here, item))
                if has_unsafe(str(key)):
                    stack.append((here, str(key)))
        elif isinstance(value, list | tuple):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return found
