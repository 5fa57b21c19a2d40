"""The Textual application: owns the open case and shows its screens.

The app holds the case (screens get it as an attribute and post messages back). Work is never
lost: ctrl+s saves atomically with a backup, unsaved changes are written to a recovery file every
30 seconds, quitting with unsaved changes asks first, and a recovery file is offered on reopening.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from regimens.case import Case, TaperPlan
    from regimens.regimen import Medication
    from tui.app.screens.builder import BuilderScreen
    from tui.app.screens.checkins import CheckinsScreen
    from tui.app.screens.export import ExportDialog
    from tui.app.screens.plans import PlansScreen

from tui.app.case_app import CaseApp, recovery_path
from tui.app.screens.confirm import ChoiceDialog
from tui.app.screens.regimen import RegimenScreen

__all__ = ["TaperApp", "recovery_path"]


AUTOSAVE_SECONDS = 30
# Actions that open a screen: not while a dialog is up (a key typed in a dialog must not open another screen).
SCREEN_ACTIONS = frozenset({"review", "plans", "calendar", "export", "help", "add_medication", "new_plan",
                            "edit_medication", "checkins"})

# Actions that need an open case.
CASE_ACTIONS = SCREEN_ACTIONS - {"help"} | {"save"}


class TaperApp(CaseApp):
    """taper in the terminal: the screens and the edits (opening, saving and recovering the case are in CaseApp)."""

    TITLE = "taper"
    CSS_PATH = "styles/app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("r", "review", "Review", id="review"),
        Binding("t", "plans", "Tapers", id="plans"),
        Binding("n", "new_plan", "New taper", id="new-plan"),
        Binding("c", "calendar", "Calendar", id="calendar"),
        Binding("k", "checkins", "Check-ins", id="checkins"),
        Binding("e", "export", "Export", id="export"),
        Binding("f1", "help", "Help", id="help"),
    ]

    def on_mount(self) -> None:
        self._watch_hangup()
        self.set_interval(AUTOSAVE_SECONDS, self.autosave)
        self.show_first_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CASE_ACTIONS and self.case is None:
            return False  # hidden from the footer until a case is open
        return not (action in SCREEN_ACTIONS and isinstance(self.screen, ModalScreen))

    def with_medications(self, medications: list[Medication]) -> Case:
        """The open case with its medication list replaced (validated as a whole)."""
        from regimens.case import Case

        assert self.case is not None
        meds = [m.model_dump() for m in medications]
        return Case.model_validate({**self.case.model_dump(), "regimen": {"medications": meds}})

    # --- changes -------------------------------------------------------------------------------

    def builder(self) -> BuilderScreen | None:
        """The taper builder, when it is open."""
        from tui.app.screens.builder import BuilderScreen

        return next((s for s in self.screen_stack if isinstance(s, BuilderScreen)), None)

    def unsaved(self) -> bool:
        """Changes not in the case file: edits to the case, or a builder draft not yet kept."""
        builder = self.builder()
        return self.dirty or (builder is not None and builder.unkept())

    def pending_case(self) -> Case | None:
        """The case as it would be saved now, with the builder's draft in it."""
        builder = self.builder()
        if self.case is None or builder is None:
            return self.case
        return builder.with_draft(self.case)

    def keep_plan(self, plan: TaperPlan, replaces: str | None) -> bool:
        """Put a plan from the builder into the case (in place of ``replaces``) and save the file."""
        if self.case is None:
            return False
        from taper.plan_fields import case_with_plan

        try:
            case = case_with_plan(self.case, plan, replaces)
        except ValueError as exc:
            self.notify(f"The plan is not kept: {exc}", severity="error", timeout=10)
            return False
        if not self.change_case(case):
            return False
        self.action_save()
        return True

    def on_builder_screen_plan_kept(self, message: BuilderScreen.PlanKept) -> None:
        builder = self.builder()
        if not self.keep_plan(message.plan, message.replaces):
            return
        if builder is not None:
            builder.kept(message.plan)
            if message.close and self.screen is builder:
                builder.dismiss()

    def on_export_dialog_language_chosen(self, message: ExportDialog.LanguageChosen) -> None:
        """Remember the calendar language the pharmacist printed in (the next export offers it first)."""
        if self.case is None:
            return
        from regimens.case import Case
        from taper.catalogue import languages

        data = self.case.model_dump()
        case = Case.model_validate({**data, "patient": {**data["patient"], "language": message.language}})
        if self.change_case(case):
            name = languages()[message.language]["english_name"]
            self.notify(f"The case now records {name} as the patient's language (ctrl+s saves it).")

    def on_regimen_screen_edit_requested(self, message: RegimenScreen.EditRequested) -> None:
        if self.open_case() is not None:
            self.edit_medication(message.medication_id)

    def on_checkins_screen_check_in_recorded(self, message: CheckinsScreen.CheckInRecorded) -> None:
        """Add the check-in to the case and save it; the screen then shows the trend and any suggestion."""
        if self.case is None or not self.writable():
            return
        from taper.checkins import with_checkin

        if self.change_case(with_checkin(self.case, message.checkin)):
            self.action_save()
            self.notify(f"Recorded the check-in of {message.checkin.on.isoformat()}.")

    def on_checkins_screen_suggestion_accepted(self, message: CheckinsScreen.SuggestionAccepted) -> None:
        """Change the plan as the accepted suggestion says (the check-in is its reason) and save."""
        if self.case is None or not self.writable():
            return
        from taper.checkins import AcceptError, accept

        try:
            case = accept(self.case, message.checkin, message.suggestion)
        except (AcceptError, ValueError) as exc:
            self.notify(f"Not accepted: {exc}", severity="error", timeout=10)
            return
        if self.change_case(case):
            self.action_save()
            what = "holds" if message.suggestion.action == "hold" else "slows down"
            self.notify(f"Plan {message.suggestion.plan} now {what}; later steps are re-dated.")

    def on_plans_screen_edit_requested(self, message: PlansScreen.EditRequested) -> None:
        self.edit_plan(message.plan_id)

    def on_plans_screen_delete_requested(self, message: PlansScreen.DeleteRequested) -> None:
        self.delete_plan(message.plan_id)

    def on_regimen_screen_remove_requested(self, message: RegimenScreen.RemoveRequested) -> None:
        if self.open_case() is None or not self.writable():
            return
        assert self.case is not None
        med = self.case.regimen.by_id(message.medication_id)
        used = [p.id for p in self.case.plans if med.id in p.medication_ids]
        if used:
            self.notify(f"Plan {used[0]} tapers this medication; change the plan first.", severity="warning")
            return

        def answer(choice: str | None) -> None:
            if choice == "remove" and self.case is not None and self.change_case(self.with_medications(
                    [m for m in self.case.regimen.medications if m.id != med.id])):
                self.notify(f"Removed {med.description()}. Save with ctrl+s.")

        self.push_screen(ChoiceDialog(f"Remove {med.description()} from the list?",
                                      [("remove", "Remove"), ("cancel", "Cancel")]), answer)

    def action_add_medication(self) -> None:
        """Add a medication through a form that offers only real products."""
        if (case := self.open_case()) is None or not self.writable():
            return
        from tui.app.screens.medication import MedicationForm

        used = {m.id for m in case.regimen.medications}
        new_id = next(f"m{n}" for n in range(1, len(used) + 2) if f"m{n}" not in used)

        def added(medication: Medication | None) -> None:
            if medication is None or self.case is None:
                return
            if self.change_case(self.with_medications([*self.case.regimen.medications, medication])):
                self.notify(f"Added {medication.description()}. Save with ctrl+s.")

        self.push_screen(MedicationForm(new_id), added)

    def edit_medication(self, medication_id: str) -> None:
        """Change a medication line through the same form (a plan that tapers it is pointed out)."""
        if self.case is None or not self.writable():
            return
        from tui.app.screens.medication import MedicationForm

        med = self.case.regimen.by_id(medication_id)

        def changed(medication: Medication | None) -> None:
            if medication is None or self.case is None or medication == med:
                return
            meds = [medication if m.id == med.id else m for m in self.case.regimen.medications]
            if not self.change_case(self.with_medications(meds)):
                return
            plans = [p.id for p in self.case.plans if med.id in p.medication_ids]
            note = f" Plan {plans[0]} tapers it: check its current dose in the builder." if plans else ""
            self.notify(f"Changed {medication.description()}.{note} Save with ctrl+s.",
                        timeout=10 if plans else 5)

        self.push_screen(MedicationForm(med.id, med), changed)

    # --- safety of work --------------------------------------------------------------------------

    def _watch_hangup(self) -> None:
        """A closed terminal (SIGHUP) writes the recovery file and exits instead of spinning on."""
        import asyncio
        import signal

        # No SIGHUP on this platform, or not the main thread (tests): nothing to watch.
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)

    def hang_up(self) -> None:
        """The terminal went away: keep unsaved work in the recovery file, then quit."""
        self.autosave()
        self.exit()

    async def action_quit(self) -> None:
        if not self.unsaved():
            self.autosave()
            self.exit()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                builder = self.builder()
                if builder is not None and builder.unkept():
                    if builder.draft is None:
                        builder.action_keep()  # says which fields to fix; nothing is lost
                    elif self.keep_plan(builder.draft, builder.replaces):
                        builder.kept(builder.draft)
                if self.dirty:
                    self.action_save()
                if not self.unsaved():
                    self.exit()
            elif choice == "discard":
                if self.case_path is not None:
                    recovery_path(self.case_path).unlink(missing_ok=True)
                self.exit()

        self.push_screen(ChoiceDialog("There are unsaved changes.",
                                      [("save", "Save and quit"), ("discard", "Quit without saving"),
                                       ("cancel", "Cancel")]), answer)

    # --- other screens --------------------------------------------------------------------------

    def action_review(self) -> None:
        """Open the review of the open case's regimen."""
        if (case := self.open_case()) is None:
            return
        from tui.app.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(case, self.today))

    def action_plans(self) -> None:
        """Show the saved taper plans with their steps and warnings."""
        if (case := self.open_case()) is None:
            return
        from tui.app.screens.plans import PlansScreen

        self.push_screen(PlansScreen(case))

    def action_new_plan(self) -> None:
        """Build a new taper plan (for the drug of the selected medication, on the regimen screen)."""
        if (case := self.open_case()) is None or not self.writable():
            return
        from taper.plan_fields import taperable_drugs
        from tui.app.screens.builder import BuilderScreen

        drugs = taperable_drugs(case.regimen)
        if not drugs:
            self.notify("There is no scheduled medication to taper.", severity="warning")
            return
        selected = self.screen.selected_drug() if isinstance(self.screen, RegimenScreen) else None
        existing = next((p for p in case.plans if p.drug == selected), None)
        if existing is not None:
            self.notify(f"Plan {existing.id} already tapers {selected}: opened it.")
            self.push_screen(BuilderScreen(case, existing, self.today), self._builder_closed)
            return
        self.push_screen(BuilderScreen(case, None, self.today, selected), self._builder_closed)

    def edit_plan(self, plan_id: str) -> None:
        """Open a saved plan in the builder."""
        if self.case is None:
            return
        from tui.app.screens.builder import BuilderScreen

        plan = next(p for p in self.case.plans if p.id == plan_id)
        self.push_screen(BuilderScreen(self.case, plan, self.today), self._builder_closed)

    def _builder_closed(self, _: None) -> None:
        """The builder is gone (kept, discarded or left unchanged): the recovery file follows."""
        self.autosave()

    def delete_plan(self, plan_id: str) -> None:
        """Delete a plan after a confirm (refused while another plan follows it)."""
        if self.case is None:
            return
        following = [p.id for p in self.case.plans if p.follows == plan_id]
        if following:
            self.notify(f"Plan {following[0]} follows this plan; change it first.", severity="warning")
            return

        def answer(choice: str | None) -> None:
            if choice == "delete" and self.case is not None:
                from taper.plan_fields import case_without_plan

                if self.change_case(case_without_plan(self.case, plan_id)):
                    self.notify(f"Deleted plan {plan_id}. Save with ctrl+s.")

        self.push_screen(ChoiceDialog(f"Delete plan {plan_id}? Its calendar and reminders go with it.",
                                      [("delete", "Delete"), ("cancel", "Cancel")]), answer)

    def action_calendar(self) -> None:
        """Preview the patient's calendar."""
        if (case := self.open_case()) is None:
            return
        from tui.app.screens.calendar import CalendarScreen

        self.push_screen(CalendarScreen(case, self.today))

    def action_checkins(self) -> None:
        """Record check-ins, see the trend and accept or decline the rules' suggestion."""
        if (case := self.open_case()) is None:
            return
        from tui.app.screens.checkins import CheckinsScreen

        self.push_screen(CheckinsScreen(case, self.today))

    def action_export(self) -> None:
        """Open the export dialog (calendar, summary, reminders, CSV)."""
        if (case := self.open_case()) is None:
            return
        if not case.plans:
            self.notify("There is no taper plan to export yet.", severity="warning")
            return
        from tui.app.screens.export import ExportDialog

        folder = self.case_path.parent if self.case_path is not None else Path.cwd()
        self.push_screen(ExportDialog(case, folder, self.case_path.name if self.case_path else "", self.today,
                                      self.case_path))

    def action_help(self) -> None:
        """Keys and how the screens fit together."""
        from tui.app.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.case is None:
            yield SystemCommand("Open case", "Open a case file (o)", self.action_open_file)
            yield SystemCommand("New case from CSV", "Create a case from a medication list (i)",
                                lambda: self.action_new_case("csv"))
            yield SystemCommand("New case by hand", "Create a case and add medications (h)",
                                lambda: self.action_new_case("hand"))
            yield SystemCommand("Demo", "Open a copy of the demo case (x)", self.action_open_demo)
            return
        yield SystemCommand("Review", "Interactions, MME, burden scores and older-adult flags", self.action_review)
        yield SystemCommand("Tapers", "The saved taper plans, their steps and warnings", self.action_plans)
        yield SystemCommand("New taper", "Build a taper plan for one drug (n)", self.action_new_plan)
        yield SystemCommand("Calendar", "Preview the patient's calendar", self.action_calendar)
        yield SystemCommand("Check-ins", "Record a check-in, see the trend and the suggestion (k)",
                            self.action_checkins)
        yield SystemCommand("Add medication", "Add a line to the medication list (a)", self.action_add_medication)
        yield SystemCommand("Export", "Calendar, summary, phone reminders and CSV", self.action_export)
        yield SystemCommand("Save", "Save the case (ctrl+s)", self.action_save)
        yield SystemCommand("Save as", "Save the case as a new file and go on in it", self.action_save_as)
        yield SystemCommand("Help", "Keys and how the screens fit together (F1)", self.action_help)
        yield from self._screen_commands(screen)

    def _screen_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette entries for the keys of the screen in front (the builder's F-keys and so on)."""
        from tui.app.screens.builder import BuilderScreen
        from tui.app.screens.checkins import CheckinsScreen
        from tui.app.screens.plans import PlansScreen

        if isinstance(screen, RegimenScreen):
            yield SystemCommand("Change medication", "Change the selected line (enter)", screen.action_edit)
            yield SystemCommand("Remove medication", "Remove the selected line (d)", screen.action_remove)
        elif isinstance(screen, PlansScreen):
            yield SystemCommand("Change plan", "Open the selected plan in the builder (enter)", screen.action_edit)
            yield SystemCommand("Delete plan", "Delete the selected plan (d)", screen.action_delete)
        elif isinstance(screen, CheckinsScreen):
            yield SystemCommand("New check-in", "Record what the patient reports (n)", screen.action_add)
            if screen.check_action("accept", ()):
                yield SystemCommand("Accept suggestion", "Take the hold or slow-down into the plan (a)",
                                    screen.action_accept)
                yield SystemCommand("Decline suggestion", "Leave the plan as it is (x)", screen.action_decline)
        elif isinstance(screen, BuilderScreen):
            for kind, key in (("pause", "F2"), ("support", "F3"), ("follow-up", "F4"), ("setback", "F5")):
                yield SystemCommand(f"Add {kind}", f"Add a {kind} to this plan ({key})",
                                    lambda kind=kind: screen.action_add(kind))
            yield SystemCommand("Override warnings", "Accept the open guideline warnings with a reason (F6)",
                                screen.action_override)
            yield SystemCommand("Keep plan", "Keep the plan in the case and save (ctrl+s)", screen.action_keep)
