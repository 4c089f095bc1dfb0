"""The ``trd-tui`` command line: its parsers and ``main``, which hands each command to trd_tui.commands.

``trd-tui [FILE]`` opens the app and ``trd-tui serve [FILE]`` serves it to a
browser tab; ``summary``, ``export``, ``check`` and ``content check`` are
headless and never import Textual, so they start fast and run anywhere. Bad
input gets a clear message and an exit code (trd_tui.commands lists them), never a traceback.
"""

from __future__ import annotations

import atexit
import datetime as dt  # already loaded by the TOML reader
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from trd_tui import commands
from trd_tui.version import __version__

if TYPE_CHECKING:
    import argparse  # imported where a parser is built: `summary FILE` and `check FILE` need none

COMMANDS = ("summary", "export", "check", "content", "serve", "visits")
SERVE_HOST = "127.0.0.1"  # this machine only: plain http, and textual-serve has no authentication of its own
MAX_SESSIONS = 4  # app processes `serve` runs at once; each is a whole app
SERVE_PORT = 8750  # not textual-serve's 8000, which many development servers also take


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="content pack folder (default: $TRD_TUI_CONTENT, else the bundled pack)",
    )


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="trd-tui",
        description="Decision support for consultations about treatment-resistant depression. "
        "It explains and shows reasons with their sources; it never orders a treatment.",
        epilog="Commands: trd-tui summary FILE|--demo, trd-tui export FILE|--demo --format FORMAT, "
        "trd-tui check FILE, trd-tui content check [DIR], trd-tui serve [FILE|--demo] [--port N], "
        "trd-tui visits FILE|--demo. "
        "Run 'trd-tui COMMAND --help' for each.",
    )
    parser.add_argument("file", nargs="?", type=Path, help="session file to open (new if it does not exist)")
    parser.add_argument("--demo", action="store_true", help="open the fictional demo session as an untitled copy")
    parser.add_argument("--version", action="version", version=f"trd-tui {__version__}")
    parser.add_argument(
        "--autosave",
        metavar="SECONDS",
        type=float,
        help="write unsaved work to a private recovery copy at most this often (default 30, or the config's)",
    )
    parser.add_argument("--config", metavar="FILE", type=Path, help="preferences file (default: the user config folder's)")
    parser.add_argument(
        "--share",
        action="store_true",
        help="start in sharing mode: no record id, birth year, notes or file paths, and dates relative to onset",
    )
    _content_option(parser)
    return parser


def _command_parser(command: str) -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog=f"trd-tui {command}")
    if command == "summary":
        parser.description = "Print the session summary: TRD determination, staging, trials, checklist, plan."
        _session_source(parser)
        _format_option(parser, summary_only=True, default="markdown")
        parser.add_argument("--visit", metavar="DATE", type=dt.date.fromisoformat,
                            help="the summary as it stood at the visit of DATE (YYYY-MM-DD)")
        _region_option(parser)
        _content_option(parser)
    elif command == "visits":
        parser.description = "List the visits: date, clinician, PHQ-9 of that visit, the first line of the plan."
        _session_source(parser)
        _region_option(parser)
        _content_option(parser)
    elif command == "export":
        parser.description = "Export the session in one of the formats below, to stdout or a file."
        _session_source(parser)
        _format_option(parser)
        parser.add_argument("-o", "--output", metavar="OUT", type=Path, help="write to OUT (private, 0600), not stdout")
        parser.add_argument(
            "--force", action="store_true", help="replace OUT if it exists (never a session file)"
        )
        parser.add_argument(
            "--include-identifiers",
            action="store_true",
            help="FHIR: add the patient's label, record id, birth year and sex (the summaries always show the label)",
        )
        _region_option(parser)
        _content_option(parser)
    elif command == "serve":
        _serve_options(parser)
    elif command == "check":
        parser.description = "Check a session file: exit 0 valid, 1 invalid, 2 unreadable."
        parser.add_argument("file", type=Path, help="session file")
        _content_option(parser)
    else:
        parser.description = "Check a content pack and list every problem."
        parser.add_argument("action", choices=("check",))
        parser.add_argument("folder", nargs="?", type=Path, help="pack folder (default: the one in use)")
    return parser


def _format_option(parser: argparse.ArgumentParser, *, summary_only: bool = False, default: str | None = None) -> None:
    """``--format``, its choices and help from the export table (``summary_only``: the summary's renderings)."""
    from trd_tui.export.formats import FORMATS, formats_help, summary_formats

    formats = summary_formats() if summary_only else list(FORMATS.values())
    parser.add_argument(
        "--format",
        choices=[f.name for f in formats],
        default=default,
        required=default is None,
        help=formats_help(formats) + (f" (default {default})" if default else ""),
    )


def _region_option(parser: argparse.ArgumentParser) -> None:
    import argparse

    from trd_tui.storage.config import REGIONS, normalise_region

    def region(text: str) -> str:
        code = normalise_region(text)
        if code is None:
            raise argparse.ArgumentTypeError(f"unknown region {text!r}; one of {', '.join(REGIONS)} (UK means GB)")
        return code

    parser.add_argument(
        "--region", type=region, help=f"whose crisis resources to show: {', '.join(REGIONS)} (default: the preferences', else US)"
    )


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the app to a browser tab (for sharing a tab in a video call), at the printed address. "
        "Each tab runs its own copy of the app. The address holds a secret token, new at every start: "
        "without it (or from another web page, or under another host name) the server refuses. "
        "It listens on 127.0.0.1 (this machine only) unless --host says otherwise."
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("file", nargs="?", type=Path, help="session file to open (new if it does not exist)")
    source.add_argument("--demo", action="store_true", help="the fictional demo session, as an untitled copy")
    parser.add_argument("--port", type=_port, default=SERVE_PORT, help=f"port to listen on (default {SERVE_PORT})")
    parser.add_argument(
        "--host",
        default=SERVE_HOST,
        help=f"address to listen on (default {SERVE_HOST}); any other lets other machines in (plain http)",
    )
    parser.add_argument(
        "--max-sessions",
        metavar="N",
        type=_session_limit,
        default=MAX_SESSIONS,
        help=f"browser tabs (app processes) at once; more are refused with a message (default {MAX_SESSIONS})",
    )
    parser.add_argument("--autosave", metavar="SECONDS", type=float, help="as for trd-tui")
    parser.add_argument("--config", metavar="FILE", type=Path, help="preferences file, as for trd-tui")
    parser.add_argument("--share", action="store_true", help="each tab starts in sharing mode, as for trd-tui")
    _content_option(parser)


def _port(text: str) -> int:
    import argparse

    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def _session_limit(text: str) -> int:
    import argparse

    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of tabs (1 to 64)")
    return limit


def _session_source(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="session file")
    source.add_argument("--demo", action="store_true", help="the bundled demo session")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if args and args[0] in COMMANDS:
            if args[0] != "serve":
                # A one-shot command makes objects it keeps until it exits: looking for
                # garbage cycles among them only costs time (a tenth of `summary`).
                gc.disable()
                _no_collection_at_exit()
            options = _command_parser(args[0]).parse_args(args[1:])
            handlers = {
                "summary": commands.run_summary,
                "export": commands.run_export,
                "check": commands.run_check,
                "content": commands.run_content_check,
                "serve": commands.run_serve,
                "visits": commands.run_visits,
            }
            return handlers[args[0]](options)
        return commands.run_app(_parser().parse_args(args))
    except KeyboardInterrupt:
        return 130
    finally:
        _resume_collection()


def _resume_collection() -> None:
    """Turn the collector back on (callers in this process need it) without searching first.

    Everything a one-shot command made while it was off sits in the youngest generation;
    enabled as it is, the next allocation would search all of it, finding nothing to free.
    Set aside and let go again (freeze, unfreeze), it moves to the oldest generation and
    waits for the next full collection, as long-lived objects do.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.unfreeze()
    gc.enable()


def _no_collection_at_exit() -> None:
    """Spare a one-shot command the collections Python runs as it shuts down.

    They search every object still alive for garbage cycles (all the pack, the session and
    the assessment) just before freeing them all anyway, slowing ``summary`` on a large
    session. Frozen objects are not searched. The app and ``serve`` keep them. Registered
    once, however often ``main`` runs in one process (as in the tests).
    """
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def app_options(argv: list[str]) -> argparse.Namespace:
    """Parse the options of ``trd-tui [FILE]`` (for the benchmarks)."""
    return _parser().parse_args(argv)
