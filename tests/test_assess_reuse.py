"""A checklist key does not rate every trial again, and no edit is ever assessed from a stale course."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import trd_tui
from trd_tui.clinical.assess import course
from trd_tui.model import ReviewStatus, with_checklist, with_measurement, with_trial, with_visit
from trd_tui.storage.sessionfile import load_demo


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def test_a_checklist_edit_reuses_the_rated_trials(content) -> None:
    demo = load_demo()
    before = trd_tui.assess(demo, content)
    after = trd_tui.assess(with_checklist(demo, "alcohol", status=ReviewStatus.CONCERN), content)
    assert after.trials is before.trials
    assert after.checklist != before.checklist


def _edits(demo):
    trial = demo.trials[-1]
    yield "trial", with_trial(demo, len(demo.trials) - 1, attrs.evolve(trial, end=None, dose_mg=(trial.dose_mg or 0) + 50))
    m = demo.measurements[-1]
    yield "score", with_measurement(demo, None, attrs.evolve(m, date=demo.visit_date, score=3, items=()))
    yield "episode", attrs.evolve(demo, episode=attrs.evolve(demo.episode, onset=demo.visit_date - dt.timedelta(days=30)))
    yield "visit date", with_visit(demo, date=demo.visit_date + dt.timedelta(days=400))


@pytest.mark.parametrize("kind", ["trial", "score", "episode", "visit date"])
def test_every_edit_of_a_timeline_is_assessed_afresh(content, kind: str) -> None:
    demo = load_demo()
    trd_tui.assess(demo, content)  # the course of the demo is now the one kept
    edited = dict(_edits(demo))[kind]
    fresh = course(edited, content)
    found = trd_tui.assess(edited, content)
    assert found.trials == fresh.trials
    assert (found.trd, found.maudsley, found.thase_rush, found.measurement_bands) == (
        fresh.trd, fresh.maudsley, fresh.thase_rush, fresh.measurement_bands,
    )
    assert fresh != course(demo, content)  # the edit changed what follows from the timelines
