"""The regimen screen's rows, from the saved models or straight from a case file's JSON.

The app paints its first screen from the file's JSON (checked by the schema validator the review
uses) so the pharmacist sees the list without waiting for pydantic; the models are built right
after. Both paths give the same rows because both go through :func:`medication_rows` and
:func:`total_rows` (a test compares them on every example).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple, Protocol

from regimens.amounts import IngredientAmount, amount_text, daily_amounts, totals_by_ingredient
from regimens.dose_text import Timing, dose_text, when_short
from regimens.forms import AnyProduct, Form, LiteIngredient, LiteProduct, Release, Slot


class LineLike(Timing, Protocol):
    """A medication line as the tables read it: a ``Medication``, or a :class:`Line` from JSON."""

    @property
    def id(self) -> str: ...
    @property
    def units(self) -> Decimal | Fraction: ...
    @property
    def indication(self) -> str | None: ...

    def ingredient_amounts(self) -> list[IngredientAmount]: ...


class Line(NamedTuple):
    """A medication line read from JSON: the attributes the tables use, like ``Medication``'s."""

    id: str
    product: AnyProduct
    units: Fraction
    slots: tuple[Slot, ...]
    interval_hours: int | None
    prn: bool
    max_units_per_day: Fraction | None
    indication: str | None

    def ingredient_amounts(self) -> list[IngredientAmount]:
        p = self.product
        return daily_amounts([(i.drug, Fraction(i.amount), i.unit) for i in p.ingredients],
                             Fraction(p.volume_ml) if p.volume_ml is not None else None,
                             self.units, len(self.slots), self.interval_hours, self.prn, self.max_units_per_day)


class Preview(NamedTuple):
    """What the first paint needs: who the patient is and the lines."""

    name: str
    birth_date: date
    lines: tuple[Line, ...]


def _line(med: dict[str, Any]) -> Line:
    p = med["product"]
    product = LiteProduct(
        p["id"], p["drug"], Form(p["form"]), Release(p.get("release", "immediate")),
        tuple(LiteIngredient(i["drug"], Decimal(str(i["amount"])), i["unit"]) for i in p["ingredients"]),
        Decimal(str(p["volume_ml"])) if p.get("volume_ml") is not None else None, p.get("split", "none"),
        p.get("interval_hours"), p.get("brand"), p.get("source", ""))
    most = med.get("max_units_per_day")
    return Line(med["id"], product, Fraction(str(med["units"])), tuple(Slot(s) for s in med.get("slots", ())),
                med.get("interval_hours"), bool(med.get("prn", False)),
                Fraction(str(most)) if most is not None else None, med.get("indication"))


def preview_from_file(path: str) -> Preview | None:
    """The preview of a case file, or None when only the full model can judge it (then load it)."""
    from regimens.casejson import decode_case_json, read_case_text
    from regimens.errors import TaperInputError
    from regimens.fastcase import check_case_data

    try:
        data = decode_case_json(read_case_text(path), name=path)
        if not check_case_data(data):
            return None
        patient = data["patient"]
        return Preview(patient["name"], date.fromisoformat(patient["birth_date"]),
                       tuple(_line(m) for m in data.get("regimen", {}).get("medications", [])))
    except (TaperInputError, OSError, KeyError, ValueError, TypeError):
        return None


def medication_rows(lines: Iterable[LineLike]) -> list[tuple[str, tuple[str, ...]]]:
    """(id, cells) per line: medication, dose, when, per day, what for."""
    return [(m.id, (m.product.description(), dose_text(m.product, Fraction(m.units)), when_short(m),
                    ("up to " if m.prn else "") + " + ".join(a.text() for a in m.ingredient_amounts()),
                    m.indication or "")) for m in lines]


def total_rows(lines: Sequence[LineLike]) -> list[tuple[str, str, str]]:
    """Per ingredient: scheduled daily total and the most taken as needed."""
    return [(drug, amount_text(scheduled, unit) if scheduled else "-",
             f"up to {amount_text(prn_max, unit)}" if prn_max else "-")
            for drug, unit, scheduled, prn_max in totals_by_ingredient(
                (med.prn, med.ingredient_amounts()) for med in lines)]
