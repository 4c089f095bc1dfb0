"""Every test gets its own user state, config and cache folders, so it never touches the real ones."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    state = tmp_path / "xdg-state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return state


# -- markers: `make test-fast` runs what is neither ui nor e2e ------------------------------------

#: What in a test's own source makes it a pilot/snapshot test (ui) or one that starts processes,
#: terminals, browsers or builds (e2e). A test that reaches these only through a helper carries
#: the marker itself (``@pytest.mark.e2e``).
_UI_SIGNS = ("run_test(", "snap_compare", "make_app(", "pilot")
_E2E_SIGNS = ("subprocess", "Popen", "tmux", "chromium", "playwright", "sys.executable", "pip wheel")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    import inspect

    for item in items:
        function = getattr(item, "function", None)
        if function is None:
            continue
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):
            continue
        if any(sign in source for sign in _UI_SIGNS) or "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.ui)
        if any(sign in source for sign in _E2E_SIGNS):
            item.add_marker(pytest.mark.e2e)
