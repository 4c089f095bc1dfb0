"""The Timeline pane's trial table: its columns at each width, and each trial's cells.

From :data:`WIDE_FROM` columns every cell is in words. Narrower, Adherence and Role come
abbreviated right after the outcome, so they stay on screen at 80 columns, and Reason (the
detail line under the table has every reason) is the column dropped.
"""

from __future__ import annotations

from rich.text import Text

from trd_tui.clinical.trd import TrialAssessment
from trd_tui.model import Adherence, Role
from trd_tui.pack.doses import unit_of
from trd_tui.pack.records import Content
from trd_tui.privacy import Privacy
from trd_tui.text import printable
from trd_tui.ui.widgets.timeline_chart import bar_char

# What a clinician scans for comes first, so it is on screen at 80 columns; the rest scrolls.
COLUMNS = ("Treatment", "Adequacy", "Outcome", "Dose", "Start", "End", "Weeks", "Role", "Adherence", "Reason")
NARROW_COLUMNS = ("Treatment", "Adequacy", "Outcome", "Adh.", "Role", "Weeks", "Dose", "Start", "End")
#: Pane widths from which the table has room for every column in words.
WIDE_FROM = 140
#: The table's adequacy cell gives the first reason up to this many cells; the detail line has them all.
ADEQUACY_CELL_WIDTH = 60
ROLE_SHORT = {Role.MONOTHERAPY: "mono", Role.COMBINATION: "comb", Role.AUGMENTATION: "aug"}
ADHERENCE_SHORT = {Adherence.GOOD: "good", Adherence.PARTIAL: "part", Adherence.POOR: "poor", Adherence.UNKNOWN: "?"}


def columns(wide: bool) -> tuple[str, ...]:
    return COLUMNS if wide else NARROW_COLUMNS


def role_words(t: TrialAssessment, content: Content, *, short: bool = False) -> str:
    """The role, and the trial it was added to: "augmentation + Venlafaxine" ("aug + Venlafaxine")."""
    role = ROLE_SHORT[t.trial.role] if short else t.trial.role.value
    if not t.trial.augments:
        return role
    known = content.treatment(t.trial.augments)
    return f"{role} + {printable(known.name if known else t.trial.augments)}"


def trial_cells(t: TrialAssessment, privacy: Privacy, content: Content, *, wide: bool) -> tuple[str | Text, ...]:
    """One table row, in the order of :func:`columns`; user text goes in as Text so it is never read as markup."""
    trial = t.trial
    cells: dict[str, str | Text] = {
        "Treatment": Text(printable(t.name)),
        "Adequacy": Text(f"{bar_char(t.adequacy)} {t.adequacy.words}"),
        "Outcome": _outcome(t),
        "Dose": unit_of(t.treatment).text(trial.dose_mg, column=True) if trial.dose_mg is not None else "—",
        "Start": privacy.day(trial.start),
        "End": privacy.day(trial.end) if trial.end else "ongoing",
        "Weeks": Text(f"{t.weeks:.1f}", justify="right"),
        "Role": Text(role_words(t, content, short=not wide)),
        "Adherence": trial.adherence.value,
        "Adh.": ADHERENCE_SHORT[trial.adherence],
    }
    if wide:
        reason = Text(privacy.text(t.reasons[0]))
        reason.truncate(ADEQUACY_CELL_WIDTH, overflow="ellipsis")
        cells["Reason"] = reason
    return tuple(cells[name] for name in columns(wide))


def _outcome(t: TrialAssessment) -> Text:
    """The recorded outcome, flagged when the rating scales measured something else."""
    text = Text(t.trial.outcome.words)
    if t.measured is not None and t.measured.agrees_with_outcome is False:
        text.append(f" ⚠ measured {t.measured.band.value}", "bold")
    return text
