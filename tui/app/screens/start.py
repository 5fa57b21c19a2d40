"""The start screen: recent cases, open a file, a new case from a medication list or by hand, the demo."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

INTRO = """\
No case is open. Choose a recent case and press Enter, or:

  o  open a case file
  i  new case from a medication list (CSV)
  h  new case by hand (then add medications with a)
  x  open a copy of the demo case (the bundled file is never changed)"""


class StartScreen(Screen[None]):
    """Where the app starts when no case was named on the command line."""

    BINDINGS = [
        Binding("o", "app.open_file", "Open", id="open-file"),
        Binding("i", "app.new_case('csv')", "New from CSV", id="new-csv"),
        Binding("h", "app.new_case('hand')", "New by hand", id="new-hand"),
        Binding("x", "app.open_demo", "Demo", id="open-demo"),
    ]

    class OpenRequested(Message):
        """The pharmacist chose a recent case (the app opens it)."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, recent: list[Path]) -> None:
        super().__init__()
        self.recent = recent

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(INTRO, id="start-text", markup=False)
        yield Static("Recent cases" if self.recent else "No recent cases yet.", classes="section")
        if self.recent:
            yield OptionList(*(Option(f"{p.name}   {p.parent}", id=str(p)) for p in self.recent), id="recent")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.OpenRequested(Path(event.option.id)))
