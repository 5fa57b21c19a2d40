"""The start screen shown when no case is open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

START_TEXT = """\
No case is open.

  taper open CASE.json        open a case file
  taper demo                  open a copy of a bundled example case
  taper new --from MEDS.csv --name NAME --birth-date YYYY-MM-DD -o CASE.json
                              create a case from a medication list

Press q to quit."""


class StartScreen(Screen[None]):
    """Tells the user how to open or create a case."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(START_TEXT, id="start-text")
        yield Footer()
