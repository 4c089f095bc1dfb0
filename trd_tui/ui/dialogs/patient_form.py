"""F2 modal: patient, current episode, clinician and visit date.

Episode severity offers only the levels the staging method scores (no "moderately
severe": MSM has none), and beside it how PHQ-9 bands meet those levels and what the
latest PHQ-9 suggests, from :mod:`trd_tui.clinical.severity`.
"""

from __future__ import annotations

import attrs
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from rich.text import Text
from textual.widgets import Button, Input, Label, Select, Static

from trd_tui.clinical.severity import msm_levels, severity_advice
from trd_tui.model import Session, Severity, Sex, with_visit
from trd_tui.storage.validate import session_problems
from trd_tui.ui.dialogs.dialogs import PRIVATE
from trd_tui.ui.dialogs.form import Field, FormDialog, parse_date, parse_number, show_errors
from trd_tui.ui.host import host

_INPUTS = {  # field name -> (label, placeholder)
    "label": ("Patient label", "pseudonymous, shown on screen"),
    "record_id": ("Record id", "optional, identifying"),
    "birth_year": ("Birth year", "YYYY"),
    "clinician": ("Clinician", "optional"),
    "visit_date": ("Visit date", "YYYY-MM-DD"),
    "onset": ("Episode onset", "YYYY-MM-DD or YYYY-MM"),
    "note": ("Episode note", ""),
}
_IDENTIFYING = {"record_id", "birth_year", "visit_date", "onset", "note"}  # masked while sharing


class PatientForm(FormDialog[Session]):
    """Returns the edited session, or None when cancelled."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self._session = session

    def _initial(self) -> dict[str, str]:
        s = self._session
        return {
            "label": s.patient.label,
            "record_id": s.patient.record_id,
            "birth_year": "" if s.patient.birth_year is None else str(s.patient.birth_year),
            "clinician": s.visit.clinician,
            "visit_date": s.visit_date.isoformat(),
            "onset": s.episode.onset.isoformat() if s.episode.onset else "",
            "note": s.episode.note,
        }

    def compose(self) -> ComposeResult:
        initial = self._initial()
        with Vertical(classes="dialog-box"):
            yield Label("Patient, episode and visit", classes="dialog-title")
            with VerticalScroll(can_focus=False):
                for name, (label, placeholder) in _INPUTS.items():
                    private = PRIVATE if name in _IDENTIFYING else ""
                    yield Field(label, Input(initial[name], placeholder=placeholder, id=name, compact=True, classes=private), name=name)
                    if name == "birth_year":
                        sex = self._session.patient.sex
                        yield Field("Sex", _select("sex", Sex.values(), sex.value if sex else None), name="sex")
                    if name == "onset":
                        yield from self._severity()
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def _severity(self) -> ComposeResult:
        """The severity select (MSM levels only), then the PHQ-9 advice beside it."""
        sev = self._session.episode.severity
        levels = [level.value for level in msm_levels()]
        yield Field("Severity", _select("severity", levels, sev.value if sev else None), name="severity")
        advice = severity_advice(self._session.measurements, host(self).content)
        if advice is not None:
            yield Static(Text(advice.latest), id="severity-latest", classes=f"form-note {PRIVATE}")
            yield Static(Text(advice.mapping), id="severity-mapping", classes="form-note")

    def sharing_changed(self, sharing: bool) -> None:
        # The latest PHQ-9's date and total identify the patient; the mapping stays.
        for latest in self.query("#severity-latest"):
            latest.display = not sharing

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def result(self) -> Session | None:
        errors: dict[str, str] = {}
        parsed: dict[str, object] = {}
        for name, parse in (("visit_date", parse_date), ("onset", parse_date), ("birth_year", parse_number)):
            try:
                parsed[name] = parse(self._value(name))
            except ValueError as exc:
                errors[name] = str(exc)
        if parsed.get("visit_date") is None and "visit_date" not in errors:
            errors["visit_date"] = "required"
        year = parsed.get("birth_year")
        if isinstance(year, float):
            errors["birth_year"] = "a whole year such as 1984"
        session = None if errors else self._build(parsed)
        if session is not None:
            for path, message in session_problems(attrs.evolve(session, trials=())):
                errors.setdefault("visit_date" if path.startswith("visits") else path.split(".")[-1], message)
        return session if show_errors(self, errors) else None

    def _build(self, parsed: dict[str, object]) -> Session:
        s = self._session
        sex, severity = self.query_one("#sex", Select).value, self.query_one("#severity", Select).value
        return attrs.evolve(
            with_visit(s, date=parsed["visit_date"], clinician=self._value("clinician").strip()),
            patient=attrs.evolve(
                s.patient,
                label=self._value("label").strip(),
                record_id=self._value("record_id").strip(),
                birth_year=parsed["birth_year"],
                sex=None if sex is Select.NULL else Sex(sex),
            ),
            episode=attrs.evolve(
                s.episode,
                onset=parsed["onset"],
                severity=None if severity is Select.NULL else Severity(severity),
                note=self._value("note"),
            ),
        )



def _select(name: str, values: list[str], current: str | None) -> Select[str]:
    return Select(
        [(v, v) for v in values],
        value=current if current is not None else Select.NULL,
        prompt="not recorded",
        id=name,
        compact=True,
    )
