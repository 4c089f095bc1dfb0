"""What a new trial starts as: its role from the pack's classification, the trial an add-on
augments, the dose field's hint, a trial started from a treatment option, and whether the
trial it names in ``augments`` can be the one it was added to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trd_tui.clinical.trd import COUNTED_ROLES, same_treatment
from trd_tui.model import Role, Session, Trial
from trd_tui.pack.doses import unit_of

if TYPE_CHECKING:
    import datetime as dt

    from trd_tui.pack.records import Content, Option, Treatment

#: The pack's kind (treatments.toml ``kind``) of a treatment given only added to an antidepressant.
ADJUNCT_KIND = "augmentation-agent"


def default_role(treatment: Treatment | None) -> Role:
    """Augmentation for a treatment the pack classes as an augmentation agent (aripiprazole,
    lithium, T3 ...); monotherapy otherwise, the clinician choosing when it is added."""
    return Role.AUGMENTATION if treatment is not None and treatment.kind == ADJUNCT_KIND else Role.MONOTHERAPY


def ongoing_antidepressants(trials: tuple[Trial, ...], visit: dt.date, content: Content) -> list[Trial]:
    """Antidepressant trials (as monotherapy or combination) still running at the visit date."""
    return [
        t for t in trials
        if t.end is None and t.start <= visit and t.role in COUNTED_ROLES
        and (known := content.treatment(t.treatment)) is not None and known.is_antidepressant
    ]


def default_augments(role: Role, treatment: Treatment | None, trials: tuple[Trial, ...], visit: dt.date, content: Content) -> str | None:
    """What a treatment added as ``role`` augments before the clinician says: the one antidepressant
    running at the visit (not the treatment itself); None as monotherapy, or when none or several run."""
    if role is Role.MONOTHERAPY:
        return None
    base = [t for t in ongoing_antidepressants(trials, visit, content) if treatment is None or t.treatment != treatment.id]
    return base[0].treatment if len(base) == 1 else None


#: The dose field's hint for a treatment with no daily dose in mg (procedures, psychotherapies).
NO_DOSE = "leave empty: no mg/day dose"
#: The dose field's hint when the pack gives no usual dose (and for free text).
ANY_DOSE = "highest daily dose sustained"
#: Kinds of treatment given without a daily dose in mg.
DOSELESS_KINDS = ("neuromodulation", "psychotherapy")


def dose_hint(treatment: Treatment | None) -> str:
    """The dose field's placeholder: the pack's usual dose (in the treatment's own unit), or why
    there is none, never an example figure that could be read as advice for this drug."""
    if treatment is None:
        return ANY_DOSE
    if treatment.kind in DOSELESS_KINDS:
        return NO_DOSE
    unit = unit_of(treatment)
    usual = f"usual {treatment.usual_dose}" if treatment.usual_dose else ""
    if unit.per_mg is None:
        return f"leave empty, note it: dosed {unit.why_none}" + (f", {usual}" if usual else "")
    if not usual:
        return ANY_DOSE
    # The pack's own doubt about its dose figures travels with them.
    return usual + (" (to be confirmed)" if treatment.dose_to_confirm else "")


def option_treatment(option: Option, content: Content) -> Treatment | None:
    """The one treatment an option starts or adds (its ``adds``), or None when it names none or several."""
    found = [content.treatments[i] for i in option.adds if i in content.treatments]
    return found[0] if len(found) == 1 else None


def trial_from_option(option: Option, session: Session, content: Content) -> Trial:
    """The trial a clinician records on marking ``option`` started, before they change anything.

    Its treatment is the option's one treatment (else blank), it starts at the visit, and its
    role is the option's (``role`` in options.toml), else the treatment's default. An added
    treatment augments the ongoing antidepressant when exactly one is running; otherwise
    that is left for the clinician.
    """
    treatment = option_treatment(option, content)
    role = Role(option.role) if option.role else default_role(treatment)
    augments = default_augments(role, treatment, session.trials, session.visit_date, content)
    return Trial(treatment=treatment.id if treatment else "", role=role, start=session.visit_date, augments=augments)


def augments_problem(trial: Trial, others: tuple[Trial, ...], content: Content, visit: dt.date) -> str | None:
    """Why ``trial.augments`` names no trial this one was added to, or None.

    The rule that judges the base trial up to this one's start
    (:func:`trd_tui.clinical.trd.augmented_from`) counts it only when this trial
    started while the base trial ran, after its start; so does this check.
    """
    if not trial.augments:
        return None
    if same_treatment(trial.augments, trial.treatment, content):
        return "names this trial's own treatment"
    bases = [o for o in others if same_treatment(o.treatment, trial.augments, content)]
    known = content.treatment(trial.augments)
    name = known.name if known else trial.augments
    if not bases:
        return f"no trial of {name} is recorded"
    if any(o.start < trial.start <= (o.end or visit) for o in bases):
        return None
    runs = ", ".join(f"{o.start.isoformat()} to {o.end.isoformat() if o.end else 'ongoing'}" for o in bases)
    return f"this trial must start while {name} ran ({runs}), after its start"
