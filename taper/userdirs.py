"""The user's own folders for taper, as the platform names them (via platformdirs).

On Linux these follow the XDG base directories: data (demo copies) in ``$XDG_DATA_HOME/taper``
(``~/.local/share/taper``), state (the recent-cases list) in ``$XDG_STATE_HOME/taper``
(``~/.local/state/taper``). Nothing here creates a folder: the code that writes does, owner-only.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "taper"


def data_dir() -> Path:
    """Where files the user keeps live (the demo copies)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def state_dir() -> Path:
    """Where state worth keeping between runs, but not precious, lives (the recent-cases list)."""
    return Path(platformdirs.user_state_dir(APP, appauthor=False))
