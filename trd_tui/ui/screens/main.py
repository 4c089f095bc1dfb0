"""The main screen: session header, safety banner, the panes, footer.

Only the first pane is built for the first frame. The others (and the modules and
widgets they need) are built when the app is idle soon after, or at once when one is
asked for first, so opening a session does not wait for panes nobody is looking at.
"""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.screen import Screen
from textual.containers import Container
from textual.widgets import ContentSwitcher

from trd_tui.ui.host import host
from trd_tui.ui.panes.pane import PANES, Pane
from trd_tui.ui.widgets.key_bar import KeyBar
from trd_tui.ui.widgets.pane_tabs import PaneTabs
from trd_tui.ui.widgets.status_bar import SafetyBanner, SessionHeader, SharingBar

FIRST = PANES[0].id
#: Seconds after the first frame before hidden panes are built, one at a time.
BUILD_DELAY = 0.3


def new_pane(pane_id: str) -> Pane:
    return next(p for p in PANES if p.id == pane_id).load()()


class MainScreen(Screen[None]):
    """Its stylesheet, main.tcss, is read with the app's (see ``TrdApp.CSS_PATH``)."""

    def __init__(self) -> None:
        super().__init__()
        # Panes being mounted: a key that shows one waits for the build under way (the hidden
        # panes are built on a timer) instead of drawing a pane whose children are not there yet.
        self._building_panes: dict[str, asyncio.Event] = {}

    def compose(self) -> ComposeResult:
        yield SessionHeader(id="session-header")
        yield SharingBar(id="sharing-bar")
        yield SafetyBanner(id="safety-banner")
        yield PaneTabs({p.id: p.title for p in PANES}, FIRST, id="pane-tabs")
        with ContentSwitcher(id="panes", initial=FIRST):
            for spec in PANES:
                with Container(id=spec.id, classes="pane-slot"):
                    if spec.id == FIRST:
                        yield new_pane(spec.id)
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.show_pane(FIRST)
        self.set_timer(BUILD_DELAY, self._build_next)

    def pane(self, pane_id: str) -> Pane | None:
        """The pane, if it has been built."""
        panes = self.query_one(f"#{pane_id}").query_children(Pane)
        return panes.first() if panes else None

    async def _built(self, pane_id: str) -> Pane:
        if (building := self._building_panes.get(pane_id)) is not None:
            await building.wait()
        pane = self.pane(pane_id)
        if pane is None:
            building = self._building_panes[pane_id] = asyncio.Event()
            pane = new_pane(pane_id)
            try:
                await self.query_one(f"#{pane_id}").mount(pane)
            finally:
                del self._building_panes[pane_id]
                building.set()
        return pane

    async def _build_next(self) -> None:
        """Build the next hidden pane, then schedule the one after (so keys are never kept waiting long).

        Not once the screen is being taken down: a quit can land between two builds, and a
        pane mounted into a slot already removed would stop the app with an error.
        """
        if not self.is_attached:  # False for every node once the app is quitting
            return
        pending = [p.id for p in PANES if self.pane(p.id) is None]
        if pending:
            await self._built(pending[0])
            self.set_timer(BUILD_DELAY / 3, self._build_next)
        else:
            host(self).set_aside_long_lived_objects()

    @property
    def active_pane(self) -> str:
        """The id of the pane shown."""
        return self.query_one(PaneTabs).active

    async def show_pane(self, pane_id: str) -> None:
        pane = await self._built(pane_id)  # before the switch, so an empty pane is never seen
        self.query_one(PaneTabs).active = pane_id
        self.query_one(ContentSwitcher).current = pane_id
        pane.catch_up()  # before its first frame, so a stale pane is never seen
        # Put the keyboard in the pane, so its keys work at once.
        pane.focus_main()

    async def on_pane_tabs_chosen(self, event: PaneTabs.Chosen) -> None:
        await self.show_pane(event.pane_id)
