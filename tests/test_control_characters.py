"""No text from a file acts on the terminal: control and bidi characters are shown, never sent raw.

The attack (issue 13, finding 2): escape sequences in a note cleared the screen, rewrote the
header, wrote the clipboard (OSC 52) and set the window title (OSC 2); U+202E reversed a line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
import tomli
import tomli_w
from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from textual.widgets import Static

from trd_tui.storage import sessionfile
from trd_tui.clinical.assess import assess
from trd_tui.document import Document
from trd_tui.model import ChecklistEntry, OptionNote, OptionStatus, Trial, with_visit
from trd_tui.text import UNSAFE, json_safe, printable, toml_may_hold_unsafe, unsafe_paths
from trd_tui.ui.internals.visible_controls import VISIBLE_CONTROLS
from ui_helpers import content, make_app, screen_text

ROOT = Path(__file__).parent.parent
# Clear the screen, write the clipboard, retitle the window, reverse what follows.
ATTACK = "\x1b[2J\x1b]52;c;cHduZWQ=\x07\x1b]2;pwned\x07\u202e"
RAW = re.compile(r"\x1b\[2J|\x1b\]|\x07|[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile(text: str) -> str:
    return text + ATTACK


def attacked_session():
    """The demo with the attack in every text field, a free-text treatment and an unknown key."""
    s = sessionfile.load_demo()
    s = with_visit(
        s,
        clinician=hostile(s.visit.clinician),
        checklist={k: attrs.evolve(e, note=hostile(e.note)) for k, e in s.checklist.items()}
        | {"psychotherapy": ChecklistEntry(note=hostile("none yet"))},
        options=(*s.options, OptionNote("ect", OptionStatus.DISCUSSED, hostile("asked about memory"))),
        plan=attrs.evolve(s.plan, text=hostile(s.plan.text)),
    )
    return attrs.evolve(
        s,
        patient=attrs.evolve(s.patient, label=hostile(s.patient.label), record_id=hostile("MRN-1")),
        episode=attrs.evolve(s.episode, note=hostile(s.episode.note)),
        trials=(
            *(attrs.evolve(t, note=hostile(t.note), stop_reason=hostile(t.stop_reason)) for t in s.trials),
            Trial(treatment=hostile("herbal tea"), start=s.visit_date, side_effects=(hostile("nausea"),)),
        ),
        extra={"imported_from": hostile("old system")},
    )


@pytest.fixture(scope="module")
def attacked_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("attack") / "attack.toml"
    sessionfile.save_session(attacked_session(), path)
    return path


def trd_tui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trd_tui", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def drawn(app) -> str:
    """What the driver would write for the whole screen now: text and Textual's own sequences."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def test_printable_shows_every_control_and_bidi_character_and_keeps_lines_and_tabs() -> None:
    assert printable("a\x1b[2J\x9d\u202eb\u2066\u200f") == "a\\x1b[2J\\x9d\\u202eb\\u2066\\u200f"
    assert printable("line\n\tnext é 日本") == "line\n\tnext é 日本"
    assert printable(printable(ATTACK)) == printable(ATTACK)  # shown once, not escaped again


async def test_the_screen_shows_the_attack_as_text_and_still_tells_the_truth(attacked_file: Path) -> None:
    clean = assess(sessionfile.load_demo(), content())
    app = make_app(document=Document.open(attacked_file, content()))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        seen = ""
        for key in ("1", "2", "3", "4", "f4", "escape", "f2", "escape"):
            await pilot.press(key)
            await pilot.pause(0.3)
            output = drawn(app)
            assert not RAW.search(output), (key, RAW.search(output))
            assert not UNSAFE.search(screen_text(app)), key
            seen += screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        screen = screen_text(app)
    # The header and the crisis banner say what the clean file says: nothing was overwritten.
    trd = clean.trd
    # (in the header's short labels, at 120 columns)
    assert f"TRD {'yes' if trd.meets_definition else 'no'} ({trd.failed_adequate_antidepressants})" in screen
    assert "⚠ SAFETY" in screen and "Crisis (US): " + clean.crisis[0].contact in screen
    assert "Demo patient (fictional)\\x1b[2J" in screen  # the label, its escapes visible
    assert "\\x1b]52;c;" in seen and "\\u202e" in seen


async def test_a_control_character_that_reaches_a_widget_raw_is_drawn_visibly() -> None:
    # The last guard: even text shown without printable() never reaches the driver raw.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        raw = Static("a\x1b[2Jb\u202ec|", id="raw")
        raw.styles.dock = "top"
        await app.screen.mount(raw)
        await pilot.pause()
        assert "a␛[2Jb�c|" in screen_text(app)  # visible
        assert not RAW.search(drawn(app))
        assert all(len(line) == 80 for line in screen_text(app).splitlines())  # every line keeps its width


def test_the_filter_keeps_a_line_as_wide_as_it_was() -> None:
    line = [Segment("ab\x1bcd\u202e"), Segment("  ")]
    shown = VISIBLE_CONTROLS.apply(line, None)
    assert "".join(s.text for s in shown) == "ab␛cd�"  # zero-width before, one cell each now: cropped
    clean = [Segment("plain")]
    assert VISIBLE_CONTROLS.apply(clean, None) is clean


@pytest.mark.e2e  # runs trd-tui
def test_check_names_every_field_with_control_characters(attacked_file: Path) -> None:
    result = trd_tui("check", str(attacked_file))
    assert result.returncode == 0, result.stderr
    assert not RAW.search(result.stdout + result.stderr)
    flagged = {line.removeprefix("warning: ").split(": ")[0] for line in result.stdout.splitlines() if "control characters" in line}
    now = f"visits[{len(attacked_session().visits) - 1}]"  # the current visit
    expected = {
        f"{now}.clinician", "patient.label", "patient.record_id", "episode.note", f"{now}.checklist.dose.note",
        f"{now}.checklist.psychotherapy.note", "trials[0].note", "trials[0].stop_reason", f"{now}.plan.text", "imported_from",
    }
    trials = len(attacked_session().trials)
    expected |= {f"trials[{trials - 1}].treatment", f"trials[{trials - 1}].side_effects[0]"}
    assert expected <= flagged, expected - flagged
    assert flagged == set(unsafe_paths(sessionfile.to_toml_dict(attacked_session())))


def test_a_clean_file_has_no_control_character_warning() -> None:
    demo = sessionfile.load_demo()
    assert not [w for w in sessionfile.warnings(demo, sessionfile.to_toml_dict(demo)) if "control" in w.message]


@pytest.mark.e2e  # runs trd-tui
@pytest.mark.parametrize(
    "args",
    [
        ("summary",), ("summary", "--format", "json"), ("summary", "--format", "text"), ("export", "--format", "markdown"),
        ("export", "--format", "text"), ("export", "--format", "json"), ("export", "--format", "fhir", "--include-identifiers"),
    ],
)
def test_summary_and_export_show_the_attack_as_text(attacked_file: Path, args: tuple[str, ...]) -> None:
    result = trd_tui(*args, str(attacked_file))
    assert result.returncode == 0, result.stderr
    assert not RAW.search(result.stdout), RAW.search(result.stdout)
    assert not UNSAFE.search(result.stdout)
    if "json" in args:
        # Escaped the JSON way: a JSON reader still gets exactly what the file holds.
        assert json.loads(result.stdout)["plan"]["text"] == attacked_session().plan.text
    elif "fhir" not in args:
        assert "x1b" in result.stdout and "2;pwned" in result.stdout  # shown, as escapes


@pytest.mark.e2e  # runs trd-tui
@pytest.mark.parametrize(
    ("file", "old", "where"),
    [
        ("treatments.toml", 'name = "Sertraline"', 'treatments.toml: treatment[4] "sertraline".name'),
        ("rules.toml", 'contact = "Call or text 988"', "rules.toml: crisis[0].contact"),
    ],
)
def test_content_check_refuses_a_pack_with_control_characters_and_names_the_field(
    tmp_path: Path, file: str, old: str, where: str
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "content", pack)
    text = (pack / file).read_text(encoding="utf-8")
    (pack / file).write_text(text.replace(old, old[:-1] + '\\u001b]2;pwned\\u0007\\u202e"', 1), encoding="utf-8")
    result = trd_tui("content", "check", str(pack))
    assert result.returncode == 1
    assert f"{where}: control or bidi characters" in result.stdout
    assert not RAW.search(result.stdout + result.stderr)


def test_json_escaping_changes_nothing_a_reader_gets() -> None:
    data = {"note": "a\x1b\x9d\u202e\u2067b é"}
    assert json.loads(json_safe(json.dumps(data, ensure_ascii=False))) == data


@pytest.mark.e2e  # runs trd-tui
def test_error_messages_show_a_file_name_with_control_characters_as_text(tmp_path: Path) -> None:
    bad = tmp_path / "x\x1b]2;pwned\x07.toml"
    bad.write_text("not toml [")
    result = trd_tui("check", str(bad))
    assert result.returncode in (1, 2)
    assert not RAW.search(result.stdout + result.stderr) and "\\x1b]2;pwned" in result.stderr


# Strings as a file may hold them: mostly plain, with control, bidi and escape-worthy characters mixed in
# (no lone surrogates: a file is read as UTF-8, which cannot hold them).
_file_text = st.text(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from("\x1b\x9b\r\b\f\x7f\u202e\u2066\"\\\n\t")))


@given(key=_file_text, value=_file_text, escaped=st.booleans())
def test_only_text_without_a_control_character_or_its_escape_skips_the_walk(key: str, value: str, escaped: bool) -> None:
    # The walk over a file's values is skipped only when its text cannot hold such a character:
    # whether tomli-w wrote it raw or as an escape, or a person typed any TOML escape for it.
    text = tomli_w.dumps({key: value, "t": {"k": [value]}})
    if escaped:
        text += 'e = "' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in value if c not in '"\\') + '"\n'
    flagged = unsafe_paths(tomli.loads(text))
    assert not flagged or toml_may_hold_unsafe(text)


@pytest.mark.parametrize("escape", ["\\b", "\\f", "\\r", "\\u001b", "\\U0000202E", "\\u009b"])
def test_each_toml_escape_of_a_control_character_is_caught(escape: str) -> None:
    text = f'note = "dose {escape} 20 mg"\n'
    assert unsafe_paths(tomli.loads(text)) == ["note"]
    assert toml_may_hold_unsafe(text)
    assert not toml_may_hold_unsafe('note = "dose\\t20 mg\\nnext line"\n')
