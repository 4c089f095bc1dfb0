"""An open session: the session being edited, where it lives, what is saved, and undo.

Headless (no Textual), so the app's file handling and undo are tested
without a terminal. The app owns one Document and asks it for everything.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from trd_tui.model import Session
from trd_tui.storage import recovery, sessionfile
from trd_tui.storage.atomic import disk_bytes
from trd_tui.tomlconv import Problem

if TYPE_CHECKING:
    from trd_tui.content import Content

UNDO_LIMIT = 200


@attrs.define
class Document:
    session: Session
    path: Path | None = None  # None: untitled, saving asks for a path
    saved: Session | None = None  # the last session read or written (or the starting one)
    warnings: list[Problem] = attrs.field(factory=list)
    on_disk: bytes | None = attrs.field(default=None, repr=False)  # the file as last read or written
    read_only: bool = False  # another instance holds the file: save as only
    recovery: Path | None = None  # where unsaved work is written aside, once there is some
    _undo: list[tuple[Session, str]] = attrs.field(factory=list, alias="_undo")

    @classmethod
    def open(cls, path: Path, content: Content | None = None) -> Document:
        """Open a session file; raises :class:`sessionfile.SessionFileError`."""
        result = read_checked(path, content)
        return cls(result.session, path, result.session, result.warnings, result.data)

    @classmethod
    def new(cls, visit_date: dt.date, path: Path | None = None) -> Document:
        session = Session.new(visit_date)
        return cls(session, path, saved=session)  # nothing entered yet, nothing to lose

    @classmethod
    def demo(cls) -> Document:
        """The demo as an untitled copy: saving asks for a new path."""
        session = sessionfile.load_demo()
        return cls(session, saved=session)

    @classmethod
    def recovered(cls, copy: recovery.RecoveryCopy, *, keep_both: bool) -> Document:
        """Continue from a recovery copy: over its file, or as an untitled copy beside it."""
        source = None if keep_both else copy.source
        saved = None
        if source is not None:
            try:
                saved = sessionfile.load_session(source)
            except sessionfile.SessionFileError:
                saved = None
        return cls(copy.session, source, saved, on_disk=disk_bytes(source) if source else None, recovery=copy.path)

    @property
    def dirty(self) -> bool:
        """Unsaved changes: edits since the session was opened, created or saved."""
        return self.session != self.saved

    @property
    def title(self) -> str:
        """File name for display; never the patient's label."""
        name = self.path.name if self.path else "untitled"
        return f"{name} (read-only)" if self.read_only else name

    def write_recovery(self) -> None:
        """Write the unsaved session aside (raises :class:`~trd_tui.storage.atomic.SaveError`)."""
        if self.recovery is None:
            self.recovery = recovery.new_recovery_path()
        recovery.write_recovery(self.recovery, self.session, self.path)

    def discard_recovery(self) -> None:
        if self.recovery is not None:
            recovery.discard_recovery(self.recovery)
            self.recovery = None

    def apply(self, session: Session, label: str) -> None:
        """Make an edit; ``label`` names it for undo ("delete trial")."""
        if session == self.session:
            return
        self._undo.append((self.session, label))
        del self._undo[:-UNDO_LIMIT]
        self.session = session

    @property
    def can_undo(self) -> str | None:
        """Label of the edit undo would revert, if any."""
        return self._undo[-1][1] if self._undo else None

    def undo(self) -> str | None:
        if not self._undo:
            return None
        self.session, label = self._undo.pop()
        return label

    def changed_on_disk(self, path: Path | None = None) -> bool:
        """Whether the file was changed by someone else since it was read or saved here."""
        target = path or self.path
        if target is None or target != self.path:
            return False
        return disk_bytes(target) != self.on_disk

    def save(self, path: Path | None = None, *, now: dt.datetime | None = None) -> Path:
        """Save to ``path`` (or the current path); raises :class:`~trd_tui.storage.atomic.SaveError`.

        Changes are stamped ``updated`` (and ``created`` the first time); a
        session saved without edits keeps its bytes.
        """
        target = path or self.path
        if target is None:
            raise ValueError("an untitled session needs a path")
        session = self.session
        stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        info = session.session
        if self.dirty:
            info = attrs.evolve(info, updated=stamp)
        if info.created is None:
            info = attrs.evolve(info, created=stamp, updated=info.updated or stamp)
        session = attrs.evolve(session, session=info)
        sessionfile.save_session(session, target)
        self.session = self.saved = session
        self.path = target
        self.read_only = False
        self.on_disk = disk_bytes(target)
        self.discard_recovery()
        return target


# -- the session checked against the content pack ------------------------------------
# Here rather than in storage: the session format does not depend on the clinical rules
# or the pack, so storage imports neither.


def read_checked(path: Path, content: Content | None = None) -> sessionfile.ReadResult:
    """Read a session file and, given the content pack, check it against the pack too.

    Raises :class:`sessionfile.SessionFileError`: rating-scale entries that do not add
    up make the file invalid; entries the pack does not know are warnings.
    """
    result = sessionfile.read_session(path)
    if content is None:
        return result
    if problems := content_problems(result.session, content):
        raise sessionfile.InvalidSessionError("not a valid session", problems)
    return attrs.evolve(result, warnings=result.warnings + content_warnings(result.session, content))


def content_problems(session: Session, content: Content) -> list[Problem]:
    """Errors that only the content pack can see: rating-scale entries that do not add up."""
    from trd_tui.clinical.scales import measurement_problems

    return [
        Problem(f"measurements[{i}].{field}", message)
        for i, m in enumerate(session.measurements)
        for field, message in measurement_problems(m, content)
    ]


def content_warnings(session: Session, content: Content) -> list[Problem]:
    """Entries the content pack does not know: kept, but not rated."""
    found = [
        Problem(f"trials[{i}].treatment", f"{trial.treatment!r} is not in the content pack; not rated", "warning")
        for i, trial in enumerate(session.trials)
        if content.treatment(trial.treatment) is None
    ]
    found += [
        Problem(f"checklist.{item_id}", "not an item of the content pack's checklist", "warning")
        for item_id in session.checklist
        if item_id not in content.checklist_items
    ]
    found += [
        Problem(f"options[{i}].id", f"{note.id!r} is not an option in the content pack", "warning")
        for i, note in enumerate(session.options)
        if note.id not in content.options
    ]
    return found
