"""trd-tui: decision support for consultations about treatment-resistant depression.

The headless core, usable without the terminal app::

    import trd_tui
    session = trd_tui.load_session("visit.toml")
    content = trd_tui.load_content()          # the bundled content pack
    assessment = trd_tui.assess(session, content)
    assessment.trd.meets_definition, assessment.trd.reasons

Importing this package does not import Textual.
"""

from trd_tui.clinical.assess import Assessment, assess
from trd_tui.content import Content, ContentError, load_content
from trd_tui.model import Session
from trd_tui.sessionfile import SessionFileError, load_session, save_session

__version__ = "0.1.0"
__all__ = [
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
