"""The session summary as data: the facts of an assessment for programs (``--format json``).

The same facts, and the same wording of reasons, as the Markdown summary
(:mod:`trd_tui.export.summary`); text from files is escaped so no control character
reaches whoever prints the JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trd_tui.clinical.since import safety_history
from trd_tui.export.summary import option_name
from trd_tui.pack.doses import unit_of
from trd_tui.text import json_safe

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.pack.records import Content


def to_data(a: Assessment, content: Content) -> dict[str, Any]:
    """The summary as plain data with stable keys (the JSON output)."""
    s = a.session
    msm = a.maudsley.score
    return {
        "patient": {"label": s.patient.label},
        "visit_date": s.visit_date.isoformat(),
        "clinician": s.visit.clinician or None,
        "visits": [{"date": v.date.isoformat(), "clinician": v.clinician or None} for v in s.visits],
        "since_last_visit": _since_data(a),
        "safety_history": [{"date": day.isoformat(), "alerts": list(alerts)} for day, alerts in safety_history(a.session, tuple(alert.message for alert in a.safety))],
        "episode": {
            "onset": _iso(s.episode.onset),
            "months": a.episode_months,
            "severity": s.episode.severity.value if s.episode.severity else None,
            "note": s.episode.note,
        },
        "trials": [
            {
                "treatment": t.trial.treatment,
                "name": t.name,
                "kind": t.kind,
                "role": t.trial.role.value,
                "dose_mg": t.trial.dose_mg,
                # As the clinician typed and reads it, with its unit: liothyronine's 0.025 mg is "25 mcg/day".
                "dose": None if t.trial.dose_mg is None else unit_of(t.treatment).text(t.trial.dose_mg),
                "start": t.trial.start.isoformat(),
                "end": _iso(t.trial.end),
                "weeks": round(t.weeks, 1),
                "adherence": t.trial.adherence.value,
                "outcome": t.trial.outcome.value,
                "adequacy": t.adequacy.value,
                "current_episode": t.current_episode,
                "failed": t.failed,
                "reasons": list(t.reasons),
                "note": t.trial.note,
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
            "definition": {
                "id": a.trd.definition,
                "name": content.rules.trd.name,
                "rule": a.trd.rule,
                "sources": list(content.rules.trd.sources),
            },
            "failed_adequate_antidepressants": a.trd.failed_adequate_antidepressants,
            "meets_definition": a.trd.meets_definition,
            "sforzini": {
                "category": a.trd.sforzini,
                "non_responses": a.trd.non_responses,
                "reason": a.trd.sforzini_reason,
                "source": content.rules.trd.sforzini_source,
            },
            "inadequate_trials": list(a.trd.inadequate_trials),
            "not_tolerated_trials": list(a.trd.not_tolerated),
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
            "to_reask": a.checklist.to_reask,
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
        "safety": {
            "alerts": [{"source": x.source, "message": x.message} for x in a.safety],
            "region": a.region,
            "crisis": [
                {"name": r.name, "contact": r.contact, "source": r.source, "to_confirm": r.uncertain or None}
                for r in a.crisis
            ],
        },
        "next_steps": [
            {
                "option": step.option.id,
                "tier": step.tier,
                "reasons": list(step.reasons),
                "cautions": [{"text": c.text, "source": c.source, "applies": why} for c, why in step.cautions],
            }
            for step in a.next_steps.steps
        ],
        "not_now": [{"option": step.option.id, "reasons": list(step.reasons)} for step in a.next_steps.not_now],
        "options": [
            {
                "id": o.id,
                "name": option_name(o.id, content),
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


def _since_data(a: Assessment) -> dict[str, Any] | None:
    since = a.since
    if since is None:
        return None
    return {
        "previous_visit": since.earlier.date.isoformat(),
        "weeks": since.weeks,
        "trials": list(since.trials),
        "scores": [
            {
                "instrument": x.instrument,
                "then": None if x.then is None else {"date": x.then.date.isoformat(), "score": x.then.score, "band": x.then_band},
                "now": None if x.now is None else {"date": x.now.date.isoformat(), "score": x.now.score, "band": x.now_band},
                "change": x.change,
                "text": x.text,
            }
            for x in since.scores
        ],
        "checklist": list(since.checklist),
        "safety_raised": list(since.safety_raised),
        "safety_cleared": list(since.safety_cleared),
        "options": list(since.options),
        "previous_plan": {"text": since.previous_plan.text, "next_review": _iso(since.previous_plan.next_review)},
    }


def to_json(a: Assessment, content: Content) -> str:
    import json  # only here: the Markdown summary, the common case, does without its import

    return json_safe(json.dumps(to_data(a, content), indent=2, ensure_ascii=False)) + "\n"


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
