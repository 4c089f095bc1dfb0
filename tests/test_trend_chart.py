"""The timeline chart's totals: one small chart per rating scale, on the trial bars' month axis."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from rich.cells import cell_len

from clinical_helpers import VISIT, session, trial
from trd_tui import assess, load_content
from trd_tui.model import Measurement
from trd_tui.storage.sessionfile import load_demo
from trd_tui.ui.widgets.timeline_chart import timeline_chart
from ui_helpers import content

FEB, MAR = VISIT.replace(month=2), VISIT.replace(month=3)
PHQ9_ROWS = ["severe 20", "moderately… 15", "moderate 10", "mild 5", "minimal 0"]


def demo_lines(width: int) -> list[str]:
    return timeline_chart(assess(load_demo(), load_content()), width, content=load_content()).plain.split("\n")


def lines_of(s, width: int = 80, **kwargs) -> list[str]:
    return timeline_chart(assess(s, content()), width, content=content(), **kwargs).plain.split("\n")


def totals(instrument: str, *scores: tuple[dt.date, float]) -> tuple[Measurement, ...]:
    return tuple(Measurement(date=day, instrument=instrument, score=score) for day, score in scores)


def band_rows(lines: list[str]) -> list[str]:
    """The rows of the trend charts: a label ending in a number, then only ● and ·."""
    return [line for line in lines if re.fullmatch(r".*\d [·●]+", line)]


def label(row: str) -> str:
    """A band row's label, its spaces squeezed: "severe 20"."""
    return " ".join(re.match(r"(.*?\d+) [·●]", row)[1].split())


def points(lines: list[str]) -> int:
    return sum(row.count("●") for row in band_rows(lines))


def scored(*measurements: Measurement):
    """A session with one trial (from 2026-01-05) and these totals."""
    return session(trial("sertraline", 100), measurements=measurements)


def point_rows(lines: list[str], col: int) -> list[str]:
    """The labels of the band rows with a ● in column ``col``."""
    return [label(row) for row in band_rows(lines) if len(row) > col and row[col] == "●"]


def word_at(line: str, col: int) -> str:
    """The word covering column ``col``."""
    return next(m[0] for m in re.finditer(r"\S+", line) if m.start() <= col < m.end())


def test_the_demo_draws_the_phq9_trend_under_the_bars() -> None:
    lines = demo_lines(80)
    header = next(i for i, line in enumerate(lines) if line.startswith("PHQ-9 0–27"))
    assert lines[header - 1].startswith("Vortioxetine")  # right after the last bar
    assert [label(row) for row in lines[header + 1 : header + 6]] == PHQ9_ROWS
    assert points(lines) == 6  # six totals, six columns
    assert "● total score" in " ".join(lines[header + 6 :])  # the legend follows


@pytest.mark.parametrize("width", [40, 80, 120, 160])
def test_every_line_fits_the_width(width: int) -> None:
    lines = demo_lines(width)
    assert max(cell_len(line) for line in lines) == width  # the ongoing trial's glyph still sits in the last column
    assert "PHQ-9 0–27" in " ".join(lines)


@pytest.mark.parametrize("width", [0, 1, 5, 12, 25])
def test_very_narrow_widths_do_not_overflow(width: int) -> None:
    assert all(cell_len(line) <= width for line in demo_lines(width))


@pytest.mark.parametrize("width", [80, 160])
def test_a_total_sits_in_the_column_of_the_trial_it_coincided_with(width: int) -> None:
    # The demo's sertraline starts on 2024-09-20 with a PHQ-9 of 21 that day, and
    # venlafaxine ends on 2025-05-30 with a PHQ-9 of 15 that day.
    lines = demo_lines(width)
    sertraline = next(line for line in lines if line.startswith("Sertraline"))
    start = sertraline.index("█")
    assert point_rows(lines, start) == ["severe 20"]
    header = next(line for line in lines if line.startswith("PHQ-9"))
    assert word_at(header, start) == "21"  # the total is written over its point
    venlafaxine = next(line for line in lines if line.startswith("Venlafaxine"))
    end = venlafaxine.index("½") - 1
    assert point_rows(lines, end) == ["moderately… 15"]
    assert word_at(header, end) == "15"


def test_more_width_gives_finer_time() -> None:
    def spread(width: int) -> int:
        cols = [col for row in band_rows(demo_lines(width)) for col, c in enumerate(row) if c == "●"]
        return max(cols) - min(cols)

    assert spread(160) >= 2 * spread(80)


def test_a_higher_total_is_on_a_higher_row() -> None:
    lines = lines_of(scored(*totals("PHQ-9", (FEB, 22), (VISIT, 3))))
    rows = [row for row in band_rows(lines) if "●" in row]
    assert [label(row) for row in rows] == ["severe 20", "minimal 0"]
    assert rows[0].index("●") < rows[1].index("●")  # 22 first, 3 at the visit


def test_band_rows_are_labelled_with_their_lowest_total_and_carry_a_guide() -> None:
    lines = lines_of(scored(*totals("PHQ-9", (FEB, 12), (VISIT, 7))))
    header = next(i for i, line in enumerate(lines) if line.startswith("PHQ-9 0–27"))
    rows = lines[header + 1 : header + 6]
    assert [label(row) for row in rows] == PHQ9_ROWS
    assert all(set(row[15:]) <= {"·", "●"} and row.count("·") > 40 for row in rows)


def test_scales_come_phq9_first_then_in_pack_order_then_unknown_names() -> None:
    scores = (
        totals("QIDS", (FEB, 14), (MAR, 9))
        + totals("mystery", (FEB, 3), (MAR, 5))
        + totals("GAD7", (FEB, 10), (MAR, 8))
        + totals("phq9", (FEB, 18), (MAR, 11))  # written loosely: still PHQ-9
    )
    headers = [line.split(" 0–")[0] for line in lines_of(scored(*scores)) if " 0–" in line]
    assert headers == ["PHQ-9", "GAD-7", "QIDS-SR16", "mystery"]


def test_a_scale_with_one_total_is_not_drawn() -> None:
    scores = totals("GAD-7", (VISIT, 12)) + totals("PHQ-9", (VISIT, 14))
    text = "\n".join(lines_of(scored(*scores)))
    assert "GAD-7" not in text and "PHQ-9" not in text and "●" not in text


def test_no_content_means_no_trend_rows() -> None:
    a = assess(load_demo(), load_content())
    plain = timeline_chart(a, 80).plain
    assert plain == timeline_chart(a, 80, content=None).plain
    assert "●" not in plain and "PHQ-9" not in plain


def test_a_free_text_scale_name_is_literal_and_its_rows_split_evenly() -> None:
    scores = totals("[red]x[/]", (FEB, 30), (VISIT, 12))
    chart = timeline_chart(assess(scored(*scores), content()), 80, content=content())
    lines = chart.plain.split("\n")
    assert any(line.startswith("[red]x[/] 0–30") for line in lines)
    assert [label(row) for row in band_rows(lines)] == ["24", "16", "9", "0"]  # ceil(30/4) = 8 a row
    assert "red" not in {str(span.style) for span in chart.spans}  # the failed trial's glyph is "bold red"


def test_totals_sharing_a_column_show_the_later_one() -> None:
    scores = totals("PHQ-9", (dt.date(2026, 2, 1), 3), (dt.date(2026, 2, 2), 24), (VISIT, 10))
    lines = lines_of(scored(*scores), 40)
    assert [label(row) for row in band_rows(lines) if "●" in row] == ["severe 20", "moderate 10"]
    assert "24" in next(line for line in lines if line.startswith("PHQ-9"))


def test_totals_off_a_capped_axis_are_counted_not_drawn() -> None:
    old = dt.date(2020, 1, 1)
    s = session(
        trial("escitalopram", 20, start=old),
        trial("sertraline", 100),
        trial("citalopram", 20, start=dt.date(2026, 5, 1)),
        measurements=totals("PHQ-9", (old, 20), (old.replace(month=6), 18), (dt.date(2026, 3, 1), 16), (VISIT, 8)),
    )
    lines = lines_of(s, max_bars=2)
    assert points(lines) == 2
    assert "+2 earlier PHQ-9 scores" in " ".join(lines)
    assert "earlier PHQ-9" not in " ".join(lines_of(s))  # uncapped, every total is on the axis


def test_a_total_that_is_not_a_number_is_left_out() -> None:
    scores = totals("PHQ-9", (FEB, float("nan")), (MAR, 12), (VISIT, 9))
    scores += totals("odd", (FEB, float("inf")), (VISIT, float("nan")))
    lines = lines_of(scored(*scores))
    assert points(lines) == 2
    assert not any(line.startswith("odd") for line in lines)
