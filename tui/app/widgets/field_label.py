"""A form field's label that also carries its error, in words ("Problem: ...") as well as colour."""

from __future__ import annotations

from textual.widgets import Static


class FieldLabel(Static):
    """Shows ``text``, or ``text`` and the problem on the next line while there is one."""

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(text, id=id, markup=False)
        self.text = text
        self.error: str | None = None

    def show_error(self, error: str | None) -> None:
        if error == self.error:
            return
        self.error = error
        self.set_class(error is not None, "-error")
        self.update(self.text if error is None else f"{self.text}\nProblem: {error}")
