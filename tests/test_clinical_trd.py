"""Current episode, failed adequate antidepressant trials, and the TRD definition."""

from __future__ import annotations

import re

import pytest
from clinical_helpers import DAY, ONSET, START, failed, session, text, trial

import trd_tui
from trd_tui.model import Adherence, Outcome, Role


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def assess(content, *trials, **kwargs):
    return trd_tui.assess(session(*trials, **kwargs), content)


# --- Episode membership -------------------------------------------------------------------------


def test_trial_ending_the_day_before_onset_is_a_previous_episode(content):
    t = failed(content, "sertraline", start=ONSET - 70 * DAY, end=ONSET - DAY)
    a = assess(content, t)
    assert not a.trials[0].current_episode
    assert not a.trials[0].failed
    assert a.trd.failed_adequate_antidepressants == 0
    assert "2025-12-01" in text(a.trials[0].reasons)


def test_trial_ending_on_the_onset_day_is_in_the_current_episode(content):
    a = assess(content, failed(content, "sertraline", start=ONSET - 70 * DAY, end=ONSET))
    assert a.trials[0].current_episode
    assert a.trials[0].failed
    assert a.trd.failed_adequate_antidepressants == 1


def test_ongoing_trial_started_before_onset_is_in_the_current_episode(content):
    a = assess(content, failed(content, "sertraline", start=ONSET - 70 * DAY, end=None))
    assert a.trials[0].current_episode


def test_without_onset_every_trial_is_current_and_the_reasons_say_why(content):
    long_ago = failed(content, "sertraline", start=START.replace(year=2015), end=START.replace(year=2015) + 56 * DAY)
    a = assess(content, long_ago, failed(content, "venlafaxine"), onset=None)
    assert all(t.current_episode for t in a.trials)
    assert a.trd.failed_adequate_antidepressants == 2
    for t in a.trials:
        assert re.search(r"\bno\b[^|]*onset", text(t.reasons), re.IGNORECASE)


# --- Which trials are failures ------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.NONE, Outcome.PARTIAL])
def test_no_or_partial_response_to_an_adequate_trial_is_a_failure(content, outcome):
    a = assess(content, failed(content, "sertraline", outcome=outcome))
    assert a.trials[0].failed
    assert a.trd.failed_adequate_antidepressants == 1


@pytest.mark.parametrize("outcome", [Outcome.RESPONSE, Outcome.REMISSION, Outcome.NOT_TOLERATED, Outcome.UNKNOWN])
def test_other_outcomes_are_not_failures(content, outcome):
    a = assess(content, failed(content, "sertraline", outcome=outcome))
    assert a.trials[0].adequacy == "adequate"
    assert not a.trials[0].failed
    assert a.trd.failed_adequate_antidepressants == 0


def test_combination_role_counts(content):
    a = assess(content, failed(content, "mirtazapine", role=Role.COMBINATION))
    assert a.trials[0].failed
    assert a.trd.failed_adequate_antidepressants == 1


def test_augmentation_role_does_not_count_even_for_an_antidepressant(content):
    a = assess(content, failed(content, "sertraline"), failed(content, "mirtazapine", role=Role.AUGMENTATION))
    assert a.trials[1].adequacy == "adequate"
    assert not a.trials[1].failed
    assert a.trd.failed_adequate_antidepressants == 1
    assert "augmentation" in text(a.trials[1].reasons).lower()


def test_inadequate_trial_with_no_response_is_not_a_failure(content):
    a = assess(content, trial("sertraline", 100, days=28), trial("venlafaxine", 37.5))
    assert not any(t.failed for t in a.trials)
    assert a.trd.failed_adequate_antidepressants == 0


@pytest.mark.parametrize("treatment", ["ECT", "esketamine", "lithium", "CBT", "St John's wort"])
def test_non_antidepressants_with_no_response_are_not_antidepressant_failures(content, treatment):
    a = assess(content, trial(treatment, 900, role=Role.MONOTHERAPY))
    assert not a.trials[0].failed
    assert a.trd.failed_adequate_antidepressants == 0


def test_same_drug_failed_twice_counts_once(content):
    first = failed(content, "sertraline")
    again = failed(content, "sertraline", start=START + 120 * DAY)
    a = assess(content, first, again)
    assert a.trials[0].failed and a.trials[1].failed
    assert a.trd.failed_adequate_antidepressants == 1
    assert not a.trd.meets_definition


def test_brand_and_generic_of_one_drug_count_once(content):
    a = assess(content, trial("Zoloft", 100), trial("sertraline", 150, start=START + 120 * DAY))
    assert a.trd.failed_adequate_antidepressants == 1
    assert a.trd.failed_treatments == ("sertraline",)


def test_previous_episode_failures_are_not_counted(content):
    before = ONSET - 100 * DAY
    a = assess(
        content,
        failed(content, "citalopram", start=before, end=before + 60 * DAY),
        failed(content, "duloxetine", start=before, end=before + 60 * DAY),
        failed(content, "sertraline"),
    )
    assert a.trd.failed_adequate_antidepressants == 1
    assert a.trd.failed_treatments == ("sertraline",)
    assert not a.trd.meets_definition


# --- The definition -----------------------------------------------------------------------------


def test_one_failure_does_not_meet_the_definition(content):
    a = assess(content, failed(content, "sertraline"))
    assert a.trd.failed_adequate_antidepressants == 1
    assert not a.trd.meets_definition


def test_two_different_failures_meet_the_definition(content):
    a = assess(content, failed(content, "sertraline"), failed(content, "venlafaxine", start=START + 70 * DAY))
    assert a.trd.failed_adequate_antidepressants == 2
    assert a.trd.meets_definition
    assert a.trd.failed_treatments == ("sertraline", "venlafaxine")


def test_two_failures_in_the_same_class_meet_the_definition(content):
    a = assess(content, failed(content, "sertraline"), failed(content, "citalopram"))
    assert a.trd.meets_definition


def test_one_adequate_failure_plus_an_inadequate_trial_does_not_meet_it(content):
    a = assess(content, failed(content, "sertraline"), trial("venlafaxine", 37.5))
    assert a.trd.failed_adequate_antidepressants == 1
    assert not a.trd.meets_definition


def test_trd_reasons_give_the_count_and_the_drugs(content):
    a = assess(content, failed(content, "sertraline"), failed(content, "venlafaxine"))
    reasons = text(a.trd.reasons)
    assert "2" in reasons
    assert "Sertraline" in reasons and "Venlafaxine" in reasons


# --- Inadequate trials --------------------------------------------------------------------------


def test_inadequate_trials_lists_current_episode_antidepressant_trials_not_adequate(content):
    before = ONSET - 100 * DAY
    a = assess(
        content,
        failed(content, "sertraline"),  # 0 adequate: not listed
        trial("venlafaxine", 150, days=21),  # 1 too short: listed
        trial("mirtazapine", 15, role=Role.AUGMENTATION),  # 2 augmentation: excluded
        trial("citalopram", 10, start=before, end=before + 60 * DAY),  # 3 previous episode: excluded
        trial("CBT", None),  # 4 not an antidepressant: excluded
        trial("fluoxetine", None, role=Role.COMBINATION),  # 5 dose unknown, combination: listed
        failed(content, "quetiapine", adherence=Adherence.POOR),  # 6 poor adherence: listed
        trial("St John's wort", 900),  # 7 free text: excluded
        failed(content, "bupropion", outcome=Outcome.RESPONSE),  # 8 adequate responder: not listed
    )
    assert a.trd.inadequate_trials == (1, 5, 6)


def test_no_inadequate_trials_when_every_antidepressant_trial_is_adequate(content):
    a = assess(content, failed(content, "sertraline"), failed(content, "venlafaxine", outcome=Outcome.RESPONSE))
    assert a.trd.inadequate_trials == ()
