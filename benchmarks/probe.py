"""One measured process start: ``python -m benchmarks.probe trd|bare [ARGS]``.

Prints the seconds from ``BENCH_T0`` (the parent's clock just before it started
this process) to the first frame of the app's first real screen, then exits.
Both apps run headless, so neither pays for terminal output.
"""

from __future__ import annotations

import os
import sys
import time

T0 = float(os.environ.get("BENCH_T0", time.time()))


def first_frame_then_exit(app, screen_name: str) -> None:
    """Print the time of the first frame composed for ``screen_name``, and end the process."""
    original = type(app)._display

    def display(self, screen, renderable):
        original(self, screen, renderable)
        # The screen itself, or a dialog over it (a file last seen at an earlier visit opens
        # with "Start today's visit?" on top): either is the first frame the user sees.
        if renderable is not None and any(type(s).__name__ == screen_name for s in self.screen_stack):
            # The measurement is taken: leave at once rather than wind the app down mid-mount.
            print(f"{time.time() - T0:.6f}", flush=True)
            os._exit(0)

    type(app)._display = display


def bare_app():
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Hello")
            yield Footer()

    return Bare()


def main() -> None:
    which, args = sys.argv[1], sys.argv[2:]
    if which == "bare":
        app, screen = bare_app(), "Screen"
    elif which == "skeleton":
        from benchmarks.skeleton import skeleton_app

        app, screen = skeleton_app(), "Screen"
    else:
        from trd_tui.cli import app_options
        from trd_tui.commands import build_app

        app, screen = build_app(app_options(args)), "MainScreen"
    first_frame_then_exit(app, screen)
    app.run(headless=True, size=(120, 40))
    sys.exit("the app closed before its first frame")


if __name__ == "__main__":
    main()
