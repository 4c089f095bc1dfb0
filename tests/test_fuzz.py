"""Seeded mutation of the demo file, as an attacker or a damaged disk would make them.

Each case is a mutated demo file: byte flips, truncation, type swaps, huge and
out-of-range values, deep nesting, control and bidi characters, dropped and
repeated lines. For every case, in this process:

* reading it (exactly what ``trd-tui check`` and the app do) either succeeds or
  raises one of the documented errors (:class:`SessionFileError`), never anything
  else, and never hangs;
* a file it accepts opens in every format of the export table (``summary``,
  ``export`` and the app's palette: Markdown, JSON, text, FHIR; with and without
  identifiers), the app's document load (Document.open, assessment, the summary
  while sharing, the timeline chart) and saves again: what is written reads back equal.

A smaller sample runs the real command line to check exit codes and stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_hostile_input import put
import tomli_w

from trd_tui import commands
from trd_tui.clinical.assess import assess
from trd_tui.pack.load import load_content
from trd_tui.document import Document, read_checked
from trd_tui.export.formats import FORMATS
from trd_tui.export.summary import to_markdown
from trd_tui.privacy import Privacy
from trd_tui.storage import sessionfile
from trd_tui.storage.sessionfile import InvalidSessionError, UnreadableSessionError
from trd_tui.ui.widgets.timeline_chart import timeline_chart

DEMO = (Path(__file__).parent.parent / "trd_tui" / "demo.toml").read_text(encoding="utf-8")
DEMO_DATA = tomllib.loads(DEMO)
CASES = 2000
SEED = 13
HANG_SECONDS = 5  # one case of a few KB takes milliseconds; anything near this is a hang

CONTROLS = ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]0;title\x07", "\x07", "\x00", "\x85", "\x9b31m", "\r"]
BIDI = ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\ufeff"]
HUGE_AND_ODD = [
    0, -1, 1, 2**63, -(2**63) - 1, 2**63 - 1, 10**400, 1e308, -1e308, 1e-320, -0.0, float("nan"), float("inf"),
    dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1899, 12, 31), dt.date(2101, 1, 1), dt.date(1900, 1, 1),
    dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-1))),
    dt.datetime(1900, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    dt.datetime(2100, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1))),
    dt.datetime(2026, 1, 1, 9, 0), dt.time(9, 0), "", " ", "x" * 10_000, [], {}, [[]], True, False,
]


class Hang(Exception):
    pass


# -- mutations --------------------------------------------------------------------------


def leaves(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path in the demo data, inner nodes included, to put a wrong value at."""
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*prefix, i))


PATHS = [p for p in leaves(DEMO_DATA) if p[0] not in ("format", "version")]


def dump(data: Any) -> bytes:
    try:
        return tomli_w.dumps(data).encode()
    except (TypeError, ValueError):  # a value TOML cannot hold (a time, an empty key path...): try another
        return DEMO.encode()


def byte_flips(rng: random.Random) -> bytes:
    data = bytearray(DEMO.encode())
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def truncation(rng: random.Random) -> bytes:
    return DEMO.encode()[: rng.randrange(len(DEMO))]


def type_swap(rng: random.Random) -> bytes:
    path = rng.choice(PATHS)
    value = rng.choice([1, 1.5, True, "text", dt.date(2025, 1, 1), [1, 2], {"a": 1}, ["x"], [{"a": 1}]])
    return dump(put(DEMO_DATA, path, value))


def huge_or_out_of_range(rng: random.Random) -> bytes:
    return dump(put(DEMO_DATA, rng.choice(PATHS), rng.choice(HUGE_AND_ODD)))


def huge_number_text(rng: random.Random) -> bytes:
    """Numbers tomli_w would never write: thousands of digits, or at the 4300-digit limit."""
    digits = rng.choice([20, 400, 4300, 4301, 5000])
    target = rng.choice(["dose_mg = 20", "score = 21", "birth_year = 1981", "version = 1"])
    return DEMO.replace(target, target.split(" = ")[0] + " = " + "9" * digits, 1).encode()


def deep_nesting(rng: random.Random) -> bytes:
    depth = rng.choice([1, 31, 32, 33, 100, 250, 999, 1001, 5000])
    open_, close = rng.choice([("[", "]"), ("{a = ", "}")])
    line = "deep = " + open_ * depth + "1" + close * depth + "\n"
    anchor = rng.choice(["[patient]\n", "[episode]\n", "[visits.plan]\n", "[[trials]]\n"])
    return DEMO.replace(anchor, anchor + line, 1).encode()


def deep_dotted_keys(rng: random.Random) -> bytes:
    depth = rng.choice([32, 33, 400])
    return DEMO.replace("[episode]\n", "[episode]\n" + ".".join(["k"] * depth) + " = 1\n", 1).encode()


def control_or_bidi(rng: random.Random) -> bytes:
    texts = [p for p in PATHS if isinstance(_get(DEMO_DATA, p), str)]
    path = rng.choice(texts)
    value = _get(DEMO_DATA, path)
    cut = rng.randint(0, len(value))
    return dump(put(DEMO_DATA, path, value[:cut] + rng.choice(CONTROLS + BIDI) + value[cut:]))


def lines_shuffled(rng: random.Random) -> bytes:
    lines = DEMO.splitlines(keepends=True)
    i = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[i]
    else:
        lines.insert(rng.randrange(len(lines)), lines[i])  # a repeated key or table
    return "".join(lines).encode()


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


MUTATIONS: list[Callable[[random.Random], bytes]] = [
    byte_flips, truncation, type_swap, huge_or_out_of_range, huge_number_text, deep_nesting, deep_dotted_keys,
    control_or_bidi, lines_shuffled,
]


def cases(count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed)
    for i in range(count):
        mutation = MUTATIONS[i % len(MUTATIONS)]
        yield mutation.__name__, mutation(rng)


# -- the property ------------------------------------------------------------------------


def opens_everywhere_and_saves_again(path: Path, content: Any, tmp: Path) -> None:
    """What `check` accepts opens in summary, export and the app, and saves again equal."""
    document = Document.open(path, content)
    assessment = assess(document.session, content)
    for export in FORMATS.values():  # summary, export and the app's palette share this table
        for identifiers in (False, True):
            export.render(assessment, content, identifiers)
    sharing = Privacy.for_session(document.session, True)
    to_markdown(assessment, content, sharing)  # the summary pane while sharing
    for privacy in ({}, {"privacy": sharing}):
        timeline_chart(assessment, 80, content=content, **privacy)
    text = sessionfile.dumps(document.session)
    assert sessionfile.parse(text) == document.session
    document.apply(document.session, "nothing")
    saved = document.save(tmp / "saved.toml")
    assert read_checked(saved, content).session == document.session


def outcome(data: bytes, tmp: Path, content: Any) -> str:
    path = tmp / "case.toml"
    path.write_bytes(data)
    try:
        read_checked(path, content)  # what check, summary, export and the app read with
    except UnreadableSessionError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return "unreadable"
    except InvalidSessionError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return "invalid"
    opens_everywhere_and_saves_again(path, content, tmp)
    return "accepted"


def _alarm(*_: Any) -> None:
    raise Hang


@pytest.mark.fuzz
def test_mutated_demo_files_are_refused_or_open_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Saves run whole but without waiting for the disk: durability is tests/test_save_safety.py's.
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    content = load_content(None)
    counts: Counter[str] = Counter()
    crashes: list[str] = []
    hangs: list[str] = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for i, (mutation, data) in enumerate(cases(CASES, SEED)):
            signal.alarm(HANG_SECONDS)
            try:
                counts[outcome(data, tmp_path, content)] += 1
            except Hang:
                hangs.append(f"case {i} ({mutation})")
            except Exception as exc:  # anything but the documented errors is a crash
                crashes.append(f"case {i} ({mutation}): {type(exc).__name__}: {str(exc)[:200]}")
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    print(f"\nfuzz: {CASES} cases, {dict(counts)}, {len(crashes)} crashes, {len(hangs)} hangs")
    assert not crashes and not hangs, crashes[:10] + hangs[:10]
    assert sum(counts.values()) == CASES
    # Enough of each outcome that the property and the refusals are both exercised.
    assert min(counts["accepted"], counts["invalid"], counts["unreadable"]) >= 150, counts


EXIT_FOR = {"accepted": commands.EXIT_OK, "invalid": commands.EXIT_INVALID, "unreadable": commands.EXIT_UNREADABLE}


@pytest.mark.fuzz
def test_the_command_line_gives_the_documented_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    """A sample through the real command line: exit 0, 1 or 2 as `trd-tui check --help` says."""
    content = load_content(None)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    help_text = subprocess.run(
        [sys.executable, "-m", "trd_tui", "check", "--help"], capture_output=True, text=True, env=env, timeout=60
    ).stdout
    assert "exit 0 valid, 1 invalid, 2 unreadable" in " ".join(help_text.split())
    seen = set()
    for i, (mutation, data) in enumerate(cases(180, SEED + 1)):
        if i % 10:  # every tenth case: a subprocess per case is slow
            continue
        expected = outcome(data, tmp_path, content)
        path = tmp_path / f"sample{i}.toml"
        path.write_bytes(data)
        path.chmod(0o600)
        for command in ("check", "summary"):
            result = subprocess.run(
                [sys.executable, "-m", "trd_tui", command, str(path)], capture_output=True, text=True, env=env, timeout=60
            )
            assert "Traceback" not in result.stderr, (mutation, result.stderr[-2000:])
            assert result.returncode == EXIT_FOR[expected], (mutation, command, result.stderr[-500:])
        seen.add(expected)
    assert seen == set(EXIT_FOR)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_each_mutation_changes_the_file(mutation: Callable[[random.Random], bytes]) -> None:
    """A mutation that always returned the demo would test nothing."""
    rng = random.Random(SEED)
    assert any(mutation(rng) != DEMO.encode() for _ in range(20))
