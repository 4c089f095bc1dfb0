"""Measured response: what the rating scales say about a trial, beside what was recorded."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import TYPE_CHECKING

import attrs

from trd_tui.model import Measurement, Outcome, Trial

if TYPE_CHECKING:
    from trd_tui.content import Content

BASELINE_WINDOW_DAYS = 14  # a baseline may be up to two weeks before the start


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
    """Remission when the later score is low enough; else ≥50% response, 25–49% partial, <25% none."""
    if remission_max is not None and later <= remission_max:
        return Outcome.REMISSION
    if percent >= 50:
        return Outcome.RESPONSE
    if percent >= 25:
        return Outcome.PARTIAL
    return Outcome.NONE


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


def by_instrument(measurements: tuple[Measurement, ...], content: Content) -> Series:
    """Group known-instrument measurements once per assessment, each sorted by date."""
    grouped: dict[str, list[Measurement]] = {}
    for m in measurements:
        instrument = content.instrument(m.instrument)
        if instrument is not None:
            grouped.setdefault(instrument.id, []).append(m)
    series = {}
    for instrument_id, ms in grouped.items():
        ms.sort(key=lambda m: m.date)
        series[instrument_id] = Scores([m.date for m in ms], ms)
    return series


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
