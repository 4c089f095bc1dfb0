"""The condition grammar: when the content pack says a treatment option is worth considering.

The content pack states each option's conditions as short phrases
(``"failed >= 2"``, ``"flagged bipolar-features"``); this module is their one
definition: how they are written, parsed and described. Whether one holds for a
patient is a clinical rule (:mod:`trd_tui.clinical.relevance`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from trd_tui.model import Severity

# Patterns, compiled by re on first use: only reading the pack's TOML parses conditions,
# and a start that finds the pack in the cache does not.
_FAILED = r"failed\s*>=\s*(\d+)"
_FLAGGED = r"flagged\s+([a-z0-9-]+)"
_SEVERITY = r"severity\s*>=\s*([a-z-]+)"
_TAKING = r"taking\s+([a-z0-9-]+(?:\s+or\s+[a-z0-9-]+)*)(?:\s+within\s+(\d+)\s+weeks?)?"
_AGE = r"age\s*>=\s*(\d+)"
_PLAIN = ("inadequate-trials", "partial-response", "not-tolerated", "safety-alert", "high-risk", "always")


@attrs.frozen
class Condition:
    """One parsed condition. ``kind`` is failed, flagged, severity, taking, age or a plain name.

    ``taking X`` (a treatment or drug-class id) holds while a trial of it is ongoing;
    ``taking X within N weeks`` also when one ended no more than N weeks before the visit
    (``weeks``), which is how a washout is written. ``taking X or Y`` holds for either
    (:attr:`ids`).
    """

    kind: str
    argument: str | int | None = None
    weeks: int | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The treatment or drug-class ids a ``taking`` condition names."""
        return tuple(str(self.argument).split(" or ")) if self.kind == "taking" else ()

    def __str__(self) -> str:
        match self.kind:
            case "failed" | "severity" | "age":
                return f"{self.kind} >= {self.argument}"
            case "flagged":
                return f"flagged {self.argument}"
            case "taking":
                return f"taking {self.argument}" + (f" within {self.weeks} weeks" if self.weeks is not None else "")
        return self.kind

    def describe(self, item_label: Callable[[str], str], treatment_label: Callable[[str], str] = str) -> str:
        """The condition in the words a clinician reads; ``item_label`` names checklist items,
        ``treatment_label`` treatments and drug classes."""
        match self.kind:
            case "failed":
                n = int(self.argument or 0)
                return f"at least {n} failed adequate antidepressant {'trial' if n == 1 else 'trials'} in this episode"
            case "inadequate-trials":
                return "an antidepressant trial in this episode that was not adequate"
            case "partial-response":
                return "a partial response to a current (ongoing) trial"
            case "not-tolerated":
                return "an antidepressant in this episode that was not tolerated"
            case "flagged":
                return f"checklist: {item_label(str(self.argument))} marked concern or follow-up"
            case "severity":
                return f"episode severity {self.argument} or worse"
            case "safety-alert":
                return "a safety alert"
            case "high-risk":
                return "high suicide risk (suicidality marked concern, or PHQ-9 item 9 of 2 or more)"
            case "always":
                return "always"
            case "age":
                return f"age {self.argument} or over"
            case "taking":
                within = f" or within the last {self.weeks} weeks" if self.weeks is not None else ""
                return f"taking {' or '.join(map(treatment_label, self.ids))} now{within}"
        return str(self)


def parse_condition(text: str) -> Condition:
    """Parse a condition phrase; raise ValueError naming what is allowed."""
    phrase = " ".join(text.split())
    if phrase in _PLAIN:
        return Condition(phrase)
    if m := re.fullmatch(_FAILED, phrase):
        return Condition("failed", int(m[1]))
    if m := re.fullmatch(_FLAGGED, phrase):
        return Condition("flagged", m[1])
    if m := re.fullmatch(_SEVERITY, phrase):
        if m[1] not in Severity.values():
            raise ValueError(f"unknown severity {m[1]!r}; one of {' | '.join(Severity.values())}")
        return Condition("severity", m[1])
    if m := re.fullmatch(_TAKING, phrase):
        return Condition("taking", " or ".join(m[1].split()[::2]), int(m[2]) if m[2] else None)
    if m := re.fullmatch(_AGE, phrase):
        return Condition("age", int(m[1]))
    allowed = ["failed >= N", "flagged ITEM", "severity >= LEVEL", "taking ID [or ID ...] [within N weeks]", "age >= N", *_PLAIN]
    raise ValueError(f"unknown condition {text!r}; allowed: {', '.join(allowed)}")
