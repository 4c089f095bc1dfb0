"""The keys at the bottom of a screen: what can be pressed now, and the palette key.

One widget drawing one line, where Textual's Footer mounts a widget per key and
mounts them all again each time the keys change: several times per pane switch,
about a quarter of a switch's time (docs/performance.md), and Footer kept every
key it ever showed. It looks like Footer's compact style; a click presses the key
and hovering shows the key's tooltip, as on Footer.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget


class Key(NamedTuple):
    key: str  # what simulate_key presses
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """The focused widget's keys (those bindings with ``show=True``), the palette key on the right."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
        & > .key-bar--description { color: $footer-description-foreground; }
        & > .key-bar--rule { color: $foreground 20%; }
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--rule"}
    ALLOW_SELECT = False
    GAP = 1  # cells between keys
    RULE = "▏"  # before the palette key, as Footer draws it

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, Key]] = []  # columns of each key drawn, for the mouse
        self._shown: tuple[list[Key], Key | None] | None = None  # the keys last drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        # Textual signals several times per focus change, mostly with the same keys.
        if self.keys() != self._shown:
            self.refresh()

    def keys(self) -> tuple[list[Key], Key | None]:
        """The keys to show, one per action, and the command-palette key (if enabled)."""
        active = self.screen.active_bindings
        shown, actions = [], set()
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append(self._key(binding, enabled, tooltip))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if self.app.ENABLE_COMMAND_PALETTE else None
        return shown, (self._key(palette.binding, palette.enabled, palette.tooltip) if palette else None)

    def _key(self, binding, enabled: bool, tooltip: str) -> Key:
        return Key(binding.key, self.app.get_key_display(binding), binding.description, enabled, tooltip or binding.tooltip or binding.description)

    def render(self) -> Text:
        self._shown = shown, palette = self.keys()
        line, spans = Text(no_wrap=True, overflow="crop", end=""), []
        for key in shown:
            start = line.cell_len
            line.append_text(self._label(key))
            spans.append((start, line.cell_len, key))
            line.append(" " * self.GAP)
        if palette is not None:
            label = self._label(palette)
            room = self.size.width - cell_len(self.RULE) - label.cell_len - self.GAP
            line.truncate(max(room, 0), pad=True)
            line.append(self.RULE, self.get_component_rich_style("key-bar--rule", partial=True))
            spans.append((line.cell_len, line.cell_len + label.cell_len, palette))
            line.append_text(label)
        self._spans = spans
        return line

    def _label(self, key: Key) -> Text:
        label = Text.assemble(
            (key.display, self.get_component_rich_style("key-bar--key", partial=True)),
            (f" {key.description}", self.get_component_rich_style("key-bar--description", partial=True)),
        )
        if not key.enabled:
            label.stylize("dim")
        return label

    def key_at(self, x: int) -> Key | None:
        """The key drawn at column ``x`` (as last drawn)."""
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        self.tooltip = key.tooltip if key else None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
