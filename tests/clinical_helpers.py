"""Small builders for the clinical-engine tests: sessions and trials a clinician would write.

Dates are fixed so every expectation can be worked out by hand:

* the visit is 2026-11-20;
* the current episode began on 2025-12-01 unless a test says otherwise;
* a trial starts on 2026-01-05 and, unless told otherwise, lasts 8 weeks (56 days).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from trd_tui.model import (
    Adherence,
    ChecklistEntry,
    Episode,
    Measurement,
    Outcome,
    ReviewStatus,
    Role,
    Session,
    Severity,
    Trial,
    with_visit,
)

VISIT = dt.date(2026, 11, 20)
ONSET = dt.date(2025, 12, 1)
START = dt.date(2026, 1, 5)
DAY = dt.timedelta(days=1)

# Minimum adequate doses in the bundled pack (content/treatments.toml), mg/day.
MIN_DOSE = {
    "sertraline": 50,
    "citalopram": 20,
    "escitalopram": 10,
    "fluoxetine": 20,
    "venlafaxine": 75,
    "duloxetine": 60,
    "mirtazapine": 15,
    "bupropion": 150,
    "nortriptyline": 75,
    "amitriptyline": 150,
    "phenelzine": 45,
    "tranylcypromine": 30,
    "selegiline": 6,
    "moclobemide": 300,
    "quetiapine": 150,
}

_UNSET: Any = object()


def trial(
    treatment: str,
    dose: float | None = None,
    *,
    days: int = 56,
    start: dt.date = START,
    end: dt.date | None = _UNSET,
    role: Role = Role.MONOTHERAPY,
    adherence: Adherence = Adherence.GOOD,
    outcome: Outcome = Outcome.NONE,
) -> Trial:
    """A trial of ``days`` days from ``start`` (pass ``end=None`` for one still ongoing)."""
    if end is _UNSET:
        end = start + days * DAY
    return Trial(
        treatment=treatment,
        dose_mg=dose,
        start=start,
        end=end,
        role=role,
        adherence=adherence,
        outcome=outcome,
    )


def failed(content, treatment_id: str, **kwargs: Any) -> Trial:
    """An adequate trial (8 weeks at the pack's minimum dose, good adherence) with no response."""
    dose = content.treatments[treatment_id].min_dose_mg
    assert dose is not None, f"{treatment_id} has no minimum dose"
    kwargs.setdefault("outcome", Outcome.NONE)
    return trial(treatment_id, dose, **kwargs)


def session(
    *trials: Trial,
    onset: dt.date | None = ONSET,
    severity: Severity | None = None,
    checklist: dict[str, ReviewStatus] | None = None,
    measurements: tuple[Measurement, ...] = (),
    visit: dt.date = VISIT,
) -> Session:
    """A session at ``visit`` with the given trials, episode and checklist statuses."""
    base = with_visit(Session.new(visit), checklist={item: ChecklistEntry(status=status) for item, status in (checklist or {}).items()})
    return attrs.evolve(
        base,
        episode=Episode(onset=onset, severity=severity),
        trials=tuple(trials),
        measurements=tuple(measurements),
    )


def phq9(date: dt.date, item9: int, *, instrument: str = "PHQ-9", others: int = 1) -> Measurement:
    """A PHQ-9 with all nine item answers: items 1-8 scored ``others``, item 9 scored ``item9``."""
    items = (others,) * 8 + (item9,)
    return Measurement(date=date, instrument=instrument, score=float(sum(items)), items=items)


def text(reasons: tuple[str, ...]) -> str:
    """All reasons as one string, for looking for words and numbers in them."""
    return " | ".join(reasons)
