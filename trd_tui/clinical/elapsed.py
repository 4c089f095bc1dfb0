"""How long ago, in the words a clinician reads: days under two weeks, weeks under six months, then months.

Used for "last visit 11 weeks ago" in the header and wherever a gap between two
visits is named, so every screen says it the same way.
"""

from __future__ import annotations

import datetime as dt

from trd_tui.clinical.staging import complete_months

WEEKS_FROM_DAYS = 14  # under two weeks a gap is counted in days
MONTHS_FROM = 6  # complete months from which a gap is counted in months, not weeks


def gap(earlier: dt.date, later: dt.date, *, short: bool = False) -> str:
    """The time from ``earlier`` to ``later`` as "N days/weeks/months" (``short``: "N d/wk/mo").

    Counts are whole units, never rounded up: 20 days is 2 weeks.
    """
    days = max((later - earlier).days, 0)
    months = complete_months(earlier, later)
    if days < WEEKS_FROM_DAYS:
        count, unit, abbreviation = days, "day", "d"
    elif months < MONTHS_FROM:
        count, unit, abbreviation = days // 7, "week", "wk"
    else:
        count, unit, abbreviation = months, "month", "mo"
    if short:
        return f"{count} {abbreviation}"
    return f"{count} {unit}{'' if count == 1 else 's'}"


def time_ago(earlier: dt.date, later: dt.date, *, short: bool = False) -> str:
    """The gap from ``earlier`` to ``later`` as "N days/weeks/months ago"; the same day is "today"."""
    if later <= earlier:
        return "today"
    return f"{gap(earlier, later, short=short)} ago"
