"""The ``trd-tui`` command line.

``trd-tui [FILE]`` opens the app and ``trd-tui serve [FILE]`` serves it to a
browser tab; ``summary``, ``export``, ``check`` and ``content check`` are
headless and never import Textual, so they start fast and run anywhere. Bad
input gets a clear message and an exit code, never a traceback.

Exit codes: 0 fine; 1 invalid input (every problem listed); 2 unreadable
input, an output file that cannot be written, or a bad command line.
"""

from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trd_tui.text import printable
from trd_tui.version import __version__

if TYPE_CHECKING:
    import argparse  # imported where a parser is built: `summary FILE` and `check FILE` need none

COMMANDS = ("summary", "export", "check", "content", "serve")
EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
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
        "trd-tui check FILE, trd-tui content check [DIR], trd-tui serve [FILE|--demo] [--port N]. "
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
                "summary": _summary,
                "export": _export,
                "check": _check,
                "content": _content_check,
                "serve": _serve,
            }
            return handlers[args[0]](options)
        return _open_app(_parser().parse_args(args))
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


def _fail(summary: str, problems: list | None = None, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr  # looked up now: whoever runs main may have replaced it
    print(printable(f"trd-tui: {summary}"), file=stream)
    for problem in problems or []:
        print(printable(f"  {problem}"), file=stream)


def _load_content(folder: Path | None):
    """The content pack, or None after explaining why it cannot be used."""
    from trd_tui.pack.load import ContentError, load_content

    try:
        return load_content(folder)
    except ContentError as exc:
        _fail(f"{exc}; run 'trd-tui content check' to see them", exc.problems[:10])
        return None


def _read(path: Path, content):
    """Read a session file: (session, warnings) or an exit code after explaining."""
    from trd_tui.document import read_checked
    from trd_tui.storage.sessionfile import SessionFileError, UnreadableSessionError

    try:
        result = read_checked(path, content)
    except SessionFileError as exc:
        _fail(f"{path}: {exc.summary}", exc.problems)
        return EXIT_UNREADABLE if isinstance(exc, UnreadableSessionError) else EXIT_INVALID
    return result


def _assess(options: argparse.Namespace):
    """(assessment, content) of the session named by FILE or --demo, or an exit code after explaining."""
    from trd_tui.clinical.assess import assess
    from trd_tui.storage.sessionfile import load_demo

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
    return assess(session, content, region=_region(options)), content


def _region(options: argparse.Namespace) -> str:
    """--region, else the preferences' region (whose problems are explained, not fatal)."""
    from trd_tui.storage.config import load_config

    if options.region is not None:
        return options.region  # checked by argparse
    config, problems = load_config()
    for problem in problems:
        print(f"trd-tui: preferences: {problem}", file=sys.stderr)
    return config.region


def _summary(options: argparse.Namespace) -> int:
    from trd_tui.export.formats import render

    assessed = _assess(options)
    if isinstance(assessed, int):
        return assessed
    sys.stdout.write(render(options.format, *assessed))
    return EXIT_OK


def _export(options: argparse.Namespace) -> int:
    from trd_tui.export.formats import render
    from trd_tui.storage.atomic import SaveError, write_private

    output = options.output
    if output is not None and (refusal := _refuse_output(output, options)):
        _fail(f"{output}: {refusal}")
        return EXIT_UNREADABLE
    assessed = _assess(options)
    if isinstance(assessed, int):
        return assessed
    text = render(options.format, *assessed, include_identifiers=options.include_identifiers)
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_private(output, text.encode("utf-8"))
    except SaveError as exc:
        _fail(f"{output}: {exc}")
        return EXIT_UNREADABLE
    print(printable(f"wrote {output}"))
    return EXIT_OK


def _refuse_output(output: Path, options: argparse.Namespace) -> str | None:
    """Why ``export -o OUT`` must not write OUT: no session file, and no other file without --force."""
    from trd_tui.storage.sessionfile import looks_like_session

    if options.file is not None and output.resolve() == options.file.resolve():
        return "is the session file itself; choose another output file"
    if not (output.exists() or output.is_symlink()):
        return None
    if looks_like_session(output):
        return "is a session file; export never writes over one, even with --force"
    return None if options.force else "already exists; add --force to replace it"


def _check(options: argparse.Namespace) -> int:
    content = _load_content(options.content)
    if content is None:
        return EXIT_UNREADABLE
    result = _read(options.file, content)
    if isinstance(result, int):
        return result
    for warning in result.warnings:
        print(f"warning: {warning}")
    print(printable(f"{options.file}: valid ({len(result.warnings)} warning(s))"))
    return EXIT_OK


def _content_check(options: argparse.Namespace) -> int:
    from trd_tui.pack.load import check_content, resolve_folder

    folder = resolve_folder(options.folder)
    problems = check_content(folder)
    for problem in problems:
        print(problem)
    if problems:
        print(printable(f"{folder}: {len(problems)} problem(s)"), file=sys.stderr)
        return EXIT_INVALID
    print(printable(f"{folder}: content pack is valid"))
    return EXIT_OK


def _serve(options: argparse.Namespace) -> int:
    # Checked here once: a broken pack would otherwise end every tab's app at its start.
    if _load_content(options.content) is None:
        return EXIT_UNREADABLE
    from trd_tui.ui.serve import serve  # textual-serve and aiohttp load only for this command

    return serve(served_app_arguments(options), host=options.host, port=options.port, max_sessions=options.max_sessions)


def served_app_arguments(options: argparse.Namespace) -> list[str]:
    """The ``trd-tui`` arguments each served tab runs: the same session and options as given."""
    args = ["--demo"] if options.demo else []
    if options.share:
        args.append("--share")
    for flag, value in (("--autosave", options.autosave), ("--config", options.config), ("--content", options.content)):
        if value is not None:
            args += [flag, str(value)]
    if options.file is not None:
        args += ["--", str(options.file)]  # "--": a file named like an option or a command stays a file
    return args


def _open_app(options: argparse.Namespace) -> int:
    app = build_app(options)
    if isinstance(app, int):
        return app
    app.run()
    return app.return_code or EXIT_OK  # 1 after an unexpected error


def build_app(options: argparse.Namespace):
    """The app for a file (new if absent), the demo, or a blank session; or an exit code.

    Separate from running it so the benchmarks start exactly what the command line starts.
    """
    # Building the app imports Textual and makes tens of thousands of objects that live as
    # long as the app; looking through them for garbage found none, slowing the start. They are
    # set aside (gc.freeze) once built, so no later collection looks through them either.
    gc.collect()  # first, so that no garbage is set aside with them
    gc.disable()
    try:
        return _build_app(options)
    finally:
        gc.freeze()
        gc.enable()


def _build_app(options: argparse.Namespace):
    import datetime as dt

    from trd_tui.document import Document
    from trd_tui.storage.sessionfile import SessionFileError

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
    from trd_tui.storage.config import load_config

    config, config_problems = load_config(options.config)
    from trd_tui.ui.app import TrdApp  # Textual only loads for the app itself

    return TrdApp(
        document,
        content,
        today=today,
        startup_problem=problem,
        autosave_seconds=options.autosave or config.autosave_seconds,
        config=config,
        config_path=options.config,
        config_problems=config_problems,
        sharing=options.share,
    )


def app_options(argv: list[str]) -> argparse.Namespace:
    """Parse the options of ``trd-tui [FILE]`` (for the benchmarks)."""
    return _parser().parse_args(argv)
