"""Garbage collection around the app's life: none until the first frame, then long-lived objects set aside.

Mixed into :class:`~trd_tui.ui.app.TrdApp`. docs/performance.md has the pauses this
saves measured. It inherits ``App`` so the house rule on Textual's private names
(tests/test_architecture.py) checks it as it checks the app.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from textual.app import App

if TYPE_CHECKING:
    from textual.pilot import Pilot

FULL_COLLECTION_SPACING = 10  # once started, full garbage collections this many times rarer than Python's default


class LongLivedObjects(App[None]):
    """Owns when the app's garbage collection runs: deferred at start, what lives as long as the app set aside.

    The app calls :meth:`set_aside_long_lived_objects` once its first frame is drawn
    (and the panes once they are built) and :meth:`_let_go_of_long_lived_objects` when it unmounts.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._collect_after_start = False  # run_async defers garbage collection until the first frame
        self._frozen = False  # set_aside_long_lived_objects has run
        self._gc_threshold = gc.get_threshold()  # put back when the app stops running

    async def run_async(self, **kwargs: Any) -> None:
        """Run the app, with no garbage collection until its first frame is drawn.

        Starting creates tens of thousands of objects that live as long as the app
        (collections at that point found no garbage among them; docs/performance.md).
        """
        gc.disable()
        self._collect_after_start = True
        try:
            return await super().run_async(**kwargs)
        finally:
            gc.enable()
            self._let_go_of_long_lived_objects()

    @asynccontextmanager
    async def run_test(self, *args: Any, **kwargs: Any) -> AsyncIterator[Pilot]:
        """App.run_test, letting go at the end of what the app set aside from garbage collection."""
        try:
            async with super().run_test(*args, **kwargs) as pilot:
                yield pilot
        finally:
            self._let_go_of_long_lived_objects()

    def set_aside_long_lived_objects(self) -> None:
        """Exclude every object alive now from later garbage collections (gc.freeze).

        Called once the first frame is drawn and again once the hidden panes are built:
        what exists then (Textual, the session, the panes) lives as long as the app, and
        a full collection, which can fall between a key and its frame, looked through
        all of it (docs/performance.md has the pauses measured). They are let go when the app
        stops running, so a test or an embedding program gets them back.
        """
        if not self.is_running:
            return  # late timer after the app stopped: nothing to set aside
        gc.freeze()
        if not self._frozen:
            self._frozen = True
            # Full passes ten times rarer (at most one every 100 young-generation passes
            # rather than 10): what survives to the old generation here is mostly Textual's
            # render caches, bounded in size, so each full pass freed little for its long pause.
            self._gc_threshold = gc.get_threshold()
            young, middle, old = self._gc_threshold
            gc.set_threshold(young, middle, old * FULL_COLLECTION_SPACING)
        if self._collect_after_start:
            self._collect_after_start = False
            gc.enable()

    def _let_go_of_long_lived_objects(self) -> None:
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
            gc.set_threshold(*self._gc_threshold)
