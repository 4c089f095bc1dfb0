"""Next steps: worked vignettes, each following a passage of the guidelines' sequencing.

The passages are those of /work/shared/reference/clinical-facts.md ("Sequencing", "Corrections"),
from CANMAT 2023 [CAN] and NICE NG222 [NICE]. Each vignette asserts the tier-1 set, what is ruled
out and why, and the cautions a clinician must see.
"""

from __future__ import annotations

import attrs
import pytest
from clinical_helpers import DAY, START, VISIT, failed, phq9, session, trial

import trd_tui
from trd_tui.clinical.next_steps import NOT_NOW, TIER_WORDS
from trd_tui.model import OptionNote, OptionStatus, Outcome, Patient, ReviewStatus, Role, Severity, with_visit
from trd_tui.storage.sessionfile import load_demo


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def at(n: int):
    """The start of the n-th trial in a sequence, nine weeks apart."""
    return START + n * 63 * DAY


def steps(content, *trials, birth_year=None, options=(), **kwargs):
    s = session(*trials, **kwargs)
    s = with_visit(attrs.evolve(s, patient=Patient("test", birth_year=birth_year)), options=tuple(options))
    return trd_tui.assess(s, content).next_steps


def tier1(ns) -> set[str]:
    return {s.option.id for s in ns.tier(1)}


def not_now(ns, option_id) -> str:
    step = ns.get(option_id)
    assert step is not None and step.tier is None, f"{option_id} is in tier {step.tier if step else '?'}"
    return " | ".join(step.reasons)


def applying(ns, option_id) -> str:
    return " | ".join(c.text for c, _why in ns.get(option_id).cautions)


def test_one_failure_switch_rtms_and_psychotherapy_come_first(content):
    # CAN/NICE 1.9: after one trial without response, switch; add psychotherapy; rTMS is an option
    # from one failure (Corrections: CANMAT first line after >= 1 antidepressant).
    ns = steps(content, failed(content, "sertraline"))
    assert tier1(ns) == {"switch-between-class", "rtms", "cbt"}
    assert "considered with" in not_now(ns, "esketamine")  # after >= 2 failures only
    assert "considered with" in not_now(ns, "aripiprazole-augmentation")


def test_two_failures_with_partial_response_on_the_current_drug_bring_adjuncts(content):
    # CAN Table 7.2: partial response on a tolerated drug -> raise the dose or add an adjunct;
    # first-line adjuncts aripiprazole or brexpiprazole, rTMS; second-line adjuncts next.
    current = failed(content, "venlafaxine", start=at(2), end=None, outcome=Outcome.PARTIAL)
    ns = steps(content, failed(content, "sertraline"), failed(content, "mirtazapine", start=at(1)), current)
    assert tier1(ns) == {"aripiprazole-augmentation", "brexpiprazole-augmentation", "rtms", "optimise-dose", "cbt"}
    assert ns.get("bupropion-combination").tier == 2
    assert ns.get("switch-between-class").tier == 2
    assert any("not first" in r for r in ns.get("switch-between-class").reasons)
    # within tier 2, CANMAT's second line with level-1 evidence before level 2
    order = [s.option.id for s in ns.tier(2)]
    assert order.index("quetiapine-augmentation") < order.index("cariprazine-augmentation")


def test_four_failures_a_failed_augmentation_and_psychotic_features_at_76(content):
    # CAN; NICE 1.12-1.13: psychotic depression -> antidepressant plus antipsychotic, or ECT, in
    # specialist care; esketamine trials excluded psychosis [SPR]; an agent without a minimum
    # dose tried >= the minimum weeks without response counts as failed.
    trials = [failed(content, t, start=at(i)) for i, t in enumerate(["sertraline", "venlafaxine", "mirtazapine"])]
    ari = trial("aripiprazole", 5, start=at(3), role=Role.AUGMENTATION)
    trials += [failed(content, "escitalopram", start=at(3)), ari]
    ns = steps(content, *trials, birth_year=1950, checklist={"psychotic-features": ReviewStatus.CONCERN})
    assert tier1(ns) == {
        "ect", "antipsychotic-combination", "reassess-diagnosis", "specialist-referral", "rtms", "brexpiprazole-augmentation",
    }
    assert "without response" in not_now(ns, "aripiprazole-augmentation")
    assert ns.get("esketamine").tier == 3
    assert "excluded" in " ".join(ns.get("esketamine").reasons)
    assert "excluded from the trials" in applying(ns, "esketamine")
    assert ns.get("cbt").tier == 2  # psychotherapy once the psychosis improves (NICE)


def test_severe_with_active_suicidality_puts_the_safety_plan_first(content):
    # Sequencing, high suicide risk: risk assessment and safety plan first, means restriction;
    # avoid drugs dangerous in overdose; ECT when rapid response is needed (CAN; NICE 1.13).
    ns = steps(
        content,
        failed(content, "sertraline"),
        failed(content, "venlafaxine", start=at(1)),
        severity=Severity.SEVERE,
        checklist={"suicidality": ReviewStatus.CONCERN},
        measurements=(phq9(VISIT - 7 * DAY, 3),),
    )
    assert ns.steps[0].option.id == "safety-plan"
    assert {"safety-plan", "ect"} <= tier1(ns)
    assert "Dangerous in overdose" in applying(ns, "switch-tca-maoi")
    assert "high suicide risk" in " ".join(ns.get("ect").reasons)


def test_refusing_food_or_drink_puts_ect_in_tier_1(content):
    # Sequencing, ECT: first line when rapid response is needed, including refusal of food or
    # fluids (CAN; NICE 1.13); otherwise after failures.
    ns = steps(content, failed(content, "sertraline"), checklist={"refusing-food": ReviewStatus.CONCERN})
    assert tier1(ns) == {"ect", "switch-between-class", "rtms", "cbt"}
    assert "Refusing food or drink" in " ".join(ns.get("ect").reasons)
    assert "considered with" in not_now(steps(content, failed(content, "sertraline")), "ect")


def test_item9_of_one_alone_is_not_high_risk_but_asks_for_the_risk_assessment(content):
    # PHQ-9 item 9 above 0: a suicide-risk assessment is indicated [PHQ]; ECT first needs high risk.
    ns = steps(content, measurements=(phq9(VISIT - 7 * DAY, 1),))
    assert tier1(ns) == {"safety-plan"}
    assert ns.get("ect").tier == 3


def test_bipolar_features_put_reassessment_and_a_mood_stabiliser_first(content):
    # Sequencing, bipolar features: reassess the diagnosis before another antidepressant; avoid
    # antidepressant monotherapy (CAN; CANMAT/ISBD 2018).
    ns = steps(content, failed(content, "sertraline"), checklist={"bipolar-features": ReviewStatus.CONCERN})
    assert tier1(ns) == {"reassess-diagnosis", "mood-stabiliser", "rtms", "cbt"}
    assert ns.get("switch-between-class").tier == 3
    assert any("bipolar" in r for r in ns.get("switch-between-class").reasons)


def test_an_adjunct_not_tolerated_is_ruled_out_with_its_date(content):
    # CAN: switch for intolerance to a better-tolerated option; do not offer it again.
    ari = trial("aripiprazole", 5, start=at(2), days=21, role=Role.AUGMENTATION, outcome=Outcome.NOT_TOLERATED)
    ari = attrs.evolve(ari, side_effects=("akathisia",))
    ns = steps(content, failed(content, "sertraline"), failed(content, "venlafaxine", start=at(1)), ari)
    reason = not_now(ns, "aripiprazole-augmentation")
    assert "not tolerated: akathisia" in reason and ari.end.isoformat() in reason
    assert "brexpiprazole-augmentation" in tier1(ns)


def test_maoi_after_fluoxetine_shows_the_five_week_washout(content):
    # Corrections, MAOIs: 5 weeks after stopping fluoxetine before an MAOI (labels) [FDA-FLX].
    flx = failed(content, "fluoxetine", start=VISIT - 80 * DAY, end=VISIT - 21 * DAY)
    ns = steps(content, failed(content, "sertraline"), failed(content, "venlafaxine", start=at(1)), flx)
    assert ns.get("switch-tca-maoi").tier == 3  # third line, specialist (CAN, NICE)
    assert "at least 5 weeks after stopping fluoxetine" in applying(ns, "switch-tca-maoi")


def test_pregnancy_brings_specialist_advice_first_and_holds_back_esketamine(content):
    # Sequencing, pregnancy: specialist advice; esketamine not recommended (Corrections) [SPR].
    ns = steps(content, *two_failures(content), checklist={"pregnancy": ReviewStatus.CONCERN})
    assert tier1(ns) == {"specialist-referral", "aripiprazole-augmentation", "brexpiprazole-augmentation", "rtms", "cbt"}
    assert ns.get("esketamine").tier == 3
    assert any("esketamine is not recommended" in r for r in ns.get("esketamine").reasons)
    assert "Not recommended in pregnancy" in applying(ns, "esketamine")
    assert "Not recommended in pregnancy" not in applying(steps(content, *two_failures(content)), "esketamine")


def test_an_option_adding_the_current_drug_is_not_offered(content):
    # Issue 16: an option that adds drug X is not offered while X is the current drug; bupropion is
    # a strong CYP2D6 inhibitor, so the aripiprazole label halves its dose [FDA-ARI].
    bup = failed(content, "bupropion", start=at(2), end=None, outcome=Outcome.PARTIAL)
    ns = steps(content, failed(content, "sertraline"), failed(content, "venlafaxine", start=at(1)), bup)
    assert "current treatment" in not_now(ns, "bupropion-combination")
    assert "halves the aripiprazole dose" in applying(ns, "aripiprazole-augmentation")


def test_lithium_without_a_minimum_dose_tried_without_response_is_ruled_out(content):
    # Issue 16 (2): an agent without a minimum dose, tried for the minimum weeks with no response.
    li = trial("lithium", None, start=at(2), role=Role.AUGMENTATION)
    ns = steps(content, failed(content, "sertraline"), failed(content, "venlafaxine", start=at(1)), li)
    assert "Lithium was tried for 8 weeks without response" in not_now(ns, "lithium-augmentation")
    short = trial("lithium", None, start=at(2), days=14, role=Role.AUGMENTATION)
    assert steps(content, failed(content, "sertraline"), failed(content, "venlafaxine", start=at(1)), short).get(
        "lithium-augmentation"
    ).tier == 2


def test_an_option_the_patient_declined_is_not_now(content):
    # Shared decision-making: the patient's decision stands until revisited.
    declined = OptionNote("esketamine", OptionStatus.DECLINED)
    ns = steps(content, failed(content, "sertraline"), failed(content, "venlafaxine", start=at(1)), options=[declined])
    assert "declined by the patient" in not_now(ns, "esketamine")


def test_partial_response_on_a_trial_that_ended_does_not_bring_adjuncts(content):
    # Sequencing: add an adjunct for a partial response on a tolerated CURRENT drug only.
    ended = failed(content, "venlafaxine", outcome=Outcome.PARTIAL)
    ns = steps(content, ended)
    assert "aripiprazole-augmentation" not in tier1(ns)
    assert ns.get("aripiprazole-augmentation").tier is None


def test_an_inadequate_trial_is_optimised_before_counting_a_failure(content):
    # Sequencing: before calling a trial failed, reassess dose and duration (CAN).
    ns = steps(content, trial("sertraline", 25))
    assert tier1(ns) == {"optimise-dose"}
    assert "considered with" in not_now(ns, "rtms")


def test_an_older_adult_on_citalopram_sees_the_dose_cap(content):
    # Corrections: citalopram at most 20 mg/day over 60 (FDA label, QTc).
    ns = steps(content, trial("citalopram", 10, end=None), birth_year=1955)
    assert "optimise-dose" in tier1(ns)
    assert "no more than 20 mg/day" in applying(ns, "optimise-dose")


def test_vns_dbs_tdcs_and_investigational_options_are_never_tier_1(content):
    # Sequencing: VNS and tDCS third line, DBS and psilocybin investigational (CAN).
    trials = [failed(content, t, start=at(i)) for i, t in enumerate(["sertraline", "venlafaxine", "mirtazapine", "escitalopram"])]
    ns = steps(content, *trials, severity=Severity.SEVERE)
    for option_id in ("vns", "tdcs", "clinical-trials", "switch-tca-maoi"):
        assert ns.get(option_id).tier == 3
    assert ns.get("psilocybin").tier is None and ns.get("cannabis").tier is None


def test_with_nothing_recorded_only_psychotherapy_is_offered(content):
    ns = steps(content)
    assert tier1(ns) == set()
    assert [s.option.id for s in ns.steps] == ["cbt"]


def test_on_the_demo_tier_1_holds_at_most_six_options_each_with_a_reason(content):
    ns = trd_tui.assess(load_demo(), content).next_steps
    assert 1 <= len(ns.tier(1)) <= 6
    assert all(s.reasons for s in ns.steps)
    assert "akathisia" in not_now(ns, "aripiprazole-augmentation")
    assert "declined" in not_now(ns, "lithium-augmentation")


def test_every_step_has_a_tier_word_and_glyph(content):
    ns = trd_tui.assess(load_demo(), content).next_steps
    for s in (*ns.steps, *ns.not_now):
        assert s.words in (*TIER_WORDS.values(), NOT_NOW) and s.glyph


# -- the sequencing is pack data, checked like the rest of the pack ---------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('{tier = 1, when = "failed >= 1", source = "CAN"}', '{tier = 4, when = "failed >= 1", source = "CAN"}',
         '"rtms".tier_rules[0].tier: must be 1 (consider first), 2 (next) or 3 (later or specialist)'),
        ('{tier = 1, when = "failed >= 1", source = "CAN"}', '{tier = 1, when = "failed >= 1", source = "XYZ"}',
         "\"rtms\".tier_rules[0].source: unknown source id 'XYZ'"),
        ('{tier = 1, when = "failed >= 1", source = "CAN"}', '{tier = 1, when = "flagged nonsense", source = "CAN"}',
         "\"rtms\".tier_rules[0].when: flagged nonsense: no checklist item 'nonsense'"),
        ('{tier = 1, when = "failed >= 1", source = "CAN"}', '{tier = 1, when = "failed twice", source = "CAN"}',
         "unknown condition 'failed twice'"),
        ('adds = ["rtms"]', 'adds = ["rtmz"]', "\"rtms\".adds: no treatment 'rtmz'"),
    ],
)
def test_a_bad_tier_rule_is_located_by_content_check(tmp_path, old, new, expected):
    from test_content import copy_pack

    from trd_tui.pack.load import check_content

    pack = copy_pack(tmp_path)
    path = pack / "options.toml"
    text = path.read_text(encoding="utf-8")
    at = text.index('id = "rtms"')
    path.write_text(text[:at] + text[at:].replace(old, new, 1), encoding="utf-8")
    found = [str(p) for p in check_content(pack)]
    assert any(expected in p for p in found), found


# -- cautions that follow from the record (each names its source) -------------------------------


def two_failures(content):
    return failed(content, "sertraline"), failed(content, "venlafaxine", start=at(1))


def test_cyp2d6_inhibitors_bring_the_aripiprazole_and_tricyclic_cautions(content):
    # Corrections, bupropion: strong CYP2D6 inhibitor, raises aripiprazole (label halves the dose)
    # and TCAs [FDA-BUP, FDA-ARI]; fluoxetine and paroxetine likewise for aripiprazole [FDA-ARI].
    flx = failed(content, "fluoxetine", start=at(2), end=None, outcome=Outcome.PARTIAL)
    assert "halves the aripiprazole dose" in applying(steps(content, *two_failures(content), flx), "aripiprazole-augmentation")
    bup = failed(content, "bupropion", start=at(2), end=None, outcome=Outcome.PARTIAL)
    assert "raises tricyclic levels" in applying(steps(content, *two_failures(content), bup), "switch-tca-maoi")
    assert "raises tricyclic levels" not in applying(steps(content, *two_failures(content)), "switch-tca-maoi")


def test_maoi_washout_after_an_ssri_is_dated_from_the_last_dose(content):
    # Corrections, MAOIs: about 2 weeks after most other serotonergic antidepressants (labels).
    ser = failed(content, "sertraline", start=VISIT - 70 * DAY, end=VISIT - 7 * DAY)
    ns = steps(content, failed(content, "venlafaxine"), ser)
    step = ns.get("switch-tca-maoi")
    why = next(why for c, why in step.cautions if "about 2 weeks after stopping" in c.text)
    assert why == "Sertraline last taken 2026-11-13 (1.0 weeks ago): 2 weeks from then is 2026-11-27"


def test_checklist_findings_bring_their_cautions(content):
    # Corrections, bupropion: contraindicated in abrupt alcohol withdrawal; seizure risk [FDA-BUP].
    # Sequencing, bipolar features: avoid antidepressant monotherapy [CAN].
    ns = steps(content, *two_failures(content), checklist={"alcohol": ReviewStatus.CONCERN})
    assert "Alcohol use flagged" in applying(ns, "bupropion-combination")
    ns = steps(content, failed(content, "sertraline"), checklist={"bipolar-features": ReviewStatus.CONCERN})
    assert "avoid antidepressant monotherapy" in applying(ns, "switch-within-class")
    assert "avoid antidepressant monotherapy" not in applying(steps(content, failed(content, "sertraline")), "switch-within-class")


def test_age_65_brings_the_older_adult_cautions(content):
    # Sequencing, older adults: lower lithium targets, hyponatraemia and falls with SSRIs/SNRIs,
    # anticholinergic burden of TCAs [CAN, NICE].
    old = steps(content, *two_failures(content), birth_year=1955)
    assert "lower target level" in applying(old, "lithium-augmentation")
    assert "Anticholinergic burden" in applying(old, "switch-tca-maoi")
    assert "hyponatraemia" in applying(old, "switch-within-class")
    young = steps(content, *two_failures(content), birth_year=1980)
    assert "lower target level" not in applying(young, "lithium-augmentation")
    assert "Anticholinergic burden" not in applying(young, "switch-tca-maoi")


def test_a_safety_alert_brings_the_overdose_cautions_on_tricyclics_and_maois(content):
    # Corrections, TCAs dangerous in overdose [NICE]; Sequencing: avoid drugs dangerous in overdose.
    ns = steps(content, *two_failures(content), checklist={"suicidality": ReviewStatus.CONCERN})
    shown = applying(ns, "switch-tca-maoi")
    assert "Dangerous in overdose (NICE names lofepramine" in shown and "Dangerous in overdose: where suicide risk" in shown


def test_every_caution_shown_names_a_source_of_the_pack(content):
    ns = steps(content, *two_failures(content), birth_year=1950, checklist={"alcohol": ReviewStatus.CONCERN})
    shown = [c for s in ns.steps for c, _ in s.cautions]
    assert shown and all(c.source in content.sources for c in shown)


def test_taking_one_of_several_is_written_with_or():
    from trd_tui.pack.conditions import parse_condition

    c = parse_condition("taking bupropion or  fluoxetine within 2 weeks")
    assert c.ids == ("bupropion", "fluoxetine") and c.weeks == 2
    assert str(c) == "taking bupropion or fluoxetine within 2 weeks"
    assert c.describe(str, str.title) == "taking Bupropion or Fluoxetine now or within the last 2 weeks"


def test_content_check_names_an_unknown_id_in_an_or_list(tmp_path):
    from test_content import copy_pack, edit

    from trd_tui.pack.load import check_content

    pack = copy_pack(tmp_path)
    edit(pack, "treatments.toml", '"taking bupropion or fluoxetine or paroxetine"', '"taking bupropion or prozak"')
    assert any("no treatment or drug class 'prozak'" in str(p) for p in check_content(pack))


def test_help_explains_the_tiers_from_the_packs_own_rules(content):
    # F1 is written from the same rules the engine applies: a changed rule changes the help.
    from trd_tui.ui.screens.help import help_markdown

    text = help_markdown(content)
    assert "applied to the record, for the clinician to weigh; never an order" in text
    assert "**rTMS (including iTBS)**: ① at least 1 failed adequate antidepressant trial in this episode (CANMAT 2023)" in text
    assert "**Cannabis**: not now: CANMAT 2023: not recommended" in text
    rtms = content.options["rtms"]
    changed = attrs.evolve(rtms, tier_rules=(attrs.evolve(rtms.tier_rules[0], tier=2),))
    changed_pack = attrs.evolve(content, options={**content.options, "rtms": changed})
    assert "**rTMS (including iTBS)**: ② at least 1 failed" in help_markdown(changed_pack)
