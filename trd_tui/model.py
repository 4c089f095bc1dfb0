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
VERSION = 2  # version 1 (one visit per file) is still read; see storage/sessionfile.py


class Choice(enum.StrEnum):
    """A closed vocabulary stored in the file as its lowercase value."""

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]

    @property
    def words(self) -> str:
        """The value in words, as the screen and the summary show it: "no concern", "not tolerated"."""
        return self.value.replace("-", " ")


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

    @property
    def words(self) -> str:
        """As the checklist shows it: "no concern", and "follow-up" as English writes it."""
        return "no concern" if self is ReviewStatus.NO_CONCERN else self.value


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


class OptionStatus(Choice):
    CONSIDERED = "considered"
    DISCUSSED = "discussed"
    PREFERRED = "preferred"
    PLANNED = "planned"
    STARTED = "started"
    STOPPED = "stopped"
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
    """About the file itself; the visit date and clinician are each visit's (:class:`Visit`)."""

    created: dt.datetime | None = None
    updated: dt.datetime | None = None
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
    # The answer was copied forward from the visit of this date and not asked again yet:
    # shown as "carried from DATE", counted "to re-ask", not as reviewed.
    carried_from: dt.date | None = None
    extra: Extra = _extra()


@attrs.frozen(kw_only=True)
class Trial:
    """One treatment trial. ``treatment`` is a content-pack id or free text."""

    treatment: str
    role: Role = attrs.field(default=Role.MONOTHERAPY, converter=Role)
    dose_mg: float | None = None  # highest dose sustained in mg: a day's, or one dose's where the pack says (pack/doses.py)
    start: dt.date
    dose_reached: dt.date | None = None  # when dose_mg was reached; adequacy counts weeks from it
    end: dt.date | None = None  # None: ongoing at the visit date
    adherence: Adherence = attrs.field(default=Adherence.UNKNOWN, converter=Adherence)
    outcome: Outcome = attrs.field(default=Outcome.UNKNOWN, converter=Outcome)
    stop_reason: str = ""
    side_effects: tuple[str, ...] = ()
    note: str = ""
    # Treatment id of the trial this one augments or combines with: the base trial's
    # outcome is judged up to this trial's start.
    augments: str | None = None
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
    since: dt.date | None = None  # the date this status was set
    extra: Extra = _extra()


@attrs.frozen
class Plan:
    text: str = ""
    next_review: dt.date | None = None
    shared: bool = False  # the clinician chose to show the text while the screen is shared
    extra: Extra = _extra()


@attrs.frozen
class Visit:
    """One consultation: what was asked, discussed and planned that day.

    Patient, episode, trials and measurements are patient-level timelines (each
    dated); a visit holds what belongs to one day. Only the current (last) visit
    is edited; earlier ones are history.
    """

    date: dt.date
    clinician: str = ""
    checklist: dict[str, ChecklistEntry] = attrs.field(factory=dict)
    options: tuple[OptionNote, ...] = ()
    plan: Plan = attrs.field(factory=Plan)
    safety_alerts: tuple[str, ...] = ()  # the alert texts active at this visit, recorded on save
    extra: Extra = _extra()


@attrs.frozen
class Session:
    """Everything recorded for one patient, as stored in one session file.

    ``visits`` is never empty (the file check says so); the last is the current visit.
    """

    session: SessionInfo
    patient: Patient
    episode: Episode = attrs.field(factory=Episode)
    trials: tuple[Trial, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    visits: tuple[Visit, ...] = ()
    extra: Extra = _extra()

    # Read-only views of the current visit, so readers need not know about the history.

    @property
    def visit(self) -> Visit:
        return self.visits[-1]

    @property
    def visit_date(self) -> dt.date:
        return self.visits[-1].date

    @property
    def checklist(self) -> dict[str, ChecklistEntry]:
        return self.visits[-1].checklist

    @property
    def options(self) -> tuple[OptionNote, ...]:
        return self.visits[-1].options

    @property
    def plan(self) -> Plan:
        return self.visits[-1].plan

    @property
    def previous_visit(self) -> Visit | None:
        return self.visits[-2] if len(self.visits) > 1 else None

    @classmethod
    def new(cls, visit_date: dt.date, label: str = "New patient") -> Session:
        return cls(session=SessionInfo(), patient=Patient(label=label), visits=(Visit(visit_date),))


# -- edits: each returns a new session ---------------------------------------
# Every edit of a visit touches only the current (last) visit: earlier ones are history.


def with_visit(session: Session, **changes: Any) -> Session:
    """Set fields of the current visit (date, clinician, checklist, options, plan, safety_alerts)."""
    return attrs.evolve(session, visits=(*session.visits[:-1], attrs.evolve(session.visit, **changes)))


def with_plan(session: Session, plan: Plan) -> Session:
    return with_visit(session, plan=plan)


def start_visit(session: Session, today: dt.date) -> Session:
    """Append a new current visit dated ``today``, carrying the last one forward.

    Checklist answers are copied marked ``carried_from`` the last visit's date (an
    answer carried before keeps the date it was given); option marks and preferences
    are copied with their dates; the plan starts empty; the clinician stays.
    """
    last = session.visit
    if today <= last.date:
        raise ValueError(f"a new visit must be after the last one ({last.date.isoformat()})")
    checklist = {
        item_id: attrs.evolve(entry, carried_from=entry.carried_from or last.date)
        for item_id, entry in last.checklist.items()
        if entry.status is not ReviewStatus.UNREVIEWED or entry.note
    }
    visit = Visit(today, last.clinician, checklist, last.options)
    return attrs.evolve(session, visits=(*session.visits, visit))


def as_of(session: Session, day: dt.date) -> Session:
    """The session as it stood at the visit of ``day`` (ValueError if none): later visits, trials and
    scores left out; a trial that ended later was ongoing then, its end and outcome not yet known."""
    index = next((i for i, v in enumerate(session.visits) if v.date == day), None)
    if index is None:
        dates = ", ".join(v.date.isoformat() for v in session.visits)
        raise ValueError(f"no visit on {day.isoformat()}; the visits are on {dates}")
    ongoing = {"end": None, "outcome": Outcome.UNKNOWN, "stop_reason": ""}
    trials = tuple(
        t if t.end is None or t.end <= day else attrs.evolve(t, **ongoing) for t in session.trials if t.start <= day
    )
    return attrs.evolve(
        session,
        visits=session.visits[: index + 1],
        trials=trials,
        measurements=tuple(m for m in session.measurements if m.date <= day),
    )


def with_checklist(session: Session, item_id: str, **changes: Any) -> Session:
    """Set fields (status, note) of one checklist item; setting either means it was asked again."""
    entry = session.checklist.get(item_id, ChecklistEntry())
    if "status" in changes or "note" in changes:
        changes = {"carried_from": None, **changes}
    return with_visit(session, checklist={**session.checklist, item_id: attrs.evolve(entry, **changes)})


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
    """Mark an option with a status and note; ``None`` removes the mark.

    A new status is dated the visit's date (``since``); a changed note keeps the date.
    """
    existing = option_note(session, option_id)
    if status is None:
        return with_visit(session, options=tuple(o for o in session.options if o.id != option_id))
    if existing is None:
        return with_visit(session, options=(*session.options, OptionNote(option_id, status, note, since=session.visit_date)))
    since = existing.since if existing.status is status else session.visit_date
    return _with_mark(session, existing, attrs.evolve(existing, status=OptionStatus(status), note=note, since=since))


def with_preference(session: Session, option_id: str, preference: Preference | None) -> Session:
    """Record the patient's preference on an option (None clears it); an unmarked option becomes discussed."""
    existing = option_note(session, option_id)
    if existing is None:
        mark = OptionNote(option_id, OptionStatus.DISCUSSED, preference=preference, since=session.visit_date)
        return with_visit(session, options=(*session.options, mark))
    return _with_mark(session, existing, attrs.evolve(existing, preference=preference))


def _with_mark(session: Session, existing: OptionNote, mark: OptionNote) -> Session:
    return with_visit(session, options=tuple(mark if o is existing else o for o in session.options))


def option_note(session: Session, option_id: str) -> OptionNote | None:
    return next((o for o in session.options if o.id == option_id), None)
