"""One definition of a valid file: check lists every problem at once, and the limits hold everywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from test_sessionfile import example_toml
from trd_tui import cli, commands
from trd_tui.storage import sessionfile
from trd_tui.storage import validate

DOCS = Path(__file__).parent.parent / "docs" / "session-format.md"


def check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["check", str(path)])
    out, err = capsys.readouterr()
    return code, [line.strip() for line in (out + err).splitlines()]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "visit.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def changed(*edits: tuple[str, str]) -> str:
    text = example_toml()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


SECOND_TRIAL = """
[[trials]]
treatment = ""
dose_mg = 99999
start = "2025"
"""
SECOND_MEASUREMENT = """
[[measurements]]
date = 2030-01-01
instrument = "PHQ-9"
score = -1
"""
MANY_PROBLEMS = changed(
    ("created = 2026-11-20T09:12:00Z", 'created = "yesterday"'),
    ("updated = 2026-11-20T09:40:00Z", "updated = 0001-01-01T00:00:00+01:00"),
    ("birth_year = 1984", "birth_year = 1850"),
    ('sex = "female"', 'sex = "f"'),
    ("onset = 2025-06-01", "onset = 2027-01-01"),
    ('status = "concern"', 'status = "bad"'),
    ("dose_mg = 150", "dose_mg = -5"),
    ("end = 2025-09-15", "end = 2025-01-01"),
    ('adherence = "good"', 'adherence = "great"'),
    ("items = [3, 2, 2, 2, 2, 2, 3, 2, 1]", "items = [3, 2, 2, 2, 2, 2, 3, 2, 9]"),
    ('status = "discussed"', "status = 3"),
    ("next_review = 2026-12-18", "next_review = 1800-01-01"),
    ("[[measurements]]", SECOND_TRIAL + "\n[[measurements]]"),
    ("[[options]]", SECOND_MEASUREMENT + "\n[[options]]"),
    ('version = 1\n', 'version = 1\ndeep = ' + "[" * 40 + "1" + "]" * 40 + "\n"),
)


def test_check_lists_every_problem_in_one_run_type_and_value_together(tmp_path: Path, capsys) -> None:
    """Finding 6: a file with many problems showed only its type errors; the rest came run by run."""
    code, lines = check(write(tmp_path, MANY_PROBLEMS), capsys)
    assert code == commands.EXIT_INVALID
    assert lines[1:] == [
        "session.created: expected a UTC date and time written YYYY-MM-DDTHH:MM:SSZ",
        "session.updated: must be between 1900-01-01 and 2100-12-31 (in UTC)",
        "patient.sex: must be one of female | male | other | unspecified, got 'f'",
        "patient.birth_year: must be between 1900 and 2026",
        "episode.onset: after the visit date",
        "checklist.sleep.status: must be one of unreviewed | no-concern | concern | follow-up, got 'bad'",
        "trials[0].adherence: must be one of good | partial | poor | unknown, got 'great'",
        "trials[0].dose_mg: must be more than 0 and at most 10000 mg/day",
        "trials[0].end: before start",
        "trials[0].dose_reached: after end",
        "trials[1].start: expected a date written YYYY-MM-DD, got text",
        "trials[1].treatment: is empty",
        "trials[1].dose_mg: must be more than 0 and at most 10000 mg/day",
        "measurements[0].items[8]: answers run from 0 to 3",
        "measurements[1].date: after the visit date (2026-11-20)",
        "measurements[1].score: PHQ-9 totals run from 0 to 27",
        "options[0].status: must be one of considered | discussed | preferred | planned | started | stopped | declined, got a whole number",
        "plan.next_review: must be between 1900-01-01 and 2100-12-31",
        f"deep: nested more than {validate.MAX_NESTING} deep",
    ]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("start = 2025-06-10", "start = 0001-01-01"), "trials[0].start: must be between 1900-01-01 and 2100-12-31"),
        (("end = 2025-09-15", "end = 9999-12-31"), "trials[0].end: must be between 1900-01-01 and 2100-12-31"),
        (("created = 2026-11-20T09:12:00Z", "created = 0001-01-01T00:00:00+01:00"), "session.created: must be between"),
        (("updated = 2026-11-20T09:40:00Z", "updated = 9999-12-31T23:59:59-01:00"), "session.updated: must be between"),
        (("updated = 2026-11-20T09:40:00Z", "updated = 1900-01-01T00:30:00+01:00"), "session.updated: must be between"),
        (("dose_mg = 150", "dose_mg = " + "9" * 400), "trials[0].dose_mg: whole number too large"),
        (("dose_mg = 150", "dose_mg = 1e300"), "trials[0].dose_mg: must be more than 0 and at most 10000"),
        (("score = 19", "score = 1e300"), "measurements[0].score: PHQ-9 totals run from 0 to 27"),
        (('instrument = "PHQ-9"', 'instrument = "HOMEMADE"'), "measurements[0].items: answers must be from 0 to 1000"),
        (("birth_year = 1984", "birth_year = " + "9" * 400), "patient.birth_year: whole number too large"),
        (('clinician = "Dr R. Osei"', "clinician = 1\nfuture = " + "9" * 30), "session.future: whole number too large"),
    ],
)
def test_values_that_crashed_summary_are_refused_by_check_and_load(
    tmp_path: Path, capsys, edit: tuple[str, str], problem: str
) -> None:
    """Finding 5: check passed dates near the ends of the calendar, huge numbers and odd scales; summary crashed."""
    text = changed(edit)
    if "HOMEMADE" in text:  # an unknown scale is allowed, with its items within the limit for any scale
        text = text.replace("items = [3, 2, 2, 2, 2, 2, 3, 2, 1]", "items = [3, 2, 2, 2, 2, 2, 3, 2, 1001]")
    path = write(tmp_path, text)
    code, lines = check(path, capsys)
    assert code == commands.EXIT_INVALID and any(line.startswith(problem) for line in lines), lines
    assert cli.main(["summary", str(path)]) == commands.EXIT_INVALID


def test_a_five_thousand_digit_number_is_explained_not_a_traceback(tmp_path: Path, capsys) -> None:
    """Python refuses int() of more than 4300 digits; that surfaced as a ValueError traceback."""
    code, lines = check(write(tmp_path, changed(("dose_mg = 150", "dose_mg = " + "9" * 5000))), capsys)
    assert code == commands.EXIT_UNREADABLE
    assert lines[1] == "(file): a whole number far too large (whole numbers must fit in 64 bits)"


def test_an_unknown_scale_is_a_warning_and_opens_in_summary(tmp_path: Path, capsys) -> None:
    text = changed(('instrument = "PHQ-9"', 'instrument = "HOMEMADE"'))
    code, lines = check(write(tmp_path, text), capsys)
    assert code == commands.EXIT_OK
    assert any("measurements[0].instrument: 'HOMEMADE' is not an instrument of the content pack" in x for x in lines)
    assert cli.main(["summary", str(tmp_path / "visit.toml")]) == commands.EXIT_OK
    assert "HOMEMADE" in capsys.readouterr().out


def run_check(path: Path | str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "trd_tui", "check", str(path)], capture_output=True, text=True, timeout=30, env=env
    )


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    """Finding 5: a FIFO hung every command; /dev/zero exhausted memory."""
    if kind == "fifo":
        path = tmp_path / "visit.toml"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero") if kind == "device" else tmp_path
    result = run_check(path)  # the timeout fails the test if it waits for a writer or reads forever
    assert result.returncode == commands.EXIT_UNREADABLE and "Traceback" not in result.stderr
    assert f"not a regular file (a {dict(fifo='FIFO').get(kind, kind)})" in result.stderr


def test_a_file_over_the_limit_is_refused_after_reading_one_byte_more(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as f:  # sparse: no disk used
        f.truncate(1 << 30)
    tracemalloc.start()
    try:
        with pytest.raises(sessionfile.UnreadableSessionError) as caught:
            sessionfile.read_session(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value.problems[0]) == "(file): larger than 8 MiB; a session file is far smaller"
    assert peak < 3 * validate.MAX_FILE_BYTES  # read 8 MiB + 1, never the gigabyte
    path.write_bytes(example_toml().encode() + b"#" * (validate.MAX_FILE_BYTES - len(example_toml().encode())))
    assert sessionfile.read_session(path).session.patient.label == "Patient A"  # exactly the limit is fine


def limits_section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    return text.split("## Limits", 1)[1].split("\n## ", 1)[0]


def test_the_format_doc_states_the_limits_the_code_applies() -> None:
    from trd_tui.pack.load import load_content

    doc = limits_section()
    phq9 = load_content(None).instrument("PHQ-9")
    assert phq9 is not None
    stated = [
        f"from {validate.MIN_DATE.isoformat()} to {validate.MAX_DATE.isoformat()}",
        f"({validate.MIN_INT} to {validate.MAX_INT})",
        f"at most {validate.MAX_DOSE_MG} mg/day",
        f"(PHQ-9: {phq9.max_score})",
        f"(PHQ-9: 0 to {len(phq9.answers) - 1})",
        f"from 0 to {validate.MAX_SCORE}",
        f"at most {validate.MAX_NESTING} deep",
        f"at most {validate.MAX_FILE_BYTES // (1024 * 1024)} MiB",
        f"from {validate.MIN_DATE.year} to the visit year",
    ]
    missing = [s for s in stated if s not in doc]
    assert not missing, missing
    # Every limit constant of the module is in the list above, so a new one needs its line in the doc.
    constants = {name for name in vars(validate) if re.fullmatch(r"(MIN|MAX)_[A-Z_]+", name)}
    assert constants == {"MIN_DATE", "MAX_DATE", "MIN_INT", "MAX_INT", "MAX_DOSE_MG", "MAX_SCORE", "MAX_NESTING", "MAX_FILE_BYTES"}
