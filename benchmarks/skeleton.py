"""The main screen's Textual skeleton, for context beside the cold-start budget.

The same widgets trd-tui's first frame shows (a one-line header of two Statics, a
banner, a two-line tab strip over a content switcher of four panes with a 35-row table
and a detail panel in the first, a one-line key bar) with none of trd-tui's code, data
or CSS. trd-tui draws its tab strip and key bar as one widget each; so does this. Its start, as a ratio to the bare app, is what
the widgets alone cost: ``python -m benchmarks.skeleton`` prints it; ``make bench``
shows it under the table.
"""

from __future__ import annotations


def skeleton_app():
    from textual.app import App
    from textual.containers import Container, Horizontal, VerticalScroll
    from textual.widgets import ContentSwitcher, DataTable, Static

    class Skeleton(App):
        def compose(self):
            with Horizontal(id="header"):
                yield Static("Demo patient │ TRD yes (3 failed) │ MSM 10 moderate", id="session")
                yield Static("saved · untitled", id="file")
            yield Static("⚠ SAFETY  Thoughts of self-harm: follow-up\nCrisis: Call or text 988", id="banner")
            yield Static(" Checklist  Timeline  Options  Summary\n" + "━" * 120)
            with ContentSwitcher(initial="checklist"):
                with Container(id="checklist"):
                    yield Static("Reviewed 8 of 26 · 2 concerns · 3 to follow up")
                    with Horizontal():
                        with Container():
                            yield DataTable(id="table")
                        with VerticalScroll():
                            yield Static("Why it matters " * 40)
                for name in ("Timeline", "Options", "Summary"):
                    yield Container(id=name.lower())
            yield Static("o No concern c Concern f Follow-up x Clear n Note v Filter f1 Help ^s Save ▏^p palette")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Status", "Item", "Note")
            for i in range(35):
                table.add_row("· unreviewed", f"Checklist item {i}", "A note about it, long enough to be cut")
            table.focus()

    return Skeleton()


def main() -> None:
    import statistics
    import tempfile
    from pathlib import Path

    from benchmarks.run import first_frame, interleaved

    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        ours, bare = interleaved(lambda args: first_frame(args, state), ["skeleton"], ["bare"])
    print(f"Textual skeleton / bare: {statistics.median(ours) / statistics.median(bare):.2f}x "
          f"({statistics.median(ours) * 1000:.0f} ms vs {statistics.median(bare) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
