"""The one error type that reaches the user: bad input, told plainly."""

from __future__ import annotations


class TaperInputError(Exception):
    """Input the user can fix: names the file, and where known the row and field.

    The command line prints ``str(error)`` on stderr and exits with status 2.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        column: str | None = None,
        details: list[str] | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.field = field
        self.column = column
        self.details = details or []
        super().__init__(self.render())

    def render(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        if self.field:
            where.append(f"field '{self.field}'")
        head = ", ".join(where)
        text = f"{head}: {self.message}" if head else self.message
        if self.details:
            text += "\n" + "\n".join(f"  {line}" for line in self.details)
        return text
