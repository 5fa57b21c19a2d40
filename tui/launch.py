"""Starting the terminal UI: on a case (painted from its preview, or its backup when it is damaged),
on the start screen, or on a fresh copy of a bundled demo case."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from regimens.errors import TaperInputError
from taper.userdirs import data_dir
from tui.cli import EXIT_OK, examples_dir


def demo_copy(name: str) -> Path:
    """A fresh owner-only copy of a bundled example in the user's data folder."""
    import shutil

    target_dir = data_dir() / "demo"
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = target_dir / f"{name}.json"
    shutil.copyfile(examples_dir() / f"{name}.json", target)
    os.chmod(target, 0o600)
    return target


def run_app(case_path: Path | None, **run_options: Any) -> int:
    """Open the app on a case (run_options go to App.run: the launch benchmark runs it headless).

    A case file that passes the fast schema check is painted from its JSON at once and its models
    are built just after; any other file is loaded in full first, so its errors exit here with 2.
    """
    from tui.regimen_rows import preview_from_file

    preview = preview_from_file(str(case_path)) if case_path else None
    if preview is not None:
        from tui.app import TaperApp

        app = TaperApp(case_path=case_path, preview=preview)
        app.run(**run_options)
        return app.return_code or EXIT_OK
    from regimens.casefile import load_case

    damaged = None
    try:
        case = load_case(case_path, today=date.today()) if case_path else None
    except TaperInputError as exc:
        case, damaged = _backup_of(case_path, exc), exc.message
    from tui.app import TaperApp, recovery_path

    recovered = None
    if case_path is not None and recovery_path(case_path).exists():
        try:
            recovered = load_case(recovery_path(case_path), today=date.today())
        except TaperInputError as exc:
            print(f"taper: ignoring an unreadable recovery file: {exc.render()}", file=sys.stderr)
    app = TaperApp(case=case, case_path=case_path, recovered=recovered)
    app.damaged = damaged
    app.run(**run_options)
    return app.return_code or EXIT_OK


def _backup_of(case_path: Path | None, error: TaperInputError) -> Any:
    """The damaged case's backup, when it loads (the app offers it); otherwise the original error."""
    from regimens.casefile import backup_path, load_case

    bak = backup_path(case_path) if case_path else None
    if bak is None or not bak.is_file():
        raise error
    try:
        return load_case(bak, today=date.today())
    except TaperInputError:
        raise error from None
