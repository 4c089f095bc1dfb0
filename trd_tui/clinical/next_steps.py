"""Next steps: each treatment option in a tier, or "not now" with the reason.

The tiers are the guidelines' sequencing (CANMAT 2023, NICE NG222) applied to the record, for the
clinician to weigh, never an order. The sequencing is data in the content pack (each option's
``tier_rules``, ``not_first_when`` and ``adds`` in options.toml, each with its source); this
module applies it:

- an option whose ``adds`` treatment was tried adequately and failed, was not tolerated, or is the
  current drug, or that the patient declined, is not now, with the reason and its date;
- otherwise its tier is the lowest whose rule holds (none holding: not now, with what would make
  it relevant), pushed back by any ``not_first_when`` that holds;
- within a tier, ``lead`` options first, then by guideline line and evidence level.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import attrs

from trd_tui.clinical.adequacy import Adequacy, weeks_at_dose
from trd_tui.clinical.relevance import Facts, holds
from trd_tui.model import OptionStatus, Outcome, Session

if TYPE_CHECKING:
    from trd_tui.clinical.trd import TrialAssessment
    from trd_tui.pack.conditions import Condition
    from trd_tui.pack.records import Caution, Content, Option

#: The tiers in the words every view shows, with a glyph so the tier never rests on colour alone.
TIER_WORDS = {1: "consider first", 2: "next", 3: "later or specialist"}
TIER_GLYPHS = {1: "①", 2: "②", 3: "③"}
NOT_NOW = "not now"
#: What the tiers are, worded once: the summary, the Options pane's help and the README say it.
TIERS_NOTE = (
    "Tiers are the guidelines' sequencing (CANMAT 2023, NICE NG222) applied to the record, "
    "for the clinician to weigh; never an order."
)
NOT_NOW_GLYPH = "·"

#: Option statuses (set by the clinician) that rule an option out, in the words of the reason.
#: The one place a new status (issue 11's ``stopped``) joins.
RULED_OUT_STATUSES = {OptionStatus.DECLINED: "declined by the patient"}


@attrs.frozen
class Step:
    """One option's place in the next steps."""

    option: Option
    tier: int | None  # 1, 2 or 3; None: not now
    reasons: tuple[str, ...]  # why this tier, or why not now
    #: The structured cautions this patient's record brings (not those for everyone), each with why.
    cautions: tuple[tuple[Caution, str], ...] = ()
    lead: bool = False

    @property
    def words(self) -> str:
        return TIER_WORDS[self.tier] if self.tier else NOT_NOW

    @property
    def glyph(self) -> str:
        return TIER_GLYPHS[self.tier] if self.tier else NOT_NOW_GLYPH


@attrs.frozen
class NextSteps:
    steps: tuple[Step, ...]  # tiers 1 to 3, in order
    not_now: tuple[Step, ...]  # in pack order

    def tier(self, n: int) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.tier == n)

    def get(self, option_id: str) -> Step | None:
        return next((s for s in (*self.steps, *self.not_now) if s.option.id == option_id), None)


def next_steps(
    session: Session,
    trials: tuple[TrialAssessment, ...],
    facts: Facts,
    content: Content,
    cautions: dict[str, tuple[tuple[Caution, str | None], ...]],
) -> NextSteps:
    """Place every option of the pack. Pure."""
    visit = session.visit_date
    placed = []
    by_treatment: dict[str, list[TrialAssessment]] = {}  # so that an option looks up its trials
    for t in trials:
        if t.treatment is not None:
            by_treatment.setdefault(t.treatment.id, []).append(t)
    for option in content.options.values():
        # The cautions the record brings; those for everyone stay in the option's detail.
        applying = tuple((c, why) for c, why in cautions.get(option.id, ()) if why is not None and c.applies_when.kind != "always")
        tried = sorted((t for treatment in option.adds for t in by_treatment.get(treatment, ())), key=lambda t: t.index)
        ruled_out = _ruled_out(option, session, tried, content, visit)
        if ruled_out:
            placed.append(Step(option, None, ruled_out, applying))
        else:
            placed.append(_tiered(option, facts, content, applying))
    order = {option_id: i for i, option_id in enumerate(content.options)}
    tiered = sorted((s for s in placed if s.tier), key=lambda s: _rank(s, order))
    return NextSteps(tuple(tiered), tuple(s for s in placed if s.tier is None))


def _tiered(option: Option, facts: Facts, content: Content, cautions: tuple) -> Step:
    holding = [(rule, why) for rule in option.tier_rules if (why := holds(rule.when, facts)) is not None]
    if not holding:
        return Step(option, None, (_not_yet(option, content),), cautions)
    tier = min(rule.tier for rule, _ in holding)
    reasons = [f"{why} ({content.cite([rule.source])})" for rule, why in holding if rule.tier == tier]
    lead = any(rule.lead for rule, _ in holding if rule.tier == tier)
    for rule in option.not_first_when:
        if rule.tier > tier and holds(rule.when, facts) is not None:
            tier = rule.tier
            reasons.append(f"not first: {rule.why} ({content.cite([rule.source])})")
    return Step(option, tier, tuple(reasons), cautions, lead)


def _not_yet(option: Option, content: Content) -> str:
    """Why an option whose tier rules do not hold is not now: what would make it relevant."""
    if not option.tier_rules:
        return option.guideline
    whens = "; ".join(dict.fromkeys(_words(r.when, content) for r in option.tier_rules))
    return f"considered with: {whens}"


def _words(condition: Condition, content: Content) -> str:
    """A condition in the words a clinician reads, naming checklist items and treatments."""
    items = content.checklist_items
    return condition.describe(lambda i: items[i].label if i in items else i, content.treatment_label)


def _ruled_out(option: Option, session: Session, tried: list[TrialAssessment], content: Content, visit: dt.date) -> tuple[str, ...]:
    """Why ``option`` is not for now: its mark, or a trial of what it adds (``tried``, session order)."""
    reasons = [
        f"{words} (marked {note.status.value}{_since(note)})"
        for note in session.options
        if note.id == option.id and (words := RULED_OUT_STATUSES.get(note.status))
    ]
    reasons += [why for t in tried if (why := _tried(t, content, visit))]
    return tuple(reasons)


def _since(note: object) -> str:
    # Option statuses carry the date they were set once visits land (VISITS_SPEC: ``since``).
    since = getattr(note, "since", None)
    return f" on {since.isoformat()}" if since else ""


def _tried(t: TrialAssessment, content: Content, visit: dt.date) -> str | None:
    """Why a trial of the option's treatment rules it out now, or None."""
    name, trial = t.name, t.trial
    ended = f"ended {trial.end.isoformat()}" if trial.end else f"started {trial.start.isoformat()}"
    if trial.outcome is Outcome.NOT_TOLERATED:
        side = f": {', '.join(trial.side_effects)}" if trial.side_effects else ""
        return f"{name} was not tolerated{side} ({ended})"
    if trial.end is None or trial.end >= visit:
        return f"{name} is the current treatment (since {trial.start.isoformat()})"
    if trial.outcome not in (Outcome.NONE, Outcome.PARTIAL):
        return None
    if t.adequacy is Adequacy.ADEQUATE:
        return f"{name} was tried adequately with {trial.outcome.words} response ({ended})"
    # An agent without a minimum dose in the pack: enough weeks without any response is a failure.
    no_minimum = t.treatment is not None and t.treatment.min_dose_mg is None
    weeks = weeks_at_dose(trial, visit)
    if no_minimum and trial.outcome is Outcome.NONE and weeks >= content.rules.min_trial_weeks:
        return f"{name} was tried for {weeks:.0f} weeks without response ({ended})"
    return None


_LINE = {"first": 1, "second": 2, "third": 3}


def _rank(step: Step, order: dict[str, int]) -> tuple:
    """Lead options first, then the guideline's line, then the evidence level, then pack order."""
    line = re.search(r"\b(first|second|third)[- ]line", step.option.guideline, re.IGNORECASE)
    level = re.search(r"\blevel (\d)", step.option.evidence, re.IGNORECASE)
    return (
        step.tier,
        not step.lead,
        _LINE[line[1].lower()] if line else 4,
        int(level[1]) if level else 9,
        order[step.option.id],
    )


def tiers_markdown(content: Content) -> str:
    """How tiers are decided, for help (F1): the procedure, then each option's rules from the pack."""
    def rules(option: Option) -> str:
        parts = [f"{TIER_GLYPHS[r.tier]} {_words(r.when, content)} ({content.cite([r.source])})" for r in option.tier_rules]
        parts += [
            f"no earlier than {TIER_GLYPHS[r.tier]} with {_words(r.when, content)}: {r.why} ({content.cite([r.source])})"
            for r in option.not_first_when
        ]
        return "; ".join(parts) or f"not now: {option.guideline}"

    legend = ", ".join(f"{TIER_GLYPHS[n]} {words}" for n, words in TIER_WORDS.items())
    lines = "\n".join(f"  - **{option.name}**: {rules(option)}" for option in content.options.values())
    return f"""\
- **Next steps.** {TIERS_NOTE} Each option gets a tier ({legend}) or {NOT_NOW_GLYPH} {NOT_NOW}:
  not now when it adds a treatment already tried adequately without response, not tolerated,
  or taken now, or when the patient declined it (a treatment without a minimum dose in the pack
  counts as tried after {content.rules.min_trial_weeks:g} weeks without any response); otherwise
  the lowest tier whose rule holds, moved later by a "not first" rule; none holding, not now.
  Within a tier: the safety plan first, then guideline line, then evidence level. `r` in the
  Options pane shows tiers 1-2. The rules, from the content pack:
{lines}"""
