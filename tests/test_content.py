"""The content pack: the bundled one is complete and cited; a broken one is explained."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trd_tui.pack.load import ContentError, check_content, load_content

ROOT = Path(__file__).parent.parent
# The dose table as reviewed on 2026-12-03 (docs/content-pack.md): minimum adequate dose = lower end
# of the usual therapeutic range for depression, its source, and whether it is marked to confirm.
REVIEWED_MINIMUMS = {
    "citalopram": (20, "CAN"), "escitalopram": (10, "CAN"), "fluoxetine": (20, "CAN"), "paroxetine": (20, "CAN"),
    "sertraline": (50, "CAN"), "fluvoxamine": (100, "FDA-FLV"), "desvenlafaxine": (50, "CAN"),
    "duloxetine": (60, "CAN"), "levomilnacipran": (40, "CAN"), "milnacipran": (50, "CAN"),
    "venlafaxine": (75, "CAN", "confirm"), "bupropion": (150, "CAN"), "mirtazapine": (15, "FDA-MIRT"),
    "mianserin": (30, "CAN"), "vilazodone": (20, "CAN"), "vortioxetine": (10, "CAN"), "agomelatine": (25, "CAN"),
    "amitriptyline": (150, "CAN", "confirm"), "clomipramine": (150, "CAN"), "desipramine": (150, "CAN", "confirm"),
    "doxepin": (150, "CAN", "confirm"), "imipramine": (150, "CAN", "confirm"), "nortriptyline": (75, "CAN"),
    "protriptyline": (15, "CAN", "confirm"), "trimipramine": (150, "CAN", "confirm"), "lofepramine": (140, "BNF"),
    "dosulepin": (75, "BNF", "confirm"), "moclobemide": (300, "BNF", "confirm"), "trazodone": (150, "CAN"),
    "quetiapine": (150, "CAN"), "nefazodone": (300, "CAN"), "selegiline": (6, "CAN"), "phenelzine": (45, "CAN"),
    "tranylcypromine": (30, "CAN"), "isocarboxazid": (20, "FDA-ISO", "confirm"), "reboxetine": (8, "CAN"),
}


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_every_antidepressant_has_its_reviewed_minimum_dose(content) -> None:
    for drug, (minimum, source, *confirm) in REVIEWED_MINIMUMS.items():
        t = content.treatments[drug]
        assert (t.kind, t.min_dose_mg, t.dose_source, t.dose_to_confirm) == ("antidepressant", minimum, source, bool(confirm)), drug
        if t.dose_to_confirm:
            assert "to be confirmed against the original" in t.uncertain, drug
    rated = {d for d, t in content.treatments.items() if t.min_dose_mg is not None}
    assert rated == set(REVIEWED_MINIMUMS)


def test_tricyclic_thresholds_are_therapeutic_not_starting_doses(content) -> None:
    # 75 mg/day starts amitriptyline, imipramine, doxepin and trimipramine; it is not adequate.
    for drug in ("amitriptyline", "imipramine", "doxepin", "trimipramine", "clomipramine", "desipramine"):
        assert content.treatments[drug].min_dose_mg >= 150, drug
    assert content.treatments["nortriptyline"].min_dose_mg == 75  # secondary amine: a lower range


def test_every_antidepressant_class_is_declared(content) -> None:
    classes = {t.class_ for t in content.treatments.values() if t.is_antidepressant}
    assert classes == set(content.drug_classes)
    assert content.treatments["fluvoxamine"].class_ == content.treatments["sertraline"].class_ == "ssri"
    assert content.treatments["lofepramine"].class_ == content.treatments["dosulepin"].class_ == "tca"
    assert content.treatments["isocarboxazid"].class_ == "maoi"


def test_tca_and_maoi_classes_are_spelled_for_thase_rush(content) -> None:
    assert {d for d, t in content.treatments.items() if t.class_ == "tca"} >= {"amitriptyline", "nortriptyline", "clomipramine"}
    assert {d for d, t in content.treatments.items() if t.class_ == "maoi"} == {"phenelzine", "tranylcypromine", "selegiline", "isocarboxazid"}


def test_adjuncts_procedures_and_therapies_are_present(content) -> None:
    required = ["aripiprazole", "brexpiprazole", "lithium", "liothyronine", "buspirone", "esketamine", "ketamine",
                "ect", "rtms", "itbs", "vns", "tdcs", "cbt"]
    for treatment in required:
        assert treatment in content.treatments
    assert content.treatments["ect"].min_dose_mg is None  # procedures are not dose-rated


def test_names_brands_and_aliases_find_the_treatment(content) -> None:
    assert content.treatment("Zoloft").id == "sertraline"
    assert content.treatment("  SERTRALINE ").id == "sertraline"
    assert content.treatment("T3").id == "liothyronine"
    assert content.treatment("St John's wort") is None


def test_checklist_covers_every_reassessment_question(content) -> None:
    for item in ["dose", "duration", "adherence", "interactions", "metabolism", "bipolar-features", "adhd",
                 "psychotic-features", "thyroid", "vitamin-d", "inflammation", "chronic-pain", "anaemia",
                 "sleep-disorders", "medical-illness", "alcohol", "drugs", "trauma", "stressors", "support",
                 "sleep", "exercise", "nutrition", "suicidality", "hopelessness"]:
        entry = content.checklist_items[item]
        assert entry.question and entry.why and entry.action and entry.sources


def test_every_option_category_has_options_with_sources(content) -> None:
    assert [c.id for c in content.categories] == [
        "optimise", "switch", "augment", "rapid-acting", "neuromodulation", "psychotherapy", "lifestyle",
        "care-setting", "emerging"]
    for category in content.categories:
        options = content.options_in(category.id)
        assert options, category.id
        assert all(o.sources and o.patient.description for o in options)


def test_crisis_resources_are_the_us_set(content) -> None:
    contacts = " ".join(r.contact for r in content.rules.crisis)
    assert "988" in contacts and "741741" in contacts and "911" in contacts


def copy_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "content", pack)
    return pack


def edit(pack: Path, name: str, old: str, new: str) -> None:
    text = (pack / name).read_text(encoding="utf-8")
    assert old in text
    (pack / name).write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("treatments.toml", 'min_dose_mg = 50', 'min_dose_mg = "fifty"', 'treatments.toml: treatment[4] "sertraline".min_dose_mg: expected a number, got text'),
        ("treatments.toml", 'id = "sertraline"', 'id = "sertraline"\ncolour = "red"', 'treatments.toml: treatment[4] "sertraline": unknown field(s): colour'),
        ("treatments.toml", 'id = "fluoxetine"', 'id = "sertraline"', 'duplicate id'),
        ("treatments.toml", 'kind = "antidepressant"', 'kind = "tonic"', '.kind: must be one of'),
        ("options.toml", 'sources = ["CAN"', 'sources = ["NOPE", "CAN"', "unknown source id 'NOPE'"),
        ("options.toml", '"failed >= 2"', '"failed >= two"', "unknown condition 'failed >= two'"),
        ("options.toml", '"flagged bipolar-features"', '"flagged unicorns"', "no checklist item 'unicorns'"),
        ("options.toml", 'role = "combination"', 'role = "monotherapy"', '"bupropion-combination".role: must be one of augmentation | combination'),
        ("checklist.toml", 'section = "medical"', 'section = "astrology"', "unknown section 'astrology'"),
        ("rules.toml", 'safety_item = "suicidality"', 'safety_item = "mood"', "rules.toml: safety_item: no checklist item 'mood'"),
        ("sources.toml", '[[source]]', '[[source]]\nyear = "old"', 'sources.toml'),
        ("instruments.toml", 'measures = "anxiety"', '', 'instruments.toml: instrument[1] "GAD-7".measures: say what it measures'),
        ("rules.toml", 'sources = ["EMA", "RYB"]', 'sources = ["EMA", "NOPE"]', "rules.toml: trd.sources: unknown source id 'NOPE'"),
        ("rules.toml", 'definition = "ema-rybak"', 'definition = "strict"', "rules.toml: trd.definition: must be one of ema-rybak"),
    ],
)
def test_content_problems_are_located(tmp_path: Path, file: str, old: str, new: str, expected: str) -> None:
    pack = copy_pack(tmp_path)
    edit(pack, file, old, new)
    problems = [str(p) for p in check_content(pack)]
    assert any(expected in p for p in problems), problems
    with pytest.raises(ContentError):
        load_content(pack)


def test_all_problems_across_files_are_listed(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    edit(pack, "rules.toml", "min_failures = 2 ", "min_failures = 2.5 ")
    edit(pack, "checklist.toml", "[[item]]", "[[item]]\nweight = 3")
    files = {str(p).split(":")[0] for p in check_content(pack)}
    assert files == {"rules.toml", "checklist.toml"}


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "options.toml").unlink()
    assert any("options.toml: cannot be read" in str(p) for p in check_content(pack))


# -- the cached pack -------------------------------------------------------------


def cache_file(pack: Path) -> Path:
    from trd_tui.pack import cache

    return cache._path(pack)


def test_a_checked_pack_is_cached_privately_and_read_back_equal(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    first = load_content(pack)
    cached = cache_file(pack)
    assert cached.exists() and cached.stat().st_mode & 0o777 == 0o600
    assert cached.parent.stat().st_mode & 0o777 == 0o700
    again = load_content(pack)
    assert again == first and again.treatment("Zoloft") == first.treatment("Zoloft")


def test_an_edited_pack_is_read_again_never_served_from_the_cache(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 50
    # Same length, so the file's size does not give the edit away.
    edit(pack, "treatments.toml", "min_dose_mg = 50", "min_dose_mg = 60")
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 60


@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_an_edit_that_puts_the_old_mtime_back_is_still_seen(tmp_path: Path, how: str) -> None:
    # As `cp -p` or `touch -r` would: same size and mtime.
    import os

    pack = copy_pack(tmp_path)
    target = pack / "treatments.toml"
    before = target.stat()
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 50
    text = target.read_text(encoding="utf-8").replace("min_dose_mg = 50", "min_dose_mg = 60", 1)
    if how == "in place":
        target.write_text(text, encoding="utf-8")
    else:
        (pack / "new.toml").write_text(text, encoding="utf-8")
        (pack / "new.toml").replace(target)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 60


def test_a_pack_edited_twice_within_a_clock_tick_is_read_again(tmp_path: Path) -> None:
    # Two edits moments apart leave the same size and times behind; the bytes still differ.
    pack = copy_pack(tmp_path)
    edit(pack, "treatments.toml", "min_dose_mg = 50", "min_dose_mg = 60")
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 60
    edit(pack, "treatments.toml", "min_dose_mg = 60", "min_dose_mg = 70")
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 70


def test_an_edited_pack_with_a_problem_is_refused_though_an_older_one_was_cached(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    load_content(pack)
    edit(pack, "treatments.toml", 'kind = "antidepressant"', 'kind = "tonic"')
    with pytest.raises(ContentError):
        load_content(pack)


def code_copy(tmp_path: Path) -> Path:
    """A copy of trd-tui's own modules, to edit without touching the real ones."""
    copy = tmp_path / "code" / "trd_tui"
    shutil.copytree(ROOT / "trd_tui", copy, ignore=shutil.ignore_patterns("__pycache__", "content"))
    return copy


def test_the_cache_key_covers_every_module_of_the_pack_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A changed record class, check or reader makes a cached pack stale, whichever module it is
    # in, a module added after this test was written included: the key has no list to forget it in.
    from trd_tui.pack import cache
    from trd_tui.pack.records import FILES

    pack = copy_pack(tmp_path)
    monkeypatch.setattr(cache, "PACKAGE", code_copy(tmp_path))
    (cache.PACKAGE / "pack" / "added_later.py").write_text('"""A module added later."""\n', encoding="utf-8")
    modules = sorted((cache.PACKAGE / "pack").glob("*.py"))
    assert {m.name for m in modules} >= {"records.py", "load.py", "checks.py", "conditions.py", "glossary.py", "added_later.py"}
    try:
        for module in [*modules, cache.PACKAGE / "model.py", cache.PACKAGE / "tomlconv.py"]:
            cache.code_bytes.cache_clear()
            before = cache.key(pack, FILES)
            original = module.read_bytes()
            module.write_bytes(original + b"\n# changed\n")
            cache.code_bytes.cache_clear()
            assert cache.key(pack, FILES) != before, module.name
            module.write_bytes(original)
    finally:
        cache.code_bytes.cache_clear()  # the next test reads the real code again


def test_a_cache_built_by_other_code_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An entry written before an upgrade that changed the records is rebuilt, not served.
    from trd_tui.pack import cache

    pack = copy_pack(tmp_path)
    load_content(pack)
    written = cache_file(pack).read_bytes()
    monkeypatch.setattr(cache, "code_bytes", lambda: b"other code")
    assert load_content(pack) is not None
    assert cache_file(pack).read_bytes() != written


@pytest.mark.parametrize("damage", ["garbage", "foreign class", "writable by others", "empty list", "truncated", "another record"])
def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    import os
    import pickle

    from trd_tui.pack import cache
    from trd_tui.pack.records import FILES

    pack = copy_pack(tmp_path)
    expected = load_content(pack)
    cached = cache_file(pack)
    key = cache.key(pack, FILES)
    entry = cached.read_bytes()
    assert key is not None and entry.startswith(key)
    if damage == "garbage":
        cached.write_bytes(key + b"not a pickle")
    elif damage == "foreign class":
        cached.write_bytes(key + pickle.dumps(os.system))  # must never be looked up, let alone called
    elif damage == "empty list":
        cached.write_bytes(key + pickle.dumps([]))  # loads without a class: still not a pack
    elif damage == "truncated":
        cached.write_bytes(entry[: len(key) + (len(entry) - len(key)) // 2])
    elif damage == "another record":
        cached.write_bytes(key + pickle.dumps(expected.treatments["sertraline"]))  # a pack record, not a pack
    else:
        cached.chmod(0o622)
    assert load_content(pack) == expected
    assert cached.stat().st_mode & 0o777 == 0o600  # rewritten by the full read
    assert cached.read_bytes() == entry


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("Welbutrin", ("bupropion", "Bupropion (Wellbutrin)")),  # a brand, one letter missing
        ("sertarline", ("sertraline", "Sertraline")),  # two letters swapped
        ("prozak", ("fluoxetine", "Fluoxetine (Prozac)")),  # one letter changed
        ("sert", ("sertraline", "Sertraline")),  # an unfinished name only one treatment begins with
        ("fish oil", None),  # nothing close: no guess
        ("es", None),  # too short to guess from
        ("Wellbutrin", None),  # in the pack already: nothing to offer
    ],
)
def test_free_text_is_matched_to_the_closest_name_brand_or_alias(typed: str, offered) -> None:
    found = load_content().closest_treatment(typed)
    assert (found and (found[0].id, found[1])) == offered
