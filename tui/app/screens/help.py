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
    k        check-ins: record one (n), see the trend, accept (a) or decline (x) the suggestion
    e        export: patient calendar, prescriber summary, phone reminders, CSV
    n        new taper for the selected medication's drug (opens its plan if it has one)
    a        add a medication (the drug completes from the formulary)
    enter    change the selected medication (same form)
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

  Tapers
    enter    change the selected plan in the builder
    n        new plan       d   delete the selected plan (asks first)

  Taper builder (the schedule, chart and warnings follow every keystroke)
    F2 pause   F3 support   F4 follow-up   F5 setback   F6 override warnings
    enter / delete on an item: change / remove it
    "Starts: after plan X" sequences plans (a gap of 7 days by default)
    ctrl+s   keep the plan and save the case; escape asks before dropping changes

  Start (no case open)
    o open a file   i new case from a CSV   h new case by hand   x demo copy
"""


class HelpScreen(ModalScreen[None]):
    """Keys and workflow; escape or F1 closes it."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="close-help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(HELP, id="help-text", markup=False)
