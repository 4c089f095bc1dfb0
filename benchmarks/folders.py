"""Private user folders for a benchmark run, so it leaves the user's own as they were."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: The variables that decide trd-tui's config, state and cache folders (trd_tui's folders module).
VARIABLES = {"XDG_CONFIG_HOME": "config", "XDG_STATE_HOME": "state", "XDG_CACHE_HOME": "cache"}


@contextlib.contextmanager
def private_folders() -> Iterator[Path]:
    """Point config, state and cache at a temporary folder for the ``with`` block, in this
    process and every process it starts; put the old values back and remove it afterwards."""
    saved = {name: os.environ.get(name) for name in VARIABLES}
    with tempfile.TemporaryDirectory(prefix="trd-bench-") as tmp:
        try:
            for name, kind in VARIABLES.items():
                os.environ[name] = str(Path(tmp, kind))
            yield Path(tmp)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
