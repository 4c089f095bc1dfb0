"""Safety alerts, and which treatment options are relevant now."""

from __future__ import annotations

import pytest
from clinical_helpers import DAY, ONSET, VISIT, failed, phq9, session, trial

import trd_tui
from trd_tui.model import Measurement, Outcome, ReviewStatus, Role, Severity

EARLIER = VISIT - 28 * DAY


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def assess(content, *trials, **kwargs):
    return trd_tui.assess(session(*trials, **kwargs), content)


# === Safety =====================================================================================


def test_safety_item_is_suicidality(content):
    assert content.rules.safety_item == "suicidality"


@pytest.mark.parametrize("status", [ReviewStatus.CONCERN, ReviewStatus.FOLLOW_UP])
def test_suicidality_concern_or_follow_up_raises_an_alert(content, status):
    alerts = assess(content, checklist={"suicidality": status}).safety
    assert len(alerts) == 1
    assert alerts[0].source == "checklist"
    assert status.value in alerts[0].message


@pytest.mark.parametrize("status", [ReviewStatus.NO_CONCERN, ReviewStatus.UNREVIEWED])
def test_suicidality_without_concern_raises_nothing(content, status):
    assert assess(content, checklist={"suicidality": status}).safety == ()


def test_concern_on_another_item_is_not_a_safety_alert(content):
    flagged = {"hopelessness": ReviewStatus.CONCERN, "bipolar-features": ReviewStatus.CONCERN}
    assert assess(content, checklist=flagged).safety == ()


@pytest.mark.parametrize("score", [1, 3])
def test_phq9_item_9_above_zero_raises_an_alert(content, score):
    alerts = assess(content, measurements=(phq9(VISIT, score, others=0),)).safety
    assert len(alerts) == 1
    assert "9" in alerts[0].message
    assert VISIT.isoformat() in alerts[0].message


def test_phq9_item_9_zero_raises_nothing_even_with_a_high_total(content):
    assert assess(content, measurements=(phq9(VISIT, 0, others=3),)).safety == ()


def test_phq9_without_item_answers_raises_nothing(content):
    m = Measurement(date=VISIT, instrument="PHQ-9", score=27)
    assert assess(content, measurements=(m,)).safety == ()


def test_older_positive_phq9_followed_by_a_newer_negative_one_raises_nothing(content):
    measurements = (phq9(EARLIER, 2), phq9(VISIT, 0))
    assert assess(content, measurements=measurements).safety == ()


def test_newest_phq9_is_chosen_by_date_not_by_list_order(content):
    # The newer, positive PHQ-9 is listed first.
    assert len(assess(content, measurements=(phq9(VISIT, 1), phq9(EARLIER, 0))).safety) == 1
    # The newer, negative PHQ-9 is listed first.
    assert assess(content, measurements=(phq9(VISIT, 0), phq9(EARLIER, 1))).safety == ()


def test_newer_phq9_without_items_does_not_hide_an_older_positive_one(content):
    no_items = Measurement(date=VISIT, instrument="PHQ-9", score=4)
    assert len(assess(content, measurements=(phq9(EARLIER, 1), no_items)).safety) == 1


@pytest.mark.parametrize("instrument", ["phq9", "PHQ9", "phq-9", "PHQ 9"])
def test_instrument_name_variants_are_recognised(content, instrument):
    alerts = assess(content, measurements=(phq9(VISIT, 1, instrument=instrument),)).safety
    assert len(alerts) == 1


def test_other_instruments_are_not_read_as_phq9(content):
    madrs = Measurement(date=VISIT, instrument="MADRS", score=30, items=(3,) * 10)
    assert assess(content, measurements=(madrs,)).safety == ()


def test_checklist_and_phq9_each_raise_their_own_alert(content):
    a = assess(content, checklist={"suicidality": ReviewStatus.CONCERN}, measurements=(phq9(VISIT, 2),))
    assert len(a.safety) == 2
    assert {alert.source for alert in a.safety} == {"checklist", "PHQ-9"}


# === Relevance: which options the next steps place in a tier ======================================


def placed(a):
    """Option id -> reasons, for the options in a next-steps tier (1 to 3)."""
    return {s.option.id: s.reasons for s in a.next_steps.steps}


def test_a_session_with_nothing_recorded_places_only_psychotherapy(content):
    # CANMAT 2023: bring psychotherapy in early; nothing else follows from an empty record.
    assert set(placed(assess(content))) == {"cbt"}


def test_rtms_is_relevant_after_one_failure(content):
    # FDA clearance (2008) and CANMAT 2023: rTMS after one failed adequate antidepressant trial.
    assert "rtms" not in placed(assess(content))
    one = assess(content, failed(content, "sertraline"))
    assert any("1" in reason and "fail" in reason for reason in placed(one)["rtms"])


@pytest.mark.parametrize("option", ["esketamine"])
def test_esketamine_needs_two_failures(content, option):
    one = assess(content, failed(content, "sertraline"))
    two = assess(content, failed(content, "sertraline"), failed(content, "venlafaxine"))
    assert option not in placed(one)
    assert option in placed(two)
    assert any("2" in reason and "fail" in reason for reason in placed(two)[option])


def test_two_trials_of_one_drug_do_not_make_esketamine_relevant(content):
    a = assess(content, failed(content, "sertraline"), failed(content, "sertraline", start=VISIT - 100 * DAY))
    assert "esketamine" not in placed(a)


def test_optimise_dose_while_an_inadequate_trial_exists(content):
    a = assess(content, failed(content, "sertraline"), trial("venlafaxine", 37.5))
    assert "optimise-dose" in placed(a)
    assert any("inadequate" in reason for reason in placed(a)["optimise-dose"])


def test_optimise_dose_not_relevant_once_every_trial_is_adequate(content):
    a = assess(content, failed(content, "sertraline"), failed(content, "venlafaxine"))
    assert "optimise-dose" not in placed(a)


def test_optimise_dose_ignores_previous_episode_and_augmentation_trials(content):
    before = ONSET - 100 * DAY
    a = assess(
        content,
        trial("citalopram", 10, start=before, end=before + 60 * DAY),
        trial("mirtazapine", 15, role=Role.AUGMENTATION),
    )
    assert "optimise-dose" not in placed(a)


@pytest.mark.parametrize("status", [ReviewStatus.CONCERN, ReviewStatus.FOLLOW_UP])
def test_mood_stabiliser_when_bipolar_features_are_flagged(content, status):
    a = assess(content, checklist={"bipolar-features": status})
    assert "mood-stabiliser" in placed(a)
    assert any("Bipolar features" in reason for reason in placed(a)["mood-stabiliser"])


def test_mood_stabiliser_not_relevant_when_bipolar_features_reviewed_without_concern(content):
    a = assess(content, checklist={"bipolar-features": ReviewStatus.NO_CONCERN})
    assert "mood-stabiliser" not in placed(a)


def test_ect_relevant_for_a_severe_psychotic_episode(content):
    a = assess(content, severity=Severity.SEVERE_PSYCHOTIC)
    assert "ect" in placed(a)
    assert any("severe-psychotic" in reason for reason in placed(a)["ect"])


def test_ect_not_relevant_for_severe_without_psychosis_alone(content):
    assert "ect" not in placed(assess(content, severity=Severity.SEVERE))


def test_ect_relevant_with_a_safety_alert(content):
    a = assess(content, measurements=(phq9(VISIT, 1),))
    assert "ect" in placed(a)


def test_every_holding_condition_gives_a_reason(content):
    a = assess(
        content,
        failed(content, "sertraline"),
        failed(content, "venlafaxine"),
        severity=Severity.SEVERE_PSYCHOTIC,
        checklist={"suicidality": ReviewStatus.CONCERN},
    )
    # severe-psychotic and high risk both put ECT in tier 1; the tier-2 reason (failures) is not repeated
    assert len(placed(a)["ect"]) == 2
    assert a.next_steps.get("ect").tier == 1


@pytest.mark.parametrize(
    ("severity", "relevant"),
    [
        (Severity.MODERATE, False),
        (Severity.SEVERE, True),
        (Severity.SEVERE_PSYCHOTIC, True),
    ],
)
def test_severity_at_least_includes_worse_levels(content, severity, relevant):
    # intensive-outpatient: "severity >= severe" (or a safety alert).
    assert ("intensive-outpatient" in placed(assess(content, severity=severity))) is relevant


def test_partial_response_in_the_current_episode_makes_augmentation_relevant(content):
    # A too-short trial still going, with partial response: no failure, but a partial response.
    a = assess(content, trial("sertraline", 100, start=VISIT - 28 * DAY, end=None, outcome=Outcome.PARTIAL))
    assert a.trd.failed_adequate_antidepressants == 0
    assert "aripiprazole-augmentation" in placed(a)
    assert any("partial" in reason for reason in placed(a)["aripiprazole-augmentation"])


def test_partial_response_in_a_previous_episode_does_not_count(content):
    before = ONSET - 100 * DAY
    old = trial("sertraline", 100, days=28, start=before, outcome=Outcome.PARTIAL)
    assert "aripiprazole-augmentation" not in placed(assess(content, old))


def test_options_without_conditions_are_never_relevant(content):
    a = assess(
        content,
        *(failed(content, tid) for tid in ("sertraline", "venlafaxine", "nortriptyline", "phenelzine", "bupropion")),
        trial("mirtazapine", 7.5),  # below its minimum: an inadequate trial
        trial("quetiapine", 300, outcome=Outcome.PARTIAL),
        severity=Severity.SEVERE_PSYCHOTIC,
        checklist={item: ReviewStatus.CONCERN for item in content.checklist_items},
    )
    assert "psilocybin" not in placed(a)
    assert "cannabis" not in placed(a)
    # Everything else with a tier rule is placed in this session, except what the trials rule
    # out: bupropion tried adequately without response, quetiapine with a partial response only.
    ruled_out = {"bupropion-combination", "quetiapine-augmentation"}
    expected = {o.id for o in content.options.values() if o.tier_rules} - ruled_out
    assert set(placed(a)) == expected


def test_checklist_progress_counts_flags(content):
    a = assess(
        content,
        checklist={
            "bipolar-features": ReviewStatus.CONCERN,
            "suicidality": ReviewStatus.FOLLOW_UP,
            "sleep": ReviewStatus.NO_CONCERN,
        },
    )
    assert a.checklist.reviewed == 3
    assert a.checklist.total == len(content.checklist_items)
    assert (a.checklist.concerns, a.checklist.follow_ups) == (1, 1)
    assert set(a.checklist.flagged) == {"bipolar-features", "suicidality"}



def test_every_condition_kind_reads_in_words() -> None:
    from trd_tui.pack.conditions import parse_condition

    label = {"bipolar-features": "Bipolar features"}.get
    assert parse_condition("failed >= 1").describe(label) == "at least 1 failed adequate antidepressant trial in this episode"
    assert parse_condition("failed >= 2").describe(label) == "at least 2 failed adequate antidepressant trials in this episode"
    assert parse_condition("flagged bipolar-features").describe(label) == "checklist: Bipolar features marked concern or follow-up"
    assert parse_condition("severity >= severe").describe(label) == "episode severity severe or worse"
    for plain in ("inadequate-trials", "partial-response", "safety-alert"):
        assert parse_condition(plain).describe(label) != plain  # worded, not the pack's syntax
