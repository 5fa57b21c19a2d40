"""What screening needs to know about a regimen, as plain named tuples.

Built from the saved model or straight from a checked case file, so that ``taper review``
and the panel can screen without building pydantic models.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from regimens.amounts import IngredientAmount, daily_amounts

if TYPE_CHECKING:
    from regimens.regimen import Regimen


class MedFacts(NamedTuple):
    """One medication line: its product's drug, form, whether PRN, and daily ingredient amounts."""

    id: str
    drug: str
    form: str
    prn: bool
    amounts: tuple[IngredientAmount, ...]

    @property
    def ingredients(self) -> tuple[str, ...]:
        return tuple(a.drug for a in self.amounts)


def facts_from_regimen(regimen: Regimen) -> tuple[MedFacts, ...]:
    return tuple(
        MedFacts(m.id, m.product.drug, m.product.form.value, m.prn, tuple(m.ingredient_amounts()))
        for m in regimen.medications
    )


def _fraction(value: Any) -> Fraction:
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def med_facts_from_dict(med: dict[str, Any]) -> MedFacts:
    """Facts from one medication as stored in a case file (already schema-checked)."""
    product = med["product"]
    ingredients = [(i["drug"], _fraction(i["amount"]), i["unit"]) for i in product["ingredients"]]
    volume = product.get("volume_ml")
    max_units = med.get("max_units_per_day")
    amounts = daily_amounts(
        ingredients,
        _fraction(volume) if volume is not None else None,
        _fraction(med["units"]),
        len(med.get("slots", ())),
        med.get("interval_hours"),
        bool(med.get("prn", False)),
        _fraction(max_units) if max_units is not None else None,
    )
    return MedFacts(med["id"], product["drug"], product["form"], bool(med.get("prn", False)),
                    tuple(amounts))


def facts_from_dicts(meds: Iterable[dict[str, Any]]) -> tuple[MedFacts, ...]:
    return tuple(med_facts_from_dict(m) for m in meds)
