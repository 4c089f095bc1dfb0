"""Each rule is a table in trd_tui/clinical/: the scoring, help, forms, warnings and docs all read it.

Each test changes one value of a table and sees it both where the rule is applied and where it
is worded, so a second copy of a threshold anywhere would make one of them fail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from textual.widgets import Select

import trd_tui
from clinical_helpers import VISIT, failed, phq9, session, trial
from trd_tui.clinical import explain, response, safety, staging
from trd_tui.clinical.response import ResponseBand, implied_band, outcome_label
from trd_tui.model import Outcome, Role, Severity
from trd_tui.ui.screens.help import help_markdown
from trd_tui.ui.dialogs.trial_form import TrialForm
from ui_helpers import content, make_app, screen_text

DOC = Path(__file__).parent.parent / "docs" / "clinical-rules.md"


def test_the_doc_is_written_from_the_tables() -> None:
    # A test rather than a build step: the doc is read in the repository, where nothing builds it.
    assert DOC.read_text(encoding="utf-8") == explain.clinical_rules_doc(), (
        "docs/clinical-rules.md is out of date: python -m trd_tui.clinical.explain > docs/clinical-rules.md"
    )


def test_help_shows_the_tables_as_they_are() -> None:
    text = help_markdown(content())
    assert "duration (≤12 months 1, 13–24 2, >24 3)" in text
    assert "failed antidepressants (1–2 → 1, 3–4 → 2, 5–6 → 3, 7–10 → 4, >10 → 5)" in text
    assert "3–6 mild, 7–10 moderate, 11–15 severe" in text
    assert "0 none failed; I one class; II two classes; III plus a TCA; IV plus an MAOI; V plus a failed ECT course" in text
    assert "≥50% response, 25–49% partial, <25% none" in text
    assert "item 9 above 0 (thoughts of self-harm): a suicide-risk assessment is indicated whatever the total" in text


def test_a_changed_maudsley_point_shows_in_help_docs_and_the_score(monkeypatch) -> None:
    table = attrs.evolve(
        staging.MAUDSLEY,
        augmentation=2,
        duration=staging.Steps(0, ((6, 1), (24, 2), (None, 3))),
        bands=((7, "mild"), (10, "moderate"), (16, "severe")),
    )
    monkeypatch.setattr(staging, "MAUDSLEY", table)
    text = help_markdown(content())
    assert "duration (≤6 months 1, 7–24 2, >24 3)" in text and "augmentation (2)" in text
    assert "3–7 mild, 8–10 moderate, 11–16 severe" in text
    assert "augmentation (2)" in explain.clinical_rules_doc()
    # 11 complete months, now 2 points; moderate 3; one failure 1; augmentation 2: 8 of 16.
    lithium = trial("lithium", 600, role=Role.AUGMENTATION, outcome=Outcome.NONE)
    s = session(failed(content(), "sertraline"), lithium, severity=Severity.MODERATE)
    score = trd_tui.assess(s, content()).maudsley.score
    assert (score.duration, score.augmentation, score.score, score.band) == (2, 2, 8, "moderate")
    assert score.reasons[-1] == "total 8 of 16: moderate (Fekadu et al. 2009)"


def test_a_changed_thase_rush_stage_shows_in_help_and_the_reasons(monkeypatch) -> None:
    stages = list(staging.THASE_RUSH.stages)
    stages[1] = attrs.evolve(stages[1], meaning="one class failed (changed)", short="one class (changed)")
    monkeypatch.setattr(staging, "THASE_RUSH", attrs.evolve(staging.THASE_RUSH, stages=tuple(stages)))
    assert "I one class (changed);" in help_markdown(content())
    a = trd_tui.assess(session(failed(content(), "sertraline")), content())
    assert a.thase_rush.reasons[-1] == "stage I: one class failed (changed) (Thase & Rush 1997)"


def test_thase_rush_stage_iii_needs_the_tables_class(monkeypatch) -> None:
    # Three classes failed, one a TCA: stage III, and no longer once the table asks for another class.
    trials = [failed(content(), tid) for tid in ("sertraline", "venlafaxine", "nortriptyline")]
    assert trd_tui.assess(session(*trials), content()).thase_rush.roman == "III"
    stages = list(staging.THASE_RUSH.stages)
    stages[3] = attrs.evolve(stages[3], drug_class="maoi")
    monkeypatch.setattr(staging, "THASE_RUSH", attrs.evolve(staging.THASE_RUSH, stages=tuple(stages)))
    assert trd_tui.assess(session(*trials), content()).thase_rush.roman == "II"


CHANGED_BANDS = (ResponseBand(Outcome.RESPONSE, 60), ResponseBand(Outcome.PARTIAL, 30), ResponseBand(Outcome.NONE, None))


def test_changed_response_bands_show_in_labels_help_and_the_measured_band(monkeypatch) -> None:
    assert implied_band(55, 10, None) is Outcome.RESPONSE
    monkeypatch.setattr(response, "RESPONSE_BANDS", CHANGED_BANDS)
    assert [outcome_label(o) for o in (Outcome.RESPONSE, Outcome.PARTIAL, Outcome.NONE)] == [
        "response (≥60% better)", "partial (30–59% better)", "none (<30% better)",
    ]
    assert "≥60% response, 30–59% partial, <30% none" in help_markdown(content())
    assert implied_band(55, 10, None) is Outcome.PARTIAL
    assert implied_band(29, 10, None) is Outcome.NONE


async def test_the_trial_form_words_its_outcomes_from_the_bands(monkeypatch) -> None:
    monkeypatch.setattr(response, "RESPONSE_BANDS", CHANGED_BANDS)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        assert isinstance(app.screen, TrialForm)
        app.screen.query_one("#outcome", Select).value = Outcome.PARTIAL.value
        await pilot.pause()
        assert "partial (30–59% better)" in screen_text(app)


def test_item9_is_worded_once(monkeypatch) -> None:
    monkeypatch.setattr(safety, "ITEM9_ACTION", "see the risk protocol (changed)")
    positive = phq9(VISIT, 2)
    [alert] = safety.safety_alerts(session(measurements=(positive,)), content())
    assert alert.message.endswith("scored 2; see the risk protocol (changed)")
    assert safety.item9_warning() == "⚠ Item 9 above 0: see the risk protocol (changed)"
    assert "see the risk protocol (changed)" in help_markdown(content())


@pytest.mark.parametrize("on", [VISIT, VISIT - dt.timedelta(days=30)])
def test_the_alert_keeps_its_wording(on: dt.date) -> None:
    [alert] = safety.safety_alerts(session(measurements=(phq9(on, 1),)), content())
    assert alert.message == (
        f"PHQ-9 of {on.isoformat()}: item 9 (thoughts of self-harm) scored 1; "
        "a suicide-risk assessment is indicated whatever the total"
    )
