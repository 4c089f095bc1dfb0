"""Staging of treatment resistance: the Maudsley Staging Method and Thase–Rush."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from clinical_helpers import DAY, ONSET, START, VISIT, failed, session, trial

import trd_tui
from trd_tui.model import Outcome, Role, Severity

# All 32 antidepressants in the bundled pack, for sessions with many distinct failures.
ANTIDEPRESSANTS = (
    "citalopram escitalopram fluoxetine paroxetine sertraline desvenlafaxine duloxetine levomilnacipran "
    "milnacipran venlafaxine bupropion mirtazapine mianserin vilazodone vortioxetine agomelatine amitriptyline "
    "clomipramine desipramine doxepin imipramine nortriptyline protriptyline trimipramine moclobemide trazodone "
    "quetiapine nefazodone selegiline phenelzine tranylcypromine reboxetine fluvoxamine lofepramine dosulepin "
    "isocarboxazid"
).split()


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def test_the_pack_has_the_antidepressants_these_tests_use(content):
    assert sorted(ANTIDEPRESSANTS) == sorted(t.id for t in content.treatments.values() if t.is_antidepressant)


def failures(content, n):
    return [failed(content, tid) for tid in ANTIDEPRESSANTS[:n]]


def msm(content, *trials, onset=ONSET, severity=Severity.MODERATE):
    return trd_tui.assess(session(*trials, onset=onset, severity=severity), content).maudsley


def stage(content, *trials, **kwargs):
    return trd_tui.assess(session(*trials, **kwargs), content).thase_rush.stage


# === Maudsley Staging Method ====================================================================

# --- Duration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("onset", "months", "points"),
    [
        (dt.date(2025, 11, 21), 11, 1),
        (dt.date(2025, 11, 20), 12, 1),
        (dt.date(2025, 10, 21), 12, 1),
        (dt.date(2025, 10, 20), 13, 2),
        (dt.date(2024, 11, 20), 24, 2),
        (dt.date(2024, 10, 21), 24, 2),
        (dt.date(2024, 10, 20), 25, 3),
        (dt.date(2019, 1, 1), 94, 3),
    ],
)
def test_duration_points_from_complete_months(content, onset, months, points):
    assert VISIT == dt.date(2026, 11, 20)
    a = trd_tui.assess(session(failed(content, "sertraline"), onset=onset, severity=Severity.MODERATE), content)
    assert a.episode_months == months
    assert a.maudsley.score is not None
    assert a.maudsley.score.duration == points


# --- Severity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "points"),
    [
        (Severity.SUBSYNDROMAL, 1),
        (Severity.MILD, 2),
        (Severity.MODERATE, 3),
        (Severity.SEVERE, 4),
        (Severity.SEVERE_PSYCHOTIC, 5),
    ],
)
def test_severity_points(content, severity, points):
    score = msm(content, failed(content, "sertraline"), severity=severity).score
    assert score.severity == points


# --- Antidepressant failures --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "points"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (10, 4), (11, 5), (32, 5)],
)
def test_failure_points(content, n, points):
    score = msm(content, *failures(content, n)).score
    assert score.antidepressants == points


def test_failure_points_count_distinct_drugs_not_trials(content):
    # Three failed trials, but two of them of the same drug: 2 failures -> 1 point, not 2.
    again = failed(content, "sertraline", start=START + 100 * DAY)
    score = msm(content, failed(content, "sertraline"), again, failed(content, "citalopram")).score
    assert score.antidepressants == 1


def test_maudsley_reasons_carry_the_numbers(content):
    score = msm(content, *failures(content, 3), onset=dt.date(2025, 10, 20), severity=Severity.SEVERE).score
    reasons = " | ".join(score.reasons)
    assert "13" in reasons  # complete months
    assert "severe" in reasons
    assert re.search(r"\b3\b[^|]*fail", reasons)  # the failures
    assert str(score.score) in reasons  # the total, 2 + 4 + 2 = 8
    assert score.score == 8


# --- Augmentation and ECT -----------------------------------------------------------------------


def test_no_augmentation_no_ect_scores_zero_for_both(content):
    score = msm(content, failed(content, "sertraline")).score
    assert (score.augmentation, score.ect) == (0, 0)


@pytest.mark.parametrize("agent", ["aripiprazole", "lithium", "mirtazapine", "T3"])
def test_augmentation_point(content, agent):
    score = msm(content, failed(content, "sertraline"), trial(agent, None, role=Role.AUGMENTATION)).score
    assert score.augmentation == 1


def test_augmentation_in_a_previous_episode_scores_nothing(content):
    before = ONSET - 100 * DAY
    old = trial("lithium", None, role=Role.AUGMENTATION, start=before, end=before + 60 * DAY)
    assert msm(content, failed(content, "sertraline"), old).score.augmentation == 0


@pytest.mark.parametrize("outcome", [Outcome.RESPONSE, Outcome.NONE])
def test_ect_point_whatever_the_outcome(content, outcome):
    score = msm(content, failed(content, "sertraline"), trial("ECT", None, outcome=outcome)).score
    assert score.ect == 1


def test_ect_in_a_previous_episode_scores_nothing(content):
    before = ONSET - 100 * DAY
    old = trial("ECT", None, start=before, end=before + 30 * DAY)
    assert msm(content, failed(content, "sertraline"), old).score.ect == 0


# --- Total and band -----------------------------------------------------------------------------


def test_worked_example_total(content):
    # 25 months (3) + severe (4) + 3 failures (2) + augmentation (1) + ECT (1) = 11: severe.
    score = msm(
        content,
        *failures(content, 3),
        trial("lithium", None, role=Role.AUGMENTATION),
        trial("ECT", None),
        onset=dt.date(2024, 10, 20),
        severity=Severity.SEVERE,
    ).score
    assert (score.duration, score.severity, score.antidepressants, score.augmentation, score.ect) == (3, 4, 2, 1, 1)
    assert score.score == 11
    assert score.band == "severe"


def test_lowest_possible_score_is_mild_3(content):
    score = msm(content, failed(content, "sertraline"), severity=Severity.SUBSYNDROMAL).score
    assert (score.score, score.band) == (3, "mild")


def test_highest_possible_score_is_severe_15(content):
    score = msm(
        content,
        *failures(content, 11),
        trial("lithium", None, role=Role.AUGMENTATION),
        trial("ECT", None),
        onset=dt.date(2020, 1, 1),
        severity=Severity.SEVERE_PSYCHOTIC,
    ).score
    assert (score.score, score.band) == (15, "severe")


def test_band_boundary_6_mild_7_moderate(content):
    # <=12 months (1) + moderate (3) + 1 failure (1) + augmentation (1) = 6; + ECT = 7.
    base = [failed(content, "sertraline"), trial("lithium", None, role=Role.AUGMENTATION)]
    six = msm(content, *base).score
    seven = msm(content, *base, trial("ECT", None)).score
    assert (six.score, six.band) == (6, "mild")
    assert (seven.score, seven.band) == (7, "moderate")


def test_band_boundary_10_moderate_11_severe(content):
    # >24 months (3) + severe (4) + 3 failures (2) + augmentation (1) = 10; + ECT = 11.
    base = [*failures(content, 3), trial("lithium", None, role=Role.AUGMENTATION)]
    kw = {"onset": dt.date(2024, 1, 1), "severity": Severity.SEVERE}
    ten = msm(content, *base, **kw).score
    eleven = msm(content, *base, trial("ECT", None), **kw).score
    assert (ten.score, ten.band) == (10, "moderate")
    assert (eleven.score, eleven.band) == (11, "severe")


# --- Not computed -------------------------------------------------------------------------------


def test_not_computed_without_onset(content):
    result = msm(content, failed(content, "sertraline"), onset=None)
    assert result.score is None
    assert len(result.missing) == 1
    assert "onset" in result.missing[0]


def test_not_computed_without_severity(content):
    result = msm(content, failed(content, "sertraline"), severity=None)
    assert result.score is None
    assert len(result.missing) == 1
    assert "severity" in result.missing[0]


def test_not_computed_without_a_failed_trial(content):
    # Trials exist, but none is a failed adequate antidepressant trial of this episode.
    before = ONSET - 100 * DAY
    result = msm(
        content,
        trial("sertraline", 25),
        failed(content, "venlafaxine", outcome=Outcome.RESPONSE),
        failed(content, "citalopram", start=before, end=before + 60 * DAY),
    )
    assert result.score is None
    assert len(result.missing) == 1
    assert "fail" in result.missing[0]


def test_every_missing_input_is_named(content):
    result = msm(content, onset=None, severity=None)
    assert result.score is None
    joined = " ".join(result.missing)
    assert len(result.missing) == 3
    assert "onset" in joined and "severity" in joined and "fail" in joined


def test_nothing_missing_when_computed(content):
    result = msm(content, failed(content, "sertraline"))
    assert result.score is not None
    assert result.missing == ()


# === Thase–Rush =================================================================================


def fail_all(content, *ids, **kwargs):
    return [failed(content, tid, **kwargs) for tid in ids]


def test_stage_0_without_failures(content):
    assert stage(content) == 0
    assert stage(content, trial("sertraline", 25), failed(content, "venlafaxine", outcome=Outcome.RESPONSE)) == 0


def test_stage_i_one_class(content):
    assert stage(content, *fail_all(content, "sertraline")) == 1


def test_two_drugs_of_one_class_stay_stage_i(content):
    assert stage(content, *fail_all(content, "sertraline", "citalopram", "fluoxetine")) == 1


def test_stage_ii_two_classes(content):
    assert stage(content, *fail_all(content, "sertraline", "venlafaxine")) == 2


def test_stage_iii_ssri_snri_tca(content):
    assert stage(content, *fail_all(content, "sertraline", "venlafaxine", "nortriptyline")) == 3


def test_tca_plus_one_other_class_is_stage_ii_not_iii(content):
    # Without the TCA only one class has failed, so stage II does not hold without it.
    assert stage(content, *fail_all(content, "sertraline", "nortriptyline")) == 2


def test_stage_iv_ssri_snri_tca_maoi(content):
    a = trd_tui.assess(session(*fail_all(content, "sertraline", "venlafaxine", "nortriptyline", "phenelzine")), content)
    assert a.thase_rush.stage == 4
    assert a.thase_rush.roman == "IV"


def test_ssri_tca_maoi_is_not_stage_iv(content):
    # Without TCA and MAOI only the SSRI class is left: stage III, not IV.
    assert stage(content, *fail_all(content, "sertraline", "nortriptyline", "phenelzine")) == 3


def test_selegiline_counts_as_an_maoi(content):
    assert stage(content, *fail_all(content, "sertraline", "venlafaxine", "nortriptyline", "selegiline")) == 4


def test_moclobemide_is_a_rima_not_an_maoi(content):
    assert content.treatments["moclobemide"].class_ == "rima"
    assert stage(content, *fail_all(content, "sertraline", "venlafaxine", "nortriptyline", "moclobemide")) == 3


def test_tca_used_as_augmentation_does_not_reach_stage_iii(content):
    trials = [*fail_all(content, "sertraline", "venlafaxine"), failed(content, "amitriptyline", role=Role.AUGMENTATION)]
    assert stage(content, *trials) == 2


def test_previous_episode_tca_does_not_count(content):
    before = ONSET - 100 * DAY
    trials = [*fail_all(content, "sertraline", "venlafaxine"), failed(content, "nortriptyline", start=before, end=before + 60 * DAY)]
    assert stage(content, *trials) == 2


IV = ("sertraline", "venlafaxine", "nortriptyline", "phenelzine")


@pytest.mark.parametrize("outcome", [Outcome.NONE, Outcome.PARTIAL])
def test_stage_v_after_iv_with_a_failed_ect_course(content, outcome):
    a = trd_tui.assess(session(*fail_all(content, *IV), trial("ECT", None, outcome=outcome)), content)
    assert a.thase_rush.stage == 5
    assert a.thase_rush.roman == "V"


@pytest.mark.parametrize("outcome", [Outcome.RESPONSE, Outcome.REMISSION])
def test_ect_that_worked_stays_stage_iv(content, outcome):
    assert stage(content, *fail_all(content, *IV), trial("ECT", None, outcome=outcome)) == 4


def test_failed_ect_before_stage_iv_does_not_raise_the_stage(content):
    trials = fail_all(content, "sertraline", "venlafaxine", "nortriptyline")
    assert stage(content, *trials, trial("ECT", None, outcome=Outcome.NONE)) == 3


def test_failed_ect_in_a_previous_episode_does_not_reach_stage_v(content):
    before = ONSET - 100 * DAY
    old_ect = trial("ECT", None, outcome=Outcome.NONE, start=before, end=before + 30 * DAY)
    assert stage(content, *fail_all(content, *IV), old_ect) == 4


def test_thase_rush_reasons_name_the_failed_classes(content):
    a = trd_tui.assess(session(*fail_all(content, "sertraline", "venlafaxine", "nortriptyline")), content)
    reasons = " | ".join(a.thase_rush.reasons)
    assert "classes with a failed adequate trial: SNRI, SSRI, TCA" in reasons
    assert "III" in reasons
