"""The session: what a clinician records about one patient's depressive episode.

Plain, immutable attrs records with no I/O and no Textual. Edits produce a new
record with :func:`attrs.evolve`, so an earlier session is an undo step and
"unsaved changes" is a comparison.

Fields with a closed vocabulary convert on construction, so
``Trial(adherence="poor")`` is poor adherence, and a wrong word fails at once.

Every record has an ``extra`` mapping: keys found in a session file that this
version does not know. They are kept and written back unchanged, so a file
written by a newer trd-tui (or annotated by hand) loses nothing here.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

FORMAT = "trd-session"
VERSION = 1


class Choice(enum.StrEnum):
    """A closed vocabulary stored in the file as its lowercase value."""

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]


class Sex(Choice):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class Severity(Choice):
    """Severity of the current episode, in the Maudsley Staging Method's levels."""

    SUBSYNDROMAL = "subsyndromal"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    SEVERE_PSYCHOTIC = "severe-psychotic"


class ReviewStatus(Choice):
    """Where a reassessment checklist item stands."""

    UNREVIEWED = "unreviewed"
    NO_CONCERN = "no-concern"
    CONCERN = "concern"
    FOLLOW_UP = "follow-up"


class Role(Choice):
    MONOTHERAPY = "monotherapy"
    COMBINATION = "combination"
    AUGMENTATION = "augmentation"


class Adherence(Choice):
    GOOD = "good"
    PARTIAL = "partial"
    POOR = "poor"
    UNKNOWN = "unknown"


class Outcome(Choice):
    """How the episode responded to a trial (improvement on a rating scale)."""

    REMISSION = "remission"
    RESPONSE = "response"  # >= 50 % improvement
    PARTIAL = "partial"  # 25-49 %
    NONE = "none"  # < 25 %
    NOT_TOLERATED = "not-tolerated"
    UNKNOWN = "unknown"

    @property
    def words(self) -> str:
        """The outcome in words, as the summary shows it: "not tolerated"."""
        return self.value.replace("-", " ")


class OptionStatus(Choice):
    CONSIDERED = "considered"
    DISCUSSED = "discussed"
    PREFERRED = "preferred"
    PLANNED = "planned"
    DECLINED = "declined"


class Preference(Choice):
    """Where the patient leans on an option, in their own words, recorded in the patient view."""

    TOWARDS = "leaning-towards"
    UNSURE = "unsure"
    AGAINST = "leaning-against"

    @property
    def words(self) -> str:
        """In plain words, as the patient view and the summary say it."""
        return {"leaning-towards": "leaning towards it", "unsure": "not sure yet", "leaning-against": "leaning against it"}[self]


Extra = dict[str, Any]


def _extra() -> Any:
    return attrs.field(factory=dict, kw_only=True)


@attrs.frozen
class SessionInfo:
    visit_date: dt.date
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    clinician: str = ""
    extra: Extra = _extra()


@attrs.frozen
class Patient:
    label: str
    record_id: str = ""
    birth_year: int | None = None
    sex: Sex | None = attrs.field(default=None, converter=attrs.converters.optional(Sex))
    extra: Extra = _extra()


@attrs.frozen
class Episode:
    """The current depressive episode."""

    onset: dt.date | None = None
    severity: Severity | None = attrs.field(default=None, converter=attrs.converters.optional(Severity))
    note: str = ""
    extra: Extra = _extra()


@attrs.frozen
class ChecklistEntry:
    """A reviewed checklist item; the item itself is in the content pack."""

    status: ReviewStatus = attrs.field(default=ReviewStatus.UNREVIEWED, converter=ReviewStatus)
    note: str = ""
    extra: Extra = _extra()


@attrs.frozen(kw_only=True)
class Trial:
    """One treatment trial. ``treatment`` is a content-pack id or free text."""

    treatment: str
    role: Role = attrs.field(default=Role.MONOTHERAPY, converter=Role)
    dose_mg: float | None = None  # highest daily dose sustained, mg/day
    start: dt.date
    dose_reached: dt.date | None = None  # when dose_mg was reached; adequacy counts weeks from it
    end: dt.date | None = None  # None: ongoing at the visit date
    adherence: Adherence = attrs.field(default=Adherence.UNKNOWN, converter=Adherence)
    outcome: Outcome = attrs.field(default=Outcome.UNKNOWN, converter=Outcome)
    stop_reason: str = ""
    side_effects: tuple[str, ...] = ()
    note: str = ""
    extra: Extra = _extra()


@attrs.frozen
class Measurement:
    date: dt.date
    instrument: str
    score: float
    items: tuple[int, ...] | None = None  # item answers, in the instrument's order
    difficulty: int | None = None  # PHQ-9's last question (0-3), not part of the total
    extra: Extra = _extra()


@attrs.frozen
class OptionNote:
    """A treatment option browsed with the patient."""

    id: str
    status: OptionStatus = attrs.field(default=OptionStatus.CONSIDERED, converter=OptionStatus)
    note: str = ""
    preference: Preference | None = attrs.field(default=None, converter=attrs.converters.optional(Preference))
    extra: Extra = _extra()


@attrs.frozen
class Plan:
    text: str = ""
    next_review: dt.date | None = None
    shared: bool = False  # the clinician chose to show the text while the screen is shared
    extra: Extra = _extra()


@attrs.frozen
class Session:
    """Everything recorded for one patient, as stored in one session file."""

    session: SessionInfo
    patient: Patient
    episode: Episode = attrs.field(factory=Episode)
    checklist: dict[str, ChecklistEntry] = attrs.field(factory=dict)
    trials: tuple[Trial, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    options: tuple[OptionNote, ...] = ()
    plan: Plan = attrs.field(factory=Plan)
    extra: Extra = _extra()

    @property
    def visit_date(self) -> dt.date:
        return self.session.visit_date

    @classmethod
    def new(cls, visit_date: dt.date, label: str = "New patient") -> Session:
        return cls(session=SessionInfo(visit_date=visit_date), patient=Patient(label=label))


# -- edits: each returns a new session ---------------------------------------


def with_checklist(session: Session, item_id: str, **changes: Any) -> Session:
    """Set fields (status, note) of one checklist item."""
    entry = session.checklist.get(item_id, ChecklistEntry())
    return attrs.evolve(session, checklist={**session.checklist, item_id: attrs.evolve(entry, **changes)})


def _replaced(records: tuple[Any, ...], index: int | None, record: Any) -> tuple[Any, ...]:
    """``records`` with ``record`` at ``index``, or added at the end when ``index`` is None."""
    return (*records, record) if index is None else (*records[:index], record, *records[index + 1 :])


def with_trial(session: Session, index: int | None, trial: Trial) -> Session:
    """Replace the trial at ``index``, or add it when ``index`` is None."""
    return attrs.evolve(session, trials=_replaced(session.trials, index, trial))


def without_trial(session: Session, index: int) -> Session:
    return attrs.evolve(session, trials=session.trials[:index] + session.trials[index + 1 :])


def with_measurement(session: Session, index: int | None, m: Measurement) -> Session:
    """Replace the measurement at ``index``, or add it when ``index`` is None."""
    return attrs.evolve(session, measurements=_replaced(session.measurements, index, m))


def without_measurement(session: Session, index: int) -> Session:
    return attrs.evolve(session, measurements=session.measurements[:index] + session.measurements[index + 1 :])


def with_option(session: Session, option_id: str, status: OptionStatus | None, note: str = "") -> Session:
    """Mark an option with a status and note; ``None`` removes the mark."""
    others = [o for o in session.options if o.id != option_id]
    existing = next((o for o in session.options if o.id == option_id), None)
    if status is None:
        return attrs.evolve(session, options=tuple(others))
    mark = attrs.evolve(existing, status=status, note=note) if existing else OptionNote(option_id, status, note)
    options = [mark if o.id == option_id else o for o in session.options] if existing else [*session.options, mark]
    return attrs.evolve(session, options=tuple(options))


def with_preference(session: Session, option_id: str, preference: Preference | None) -> Session:
    """Record the patient's preference on an option (None clears it); an unmarked option becomes discussed."""
    existing = option_note(session, option_id)
    if existing is None:
        return attrs.evolve(session, options=(*session.options, OptionNote(option_id, OptionStatus.DISCUSSED, preference=preference)))
    mark = attrs.evolve(existing, preference=preference)
    return attrs.evolve(session, options=tuple(mark if o is existing else o for o in session.options))


def option_note(session: Session, option_id: str) -> OptionNote | None:
    return next((o for o in session.options if o.id == option_id), None)
