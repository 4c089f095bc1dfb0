"""The app frame: header, panes, safety banner, files and the quit guard."""

from __future__ import annotations

from pathlib import Path

import attrs

from trd_tui import load_session
from trd_tui.model import ReviewStatus, with_checklist
from trd_tui.ui.dialogs.dialogs import ChoiceDialog, PathDialog, ProblemsDialog
from trd_tui.ui.panes.pane import PANES
from trd_tui.ui.screens.help import help_markdown
from trd_tui.ui.widgets.key_bar import KeyBar
from trd_tui.ui.widgets.pane_tabs import PaneTabs
from ui_helpers import TODAY, make_app, screen_text
import pytest

pytestmark = pytest.mark.ui


def header(app) -> str:
    return str(app.screen.query_one("#header-session").render()) + str(app.screen.query_one("#header-file").render())


async def test_keys_1_to_5_switch_panes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert [p.key for p in PANES] == ["1", "2", "3", "4", "5"]
        assert app.screen.active_pane == PANES[0].id == "checklist"
        for spec in [*PANES[1:], PANES[0]]:
            await pilot.press(spec.key)
            pane = spec.id
            assert app.screen.active_pane == pane
            assert app.screen.query_one(f"#{pane}").display  # its pane is the one on screen
            assert [slot.id for slot in app.screen.query(".pane-slot") if slot.display] == [pane]


async def test_tabs_and_help_read_the_pane_declaration() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.screen.query_one(PaneTabs).names == {p.id: p.title for p in PANES}
        text = help_markdown(app.content)
        assert "| 1 2 3 4 5 | Checklist, Timeline, Options, Summary, Since last visit panes |" in text
        for spec in PANES:
            # Each declared pane's own keys, read from its class's bindings.
            assert all(f"| {spec.title} | " in text and (b.tooltip or b.description) in text for b in spec.load().BINDINGS)
        assert "| Patient view | " in text


async def test_clicking_a_pane_name_shows_that_pane() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # " Checklist  Timeline  Options  Summary": column 25 is in "Options", 1 in "Checklist".
        await pilot.click("#pane-tabs", offset=(25, 0))
        await pilot.pause()
        assert app.screen.active_pane == "options"
        assert app.focused is not None and app.focused.is_attached and "options" in [n.id for n in app.focused.ancestors]
        await pilot.click("#pane-tabs", offset=(1, 1))  # the underline row counts too
        await pilot.pause()
        assert app.screen.active_pane == "checklist"


async def test_header_shows_patient_trd_and_msm() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)):
        text = header(app)
        # At 120 columns in short labels; in full where they fit (tests/test_ui_chrome.py).
        assert "Demo patient (fictional)" in text and "TRD yes (3)" in text and "MSM 10 mod" in text
        assert "Visit 2026-11-20" in text and "saved · untitled" in text
        # Behind "TRD yes": the definition applied and the Sforzini 2022 category (the demo's
        # three failures are sertraline none, venlafaxine partial, vortioxetine partial).
        tooltip = str(app.screen.query_one("#header-session").tooltip)
        assert tooltip.startswith("Meets the TRD definition applied: at least 2 different antidepressants failed")
        assert "EMA guideline / Rybak 2021" in tooltip
        assert "category: partially responsive depression; 1 of 3 failures were non-responses" in tooltip


async def test_safety_banner_follows_the_alerts() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        banner = app.screen.query_one("#safety-banner")
        assert banner.display and "988" in str(banner.render())
        session = app.document.session
        calm = with_checklist(attrs.evolve(session, measurements=()), "suicidality", status=ReviewStatus.NO_CONCERN)
        app.edit(calm, "test")
        await pilot.pause()
        assert not banner.display
        assert "● unsaved" in header(app)


async def test_a_dialog_keeps_the_crisis_contacts_in_view_while_an_alert_is_active() -> None:
    # A dialog covers the banner (the terminal's own background cannot be dimmed to show it).
    from trd_tui.ui.dialogs.trial_form import TrialForm

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert "Crisis (US): Call or text 988 · Text HOME to 741741 · Call 911" in screen_text(app).splitlines()[-1]
        await pilot.press("escape", "2", "e")  # the trial form is kept between openings ...
        await pilot.pause()
        assert isinstance(app.screen, TrialForm) and "Call or text 988" in screen_text(app)
        await pilot.press("escape")
        session = app.document.session
        app.edit(with_checklist(attrs.evolve(session, measurements=()), "suicidality", status=ReviewStatus.NO_CONCERN), "test")
        await pilot.press("e")  # ... and follows the alerts when shown again
        await pilot.pause()
        assert isinstance(app.screen, TrialForm) and "988" not in screen_text(app)


async def test_the_crisis_line_under_a_dialog_follows_a_region_chosen_over_it() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert "Crisis (US)" in screen_text(app).splitlines()[-1]
        app.action_set_region("GB")  # as the palette's "Crisis resources: GB" does, over the open help
        await pilot.pause()
        assert "Crisis (GB)" in screen_text(app).splitlines()[-1]


async def test_quit_with_unsaved_changes_asks_and_cancel_stays() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.edit(with_checklist(app.document.session, "sleep", note="changed"), "note")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#cancel")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ChoiceDialog)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_without_changes_does_not_ask() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_untitled_save_asks_for_a_path_then_reopens_equal(tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "visit.toml"
    async with app.run_test(size=(80, 24)) as pilot:
        app.edit(with_checklist(app.document.session, "sleep", note="[red]x[/] literal"), "note")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        await pilot.click("#path")
        await pilot.press(*str(target))
        await pilot.press("enter")
        await pilot.pause()
        # At 80 columns the header drops the file name (tests/test_ui_chrome.py) but says "saved".
        assert target.exists() and header(app).endswith("saved") and app.file_state.title == "visit.toml"
    reopened = load_session(target)
    assert reopened.checklist["sleep"].note == "[red]x[/] literal"
    assert reopened == attrs.evolve(app.document.session)


async def test_saving_an_unedited_session_keeps_its_bytes(tmp_path: Path) -> None:
    from test_sessionfile import example_toml
    from trd_tui.document import Document
    from trd_tui.storage.sessionfile import dumps, parse

    target = tmp_path / "s.toml"
    target.write_text(dumps(parse("colour = 'kept'\n" + example_toml())))
    before = target.read_bytes()
    app = make_app(document=Document.open(target))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert target.read_bytes() == before


async def test_opening_a_malformed_file_shows_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('format = "trd-session"\nversion = 7\n')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.open_path(bad)
        await pilot.pause()
        assert isinstance(app.screen, ProblemsDialog)
        shown = " ".join(str(w.render()) for w in app.screen.query(".problem-list Static"))
        assert "version: version 7 was written by a newer trd-tui" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.document.session.patient.label == "Demo patient (fictional)"  # still usable, nothing lost
    assert bad.read_text() == 'format = "trd-session"\nversion = 7\n'


async def test_undo_reverts_the_last_edit() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.document.session
        app.edit(with_checklist(before, "sleep", note="x"), "note")
        await pilot.press("ctrl+z")
        assert app.document.session == before and not app.document.dirty


async def test_new_session_uses_today() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_new()
        await pilot.pause()
        assert app.document.session.visit_date == TODAY and app.document.path is None


async def test_saving_over_a_file_changed_underneath_asks_first(tmp_path: Path) -> None:
    from test_sessionfile import example_toml
    from trd_tui.document import Document
    from trd_tui.model import with_checklist as edit_item

    target = tmp_path / "s.toml"
    target.write_text(example_toml())
    app = make_app(document=Document.open(target))
    async with app.run_test(size=(80, 24)) as pilot:
        app.edit(edit_item(app.document.session, "sleep", note="mine"), "note")
        target.write_text(example_toml() + "\n# someone else's edit\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#cancel")
        await pilot.pause()
        assert "someone else's edit" in target.read_text() and app.document.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#overwrite")
        await pilot.pause()
        assert "someone else's edit" not in target.read_text() and not app.document.dirty
        assert load_session(target).checklist["sleep"].note == "mine"


async def test_open_dialog_lists_recent_files_and_opens_one(tmp_path: Path) -> None:
    from test_sessionfile import example_toml
    from trd_tui.storage import recent

    target = tmp_path / "earlier.toml"
    target.write_text(example_toml())
    recent.remember(target)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.document.path == target.resolve() and app.document.session.patient.label == "Patient A"
        app.action_clear_recent()
        assert recent.recent_files() == []


async def test_a_failed_save_says_why_and_keeps_the_edits(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    from test_sessionfile import example_toml
    from trd_tui.document import Document
    from trd_tui.storage import atomic, recovery

    target = tmp_path / "s.toml"
    target.write_text(example_toml())
    before = target.read_bytes()
    app = make_app(document=Document.open(target))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.edit(with_checklist(app.document.session, "sleep", note="kept"), "note")

        def disk_full(*_args):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        # A context, not undo(): undo() would also drop conftest's private XDG_STATE_HOME.
        with monkeypatch.context() as patch:
            patch.setattr(atomic.os, "replace", disk_full)
            await pilot.press("ctrl+s")
            await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("No space left on device" in m and "still here" in m for m in messages)
        assert app.document.dirty and app.document.session.checklist["sleep"].note == "kept"
        assert target.read_bytes() == before
        app._write_recovery()  # the debounced recovery write, without waiting for its timer
        (copy,) = recovery.recovery_copies()
        assert copy.session.checklist["sleep"].note == "kept"


async def test_a_backup_that_cannot_be_kept_is_a_warning_after_a_save_that_counts(tmp_path: Path) -> None:
    from test_sessionfile import example_toml
    from trd_tui.document import Document

    target = tmp_path / "s.toml"
    target.write_text(example_toml())
    target.with_name("s.toml.bak").mkdir()  # every save failed on this (issue 13, finding 9)
    app = make_app(document=Document.open(target))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.edit(with_checklist(app.document.session, "sleep", note="saved anyway"), "note")
        await pilot.press("ctrl+s")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Saved s.toml" in messages
        assert any(m.startswith("Saved, but the previous version was not kept as a .bak copy") for m in messages)
        assert not app.document.dirty
    assert load_session(target).checklist["sleep"].note == "saved anyway"


async def test_only_the_pane_on_screen_redraws_and_hidden_ones_catch_up(monkeypatch) -> None:
    from trd_tui.ui.panes.summary import SummaryPane

    drawn = []
    original = SummaryPane.show
    monkeypatch.setattr(SummaryPane, "show", lambda self, a: (drawn.append(a), original(self, a)))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert drawn == []  # hidden at start: not drawn yet
        app.edit(with_checklist(app.document.session, "sleep", note="while hidden"), "note")
        await pilot.pause()
        assert drawn == []
        await pilot.press("4")
        assert len(drawn) == 1 and drawn[0] is app.assessment  # caught up to the latest edit
        assert "while hidden" in app.screen.query_one("#summary-markdown").source
        await pilot.press("1", "4")
        assert len(drawn) == 1  # nothing changed, nothing redrawn


async def test_objects_set_aside_from_garbage_collection_at_start_are_let_go_on_exit() -> None:
    """Start-up freezes what it built (a speed-up); many apps in one process must not pile up."""
    import gc

    before = gc.get_freeze_count()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert app._frozen and gc.get_freeze_count() > before
    assert gc.get_freeze_count() <= before


async def test_the_key_bar_shows_the_keys_of_the_pane_shown() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        bar = app.screen.query_one(KeyBar)
        text = str(bar.render())
        assert "o No concern" in text and "f1 Help" in text and text.rstrip().endswith("▏^p palette")
        await pilot.press("2")
        await pilot.pause()
        text = str(bar.render())
        assert "a Add" in text and "e Edit" in text and "No concern" not in text


async def test_a_key_in_the_key_bar_is_pressed_by_a_click_and_explained_on_hover() -> None:
    from trd_tui.ui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        bar = app.screen.query_one(KeyBar)
        column = str(bar.render()).index("f1 Help")
        await pilot.hover(KeyBar, offset=(column + 1, 0))
        assert bar.tooltip == "Keys, and the rules the app applies"
        await pilot.hover(KeyBar, offset=(column + len("f1 Help"), 0))  # the gap after it
        assert bar.tooltip is None
        await pilot.click(KeyBar, offset=(column, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)

