"""F1: the keys, and in a few lines each rule the app applies, with its source."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.keys import format_key
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Markdown

from trd_tui.clinical.explain import rules_markdown
from trd_tui.clinical.next_steps import tiers_markdown
from trd_tui.clinical.safety import ITEM9_POSITIVE
from trd_tui.pack.records import Content
from trd_tui.export.summary import DISCLAIMER
from trd_tui.ui.dialogs.dialogs import Dialog
from trd_tui.ui.host import host
from trd_tui.ui.panes.pane import PANES, load_class

#: Screens other than the panes whose keys help lists: (title, ``module:Class``).
OTHER_SCREENS = (("Patient view", "trd_tui.ui.screens.patient_view:PatientView"),)


def pane_keys() -> str:
    """Each pane's keys, read from the panes' own bindings so help never drifts from them."""
    rows = ["| pane | key | does |", "|---|---|---|"]
    screens = [(p.title, p.load()) for p in PANES] + [(title, load_class(home)) for title, home in OTHER_SCREENS]
    for name, pane in screens:
        for binding in pane.BINDINGS:
            assert isinstance(binding, Binding)
            keys = " / ".join(format_key(k.strip()) for k in binding.key.split(","))
            rows.append(f"| {name} | {keys} | {binding.tooltip or binding.description} |")
    return "Each pane's own keys (the footer shows the main ones while the pane has the keyboard):\n\n" + "\n".join(rows)


def help_markdown(content: Content) -> str:
    rules = content.rules
    weeks = f"{rules.min_trial_weeks:g}"
    return f"""\
# trd-tui help

*{DISCLAIMER}* It explains and shows reasons; it never orders a treatment.

## Keys
| key | does |
|---|---|
| {' '.join(p.key for p in PANES)} | {', '.join(p.title for p in PANES)} panes |
| F1 / F2 | this help / patient, episode and visit |
| F3 | sharing mode, for a screen the patient sees: no record id, birth year, notes or file names, and dates in months from the episode onset. F3 again asks before showing them |
| F4 | patient view: the options under discussion in plain words, a side-by-side comparison, and the patient's preference on each |
| ctrl+s | save (an untitled session asks for a path) |
| ctrl+z | undo the last edit |
| ctrl+p | command palette: new, open, save as, export summary, … |
| ctrl+q | quit (asks first if there are unsaved changes) |
| Escape | close a dialog or form without changes |

{pane_keys()}

## Rules applied
- **Adequacy.** A trial with a minimum dose in the content pack is rated, first that applies:
  *too-short* (under {weeks} weeks, counted from the date the dose was reached when recorded;
  {content.cite([rules.min_trial_weeks_source])}), *dose-too-low*
  (below the minimum mg/day, lower end of CANMAT 2023 Table 3.3), *dose-unknown*, *poor-adherence*;
  otherwise *adequate*. Partial or unknown adherence is named in the reasons. Procedures,
  psychotherapies and free-text treatments are *not rated*.
- **TRD**: {rules.trd.rule(content.cite)}.
  Monotherapy or combination trials count; a trial that ended before the episode onset does not.
  Alongside, the **Sforzini 2022** category ({content.cite([rules.trd.sforzini_source])}), which counts
  only no response (< 25 % improvement) as failure: *treatment-resistant* when at least
  {rules.trd.min_failures} failures were non-responses, *partially responsive* when at least
  {rules.trd.min_failures} failed but fewer were non-responses.
- **Not tolerated.** A trial whose outcome is *not tolerated* is rated *not-tolerated*: intolerance,
  not resistance. It is neither failed nor inadequate, and the summary lists it on its own.
{rules_markdown()}
- **Safety.** Suicidality marked concern or follow-up in the checklist, or a PHQ-9 with
  {ITEM9_POSITIVE}, shows the crisis resources at the top of the screen, for the region in the
  preferences (ctrl+p → "Crisis resources: …"; US unless chosen).
{tiers_markdown(content)}
"""


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("f1", "cancel", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        content = host(self).content
        with Vertical(classes="dialog-box"):
            with VerticalScroll(can_focus=True):
                yield Markdown(help_markdown(content), open_links=False)
            yield Button("Close (Escape)", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss(None)
