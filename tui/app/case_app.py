"""The case file's life in the app: opening, locking, saving and recovering it.

:class:`CaseApp` is the base of :class:`tui.app.app.TaperApp` (the screens and edits). It opens a
case (named on the command line or chosen on the start screen), takes the case's lock (read-only
when another window has it), offers a damaged file's backup and a recovery file's unsaved changes,
replaces the case when it is edited, saves it atomically (refusing to overwrite a change made
elsewhere: reload or save as a new file), and keeps the recovery file holding exactly the unsaved work.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.reactive import reactive

from regimens.casefile import recovery_path
from tui.app.screens.confirm import ChoiceDialog
from tui.app.screens.regimen import RegimenScreen
from tui.app.screens.start import StartScreen
from tui.app.start_form import new_case_file

if TYPE_CHECKING:
    from regimens.case import Case
    from regimens.lock import Holder




READ_ONLY_HINT = "make it writable (chmod u+w) or close and copy the case to a new file"


def _save_as_target(values: dict[str, str]) -> tuple[Path | None, dict[str, str]]:
    target, problem = new_case_file(values.get("path", ""))
    return target, {"path": problem} if problem else {}


class CaseApp(App[None]):
    """Holds the open case and opens, locks and replaces it."""

    case: reactive[Case | None] = reactive(None, init=False)
    """The open case; the screens that show it are redrawn when it changes."""

    def __init__(self, case: Case | None = None, case_path: Path | None = None,
                 recovered: Case | None = None, today: date | None = None) -> None:
        super().__init__()
        self.locked_by: Holder | None = None
        """Another live app holding this case's lock: this one is read-only."""
        self.damaged: str | None = None
        """Why the case file could not be read, when ``case`` is its backup (offered on start)."""
        self.today = today  # None: the real date (tests and snapshots fix it)
        self.set_reactive(CaseApp.case, case)
        self.case_path = case_path
        self.recovered = recovered
        self.dirty = False
        self.disk_stamp: str | None = None
        """The case file as read (see regimens.casefile.disk_stamp): a save over an outside change is refused."""

    def show_first_screen(self) -> None:
        """The case named on the command line, or the start screen."""
        if self.case is not None:
            self._show_case()
        else:
            from tui.app.recent import recent_cases

            self.push_screen(StartScreen(recent_cases()))

    def _show_case(self) -> None:
        """Show the open case on the regimen screen (in place of the start screen) and offer any recovery."""
        assert self.case is not None
        screen = RegimenScreen(self.case, self.today)
        if isinstance(self.screen, StartScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self._after_open()
        if self.damaged is not None and self.case_path is not None:
            self._offer_backup()

    def _offer_backup(self) -> None:
        """The case file is damaged and ``case`` is its backup: open that (saving repairs the file) or quit."""
        from datetime import datetime

        from regimens.casefile import backup_path

        assert self.case_path is not None
        saved = datetime.fromtimestamp(backup_path(self.case_path).stat().st_mtime).strftime("%Y-%m-%d %H:%M")

        def answer(choice: str | None) -> None:
            if choice == "backup":
                self.dirty = True
                self.notify("Showing the backup. Save with ctrl+s to write it over the damaged file.", timeout=10)
            else:
                self.exit(None, 2, f"taper: {self.case_path}: {self.damaged}")

        self.push_screen(ChoiceDialog(f"{self.case_path.name} cannot be read: {self.damaged}\n\nIts backup, saved "
                                      f"{saved}, can be opened instead; saving then writes it over the damaged file.",
                                      [("backup", "Open the backup"), ("quit", "Quit")]), answer)

    def _after_open(self) -> None:
        assert self.case is not None
        if self.case_path is not None:
            from regimens.casefile import disk_stamp

            self.disk_stamp = disk_stamp(self.case_path)
            from regimens.lock import acquire

            self.locked_by = acquire(self.case_path)
        read_only = " · READ-ONLY (open in another window)" if self.locked_by else ""
        self.sub_title = f"{self.case.patient.name} · {self.case_path.name if self.case_path else ''}{read_only}"
        if self.locked_by is not None:
            self.notify(f"This case is open in another taper window (process {self.locked_by.pid}). It is "
                        "read-only here so that no edit is lost.", severity="warning", timeout=15)
        if self.case_path is not None:
            from tui.app.recent import remember

            remember(self.case_path)
        if self.recovered is not None and self.recovered != self.case and self.locked_by is None:
            self.push_screen(ChoiceDialog("Unsaved changes from an earlier session were found. Restore them?",
                                          [("restore", "Restore"), ("discard", "Discard")]),
                             self._recovery_answer)

    def on_start_screen_open_requested(self, message: StartScreen.OpenRequested) -> None:
        self.open_path(message.path)

    def open_path(self, path: Path) -> None:
        """Open a case file from the start screen (a bad file is reported, nothing changes)."""
        from tui.app.start_form import open_from

        opened, errors = open_from({"path": str(path)}, self.today or date.today())
        if opened is None:
            self.notify(errors["path"], severity="error", timeout=10)
            return
        self._opened(opened)

    def _opened(self, opened: tuple[Case, Path] | None) -> None:
        if opened is None:
            return
        from regimens.casefile import load_case
        from regimens.errors import TaperInputError

        self.case, self.case_path = opened
        self.dirty = False
        self.recovered = None
        if recovery_path(self.case_path).exists():
            try:
                self.recovered = load_case(recovery_path(self.case_path), today=self.today or date.today())
            except TaperInputError:
                self.notify("Ignored an unreadable recovery file.", severity="warning")
        self._show_case()

    def action_open_file(self) -> None:
        """Open a case file by its path."""
        from tui.app.screens.fields_dialog import Field, FieldsDialog
        from tui.app.start_form import open_from

        today = self.today or date.today()
        self.push_screen(FieldsDialog("Open a case file", [
            Field("path", "Case file", placeholder="e.g. ~/cases/kowalski.json")],
            lambda values: open_from(values, today), ok="Open"), self._opened)

    def action_new_case(self, kind: str) -> None:
        """Create a case from a medication-list CSV ("csv") or with an empty list ("hand")."""
        from tui.app.screens.fields_dialog import Field, FieldsDialog
        from tui.app.start_form import new_from

        today = self.today or date.today()
        fields = [Field("name", "Patient's name (as printed on the calendar)"),
                  Field("birth", "Date of birth (YYYY-MM-DD)")]
        if kind == "csv":
            fields.insert(0, Field("csv", "Medication list (CSV)", placeholder="e.g. ~/lists/kowalski.csv"))
        from taper.catalogue import language_choices

        fields.append(Field("language", "Language of the patient's calendar", kind="choice",
                            options=tuple(language_choices())))
        fields.append(Field("save-as", "Save the case as", placeholder="e.g. ~/cases/kowalski.json"))
        title = "New case from a medication list" if kind == "csv" else "New case (add medications with a)"
        self.push_screen(FieldsDialog(title, fields, lambda values: new_from(values, today), ok="Create"),
                         self._opened)

    def action_open_demo(self) -> None:
        """Open a copy of the bundled demo case (the bundled file is never changed)."""
        from regimens.casefile import load_case
        from taper.demo import demo_copy

        path = demo_copy("kowalski")
        self._opened((load_case(path, today=self.today or date.today()), path))

    def on_unmount(self) -> None:
        if self.case_path is not None and self.locked_by is None:
            from regimens.lock import release

            release(self.case_path)

    def open_case(self) -> Case | None:
        """The open case, or None after telling the user to open one (actions that need a case)."""
        if self.case is None:
            self.notify("Open a case first.", severity="warning")
        return self.case

    def writable(self) -> bool:
        """False (after saying why) when the case is open read-only because another window has it."""
        if self.locked_by is not None:
            self.notify("Read-only: this case is open in another taper window.", severity="warning")
        return self.locked_by is None

    def change_case(self, case: Case) -> bool:
        """Replace the open case with an edited copy and refresh the screens that show it (False: read-only)."""
        if self.locked_by is not None:
            self.notify("Read-only: this case is open in another taper window. Nothing was changed.",
                        severity="error", timeout=10)
            return False
        self.case = case
        self.dirty = True
        return True

    def watch_case(self, case: Case | None) -> None:
        """Redraw the screens that show the case."""
        from tui.app.screens.checkins import CheckinsScreen
        from tui.app.screens.plans import PlansScreen

        if case is None:
            return
        for screen in self.screen_stack:
            if isinstance(screen, RegimenScreen | PlansScreen | CheckinsScreen):
                screen.show(case)

    def unsaved(self) -> bool:
        """Changes not in the case file (the app adds a builder draft not yet kept)."""
        return self.dirty

    def pending_case(self) -> Case | None:
        """The case as it would be saved now (the app adds the builder's draft)."""
        return self.case

    def action_save(self) -> None:
        """Save the case atomically (the previous version is kept as .bak)."""
        if self.case is None or self.case_path is None:
            return
        if self.locked_by is not None:
            self.notify("Read-only: this case is open in another taper window. Not saved.", severity="error")
            return
        from regimens.casefile import disk_stamp, save_case
        from regimens.errors import TaperInputError

        if disk_stamp(self.case_path) != self.disk_stamp:
            self._save_conflict()
            return
        try:
            save_case(self.case, self.case_path, hint=READ_ONLY_HINT)
        except (TaperInputError, OSError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10)
            return
        self.dirty = False
        self.disk_stamp = disk_stamp(self.case_path)
        recovery_path(self.case_path).unlink(missing_ok=True)
        self.notify(f"Saved {self.case_path.name}.")

    def _save_conflict(self) -> None:
        """The file changed on disk since it was opened: reload it, save these changes as a new file, or cancel."""
        assert self.case_path is not None
        name = self.case_path.name

        def answer(choice: str | None) -> None:
            if choice == "reload":
                self.reload_case()
            elif choice == "save-as":
                self.action_save_as()

        self.push_screen(ChoiceDialog(
            f"{name} was changed outside this window since it was opened (by another program, or a backup put "
            "back). Saving now would overwrite that change, so nothing was saved.",
            [("reload", f"Reload {name} (drop my changes)"), ("save-as", "Save my changes as a new file"),
             ("cancel", "Cancel")]), answer)

    def reload_case(self) -> None:
        """Read the case file again, dropping the changes made here."""
        from regimens.casefile import disk_stamp, load_case
        from regimens.errors import TaperInputError

        assert self.case_path is not None
        try:
            case = load_case(self.case_path, today=self.today or date.today())
        except TaperInputError as exc:
            self.notify(f"Not reloaded: {exc.render()}", severity="error", timeout=10)
            return
        self.case, self.dirty = case, False
        self.disk_stamp = disk_stamp(self.case_path)
        recovery_path(self.case_path).unlink(missing_ok=True)
        self.notify(f"Reloaded {self.case_path.name}.")

    def action_save_as(self) -> None:
        """Save the open case under a new name, and go on working in that file."""
        if self.case is None:
            return
        from tui.app.screens.fields_dialog import Field, FieldsDialog

        def chosen(target: Path | None) -> None:
            if target is not None:
                self._save_as(target)

        folder = self.case_path.parent if self.case_path is not None else Path.cwd()
        self.push_screen(FieldsDialog("Save the case as a new file", [
            Field("path", "New case file", placeholder=f"e.g. {folder / 'case-2.json'}")], _save_as_target,
            ok="Save"), chosen)

    def _save_as(self, target: Path) -> None:
        from regimens.casefile import disk_stamp, save_case
        from regimens.errors import TaperInputError
        from regimens.lock import acquire, release

        assert self.case is not None
        try:
            save_case(self.case, target)
        except (TaperInputError, OSError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10)
            return
        if self.case_path is not None:
            recovery_path(self.case_path).unlink(missing_ok=True)
            release(self.case_path)
        self.case_path, self.dirty = target, False
        self.locked_by = acquire(target)
        self.disk_stamp = disk_stamp(target)
        self.sub_title = f"{self.case.patient.name} · {target.name}"
        self.notify(f"Saved as {target}.")

    def autosave(self) -> None:
        """Make the recovery file hold exactly the unsaved work: written (owner-only, atomic), or removed when
        there is none, so discarded changes are never offered again (unless an earlier session's are still
        being offered)."""
        case = self.pending_case()
        if case is None or self.case_path is None or self.locked_by is not None:
            return
        if not self.unsaved():
            if self.recovered is None:
                recovery_path(self.case_path).unlink(missing_ok=True)
            return
        from regimens.casefile import case_to_json, write_atomic
        from regimens.errors import TaperInputError

        try:
            write_atomic(recovery_path(self.case_path), case_to_json(case).encode("utf-8"), keep_backup=False,
                         force=True)
        except (OSError, TaperInputError) as exc:
            self.notify(f"Could not write the recovery file: {exc}", severity="warning")

    def _recovery_answer(self, choice: str | None) -> None:
        if choice == "restore" and self.recovered is not None:
            if self.change_case(self.recovered):
                self.notify("Restored the unsaved changes. Save with ctrl+s to keep them.")
        elif self.case_path is not None:
            recovery_path(self.case_path).unlink(missing_ok=True)
        self.recovered = None
