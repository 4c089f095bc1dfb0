"""Visits (issue 15): the v2 history format, a new visit, since last visit, and history in the record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from strategies import sessions
from test_sessionfile import example_toml
from trd_tui import load_content
from trd_tui.clinical.assess import assess
from trd_tui.cli import main
from trd_tui.document import Document
from trd_tui.export.fhir import to_fhir_bundle
from trd_tui.export.data import to_data
from trd_tui.export.summary import to_markdown
from trd_tui.model import (
    ChecklistEntry,
    Measurement,
    OptionStatus,
    Plan,
    ReviewStatus,
    Role,
    Session,
    Trial,
    as_of,
    start_visit,
    with_checklist,
    with_option,
    with_plan,
    with_visit,
)
from trd_tui.storage import sessionfile
from trd_tui.storage.sessionfile import backup_path

TESTS = Path(__file__).parent
V1_DEMO = TESTS / "data" / "v1-demo.toml"


@pytest.fixture(scope="module")
def content():
    return load_content()


def v1_files() -> list[Path]:
    """Every version 1 session file kept under tests/."""
    return [p for p in sorted(TESTS.rglob("*.toml")) if 'format = "trd-session"' in (t := p.read_text("utf-8")) and "\nversion = 1" in t]


def test_the_v1_demo_is_kept_as_a_test_file() -> None:
    assert V1_DEMO in v1_files()


@pytest.mark.parametrize("source", v1_files(), ids=lambda p: p.name)
def test_every_v1_file_opens_saves_as_v2_and_reopens_equal(source: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    v1_bytes = source.read_bytes()
    path.write_bytes(v1_bytes)
    document = Document.open(path)
    assert sessionfile.read_session(path).version == 1
    v1 = document.session
    assert len(v1.visits) == 1
    document.save(now=dt.datetime(2026, 11, 21, tzinfo=dt.UTC))
    assert backup_path(path).read_bytes() == v1_bytes  # the v1 file is kept beside it
    assert "version = 2" in path.read_text("utf-8")
    reread = sessionfile.load_session(path)
    assert reread == attrs.evolve(v1, session=reread.session)  # only the save stamp differs


def test_a_v1_file_maps_to_one_visit() -> None:
    session = sessionfile.parse(V1_DEMO.read_text("utf-8"))
    (visit,) = session.visits
    assert visit.date == dt.date(2026, 11, 20) and visit.clinician == "Dr Demo"
    assert visit.checklist["sleep"] == ChecklistEntry(ReviewStatus.CONCERN, "Wakes at 4am most days.")
    assert visit.plan.next_review == dt.date(2026, 12, 18)
    assert [o.id for o in visit.options] == ["esketamine", "rtms", "lithium-augmentation", "cbasp"]


def test_v1_problems_name_the_place_in_the_v1_file() -> None:
    text = example_toml().replace("visit_date = 2026-11-20", "visit_date = 2026-11-20T09:00:00")
    with pytest.raises(sessionfile.InvalidSessionError) as caught:
        sessionfile.parse(text)
    assert [p.path for p in caught.value.problems] == ["session.visit_date"]


def test_unknown_keys_survive_at_every_level_of_a_v1_file() -> None:
    text = V1_DEMO.read_text("utf-8")
    text = text.replace('clinician = "Dr Demo"', 'clinician = "Dr Demo"\nx_room = 4')
    text = text.replace('note = "Wakes at 4am most days."', 'note = "Wakes at 4am most days."\nx_scale = "ISI"')
    text = text.replace("next_review = 2026-12-18", "next_review = 2026-12-18\nx_by = \"GP\"")
    session = sessionfile.parse(text)
    assert session.session.extra == {"x_room": 4}  # stays in [session]
    assert session.checklist["sleep"].extra == {"x_scale": "ISI"}
    assert session.plan.extra == {"x_by": "GP"}
    assert sessionfile.parse(sessionfile.dumps(session)) == session


def test_unknown_keys_inside_visits_round_trip() -> None:
    text = (Path(sessionfile.__file__).parent.parent / "demo.toml").read_text("utf-8")
    text = text.replace('date = 2026-05-20\nclinician = "Dr Demo"', 'date = 2026-05-20\nclinician = "Dr Demo"\nx_room = "B2"', 1)
    text = text.replace("since = 2026-05-20\n", 'since = 2026-05-20\nx_leaflet = true\n', 1)
    session = sessionfile.parse(text)
    assert session.visits[0].extra == {"x_room": "B2"}
    assert session.visits[0].options[0].extra == {"x_leaflet": True}
    assert "visits[0].x_room" in sessionfile.unknown_keys(session)
    assert sessionfile.parse(sessionfile.dumps(session)) == session


@given(sessions())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_any_history_round_trips(session: Session) -> None:
    assert sessionfile.parse(sessionfile.dumps(session)) == session


def test_visits_out_of_order_are_refused() -> None:
    demo = sessionfile.load_demo()
    swapped = attrs.evolve(demo, visits=(demo.visits[1], demo.visits[0], demo.visits[2]))
    with pytest.raises(sessionfile.InvalidSessionError) as caught:
        sessionfile.parse(sessionfile.dumps(swapped))
    assert "visits[1].date: not after the visit before it (2026-08-19)" in [str(p) for p in caught.value.problems]


def test_a_file_without_visits_is_refused() -> None:
    text = 'format = "trd-session"\nversion = 2\n[session]\n[patient]\nlabel = "A"\n'
    with pytest.raises(sessionfile.InvalidSessionError) as caught:
        sessionfile.parse(text)
    assert caught.value.problems[0].path == "visits"


def test_check_accepts_v1_and_v2(tmp_path: Path, capsys) -> None:
    v2 = tmp_path / "v2.toml"
    v2.write_text(sessionfile.dumps(sessionfile.load_demo()), "utf-8")
    assert main(["check", str(V1_DEMO)]) == 0
    assert main(["check", str(v2)]) == 0


# -- a new visit ---------------------------------------------------------------


TODAY = dt.date(2027, 2, 19)


def test_start_visit_carries_answers_with_their_dates() -> None:
    demo = sessionfile.load_demo()
    new = start_visit(demo, TODAY)
    assert new.visits[:-1] == demo.visits  # history untouched
    assert new.visit_date == TODAY and new.visit.clinician == "Dr Demo"
    assert new.checklist["sleep"] == attrs.evolve(demo.checklist["sleep"], carried_from=dt.date(2026, 11, 20))
    # an answer carried before keeps the date it was given
    assert new.checklist["thyroid"].carried_from == dt.date(2026, 8, 19)
    assert new.options == demo.options and new.options[0].since == dt.date(2026, 11, 20)
    assert new.plan == Plan() and new.previous_visit.plan == demo.plan
    assert new.visit.safety_alerts == ()
    with pytest.raises(ValueError):
        start_visit(demo, demo.visit_date)


def test_carried_answers_count_to_reask_not_reviewed(content) -> None:
    new = start_visit(sessionfile.load_demo(), TODAY)
    progress = assess(new, content).checklist
    assert (progress.reviewed, progress.to_reask) == (0, 8)
    asked = with_checklist(new, "sleep", status=ReviewStatus.CONCERN)
    assert asked.checklist["sleep"].carried_from is None
    progress = assess(asked, content).checklist
    assert (progress.reviewed, progress.to_reask) == (1, 7)
    assert "sleep" in progress.flagged  # a carried concern is still a concern


def test_edits_touch_only_the_current_visit() -> None:
    demo = sessionfile.load_demo()
    edited = with_plan(with_option(with_checklist(demo, "dose", note="x"), "ect", OptionStatus.DISCUSSED), Plan("new"))
    assert edited.visits[:-1] == demo.visits[:-1]
    assert edited.options[-1].id == "ect" and edited.options[-1].since == demo.visit_date


def test_a_changed_option_status_is_dated_and_a_changed_note_keeps_the_date() -> None:
    demo = start_visit(sessionfile.load_demo(), TODAY)
    started = with_option(demo, "cbasp", OptionStatus.STARTED)
    mark = next(o for o in started.options if o.id == "cbasp")
    assert (mark.status, mark.since) == (OptionStatus.STARTED, TODAY)
    renoted = with_option(demo, "cbasp", OptionStatus.PREFERRED, "weekly")
    assert next(o for o in renoted.options if o.id == "cbasp").since == dt.date(2026, 8, 19)


def test_document_offers_and_starts_a_new_visit(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    sessionfile.save_session(sessionfile.load_demo(), path)
    document = Document.open(path)
    assert document.needs_new_visit(TODAY) and not document.needs_new_visit(dt.date(2026, 11, 20))
    document.start_visit(TODAY)
    assert document.dirty and document.session.visit_date == TODAY and document.can_undo
    document.save(safety_alerts=("an alert",))
    reopened = sessionfile.load_session(path)
    assert len(reopened.visits) == 4 and reopened.visit.safety_alerts == ("an alert",)
    assert reopened.visits[:3] == sessionfile.load_demo().visits


# -- since last visit ----------------------------------------------------------


def worked_example() -> Session:
    """Two visits: sertraline augmented with aripiprazole between them, PHQ-9 18 -> 11, suicidality cleared."""
    v1 = dt.date(2026, 8, 19)
    s = Session.new(v1, "Example")
    s = with_checklist(s, "suicidality", status=ReviewStatus.CONCERN)
    s = with_checklist(s, "sleep", status=ReviewStatus.CONCERN)
    s = with_option(s, "esketamine", OptionStatus.CONSIDERED)
    s = with_plan(s, Plan("Add aripiprazole if no better.\nReview in 12 weeks.", dt.date(2026, 11, 20)))
    s = with_visit(s, safety_alerts=("Thoughts of self-harm marked concern in the checklist",))
    s = attrs.evolve(
        s,
        trials=(
            Trial(treatment="sertraline", dose_mg=150, start=dt.date(2026, 5, 1)),
            Trial(treatment="aripiprazole", role=Role.AUGMENTATION, dose_mg=5, start=dt.date(2026, 9, 15), augments="sertraline"),
        ),
        measurements=(Measurement(dt.date(2026, 8, 19), "PHQ-9", 18), Measurement(dt.date(2026, 11, 20), "PHQ-9", 11)),
    )
    s = start_visit(s, dt.date(2026, 11, 20))
    s = with_checklist(s, "suicidality", status=ReviewStatus.NO_CONCERN)
    return with_option(s, "esketamine", OptionStatus.DISCUSSED)


def test_since_last_visit_worked_example(content) -> None:
    since = assess(worked_example(), content).since
    assert since is not None and since.weeks == 13
    assert since.trials == (
        "Sertraline: augmentation with Aripiprazole from 2026-09-15",
        "Started Aripiprazole 5 mg/day (augmentation with Sertraline) on 2026-09-15",
    )
    (phq,) = since.scores
    assert phq.change == -7 and (phq.then_band, phq.now_band) == ("moderately severe", "moderate")
    assert phq.text == "PHQ-9: 18 (moderately severe) on 2026-08-19 → 11 (moderate) on 2026-11-20 (-7)"
    assert since.checklist == ("Thoughts of self-harm: concern → no concern",)  # sleep carried: unchanged
    assert since.safety_cleared == ("Thoughts of self-harm marked concern in the checklist",)
    assert since.safety_raised == ()
    assert since.options == ("Intranasal esketamine: considered → discussed since 2026-11-20",)
    assert since.previous_plan.text.startswith("Add aripiprazole")


def test_changes_at_an_earlier_visit_are_read_as_the_session_stood_then(content) -> None:
    from trd_tui.clinical.since import changes_at, since_visit

    session = start_visit(worked_example(), dt.date(2027, 2, 20))
    session = attrs.evolve(session, measurements=(*session.measurements, Measurement(dt.date(2027, 2, 20), "PHQ-9", 6)))
    assert changes_at(session, content, 0, ()) is None and changes_at(session, content, 3, ()) is None
    at_two = changes_at(session, content, 1, ())
    assert at_two is not None and (at_two.earlier.date, at_two.current.date) == (dt.date(2026, 8, 19), dt.date(2026, 11, 20))
    # Scores and trials after the visit shown are not yet known at it.
    assert [x.text for x in at_two.scores] == ["PHQ-9: 18 (moderately severe) on 2026-08-19 → 11 (moderate) on 2026-11-20 (-7)"]
    assert at_two.safety_cleared == ("Thoughts of self-harm marked concern in the checklist",)
    assert at_two.sections()[0] == ("Trials", at_two.trials)
    # The current visit is compared with the alerts active now.
    assert changes_at(session, content, 2, ("now",)) == since_visit(session, content, ("now",))


def test_since_last_visit_in_every_summary_format(content) -> None:
    a = assess(worked_example(), content)
    markdown = to_markdown(a, content)
    assert "## Since last visit" in markdown and "concern → no concern" in markdown
    assert "## Safety history" in markdown and "- 2026-08-19: Thoughts of self-harm marked concern" in markdown
    from trd_tui.export.text import to_text

    assert "Since last visit\n----------------" in to_text(a, content)
    data = json.loads(json.dumps(to_data(a, content)))
    assert data["visits"] == [{"date": "2026-08-19", "clinician": None}, {"date": "2026-11-20", "clinician": None}]
    assert data["since_last_visit"]["scores"][0]["change"] == -7
    assert data["since_last_visit"]["safety_cleared"] == ["Thoughts of self-harm marked concern in the checklist"]
    assert data["checklist"]["to_reask"] == 1


def test_one_visit_has_no_since_section(content) -> None:
    a = assess(Session.new(dt.date(2026, 11, 20)), content)
    assert a.since is None and "Since last visit" not in to_markdown(a, content)
    assert to_data(a, content)["since_last_visit"] is None


def test_the_base_trial_is_judged_up_to_the_augmentation_start(content) -> None:
    s = worked_example()
    base = assess(s, content).trials[0]
    assert base.weeks == pytest.approx((dt.date(2026, 9, 15) - dt.date(2026, 5, 1)).days / 7)
    assert any("judged up to 2026-09-15, when Aripiprazole was added (augmentation)" in r for r in base.reasons)
    alone = assess(attrs.evolve(s, trials=(attrs.evolve(s.trials[1], augments=None), s.trials[0])), content)
    assert alone.trials[1].weeks > base.weeks


# -- history in the record -------------------------------------------------------


def test_visits_command_lists_the_demo_history(capsys) -> None:
    assert main(["visits", "--demo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:10] for line in lines] == ["2026-05-20", "2026-08-19", "2026-11-20"]
    assert "Dr Demo" in lines[0] and "PHQ-9 17 (moderately severe)" in lines[0]
    assert lines[1].endswith("CBASP referral made; if PHQ-9 is not better by November, discuss esketamine and rTMS.")


def test_summary_at_an_earlier_visit(capfd) -> None:
    assert main(["summary", "--demo", "--visit", "2026-08-19", "--format", "json"]) == 0
    data = json.loads(capfd.readouterr().out)
    assert data["visit_date"] == "2026-08-19" and len(data["visits"]) == 2
    assert max(m["date"] for m in data["measurements"]) == "2026-08-19"
    assert data["since_last_visit"]["previous_visit"] == "2026-05-20"
    assert main(["summary", "--demo", "--visit", "2026-08-18"]) == 1
    with pytest.raises(ValueError, match="no visit on 2026-08-18; the visits are on 2026-05-20, 2026-08-19"):
        as_of(sessionfile.load_demo(), dt.date(2026, 8, 18))


def test_as_of_leaves_out_what_came_later() -> None:
    s = worked_example()
    then = as_of(s, dt.date(2026, 8, 19))
    assert [t.treatment for t in then.trials] == ["sertraline"]
    assert [m.date for m in then.measurements] == [dt.date(2026, 8, 19)]
    ended = attrs.evolve(s, trials=(attrs.evolve(s.trials[0], end=dt.date(2026, 10, 1)),))
    assert as_of(ended, dt.date(2026, 8, 19)).trials[0].end is None  # ongoing then


def test_fhir_gives_each_visit_an_encounter_its_observations_reference(content) -> None:
    from test_fhir import validate

    demo = sessionfile.load_demo()
    bundle = to_fhir_bundle(assess(demo, content), content)
    validate(bundle)
    entries = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    encounters = {r["period"]["start"]: url for url, r in entries.items() if r["resourceType"] == "Encounter"}
    assert list(encounters) == ["2026-05-20", "2026-08-19", "2026-11-20"]
    observations = [r for r in entries.values() if r["resourceType"] == "Observation" and "effectiveDateTime" in r]
    by_date = {r["effectiveDateTime"]: r.get("encounter", {}).get("reference") for r in observations}
    assert by_date["2026-08-19"] == encounters["2026-08-19"]  # on a visit's date: that visit
    assert by_date["2026-03-02"] is None  # before the first visit: none
    later = attrs.evolve(demo, measurements=(*demo.measurements, Measurement(dt.date(2026, 9, 30), "PHQ-9", 10)))
    entries = {e["fullUrl"]: e["resource"] for e in to_fhir_bundle(assess(later, content), content)["entry"]}
    september = next(r for r in entries.values() if r.get("effectiveDateTime") == "2026-09-30")
    assert entries[september["encounter"]["reference"]]["period"]["start"] == "2026-08-19"  # the nearest earlier visit


def test_the_bench_session_has_forty_visits_over_ten_years(content) -> None:
    import sys

    sys.path.insert(0, str(TESTS.parent))
    from benchmarks.sessions import large

    session = large(content)
    assert len(session.visits) == 40
    assert (session.visits[-1].date - session.visits[0].date).days >= 365 * 9.5
    assert sessionfile.parse(sessionfile.dumps(session)) == session
    assert assess(session, content).since is not None


def test_the_documented_v2_example_reads_and_says_what_the_v1_one_does() -> None:
    v2 = sessionfile.parse(example_toml(2))
    assert [v.date for v in v2.visits] == [dt.date(2026, 8, 19), dt.date(2026, 11, 20)]
    assert v2.checklist["sleep"].carried_from == dt.date(2026, 8, 19)
    assert v2.trials[0].augments == "venlafaxine" and v2.options[0].since == dt.date(2026, 11, 20)
    assert sessionfile.parse(sessionfile.dumps(v2)) == v2
    v1 = sessionfile.parse(example_toml(1))
    assert v1.visit.clinician == v2.visit.clinician and v1.plan == v2.plan


def test_the_previous_plan_is_hidden_while_sharing(content) -> None:
    from trd_tui.privacy import EARLIER_PLAN_HIDDEN, Privacy

    session = worked_example()
    shown = to_markdown(assess(session, content), content, Privacy.for_session(session, True))
    # Worded for an earlier plan: no key marks it shared any more (e edits today's plan).
    assert "Add aripiprazole" not in shown and EARLIER_PLAN_HIDDEN in shown
