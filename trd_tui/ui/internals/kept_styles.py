"""A screen shown again and again keeps its styles while nothing they depend on changed."""

from __future__ import annotations

from typing import Any

from textual import events


class KeepStylesOnResume:
    """Mixin for a screen that is installed once and pushed many times (the trial form).

    Textual restyles every widget of a screen each time it is shown (most of the cost of
    reopening the trial form; docs/performance.md and ui/internals/README.md give the
    figures). The styles are still right unless the CSS, or the app's classes or
    pseudo-classes, changed while the screen was hidden (a new theme, larger spacing);
    then it is restyled as Textual would.

    Overrides ``Screen._on_screen_resume`` (called before Screen's own, which reads
    ``event.refresh_styles``) and reads ``App._css_update_count``.
    """

    _styled_for: object = None  # what the styles were last computed under

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        app: Any = self.app  # type: ignore[attr-defined]
        styled_for = (app._css_update_count, app.classes, frozenset(app.get_pseudo_classes()))
        if styled_for == self._styled_for:
            event.refresh_styles = False
        self._styled_for = styled_for
