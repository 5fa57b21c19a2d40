"""The taper builder's keystroke budget: recompute and redraw a two-year schedule (used by bench.py).

Runs the app headless on a copy of the Kowalski case whose oxycodone plan is made to last over two
years (every 35 days), opens the plan in the builder, and in the "every" field deletes the 5 and
types it again. The measured keystroke (the 5) rebuilds the whole schedule, its table, chart and
warnings; the time runs from the key reaching the app until the screen has been refreshed.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def two_year_case():  # type: ignore[no-untyped-def]
    from regimens.case import Pause
    from regimens.casefile import load_case
    from taper.plan_fields import case_with_plan

    case = load_case(ROOT / "examples" / "kowalski.json", today=date(2026, 11, 27))
    plan = case.plans[0]
    longer = plan.model_validate({**plan.model_dump(), "percent": Decimal(7), "interval_days": 35,
                                  "pauses": [Pause(days=14, start=date(2027, 3, 1)).model_dump(),
                                             Pause(days=21, after_step=5).model_dump(),
                                             Pause(days=10, start=date(2027, 9, 1)).model_dump()]})
    return case_with_plan(case, longer, plan.id)


async def _keystrokes(case, path: Path, presses: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    from textual import events
    from textual.screen import Screen

    from tui.app.app import TaperApp
    from tui.app.screens.builder import BuilderScreen

    redrawn = asyncio.Event()
    watched: list[Screen] = []
    frame = Screen._on_timer_update

    def frame_then_check(self: Screen) -> None:  # the screen's refresh: layout and repaint
        frame(self)
        if watched and self is watched[0] and getattr(self, "recomputed", False):
            self.recomputed = False  # type: ignore[attr-defined]
            redrawn.set()

    Screen._on_timer_update = frame_then_check  # type: ignore[method-assign]  # before the screen's timer starts
    app = TaperApp(case=case, case_path=path, today=date(2026, 11, 27))
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.edit_plan(case.plans[0].id)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.query_one("#every").focus()
        await pilot.press("end")
        await pilot.pause()
        recompute = screen.recompute

        def recompute_then_mark() -> None:
            recompute()
            screen.recomputed = True  # type: ignore[attr-defined]

        screen.recompute = recompute_then_mark  # type: ignore[method-assign]
        watched.append(screen)
        for _ in range(presses):
            await pilot.press("backspace")
            await pilot.pause()
            redrawn.clear()
            start = time.perf_counter()
            app._driver.send_message(events.Key("5", "5"))  # as the terminal driver does
            await redrawn.wait()
            times.append((time.perf_counter() - start) * 1000)
            assert screen.fields["every"] == "35"
        assert screen.schedule is not None
        span = (screen.schedule.segments[-1].start - screen.schedule.first_day).days
    Screen._on_timer_update = frame  # type: ignore[method-assign]
    return times, span


def keystroke_ms(presses: int = 21) -> tuple[float, int]:
    """(median ms per keystroke, days the schedule spans)."""
    case = two_year_case()
    with tempfile.TemporaryDirectory() as tmp:
        times, span = asyncio.run(_keystrokes(case, Path(tmp) / "case.json", presses))
    return statistics.median(times), span


if __name__ == "__main__":
    ms, span = keystroke_ms()
    print(f"keystroke to redrawn builder, {span}-day schedule: {ms:.1f} ms (budget 50 ms)")
