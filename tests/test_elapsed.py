"""How long ago the last visit was, in words: days under two weeks, weeks under six months, then months."""

from __future__ import annotations

import datetime as dt

import pytest

from trd_tui.clinical.elapsed import time_ago

D = dt.date(2026, 1, 10)


@pytest.mark.parametrize(
    ("later", "words", "short"),
    [
        (D + dt.timedelta(days=1), "1 day ago", "1 d ago"),
        (D + dt.timedelta(days=13), "13 days ago", "13 d ago"),
        (D + dt.timedelta(days=14), "2 weeks ago", "2 wk ago"),
        (D + dt.timedelta(days=20), "2 weeks ago", "2 wk ago"),  # whole weeks, never rounded up
        (D + dt.timedelta(weeks=11), "11 weeks ago", "11 wk ago"),
        (dt.date(2026, 7, 9), "25 weeks ago", "25 wk ago"),  # 5 complete months: still weeks
        (dt.date(2026, 7, 10), "6 months ago", "6 mo ago"),  # 6 complete months: months from here
        (dt.date(2028, 4, 9), "26 months ago", "26 mo ago"),
    ],
)
def test_the_gap_is_said_in_days_then_weeks_then_months(later: dt.date, words: str, short: str) -> None:
    assert time_ago(D, later) == words
    assert time_ago(D, later, short=True) == short


def test_the_same_day_is_today() -> None:
    assert time_ago(D, D) == "today" == time_ago(D, D, short=True)


def test_a_gap_between_visits_is_worded_as_the_header_words_it() -> None:
    from trd_tui.clinical.elapsed import gap

    day = dt.date(2026, 1, 1)
    assert gap(day, day) == "0 days" and gap(day, day + dt.timedelta(days=3)) == "3 days"
    assert gap(day, day + dt.timedelta(days=91)) == "13 weeks"
    assert gap(day, dt.date(2028, 1, 1)) == "24 months"  # not "104 weeks", as the since pane once said
    assert time_ago(day, dt.date(2028, 1, 1)) == f"{gap(day, dt.date(2028, 1, 1))} ago"
