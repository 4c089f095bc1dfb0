"""Was a trial adequate? Dose and duration, the usual causes of pseudo-resistance."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from trd_tui.model import Adherence, Choice, Outcome, Trial

if TYPE_CHECKING:
    from trd_tui.pack.records import Content, Treatment


class Adequacy(Choice):
    ADEQUATE = "adequate"
    TOO_SHORT = "too-short"
    DOSE_TOO_LOW = "dose-too-low"
    DOSE_UNKNOWN = "dose-unknown"
    POOR_ADHERENCE = "poor-adherence"
    NOT_TOLERATED = "not-tolerated"  # intolerance, not resistance: neither failed nor inadequate
    NOT_RATED = "not-rated"


@attrs.frozen
class AdequacyRating:
    adequacy: Adequacy
    reasons: tuple[str, ...]


def trial_weeks(trial: Trial, visit_date: dt.date) -> float:
    """Weeks from start to end, or to the visit date while the trial is ongoing."""
    return ((trial.end or visit_date) - trial.start).days / 7


def weeks_at_dose(trial: Trial, visit_date: dt.date) -> float:
    """The weeks adequacy counts: from ``dose_reached`` when recorded (MGH-ATRQ counts weeks
    at or above the minimum dose), else from the start."""
    return ((trial.end or visit_date) - (trial.dose_reached or trial.start)).days / 7


def mg(value: float) -> str:
    """A dose as a clinician writes it: 150, 37.5."""
    return f"{value:g}"


def rate_adequacy(trial: Trial, content: Content, visit_date: dt.date) -> AdequacyRating:
    """Rate a trial: not tolerated, else the first of too short, dose too low, dose unknown, poor adherence."""
    treatment = content.treatment(trial.treatment)
    if treatment is None:
        return AdequacyRating(
            Adequacy.NOT_RATED, (f"{trial.treatment!r} is not in the content pack, so it is not rated",)
        )
    if trial.outcome is Outcome.NOT_TOLERATED:
        why = (
            f"not tolerated after {trial_weeks(trial, visit_date):.1f} weeks: intolerance, not resistance, "
            "so it is neither a failed nor an inadequate trial (it matters for the next choice)"
        )
        return AdequacyRating(Adequacy.NOT_TOLERATED, (why,))
    if treatment.min_dose_mg is None:
        why = f"{treatment.name} has no minimum adequate dose in the content pack; adequacy is not rated"
        return AdequacyRating(Adequacy.NOT_RATED, (why,))
    adequacy, reason = _first_shortfall(trial, treatment, content, visit_date)
    return AdequacyRating(adequacy, (reason, *_adherence_notes(trial.adherence)))


def _first_shortfall(
    trial: Trial, treatment: Treatment, content: Content, visit_date: dt.date
) -> tuple[Adequacy, str]:
    rules = content.rules
    weeks = weeks_at_dose(trial, visit_date)
    minimum = treatment.min_dose_mg
    assert minimum is not None
    confirm = "; to be confirmed against the original" if treatment.dose_to_confirm else ""
    dose_rule = f"minimum adequate dose {mg(minimum)} mg/day ({content.cite([treatment.dose_source])}{confirm})"
    week_rule = f"{mg(rules.min_trial_weeks)}-week minimum ({content.cite([rules.min_trial_weeks_source])})"
    ongoing = " so far" if trial.end is None else ""
    reached = f" at the dose since {trial.dose_reached.isoformat()}" if trial.dose_reached else ""
    if weeks < rules.min_trial_weeks:
        return Adequacy.TOO_SHORT, f"{weeks:.1f} weeks{reached}{ongoing}, shorter than the {week_rule}"
    if trial.dose_mg is None:
        return Adequacy.DOSE_UNKNOWN, f"no dose recorded; the {dose_rule}"
    if trial.dose_mg < minimum:
        return Adequacy.DOSE_TOO_LOW, f"{mg(trial.dose_mg)} mg/day is below the {dose_rule}"
    if trial.adherence is Adherence.POOR:
        return Adequacy.POOR_ADHERENCE, "adherence was poor, so the dose was not reliably taken"
    since = f" (since {trial.dose_reached.isoformat()})" if trial.dose_reached else ""
    return Adequacy.ADEQUATE, f"{weeks:.1f} weeks at {mg(trial.dose_mg)} mg/day{since}: meets the {dose_rule} and the {week_rule}"


def _adherence_notes(adherence: Adherence) -> tuple[str, ...]:
    if adherence is Adherence.PARTIAL:
        return ("adherence was partial: check how many doses were missed before counting this trial",)
    if adherence is Adherence.UNKNOWN:
        return ("adherence not recorded: ask whether the medication was taken as prescribed",)
    return ()
