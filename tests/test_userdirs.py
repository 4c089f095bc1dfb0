"""trd-tui's own folders are exactly the ones platformdirs would give."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from trd_tui.storage.folders import XDG, user_folder


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule is only taken as it is on Linux")
@pytest.mark.parametrize("kind", sorted(XDG))
@pytest.mark.parametrize(
    ("xdg", "home"),
    [("/x/dir", "/home/u"), ("/x/dir/", "/home/u"), (None, "/home/u"), ("", "/home/u"), ("  ", "/home/u"),
     ("relative/dir", "/home/u"), (None, "relative"), ("/x/dir", None)],
)
def test_each_folder_is_the_one_platformdirs_gives(
    monkeypatch: pytest.MonkeyPatch, kind: str, xdg: str | None, home: str | None
) -> None:
    import platformdirs

    variable, _ = XDG[kind]
    for name, value in ((variable, xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = Path(getattr(platformdirs, f"user_{kind}_dir")("trd-tui"))
    except RuntimeError:  # newer platformdirs: no usable home folder
        pytest.skip("platformdirs finds no folder here either")
    assert user_folder(kind) == expected


@pytest.fixture
def umask_000():
    old = os.umask(0)
    yield
    os.umask(old)


def test_the_state_config_and_cache_folders_are_created_private_under_any_umask(tmp_path: Path, umask_000) -> None:
    """Issue 13 finding 11: the state folder was created 0755, and 0777 under umask 000."""
    from trd_tui.pack.load import load_content
    from trd_tui.storage import recent
    from trd_tui.storage.config import Config, save_config

    recent.remember(tmp_path / "visit.toml")  # the state folder, as the first open makes it
    save_config(Config(spacious=True))
    load_content()  # keeps the checked pack in the cache folder
    for kind in XDG:
        folder = user_folder(kind)
        assert folder.is_dir(), kind
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, kind
    for created in (tmp_path / "xdg-state", tmp_path / "xdg-config"):  # made by trd-tui too
        assert stat.S_IMODE(created.stat().st_mode) == 0o700, created
    recovery = user_folder("state") / "recovery"
    assert not recovery.exists() or stat.S_IMODE(recovery.stat().st_mode) == 0o700
