"""Dose units: how a clinician writes a treatment's dose, and how the session file keeps it.

The session file keeps every dose in mg (``dose_mg``), so that what a saved number means
never depends on the pack. A treatment's ``dose_unit`` in treatments.toml says how the dose
is typed and shown: liothyronine in mcg (25 mcg, kept as 0.025 mg), esketamine per dose
(it is given in sessions, so a daily total would mislead), IV ketamine by body weight (no
number in mg can hold 0.5 mg/kg, so its dose goes in the trial's note).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from trd_tui.pack.records import Treatment


@attrs.frozen
class DoseUnit:
    name: str  # as treatments.toml writes it, and after a dose in text: "mcg/day"
    column: str  # after a dose in a narrow table column: "mcg"
    per_mg: int | None  # how many of this unit make one mg; None: dosed by body weight, no number is kept
    why_none: str = ""  # with per_mg None: how it is dosed instead, after "dosed"

    def shown(self, dose_mg: float) -> float:
        """A dose kept in mg, in this unit (a kept number of a weight-dosed treatment stays as it is)."""
        return dose_mg * self.per_mg if self.per_mg not in (None, 1) else dose_mg  # 150 stays whole

    def kept(self, typed: float) -> float:
        """A dose typed in this unit, in mg as the session file keeps it."""
        return typed / self.per_mg if self.per_mg not in (None, 1) else typed  # 150 stays 150, not 150.0

    def text(self, dose_mg: float, *, column: bool = False) -> str:
        """The dose as a clinician reads it: 25 mcg/day, or 25 mcg in a table column.

        A weight-dosed treatment keeps no number; one kept anyway (typed before its unit was
        known) says only mg.
        """
        unit = (self.column if column else self.name) if self.per_mg else "mg"
        return f"{self.shown(dose_mg):g} {unit}"

    def doubt(self, dose_mg: float, treatment: str) -> str | None:
        """Why a kept dose looks typed in another unit, or None.

        Before units, every dose field said mg/day: liothyronine's 25 mcg typed there was kept
        as 25 mg, which reads as 25000 mcg/day. A whole mg or more of a treatment dosed in
        mcg is that slip's mark: 1000 mcg or more, twenty times the top of liothyronine's usual
        25–50 mcg in the pack.
        """
        if self.per_mg is None:
            return self.refusal(treatment) + f" (the file keeps {dose_mg:g} mg)"
        if self.per_mg > 1 and dose_mg >= 1:
            return (f"{treatment} reads as {self.text(dose_mg)} (the file keeps {dose_mg:g} mg); if {dose_mg:g} {self.column} "
                    f"was meant, edit the trial: its dose field takes {self.name}")
        return None

    def refusal(self, treatment: str) -> str:
        """Why a weight-dosed treatment's dose field takes no number."""
        return f"{treatment} is dosed {self.why_none}: write the dose in the note"


UNITS: dict[str, DoseUnit] = {
    u.name: u
    for u in (
        DoseUnit("mg/day", "mg", 1),
        DoseUnit("mcg/day", "mcg", 1000),
        DoseUnit("mg/dose", "mg/dose", 1),
        DoseUnit("mg/kg", "mg/kg", None, "by body weight (mg/kg)"),
    )
}
MG_PER_DAY = UNITS["mg/day"]  # every treatment's unit unless the pack says otherwise, and free text's


def unit_of(treatment: Treatment | None) -> DoseUnit:
    """The unit a trial's dose is typed and shown in: its treatment's, else mg/day."""
    return UNITS[treatment.dose_unit] if treatment else MG_PER_DAY  # the pack's checks allow only these
