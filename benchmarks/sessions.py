"""Generated inputs for the benchmarks: the demo, and a large twenty-year history."""

from __future__ import annotations

import datetime as dt
import random

import attrs

from trd_tui.model import (
    Adherence,
    ChecklistEntry,
    Measurement,
    OptionNote,
    OptionStatus,
    Outcome,
    ReviewStatus,
    Role,
    Session,
    Trial,
)
from trd_tui.pack.records import Content
from trd_tui.storage.sessionfile import load_demo

VISIT = dt.date(2026, 11, 20)


def demo() -> Session:
    return load_demo()


def large(content: Content, *, seed: int = 7) -> Session:
    """300 trials over 20 years, 200 measurements, every checklist item noted, 60 options noted."""
    rng = random.Random(seed)
    first = VISIT - dt.timedelta(days=365 * 20)
    drugs = [t for t in content.treatments.values() if t.kind in ("antidepressant", "augmentation-agent")]
    trials = []
    for i in range(300):
        start = first + dt.timedelta(days=i * 24)
        drug = rng.choice(drugs)
        trials.append(
            Trial(
                treatment=drug.id,
                role=rng.choice(list(Role)),
                dose_mg=(drug.min_dose_mg or 10) * rng.choice([0.5, 1, 1.5]),
                start=start,
                end=None if i == 299 else start + dt.timedelta(days=rng.randint(20, 120)),
                adherence=rng.choice(list(Adherence)),
                outcome=rng.choice(list(Outcome)),
                side_effects=("nausea", "insomnia")[: rng.randint(0, 2)],
                note=f"Trial {i}: reviewed at clinic visit; see letter.",
            )
        )
    measurements = []
    for i in range(200):
        day = first + dt.timedelta(days=i * 36)
        items = tuple(rng.randint(0, 3) for _ in range(9))
        measurements.append(Measurement(day, "PHQ-9", sum(items), items))
    checklist = {
        item: ChecklistEntry(rng.choice(list(ReviewStatus)), f"Reviewed {item}; discussed with the patient.")
        for item in content.checklist_items
    }
    option_ids = list(content.options) + [f"clinic-option-{i}" for i in range(60 - len(content.options))]
    options = tuple(OptionNote(o, rng.choice(list(OptionStatus)), f"Discussed {o}.") for o in option_ids[:60])
    s = demo()
    return attrs.evolve(
        s,
        episode=attrs.evolve(s.episode, onset=dt.date(2012, 3, 1)),
        checklist=checklist,
        trials=tuple(trials),
        measurements=tuple(measurements),
        options=options,
    )
