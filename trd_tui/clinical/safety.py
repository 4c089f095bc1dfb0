"""Safety alerts: when crisis resources must be one glance away."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from trd_tui.pack.records import instrument_key
from trd_tui.model import Measurement, ReviewStatus, Session, with_checklist

if TYPE_CHECKING:
    from trd_tui.pack.records import Content

PHQ9 = "PHQ-9"
SUICIDE_ITEM = 9  # PHQ-9 item 9: thoughts of being better off dead or of self-harm

# The item-9 rule, worded once: the alert, the scale form, the measurement's detail, the
# follow-up notice, help and docs/clinical-rules.md all say it in these words.
ITEM9_MEANING = "thoughts of self-harm"
ITEM9_ACTION = "a suicide-risk assessment is indicated whatever the total"
ITEM9_POSITIVE = f"item {SUICIDE_ITEM} above 0"
ITEM9_SOURCE = "Kroenke et al. 2001"


def item9_warning() -> str:
    """The warning beside a PHQ-9 whose item 9 is above 0 (scale form, measurement detail)."""
    return f"⚠ {ITEM9_POSITIVE.capitalize()}: {ITEM9_ACTION}"


def item9_rule() -> str:
    """The rule in one line, for help and the docs."""
    return f"a {PHQ9} with {ITEM9_POSITIVE} ({ITEM9_MEANING}): {ITEM9_ACTION}"


def item9_follow_up_notice(safety_label: str) -> str:
    """What the app says when a new PHQ-9 marked the checklist's safety item for follow-up."""
    return f"{PHQ9} {ITEM9_POSITIVE}: {safety_label} marked follow-up in the checklist (ctrl+z undoes)"


@attrs.frozen
class SafetyAlert:
    source: str  # "checklist" or "PHQ-9"
    headline: str  # a few words, for the banner
    message: str


def latest_phq9_item9(measurements: tuple[Measurement, ...]) -> tuple[Measurement, int] | None:
    """The most recent PHQ-9 with item answers, and its item 9.

    Of several on the same day, the highest item 9 counts: with safety, the
    cautious reading wins.
    """
    found = [m for m in measurements if instrument_key(m.instrument) == instrument_key(PHQ9) and m.items and len(m.items) >= SUICIDE_ITEM]
    if not found:
        return None
    latest = max(m.date for m in found)
    same_day = [m for m in found if m.date == latest]
    worst = max(same_day, key=lambda m: m.items[SUICIDE_ITEM - 1])  # type: ignore[index]
    return worst, worst.items[SUICIDE_ITEM - 1]  # type: ignore[index]


def safety_alerts(session: Session, content: Content) -> list[SafetyAlert]:
    alerts = []
    item_id = content.rules.safety_item
    entry = session.checklist.get(item_id)
    if entry is not None and entry.status in (ReviewStatus.CONCERN, ReviewStatus.FOLLOW_UP):
        label = content.checklist_items[item_id].label
        alerts.append(
            SafetyAlert("checklist", f"{label}: {entry.status.value}", f"{label} marked {entry.status.value} in the checklist")
        )
    latest = latest_phq9_item9(session.measurements)
    if latest is not None and latest[1] > 0:
        phq, score = latest
        alerts.append(
            SafetyAlert(
                PHQ9,
                f"{PHQ9} item {SUICIDE_ITEM} = {score} ({phq.date.isoformat()})",
                f"{PHQ9} of {phq.date.isoformat()}: item {SUICIDE_ITEM} ({ITEM9_MEANING}) scored {score}; {ITEM9_ACTION}",
            )
        )
    return alerts


#: A PHQ-9 item 9 at or above this, like suicidality marked concern, means high suicide risk:
#: the safety plan comes first and ECT moves to tier 1 (clinical-facts "Sequencing").
HIGH_RISK_ITEM9 = 2


def high_risk(session: Session, content: Content) -> str:
    """Why suicide risk is high (the safety item marked concern, or the latest PHQ-9 item 9 at
    or above :data:`HIGH_RISK_ITEM9`), or "" when neither holds."""
    item_id = content.rules.safety_item
    entry = session.checklist.get(item_id)
    if entry is not None and entry.status is ReviewStatus.CONCERN:
        return f"{content.checklist_items[item_id].label} marked concern"
    latest = latest_phq9_item9(session.measurements)
    if latest is not None and latest[1] >= HIGH_RISK_ITEM9:
        return f"{PHQ9} item {SUICIDE_ITEM} = {latest[1]} ({latest[0].date.isoformat()})"
    return ""


def positive_item9(m: Measurement) -> int | None:
    """PHQ-9 item 9 when it is above 0 (thoughts of self-harm), else None."""
    found = latest_phq9_item9((m,))
    return found[1] if found is not None and found[1] > 0 else None


def follow_up_item9(session: Session, m: Measurement, content: Content) -> Session:
    """After a PHQ-9 with item 9 above 0, mark the safety item for follow-up if it was unreviewed.

    A status the clinician already set is never changed.
    """
    score = positive_item9(m)
    if score is None:
        return session
    item = content.rules.safety_item
    entry = session.checklist.get(item)
    if entry is not None and entry.status is not ReviewStatus.UNREVIEWED:
        return session
    note = entry.note if entry and entry.note else f"{PHQ9} item {SUICIDE_ITEM} scored {score} on {m.date.isoformat()}"
    return with_checklist(session, item, status=ReviewStatus.FOLLOW_UP, note=note)
