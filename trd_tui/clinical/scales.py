"""Rating scales: totals, severity bands, and whether an entry adds up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trd_tui.model import Measurement

if TYPE_CHECKING:
    from trd_tui.pack.records import Content, Instrument


def band(m: Measurement, content: Content) -> str | None:
    """The severity band of a measurement, or None for an instrument without bands."""
    instrument = content.instrument(m.instrument)
    return instrument.band(m.score) if instrument else None


def measurement_problems(m: Measurement, content: Content) -> list[tuple[str, str]]:
    """What is wrong with an entry for a known instrument, as ``(field, message)`` pairs.

    The one home of these rules: the session check and the scale form ask here.
    """
    instrument = content.instrument(m.instrument)
    if instrument is None:
        return []
    problems = []
    if not 0 <= m.score <= instrument.max_score:
        problems.append(("score", f"{instrument.id} totals run from 0 to {instrument.max_score}"))
    if m.items is not None:
        problems += _item_problems(m.items, instrument)
        if not problems and sum(m.items) != m.score:
            problems.append(("score", f"{m.score:g} disagrees with the items, which add up to {sum(m.items)}"))
    if m.difficulty is not None and not (instrument.difficulty and 0 <= m.difficulty < len(instrument.difficulty_answers)):
        problems.append(("difficulty", f"{instrument.id} has no difficulty answer {m.difficulty}"))
    return problems


def _item_problems(items: tuple[int, ...], instrument: Instrument) -> list[tuple[str, str]]:
    if not instrument.items:
        return [("items", f"{instrument.id} is recorded as a total only")]
    if len(items) != len(instrument.items):
        return [("items", f"{instrument.id} has {len(instrument.items)} items, not {len(items)}")]
    top = len(instrument.answers) - 1
    return [(f"items[{i}]", f"answers run from 0 to {top}") for i, x in enumerate(items) if not 0 <= x <= top]
