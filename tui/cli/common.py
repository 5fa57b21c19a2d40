"""What every command of the command line shares: exit codes, the usage error and the parser."""

from __future__ import annotations

import argparse

from regimens.errors import TaperInputError

EXIT_OK = 0
EXIT_CONDITION = 1
EXIT_BAD_INPUT = 2


class UsageError(TaperInputError):
    """A command-line argument that cannot be used."""


class Parser(argparse.ArgumentParser):
    """argparse that reports problems as :class:`UsageError` instead of exiting itself."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")
