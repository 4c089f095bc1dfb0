"""The command palette's entries (ctrl+p): every app action, by name and by the words a clinician types.

Mixed into :class:`~trd_tui.ui.app.TrdApp`, whose actions (its own and the other
mixins') the entries run. It inherits ``App`` so the house rule on Textual's private
names (tests/test_architecture.py) checks it.

Textual's palette matches a query against each command's title only, so "visit", "date"
or "print" found nothing useful. :class:`PaletteProvider` also matches the other words
each :class:`Command` lists, ranking a match in the title above one in those words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider
from textual.types import IgnoreReturnCallbackType

from trd_tui.export.formats import FORMATS
from trd_tui.ui.panes.pane import PANES

WORDS_RANK = 0.9  # a match in a command's other words ranks just below the same match in a title
#: The other words an export is found by: a document for people (text/*) is what one prints.
PRINTABLE_WORDS = "print paste record document"


class Command(NamedTuple):
    """A palette entry: Textual's SystemCommand fields, and the other words it is found by."""

    title: str
    help: str
    callback: IgnoreReturnCallbackType
    discover: bool = True
    words: str = ""


class PaletteProvider(SystemCommandsProvider):
    """Textual's system commands and the app's, found by their title or their other words."""

    async def discover(self) -> Hits:
        for command in sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title):
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.app.get_system_commands(self.screen):
            title = matcher.match(command.title)
            words = matcher.match(getattr(command, "words", "")) * WORDS_RANK
            if title or words:
                shown = matcher.highlight(command.title) if title >= words else command.title
                yield Hit(max(title, words), shown, command.callback, help=command.help)


class PaletteCommands(App[None]):
    """Owns the command palette's list: Textual's own commands, then the app's."""

    COMMANDS = {PaletteProvider}

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand | Command]:
        yield from super().get_system_commands(screen)
        yield Command("New session", "Start a blank session", self.action_new, words="new patient blank")
        yield Command("Open session…", "Open a session file", self.action_open, words="file load")
        yield Command("Save", "Save the session (ctrl+s)", self.action_save, words="write file")
        yield Command("Save as…", "Save the session to a new file", self.action_save_as, words="write file copy")
        for export in FORMATS.values():
            yield Command(
                f"Export {export.title}…",
                f"Write {export.description}",
                lambda name=export.name: self.action_export(name),
                words=PRINTABLE_WORDS if export.media_type.startswith("text/") else "file",
            )
        yield Command("Copy summary", "Copy the summary as Markdown to the clipboard", self.action_copy_summary,
                      words="clipboard paste record")
        yield Command("Undo", "Undo the last edit (ctrl+z)", self.action_undo)
        yield Command("Clear recent files", "Forget the list of recently opened files", self.action_clear_recent)
        if self.privacy.sharing:
            yield Command("Stop sharing mode…", "Show identifiers, notes and dates again (asks first; F3)",
                          self.action_toggle_sharing, words="share screen privacy")
        else:
            yield Command("Sharing mode", "Hide identifiers, notes and file names; dates relative to onset (F3)",
                          self.action_toggle_sharing, words="share screen privacy hide")
        stay = "on" if self.config.checklist_stay else "off"
        yield Command(f"Checklist: stay on the item after o, c, f ({stay})",
                      "Mark a checklist item and stay on it, to add a note; off: go to the next item",
                      self.action_toggle_checklist_stay, words="note answer move next")
        yield Command("Larger spacing on/off", "More room between things, for screen sharing", self.action_toggle_spacing)
        yield Command("Patient, episode and visit…", "Edit patient, episode, clinician and visit date (F2)",
                      self.action_edit_patient, words="date clinician onset severity record")
        yield Command("Patient view", "Options under discussion in plain words, and a comparison (F4)",
                      self.action_patient_view, words="show options compare preferences")
        yield Command("Help", "Keys and the rules the app applies (F1)", self.action_help, words="keys rules")
        for region in self.content.rules.crisis_regions:
            current = " (current)" if region == self.config.region else ""
            yield Command(
                f"Crisis resources: {region}{current}",
                f"Show the crisis lines for region {region} (ISO 3166) with a safety alert",
                lambda r=region: self.action_set_region(r),
            )
        for p in PANES:
            yield Command(f"Show {p.title}", f"Switch to the {p.title} pane ({p.key})", lambda i=p.id: self.action_show_pane(i))
