"""The patient view as data: the options under discussion, and a side-by-side comparison.

The comparison follows the Option Grid style of decision aid: the same plain
questions answered for each option, in the content pack's patient wording
(``[option.patient]``), so the patient can weigh them with the clinician.
Pure: no Textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from trd_tui.pack.records import Content, GlossaryTerm, Option
from trd_tui.model import OptionStatus, Preference, Session

#: The grid's rows: the question a patient asks, and the PatientText field answering it.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("How likely is it to help?", "helps"),
    ("How soon might it help?", "how_soon"),
    ("What does it involve?", "involves"),
    ("Common side effects", "side_effects"),
    ("Check-ups", "monitoring"),
    ("Things to know first", "cautions"),
)
#: How many options a comparison holds; more would not be readable side by side at 80 columns.
MIN_COMPARED, MAX_COMPARED = 2, 4


@attrs.frozen
class Card:
    """One option under discussion, as the patient view's card shows it."""

    option_id: str
    name: str
    description: str
    preference: Preference | None


@attrs.frozen
class Column:
    """One option in the comparison: its answers in :data:`QUESTIONS` order, and where the first comes from."""

    option_id: str
    name: str
    answers: tuple[str, ...]
    sources: str  # short labels backing "how likely is it to help"
    preference: Preference | None


@attrs.frozen
class Comparison:
    columns: tuple[Column, ...]
    words: tuple[GlossaryTerm, ...]  # explained words that occur in the answers

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(question for question, _ in QUESTIONS)


def under_discussion(session: Session, content: Content) -> list[Card]:
    """The options marked in the session that the pack knows, declined ones last, in the order marked."""
    marks = [m for m in session.options if m.id in content.options]
    marks.sort(key=lambda m: m.status is OptionStatus.DECLINED)
    return [_card(content.options[m.id], m.preference) for m in marks]


def _card(option: Option, preference: Preference | None) -> Card:
    return Card(option.id, option.patient.name, option.patient.description, preference)


def compare(option_ids: Sequence[str], session: Session, content: Content) -> Comparison:
    """The comparison of ``option_ids`` (between :data:`MIN_COMPARED` and :data:`MAX_COMPARED` of them)."""
    if not MIN_COMPARED <= len(option_ids) <= MAX_COMPARED:
        raise ValueError(f"compare {MIN_COMPARED} to {MAX_COMPARED} options, not {len(option_ids)}")
    marks = {m.id: m.preference for m in session.options}
    columns = tuple(_column(content.options[i], content, marks.get(i)) for i in option_ids)
    words = content.glossary_for(*(text for column in columns for text in (column.name, *column.answers)))
    return Comparison(columns, words)


def _column(option: Option, content: Content, preference: Preference | None) -> Column:
    patient = option.patient
    answers = tuple(getattr(patient, field) for _, field in QUESTIONS)
    return Column(option.id, patient.name, answers, content.cite(patient.helps_sources), preference)
