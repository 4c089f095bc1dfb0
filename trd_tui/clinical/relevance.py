"""When a treatment option is worth considering now.

The content pack states each option's conditions in the grammar of
:mod:`trd_tui.pack.conditions`; this module evaluates them against an assessment's facts.
"""

from __future__ import annotations

import attrs

from trd_tui.model import Severity
from trd_tui.pack.conditions import Condition


@attrs.frozen
class Facts:
    """What the conditions are evaluated against, taken from an assessment."""

    failed: int
    inadequate_trials: int
    partial_response: bool
    flagged: dict[str, str]  # checklist item id -> its label
    severity: Severity | None
    safety_alert: bool


def holds(condition: Condition, facts: Facts) -> str | None:
    """The reason the condition holds, or None when it does not."""
    match condition.kind:
        case "failed":
            n = int(condition.argument or 0)
            return f"{facts.failed} failed adequate antidepressant(s) (≥ {n})" if facts.failed >= n else None
        case "inadequate-trials":
            return f"{facts.inadequate_trials} inadequate antidepressant trial(s)" if facts.inadequate_trials else None
        case "partial-response":
            return "partial response to a current trial" if facts.partial_response else None
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
    raise ValueError(f"unknown condition kind {condition.kind!r}")


def relevance(conditions: tuple[Condition, ...], facts: Facts) -> tuple[str, ...]:
    """Why an option is relevant now: a reason per condition that holds (empty: not now)."""
    return tuple(reason for c in conditions if (reason := holds(c, facts)) is not None)
