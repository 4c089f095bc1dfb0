"""A trial's length typed instead of its end date: "5 weeks", "3 months", "10 days".

Pure and neutral (no Textual, no trd_tui layer): the trial form turns the text a
clinician types into an end date here, so the rule is tested without the UI.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

#: Each unit a length may be typed in, by every spelling accepted, as (days, months).
UNITS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(("d", "day", "days"), (1, 0)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), (7, 0)),
    **dict.fromkeys(("mo", "mos", "month", "months"), (0, 1)),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), (0, 12)),
}
EXAMPLES = "5 weeks, 3 months or 10 days"
_LENGTH = re.compile(r"(\d+)\s*([a-z]+)\.?")


def is_length(text: str) -> bool:
    """Whether ``text`` is typed as a length (a number then a word), not as a date."""
    return _LENGTH.fullmatch(text.strip().casefold()) is not None


def end_after(start: dt.date, text: str) -> dt.date:
    """The end date of a trial that began on ``start`` and lasted ``text`` ("5 weeks").

    The end is ``start`` plus the length, so the trial's weeks (end − start, as adequacy
    counts them) are the weeks typed. Months and years are calendar months (3 months
    from 31 January is 30 April).
    Raises ValueError saying what a length looks like.
    """
    match = _LENGTH.fullmatch(text.strip().casefold())
    if match is None or match[2] not in UNITS:
        raise ValueError(f"not a length: type a number and days, weeks or months, such as {EXAMPLES}")
    count = int(match[1])
    if count == 0:
        raise ValueError("a length must be at least 1 day")
    days, months = UNITS[match[2]]
    try:
        return _add_months(start, count * months) + dt.timedelta(days=count * days)
    except (OverflowError, ValueError):
        raise ValueError("too long: the end would fall after the year 9999") from None


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, kept within the target month."""
    if not months:
        return day
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
