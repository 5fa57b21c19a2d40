"""Exporting a case's plans: the patient calendar, the prescriber summary, reminders and the CSV.

Both front ends call :func:`export` with :class:`ExportOptions` (plain values): the command line
builds them from its arguments, the app's export dialog from its fields.

An export writes all its files or none: each is rendered to an owner-only temporary file beside its
target (``.NAME.export-XXXX.tmp``), and only when every one is ready are they renamed into place.
No output may be the case file, its backup, lock or recovery file, or another output of the same
export, under any name.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from regimens.case import Case
from regimens.errors import TaperInputError


@dataclass(frozen=True)
class ExportOptions:
    """What to write, where, and how the paper looks."""

    calendar: str | None = None
    """Patient calendar (PDF) path."""
    summary: str | None = None
    """Prescriber summary (PDF) path."""
    ics: str | None = None
    """Phone reminders (iCalendar) path."""
    csv: str | None = None
    """Day-by-day schedule (CSV) path."""
    fhir: str | None = None
    """FHIR R4B Bundle (JSON) path: the regimen, each plan as a MedicationRequest, the products to dispense."""
    large_print: bool = False
    paper: Literal["letter", "a4"] = "letter"
    week_starts: Literal["sunday", "monday"] = "monday"
    private: bool = False
    """Keep drug names out of the reminders."""
    daily_reminders: bool = False
    source: str = "case file"
    """The case's name in messages (its file name)."""
    case_path: Path | None = None
    """The case file exported from: no output may replace it or the files kept beside it."""
    force: bool = False
    """Replace read-only output files."""
    language: str | None = None
    """Language of the calendar and reminders ("en", "es"); None: the patient's (English when taper has no
    catalogue for it). The prescriber summary and the CSV stay in English."""

    @property
    def anything(self) -> bool:
        return bool(self.calendar or self.summary or self.ics or self.csv or self.fhir)

    def outputs(self) -> list[tuple[str, str]]:
        """(option name, path) of each requested output, in the order they are written."""
        return [(kind, path) for kind, path in (("calendar", self.calendar), ("summary", self.summary),
                                                 ("ics", self.ics), ("csv", self.csv), ("fhir", self.fhir))
                if path]


EXPORT_TAG = "export-"
"""Temporaries of exports are ``.NAME.export-XXXX.tmp``: a later export removes stale ones."""


def same_file(a: Path, b: Path) -> bool:
    """True when two names reach one file: equal once resolved, or the same file on disk."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _protected(case_path: Path) -> list[tuple[Path, str]]:
    from regimens.casefile import backup_path, recovery_path
    from regimens.lock import lock_path

    out = []
    for base in dict.fromkeys((case_path, case_path.resolve())):
        out += [(base, "the case file"), (backup_path(base), "the case's backup"),
                (lock_path(base), "the case's lock file"), (recovery_path(base), "the case's recovery file")]
    return out


def check_outputs(options: ExportOptions) -> list[tuple[str, Path]]:
    """The outputs to write (option, target after links), or a refusal naming the path at fault."""
    from regimens.casefile import refuse_read_only, write_target

    protected = _protected(Path(options.case_path)) if options.case_path is not None else []
    seen: list[tuple[str, Path]] = []
    for kind, name in options.outputs():
        path = Path(name)
        for other, what in protected:
            if same_file(path, other):
                raise TaperInputError(f"--{kind} would replace {what}; choose another name (nothing was written)",
                                      file=name)
        for other_kind, other in seen:
            if same_file(path, other):
                raise TaperInputError(f"--{kind} and --{other_kind} name the same file; give each its own name "
                                      "(nothing was written)", file=name)
        if path.is_dir():
            raise TaperInputError("is a folder", file=name)
        target = write_target(path)
        if not target.parent.is_dir():
            raise TaperInputError("the folder does not exist", file=name)
        if not options.force:
            refuse_read_only(target, name)
        seen.append((kind, path))
    return [(kind, write_target(path)) for kind, path in seen]


class _Staged:
    """Temporaries written so far, renamed together by :meth:`commit` or removed by :meth:`discard`."""

    def __init__(self) -> None:
        self.files: list[tuple[str, Path, Path]] = []  # (user's name, target, temporary)

    def add(self, name: str, target: Path, data: bytes) -> None:
        from regimens.casefile import file_error, write_temp

        try:
            self.files.append((name, target, write_temp(target, data, EXPORT_TAG)))
        except OSError as exc:
            raise file_error(exc, name) from None

    def discard(self) -> None:
        for _, _, tmp in self.files:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self.files = []

    def commit(self) -> None:
        """Rename every temporary over its target; if one rename fails, put back what was there."""
        from regimens.casefile import file_error, write_temp

        done: list[tuple[Path, Path | None]] = []  # (target, its previous content as a temporary)
        olds: list[Path] = []
        current = ""
        try:
            for name, target, tmp in self.files:
                current = name
                old = write_temp(target, target.read_bytes(), EXPORT_TAG + "old-") if target.exists() else None
                if old is not None:
                    olds.append(old)
                os.replace(tmp, target)
                done.append((target, old))
        except BaseException as exc:
            for target, old in reversed(done):
                with contextlib.suppress(OSError):
                    if old is not None:
                        os.replace(old, target)
                    else:
                        target.unlink()
            self.discard()
            for old in olds:
                with contextlib.suppress(OSError):
                    old.unlink()
            if isinstance(exc, OSError):
                raise file_error(exc, current) from None
            raise
        for old in olds:
            with contextlib.suppress(OSError):
                old.unlink()
        self.files = []


def remove_stale_export_temps(targets: list[Path]) -> int:
    """Remove export temporaries older than a minute from the folders of ``targets``."""
    from regimens.casefile import remove_stale_temps

    folders = {t.parent.resolve(): t for t in targets}
    return sum(remove_stale_temps(t, f".*.{EXPORT_TAG}*.tmp") for t in folders.values())


def patient_language(case: Case, options: ExportOptions) -> tuple[str, str]:
    """(catalogue, note) for the calendar and reminders: ``--language``, else the patient's language.

    An explicit language without a catalogue is refused; a patient's language without one prints in English,
    and the note says so.
    """
    from taper.catalogue import SOURCE_LANGUAGE, UnknownLanguage, resolve

    if options.language:
        try:
            return resolve(options.language), ""
        except UnknownLanguage as exc:
            raise TaperInputError(f"--language: {exc}".replace("; print it with --language en", "")) from None
    try:
        return resolve(case.patient.language), ""
    except UnknownLanguage:
        return SOURCE_LANGUAGE, (f"the patient's language ({case.patient.language}) has no calendar catalogue yet: "
                                 "printed in English")


def export(case: Case, options: ExportOptions, today: date, stamp: datetime) -> list[str]:
    """Write every requested file, or none of them; the lines say where they went."""
    language, note = patient_language(case, options)
    options = replace(options, language=language)
    targets = dict(check_outputs(options))
    from taper.adapters import case_schedules
    from taper.schedule import PlanError

    try:
        schedules = case_schedules(case)
    except PlanError as exc:
        raise TaperInputError(str(exc), file=options.source) from None
    remove_stale_export_temps(list(targets.values()))
    staged = _Staged()
    done = []
    try:
        for kind, name in options.outputs():
            data, line = RENDERERS[kind](case, schedules, options, today, stamp)
            staged.add(name, targets[kind], data)
            done.append(line.format(name=name))
        staged.commit()
    except BaseException:
        staged.discard()
        raise
    if note and (options.calendar or options.ics):
        done.append(note)
    return done


def render_calendar_pdf(case: Case, schedules: list, options: ExportOptions, today: date,
                        stamp: datetime) -> tuple[bytes, str]:
    from regimens.datefmt import short_date
    from taper.calendar_view import build_calendar
    from taper.pdf_render import render_calendar
    from taper.supports import place

    by_plan = {s.plan.plan_id: s for s in schedules}
    placed = [place(u, by_plan[p.id]) for p in case.plans for u in p.supports]
    placed += [place(u, schedules[0]) for u in case.supports]
    view = build_calendar(case, schedules, placed, week_starts=options.week_starts,
                          large_print=options.large_print, printed=today, language=options.language)
    buffer = io.BytesIO()
    render_calendar(view, buffer, options.paper)
    first = min(s.first_day for s in schedules)
    last = max(s.stop for s in schedules)
    return buffer.getvalue(), (f"calendar: {{name}} ({short_date(first, True)} to {short_date(last, True)}"
                               f"{_in_language(view.language)})")


def _in_language(language: str) -> str:
    """", in Spanish (es)" for a calendar not in English."""
    from taper.catalogue import SOURCE_LANGUAGE, languages

    return "" if language == SOURCE_LANGUAGE else f", in {languages()[language]['english_name']} ({language})"


def render_summary_pdf(case: Case, schedules: list, options: ExportOptions, today: date,
                       stamp: datetime) -> tuple[bytes, str]:
    from interactions.review import review
    from taper.adapters import risk_trajectory
    from taper.pdf_render import render_summary
    from taper.summary_view import build_summary

    age = case.patient.age_on(today)
    result = review(case.regimen, age)
    summary = build_summary(case, schedules, result, risk_trajectory(case, schedules, age), today,
                            calendar_language=options.language or "en")
    buffer = io.BytesIO()
    render_summary(summary, buffer, options.paper)
    return buffer.getvalue(), "summary: {name}"


def render_ics(case: Case, schedules: list, options: ExportOptions, today: date,
               stamp: datetime) -> tuple[bytes, str]:
    from taper.catalogue import catalogue
    from taper.ics import build_ics

    tr = catalogue(options.language)
    text = build_ics(case.patient.id, schedules, stamp, private=options.private, daily=options.daily_reminders,
                     tr=tr)
    return text.encode("utf-8"), "reminders: {name}" + _in_language(tr.language)


def render_csv(case: Case, schedules: list, options: ExportOptions, today: date,
               stamp: datetime) -> tuple[bytes, str]:
    from taper.outputs import daily_csv

    return daily_csv(schedules).encode("utf-8"), "schedule CSV: {name}"


def render_fhir(case: Case, schedules: list, options: ExportOptions, today: date,
                stamp: datetime) -> tuple[bytes, str]:
    from taper.fhir_export import FhirExportError, fhir_json

    try:
        text = fhir_json(case, schedules, today, stamp)
    except FhirExportError as exc:
        raise TaperInputError(f"{exc} (nothing was written)", file=options.fhir) from None
    return text.encode("utf-8"), "FHIR bundle: {name}"


#: Each output's renderer: (bytes to write, the line saying where they went, with ``{name}``).
RENDERERS = {"calendar": render_calendar_pdf, "summary": render_summary_pdf, "ics": render_ics,
             "csv": render_csv, "fhir": render_fhir}
