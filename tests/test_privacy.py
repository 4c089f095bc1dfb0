"""Sharing mode in the core: relative dates, hidden notes, a summary safe to show the patient."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest

from trd_tui.storage import sessionfile
from trd_tui.clinical.assess import assess
from trd_tui.model import Measurement, Trial
from trd_tui.privacy import NOTE_HIDDEN, SHOWN, Privacy
from trd_tui.export.summary import to_markdown
from ui_helpers import content

ONSET = dt.date(2024, 9, 15)
SHARING = Privacy(True, ONSET, "onset")
ISO_DATE = re.compile(r"(19|20)\d\d-\d\d")


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (ONSET, "month 1"),
        (dt.date(2024, 10, 14), "month 1"),  # not yet a whole month
        (dt.date(2024, 10, 15), "month 2"),
        (dt.date(2025, 9, 15), "month 13"),
        (dt.date(2024, 9, 1), "1 mo before onset"),
        (dt.date(2019, 3, 1), "67 mo before onset"),
    ],
)
def test_dates_count_months_from_the_onset(day: dt.date, shown: str) -> None:
    assert SHARING.day(day) == shown


def test_not_sharing_shows_everything_as_recorded() -> None:
    assert SHOWN.day(ONSET) == "2024-09-15"
    assert SHOWN.note("Wakes at 4am") == "Wakes at 4am"
    assert SHOWN.text("PHQ-9 of 2024-09-15") == "PHQ-9 of 2024-09-15"
    assert SHOWN.indicator == ""


def test_dates_inside_generated_text_are_shown_relative_and_doses_are_left_alone() -> None:
    text = "PHQ-9 of 2025-09-15 (series from 2024-10); lithium 600-1200 mg; 2025-13-01 is no date"
    assert SHARING.text(text) == "PHQ-9 of month 13 (series from month 1); lithium 600-1200 mg; 2025-13-01 is no date"
    assert SHARING.text("on 2025-02-30") == "on (date hidden)"  # looks like a date: not shown either way


def test_notes_are_replaced_while_sharing_and_blank_stays_blank() -> None:
    assert SHARING.note("Passive death wishes") == NOTE_HIDDEN
    assert SHARING.note("") == ""


def test_without_an_onset_dates_count_from_the_first_record_and_the_indicator_says_so() -> None:
    s = sessionfile.load_demo()
    s = attrs.evolve(
        s,
        episode=attrs.evolve(s.episode, onset=None),
        trials=(Trial(treatment="sertraline", start=dt.date(2023, 5, 2)),),
        measurements=(Measurement(dt.date(2023, 4, 1), "PHQ-9", 18),),
    )
    privacy = Privacy.for_session(s, sharing=True)
    assert privacy.anchor == dt.date(2023, 4, 1)
    assert privacy.day(dt.date(2023, 5, 2)) == "month 2"
    assert "first record" in privacy.indicator
    assert Privacy.for_session(s, sharing=False) == SHOWN


def test_axis_labels_name_the_anchor_and_offsets() -> None:
    assert SHARING.offset(0, 12) == "onset"
    assert SHARING.offset(24, 12) == "+2y"
    assert SHARING.offset(-36, 12) == "−3y"
    assert SHARING.offset(6, 3) == "+6m"
    assert Privacy(True, ONSET, "first record").offset(0, 1) == "start"


def test_the_shared_summary_has_no_calendar_date_and_no_note() -> None:
    s = sessionfile.load_demo()
    notes = [e.note for e in s.checklist.values() if e.note] + [o.note for o in s.options if o.note] + [s.episode.note]
    a = assess(s, content())
    shared = to_markdown(a, content(), Privacy.for_session(s, sharing=True))
    full = to_markdown(a, content())
    assert ISO_DATE.search(full) and any(n in full for n in notes)  # the check below can fail
    assert not ISO_DATE.search(shared), ISO_DATE.search(shared)
    assert not [n for n in notes if n in shared]
    assert "Visit month 27" in shared
    assert NOTE_HIDDEN in shared


def test_with_nothing_to_count_from_every_quoted_date_is_hidden() -> None:
    hidden = Privacy(sharing=True)  # for a file that could not be opened: no onset on screen to count from
    assert hidden.text("start after the visit date (2026-11-20), ended 2025-03") == (
        "start after the visit date (date hidden), ended (date hidden)"
    )
    assert Privacy().text("2026-11-20") == "2026-11-20"
