"""Key-press latency: from a key being posted to the next frame the app composes."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Container
from textual.widgets import ContentSwitcher, DataTable, Input

SAMPLES = 20


class FrameClock:
    """Timestamps every frame an app composes (App._display with something to show)."""

    def __init__(self) -> None:
        self.frames: list[float] = []
        self._original = App._display

    def __enter__(self) -> FrameClock:
        original, frames = self._original, self.frames

        def display(app, screen, renderable):
            if renderable is not None:
                frames.append(time.perf_counter())
            original(app, screen, renderable)

        App._display = display  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        App._display = self._original  # type: ignore[method-assign]

    async def latency(self, pilot, *keys: str) -> float:
        """Press ``keys`` and return the seconds until the next frame after posting them."""
        seen = len(self.frames)
        start = time.perf_counter()
        await pilot.press(*keys)
        deadline = start + 2
        while len(self.frames) <= seen and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        return (self.frames[seen] if len(self.frames) > seen else deadline) - start


async def sample(clock: FrameClock, pilot, keys: Callable[[int], list[str]], after: list[str] | None = None) -> list[float]:
    found = []
    for i in range(SAMPLES):
        found.append(await clock.latency(pilot, *keys(i)))
        if after:
            await pilot.press(*after)
        await pilot.pause()
    return found


class Bare(App):
    """The floor: Textual itself with a 300-row table and an input."""

    def compose(self) -> ComposeResult:
        yield Input()
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        fill(table)
        table.focus()


def fill(table: DataTable) -> None:  # type: ignore[type-arg]
    table.add_columns("Treatment", "Start", "Weeks")
    table.add_rows([(f"drug {i}", f"2010-01-{i % 28 + 1:02d}", str(i % 20)) for i in range(300)])


class BarePanes(App):
    """The floor for switching panes: four 300-row tables in a ContentSwitcher, keys 1-4."""

    PANES = "abcd"
    BINDINGS = [(str(i), f"show('{pane}')") for i, pane in enumerate(PANES, 1)]

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="a"):
            for pane in self.PANES:
                with Container(id=pane):
                    yield DataTable(id=f"table-{pane}")

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            fill(table)
        self.query_one("#table-a").focus()

    def action_show(self, pane: str) -> None:
        self.query_one(ContentSwitcher).current = pane
        self.query_one(f"#table-{pane}").focus()


async def bare_latency(clock: FrameClock) -> float:
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        moves = await sample(clock, pilot, lambda i: ["down"])
        app.query_one(Input).focus()
        typing = await sample(clock, pilot, lambda i: ["a"])
    return sorted(moves + typing)[len(moves + typing) // 2]


async def bare_switch_latency(clock: FrameClock) -> float:
    """Median of switching panes in bare Textual, each pane shown once before sampling."""
    app = BarePanes()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "3", "4", "1")
        await pilot.pause(0.3)
        switches = await sample(clock, pilot, lambda i: [str(i % 4 + 2) if i % 4 < 3 else "1"])
    return sorted(switches)[len(switches) // 2]


async def trd_latencies(clock: FrameClock, large_file: Path, content) -> list[tuple[str, list[float]]]:
    from trd_tui.document import Document
    from trd_tui.ui.app import TrdApp

    app = TrdApp(Document.open(large_file, content), content, today=dt.date(2026, 11, 20), offer_recovery=False)
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        steps: list[tuple[str, list[str], Callable[[int], list[str]], list[str] | None]] = [
            ("move in the trial table", ["2"], lambda i: ["down"], None),
            ("open the trial form", ["2"], lambda i: ["e"], ["escape"]),
            ("type in the options search", ["3", "slash"], lambda i: ["a"], None),
            (SWITCH, ["escape", "escape", "1"], lambda i: [str(i % 4 + 1)], None),
            ("set a checklist status", ["1"], lambda i: ["o" if i % 2 else "c"], None),
            # The large session has 40 visits: each step compares one pair of them.
            ("step back a visit (Since last visit)", ["5"], lambda i: ["left_square_bracket"], None),
        ]
        for name, setup, keys, after in steps:
            await pilot.press(*setup)
            await pilot.pause(0.3)
            results.append((name, await sample(clock, pilot, keys, after)))
    return results


SWITCH = "switch panes"


async def key_latencies(large_file: Path, content) -> list[tuple[str, list[float], float]]:
    """Each action's latencies on the large session, with the bare-Textual median beside them
    (for switching panes, bare Textual switching panes)."""
    with FrameClock() as clock:
        baseline = await bare_latency(clock)
        switch_baseline = await bare_switch_latency(clock)
        found = await trd_latencies(clock, large_file, content)
    return [(name, samples, switch_baseline if name == SWITCH else baseline) for name, samples in found]
