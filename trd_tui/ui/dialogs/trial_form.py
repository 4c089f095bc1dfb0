"""Modal: add, edit or duplicate one treatment trial.

Typed values are parsed by :mod:`trd_tui.ui.dialogs.form` (an end may be typed as a length,
"5 weeks": :mod:`trd_tui.durations`); the rules that relate fields ("end before start",
"after the visit date", ...) come from :func:`trd_tui.storage.validate.trial_problems`, and
whether ``augments`` names a trial this one was added to from
:func:`trd_tui.clinical.trial_defaults.augments_problem`. Errors show at their field and
nothing is returned until the whole trial is valid. The role follows the treatment (an
adjunct is augmentation, by the pack's kind) until the clinician chooses one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, Select

from trd_tui.clinical.adequacy import mg
from trd_tui.clinical.trial_defaults import ANY_DOSE, augments_problem, default_augments, default_role, dose_hint
from trd_tui.durations import EXAMPLES, end_after, is_length
from trd_tui.clinical.response import outcome_label
from trd_tui.pack.doses import MG_PER_DAY, DoseUnit, unit_of
from trd_tui.pack.records import Content, Treatment
from trd_tui.model import Adherence, Outcome, Role, Session, Trial
from trd_tui.storage.validate import date_problem, trial_problems
from trd_tui.ui.dialogs.dialogs import PRIVATE, ChoiceDialog
from trd_tui.ui.dialogs.form import DATE_HINT, Field, FormDialog, format_number, open_form, parse_date, parse_number, show_errors
from trd_tui.ui.internals.kept_styles import KeepStylesOnResume
from trd_tui.ui.internals.redraw import set_text

NOT_IN_PACK = "⚠ not in the content pack: not rated, not counted"
#: Every text input of the form, in order.
TEXT_FIELDS = ("treatment", "dose_mg", "start", "dose_reached", "end", "side_effects", "stop_reason", "note")
END_HINT = "YYYY-MM-DD, or a length: 5 weeks"


def _dose_label(unit: DoseUnit) -> str:
    # A weight-dosed treatment takes no number: "Dose (mg/kg)" would invite one, and would
    # misname a number an older file kept in mg.
    return f"Dose ({unit.name})" if unit.per_mg else "Dose"


class TrialForm(KeepStylesOnResume, FormDialog[Trial]):
    """Returns the trial as entered (keeping ``extra`` of the trial it started from), or None."""

    DEFAULT_CSS = """
    /* 14: with the title and buttons, the box stays whole at 80×24. */
    TrialForm VerticalScroll { height: auto; max-height: 14; }
    TrialForm Input, TrialForm Select { width: 1fr; }
    /* Every field here is one line. Fixed, a row's height cannot follow its value, so a changed
       value re-arranges that row alone, not every auto-height container up to the screen. */
    TrialForm Field > Horizontal { height: 1; }
    TrialForm #end-row { height: 1; width: 1fr; }
    TrialForm #ongoing { width: auto; margin-left: 1; }
    TrialForm #treatment-hint { width: 1fr; padding-left: 17; color: $text-muted; }
    TrialForm #treatment-hint.-warning { color: $text-warning; }
    TrialForm .field-error { width: 1fr; }  /* augments' message names dates: it wraps */
    TrialForm #end-hint { width: 1fr; padding-left: 17; color: $text-muted; display: none; }
    TrialForm #end-hint.-shown { display: block; }
    """

    def __init__(
        self,
        title: str,
        trial: Trial | None,
        visit_date: dt.date,
        content: Content,
        others: tuple[Trial, ...] = (),
        *,
        prefilled: bool = False,
    ) -> None:
        """``others``: the session's other trials, which this one may augment. ``prefilled``: ``trial``
        is a starting point for a new trial (from a started option), not one being edited."""
        super().__init__()
        self._title, self._trial, self._visit, self._content = title, trial, visit_date, content
        self._others, self._prefilled = others, prefilled
        self._hint = ""
        self._augments_shown: list[tuple[str, str]] = []  # the Augments list as built
        self._start_role()

    def _start_role(self) -> None:
        """The role and Augments follow the treatment on a new trial, each until the clinician picks one."""
        self._role_follows = self._augments_follow = self._trial is None or self._prefilled
        self._role_for: Treatment | None = self._content.treatment(self._trial.treatment) if self._trial else None
        self._role_set = str(self._trial.role) if self._trial else Role.MONOTHERAPY.value
        self._augments_set = self._trial.augments if self._trial else None

    def reuse(
        self, title: str, trial: Trial | None, visit_date: dt.date, others: tuple[Trial, ...] = (), *, prefilled: bool = False
    ) -> None:
        """Start over for another trial, as a new form would, before this one is shown again.

        Building the form is most of the cost of opening it, so the Timeline pane keeps
        one form and refills it (and it keeps its styles: KeepStylesOnResume); what a new
        form shows, this shows.
        """
        self._title, self._trial, self._visit, self._others, self._prefilled = title, trial, visit_date, others, prefilled
        self._start_role()
        if not self.is_mounted:
            return  # composed with these values when first shown
        v = self._initial()
        augments = self.query_one("#augments", Select)
        options = self._augments_options()
        if options != self._augments_shown:  # rebuilding the list re-lays-out the form: only when it changed
            augments.set_options(options)
            self._augments_shown = options
        augments.value = self._trial.augments if self._trial and self._trial.augments else Select.NULL
        heading = self.query_one(".dialog-title", Label)
        if str(heading.content) != title:
            heading.update(title)
        for name in TEXT_FIELDS:
            field = self.query_one(f"#{name}", Input)
            field.value = v[name]
            field.cursor_position = len(v[name])
        for name in ("role", "adherence", "outcome"):
            self.query_one(f"#{name}", Select).value = str(v[name])
        ongoing = self._trial is not None and self._trial.end is None
        self.query_one("#ongoing", Checkbox).value = ongoing
        self.query_one("#end", Input).disabled = ongoing
        show_errors(self, {})
        self._show_hint(v["treatment"])
        self._show_end_hint()
        self.query_one(VerticalScroll).scroll_home(animate=False)
        self.set_focus(self.query_one("#treatment", Input))

    # -- layout ---------------------------------------------------------------

    def _initial(self) -> dict[str, str]:
        """Each field's starting text: the trial's values, or a blank form."""
        t = self._trial
        if t is None:
            blank = dict.fromkeys(TEXT_FIELDS, "")
            return {**blank, "role": Role.MONOTHERAPY, "adherence": Adherence.UNKNOWN, "outcome": Outcome.UNKNOWN}
        known = self._content.treatment(t.treatment)
        return {
            "treatment": known.name if known else t.treatment,  # a known treatment by name, not id
            "role": t.role,
            "dose_mg": format_number(None if t.dose_mg is None else unit_of(known).shown(t.dose_mg)),
            "start": t.start.isoformat(),
            "dose_reached": t.dose_reached.isoformat() if t.dose_reached else "",
            "end": t.end.isoformat() if t.end else "",
            "adherence": t.adherence,
            "outcome": t.outcome,
            "side_effects": ", ".join(t.side_effects),
            "stop_reason": t.stop_reason,
            "note": t.note,
        }

    def compose(self) -> ComposeResult:
        v = self._initial()
        ongoing = self._trial is not None and self._trial.end is None
        # Each with the improvement it means on a rating scale, worded from the response bands.
        outcomes = [(outcome_label(o), o.value) for o in Outcome]
        with Vertical(classes="dialog-box"):
            yield Label(self._title, classes="dialog-title")
            # Not focusable itself: the first key typed goes to the treatment field.
            with VerticalScroll(can_focus=False):
                yield Field("Treatment", self._treatment_input(v["treatment"]), name="treatment")
                yield Label(id="treatment-hint")
                yield Field("Role", _select("role", Role.values(), v["role"]), name="role")
                yield Field("Augments", self._augments_select(), name="augments")
                yield Field(_dose_label(MG_PER_DAY), _input("dose_mg", v["dose_mg"], ANY_DOSE), name="dose_mg")
                yield Field("Start", _input("start", v["start"], DATE_HINT, private=True), name="start")
                reached = _input("dose_reached", v["dose_reached"], f"optional, {DATE_HINT}", private=True)
                reached.tooltip = "When the dose above was reached: adequacy counts the weeks from then (MGH-ATRQ)"
                yield Field("Dose reached", reached, name="dose_reached")
                yield Field("End", _end_row(v["end"], ongoing), name="end")
                yield Label(id="end-hint")
                yield Field("Adherence", _select("adherence", Adherence.values(), v["adherence"]), name="adherence")
                yield Field("Outcome", _select("outcome", outcomes, v["outcome"]), name="outcome")
                yield Field("Side effects", _input("side_effects", v["side_effects"], "comma-separated"), name="side_effects")
                yield Field("Stop reason", _input("stop_reason", v["stop_reason"], private=True), name="stop_reason")
                yield Field("Note", _input("note", v["note"], private=True), name="note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def _treatment_input(self, value: str) -> Input:
        names = [n for t in self._content.treatments.values() for n in (t.name, *t.brands, *t.aliases)]
        suggester = SuggestFromList(names, case_sensitive=False)
        return Input(value, placeholder="name, brand or free text", id="treatment", compact=True, suggester=suggester)

    def _augments_options(self) -> list[tuple[str, str]]:
        """The other trials' treatments, each once, by name; a stored value they lack is kept to be fixed."""
        values = list(dict.fromkeys(t.treatment for t in sorted(self._others, key=lambda t: t.start)))
        if self._trial is not None and self._trial.augments and self._trial.augments not in values:
            values.append(self._trial.augments)
        return [(self._treatment_name(value), value) for value in values]

    def _augments_select(self) -> Select[str]:
        current = self._trial.augments if self._trial and self._trial.augments else Select.NULL
        self._augments_shown = self._augments_options()
        select: Select[str] = Select(self._augments_shown, value=current, prompt="none", id="augments", compact=True)
        select.tooltip = "The trial this one was added to (augments or combines with): that trial is judged up to this one's start"
        return select

    def _treatment_name(self, treatment: str) -> str:
        known = self._content.treatment(treatment)
        return known.name if known else treatment

    def on_mount(self) -> None:
        self._show_hint(self._text("treatment"))

    # -- live feedback ------------------------------------------------------

    @on(Input.Changed, "#treatment")
    def _treatment_changed(self, event: Input.Changed) -> None:
        self._show_hint(event.value)
        self._follow_role(self._content.treatment(event.value))

    def _follow_role(self, known: Treatment | None) -> None:
        """A newly chosen treatment sets the role its kind defaults to, and an add-on the one
        antidepressant running as what it augments, unless the clinician chose them."""
        if not self._role_follows or known is self._role_for:
            return
        self._role_for = known
        role = default_role(known)
        self._role_set = role.value
        self.query_one("#role", Select).value = self._role_set
        self._follow_augments(role, known)

    def _follow_augments(self, role: Role, known: Treatment | None) -> None:
        """What the trial augments, by default for its role, unless the clinician chose it."""
        if self._augments_follow:
            self._augments_set = default_augments(role, known, self._others, self._visit, self._content)
            self.query_one("#augments", Select).value = self._augments_set or Select.NULL

    @on(Select.Changed, "#role")
    def _role_changed(self, event: Select.Changed) -> None:
        if str(event.value) != self._role_set:  # chosen by the clinician, not set by _follow_role
            self._role_follows = False
            if event.value is not Select.NULL:  # monotherapy augments nothing: a default follows the role
                self._follow_augments(Role(str(event.value)), self._content.treatment(self._text("treatment")))

    @on(Select.Changed, "#augments")
    def _augments_changed(self, event: Select.Changed) -> None:
        if (None if event.value is Select.NULL else str(event.value)) != self._augments_set:  # the clinician's choice
            self._augments_follow = False

    @on(Input.Changed, "#end")
    @on(Input.Changed, "#start")
    def _show_end_hint(self) -> None:
        """A typed length shows the end date it means, so the clinician sees what is stored."""
        hint = self.query_one("#end-hint", Label)
        typed = self._text("end")
        text = ""
        if is_length(typed):
            try:
                text = f"= ends {self._end_from_length(typed).isoformat()}"
            except ValueError as exc:
                text = str(exc)
        hint.set_class(bool(text), "-shown")
        set_text(hint, Text(text))

    def _end_from_length(self, typed: str) -> dt.date:
        try:
            start = parse_date(self._text("start"))
        except ValueError:
            start = None
        if start is None:
            raise ValueError("a length counts from the start date: enter the start first")
        end = end_after(start, typed)
        if problem := date_problem(end):
            raise ValueError(f"the end it gives is out of range: {problem}")
        return end

    def _show_hint(self, typed: str) -> None:
        """What the typed treatment resolves to, or a warning that it is free text."""
        known = self._content.treatment(typed)
        if known is None:
            closest = self._closest(typed)
            message = (NOT_IN_PACK + (f" · did you mean {closest[1]}?" if closest else "")) if typed.strip() else ""
        else:
            minimum = f" · adequate from {mg(known.min_dose_mg)} mg/day" if known.min_dose_mg else ""
            message = f"= {known.name} · {known.kind}{minimum}"
        dose = self.query_one("#dose_mg", Input)
        if dose.placeholder != (placeholder := dose_hint(known)):
            dose.placeholder = placeholder
            # The unit follows the treatment as its hint does: 25 under liothyronine is 25 mcg.
            set_text(self.query_one("#field-dose_mg .field-label", Label), Text(_dose_label(unit_of(known))))
        if message != self._hint:  # most keystrokes leave it as it was: skip the relayout
            self._hint = message
            hint = self.query_one("#treatment-hint", Label)
            hint.set_class(message.startswith(NOT_IN_PACK), "-warning")
            set_text(hint, Text(message))  # another trial's hint takes the same room: no relayout either

    @on(Checkbox.Changed, "#ongoing")
    def _ongoing_changed(self, event: Checkbox.Changed) -> None:
        end = self.query_one("#end", Input)
        end.disabled = event.value
        if event.value:
            end.value = ""

    # -- submit -------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def result(self) -> Trial | None:
        trial, errors = self._check()
        return trial if show_errors(self, errors) else None

    def close_with(self, trial: Trial) -> None:
        kept_as_before = self._trial is not None and self._trial.treatment == trial.treatment
        if self._content.treatment(trial.treatment) is None and not kept_as_before:
            self._ask_about_free_text(trial)
        else:
            self.dismiss(trial)

    def _closest(self, typed: str) -> tuple[str, str] | None:
        """The pack's closest treatment to free text: (its id, "Name (name matched)")."""
        found = self._content.closest_treatment(typed)
        return (found[0].id, found[1]) if found else None

    def _ask_about_free_text(self, trial: Trial) -> None:
        """Free text is never kept silently: offer the closest treatment, or ask to keep it."""
        closest = self._closest(trial.treatment)
        choices = [("keep", "Keep as free text"), ("back", "Back to the form")]
        question = f"“{trial.treatment}” is not in the content pack."
        if closest is not None:
            choices.insert(0, ("use", f"Use {closest[1]}"))
            question += f" Did you mean {closest[1]}?"
        question += "\nFree text is kept as typed, but it is not rated and not counted (TRD, staging)."

        def chosen(choice: str | None) -> None:
            if choice == "use" and closest is not None:
                # Submitted again as that treatment: the dose typed is read in its unit, and checked.
                self.query_one("#treatment", Input).value = self._content.treatments[closest[0]].name
                self.action_submit()
            elif choice == "keep":
                self.dismiss(trial)
            else:
                self.set_focus(self.query_one("#treatment", Input))

        self.app.push_screen(ChoiceDialog("Treatment not in the content pack", question, choices), chosen)

    def _check(self) -> tuple[Trial | None, dict[str, str]]:
        """The trial if every field is valid, and the error for each field that is not."""
        values, errors = self._parse()
        # Check the other fields even when the start is missing or wrong, so all errors
        # show at once; against a stand-in start, "end before start" would mislead.
        trial = self._build(values, values.get("start") or self._visit)
        for field, message in trial_problems(trial, self._visit):
            if not (field in ("end", "dose_reached") and "start" in errors):
                errors.setdefault(field, message)
        known = self._content.treatment(trial.treatment)
        if known is not None and trial.dose_mg is not None and unit_of(known).per_mg is None:
            errors.setdefault("dose_mg", unit_of(known).refusal(known.name))
        if "start" not in errors and (problem := augments_problem(trial, self._others, self._content, self._visit)):
            errors.setdefault("augments", problem)
        return (None if errors else trial), errors

    def _parse(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Typed dose and dates, and the errors of those that do not parse or are missing."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        parsers = (("dose_mg", parse_number), ("start", parse_date), ("dose_reached", parse_date), ("end", self._parse_end))
        for name, parse in parsers:
            try:
                values[name] = parse(self._text(name))
            except ValueError as exc:
                errors[name] = str(exc)
        if values.get("start") is None:
            errors.setdefault("start", "required")
        if values.get("end") is None and not self.query_one("#ongoing", Checkbox).value:
            errors.setdefault("end", "required, or tick Ongoing")
        return values, errors

    def _parse_end(self, typed: str) -> dt.date | None:
        """An end date, or a length from the start ("5 weeks"); the error says both are possible."""
        if is_length(typed):
            return self._end_from_length(typed)
        try:
            return parse_date(typed)
        except ValueError as exc:
            raise ValueError(f"{exc}, or a length such as {EXAMPLES}") from None

    def _build(self, values: dict[str, Any], start: dt.date) -> Trial:
        typed = self._text("treatment").strip()
        known = self._content.treatment(typed)
        fields = dict(
            treatment=known.id if known else typed,
            role=self._choice("role"),
            augments=None if (augments := self.query_one("#augments", Select)).is_blank() else str(augments.value),
            dose_mg=None if (dose := values.get("dose_mg")) is None else unit_of(known).kept(dose),
            start=start,
            dose_reached=values.get("dose_reached"),
            end=values.get("end"),
            adherence=self._choice("adherence"),
            outcome=self._choice("outcome"),
            side_effects=tuple(s.strip() for s in self._text("side_effects").split(",") if s.strip()),
            stop_reason=self._text("stop_reason").strip(),
            note=self._text("note").strip(),
        )
        # evolve keeps the trial's extra (keys a newer trd-tui wrote) when editing.
        return attrs.evolve(self._trial, **fields) if self._trial else Trial(**fields)

    def _text(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _choice(self, name: str) -> str:
        return str(self.query_one(f"#{name}", Select).value)


def offer_trial(opener: Widget, option_name: str, trial: Trial, session: Session, content: Content,
                done: Callable[[Trial], None]) -> None:
    """Ask whether to record the trial of an option just marked started; yes opens the form with ``trial`` in it."""
    question = (f"{option_name} is marked started. Record its trial in the timeline now? "
                "The form is filled in from the option; check each field.")

    def chosen(choice: str | None) -> None:
        if choice == "add":
            form = TrialForm("Add trial", trial, session.visit_date, content, session.trials, prefilled=True)
            open_form(opener, form, done)

    choices = [("add", "Add the trial"), ("later", "Not now")]
    opener.app.push_screen(ChoiceDialog("Option started", question, choices), chosen)


def _end_row(end: str, ongoing: bool) -> Horizontal:
    """The end date with the Ongoing box beside it; ticked, the date is cleared and disabled."""
    return Horizontal(
        Input(end, placeholder=END_HINT, id="end", compact=True, disabled=ongoing, classes=PRIVATE),
        Checkbox("Ongoing", ongoing, id="ongoing", compact=True),
        id="end-row",
    )


def _input(name: str, value: str, placeholder: str = "", *, private: bool = False) -> Input:
    return Input(value, placeholder=placeholder, id=name, compact=True, classes=PRIVATE if private else "")


def _select(name: str, options: list[str] | list[tuple[str, str]], current: str) -> Select[str]:
    """A compact Select that always has a value; options are values or (label, value) pairs."""
    pairs = [(o, o) if isinstance(o, str) else o for o in options]
    return Select(pairs, value=str(current), allow_blank=False, id=name, compact=True)
