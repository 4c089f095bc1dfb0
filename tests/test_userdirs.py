"""trd-tui's own folders are exactly the ones platformdirs would give."""

from __future__ import annotations

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
