"""The assessment of a session: everything the views show, computed in one place."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.next_steps import NextSteps, next_steps
from trd_tui.clinical.relevance import Facts, holds
from trd_tui.clinical.response import by_instrument
from trd_tui.clinical.safety import SafetyAlert, high_risk, safety_alerts
from trd_tui.clinical.scales import band
from trd_tui.clinical.staging import MaudsleyResult, ThaseRush, complete_months, maudsley, thase_rush
from trd_tui.clinical.since import SinceVisit, TimelineChanges, since_visit, timeline_changes
from trd_tui.clinical.trd import TRDStatus, TrialAssessment, assess_trial, augmentations, augmented_from, trd_status
from trd_tui.model import Outcome, ReviewStatus, Session

if TYPE_CHECKING:
    from trd_tui.pack.records import Caution, Content, CrisisResource

FLAGGED = (ReviewStatus.CONCERN, ReviewStatus.FOLLOW_UP)


@attrs.frozen
class ChecklistProgress:
    reviewed: int  # asked at this visit (an answer carried from an earlier visit is not)
    total: int
    concerns: int
    follow_ups: int
    by_section: dict[str, tuple[int, int]]  # section id -> (reviewed, total)
    flagged: tuple[str, ...]  # item ids marked concern or follow-up, in pack order (carried ones too)
    to_reask: int = 0  # answers carried from an earlier visit and not asked again yet


@attrs.frozen
class Assessment:
    session: Session
    trials: tuple[TrialAssessment, ...]  # in the session's order
    trd: TRDStatus
    maudsley: MaudsleyResult
    thase_rush: ThaseRush
    checklist: ChecklistProgress
    safety: tuple[SafetyAlert, ...]
    next_steps: NextSteps  # every option in a tier or not now, with reasons
    episode_months: int | None  # complete months since onset, if known
    measurement_bands: tuple[str | None, ...]  # severity band of each measurement, session order
    #: option id -> the cautions of the treatments it is about, each with the reason it applies
    #: now (None: it does not apply to this patient now); options without cautions are left out.
    option_cautions: dict[str, tuple[tuple[Caution, str | None], ...]] = attrs.field(factory=dict)
    region: str = "US"  # the preference whose crisis resources ``crisis`` holds
    crisis: tuple[CrisisResource, ...] = ()  # the crisis resources to show with a safety alert
    since: SinceVisit | None = None  # changes since the previous visit; None at the first visit


def checklist_progress(session: Session, content: Content) -> ChecklistProgress:
    def status(item_id: str) -> ReviewStatus:
        entry = session.checklist.get(item_id)
        return entry.status if entry else ReviewStatus.UNREVIEWED

    def reviewed(item_id: str) -> bool:
        entry = session.checklist.get(item_id)
        return entry is not None and entry.status is not ReviewStatus.UNREVIEWED and entry.carried_from is None

    by_section = {}
    for section in content.sections:
        items = content.items_in(section.id)
        by_section[section.id] = (sum(reviewed(i.id) for i in items), len(items))
    statuses = [status(item_id) for item_id in content.checklist_items]
    carried = [i for i in content.checklist_items if (e := session.checklist.get(i)) and e.carried_from is not None]
    return ChecklistProgress(
        to_reask=len(carried),
        reviewed=sum(reviewed(i) for i in content.checklist_items),
        total=len(statuses),
        concerns=statuses.count(ReviewStatus.CONCERN),
        follow_ups=statuses.count(ReviewStatus.FOLLOW_UP),
        by_section=by_section,
        flagged=tuple(i for i in content.checklist_items if status(i) in FLAGGED),
    )


@attrs.frozen
class Course:
    """What follows from the patient-level timelines alone (trials, episode, measurements) at a
    visit, and since the visit before it."""

    trials: tuple[TrialAssessment, ...]  # in the session's order
    trd: TRDStatus
    maudsley: MaudsleyResult
    thase_rush: ThaseRush
    measurement_bands: tuple[str | None, ...]  # severity band of each measurement, session order
    taking: dict[str, tuple[str, float, dt.date | None]]  # see _taking
    since: TimelineChanges | None  # trials and scores since the previous visit; None at the first


def course(session: Session, content: Content) -> Course:
    """Rate every trial, then TRD status and staging, from the session's timelines."""
    visit = session.visit_date
    previous = session.previous_visit
    series = by_instrument(session.measurements, content)
    added = augmentations(session.trials, content)
    trials = [
        assess_trial(i, t, session.episode, content, visit, series, augmented_from(t, added, content, visit))
        for i, t in enumerate(session.trials)
    ]
    trd = trd_status(trials, content)
    return Course(
        trials=tuple(trials),
        trd=trd,
        maudsley=maudsley(session.episode, visit, trials, trd.failed_adequate_antidepressants),
        thase_rush=thase_rush(trials, content),
        measurement_bands=tuple(band(m, content) for m in session.measurements),
        taking=_taking(trials, visit),
        since=timeline_changes(session, previous.date, visit, content) if previous else None,
    )


class _LastCourse:
    """The course of the last session assessed, given again while its timelines are the same objects.

    Records are frozen and an edit replaces only what it changes, so an edit of the checklist,
    options or plan keeps the trials, episode and measurements as they were: a checklist key
    need not rate every trial again. Inputs are compared by identity (and the dates of the
    visit and the one before by value), which can miss a chance to reuse but never reuse a
    stale course.
    """

    def __init__(self) -> None:
        self._records: tuple[object, ...] = (None, None, None, None)
        self._dates: tuple[dt.date | None, ...] = ()
        self._course: Course | None = None

    def of(self, session: Session, content: Content) -> Course:
        records = (session.trials, session.episode, session.measurements, content)
        previous = session.previous_visit
        dates = (session.visit_date, previous.date if previous else None)
        changed = any(now is not then for now, then in zip(records, self._records, strict=True))
        if self._course is None or changed or dates != self._dates:
            self._records, self._dates = records, dates
            self._course = course(session, content)
        return self._course


_LAST_COURSE = _LastCourse()


def assess(session: Session, content: Content, *, region: str = "US") -> Assessment:
    """Assess a session against a content pack. Pure: same inputs, same result.

    ``region`` (an ISO 3166 code, the user's preference) chooses the crisis resources.
    """
    visit = session.visit_date
    course = _LAST_COURSE.of(session, content)
    trials, trd = course.trials, course.trd
    checklist = checklist_progress(session, content)
    safety = safety_alerts(session, content)
    facts = Facts(
        failed=trd.failed_adequate_antidepressants,
        inadequate_trials=len(trd.inadequate_trials),
        partial_response=next((t.name for t in trials if _ongoing(t, visit) and t.trial.outcome is Outcome.PARTIAL), ""),
        not_tolerated=len(trd.not_tolerated),
        high_risk=high_risk(session, content),
        flagged={i: content.checklist_items[i].label for i in checklist.flagged},
        severity=session.episode.severity,
        safety_alert=bool(safety),
        taking=course.taking,
        age=session.visit_date.year - session.patient.birth_year if session.patient.birth_year else None,
    )
    cautions = {
        option.id: tuple((c, holds(c.applies_when, facts)) for c in found)
        for option in content.options.values()
        if (found := content.cautions_for(option.treatments))
    }
    onset = session.episode.onset
    return Assessment(
        session=session,
        trials=course.trials,
        trd=trd,
        maudsley=course.maudsley,
        thase_rush=course.thase_rush,
        checklist=checklist,
        safety=tuple(safety),
        next_steps=next_steps(session, trials, facts, content, cautions),
        episode_months=complete_months(onset, visit) if onset else None,
        measurement_bands=course.measurement_bands,
        option_cautions=cautions,
        region=region,
        crisis=content.rules.crisis_for(region),
        since=since_visit(session, content, tuple(alert.message for alert in safety), timelines=course.since),
    )


def _ongoing(t: TrialAssessment, visit: dt.date) -> bool:
    """A trial of this episode still going at the visit: "partial response" means on such a trial."""
    return t.current_episode and (t.trial.end is None or t.trial.end >= visit)


def _taking(trials: list[TrialAssessment], visit: dt.date) -> dict[str, tuple[str, float, dt.date | None]]:
    """Treatment and class ids of the session's trials -> (name, weeks since the latest ended,
    0 while ongoing; the last dose, None while ongoing), at the visit of ``visit``."""
    found: dict[str, tuple[str, float, dt.date | None]] = {}
    for t in trials:
        if t.treatment is None:
            continue
        end = t.trial.end
        ongoing = end is None or end >= visit
        weeks = 0.0 if ongoing else (visit - end).days / 7
        for some_id in filter(None, (t.treatment.id, t.treatment.class_)):
            if some_id not in found or weeks < found[some_id][1]:
                found[some_id] = (t.treatment.name, weeks, None if ongoing else end)
    return found
