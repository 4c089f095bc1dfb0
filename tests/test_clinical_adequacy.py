"""Adequacy of a trial: duration, dose, adherence, and treatments that are not rated."""

from __future__ import annotations

import re

import attrs
import pytest
from clinical_helpers import DAY, MIN_DOSE, START, VISIT, session, text, trial

import trd_tui
from trd_tui.model import Adherence, Role


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def rated(content, *trials):
    """The assessed trials of a session holding ``trials``."""
    return trd_tui.assess(session(*trials), content).trials


def rate(content, t):
    return rated(content, t)[0]


# --- Duration -----------------------------------------------------------------------------------


def test_exactly_six_weeks_is_adequate(content):
    t = rate(content, trial("sertraline", 100, days=42))
    assert t.weeks == 6.0
    assert t.adequacy == "adequate"


def test_41_days_is_too_short(content):
    t = rate(content, trial("sertraline", 100, days=41))
    assert t.weeks == pytest.approx(41 / 7)
    assert t.adequacy == "too-short"


def test_weeks_of_a_finished_trial_run_to_its_end_not_to_the_visit(content):
    # Ended long before the visit: only start..end counts.
    t = rate(content, trial("sertraline", 100, days=30))
    assert t.weeks == pytest.approx(30 / 7)
    assert t.adequacy == "too-short"


def test_ongoing_trial_is_measured_to_the_visit_date(content):
    t = rate(content, trial("sertraline", 100, start=VISIT - 42 * DAY, end=None))
    assert t.weeks == 6.0
    assert t.adequacy == "adequate"


def test_ongoing_trial_one_day_short_of_six_weeks_at_the_visit_is_too_short(content):
    t = rate(content, trial("sertraline", 100, start=VISIT - 41 * DAY, end=None))
    assert t.weeks == pytest.approx(41 / 7)
    assert t.adequacy == "too-short"


def test_a_long_ongoing_trial_counts_all_weeks_to_the_visit(content):
    t = rate(content, trial("sertraline", 100, start=START, end=None))
    assert t.weeks == pytest.approx((VISIT - START).days / 7)
    assert t.adequacy == "adequate"


def test_minimum_weeks_come_from_the_rules(content):
    stricter = attrs.evolve(content, rules=attrs.evolve(content.rules, min_trial_weeks=8))
    seven_weeks = trial("sertraline", 100, days=49)
    assert rate(content, seven_weeks).adequacy == "adequate"
    t = trd_tui.assess(session(seven_weeks), stricter).trials[0]
    assert t.adequacy == "too-short"
    assert "8" in text(t.reasons)


# --- Dose ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("treatment", ["sertraline", "venlafaxine", "mirtazapine", "phenelzine", "nortriptyline"])
def test_exactly_the_minimum_dose_is_adequate(content, treatment):
    assert content.treatments[treatment].min_dose_mg == MIN_DOSE[treatment]
    assert rate(content, trial(treatment, MIN_DOSE[treatment])).adequacy == "adequate"


@pytest.mark.parametrize(
    ("treatment", "dose"),
    [
        ("sertraline", 49.5),
        ("sertraline", 25),
        ("venlafaxine", 37.5),
        ("mirtazapine", 15),
        ("phenelzine", 30),
        ("nortriptyline", 50),
    ],
)
def test_below_the_minimum_dose_is_too_low(content, treatment, dose):
    assert rate(content, trial(treatment, dose)).adequacy == "dose-too-low"


def test_no_dose_recorded_is_dose_unknown(content):
    assert rate(content, trial("venlafaxine", None)).adequacy == "dose-unknown"


def test_poor_adherence_at_a_good_dose_and_duration(content):
    t = rate(content, trial("sertraline", 150, adherence=Adherence.POOR))
    assert t.adequacy == "poor-adherence"


# --- Order of precedence ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "dose", "adherence", "expected"),
    [
        (28, 25, Adherence.GOOD, "too-short"),  # too short AND dose too low
        (28, None, Adherence.GOOD, "too-short"),  # too short AND dose unknown
        (28, 100, Adherence.POOR, "too-short"),  # too short AND poor adherence
        (28, 25, Adherence.POOR, "too-short"),  # everything wrong
        (56, 25, Adherence.POOR, "dose-too-low"),  # dose too low AND poor adherence
        (56, None, Adherence.POOR, "dose-unknown"),  # dose unknown AND poor adherence
    ],
)
def test_first_shortfall_wins(content, days, dose, adherence, expected):
    assert rate(content, trial("sertraline", dose, days=days, adherence=adherence)).adequacy == expected


# --- Partial and unknown adherence --------------------------------------------------------------


@pytest.mark.parametrize("adherence", [Adherence.PARTIAL, Adherence.UNKNOWN])
def test_partial_or_unknown_adherence_stays_adequate_but_is_named(content, adherence):
    t = rate(content, trial("sertraline", 100, adherence=adherence))
    assert t.adequacy == "adequate"
    assert "adherence" in text(t.reasons).lower()


def test_partial_adherence_with_failed_outcome_still_counts_as_failed(content):
    t = rate(content, trial("sertraline", 100, adherence=Adherence.PARTIAL))
    assert t.failed


# --- Not rated ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "treatment",
    ["ECT", "ect", "electroconvulsive therapy", "CBT", "rTMS", "aripiprazole", "lithium", "esketamine"],
)
def test_treatments_without_a_minimum_dose_are_not_rated(content, treatment):
    t = rate(content, trial(treatment, None, days=14))
    assert t.treatment is not None  # it is in the pack ...
    assert t.adequacy == "not-rated"  # ... but has no dose threshold, even if short and without dose


def test_free_text_not_in_the_pack_is_not_rated(content):
    t = rate(content, trial("St John's wort", 900))
    assert t.treatment is None
    assert t.adequacy == "not-rated"
    assert "St John's wort" in text(t.reasons)


def test_not_rated_reason_says_it_is_not_rated(content):
    t = rate(content, trial("CBT", None))
    assert re.search(r"not rated", text(t.reasons))


# --- Name lookup --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Zoloft", "zoloft", "SERTRALINE", "Sertraline", "  sertraline  ", "Lustral"])
def test_brand_and_any_case_rate_like_the_generic(content, name):
    low, enough = rated(content, trial(name, 49), trial(name, 50))
    assert low.treatment.id == enough.treatment.id == "sertraline"
    assert (low.adequacy, enough.adequacy) == ("dose-too-low", "adequate")


def test_alias_with_formulation_resolves(content):
    t = rate(content, trial("Effexor XR", 75))
    assert t.treatment.id == "venlafaxine"
    assert t.adequacy == "adequate"


# --- Reasons carry the numbers ------------------------------------------------------------------


def test_too_low_reason_gives_the_dose_and_the_minimum(content):
    reasons = text(rate(content, trial("venlafaxine", 37.5)).reasons)
    assert "37.5" in reasons
    assert "75" in reasons
    assert "mg" in reasons


def test_too_short_reason_gives_the_weeks_and_the_minimum(content):
    reasons = text(rate(content, trial("sertraline", 100, days=41)).reasons)
    assert "5.9" in reasons  # 41 days
    assert re.search(r"\b6\b", reasons)


def test_dose_unknown_reason_names_the_minimum(content):
    reasons = text(rate(content, trial("mirtazapine", None)).reasons)
    assert "30" in reasons
    assert "dose" in reasons.lower()


def test_adequate_reason_gives_weeks_and_dose(content):
    reasons = text(rate(content, trial("phenelzine", 60, days=63)).reasons)
    assert "9.0" in reasons  # 63 days = 9 weeks
    assert "60" in reasons
    assert "45" in reasons


def test_poor_adherence_reason_mentions_adherence(content):
    reasons = text(rate(content, trial("sertraline", 100, adherence=Adherence.POOR)).reasons)
    assert "adherence" in reasons.lower()


def test_adequacy_is_rated_for_augmentation_role_too(content):
    # Role does not change the rating; it only changes what is counted.
    t = rate(content, trial("mirtazapine", 15, role=Role.AUGMENTATION))
    assert t.adequacy == "dose-too-low"


# --- Weeks at dose (issue 14) -------------------------------------------------------------------


def test_weeks_count_from_the_date_the_dose_was_reached(content):
    # Worked example: sertraline from 2026-01-05 to 2026-03-02 (8 weeks), 50 mg/day reached on
    # 2026-02-02: 4 weeks at the dose, short of MGH-ATRQ's 6 weeks at or above the minimum dose.
    t = attrs.evolve(trial("sertraline", 50, days=56), dose_reached=START + 28 * DAY)
    r = rate(content, t)
    assert r.adequacy == "too-short"
    assert "4.0 weeks at the dose since 2026-02-02" in text(r.reasons)
    assert r.weeks == 8.0  # the trial's own length is unchanged
    assert rate(content, attrs.evolve(t, dose_reached=None)).adequacy == "adequate"


def test_six_weeks_at_the_dose_is_adequate_and_says_since_when(content):
    t = attrs.evolve(trial("sertraline", 50, days=56), dose_reached=START + 14 * DAY)
    r = rate(content, t)
    assert r.adequacy == "adequate"
    assert "6.0 weeks at 50 mg/day (since 2026-01-19)" in text(r.reasons)
