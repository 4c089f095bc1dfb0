"""An open session: the session being edited, its file, what is saved, and undo.

Headless (no Textual), so the file lifecycle is tested without a terminal: opening,
holding the file's lock (read-only when another trd-tui holds it or no lock can be
written), the recovery copies a crash left, the recent-files list, changes made
underneath, and saving (with the lock moving to a new file). The app owns one
Document, asks it for all of this, and only shows the dialogs and messages.

Messages for the user (:attr:`Document.notices`) never name the file or the patient:
the app may be showing a shared screen.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from trd_tui.model import Measurement, Session, start_visit, with_visit
from trd_tui.pack.doses import unit_of
from trd_tui.storage import locks, recent, recovery, sessionfile, validate
from trd_tui.storage.atomic import SaveError, disk_bytes, remove_stale_temporaries
from trd_tui.storage.locks import LockHolder
from trd_tui.storage.recovery import RecoveryCopy
from trd_tui.tomlconv import Problem

if TYPE_CHECKING:
    from trd_tui.pack.records import Content

UNDO_LIMIT = 200


@attrs.define
class Document:
    session: Session
    path: Path | None = None  # None: untitled, saving asks for a path
    saved: Session | None = None  # the last session read or written (or the starting one)
    warnings: list[Problem] = attrs.field(factory=list)
    on_disk: bytes | None = attrs.field(default=None, repr=False)  # the file as last read or written
    read_only: bool = False  # another instance holds the file, or it cannot be locked: save as only
    recovery: Path | None = None  # where unsaved work is written aside, once there is some
    notices: list[str] = attrs.field(factory=list)  # for the user; see take_notices
    _undo: list[tuple[Session, str]] = attrs.field(factory=list, alias="_undo")

    @classmethod
    def open(cls, path: Path, content: Content | None = None) -> Document:
        """Open a session file; raises :class:`sessionfile.SessionFileError`.

        Temporary files that killed saves left beside it are removed.
        """
        result = read_checked(path, content)
        remove_stale_temporaries(path)
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
    def recovered(cls, copy: RecoveryCopy, *, keep_both: bool) -> Document:
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

    def take_notices(self) -> list[str]:
        """The messages gathered since last asked (a lock not written, a backup not kept)."""
        found, self.notices = self.notices, []
        return found

    # -- the file's lock --------------------------------------------------------

    def lock(self, *, take_over: bool = False) -> LockHolder | None:
        """Hold the file for this process; return the other trd-tui holding it, if one does.

        The caller then offers to open it read-only or take it over. When no lock can
        be written (a full disk, a folder this user cannot write) the document becomes
        read-only, with a notice saying why: saving over the file could not be made safe.
        """
        if self.path is None or not self.path.exists():
            return None
        try:
            return locks.acquire_lock(self.path, take_over=take_over)
        except SaveError as exc:
            self.read_only = True
            self.notices.append(f"{_sentence(exc)}, so it is open read-only; Save as still works.")
            return None

    def close(self) -> None:
        """Let go of the file (its lock) and of the recovery copy: the user settled the changes."""
        self.release()
        self.discard_recovery()

    def release(self) -> None:
        """Let go of the file's lock, keeping any recovery copy (the app ends without asking)."""
        if self.path is not None and not self.read_only:
            locks.release_lock(self.path)

    def remember(self) -> None:
        """Put the file first in the recent-files list (an untitled or unsaved one is not listed)."""
        if self.path is not None and self.path.exists():
            recent.remember(self.path)

    # -- unsaved work -------------------------------------------------------------

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

    # -- visits -------------------------------------------------------------------

    def needs_new_visit(self, today: dt.date) -> bool:
        """Whether the current visit is before ``today``: the app then offers to start today's."""
        return self.session.visit_date < today

    def start_visit(self, today: dt.date) -> None:
        """Start today's visit (an undoable edit): answers carried forward, an empty plan."""
        self.apply(start_visit(self.session, today), "start today's visit")

    # -- saving -------------------------------------------------------------------

    def can_save_over(self, path: Path) -> bool:
        """False for this document's own file while it is open read-only (save as only)."""
        return not (self.read_only and path == self.path)

    def changed_on_disk(self, path: Path | None = None) -> bool:
        """Whether the file was changed by someone else since it was read or saved here."""
        target = path or self.path
        if target is None or target != self.path:
            return False
        return disk_bytes(target) != self.on_disk

    def save(
        self, path: Path | None = None, *, now: dt.datetime | None = None, safety_alerts: tuple[str, ...] | None = None
    ) -> Path:
        """Save to ``path`` (or the current path); raises :class:`~trd_tui.storage.atomic.SaveError`.

        Changes are stamped ``updated`` (and ``created`` the first time); a session
        saved without edits keeps its bytes. ``safety_alerts``, the alerts active now,
        are recorded in the current visit of an edited session, so the history keeps
        them once cleared.
        Saved to another file, the lock moves with it. A backup that could not be
        kept is a notice; the save still counts. A file read as version 1 is written
        as version 2; the v1 file is then the backup (``FILE.bak``).
        """
        target = path or self.path
        if target is None:
            raise ValueError("an untitled session needs a path")
        session = self.session
        if self.dirty and safety_alerts is not None and safety_alerts != session.visit.safety_alerts:
            session = with_visit(session, safety_alerts=safety_alerts)
        dirty = session != self.saved
        stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        info = session.session
        if dirty:
            info = attrs.evolve(info, updated=stamp)
        if info.created is None:
            info = attrs.evolve(info, created=stamp, updated=info.updated or stamp)
        session = attrs.evolve(session, session=info)
        self.notices += [f"Saved, but {warning}." for warning in sessionfile.save_session(session, target)]
        previous = self.path
        self.session = self.saved = session
        self.path = target
        self.on_disk = disk_bytes(target)
        self.discard_recovery()
        remove_stale_temporaries(target)
        if target != previous:
            self._move_lock(previous)
        self.read_only = False
        return target

    def _move_lock(self, previous: Path | None) -> None:
        if previous is not None:
            locks.release_lock(previous)
        try:
            locks.acquire_lock(self.path, take_over=True)  # type: ignore[arg-type]
        except SaveError as exc:
            self.notices.append(f"Saved, but {_sentence(exc, capital=False)}: another window could write over it.")


def _sentence(exc: SaveError, *, capital: bool = True) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:] if capital else text


# -- the recovery offer ----------------------------------------------------------------


def recovery_offers() -> list[RecoveryCopy]:
    """Unsaved work worth offering back, newest first.

    A copy is offered when the trd-tui that wrote it is gone (crashed or killed) and
    its file is absent or older than the copy. The app asks, per copy: restore it
    (:meth:`Document.recovered`), keep both (the same, as an untitled copy), or
    :func:`discard_offer`.
    """
    return [copy for copy in recovery.recovery_copies() if copy.orphaned() and copy.newer_than_source()]


def discard_offer(copy: RecoveryCopy) -> None:
    recovery.discard_recovery(copy.path)


# -- the session checked against the content pack ------------------------------------
# Here rather than in storage: the session format does not depend on the clinical rules
# or the pack, so storage imports neither.


def read_checked(path: Path, content: Content | None = None) -> sessionfile.ReadResult:
    """Read a session file and, given the content pack, check it against the pack too.

    Raises :class:`sessionfile.SessionFileError` with every problem, the pack's among
    them: rating-scale entries that do not add up make the file invalid; entries the
    pack does not know are warnings.
    """
    if content is None:
        return sessionfile.read_session(path)
    result = sessionfile.read_session(path, functools.partial(content_problems, content=content))
    return attrs.evolve(result, warnings=result.warnings + content_warnings(result.session, content))


def content_problems(session: Any, content: Content) -> list[Problem]:
    """Errors only the content pack can see: rating-scale entries that do not add up.

    ``session`` may be a stand-in for a file with other problems; only its measurements
    that read whole are judged.
    """
    from trd_tui.clinical.scales import measurement_problems

    return [
        Problem(f"measurements[{i}].{field}", message)
        for i, m in enumerate(session.measurements or ())
        if isinstance(m, Measurement)
        for field, message in measurement_problems(m, content)
    ]


_UNKNOWN_SCALE = f"no bands, and its totals are only checked to lie from 0 to {validate.MAX_SCORE}"


def _free_text_warning(treatment: str, content: Content) -> str:
    closest = content.closest_treatment(treatment)
    hint = f"; closest in the pack: {closest[1]}" if closest else "; nothing in the pack is close"
    return f"{treatment!r} is free text, not in the content pack: not rated and not counted{hint}"


def content_warnings(session: Session, content: Content) -> list[Problem]:
    """Entries the content pack does not know: kept, but not rated; free text names its closest match."""
    found = [
        Problem(f"trials[{i}].treatment", _free_text_warning(trial.treatment, content), "warning")
        for i, trial in enumerate(session.trials)
        if content.treatment(trial.treatment) is None
    ]
    at = f"visits[{len(session.visits) - 1}]"  # the current visit; earlier ones are history
    found += [
        Problem(f"{at}.checklist.{item_id}", "not an item of the content pack's checklist", "warning")
        for item_id in session.checklist
        if item_id not in content.checklist_items
    ]
    found += [
        Problem(f"measurements[{i}].instrument", f"{m.instrument!r} is not an instrument of the content pack; {_UNKNOWN_SCALE}", "warning")
        for i, m in enumerate(session.measurements)
        if content.instrument(m.instrument) is None
    ]
    found += [
        Problem(f"{at}.options[{i}].id", f"{note.id!r} is not an option in the content pack", "warning")
        for i, note in enumerate(session.options)
        if note.id not in content.options
    ]
    return found + _augments_warnings(session, content) + _dose_warnings(session, content)


def _dose_warnings(session: Session, content: Content) -> list[Problem]:
    """Doses that read wrongly in their treatment's unit (pack/doses.py): kept, and named."""
    found = []
    for i, trial in enumerate(session.trials):
        known = content.treatment(trial.treatment)
        if known is not None and trial.dose_mg is not None and (doubt := unit_of(known).doubt(trial.dose_mg, known.name)):
            found.append(Problem(f"trials[{i}].dose_mg", doubt, "warning"))
    return found


def _augments_warnings(session: Session, content: Content) -> list[Problem]:
    """A trial naming a base trial it cannot have been added to: kept, but the base trial is judged
    as if nothing were added (the trial form refuses this; a file written by hand may have it)."""
    from trd_tui.clinical.trial_defaults import augments_problem

    found = []
    for i, trial in enumerate(session.trials):
        if trial.augments and (problem := augments_problem(trial, session.trials, content, session.visit_date)):
            found.append(Problem(f"trials[{i}].augments", f"{problem}; no trial is judged as augmented by it", "warning"))
    return found
