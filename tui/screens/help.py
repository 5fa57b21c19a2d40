"""F1 help: what each key does and how a taper is built, on one page."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
taper — keys

  Regimen (the first screen)
    r        review: interactions, MME, diazepam equivalents, burden scores, flags
    t        tapers: each saved plan's steps, cuts and guideline warnings
    c        calendar preview: the month view the patient gets (n / p change month)
    e        export: patient calendar, prescriber summary, phone reminders, CSV
    a        add a medication (the drug completes from the formulary)
    d        remove the selected medication (asks first)
    ctrl+s   save the case (atomic; the previous version is kept as .bak)
    ctrl+p   command palette: every action by name ("review", "export", ...)
    q        quit (asks first when there are unsaved changes)

  Everywhere
    escape   back / close a dialog
    tab      next field or table
    F1       this help

Unsaved changes are written to CASE.json.recovery every 30 seconds and offered
when the case is opened again.

Taper plans are built on the command line for now:
  taper plan CASE --drug oxycodone --strategy percent-current --percent 10 \\
             --every 4w --save
then reopen the case here to review, preview and export them.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and workflow; escape or F1 closes it."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="close-help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(HELP, id="help-text", markup=False)
