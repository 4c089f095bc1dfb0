"""The content pack's records: treatments, checklist, options, rules, instruments and their sources.

Plain attrs records with their lookups; no I/O. :mod:`trd_tui.pack.load` reads a pack's TOML
into them, :mod:`trd_tui.pack.checks` checks them, and docs/content-pack.md documents the format.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, ClassVar

import attrs

from trd_tui.pack.conditions import Condition
from trd_tui.pack.glossary import glossary_spans, unexplained_words

#: The pack's files, each read into its record (:func:`file_records`).
FILES = (
    "sources.toml", "treatments.toml", "checklist.toml", "options.toml", "rules.toml", "instruments.toml",
    "plain-language.toml",
)
#: The kinds of treatment (``Treatment.kind``).
KINDS = ("antidepressant", "augmentation-agent", "rapid-acting", "neuromodulation", "psychotherapy", "other")
#: What a rating scale measures; only depression scales measure a trial's response.
MEASURES = ("depression", "anxiety", "other")
#: TRD definitions the engine implements (trd_tui/clinical/trd.py applies them).
TRD_DEFINITIONS = ("ema-rybak",)


@attrs.frozen
class Source:
    id: str
    label: str
    citation: str
    year: int
    url: str = ""


@attrs.frozen
class Caution:
    """A safety fact about a treatment or class, with when it applies to this patient.

    ``applies_when`` is a condition of the pack's grammar (:mod:`trd_tui.pack.conditions`);
    ``always`` for a caution that always applies.
    """

    text: str
    applies_when: Condition
    source: str


@attrs.frozen
class DrugClass:
    """An antidepressant class (``[[drug_class]]`` in treatments.toml). Thase–Rush staging
    counts each class as distinctly different from every other (docs/content-pack.md)."""

    id: str
    name: str
    cautions: tuple[Caution, ...] = ()


@attrs.frozen
class Treatment:
    id: str
    name: str
    kind: str
    sources: tuple[str, ...]
    class_: str = ""  # "class" in the file: a drug_class id
    brands: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    min_dose_mg: float | None = None
    dose_source: str = ""
    dose_to_confirm: bool = False  # sources differ, or the figure is to be confirmed against the original
    usual_dose: str = ""
    dose_unit: str = "mg/day"  # how its dose is typed and shown (pack/doses.py); files keep mg
    line: str = ""
    uncertain: str = ""
    cautions: tuple[Caution, ...] = ()

    @property
    def is_antidepressant(self) -> bool:
        return self.kind == "antidepressant"


@attrs.frozen
class ChecklistSection:
    id: str
    title: str


@attrs.frozen
class ChecklistItem:
    id: str
    section: str
    label: str
    question: str
    why: str
    action: str
    sources: tuple[str, ...]


@attrs.frozen
class OptionCategory:
    id: str
    name: str


@attrs.frozen
class PatientText:
    """An option in plain language, for the patient (``[option.patient]`` in options.toml).

    Written for the patient to read during the visit, often on a shared screen: second
    person, short sentences, no unexplained jargon (the pack's ``plain-language.toml`` lists the
    words to avoid and explains the ones allowed; :meth:`Content.glossary_for` finds them).
    ``name`` heads the card and the comparison grid's column; ``description`` opens the card;
    the other text fields are one grid row each and kept short (:data:`PATIENT_FIELD_MAX`
    characters at most), because up to four options share an 80-column screen.
    """

    name: str  # the option's name in plain words (the grid's column heading)
    description: str  # what it is, a short paragraph
    helps: str  # how likely it is to help, honest about uncertainty
    helps_sources: tuple[str, ...]  # source ids backing ``helps``
    how_soon: str  # how soon it may help
    involves: str  # visits, time, travel, what happens
    side_effects: str  # common side effects
    monitoring: str  # the checks that happen (blood tests, blood pressure, weight...)
    cautions: str  # key reasons it may not suit someone

    #: The text fields in display order: the card's and the grid's rows.
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = (
        "name", "description", "helps", "how_soon", "involves", "side_effects", "monitoring", "cautions",
    )

    def texts(self) -> tuple[str, ...]:
        """Every text field's value, in :attr:`TEXT_FIELDS` order (for :meth:`Content.glossary_for`)."""
        return tuple(getattr(self, field) for field in self.TEXT_FIELDS)


#: Longest patient ``name``, ``description`` and grid field (characters). A grid field should
#: aim for 160 or fewer; the bundled pack keeps to that (tests/test_patient_text.py).
PATIENT_NAME_MAX = 60
PATIENT_DESCRIPTION_MAX = 350
PATIENT_FIELD_MAX = 220


@attrs.frozen
class TierRule:
    """While ``when`` holds, the option belongs in next-steps tier ``tier`` (1 consider first,
    2 next, 3 later or specialist), as ``source`` sequences it. ``lead``: ahead of its tier."""

    tier: int
    when: Condition
    source: str
    lead: bool = False


@attrs.frozen
class NotFirst:
    """While ``when`` holds, the option comes no earlier than tier ``tier``, for the reason ``why``."""

    when: Condition
    why: str
    source: str
    tier: int = 2


@attrs.frozen
class Option:
    id: str
    name: str
    category: str
    summary: str
    patient: PatientText
    guideline: str
    evidence: str
    time_to_effect: str
    involves: str
    adverse_effects: str
    monitoring: str
    cautions: str
    sources: tuple[str, ...]
    #: The next-steps tiers (:mod:`trd_tui.clinical.next_steps`): the lowest tier whose rule
    #: holds; none holding: not now.
    tier_rules: tuple[TierRule, ...] = ()
    not_first_when: tuple[NotFirst, ...] = ()
    #: Treatment ids the option starts or adds: tried and failed, not tolerated, or current rules it out.
    adds: tuple[str, ...] = ()
    #: The role (augmentation or combination) of a trial started from this option; blank: the treatment's default.
    role: str = ""
    aliases: tuple[str, ...] = ()
    uncertain: str = ""
    #: Treatment or drug-class ids the option is about: the detail shows their cautions.
    treatments: tuple[str, ...] = ()


@attrs.frozen
class Band:
    max: int  # inclusive upper bound of the band
    label: str


@attrs.frozen
class Instrument:
    """A rating scale. With ``items`` it is entered item by item (each 0 to len(answers)-1)."""

    id: str  # as written in sessions: "PHQ-9"
    name: str
    max_score: int
    bands: tuple[Band, ...]
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    stem: str = ""
    items: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    difficulty: str = ""
    difficulty_answers: tuple[str, ...] = ()
    remission_max: int | None = None  # a later score at or below this is remission
    measures: str = ""  # one of MEASURES; required by the pack check
    loinc_panel: str = ""
    loinc_total: str = ""
    loinc_items: tuple[str, ...] = ()
    loinc_difficulty: str = ""
    loinc_answers: tuple[str, ...] = ()
    uncertain: str = ""

    def band(self, score: float) -> str | None:
        """The severity band of a total, or None when it is out of range."""
        if not 0 <= score <= self.max_score:
            return None
        return next(b.label for b in self.bands if score <= b.max)


@functools.lru_cache(maxsize=1024)
def instrument_key(name: str) -> str:
    """Compare instrument names loosely: "PHQ-9", "phq9" and "PHQ 9" are one."""
    return re.sub(r"[^a-z0-9]", "", name.casefold())


@attrs.frozen
class GlossaryTerm:
    """A word patients may meet in patient text, with what it means in plain words."""

    word: str
    means: str


@attrs.frozen
class EvidenceWords:
    """How patient text words an evidence level: an option whose ``evidence`` names ``level``
    says ``words`` in its ``patient.helps``, and only such an option does."""

    level: str  # as the option's evidence field states it: "Level 1"
    words: str  # plain words: "strong evidence from several studies"


@attrs.frozen(cache_hash=True)  # a cache key for its compiled patterns, looked up per text checked
class PlainLanguage:
    """The plain-language rules for patient text (plain-language.toml).

    ``avoid`` lists words and word beginnings that patient text may use only where the
    glossary (``term``) explains them; ``evidence`` maps evidence levels to plain words.
    """

    avoid: tuple[str, ...]
    term: tuple[GlossaryTerm, ...] = ()
    evidence: tuple[EvidenceWords, ...] = ()


@attrs.frozen
class CrisisResource:
    region: str  # ISO 3166 alpha-2: US, GB, CA, AU, IE
    name: str
    contact: str
    source: str
    uncertain: str = ""  # set while the line is to be confirmed against the service's own site


@attrs.frozen
class TrdDefinition:
    """The TRD definition applied, in the words the help, header and summary show."""

    definition: str  # one of TRD_DEFINITIONS
    name: str  # "EMA guideline / Rybak 2021"
    min_failures: int
    wording: str  # what follows "at least N": "different antidepressants failed ..."
    sources: tuple[str, ...]
    sforzini_source: str  # the Sforzini 2022 category shown alongside

    def rule(self, cite: Any) -> str:
        """The whole rule with its sources; ``cite`` is :meth:`Content.cite`."""
        return f"at least {self.min_failures} {self.wording} ({self.name}: {cite(self.sources)})"


@attrs.frozen
class Rules:
    min_trial_weeks: float
    min_trial_weeks_source: str
    trd: TrdDefinition
    safety_item: str
    crisis: tuple[CrisisResource, ...]

    def crisis_for(self, region: str) -> tuple[CrisisResource, ...]:
        """The crisis resources of a region (ISO 3166 code); the first region's when it has none."""
        found = tuple(r for r in self.crisis if r.region == region)
        return found or tuple(r for r in self.crisis if r.region == self.crisis[0].region)

    @property
    def crisis_regions(self) -> tuple[str, ...]:
        """The regions the pack has crisis resources for, in pack order."""
        return tuple(dict.fromkeys(r.region for r in self.crisis))


@functools.cache
def file_records() -> dict[str, type]:
    """The record each pack file is read into: one per file, so cattrs reports paths such as
    ``treatment[3].kind``.

    Made on first use: only reading the TOML needs them, and a start that finds the pack in
    the cache does not (see docs/performance.md).
    """

    def record(name: str, **fields: Any) -> type:
        return attrs.make_class(name, {k: attrs.field(type=t) for k, t in fields.items()}, frozen=True)

    return {
        "sources.toml": record("_SourcesFile", source=tuple[Source, ...]),
        "treatments.toml": record(
            "_TreatmentsFile", treatment=tuple[Treatment, ...], drug_class=tuple[DrugClass, ...]
        ),
        "checklist.toml": record("_ChecklistFile", section=tuple[ChecklistSection, ...], item=tuple[ChecklistItem, ...]),
        "options.toml": record("_OptionsFile", category=tuple[OptionCategory, ...], option=tuple[Option, ...]),
        "rules.toml": Rules,
        "instruments.toml": record("_InstrumentsFile", instrument=tuple[Instrument, ...]),
        "plain-language.toml": PlainLanguage,
    }


@attrs.frozen
class Content:
    """A loaded, checked content pack. Mappings keep the pack's order."""

    folder: Path
    sources: dict[str, Source]
    treatments: dict[str, Treatment]
    sections: tuple[ChecklistSection, ...]
    checklist_items: dict[str, ChecklistItem]
    categories: tuple[OptionCategory, ...]
    options: dict[str, Option]
    rules: Rules
    instruments: dict[str, Instrument]
    plain_language: PlainLanguage
    drug_classes: dict[str, DrugClass] = attrs.field(factory=dict)
    _by_name: dict[str, Treatment] = attrs.field(init=False, repr=False, eq=False)
    _instrument_by_key: dict[str, Instrument] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        names = {}
        for t in self.treatments.values():
            for name in (t.id, t.name, *t.brands, *t.aliases):
                names.setdefault(name.casefold(), t)
        object.__setattr__(self, "_by_name", names)
        keys = {instrument_key(n): i for i in self.instruments.values() for n in (i.id, *i.aliases)}
        object.__setattr__(self, "_instrument_by_key", keys)

    def instrument(self, name: str) -> Instrument | None:
        """The instrument a measurement names, written loosely ("phq9"), or None."""
        return self._instrument_by_key.get(instrument_key(name))

    def treatment(self, name: str) -> Treatment | None:
        """The treatment a trial names: by id, name, brand or alias, any case."""
        return self._by_name.get(name.strip().casefold())

    def closest_treatment(self, name: str) -> tuple[Treatment, str] | None:
        """The treatment a name not in the pack most likely means, and how to offer it:
        "Bupropion (Wellbutrin)" when a brand or alias matched, else the name.

        A name the typed text begins (``sert``: an unfinished word) wins when only one
        treatment has such a name; otherwise difflib's ratio, which counts the letters two
        names share in order, so one letter missing, extra, swapped or changed
        (``Welbutrin``, ``setraline``) scores above the 0.8 cutoff while unrelated names
        (``fish oil``) do not. The pack has a few hundred names: no index is needed.
        """
        typed = name.strip().casefold()
        if not typed or typed in self._by_name:
            return None
        names = {
            n.casefold(): (t, t.name if n.casefold() == t.name.casefold() else f"{t.name} ({n})")
            for t in self.treatments.values()
            for n in (t.name, *t.brands, *t.aliases)
        }
        starting = sorted((n for n in names if n.startswith(typed)), key=len)
        if len(typed) >= 3 and len({names[n][0].id for n in starting}) == 1:
            return names[starting[0]]
        import difflib  # only for names not in the pack

        close = difflib.get_close_matches(typed, list(names), n=1, cutoff=0.8)
        return names[close[0]] if close else None
    def treatment_label(self, some_id: str) -> str:
        """A treatment's name, or a drug class's, by id (the id itself when neither)."""
        holder = self.treatments.get(some_id) or self.drug_classes.get(some_id)
        return holder.name if holder else some_id

    def class_short_name(self, class_id: str) -> str:
        """A drug class's name without the gloss in brackets ("SSRI", "multimodal"), for a list of
        classes; the id itself when the pack has no such class."""
        found = self.drug_classes.get(class_id)
        return found.name.split(" (", 1)[0] if found else class_id

    def cautions_for(self, ids: tuple[str, ...]) -> tuple[Caution, ...]:
        """The cautions of treatments and drug classes named by id, each once, in order."""
        found: dict[Caution, None] = {}
        for some_id in ids:
            holder = self.treatments.get(some_id) or self.drug_classes.get(some_id)
            found.update(dict.fromkeys(holder.cautions if holder else ()))
        return tuple(found)

    def items_in(self, section_id: str) -> list[ChecklistItem]:
        return [item for item in self.checklist_items.values() if item.section == section_id]

    def options_in(self, category_id: str) -> list[Option]:
        return [option for option in self.options.values() if option.category == category_id]

    def glossary_for(self, *texts: str) -> tuple[GlossaryTerm, ...]:
        """The glossary terms that occur in ``texts``, each once, in order of first use.

        Pure: the patient view passes the text it shows (for example
        ``*option.patient.texts()`` for each option on screen) and lists the result under
        "Words used". Matching is as for :func:`glossary_spans`.
        """
        found: dict[str, GlossaryTerm] = {}
        for text in texts:
            for _start, _end, term in glossary_spans(text, self.plain_language):
                found.setdefault(term.word.casefold(), term)
        return tuple(found.values())

    def unexplained_words(self, text: str) -> list[tuple[str, str]]:
        """The avoided words in ``text`` that no glossary term explains, as
        ``(word as written, avoid-list entry)`` pairs in order. Empty for plain text."""
        return unexplained_words(text, self.plain_language)

    def cite(self, source_ids: tuple[str, ...] | list[str]) -> str:
        """Short labels of sources, for showing beside a fact."""
        return "; ".join(self.sources[s].label for s in source_ids if s in self.sources)

