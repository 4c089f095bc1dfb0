"""User preferences: theme, spacing, animations, autosave, region, the checklist keys. A TOML file in the user config folder.

A missing file means defaults; a malformed one means defaults plus a clear
message, never a crash. Preferences hold no patient data.
"""

from __future__ import annotations

import os
import tomli
from pathlib import Path
from typing import Any

import attrs

from trd_tui.storage.atomic import SaveError, write_private
from trd_tui.storage.validate import read_record
from trd_tui.tomlconv import Problem

#: Follows the terminal's own colours; "ansi-light" for light terminals.
DEFAULT_THEME = "ansi-dark"
#: Regions (ISO 3166 alpha-2) whose crisis resources the bundled pack holds; the first is the default.
REGIONS = ("US", "GB", "CA", "AU", "IE")
#: Other spellings accepted for a region: the United Kingdom is GB in ISO 3166, UK in speech.
REGION_ALIASES = {"UK": "GB"}


def normalise_region(text: str) -> str | None:
    """The ISO 3166 code a region setting means ("uk" -> "GB"), or None when it is not one we know."""
    code = text.strip().upper()
    code = REGION_ALIASES.get(code, code)
    return code if code in REGIONS else None


@attrs.frozen
class Config:
    theme: str = DEFAULT_THEME
    spacious: bool = False  # more room between things, for screen sharing
    animations: bool = False
    autosave_seconds: float = 30.0
    region: str = REGIONS[0]  # whose crisis resources are shown: US, GB, CA, AU or IE
    checklist_stay: bool = False  # o, c and f in the checklist stay on the item instead of going to the next


def default_path() -> Path:
    from trd_tui.storage.folders import user_folder

    return user_folder("config") / "config.toml"


def load_config(path: str | os.PathLike[str] | None = None) -> tuple[Config, list[Problem]]:
    """The preferences at ``path`` (default: the user config file), and any problems with them."""
    target = Path(path) if path else default_path()
    try:
        raw = tomli.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(), []
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        return Config(), [Problem(target.name, f"{exc}; using the defaults")]
    config, problems = read_record(raw, Config)
    if config is None:
        return Config(), [Problem(f"{target.name}: {p.path}", f"{p.message}; using the defaults") for p in problems]
    problems = list(problems)
    if not config.autosave_seconds > 0:
        config = attrs.evolve(config, autosave_seconds=Config().autosave_seconds)
        problems.append(Problem(f"{target.name}: autosave_seconds", "must be more than 0; using 30"))
    region = normalise_region(config.region)
    if region is None:
        problems.append(Problem(
            f"{target.name}: region",
            f"unknown region {config.region!r}; use one of {', '.join(REGIONS)} (UK means GB); using {REGIONS[0]}",
        ))
    config = attrs.evolve(config, region=region or REGIONS[0])
    return config, problems


def save_config(config: Config, path: str | os.PathLike[str] | None = None) -> None:
    """Remember the preferences; failing to is not worth interrupting a consultation for."""
    import tomli_w

    data: dict[str, Any] = attrs.asdict(config)
    try:
        if path:
            target = Path(path)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        else:
            from trd_tui.storage.folders import private_folder

            target = private_folder("config") / "config.toml"
        write_private(target, tomli_w.dumps(data).encode("utf-8"))
    except (OSError, SaveError):
        pass
