"""The taper builder's dose-over-time chart (text drawn by :mod:`tui.app.chart` to the widget's size)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from taper.schedule import Schedule
from tui.app.chart import chart_lines


class DoseChart(Static):
    """Redrawn whenever the schedule changes or the widget is resized."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.schedule: Schedule | None = None
        self.checkins: tuple[date, ...] = ()

    def show(self, schedule: Schedule | None, checkins: tuple[date, ...] = ()) -> None:
        """Draw ``schedule`` with a marker on each check-in day."""
        self.schedule = schedule
        self.checkins = checkins
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.schedule is None or not self.schedule.segments or self.size.width < 20:
            self.update("", layout=False)
            return
        lines = chart_lines(self.schedule, self.size.width, max(self.size.height - 2, 2), self.checkins)
        self.update("\n".join(lines), layout=False)  # the chart's size is fixed by the stylesheet
