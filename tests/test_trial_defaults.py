"""What a new trial starts as (role, prefill from an option, augments), typed lengths, and
the PHQ-9 advice beside the episode severity: the pure rules the trial and episode forms use."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from trd_tui.clinical.severity import band_levels, msm_levels, severity_advice
from trd_tui.clinical.trial_defaults import augments_problem, default_role, trial_from_option
from trd_tui.durations import end_after, is_length
from trd_tui.model import Measurement, Role, Session, Severity, Trial
from ui_helpers import TODAY, content

START = dt.date(2025, 1, 31)


# -- typed lengths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "end"),
    [
        ("5 weeks", dt.date(2025, 3, 7)),
        ("10 days", dt.date(2025, 2, 10)),
        ("3 months", dt.date(2025, 4, 30)),  # calendar months, kept within April
        ("1 month", dt.date(2025, 2, 28)),
        ("6w", dt.date(2025, 3, 14)),
        (" 2 Wks ", dt.date(2025, 2, 14)),
        ("1 year", dt.date(2026, 1, 31)),
    ],
)
def test_a_typed_length_gives_the_end_date(typed: str, end: dt.date) -> None:
    assert is_length(typed)
    assert end_after(START, typed) == end


def test_the_weeks_of_a_typed_length_are_the_weeks_typed() -> None:
    assert (end_after(START, "5 weeks") - START).days / 7 == 5


@pytest.mark.parametrize(("typed", "message"), [
    ("5 fortnights", "not a length: type a number and days, weeks or months, such as 5 weeks, 3 months or 10 days"),
    ("0 weeks", "a length must be at least 1 day"),
    ("99999999 years", "too long"),
])
def test_a_bad_length_says_what_a_length_looks_like(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        end_after(START, typed)


@pytest.mark.parametrize("typed", ["2025-03-01", "2025-03", "", "weeks", "five weeks"])
def test_dates_and_words_are_not_lengths(typed: str) -> None:
    assert not is_length(typed)


# -- roles, prefill, augments ------------------------------------------------------------------


@pytest.mark.parametrize(("treatment", "role"), [
    ("aripiprazole", Role.AUGMENTATION), ("lithium", Role.AUGMENTATION), ("brexpiprazole", Role.AUGMENTATION),
    ("T3", Role.AUGMENTATION), ("sertraline", Role.MONOTHERAPY), ("bupropion", Role.MONOTHERAPY),
])
def test_an_adjunct_defaults_to_augmentation_by_the_packs_own_kind(treatment: str, role: Role) -> None:
    assert default_role(content().treatment(treatment)) is role
    assert (content().treatment(treatment).kind == "augmentation-agent") is (role is Role.AUGMENTATION)
    assert default_role(None) is Role.MONOTHERAPY  # free text: the clinician chooses


def on_venlafaxine(**changes) -> Session:
    base = Trial(treatment="venlafaxine", dose_mg=225, start=dt.date(2026, 6, 1))
    return attrs.evolve(Session.new(TODAY), trials=(attrs.evolve(base, **changes),))


@pytest.mark.parametrize(("option", "treatment", "role"), [
    ("aripiprazole-augmentation", "aripiprazole", Role.AUGMENTATION),
    ("quetiapine-augmentation", "quetiapine", Role.AUGMENTATION),  # the option says augmentation, not the kind
    ("bupropion-combination", "bupropion", Role.COMBINATION),
])
def test_a_started_option_prefills_treatment_start_role_and_the_one_ongoing_antidepressant(option, treatment, role) -> None:
    trial = trial_from_option(content().options[option], on_venlafaxine(), content())
    assert trial == Trial(treatment=treatment, role=role, start=TODAY, augments="venlafaxine")


def test_what_the_option_cannot_say_is_left_for_the_clinician() -> None:
    options = content().options
    # A switch adds no one treatment, and a switch augments nothing.
    assert trial_from_option(options["switch-between-class"], on_venlafaxine(), content()) == Trial(treatment="", start=TODAY)
    # No ongoing antidepressant, or two: which one it augments is the clinician's to say.
    ended = on_venlafaxine(end=dt.date(2026, 9, 1))
    assert trial_from_option(options["lithium-augmentation"], ended, content()).augments is None
    two = attrs.evolve(ended, trials=(*on_venlafaxine().trials, Trial(treatment="mirtazapine", start=dt.date(2026, 7, 1))))
    assert trial_from_option(options["lithium-augmentation"], two, content()).augments is None


ARIPIPRAZOLE = Trial(treatment="aripiprazole", role=Role.AUGMENTATION, start=dt.date(2026, 8, 1), augments="venlafaxine")


@pytest.mark.parametrize(("trial", "problem"), [
    (ARIPIPRAZOLE, None),
    (attrs.evolve(ARIPIPRAZOLE, augments="Effexor"), None),  # a brand names the same treatment
    (attrs.evolve(ARIPIPRAZOLE, augments=None), None),
    (attrs.evolve(ARIPIPRAZOLE, augments="aripiprazole"), "names this trial's own treatment"),
    (attrs.evolve(ARIPIPRAZOLE, augments="sertraline"), "no trial of Sertraline is recorded"),
    (attrs.evolve(ARIPIPRAZOLE, start=dt.date(2026, 5, 1)),
     "this trial must start while Venlafaxine ran (2026-06-01 to ongoing), after its start"),
])
def test_augments_must_name_a_trial_this_one_started_during(trial: Trial, problem: str | None) -> None:
    assert augments_problem(trial, on_venlafaxine().trials, content(), TODAY) == problem


# -- episode severity and the PHQ-9 -----------------------------------------------------------------


def test_the_form_offers_only_the_staging_methods_levels() -> None:
    assert [level.value for level in msm_levels()] == ["subsyndromal", "mild", "moderate", "severe", "severe-psychotic"]
    assert "moderately severe" not in Severity.values()


def test_phq9_bands_meet_msm_levels_by_name_only() -> None:
    rows = band_levels(content().instrument("PHQ-9"))
    assert rows == [
        ("0–4", "minimal", None),
        ("5–9", "mild", Severity.MILD),
        ("10–14", "moderate", Severity.MODERATE),
        ("15–19", "moderately severe", None),
        ("20–27", "severe", Severity.SEVERE),
    ]


def phq9(score: int, day: dt.date) -> Measurement:
    return Measurement(day, "PHQ-9", score)


def test_the_latest_phq9_suggests_the_level_of_its_bands_name() -> None:
    advice = severity_advice((phq9(21, dt.date(2026, 1, 1)), phq9(12, dt.date(2026, 6, 1))), content())
    assert advice.suggested is Severity.MODERATE
    assert advice.latest == "Latest PHQ-9 12 (2026-06-01) is moderate: suggests moderate."
    assert "[PHQ]" in advice.mapping and "[MSM]" in advice.mapping
    assert "The reference gives no PHQ-9 threshold for MSM levels" in advice.mapping


def test_moderately_severe_suggests_nothing_and_says_why() -> None:
    advice = severity_advice((phq9(16, dt.date(2026, 6, 1)),), content())
    assert advice.suggested is None
    assert advice.latest.endswith("is moderately severe: no MSM level of that name; choose by clinical judgement.")
    assert severity_advice((), content()).latest == "No PHQ-9 recorded: nothing to suggest."
