"""The command line as a user runs it: exit codes, messages, no tracebacks, no Textual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_sessionfile import example_toml

ROOT = Path(__file__).parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trd_tui", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "visit.toml"
    path.write_text(example_toml(), encoding="utf-8")
    return path


def test_check_valid_file_exits_0(session_file: Path) -> None:
    result = run("check", str(session_file))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_check_lists_every_problem_and_exits_1(session_file: Path) -> None:
    text = session_file.read_text().replace("end = 2025-09-15", "end = 2025-01-01").replace('"good"', '"great"')
    session_file.write_text(text)
    before = session_file.read_bytes()
    result = run("check", str(session_file))
    assert result.returncode == 1
    assert "trials[0].adherence: must be one of" in result.stderr
    assert "Traceback" not in result.stderr
    assert session_file.read_bytes() == before  # checking never changes the file


def test_check_not_toml_exits_2_with_line(session_file: Path) -> None:
    session_file.write_text("format = \n")
    result = run("check", str(session_file))
    assert result.returncode == 2
    assert "line 1" in result.stderr and "Traceback" not in result.stderr


def test_check_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "absent.toml"))
    assert result.returncode == 2 and "cannot be read" in result.stderr


def test_check_warns_about_unknown_keys_but_passes(session_file: Path) -> None:
    session_file.write_text("colour = 'blue'\n" + session_file.read_text())
    result = run("check", str(session_file))
    assert result.returncode == 0
    assert "warning: colour: unknown key, kept as it is" in result.stdout


def test_check_warns_about_each_free_text_treatment_with_its_closest_match(session_file: Path) -> None:
    text = session_file.read_text().replace('treatment = "sertraline"', 'treatment = "Welbutrin"')
    session_file.write_text(text + '\n[[trials]]\ntreatment = "fish oil"\nstart = 2025-01-01\n')
    result = run("check", str(session_file))
    assert result.returncode == 0, result.stderr  # free text is allowed, never silent
    assert (
        "warning: trials[0].treatment: 'Welbutrin' is free text, not in the content pack: "
        "not rated and not counted; closest in the pack: Bupropion (Wellbutrin)"
    ) in result.stdout
    assert (
        "warning: trials[1].treatment: 'fish oil' is free text, not in the content pack: "
        "not rated and not counted; nothing in the pack is close"
    ) in result.stdout


def test_check_warns_about_an_add_on_that_names_no_trial_it_was_added_to(session_file: Path) -> None:
    # The trial form refuses these; a file edited by hand keeps them, and says so.
    session_file.write_text(
        session_file.read_text()
        + '\n[[trials]]\ntreatment = "aripiprazole"\nrole = "augmentation"\nstart = 2026-01-05\naugments = "sertraline"\n'
        + '\n[[trials]]\ntreatment = "lithium"\nrole = "augmentation"\nstart = 2026-02-01\naugments = "venlafaxine"\n'
    )
    result = run("check", str(session_file))
    assert result.returncode == 0, result.stderr
    assert (
        "warning: trials[1].augments: this trial must start while Sertraline ran (2025-06-10 to 2025-09-15), "
        "after its start; no trial is judged as augmented by it"
    ) in result.stdout
    assert (
        "warning: trials[2].augments: no trial of Venlafaxine is recorded; no trial is judged as augmented by it"
    ) in result.stdout


def test_summary_json_has_the_documented_keys(session_file: Path) -> None:
    result = run("summary", str(session_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["patient"]["label"] == "Patient A"
    assert data["visit_date"] == "2026-11-20"
    (trial,) = data["trials"]
    assert set(trial) >= {"treatment", "name", "kind", "role", "weeks", "adequacy", "current_episode", "failed", "reasons"}
    assert (trial["name"], trial["adequacy"], trial["failed"]) == ("Sertraline", "adequate", True)
    assert data["trd"]["failed_adequate_antidepressants"] == 1 and data["trd"]["meets_definition"] is False
    # Onset 2025-06-01 to visit 2026-11-20 is 17 complete months (2), moderate (3), one failure (1).
    msm = data["staging"]["maudsley"]
    assert (msm["duration"], msm["severity"], msm["antidepressants"], msm["score"], msm["band"]) == (2, 3, 1, 6, "mild")
    assert data["staging"]["thase_rush"]["stage"] == 1
    assert (data["checklist"]["reviewed"], data["checklist"]["concerns"]) == (1, 1)
    assert data["checklist"]["total"] > 20
    assert [a["source"] for a in data["safety"]["alerts"]] == ["PHQ-9"]  # item 9 scored 1
    assert data["options"] == [
        {"id": "esketamine", "name": "Intranasal esketamine", "status": "discussed", "preference": "leaning-towards", "note": ""}
    ]
    assert data["measurements"][0]["score"] == 19


def test_summary_demo_markdown_shows_the_determination() -> None:
    result = run("summary", "--demo")
    assert result.returncode == 0, result.stderr
    assert "Meets the definition of treatment-resistant depression" in result.stdout
    assert "Maudsley Staging Method: **10 (moderate)**" in result.stdout
    assert "988" in result.stdout  # the demo has a safety alert, so crisis resources are shown


def test_summary_of_invalid_file_explains_and_exits_1(session_file: Path) -> None:
    session_file.write_text(session_file.read_text().replace('format = "trd-session"', 'format = "x"'))
    result = run("summary", str(session_file))
    assert result.returncode == 1 and 'expected format = "trd-session"' in result.stderr


def test_summary_needs_a_file_or_demo() -> None:
    result = run("summary")
    assert result.returncode == 64 and "Traceback" not in result.stderr  # a bad command line (EX_USAGE)


def test_content_check_of_the_bundled_pack_passes() -> None:
    result = run("content", "check")
    assert result.returncode == 0, result.stdout
    assert "content pack is valid" in result.stdout


def test_a_broken_content_pack_is_reported_and_refused(tmp_path: Path, session_file: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    for f in (ROOT / "content").iterdir():
        (pack / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    rules = (pack / "rules.toml").read_text()
    (pack / "rules.toml").write_text(rules.replace("min_trial_weeks = 6", "min_trial_weeks = -6"))
    check = run("content", "check", str(pack))
    assert check.returncode == 1 and "rules.toml: min_trial_weeks: must be a positive number of weeks" in check.stdout
    summary = run("summary", str(session_file), "--content", str(pack))
    assert summary.returncode == 2 and "content check" in summary.stderr


def test_content_folder_from_the_environment(tmp_path: Path) -> None:
    import os

    result = run("content", "check", env={**os.environ, "TRD_TUI_CONTENT": str(tmp_path / "none")})
    assert result.returncode == 1 and "no such folder" in result.stdout


@pytest.mark.parametrize(
    "args",
    [["summary", "--demo"], ["export", "--demo", "--format", "fhir"], ["check", "docs/missing.toml"], ["content", "check"]],
)
def test_headless_commands_do_not_import_textual(args: list[str]) -> None:
    # Nor the browser server's web stack (textual-serve, aiohttp), which only `serve` loads.
    code = (
        "import sys, runpy; sys.argv = ['trd-tui', *sys.argv[1:]]\n"
        "from trd_tui.cli import main\n"
        "rc = main()\n"
        "loaded = {'textual', 'textual_serve', 'aiohttp'} & set(sys.modules)\n"
        "assert not loaded, f'{sorted(loaded)} was imported'\n"
        "raise SystemExit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "was imported" not in result.stderr
    assert result.returncode in (0, 2)


def test_summary_region_option_and_preference(tmp_path, capsys) -> None:
    from trd_tui.cli import main

    assert main(["summary", "--demo", "--region", "UK"]) == 0
    out = capsys.readouterr().out
    assert "Crisis resources (GB)" in out and "116 123" in out and "741741" not in out
    with pytest.raises(SystemExit):
        main(["summary", "--demo", "--region", "XX"])
    assert "unknown region 'XX'" in capsys.readouterr().err
    (tmp_path / "xdg-config" / "trd-tui").mkdir(parents=True)
    (tmp_path / "xdg-config" / "trd-tui" / "config.toml").write_text('region = "CA"')
    assert main(["summary", "--demo", "--format", "json"]) == 0
    assert '"region": "CA"' in capsys.readouterr().out


# -- the command line itself: usage errors and --help ----------------------------------------------


def test_check_without_a_file_prints_usage_and_exits_64() -> None:
    """64 is EX_USAGE (sysexits.h): a bad command line is not an unreadable file (2)."""
    from trd_tui.commands import EXIT_USAGE

    result = run("check")
    assert EXIT_USAGE == 64
    assert result.returncode == 64, result.stderr
    assert result.stderr.startswith("usage: trd-tui check") and "the following arguments are required: file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args", [["summary"], ["export", "--demo"], ["check", "a.toml", "--colour"], ["content"], ["--autosave", "soon"]]
)
def test_every_bad_command_line_exits_64_never_2(args: list[str], capsys) -> None:
    from trd_tui.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 64
    assert capsys.readouterr().err.startswith("usage: trd-tui")


def test_the_exit_codes_are_documented_where_users_look() -> None:
    from trd_tui.cli import _command_parser

    check_help = " ".join(_command_parser("check").format_help().split())
    assert "exit 0 valid, 1 invalid, 2 unreadable, 64 bad command line" in check_help
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "64 a bad command line" in readme


@pytest.mark.parametrize("command", [None, "summary", "export", "check", "content", "serve", "visits"])
def test_every_help_lists_each_option_with_an_example_that_parses(command: str | None) -> None:
    """Each option and argument of each command is set by one of the examples in its --help."""
    import shlex

    from trd_tui.cli import EXAMPLES, _command_parser, _parser

    parser = _parser() if command is None else _command_parser(command)
    help_text = parser.format_help()
    assert "examples:" in help_text
    examples = help_text.split("examples:", 1)[1].splitlines()
    shown = [line.strip() for line in examples if line.strip().startswith("trd-tui")]
    assert shown == [example for example, _ in EXAMPLES[command or "trd-tui"]]
    parsed = []
    for example in shown:  # every example is a command line that parses
        args = shlex.split(example)[1 if command is None else 2 :]
        if "--version" in args:
            continue  # argparse prints the version and exits
        parsed.append(parser.parse_args(args))
    for action in parser._actions:  # argparse has no public list of a parser's options
        if action.dest == "help":
            continue
        if action.dest == "version":
            assert any("--version" in example for example in shown)
            continue
        name = "/".join(action.option_strings) or action.dest
        assert any(getattr(options, action.dest) not in (None, False, action.default) for options in parsed), (
            f"trd-tui {command or ''} --help: no example sets {name}"
        )
