"""A checklist key reuses what the timelines alone decide (the treatments being taken, the trials
and scores since the last visit); an edit of a timeline or of either visit's date never gets them stale."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import trd_tui
from trd_tui.clinical import assess as assess_module
from trd_tui.model import Measurement, ReviewStatus, Trial, with_checklist, with_measurement, with_trial, with_visit
from trd_tui.storage.sessionfile import load_demo


@pytest.fixture(scope="module")
def content():
    return trd_tui.load_content()


def fresh_assessment(session, content, monkeypatch: pytest.MonkeyPatch):
    """The assessment computed with nothing kept from an earlier one."""
    monkeypatch.setattr(assess_module, "_LAST_COURSE", assess_module._LastCourse())
    return trd_tui.assess(session, content)


def test_a_checklist_edit_reuses_the_trials_and_scores_since_the_last_visit(content) -> None:
    demo = load_demo()
    before = trd_tui.assess(demo, content)
    after = trd_tui.assess(with_checklist(demo, "alcohol", status=ReviewStatus.CONCERN), content)
    assert before.since is not None and after.since is not None
    assert after.since.trials is before.since.trials and after.since.scores is before.since.scores
    assert "Alcohol: no concern → concern" in after.since.checklist  # the edit itself is compared afresh


def _timeline_edits(demo):
    started = Trial(treatment="lithium", role="augmentation", start=demo.visit_date - dt.timedelta(days=14))
    yield "trial", with_trial(demo, None, started)
    yield "score", with_measurement(demo, None, Measurement(demo.visit_date, "PHQ-9", 3))
    yield "visit date", with_visit(demo, date=demo.visit_date - dt.timedelta(days=30))
    earlier = demo.visits[-2]
    moved = attrs.evolve(earlier, date=earlier.date - dt.timedelta(days=60))
    yield "date of the visit before", attrs.evolve(demo, visits=(*demo.visits[:-2], moved, demo.visit))


@pytest.mark.parametrize("kind", ["trial", "score", "visit date", "date of the visit before"])
def test_every_edit_of_a_timeline_or_visit_date_is_assessed_afresh(content, kind: str, monkeypatch) -> None:
    demo = load_demo()
    base = trd_tui.assess(demo, content)  # what the demo's timelines decide is now the one kept
    edited = dict(_timeline_edits(demo))[kind]
    found = trd_tui.assess(edited, content)
    assert found == fresh_assessment(edited, content, monkeypatch)
    assert found.since is not None and base.since is not None
    assert (found.since.trials, found.since.scores) != (base.since.trials, base.since.scores)  # the edit shows
