"""The preferences the app applies and remembers: theme, spacing, crisis-resource region, the checklist keys.

Mixed into :class:`~trd_tui.ui.app.TrdApp`, which sets ``config``, ``_config_path``
and ``_config_problems`` and re-assesses in ``_refresh_state``. It inherits ``App`` so
the house rule on Textual's private names (tests/test_architecture.py) checks it.
"""

from __future__ import annotations

import attrs
from textual.app import App
from textual.theme import Theme

from trd_tui.storage.config import DEFAULT_THEME, Config, save_config

# For screen sharing and low vision: pure black and white with saturated accents.
HIGH_CONTRAST = Theme(
    name="trd-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF00FF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    error="#FF5555",
    warning="#FFFF00",
    success="#00FF00",
    dark=True,
)


class Preferences(App[None]):
    """Owns the preferences on screen: applied at start, and saved whenever the theme, spacing or region changes."""

    def _apply_config(self) -> None:
        """Theme and spacing from the preferences; an unknown theme is explained, not fatal."""
        for problem in self._config_problems:
            self.notify(str(problem), title="Preferences", severity="warning", markup=False)
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self.notify(f"Unknown theme {self.config.theme!r} in the preferences; using {DEFAULT_THEME}", severity="warning")
            self.theme = DEFAULT_THEME
        self.set_class(self.config.spacious, "-spacious")

    def watch_theme(self, theme: str) -> None:
        self._remember(attrs.evolve(self.config, theme=theme))

    def action_toggle_spacing(self) -> None:
        self._remember(attrs.evolve(self.config, spacious=not self.config.spacious))
        self.set_class(self.config.spacious, "-spacious")

    def _remember(self, config: Config) -> None:
        if config != self.config:
            self.config = config
            save_config(config, self._config_path)

    def action_set_region(self, region: str) -> None:
        """Show another region's crisis resources, and remember the choice."""
        self._remember(attrs.evolve(self.config, region=region))
        self._refresh_state()
        self.notify(f"Crisis resources: {region}", markup=False)

    def action_toggle_checklist_stay(self) -> None:
        """o, c and f in the checklist: stay on the item (so a note can follow), or go to the next."""
        stay = not self.config.checklist_stay
        self._remember(attrs.evolve(self.config, checklist_stay=stay))
        self.notify("Checklist: o, c and f now stay on the item" if stay else "Checklist: o, c and f now go to the next item")
