"""Patient text ([option.patient]): complete, short, cited and in plain words, machine-checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_content import copy_pack, edit
from trd_tui.pack.glossary import glossary_spans, unexplained_words
from trd_tui.pack.load import ContentError, check_content, load_content
from trd_tui.pack.records import (
    PATIENT_DESCRIPTION_MAX,
    PATIENT_FIELD_MAX,
    PATIENT_NAME_MAX,
    GlossaryTerm,
    PatientText,
    PlainLanguage,
)

GRID_FIELDS = ("helps", "how_soon", "involves", "side_effects", "monitoring", "cautions")


@pytest.fixture(scope="module")
def content():
    return load_content()


def set_patient(pack: Path, option_id: str, field: str, value: str | list[str] | None) -> None:
    """Set (or, with None, delete) one field of an option's [option.patient] in a copied pack."""
    path = pack / "options.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f'id = "{option_id}"\n')
    table = lines.index("[option.patient]\n", start)
    at = next(i for i in range(table, len(lines)) if lines[i].startswith(f"{field} = "))
    lines[at:at + 1] = [] if value is None else [f"{field} = {json.dumps(value, ensure_ascii=False)}\n"]
    path.write_text("".join(lines), encoding="utf-8")


def problems(pack: Path) -> list[str]:
    return [str(p) for p in check_content(pack)]


def assert_problem(pack: Path, expected: str) -> None:
    found = problems(pack)
    assert any(expected in p for p in found), found
    with pytest.raises(ContentError):
        load_content(pack)


# -- the bundled pack ------------------------------------------------------------------------


def test_every_bundled_option_has_complete_plain_patient_text(content) -> None:
    assert len(content.options) == 44  # with antipsychotic-combination and safety-plan (issue 16)
    for option in content.options.values():
        patient = option.patient
        assert all(text.strip() for text in patient.texts()), option.id
        assert patient.helps_sources and set(patient.helps_sources) <= set(option.sources), option.id
        for text in patient.texts():
            assert content.unexplained_words(text) == [], (option.id, text)


def test_bundled_grid_fields_keep_to_the_aim_for_four_columns(content) -> None:
    """Clinics may go to PATIENT_FIELD_MAX; the bundled pack keeps to the 160-character aim."""
    for option in content.options.values():
        for field in GRID_FIELDS:
            assert len(getattr(option.patient, field)) <= 160, (option.id, field)
        assert len(option.patient.description) <= PATIENT_DESCRIPTION_MAX, option.id


def test_bundled_figures_and_uncertainty_reach_the_patient(content) -> None:
    ect = content.options["ect"].patient
    assert "65 to 75 in 100" in ect.helps and "60 to 80 in 100" in ect.helps and "6 months" in ect.helps
    assert "to be confirmed" in ect.cautions  # the high-risk list is marked **check** in the reference
    assert "to be confirmed" in content.options["mood-stabiliser"].patient.helps
    esketamine = content.options["esketamine"].patient
    assert "2 hours" in esketamine.involves and "next day" in esketamine.involves
    assert "40 minutes" in esketamine.monitoring
    assert "5 days a week for 4 to 6 weeks" in content.options["rtms"].patient.involves
    assert "weekly until the level is steady" in content.options["lithium-augmentation"].patient.monitoring
    assert "30 to 40 minutes, 3 to 4 times a week, for at least 9 weeks" in content.options["exercise"].patient.involves
    assert content.options["switch-between-class"].patient.helps_sources == ("STAR",)


def test_evidence_words_follow_the_stated_level(content) -> None:
    words = {e.level: e.words for e in content.plain_language.evidence}
    assert content.options["aripiprazole-augmentation"].patient.helps.casefold().startswith(words["Level 1"])
    assert words["Level 3"] in content.options["lamotrigine-augmentation"].patient.helps.casefold()
    ketamine = content.options["ketamine-iv"].patient.helps.casefold()
    assert words["Level 1"] in ketamine and words["Level 3"] in ketamine


def test_glossary_for_lists_the_words_used_once_in_order(content) -> None:
    terms = content.glossary_for(*content.options["ect"].patient.texts())
    assert [t.word for t in terms] == ["ECT", "anaesthetic", "seizure", "aneurysm"]
    assert all(isinstance(t, GlossaryTerm) and t.means for t in terms)
    assert content.glossary_for("Eating regular meals.") == ()
    assert [t.word for t in content.glossary_for("two antipsychotics", "an ANTIPSYCHOTIC")] == ["antipsychotic"]


def test_patient_text_fields_are_in_display_order() -> None:
    assert PatientText.TEXT_FIELDS == (
        "name", "description", "helps", "how_soon", "involves", "side_effects", "monitoring", "cautions")


# -- the matching rules (pure functions) -----------------------------------------------------

PLAIN = PlainLanguage(
    avoid=("augment", "ACT", "psychotic", "CBT", "REMS", "level 1"),
    term=(GlossaryTerm("CBT", "a talking therapy"), GlossaryTerm("CBT-I", "a talking therapy for sleep")),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Augmentation may help.", [("Augmentation", "augment")]),  # a word beginning, any case
        ("a REMS clinic", [("REMS", "REMS")]),
        ("an action plan", []),  # "ACT" in capitals finds only capitals
        ("ACT is a therapy", [("ACT", "ACT")]),
        ("antipsychotic medicines", []),  # only at the start of a word
        ("psychotic features", [("psychotic", "psychotic")]),
        ("CBT and CBT-I", []),  # explained by the glossary
        ("Level 1 evidence", [("Level 1", "level 1")]),
        ("add it (augment) via REMS", [("augment", "augment"), ("REMS", "REMS")]),
    ],
)
def test_avoid_list_matching(text: str, expected: list[tuple[str, str]]) -> None:
    assert unexplained_words(text, PLAIN) == expected


def test_longer_glossary_term_wins_where_terms_overlap() -> None:
    spans = glossary_spans("Try CBT-I, or CBTs.", PLAIN)
    assert [(term.word, "Try CBT-I, or CBTs."[start:end]) for start, end, term in spans] == [
        ("CBT-I", "CBT-I"), ("CBT", "CBTs")]


# -- a broken pack is explained, located ------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "field", "value", "expected"),
    [
        # jargon, as a whole word and as a word beginning
        ("esketamine", "involves", "A nasal spray at a REMS-certified clinic.",
         'options.toml: option[20] "esketamine".patient.involves: uses "REMS" without a plain explanation'),
        ("aripiprazole-augmentation", "helps", "Strong evidence from several studies that augmentation can help.",
         '"aripiprazole-augmentation".patient.helps: uses "augmentation" (avoid list: "augment") without a plain explanation'),
        ("optimise-dose", "name", "Dose titration",
         '"optimise-dose".patient.name: uses "titration" (avoid list: "titrat") without a plain explanation'),
        ("ect", "description", "ECT is safe under anaesthesia; it is not contraindicated in pregnancy.",
         '"ect".patient.description: uses "contraindicated" (avoid list: "contraindicat")'),
        # sources
        ("switch-between-class", "helps_sources", ["NOPE"], '"switch-between-class".patient.helps_sources: unknown source id \'NOPE\''),
        ("switch-between-class", "helps_sources", ["TMS"], "patient.helps_sources: 'TMS' is not among the option's sources"),
        ("switch-between-class", "helps_sources", [], "patient.helps_sources: list at least one source"),
        # missing and empty fields
        ("esketamine", "side_effects", None, '"esketamine".patient.side_effects: required, but missing'),
        ("esketamine", "helps_sources", None, '"esketamine".patient.helps_sources: required, but missing'),
        ("esketamine", "involves", "   ", '"esketamine".patient.involves: must not be empty'),
        ("cannabis", "name", "", '"cannabis".patient.name: must not be empty'),
        # evidence words must match the stated level, both ways
        ("lamotrigine-augmentation", "helps", "Strong evidence from several studies that adding it can help.",
         '"lamotrigine-augmentation".patient.helps: says "strong evidence from several studies", but the evidence is "Level 3"'),
        ("lamotrigine-augmentation", "helps", "Some evidence that adding it can help.",
         '"lamotrigine-augmentation".patient.helps: the evidence is "Level 3": say "limited evidence"'),
    ],
)
def test_patient_text_problems_are_located(tmp_path: Path, option: str, field: str, value, expected: str) -> None:
    pack = copy_pack(tmp_path)
    set_patient(pack, option, field, value)
    assert_problem(pack, expected)


def test_an_unknown_patient_field_is_located(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    edit(pack, "options.toml", '[option.patient]\nname = "Getting the dose right"',
         '[option.patient]\nname = "Getting the dose right"\ncolour = "red"')
    assert_problem(pack, 'options.toml: option[0] "optimise-dose".patient: unknown field(s): colour')


def test_a_missing_patient_table_is_located(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    path = pack / "options.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[option.patient]\nname = "Getting the dose right"')
    path.write_text(text[:start] + text[text.index("\n\n", start) + 2:], encoding="utf-8")
    assert_problem(pack, 'options.toml: option[0] "optimise-dose".patient: required, but missing')


def test_over_long_patient_text_is_refused(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    set_patient(pack, "esketamine", "involves", "x" * (PATIENT_FIELD_MAX + 1))
    set_patient(pack, "esketamine", "description", "y" * (PATIENT_DESCRIPTION_MAX + 1))
    set_patient(pack, "esketamine", "name", "z" * (PATIENT_NAME_MAX + 1))
    found = problems(pack)
    for field, limit in [("involves", PATIENT_FIELD_MAX), ("description", PATIENT_DESCRIPTION_MAX), ("name", PATIENT_NAME_MAX)]:
        message = f'"esketamine".patient.{field}: {limit + 1} characters; keep it to {limit} or fewer'
        assert any(message in p for p in found), (message, found)


def test_patient_text_at_the_limit_is_accepted(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    set_patient(pack, "esketamine", "involves", "x" * PATIENT_FIELD_MAX)
    set_patient(pack, "esketamine", "description", "y" * PATIENT_DESCRIPTION_MAX)
    assert problems(pack) == []


def test_a_glossary_term_allows_an_avoided_word(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    set_patient(pack, "esketamine", "involves", "A nasal spray at a REMS-certified clinic.")
    assert any('uses "REMS"' in p for p in problems(pack))
    edit(pack, "plain-language.toml", "[[term]]",
         '[[term]]\nword = "REMS"\nmeans = "a safety programme that decides which clinics may give the medicine"\n\n[[term]]')
    assert problems(pack) == []
    content = load_content(pack)
    assert "REMS" in [t.word for t in content.glossary_for(*content.options["esketamine"].patient.texts())]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('means = "a form of thyroid hormone"', 'means = "liothyronine, given as an adjunct"',
         'plain-language.toml: term[6] "T3".means: uses "adjunct" without a plain explanation'),
        ('means = "a form of thyroid hormone"', 'means = " "', 'plain-language.toml: term[6] "T3".means: must not be empty'),
        ('word = "T3"', 'word = "seizure"', 'plain-language.toml: term[6] "seizure": this word is explained twice'),
        ('"SSRI", "SNRI"', '"SSRI", "ssri"', "plain-language.toml: avoid[1]: 'ssri' is listed twice"),
        ('"SSRI", "SNRI"', '"SSRI", ""', "plain-language.toml: avoid[1]: must not be empty"),
        ('word = "T3"', 'word = "T3"\nsee_also = "x"', 'plain-language.toml: term[6] "T3": unknown field(s): see_also'),
        ('words = "limited evidence"', 'words = ""', "plain-language.toml: evidence[2].words: must not be empty"),
    ],
)
def test_plain_language_file_problems_are_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    pack = copy_pack(tmp_path)
    edit(pack, "plain-language.toml", old, new)
    assert_problem(pack, expected)


def test_a_missing_plain_language_file_is_reported(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "plain-language.toml").unlink()
    assert_problem(pack, "plain-language.toml: cannot be read")
