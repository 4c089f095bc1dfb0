"""Current episode, failed adequate antidepressant trials, and the TRD definition."""

from __future__ import annotations

import re

import attrs

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


@pytest.mark.parametrize("outcome", [Outcome.RESPONSE, Outcome.REMISSION, Outcome.UNKNOWN])
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


# --- The definition applied and Sforzini 2022's category (issue 14) ----------------------------


def test_the_definition_applied_is_ema_rybak_and_cites_them_not_sforzini(content):
    # Worked example: sertraline and venlafaxine, each 8 weeks at the minimum dose, partial response
    # (25-49 %) to both: two failures under the < 50 % rule of EMA 2013 and Rybak 2021.
    a = assess(
        content,
        failed(content, "sertraline", outcome=Outcome.PARTIAL),
        failed(content, "venlafaxine", outcome=Outcome.PARTIAL),
    )
    assert a.trd.definition == "ema-rybak"
    assert a.trd.failed_adequate_antidepressants == 2 and a.trd.meets_definition
    rule = a.trd.rule
    assert "< 50 % improvement" in rule
    assert content.sources["EMA"].label in rule and content.sources["RYB"].label in rule
    assert content.sources["SFZ"].label not in rule  # Sforzini counts only < 25 %: not this rule's source
    assert "meets the EMA guideline / Rybak 2021 definition (2 or more)" in a.trd.reasons


@pytest.mark.parametrize(
    ("outcomes", "category", "non_responses"),
    [
        # two non-responses (< 25 %): treatment-resistant in Sforzini's terms too
        ((Outcome.NONE, Outcome.NONE), "treatment-resistant", 2),
        # one non-response and one partial response: failed twice (< 50 %), but only partially responsive
        ((Outcome.NONE, Outcome.PARTIAL), "partially responsive", 1),
        ((Outcome.PARTIAL, Outcome.PARTIAL), "partially responsive", 0),
        # one failure: no category
        ((Outcome.NONE, Outcome.RESPONSE), None, 1),
    ],
)
def test_sforzini_category_counts_non_responses_among_the_failures(content, outcomes, category, non_responses):
    first, second = outcomes
    a = assess(content, failed(content, "sertraline", outcome=first), failed(content, "venlafaxine", outcome=second))
    assert (a.trd.sforzini, a.trd.non_responses) == (category, non_responses)
    label = content.sources["SFZ"].label
    assert a.trd.sforzini_reason.startswith(f"{label} category: {category or 'none'}")
    assert a.trd.sforzini_reason in a.trd.reasons


def test_a_drug_that_failed_twice_is_one_non_response_for_sforzini(content):
    a = assess(
        content,
        failed(content, "sertraline"),
        failed(content, "sertraline", start=START + 70 * DAY),
        failed(content, "venlafaxine", outcome=Outcome.PARTIAL),
    )
    assert (a.trd.failed_adequate_antidepressants, a.trd.non_responses) == (2, 1)
    assert a.trd.sforzini == "partially responsive"


def test_summary_states_the_definition_and_the_sforzini_category(content):
    from trd_tui.export.data import to_data
    from trd_tui.export.summary import to_markdown

    a = assess(content, failed(content, "sertraline"), failed(content, "venlafaxine", outcome=Outcome.PARTIAL))
    data = to_data(a, content)["trd"]
    assert data["definition"]["id"] == "ema-rybak"
    assert data["definition"]["sources"] == ["EMA", "RYB"]
    assert data["failed_adequate_antidepressants"] == 2
    assert data["sforzini"]["category"] == "partially responsive"
    assert data["sforzini"]["non_responses"] == 1
    markdown = to_markdown(a, content)
    assert "Definition applied: at least 2 different antidepressants failed" in markdown
    from trd_tui.export.text import to_text  # the plain text for the record says the same

    plain = to_text(a, content)
    assert "Definition applied: at least 2 different antidepressants failed" in plain
    assert "category: partially responsive depression; 1 of 2 failures were non-responses" in plain
    assert (
        "Sforzini 2022 (Delphi consensus) category: partially responsive depression; 1 of 2 failures were "
        "non-responses (\\< 25 % improvement), the only failures it counts"
    ) in markdown


def test_header_tooltip_and_help_state_both(content):
    from trd_tui.ui.screens.help import help_markdown
    from trd_tui.ui.widgets.status_bar import trd_tooltip

    a = assess(content, failed(content, "sertraline"), failed(content, "venlafaxine"))
    tooltip = trd_tooltip(a)
    assert tooltip.startswith("Meets the TRD definition applied: at least 2 different antidepressants")
    assert "EMA guideline / Rybak 2021" in tooltip
    assert "Sforzini 2022 (Delphi consensus) category: treatment-resistant depression" in tooltip
    help_text = help_markdown(content)
    assert content.rules.trd.rule(content.cite) in help_text
    assert "Sforzini 2022" in help_text and "partially responsive" in help_text


# --- Intolerance is not resistance (issue 14) --------------------------------------------------


def test_a_trial_stopped_for_side_effects_in_week_2_is_not_tolerated_and_not_optimised(content):
    from trd_tui.export.data import to_data
    from trd_tui.export.summary import to_markdown

    # Worked example: sertraline 50 mg/day from 2026-01-05, stopped on 2026-01-19 (2 weeks) for nausea.
    stopped = attrs.evolve(
        trial("sertraline", 50, days=14, outcome=Outcome.NOT_TOLERATED),
        side_effects=("nausea",),
        stop_reason="side effects",
    )
    a = assess(content, stopped)
    (t,) = a.trials
    assert t.adequacy == "not-tolerated" and t.adequacy.words == "not tolerated"  # not too-short
    assert not t.failed
    assert a.trd.inadequate_trials == () and a.trd.not_tolerated == (0,)
    assert a.next_steps.get("optimise-dose").tier is None
    markdown = to_markdown(a, content)
    assert "optimis" not in markdown.casefold()
    assert "Not tolerated (intolerance, not resistance" in markdown
    assert "- Sertraline: 2.0 weeks; 50 mg/day; side effects: nausea; stopped: side effects" in markdown
    data = to_data(a, content)
    assert data["trd"]["not_tolerated_trials"] == [0] and data["trd"]["inadequate_trials"] == []
    assert data["trials"][0]["adequacy"] == "not-tolerated"


def test_an_intolerance_beside_a_too_short_trial_leaves_only_that_one_for_optimising(content):
    a = assess(content, trial("sertraline", 50, days=14, outcome=Outcome.NOT_TOLERATED), trial("venlafaxine", 150, days=21))
    assert a.trd.inadequate_trials == (1,)
    assert a.trd.not_tolerated == (0,)
    assert a.next_steps.get("optimise-dose").tier == 1


# --- Measured response that contradicts the record (issue 14) ----------------------------------


def test_trd_reasons_name_a_trial_whose_measured_band_contradicts_the_recorded_outcome(content):
    from trd_tui.model import Measurement

    # Worked example: sertraline recorded "none", PHQ-9 20 at the start and 8 after 7 weeks:
    # 60 % better, a response.
    ms = (Measurement(START, "PHQ-9", 20), Measurement(START + 49 * DAY, "PHQ-9", 8))
    a = assess(content, failed(content, "sertraline"), measurements=ms)
    assert a.trials[0].failed  # the record decides; the engine only points at the contradiction
    assert (
        "Sertraline (trial 1): recorded outcome none, but PHQ-9 shows +60% (response): "
        "check the outcome before counting it"
    ) in a.trd.reasons
