"""Text and JSON views of regimens and formulary entries for the command line."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from regimens.datefmt import short_date
from regimens.dose_text import line_dose_text, per_day_text, sig_note, when_text
from regimens.formulary import Drug, Match, MatchKind, get_formulary, ismp_note, match_note, suggestion_text
from regimens.loading import Loaded
from regimens.products import Product
from regimens.quantity import amount_text, decimal_text
from regimens.regimen import IngredientTotal, Medication
from tui.cli.textout import table


def _daily_cell(med: Medication) -> str:
    return per_day_text(med)


def total_line(total: IngredientTotal) -> tuple[str, str, str]:
    sched = amount_text(total.scheduled, total.unit) if total.scheduled else "-"
    prn = f"up to {amount_text(total.prn_max, total.unit)}" if total.prn_max else "-"
    return total.drug, sched, prn


def render_regimen(loaded: Loaded, today: date, name: str) -> str:
    lines = []
    if loaded.case is not None:
        p = loaded.case.patient
        lines.append(f"{p.name}, born {short_date(p.birth_date, True)} (age {p.age_on(today)})")
    lines.append(f"{loaded.kind}: {name}")
    lines.append("")
    meds = loaded.regimen.medications
    if not meds:
        lines.append("No medications.")
        return "\n".join(lines)
    rows = []
    for i, med in enumerate(meds, 1):
        what = med.titled()
        if med.indication:
            what += f", {med.indication}"
        if med.notes:
            what += f" (note: {med.notes})"
        if sig_note(med):
            what += f" ({sig_note(med)})"
        rows.append([str(i), what, line_dose_text(med), when_text(med),
                     _daily_cell(med)])
    lines.append(table(["#", "Medication", "Dose", "When", "Per day"], rows, [2, 23, 18, 17, 12]))
    lines.append("")
    lines.append("Daily totals by ingredient")
    totals = [list(total_line(t)) for t in loaded.regimen.ingredient_totals()]
    lines.append(table(["Ingredient", "Scheduled", "As needed (most a day)"], totals, [22, 20, 28]))
    if any(m.is_patch for m in meds):
        lines.append("")
        lines.append("Patch totals are the rate delivered while the patches are worn.")
    return "\n".join(lines)


def regimen_json(loaded: Loaded) -> dict[str, Any]:
    meds = []
    for med in loaded.regimen.medications:
        meds.append({
            "id": med.id,
            "kind": med.kind.value,
            "mark": med.mark,
            "product_id": med.product.id if med.product is not None else None,
            "drug": med.name,
            "product": med.description(),
            "strength": med.product.strength if med.product is not None else None,
            "form": med.product.form.value if med.product is not None else None,
            "release": med.product.release.value if med.product is not None else None,
            "written": med.written.model_dump() if med.written is not None else None,
            "sig": med.sig_as_written or None,
            "units": decimal_text(Fraction(med.units)) if med.units is not None else None,
            "unit": med.unit_noun,
            "dose": line_dose_text(med),
            "slots": [s.value for s in med.slots],
            "interval_hours": med.interval_hours,
            "when": when_text(med),
            "prn": med.prn,
            "notes": med.notes,
            "ingredients_per_day": [
                {"drug": a.drug, "amount": decimal_text(a.amount), "unit": a.unit}
                for a in med.ingredient_amounts()
            ],
        })
    totals = [
        {"drug": t.drug, "unit": t.unit, "scheduled": decimal_text(t.scheduled),
         "prn_max": decimal_text(t.prn_max)}
        for t in loaded.regimen.ingredient_totals()
    ]
    out: dict[str, Any] = {"kind": loaded.kind, "medications": meds, "daily_totals": totals}
    if loaded.case is not None:
        p = loaded.case.patient
        out["patient"] = {"id": p.id, "name": p.name, "birth_date": p.birth_date.isoformat()}
    return out


def render_drug(drug: Drug) -> str:
    names = drug.name
    if drug.brands:
        names += " (" + ", ".join(drug.brands) + ")"
    lines = [names]
    if drug.is_combination:
        lines.append("  combination of " + " and ".join(drug.ingredients))
    if drug.rxcui:
        lines.append(f"  RxNorm {drug.rxcui}")
    lines.append("  classes: " + (", ".join(sorted(drug.classes)) or "none"))
    rows = []
    for p in drug.products:
        release = "" if p.release.value == "immediate" else f"{p.release.value} release"
        rows.append([p.strength, p.form.label, release,
                     _split_text(p), p.brand or ""])
    body = table(["Strength", "Form", "Release", "Split", "Brand"], rows, [16, 22, 16, 10, 10])
    lines.extend("  " + line for line in body.splitlines())
    lines.append(f"  source: {drug.source} (evidence {drug.evidence})")
    return "\n".join(lines)


def _split_text(product: Product) -> str:
    if product.dosed_in_units:
        return "dial units"
    if product.dosed_in_ml:
        return "measure mL"
    return "halves" if product.split == "half" else "whole only"


def drug_json(drug: Drug) -> dict[str, Any]:
    return {
        "name": drug.name,
        "brands": list(drug.brands),
        "synonyms": list(drug.synonyms),
        "rxcui": drug.rxcui,
        "classes": sorted(drug.classes),
        "ingredients": list(drug.ingredients),
        "source": drug.source,
        "evidence": drug.evidence,
        "products": [
            {"id": p.id, "form": p.form.value, "release": p.release.value, "strength": p.strength,
             "split": p.split, "brand": p.brand, "interval_hours": p.interval_hours}
            for p in drug.products
        ],
    }


def _match_line(query: str, match: Match) -> str:
    """How the name typed found this entry (empty for the generic name itself)."""
    if match.kind is MatchKind.SUBSTRING:
        return f"Not named {query.strip()!r}; {match.name} contains it."
    return match_note(match._replace(ismp=()))


def _confusion_lines(match: Match) -> list[str]:
    """Every ISMP look-alike pair naming this drug, one a line."""
    if not match.ismp:
        return []
    return ["  look-alike names (ISMP List of Confused Drug Names):"] + [
        f"    {c.name} / {c.confused_with}" + (f" ({c.drug})" if c.drug else "") for c in match.ismp]


def render_matches(query: str, found: list[Match]) -> str:
    """The entries a name found; suggestions only as names under "No drug named ...", with ISMP marks."""
    suggestions = [m for m in found if m.kind is MatchKind.SUGGESTION]
    if suggestions:
        return "\n".join([f"No drug named {query.strip()!r}. Did you mean:",
                          *(f"  {suggestion_text(m)}" for m in suggestions)])
    blocks = []
    for m in found:
        head = _match_line(query, m)
        lines = ([head] if head else []) + [render_drug(m.drug)] + _confusion_lines(m)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def match_json(match: Match) -> dict[str, Any]:
    """A drug entry with how the name found it: ``match`` is exact|brand|synonym|substring|suggestion."""
    source = get_formulary().confused.source
    cited = f"{source.get('title', '')}, {source.get('edition', '')}"
    return {
        "match": match.kind.value,
        "matched_name": match.name,
        "warning": ismp_note(match, named=True) or None,
        **drug_json(match.drug),
        "ismp_confused": [
            {"name": c.name, "confused_with": c.confused_with, "confused_drug": c.drug,
             "source": cited, "url": source.get("url"), "page": c.pair.page, "row": c.pair.row}
            for c in match.ismp
        ],
    }
