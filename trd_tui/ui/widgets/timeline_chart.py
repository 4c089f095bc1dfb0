"""The trial timeline as a Rich ``Text``: a pure function of an assessment and a width.

Layout, one line each::

                   ▼ onset                          visit ▼     markers
                   2024        2025        2026                 month axis
    Sertraline      ┃██████✗                                   one bar per trial
    ...
    █ adequate  ▒ not adequate  ✗ no response                   legend (wraps)

Adequacy is the bar's character and the outcome a glyph at its end, so the
chart reads the same without colour. Every line is at most ``width`` cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from rich.text import Text

from trd_tui.clinical.adequacy import Adequacy
from trd_tui.clinical.assess import Assessment
from trd_tui.clinical.trd import TrialAssessment
from trd_tui.model import Outcome

LABEL_WIDTH = 14
#: Bar character for adequacy; every other adequacy is "not adequate".
ADEQUATE_BAR, INADEQUATE_BAR, UNRATED_BAR = "█", "▒", "░"
OUTCOME_GLYPHS = {
    Outcome.REMISSION: ("★", "remission"),
    Outcome.RESPONSE: ("✓", "response"),
    Outcome.PARTIAL: ("½", "partial"),
    Outcome.NONE: ("✗", "no response"),
    Outcome.NOT_TOLERATED: ("⊘", "not tolerated"),
    Outcome.UNKNOWN: ("?", "outcome unknown"),
}
BAR_STYLES = {ADEQUATE_BAR: "green", INADEQUATE_BAR: "yellow", UNRATED_BAR: "dim"}
#: Months between axis labels, tried from the finest; below a year the label names the month.
_TICK_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


def bar_char(adequacy: Adequacy) -> str:
    """The bar character for an adequacy rating (also used in the table)."""
    if adequacy is Adequacy.ADEQUATE:
        return ADEQUATE_BAR
    return UNRATED_BAR if adequacy is Adequacy.NOT_RATED else INADEQUATE_BAR


@attrs.frozen
class _Axis:
    """Maps dates to columns: ``first`` at ``x0``, the visit date at ``x0 + span - 1``."""

    first: dt.date
    visit: dt.date
    x0: int
    span: int

    def col(self, day: dt.date) -> int:
        days = max(1, (self.visit - self.first).days)
        fraction = min(max((day - self.first).days / days, 0.0), 1.0)
        return self.x0 + round(fraction * (self.span - 1))


def by_start(trials: Sequence[TrialAssessment]) -> list[TrialAssessment]:
    """Trials in the order they began (the chart's rows and the table's)."""
    return sorted(trials, key=lambda t: (t.trial.start, t.index))


def timeline_chart(assessment: Assessment, width: int, *, max_bars: int | None = None) -> Text:
    """The chart for ``assessment``, no line wider than ``width``.

    With ``max_bars``, only the most recent trials get a bar and the legend
    says how many earlier ones are left out (the table lists them all).
    """
    ordered = by_start(assessment.trials)
    shown = ordered[-max_bars:] if max_bars is not None and max_bars > 0 else ordered
    onset = assessment.session.episode.onset
    label_width = min(LABEL_WIDTH, width // 3)
    # One column after the plot is kept free for the outcome glyph of an ongoing trial.
    axis = _Axis(_axis_start(shown, onset, assessment.session.visit_date), assessment.session.visit_date,
                 label_width + 1, max(1, width - label_width - 2))
    markers, unexplained = _marker_line(axis, onset)
    lines = [markers, _tick_line(axis)]
    lines += [_bar_line(t, axis, onset, label_width) for t in shown] or [Text(" " * axis.x0 + "no trials recorded", "dim")]
    lines += _legend(shown, len(ordered) - len(shown), width, unexplained)
    for line in lines:
        line.truncate(width)
    return Text("\n", no_wrap=True, end="").join(lines)


def _axis_start(shown: Sequence[TrialAssessment], onset: dt.date | None, visit: dt.date) -> dt.date:
    """The first of the month of the earliest start or onset; a year back when there is neither."""
    dates = [t.trial.start for t in shown] + ([onset] if onset else [])
    earliest = min(dates, default=visit - dt.timedelta(days=365))
    return min(earliest, visit).replace(day=1)


def _blank(axis: _Axis) -> list[str]:
    """Blank cells for one line: labels, plot and the outcome-glyph column."""
    return [" "] * (axis.x0 + axis.span + 1)


def _place(buffer: list[str], col: int, label: str) -> bool:
    """Write ``label`` at ``col`` if its cells and one each side are free; True when written."""
    end = col + len(label)
    if col < 0 or end > len(buffer) or any(c != " " for c in buffer[max(0, col - 1) : end + 1]):
        return False
    buffer[col:end] = label
    return True


def _marker_line(axis: _Axis, onset: dt.date | None) -> tuple[Text, list[str]]:
    """A ▼ over the visit (and the onset) with its word beside it, and legend items for words that did not fit.

    The ▼s go first, so a word never covers one; the visit's word goes first
    because the visit is always at the right end.
    """
    buffer = _blank(axis)
    markers = [(axis.col(axis.visit), "visit", "right end = visit")]
    markers += [(axis.col(onset), "onset", "┃ onset")] if onset else []
    for col, _, _ in markers:
        buffer[col] = "▼"
    unexplained = []
    for col, word, explanation in markers:
        left, right = col - len(word) - 1, col + 2
        # The word goes on the side facing the middle, else the other side.
        sides = (left, right) if col > len(buffer) // 2 else (right, left)
        if not any(_place(buffer, side, word) for side in sides):
            unexplained.append(explanation)
    return Text("".join(buffer).rstrip(), "bold"), unexplained


def _month_starts(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """Firsts of months from ``first`` to ``last`` whose month number is a multiple of ``step``."""
    months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    return [dt.date(m // 12, m % 12 + 1, 1) for m in months if m % step == 0]


def _tick_line(axis: _Axis) -> Text:
    """Year ("2025") or month ("2025-06") labels, as many as fit without touching."""
    for step in _TICK_STEPS:
        ticks = _month_starts(axis.first, axis.visit, step)
        labels = [(axis.col(d), f"{d.year}" if step >= 12 else f"{d:%Y-%m}") for d in ticks]
        if all(b[0] - a[0] > len(a[1]) for a, b in zip(labels, labels[1:])):
            break
    buffer = _blank(axis)
    for col, label in labels:
        _place(buffer, col, label)
    return Text("".join(buffer).rstrip(), "dim")


def _bar_line(t: TrialAssessment, axis: _Axis, onset: dt.date | None, label_width: int) -> Text:
    """Label, the onset rule, the bar from start to end (or the visit) and the outcome glyph."""
    start, end = axis.col(t.trial.start), axis.col(t.trial.end or axis.visit)
    char = bar_char(t.adequacy)
    glyph, _ = OUTCOME_GLYPHS[t.trial.outcome]
    cells = _blank(axis)
    if onset is not None:
        cells[axis.col(onset)] = "┃"
    cells[start : end + 1] = char * (end - start + 1)
    cells[end + 1] = glyph
    # The name is user text (free-text treatments): a Text, never markup, on one line.
    line = Text(" ".join(t.name.split()), no_wrap=True, end="")
    line.truncate(label_width, overflow="ellipsis", pad=True)
    line.append(" " * (axis.x0 - label_width) + "".join(cells[axis.x0 :]).rstrip())
    line.stylize(BAR_STYLES[char], start, end + 1)
    line.stylize("bold red" if t.failed else "bold", end + 1, end + 2)
    if not t.current_episode:
        line.stylize("dim")
    return line


def _legend(shown: Sequence[TrialAssessment], hidden: int, width: int, unexplained: list[str]) -> list[Text]:
    """Only the symbols the chart uses, wrapped to the width."""
    bars = {bar_char(t.adequacy) for t in shown}
    items = [f"+{hidden} earlier (see table)"] if hidden else []
    items += [f"{c} {word}" for c, word in ((ADEQUATE_BAR, "adequate"), (INADEQUATE_BAR, "not adequate"),
                                           (UNRATED_BAR, "not rated")) if c in bars]
    outcomes = {t.trial.outcome for t in shown}
    items += [f"{glyph} {word}" for outcome, (glyph, word) in OUTCOME_GLYPHS.items() if outcome in outcomes]
    items += unexplained
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + 2 + len(item) <= width:
            lines[-1] += "  " + item
        else:
            lines.append(item)
    return [Text(line, "italic") for line in lines]
