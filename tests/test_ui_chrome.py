"""The app's chrome a clinician reads at a glance: the header, the key bar, the palette, the toasts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trd_tui.clinical.assess import assess
from trd_tui.model import Session
from trd_tui.privacy import SHOWN
from trd_tui.storage.sessionfile import load_demo
from trd_tui.ui.host import FileState
from trd_tui.ui.widgets.status_bar import header_line
from ui_helpers import TODAY, content, make_app, screen_text

pytestmark = pytest.mark.ui

ESSENTIALS_80 = ("TRD yes (3)", "MSM 10", "T–R II", "Visit 2026-11-20")


def plain(width: int, session: Session | None = None, file: FileState = FileState("untitled", False)) -> str:
    text, marker = header_line(assess(session or load_demo(), content()), SHOWN, file, width)
    assert text.cell_len + 2 + marker.cell_len <= width  # two cells between them
    return f"{text.plain}  {marker.plain}"


# -- the header, as a pure function of the assessment and the width -----------------------------------


def test_a_wide_header_says_everything_in_full() -> None:
    line = plain(200)
    assert line == (
        "Demo patient (fictional) │ TRD yes (3 failed) │ MSM 10 moderate │ Thase–Rush II │ Visit 2026-11-20"
        " │ last visit 13 weeks ago │ Episode 26 mo  saved · untitled"
    )


def test_the_header_shortens_labels_then_drops_the_episode_then_the_last_visit() -> None:
    short = plain(133)
    assert "TRD yes (3) │ MSM 10 mod │ T–R II │ Visit 2026-11-20 │ last 13 wk ago │ Ep 26 mo" in short
    no_episode = plain(118)  # 120 columns less the header's padding
    assert no_episode.endswith("T–R II │ Visit 2026-11-20 │ last 13 wk ago  saved · untitled")
    no_last_visit = plain(97)
    assert no_last_visit.endswith("T–R II │ Visit 2026-11-20  saved · untitled")


def test_the_file_name_gives_way_before_the_time_since_the_last_visit() -> None:
    # 120 columns with an unsaved patient file: the gap since the last visit is what a clinician
    # reopening the file reads; the name they just opened is cut short first.
    line = plain(118, file=FileState("patient-with-a-long-name.toml", True))
    assert "Visit 2026-11-20 │ last 13 wk ago" in line and "● unsaved" in line, line


def test_at_80_columns_the_label_and_file_name_give_way_to_trd_staging_and_the_visit() -> None:
    line = plain(78)  # 80 columns less the header's padding
    assert all(part in line for part in ESSENTIALS_80), line
    assert line.startswith("Demo patient") and "…" in line and line.endswith("saved")
    unsaved = plain(78, file=FileState("a-long-file-name-for-this-patient.toml", True))
    assert all(part in unsaved for part in ESSENTIALS_80) and unsaved.endswith("● unsaved")


def test_a_file_name_too_long_for_the_room_left_is_cut_short() -> None:
    new = Session.new(TODAY)
    line = plain(78, new, FileState("new-80x24.toml", False))
    assert line.endswith("Visit 2026-11-20  saved · new-80x2…") and len(line) == 78, line  # no room for the episode


def test_read_only_is_said_even_where_the_file_name_does_not_fit() -> None:
    line = plain(78, file=FileState("visit.toml (read-only)", False, read_only=True))
    assert all(part in line for part in ESSENTIALS_80) and line.endswith("saved · read-only"), line
    assert plain(200, file=FileState("visit.toml (read-only)", False, read_only=True)).endswith("saved · visit.toml (read-only)")
    assert plain(200, file=FileState("", True, read_only=True)).endswith("● unsaved · read-only")  # sharing: no name


def test_a_new_empty_session_keeps_its_thase_rush_stage_at_any_width() -> None:
    new = Session.new(TODAY)
    for width in (78, 97, 118, 200):
        line = plain(width, new)
        assert "TRD no (0" in line and "MSM –" in line and ("T–R 0" in line or "Thase–Rush 0" in line), line
        assert "Visit 2026-11-20" in line and "last" not in line  # the first visit has no last visit


def test_a_header_too_narrow_for_everything_is_cut_with_an_ellipsis() -> None:
    line = plain(40)
    assert line.endswith("saved") and "…" in line


# -- the header on screen --------------------------------------------------------------------------------


def top_line(app) -> str:
    return screen_text(app).splitlines()[0]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_header_on_screen_before_and_after_the_first_save(size: tuple[int, int], tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        before = top_line(app)
        assert all(part in before for part in ESSENTIALS_80), before
        if size[0] == 120:
            assert "last 13 wk ago" in before
        app.document.save(tmp_path / "visit-2.toml")
        app._refresh_state()
        await pilot.pause()
        after = top_line(app)
        assert all(part in after for part in ESSENTIALS_80) and after.rstrip().endswith("saved" if size[0] == 80 else "visit-2.toml")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_header_of_a_new_empty_session(size: tuple[int, int]) -> None:
    app = make_app(Session.new(TODAY))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        line = top_line(app)
        assert "New patient" in line and "TRD no (0" in line and "MSM –" in line and "Visit 2026-11-20" in line
        assert "T–R 0" in line or "Thase–Rush 0" in line, line


async def test_the_header_follows_a_resize() -> None:
    app = make_app()
    async with app.run_test(size=(200, 24)) as pilot:
        await pilot.pause()
        assert "Thase–Rush II" in top_line(app) and "Episode 26 mo" in top_line(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert all(part in top_line(app) for part in ESSENTIALS_80), top_line(app)


# -- the key bar: F2, F3 and F4 on every pane ---------------------------------------------------------


def key_bar_text(app) -> str:
    from trd_tui.ui.widgets.key_bar import KeyBar

    return str(app.screen.query_one(KeyBar).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_f2_f3_and_f4_show_on_every_pane(size: tuple[int, int]) -> None:
    from trd_tui.ui.panes.pane import PANES

    app = make_app()
    async with app.run_test(size=size) as pilot:
        for spec in PANES:
            await pilot.press(spec.key)
            await pilot.pause()
            text = key_bar_text(app)
            assert len(text) <= size[0] and text.rstrip().endswith("▏^p palette"), text
            keys = [binding for _, binding, _, _ in app.screen.active_bindings.values()]
            first_pane_key = next(b for b in keys if b.show and not (b.id or "").startswith("app."))
            assert f"{app.get_key_display(first_pane_key)} " in text, text  # the pane's own first key stays
            if size[0] == 80:
                assert "f2 Visit" in text and "f3 Share" in text and "f4 Pt view" in text, text
            else:
                assert "f2 " in text and "f3 Share" in text and "f4 " in text and "f1 Help" in text and "^s Save" in text, text
                from trd_tui.ui.widgets.key_bar import KeyBar

                wanted, _ = app.screen.query_one(KeyBar).keys()
                assert all(f"{key.display} " in text for key in wanted), text  # nothing dropped at 120


async def test_the_least_used_keys_go_first_and_the_full_labels_come_back_when_there_is_room() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        text = key_bar_text(app)
        # The checklist's answers stay; its last keys (filter, note), save and help give way first.
        assert "o No concern" in text and "c Concern" in text and "f Follow-up" in text, text
        assert "v Filter" not in text and "^s Save" not in text
        await pilot.resize_terminal(200, 24)
        await pilot.pause()
        text = key_bar_text(app)
        assert "f2 Patient & visit" in text and "f4 Patient view" in text and "v Filter" in text and "^s Save" in text


async def test_the_patient_view_shows_f3_for_sharing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        text = key_bar_text(app)
        assert "f3 Share" in text and "esc Back" in text and text.rstrip().endswith("▏^p palette"), text
        # The patient's three answers stay, in short words; F2 (identifiers) goes first on this screen.
        assert "y For" in text and "u Unsure" in text and "n Against" in text and "f2" not in text, text


# -- the palette finds F2, F3, F4 and the exports by a clinician's words ------------------------------


async def palette_hits(pilot, query: str) -> list[str]:
    """The titles the command palette lists for ``query``, best first, as a user sees them."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    listed: list[str] = []
    for _ in range(50):  # the palette searches in a worker
        await pilot.pause(0.05)
        options = app.screen.query_one(CommandList)
        now = [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]
        if now and now == listed:
            break
        listed = now
    await pilot.press("escape")
    await pilot.pause()
    return listed


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("visit", ["Patient, episode and visit…"]),
        ("date", ["Patient, episode and visit…"]),
        ("patient", ["Patient view", "Patient, episode and visit…"]),
        ("share", ["Sharing mode"]),
        ("export", ["Export summary as Markdown…", "Export summary as plain text…", "Export summary as JSON…", "Export FHIR R4 Bundle…"]),
        ("print", ["Export summary as Markdown…", "Export summary as plain text…"]),
    ],
)
async def test_the_palette_finds_a_command_by_the_word_a_clinician_types(query: str, first: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        hits = await palette_hits(pilot, query)
        assert sorted(hits[: len(first)]) == sorted(first), hits


# -- toasts never hide what they announce -----------------------------------------------------------


async def shown_toasts(pilot, title: str) -> list:
    """The toasts on the active screen once one titled ``title`` is drawn."""
    from textual.widgets._toast import Toast  # Textual exports no public name for it

    for _ in range(100):  # a worker opens the file: on a loaded machine the toast comes later
        await pilot.pause(0.1)
        toasts = list(pilot.app.screen.query(Toast))
        if any(t._notification.title == title for t in toasts) and all(t.region for t in toasts):
            return toasts
    raise AssertionError(f"no toast {title!r}: {screen_text(pilot.app)}")


def file_with_warnings(tmp_path: Path) -> Path:
    from test_sessionfile import example_toml

    path = tmp_path / "visit.toml"
    text = example_toml().replace('treatment = "sertraline"', 'treatment = "Welbutrin"')
    path.write_text("colour = 'blue'\nshade = 'dark'\n" + text + '\n[[trials]]\ntreatment = "fish oil"\nstart = 2025-01-01\n')
    return path


def option_marked(session: Session) -> Session:
    from trd_tui.model import OptionStatus, with_option

    for option in ("esketamine", "rtms", "lithium-augmentation"):
        session = with_option(session, option, OptionStatus.DISCUSSED)
    return session


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_sharing_mode_on_does_not_cover_the_patient_cards(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("f3")
        (toast,) = await shown_toasts(pilot, "Sharing mode on")
        cards = app.screen.query_one("#pv-cards")
        assert cards.region and not toast.region.overlaps(cards.region), (toast.region, cards.region)
        assert not toast.region.overlaps(app.screen.query_one("#pv-crisis").region)  # nor the crisis lines
        assert "Sharing mode on" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_opened_with_warnings_covers_neither_the_cards_nor_helps_close_button(size: tuple[int, int], tmp_path: Path) -> None:
    from trd_tui.document import Document
    from trd_tui.ui.screens.help import HelpScreen

    path = file_with_warnings(tmp_path)
    app = make_app(document=Document.open(path, content()))
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        toasts = await shown_toasts(pilot, "Opened with warnings")
        close = app.screen.query_one("#close")
        assert close.region and not any(t.region.overlaps(close.region) for t in toasts), (close.region, [t.region for t in toasts])
        await pilot.press("escape")
        app.edit(option_marked(app.document.session), "mark options")
        await pilot.press("f4")
        toasts = await shown_toasts(pilot, "Opened with warnings")
        cards = app.screen.query_one("#pv-cards")
        assert not any(t.region.overlaps(cards.region) for t in toasts), (cards.region, [t.region for t in toasts])


async def test_a_toast_on_the_main_screen_leaves_the_pane_and_key_bar_whole() -> None:
    from trd_tui.ui.widgets.key_bar import KeyBar

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3")
        (toast,) = await shown_toasts(pilot, "Sharing mode on")
        for widget in (app.screen.query_one("#panes"), app.screen.query_one(KeyBar), app.screen.query_one("#safety-banner")):
            assert not toast.region.overlaps(widget.region), (widget, toast.region, widget.region)
