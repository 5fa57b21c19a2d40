"""The check-ins screen: what the patient reported at each follow-up, the trend, and the rules' suggestion.

``n`` records a check-in (a form); ``a`` accepts the latest check-in's hold or slow suggestion into its
plan and ``x`` declines it. The screen only posts messages: the app changes and saves the case.
An urgent suggestion (a self-harm answer of yes) is shown first, above everything else.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from regimens.case import Case
from regimens.checkin import CheckIn
from regimens.datefmt import short_date
from regimens.quantity import format_number
from taper.adapters import case_schedules
from taper.checkin_fields import SCORE_FIELDS, SELF_HARM_CHOICES, checkin_from
from taper.checkins import Suggestion, suggest, trend_lines, trend_rows
from taper.schedule import PlanError, Schedule
from taper.strategies import StrategyError
from tui.app.chart import trend_chart
from tui.app.screens.fields_dialog import Field, FieldsDialog


class CheckinsScreen(Screen[None]):
    """The list, the trend chart, and the latest suggestion with accept / decline."""

    BINDINGS = [
        Binding("escape,b", "app.pop_screen", "Back", id="back"),
        Binding("n", "add", "New check-in", id="new-checkin"),
        Binding("a", "accept", "Accept suggestion", id="accept-suggestion"),
        Binding("x", "decline", "Decline suggestion", id="decline-suggestion"),
    ]

    class CheckInRecorded(Message):
        """The pharmacist recorded a check-in (the app adds it to the case and saves)."""

        def __init__(self, checkin: CheckIn) -> None:
            super().__init__()
            self.checkin = checkin

    class SuggestionAccepted(Message):
        """The pharmacist accepted a hold or slow suggestion (the app changes the plan and saves)."""

        def __init__(self, checkin: CheckIn, suggestion: Suggestion) -> None:
            super().__init__()
            self.checkin = checkin
            self.suggestion = suggestion

    def __init__(self, case: Case, today: date | None = None) -> None:
        super().__init__()
        self.today = today or date.today()
        self.declined: set[tuple[date, str]] = set()
        self._load(case)

    def _load(self, case: Case) -> None:
        self.case = case
        self.error: str | None = None
        self.schedules: list[Schedule] = []
        try:
            self.schedules = case_schedules(case) if case.plans else []
        except (PlanError, StrategyError) as exc:
            self.error = str(exc)
        self.latest = case.checkins[-1] if case.checkins else None
        self.suggestion: Suggestion | None = None
        if self.latest is not None and self.error is None:
            found = suggest(case, self.latest, self.schedules)
            settled = self.latest.accepted is not None or (
                found is not None and (self.latest.on, found.action) in self.declined)
            # A hold or slow-down already accepted or declined is not offered again; review and urgent stay.
            self.suggestion = None if found is not None and found.action in ("hold", "slow") and settled else found

    def show(self, case: Case) -> None:
        """Redraw after the case changed (a check-in added, a suggestion accepted)."""
        self._load(case)
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="checkins"):
            s = self.suggestion
            if s is not None and s.action == "urgent":
                yield Static(f"URGENT: {s.reason}", id="suggestion", classes="urgent", markup=False)
            if self.error:
                yield Static(f"These plans cannot be scheduled: {self.error}", markup=False)
            yield Static("Check-ins", classes="section", markup=False)
            if not self.case.checkins:
                yield Static("No check-ins yet. Press n to record one (the first, before step 1, is the "
                             "baseline).", id="no-checkins", markup=False)
            else:
                yield self._table()
                yield Static("Trend", classes="section", markup=False)
                yield Static("\n".join(trend_chart(trend_rows(self.case))), id="trend", markup=False)
                if self.latest is not None and self.error is None:
                    yield Static("\n".join(trend_lines(self.case, self.latest, self.schedules)), id="trend-text",
                                 markup=False)
            if s is not None:
                if s.action != "urgent":
                    keys = "  a: accept into the plan   x: decline" if s.action in ("hold", "slow") else ""
                    yield Static(f"Suggestion ({s.action}): {s.reason}{keys}\nRule {s.rule}. Source: {s.source}",
                                 id="suggestion", classes=f"suggestion {s.action}", markup=False)
            elif self.latest is not None and self.latest.accepted:
                yield Static(f"Accepted on the check-in of {short_date(self.latest.on, True)}: "
                             f"{self.latest.accepted}.", id="suggestion", markup=False)
            elif self.latest is not None and self.error is None:
                yield Static("Steady: nothing in the latest check-in suggests changing the plan.", id="suggestion",
                             markup=False)
        yield Footer()

    def _table(self) -> DataTable[str]:
        table: DataTable[str] = DataTable(id="checkin-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Date", "PEG", "Sleep", "Goal", "Withdrawal", "Walk", "PHQ-2", "GAD-2", "Self-harm",
                          "Decision", "Note")
        for c in self.case.checkins:
            table.add_row(short_date(c.on, True), _n(c.peg), _n(c.sleep), _n(c.goal),
                          "" if c.withdrawal is None else f"{_n(c.withdrawal)} ({c.withdrawal_scale})",
                          _n(c.walk_minutes), _n(c.phq2), _n(c.gad2),
                          "" if c.self_harm is None else ("YES" if c.self_harm else "no"),
                          c.accepted or "", c.note[:40])
        table.move_cursor(row=len(self.case.checkins) - 1)
        return table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "decline"):
            s = self.suggestion
            return s is not None and s.action in ("hold", "slow")
        return True

    def action_add(self) -> None:
        fields = [Field("date", "Date (YYYY-MM-DD)", default=self.today.isoformat())]
        fields += [Field(fid, label) for fid, label, _, _ in SCORE_FIELDS[:5]]
        fields.append(Field("withdrawal", "Withdrawal, self-rating (0 none - 10 worst)"))
        fields += [Field(fid, label) for fid, label, _, _ in SCORE_FIELDS[5:]]
        fields.append(Field("self-harm", "Self-harm question (ask it; never inferred from notes)", "choice",
                            options=SELF_HARM_CHOICES))
        fields += [Field("note", "Note"), Field("by", "Recorded by")]

        def done(checkin: CheckIn | None) -> None:
            if checkin is not None:
                self.post_message(self.CheckInRecorded(checkin))

        self.app.push_screen(FieldsDialog("New check-in", fields, lambda v: checkin_from(v, self.today),
                                          note="Leave out what was not asked.", ok="Record"), done)

    def action_accept(self) -> None:
        if self.latest is not None and self.suggestion is not None and self.suggestion.action in ("hold", "slow"):
            self.post_message(self.SuggestionAccepted(self.latest, self.suggestion))

    def action_decline(self) -> None:
        if self.latest is None or self.suggestion is None:
            return
        self.declined.add((self.latest.on, self.suggestion.action))
        self.notify("Declined: the plan is unchanged.")
        self.show(self.case)


def _n(value: object) -> str:
    if value is None:
        return ""
    return format_number(value) if not isinstance(value, int) else str(value)  # type: ignore[arg-type]
