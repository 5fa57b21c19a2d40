"""The one error type that reaches the user: bad input, told plainly."""

from __future__ import annotations

import functools
from typing import Any


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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its parts (a process reading a panel ahead hands its errors back this way)."""
        return (functools.partial(type(self), self.message, file=self.file, row=self.row, field=self.field,
                                  column=self.column, details=self.details), ())

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


def read_input(path: object, max_bytes: int, what: str) -> bytes:
    """The bytes of an input file, or a :class:`TaperInputError` naming it (missing, a folder, too big)."""
    from pathlib import Path

    p = Path(str(path))
    name = str(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise TaperInputError(f"is {size // (1024 * 1024)} MB; a {what} is at most "
                                  f"{max_bytes // (1024 * 1024)} MB", file=name)
        return p.read_bytes()
    except FileNotFoundError:
        raise TaperInputError("no such file", file=name) from None
    except IsADirectoryError:
        raise TaperInputError(f"is a folder, not a {what}", file=name) from None
    except PermissionError:
        raise TaperInputError("permission denied", file=name) from None
    except ValueError:  # a NUL byte in the name: no file can have it
        raise TaperInputError("no such file", file=repr(name)) from None
