"""The content pack: the bundled one is complete and cited; a broken one is explained."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trd_tui.content import ContentError, check_content, load_content

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
        ("checklist.toml", 'section = "medical"', 'section = "astrology"', "unknown section 'astrology'"),
        ("rules.toml", 'safety_item = "suicidality"', 'safety_item = "mood"', "rules.toml: safety_item: no checklist item 'mood'"),
        ("sources.toml", '[[source]]', '[[source]]\nyear = "old"', 'sources.toml'),
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
    edit(pack, "rules.toml", "trd_min_failures = 2", "trd_min_failures = 2.5")
    edit(pack, "checklist.toml", "[[item]]", "[[item]]\nweight = 3")
    files = {str(p).split(":")[0] for p in check_content(pack)}
    assert files == {"rules.toml", "checklist.toml"}


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "options.toml").unlink()
    assert any("options.toml: cannot be read" in str(p) for p in check_content(pack))


# -- the cached pack -------------------------------------------------------------


def cache_file(pack: Path) -> Path:
    from trd_tui import packcache

    return packcache._path(pack)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache a pack whose files changed just now: these tests edit files and load at once.

    (A source file of trd_tui edited moments before the run would stop caching otherwise.)
    """
    from trd_tui import packcache

    monkeypatch.setattr(packcache, "SETTLE_SECONDS", 0)


@pytest.mark.usefixtures("settled")
def test_a_checked_pack_is_cached_privately_and_read_back_equal(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    first = load_content(pack)
    cached = cache_file(pack)
    assert cached.exists() and cached.stat().st_mode & 0o777 == 0o600
    assert cached.parent.stat().st_mode & 0o777 == 0o700
    again = load_content(pack)
    assert again == first and again.treatment("Zoloft") == first.treatment("Zoloft")


@pytest.mark.usefixtures("settled")
def test_an_edited_pack_is_read_again_never_served_from_the_cache(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 50
    # Same length, so the file's size does not give the edit away.
    edit(pack, "treatments.toml", "min_dose_mg = 50", "min_dose_mg = 60")
    assert load_content(pack).treatments["sertraline"].min_dose_mg == 60


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_an_edit_that_puts_the_old_mtime_back_is_still_seen(tmp_path: Path, how: str) -> None:
    # As `cp -p` or `touch -r` would: same size and mtime, so the ctime or the inode tells.
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


def test_a_pack_changed_moments_ago_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A second edit within the same tick of the file system's clock could leave the same size
    # and times behind; once the files are older than that, the pack is cached.
    from trd_tui import packcache
    from trd_tui.content import FILES

    pack = copy_pack(tmp_path)
    edit(pack, "treatments.toml", "min_dose_mg = 50", "min_dose_mg = 60")
    assert packcache.key(pack, FILES, ()) is None
    monkeypatch.setattr(packcache, "SETTLE_SECONDS", 0)
    assert packcache.key(pack, FILES, ()) is not None


@pytest.mark.usefixtures("settled")
def test_an_edited_pack_with_a_problem_is_refused_though_an_older_one_was_cached(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    load_content(pack)
    edit(pack, "treatments.toml", 'kind = "antidepressant"', 'kind = "tonic"')
    with pytest.raises(ContentError):
        load_content(pack)


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("damage", ["garbage", "foreign class", "writable by others"])
def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    import os
    import pickle

    pack = copy_pack(tmp_path)
    expected = load_content(pack)
    cached = cache_file(pack)
    key = cached.read_bytes().split(b"\n", 1)[0]
    if damage == "garbage":
        cached.write_bytes(key + b"\nnot a pickle")
    elif damage == "foreign class":
        cached.write_bytes(key + b"\n" + pickle.dumps(os.system))  # must never be looked up, let alone called
    else:
        cached.chmod(0o622)
    assert load_content(pack) == expected
    assert cached.stat().st_mode & 0o777 == 0o600  # rewritten by the full read
