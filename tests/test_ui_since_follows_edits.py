"""The Since last visit pane after an edit: what it shows is the session as it is now, however
the visits were stepped through before and after the edit."""

from __future__ import annotations

import pytest

from trd_tui.model import ReviewStatus, with_checklist
from ui_helpers import content, make_app, screen_text

pytestmark = pytest.mark.ui


def since_text(app) -> str:
    return screen_text(app).split("Since last visit", 1)[1]


def change_of(app, label: str) -> str | None:
    """The line of the pane saying how the item's answer changed, if one does."""
    return next((line.strip() for line in since_text(app).splitlines() if f"• {label}: " in line), None)


def unchanged_item(session) -> tuple[str, str, ReviewStatus]:
    """An item answered alike at the last two visits: (id, label, its status)."""
    before, now = session.visits[-2], session.visit
    for item_id, item in content().checklist_items.items():
        old, new = before.checklist.get(item_id), now.checklist.get(item_id)
        if old is not None and new is not None and old.status is new.status is ReviewStatus.NO_CONCERN:
            return item_id, item.label, old.status
    raise AssertionError("the demo has no item answered no-concern at both of its last visits")


async def test_an_answer_changed_while_a_past_visit_is_shown_appears_at_the_current_visit() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        item_id, label, status = unchanged_item(app.document.session)
        await pilot.press("5", "left_square_bracket")
        await pilot.pause()
        past = since_text(app)
        assert "PAST VISIT" in past and change_of(app, label) is None

        app.edit(with_checklist(app.document.session, item_id, status=ReviewStatus.CONCERN), label)
        await pilot.pause()
        assert since_text(app) == past  # the past visit shown stays as it was
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert change_of(app, label) == f"• {label}: {status.words} → concern"

        # Changed again, then stepped back and forth: the latest answer, not the one seen before.
        app.edit(with_checklist(app.document.session, item_id, status=ReviewStatus.FOLLOW_UP), label)
        await pilot.press("left_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert change_of(app, label) == f"• {label}: {status.words} → follow-up"
        # Answered as at the visit before: no longer a change.
        app.edit(with_checklist(app.document.session, item_id, status=status), label)
        await pilot.press("left_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert change_of(app, label) is None and "Visit of 2026-11-20 (3 of 3) · current visit" in since_text(app)


def step_keys(app) -> dict[str, bool]:
    """Whether each of the pane's two keys is drawn lit (True) or dimmed (False) in the key bar."""
    # The compositor's strips are what is drawn (as screen_text reads them); the bar is the last line.
    bar = app.screen._compositor.render_strips()[-1]
    return {
        words: not segment.style.dim
        for segment in bar
        for words in ("Earlier visit", "Later visit")
        if words in segment.text
    }


async def test_the_step_keys_dim_at_the_first_and_the_current_visit() -> None:
    app = make_app()  # three visits
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert step_keys(app) == {"Earlier visit": True, "Later visit": False}
        for key, expected in [
            ("left_square_bracket", {"Earlier visit": True, "Later visit": True}),
            ("left_square_bracket", {"Earlier visit": False, "Later visit": True}),
            ("right_square_bracket", {"Earlier visit": True, "Later visit": True}),
            ("right_square_bracket", {"Earlier visit": True, "Later visit": False}),
        ]:
            await pilot.press(key)
            await pilot.pause()
            assert step_keys(app) == expected, key
