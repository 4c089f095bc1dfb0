"""Hostile and broken files: the loader and `check` explain, never crash, never run anything."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_sessionfile import example_toml, problems_of
from trd_tui.storage import sessionfile, validate
from trd_tui.storage.sessionfile import SessionFileError

EXAMPLE = tomllib.loads(example_toml())
NASTY_TEXT = [
    "[red]x[/]",
    "[/]",
    "[@click=app.quit]quit[/]",
    "\x1b[2J\x1b]0;pwned\x07",
    "\u202eevil\u202c",  # right-to-left override
    "e\u0301\u0301\u0301",  # combining marks
    "\x00\x07\x08",
    "x" * 1_000_000,
]


def load(text: str) -> None:
    """Parse; the only acceptable failure is a SessionFileError with located problems."""
    try:
        sessionfile.parse(text)
    except SessionFileError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


@given(st.binary(max_size=2000))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_random_bytes_never_crash_the_loader(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("b") / "x.toml"
    path.write_bytes(data)
    try:
        sessionfile.read_session(path)
    except SessionFileError as exc:
        assert exc.problems


@given(st.integers(0, len(example_toml())))
def test_truncated_files_are_explained(cut: int) -> None:
    load(example_toml()[:cut])


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every leaf path in the example, to put a wrong value at each."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in paths(v, (*prefix, k))]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [p for i, v in enumerate(value) for p in paths(v, (*prefix, i))]
    return [prefix]


def put(data: Any, path: tuple, value: Any) -> Any:
    import copy

    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return data


WRONG_VALUES = st.one_of(
    st.integers(), st.floats(allow_nan=True), st.booleans(), st.text(max_size=20), st.dates(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(st.sampled_from(paths(EXAMPLE)), WRONG_VALUES)
@settings(max_examples=300)
def test_a_wrong_type_in_any_field_is_explained(path: tuple, value: Any) -> None:
    load(tomli_w.dumps(put(EXAMPLE, path, value)))


@pytest.mark.parametrize("text", NASTY_TEXT)
def test_nasty_text_in_every_text_field_loads_and_round_trips(text: str) -> None:
    data = EXAMPLE
    for path in paths(EXAMPLE):
        if path[-1] in ("note", "clinician", "label", "record_id", "stop_reason", "text"):
            data = put(data, path, text)
    try:
        session = sessionfile.parse(tomli_w.dumps(data))
    except SessionFileError as exc:  # control characters are refused by TOML itself
        assert exc.problems
        return
    assert session.patient.label == text
    assert sessionfile.parse(sessionfile.dumps(session)) == session


def test_deep_nesting_is_explained() -> None:
    deep = "x = " + "[" * 5000 + "]" * 5000
    load('format = "trd-session"\nversion = 1\n' + deep)


def nested(depth: int, leaf: Any = 1, *, kind: str = "table") -> Any:
    for _ in range(depth):
        leaf = {"n": leaf} if kind == "table" else [leaf]
    return leaf


@pytest.mark.parametrize("kind", ["table", "array"])
def test_unknown_keys_nested_up_to_the_limit_are_kept(kind: str) -> None:
    deep = nested(validate.MAX_NESTING, kind=kind)
    session = sessionfile.parse(tomli_w.dumps({**EXAMPLE, "deep": deep}))
    assert sessionfile.parse(sessionfile.dumps(session)).extra["deep"] == deep


@pytest.mark.parametrize("kind", ["table", "array"])
def test_unknown_keys_nested_deeper_are_refused_at_load_so_saves_never_fail(kind: str) -> None:
    """Finding 4: 250-deep arrays loaded, then every save and recovery write hit RecursionError."""
    deep = "[" * 250 + "1" + "]" * 250 if kind == "array" else "{n = " * 250 + "1" + "}" * 250
    text = example_toml().replace("[patient]\n", f"[patient]\ndeep = {deep}\n")
    assert problems_of(text) == [f"patient.deep: nested more than {validate.MAX_NESTING} deep"]
    text = tomli_w.dumps({**EXAMPLE, "deep": nested(validate.MAX_NESTING + 1, kind=kind)})
    assert problems_of(text) == [f"deep: nested more than {validate.MAX_NESTING} deep"]


@pytest.mark.parametrize("text", NASTY_TEXT[:5])
def test_check_prints_nasty_values_without_running_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps(put(EXAMPLE, ("trials", 0, "adherence"), text)))
    result = subprocess.run([sys.executable, "-m", "trd_tui", "check", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "trials[0].adherence: must be one of" in result.stderr


def test_escape_sequences_in_key_names_are_not_sent_to_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('"\\u001b]0;pwned\\u0007" = 1\n' + example_toml())
    for args in (["check", str(path)], ["summary", str(path)]):
        result = subprocess.run([sys.executable, "-m", "trd_tui", *args], capture_output=True, text=True, timeout=60)
        assert "\x1b" not in result.stdout + result.stderr
    assert "\\x1b]0;pwned\\x07: unknown key" in subprocess.run(
        [sys.executable, "-m", "trd_tui", "check", str(path)], capture_output=True, text=True, timeout=60
    ).stdout
