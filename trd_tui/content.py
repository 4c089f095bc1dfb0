"""The content pack: treatments, checklist, options, rules and their sources.

The only module that reads ``content/``. The pack's format is documented in
docs/content-pack.md. A pack is checked whole: :func:`check_content` lists
every problem with its file and entry, and :func:`load_content` refuses a
pack that has any, because a wrong dose threshold is worse than none.
"""

from __future__ import annotations

import functools
import os
import re
import tomli
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import attrs

from trd_tui.clinical.relevance import Condition, parse_condition
from trd_tui.tomlconv import FieldError, Problem, make_converter, problems_from

ENV_VAR = "TRD_TUI_CONTENT"
FILES = (
    "sources.toml", "treatments.toml", "checklist.toml", "options.toml", "rules.toml", "instruments.toml",
    "plain-language.toml",
)
KINDS = ("antidepressant", "augmentation-agent", "rapid-acting", "neuromodulation", "psychotherapy", "other")
# Patterns, compiled by re on first use: only checking a pack's TOML needs them.
_ID = r"[a-z0-9]+(-[a-z0-9]+)*"
_SOURCE_ID = r"[A-Z0-9][A-Za-z0-9-]*"


@attrs.frozen
class Source:
    id: str
    label: str
    citation: str
    year: int
    url: str = ""


@attrs.frozen
class Treatment:
    id: str
    name: str
    kind: str
    sources: tuple[str, ...]
    class_: str = ""  # "class" in the file
    brands: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    min_dose_mg: float | None = None
    dose_source: str = ""
    usual_dose: str = ""
    line: str = ""
    uncertain: str = ""

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
    consider_when: tuple[Condition, ...] = ()
    aliases: tuple[str, ...] = ()
    uncertain: str = ""


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
    name: str
    contact: str


@attrs.frozen
class Rules:
    min_trial_weeks: float
    min_trial_weeks_source: str
    trd_min_failures: int
    trd_source: str
    safety_item: str
    crisis: tuple[CrisisResource, ...]


@functools.cache
def _file_types() -> dict[str, type]:
    """The record each pack file is read into: one per file, so cattrs reports paths such as
    ``treatment[3].kind``.

    Made on first use: only reading the TOML needs them, and a start that finds the pack in
    the cache does not (five attrs classes, 1.3 ms of ``trd-tui check``).
    """

    def record(name: str, **fields: Any) -> type:
        return attrs.make_class(name, {k: attrs.field(type=t) for k, t in fields.items()}, frozen=True)

    return {
        "sources.toml": record("_SourcesFile", source=tuple[Source, ...]),
        "treatments.toml": record("_TreatmentsFile", treatment=tuple[Treatment, ...]),
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


@attrs.frozen
class _Finder:
    """Finds the entries of one word list at the start of a word, with any ending ("augment"
    finds "augmentation"), the longest entry first where several fit.

    An entry written in capitals (an abbreviation: "REMS", "ECT", "T3") matches only in
    capitals, so "ACT" does not find "action"; any other entry matches in any case. Built once
    per list (:func:`_finder`), because the pack is checked on every start.
    """

    patterns: tuple[re.Pattern[str], ...]
    by_key: dict[str, Any]  # casefolded entry -> what it stands for

    def find(self, text: str) -> list[tuple[int, int, int, Any]]:
        """``(start, end of entry, end of its word, what it stands for)``, by start, longest first."""
        found = []
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                start, stop = m.span()
                end = stop
                while end < len(text) and text[end].isalnum():
                    end += 1
                found.append((start, stop, end, self.by_key[m.group().casefold()]))
        found.sort(key=lambda hit: (hit[0], -hit[1]))
        return found


@functools.lru_cache(maxsize=64)
def _finder(entries: tuple[tuple[str, Any], ...]) -> _Finder:
    """A :class:`_Finder` for ``(entry, what it stands for)`` pairs; the first of equal entries wins."""
    by_key: dict[str, Any] = {}
    for entry, value in entries:
        by_key.setdefault(entry.casefold(), value)
    patterns = []
    for exact in (True, False):
        chosen = [e if exact else e.casefold() for e, _value in entries if e.isupper() == exact]
        if chosen:
            patterns.append(re.compile(rf"(?<![^\W_])(?:{_trie(chosen)})", 0 if exact else re.IGNORECASE))
    return _Finder(tuple(patterns), by_key)


def _trie(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first, with shared beginnings factored out
    (a list of a hundred words then costs a few tries per word in the text, not a hundred)."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else f"(?:{'|'.join(branches)})"
        return body + ("?" if "" in node else "")

    return emit(root)


@functools.lru_cache(maxsize=64)
def _finders(plain: PlainLanguage) -> tuple[_Finder, _Finder]:
    """The avoid list's finder and the glossary's, for one set of rules."""
    avoid = _finder(tuple((e.strip(), e.strip()) for e in plain.avoid if e.strip()))
    glossary = _finder(tuple((t.word.strip(), t) for t in plain.term if t.word.strip()))
    return avoid, glossary


def glossary_spans(text: str, plain: PlainLanguage) -> list[tuple[int, int, GlossaryTerm]]:
    """Where glossary terms occur in ``text``: ``(start, end, term)``, in order, not overlapping.

    A term matches as an avoid-list entry does (see :func:`unexplained_words`), and its span runs
    to the end of the word, so "antipsychotic" covers "antipsychotics". Where terms overlap, the
    longer one wins ("CBT-I" over "CBT").
    """
    spans: list[tuple[int, int, GlossaryTerm]] = []
    for start, _stop, end, term in _finders(plain)[1].find(text):
        if not spans or start >= spans[-1][1]:
            spans.append((start, end, term))
    return spans


def unexplained_words(text: str, plain: PlainLanguage) -> list[tuple[str, str]]:
    """Avoid-list words in ``text`` that no glossary term explains: ``(word as written, entry)``, in order.

    An entry matches at the start of a word with any ending ("augment" finds "augmentation",
    "psychotic" does not find "antipsychotic"); an entry in capitals matches only in capitals.
    A word inside a glossary term's span is explained.
    """
    hits = _finders(plain)[0].find(text)
    if not hits:
        return []
    explained = glossary_spans(text, plain)
    words: list[tuple[str, str]] = []
    last = -1
    for start, stop, end, entry in hits:
        if start == last:
            continue  # one report per word: the longest entry that fits
        last = start
        if not any(s <= start and stop <= e for s, e, _term in explained):
            words.append((text[start:end], entry))
    return words


class ContentError(Exception):
    """A content pack with problems; ``problems`` lists each one."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        super().__init__(f"content pack {folder} has {len(problems)} problem(s)")
        self.folder = folder
        self.problems = problems


def bundled_folder() -> Path:
    """The pack shipped with trd-tui: inside the wheel, or the source tree's."""
    here = Path(__file__).parent
    installed = here / "content"
    return installed if installed.is_dir() else here.parent / "content"


def resolve_folder(path: str | os.PathLike[str] | None = None) -> Path:
    """The pack to use: an explicit folder, else $TRD_TUI_CONTENT, else the bundled one."""
    chosen = path or os.environ.get(ENV_VAR)
    return Path(chosen) if chosen else bundled_folder()


def load_content(path: str | os.PathLike[str] | None = None) -> Content:
    """Load and check a content pack. Raises :class:`ContentError` if it has any problem.

    A pack that passed its checks is kept in the user cache folder (see :mod:`trd_tui.packcache`)
    and read from there while its files, and this code, are unchanged.
    """
    from trd_tui import packcache

    folder = resolve_folder(path)
    key = packcache.key(folder, FILES, _CACHE_SOURCES)
    if key is not None and (cached := packcache.load(folder, key)) is not None:
        return cached
    content, problems = _read(folder)
    if problems or content is None:
        raise ContentError(folder, problems)
    if key is not None:
        packcache.store(folder, key, content)
    return content


#: The code whose behaviour shapes a loaded pack: a change to any of it makes a cached pack stale.
_CACHE_SOURCES = ("content.py", "clinical/relevance.py", "tomlconv.py", "model.py", "packcache.py")


def check_content(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in a content pack (an empty list for a good pack)."""
    return _read(resolve_folder(path))[1]


def _converter():
    from cattrs.gen import make_dict_structure_fn, override

    conv = make_converter()

    def condition(value: Any, _type: Any) -> Condition:
        if not isinstance(value, str):
            raise FieldError("expected a condition as text")
        try:
            return parse_condition(value)
        except ValueError as exc:
            raise FieldError(str(exc)) from None

    conv.register_structure_hook(Condition, condition)
    conv.register_structure_hook(
        Treatment,
        make_dict_structure_fn(Treatment, conv, _cattrs_forbid_extra_keys=True, class_=override(rename="class")),
    )
    return conv


def _read(folder: Path) -> tuple[Content | None, list[Problem]]:
    if not folder.is_dir():
        return None, [Problem(str(folder), "no such folder")]
    conv = _converter()
    parsed: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in FILES:
        record, found = _read_file(folder / name, _file_types()[name], conv)
        parsed[name] = record
        problems += found
    if problems:
        return None, problems
    content = Content(
        folder=folder,
        sources=_by_id(parsed["sources.toml"].source),
        treatments=_by_id(parsed["treatments.toml"].treatment),
        sections=parsed["checklist.toml"].section,
        checklist_items=_by_id(parsed["checklist.toml"].item),
        categories=parsed["options.toml"].category,
        options=_by_id(parsed["options.toml"].option),
        rules=parsed["rules.toml"],
        instruments=_by_id(parsed["instruments.toml"].instrument),
        plain_language=parsed["plain-language.toml"],
    )
    problems = list(_cross_check(parsed, content))
    return (None if problems else content), problems


def _read_file(path: Path, kind: type, conv: Any) -> tuple[Any, list[Problem]]:
    try:
        raw = tomli.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [Problem(path.name, f"cannot be read: {exc.strerror or exc}")]
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(path.name, f"not valid TOML: {exc}")]
    from cattrs.errors import BaseValidationError

    try:
        return conv.structure(raw, kind), []
    except BaseValidationError as exc:
        return None, [Problem(_locate(path.name, raw, where), msg) for where, msg in problems_from(exc)]


def _locate(file: str, raw: dict[str, Any], where: str) -> str:
    """``treatment[3].kind`` → ``treatments.toml: treatment[3] "sertraline" .kind``."""
    m = re.match(r"(\w+)\[(\d+)\](.*)", where)
    if m:
        entries = raw.get(m[1])
        entry = entries[int(m[2])] if isinstance(entries, list) and int(m[2]) < len(entries) else None
        entry_id = (entry.get("id") or entry.get("word")) if isinstance(entry, dict) else None
        if isinstance(entry_id, str):
            return f'{file}: {m[1]}[{m[2]}] "{entry_id}"{m[3]}'
    return f"{file}: {where}"


def _by_id(records: tuple[Any, ...]) -> dict[str, Any]:
    return {record.id: record for record in records}


def _cross_check(parsed: dict[str, Any], content: Content) -> Iterator[Problem]:
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
    if isinstance(record, Instrument):
        yield from _instrument_problems(record)
    if isinstance(record, ChecklistItem) and record.section not in {s.id for s in content.sections}:
        yield "section", f"unknown section {record.section!r}"
    if isinstance(record, Option):
        if record.category not in {c.id for c in content.categories}:
            yield "category", f"unknown category {record.category!r}"
        for condition in record.consider_when:
            if condition.kind == "flagged" and condition.argument not in content.checklist_items:
                yield "consider_when", f"{condition}: no checklist item {condition.argument!r}"
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


def _treatment_problems(t: Treatment, content: Content) -> Iterator[tuple[str, str]]:
    if t.kind not in KINDS:
        yield "kind", f"must be one of {' | '.join(KINDS)}"
    if t.is_antidepressant and not t.class_:
        yield "class", "required for an antidepressant"
    if t.class_ and not re.fullmatch(_ID, t.class_):
        yield "class", "use lowercase letters, digits and hyphens (tca, maoi, ssri, ...)"
    if t.min_dose_mg is not None:
        if not t.min_dose_mg > 0:
            yield "min_dose_mg", "must be a positive number of mg/day"
        if not t.dose_source:
            yield "dose_source", "required with min_dose_mg: where the threshold comes from"
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


def _rules_problems(content: Content) -> Iterator[Problem]:
    rules = content.rules
    if not rules.min_trial_weeks > 0:
        yield Problem("rules.toml: min_trial_weeks", "must be a positive number of weeks")
    if rules.trd_min_failures < 1:
        yield Problem("rules.toml: trd_min_failures", "must be at least 1")
    for field in ("min_trial_weeks_source", "trd_source"):
        if getattr(rules, field) not in content.sources:
            yield Problem(f"rules.toml: {field}", f"unknown source id {getattr(rules, field)!r}")
    if rules.safety_item not in content.checklist_items:
        yield Problem("rules.toml: safety_item", f"no checklist item {rules.safety_item!r}")
    if not rules.crisis:
        yield Problem("rules.toml: crisis", "list at least one crisis resource")
