"""The export formats: one table that ``trd-tui summary``, ``trd-tui export`` and the app's palette read.

A new format is a render function and a row in :data:`FORMATS`: the command line's
``--format`` choices and help, and the palette's "Export …" commands, follow from the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from trd_tui.clinical.assess import Assessment
    from trd_tui.pack.records import Content

Render = Callable[["Assessment", "Content", bool], str]  # (assessment, content, include_identifiers)


@attrs.frozen
class Format:
    name: str  # the --format value
    title: str  # for the palette: "Export <title>…"
    suffix: str  # of a file written in this format
    media_type: str
    description: str  # for --help and the palette
    render: Render
    summary: bool  # one of the summary's renderings, offered by `trd-tui summary` too
    stem: str = "summary"  # of the file name the app suggests

    @property
    def file_name(self) -> str:
        """The file name the app suggests (no patient data: file names are shown and kept in lists)."""
        return self.stem + self.suffix


# Each renderer imports its module when used, so `trd-tui summary` loads only the one it prints.


def _markdown(a: Assessment, content: Content, include_identifiers: bool) -> str:
    from trd_tui.export.summary import to_markdown

    return to_markdown(a, content)


def _json(a: Assessment, content: Content, include_identifiers: bool) -> str:
    from trd_tui.export.data import to_json

    return to_json(a, content)


def _text(a: Assessment, content: Content, include_identifiers: bool) -> str:
    from trd_tui.export.text import to_text

    return to_text(a, content)


def _fhir(a: Assessment, content: Content, include_identifiers: bool) -> str:
    from trd_tui.export.fhir import to_fhir_json

    return to_fhir_json(a, content, include_identifiers=include_identifiers)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("markdown", "summary as Markdown", ".md", "text/markdown",
               "the summary in Markdown, as the Summary pane shows it", _markdown, summary=True),
        Format("text", "summary as plain text", ".txt", "text/plain",
               "the summary as plain text, for pasting into a medical record", _text, summary=True),
        Format("json", "summary as JSON", ".json", "application/json",
               "the summary as JSON with stable keys, for programs", _json, summary=True),
        Format("fhir", "FHIR R4 Bundle", ".json", "application/fhir+json",
               "a FHIR R4 Bundle (JSON); no identifiers unless asked for", _fhir, summary=False, stem="fhir-bundle"),
    )
}


def summary_formats() -> list[Format]:
    """The formats that render the summary itself (`trd-tui summary --format`)."""
    return [f for f in FORMATS.values() if f.summary]


def formats_help(formats: list[Format]) -> str:
    """The ``--format`` help: each format's name and what it is (``%`` doubled for argparse)."""
    return "; ".join(f"{f.name}: {f.description}" for f in formats).replace("%", "%%")


def render(name: str, a: Assessment, content: Content, *, include_identifiers: bool = False) -> str:
    """The assessment in the format called ``name`` (a key of :data:`FORMATS`)."""
    return FORMATS[name].render(a, content, include_identifiers)
