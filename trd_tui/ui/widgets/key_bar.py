"""The keys at the bottom of a screen: what can be pressed now, and the palette key.

One widget drawing one line, where Textual's Footer mounts a widget per key and
mounts them all again each time the keys change: several times per pane switch,
about a quarter of a switch's time (docs/performance.md), and Footer kept every
key it ever showed. It looks like Footer's compact style; a click presses the key
and hovering shows the key's tooltip, as on Footer.

When the keys do not fit, the bar first uses shorter labels, then drops keys, the least
used first. A node that owns bindings, or the screen they show on, may say how, by binding
id, in ``KEY_BAR_HINTS`` (a :class:`BarHint` each): the short label, and ``drop`` (higher goes sooner, 0 never; a
binding without a hint has 1, so the app's keys can rank around a pane's). Among equals
the last listed goes first (each pane lists its keys most used first). Textual copies
every Binding into a plain one, so the hints cannot ride on a Binding subclass.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

DROP_DEFAULT = 1  # a plain Binding's place in the order keys are dropped in


class BarHint(NamedTuple):
    """What the key bar needs of a binding when it is narrow."""

    short: str = ""  # the label when the full ones do not all fit (default: the description)
    drop: int = DROP_DEFAULT  # how soon it goes when even the short labels do not fit: higher sooner, 0 never


class Key(NamedTuple):
    key: str  # what simulate_key presses
    display: str
    description: str
    enabled: bool
    tooltip: str
    short: str
    drop: int

    def shortened(self) -> Key:
        return self._replace(description=self.short)


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
        hints = getattr(self.screen, "KEY_BAR_HINTS", {})  # the screen's word on any key shown on it
        shown, actions = [], set()
        for node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                hint = hints.get(binding.id) or getattr(node, "KEY_BAR_HINTS", {}).get(binding.id, BarHint())
                shown.append(self._key(binding, enabled, tooltip, hint))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if self.app.ENABLE_COMMAND_PALETTE else None
        return shown, (self._key(palette.binding, palette.enabled, palette.tooltip, BarHint()) if palette else None)

    def _key(self, binding: Binding, enabled: bool, tooltip: str, hint: BarHint) -> Key:
        return Key(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            enabled,
            tooltip or binding.tooltip or binding.description,
            hint.short or binding.description,
            hint.drop,
        )

    def fitted(self, keys: list[Key], room: int) -> list[Key]:
        """The keys as drawn in ``room`` cells: full labels, else short ones, else the least used dropped."""
        if _width(keys) <= room:
            return keys
        short = [key.shortened() for key in keys]
        # Highest drop first and, among equals, the last listed first; never those with drop 0.
        order = sorted((i for i, key in enumerate(short) if key.drop), key=lambda i: (-short[i].drop, -i))
        kept = set(range(len(short)))
        for i in order:
            if _width([short[j] for j in sorted(kept)]) <= room:
                break
            kept.discard(i)
        return [short[j] for j in sorted(kept)]

    def render(self) -> Text:
        self._shown = shown, palette = self.keys()
        palette_label = self._label(palette) if palette is not None else None
        room = self.size.width - (palette_label.cell_len + cell_len(self.RULE) + self.GAP if palette_label else 0)
        line, spans = Text(no_wrap=True, overflow="crop", end=""), []
        for key in self.fitted(shown, room):
            start = line.cell_len
            line.append_text(self._label(key))
            spans.append((start, line.cell_len, key))
            line.append(" " * self.GAP)
        if palette is not None:
            label = palette_label
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


def _width(keys: list[Key]) -> int:
    """Cells the keys take as drawn: key, space, label, and a gap after each."""
    return sum(cell_len(key.display) + 1 + cell_len(key.description) + KeyBar.GAP for key in keys) - KeyBar.GAP * bool(keys)
