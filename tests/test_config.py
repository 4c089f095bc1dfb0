"""Preferences: defaults, a malformed file, round trip, --config override."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from trd_tui.storage.config import Config, load_config, save_config


@pytest.fixture
def private_config(tmp_path: Path) -> Path:
    return tmp_path / "xdg-config"  # set for every test by conftest


def test_missing_file_means_defaults_following_the_terminal() -> None:
    assert load_config() == (Config(), [])
    assert Config().theme == "ansi-dark" and not Config().animations


def test_round_trip_in_the_user_config_folder(private_config: Path) -> None:
    wanted = Config(theme="trd-high-contrast", spacious=True, autosave_seconds=10)
    save_config(wanted)
    path = private_config / "trd-tui" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config() == (wanted, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theme = ", "config.toml"),
        ("spacious = 'yes'", "config.toml: spacious: expected true or false, got text; using the defaults"),
        ("colour = 'red'", "config.toml: colour: unknown field; using the defaults"),
        ("autosave_seconds = 0", "config.toml: autosave_seconds: must be more than 0; using 30"),
    ],
)
def test_a_malformed_file_gives_a_message_and_defaults(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    config, problems = load_config(path)
    assert config.theme == "ansi-dark" and config.autosave_seconds == 30
    assert any(expected in str(p) for p in problems), problems


async def test_the_app_uses_remembers_and_explains_preferences(tmp_path: Path) -> None:
    from trd_tui.document import Document
    from trd_tui.tomlconv import Problem
    from trd_tui.ui.app import TrdApp
    from ui_helpers import TODAY, content

    path = tmp_path / "prefs.toml"
    config, problems = Config(theme="no-such-theme"), [Problem("prefs.toml", "broken; using the defaults")]
    app = TrdApp(Document.demo(), content(), today=TODAY, config=config, config_path=path, config_problems=problems)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        messages = " ".join(n.message for n in app._notifications)
        assert "broken; using the defaults" in messages and "Unknown theme 'no-such-theme'" in messages
        assert app.theme == "ansi-dark" and app.animation_level == "none"
        app.theme = "trd-high-contrast"
        app.action_toggle_spacing()
        await pilot.pause()
        assert app.has_class("-spacious")
    assert load_config(path) == (Config(theme="trd-high-contrast", spacious=True), [])


def test_no_color_is_honoured(monkeypatch) -> None:
    from trd_tui.document import Document
    from trd_tui.ui.app import TrdApp
    from ui_helpers import content

    monkeypatch.setenv("NO_COLOR", "1")
    assert TrdApp(Document.demo(), content()).no_color


@pytest.mark.parametrize(("written", "region"), [("GB", "GB"), ("uk", "GB"), ("UK", "GB"), ("ie", "IE"), ("US", "US")])
def test_the_region_is_an_iso_code_and_uk_means_gb(tmp_path: Path, written: str, region: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'region = "{written}"')
    assert load_config(path) == (Config(region=region), [])
    assert Config().region == "US"


def test_an_unknown_region_is_explained_and_us_used(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('region = "Narnia"\ntheme = "ansi-light"')
    config, problems = load_config(path)
    assert config == Config(theme="ansi-light", region="US")
    assert [str(p) for p in problems] == [
        "config.toml: region: unknown region 'Narnia'; use one of US, GB, CA, AU, IE (UK means GB); using US"
    ]


async def test_the_palette_picks_the_region_for_banner_and_patient_view(tmp_path: Path) -> None:
    from trd_tui.document import Document
    from trd_tui.ui.app import TrdApp
    from ui_helpers import TODAY, content

    path = tmp_path / "prefs.toml"
    app = TrdApp(Document.demo(), content(), today=TODAY, config=Config(region="GB"), config_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#safety-banner")
        assert "116 123" in str(banner.render()) and "988" not in str(banner.render())
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Crisis resources: GB (current)" in commands
        commands["Crisis resources: AU"].callback()
        await pilot.pause()
        assert "13 11 14" in str(banner.render())
        app.action_patient_view()
        await pilot.pause()
        assert "13 11 14" in str(app.screen.query_one("#pv-crisis").render())
    assert load_config(path)[0].region == "AU"
