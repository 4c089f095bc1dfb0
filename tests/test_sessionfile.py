"""The session file contract: what is saved reloads exactly, and bad files are explained."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import attrs
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from strategies import sessions

from trd_tui import load_session, model, save_session
from trd_tui.storage import sessionfile
from trd_tui.storage.atomic import SaveError
from trd_tui.storage.sessionfile import InvalidSessionError, UnreadableSessionError

DOCS_EXAMPLE = Path(__file__).parent.parent / "docs" / "session-format.md"


def example_toml(version: int = 1) -> str:
    """An example session from docs/session-format.md (the documented contract), v1 or v2."""
    text = DOCS_EXAMPLE.read_text(encoding="utf-8").split(f"## Example, version {version}", 1)[1]
    return text.split("```toml\n", 1)[1].split("```", 1)[0]


def problems_of(text: str) -> list[str]:
    with pytest.raises(sessionfile.SessionFileError) as caught:
        sessionfile.parse(text)
    return [str(p) for p in caught.value.problems]


@given(sessions())
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_any_valid_session_saves_and_reloads_equal(session: model.Session) -> None:
    text = sessionfile.dumps(session)
    assert sessionfile.parse(text) == session
    assert sessionfile.dumps(sessionfile.parse(text)) == text  # byte-identical on re-save


@given(sessions(), sessions())
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
def test_saving_writes_the_whole_document_whatever_was_saved_before(first: model.Session, second: model.Session) -> None:
    # Each record's text is kept from the last save while the session holds that object:
    # what is written must never depend on it, after an edit or another session alike.
    before = {"recovery": {"source": "", "writer": {"pid": 1}}}  # a recovery copy's header

    def same(session: model.Session) -> bool:
        plain = sessionfile.to_toml_dict(session)
        return (
            sessionfile.dumps(session) == tomli_w.dumps(plain)
            and sessionfile.dumps_within(before, session) == tomli_w.dumps({**before, "session": plain})
        )

    edited = attrs.evolve(
        first,
        trials=first.trials[1:],
        visits=(*first.visits[:-1], attrs.evolve(first.visits[-1], clinician="Dr Edited")),
    )
    assert same(first) and same(edited) and same(second) and same(first)


def test_an_edit_of_a_large_history_is_saved() -> None:
    from benchmarks.sessions import large
    from trd_tui import load_content

    session = large(load_content())
    sessionfile.dumps(session)
    visit = session.visits[-1]
    note = model.ChecklistEntry(model.ReviewStatus.CONCERN, "now sleeping 4 hours")
    edited = attrs.evolve(session, visits=(*session.visits[:-1], attrs.evolve(visit, checklist={**visit.checklist, "sleep": note})))
    assert sessionfile.parse(sessionfile.dumps(edited)) == edited


def test_documented_example_loads_with_every_field() -> None:
    s = sessionfile.parse(example_toml())
    assert s.visit_date == dt.date(2026, 11, 20)
    assert s.session.created == dt.datetime(2026, 11, 20, 9, 12, tzinfo=dt.UTC)
    assert s.patient.label == "Patient A" and s.patient.sex is model.Sex.FEMALE
    assert s.episode.severity is model.Severity.MODERATE
    assert s.checklist["sleep"] == model.ChecklistEntry(model.ReviewStatus.CONCERN, "wakes at 4am")
    (trial,) = s.trials
    assert (trial.treatment, trial.dose_mg, trial.end) == ("sertraline", 150, dt.date(2025, 9, 15))
    assert trial.side_effects == ("nausea",)
    assert s.measurements[0].items == (3, 2, 2, 2, 2, 2, 3, 2, 1)
    assert s.options[0].status is model.OptionStatus.DISCUSSED
    assert s.options[0].preference is model.Preference.TOWARDS
    assert s.plan.next_review == dt.date(2026, 12, 18)


def test_dose_reached_round_trips_and_older_files_without_it_stay_valid() -> None:
    text = example_toml()
    (trial,) = sessionfile.parse(text).trials
    assert trial.dose_reached == dt.date(2025, 6, 24)
    assert "dose_reached = 2025-06-24\n" in sessionfile.dumps(sessionfile.parse(text))
    older = text.replace("dose_reached = 2025-06-24", "")
    assert "dose_reached" not in older
    (trial,) = sessionfile.parse(older).trials
    assert trial.dose_reached is None
    assert "dose_reached" not in sessionfile.dumps(sessionfile.parse(older))


def test_whole_number_dose_is_written_back_whole() -> None:
    text = sessionfile.dumps(sessionfile.parse(example_toml()))
    assert "dose_mg = 150\n" in text


def test_unknown_keys_are_kept_on_save_and_listed_as_warnings(tmp_path: Path) -> None:
    text = example_toml().replace('[patient]\n', '[patient]\npronouns = "she/her"\n')
    text = text.replace("[[trials]]", "[[trials]]\npharmacy = { name = 'X', refills = [1, 2] }", 1)
    text = 'written_by = "trd-tui 9"\n' + text
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    result = sessionfile.read_session(path)
    assert [w.path for w in result.warnings] == ["written_by", "patient.pronouns", "trials[0].pharmacy"]
    save_session(result.session, path)
    again = sessionfile.parse(path.read_text(encoding="utf-8"))
    assert again.patient.extra == {"pronouns": "she/her"}
    assert again.trials[0].extra == {"pharmacy": {"name": "X", "refills": [1, 2]}}
    assert again.extra == {"written_by": "trd-tui 9"}


def test_markup_like_text_survives_a_round_trip() -> None:
    note = "[red]x[/] [@click=app.quit] \\ \"quoted\"\nsecond line"
    s = sessionfile.parse(example_toml())
    changed = sessionfile.parse(sessionfile.dumps(_with_note(s, note)))
    assert changed.episode.note == note


def _with_note(s: model.Session, note: str) -> model.Session:
    import attrs

    return attrs.evolve(s, episode=attrs.evolve(s.episode, note=note))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('end = 2025-09-15', 'end = 2025-01-15'), "trials[0].end: before start"),
        (('start = 2025-06-10', 'start = 2027-01-01'), "trials[0].start: after the visit date (2026-11-20)"),
        (('dose_mg = 150', 'dose_mg = "150"'), "trials[0].dose_mg: expected a number, got text"),
        (('dose_mg = 150', 'dose_mg = -5'), "trials[0].dose_mg: must be more than 0 and at most 10000 mg/day"),
        (('dose_mg = 150', 'dose_mg = true'), "trials[0].dose_mg: expected a number, got true/false"),
        (('adherence = "good"', 'adherence = "great"'), "trials[0].adherence: must be one of good | partial | poor | unknown, got 'great'"),
        (('start = 2025-06-10', 'start = "2025-06-10"'), "trials[0].start: expected a date written YYYY-MM-DD, got text"),
        (('label = "Patient A"', ''), "patient.label: required, but missing"),
        (('visit_date = 2026-11-20', ''), "session.visit_date: required, but missing"),
        (('status = "concern"', 'status = "worried"'), "checklist.sleep.status: must be one of unreviewed | no-concern | concern | follow-up, got 'worried'"),
        (('created = 2026-11-20T09:12:00Z', 'created = 2026-11-20T09:12:00'), "session.created: expected a UTC date and time written YYYY-MM-DDTHH:MM:SSZ"),
        (('birth_year = 1984', 'birth_year = 1850'), "patient.birth_year: must be between 1900 and 2026"),
        (('onset = 2025-06-01', 'onset = 2027-06-01'), "episode.onset: after the visit date"),
        (('dose_reached = 2025-06-24', 'dose_reached = 2025-06-01'), "trials[0].dose_reached: before start"),
        (('dose_reached = 2025-06-24', 'dose_reached = 2025-10-01'), "trials[0].dose_reached: after end"),
        (('dose_reached = 2025-06-24', 'dose_reached = "2025-06-24"'), "trials[0].dose_reached: expected a date written YYYY-MM-DD, got text"),
        (('dose_mg = 150', ''), "trials[0].dose_reached: needs a dose: it says when that dose was reached"),
        (('preference = "leaning-towards"', 'preference = "keen"'),
         "options[0].preference: must be one of leaning-towards | unsure | leaning-against, got 'keen'"),
    ],
)
def test_invalid_values_are_reported_with_their_path(change: tuple[str, str], expected: str) -> None:
    old, new = change
    text = example_toml()
    assert old in text
    assert expected in problems_of(text.replace(old, new, 1))


def test_every_problem_is_listed_not_just_the_first() -> None:
    text = example_toml().replace('dose_mg = 150', 'dose_mg = "x"').replace('outcome = "none"', 'outcome = 3')
    found = problems_of(text)
    assert any(p.startswith("trials[0].dose_mg") for p in found)
    assert any(p.startswith("trials[0].outcome") for p in found)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('format = "trd-session"\nversion = 3', "version 3 was written by a newer trd-tui"),
        ('format = "something-else"\nversion = 1', 'expected format = "trd-session"'),
        ('version = 1', 'expected format = "trd-session"'),
        ('format = "trd-session"', "expected version = 2"),
    ],
)
def test_other_formats_and_later_versions_are_refused(header: str, expected: str) -> None:
    body = example_toml().split("\n", 2)[2]
    with pytest.raises(InvalidSessionError) as caught:
        sessionfile.parse(header + "\n" + body)
    assert expected in str(caught.value.problems[0])


def test_not_toml_is_unreadable_with_line_and_column() -> None:
    with pytest.raises(UnreadableSessionError) as caught:
        sessionfile.parse('format = "trd-session"\nversion = 1\n[session\n')
    assert "line 3" in str(caught.value.problems[0])


def test_binary_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(UnreadableSessionError, match="not a text file"):
        load_session(path)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableSessionError):
        load_session(tmp_path / "nope.toml")


def test_save_creates_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    save_session(sessionfile.parse(example_toml()), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_session(path) == sessionfile.parse(example_toml())
    assert [p.name for p in tmp_path.iterdir()] == ["s.toml"]  # no temporary file left behind


def test_save_keeps_a_stricter_mode(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    save_session(sessionfile.parse(example_toml()), path)
    path.chmod(0o400)
    save_session(sessionfile.parse(example_toml()), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_failed_save_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("old contents", encoding="utf-8")
    with pytest.raises(SaveError):
        save_session(sessionfile.parse(example_toml()), tmp_path / "missing-folder" / "s.toml")
    assert path.read_text(encoding="utf-8") == "old contents"


def test_content_warnings_name_free_text_and_unknown_ids() -> None:
    from trd_tui import load_content
    from trd_tui.document import content_warnings

    text = example_toml().replace('treatment = "sertraline"', "treatment = \"St John's wort\"")
    text = text.replace('id = "esketamine"', 'id = "crystal-healing"')
    found = [str(w) for w in content_warnings(sessionfile.parse(text), load_content())]
    assert (
        "trials[0].treatment: \"St John's wort\" is free text, not in the content pack: not rated and not counted; "
        "nothing in the pack is close"
    ) in found
    assert "visits[0].options[0].id: 'crystal-healing' is not an option in the content pack" in found


def test_demo_session_is_valid_against_the_bundled_pack() -> None:
    from trd_tui import load_content
    from trd_tui.document import content_warnings

    session = sessionfile.load_demo()
    assert sessionfile.warnings(session, sessionfile.to_toml_dict(session)) == content_warnings(session, load_content()) == []
