"""trd-tui: decision support for consultations about treatment-resistant depression.

The headless core, usable without the terminal app::

    import trd_tui
    session = trd_tui.load_session("visit.toml")
    content = trd_tui.load_content()          # the bundled content pack
    assessment = trd_tui.assess(session, content)
    assessment.trd.meets_definition, assessment.trd.reasons

Importing this package does not import Textual.
"""

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "__version__",
    "Assessment",
    "Content",
    "ContentError",
    "Session",
    "SessionFileError",
    "assess",
    "load_content",
    "load_session",
    "save_session",
]

# Each name loads its module on first use, so `trd-tui check` or the app's first
# frame pays only for the modules they need.
_HOMES = {
    "Assessment": "trd_tui.clinical.assess",
    "assess": "trd_tui.clinical.assess",
    "Content": "trd_tui.pack.records",
    "ContentError": "trd_tui.pack.load",
    "load_content": "trd_tui.pack.load",
    "Session": "trd_tui.model",
    "SessionFileError": "trd_tui.storage.sessionfile",
    "load_session": "trd_tui.storage.sessionfile",
    "save_session": "trd_tui.storage.sessionfile",
    "__version__": "trd_tui.version",
}

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment, assess
    from trd_tui.pack.load import ContentError, load_content
    from trd_tui.pack.records import Content
    from trd_tui.model import Session
    from trd_tui.storage.sessionfile import SessionFileError, load_session, save_session
    from trd_tui.version import __version__


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'trd_tui' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
