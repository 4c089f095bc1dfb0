"""FHIR R4 export: the bundle a real FHIR model library accepts, and ``trd-tui export``.

The bundles are validated with fhir.resources 6.4.0, whose models are FHIR R4
(4.0.1); later releases model R4B and R5 (see pyproject.toml).
"""

from __future__ import annotations

import copy
import json
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import fhir.resources
import pydantic
import pytest
from fhir.resources.bundle import Bundle
from hypothesis import HealthCheck, given, settings

from clinical_helpers import VISIT, phq9, session, trial
from strategies import sessions
from test_cli import run, session_file  # noqa: F401  (session_file is a fixture)
from test_sessionfile import example_toml
from trd_tui import load_content
from trd_tui.clinical.assess import assess
from trd_tui.export.fhir import to_fhir_bundle
from trd_tui.model import Measurement, Session
from trd_tui.storage.sessionfile import load_demo, parse

PHQ9_ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
PHQ9_ANSWERS = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


@pytest.fixture(scope="module")
def content():
    return load_content()


def bundle_of(s: Session, content, **kwargs: Any) -> dict[str, Any]:
    return to_fhir_bundle(assess(s, content), content, **kwargs)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def references(value: Any) -> list[str]:
    """Every ``reference`` anywhere in a resource tree."""
    if isinstance(value, dict):
        own = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return own + [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


def codes(concept: dict[str, Any]) -> list[str]:
    return [c["code"] for c in concept.get("coding", [])]


def validate(bundle: dict[str, Any]) -> Bundle:
    return Bundle.parse_obj(bundle)


# -- the bundle ---------------------------------------------------------------


def test_the_library_models_fhir_r4() -> None:
    assert fhir.resources.__fhir_version__ == "4.0.1"


def test_demo_bundle_is_valid_fhir_r4_with_one_resource_per_record(content) -> None:
    bundle = bundle_of(load_demo(), content)
    parsed = validate(bundle)
    assert (parsed.resource_type, parsed.type) == ("Bundle", "collection")
    # 3 visits; 6 drug trials; 8 PHQ-9s, one with items; the Maudsley score.
    assert Counter(type(e.resource).__name__ for e in parsed.entry) == {
        "Patient": 1,
        "Encounter": 3,
        "MedicationStatement": 6,
        "QuestionnaireResponse": 1,
        "Observation": 9,
    }


def test_the_validation_has_teeth(content) -> None:
    bundle = bundle_of(load_demo(), content)
    broken = copy.deepcopy(bundle)
    del resources(broken, "MedicationStatement")[0]["status"]
    with pytest.raises(pydantic.ValidationError, match="status"):
        validate(broken)


def test_references_resolve_and_ids_are_stable(content) -> None:
    demo = load_demo()
    bundle = bundle_of(demo, content)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    assert set(references(bundle)) <= set(urls)
    patient = bundle["entry"][0]["fullUrl"]
    assert all(e["resource"]["subject"] == {"reference": patient} for e in bundle["entry"][1:])
    assert bundle_of(demo, content) == bundle  # same session, same bundle


def test_identified_and_identifier_free_exports_share_no_id(content) -> None:
    ids = [{e["fullUrl"] for e in bundle_of(load_demo(), content, include_identifiers=flag)["entry"]} for flag in (False, True)]
    assert not ids[0] & ids[1]


def test_patient_has_no_identifiers_by_default(content) -> None:
    bundle = bundle_of(parse(example_toml()), content)
    assert resources(bundle, "Patient") == [{"resourceType": "Patient"}]
    text = json.dumps(bundle)
    assert "Patient A" not in text and "MRN 0042" not in text and "birthDate" not in text


def test_patient_identifiers_when_asked(content) -> None:
    bundle = bundle_of(parse(example_toml()), content, include_identifiers=True)
    validate(bundle)
    assert resources(bundle, "Patient") == [
        {
            "resourceType": "Patient",
            "name": [{"text": "Patient A"}],
            "identifier": [{"value": "MRN 0042"}],
            "birthDate": "1984",
            "gender": "female",
        }
    ]


def test_phq9_items_and_answers_are_coded(content) -> None:
    items = (0, 1, 2, 3, 0, 1, 2, 3, 1)
    m = Measurement(VISIT, "phq9", score=13, items=items, difficulty=2)
    bundle = bundle_of(session(measurements=(m,)), content)
    validate(bundle)
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert (response["status"], response["authored"]) == ("completed", "2026-11-20")
    *item_answers, difficulty = response["item"]
    assert [i["linkId"] for i in item_answers] == PHQ9_ITEMS
    assert [i["answer"][0]["valueCoding"]["code"] for i in item_answers] == [PHQ9_ANSWERS[x] for x in items]
    assert item_answers[3]["answer"][0]["valueCoding"]["display"] == "Nearly every day"
    assert difficulty["linkId"] == "69722-7" and difficulty["answer"] == [{"valueString": "Very difficult"}]

    (observation,) = resources(bundle, "Observation")  # no MSM: nothing failed
    assert codes(observation["code"]) == ["44249-1"] and observation["status"] == "final"
    total, *answers = observation["component"]
    assert codes(total["code"]) == ["44261-6"] and total["valueInteger"] == 13 == sum(items)
    assert [codes(a["code"])[0] for a in answers] == [*PHQ9_ITEMS, "69722-7"]
    assert [codes(a["valueCodeableConcept"]) for a in answers[:-1]] == [[PHQ9_ANSWERS[x]] for x in items]
    assert observation["interpretation"] == [{"text": "moderate"}]
    response_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is response)
    assert observation["derivedFrom"] == [{"reference": response_url}]


def test_phq9_total_only_or_items_that_do_not_add_up_give_the_total_alone(content) -> None:
    total_only = Measurement(VISIT, "PHQ-9", score=12)
    wrong_sum = attrs.evolve(phq9(VISIT, 0), score=20)  # items add up to 8
    bundle = bundle_of(session(measurements=(total_only, wrong_sum)), content)
    validate(bundle)
    assert resources(bundle, "QuestionnaireResponse") == []
    components = [o["component"] for o in resources(bundle, "Observation")]
    assert [[c["valueInteger"] for c in comps] for comps in components] == [[12], [20]]


def test_other_instruments_carry_their_total(content) -> None:
    measurements = (
        Measurement(VISIT, "GAD-7", score=11, items=(2, 2, 2, 2, 1, 1, 1)),
        Measurement(VISIT, "MADRS", score=23.5),
        Measurement(VISIT, "Made-up scale", score=float("nan")),
    )
    bundle = bundle_of(session(measurements=measurements), content)
    validate(bundle)
    gad, madrs, nan = resources(bundle, "Observation")
    assert codes(gad["code"]) == ["70274-6"] and gad["valueInteger"] == 11  # the pack marks the code uncertain
    assert gad["code"]["text"] == "Generalized Anxiety Disorder-7" and "component" not in gad
    assert madrs["code"] == {"text": "MADRS"} and madrs["valueQuantity"] == {"value": 23.5}
    assert codes(nan["dataAbsentReason"]) == ["not-a-number"] and "valueQuantity" not in nan
    assert resources(bundle, "QuestionnaireResponse") == []  # the pack has no GAD-7 item codes


def test_drug_trials_are_medication_statements(content) -> None:
    bundle = bundle_of(load_demo(), content)
    statements = resources(bundle, "MedicationStatement")
    assert [s["medicationCodeableConcept"] for s in statements][:2] == [{"text": "Escitalopram"}, {"text": "Sertraline"}]
    assert [s["status"] for s in statements] == ["completed"] * 5 + ["active"]
    assert statements[1]["effectivePeriod"] == {"start": "2024-09-20", "end": "2025-01-10"}
    assert statements[-1]["effectivePeriod"] == {"start": "2025-09-15"}  # vortioxetine, ongoing
    assert statements[1]["dosage"] == [{"text": "150 mg/day, monotherapy"}]
    assert statements[3]["dosage"] == [{"text": "5 mg/day, augmentation"}]  # aripiprazole
    assert statements[4]["note"][0] == {"text": "Adherence good; outcome none; adequacy dose-too-low"}  # mirtazapine
    assert not any("coding" in s["medicationCodeableConcept"] for s in statements)  # no verified RxNorm codes


def test_non_drug_trials_are_left_out_and_free_text_drugs_kept(content) -> None:
    s = session(trial("cbt"), trial("ect"), trial("Herbal tonic\x1b[2J", end=None))
    bundle = bundle_of(s, content)
    validate(bundle)
    (statement,) = resources(bundle, "MedicationStatement")
    assert statement["medicationCodeableConcept"] == {"text": "Herbal tonic\\x1b[2J"}
    assert statement["status"] == "active" and statement["dosage"] == [{"text": "monotherapy"}]


def test_maudsley_score_observation(content) -> None:
    a = assess(load_demo(), content)
    (msm,) = [o for o in resources(to_fhir_bundle(a, content), "Observation") if codes(o["code"]) == ["msm-score"]]
    assert msm["code"]["coding"][0]["system"] == "urn:trd-tui:codes"
    assert msm["valueInteger"] == a.maudsley.score.score == 10
    assert msm["interpretation"] == [{"text": "moderate"}]
    assert sum(c["valueInteger"] for c in msm["component"]) == 10
    assert msm["effectiveDateTime"] == "2026-11-20"


def test_no_maudsley_observation_when_it_cannot_be_computed(content) -> None:
    bundle = bundle_of(session(measurements=(phq9(VISIT, 0),)), content)
    assert [codes(o["code"]) for o in resources(bundle, "Observation")] == [["44249-1"]]


@given(sessions())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_valid_session_exports_valid_fhir(s: Session) -> None:
    content = load_content()
    for include_identifiers in (False, True):
        bundle = bundle_of(s, content, include_identifiers=include_identifiers)
        validate(json.loads(json.dumps(bundle, allow_nan=False)))


# -- trd-tui export -----------------------------------------------------------


def test_export_prints_the_fhir_bundle(content) -> None:
    result = run("export", "--demo", "--format", "fhir")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == bundle_of(load_demo(), content)


def test_export_writes_a_private_file(tmp_path: Path, session_file: Path) -> None:  # noqa: F811
    out = tmp_path / "bundle.json"
    result = run("export", str(session_file), "--format", "fhir", "-o", str(out), "--include-identifiers")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert validate(bundle).entry[0].resource.name[0].text == "Patient A"


def test_markdown_export_is_the_summary() -> None:
    export, summary = run("export", "--demo", "--format", "markdown"), run("summary", "--demo")
    assert export.returncode == 0 and export.stdout == summary.stdout


def test_export_of_a_bad_file_fails_like_summary(session_file: Path) -> None:  # noqa: F811
    session_file.write_text(session_file.read_text().replace("end = 2025-09-15", "end = 2025-01-01"))
    export = run("export", str(session_file), "--format", "fhir")
    summary = run("summary", str(session_file))
    assert export.returncode == summary.returncode == 1
    assert export.stderr == summary.stderr and "trials[0].end: before start" in export.stderr
    missing = run("export", str(session_file.with_name("absent.toml")), "--format", "fhir")
    assert missing.returncode == 2 and "cannot be read" in missing.stderr


def test_export_never_writes_over_the_session_file(session_file: Path) -> None:  # noqa: F811
    before = session_file.read_bytes()
    result = run("export", str(session_file), "--format", "fhir", "-o", str(session_file))
    assert result.returncode == 2 and "session file itself" in result.stderr
    assert session_file.read_bytes() == before


def test_export_needs_a_format_and_explains_write_failures(tmp_path: Path) -> None:
    no_format = run("export", "--demo")
    assert no_format.returncode == 64 and "--format" in no_format.stderr  # a bad command line (EX_USAGE)
    unwritable = run("export", "--demo", "--format", "fhir", "-o", str(tmp_path / "absent" / "x.json"))
    assert unwritable.returncode == 2 and "cannot save" in unwritable.stderr and "Traceback" not in unwritable.stderr


@pytest.mark.e2e  # starts trd-tui processes (through run)
def test_export_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    """Issue 13 finding 7: export -o replaced whatever was there."""
    out = tmp_path / "letter.md"
    out.write_text("a letter being written")
    refused = run("export", "--demo", "--format", "markdown", "-o", str(out))
    assert refused.returncode == 2 and "already exists; add --force" in refused.stderr
    assert out.read_text() == "a letter being written"
    forced = run("export", "--demo", "--format", "markdown", "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_text() == run("summary", "--demo").stdout


@pytest.mark.e2e  # starts trd-tui processes (through run)
def test_export_never_writes_over_another_session_file_even_forced(tmp_path: Path, session_file: Path) -> None:  # noqa: F811
    other = tmp_path / "another-patient.toml"
    other.write_text(session_file.read_text().replace("end = 2025-09-15", "end = 2025-01-01"))  # even an invalid one
    before = other.read_bytes()
    for extra in ([], ["--force"]):
        result = run("export", str(session_file), "--format", "markdown", "-o", str(other), *extra)
        assert result.returncode == 2 and "is a session file" in result.stderr, result.stderr
    assert other.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))
