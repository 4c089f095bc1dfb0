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
from typing import TYPE_CHECKING, NoReturn

from trd_tui import commands
from trd_tui.version import __version__

if TYPE_CHECKING:
    import argparse  # imported where a parser is built: `summary FILE` and `check FILE` need none

COMMANDS = ("summary", "export", "check", "content", "serve", "visits")
SERVE_HOST = "127.0.0.1"  # this machine only: plain http, and textual-serve has no authentication of its own
MAX_SESSIONS = 4  # app processes `serve` runs at once; each is a whole app
SERVE_PORT = 8750  # not textual-serve's 8000, which many development servers also take

#: Each command's examples, shown at the end of its --help: every option is set by one of them
#: (tests/test_cli.py parses each example). "trd-tui" is the app itself.
EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "trd-tui": [
        ("trd-tui visit.toml", "open a session file (a new one if it does not exist)"),
        ("trd-tui --demo", "the fictional demo session, as an untitled copy"),
        ("trd-tui visit.toml --share", "start in sharing mode, for a screen the patient sees"),
        ("trd-tui visit.toml --autosave 10", "a recovery copy of unsaved work at most every 10 seconds"),
        ("trd-tui visit.toml --config clinic.toml", "preferences from another file"),
        ("trd-tui visit.toml --content ./my-pack", "another content pack"),
        ("trd-tui --version", "the version"),
    ],
    "summary": [
        ("trd-tui summary visit.toml", "the summary in Markdown, on stdout"),
        ("trd-tui summary --demo --format text", "the demo's summary as plain text, for a medical record"),
        ("trd-tui summary visit.toml --visit 2026-08-28", "the summary as it stood at that visit"),
        ("trd-tui summary visit.toml --region GB", "with the crisis resources of the UK"),
        ("trd-tui summary visit.toml --content ./my-pack", "assessed with another content pack"),
    ],
    "export": [
        ("trd-tui export visit.toml --format fhir", "a FHIR R4 Bundle on stdout, without identifiers"),
        ("trd-tui export --demo --format text -o summary.txt", "to a private file (0600)"),
        ("trd-tui export visit.toml --format markdown -o summary.md --force", "replace summary.md"),
        ("trd-tui export visit.toml --format fhir --include-identifiers", "with the patient's label, record id, birth year"),
        ("trd-tui export visit.toml --format json --region CA", "with the crisis resources of Canada"),
        ("trd-tui export visit.toml --format json --content ./my-pack", "assessed with another content pack"),
    ],
    "check": [
        ("trd-tui check visit.toml", "exit 0 valid, 1 invalid (every problem listed), 2 unreadable"),
        ("trd-tui check visit.toml --content ./my-pack", "checked against another content pack"),
    ],
    "content": [
        ("trd-tui content check", "check the pack in use and list every problem"),
        ("trd-tui content check ./my-pack", "check another pack folder"),
    ],
    "serve": [
        ("trd-tui serve visit.toml", "serve a session file to a browser tab on this machine"),
        ("trd-tui serve --demo", "serve the demo session"),
        ("trd-tui serve --demo --port 8751", "on another port"),
        ("trd-tui serve --demo --host 0.0.0.0", "to other machines too (plain http: it warns first)"),
        ("trd-tui serve --demo --max-sessions 2", "at most 2 browser tabs at once"),
        ("trd-tui serve visit.toml --autosave 10", "recovery copies at most every 10 seconds"),
        ("trd-tui serve visit.toml --config clinic.toml", "preferences from another file"),
        ("trd-tui serve visit.toml --share", "each tab starts in sharing mode"),
        ("trd-tui serve --demo --content ./my-pack", "with another content pack"),
    ],
    "visits": [
        ("trd-tui visits visit.toml", "one line per visit: date, clinician, PHQ-9, the plan's first line"),
        ("trd-tui visits --demo", "the demo's three visits"),
        ("trd-tui visits visit.toml --region GB", "with the crisis resources of the UK"),
        ("trd-tui visits visit.toml --content ./my-pack", "assessed with another content pack"),
    ],
}


def _new_parser(prog: str, description: str, epilog: str = "") -> argparse.ArgumentParser:
    """A parser whose errors print the usage and exit 64 (EX_USAGE), whose --help ends with its examples."""
    import argparse
    import shutil
    import textwrap

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(commands.EXIT_USAGE, f"{self.prog}: error: {message}\n")

    width = max(shutil.get_terminal_size().columns - 2, 40)  # as argparse wraps the rest of --help
    examples = EXAMPLES[prog.removeprefix("trd-tui ") if " " in prog else prog]
    lines = [f"  # {what}\n  {example}" for example, what in examples]
    paragraphs = [textwrap.fill(" ".join(epilog.split()), width)] if epilog else []
    return Parser(
        prog=prog,
        description=textwrap.fill(" ".join(description.split()), width),
        epilog="\n\n".join([*paragraphs, "examples:\n" + "\n".join(lines)]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="content pack folder (default: $TRD_TUI_CONTENT, else the bundled pack)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _new_parser(
        "trd-tui",
        "Decision support for consultations about treatment-resistant depression. "
        "It explains and shows reasons with their sources; it never orders a treatment.",
        "Commands: trd-tui summary FILE|--demo, trd-tui export FILE|--demo --format FORMAT, "
        "trd-tui check FILE, trd-tui content check [DIR], trd-tui serve [FILE|--demo] [--port N], "
        "trd-tui visits FILE|--demo. "
        "Run 'trd-tui COMMAND --help' for each. "
        "Exit codes: 0 fine, 1 invalid input, 2 unreadable input, 64 a bad command line.",
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


DESCRIPTIONS = {
    "summary": "Print the session summary: TRD determination, staging, trials, checklist, plan.",
    "visits": "List the visits: date, clinician, PHQ-9 of that visit, the first line of the plan.",
    "export": "Export the session in one of the formats below, to stdout or a file.",
    "serve": "Serve the app to a browser tab (for sharing a tab in a video call), at the printed address. "
    "Each tab runs its own copy of the app. The address holds a secret token, new at every start: "
    "without it (or from another web page, or under another host name) the server refuses. "
    "It listens on 127.0.0.1 (this machine only) unless --host says otherwise.",
    "check": "Check a session file: exit 0 valid, 1 invalid, 2 unreadable, 64 bad command line.",
    "content": "Check a content pack and list every problem.",
}


def _command_parser(command: str) -> argparse.ArgumentParser:
    parser = _new_parser(f"trd-tui {command}", DESCRIPTIONS[command])
    if command == "summary":
        _session_source(parser)
        _format_option(parser, summary_only=True, default="markdown")
        parser.add_argument("--visit", metavar="DATE", type=dt.date.fromisoformat,
                            help="the summary as it stood at the visit of DATE (YYYY-MM-DD)")
        _region_option(parser)
        _content_option(parser)
    elif command == "visits":
        _session_source(parser)
        _region_option(parser)
        _content_option(parser)
    elif command == "export":
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
        parser.add_argument("file", type=Path, help="session file")
        _content_option(parser)
    else:
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
