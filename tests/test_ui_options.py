"""The Options pane: search, next-steps tiers from the assessment, marking, undo."""

from __future__ import annotations

import io

import attrs
import trd_tui
from rich.console import Console
from textual.widgets import Markdown, OptionList
from textual.widgets.markdown import MarkdownBlock

from trd_tui.model import OptionNote, OptionStatus, Session, with_checklist
from trd_tui.pack.records import Option
from trd_tui.ui.dialogs.option_mark import OptionMark
from trd_tui.ui.panes.options import DETAIL_DELAY, matches, option_markdown, search_text
from ui_helpers import TODAY, content, make_app
import pytest

pytestmark = pytest.mark.ui

ESKETAMINE_NOTE = "Interested; transport on treatment days needs arranging."


# -- helpers ----------------------------------------------------------------------


def option_list(app) -> OptionList:
    return app.screen.query_one("#option-list", OptionList)


def listed(app) -> list[str]:
    """Ids of the options in the list (category headers have none)."""
    return [o.id for o in option_list(app).options if o.id is not None]


def line(app, option_id: str) -> str:
    """The list entry of an option, as the terminal shows its characters."""
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(option_list(app).get_option(option_id).prompt)
    return " ".join(console.export_text().split())


def detail(app) -> str:
    """The detail view's text as rendered (not its Markdown source)."""
    blocks = app.screen.query_one("#option-detail", Markdown).query(MarkdownBlock)
    return " ".join(" ".join(str(block.render()).split()) for block in blocks)


def count(app) -> str:
    return str(app.screen.query_one("#option-count").render())


async def open_pane(pilot) -> None:
    await pilot.press("3")
    await pilot.pause()


async def search(pilot, text: str) -> None:
    """Type a search and move to the list, as a clinician would."""
    await pilot.press("slash", *text, "enter")
    await pilot.pause()


async def highlight(pilot, option_id: str) -> None:
    """Move the list cursor to an option with the arrow keys."""
    app = pilot.app
    target = option_list(app).get_option_index(option_id)
    while option_list(app).highlighted != target:
        await pilot.press("down" if option_list(app).highlighted < target else "up")
    await pilot.pause(DETAIL_DELAY + 0.05)  # the detail catches up after a burst of moves
    await pilot.pause()


def new_session() -> Session:
    return Session.new(TODAY, "Test patient")


# -- pure functions -----------------------------------------------------------------


def test_matches_needs_every_word_in_any_case() -> None:
    text = search_text(content().options["esketamine"])
    assert matches("SPRAVATO", text) and matches("nasal rems", text) and matches("", text)
    assert not matches("nasal lithium", text)


def test_option_markdown_escapes_pack_and_user_text() -> None:
    option = attrs.evolve(content().options["cbt"], name="CBT *new*", summary="Use <b>#1</b> [x](y)")
    text = option_markdown(option, content(), None, OptionNote("cbt", "planned", "**loud** _x_"))
    assert "CBT \\*new\\*" in text and "\\<b\\>\\#1\\</b\\>" in text and "\\[x\\](y)" in text
    assert "\\*\\*loud\\*\\* \\_x\\_" in text and "**Marked:** planned" in text


def test_an_option_without_tier_rules_is_not_now_with_its_guideline() -> None:
    option: Option = attrs.evolve(content().options["cbt"], tier_rules=())
    assessment = trd_tui.assess(new_session(), attrs.evolve(content(), options={"cbt": option}))
    step = assessment.next_steps.get("cbt")
    assert f"**· Not now:** {option.guideline}" in option_markdown(option, content(), step, None).replace("\\", "")


# -- search ---------------------------------------------------------------------------


async def test_number_key_opens_the_pane_with_the_list_focused() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        assert app.focused is option_list(app)
        assert len(listed(app)) == len(content().options)
        assert count(app) == f"{len(content().options)} of {len(content().options)} shown · 27 in tiers 1-2"


async def test_the_list_is_drawn_to_its_width_after_the_pane_is_hidden_shown_and_resized() -> None:
    """The list keeps its drawn options across a hide and show, never across a resize."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot)
        await pilot.press("1", "3")
        await pilot.pause()
        options = option_list(app)
        assert options.render_line(1).cell_length == options.scrollable_content_region.width
        wide = options.scrollable_content_region.width
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert options.scrollable_content_region.width < wide
        assert options.render_line(1).cell_length == options.scrollable_content_region.width


async def test_typing_esket_leaves_esketamine_only() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "esket")
        assert listed(app) == ["esketamine"]
        assert app.focused is option_list(app)  # Enter moved to the list
        assert "Intranasal esketamine" in detail(app)


async def test_search_finds_aliases_and_text_fields() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        for query, expected in (("Spravato", ["esketamine"]), ("abilify", ["aripiprazole-augmentation"]), ("REMS", ["esketamine"])):
            await search(pilot, query)
            assert listed(app) == expected, query
            await pilot.press("slash", "escape")  # clear, back to the list


async def test_escape_clears_the_search_and_returns_to_the_list() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await pilot.press("slash", *"zzzz")
        await pilot.pause()
        assert listed(app) == [] and "No option matches" in detail(app)
        await pilot.press("escape")  # one Escape lets go: the search is cleared and the list has the keyboard
        await pilot.pause()
        search_box = app.screen.query_one("#option-search")
        assert search_box.value == "" and app.focused is option_list(app)
        assert len(listed(app)) == len(content().options)
        await pilot.press("slash", *"esket")  # the next search starts empty
        await pilot.pause()
        assert search_box.value == "esket" and listed(app) == ["esketamine"]


async def test_escape_in_an_empty_search_returns_to_the_list() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#option-search")
        await pilot.press("escape")
        assert app.focused is option_list(app) and len(listed(app)) == len(content().options)


async def test_highlight_survives_a_search_and_a_redraw() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "theta")
        await pilot.press("slash", "escape")  # clear the search, back to the full list
        assert option_list(app).highlighted_option.id == "rtms"
        app.edit(with_checklist(app.document.session, "sleep", note="changed"), "note")
        await pilot.pause()
        assert option_list(app).highlighted_option.id == "rtms" and "rTMS" in detail(app)


# -- next-steps tiers --------------------------------------------------------------


async def test_demo_shows_each_tier_as_glyph_and_word_and_says_why() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        assert line(app, "esketamine").startswith("② Intranasal esketamine")
        assert line(app, "rtms").startswith("① rTMS")
        await highlight(pilot, "esketamine")
        assert "② Next: 3 failed adequate antidepressant(s) (≥ 2) (CANMAT 2023)" in detail(app)
        await highlight(pilot, "aripiprazole-augmentation")
        assert "· Not now: Aripiprazole was not tolerated: akathisia (ended 2025-05-15)" in detail(app)


async def test_without_trials_options_are_not_now_and_conditions_are_worded() -> None:
    app = make_app(new_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        assert line(app, "esketamine") == "· Intranasal esketamine"
        assert not line(app, "rtms").startswith("①")
        await highlight(pilot, "esketamine")
        assert "Not now: considered with: at least 2 failed adequate antidepressant trials in this episode" in detail(app)


async def test_relevant_marks_follow_the_session() -> None:
    demo = make_app().document.session
    app = make_app(new_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await highlight(pilot, "rtms")
        app.edit(attrs.evolve(app.document.session, episode=demo.episode, trials=demo.trials), "add trials")
        await pilot.pause()
        assert line(app, "rtms").startswith("① rTMS") and "① Consider first" in detail(app)


async def test_relevant_only_filter() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        first_tiers = {s.option.id for s in app.assessment.next_steps.steps if s.tier in (1, 2)}
        await pilot.press("r")
        assert set(listed(app)) == first_tiers and "tiers 1-2 only" in count(app)
        assert "aripiprazole-augmentation" not in listed(app) and "tdcs" not in listed(app)
        assert "cannabis" not in listed(app)
        await pilot.press("r")
        assert len(listed(app)) == len(content().options)


async def test_relevant_only_with_nothing_relevant_says_so() -> None:
    app = make_app(new_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "esketamine")
        await pilot.press("r")
        await pilot.pause()
        assert listed(app) == [] and "No option matches" in detail(app)


# -- marking ---------------------------------------------------------------------------


async def test_mark_an_option_with_status_and_note_by_keys() -> None:
    app = make_app(new_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "electroconvulsive")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, OptionMark)
        await pilot.press("down", "tab", *"Wants to read more", "enter")
        await pilot.pause()
        marked = OptionNote("ect", OptionStatus.DISCUSSED, "Wants to read more", since=app.document.session.visit_date)
        assert app.document.session.options == (marked,)
        assert line(app, "ect") == "· Electroconvulsive therapy (ECT) [discussed]"
        assert "Marked: discussed · Note: Wants to read more" in detail(app)
        assert app.document.can_undo == "mark option Electroconvulsive therapy (ECT)"


async def test_a_multiline_option_note_keeps_its_line_breaks_in_the_mark_dialog() -> None:
    from textual.widgets import Input

    from trd_tui.model import with_option

    app = make_app(with_option(new_session(), "ect", OptionStatus.CONSIDERED, "line one\nline two\nline three"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "electroconvulsive")
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one("#mark-note", Input).value == "line one ↵ line two ↵ line three"
        await pilot.press("down", "tab", "end", *" (ECT)", "enter")  # discussed; the note added to
        await pilot.pause()
        assert app.document.session.options[0].note == "line one\nline two\nline three (ECT)"


async def test_change_a_mark_keeps_the_note() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "esket")
        await pilot.press("m", "l", "enter")  # l = planned
        await pilot.pause()
        mark = next(o for o in app.document.session.options if o.id == "esketamine")
        assert (mark.status, mark.note) == (OptionStatus.PLANNED, ESKETAMINE_NOTE)
        assert line(app, "esketamine").endswith("[planned]")


async def test_remove_a_mark() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "esket")
        await pilot.press("m", "u", "enter")
        await pilot.pause()
        assert "esketamine" not in [o.id for o in app.document.session.options]
        assert line(app, "esketamine") == "② Intranasal esketamine"
        assert "Marked:" not in detail(app)


async def test_escape_in_the_mark_dialog_changes_nothing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        before = app.document.session
        await search(pilot, "esket")
        await pilot.press("m", "x", "tab", *"changed my mind")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, OptionMark)
        assert app.document.session == before and not app.document.dirty


async def test_quick_mark_keys_set_status_keep_note_and_remove() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "esket")
        await pilot.press("x")
        mark = next(o for o in app.document.session.options if o.id == "esketamine")
        assert (mark.status, mark.note) == (OptionStatus.DECLINED, ESKETAMINE_NOTE)
        await pilot.press("u")
        assert "esketamine" not in [o.id for o in app.document.session.options]


async def test_quick_keys_type_into_the_search_box_instead() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        before = app.document.session
        await pilot.press("slash", *"cdplxumr")
        assert app.screen.query_one("#option-search").value == "cdplxumr"
        assert app.document.session == before and not isinstance(app.screen, OptionMark)


async def test_a_note_with_markup_shows_literally() -> None:
    note = "[red]x[/] [@click=app.quit]"
    app = make_app(new_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        await search(pilot, "theta")
        await pilot.press("m", "tab", *note, "enter")
        await pilot.pause()
        assert app.is_running
        assert app.document.session.options == (OptionNote("rtms", OptionStatus.CONSIDERED, note, since=app.document.session.visit_date),)
        assert f"Note: {note}" in detail(app)
        assert line(app, "rtms") == "· rTMS (including iTBS) [considered]"


async def test_undo_reverts_a_mark() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot)
        before = app.document.session
        await search(pilot, "esket")
        await pilot.press("p")
        assert line(app, "esketamine").endswith("[preferred]")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.document.session == before
        assert line(app, "esketamine").endswith("[discussed]")
