"""Cheap redraws: change a widget's text without asking Textual to lay out the screen again.

``Static.update`` re-lays-out the whole screen by default, in case the widget's size
changed. On a key press that is a cost paid each time (docs/performance.md), and most updates keep
the size: the same text, a one-line bar, a wrapped text that takes as many lines, or a text no
taller than the height CSS ``min-height`` holds the widget to.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.visual import visualize
from textual.widgets import Static


def set_text(static: Static, text: Text, *, fixed_size: bool = False) -> None:
    """Show ``text`` in ``static``; nothing to do when it is already shown.

    ``fixed_size``: the widget's size does not depend on its text (CSS fixes it),
    so no layout is needed. Otherwise the layout is skipped when the new text takes
    exactly the room of the old one.
    """
    old = static.content
    if isinstance(old, Text) and old == text:
        return
    static.update(text, layout=not (fixed_size or _same_room(static, old, text)))


def _same_room(static: Static, old: object, new: Text) -> bool:
    """Whether ``new`` fills the same width and height as ``old`` in ``static``."""
    if not isinstance(old, Text) or not static.is_mounted or not static.size:
        return False
    if static.styles.is_auto_width:
        # A one-line label sized to its text (such as the header's file cell).
        return "\n" not in old.plain and "\n" not in new.plain and cell_len(old.plain) == cell_len(new.plain)
    width, height = static.content_size
    if width <= 0:
        return False
    needed = visualize(static, new).get_height(static.styles, width)
    # A widget that CSS min-height holds taller than its text keeps its height for any text that fits.
    return needed == height or needed < height <= _min_height(static)


def _min_height(static: Static) -> float:
    """The content height CSS ``min-height`` held the widget to at its last layout (0 without one).

    Relies on ``Widget._extrema``, set by each layout; the container it is resolved against
    changes only with a new layout, which sets it again.
    """
    min_height = static._extrema.min_height
    return 0 if min_height is None else float(min_height)
