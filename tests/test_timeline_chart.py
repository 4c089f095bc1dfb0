"""The timeline chart: a pure function of (assessment, width) returning Rich Text."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from rich.cells import cell_len

from clinical_helpers import ONSET, VISIT, failed, session, trial
from trd_tui.clinical.assess import assess
from trd_tui.model import Outcome
from trd_tui.ui.widgets.timeline_chart import timeline_chart
from ui_helpers import content

BARS = "█▒░"


def lines_of(s, width: int, **kwargs) -> list[str]:
    return timeline_chart(assess(s, content()), width, **kwargs).plain.split("\n")


def three_trials():
    """Onset 2025-12-01; a failed sertraline, a short citalopram, and free text still ongoing."""
    c = content()
    return session(
        failed(c, "sertraline", start=dt.date(2025, 12, 10)),
        trial("citalopram", 20, start=dt.date(2026, 3, 1), days=20),
        trial("St John's wort", start=dt.date(2026, 6, 1), end=None, outcome=Outcome.UNKNOWN),
    )


@pytest.mark.parametrize("width", [40, 80, 160])
def test_chart_fits_the_width_exactly(width: int) -> None:
    lines = lines_of(three_trials(), width)
    assert max(cell_len(line) for line in lines) == width  # the ongoing trial's glyph sits in the last column


@pytest.mark.parametrize("width", [0, 1, 5, 12, 25])
def test_very_narrow_widths_do_not_overflow(width: int) -> None:
    assert all(cell_len(line) <= width for line in lines_of(three_trials(), width))


@pytest.mark.parametrize("width", [40, 80, 160])
def test_one_bar_row_per_trial_in_start_order(width: int) -> None:
    lines = lines_of(three_trials(), width)
    assert [row[:10] for row in lines[2:5]] == ["Sertraline", "Citalopram", "St John's "]
    assert all(any(c in row[14:] for c in BARS) for row in lines[2:5])
    assert lines[5].startswith("█ adequate")  # the legend follows at once


def test_bars_show_adequacy_and_outcome_without_colour() -> None:
    sertraline, citalopram, free_text = lines_of(three_trials(), 80)[2:5]
    assert "█" in sertraline and sertraline.rstrip().endswith("✗")  # adequate, no response
    assert "▒" in citalopram and "█" not in citalopram  # too short
    assert "░" in free_text and free_text.endswith("?")  # not rated, outcome unknown
    legend = " ".join(lines_of(three_trials(), 80)[5:])
    for item in ("█ adequate", "▒ not adequate", "░ not rated", "✗ no response", "? outcome unknown"):
        assert item in legend
    assert "remission" not in legend  # only the symbols the chart uses


def test_an_intolerance_is_drawn_unrated_not_as_an_inadequate_trial() -> None:
    s = session(trial("sertraline", 50, start=dt.date(2026, 1, 5), days=14, outcome=Outcome.NOT_TOLERATED))
    bar = lines_of(s, 80)[2]
    assert "░" in bar and "▒" not in bar and bar.rstrip().endswith("⊘")
    legend = " ".join(lines_of(s, 80)[3:])
    assert "⊘ not tolerated" in legend and "not adequate" not in legend


@pytest.mark.parametrize("width", [40, 80, 160])
def test_onset_and_visit_are_marked(width: int) -> None:
    lines = lines_of(three_trials(), width)
    markers = lines[0]
    assert "▼ onset" in markers or "onset ▼" in markers
    assert markers.endswith("visit ▼")
    onset_col = markers.index("▼")
    assert all(row[onset_col] in "┃" + BARS for row in lines[2:5])  # the onset rule runs through the bars


def test_a_marker_without_room_for_its_word_is_explained_in_the_legend() -> None:
    # Onset three months before the visit in a four-year span: at 40 columns the two ▼s are neighbours.
    s = session(trial("sertraline", 100, start=dt.date(2022, 11, 1)), onset=VISIT - dt.timedelta(days=90))
    lines = lines_of(s, 40)
    assert lines[0].rstrip().endswith("onset ▼▼")
    assert "right end = visit" in " ".join(lines[-2:])


@pytest.mark.parametrize("width", [40, 80, 160])
def test_a_bar_starts_under_its_start_month(width: int) -> None:
    s = session(
        trial("sertraline", 100, start=dt.date(2024, 1, 1)),
        trial("citalopram", 20, start=dt.date(2025, 1, 1)),
        onset=None,
    )
    lines = lines_of(s, width)
    ticks, citalopram = lines[1], lines[3]
    assert "2025" in ticks
    first_bar = min(citalopram.index(c) for c in BARS if c in citalopram)
    assert ticks.index("2025") == first_bar
    assert lines[2].index("█") == ticks.index("2024")


def test_tick_labels_name_months_on_a_short_span_and_years_on_a_long_one() -> None:
    short = session(trial("sertraline", 100, start=dt.date(2026, 5, 1)), onset=dt.date(2026, 5, 1))
    assert "2026-06" in lines_of(short, 80)[1]
    long = session(trial("sertraline", 100, start=dt.date(2016, 1, 1)), onset=ONSET)
    assert "2016" in lines_of(long, 80)[1] and "-" not in lines_of(long, 80)[1]


def test_max_bars_keeps_the_most_recent_and_counts_the_rest() -> None:
    lines = lines_of(three_trials(), 80, max_bars=2)
    assert not any(line.startswith("Sertraline") for line in lines)
    assert lines[2].startswith("Citalopram") and lines[3].startswith("St John's")
    assert "+1 earlier" in lines[4]


def test_user_text_is_literal_and_truncated_to_the_label() -> None:
    s = session(trial("[red]x[/] a very long remedy name", start=dt.date(2026, 1, 5)))
    row = lines_of(s, 80)[2]
    assert row.startswith("[red]x[/] a v… ")


def test_no_trials_still_draws_the_axis() -> None:
    lines = lines_of(session(onset=None, visit=VISIT), 80)
    assert lines[0].endswith("visit ▼") and "no trials recorded" in lines[2]


def with_earlier_episodes():
    """Two trials of earlier episodes, one begun before the onset but running into this episode."""
    c = content()
    return session(
        trial("escitalopram", 20, start=dt.date(2019, 3, 1)),
        trial("fluoxetine", 40, start=dt.date(2021, 5, 1)),
        trial("venlafaxine", 150, start=ONSET - dt.timedelta(days=30), end=None),  # counts in this episode
        failed(c, "sertraline", start=dt.date(2026, 3, 1)),
    )


@pytest.mark.parametrize("width", [80, 120])
def test_earlier_episodes_fold_to_one_line_that_says_how_many_and_how_to_show_them(width: int) -> None:
    lines = lines_of(with_earlier_episodes(), width, show_earlier=False, fold_key="f")
    assert lines[0].startswith("◂2 earlier (f) ")  # in the label column: no row taken from the bars
    # Begun before the onset but counted in this episode: never folded.
    assert lines[2].startswith("Venlafaxine") and lines[3].startswith("Sertraline")
    assert not any(row.startswith(("Escitalopram", "Fluoxetine")) for row in lines)
    assert "2019" not in lines[1] and "2021" not in lines[1]  # the current episode's bars use the width


def test_without_room_the_fold_is_explained_in_the_legend_and_showing_them_offers_to_fold_again() -> None:
    narrow = lines_of(with_earlier_episodes(), 40, show_earlier=False, fold_key="f")
    assert "◂ 2 earlier-episode trials folded (f)" in narrow
    shown = lines_of(with_earlier_episodes(), 80, show_earlier=True, fold_key="f")
    assert [row[:12] for row in shown[2:4]] == ["Escitalopram", "Fluoxetine  "]
    assert "f folds the earlier episodes" in " ".join(shown)


def test_an_add_on_is_marked_on_the_bar_it_joined_and_labelled_with_a_plus() -> None:
    c = content()
    base = trial("venlafaxine", 225, start=dt.date(2026, 1, 5), end=None)
    add_on = trial("aripiprazole", 5, start=dt.date(2026, 6, 1), end=None)
    lines = lines_of(session(base, attrs.evolve(add_on, augments="venlafaxine")), 80)
    venlafaxine = next(row for row in lines if row.startswith("Venlafaxine"))
    plus = venlafaxine.index("+")
    assert venlafaxine[plus - 1] == venlafaxine[plus + 1] == "█"  # inside the bar, where aripiprazole began
    assert any(row.startswith("+ Aripiprazole") for row in lines)
    assert "+ add-on started" in " ".join(lines)
    assert c.treatment("aripiprazole") is not None
