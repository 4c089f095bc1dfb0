"""Since last visit: what changed between an earlier visit and the current one.

Trials and scores are patient-level timelines, so their changes are read from
their dates (what started, ended or was scored after the earlier visit); the
checklist, option marks, plan and recorded safety alerts are each visit's own, so
theirs are read by comparing the two visits. Every item carries the words a
clinician reads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.response import instrument_groups
from trd_tui.clinical.scales import band
from trd_tui.clinical.trd import augmentations, treatment_key
from trd_tui.model import Measurement, OptionNote, Plan, ReviewStatus, Session, Trial, Visit, as_of
from trd_tui.pack.doses import unit_of

if TYPE_CHECKING:
    from trd_tui.pack.records import Content

PHQ9 = "PHQ-9"
#: What the summary and the app say when two visits differ in none of the kinds of change.
NOTHING_CHANGED = "No trial, score, checklist answer, safety alert or option mark changed."


@attrs.frozen
class ScoreChange:
    """One instrument's latest score at the earlier visit and now."""

    instrument: str
    then: Measurement | None  # latest on or before the earlier visit
    now: Measurement | None  # latest on or before the current visit
    then_band: str | None
    now_band: str | None
    text: str

    @property
    def change(self) -> float | None:
        return None if self.then is None or self.now is None else self.now.score - self.then.score


@attrs.frozen
class SinceVisit:
    """The changes from ``earlier`` to ``current``; each tuple of texts is in the order shown."""

    earlier: Visit
    current: Visit
    trials: tuple[str, ...]
    scores: tuple[ScoreChange, ...]
    checklist: tuple[str, ...]
    safety_raised: tuple[str, ...]
    safety_cleared: tuple[str, ...]
    options: tuple[str, ...]

    @property
    def previous_plan(self) -> Plan:
        return self.earlier.plan

    @property
    def weeks(self) -> int:
        """Whole weeks between the two visits ("last visit N weeks ago")."""
        return (self.current.date - self.earlier.date).days // 7

    def sections(self) -> list[tuple[str, tuple[str, ...]]]:
        """(title, texts) of each kind of change, in the order shown; the kinds with no change left out."""
        parts = [
            ("Trials", self.trials),
            ("Scores then and now", tuple(x.text for x in self.scores)),
            ("Checklist answers changed", self.checklist),
            ("Safety alerts raised", self.safety_raised),
            ("Safety alerts cleared", self.safety_cleared),
            ("Options", self.options),
        ]
        return [(title, texts) for title, texts in parts if texts]


@attrs.frozen
class TimelineChanges:
    """What changed in the patient-level timelines (trials and scores) from ``then`` to ``now``."""

    then: dt.date
    now: dt.date
    trials: tuple[str, ...]
    scores: tuple[ScoreChange, ...]


def timeline_changes(session: Session, then: dt.date, now: dt.date, content: Content) -> TimelineChanges:
    """The trials started, changed or ended and the scores from ``then`` to ``now``, read from
    the session's trials and measurements alone."""
    trials = tuple(_trial_changes(session.trials, then, now, content))
    return TimelineChanges(then, now, trials, tuple(_score_changes(session, then, now, content)))


def since_visit(
    session: Session, content: Content, alerts: tuple[str, ...], earlier: int = -2, timelines: TimelineChanges | None = None
) -> SinceVisit | None:
    """The changes from ``session.visits[earlier]`` to the current visit; None with one visit.

    ``alerts`` are the safety alerts active now (the assessment's), compared with the
    ones recorded at the earlier visit. To compare two past visits, pass the session
    as it stood at the later one (:func:`trd_tui.model.as_of`). ``timelines``: the
    :func:`timeline_changes` of this session's trials and measurements, when the caller
    has them already; they are used only if they are between the same two dates.
    """
    if len(session.visits) < 2 or not -len(session.visits) <= earlier < len(session.visits) - 1 or earlier == -1:
        return None
    before, now = session.visits[earlier], session.visit
    if timelines is None or (timelines.then, timelines.now) != (before.date, now.date):
        timelines = timeline_changes(session, before.date, now.date, content)
    return SinceVisit(
        earlier=before,
        current=now,
        trials=timelines.trials,
        scores=timelines.scores,
        checklist=tuple(_checklist_changes(before, now, content)),
        safety_raised=tuple(a for a in alerts if a not in before.safety_alerts),
        safety_cleared=tuple(a for a in before.safety_alerts if a not in alerts),
        options=tuple(_option_changes(before.options, now.options, content)),
    )


def changes_at(session: Session, content: Content, index: int, alerts: tuple[str, ...]) -> SinceVisit | None:
    """What changed between visit ``index - 1`` and visit ``index`` (0 the first; None for it).

    The current visit is compared as :func:`since_visit` compares it, with ``alerts``, the
    alerts active now; an earlier one as the session stood at it (:func:`trd_tui.model.as_of`),
    with the alerts recorded at it. Each call computes one pair of visits only.
    """
    visits = session.visits
    if not 0 < index < len(visits):
        return None
    if index == len(visits) - 1:
        return since_visit(session, content, alerts)
    visit = visits[index]
    return since_visit(as_of(session, visit.date), content, visit.safety_alerts)


def _name(treatment: str, content: Content) -> str:
    found = content.treatment(treatment)
    return found.name if found else treatment


def _trial_changes(trials: tuple[Trial, ...], then: dt.date, now: dt.date, content: Content) -> list[str]:
    found = []
    added = augmentations(trials, content)
    for t in sorted(trials, key=lambda t: t.start):
        started = then < t.start <= now
        ended = t.end is not None and then < t.end <= now
        joined = [
            other for other in added.get(treatment_key(t.treatment, content), ()) if then < other.start <= now
        ] if added and not ended and t.start <= then else []
        if not (started or ended or joined):
            continue  # most trials of a long history: nothing to say, not even their name
        name = _name(t.treatment, content)
        if started:
            dose = f" {unit_of(content.treatment(t.treatment)).text(t.dose_mg)}" if t.dose_mg is not None else ""
            base = f" ({t.role.value} with {_name(t.augments, content)})" if t.augments else ""
            found.append(f"Started {name}{dose}{base} on {t.start.isoformat()}")
        if ended:
            found.append(f"Ended {name} on {t.end.isoformat()}: outcome {t.outcome.words}")  # type: ignore[union-attr]
        found += [f"{name}: {o.role.value} with {_name(o.treatment, content)} from {o.start.isoformat()}" for o in joined]
    return found


def _score_changes(session: Session, then: dt.date, now: dt.date, content: Content) -> list[ScoreChange]:
    groups = instrument_groups((m for m in session.measurements if m.date <= now), content)
    # Depression instruments (those with a remission threshold) first, then the others in their order.
    order = sorted(groups, key=lambda k: (i := content.instrument(k)) is None or i.remission_max is None)
    found = []
    for key in order:
        ms = groups[key]
        before = [m for m in ms if m.date <= then]
        old, new = (before[-1] if before else None), ms[-1]
        if new is old:
            new = None  # nothing scored since
        found.append(_score_change(old, new, content))
    return found


def _score_change(then: Measurement | None, now: Measurement | None, content: Content) -> ScoreChange:
    m = now or then
    assert m is not None  # a group has at least one measurement
    then_band = band(then, content) if then else None
    now_band = band(now, content) if now else None

    def said(x: Measurement, b: str | None) -> str:
        return f"{x.score:g}" + (f" ({b})" if b else "") + f" on {x.date.isoformat()}"

    if then is None:
        text = f"{m.instrument}: {said(m, now_band)}, the first"
    elif now is None:
        text = f"{m.instrument}: {said(then, then_band)}; none since"
    else:
        diff = now.score - then.score
        text = f"{m.instrument}: {said(then, then_band)} → {said(now, now_band)} ({diff:+g})"
    return ScoreChange(m.instrument, then, now, then_band, now_band, text)


def _checklist_changes(before: Visit, now: Visit, content: Content) -> list[str]:
    def status(visit: Visit, item_id: str) -> ReviewStatus:
        entry = visit.checklist.get(item_id)
        return entry.status if entry else ReviewStatus.UNREVIEWED

    ids = list(content.checklist_items) + [i for i in {**before.checklist, **now.checklist} if i not in content.checklist_items]
    found = []
    for item_id in ids:
        old, new = status(before, item_id), status(now, item_id)
        if old is not new:
            item = content.checklist_items.get(item_id)
            found.append(f"{item.label if item else item_id}: {old.words} → {new.words}")
    return found


def _option_changes(before: tuple[OptionNote, ...], now: tuple[OptionNote, ...], content: Content) -> list[str]:
    old = {o.id: o for o in before}
    new = {o.id: o for o in now}
    found = []
    for option_id in [*new, *(i for i in old if i not in new)]:
        option = content.options.get(option_id)
        name = option.name if option else option_id
        was, mark = old.get(option_id), new.get(option_id)
        if mark is None:
            found.append(f"{name}: mark removed (was {was.status.words})")  # type: ignore[union-attr]
            continue
        since = f" since {mark.since.isoformat()}" if mark.since else ""
        if was is None:
            found.append(f"{name}: marked {mark.status.words}{since}")
        elif was.status is not mark.status:
            found.append(f"{name}: {was.status.words} → {mark.status.words}{since}")
        if mark.preference != (was.preference if was else None) and mark.preference is not None:
            found.append(f"{name}: patient now {mark.preference.words}")
    return found


def visit_history(session: Session, content: Content) -> list[str]:
    """One line per visit, oldest first: date, clinician, the PHQ-9 of that day, the plan's first line."""
    from trd_tui.pack.records import instrument_key
    from trd_tui.text import printable

    phq9 = {m.date: m for m in session.measurements if instrument_key(m.instrument) == instrument_key(PHQ9)}
    rows = []
    for visit in session.visits:
        m = phq9.get(visit.date)
        score = f"{PHQ9} {m.score:g}" + (f" ({b})" if (b := band(m, content)) else "") if m else f"{PHQ9} —"
        plan = visit.plan.text.strip().splitlines()[0] if visit.plan.text.strip() else "(no plan)"
        rows.append((visit.date.isoformat(), printable(visit.clinician) or "—", score, printable(plan)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[3]]) for row in rows]


def safety_history(session: Session, current: tuple[str, ...]) -> list[tuple[dt.date, tuple[str, ...]]]:
    """(visit date, alerts) of each visit that had an alert: those recorded at earlier visits,
    and ``current`` (the alerts active now) for the current visit."""
    visits = session.visits
    found = [(v.date, v.safety_alerts) for v in visits[:-1]] + [(visits[-1].date, current)]
    return [(day, alerts) for day, alerts in found if alerts]
