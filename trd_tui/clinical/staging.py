"""Staging of treatment resistance: Maudsley Staging Method and Thase–Rush.

Both methods are tables here (:data:`MAUDSLEY`, :data:`THASE_RUSH`): the scoring
below reads them, and the help screen and docs/clinical-rules.md are written
from them by :func:`maudsley_rule` and :func:`thase_rush_rule`, so a changed
point or stage shows everywhere at once.
"""

from __future__ import annotations

import datetime as dt

from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.trd import TrialAssessment
from trd_tui.model import Episode, Outcome, Role, Severity

if TYPE_CHECKING:
    from trd_tui.pack.records import Content

ECT = "ect"  # the pack's id of electroconvulsive therapy


@attrs.frozen
class Steps:
    """Points by range of a count: the first step whose ``upto`` is at least the count.

    The last step has no upper limit (``upto`` None).
    """

    first: int  # the lowest count the table scores
    steps: tuple[tuple[int | None, int], ...]  # (highest count, points), rising

    def points(self, count: int) -> int:
        return next(points for upto, points in self.steps if upto is None or count <= upto)

    def ranges(self) -> list[tuple[str, int]]:
        """Each step as words and points: ("≤12", 1), ("13–24", 2), (">24", 3)."""
        shown, low = [], self.first
        for upto, points in self.steps:
            if upto is None:
                shown.append((f">{low - 1}", points))
            elif low == 0:
                shown.append((f"≤{upto}", points))
            else:
                shown.append((f"{low}–{upto}" if upto > low else f"{low}", points))
            low = (upto or 0) + 1
        return shown


@attrs.frozen
class MaudsleyTable:
    """The Maudsley Staging Method: points per dimension and the bands of the total."""

    duration: Steps  # complete months of the current episode
    severity: dict[Severity, int]
    antidepressants: Steps  # failed adequate antidepressants
    augmentation: int  # points when augmentation was used in the episode
    ect: int  # points when ECT was used in the episode
    bands: tuple[tuple[int, str], ...]  # (highest total, band), rising; the last reaches the highest total
    source: str

    @property
    def lowest(self) -> int:
        """The lowest total: a score needs onset, severity and one failed antidepressant."""
        return (self.duration.steps[0][1] + min(self.severity.values())
                + self.antidepressants.points(self.antidepressants.first))

    @property
    def highest(self) -> int:
        return (self.duration.steps[-1][1] + max(self.severity.values())
                + self.antidepressants.steps[-1][1] + self.augmentation + self.ect)

    def band(self, score: int) -> str:
        return next((name for upto, name in self.bands if score <= upto), self.bands[-1][1])

    def band_ranges(self) -> list[tuple[str, str]]:
        """Each band as a range of totals and its name: ("3–6", "mild") ..."""
        lows = [self.lowest] + [upto + 1 for upto, _ in self.bands[:-1]]
        highs = [upto for upto, _ in self.bands[:-1]] + [self.highest]
        return [(f"{low}–{high}", name) for low, high, (_, name) in zip(lows, highs, self.bands, strict=True)]


MAUDSLEY = MaudsleyTable(
    duration=Steps(0, ((12, 1), (24, 2), (None, 3))),
    severity={
        Severity.SUBSYNDROMAL: 1,
        Severity.MILD: 2,
        Severity.MODERATE: 3,
        Severity.SEVERE: 4,
        Severity.SEVERE_PSYCHOTIC: 5,
    },
    antidepressants=Steps(1, ((2, 1), (4, 2), (6, 3), (10, 4), (None, 5))),
    augmentation=1,
    ect=1,
    bands=((6, "mild"), (10, "moderate"), (15, "severe")),
    source="Fekadu et al. 2009",
)

#: The parts of a :class:`Maudsley` score as a clinician names them (help, FHIR components).
MAUDSLEY_PARTS = {
    "duration": "duration",
    "severity": "severity",
    "antidepressants": "failed antidepressants",
    "augmentation": "augmentation",
    "ect": "ECT",
}


def maudsley_rule() -> str:
    """The Maudsley Staging Method in one line, from :data:`MAUDSLEY`."""
    t = MAUDSLEY
    duration = ", ".join(f"{words} months {points}" if i == 0 else f"{words} {points}"
                         for i, (words, points) in enumerate(t.duration.ranges()))
    severity = ", ".join(f"{level.value} {points}" for level, points in t.severity.items())
    failed = ", ".join(f"{words} → {points}" for words, points in t.antidepressants.ranges())
    bands = ", ".join(f"{totals} {name}" for totals, name in t.band_ranges())
    return (
        f"{MAUDSLEY_PARTS['duration']} ({duration}) + {MAUDSLEY_PARTS['severity']} ({severity}) + "
        f"{MAUDSLEY_PARTS['antidepressants']} ({failed}) + {MAUDSLEY_PARTS['augmentation']} ({t.augmentation}) + "
        f"{MAUDSLEY_PARTS['ect']} ({t.ect}); {bands}"
    )


@attrs.frozen
class Stage:
    """One Thase–Rush stage: its numeral, what reaching it means, and the few words help uses."""

    roman: str
    meaning: str
    short: str
    drug_class: str | None = None  # the class whose failed adequate trial this stage adds (III, IV)


@attrs.frozen
class ThaseRushTable:
    stages: tuple[Stage, ...]  # 0, I ... V
    distinct_classes: int  # failed classes that make stage II, and stay needed beside III's and IV's
    source: str


THASE_RUSH = ThaseRushTable(
    stages=(
        Stage("0", "no failed adequate antidepressant trial", "none failed"),
        Stage("I", "failure of an adequate trial of one major class", "one class"),
        Stage("II", "failures in two distinctly different classes", "two classes"),
        Stage("III", "stage II plus a failed adequate TCA trial", "plus a TCA", drug_class="tca"),
        Stage("IV", "stage III plus a failed adequate MAOI trial", "plus an MAOI", drug_class="maoi"),
        Stage("V", "stage IV plus a failed course of ECT", "plus a failed ECT course"),
    ),
    distinct_classes=2,
    source="Thase & Rush 1997",
)


def thase_rush_rule() -> str:
    """The Thase–Rush stages in one line, from :data:`THASE_RUSH`."""
    return "; ".join(f"{s.roman} {s.short}" for s in THASE_RUSH.stages)


@attrs.frozen
class Maudsley:
    score: int
    band: str  # a name from MAUDSLEY.bands
    duration: int
    severity: int
    antidepressants: int
    augmentation: int
    ect: int
    reasons: tuple[str, ...]


@attrs.frozen
class MaudsleyResult:
    """The MSM score, or the inputs missing for it."""

    score: Maudsley | None
    missing: tuple[str, ...]


@attrs.frozen
class ThaseRush:
    stage: int  # 0-5 (0, I ... V)
    reasons: tuple[str, ...]

    @property
    def roman(self) -> str:
        return THASE_RUSH.stages[self.stage].roman

    @property
    def meaning(self) -> str:
        """What the stage reached means, with its source: "failures in two ... (Thase & Rush 1997)"."""
        return f"{THASE_RUSH.stages[self.stage].meaning} ({THASE_RUSH.source})"


def complete_months(start: dt.date, end: dt.date) -> int:
    """Complete calendar months from ``start`` to ``end`` (0 if end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def maudsley(episode: Episode, visit: dt.date, trials: list[TrialAssessment], failures: int) -> MaudsleyResult:
    missing = []
    if episode.onset is None:
        missing.append("episode onset")
    if episode.severity is None:
        missing.append("episode severity")
    if failures == 0:
        missing.append("a failed adequate antidepressant trial")
    if missing:
        return MaudsleyResult(None, tuple(missing))
    assert episode.onset is not None and episode.severity is not None
    t = MAUDSLEY
    months = complete_months(episode.onset, visit)
    current = [a for a in trials if a.current_episode]
    augmented = any(a.trial.role is Role.AUGMENTATION for a in current)
    had_ect = any(a.treatment is not None and a.treatment.id == ECT for a in current)
    parts = {
        "duration": (t.duration.points(months), f"episode {months} complete months"),
        "severity": (t.severity[episode.severity], f"severity {episode.severity.value}"),
        "antidepressants": (t.antidepressants.points(failures), f"{failures} failed antidepressant(s)"),
        "augmentation": (t.augmentation * augmented, "augmentation used" if augmented else "no augmentation"),
        "ect": (t.ect * had_ect, "ECT used" if had_ect else "no ECT"),
    }
    score = sum(points for points, _ in parts.values())
    reasons = tuple(f"{label}: {points}" for points, label in parts.values())
    return MaudsleyResult(
        Maudsley(
            score=score,
            band=t.band(score),
            reasons=(*reasons, f"total {score} of {t.highest}: {t.band(score)} ({t.source})"),
            **{name: points for name, (points, _) in parts.items()},
        ),
        (),
    )


def thase_rush(trials: list[TrialAssessment], content: Content) -> ThaseRush:
    """Thase–Rush stage from the classes of failed adequate antidepressant trials."""
    table = THASE_RUSH
    classes = {t.drug_class for t in trials if t.failed}
    shown = ", ".join(sorted((content.class_short_name(c) for c in classes), key=str.casefold)) or "none"
    reasons = [f"classes with a failed adequate trial: {shown}"]
    stage = 0 if not classes else 1 if len(classes) < table.distinct_classes else 2
    others = set(classes)  # classes not yet claimed by stage III's or IV's
    for number in (3, 4):
        needed = table.stages[number].drug_class
        if stage == number - 1 and needed in others and len(others - {needed}) >= table.distinct_classes:
            stage, others = number, others - {needed}
    failed_ect = any(
        t.current_episode and t.treatment is not None and t.treatment.id == ECT
        and t.trial.outcome in (Outcome.NONE, Outcome.PARTIAL)
        for t in trials
    )
    if stage == 4 and failed_ect:
        stage = 5
    reached = table.stages[stage]
    reasons.append(f"stage {reached.roman}: {ThaseRush(stage, ()).meaning}")
    if stage < 5 and failed_ect:
        reasons.append("a failed ECT course counts only once stage IV is reached")
    return ThaseRush(stage, tuple(reasons))
