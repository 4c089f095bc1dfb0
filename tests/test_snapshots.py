"""What a clinician sees: every pane of the demo at 80x24 and 120x40.

The demo has a fixed visit date and the test state folder is empty, so the
screens are the same on every run. After a deliberate change to the UI, look
at the new pictures (`pytest --snapshot-update`, then render the SVGs) before
accepting them.
"""

from __future__ import annotations

import pytest

from trd_tui.ui.panes.pane import PANES
from ui_helpers import make_app

pytestmark = pytest.mark.ui

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


async def settle(pilot) -> None:
    # The options detail follows the cursor after a short delay; let every pane finish drawing.
    await pilot.pause(0.4)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pane", PANES, ids=[p.id for p in PANES])  # the ids name the SVGs
def test_pane(snap_compare, pane, size: str) -> None:
    assert snap_compare(make_app(), press=[pane.key], terminal_size=SIZES[size], run_before=settle)


def test_trial_form(snap_compare) -> None:
    assert snap_compare(make_app(), press=["2", "e"], terminal_size=(80, 24), run_before=settle)


def test_help(snap_compare) -> None:
    assert snap_compare(make_app(), press=["f1"], terminal_size=(120, 40), run_before=settle)


def test_timeline_while_sharing(snap_compare) -> None:
    """The sharing bar, months from onset on the axis and in the table, no notes."""
    assert snap_compare(make_app(sharing=True), press=["2"], terminal_size=(80, 24), run_before=settle)


def test_patient_view_comparing_three_options(snap_compare) -> None:
    """Esketamine, TMS and CBASP side by side at 80x24, TMS's column picked."""
    keys = ["f4", "space", "down", "space", "down", "space", "c", "right"]
    assert snap_compare(make_app(), press=keys, terminal_size=(80, 24), run_before=settle)


def test_since_last_visit_at_a_past_visit(snap_compare) -> None:
    """Stepped back one visit: the header says past and read-only, on its own colour."""
    assert snap_compare(make_app(), press=["5", "left_square_bracket"], terminal_size=(80, 24), run_before=settle)
