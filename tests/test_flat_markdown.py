"""The Summary pane's flat tables and lists look exactly as Textual's Markdown draws them.

FlatMarkdown draws a table or a simple bullet list with one widget instead of one per
cell or item (for speed); these tests render the same documents both ways and compare
every character and style on screen.
"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from trd_tui.clinical.assess import assess
from trd_tui.storage.sessionfile import load_demo
from trd_tui.export.summary import to_markdown
from trd_tui.ui.internals.flat_markdown import FlatBulletList, FlatMarkdown, FlatTable
from ui_helpers import content

pytestmark = pytest.mark.ui

EDGES = """\
# Ünïcödé 患者 title that is long enough to wrap at forty columns

*Decision* **support**, a paragraph.

- **Bold** start: then text long enough to wrap onto the next line at narrow widths
- 抗うつ薬テスト 漢字の長い名前 with wide characters that wrap
- Supercalifragilisticexpialidociousextendedreleaseformulationwithoutspaces
- \\*escaped\\* \\[brackets\\] and `code`

| Treatment | Role | Dose | Start | Notes |
|---|---|---|---|---|
| Escitalopram (earlier episode) | monotherapy | 20 mg | 2019-03-01 | |
| Supercalifragilisticexpialidocious-extended-release | augmentation | — | 2023-01-01 | *em* and **strong** |
| 抗うつ薬テスト | combination | 1000000 mg | 2023-05-01 | a b c d e f g h i j k l m n o p |

- a list with a nested list, left to Textual:
  - nested item

- an item

  with two paragraphs, also left to Textual
"""


class Doc(App[None]):
    def __init__(self, markdown_class: type[Markdown], text: str) -> None:
        super().__init__()
        self._class, self._text = markdown_class, text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self._class(self._text, open_links=False)


async def render(markdown_class: type[Markdown], text: str, width: int, theme: str) -> list[list[tuple[str, str]]]:
    """Every screen line of the document at this width: each character with its style."""
    app = Doc(markdown_class, text)
    async with app.run_test(size=(width, 400)) as pilot:
        app.theme = theme
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
        return [[(char, str(seg.style)) for seg in strip for char in seg.text] for strip in strips]


def demo_summary() -> str:
    return to_markdown(assess(load_demo(), content()), content())


@pytest.mark.parametrize("width", [40, 80, 121])
@pytest.mark.parametrize("theme", ["textual-dark", "ansi-light"])
@pytest.mark.parametrize("document", ["summary", "edges"])
async def test_flat_markdown_renders_as_textual_does(document: str, width: int, theme: str, request) -> None:
    if document == "summary" and width == 40:
        # Known divergence, kept visible: at 40 columns the three-visit demo's nine-column trial
        # table squeezes a column to nothing, and FlatTable then stops drawing the keylines of
        # the columns after it, where Textual draws them. strict: this fails once it is fixed.
        reason = "FlatTable keylines after a column squeezed to nothing (ui/internals/README.md)"
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    text = demo_summary() if document == "summary" else EDGES
    expected = await render(Markdown, text, width, theme)
    assert await render(FlatMarkdown, text, width, theme) == expected


async def test_flat_blocks_replace_the_widget_trees() -> None:
    app = Doc(FlatMarkdown, demo_summary())
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        markdown = app.query_one(FlatMarkdown)
        assert markdown.query(FlatTable) and markdown.query(FlatBulletList)
        assert not markdown.query("MarkdownTableCellContents, MarkdownBullet")
