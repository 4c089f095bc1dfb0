"""Measured response: what the rating scales say about a trial, beside what was recorded.

The bands are one table, :data:`RESPONSE_BANDS`: :func:`implied_band` applies it,
and the trial form's outcome choices, the help screen and docs/clinical-rules.md
word it through :func:`outcome_label` and :func:`response_rule`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.safety import PHQ9
from trd_tui.pack.records import instrument_key
from trd_tui.model import Measurement, Outcome, Trial

if TYPE_CHECKING:
    from trd_tui.pack.records import Content

BASELINE_WINDOW_DAYS = 14  # a baseline may be up to two weeks before the start


@attrs.frozen
class ResponseBand:
    outcome: Outcome
    at_least: float | None  # the lowest % improvement in the band; None: any (the last band)


#: Improvement bands, highest first (MGH-ATRQ use). Remission, below the scale's remission
#: limit, comes before them all and is the instrument's (content pack), not a percentage.
RESPONSE_BANDS = (
    ResponseBand(Outcome.RESPONSE, 50),
    ResponseBand(Outcome.PARTIAL, 25),
    ResponseBand(Outcome.NONE, None),
)
RESPONSE_SOURCE = "Desseilles et al. 2011"


def improvement(outcome: Outcome) -> str | None:
    """The improvement an outcome's band stands for ("≥50%", "25–49%", "<25%"), or None."""
    above = None  # the lowest improvement of the band above
    for band in RESPONSE_BANDS:
        if band.outcome is outcome:
            if band.at_least is None:
                return f"<{above:g}%"
            if above is None:
                return f"≥{band.at_least:g}%"
            return f"{band.at_least:g}–{above - 1:g}%"
        above = band.at_least
    return None


def outcome_label(outcome: Outcome) -> str:
    """An outcome as the trial form offers it: "response (≥50% better)", "not tolerated"."""
    words = outcome.words
    band = improvement(outcome)
    return f"{words} ({band} better)" if band else words


def response_rule() -> str:
    """The measured-response bands in one line, from :data:`RESPONSE_BANDS`."""
    bands = ", ".join(f"{improvement(b.outcome)} {b.outcome.value}" for b in RESPONSE_BANDS)
    return (
        "on a depression scale only (the content pack says what each scale measures; an anxiety scale "
        "such as the GAD-7 never decides it), the one rated most often during the trial: "
        f"improvement from the baseline (up to {BASELINE_WINDOW_DAYS} days before the start) to the last rating "
        f"from the minimum trial length on: {bands}; remission when that rating is at or below the "
        f"scale's remission limit"
    )


@attrs.frozen
class MeasuredChange:
    instrument: str
    baseline: Measurement
    later: Measurement
    percent: float  # improvement; negative when worse
    band: Outcome  # remission, response, partial or none
    agrees_with_outcome: bool | None  # None: no outcome recorded to compare with

    @property
    def reason(self) -> str:
        verdict = {True: "agrees with", False: "DISAGREES with", None: "no recorded outcome to compare with"}
        compared = verdict[self.agrees_with_outcome]
        return (
            f"{self.instrument} {self.baseline.score:g} on {self.baseline.date.isoformat()} → "
            f"{self.later.score:g} on {self.later.date.isoformat()}: {self.percent:+.0f}% improvement, "
            f"{self.band.value}" + ("" if self.agrees_with_outcome is None else f"; {compared} the recorded outcome")
        )


def implied_band(percent: float, later: float, remission_max: int | None) -> Outcome:
    """Remission when the later score is low enough; else the first of :data:`RESPONSE_BANDS` reached."""
    if remission_max is not None and later <= remission_max:
        return Outcome.REMISSION
    return next(b.outcome for b in RESPONSE_BANDS if b.at_least is None or percent >= b.at_least)


def _agrees(recorded: Outcome, measured: Outcome) -> bool | None:
    if recorded in (Outcome.UNKNOWN, Outcome.NOT_TOLERATED):
        return None
    # A remission is also a response: recording "response" for it is not a disagreement.
    return recorded == measured or (recorded is Outcome.RESPONSE and measured is Outcome.REMISSION)


@attrs.frozen
class Scores:
    """One instrument's measurements sorted by date, with their dates for bisection."""

    dates: list[dt.date]
    measurements: list[Measurement]

    def between(self, first: dt.date, last: dt.date) -> list[Measurement]:
        return self.measurements[bisect.bisect_left(self.dates, first) : bisect.bisect_right(self.dates, last)]


Series = dict[str, Scores]  # instrument id -> its scores


def instrument_groups(measurements: Iterable[Measurement], content: Content) -> dict[str, list[Measurement]]:
    """Measurements per instrument, each oldest first (same-day entries in session order).

    Names match loosely ("phq9" is PHQ-9): a known instrument is keyed by its pack id, a name
    the pack does not know by its loose form. PHQ-9 comes first, then the pack's order, then
    unknown names as first recorded. The one grouping the assessment and the trend chart share.
    """
    groups: dict[str, list[Measurement]] = {}
    for m in sorted(measurements, key=lambda m: m.date):  # stable: same-day entries keep their order
        instrument = content.instrument(m.instrument)
        groups.setdefault(instrument.id if instrument else instrument_key(m.instrument), []).append(m)
    pack = list(content.instruments)
    order = sorted(groups, key=lambda k: (k != PHQ9, pack.index(k) if k in pack else len(pack)))
    return {key: groups[key] for key in order}


def by_instrument(measurements: tuple[Measurement, ...], content: Content) -> Series:
    """The known instruments' groups once per assessment, with their dates for bisection."""
    return {
        key: Scores([m.date for m in ms], ms)
        for key, ms in instrument_groups(measurements, content).items()
        if content.instrument(ms[0].instrument) is not None
    }


def measured_change(trial: Trial, series: Series, content: Content, visit: dt.date) -> MeasuredChange | None:
    """The change on a depression scale with a baseline and a late enough rating: of those, the
    one rated most often in the trial window (pack order breaks ties). An anxiety scale never
    decides a trial's response (clinical-facts: measured response comes from depression scales)."""
    end = trial.end or visit
    first = trial.start - dt.timedelta(days=BASELINE_WINDOW_DAYS)
    due = trial.start + dt.timedelta(weeks=content.rules.min_trial_weeks)
    best: tuple[int, MeasuredChange] | None = None
    for instrument in content.instruments.values():
        scores = series.get(instrument.id)
        if scores is None or instrument.measures != "depression":
            continue
        baselines = scores.between(first, trial.start)
        laters = scores.between(due, end)
        if not baselines or not laters or baselines[-1].score <= 0:
            continue
        points = len(scores.between(first, end))
        if best is not None and points <= best[0]:
            continue
        baseline, later = baselines[-1], laters[-1]
        percent = (baseline.score - later.score) / baseline.score * 100
        measured = implied_band(percent, later.score, instrument.remission_max)
        best = points, MeasuredChange(instrument.id, baseline, later, percent, measured, _agrees(trial.outcome, measured))
    return best[1] if best else None
