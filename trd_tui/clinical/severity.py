"""Episode severity in the Maudsley Staging Method's levels, and what the latest PHQ-9 says about it.

The episode's severity is scored by the Maudsley Staging Method (MSM), whose levels
(:data:`trd_tui.clinical.staging.MAUDSLEY`) are the only ones a session records. PHQ-9
bands are another scale: the clinical reference gives no mapping from PHQ-9 totals to MSM
levels, so the only link drawn here is a band and a level of the same name (mild, moderate,
severe); a band with no level of its name (minimal, moderately severe) suggests none, and
the form says so instead of inventing a threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.safety import PHQ9
from trd_tui.clinical.staging import MAUDSLEY
from trd_tui.model import Measurement, Severity
from trd_tui.pack.records import instrument_key

if TYPE_CHECKING:
    from trd_tui.pack.records import Content, Instrument

#: Why a PHQ-9 never suggests the highest MSM level.
PSYCHOSIS_NOTE = "a PHQ-9 cannot show psychotic features"
#: How far a PHQ-9 speaks to MSM severity: the episode form, help and docs/clinical-rules.md say it so.
NO_THRESHOLD = f"The reference gives no {PHQ9} threshold for MSM levels"
MSM_SOURCE = "MSM"  # the pack's source id of the Maudsley Staging Method


def severity_rule() -> str:
    """The rule in words, for help and docs/clinical-rules.md (the pack's bands are in the episode form)."""
    levels = ", ".join(level.value for level in msm_levels())
    return (
        f"recorded only in the staging method's levels ({levels}); the episode form suggests the level "
        f"whose name the latest {PHQ9}'s band shares, and none otherwise. {NO_THRESHOLD}, and {PSYCHOSIS_NOTE}"
    )


def msm_levels() -> tuple[Severity, ...]:
    """The severity levels the staging method scores, mildest first: all a form may offer."""
    return tuple(MAUDSLEY.severity)


def band_levels(instrument: Instrument) -> list[tuple[str, str, Severity | None]]:
    """Each PHQ-9 band as (totals, band, the MSM level of the same name or None): ("15–19", "moderately severe", None)."""
    levels = {level.value: level for level in msm_levels()}
    lows = [0] + [b.max + 1 for b in instrument.bands[:-1]]
    return [(f"{low}–{b.max}", b.label, levels.get(b.label)) for low, b in zip(lows, instrument.bands, strict=True)]


@attrs.frozen
class SeverityAdvice:
    """What the episode form shows beside the severity: the mapping, and a suggestion when there is one."""

    mapping: str  # how the PHQ-9 bands meet the MSM levels, with sources
    latest: str  # what the latest PHQ-9 suggests, or why it suggests nothing
    suggested: Severity | None


def severity_advice(measurements: tuple[Measurement, ...], content: Content) -> SeverityAdvice | None:
    """The advice for an episode form, or None when the pack has no PHQ-9 to map."""
    instrument = content.instrument(PHQ9)
    if instrument is None:
        return None
    rows = band_levels(instrument)
    pairs = " · ".join(f"{totals} {band} → {level.value if level else 'none'}" for totals, band, level in rows)
    mapping = (
        f"{PHQ9} [{', '.join(instrument.sources[:1])}] → MSM [{MSM_SOURCE}] by band name only: {pairs}. "
        f"{NO_THRESHOLD}: where none, judge clinically ({PSYCHOSIS_NOTE})."
    )
    found = [m for m in measurements if instrument_key(m.instrument) == instrument_key(PHQ9)]
    if not found:
        return SeverityAdvice(mapping, f"No {PHQ9} recorded: nothing to suggest.", None)
    latest = max(found, key=lambda m: m.date)
    band = instrument.band(latest.score)
    level = next((lv for _, b, lv in rows if b == band), None)
    said = f"Latest {PHQ9} {latest.score:g} ({latest.date.isoformat()}) is {band or 'out of range'}"
    if level is None:
        return SeverityAdvice(mapping, f"{said}: no MSM level of that name; choose by clinical judgement.", None)
    return SeverityAdvice(mapping, f"{said}: suggests {level.value}.", level)
