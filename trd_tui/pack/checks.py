"""The content pack's checks: the problems that only show across entries and files.

:func:`cross_check` runs on a pack whose files each read into their records
(:mod:`trd_tui.pack.load`); each problem names its file, entry and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from trd_tui.pack.records import (
    KINDS,
    MEASURES,
    PATIENT_DESCRIPTION_MAX,
    PATIENT_FIELD_MAX,
    PATIENT_NAME_MAX,
    TRD_DEFINITIONS,
    Caution,
    ChecklistItem,
    Content,
    DrugClass,
    Instrument,
    Option,
    PatientText,
    PlainLanguage,
    Source,
    Treatment,
)
from trd_tui.pack.conditions import Condition
from trd_tui.pack.doses import MG_PER_DAY, UNITS
from trd_tui.model import Role
from trd_tui.tomlconv import Problem

# Patterns, compiled by re on first use: only checking a pack's TOML needs them.
_ID = r"[a-z0-9]+(-[a-z0-9]+)*"
_SOURCE_ID = r"[A-Z0-9][A-Za-z0-9-]*"
#: The roles a trial started from an option may take (``Option.role``): added to another treatment.
ROLES_ADDED = (Role.AUGMENTATION.value, Role.COMBINATION.value)


def cross_check(parsed: dict[str, Any], content: Content) -> Iterator[Problem]:
    """Problems that only show across entries and files."""
    for file, table, records in _entry_lists(parsed):
        seen: set[str] = set()
        for i, record in enumerate(records):
            where = f'{file}: {table}[{i}] "{getattr(record, "id", "")}"'
            yield from (Problem(f"{where}.{field}", msg) for field, msg in _entry_problems(record, content))
            if hasattr(record, "id"):
                if record.id in seen:
                    yield Problem(where, "duplicate id")
                seen.add(record.id)
    yield from _rules_problems(content)
    yield from _plain_language_problems(content)


def _entry_lists(parsed: dict[str, Any]) -> Iterator[tuple[str, str, tuple[Any, ...]]]:
    yield "sources.toml", "source", parsed["sources.toml"].source
    yield "treatments.toml", "drug_class", parsed["treatments.toml"].drug_class
    yield "treatments.toml", "treatment", parsed["treatments.toml"].treatment
    yield "checklist.toml", "section", parsed["checklist.toml"].section
    yield "checklist.toml", "item", parsed["checklist.toml"].item
    yield "options.toml", "category", parsed["options.toml"].category
    yield "options.toml", "option", parsed["options.toml"].option
    yield "instruments.toml", "instrument", parsed["instruments.toml"].instrument


def _entry_problems(record: Any, content: Content) -> Iterator[tuple[str, str]]:
    pattern = _SOURCE_ID if isinstance(record, Source | Instrument) else _ID
    if not re.fullmatch(pattern, record.id):
        yield "id", "use lowercase letters, digits and hyphens" if pattern == _ID else "use letters, digits and hyphens"
    for source in getattr(record, "sources", ()):
        if source not in content.sources:
            yield "sources", f"unknown source id {source!r}"
    if isinstance(record, Source) and not 1900 <= record.year <= 2100:
        yield "year", "expected a year such as 2023"
    if isinstance(record, Treatment):
        yield from _treatment_problems(record, content)
    if isinstance(record, Treatment | DrugClass):
        yield from _caution_problems(record.cautions, content)
    if isinstance(record, Instrument):
        yield from _instrument_problems(record)
    if isinstance(record, ChecklistItem) and record.section not in {s.id for s in content.sections}:
        yield "section", f"unknown section {record.section!r}"
    if isinstance(record, Option):
        if record.category not in {c.id for c in content.categories}:
            yield "category", f"unknown category {record.category!r}"
        yield from _tier_problems(record, content)
        for some_id in record.treatments:
            if some_id not in content.treatments and some_id not in content.drug_classes:
                yield "treatments", f"no treatment or drug class {some_id!r}"
        yield from _patient_problems(record, content)


def _patient_problems(option: Option, content: Content) -> Iterator[tuple[str, str]]:
    """The patient text: complete, short enough for the grid, cited, and in plain words."""
    patient = option.patient
    for field in PatientText.TEXT_FIELDS:
        text = getattr(patient, field)
        where = f"patient.{field}"
        if not text.strip():
            yield where, "must not be empty"
            continue
        limit = {"name": PATIENT_NAME_MAX, "description": PATIENT_DESCRIPTION_MAX}.get(field, PATIENT_FIELD_MAX)
        if len(text) > limit:
            yield where, f"{len(text)} characters; keep it to {limit} or fewer"
        for word, entry in content.unexplained_words(text):
            shown = f'"{word}"' if word == entry else f'"{word}" (avoid list: "{entry}")'
            yield where, f"uses {shown} without a plain explanation; reword it or explain it in plain-language.toml"
    if not patient.helps_sources:
        yield "patient.helps_sources", "list at least one source backing patient.helps"
    for source in patient.helps_sources:
        if source not in content.sources:
            yield "patient.helps_sources", f"unknown source id {source!r}"
        elif source not in option.sources:
            yield "patient.helps_sources", f"{source!r} is not among the option's sources; cite it there too"
    yield from (("patient.helps", msg) for msg in _evidence_word_problems(option, content.plain_language))


def _evidence_word_problems(option: Option, plain: PlainLanguage) -> Iterator[str]:
    """``patient.helps`` uses an evidence level's plain words exactly when ``evidence`` names that level."""
    helps = option.patient.helps.casefold()
    for mapping in plain.evidence:
        if not (mapping.level.strip() and mapping.words.strip()):
            continue
        level = r"\s+".join(re.escape(part) for part in mapping.level.split())
        graded = re.search(rf"(?<![^\W_]){level}(?![^\W_])", option.evidence, re.IGNORECASE) is not None
        worded = mapping.words.casefold() in helps
        if graded and not worded:
            yield f'the evidence is "{option.evidence}": say "{mapping.words}" (plain-language.toml)'
        elif worded and not graded:
            yield f'says "{mapping.words}", but the evidence is "{option.evidence}", not {mapping.level}'


def _plain_language_problems(content: Content) -> Iterator[Problem]:
    """The plain-language file itself: no empty or repeated entries, and plain explanations."""
    file = "plain-language.toml"
    plain = content.plain_language
    seen: set[str] = set()
    if not plain.avoid:
        yield Problem(f"{file}: avoid", "list at least one word patient text should not use unexplained")
    for i, entry in enumerate(plain.avoid):
        if not entry.strip():
            yield Problem(f"{file}: avoid[{i}]", "must not be empty")
        elif entry.strip().casefold() in seen:
            yield Problem(f"{file}: avoid[{i}]", f"{entry!r} is listed twice")
        seen.add(entry.strip().casefold())
    words: set[str] = set()
    for i, term in enumerate(plain.term):
        where = f'{file}: term[{i}] "{term.word}"'
        if not term.word.strip():
            yield Problem(f"{where}.word", "must not be empty")
        elif term.word.strip().casefold() in words:
            yield Problem(where, "this word is explained twice")
        words.add(term.word.strip().casefold())
        if not term.means.strip():
            yield Problem(f"{where}.means", "must not be empty")
        for word, entry in content.unexplained_words(term.means):
            shown = f'"{word}"' if word == entry else f'"{word}" (avoid list: "{entry}")'
            yield Problem(f"{where}.means", f"uses {shown} without a plain explanation")
    for i, mapping in enumerate(plain.evidence):
        for field in ("level", "words"):
            if not getattr(mapping, field).strip():
                yield Problem(f"{file}: evidence[{i}].{field}", "must not be empty")


def _condition_problems(condition: Condition, content: Content) -> Iterator[str]:
    """A condition that names a checklist item, treatment or class the pack does not have."""
    if condition.kind == "flagged" and condition.argument not in content.checklist_items:
        yield f"{condition}: no checklist item {condition.argument!r}"
    for some_id in condition.ids:
        if some_id not in (*content.treatments, *content.drug_classes):
            yield f"{condition}: no treatment or drug class {some_id!r}"


def _tier_problems(option: Option, content: Content) -> Iterator[tuple[str, str]]:
    rules = (("tier_rules", option.tier_rules), ("not_first_when", option.not_first_when))
    for field, entries in rules:
        for i, rule in enumerate(entries):
            where = f"{field}[{i}]"
            if rule.tier not in (1, 2, 3):
                yield f"{where}.tier", "must be 1 (consider first), 2 (next) or 3 (later or specialist)"
            if rule.source not in content.sources:
                yield f"{where}.source", f"unknown source id {rule.source!r}"
            yield from ((f"{where}.when", msg) for msg in _condition_problems(rule.when, content))
    for some_id in option.adds:
        if some_id not in content.treatments:
            yield "adds", f"no treatment {some_id!r}"
    if option.role and option.role not in ROLES_ADDED:
        yield "role", f"must be one of {' | '.join(ROLES_ADDED)}"


def _caution_problems(cautions: tuple[Caution, ...], content: Content) -> Iterator[tuple[str, str]]:
    for i, caution in enumerate(cautions):
        where = f"cautions[{i}]"
        if not caution.text.strip():
            yield f"{where}.text", "must not be empty"
        if caution.source not in content.sources:
            yield f"{where}.source", f"unknown source id {caution.source!r}"
        yield from ((f"{where}.applies_when", msg) for msg in _condition_problems(caution.applies_when, content))


def _treatment_problems(t: Treatment, content: Content) -> Iterator[tuple[str, str]]:
    if t.kind not in KINDS:
        yield "kind", f"must be one of {' | '.join(KINDS)}"
    if t.is_antidepressant and not t.class_:
        yield "class", "required for an antidepressant"
    if t.class_ and t.class_ not in content.drug_classes:
        yield "class", f"unknown drug class {t.class_!r}; declare it as a [[drug_class]] (tca, maoi, ssri, ...)"
    if t.min_dose_mg is not None:
        if not t.min_dose_mg > 0:
            yield "min_dose_mg", "must be a positive number of mg/day"
        if not t.dose_source:
            yield "dose_source", "required with min_dose_mg: where the threshold comes from"
        if t.dose_unit != MG_PER_DAY.name:  # adequacy compares the kept mg with it as mg/day
            yield "min_dose_mg", f"only with dose_unit {MG_PER_DAY.name!r}"
    if t.dose_unit not in UNITS:
        yield "dose_unit", f"must be one of {' | '.join(UNITS)}"
    if t.dose_source and t.dose_source not in content.sources:
        yield "dose_source", f"unknown source id {t.dose_source!r}"


def _instrument_problems(i: Instrument) -> Iterator[tuple[str, str]]:
    limits = [b.max for b in i.bands]
    if not limits or limits != sorted(set(limits)) or limits[-1] != i.max_score:
        yield "bands", "band limits must rise and the last must equal max_score"
    if i.items and not i.answers:
        yield "answers", "required with items"
    if i.items and len(i.items) * (len(i.answers) - 1) != i.max_score:
        yield "max_score", "must equal the number of items times the highest answer"
    for field in ("loinc_items",):
        if getattr(i, field) and len(getattr(i, field)) != len(i.items):
            yield field, "needs one code per item"
    if i.loinc_answers and len(i.loinc_answers) != len(i.answers):
        yield "loinc_answers", "needs one code per answer"
    if i.difficulty_answers and not i.difficulty:
        yield "difficulty", "required with difficulty_answers"
    if i.measures not in MEASURES:
        yield "measures", f"say what it measures: {' | '.join(MEASURES)} (only depression scales rate a trial's response)"


def _rules_problems(content: Content) -> Iterator[Problem]:
    rules = content.rules
    if not rules.min_trial_weeks > 0:
        yield Problem("rules.toml: min_trial_weeks", "must be a positive number of weeks")
    if rules.trd.min_failures < 1:
        yield Problem("rules.toml: trd.min_failures", "must be at least 1")
    if rules.trd.definition not in TRD_DEFINITIONS:
        yield Problem("rules.toml: trd.definition", f"must be one of {' | '.join(TRD_DEFINITIONS)}")
    cited = [("min_trial_weeks_source", rules.min_trial_weeks_source), ("trd.sforzini_source", rules.trd.sforzini_source)]
    cited += [("trd.sources", source) for source in rules.trd.sources or ("",)]
    for field, source in cited:
        if source not in content.sources:
            yield Problem(f"rules.toml: {field}", f"unknown source id {source!r}")
    if rules.safety_item not in content.checklist_items:
        yield Problem("rules.toml: safety_item", f"no checklist item {rules.safety_item!r}")
    if not rules.crisis:
        yield Problem("rules.toml: crisis", "list at least one crisis resource")
    for i, resource in enumerate(rules.crisis):
        where = f"rules.toml: crisis[{i}]"
        if resource.source not in content.sources:
            yield Problem(f"{where}.source", f"unknown source id {resource.source!r}")
        if not re.fullmatch(r"[A-Z]{2}", resource.region):
            yield Problem(f"{where}.region", "use an ISO 3166 two-letter code in capitals (US, GB, CA, AU, IE)")
