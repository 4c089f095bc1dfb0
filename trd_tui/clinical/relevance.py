"""When a treatment option is worth considering now.

The content pack states each option's conditions in the grammar of
:mod:`trd_tui.pack.conditions`; this module evaluates them against an assessment's facts.
"""

from __future__ import annotations

import datetime as dt

import attrs

from trd_tui.model import Severity
from trd_tui.pack.conditions import Condition


@attrs.frozen
class Facts:
    """What the conditions are evaluated against, taken from an assessment."""

    failed: int
    inadequate_trials: int
    partial_response: str  # the ongoing trial with a partial response ("" when none)
    flagged: dict[str, str]  # checklist item id -> its label
    severity: Severity | None
    safety_alert: bool
    #: Treatment and drug-class ids of this session's trials -> (treatment name, weeks since the
    #: latest such trial ended, 0 while one is ongoing; its last dose, None while ongoing).
    taking: dict[str, tuple[str, float, dt.date | None]] = attrs.field(factory=dict)
    #: Visit year minus birth year: the age reached this year, so at most a year over.
    age: int | None = None
    #: Antidepressant trials in this episode that were not tolerated.
    not_tolerated: int = 0
    #: Why suicide risk is high (:func:`trd_tui.clinical.safety.high_risk`), or "" when it is not.
    high_risk: str = ""


def holds(condition: Condition, facts: Facts) -> str | None:
    """The reason the condition holds, or None when it does not."""
    match condition.kind:
        case "failed":
            n = int(condition.argument or 0)
            return f"{facts.failed} failed adequate antidepressant(s) (≥ {n})" if facts.failed >= n else None
        case "inadequate-trials":
            return f"{facts.inadequate_trials} inadequate antidepressant trial(s)" if facts.inadequate_trials else None
        case "partial-response":
            return f"partial response to {facts.partial_response}, still being taken" if facts.partial_response else None
        case "not-tolerated":
            return f"{facts.not_tolerated} antidepressant(s) not tolerated in this episode" if facts.not_tolerated else None
        case "flagged":
            label = facts.flagged.get(str(condition.argument))
            return f"checklist: {label} flagged" if label else None
        case "severity":
            levels = Severity.values()
            at_least = levels.index(str(condition.argument))
            if facts.severity is not None and levels.index(facts.severity.value) >= at_least:
                return f"episode severity {facts.severity.value}"
            return None
        case "safety-alert":
            return "safety alert" if facts.safety_alert else None
        case "high-risk":
            return f"high suicide risk: {facts.high_risk}" if facts.high_risk else None
        case "always":
            return "always"
        case "age":
            n = int(condition.argument or 0)
            return f"age {facts.age} this year (≥ {n})" if facts.age is not None and facts.age >= n else None
        case "taking":
            return _taking(condition, facts)
    raise ValueError(f"unknown condition kind {condition.kind!r}")


def _taking(condition: Condition, facts: Facts) -> str | None:
    """Why a ``taking`` condition holds: the drug now, or when its last dose was and, for a
    washout (``within N weeks``), the date N weeks after it."""
    found = [facts.taking[i] for i in condition.ids if i in facts.taking]
    if not found:
        return None
    name, weeks_since, last = min(found, key=lambda f: f[1])
    if weeks_since == 0:
        washout = f" (the {condition.weeks}-week wait counts from the last dose)" if condition.weeks is not None else ""
        return f"taking {name}{washout}"
    if condition.weeks is not None and weeks_since <= condition.weeks and last is not None:
        until = last + dt.timedelta(weeks=condition.weeks)
        return f"{name} last taken {last.isoformat()} ({weeks_since:.1f} weeks ago): {condition.weeks} weeks from then is {until.isoformat()}"
    return None
