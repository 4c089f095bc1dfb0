"""The command palette's entries (ctrl+p): every app action, by name.

Mixed into :class:`~trd_tui.ui.app.TrdApp`, whose actions (its own and the other
mixins') the entries run. It inherits ``App`` so the house rule on Textual's private
names (tests/test_architecture.py) checks it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from trd_tui.export.formats import FORMATS
from trd_tui.ui.panes.pane import PANES


class PaletteCommands(App[None]):
    """Owns the command palette's list: Textual's own commands, then the app's."""

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New session", "Start a blank session", self.action_new)
        yield SystemCommand("Open session…", "Open a session file", self.action_open)
        yield SystemCommand("Save", "Save the session (ctrl+s)", self.action_save)
        yield SystemCommand("Save as…", "Save the session to a new file", self.action_save_as)
        for export in FORMATS.values():
            yield SystemCommand(f"Export {export.title}…", f"Write {export.description}",
                                lambda name=export.name: self.action_export(name))
        yield SystemCommand("Copy summary", "Copy the summary as Markdown to the clipboard", self.action_copy_summary)
        yield SystemCommand("Undo", "Undo the last edit (ctrl+z)", self.action_undo)
        yield SystemCommand("Clear recent files", "Forget the list of recently opened files", self.action_clear_recent)
        if self.privacy.sharing:
            yield SystemCommand("Stop sharing mode…", "Show identifiers, notes and dates again (asks first; F3)", self.action_toggle_sharing)
        else:
            yield SystemCommand("Sharing mode", "Hide identifiers, notes and file names; dates relative to onset (F3)", self.action_toggle_sharing)
        stay = "on" if self.config.checklist_stay else "off"
        yield SystemCommand(f"Checklist: stay on the item after o, c, f ({stay})",
                            "Mark a checklist item and stay on it, to add a note; off: go to the next item",
                            self.action_toggle_checklist_stay)
        yield SystemCommand("Larger spacing on/off", "More room between things, for screen sharing", self.action_toggle_spacing)
        yield SystemCommand("Patient and episode…", "Edit patient, episode and visit (F2)", self.action_edit_patient)
        yield SystemCommand("Patient view", "Options under discussion in plain words, and a comparison (F4)", self.action_patient_view)
        yield SystemCommand("Help", "Keys and the rules the app applies (F1)", self.action_help)
        for region in self.content.rules.crisis_regions:
            current = " (current)" if region == self.config.region else ""
            yield SystemCommand(
                f"Crisis resources: {region}{current}",
                f"Show the crisis lines for region {region} (ISO 3166) with a safety alert",
                lambda r=region: self.action_set_region(r),
            )
        for p in PANES:
            yield SystemCommand(f"Show {p.title}", f"Switch to the {p.title} pane ({p.key})", lambda i=p.id: self.action_show_pane(i))
