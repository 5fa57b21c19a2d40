"""The export dialog: calendar, summary, reminders and CSV, written in a worker.

The dialog collects the choices; the files are written by a thread worker (ReportLab is slow to draw a
year of months) and the dialog lists where they went. The calendar's language defaults to the patient's;
after an export in another language the dialog posts :class:`ExportDialog.LanguageChosen`, and the app
records it in the case, so the next export offers it first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from regimens.case import Case
from taper.catalogue import language_choices
from taper.export import ExportOptions

KINDS = (("calendar", "Patient calendar (PDF)", "calendar.pdf"),
         ("summary", "Prescriber summary (PDF)", "summary.pdf"),
         ("ics", "Phone reminders (ICS)", "reminders.ics"),
         ("csv", "Day-by-day schedule (CSV)", "schedule.csv"))


def case_language(case: Case) -> str:
    """The catalogue the patient's language prints with (English when taper has none for it)."""
    from taper.catalogue import SOURCE_LANGUAGE, UnknownLanguage, resolve

    try:
        return resolve(case.patient.language)
    except UnknownLanguage:
        return SOURCE_LANGUAGE


def export_names(case: Case, folder: Path, chosen: set[str]) -> dict[str, str]:
    """The file each chosen export goes to: the patient id and the kind, in the folder."""
    return {kind: str(folder / f"{case.patient.id}-{name}") for kind, _, name in KINDS if kind in chosen}


class ExportDialog(ModalScreen[list[str]]):
    """Choose what to export and where; dismisses with the lines saying where files went."""

    BINDINGS = [Binding("escape", "close", "Close", id="close")]
    AUTO_FOCUS = "#folder"

    class LanguageChosen(Message):
        """The calendar was exported in a language other than the case's: the case should remember it."""

        def __init__(self, language: str) -> None:
            super().__init__()
            self.language = language

    def __init__(self, case: Case, folder: Path, source: str = "", today: date | None = None,
                 case_path: Path | None = None) -> None:
        super().__init__()
        self.case = case
        self.case_path = case_path
        self.source = source or case.patient.id
        self.folder = folder
        self.today = today or date.today()
        self.written: list[str] = []
        self.exported_language: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="export-dialog"):
            yield Static("Export the taper plans", classes="section")
            yield Label("Folder")
            yield Input(str(self.folder), id="folder")
            yield Static("", id="folder-error", classes="field-error")
            for kind, label, _ in KINDS:
                yield Checkbox(label, True, id=f"want-{kind}")
            yield Checkbox("Large print calendar", False, id="large-print")
            yield Checkbox("Keep drug names out of reminders", False, id="private")
            with Horizontal(classes="options"):
                with RadioSet(id="paper"):
                    yield RadioButton("Letter", True, id="paper-letter")
                    yield RadioButton("A4", id="paper-a4")
                with RadioSet(id="week-starts"):
                    yield RadioButton("Week starts Monday", True, id="week-monday")
                    yield RadioButton("Week starts Sunday", id="week-sunday")
            yield Label("Calendar and reminders in (the case remembers it)")
            with RadioSet(id="language"):
                current = case_language(self.case)
                for label, code in language_choices():
                    yield RadioButton(label, code == current, id=f"language-{code}")
            yield Static("", id="export-result", markup=False)
            with Horizontal(id="choices"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Close", id="close")

    def _options(self) -> ExportOptions | None:
        error = self.query_one("#folder-error", Static)
        folder = Path(self.query_one("#folder", Input).value.strip() or ".").expanduser()
        if not folder.is_dir():
            error.update(f"No such folder: {folder}")
            return None
        error.update("")
        chosen = {kind for kind, _, _ in KINDS if self.query_one(f"#want-{kind}", Checkbox).value}
        if not chosen:
            error.update("Choose at least one thing to export.")
            return None
        names = export_names(self.case, folder, chosen)
        paper = self.query_one("#paper", RadioSet).pressed_button
        week = self.query_one("#week-starts", RadioSet).pressed_button
        language = self.query_one("#language", RadioSet).pressed_button
        return ExportOptions(
            language=(language.id or "").removeprefix("language-") if language is not None else None,
            source=self.source, case_path=self.case_path, calendar=names.get("calendar"), summary=names.get("summary"),
            ics=names.get("ics"), csv=names.get("csv"),
            large_print=self.query_one("#large-print", Checkbox).value,
            private=self.query_one("#private", Checkbox).value, daily_reminders=False,
            paper="a4" if paper is not None and paper.id == "paper-a4" else "letter",
            week_starts="sunday" if week is not None and week.id == "week-sunday" else "monday")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "close":
            self.action_close()
            return
        self.start_export()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the folder field exports, as the Export button does."""
        event.stop()
        self.start_export()

    def start_export(self) -> None:
        if self.query_one("#export", Button).disabled:
            return
        options = self._options()
        if options is None:
            return
        self.query_one("#export", Button).disabled = True
        self.query_one("#export-result", Static).update("Writing…")
        self.exported_language = options.language
        self.run_export(options)

    @work(thread=True, exclusive=True)
    def run_export(self, options: ExportOptions) -> None:
        from regimens.errors import TaperInputError
        from taper.export import export

        try:
            lines = export(self.case, options, self.today, datetime.now(UTC))
        except (TaperInputError, OSError) as exc:
            self.app.call_from_thread(self._finished, [], str(exc))
            return
        self.app.call_from_thread(self._finished, lines, "")

    def _finished(self, lines: list[str], error: str) -> None:
        self.query_one("#export", Button).disabled = False
        result = self.query_one("#export-result", Static)
        if error:
            result.update(f"Not exported: {error}")
            return
        self.written = lines
        if self.exported_language and self.exported_language != case_language(self.case):
            self.post_message(self.LanguageChosen(self.exported_language))
        result.update("Wrote:\n" + "\n".join(f"  {line}" for line in lines))
        result.scroll_visible()
        self.notify(f"Exported {len(lines)} file{'s' if len(lines) != 1 else ''}.")

    def action_close(self) -> None:
        self.dismiss(self.written)
