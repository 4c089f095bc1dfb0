"""The ``trd-tui`` command line.

``trd-tui [FILE]`` opens the app; ``summary``, ``check`` and ``content check``
are headless and never import Textual, so they start fast and run anywhere.
Bad input gets a clear message and an exit code, never a traceback.

Exit codes: 0 fine; 1 invalid input (every problem listed); 2 unreadable
input or a bad command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from trd_tui import __version__

COMMANDS = ("summary", "check", "content")
EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="content pack folder (default: $TRD_TUI_CONTENT, else the bundled pack)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trd-tui",
        description="Decision support for consultations about treatment-resistant depression. "
        "It explains and shows reasons with their sources; it never orders a treatment.",
        epilog="Commands: trd-tui summary FILE|--demo, trd-tui check FILE, trd-tui content check [DIR]. "
        "Run 'trd-tui COMMAND --help' for each.",
    )
    parser.add_argument("file", nargs="?", type=Path, help="session file to open (new if it does not exist)")
    parser.add_argument("--demo", action="store_true", help="open the fictional demo session as an untitled copy")
    parser.add_argument("--version", action="version", version=f"trd-tui {__version__}")
    parser.add_argument(
        "--autosave",
        metavar="SECONDS",
        type=float,
        default=30.0,
        help="write unsaved work to a private recovery copy at most this often (default 30)",
    )
    _content_option(parser)
    return parser


def _command_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"trd-tui {command}")
    if command == "summary":
        parser.description = "Print the session summary: TRD determination, staging, trials, checklist, plan."
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", type=Path, help="session file")
        source.add_argument("--demo", action="store_true", help="the bundled demo session")
        parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
        _content_option(parser)
    elif command == "check":
        parser.description = "Check a session file: exit 0 valid, 1 invalid, 2 unreadable."
        parser.add_argument("file", type=Path, help="session file")
        _content_option(parser)
    else:
        parser.description = "Check a content pack and list every problem."
        parser.add_argument("action", choices=("check",))
        parser.add_argument("folder", nargs="?", type=Path, help="pack folder (default: the one in use)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if args and args[0] in COMMANDS:
            options = _command_parser(args[0]).parse_args(args[1:])
            return {"summary": _summary, "check": _check, "content": _content_check}[args[0]](options)
        return _open_app(_parser().parse_args(args))
    except KeyboardInterrupt:
        return 130


def _fail(summary: str, problems: list | None = None, stream: TextIO = sys.stderr) -> None:
    print(f"trd-tui: {summary}", file=stream)
    for problem in problems or []:
        print(f"  {problem}", file=stream)


def _load_content(folder: Path | None):
    """The content pack, or None after explaining why it cannot be used."""
    from trd_tui.content import ContentError, load_content

    try:
        return load_content(folder)
    except ContentError as exc:
        _fail(f"{exc}; run 'trd-tui content check' to see them", exc.problems[:10])
        return None


def _read(path: Path, content):
    """Read a session file: (session, warnings) or an exit code after explaining."""
    from trd_tui.sessionfile import UnreadableSessionError, SessionFileError, read_session

    try:
        result = read_session(path, content)
    except SessionFileError as exc:
        _fail(f"{path}: {exc.summary}", exc.problems)
        return EXIT_UNREADABLE if isinstance(exc, UnreadableSessionError) else EXIT_INVALID
    return result


def _summary(options: argparse.Namespace) -> int:
    from trd_tui.clinical.assess import assess
    from trd_tui.sessionfile import load_demo
    from trd_tui.summary import to_json, to_markdown

    content = _load_content(options.content)
    if content is None:
        return EXIT_UNREADABLE
    if options.demo:
        session = load_demo()
    else:
        result = _read(options.file, content)
        if isinstance(result, int):
            return result
        session = result.session
    assessment = assess(session, content)
    render = to_json if options.format == "json" else to_markdown
    sys.stdout.write(render(assessment, content))
    return EXIT_OK


def _check(options: argparse.Namespace) -> int:
    content = _load_content(options.content)
    if content is None:
        return EXIT_UNREADABLE
    result = _read(options.file, content)
    if isinstance(result, int):
        return result
    for warning in result.warnings:
        print(f"warning: {warning}")
    print(f"{options.file}: valid ({len(result.warnings)} warning(s))")
    return EXIT_OK


def _content_check(options: argparse.Namespace) -> int:
    from trd_tui.content import check_content, resolve_folder

    folder = resolve_folder(options.folder)
    problems = check_content(folder)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{folder}: {len(problems)} problem(s)", file=sys.stderr)
        return EXIT_INVALID
    print(f"{folder}: content pack is valid")
    return EXIT_OK


def _open_app(options: argparse.Namespace) -> int:
    """Open the app on a file (new if absent), the demo, or a blank session."""
    import datetime as dt

    from trd_tui.document import Document
    from trd_tui.sessionfile import SessionFileError

    content = _load_content(options.content)
    if content is None:
        return EXIT_UNREADABLE
    today = dt.date.today()
    problem = None
    if options.demo:
        document = Document.demo()
    elif options.file is None or not options.file.exists():
        document = Document.new(today, options.file)
    else:
        try:
            document = Document.open(options.file, content)
        except SessionFileError as exc:
            # Start on a blank untitled session, so the bad file is never written over.
            document, problem = Document.new(today), exc
    from trd_tui.ui.app import TrdApp  # Textual only loads for the app itself

    TrdApp(document, content, today=today, startup_problem=problem, autosave_seconds=options.autosave).run()
    return EXIT_OK
