"""A scroller whose focus restyles itself only, not everything inside it."""

from __future__ import annotations

from textual.containers import VerticalScroll


class RestyledAloneOnFocus(VerticalScroll):
    """Focusing (or leaving) it restyles the scroller alone.

    Textual restyles a widget and all its descendants when it gains or loses focus
    (``Widget.watch_has_focus``, overridden here); for the Summary pane that is the whole
    summary, on every visit to the pane and every departure. No style inside may depend
    on the scroller's focus: a rule such as ``#summary-scroll:focus MarkdownH2`` would
    need this removed.
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
