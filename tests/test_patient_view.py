"""The patient view: options under discussion in plain words, a 2–4 option comparison, preferences."""

from __future__ import annotations

import re

import pytest

from trd_tui.storage import sessionfile
from trd_tui.model import OptionNote, OptionStatus, Preference, option_note, with_option, with_preference, with_visit
from trd_tui.option_grid import MAX_COMPARED, QUESTIONS, compare, under_discussion
from trd_tui.export.data import to_data
from trd_tui.export.summary import to_markdown
from trd_tui.clinical.assess import assess
from ui_helpers import content, make_app, screen_text

pytestmark = pytest.mark.ui

COMPARED = ("esketamine", "rtms", "ect")


def demo():
    return sessionfile.load_demo()


# -- the core ------------------------------------------------------------------


def test_a_preference_is_kept_with_the_mark_and_an_unmarked_option_becomes_discussed() -> None:
    s = with_preference(demo(), "esketamine", Preference.TOWARDS)
    mark = option_note(s, "esketamine")
    assert mark.preference is Preference.TOWARDS and mark.note.startswith("Interested")  # note kept
    s = with_option(s, "esketamine", OptionStatus.PLANNED, mark.note)
    assert option_note(s, "esketamine").preference is Preference.TOWARDS  # re-marking keeps it
    s = with_preference(s, "ect", Preference.UNSURE)
    assert option_note(s, "ect") == OptionNote("ect", OptionStatus.DISCUSSED, preference=Preference.UNSURE, since=s.visit_date)
    assert option_note(with_preference(s, "ect", None), "ect").preference is None


def test_the_summary_says_what_the_patient_thinks() -> None:
    s = with_preference(demo(), "rtms", Preference.AGAINST)
    a = assess(s, content())
    assert "(considered; patient leaning against it)" in to_markdown(a, content())
    assert {o["id"]: o["preference"] for o in to_data(a, content())["options"]}["rtms"] == "leaning-against"


def test_cards_are_the_marked_options_with_declined_ones_last() -> None:
    cards = under_discussion(demo(), content())
    ids = [c.option_id for c in cards]
    assert ids == ["esketamine", "rtms", "cbasp", "lithium-augmentation"]
    assert all(c.name and c.description for c in cards)


def test_a_comparison_answers_every_question_for_each_option_with_sources() -> None:
    s = with_preference(demo(), "ect", Preference.UNSURE)
    comparison = compare(COMPARED, s, content())
    assert [c.option_id for c in comparison.columns] == list(COMPARED)
    for column in comparison.columns:
        assert len(column.answers) == len(QUESTIONS) and all(column.answers)
        assert column.sources  # "how likely is it to help" says where it comes from
    assert comparison.columns[2].preference is Preference.UNSURE
    esketamine = dict(zip(comparison.questions, comparison.columns[0].answers))
    assert re.search(r"2 hours", esketamine["What does it involve?"])
    assert re.search(r"driv", esketamine["What does it involve?"] + esketamine["Things to know first"])


@pytest.mark.parametrize("count", [1, MAX_COMPARED + 1])
def test_a_comparison_holds_two_to_four_options(count: int) -> None:
    ids = list(content().options)[:count]
    with pytest.raises(ValueError, match="compare 2 to 4"):
        compare(ids, demo(), content())


def test_explained_words_in_a_comparison_are_listed() -> None:
    comparison = compare(COMPARED, demo(), content())
    words = {term.word.casefold() for term in comparison.words}
    shown = " ".join(text for c in comparison.columns for text in (c.name, *c.answers)).casefold()
    assert words and all(word in shown for word in words)


# -- on screen -----------------------------------------------------------------


async def open_comparison(pilot, app) -> None:
    await pilot.press("f4")
    await pilot.pause()
    # The cards are esketamine, rTMS, CBASP, lithium: choose the first, second and third.
    await pilot.press("space", "down", "space", "down", "space", "c")
    await pilot.pause(0.3)


async def test_three_options_compare_side_by_side_at_80x24_and_a_preference_is_recorded() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_comparison(pilot, app)
        shown = screen_text(app)
        assert "How likely" in shown and "▶ " in shown
        names = [content().options[i].patient.name for i in ("esketamine", "rtms", "cbasp")]
        head = "\n".join(shown.splitlines()[:6])  # the names stay at the top while the answers scroll
        assert all(name.split()[0] in head for name in names), head
        assert max(len(line.rstrip()) for line in shown.splitlines()) <= 80
        await pilot.press("right", "y")  # the second column: rTMS
        await pilot.pause()
        assert option_note(app.document.session, "rtms").preference is Preference.TOWARDS
        assert app.document.dirty
        assert "▲ leaning towards" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "MainScreen"


async def test_cards_record_a_preference_and_show_no_notes_or_dates() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        shown = screen_text(app)
        assert content().options["esketamine"].patient.name in shown
        assert "Interested; transport" not in shown and not re.search(r"20\d\d-\d\d", shown)
        await pilot.press("n")  # the first card: esketamine
        await pilot.pause()
        assert option_note(app.document.session, "esketamine").preference is Preference.AGAINST
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert option_note(app.document.session, "esketamine").preference is None


async def test_with_nothing_marked_the_view_says_how_to_mark() -> None:
    app = make_app(with_visit(demo(), options=()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert "No options are marked yet" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert not app.screen.comparing
