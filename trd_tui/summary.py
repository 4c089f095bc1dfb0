"""The session summary, rendered from an assessment: Markdown for people, JSON for programs.

The app's Summary pane and ``trd-tui summary`` show the same text, because
both call :func:`to_markdown`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from trd_tui.clinical.adequacy import mg
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.text import json_safe, printable

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.content import Content

DISCLAIMER = (
    "Decision support, not a prescription: trd-tui shows how the recorded history meets "
    "published rules, with their sources. Clinical judgment decides."
)

# -- JSON -------------------------------------------------------------------


def to_data(a: Assessment, content: Content) -> dict[str, Any]:
    """The summary as plain data with stable keys (the JSON output)."""
    s = a.session
    msm = a.maudsley.score
    return {
        "patient": {"label": s.patient.label},
        "visit_date": s.visit_date.isoformat(),
        "clinician": s.session.clinician or None,
        "episode": {
            "onset": _iso(s.episode.onset),
            "months": a.episode_months,
            "severity": s.episode.severity.value if s.episode.severity else None,
        },
        "trials": [
            {
                "treatment": t.trial.treatment,
                "name": t.name,
                "kind": t.kind,
                "role": t.trial.role.value,
                "dose_mg": t.trial.dose_mg,
                "start": t.trial.start.isoformat(),
                "end": _iso(t.trial.end),
                "weeks": round(t.weeks, 1),
                "adherence": t.trial.adherence.value,
                "outcome": t.trial.outcome.value,
                "adequacy": t.adequacy.value,
                "current_episode": t.current_episode,
                "failed": t.failed,
                "reasons": list(t.reasons),
                "measured_change": None
                if t.measured is None
                else {
                    "instrument": t.measured.instrument,
                    "percent": round(t.measured.percent, 1),
                    "band": t.measured.band.value,
                    "agrees_with_outcome": t.measured.agrees_with_outcome,
                },
            }
            for t in a.trials
        ],
        "trd": {
            "failed_adequate_antidepressants": a.trd.failed_adequate_antidepressants,
            "meets_definition": a.trd.meets_definition,
            "inadequate_trials": list(a.trd.inadequate_trials),
            "reasons": list(a.trd.reasons),
        },
        "staging": {
            "maudsley": None
            if msm is None
            else {
                "score": msm.score,
                "band": msm.band,
                "duration": msm.duration,
                "severity": msm.severity,
                "antidepressants": msm.antidepressants,
                "augmentation": msm.augmentation,
                "ect": msm.ect,
                "reasons": list(msm.reasons),
            },
            "maudsley_missing": list(a.maudsley.missing),
            "thase_rush": {"stage": a.thase_rush.stage, "reasons": list(a.thase_rush.reasons)},
        },
        "checklist": {
            "reviewed": a.checklist.reviewed,
            "total": a.checklist.total,
            "concerns": a.checklist.concerns,
            "follow_ups": a.checklist.follow_ups,
            "flagged": [
                {
                    "id": item_id,
                    "label": content.checklist_items[item_id].label,
                    "status": s.checklist[item_id].status.value,
                    "note": s.checklist[item_id].note,
                }
                for item_id in a.checklist.flagged
            ],
        },
        "safety": {"alerts": [{"source": x.source, "message": x.message} for x in a.safety]},
        "options": [
            {
                "id": o.id,
                "name": _option_name(o.id, content),
                "status": o.status.value,
                "preference": o.preference.value if o.preference else None,
                "note": o.note,
            }
            for o in s.options
        ],
        "measurements": [
            {
                "date": m.date.isoformat(),
                "instrument": m.instrument,
                "score": m.score,
                "band": band,
                "items": list(m.items) if m.items is not None else None,
            }
            for m, band in sorted(zip(s.measurements, a.measurement_bands, strict=True), key=lambda mb: mb[0].date)
        ],
        "plan": {"text": s.plan.text, "next_review": _iso(s.plan.next_review)},
    }


def to_json(a: Assessment, content: Content) -> str:
    import json  # only here: the Markdown summary, the common case, does without it (1 ms)

    return json_safe(json.dumps(to_data(a, content), indent=2, ensure_ascii=False)) + "\n"


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def _option_name(option_id: str, content: Content) -> str:
    option = content.options.get(option_id)
    return option.name if option else option_id


# -- Markdown ---------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md(text: str) -> str:
    """User text made literal in Markdown: specials escaped, one line, no control characters."""
    return _MD_SPECIAL.sub(_escaped, printable(" ".join(text.split())))


def _escaped(special: re.Match[str]) -> str:
    # A function, not the template r"\\\1": re expands a template in Python on every call
    # of sub(), which for the thousand texts of a large summary took 0.6 ms more.
    return "\\" + special[1]


def to_markdown(a: Assessment, content: Content, privacy: Privacy = SHOWN) -> str:
    """The summary for the record; with a sharing ``privacy``, without notes and with relative dates."""
    sections = [
        _header(a),
        _safety(a, content),
        _episode(a, privacy),
        _trd(a),
        _staging(a),
        _trials(a),
        _checklist(a, content, privacy),
        _options(a, content, privacy),
        _measurements(a),
        _plan(a),
    ]
    # Dates are written as recorded above and shown relative here, in one place, so none is missed.
    return privacy.text("\n\n".join(part for part in sections if part) + "\n")


def _header(a: Assessment) -> str:
    s = a.session
    line = f"Visit {s.visit_date.isoformat()}"
    if s.session.clinician:
        line += f" · {md(s.session.clinician)}"
    return f"# {md(s.patient.label)}: treatment-resistant depression review\n\n{line}\n\n*{DISCLAIMER}*"


def _safety(a: Assessment, content: Content) -> str:
    if not a.safety:
        return ""
    alerts = "\n".join(f"- **{md(x.message)}**" for x in a.safety)
    crisis = "\n".join(f"- {md(r.name)}: {md(r.contact)}" for r in content.rules.crisis)
    return f"## ⚠ Safety\n\n{alerts}\n\nCrisis resources:\n\n{crisis}"


def _episode(a: Assessment, privacy: Privacy) -> str:
    e = a.session.episode
    onset = e.onset.isoformat() if e.onset else "not recorded"
    months = f" ({a.episode_months} complete months)" if a.episode_months is not None else ""
    severity = e.severity.value if e.severity else "not recorded"
    lines = [f"- Onset: {onset}{months}", f"- Severity: {severity}"]
    if e.note:
        lines.append(f"- Note: {md(privacy.note(e.note))}")
    return "## Current episode\n\n" + "\n".join(lines)


def _trd(a: Assessment) -> str:
    verdict = "Meets" if a.trd.meets_definition else "Does not meet"
    reasons = "\n".join(f"- {md(r)}" for r in a.trd.reasons)
    inadequate = [a.trials[i] for i in a.trd.inadequate_trials]
    text = f"## TRD determination\n\n**{verdict} the definition of treatment-resistant depression.**\n\n{reasons}"
    if inadequate:
        rows = "\n".join(f"- {md(t.name)}: {t.adequacy.value}: {md(t.reasons[0])}" for t in inadequate)
        text += f"\n\nInadequate trials:\n\n{rows}"
    return text


def _staging(a: Assessment) -> str:
    msm = a.maudsley.score
    if msm is None:
        maudsley = f"- Maudsley Staging Method: not computed; missing {', '.join(a.maudsley.missing)}"
    else:
        parts = "; ".join(msm.reasons[:-1])
        maudsley = f"- Maudsley Staging Method: **{msm.score} ({msm.band})**: {md(parts)}"
    tr = a.thase_rush
    return f"## Staging\n\n{maudsley}\n- Thase–Rush: **stage {tr.roman}**: {md(tr.reasons[-1])}"


def _trials(a: Assessment) -> str:
    if not a.trials:
        return "## Medication and treatment trials\n\nNone recorded."
    head = "| Treatment | Role | Dose | Start | End | Weeks | Adherence | Outcome | Adequacy |\n|---|---|---|---|---|---|---|---|---|"
    rows = []
    for t in sorted(a.trials, key=lambda t: t.trial.start):
        tr = t.trial
        dose = f"{mg(tr.dose_mg)} mg" if tr.dose_mg is not None else "—"
        end = tr.end.isoformat() if tr.end else "ongoing"
        mark = " ✗ failed" if t.failed else ""
        earlier = "" if t.current_episode else " (earlier episode)"
        rows.append(
            f"| {md(t.name)}{earlier} | {tr.role.value} | {dose} | {tr.start.isoformat()} | {end} | "
            f"{t.weeks:.1f} | {tr.adherence.value} | {tr.outcome.value} | {t.adequacy.value}{mark} |"
        )
    return "## Medication and treatment trials\n\n" + head + "\n" + "\n".join(rows)


def _checklist(a: Assessment, content: Content, privacy: Privacy) -> str:
    c = a.checklist
    text = f"## Reassessment checklist\n\nReviewed {c.reviewed} of {c.total}; {c.concerns} concern(s), {c.follow_ups} to follow up."
    lines = []
    for item_id in c.flagged:
        entry = a.session.checklist[item_id]
        note = f": {md(privacy.note(entry.note))}" if entry.note else ""
        lines.append(f"- **{md(content.checklist_items[item_id].label)}** ({entry.status.value}){note}")
    return text + ("\n\n" + "\n".join(lines) if lines else "")


def _options(a: Assessment, content: Content, privacy: Privacy) -> str:
    if not a.session.options:
        return ""
    lines = []
    for o in a.session.options:
        note = f": {md(privacy.note(o.note))}" if o.note else ""
        patient = f"; patient {o.preference.words}" if o.preference else ""
        lines.append(f"- {md(_option_name(o.id, content))} ({o.status.value}{patient}){note}")
    return "## Options discussed\n\n" + "\n".join(lines)


def _measurements(a: Assessment) -> str:
    ms = sorted(zip(a.session.measurements, a.measurement_bands, strict=True), key=lambda mb: mb[0].date)
    if not ms:
        return ""
    rows = "\n".join(f"| {m.date.isoformat()} | {md(m.instrument)} | {m.score:g} | {band or '—'} |" for m, band in ms)
    text = "## Measurements\n\n| Date | Instrument | Score | Band |\n|---|---|---|---|\n" + rows
    measured = [t for t in a.trials if t.measured is not None]
    if measured:
        text += "\n\nMeasured response:\n\n" + "\n".join(f"- {md(t.name)}: {md(t.measured.reason)}" for t in measured)
    return text


def _plan(a: Assessment) -> str:
    p = a.session.plan
    text = md(p.text) if p.text else "No plan recorded."
    review = f"\n\nNext review: {p.next_review.isoformat()}" if p.next_review else ""
    return f"## Plan\n\n{text}{review}"
