"""The assessment of a session: everything the views show, computed in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.relevance import Facts, relevance
from trd_tui.clinical.response import by_instrument
from trd_tui.clinical.safety import SafetyAlert, safety_alerts
from trd_tui.clinical.scales import band
from trd_tui.clinical.staging import MaudsleyResult, ThaseRush, complete_months, maudsley, thase_rush
from trd_tui.clinical.trd import TRDStatus, TrialAssessment, assess_trial, trd_status
from trd_tui.model import Outcome, ReviewStatus, Session

if TYPE_CHECKING:
    from trd_tui.pack.records import Content

FLAGGED = (ReviewStatus.CONCERN, ReviewStatus.FOLLOW_UP)


@attrs.frozen
class ChecklistProgress:
    reviewed: int
    total: int
    concerns: int
    follow_ups: int
    by_section: dict[str, tuple[int, int]]  # section id -> (reviewed, total)
    flagged: tuple[str, ...]  # item ids marked concern or follow-up, in pack order


@attrs.frozen
class Assessment:
    session: Session
    trials: tuple[TrialAssessment, ...]  # in the session's order
    trd: TRDStatus
    maudsley: MaudsleyResult
    thase_rush: ThaseRush
    checklist: ChecklistProgress
    safety: tuple[SafetyAlert, ...]
    relevant_options: dict[str, tuple[str, ...]]  # option id -> reasons, only relevant ones
    episode_months: int | None  # complete months since onset, if known
    measurement_bands: tuple[str | None, ...]  # severity band of each measurement, session order


def checklist_progress(session: Session, content: Content) -> ChecklistProgress:
    def status(item_id: str) -> ReviewStatus:
        entry = session.checklist.get(item_id)
        return entry.status if entry else ReviewStatus.UNREVIEWED

    by_section = {}
    for section in content.sections:
        items = content.items_in(section.id)
        by_section[section.id] = (sum(status(i.id) is not ReviewStatus.UNREVIEWED for i in items), len(items))
    statuses = [status(item_id) for item_id in content.checklist_items]
    return ChecklistProgress(
        reviewed=sum(s is not ReviewStatus.UNREVIEWED for s in statuses),
        total=len(statuses),
        concerns=statuses.count(ReviewStatus.CONCERN),
        follow_ups=statuses.count(ReviewStatus.FOLLOW_UP),
        by_section=by_section,
        flagged=tuple(i for i in content.checklist_items if status(i) in FLAGGED),
    )


def assess(session: Session, content: Content) -> Assessment:
    """Assess a session against a content pack. Pure: same inputs, same result."""
    visit = session.visit_date
    series = by_instrument(session.measurements, content)
    trials = [assess_trial(i, t, session.episode, content, visit, series) for i, t in enumerate(session.trials)]
    trd = trd_status(trials, content)
    maudsley_result = maudsley(session.episode, visit, trials, trd.failed_adequate_antidepressants)
    thase = thase_rush(trials)
    checklist = checklist_progress(session, content)
    safety = safety_alerts(session, content)
    facts = Facts(
        failed=trd.failed_adequate_antidepressants,
        inadequate_trials=len(trd.inadequate_trials),
        partial_response=any(t.current_episode and t.trial.outcome is Outcome.PARTIAL for t in trials),
        flagged={i: content.checklist_items[i].label for i in checklist.flagged},
        severity=session.episode.severity,
        safety_alert=bool(safety),
    )
    relevant = {
        option.id: reasons
        for option in content.options.values()
        if (reasons := relevance(option.consider_when, facts))
    }
    onset = session.episode.onset
    return Assessment(
        session=session,
        trials=tuple(trials),
        trd=trd,
        maudsley=maudsley_result,
        thase_rush=thase,
        checklist=checklist,
        safety=tuple(safety),
        relevant_options=relevant,
        episode_months=complete_months(onset, visit) if onset else None,
        measurement_bands=tuple(band(m, content) for m in session.measurements),
    )
