"""The Options pane: browse the treatment options with their next-steps tier, and mark them.

Left, a search box over a list grouped by category; right, the highlighted option in full.
Tiers come only from the assessment (``next_steps``); this pane never evaluates a condition,
it only shows the tier (glyph and word) and its reasons.
"""

from __future__ import annotations

from functools import cached_property

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option as ListOption

from trd_tui.clinical.assess import Assessment
from trd_tui.clinical.next_steps import Step
from trd_tui.pack.records import Caution, Content, Option
from trd_tui.model import OptionNote, OptionStatus, option_note, with_option
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.export.summary import MARKDOWN, md
from trd_tui.ui.internals.redraw import set_text
from trd_tui.ui.internals.flat_markdown import FlatMarkdown
from trd_tui.ui.dialogs.form import open_form
from trd_tui.ui.dialogs.option_mark import REMOVE_KEY, STATUS_KEYS, MarkChoice, OptionMark
from trd_tui.ui.panes.pane import Pane

DETAIL_DELAY = 0.15  # seconds


# -- search -------------------------------------------------------------------


def search_text(option: Option) -> str:
    """Everything a search looks in, case-folded: name, aliases and every text field."""
    fields = (
        option.name,
        *option.aliases,
        option.summary,
        *option.patient.texts(),
        option.guideline,
        option.evidence,
        option.time_to_effect,
        option.involves,
        option.adverse_effects,
        option.monitoring,
        option.cautions,
        option.uncertain,
    )
    return " ".join(fields).casefold()


def matches(query: str, text: str) -> bool:
    """True when every word of ``query`` occurs in ``text`` (already case-folded)."""
    return all(word in text for word in query.casefold().split())


# -- the detail view ----------------------------------------------------------


def _item_label(item_id: str, content: Content) -> str:
    item = content.checklist_items.get(item_id)
    return item.label if item else item_id


def option_markdown(
    option: Option,
    content: Content,
    step: Step | None,
    mark: OptionNote | None,
    privacy: Privacy = SHOWN,
    cautions: tuple[tuple[Caution, str | None], ...] = (),
) -> str:
    """The detail view of one option. Pack and user text are escaped, so they show literally.

    ``cautions`` are the assessment's (``option_cautions``): each with the reason it applies
    to this patient now, or None.
    """
    parts = [f"## {md(option.name)}", privacy.text(_tier_line(step))]
    if mark is not None:
        note = f" · **Note:** {MARKDOWN.block(privacy.note(mark.note))}" if mark.note else ""
        parts.append(f"**Marked:** {mark.status.value}{note}")
    parts.append(md(option.summary))
    facts = [
        ("Guideline", option.guideline),
        ("Evidence", option.evidence),
        ("Time to effect", option.time_to_effect),
        ("What it involves", option.involves),
        ("Common adverse effects", option.adverse_effects),
        ("Monitoring", option.monitoring),
        ("Cautions", option.cautions),
    ]
    parts.append("\n".join(f"- **{label}:** {md(text)}" for label, text in facts))
    if option.uncertain:
        parts.append(f"> **Uncertain:** {md(option.uncertain)}")
    if cautions:
        parts.append(privacy.text(_cautions(cautions, content)))
    parts.append(f"### In plain words\n\n{md(option.patient.description)}")
    parts.append(_sources(option, content))
    return "\n\n".join(parts)


def _tier_line(step: Step | None) -> str:
    """The option's tier in glyph and word, with its reasons (why not now, for not now)."""
    if step is None:
        return "**Next steps:** no record assessed."
    return f"**{step.glyph} {step.words.capitalize()}:** {md('; '.join(step.reasons))}"


def _cautions(cautions: tuple[tuple[Caution, str | None], ...], content: Content) -> str:
    """Safety cautions, those that apply to this patient now first, each with its source."""

    def line(caution: Caution, reason: str | None) -> str:
        cited = md(content.cite([caution.source]))
        if reason is None:
            when = caution.applies_when.describe(lambda item: _item_label(item, content), content.treatment_label)
            return f"- {md(caution.text)} *({cited}; applies with {md(when)})*"
        now = "" if caution.applies_when.kind == "always" else f"**⚠ Applies now ({md(reason)}):** "
        return f"- {now}{md(caution.text)} *({cited})*"

    ordered = sorted(cautions, key=lambda pair: (pair[1] is None, pair[0].applies_when.kind == "always"))
    return "### Safety cautions\n\n" + "\n".join(line(c, reason) for c, reason in ordered)


def _sources(option: Option, content: Content) -> str:
    """Each source's short label (as cited beside facts elsewhere) with its full citation."""
    lines = ["### Sources", ""]
    for source_id in option.sources:
        source = content.sources.get(source_id)
        if source is not None:
            url = f" {md(source.url)}" if source.url else ""
            lines.append(f"- **{md(source.label)}.** {md(source.citation)}{url}")
    return "\n".join(lines)


def list_prompt(option: Option, step: Step | None, mark: OptionNote | None) -> Table:
    """One list entry: tier glyph, name, status word.

    A two-column grid, so a long name wraps under the name rather than under the star;
    Text cells, so brackets in the status word stay literal.
    """
    name = Text(option.name)
    if mark is not None:
        name.append(f" [{mark.status.value}]", style="italic")
    grid = Table.grid()
    grid.add_column(width=2)
    grid.add_column()
    grid.add_row(Text(step.glyph if step else "", style="bold"), name)
    return grid


# -- widgets ------------------------------------------------------------------------


class SearchInput(Input):
    """The search box: Escape clears it and hands the keyboard back to the list, so the next
    ``/`` starts a new search; Enter (or down) keeps the search and goes to the list."""

    BINDINGS = [
        Binding("escape", "escape", "Clear search", id="options.search.escape", tooltip="Clear the search, back to the list"),
        Binding("down", "done", "To the list", id="options.search.down", show=False, tooltip="Go to the list"),
    ]

    class Done(Message):
        """The user has finished searching: the list should take the keyboard."""

    def action_escape(self) -> None:
        self.value = ""  # an unchanged value posts no Changed: an empty search costs no redraw
        self.action_done()

    def action_done(self) -> None:
        self.post_message(self.Done())


class OptionsPane(Pane):
    """The treatment-options browser."""

    BINDINGS = [
        Binding("slash", "search", "Search", id="options.search", tooltip="Search names, aliases and all text"),
        Binding(
            "m",
            "mark",
            "Mark",
            id="options.mark",
            tooltip="Mark the option (status and note); quick keys c d p l x, u removes",
        ),
        Binding("r", "toggle_relevant", "Tiers 1-2", id="options.relevant", tooltip="Show only tiers 1-2 (consider first, next)"),
        *(
            Binding(
                key,
                f"quick_mark('{status.value}')",
                status.value,
                id=f"options.quick.{status.value}",
                show=False,
                tooltip=f"Mark the option {status.value}, keeping its note",
            )
            for status, key in STATUS_KEYS.items()
        ),
        Binding(
            REMOVE_KEY, "quick_mark('')", "remove mark", id="options.quick.remove", show=False, tooltip="Remove the mark (ctrl+z undoes)"
        ),
    ]
    DEFAULT_CSS = """
    OptionsPane > Horizontal { height: 1fr; }
    OptionsPane #options-left { width: 38%; min-width: 38; max-width: 56; height: 1fr; }
    OptionsPane #option-search { margin: 0 1; }
    OptionsPane #option-count { color: $text-muted; padding: 0 1; }
    OptionsPane #option-list { height: 1fr; }
    OptionsPane #option-list > .option-list--option-disabled { color: $text-accent; text-style: bold; }
    OptionsPane #option-detail-scroll { width: 1fr; height: 1fr; }
    OptionsPane #option-detail { padding: 0 1; }
    OptionsPane #option-detail MarkdownH2 { margin: 0 0 1 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._assessment: Assessment | None = None
        self._current: str | None = None  # highlighted option id, kept across redraws
        self._relevant_only = False
        self._detail_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="options-left"):
                yield SearchInput(placeholder="/ to search", id="option-search", compact=True)
                yield Label("", id="option-count")
                yield OptionList(id="option-list")
            with VerticalScroll(id="option-detail-scroll", can_focus=True):
                yield FlatMarkdown(id="option-detail", open_links=False)

    @cached_property
    def _search_texts(self) -> dict[str, str]:
        return {option.id: search_text(option) for option in self.content.options.values()}

    @property
    def _list(self) -> OptionList:
        return self.query_one("#option-list", OptionList)

    def focus_main(self) -> None:
        self._list.focus()

    def show(self, assessment: Assessment) -> None:
        self._assessment = assessment
        self._redraw()

    # -- drawing ----------------------------------------------------------------

    def _visible(self) -> list[Option]:
        """Options passing the search and the tiers 1-2 filter, in pack order."""
        query = self.query_one("#option-search", SearchInput).value
        relevant = self._first_tiers()
        return [
            option
            for option in self.content.options.values()
            if matches(query, self._search_texts[option.id]) and (not self._relevant_only or option.id in relevant)
        ]

    def _redraw(self) -> None:
        """Rebuild the list from the filters and session, keeping the highlighted option."""
        visible = self._visible()
        option_list = self._list
        option_list.set_options(self._rows(visible) or [ListOption(Text("No option matches."), disabled=True)])
        ids = [option.id for option in visible]
        target = self._current if self._current in ids else next(iter(ids), None)
        if target is not None:
            option_list.highlighted = option_list.get_option_index(target)
        self._show_count(len(visible))
        self._show_detail(target)

    def _rows(self, visible: list[Option]) -> list[ListOption]:
        """Category headers (disabled, so the cursor skips them) then their options."""
        rows: list[ListOption] = []
        for category in self.content.categories:
            members = [option for option in visible if option.category == category.id]
            if members:
                rows.append(ListOption(Text(category.name), disabled=True))
                rows.extend(
                    ListOption(list_prompt(o, self._step(o.id), option_note(self.session, o.id)), id=o.id) for o in members
                )
        return rows

    def _show_count(self, shown: int) -> None:
        relevant = len(self._first_tiers())
        scope = "tiers 1-2 only" if self._relevant_only else f"{relevant} in tiers 1-2"
        text = f"{shown} of {len(self.content.options)} shown · {scope}"
        set_text(self.query_one("#option-count", Label), Text(text))

    def _show_detail(self, option_id: str | None) -> None:
        detail = self.query_one("#option-detail", FlatMarkdown)
        if option_id is None:
            text = "No option matches. Escape in the search box clears it; r shows all options again."
        else:
            option = self.content.options[option_id]
            step = self._step(option_id)
            cautions = self._assessment.option_cautions.get(option_id, ()) if self._assessment else ()
            note = option_note(self.session, option_id)
            text = option_markdown(option, self.content, step, note, self.privacy, cautions)
        if text != detail.source:  # rebuilding the Markdown blocks is the slow part
            detail.update(text)
            self.query_one("#option-detail-scroll", VerticalScroll).scroll_home(animate=False)

    def _step(self, option_id: str) -> Step | None:
        return self._assessment.next_steps.get(option_id) if self._assessment else None

    def _first_tiers(self) -> set[str]:
        steps = self._assessment.next_steps.steps if self._assessment else ()
        return {s.option.id for s in steps if s.tier in (1, 2)}

    # -- events -------------------------------------------------------------------

    @on(Input.Changed, "#option-search")
    def _search_changed(self) -> None:
        self._redraw()

    @on(Input.Submitted, "#option-search")
    @on(SearchInput.Done)
    def _search_done(self) -> None:
        self._list.focus()

    @on(OptionList.OptionHighlighted, "#option-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id is None:
            return
        self._current = event.option_id
        # Rebuilding the Markdown takes a noticeable moment, so while the cursor runs
        # down the list the detail follows at most every DETAIL_DELAY seconds.
        if self._detail_timer is None:
            self._show_detail(event.option_id)
            self._detail_timer = self.set_timer(DETAIL_DELAY, self._detail_catch_up)

    def _detail_catch_up(self) -> None:
        """After a burst of cursor moves, show the option the cursor stopped on."""
        self._detail_timer = None
        highlighted = self._list.highlighted_option
        self._show_detail(highlighted.id if highlighted else None)

    # -- actions ------------------------------------------------------------------

    def _highlighted_option(self) -> Option | None:
        highlighted = self._list.highlighted_option
        return self.content.options.get(highlighted.id) if highlighted and highlighted.id else None

    def action_search(self) -> None:
        self.query_one("#option-search", SearchInput).focus()

    def action_toggle_relevant(self) -> None:
        self._relevant_only = not self._relevant_only
        self._redraw()

    def action_mark(self) -> None:
        option = self._highlighted_option()
        if option is None:
            return

        def done(choice: MarkChoice) -> None:
            self._mark(option, choice.status, choice.note)

        open_form(self, OptionMark(option.name, option_note(self.session, option.id)), done)

    def action_quick_mark(self, status: str) -> None:
        """Set a status (or remove the mark, for ``""``) keeping the note."""
        option = self._highlighted_option()
        if option is None:
            return
        existing = option_note(self.session, option.id)
        self._mark(option, OptionStatus(status) if status else None, existing.note if existing else "")

    def _mark(self, option: Option, status: OptionStatus | None, note: str) -> None:
        label = f"mark option {option.name}" if status else f"remove mark on {option.name}"
        self.edit(with_option(self.session, option.id, status, note), label)
