"""One launch of the app, headless, until the regimen screen is ready (used by bench.py).

``launch.py taper CASE`` opens CASE as ``taper open`` does; ``launch.py bare`` opens a bare Textual
app with the same widgets (header, patient line, two tables with the same rows, footer) and no
taper code, the reference for the launch budget. Both exit as soon as the tables are drawn.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    """Report once the tables are filled and painted (polling, so background work does not delay it)."""
    import asyncio

    from textual.widgets import DataTable

    app = pilot.app
    for _ in range(5000):
        await asyncio.sleep(0.001)
        tables = app.screen.query(DataTable)
        if tables and all(t.row_count for t in tables):
            break
    else:
        raise SystemExit("the tables never filled")
    await app.screen.wait_for_refresh()
    sys.__stdout__.write("ready\n")
    sys.__stdout__.flush()
    if WAIT_FOR_CASE:  # also time the models built behind the first paint
        for _ in range(5000):
            if getattr(app, "case", None) is not None:
                break
            await asyncio.sleep(0.001)
        sys.__stdout__.write("loaded\n")
        sys.__stdout__.flush()
    app.exit()


WAIT_FOR_CASE = "--loaded" in sys.argv


def bare(rows: int = 7, totals: int = 6) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Walter Kowalski  born Fri 12 Mar 1954 (age 72)")
            yield Static("Medications")
            yield DataTable(id="medications")
            yield Static("Daily totals by ingredient")
            yield DataTable(id="totals")
            yield Footer()

        def on_mount(self) -> None:
            meds = self.query_one("#medications", DataTable)
            meds.add_columns("Medication", "Dose", "When", "Per day")
            for i in range(rows):
                meds.add_row(f"drug {i} 15 mg tablet", "1 tablet (15 mg)", "morning, evening", "30 mg")
            tot = self.query_one("#totals", DataTable)
            tot.add_columns("Ingredient", "Scheduled", "As needed (most a day)")
            for i in range(totals):
                tot.add_row(f"drug {i}", "30 mg", "-")

    Bare().run(headless=True, auto_pilot=ready)


def main() -> None:
    if sys.argv[1] == "bare":
        bare()
    else:
        from tui.app.launch import run_app

        run_app(Path(sys.argv[2]), headless=True, auto_pilot=ready)  # add --loaded to wait for the models too


if __name__ == "__main__":
    main()
