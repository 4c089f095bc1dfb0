"""F4: the patient view, made to be shown to the patient.

The options under discussion as cards in plain words, and a side-by-side
comparison of two to four of them. The patient's preference on each can be
recorded here. No identifiers, notes or dates appear on this screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from trd_tui.model import Preference, with_preference
from trd_tui.option_grid import MAX_COMPARED, MIN_COMPARED, Card, Comparison, compare, under_discussion
from trd_tui.ui.host import Host, host
from trd_tui.ui.widgets.key_bar import BarHint, KeyBar
from trd_tui.ui.widgets.status_bar import SharingBar

if TYPE_CHECKING:
    from trd_tui.pack.records import GlossaryTerm

#: The patient's preference by key, glyph first so it reads the same without colour.
PREFERENCE_KEYS = {"y": Preference.TOWARDS, "u": Preference.UNSURE, "n": Preference.AGAINST}
PREFERENCE_GLYPHS = {Preference.TOWARDS: "▲", Preference.UNSURE: "?", Preference.AGAINST: "▼"}
QUESTION_WIDTH = 13


def preference_text(preference: Preference | None) -> Text:
    if preference is None:
        return Text("not said yet", "dim")
    return Text(f"{PREFERENCE_GLYPHS[preference]} {preference.words}", "bold")


class OptionCard(Static, can_focus=True):
    """One option in plain words; focus it to record a preference or choose it for comparing."""

    def __init__(self, card: Card, chosen: bool) -> None:
        super().__init__(classes="option-card")
        self.show(card, chosen)

    def show(self, card: Card, chosen: bool) -> None:
        self.card = card
        self.set_class(chosen, "-chosen")
        mark = "☑ comparing" if chosen else "☐"
        self.update(Text.assemble(
            (f"{mark}  ", "bold" if chosen else "dim"),
            (self.card.name, "bold"),
            "   ",
            preference_text(self.card.preference),
            "\n",
            self.card.description,
        ))


class PatientView(Screen[None]):
    """Cards for the options under discussion; ``c`` compares the chosen ones side by side."""

    CSS_PATH = "patient_view.tcss"
    BINDINGS = [
        Binding("escape,f4", "close", "Back", id="patient_view.back", tooltip="Back to the clinician's screens"),
        # Priority: the scrolling containers would otherwise take the arrows for scrolling.
        Binding("up", "move(-1)", "Up", id="patient_view.up", show=False, priority=True,
                tooltip="The card above; in the comparison, scroll up"),
        Binding("down", "move(1)", "Down", id="patient_view.down", show=False, priority=True,
                tooltip="The card below; in the comparison, scroll down"),
        Binding("left", "move_column(-1)", "Left", id="patient_view.left", show=False,
                tooltip="In the comparison: the column to the left"),
        Binding("right", "move_column(1)", "Right", id="patient_view.right", show=False,
                tooltip="In the comparison: the column to the right"),
        Binding("space", "choose", "Choose", id="patient_view.choose", tooltip=f"Choose this option to compare ({MIN_COMPARED}–{MAX_COMPARED})"),
        Binding("c", "toggle_comparison", "Compare", id="patient_view.compare", tooltip="Compare the chosen options side by side, or back to the cards"),
        *(
            Binding(key, f"prefer('{p.value}')", label, id=f"patient_view.prefer.{p.value}",
                    tooltip=f"Record that the patient is {p.words}")
            for (key, p), label in zip(PREFERENCE_KEYS.items(), ("Towards", "Not sure", "Against"))
        ),
        Binding("backspace", "prefer('')", "Clear", id="patient_view.clear", show=False, tooltip="Clear the recorded preference"),
    ]
    # The key bar at 80 columns: the patient's answers in short words, F3 (sharing) kept, F2 (the
    # patient's identifiers, on a screen the patient sees) given up first.
    KEY_BAR_HINTS = {
        "patient_view.prefer.leaning-towards": BarHint("For"),
        "patient_view.prefer.unsure": BarHint("Unsure"),
        "app.patient": BarHint("Visit", drop=4),
    }

    comparing: var[bool] = var(False)
    chosen: var[tuple[str, ...]] = var(())  # option ids to compare, in the order chosen
    column: var[int] = var(0)  # the comparison column that preference keys apply to

    @property
    def host(self) -> Host:
        return host(self)

    def compose(self) -> ComposeResult:
        yield Static("Options we are talking about", id="pv-title")
        yield SharingBar(id="sharing-bar")
        with ContentSwitcher(initial="pv-cards"):
            yield VerticalScroll(id="pv-cards")
            with Vertical(id="pv-comparison"):
                yield Static(id="pv-grid-head")  # stays put while the answers scroll under it
                with VerticalScroll(id="pv-grid-scroll", can_focus=True):
                    yield Static(id="pv-grid")
        yield Static(id="pv-crisis")
        yield Static(id="pv-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "assessment", self._redraw, init=False)
        self._redraw()

    # -- drawing --------------------------------------------------------------

    def _cards(self) -> list[Card]:
        return under_discussion(self.host.document.session, self.host.content)

    def _redraw(self, _: object = None) -> None:
        """Cards and comparison from the session; the same options are updated in place, keeping focus."""
        cards = self._cards()
        self.chosen = tuple(i for i in self.chosen if i in {c.option_id for c in cards})
        shown = list(self.query(OptionCard))
        if shown and [w.card.option_id for w in shown] == [c.option_id for c in cards]:
            for widget, card in zip(shown, cards):
                widget.show(card, card.option_id in self.chosen)
        else:
            self._mount_cards(cards)
        self._draw_words(cards)
        self._draw_comparison()
        self._draw_crisis()
        self._draw_hint()

    def _mount_cards(self, cards: list[Card]) -> None:
        focused = self._focused_card()
        scroll = self.query_one("#pv-cards", VerticalScroll)
        scroll.remove_children()
        if not cards:
            scroll.mount(Static(Text(
                "No options are marked yet. On the Options pane (3), mark the ones to talk about "
                "with m, or the quick keys c d p l; then come back here with F4.", "italic")))
            return
        scroll.mount_all(OptionCard(card, card.option_id in self.chosen) for card in cards)
        scroll.mount(Static(id="pv-card-words"))
        self.call_after_refresh(self._focus_card, focused or cards[0].option_id)

    def _draw_words(self, cards: list[Card]) -> None:
        for words in self.query("#pv-card-words").results(Static):
            texts = [text for card in cards for text in (card.name, card.description)]
            words.update(words_used(self.host.content.glossary_for(*texts)))

    def _draw_crisis(self) -> None:
        """While the session has a safety alert, the crisis contacts stay on this screen too."""
        crisis = self.query_one("#pv-crisis", Static)
        crisis.display = bool(self.host.assessment.safety)
        contacts = " · ".join(r.contact for r in self.host.assessment.crisis)
        crisis.update(Text.assemble(("⚠ Help at any time: ", "bold"), contacts))

    def _focused_card(self) -> str | None:
        return self.focused.card.option_id if isinstance(self.focused, OptionCard) else None

    def _focus_card(self, option_id: str) -> None:
        if self.comparing:
            return
        for card in self.query(OptionCard):
            if card.card.option_id == option_id:
                card.focus()
                return

    def _comparison(self) -> Comparison | None:
        if not MIN_COMPARED <= len(self.chosen) <= MAX_COMPARED:
            return None
        return compare(self.chosen, self.host.document.session, self.host.content)

    def _draw_comparison(self) -> None:
        comparison = self._comparison()
        if comparison is not None:
            self.column = min(self.column, len(comparison.columns) - 1)
            width = self.query_one("#pv-grid-scroll").content_size.width or self.size.width - 4
            self.query_one("#pv-grid-head", Static).update(grid_head(comparison, width, self.column))
            self.query_one("#pv-grid", Static).update(grid_body(comparison, width))

    def _draw_hint(self) -> None:
        if self.comparing:
            hint = "← → pick a column for y / u / n · c back to the cards"
        else:
            hint = f"space chooses {MIN_COMPARED}–{MAX_COMPARED} to compare · y / u / n: what the patient thinks"
        self.query_one("#pv-hint", Static).update(Text(f"{len(self.chosen)} chosen · {hint}", "dim"))

    def watch_comparing(self, comparing: bool) -> None:
        self.query_one(ContentSwitcher).current = "pv-comparison" if comparing else "pv-cards"
        if comparing:
            self._draw_comparison()
            self.query_one("#pv-grid-scroll").focus()
        else:
            self._focus_card(self.chosen[0] if self.chosen else "")
        self._draw_hint()
        self.refresh_bindings()

    def on_resize(self) -> None:
        self._draw_comparison()

    # -- actions --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return not self.comparing
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        """Up and down: the next card, or scroll the comparison."""
        if self.comparing:
            self.query_one("#pv-grid-scroll", VerticalScroll).scroll_relative(y=step, animate=False)
        elif step < 0:
            self.focus_previous(OptionCard)
        else:
            self.focus_next(OptionCard)

    def action_move_column(self, step: int) -> None:
        """Left and right: the comparison column that y / u / n apply to."""
        if self.comparing and (comparison := self._comparison()):
            self.column = (self.column + step) % len(comparison.columns)
            self._draw_comparison()

    def action_choose(self) -> None:
        option_id = self._focused_card()
        if option_id is None:
            return
        if option_id in self.chosen:
            self.chosen = tuple(i for i in self.chosen if i != option_id)
        elif len(self.chosen) >= MAX_COMPARED:
            self.notify(f"Compare at most {MAX_COMPARED} options at once; space on a chosen one lets it go.")
            return
        else:
            self.chosen = (*self.chosen, option_id)
        card = cast(OptionCard, self.focused)
        card.show(card.card, option_id in self.chosen)
        self._draw_hint()

    def action_toggle_comparison(self) -> None:
        if not self.comparing and self._comparison() is None:
            self.notify(f"Choose {MIN_COMPARED} to {MAX_COMPARED} options with space first.")
            return
        self.comparing = not self.comparing

    def action_prefer(self, value: str) -> None:
        option_id = self.chosen[self.column] if self.comparing else self._focused_card()
        if option_id is None:
            return
        preference = Preference(value) if value else None
        session = with_preference(self.host.document.session, option_id, preference)
        name = self.host.content.options[option_id].name
        self.host.edit(session, f"patient preference: {name}")


def _table(comparison: Comparison, width: int) -> Table:
    """An empty grid with the columns fitted to ``width``: the questions, then one per option.

    The heading and the answers are two tables built here alike, so their columns line up.
    """
    n = len(comparison.columns)
    option_width = max(12, (width - QUESTION_WIDTH - 2 * n) // n)  # each column also has 2 cells of padding
    table = Table(box=None, show_header=False, show_edge=False, padding=(0, 1), pad_edge=False, expand=False)
    table.add_column(width=QUESTION_WIDTH, style="bold")
    for _ in comparison.columns:
        table.add_column(width=option_width)
    return table


def grid_head(comparison: Comparison, width: int, selected: int) -> RenderableType:
    """Each option's name and what the patient thinks of it; the selected column has ▶ and is reversed."""
    table = _table(comparison, width)
    names = [
        Text(("▶ " if i == selected else "") + c.name, "reverse bold" if i == selected else "bold")
        for i, c in enumerate(comparison.columns)
    ]
    table.add_row(Text("Option", "dim"), *names)
    table.add_row(Text("You think", "dim"), *(preference_text(c.preference) for c in comparison.columns))
    return Group(table, Text("─" * width, "dim"))


def grid_body(comparison: Comparison, width: int) -> RenderableType:
    """The answers, a question per row, with the source under the first; then the words explained."""
    table = _table(comparison, width)
    for row, question in enumerate(comparison.questions):
        table.add_row(question, *(Text(c.answers[row]) for c in comparison.columns))
        if row == 0:
            table.add_row(Text("Source", "dim"), *(Text(c.sources or "—", "dim") for c in comparison.columns))
        table.add_row()  # a blank line between questions
    return Group(table, words_used(comparison.words))


def words_used(words: tuple[GlossaryTerm, ...]) -> Text:
    """The explained words that appear on screen, each with its meaning."""
    if not words:
        return Text()
    text = Text.assemble(("\nWords used\n", "bold"))
    for term in words:
        text.append(f"{term.word}: ", "bold").append(f"{term.means}\n")
    return text
