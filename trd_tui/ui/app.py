"""The trd-tui application: one open document, its assessment, files and global keys.

The app holds the :class:`~trd_tui.document.Document` and republishes its
assessment (``assessment``) and file state (``file_state``) as reactives;
panes watch them and redraw. Every edit comes through :meth:`TrdApp.edit`.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import Reactive, var
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer

from trd_tui.clinical.assess import Assessment, assess
from trd_tui.pack.records import Content
from trd_tui.document import Document, discard_offer, recovery_offers
from trd_tui.export.formats import FORMATS
from trd_tui.model import Session
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.storage import kept_aside, recent
from trd_tui.storage.atomic import SaveError, write_private
from trd_tui.storage.config import DEFAULT_THEME, Config, save_config
from trd_tui.storage.sessionfile import SessionFileError, looks_like_session
from trd_tui.tomlconv import Problem
from trd_tui.ui.host import FileState
from trd_tui.ui.internals.crash import KeepsWorkOnCrash
from trd_tui.ui.internals.visible_controls import VISIBLE_CONTROLS
from trd_tui.ui.panes.pane import PANES
from trd_tui.ui.screens.main import MainScreen
from trd_tui.ui.dialogs.dialogs import ChoiceDialog, PathDialog, ProblemsDialog
from trd_tui.ui.dialogs.form import FormDialog, open_form

if TYPE_CHECKING:
    from textual.filter import LineFilter
    from textual.pilot import Pilot


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
FULL_COLLECTION_SPACING = 10  # once started, full garbage collections this many times rarer than Python's default
RECOVERY_DEBOUNCE = 2.0  # seconds of quiet after an edit before writing a recovery copy


class TrdApp(KeepsWorkOnCrash, App[None]):
    """The consultation app."""

    # The main screen's stylesheet is read with the app's, not as the screen's CSS_PATH: a
    # screen's own file is read only for screens Textual installs itself (a mode), and a
    # mode's screen parses the whole stylesheet twice more before the first frame.
    CSS_PATH = ["app.tcss", "screens/main.tcss"]
    # The preferences' default theme from the start: setting another one in on_mount
    # re-parses the whole stylesheet and restyles every widget before the first frame.
    theme: Reactive[str] = Reactive(DEFAULT_THEME)
    TITLE = "trd-tui"  # constant: the terminal title never carries patient data
    BINDINGS = [
        *(
            # Not in the footer: the tabs show them, and the footer's room goes to the pane's keys.
            Binding(p.key, f"show_pane('{p.id}')", p.title, id=f"pane.{p.id}", tooltip=f"Show the {p.title} pane", show=False)
            for p in PANES
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="Keys, and the rules the app applies"),
        Binding("f2", "edit_patient", "Patient", id="app.patient", tooltip="Edit patient, episode and visit", show=False),
        Binding(
            "f3",
            "toggle_sharing",
            "Share",
            id="app.share",
            tooltip="Sharing mode: hide identifiers and notes, show dates relative to onset (F3 again asks before showing them)",
            show=False,  # the footer is full at 80 columns; the sharing bar, help and palette name it
        ),
        Binding("f4", "patient_view", "Patient view", id="app.patient_view", show=False,
                tooltip="The options under discussion in plain words, and a side-by-side comparison"),
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the session"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False, tooltip="Undo the last edit"),
        Binding("ctrl+o", "open", "Open", id="app.open", show=False),
        Binding("ctrl+n", "new", "New", id="app.new", show=False),
    ]

    assessment: var[Assessment] = var(None, init=False)  # type: ignore[arg-type]
    file_state: var[FileState] = var(FileState("untitled", False), init=False)
    privacy: var[Privacy] = var(SHOWN, init=False)

    def __init__(
        self,
        document: Document,
        content: Content,
        *,
        today: dt.date | None = None,
        startup_problem: SessionFileError | None = None,
        autosave_seconds: float = 30.0,
        offer_recovery: bool = True,
        config: Config | None = None,
        config_path: Path | None = None,
        config_problems: list[Problem] | None = None,
        sharing: bool = False,
    ) -> None:
        super().__init__()
        self.config = config or Config()
        self._config_path = config_path
        self._config_problems = config_problems or []
        self.register_theme(HIGH_CONTRAST)
        self.animation_level = "full" if self.config.animations else "none"
        self.content = content
        self.today = today or dt.date.today()
        self.document = document
        self.autosave_seconds = autosave_seconds
        self._startup_problem = startup_problem
        self._offer_recovery = offer_recovery
        self._recovery_timer: Timer | None = None
        self._quit_asked = False  # ended through action_quit, which settled unsaved changes
        self._collect_after_start = False  # run_async defers garbage collection until the first frame
        self._frozen = False  # set_aside_long_lived_objects has run
        self._gc_threshold = gc.get_threshold()  # put back when the app stops running
        self._last_recovery_write = -float("inf")
        self.set_reactive(TrdApp.assessment, assess(document.session, content, region=self.config.region))
        self.set_reactive(TrdApp.privacy, Privacy.for_session(document.session, sharing))
        self.set_reactive(TrdApp.file_state, self._file_state())

    async def run_async(self, **kwargs: Any) -> None:
        """Run the app, with no garbage collection until its first frame is drawn.

        Starting creates tens of thousands of objects that live as long as the app
        (collections at that point found no garbage among them; docs/performance.md).
        """
        gc.disable()
        self._collect_after_start = True
        try:
            return await super().run_async(**kwargs)
        finally:
            gc.enable()
            self._let_go_of_long_lived_objects()

    @asynccontextmanager
    async def run_test(self, *args: Any, **kwargs: Any) -> AsyncIterator[Pilot]:
        """App.run_test, letting go at the end of what the app set aside from garbage collection."""
        try:
            async with super().run_test(*args, **kwargs) as pilot:
                yield pilot
        finally:
            self._let_go_of_long_lived_objects()

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters, then the guard that no control character reaches the terminal raw."""
        return [*super().get_line_filters(), VISIBLE_CONTROLS]

    def set_aside_long_lived_objects(self) -> None:
        """Exclude every object alive now from later garbage collections (gc.freeze).

        Called once the first frame is drawn and again once the hidden panes are built:
        what exists then (Textual, the session, the panes) lives as long as the app, and
        a full collection, which can fall between a key and its frame, looked through
        all of it (docs/performance.md has the pauses measured). They are let go when the app
        stops running, so a test or an embedding program gets them back.
        """
        if not self.is_running:
            return  # late timer after the app stopped: nothing to set aside
        gc.freeze()
        if not self._frozen:
            self._frozen = True
            # Full passes ten times rarer (at most one every 100 young-generation passes
            # rather than 10): what survives to the old generation here is mostly Textual's
            # render caches, bounded in size, so each full pass freed little for its long pause.
            self._gc_threshold = gc.get_threshold()
            young, middle, old = self._gc_threshold
            gc.set_threshold(young, middle, old * FULL_COLLECTION_SPACING)
        if self._collect_after_start:
            self._collect_after_start = False
            gc.enable()

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def on_mount(self) -> None:
        self._apply_config()
        self._start()
        self.call_after_refresh(self.set_aside_long_lived_objects)
        if self._collect_after_start:
            self.set_timer(1.0, lambda: self._collect_after_start and self.set_aside_long_lived_objects())

    def _let_go_of_long_lived_objects(self) -> None:
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
            gc.set_threshold(*self._gc_threshold)

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

    @work(exclusive=True, group="files")
    async def _start(self) -> None:
        """Say why a file could not be opened, offer crashed work back, lock the file."""
        if self._startup_problem is not None:
            exc = self._startup_problem
            await self.push_screen_wait(ProblemsDialog("Could not open the session file", exc.summary, exc.problems))
        if self._offer_recovery:
            await self._offer_to_keep_aside()
            await self._offer_recovery_copies()
        if self.document.path is not None and self.document.path.exists():
            # After the first frame: a file write the session on screen does not need.
            self.call_after_refresh(self.document.remember)
            self._show_warnings(self.document)
        await self._lock(self.document)

    async def _offer_recovery_copies(self) -> None:
        for copy in recovery_offers():
            where = self._file_label(copy.source) if copy.source else "an untitled session"
            # While sharing, no calendar date: the time of a crash is as good as the visit date.
            when = "" if self.privacy.sharing else f" from {copy.written:%Y-%m-%d %H:%M} UTC"
            choice = await self.push_screen_wait(
                ChoiceDialog(
                    "Recover unsaved work?",
                    f"Unsaved changes to {where}{when} were found "
                    "(trd-tui did not close normally). Restore them, discard them, or keep both "
                    "(the changes open as an untitled copy and the file stays as it is)?",
                    [("restore", "Restore"), ("keep-both", "Keep both"), ("discard", "Discard")],
                )
            )
            if choice == "discard":
                discard_offer(copy)
            elif choice in ("restore", "keep-both"):
                self.document.close()
                self._set_document(Document.recovered(copy, keep_both=choice == "keep-both"))
                self.notify("Unsaved work restored; save it to keep it")
                return

    async def _offer_to_keep_aside(self) -> None:
        """Unsaved work that cannot be opened any more: moved aside on request, never offered in a loop."""
        for path in kept_aside.unopenable_copies():
            choice = await self.push_screen_wait(
                ChoiceDialog(
                    "Unsaved work cannot be opened",
                    "A recovery copy left by an earlier trd-tui cannot be opened: it is damaged, or holds "
                    "values outside the limits of a session file. Keep it aside (moved to the recovery "
                    f"folder's {kept_aside.FOLDER} folder, private, and not offered again), or ask next time?",
                    [("keep-aside", "Keep aside"), ("later", "Ask next time")],
                )
            )
            if choice == "keep-aside":
                try:
                    kept_aside.keep_aside(path)
                except OSError as exc:
                    self.notify(f"Could not move it: {exc.strerror or exc}", severity="warning")

    async def _lock(self, document: Document) -> None:
        """Hold the document's file; if another instance does, offer read-only or take over."""
        holder = document.lock()
        if holder is not None:
            choice = await self.push_screen_wait(
                ChoiceDialog(
                    "File in use",
                    f"{self._file_label(document.path)} is open in another trd-tui "
                    f"({Privacy(sharing=self.privacy.sharing).text(holder.describe())}). "
                    "Open it read-only (Save as still works), or take it over?",
                    [("read-only", "Read-only"), ("take-over", "Take over")],
                )
            )
            if choice == "take-over":
                document.lock(take_over=True)
            else:
                document.read_only = True
        self._show_notices(document)  # a lock that could not be written made it read-only
        if document.read_only:
            self._refresh_state()

    def _show_notices(self, document: Document) -> None:
        for notice in document.take_notices():
            self.notify(notice, title="File", severity="warning", timeout=10, markup=False)

    # -- the document -------------------------------------------------------

    def edit(self, session: Session, label: str) -> None:
        """Apply an edit; the assessment and every pane follow."""
        self.document.apply(session, label)
        self._refresh_state()
        self._schedule_recovery()

    def _schedule_recovery(self) -> None:
        """Write unsaved work aside a moment after edits, and at most every autosave_seconds."""
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
        due = max(RECOVERY_DEBOUNCE, self._last_recovery_write + self.autosave_seconds - time.monotonic())
        self._recovery_timer = self.set_timer(due, self._write_recovery)

    def _write_recovery(self) -> None:
        if not self.document.dirty:
            return
        try:
            self.document.write_recovery()
        except SaveError as exc:
            self.notify(f"Recovery copy not written: {exc}", severity="warning")
        self._last_recovery_write = time.monotonic()

    def _refresh_state(self) -> None:
        self.privacy = Privacy.for_session(self.document.session, self.privacy.sharing)
        self.assessment = assess(self.document.session, self.content, region=self.config.region)
        self.file_state = self._file_state()

    def action_set_region(self, region: str) -> None:
        """Show another region's crisis resources, and remember the choice."""
        self._remember(attrs.evolve(self.config, region=region))
        self._refresh_state()
        self.notify(f"Crisis resources: {region}", markup=False)

    def _file_state(self) -> FileState:
        return FileState("" if self.privacy.sharing else self.document.title, self.document.dirty)

    def _file_label(self, path: Path) -> str:
        """How a file is named in messages: by name, or not at all while sharing."""
        return "the session file" if self.privacy.sharing else path.name

    def _set_document(self, document: Document) -> None:
        self.document = document
        self._refresh_state()
        self._show_warnings(document)

    def _show_warnings(self, document: Document) -> None:
        """What is worth a look in a file just opened, each with its fix where there is one."""
        if not document.warnings:
            return
        shown = [str(w) for w in document.warnings[:4]]
        more = len(document.warnings) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more ('trd-tui check FILE' lists them)" if more else "")
        # Dates quoted from the file are shown as the rest of the screen shows them.
        self.notify(self.privacy.text(text), title="Opened with warnings", severity="warning", timeout=15, markup=False)

    def action_undo(self) -> None:
        label = self.document.undo()
        if label is None:
            self.notify("Nothing to undo")
            return
        self._refresh_state()
        self._schedule_recovery()
        self.notify(f"Undone: {label}", markup=False)

    async def action_show_pane(self, pane: str) -> None:
        await self.screen.show_pane(pane)  # type: ignore[attr-defined]

    # -- files --------------------------------------------------------------

    @work(exclusive=True, group="files")
    async def action_save(self) -> None:
        await self._save(self.document.path)

    @work(exclusive=True, group="files")
    async def action_save_as(self) -> None:
        await self._save(None)

    async def _save(self, path: Path | None) -> bool:
        """Save, asking for a path when there is none; True when saved."""
        if path is not None and not self.document.can_save_over(path):
            self.notify("This file is open read-only; choose a new file to save to")
            path = None
        if path is None:
            path = await self._ask_new_path("Save session as", "Save")
            if path is None:
                return False
        elif self.document.changed_on_disk(path):
            choice = await self.push_screen_wait(
                ChoiceDialog(
                    "Changed on disk",
                    f"{self._file_label(path)} was changed by another program since it was opened here. "
                    "Overwrite it with this session, or save this session to a new file?",
                    [("save-as", "Save as…"), ("overwrite", "Overwrite"), ("cancel", "Cancel")],
                )
            )
            if choice == "save-as":
                return await self._save(None)
            if choice != "overwrite":
                return False
        try:
            saved = self.document.save(path)
        except SaveError as exc:
            self.notify(f"{exc}. Your changes are still here.", title="Not saved", severity="error", timeout=10)
            return False
        self._refresh_state()
        self.document.remember()
        self.notify(f"Saved {self._file_label(saved)}")
        self._show_notices(self.document)
        return True

    async def _ask_new_path(self, title: str, action: str, suggestion: str = "") -> Path | None:
        path = await self.push_screen_wait(PathDialog(title, suggestion, action=action))
        if path is None or not path.exists() or path == self.document.path:
            return path
        choice = await self.push_screen_wait(
            ChoiceDialog("Replace file?", f"{self._file_label(path)} already exists. Replace it?", [("replace", "Replace"), ("cancel", "Cancel")])
        )
        return path if choice == "replace" else None

    async def _settle_changes(self, doing: str) -> bool:
        """With unsaved changes, ask Save / Discard / Cancel; True to go on."""
        if not self.document.dirty:
            return True
        choice = await self.push_screen_wait(
            ChoiceDialog(
                "Unsaved changes",
                f"This session has unsaved changes. Save them before you {doing}?",
                [("save", "Save"), ("discard", "Discard"), ("cancel", "Cancel")],
            )
        )
        if choice == "save":
            return await self._save(self.document.path)
        if choice == "discard":
            self.document.discard_recovery()
            return True
        return False

    @work(exclusive=True, group="files")
    async def action_quit(self) -> None:
        if await self._settle_changes("quit"):
            self.document.close()
            self._quit_asked = True
            self.exit()

    def keep_work_after_crash(self) -> str:
        """Before an unexpected error ends the app: unsaved work into the recovery copy, first."""
        if not self.document.dirty:
            return "There were no unsaved changes."
        try:
            self.document.write_recovery()
        except Exception:  # something is broken already: say so rather than raise again
            return "Your unsaved changes could not be written to a recovery copy."
        return "Your unsaved changes were written to a recovery copy; trd-tui offers them back when it starts again."

    def on_unmount(self) -> None:
        """Ended without asking (a closed browser tab, SIGTERM): keep unsaved work as a recovery copy.

        The debounced copy may be up to RECOVERY_DEBOUNCE seconds behind; this one is not.
        Also lets go of what start-up set aside from garbage collection.
        """
        self._let_go_of_long_lived_objects()  # what this app set aside can be collected again
        if self._quit_asked:
            return
        if self.document.dirty:
            self._write_recovery()
        self.document.release()

    @work(exclusive=True, group="files")
    async def action_open(self) -> None:
        if not await self._settle_changes("open another session"):
            return
        # File paths can name the patient: no recent list while sharing.
        recent_paths = [] if self.privacy.sharing else recent.recent_files()
        path = await self.push_screen_wait(PathDialog("Open session", must_exist=True, action="Open", recent=recent_paths))
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open a session file, or show why it cannot be opened (the current one stays)."""
        try:
            document = Document.open(path, self.content)
        except SessionFileError as exc:
            self.push_screen(ProblemsDialog(f"Could not open {self._file_label(path)}", exc.summary, exc.problems))
            return False
        self.document.close()
        self._set_document(document)
        document.remember()
        self.notify(f"Opened {self._file_label(path)}")
        self.run_worker(self._lock(document), group="files")
        return True

    @work(exclusive=True, group="files")
    async def action_new(self) -> None:
        if await self._settle_changes("start a new session"):
            self.document.close()
            self._set_document(Document.new(self.today))

    @work(exclusive=True, group="files")
    async def action_export(self, name: str = "markdown") -> None:
        """Write the session in the export format ``name`` (x on the Summary pane: Markdown)."""
        export = FORMATS[name]
        path = await self._ask_new_path(f"Export {export.title} to", "Export", export.file_name)
        if path is None:
            return
        if looks_like_session(path):
            # The open file or another patient's: an export never replaces a session (as on the CLI).
            self.notify(f"{self._file_label(path)} is a session file; choose another file",
                        title="Not exported", severity="error")
            return
        try:
            write_private(path, export.render(self.assessment, self.content, False).encode("utf-8"))
        except SaveError as exc:
            self.notify(str(exc), title="Not exported", severity="error")
            return
        self.notify(f"Exported {export.title} to {self._file_label(path)}")

    def action_copy_summary(self) -> None:
        """Copy the summary for pasting into the record (OSC 52: the terminal must allow it)."""
        from trd_tui.export.summary import to_markdown

        self.copy_to_clipboard(to_markdown(self.assessment, self.content))
        # A terminal cannot say whether it accepted the copy, so say what to do if it did not.
        self.notify(
            "Summary sent to the clipboard. If nothing pastes, your terminal does not allow "
            "programs to copy (OSC 52): export it instead (x on the Summary pane).",
            title="Copied",
            timeout=8,
        )

    # -- sharing the screen -------------------------------------------------

    @work(exclusive=True, group="sharing")
    async def action_toggle_sharing(self) -> None:
        """On at once; off only when confirmed, so a stray key cannot reveal identifiers."""
        if not self.privacy.sharing:
            self._set_sharing(True)
            self.notify("Identifiers, notes and file names are hidden; dates count from onset. F3 to stop.", title="Sharing mode on")
            return
        choice = await self.push_screen_wait(
            ChoiceDialog(
                "Stop sharing mode?",
                "The record id, birth year, notes, file names and full dates will show on screen. "
                "Stop only when the patient can no longer see this screen.",
                [("keep", "Keep sharing"), ("stop", "Stop sharing")],
            )
        )
        if choice == "stop":
            self._set_sharing(False)
            self.notify("Sharing mode off: everything recorded is shown")

    def _set_sharing(self, sharing: bool) -> None:
        self.privacy = Privacy.for_session(self.document.session, sharing)
        self.file_state = self._file_state()

    def action_clear_recent(self) -> None:
        recent.clear()
        self.notify("Recent files cleared")

    # -- modals -------------------------------------------------------------

    def action_help(self) -> None:
        from trd_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_patient_view(self) -> None:
        from trd_tui.ui.screens.patient_view import PatientView

        if not isinstance(self.screen, PatientView):
            self.push_screen(PatientView())

    def action_edit_patient(self) -> None:
        from trd_tui.ui.dialogs.patient_form import PatientForm

        def done(session: Session) -> None:
            self.edit(session, "edit patient and episode")

        open_form(self, PatientForm(self.document.session), done)

    def on_form_dialog_save_requested(self, _: FormDialog.SaveRequested) -> None:
        """ctrl+s in a form: the form's result is applied; now save the file."""
        self.action_save()

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
