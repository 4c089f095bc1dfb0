"""A note of several lines keeps its line breaks everywhere it is shown (issue 17.2).

One session with a three-line note in each place a clinician writes one (a checklist
item, a trial, an option, the episode, the plan), then every output: the Markdown and
plain-text summaries (as `trd-tui summary` prints them), the JSON and FHIR exports, the
Summary pane and the panes that show each note.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from markdown_it import MarkdownIt

import trd_tui
from trd_tui.cli import main
from trd_tui.export.formats import render
from trd_tui.model import OptionStatus, Plan, ReviewStatus, Session, Trial, with_checklist, with_option, with_plan, with_trial
from trd_tui.storage.sessionfile import save_session
from ui_helpers import TODAY, content, make_app, screen_text

PLACES = ("checklist", "trial", "option", "episode", "plan")
OPTION = "esketamine"


def note(place: str) -> str:
    return f"{place} one\n{place} two\n{place} three"


def noted_session() -> Session:
    session = Session.new(TODAY, "Test patient")
    session = with_checklist(session, "sleep", status=ReviewStatus.CONCERN, note=note("checklist"))
    trial = Trial(treatment="sertraline", dose_mg=150, start=dt.date(2026, 6, 1), end=dt.date(2026, 9, 1), note=note("trial"))
    session = with_trial(session, None, trial)
    session = with_option(session, OPTION, OptionStatus.CONSIDERED, note("option"))
    session = with_plan(session, Plan(text=note("plan")))
    return attrs.evolve(session, episode=attrs.evolve(session.episode, note=note("episode")))


def assessment():
    return trd_tui.assess(noted_session(), content())


def test_the_markdown_summary_keeps_each_notes_line_breaks() -> None:
    html = MarkdownIt("commonmark").render(render("markdown", assessment(), content()))
    for place in PLACES:
        # Hard line breaks inside the note's own list item or paragraph: one block, three lines.
        assert f"{place} one<br />\n{place} two<br />\n{place} three" in html, place


def test_the_plain_text_summary_keeps_each_notes_line_breaks() -> None:
    text = render("text", assessment(), content())
    for place in PLACES:
        indent = "" if place == "plan" else "  "  # a list item's later lines stay under it
        assert f"{place} one\n{indent}{place} two\n{indent}{place} three" in text, place


def test_the_json_summary_keeps_each_note_as_written() -> None:
    data = json.loads(render("json", assessment(), content()))
    assert data["checklist"]["flagged"][0]["note"] == note("checklist")
    assert data["trials"][0]["note"] == note("trial")
    assert data["options"][0]["note"] == note("option")
    assert data["episode"]["note"] == note("episode")
    assert data["plan"]["text"] == note("plan")


@pytest.mark.parametrize("identifiers", [False, True])
def test_the_fhir_export_leaves_free_text_notes_out(identifiers: bool) -> None:
    # docs/fhir.md: free text may name people, so no note goes in, with or without identifiers.
    bundle = render("fhir", assessment(), content(), include_identifiers=identifiers)
    assert not [place for place in PLACES if f"{place} two" in bundle]


@pytest.mark.parametrize("name", ["markdown", "text", "json"])
def test_trd_tui_summary_prints_the_line_breaks(name: str, tmp_path, capsys) -> None:
    path = tmp_path / "visit.toml"
    save_session(noted_session(), path)
    assert main(["summary", str(path), "--format", name]) == 0
    out = capsys.readouterr().out
    assert out == render(name, trd_tui.assess(trd_tui.load_session(path), content()), content())
    written = {"markdown": "plan one\\\nplan two\\\nplan three", "text": "plan one\nplan two\nplan three",
               "json": '"plan one\\nplan two\\nplan three"'}
    assert written[name] in out


def follows(screen: str, lines: list[str]) -> bool:
    """Whether ``lines`` are on the screen one under the other, the later ones starting in one column."""
    rows = screen.splitlines()
    for y in range(len(rows) - len(lines) + 1):
        x = rows[y + 1].find(lines[1])
        if lines[0] in rows[y] and x >= 0 and all(rows[y + i][x:].startswith(line) for i, line in enumerate(lines[1:], 1)):
            return True
    return False


@pytest.mark.ui
async def test_the_panes_show_each_note_on_its_lines() -> None:
    app = make_app(noted_session())
    async with app.run_test(size=(120, 120)) as pilot:  # tall: the whole summary on one screen
        await pilot.press("4")
        await pilot.pause(0.3)
        summary = screen_text(app)
        for place in PLACES:
            assert follows(summary, [f"{place} {n}" for n in ("one", "two", "three")]), place
        await pilot.press("1")
        app.screen.query_one("#checklist-table").move_to("sleep")
        await pilot.pause()
        assert follows(screen_text(app), ["Note  checklist one", "checklist two", "checklist three"])
        await pilot.press("2")
        await pilot.pause()
        assert follows(screen_text(app), ["Note: trial one", "trial two", "trial three"])
        await pilot.press("3", "slash", *"esketamine", "enter")
        await pilot.pause(0.3)
        assert app.screen.query_one("#option-list").highlighted_option.id == OPTION
        assert follows(screen_text(app), ["Note: option one", "option two", "option three"])


def test_a_note_line_that_looks_like_markdown_stays_a_line_of_the_note() -> None:
    from trd_tui.export.summary import MARKDOWN, INDENT

    lines = ["first", "- not a list", "1. not a list", "2) nor this", "---", "+ plus", "===", "", "# not a heading"]
    html = MarkdownIt("commonmark").render("- Sleep: " + MARKDOWN.block("\n".join(lines), INDENT))
    assert html == "<ul>\n<li>Sleep: " + "<br />\n".join(lines) + "</li>\n</ul>\n"
