"""Issue 14 parts 5-7: the re-checked dose table, drug classes, structured cautions, crisis lines by region.

Worked examples a psychiatrist can check by hand against the cited sources.
"""

from __future__ import annotations

import json

import attrs

import pytest

import trd_tui
from clinical_helpers import DAY, VISIT, failed, session, text, trial
from test_content import copy_pack, edit
from trd_tui.clinical.adequacy import rate_adequacy
from trd_tui.pack.conditions import parse_condition
from trd_tui.pack.load import check_content
from trd_tui.model import Outcome


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def assess(content, *trials, **kwargs):
    region = kwargs.pop("region", "US")
    return trd_tui.assess(session(*trials, **kwargs), content, region=region)


# -- part 5: doses and classes -------------------------------------------------------------------


def test_mirtazapine_15_mg_for_6_weeks_is_adequate(content):
    rating = rate_adequacy(trial("mirtazapine", 15, days=42), content, VISIT)
    assert rating.adequacy == "adequate", rating.reasons
    assert "15 mg/day" in text(rating.reasons) and "Mirtazapine US label" in text(rating.reasons)


def test_amitriptyline_75_mg_is_a_starting_dose_not_an_adequate_one(content):
    rating = rate_adequacy(trial("amitriptyline", 75, days=56), content, VISIT)
    assert rating.adequacy == "dose-too-low"
    assert "150 mg/day" in text(rating.reasons)
    assert "to be confirmed against the original" in text(rating.reasons)  # the row is marked to confirm


def test_moclobemide_needs_300_mg(content):
    assert rate_adequacy(trial("moclobemide", 150), content, VISIT).adequacy == "dose-too-low"
    assert rate_adequacy(trial("moclobemide", 300), content, VISIT).adequacy == "adequate"


def test_two_ssris_are_one_class_for_thase_rush(content):
    a = assess(content, failed(content, "escitalopram"), failed(content, "citalopram"), failed(content, "fluvoxamine"))
    assert a.trd.failed_adequate_antidepressants == 3
    assert a.thase_rush.stage == 1


def test_a_starting_dose_tca_does_not_reach_stage_iii(content):
    # SSRI + SNRI failed adequately; amitriptyline 75 mg/day was a starting dose, so no TCA failure.
    trials = [failed(content, "sertraline"), failed(content, "venlafaxine"), trial("amitriptyline", 75)]
    assert assess(content, *trials).thase_rush.stage == 2
    assert assess(content, *trials[:2], trial("amitriptyline", 150)).thase_rush.stage == 3


def test_isocarboxazid_counts_as_an_maoi_for_stage_iv(content):
    trials = [failed(content, d) for d in ("sertraline", "venlafaxine", "lofepramine", "isocarboxazid")]
    assert assess(content, *trials).thase_rush.stage == 4


def test_an_undeclared_class_is_a_pack_problem(tmp_path):
    pack = copy_pack(tmp_path)
    edit(pack, "treatments.toml", 'class = "nri"', 'class = "nri-new"')
    assert any("unknown drug class 'nri-new'" in p.message for p in check_content(pack))


# -- part 6: cautions ----------------------------------------------------------------------------


def test_caution_conditions_parse_and_read():
    washout = parse_condition("taking  fluoxetine within 5 weeks")
    assert (washout.kind, washout.argument, washout.weeks) == ("taking", "fluoxetine", 5)
    assert str(washout) == "taking fluoxetine within 5 weeks"
    assert washout.describe(str) == "taking fluoxetine now or within the last 5 weeks"
    assert parse_condition("age >= 60").argument == 60
    assert parse_condition("always").kind == "always"
    with pytest.raises(ValueError, match="taking ID"):
        parse_condition("taking")


def test_every_caution_cites_a_known_source(content):
    holders = [*content.treatments.values(), *content.drug_classes.values()]
    cautions = [c for h in holders for c in h.cautions]
    assert len(cautions) >= 25
    assert all(c.source in content.sources and c.text.strip() for c in cautions)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('applies_when = "age >= 60", source = "FDA-CIT"', 'applies_when = "age >= 60", source = "NOPE"', "unknown source id 'NOPE'"),
        ('applies_when = "age >= 60"', 'applies_when = "age over 60"', "unknown condition 'age over 60'"),
        ('"taking fluoxetine within 5 weeks", source = "FDA-FLX"}', '"taking prozak within 5 weeks", source = "FDA-FLX"}', "no treatment or drug class 'prozak'"),
    ],
)
def test_a_broken_caution_is_a_pack_problem(tmp_path, old, new, message):
    pack = copy_pack(tmp_path)
    edit(pack, "treatments.toml", old, new)
    problems = [str(p) for p in check_content(pack)]
    assert any(message in p and "cautions[" in p for p in problems), problems


def test_fluoxetine_washout_applies_for_5_weeks_after_stopping(content):
    def washout(weeks_ago):
        stopped = trial("fluoxetine", 20, start=VISIT - (weeks_ago * 7 + 60) * DAY, end=VISIT - weeks_ago * 7 * DAY)
        cautions = assess(content, stopped).option_cautions["switch-tca-maoi"]
        return next(reason for c, reason in cautions if "5 weeks after stopping fluoxetine" in c.text)

    # the washout's end is dated from the last dose: 2026-10-30 + 5 weeks
    assert washout(3) == "Fluoxetine last taken 2026-10-30 (3.0 weeks ago): 5 weeks from then is 2026-12-04"
    assert washout(6) is None


def test_tca_overdose_caution_applies_with_a_safety_alert(content):
    def overdose(**kwargs):
        cautions = assess(content, **kwargs).option_cautions["switch-tca-maoi"]
        return next(reason for c, reason in cautions if "where there is a risk of suicide" in c.text)

    assert overdose() is None
    assert overdose(checklist={content.rules.safety_item: "concern"}) == "safety alert"


def test_lithium_monitoring_follows_nice_ng222(content):
    texts = " ".join(c.text for c in content.treatments["lithium"].cautions)
    assert "weekly" in texts and "every 3 months for the first year" in texts and "every 6 months" in texts
    assert "6–12 months" not in content.options["lithium-augmentation"].monitoring


def test_only_nice_named_adjuncts_cite_nice(content):
    for drug in ("brexpiprazole", "cariprazine", "ziprasidone"):
        assert content.treatments[drug].sources == ("CAN",), drug
    for option in ("brexpiprazole-augmentation", "cariprazine-augmentation"):
        assert "NICE" not in content.options[option].sources
    for drug in ("aripiprazole", "olanzapine", "quetiapine", "risperidone", "lithium"):
        assert "NICE" in content.treatments[drug].sources


def test_option_detail_shows_the_cautions_that_apply_now(content):
    from trd_tui.ui.panes.options import option_markdown

    a = assess(content, trial("bupropion", 300, end=None), trial("sertraline", 100, outcome=Outcome.PARTIAL))
    option = content.options["aripiprazole-augmentation"]
    shown = option_markdown(option, content, None, None, cautions=a.option_cautions[option.id])
    assert "### Safety cautions" in shown
    assert "**⚠ Applies now (taking Bupropion):** With a strong CYP2D6 inhibitor" in shown
    quiet = assess(content).option_cautions[option.id]
    assert "Applies now" not in option_markdown(option, content, None, None, cautions=quiet)


# -- part 7: crisis resources by region ----------------------------------------------------------


def test_crisis_resources_for_five_regions_each_cited(content):
    assert set(content.rules.crisis_regions) >= {"US", "GB", "CA", "AU", "IE"}
    assert all(r.source in content.sources for r in content.rules.crisis)
    contacts = {region: " ".join(r.contact for r in content.rules.crisis_for(region)) for region in content.rules.crisis_regions}
    assert "116 123" in contacts["GB"] and "999" in contacts["GB"] and "988" not in contacts["GB"]
    assert "13 11 14" in contacts["AU"] and "000" in contacts["AU"]
    assert "988" in contacts["CA"] and "116 123" in contacts["IE"]


def test_summary_uses_the_region_in_every_format(content):
    from trd_tui.export.formats import render

    a = assess(content, checklist={content.rules.safety_item: "concern"}, region="AU")
    for name in ("markdown", "text"):
        shown = render(name, a, content)
        assert "Crisis resources (AU)" in shown and "13 11 14" in shown and "988" not in shown, name
    data = json.loads(render("json", a, content))["safety"]
    assert data["region"] == "AU" and {r["source"] for r in data["crisis"]} == {"LIFELINE-AU"}


def test_a_line_to_be_confirmed_says_so(content):
    from trd_tui.export.summary import to_markdown

    a = assess(content, checklist={content.rules.safety_item: "concern"}, region="IE")
    assert "112 or 999 (to be confirmed against the original" in to_markdown(a, content)


def test_citalopram_dose_limits_apply_when_raising_its_dose(content):
    def applying(*trials, birth_year=None):
        s = session(*trials)
        s = attrs.evolve(s, patient=attrs.evolve(s.patient, birth_year=birth_year))
        cautions = trd_tui.assess(s, content).option_cautions["optimise-dose"]
        return {c.text.split(":")[0]: reason for c, reason in cautions}

    on_citalopram = trial("citalopram", 20, end=None)
    assert applying(on_citalopram, birth_year=1980) == {
        "Dose-dependent QTc prolongation": "taking Citalopram",
        "Over 60 years of age, or with hepatic impairment": None,
    }
    assert applying(on_citalopram, birth_year=1960)["Over 60 years of age, or with hepatic impairment"] == "age 66 this year (≥ 60)"
    assert applying()["Dose-dependent QTc prolongation"] is None
