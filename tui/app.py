"""The Textual application: owns the open case and shows its screens."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from regimens.case import Case
from tui.screens.regimen import RegimenScreen
from tui.screens.start import StartScreen


class TaperApp(App[None]):
    """taper in the terminal."""

    TITLE = "taper"
    CSS_PATH = "styles/app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("r", "review", "Review", id="review"),
        Binding("t", "plans", "Tapers", id="plans"),
        Binding("c", "calendar", "Calendar", id="calendar"),
    ]

    def __init__(self, case: Case | None = None, case_path: Path | None = None) -> None:
        super().__init__()
        self.case = case
        self.case_path = case_path

    def on_mount(self) -> None:
        if self.case is not None:
            self.sub_title = f"{self.case.patient.name} · {self.case_path.name if self.case_path else ''}"
            self.push_screen(RegimenScreen(self.case))
        else:
            self.push_screen(StartScreen())

    def action_review(self) -> None:
        """Open the review of the open case's regimen."""
        if self.case is None:
            self.notify("Open a case first.", severity="warning")
            return
        from tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(self.case))

    def action_plans(self) -> None:
        """Show the saved taper plans with their steps and warnings."""
        if self.case is None:
            self.notify("Open a case first.", severity="warning")
            return
        from tui.screens.plans import PlansScreen

        self.push_screen(PlansScreen(self.case))

    def action_calendar(self) -> None:
        """Preview the patient's calendar."""
        if self.case is None:
            self.notify("Open a case first.", severity="warning")
            return
        from tui.screens.calendar import CalendarScreen

        self.push_screen(CalendarScreen(self.case))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Review", "Interactions, MME, burden scores and older-adult flags", self.action_review)
        yield SystemCommand("Tapers", "The saved taper plans, their steps and warnings", self.action_plans)
        yield SystemCommand("Calendar", "Preview the patient's calendar", self.action_calendar)
