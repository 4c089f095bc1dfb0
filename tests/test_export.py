"""Export formats: one table (trd_tui/export/formats.py) behind `trd-tui summary`, `trd-tui export` and the palette."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import attrs
import pytest

import trd_tui
from trd_tui.cli import main
from trd_tui.export.formats import FORMATS, render, summary_formats
from trd_tui.export.data import to_data
from trd_tui.export.summary import to_markdown
from trd_tui.export.text import to_text
from trd_tui.model import ChecklistEntry, OptionNote, ReviewStatus, with_visit
from trd_tui.storage.sessionfile import load_demo, save_session
from ui_helpers import content, make_app

HOSTILE_PLAN = "Taper 19->12 mg over 2 weeks\r\nthen review: <50% is *no* response\n\n\x1b[31m[b]not markup[/b]  "


def demo_assessment(session=None):
    return trd_tui.assess(session or load_demo(), content())


def hostile_session():
    demo = load_demo()
    edited = with_visit(
        demo,
        plan=attrs.evolve(demo.plan, text=HOSTILE_PLAN),
        checklist={**demo.checklist, "sleep": ChecklistEntry(ReviewStatus.CONCERN, "wakes 4am\nnaps **daily**")},
    )
    return attrs.evolve(edited, episode=attrs.evolve(demo.episode, note="First line\nsecond # line\x07"))


def test_the_table_has_the_four_formats_each_described() -> None:
    assert list(FORMATS) == ["markdown", "text", "json", "fhir"]
    assert [f.name for f in summary_formats()] == ["markdown", "text", "json"]
    for f in FORMATS.values():
        assert f.suffix.startswith(".") and f.description and f.title and "/" in f.media_type


def test_each_format_renders_what_its_module_does() -> None:
    a = demo_assessment()
    assert render("markdown", a, content()) == to_markdown(a, content())
    assert render("text", a, content()) == to_text(a, content())
    assert json.loads(render("json", a, content())) == to_data(a, content())
    bundle = json.loads(render("fhir", a, content()))
    assert bundle["resourceType"] == "Bundle"
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert "name" not in patient  # no identifiers unless asked
    identified = json.loads(render("fhir", a, content(), include_identifiers=True))
    assert any("name" in e["resource"] for e in identified["entry"] if e["resource"]["resourceType"] == "Patient")


def test_text_has_the_markdown_sections_without_markdown() -> None:
    a = demo_assessment()
    markdown, text = to_markdown(a, content()), to_text(a, content())
    headings = re.findall(r"^##? (.+)$", markdown, re.MULTILINE)
    assert len(headings) >= 8
    for heading in headings:
        assert re.search(rf"^{re.escape(heading)}\n[-=]+$", text, re.MULTILINE), heading
    assert "**" in markdown and "**" not in text and not re.search(r"^#", text, re.MULTILINE)
    assert "| Date | Instrument | Score | Band |" in markdown
    assert "- Date: 2026-11-20; Instrument: PHQ-9; Score: 16; Band: moderately severe" in text


def test_text_shows_recorded_text_without_markdown_escapes() -> None:
    a = demo_assessment(hostile_session())
    markdown, text = to_markdown(a, content()), to_text(a, content())
    assert "19-\\>12" in markdown and "\\<50%" in markdown  # Markdown has to escape them
    assert "19->12" in text and "<50% is *no* response" in text and "\\" not in text.replace("\\x", "")


def test_text_keeps_the_line_breaks_of_the_plan_and_notes_and_shows_control_characters() -> None:
    text = to_text(demo_assessment(hostile_session()), content())
    plan = text.split("Plan\n----\n\n", 1)[1]
    assert plan.startswith(
        "Taper 19->12 mg over 2 weeks\nthen review: <50% is *no* response\n\n\\x1b[31m[b]not markup[/b]\n"
    )
    assert "- Note: First line\n  second # line\\x07\n" in text  # a note's later lines stay under its item
    assert "- Sleep (concern): wakes 4am\n  naps **daily**\n" in text
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text


def test_text_while_sharing_hides_notes_and_dates() -> None:
    from trd_tui.privacy import Privacy

    s = hostile_session()
    text = to_text(demo_assessment(s), content(), Privacy.for_session(s, sharing=True))
    assert "wakes 4am" not in text and "2026-11-20" not in text


@pytest.mark.parametrize("name", list(FORMATS))
def test_cli_export_writes_each_format_through_the_table(name: str, tmp_path: Path, capsys) -> None:
    session_file = tmp_path / "visit.toml"
    save_session(load_demo(), session_file)
    out = tmp_path / f"out{FORMATS[name].suffix}"
    assert main(["export", str(session_file), "--format", name, "-o", str(out)]) == 0
    a = trd_tui.assess(trd_tui.load_session(session_file), content())
    assert out.read_text(encoding="utf-8") == render(name, a, content())
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"wrote {out}" in capsys.readouterr().out


@pytest.mark.parametrize("name", [f.name for f in summary_formats()])
def test_cli_summary_prints_each_summary_format(name: str, capsys) -> None:
    assert main(["summary", "--demo", "--format", name]) == 0
    assert capsys.readouterr().out == render(name, demo_assessment(), content())


def test_cli_help_lists_the_tables_formats(capsys) -> None:
    for command, formats in (("export", list(FORMATS.values())), ("summary", summary_formats())):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        shown = " ".join(capsys.readouterr().out.split())
        assert "{" + ",".join(f.name for f in formats) + "}" in shown
        for f in formats:
            assert f"{f.name}: {f.description}" in shown


def test_cli_summary_refuses_a_format_that_is_not_the_summary(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["summary", "--demo", "--format", "fhir"])
    assert exit_.value.code == 64 and "invalid choice: 'fhir'" in capsys.readouterr().err  # EX_USAGE


async def test_the_palette_offers_every_format_and_exports_plain_text(tmp_path: Path) -> None:
    from textual.command import CommandPalette

    from trd_tui.ui.dialogs.dialogs import PathDialog

    app = make_app()
    target = tmp_path / "for-the-record.txt"
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert [t for t in titles if t.startswith("Export ")] == [f"Export {f.title}…" for f in FORMATS.values()]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Export summary as plain text")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        await pilot.click("#path")
        await pilot.press("ctrl+a", "ctrl+k", *str(target), "enter")  # over the suggested summary.txt
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == to_text(app.assessment, app.content)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_the_app_will_not_export_over_the_open_session_file(tmp_path: Path) -> None:
    from trd_tui.ui.dialogs.dialogs import PathDialog

    session_file = tmp_path / "visit.toml"
    save_session(load_demo(), session_file)
    before = session_file.read_bytes()
    app = make_app(trd_tui.load_session(session_file), session_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("4", "x")  # the Summary pane's Markdown export
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        await pilot.click("#path")
        await pilot.press("ctrl+a", "ctrl+k", *str(session_file), "enter")
        refused = "visit.toml is a session file; choose another file"
        for _ in range(50):  # the export runs in a worker: on a loaded machine it answers a little later
            await pilot.pause(0.1)
            if refused in [n.message for n in app._notifications]:
                break
        assert refused in [n.message for n in app._notifications]
    assert session_file.read_bytes() == before


def test_a_new_option_note_is_plain_in_text() -> None:
    demo = load_demo()
    s = with_visit(demo, options=(OptionNote("ect", note="asked about <memory> effects"),))
    text = to_text(demo_assessment(s), content())
    assert ": asked about <memory> effects" in text


def test_the_summary_lists_tiers_1_and_2_with_reasons_and_record_cautions() -> None:
    a = demo_assessment()
    for summary in (to_markdown(a, content()), to_text(a, content())):
        block = summary.split("Next steps", 1)[1].split("Options discussed", 1)[0]
        assert "never an order" in block
        first, second = block.split("② Tier 2, next:")
        assert "① Tier 1, consider first:" in first and "Suicide-risk assessment and safety plan" in first
        assert "rTMS" in first and "3 failed adequate antidepressant(s) (≥ 1) (CANMAT 2023)" in first
        assert "Caution: Alcohol use flagged" in second and "(Bupropion US label)" in second
        assert "Aripiprazole augmentation" not in block  # not tolerated: not now
        assert "tDCS" not in block  # tier 3 stays in the app and the JSON
        assert "Dose-related seizure risk" not in block  # a caution for everyone, not from this record


def test_json_next_steps_are_in_order_and_not_now_has_reasons() -> None:
    a = demo_assessment()
    data = to_data(a, content())
    steps = data["next_steps"]
    assert [s["option"] for s in steps] == [s.option.id for s in a.next_steps.steps]
    assert [s["tier"] for s in steps] == sorted(s["tier"] for s in steps)
    assert steps[0] == {
        "option": "safety-plan", "tier": 1, "reasons": ["safety alert (NICE NG222)"], "cautions": [],
    }
    bupropion = next(s for s in steps if s["option"] == "bupropion-combination")
    assert {"text": bupropion["cautions"][0]["text"][:17], "source": "FDA-BUP"} == {"text": "Alcohol use flagg", "source": "FDA-BUP"}
    not_now = {n["option"]: n["reasons"] for n in data["not_now"]}
    assert not_now["aripiprazole-augmentation"] == ["Aripiprazole was not tolerated: akathisia (ended 2025-05-15)"]
    assert set(not_now) | {s["option"] for s in steps} == set(content().options)
