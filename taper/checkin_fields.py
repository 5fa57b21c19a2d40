"""A check-in from form fields (the app's check-in dialog): text in, a validated :class:`CheckIn` or errors out.

Plain values only, so the Textual form stays a view; errors are keyed by field id and say what to type.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from regimens.checkin import CheckIn
from regimens.datefmt import parse_iso_date

Errors = dict[str, str]

#: (field id, label, model field, top of its range); scores are whole numbers from 0.
SCORE_FIELDS: tuple[tuple[str, str, str, int], ...] = (
    ("pain", "PEG pain, past week (0 none - 10 worst)", "pain", 10),
    ("enjoyment", "PEG interference with enjoyment (0-10)", "enjoyment", 10),
    ("activity", "PEG interference with general activity (0-10)", "activity", 10),
    ("sleep", "Sleep quality, past 7 days (0 terrible - 10 excellent)", "sleep", 10),
    ("goal", "Progress on the goal (0-10)", "goal", 10),
    ("walk-minutes", "Minutes walked on a typical day", "walk_minutes", 1440),
    ("phq2", "PHQ-2 total (0-6)", "phq2", 6),
    ("gad2", "GAD-2 total (0-6)", "gad2", 6),
)
SELF_HARM_CHOICES = (("Not asked", ""), ("No", "no"), ("Yes", "yes"))


def checkin_from(fields: Mapping[str, str], today: date) -> tuple[CheckIn | None, Errors]:
    """The check-in the form describes; at least one score or a note is needed, and a date not in the future."""
    errors: Errors = {}
    values: dict[str, Any] = {}
    text = fields.get("date", "").strip()
    try:
        values["on"] = parse_iso_date(text) if text else today
    except ValueError as exc:
        errors["date"] = str(exc)
    else:
        if values["on"] > today:
            errors["date"] = "A check-in records what happened: the date cannot be in the future."
    for fid, _, name, top in SCORE_FIELDS:
        raw = fields.get(fid, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) > top:
            errors[fid] = f"A whole number from 0 to {top}."
            continue
        values[name] = int(raw)
    raw = fields.get("withdrawal", "").strip()
    if raw:
        try:
            value = Decimal(raw)
            if not value.is_finite() or value < 0 or value > 10:
                raise InvalidOperation
            values["withdrawal"] = value
        except InvalidOperation:
            errors["withdrawal"] = "A number from 0 (none) to 10 (worst)."
    harm = fields.get("self-harm", "")
    if harm in ("yes", "no"):
        values["self_harm"] = harm == "yes"
    note = fields.get("note", "").strip()
    if note:
        values["note"] = note
    by = fields.get("by", "").strip()
    if by:
        values["recorded_by"] = by
    if errors:
        return None, errors
    if not set(values) - {"on", "recorded_by"}:
        return None, {"pain": "Enter at least one score, the self-harm answer or a note."}
    try:
        return CheckIn(**values), {}
    except ValidationError as exc:
        err = exc.errors()[0]
        return None, {str(err["loc"][0]).replace("_", "-") if err["loc"] else "pain": err["msg"]}
