"""The file dialogs: start-up offers, open, save, save as, export, quit with unsaved changes.

What to do with a file is decided by the headless :class:`~trd_tui.document.Document`
(locks, recovery copies, changed underneath, read-only); this mixin shows the dialogs
and messages around it. Mixed into :class:`~trd_tui.ui.app.TrdApp`, which sets
``document``, ``content``, ``today``, ``privacy``, ``_startup_problem``,
``_offer_recovery`` and ``_quit_asked``, and re-assesses in ``_refresh_state``.
It inherits ``App`` so the house rule on Textual's private names
(tests/test_architecture.py) checks it.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App

from trd_tui.clinical.elapsed import time_ago
from trd_tui.document import Document, discard_offer, recovery_offers
from trd_tui.model import start_visit
from trd_tui.export.formats import FORMATS
from trd_tui.privacy import Privacy
from trd_tui.storage import kept_aside, recent
from trd_tui.storage.atomic import SaveError, write_private
from trd_tui.storage.sessionfile import SessionFileError, looks_like_session
from trd_tui.ui.dialogs.dialogs import ChoiceDialog, PathDialog, ProblemsDialog


class FileDialogs(App[None]):
    """Owns every dialog and message about session files and exports; the app's state changes through ``_set_document``."""

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
        await self._offer_new_visit(self.document)

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
            saved = self.document.save(path, safety_alerts=tuple(alert.message for alert in self.assessment.safety))
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
        self.run_worker(self._lock_then_offer_visit(document), group="files")
        return True

    async def _lock_then_offer_visit(self, document: Document) -> None:
        await self._lock(document)
        await self._offer_new_visit(document)

    async def _offer_new_visit(self, document: Document) -> None:
        """A file whose last visit is before today: start today's visit (the first choice), or
        continue that visit to correct it. Escape leaves the file as it opened."""
        if document.path is None or document.read_only or not document.needs_new_visit(self.today):
            return
        last = document.session.visit_date
        day, ago = self.privacy.day(last), time_ago(last, self.today)
        choice = await self.push_screen_wait(
            ChoiceDialog(
                "Today's visit?",
                f"The last visit in this file was {day} ({ago}). Start today's visit: earlier "
                "answers are carried forward to ask again, the plan starts empty, and that visit stays "
                f"in the history as it was. Or continue the visit of {day} to correct it.",
                [("start", "Start today's visit"), ("continue", f"Continue the visit of {day}")],
            )
        )
        if choice == "start" and document is self.document:
            self.edit(start_visit(document.session, self.today), "start today's visit")
            self.notify(f"Today's visit started; {self.assessment.checklist.to_reask} answers to ask again (↺)")

    @work(exclusive=True, group="files")
    async def action_new(self) -> None:
        if await self._settle_changes("start a new session"):
            self.document.close()
            self._set_document(Document.new(self.today))

    def action_clear_recent(self) -> None:
        recent.clear()
        self.notify("Recent files cleared")

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
