"""What each ``trd-tui`` command does, once trd_tui.cli has parsed its command line.

Each ``run_*`` function takes the parsed options and returns the exit code. Bad input
gets a clear message on stderr, never a traceback. Only ``run_app`` and ``run_serve``
import Textual (the app and the browser server need it).

Exit codes: 0 fine; 1 invalid input (every problem listed); 2 unreadable
input or an output file that cannot be written; 64 a bad command line (EX_USAGE of
sysexits.h, with the usage printed: trd_tui.cli).
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trd_tui.text import printable

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 64


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
    if getattr(options, "visit", None) is not None:
        from trd_tui.model import as_of

        try:
            session = as_of(session, options.visit)
        except ValueError as exc:
            _fail(str(exc))
            return EXIT_INVALID
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


def run_visits(options: argparse.Namespace) -> int:
    from trd_tui.clinical.since import visit_history

    assessed = _assess(options)
    if isinstance(assessed, int):
        return assessed
    assessment, content = assessed
    for row in visit_history(assessment.session, content):
        print(row)
    return EXIT_OK


def run_summary(options: argparse.Namespace) -> int:
    from trd_tui.export.formats import render

    assessed = _assess(options)
    if isinstance(assessed, int):
        return assessed
    sys.stdout.write(render(options.format, *assessed))
    return EXIT_OK


def run_export(options: argparse.Namespace) -> int:
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


def run_check(options: argparse.Namespace) -> int:
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


def run_content_check(options: argparse.Namespace) -> int:
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


def run_serve(options: argparse.Namespace) -> int:
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


def run_app(options: argparse.Namespace) -> int:
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
