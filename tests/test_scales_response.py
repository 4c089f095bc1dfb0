"""Rating scales and measured response: bands, validation, and every band boundary."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from trd_tui import assess, load_content
from trd_tui.document import read_checked
from trd_tui.storage import sessionfile
from trd_tui.clinical.response import by_instrument, implied_band, measured_change
from trd_tui.clinical.safety import follow_up_item9
from trd_tui.clinical.scales import band, measurement_problems
from trd_tui.model import Measurement, Outcome, ReviewStatus, Session, Trial, with_checklist

VISIT = dt.date(2026, 11, 20)
START = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.mark.parametrize(
    ("instrument", "score", "expected"),
    [
        ("PHQ-9", 0, "minimal"), ("PHQ-9", 4, "minimal"), ("PHQ-9", 5, "mild"), ("PHQ-9", 9, "mild"),
        ("PHQ-9", 10, "moderate"), ("PHQ-9", 14, "moderate"), ("PHQ-9", 15, "moderately severe"),
        ("PHQ-9", 19, "moderately severe"), ("PHQ-9", 20, "severe"), ("PHQ-9", 27, "severe"),
        ("GAD-7", 4, "minimal"), ("GAD-7", 5, "mild"), ("GAD-7", 10, "moderate"), ("GAD-7", 15, "severe"),
        ("GAD-7", 21, "severe"), ("QIDS-SR16", 5, "none"), ("QIDS-SR16", 6, "mild"), ("QIDS-SR16", 11, "moderate"),
        ("QIDS-SR16", 16, "severe"), ("QIDS-SR16", 21, "very severe"), ("phq9", 12, "moderate"),
        ("PHQ-9", 28, None), ("MADRS", 30, None),
    ],
)
def test_bands(content, instrument: str, score: int, expected: str | None) -> None:
    assert band(Measurement(VISIT, instrument, score), content) == expected


@pytest.mark.parametrize(
    ("m", "expected"),
    [
        (Measurement(VISIT, "PHQ-9", 10, (1,) * 9), [("score", "10 disagrees with the items, which add up to 9")]),
        (Measurement(VISIT, "PHQ-9", 8, (1,) * 8), [("items", "PHQ-9 has 9 items, not 8")]),
        (Measurement(VISIT, "PHQ-9", 9, (4, 1, 1, 1, 1, 1, 0, 0, 0)), [("items[0]", "answers run from 0 to 3")]),
        (Measurement(VISIT, "GAD-7", 22), [("score", "GAD-7 totals run from 0 to 21")]),
        (Measurement(VISIT, "QIDS-SR16", 10, (1,) * 10), [("items", "QIDS-SR16 is recorded as a total only")]),
        (Measurement(VISIT, "PHQ-9", 9, (1,) * 9, difficulty=4), [("difficulty", "PHQ-9 has no difficulty answer 4")]),
        (Measurement(VISIT, "GAD-7", 7, (1,) * 7, difficulty=1), [("difficulty", "GAD-7 has no difficulty answer 1")]),
        (Measurement(VISIT, "PHQ-9", 9, (1,) * 9, difficulty=3), []),
        (Measurement(VISIT, "Clinician rating", 300), []),  # unknown instruments take any total
    ],
)
def test_entries_that_do_not_add_up(content, m: Measurement, expected) -> None:
    assert measurement_problems(m, content) == expected


def test_check_refuses_a_total_that_disagrees_with_its_items(tmp_path, content) -> None:
    s = attrs.evolve(Session.new(VISIT), measurements=(Measurement(VISIT, "PHQ-9", 12, (1,) * 9),))
    path = tmp_path / "s.toml"
    sessionfile.save_session(s, path)
    sessionfile.load_session(path)  # without the content pack, the file itself is well formed
    with pytest.raises(sessionfile.InvalidSessionError) as caught:
        read_checked(path, content)
    assert str(caught.value.problems[0]) == "measurements[0].score: 12 disagrees with the items, which add up to 9"


@pytest.mark.parametrize(
    ("percent", "later", "remission_max", "expected"),
    [
        (24.9, 15, 4, Outcome.NONE), (25, 15, 4, Outcome.PARTIAL), (49.9, 10, 4, Outcome.PARTIAL),
        (50, 10, 4, Outcome.RESPONSE), (80, 5, 4, Outcome.RESPONSE), (80, 4, 4, Outcome.REMISSION),
        (30, 5, 5, Outcome.REMISSION), (-40, 25, 4, Outcome.NONE), (90, 2, None, Outcome.RESPONSE),
    ],
)
def test_implied_band_at_each_boundary(percent, later, remission_max, expected) -> None:
    assert implied_band(percent, later, remission_max) is expected


def change(t: Trial, ms: tuple[Measurement, ...], content):
    return measured_change(t, by_instrument(ms, content), content, VISIT)


def trial(outcome=Outcome.NONE, end=dt.date(2026, 4, 1)) -> Trial:
    return Trial(treatment="sertraline", dose_mg=100, start=START, end=end, outcome=outcome)


def phq(day: dt.date, score: int) -> Measurement:
    return Measurement(day, "PHQ-9", score)


def test_baseline_within_14_days_before_and_rating_after_the_minimum_weeks(content) -> None:
    ms = (phq(START - dt.timedelta(days=14), 20), phq(START + dt.timedelta(weeks=6), 10))
    measured = change(trial(Outcome.RESPONSE), ms, content)
    assert (measured.percent, measured.band, measured.agrees_with_outcome) == (50.0, Outcome.RESPONSE, True)


def test_no_baseline_15_days_before_and_no_rating_before_6_weeks(content) -> None:
    early = (phq(START - dt.timedelta(days=15), 20), phq(START + dt.timedelta(weeks=8), 10))
    assert change(trial(), early, content) is None
    too_soon = (phq(START, 20), phq(START + dt.timedelta(weeks=6) - dt.timedelta(days=1), 10))
    assert change(trial(), too_soon, content) is None


def test_the_later_rating_must_fall_by_the_end_of_the_trial(content) -> None:
    after_end = (phq(START, 20), phq(dt.date(2026, 4, 2), 10))
    assert change(trial(), after_end, content) is None
    ongoing = change(trial(end=None), after_end, content)
    assert ongoing is not None and ongoing.later.date == dt.date(2026, 4, 2)  # measured to the visit


def test_same_instrument_only_and_disagreement_flagged(content) -> None:
    mixed = (phq(START, 20), Measurement(START + dt.timedelta(weeks=7), "GAD-7", 2))
    assert change(trial(), mixed, content) is None
    ms = (phq(START, 20), phq(START + dt.timedelta(weeks=7), 16))
    measured = change(trial(Outcome.RESPONSE), ms, content)
    assert (measured.band, measured.agrees_with_outcome) == (Outcome.NONE, False)
    assert "DISAGREES with the recorded outcome" in measured.reason


def test_a_gad7_never_decides_a_trial_measured_response(content) -> None:
    # Worked example: only GAD-7 ratings, 15 at the start and 3 after 7 weeks (80 % better):
    # an anxiety scale says nothing about the depression trial's response.
    anxiety = (Measurement(START, "GAD-7", 15), Measurement(START + dt.timedelta(weeks=7), "GAD-7", 3))
    assert change(trial(), anxiety, content) is None
    # Beside a PHQ-9, the PHQ-9 decides, even where the GAD-7 has more ratings.
    ms = (*anxiety, Measurement(START + dt.timedelta(weeks=3), "GAD-7", 9), phq(START, 20), phq(START + dt.timedelta(weeks=7), 18))
    measured = change(trial(), ms, content)
    assert (measured.instrument, measured.band, measured.agrees_with_outcome) == ("PHQ-9", Outcome.NONE, True)


def test_every_instrument_says_what_it_measures(content) -> None:
    assert {i.id: i.measures for i in content.instruments.values()} == {
        "PHQ-9": "depression", "GAD-7": "anxiety", "QIDS-SR16": "depression",
    }


def test_the_depression_scale_rated_most_often_in_the_trial_decides(content) -> None:
    # Worked example: PHQ-9 20 → 16 (20 %, none) from two ratings; QIDS-SR16 16 → 7 (56 %, response)
    # from four: the QIDS, followed more closely, decides though the PHQ-9 comes first in the pack.
    qids = [Measurement(START + dt.timedelta(weeks=w), "QIDS-SR16", s) for w, s in ((0, 16), (2, 14), (4, 10), (7, 7))]
    ms = (phq(START, 20), phq(START + dt.timedelta(weeks=7), 16), *qids)
    measured = change(trial(Outcome.RESPONSE), ms, content)
    assert (measured.instrument, measured.band, measured.agrees_with_outcome) == ("QIDS-SR16", Outcome.RESPONSE, True)


def test_remission_counts_as_agreeing_with_a_recorded_response(content) -> None:
    ms = (phq(START, 20), phq(START + dt.timedelta(weeks=7), 3))
    assert change(trial(Outcome.RESPONSE), ms, content).agrees_with_outcome is True
    assert change(trial(Outcome.UNKNOWN), ms, content).agrees_with_outcome is None


def test_summary_json_carries_measured_change_and_bands(content) -> None:
    from trd_tui.export.data import to_data

    s = attrs.evolve(Session.new(VISIT), trials=(trial(Outcome.PARTIAL),), measurements=(phq(START, 20), phq(START + dt.timedelta(weeks=7), 12)))
    data = to_data(assess(s, content), content)
    assert data["trials"][0]["measured_change"] == {"instrument": "PHQ-9", "percent": 40.0, "band": "partial", "agrees_with_outcome": True}
    assert [m["band"] for m in data["measurements"]] == ["severe", "moderate"]


def test_item9_marks_the_safety_item_for_follow_up_only_if_unreviewed(content) -> None:
    positive = Measurement(VISIT, "PHQ-9", 10, (1, 1, 1, 1, 1, 1, 1, 1, 2))
    marked = follow_up_item9(Session.new(VISIT), positive, content)
    assert marked.checklist["suicidality"].status is ReviewStatus.FOLLOW_UP
    assert "item 9 scored 2" in marked.checklist["suicidality"].note
    reviewed = with_checklist(Session.new(VISIT), "suicidality", status=ReviewStatus.NO_CONCERN, note="seen")
    assert follow_up_item9(reviewed, positive, content) == reviewed
    negative = attrs.evolve(positive, items=(1,) * 8 + (0,), score=8)
    assert follow_up_item9(Session.new(VISIT), negative, content) == Session.new(VISIT)
