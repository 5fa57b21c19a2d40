"""Small dialogs that return a typed answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceDialog(ModalScreen[str]):
    """A question with a few answers; dismisses with the chosen answer's id ("cancel" on escape)."""

    BINDINGS = [Binding("escape", "dismiss('cancel')", "Cancel", id="cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            with Horizontal(id="choices"):
                for answer, label in self.choices:
                    yield Button(label, id=f"choice-{answer}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("choice-"))
