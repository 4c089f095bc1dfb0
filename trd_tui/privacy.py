"""What the screen may show while it is shared with the patient (privacy mode).

While sharing, identifiers (record id, birth year, file paths) and the
clinician's notes are left out, and every date is shown relative to the
episode onset ("month 3"), following HIPAA Safe Harbor practice of removing
date elements. When the onset is not recorded, dates count from the first date
in the session instead, and :attr:`Privacy.anchor_name` says so.

Pure: no Textual, no I/O. Nothing here changes what is saved; the views ask a
:class:`Privacy` how to show a date or a note. :data:`SHOWN` shows everything.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from trd_tui.model import Plan, Session
from trd_tui.text import printable

#: Stands in for a clinician's note while sharing.
NOTE_HIDDEN = "(note hidden while sharing)"
DATE_HIDDEN = "(date hidden)"
#: Stands in for the plan's text while sharing, unless the plan is marked shared.
PLAN_HIDDEN = "Plan text hidden while sharing; to show it, mark the plan shared with the patient (e)."
#: The same for an earlier visit's plan, which nothing marks any more (e edits today's plan).
EARLIER_PLAN_HIDDEN = "Plan text hidden while sharing: it was not marked to share with the patient."

# Years 1900-2099 and months 01-12 only, so a dose range such as "1200-1500" is left alone.
# Compiled by re on first use: only sharing needs them.
_ISO_DAY = r"(?<!\d)((?:19|20)\d\d)-(0[1-9]|1[0-2])-(\d\d)(?!\d)"
_ISO_MONTH = r"(?<![\d-])((?:19|20)\d\d)-(0[1-9]|1[0-2])(?![\d-])"


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@attrs.frozen
class Privacy:
    """How to show dates and notes: as recorded, or relative to an anchor while sharing."""

    sharing: bool = False
    anchor: dt.date | None = None  # month 1 starts here while sharing
    anchor_name: str = "onset"  # what the anchor is, for the on-screen indicator

    @classmethod
    def for_session(cls, session: Session, sharing: bool) -> Privacy:
        """Dates count from the episode onset, else from the session's first date."""
        if not sharing:
            return SHOWN
        if session.episode.onset is not None:
            return cls(True, session.episode.onset, "onset")
        dates = [t.start for t in session.trials] + [m.date for m in session.measurements]
        return cls(True, min(dates, default=session.visit_date), "first record")

    def months(self, day: dt.date) -> int:
        """Whole months from the anchor to ``day`` (negative before it)."""
        assert self.anchor is not None
        months = _month_index(day) - _month_index(self.anchor)
        return months - (day.day < self.anchor.day)

    def day(self, day: dt.date) -> str:
        """``2025-03-14`` as recorded, or "month 3" (of the episode) while sharing."""
        if not self.sharing:
            return day.isoformat()
        months = self.months(day)
        if months >= 0:
            return f"month {months + 1}"
        return f"{-months} mo before {self.anchor_name}"

    def note(self, text: str) -> str:
        """A clinician's note, or a stand-in while sharing (blank stays blank); never a control character."""
        return NOTE_HIDDEN if self.sharing and text else printable(text)

    def plan(self, plan: Plan, *, earlier: bool = False) -> Plan:
        """The plan as it may be shown: while sharing, its text only if the clinician marked it shared.

        The plan's free text can hold names, addresses and dates in any format, which
        :meth:`text` cannot find; so it is hidden whole. ``earlier``: an earlier visit's plan.
        """
        if self.sharing and plan.text and not plan.shared:
            return attrs.evolve(plan, text=EARLIER_PLAN_HIDDEN if earlier else PLAN_HIDDEN)
        return plan

    def text(self, text: str) -> str:
        """``text`` with any ``YYYY-MM-DD`` or ``YYYY-MM`` date in it shown as :meth:`day` shows dates.

        For generated wording (reasons, alerts, the summary) that may quote a date, and may quote
        text from the file: control characters are shown as escapes.
        """
        text = printable(text)
        if not self.sharing:
            return text
        text = re.sub(_ISO_DAY, lambda m: self._quoted(int(m[1]), int(m[2]), int(m[3])), text)
        text = re.sub(_ISO_MONTH, lambda m: self._quoted(int(m[1]), int(m[2]), 1), text)
        return text.replace(f"({DATE_HIDDEN})", DATE_HIDDEN)  # "(2026-11-20)": one pair of brackets

    def _quoted(self, year: int, month: int, day: int) -> str:
        if self.anchor is None:
            return DATE_HIDDEN  # nothing to count from (a file that could not be opened)
        try:
            return self.day(dt.date(year, month, day))
        except ValueError:
            return DATE_HIDDEN  # not a real date: still nothing to read off it

    def offset(self, months: int, step: int) -> str:
        """An axis label ``months`` from the anchor: "onset", "+6m", "−2y" (years when ``step`` is whole years)."""
        if months == 0:
            return "onset" if self.anchor_name == "onset" else "start"
        sign = "+" if months > 0 else "−"
        return f"{sign}{abs(months) // 12}y" if step % 12 == 0 else f"{sign}{abs(months)}m"

    @property
    def indicator(self) -> str:
        """What the on-screen marker says while sharing ("" when not sharing)."""
        if not self.sharing:
            return ""
        return f"SHARING · no identifiers or notes · dates: months from {self.anchor_name}"


SHOWN = Privacy()
