"""The regimen screen's rows, from the case's models."""

from __future__ import annotations

from collections.abc import Iterable

from regimens.dose_text import line_dose_text, per_day_text, sig_note, when_short
from regimens.quantity import amount_text
from regimens.regimen import Medication, Regimen


def medication_rows(lines: Iterable[Medication]) -> list[tuple[str, tuple[str, ...]]]:
    """(id, cells) per line: medication, dose (with the sig as written beside what it was read as), when,
    per day, what for."""
    return [(m.id, (m.titled(), line_dose_text(m) + (f"; {sig_note(m)}" if sig_note(m) else ""), when_short(m),
                    per_day_text(m),
                    m.indication or "")) for m in lines]


def total_rows(regimen: Regimen) -> list[tuple[str, str, str]]:
    """Per ingredient: scheduled daily total and the most taken as needed."""
    return [(t.drug, amount_text(t.scheduled, t.unit) if t.scheduled else "-",
             f"up to {amount_text(t.prn_max, t.unit)}" if t.prn_max else "-")
            for t in regimen.ingredient_totals()]
