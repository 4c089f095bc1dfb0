"""Trials of the current episode, failed adequate antidepressants, and the TRD definition."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.adequacy import Adequacy, AdequacyRating, rate_adequacy, trial_weeks
from trd_tui.clinical.response import MeasuredChange, Series, measured_change
from trd_tui.model import Episode, Outcome, Role, Trial

if TYPE_CHECKING:
    from trd_tui.pack.records import Content, Treatment

#: Roles in which an antidepressant is itself the treatment being tested.
COUNTED_ROLES = (Role.MONOTHERAPY, Role.COMBINATION)
#: Outcomes that make an adequate trial a failed one (< 50 % improvement).
FAILED_OUTCOMES = (Outcome.NONE, Outcome.PARTIAL)


@attrs.frozen
class TrialAssessment:
    """One trial as the engine sees it."""

    index: int  # position in the session's trial list
    trial: Trial
    treatment: Treatment | None  # None: free text, not in the content pack
    weeks: float
    adequacy: Adequacy
    current_episode: bool
    failed: bool  # a failed adequate antidepressant trial
    reasons: tuple[str, ...]
    measured: MeasuredChange | None = None  # what the rating scales say, if they can

    @property
    def name(self) -> str:
        return self.treatment.name if self.treatment else self.trial.treatment

    @property
    def kind(self) -> str:
        return self.treatment.kind if self.treatment else "unknown"

    @property
    def drug_class(self) -> str:
        return self.treatment.class_ if self.treatment else ""

    @property
    def counts_as_antidepressant_trial(self) -> bool:
        """An antidepressant tried as monotherapy or combination in this episode."""
        return self.current_episode and self.kind == "antidepressant" and self.trial.role in COUNTED_ROLES


@attrs.frozen
class TRDStatus:
    failed_adequate_antidepressants: int
    meets_definition: bool
    inadequate_trials: tuple[int, ...]  # trial indices
    failed_treatments: tuple[str, ...]  # treatment ids, first failure first
    reasons: tuple[str, ...]


def in_current_episode(trial: Trial, episode: Episode) -> tuple[bool, str]:
    if episode.onset is None:
        return True, "counted in the current episode because no episode onset is recorded"
    if trial.end is not None and trial.end < episode.onset:
        return False, f"ended before the current episode began ({episode.onset.isoformat()})"
    return True, "in the current episode"


def assess_trial(
    index: int,
    trial: Trial,
    episode: Episode,
    content: Content,
    visit: dt.date,
    series: Series | None = None,
) -> TrialAssessment:
    rating: AdequacyRating = rate_adequacy(trial, content, visit)
    current, episode_reason = in_current_episode(trial, episode)
    treatment = content.treatment(trial.treatment)
    is_ad = treatment is not None and treatment.is_antidepressant
    failed = (
        current
        and is_ad
        and trial.role in COUNTED_ROLES
        and rating.adequacy is Adequacy.ADEQUATE
        and trial.outcome in FAILED_OUTCOMES
    )
    reasons = [*rating.reasons, episode_reason]
    if failed:
        reasons.append(f"outcome {trial.outcome.value}: counts as a failed adequate antidepressant trial")
    elif is_ad and trial.role is Role.AUGMENTATION:
        reasons.append("used as augmentation: not counted as an antidepressant failure")
    measured = measured_change(trial, series, content, visit) if series else None
    if measured is not None:
        reasons.append(f"measured: {measured.reason}")
    return TrialAssessment(
        index=index,
        trial=trial,
        treatment=treatment,
        weeks=trial_weeks(trial, visit),
        adequacy=rating.adequacy,
        current_episode=current,
        failed=failed,
        reasons=tuple(reasons),
        measured=measured,
    )


def trd_status(trials: list[TrialAssessment], content: Content) -> TRDStatus:
    failed_ids: list[str] = []
    for t in trials:
        if t.failed and t.treatment and t.treatment.id not in failed_ids:
            failed_ids.append(t.treatment.id)
    inadequate = tuple(t.index for t in trials if t.counts_as_antidepressant_trial and t.adequacy is not Adequacy.ADEQUATE)
    needed = content.rules.trd_min_failures
    meets = len(failed_ids) >= needed
    names = ", ".join(content.treatments[i].name for i in failed_ids) or "none"
    rule = f"at least {needed} different antidepressants failed at adequate dose and duration in the current episode ({content.cite([content.rules.trd_source])})"
    reasons = [
        f"{len(failed_ids)} failed adequate antidepressant(s): {names}",
        ("meets" if meets else "does not meet") + f" the definition: {rule}",
    ]
    if inadequate:
        reasons.append(
            f"{len(inadequate)} current-episode antidepressant trial(s) not adequate: "
            "optimising them may matter more than counting them"
        )
    return TRDStatus(len(failed_ids), meets, inadequate, tuple(failed_ids), tuple(reasons))
