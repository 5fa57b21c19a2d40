"""The ``taper`` command line (argparse; no Textual: the app starts through one lazy import)."""

from tui.cli.main import main

__all__ = ["main"]
