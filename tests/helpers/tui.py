"""Waiting for a Textual screen to be done, by its state and never by a fixed sleep.

A busy machine slows everything down, so a test that waits "long enough" sometimes does not: the
screen is captured while a dialog is still being laid out, or a key meant for the dialog reaches
the screen under it. :func:`settle` waits until workers have finished, animations have run, no
refresh or layout is pending and the rendered screen is the same on two checks in a row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.pilot import Pilot
from textual.widget import Widget

if TYPE_CHECKING:
    from tui.app.app import TaperApp

#: Checks before giving up; a screen settles in two or three.
MAX_CHECKS = 200


def _steady_cursors(pilot: Pilot) -> None:
    """Stop text cursors blinking (shown, not hidden): a blink is a timer, so it never settles."""
    for widget in pilot.app.screen.query(Widget):
        if getattr(widget, "cursor_blink", False):
            widget.cursor_blink = False  # type: ignore[attr-defined]


def _pending(pilot: Pilot) -> bool:
    """Whether the screen still has a layout, scroll, repaint or recompose to do."""
    screen = pilot.app.screen
    flags = ("_layout_required", "_scroll_required", "_repaint_required", "_recompose_required")
    return any(getattr(screen, flag, False) for flag in flags) or bool(getattr(screen, "_dirty_widgets", ()))


async def settle(pilot: Pilot) -> None:
    """Return once the app is idle and its screen renders the same twice in a row."""
    app = pilot.app
    previous: str | None = None
    for _ in range(MAX_CHECKS):
        await app.workers.wait_for_complete()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        _steady_cursors(pilot)
        if _pending(pilot):
            previous = None
            continue
        current = app.export_screenshot(simplify=True)
        if current == previous:
            return
        previous = current
    raise AssertionError(f"the screen did not settle after {MAX_CHECKS} checks")


def press_and_settle(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """A ``run_before`` for ``snap_compare``: settle, then each key in turn, settling after each."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def okafor_app(tmp_path: Path) -> tuple[Path, TaperApp]:
    """A copy of the Okafor case in tmp_path, and the app open on it."""
    import shutil

    from regimens.casefile import load_case
    from tests.conftest import EXAMPLES
    from tui.app.app import TaperApp

    path = tmp_path / "case.json"
    shutil.copyfile(EXAMPLES / "okafor.json", path)
    return path, TaperApp(case=load_case(path), case_path=path)
