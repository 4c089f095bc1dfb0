"""Trials of the current episode, failed adequate antidepressants, and the TRD definition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.adequacy import Adequacy, AdequacyRating, rate_adequacy, trial_weeks
from trd_tui.clinical.response import MeasuredChange, Series, measured_change
from trd_tui.model import Episode, Outcome, Role, Trial

if TYPE_CHECKING:
    from trd_tui.pack.records import Content, Treatment

#: Roles in which an antidepressant is itself the treatment being tested.
COUNTED_ROLES = (Role.MONOTHERAPY, Role.COMBINATION)
#: Outcomes that make an adequate trial a failed one under each TRD definition the pack may name
#: (rules.toml [trd] definition): EMA 2013 and Rybak 2021 count < 50 % improvement.
FAILED_OUTCOMES = {"ema-rybak": (Outcome.NONE, Outcome.PARTIAL)}
#: Sforzini 2022 counts only non-response (< 25 % improvement) towards TRD; 25-49 % is
#: "partially responsive depression".
SFORZINI_FAILURE = Outcome.NONE
SFORZINI_TRD = "treatment-resistant"
SFORZINI_PARTIAL = "partially responsive"


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
    inadequate_trials: tuple[int, ...]  # trial indices; never a not-tolerated trial
    failed_treatments: tuple[str, ...]  # treatment ids, first failure first
    reasons: tuple[str, ...]
    definition: str = "ema-rybak"  # the definition applied (rules.toml [trd] definition)
    rule: str = ""  # that definition in words, with its sources
    non_responses: int = 0  # of the failed treatments, those with no response (< 25 %)
    sforzini: str | None = None  # SFORZINI_TRD, SFORZINI_PARTIAL, or None (fewer failures)
    sforzini_reason: str = ""
    not_tolerated: tuple[int, ...] = ()  # trial indices of current-episode intolerances


def in_current_episode(trial: Trial, episode: Episode) -> tuple[bool, str]:
    if episode.onset is None:
        return True, "counted in the current episode because no episode onset is recorded"
    if trial.end is not None and trial.end < episode.onset:
        return False, f"ended before the current episode began ({episode.onset.isoformat()})"
    return True, "in the current episode"


def treatment_key(name: str, content: Content) -> str:
    """What makes two trial names the same treatment: the pack id, else the name as written, any case."""
    found = content.treatment(name)
    return found.id if found is not None else name.strip().casefold()


def same_treatment(a: str, b: str, content: Content) -> bool:
    """Whether two trial names are the same treatment (by pack id, name or alias; else as written)."""
    return treatment_key(a, content) == treatment_key(b, content)


def augmentations(trials: Iterable[Trial], content: Content) -> dict[str, list[Trial]]:
    """The trials that augment or combine with each treatment, by ``treatment_key`` of the base.

    Built once per assessment, so that finding a trial's augmentation does not scan every trial.
    """
    found: dict[str, list[Trial]] = {}
    for t in trials:
        if t.augments:
            found.setdefault(treatment_key(t.augments, content), []).append(t)
    return found


def augmented_from(trial: Trial, added: dict[str, list[Trial]], content: Content, visit: dt.date) -> Trial | None:
    """The first trial that augments or combines with ``trial`` and started while it ran.

    ``added``: the session's ``augmentations``.
    """
    return min(
        (o for o in added.get(treatment_key(trial.treatment, content), ()) if trial.start < o.start <= (trial.end or visit)),
        key=lambda o: o.start,
        default=None,
    )


def assess_trial(
    index: int,
    trial: Trial,
    episode: Episode,
    content: Content,
    visit: dt.date,
    series: Series | None = None,
    augmented_by: Trial | None = None,
) -> TrialAssessment:
    """``augmented_by``: the trial added to this one; this one's outcome is judged up to its start."""
    judged = trial if augmented_by is None else attrs.evolve(trial, end=augmented_by.start)
    rating: AdequacyRating = rate_adequacy(judged, content, visit)
    current, episode_reason = in_current_episode(trial, episode)
    treatment = content.treatment(trial.treatment)
    is_ad = treatment is not None and treatment.is_antidepressant
    failed = (
        current
        and is_ad
        and trial.role in COUNTED_ROLES
        and rating.adequacy is Adequacy.ADEQUATE
        and trial.outcome in FAILED_OUTCOMES[content.rules.trd.definition]
    )
    reasons = [*rating.reasons, episode_reason]
    if augmented_by is not None:
        added = content.treatment(augmented_by.treatment)
        reasons.append(
            f"judged up to {augmented_by.start.isoformat()}, when "
            f"{added.name if added else augmented_by.treatment} was added ({augmented_by.role.value})"
        )
    if failed:
        reasons.append(f"outcome {trial.outcome.value}: counts as a failed adequate antidepressant trial")
    elif is_ad and trial.role is Role.AUGMENTATION:
        reasons.append("used as augmentation: not counted as an antidepressant failure")
    measured = measured_change(judged, series, content, visit) if series else None
    if measured is not None:
        reasons.append(f"measured: {measured.reason}")
    return TrialAssessment(
        index=index,
        trial=trial,
        treatment=treatment,
        weeks=trial_weeks(judged, visit),
        adequacy=rating.adequacy,
        current_episode=current,
        failed=failed,
        reasons=tuple(reasons),
        measured=measured,
    )


def trd_status(trials: list[TrialAssessment], content: Content) -> TRDStatus:
    definition = content.rules.trd
    failed_ids: list[str] = []
    non_responses: set[str] = set()
    for t in trials:
        if t.failed and t.treatment:
            if t.treatment.id not in failed_ids:
                failed_ids.append(t.treatment.id)
            if t.trial.outcome is SFORZINI_FAILURE:
                non_responses.add(t.treatment.id)
    counted = [t for t in trials if t.counts_as_antidepressant_trial]
    inadequate = tuple(t.index for t in counted if t.adequacy not in (Adequacy.ADEQUATE, Adequacy.NOT_TOLERATED))
    intolerances = tuple(t.index for t in trials if t.current_episode and t.adequacy is Adequacy.NOT_TOLERATED)
    meets = len(failed_ids) >= definition.min_failures
    names = ", ".join(content.treatments[i].name for i in failed_ids) or "none"
    rule = definition.rule(content.cite)
    reasons = [
        f"{len(failed_ids)} failed adequate antidepressant(s): {names}",
        ("meets" if meets else "does not meet") + f" the {definition.name} definition ({definition.min_failures} or more)",
    ]
    sforzini, sforzini_reason = _sforzini(len(failed_ids), len(non_responses), definition.min_failures, content)
    reasons.append(sforzini_reason)
    reasons += _contradictions(trials)
    if inadequate:
        reasons.append(
            f"{len(inadequate)} current-episode antidepressant trial(s) not adequate: "
            "optimising them may matter more than counting them"
        )
    if intolerances:
        reasons.append(
            f"{len(intolerances)} trial(s) not tolerated: intolerance, not resistance; not counted as failed or inadequate"
        )
    return TRDStatus(
        len(failed_ids),
        meets,
        inadequate,
        tuple(failed_ids),
        tuple(reasons),
        definition=definition.definition,
        rule=rule,
        non_responses=len(non_responses),
        sforzini=sforzini,
        sforzini_reason=sforzini_reason,
        not_tolerated=intolerances,
    )


def _sforzini(failed: int, non_responses: int, needed: int, content: Content) -> tuple[str | None, str]:
    """Sforzini 2022's category beside the definition applied: of the failed adequate
    antidepressants, how many were non-responses (< 25 % improvement)."""
    category = f"{content.cite([content.rules.trd.sforzini_source])} category"
    if failed < needed:
        return None, f"{category}: none (fewer than {needed} failures)"
    counts = f"{non_responses} of {failed} failures were non-responses (< 25 % improvement), the only failures it counts"
    name = SFORZINI_TRD if non_responses >= needed else SFORZINI_PARTIAL
    return name, f"{category}: {name} depression; {counts}"


def _contradictions(trials: list[TrialAssessment]) -> list[str]:
    """Where a depression scale's measured band disagrees with the recorded outcome, next to that trial."""
    return [
        f"{t.name} (trial {t.index + 1}): recorded outcome {t.trial.outcome.value}, but {t.measured.instrument} "
        f"shows {t.measured.percent:+.0f}% ({t.measured.band.value}): check the outcome before counting it"
        for t in trials
        if t.measured is not None and t.measured.agrees_with_outcome is False and t.counts_as_antidepressant_trial
    ]
