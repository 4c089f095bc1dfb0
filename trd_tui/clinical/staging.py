"""Staging of treatment resistance: Maudsley Staging Method and Thase–Rush."""

from __future__ import annotations

import datetime as dt

import attrs

from trd_tui.clinical.trd import TrialAssessment
from trd_tui.model import Episode, Outcome, Role, Severity

SEVERITY_POINTS = {
    Severity.SUBSYNDROMAL: 1,
    Severity.MILD: 2,
    Severity.MODERATE: 3,
    Severity.SEVERE: 4,
    Severity.SEVERE_PSYCHOTIC: 5,
}
MSM_SOURCE = "Fekadu et al. 2009"
TR_SOURCE = "Thase & Rush 1997"


@attrs.frozen
class Maudsley:
    score: int
    band: str  # mild 3-6, moderate 7-10, severe 11-15
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
        return ("0", "I", "II", "III", "IV", "V")[self.stage]


def complete_months(start: dt.date, end: dt.date) -> int:
    """Complete calendar months from ``start`` to ``end`` (0 if end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def _duration_points(months: int) -> int:
    return 1 if months <= 12 else 2 if months <= 24 else 3


def _failure_points(failures: int) -> int:
    return 1 if failures <= 2 else 2 if failures <= 4 else 3 if failures <= 6 else 4 if failures <= 10 else 5


def _band(score: int) -> str:
    return "mild" if score <= 6 else "moderate" if score <= 10 else "severe"


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
    months = complete_months(episode.onset, visit)
    current = [t for t in trials if t.current_episode]
    augmented = any(t.trial.role is Role.AUGMENTATION for t in current)
    had_ect = any(t.treatment is not None and t.treatment.id == "ect" for t in current)
    parts = {
        "duration": (_duration_points(months), f"episode {months} complete months"),
        "severity": (SEVERITY_POINTS[episode.severity], f"severity {episode.severity.value}"),
        "antidepressants": (_failure_points(failures), f"{failures} failed antidepressant(s)"),
        "augmentation": (int(augmented), "augmentation used" if augmented else "no augmentation"),
        "ect": (int(had_ect), "ECT used" if had_ect else "no ECT"),
    }
    score = sum(points for points, _ in parts.values())
    reasons = tuple(f"{label}: {points}" for points, label in parts.values())
    return MaudsleyResult(
        Maudsley(
            score=score,
            band=_band(score),
            reasons=(*reasons, f"total {score} of 15: {_band(score)} ({MSM_SOURCE})"),
            **{name: points for name, (points, _) in parts.items()},
        ),
        (),
    )


def thase_rush(trials: list[TrialAssessment]) -> ThaseRush:
    """Thase–Rush stage from the classes of failed adequate antidepressant trials."""
    classes = {t.drug_class for t in trials if t.failed}
    shown = ", ".join(sorted(classes)) or "none"
    reasons = [f"classes with a failed adequate trial: {shown}"]

    def stage_ii(counted: set[str]) -> bool:
        return len(counted) >= 2

    stage = 0
    if classes:
        stage = 1
    if stage_ii(classes):
        stage = 2
    if stage == 2 and "tca" in classes and stage_ii(classes - {"tca"}):
        stage = 3
    if stage == 3 and "maoi" in classes and stage_ii(classes - {"tca", "maoi"}):
        stage = 4
    failed_ect = any(
        t.current_episode and t.treatment is not None and t.treatment.id == "ect"
        and t.trial.outcome in (Outcome.NONE, Outcome.PARTIAL)
        for t in trials
    )
    if stage == 4 and failed_ect:
        stage = 5
    reasons.append(_STAGE_REASONS[stage] + f" ({TR_SOURCE})")
    if stage < 5 and failed_ect:
        reasons.append("a failed ECT course counts only once stage IV is reached")
    return ThaseRush(stage, tuple(reasons))


_STAGE_REASONS = (
    "stage 0: no failed adequate antidepressant trial",
    "stage I: failure of an adequate trial of one major class",
    "stage II: failures in two distinctly different classes",
    "stage III: stage II plus a failed adequate TCA trial",
    "stage IV: stage III plus a failed adequate MAOI trial",
    "stage V: stage IV plus a failed course of ECT",
)
