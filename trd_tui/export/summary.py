"""The session summary, rendered from an assessment: Markdown for people (plain text through
:class:`Markup`); :mod:`trd_tui.export.data` gives the same facts as JSON for programs.

The app's Summary pane and ``trd-tui summary`` show the same text, because
both call :func:`to_markdown`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from trd_tui.clinical.elapsed import gap
from trd_tui.clinical.since import NOTHING_CHANGED, safety_history
from trd_tui.clinical.next_steps import TIER_GLYPHS, TIER_WORDS, TIERS_NOTE
from trd_tui.pack.doses import unit_of
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.text import printable

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.clinical.trd import TrialAssessment
    from trd_tui.pack.records import Content

DISCLAIMER = (
    "Decision support, not a prescription: trd-tui shows how the recorded history meets "
    "published rules, with their sources. Clinical judgment decides."
)

def option_name(option_id: str, content: Content) -> str:
    option = content.options.get(option_id)
    return option.name if option else option_id



# -- Markdown (and, through Markup, plain text) ---------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What would start a list, a heading underline or a rule at the start of a line: "- ", "1. ", "---", "===".
_LINE_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def md(text: str) -> str:
    """User text made literal in Markdown: specials escaped, one line, no control characters."""
    return _MD_SPECIAL.sub(_escaped, printable(" ".join(text.split())))


def md_line(text: str) -> str:
    """One line of a note in Markdown: :func:`md`, and nothing at its start read as a list or rule."""
    return _LINE_START.sub(_start_escaped, md(text))


def _start_escaped(start: re.Match[str]) -> str:
    return "\\" + start[1] if start[1] else f"{start[2]}\\{start[3]}"


def _escaped(special: re.Match[str]) -> str:
    # A function, not the template r"\\\1": re expands a template in Python on every call
    # of sub(), which adds up over the thousand texts of a large summary.
    return "\\" + special[1]


class Markup:
    """How the summary marks its text up: Markdown here, plain text in :mod:`trd_tui.export.text`.

    The sections below say what the summary holds once; a markup only says how it looks.
    """

    literal = staticmethod(md)  # recorded or pack text, shown as written on one line

    def block(self, text: str, indent: str = "") -> str:
        """A plan or a note, its line breaks kept, later lines after ``indent`` so a list item
        holds them: in Markdown each is a hard line break (a backslash at the line's end)."""
        return f"\\\n{indent}".join(md_line(line) for line in LINE_BREAK.split(text.strip()))

    def strong(self, text: str) -> str:
        return f"**{text}**"

    def emphasis(self, text: str) -> str:
        return f"*{text}*"

    def heading(self, text: str, level: int = 2) -> str:
        return f"{'#' * level} {text}"

    def table(self, head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in rows]
        return "\n".join(lines)


MARKDOWN = Markup()
INDENT = "  "  # a list item's later lines


def to_markdown(a: Assessment, content: Content, privacy: Privacy = SHOWN) -> str:
    """The summary for the record; with a sharing ``privacy``, without notes and with relative dates."""
    return render(a, content, privacy, MARKDOWN)


def render(a: Assessment, content: Content, privacy: Privacy, m: Markup) -> str:
    """The summary's sections in the markup ``m``."""
    sections = [
        _header(a, m),
        _safety(a, content, m),
        _since(a, privacy, m),
        _safety_history(a, m),
        _episode(a, privacy, m),
        _trd(a, m),
        _staging(a, m),
        _trials(a, privacy, m),
        _checklist(a, content, privacy, m),
        _next_steps(a, content, m),
        _options(a, content, privacy, m),
        _measurements(a, m),
        _plan(a, m),
    ]
    # Dates are written as recorded above and shown relative here, in one place, so none is missed.
    return privacy.text("\n\n".join(part for part in sections if part) + "\n")


def _header(a: Assessment, m: Markup) -> str:
    s = a.session
    line = f"Visit {s.visit_date.isoformat()}"
    if s.visit.clinician:
        line += f" · {m.literal(s.visit.clinician)}"
    if len(s.visits) > 1:
        line += f" · visit {len(s.visits)}; the first was {s.visits[0].date.isoformat()}"
    title = m.heading(f"{m.literal(s.patient.label)}: treatment-resistant depression review", 1)
    return f"{title}\n\n{line}\n\n{m.emphasis(DISCLAIMER)}"


def _safety(a: Assessment, content: Content, m: Markup) -> str:
    if not a.safety:
        return ""
    alerts = "\n".join(f"- {m.strong(m.literal(x.message))}" for x in a.safety)
    crisis = "\n".join(f"- {m.literal(r.name)}: {m.literal(r.contact)}{_to_confirm(r.uncertain, m)}" for r in a.crisis)
    return f"{m.heading('⚠ Safety')}\n\n{alerts}\n\nCrisis resources ({m.literal(a.region)}):\n\n{crisis}"


def _to_confirm(uncertain: str, m: Markup) -> str:
    return f" ({m.literal(uncertain)})" if uncertain else ""


def _since(a: Assessment, privacy: Privacy, m: Markup) -> str:
    since = a.since
    if since is None:
        return ""
    lines = [f"Previous visit {since.earlier.date.isoformat()} ({gap(since.earlier.date, since.current.date)} before this one)."]
    lines += [f"{title}:\n\n" + "\n".join(f"- {m.literal(text)}" for text in texts) for title, texts in since.sections()]
    if len(lines) == 1:
        lines.append(NOTHING_CHANGED)
    plan = privacy.plan(since.previous_plan, earlier=True)  # while sharing, hidden unless marked shared
    text = m.block(plan.text, INDENT) if plan.text else "none recorded"
    review = f" (next review {plan.next_review.isoformat()})" if plan.next_review else ""
    lines.append(f"Previous plan{review}: {text}")
    return m.heading("Since last visit") + "\n\n" + "\n\n".join(lines)


def _safety_history(a: Assessment, m: Markup) -> str:
    history = safety_history(a.session, tuple(alert.message for alert in a.safety))
    if not history or len(a.session.visits) == 1:  # one visit: the Safety section says it all
        return ""
    lines = [f"- {day.isoformat()}: {m.literal('; '.join(alerts))}" for day, alerts in history]
    return m.heading("Safety history") + "\n\n" + "\n".join(lines)


def _episode(a: Assessment, privacy: Privacy, m: Markup) -> str:
    e = a.session.episode
    onset = e.onset.isoformat() if e.onset else "not recorded"
    months = f" ({a.episode_months} complete months)" if a.episode_months is not None else ""
    severity = e.severity.value if e.severity else "not recorded"
    lines = [f"- Onset: {onset}{months}", f"- Severity: {severity}"]
    if e.note:
        lines.append(f"- Note: {m.block(privacy.note(e.note), INDENT)}")
    return m.heading("Current episode") + "\n\n" + "\n".join(lines)


def _trd(a: Assessment, m: Markup) -> str:
    verdict = "Meets" if a.trd.meets_definition else "Does not meet"
    reasons = "\n".join(f"- {m.literal(r)}" for r in a.trd.reasons)
    inadequate = [a.trials[i] for i in a.trd.inadequate_trials]
    text = (f"{m.heading('TRD determination')}\n\n"
            f"{m.strong(f'{verdict} the definition of treatment-resistant depression.')}\n\n"
            f"Definition applied: {m.literal(a.trd.rule)}.\n\n{reasons}")
    if inadequate:
        rows = "\n".join(f"- {m.literal(t.name)}: {t.adequacy.words}: {m.literal(t.reasons[0])}" for t in inadequate)
        text += f"\n\nInadequate trials:\n\n{rows}"
    if a.trd.not_tolerated:
        text += "\n\nNot tolerated (intolerance, not resistance; weigh it in the next choice):\n\n" + "\n".join(
            _intolerance(a.trials[i], m) for i in a.trd.not_tolerated
        )
    return text


def _intolerance(t: TrialAssessment, m: Markup) -> str:
    details = [f"{t.weeks:.1f} weeks"]
    if t.trial.dose_mg is not None:
        details.append(unit_of(t.treatment).text(t.trial.dose_mg))
    if t.trial.side_effects:
        details.append("side effects: " + ", ".join(t.trial.side_effects))
    if t.trial.stop_reason:
        details.append(f"stopped: {t.trial.stop_reason}")
    return f"- {m.literal(t.name)}: {m.literal('; '.join(details))}"


def _staging(a: Assessment, m: Markup) -> str:
    msm = a.maudsley.score
    if msm is None:
        maudsley = f"- Maudsley Staging Method: not computed; missing {', '.join(a.maudsley.missing)}"
    else:
        parts = "; ".join(msm.reasons[:-1])
        maudsley = f"- Maudsley Staging Method: {m.strong(f'{msm.score} ({msm.band})')}: {m.literal(parts)}"
    tr = a.thase_rush
    # The stage's meaning, then the classes that reached it (the first reason).
    return (f"{m.heading('Staging')}\n\n{maudsley}\n- Thase–Rush: {m.strong(f'stage {tr.roman}')}: "
            f"{m.literal(f'{tr.meaning}; {tr.reasons[0]}')}")


_TRIAL_HEAD = ("Treatment", "Role", "Dose", "Start", "End", "Weeks", "Adherence", "Outcome", "Adequacy")


def _trials(a: Assessment, privacy: Privacy, m: Markup) -> str:
    heading = m.heading("Medication and treatment trials")
    if not a.trials:
        return f"{heading}\n\nNone recorded."
    rows, notes = [], []
    for t in sorted(a.trials, key=lambda t: t.trial.start):
        tr = t.trial
        if tr.note:
            notes.append(f"- {m.literal(t.name)}: {m.block(privacy.note(tr.note), INDENT)}")
        dose = unit_of(t.treatment).text(tr.dose_mg, column=True) if tr.dose_mg is not None else "—"
        end = tr.end.isoformat() if tr.end else "ongoing"
        mark = " ✗ failed" if t.failed else ""
        earlier = "" if t.current_episode else " (earlier episode)"
        rows.append((
            f"{m.literal(t.name)}{earlier}", tr.role.value, dose, tr.start.isoformat(), end,
            f"{t.weeks:.1f}", tr.adherence.value, tr.outcome.words, f"{t.adequacy.words}{mark}",
        ))
    text = f"{heading}\n\n{m.table(_TRIAL_HEAD, rows)}"
    return text + ("\n\nTrial notes:\n\n" + "\n".join(notes) if notes else "")


def _checklist(a: Assessment, content: Content, privacy: Privacy, m: Markup) -> str:
    c = a.checklist
    text = (f"{m.heading('Reassessment checklist')}\n\n"
            f"Reviewed {c.reviewed} of {c.total}; {c.concerns} concern(s), {c.follow_ups} to follow up."
            + (f" {c.to_reask} answer(s) carried from an earlier visit, to re-ask." if c.to_reask else ""))
    lines = []
    for item_id in c.flagged:
        entry = a.session.checklist[item_id]
        note = f": {m.block(privacy.note(entry.note), INDENT)}" if entry.note else ""
        lines.append(f"- {m.strong(m.literal(content.checklist_items[item_id].label))} ({entry.status.value}){note}")
    return text + ("\n\n" + "\n".join(lines) if lines else "")


#: The tiers the summary lists; tier 3 and "not now" stay in the app and the JSON.
SUMMARY_TIERS = (1, 2)


def _next_steps(a: Assessment, content: Content, m: Markup) -> str:
    """Tiers 1-2 with their reasons and the cautions that apply, each caution with its source."""
    parts = [m.heading("Next steps"), m.emphasis(TIERS_NOTE)]
    for tier in SUMMARY_TIERS:
        lines = []
        for step in a.next_steps.tier(tier):
            # Cautions on the item's own line: a nested list would defeat the flat Markdown blocks.
            cautions = "".join(f" ⚠ Caution: {m.literal(c.text)} ({m.literal(content.cite([c.source]))})" for c, _ in step.cautions)
            lines.append(f"- {m.strong(m.literal(step.option.name))}: {m.literal('; '.join(step.reasons))}.{cautions}")
        title = f"{TIER_GLYPHS[tier]} Tier {tier}, {TIER_WORDS[tier]}"
        parts.append(f"{title}:\n\n" + ("\n".join(lines) if lines else "None from the record."))
    return "\n\n".join(parts)


def _options(a: Assessment, content: Content, privacy: Privacy, m: Markup) -> str:
    if not a.session.options:
        return ""
    lines = []
    for o in a.session.options:
        note = f": {m.block(privacy.note(o.note), INDENT)}" if o.note else ""
        patient = f"; patient {o.preference.words}" if o.preference else ""
        lines.append(f"- {m.literal(option_name(o.id, content))} ({o.status.value}{patient}){note}")
    return m.heading("Options discussed") + "\n\n" + "\n".join(lines)


def _measurements(a: Assessment, m: Markup) -> str:
    ms = sorted(zip(a.session.measurements, a.measurement_bands, strict=True), key=lambda mb: mb[0].date)
    if not ms:
        return ""
    rows = [(x.date.isoformat(), m.literal(x.instrument), f"{x.score:g}", band or "—") for x, band in ms]
    text = m.heading("Measurements") + "\n\n" + m.table(("Date", "Instrument", "Score", "Band"), rows)
    measured = [t for t in a.trials if t.measured is not None]
    if measured:
        text += "\n\nMeasured response:\n\n" + "\n".join(
            f"- {m.literal(t.name)}: {m.literal(t.measured.reason)}" for t in measured
        )
    return text


def _plan(a: Assessment, m: Markup) -> str:
    p = a.session.plan
    text = m.block(p.text) if p.text else "No plan recorded."
    review = f"\n\nNext review: {p.next_review.isoformat()}" if p.next_review else ""
    return f"{m.heading('Plan')}\n\n{text}{review}"
