"""Dose units: a dose reads in its treatment's own unit everywhere (25 mcg of liothyronine is never
"25 mg/day"), while the session file keeps mg, so a saved number means the same under any pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import trd_tui
from clinical_helpers import session
from test_content import copy_pack, edit
from trd_tui.clinical.since import timeline_changes
from trd_tui.document import read_checked
from trd_tui.export.data import to_data
from trd_tui.export.fhir import to_fhir_bundle
from trd_tui.export.summary import to_markdown
from trd_tui.model import Outcome, Role, Trial
from trd_tui.pack.load import check_content
from trd_tui.pack.doses import MG_PER_DAY, UNITS, unit_of
from trd_tui.storage.sessionfile import load_session, save_session
from ui_helpers import TODAY, content

START = dt.date(2026, 6, 1)


def trial(treatment: str, dose_mg: float, **kw) -> Trial:
    return Trial(treatment=treatment, dose_mg=dose_mg, start=START, **{"role": Role.AUGMENTATION, **kw})


@pytest.mark.parametrize(("treatment", "unit"), [
    ("liothyronine", "mcg/day"),  # CANMAT: T3 25–50 mcg
    ("esketamine", "mg/dose"),  # 56–84 mg per session, not per day
    ("ketamine", "mg/kg"),  # 0.5–1.0 mg/kg IV: by body weight
    ("sertraline", "mg/day"),
    ("lithium", "mg/day"),
])
def test_each_treatment_has_the_unit_its_usual_dose_is_written_in(treatment: str, unit: str) -> None:
    known = content().treatments[treatment]
    assert unit_of(known).name == unit


def test_every_usual_dose_in_the_pack_is_written_in_its_treatments_unit() -> None:
    """A pack whose usual dose says mcg or mg/kg under an mg/day field would invite a 1000-fold slip."""
    for known in content().treatments.values():
        unit = unit_of(known)
        if "mcg" in known.usual_dose:
            assert unit.name == "mcg/day", known.id
        if "/kg" in known.usual_dose:
            assert unit.per_mg is None, known.id


def test_free_text_and_unknown_treatments_read_in_mg_per_day() -> None:
    assert unit_of(None) is MG_PER_DAY
    assert unit_of(content().treatment("fish oil")) is MG_PER_DAY


@pytest.mark.parametrize("typed", [25, 12.5, 37.5, 50, 0.1])
def test_a_dose_typed_in_mcg_is_kept_in_mg_and_reads_back_as_typed(typed: float) -> None:
    mcg = UNITS["mcg/day"]
    assert mcg.kept(typed) == pytest.approx(typed / 1000)
    assert mcg.text(mcg.kept(typed)) == f"{typed:g} mcg/day"
    assert mcg.text(mcg.kept(typed), column=True) == f"{typed:g} mcg"


def test_a_whole_mg_dose_stays_whole() -> None:
    assert repr(MG_PER_DAY.kept(150)) == "150" and repr(UNITS["mg/dose"].kept(84)) == "84"


def test_a_kept_number_of_a_weight_dosed_treatment_claims_no_unit_it_cannot_know() -> None:
    """A number typed before ketamine's unit was known is shown as mg, neither per day nor per kg."""
    assert UNITS["mg/kg"].text(35) == "35 mg"
    assert UNITS["mg/kg"].refusal("Ketamine (IV racemic)") == (
        "Ketamine (IV racemic) is dosed by body weight (mg/kg): write the dose in the note")


def test_liothyronine_in_mcg_round_trips_through_the_file_as_mg(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    save_session(session(trial("liothyronine", 0.025), visit=TODAY), path)
    assert "dose_mg = 0.025" in path.read_text(encoding="utf-8")
    assert load_session(path).trials[0].dose_mg == 0.025


def exports(*trials: Trial) -> str:
    a = trd_tui.assess(session(*trials, visit=TODAY), content())
    bundle = to_fhir_bundle(a, content())
    dosages = [e["resource"]["dosage"][0]["text"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    doses = [t["dose"] for t in to_data(a, content())["trials"]]
    return "\n".join([to_markdown(a, content()), *dosages, *map(str, doses)])


def test_every_export_writes_each_dose_in_its_unit() -> None:
    text = exports(trial("liothyronine", 0.025), trial("esketamine", 84), trial("sertraline", 150, role=Role.MONOTHERAPY))
    for expected in ("25 mcg/day, augmentation", "84 mg/dose, augmentation", "150 mg/day, monotherapy",  # FHIR
                     "25 mcg/day", "84 mg/dose", "150 mg/day",  # JSON
                     "| 25 mcg |", "| 84 mg/dose |", "| 150 mg |"):  # the summary's table
        assert expected in text
    assert "25 mg" not in text and "0.025" not in text


def test_a_not_tolerated_trial_names_its_dose_in_its_unit() -> None:
    t = trial("liothyronine", 0.05, end=START + dt.timedelta(weeks=2), outcome=Outcome.NOT_TOLERATED)
    assert "50 mcg/day" in exports(t)


def test_since_last_visit_names_a_started_dose_in_its_unit() -> None:
    changes = timeline_changes(session(trial("esketamine", 56), visit=TODAY), START - dt.timedelta(days=1), TODAY, content())
    assert changes.trials[0].startswith("Started Esketamine (intranasal) 56 mg/dose")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('dose_unit = "mcg/day"', 'dose_unit = "micrograms"', 'treatment[', ),
    ('id = "sertraline"', 'id = "sertraline"\ndose_unit = "mcg/day"', '"sertraline".min_dose_mg: only with dose_unit'),
])
def test_the_pack_refuses_a_unit_it_cannot_show_or_rate(tmp_path: Path, old: str, new: str, expected: str) -> None:
    pack = copy_pack(tmp_path)
    edit(pack, "treatments.toml", old, new)
    problems = [str(p) for p in check_content(pack)]
    assert any(expected in p for p in problems), problems
    if "micrograms" in new:
        assert any("dose_unit: must be one of mg/day | mcg/day | mg/dose | mg/kg" in p for p in problems), problems


def test_opening_a_file_names_a_dose_typed_before_its_unit_was_known(tmp_path: Path) -> None:
    """Older files took liothyronine's 25 mcg as 25 mg/day, and any number for IV ketamine: kept, and named."""
    path = tmp_path / "s.toml"
    slips = (trial("liothyronine", 25), trial("ketamine", 35), trial("liothyronine", 0.025), trial("esketamine", 84))
    save_session(session(*slips, visit=TODAY), path)
    warnings = {p.path: p.message for p in read_checked(path, content()).warnings if p.path.endswith("dose_mg")}
    assert warnings == {
        "trials[0].dose_mg": "Liothyronine reads as 25000 mcg/day (the file keeps 25 mg); if 25 mcg was meant, "
                             "edit the trial: its dose field takes mcg/day",
        "trials[1].dose_mg": "Ketamine (IV racemic) is dosed by body weight (mg/kg): write the dose in the note "
                             "(the file keeps 35 mg)",
    }
    assert [t.dose_mg for t in read_checked(path, content()).session.trials] == [25, 35, 0.025, 84]  # nothing lost
