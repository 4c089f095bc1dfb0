"""FHIR R4 export: an assessed session as a Bundle of plain, JSON-ready dicts.

What goes in (docs/fhir.md has the full mapping):

* one Patient: without identifiers by default (no name, record id, birth year
  or sex); with ``include_identifiers`` the label, record id, birth year and sex;
* per measurement an Observation; an instrument with a LOINC panel (PHQ-9) is
  a panel Observation whose components are the total and, when the items were
  entered and check out, each item; those items are also a QuestionnaireResponse;
* per drug trial (antidepressant, augmentation agent, rapid-acting, or a name
  not in the content pack) a MedicationStatement, coded by text only: the
  content pack has no verified RxNorm codes;
* the Maudsley Staging Method score, when computed, in a local code system;
* per visit an Encounter (ambulatory, finished, dated the visit's day); each
  Observation and QuestionnaireResponse references the visit of its date, or the
  nearest earlier visit (none before the first), and the MSM score the current visit.

Left out: neuromodulation, psychotherapy and other non-drug trials (no
Procedure resources), and every free-text note, since notes may name people.
LOINC codes come from the content pack, never from this module.

Resource ids are name-based UUIDs (uuid5) of the session's file text and the
export mode, so an unchanged session exports to the same bundle, and an
identifier-free export shares no id with an identified one.
"""

from __future__ import annotations

import bisect
import json
import math
import uuid
from typing import TYPE_CHECKING, Any, NamedTuple

from trd_tui.clinical.scales import measurement_problems
from trd_tui.clinical.staging import MAUDSLEY_PARTS
from trd_tui.model import Measurement, Sex
from trd_tui.pack.doses import unit_of
from trd_tui.storage.sessionfile import dumps
from trd_tui.text import json_safe, printable

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.clinical.staging import Maudsley
    from trd_tui.clinical.trd import TrialAssessment
    from trd_tui.model import Patient, Visit
    from trd_tui.pack.records import Content, Instrument

Resource = dict[str, Any]

LOINC = "http://loinc.org"
LOCAL = "urn:trd-tui:codes"  # codes trd-tui defines itself (the MSM score)
SURVEY = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]
}
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
AMBULATORY = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"}
DRUG_KINDS = ("antidepressant", "augmentation-agent", "rapid-acting")
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.UNSPECIFIED: "unknown"}
INT32_MAX = 2**31 - 1  # FHIR integer is 32-bit
_NAMESPACE = uuid.UUID("6f0f3d4e-6a51-4bb4-9d0c-2f1f5e1e9a77")  # fixed: ids stay stable across versions


class _Answer(NamedTuple):
    """One coded question answered in a measurement."""

    code: str  # the question's LOINC code, also its linkId
    question: str
    label: str  # the answer as worded in the content pack
    coding: dict[str, str] | None  # its LOINC answer code, when the pack has one


def to_fhir_bundle(assessment: Assessment, content: Content, *, include_identifiers: bool = False) -> Resource:
    """The session as a FHIR R4 Bundle of type "collection". Pure: same input, same output."""
    session = assessment.session
    seed = uuid.uuid5(_NAMESPACE, f"identifiers={include_identifiers}\n{dumps(session)}")

    def url(*key: object) -> str:
        return f"urn:uuid:{uuid.uuid5(seed, '/'.join(map(str, key)))}"

    patient = url("patient")
    subject = {"reference": patient}
    entries = [(patient, _patient(session.patient, include_identifiers))]
    visits = [url("visit", v.date.isoformat()) for v in session.visits]
    entries += [(visits[i], _encounter(v, subject, include_identifiers)) for i, v in enumerate(session.visits)]
    dates = [v.date for v in session.visits]

    def encounter(day: Any) -> dict[str, str] | None:
        """The visit of ``day``, or the nearest earlier one (None before the first)."""
        i = bisect.bisect_right(dates, day) - 1
        return {"reference": visits[i]} if i >= 0 else None

    entries += [
        (url("trial", t.index), _medication_statement(t, subject, session.visit_date.isoformat()))
        for t in assessment.trials
        if t.treatment is None or t.kind in DRUG_KINDS
    ]
    for i, (m, band) in enumerate(zip(session.measurements, assessment.measurement_bands, strict=True)):
        found = _measurement(m, band, content, subject, url("measurement", i, "response"), url("measurement", i))
        if (reference := encounter(m.date)) is not None:
            for _, resource in found:
                resource["encounter"] = reference
        entries += found
    msm = assessment.maudsley.score
    if msm is not None:
        entries.append((url("maudsley"), {**_maudsley(msm, subject, session.visit_date.isoformat()), "encounter": {"reference": visits[-1]}}))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": full_url, "resource": resource} for full_url, resource in entries],
    }


def to_fhir_json(assessment: Assessment, content: Content, *, include_identifiers: bool = False) -> str:
    bundle = to_fhir_bundle(assessment, content, include_identifiers=include_identifiers)
    return json_safe(json.dumps(bundle, indent=2, ensure_ascii=False)) + "\n"


def _text(value: str) -> str:
    """User text as a FHIR string: one line, trimmed, control characters shown as escapes."""
    return printable(" ".join(value.split()))


def _code(system: str, code: str, text: str, display: str = "") -> dict[str, Any]:
    """A CodeableConcept: the code when there is one, and always the text."""
    coding = {"system": system, "code": code, **({"display": display} if display else {})}
    return {"coding": [coding], "text": text} if code else {"text": text}


def _score(score: float) -> dict[str, Any]:
    """An Observation value (or a component's): integer when whole, else a quantity."""
    if not math.isfinite(score):  # the session file let nan or inf through; JSON cannot hold it
        reason = "not-a-number" if math.isnan(score) else "positive-infinity"
        return {"dataAbsentReason": {"coding": [{"system": DATA_ABSENT, "code": reason}]}}
    if float(score).is_integer() and abs(score) <= INT32_MAX:
        return {"valueInteger": int(score)}
    return {"valueQuantity": {"value": score}}


# -- resources -----------------------------------------------------------------


def _patient(p: Patient, include_identifiers: bool) -> Resource:
    resource: Resource = {"resourceType": "Patient"}
    if not include_identifiers:
        return resource
    resource["name"] = [{"text": _text(p.label)}]
    if record_id := _text(p.record_id):
        resource["identifier"] = [{"value": record_id}]
    if p.birth_year is not None:
        resource["birthDate"] = f"{p.birth_year:04d}"  # a FHIR date may be a year alone
    if p.sex is not None:
        resource["gender"] = GENDER[p.sex]
    return resource


def _encounter(visit: Visit, subject: dict[str, str], include_identifiers: bool) -> Resource:
    """A visit as a finished ambulatory Encounter; its clinician only with identifiers."""
    resource: Resource = {
        "resourceType": "Encounter",
        "status": "finished",
        "class": AMBULATORY,
        "subject": subject,
        "period": {"start": visit.date.isoformat(), "end": visit.date.isoformat()},
    }
    if include_identifiers and (clinician := _text(visit.clinician)):
        resource["participant"] = [{"individual": {"display": clinician}}]
    return resource


def _medication_statement(t: TrialAssessment, subject: dict[str, str], visit: str) -> Resource:
    trial = t.trial
    dose = f"{unit_of(t.treatment).text(trial.dose_mg)}, " if trial.dose_mg is not None else ""
    period = {"start": trial.start.isoformat(), **({"end": trial.end.isoformat()} if trial.end else {})}
    facts = f"Adherence {trial.adherence.value}; outcome {trial.outcome.value}; adequacy {t.adequacy.value}"
    return {
        "resourceType": "MedicationStatement",
        "status": "completed" if trial.end else "active",
        "medicationCodeableConcept": {"text": _text(t.name)},
        "subject": subject,
        "effectivePeriod": period,
        "dateAsserted": visit,
        "dosage": [{"text": f"{dose}{trial.role.value}"}],
        "note": [{"text": facts}, *({"text": _text(reason)} for reason in t.reasons)],
    }


def _measurement(
    m: Measurement, band: str | None, content: Content, subject: dict[str, str], response_url: str, url: str
) -> list[tuple[str, Resource]]:
    """The Observation of a measurement, after its QuestionnaireResponse when items were entered."""
    instrument = content.instrument(m.instrument)
    answers = _answers(m, instrument, content) if instrument else []
    observation: Resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        **_observed(m, instrument, answers),
        "subject": subject,
        "effectiveDateTime": m.date.isoformat(),
    }
    if band:
        observation["interpretation"] = [{"text": band}]
    if not (m.items and answers):
        return [(url, observation)]
    observation["derivedFrom"] = [{"reference": response_url}]
    return [(response_url, _questionnaire_response(m, answers, subject)), (url, observation)]


def _observed(m: Measurement, instrument: Instrument | None, answers: list[_Answer]) -> dict[str, Any]:
    """An Observation's code and value: a LOINC panel has the total and answers as components."""
    if instrument is None:
        return {"code": {"text": _text(m.instrument)}, **_score(m.score)}
    if not instrument.loinc_panel:
        return {"code": _code(LOINC, instrument.loinc_total, instrument.name), **_score(m.score)}
    total = {"code": _code(LOINC, instrument.loinc_total, f"{instrument.id} total score"), **_score(m.score)}
    return {
        "code": _code(LOINC, instrument.loinc_panel, instrument.name),
        "component": [total, *map(_answer_component, answers)],
    }


def _answers(m: Measurement, instrument: Instrument, content: Content) -> list[_Answer]:
    """The coded questions a measurement answers: its items, then PHQ-9's difficulty question.

    None unless the content pack has LOINC codes for the items and their answers,
    and the entry checks out (right number of items, in range, adding up).
    """
    if not (instrument.loinc_items and instrument.loinc_answers) or measurement_problems(m, content):
        return []
    answers = [
        _Answer(code, question, instrument.answers[x], _answer_coding(instrument, x))
        for code, question, x in zip(instrument.loinc_items, instrument.items, m.items or (), strict=False)
    ]
    if m.difficulty is not None and instrument.loinc_difficulty:
        # The pack has no LOINC codes for the difficulty answers, so the answer goes as text.
        label = instrument.difficulty_answers[m.difficulty]
        answers.append(_Answer(instrument.loinc_difficulty, instrument.difficulty, label, None))
    return answers


def _answer_coding(instrument: Instrument, answer: int) -> dict[str, str]:
    return {"system": LOINC, "code": instrument.loinc_answers[answer], "display": instrument.answers[answer]}


def _answer_component(a: _Answer) -> dict[str, Any]:
    value = {"valueCodeableConcept": {"coding": [a.coding], "text": a.label}} if a.coding else {"valueString": a.label}
    return {"code": _code(LOINC, a.code, a.question), **value}


def _questionnaire_response(m: Measurement, answers: list[_Answer], subject: dict[str, str]) -> Resource:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "subject": subject,
        "authored": m.date.isoformat(),
        "item": [
            {
                "linkId": a.code,
                "text": a.question,
                "answer": [{"valueCoding": a.coding} if a.coding else {"valueString": a.label}],
            }
            for a in answers
        ],
    }


def _maudsley(msm: Maudsley, subject: dict[str, str], visit: str) -> Resource:
    """The MSM score (3-15) with its band and the points of each part, coded locally."""
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": _code(LOCAL, "msm-score", "Maudsley Staging Method", "Maudsley Staging Method score"),
        "subject": subject,
        "effectiveDateTime": visit,
        "valueInteger": msm.score,
        "interpretation": [{"text": msm.band}],
        "component": [
            {"code": _code(LOCAL, f"msm-{part}", f"MSM {label} points"), "valueInteger": getattr(msm, part)}
            for part, label in MAUDSLEY_PARTS.items()
        ],
    }
