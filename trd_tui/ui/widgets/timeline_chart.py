"""The trial timeline as a Rich ``Text``: a pure function of an assessment and a width.

Layout, one line each::

    ◂1 earlier (f) ▼ onset                          visit ▼     markers; earlier episodes, folded
                   2024        2025        2026                 month axis
    Sertraline      ┃████+█✗                                   one bar per trial; + an add-on started
    + Aripiprazole  ┃    ░░⊘                                   an add-on (it augments another trial)
    ...
    PHQ-9 0–27         21   15 19    16                         with ``content``, per scale:
    severe      20 ····●·····················                   its totals over their points,
    moderately… 15 ·········●··●·····●·······                   then a row per band, highest
    ...                                                         first
    █ adequate  ▒ not adequate  ✗ no response  ● total score    legend (wraps)

Adequacy is the bar's character and the outcome a glyph at its end, and a
total's band is the row its ● is on, so the chart reads the same without
colour. Bars and totals share one month axis, so a change in a total sits
under the trial it coincided with. Every line is at most ``width`` cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import attrs
from rich.text import Text

from trd_tui.clinical.adequacy import Adequacy
from trd_tui.clinical.assess import Assessment
from trd_tui.clinical.response import instrument_groups
from trd_tui.clinical.trd import TrialAssessment
from trd_tui.pack.records import Band, Content
from trd_tui.model import Measurement, Outcome
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.text import printable

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
#: A total, and the faint guide along each band's row.
POINT, GUIDE = "●", "·"
#: Where an add-on started on the bar of the trial it was added to (that trial is judged up to here).
ADD_ON = "+"
#: Rows for a scale the content pack does not know: 0 to its highest total, split evenly.
UNKNOWN_SCALE_ROWS = 4


def bar_char(adequacy: Adequacy) -> str:
    """The bar character for an adequacy rating (also used in the table)."""
    if adequacy is Adequacy.ADEQUATE:
        return ADEQUATE_BAR
    # Intolerance is neither adequate nor inadequate: its adequacy is not rated (⊘ marks the outcome).
    return UNRATED_BAR if adequacy in (Adequacy.NOT_RATED, Adequacy.NOT_TOLERATED) else INADEQUATE_BAR


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


@attrs.frozen
class Trend:
    """One instrument's totals as the chart draws them: a row per band, lowest band first."""

    name: str  # the pack's id, or the name as recorded for a scale the pack does not know
    max_score: int
    bands: tuple[Band, ...]
    points: tuple[tuple[dt.date, float], ...]  # (date, total), oldest first

    def row(self, score: float) -> int:
        """The band index of ``score`` as :meth:`Instrument.band` finds it; out of range, the nearer end."""
        return next((i for i, b in enumerate(self.bands) if score <= b.max), len(self.bands) - 1)

    def lower_bounds(self) -> list[int]:
        """The lowest total of each band."""
        return [0] + [b.max + 1 for b in self.bands[:-1]]


def trends(measurements: Sequence[Measurement], content: Content) -> list[Trend]:
    """A trend per instrument recorded: PHQ-9 first, then the pack's order, then unknown names as first recorded.

    Names match loosely ("phq9" is PHQ-9). A name the pack does not know keeps
    its first spelling, and its rows split 0 to its highest total evenly.
    A total that is not a number (NaN, infinity) is left out.
    """
    finite = (m for m in measurements if math.isfinite(m.score))
    return [_trend(group, content) for group in instrument_groups(finite, content).values()]


def _trend(measurements: list[Measurement], content: Content) -> Trend:
    """The trend of one instrument's measurements, oldest first."""
    points = tuple((m.date, m.score) for m in measurements)
    instrument = content.instrument(measurements[0].instrument)
    if instrument:
        return Trend(instrument.id, instrument.max_score, instrument.bands, points)
    top = max(1, math.ceil(max(score for _, score in points)))
    rows = min(UNKNOWN_SCALE_ROWS, top)
    bands = tuple(Band(-(-top * (i + 1) // rows), "") for i in range(rows))  # ceil: limits rise by at least 1
    return Trend(" ".join(measurements[0].instrument.split()), top, bands, points)


def by_start(trials: Sequence[TrialAssessment]) -> list[TrialAssessment]:
    """Trials in the order they began (the chart's rows and the table's)."""
    return sorted(trials, key=lambda t: (t.trial.start, t.index))


def timeline_chart(
    assessment: Assessment,
    width: int,
    *,
    max_bars: int | None = None,
    content: Content | None = None,
    privacy: Privacy = SHOWN,
    show_earlier: bool = True,
    fold_key: str = "",
) -> Text:
    """The chart for ``assessment``, no line wider than ``width``.

    With ``max_bars``, only the most recent trials get a bar and the legend
    says how many earlier ones are left out (the table lists them all).
    With ``content``, each instrument with two or more totals on the axis
    gets a small chart under the bars (see :func:`_trend_lines`).
    While ``privacy`` is sharing, the axis counts months from its anchor, not calendar dates.
    With ``show_earlier`` False, trials of earlier episodes (begun and ended before the onset)
    fold into a count on the markers' line, so the current episode's bars use the width;
    ``fold_key`` is the key that shows them (or folds them again), named there (or in the legend).
    """
    onset = assessment.session.episode.onset
    earlier = set() if onset is None else {t.index for t in assessment.trials if earlier_episode(t, onset)}
    folded = set() if show_earlier else earlier
    ordered = [t for t in by_start(assessment.trials) if t.index not in folded]
    shown = ordered[-max_bars:] if max_bars is not None and max_bars > 0 else ordered
    label_width = min(LABEL_WIDTH, width // 3)
    # One column after the plot is kept free for the outcome glyph of an ongoing trial.
    axis = _Axis(_axis_start(shown, onset, assessment.session.visit_date), assessment.session.visit_date,
                 label_width + 1, max(1, width - label_width - 2))
    markers, unexplained = _marker_line(axis, onset, len(folded), fold_key)
    lines = [markers, _tick_line(axis, privacy)]
    lines += [_bar_line(t, axis, onset, label_width) for t in shown] or [Text(" " * axis.x0 + "no trials recorded", "dim")]
    all_trends = trends(assessment.session.measurements, content) if content else []
    trend_lines, trend_items = _trends_drawn(all_trends, axis, label_width)
    lines += trend_lines
    refold = [f"{fold_key} folds the earlier episode{'s' * (len(earlier) > 1)}"] if fold_key and show_earlier and earlier else []
    lines += _wrap(_legend_items(shown, len(ordered) - len(shown), axis) + trend_items + unexplained + refold, width)
    for line in lines:
        line.truncate(width)
    return Text("\n", no_wrap=True, end="").join(lines)


def earlier_episode(t: TrialAssessment, onset: dt.date) -> bool:
    """Begun before the current episode's onset and not counted in it (it ended before the onset)."""
    return t.trial.start < onset and not t.current_episode


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


def _place_first(buffer: list[str], cols: Sequence[int], label: str) -> bool:
    """Write ``label`` at the first of ``cols`` where :func:`_place` can; True when written."""
    return any(_place(buffer, col, label) for col in cols)


def _name(text: str, width: int) -> Text:
    """User or pack text on one line, cut with an ellipsis or padded to ``width`` cells; a Text, never markup."""
    name = Text(printable(" ".join(text.split())), no_wrap=True, end="")
    name.truncate(max(1, width), overflow="ellipsis", pad=True)
    return name


def _row(label: Text, label_width: int, axis: _Axis, cells: list[str]) -> tuple[Text, int]:
    """``label`` in the label column, then the plot ``cells``; also the offset of the axis' first column in the Text."""
    label.truncate(label_width, pad=True)
    label.append(" " * (axis.x0 - label_width))
    offset = len(label)
    label.append("".join(cells[axis.x0 :]).rstrip())
    return label, offset


def _marker_line(axis: _Axis, onset: dt.date | None, folded: int = 0, key: str = "") -> tuple[Text, list[str]]:
    """A ▼ over the visit (and the onset) with its word beside it, and legend items for words that did not fit.

    The ▼s go first, so a word never covers one; the visit's word goes first
    because the visit is always at the right end. ``folded`` trials of earlier
    episodes are counted in the label column, with the ``key`` that shows them.
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
        if not _place_first(buffer, (left, right) if col > len(buffer) // 2 else (right, left), word):
            unexplained.append(explanation)
    fold = f"◂{folded} earlier" + (f" ({key})" if key else "") if folded else ""
    placed = bool(fold) and len(fold) < axis.x0 and _place(buffer, 0, fold)  # within the label column
    if fold and not placed:
        unexplained.append(f"◂ {folded} earlier-episode trial{'s' * (folded > 1)} folded" + (f" ({key})" if key else ""))
    line = Text("".join(buffer).rstrip(), "bold")
    if placed:
        line.stylize("not bold dim italic", 0, len(fold))
    return line, unexplained


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_starts(first: dt.date, last: dt.date, step: int, base: int = 0) -> list[dt.date]:
    """Firsts of months from ``first`` to ``last`` whose month number minus ``base`` is a multiple of ``step``."""
    months = range(_month_number(first), _month_number(last) + 1)
    return [dt.date(m // 12, m % 12 + 1, 1) for m in months if (m - base) % step == 0]


def _tick_labels(axis: _Axis, step: int, privacy: Privacy) -> list[tuple[int, str]]:
    """Where each label goes and what it says: the calendar ("2025", "2025-06"), or while
    sharing the months from the anchor ("onset", "+6m", "+2y")."""
    if not privacy.sharing:
        ticks = _month_starts(axis.first, axis.visit, step)
        return [(axis.col(d), f"{d.year}" if step >= 12 else f"{d:%Y-%m}") for d in ticks]
    assert privacy.anchor is not None
    base = _month_number(privacy.anchor)
    ticks = _month_starts(axis.first, axis.visit, step, base)
    return [(axis.col(d), privacy.offset(_month_number(d) - base, step)) for d in ticks]


def _tick_line(axis: _Axis, privacy: Privacy) -> Text:
    """Axis labels, as many as fit without touching."""
    for step in _TICK_STEPS:
        labels = _tick_labels(axis, step, privacy)
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
    if t.augmented_by is not None and start <= (added := axis.col(t.augmented_by.start)) <= end:
        cells[added] = ADD_ON
    cells[end + 1] = glyph
    name = f"{ADD_ON} {t.name}" if t.trial.augments else t.name
    line, offset = _row(_name(name, label_width), label_width, axis, cells)
    start, end = start - axis.x0 + offset, end - axis.x0 + offset
    line.stylize(BAR_STYLES[char], start, end + 1)
    line.stylize("bold red" if t.failed else "bold", end + 1, end + 2)
    if not t.current_episode:
        line.stylize("dim")
    return line


def _trends_drawn(all_trends: Sequence[Trend], axis: _Axis, label_width: int) -> tuple[list[Text], list[str]]:
    """The charts of the trends with two or more totals on the axis, and their legend items.

    Totals off the axis (before a range cut by ``max_bars``, or after the
    visit) are left out and counted.
    """
    lines: list[Text] = []
    notes: list[str] = []
    for trend in all_trends:
        inside = tuple(p for p in trend.points if axis.first <= p[0] <= axis.visit)
        if len(inside) < 2:
            continue
        lines += _trend_lines(attrs.evolve(trend, points=inside), axis, label_width)
        earlier = sum(day < axis.first for day, _ in trend.points)
        later = len(trend.points) - len(inside) - earlier
        notes += [f"+{earlier} earlier {trend.name} score{'s' * (earlier > 1)}"] if earlier else []
        notes += [f"+{later} {trend.name} after the visit"] if later else []
    return lines, ([f"{POINT} total score"] if lines else []) + notes


def _trend_lines(trend: Trend, axis: _Axis, label_width: int) -> list[Text]:
    """The name, the scale's range and each total over its point, then a row per band, highest first.

    A row is labelled with its band and the band's lowest total, so the band
    of each ● reads without colour. When totals share a column, the chart
    shows the later one.
    """
    by_col = {axis.col(day): score for day, score in trend.points}  # oldest first: a later total overwrites
    scale = f" 0–{trend.max_score}"
    header = _name(trend.name, label_width - len(scale))
    header.rstrip()
    header.append(scale)
    lines = [_row(header, label_width, axis, _totals_cells(by_col, axis))[0]]
    lines[0].stylize("bold", 0, label_width)
    grid = [_blank(axis) for _ in trend.bands]
    for col, score in by_col.items():
        grid[trend.row(score)][col] = POINT
    bounds = [str(b) for b in trend.lower_bounds()]
    digits = max(map(len, bounds))
    for band, bound, cells in reversed(list(zip(trend.bands, bounds, grid))):
        label = _name(band.label, label_width - digits - 1)
        label.append(f" {bound:>{digits}}")
        lines.append(_band_row(label, label_width, axis, cells))
    return lines


def _totals_cells(by_col: dict[int, float], axis: _Axis) -> list[str]:
    """Each total starting or ending over its point, the latest first, where it fits and covers no other point."""
    cells = _blank(axis)
    for col, score in sorted(by_col.items(), reverse=True):
        word = f"{score:g}"
        starts = [
            s for s in (col, col - len(word) + 1) if all(c == col or c not in by_col for c in range(s, s + len(word)))
        ]
        _place_first(cells, starts, word)
    return cells


def _band_row(label: Text, label_width: int, axis: _Axis, cells: list[str]) -> Text:
    """A band's row: its ●s in bold on a faint guide across the axis."""
    plot = slice(axis.x0, axis.x0 + axis.span)
    cells[plot] = [GUIDE if c == " " else c for c in cells[plot]]
    line, offset = _row(label, label_width, axis, cells)
    line.stylize("dim", offset)
    for match in re.finditer(POINT + "+", line.plain[offset:]):
        line.stylize("bold not dim", offset + match.start(), offset + match.end())
    return line


def _legend_items(shown: Sequence[TrialAssessment], hidden: int, axis: _Axis) -> list[str]:
    """Only the bar and outcome symbols the chart uses, after the count of trials left out."""
    bars = {bar_char(t.adequacy) for t in shown}
    items = [f"+{hidden} earlier (see table)"] if hidden else []
    if any(t.trial.augments for t in shown) or any(t.augmented_by and t.augmented_by.start >= axis.first for t in shown):
        items.append(f"{ADD_ON} add-on started")
    items += [f"{c} {word}" for c, word in ((ADEQUATE_BAR, "adequate"), (INADEQUATE_BAR, "not adequate"),
                                           (UNRATED_BAR, "not rated")) if c in bars]
    outcomes = {t.trial.outcome for t in shown}
    items += [f"{glyph} {word}" for outcome, (glyph, word) in OUTCOME_GLYPHS.items() if outcome in outcomes]
    return items


def _wrap(items: list[str], width: int) -> list[Text]:
    """Legend items wrapped to the width, two spaces apart."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + 2 + len(item) <= width:
            lines[-1] += "  " + item
        else:
            lines.append(item)
    return [Text(line, "italic") for line in lines]
