"""Review metrics: MME, diazepam equivalents, ACB, CNS depressants, acetaminophen, and flags.

Every figure names the table that produced it. Scheduled amounts and the most a patient may
take as needed (PRN) are reported apart, and the threshold flags use both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

from interactions.screen import same_ingredient_lines
from interactions.tables import (
    FactorSet,
    MmeFactor,
    acb_tables,
    beers_table,
    benzo_tables,
    dose_checks,
    factor_set,
    limits_table,
    mme_tables,
)
from regimens.dose_text import count_text, interval_text
from regimens.forms import GENERAL_FACTOR_FORMS
from regimens.quantity import amount_text, format_number
from regimens.regimen import Medication, Regimen


class Flag(NamedTuple):
    """A threshold or older-adult flag: kind, the drugs involved, what it means, and the source."""

    kind: str
    id: str
    drugs: tuple[str, ...]
    message: str
    source: str
    evidence: str = "C"
    check: str | None = None


class Options(NamedTuple):
    """Which named tables to use."""

    mme_set: str | None = None
    benzo_table: str | None = None
    acb_scale: str | None = None


@dataclass
class Metrics:
    """Figures of one review; each names the table that produced it."""

    medication_count: int = 0
    mme_per_day: Fraction = Fraction(0)
    """Scheduled opioid dose in morphine milligram equivalents."""
    mme_prn_max_per_day: Fraction = Fraction(0)
    """MME of the as-needed opioids at their most a day."""
    mme_factor_set: str = ""
    mme_notes: list[str] = field(default_factory=list)
    """Opioid amounts not counted, and why."""
    opioids: list[str] = field(default_factory=list)
    diazepam_equivalent_mg_per_day: Fraction = Fraction(0)
    diazepam_equivalent_prn_max_mg_per_day: Fraction = Fraction(0)
    benzo_table: str = ""
    z_drug_diazepam_equivalent_mg_per_day: Fraction = Fraction(0)
    de_notes: list[str] = field(default_factory=list)
    acb_score: int = 0
    acb_scale: str = ""
    acb_contributions: dict[str, int] = field(default_factory=dict)
    cns_depressant_count: int = 0
    cns_depressants: list[str] = field(default_factory=list)
    acetaminophen_mg_per_day: Fraction = Fraction(0)
    acetaminophen_prn_max_mg_per_day: Fraction = Fraction(0)

    @property
    def mme_max_per_day(self) -> Fraction:
        return self.mme_per_day + self.mme_prn_max_per_day


def _mme_of(drug: str, amount: Fraction, unit: str, form: str, methadone_total: Fraction,
            set_id: str | None) -> tuple[Fraction | None, str | None]:
    """MME of one ingredient amount, or (None, why not)."""
    fs = factor_set(set_id)
    entries = fs.factors.get(drug)
    if not entries:
        return None, f"{drug}: no factor in {fs.id}; not counted in the MME total"
    excluded = [e for e in entries if e.factor is None and not e.tiers]
    if len(excluded) == len(entries):
        return None, f"{drug}: {excluded[0].note or 'not converted'}"
    entry = factor_entry(fs, drug, form, unit)
    if entry is None:
        return None, f"{drug}: no {fs.id} factor for the {form} form; not counted"
    if entry.tiers:
        for limit, factor in entry.tiers:
            if limit is None or methadone_total <= limit:
                return amount * factor, None
    if entry.factor is None:
        return None, f"{drug}: {entry.note or 'not converted'}"
    return amount * entry.factor, None


def factor_entry(fs: FactorSet, drug: str, form: str, unit: str) -> MmeFactor | None:
    """The row of ``fs`` that converts ``drug`` in ``unit`` taken as ``form``: its own form's row, or a
    general (oral) row for the forms such rows cover; None when no row does. The single review and the
    panel both convert by it."""
    for entry in fs.factors.get(drug, []):
        if entry.form is not None and entry.form != form:
            continue
        if entry.form is None and form not in GENERAL_FACTOR_FORMS:
            continue  # an oral factor never converts an injection or a suppository
        if entry.per == unit:
            return entry
    return None


def compute_metrics(regimen: Regimen, options: Options | None = None) -> Metrics:
    """The review's figures for ``regimen``, by the named tables (defaults when None)."""
    options = options or Options()
    meds = [(med, med.ingredient_amounts()) for med in regimen.medications]
    m = Metrics(medication_count=len(meds))
    fs = factor_set(options.mme_set)
    m.mme_factor_set = fs.id
    benzo = benzo_tables()
    table_id = options.benzo_table or benzo["default"]
    equivalents = benzo["tables"][table_id]["dose_equal_to_10_mg_diazepam"]
    m.benzo_table = table_id
    acb = acb_tables()
    scale_id = options.acb_scale or acb["default"]
    scores = acb["scales"][scale_id]["scores"]
    m.acb_scale = scale_id
    methadone_sched = sum((a.amount for med, amounts in meds if not med.prn for a in amounts
                           if a.drug == "methadone" and a.unit == "mg"), Fraction(0))
    methadone_all = methadone_sched + sum((a.amount for med, amounts in meds if med.prn for a in amounts
                                           if a.drug == "methadone" and a.unit == "mg"), Fraction(0))
    notes: set[str] = set()
    cns: set[str] = set()
    opioids: set[str] = set()
    for med, amounts in meds:
        for name in med.ingredient_names():
            named = med.classes_of(name)
            if "CNS-depressant" in named:
                cns.add(name)
            if "opioid" in named:
                opioids.add(name)
            if scores.get(name):
                m.acb_contributions[name] = int(scores[name])
            if not any(a.drug == name for a in amounts) and named & {"opioid", "benzodiazepine", "z-drug"}:
                unread = f"{name}: {med.description()} has no dose or strength taper can read; not counted"
                if "opioid" in named:
                    notes.add(unread)
                else:
                    m.de_notes.append(unread)
        if med.product is None:
            continue
        form = med.product.form.value
        for a in amounts:
            classes = med.classes_of(a.drug)
            if "opioid" in classes:
                total = methadone_all if med.prn else methadone_sched
                mme, note = _mme_of(a.drug, a.amount, a.unit, form, total, options.mme_set)
                if note:
                    notes.add(note)
                if mme is not None:
                    if med.prn:
                        m.mme_prn_max_per_day += mme
                    else:
                        m.mme_per_day += mme
            if "benzodiazepine" in classes and a.unit == "mg":
                if a.drug in equivalents:
                    de = a.amount * 10 / Fraction(equivalents[a.drug])
                    if med.prn:
                        m.diazepam_equivalent_prn_max_mg_per_day += de
                    else:
                        m.diazepam_equivalent_mg_per_day += de
                else:
                    m.de_notes.append(f"{a.drug}: not in the {table_id} table; not counted")
            if "z-drug" in classes and a.unit == "mg":
                z = benzo.get("z_drugs", {}).get(a.drug)
                if z:
                    m.z_drug_diazepam_equivalent_mg_per_day += a.amount * 10 / Fraction(
                        z["dose_equal_to_10_mg_diazepam"])
                else:
                    m.de_notes.append(f"{a.drug}: no confirmed diazepam equivalent")
            if a.drug == "acetaminophen" and a.unit == "mg":
                if med.prn:
                    m.acetaminophen_prn_max_mg_per_day += a.amount
                else:
                    m.acetaminophen_mg_per_day += a.amount
    m.acb_score = sum(m.acb_contributions.values())
    m.cns_depressants = sorted(cns)
    m.cns_depressant_count = len(cns)
    m.opioids = sorted(opioids)
    m.mme_notes = sorted(notes)
    return m


def _mme(value: Fraction) -> str:
    return format_number(value, places=1)


PRN_NO_MAX = "PRN-NO-MAX"


def assumed_ceiling_text(med: Medication) -> str:
    """"no daily maximum given; assumed 4 tablets from every 6 hours": what the review assumed for an
    as-needed line without ``max_units_per_day`` (the most its timing allows)."""
    basis = interval_text(med.interval_hours) if med.interval_hours is not None else \
        "the times given (" + ", ".join(s.value for s in med.slots) + ")"
    return f"no daily maximum given; assumed {count_text(med.units_per_day(), med.unit_noun)} from {basis}"


def prn_ceiling_flags(regimen: Regimen) -> list[Flag]:
    """One flag per as-needed line whose daily maximum was not given and so was assumed from its timing."""
    return [Flag("prn", PRN_NO_MAX, tuple(sorted(set(med.ingredient_names()))),
                 f"{med.description()} as needed: {assumed_ceiling_text(med)}. The metrics count that "
                 "many; ask the prescriber for the most a day.", "taper")
            for med in regimen.medications if med.prn and med.max_units_per_day is None and med.dose_known]


SAME_DRUG_PRN = "SAME-DRUG-PRN"
DOSE_LABEL_MAX = "DOSE-LABEL-MAX"
DOSE_MME_VERY_HIGH = "DOSE-MME-VERY-HIGH"
DOSE_WEEKLY_ONLY = "DOSE-WEEKLY-ONLY"


def scheduled_and_prn_flags(regimen: Regimen) -> list[Flag]:
    """One flag per ingredient taken on a schedule and also as needed: the combined most a day."""
    totals = {(t.drug, t.unit): t for t in regimen.ingredient_totals()}
    spec = dose_checks()["scheduled_and_prn"]
    flags = []
    for drug, (scheduled, as_needed) in same_ingredient_lines(regimen).items():
        if not (scheduled and as_needed):
            continue
        parts = []
        for (name, unit), t in totals.items():
            if name != drug:
                continue
            day = " a day" if unit == "mg" else ""
            parts.append(f"{amount_text(t.scheduled, unit)}{day} scheduled and up to {amount_text(t.prn_max, unit)} "
                         f"as needed: at most {amount_text(t.total, unit)}{day}")
        lines = len(scheduled) + len(as_needed)
        flags.append(Flag("duplicate", SAME_DRUG_PRN, (drug,),
                          f"{drug} is taken on a schedule and also as needed ({lines} lines); "
                          + "; ".join(parts) + ". " + spec["message"], spec["source"], spec["evidence"]))
    return flags


def dose_flags(regimen: Regimen, metrics: Metrics) -> list[Flag]:
    """Doses to confirm: above the label's maximum a day, an opioid total above a very high MME, a weekly
    drug taken more often than weekly."""
    checks = dose_checks()
    flags = []
    totals: dict[str, Fraction] = {}
    for t in regimen.ingredient_totals():
        if t.unit == "mg":
            totals[t.drug] = totals.get(t.drug, Fraction(0)) + t.total
    for row in checks["label_maximums"]:
        most = totals.get(row["drug"])
        if most is not None and most > Fraction(row["max_mg_per_day"]):
            flags.append(Flag("dose", DOSE_LABEL_MAX, (row["drug"],),
                              f"{row['drug']}: {amount_text(most, 'mg')} a day at most (scheduled and as needed), "
                              f"above the label's maximum of {amount_text(Fraction(row['max_mg_per_day']), 'mg')} a day"
                              f"{' (' + row['context'] + ')' if row.get('context') else ''}. Confirm this dose.",
                              row["source"], row["evidence"]))
    high = checks["very_high_mme"]
    if metrics.opioids and metrics.mme_max_per_day >= Fraction(high["mme_per_day"]):
        flags.append(Flag("dose", DOSE_MME_VERY_HIGH, tuple(metrics.opioids),
                          f"{_mme(metrics.mme_max_per_day)} MME a day at most ({metrics.mme_factor_set}). "
                          + high["message"], high["source"], high["evidence"]))
    for row in checks["weekly_only"]:
        lines = [med for med in regimen.medications
                 if any(a.drug == row["drug"] for a in med.ingredient_amounts())
                 and med.administrations_per_day > Fraction(1, 7)]
        if lines:
            flags.append(Flag("dose", DOSE_WEEKLY_ONLY, (row["drug"],),
                              f"{lines[0].description()} is scheduled more often than once a week. "
                              + row["message"], row["source"], row["evidence"]))
    return flags


def compute_flags(regimen: Regimen, metrics: Metrics, age: int | None) -> list[Flag]:
    """Threshold, naloxone, ACB and older-adult flags of ``regimen`` with its ``metrics``."""
    flags: list[Flag] = []
    amounts = [a for med in regimen.medications for a in med.ingredient_amounts()]
    classes = regimen.classes_by_drug()
    drugs = set(classes)
    opioids = sorted(d for d in drugs if "opioid" in classes[d])
    benzos = sorted(d for d in drugs if "benzodiazepine" in classes[d])
    mme = mme_tables()
    scheduled, most = metrics.mme_per_day, metrics.mme_max_per_day
    naloxone = {t["id"]: t for t in mme["naloxone_triggers"]}
    if opioids and most >= 50:
        t = naloxone["NALOXONE-MME-50"]
        flags.append(Flag("naloxone", t["id"], tuple(opioids), t["message"], t["source"], t["evidence"]))
    if opioids and benzos:
        t = naloxone["NALOXONE-BZD"]
        flags.append(Flag("naloxone", t["id"], tuple(opioids + benzos), t["message"], t["source"],
                          t["evidence"]))
    for t in sorted(mme["thresholds"], key=lambda t: Fraction(t["mme_per_day"])):
        limit = Fraction(t["mme_per_day"])
        if opioids and most >= limit:
            how = (f"{_mme(scheduled)} MME/day scheduled" if scheduled >= limit else
                   f"{_mme(scheduled)} MME/day scheduled, {_mme(most)} with as-needed doses at their most")
            flags.append(Flag("mme", t["id"], tuple(opioids), f"{how} ({metrics.mme_factor_set}). "
                              + t["message"], t["source"], t["evidence"]))
    apap = metrics.acetaminophen_mg_per_day + metrics.acetaminophen_prn_max_mg_per_day
    for limit in sorted(limits_table()["limits"], key=lambda x: Fraction(x["above_mg_per_day"])):
        if limit.get("min_age") is not None and (age is None or age < limit["min_age"]):
            continue
        if apap > Fraction(limit["above_mg_per_day"]):
            flags.append(Flag("acetaminophen", limit["id"], ("acetaminophen",),
                              f"{amount_text(apap, 'mg')} a day at most. " + limit["message"],
                              limit["source"], limit["evidence"]))
            break
    threshold = acb_tables()["threshold"]
    if metrics.acb_score >= threshold["total"]:
        parts = ", ".join(f"{d} {s}" for d, s in sorted(metrics.acb_contributions.items()))
        flags.append(Flag("acb", "ACB-3", tuple(sorted(metrics.acb_contributions)),
                          f"ACB score {metrics.acb_score} on the {metrics.acb_scale} scale ({parts}). "
                          + threshold["message"], threshold["source"], threshold["evidence"]))
    beers = beers_table()
    if age is not None and age >= beers["applies_from_age"]:
        for item in beers["flags"]:
            hit = sorted(d for d in drugs if d in item["drugs"] or classes[d] & set(item["classes"]))
            if not hit:
                continue
            above = item.get("above_mg_per_day")
            if above is not None:
                mg = {d: sum((a.amount for a in amounts if a.drug == d and a.unit == "mg"), Fraction(0))
                      for d in hit}
                hit = [d for d in hit if mg[d] > Fraction(above)]
                if not hit:
                    continue
            flags.append(Flag("beers", item["id"], tuple(hit), item["message"], item["source"],
                              item["evidence"], check=item.get("condition") if item.get("needs") else None))
    flags.extend(prn_ceiling_flags(regimen))
    flags.extend(scheduled_and_prn_flags(regimen))
    flags.extend(dose_flags(regimen, metrics))
    if age is None:
        flags.append(Flag("age-unknown", "AGE-UNKNOWN", (), "Age unknown: the older-adult checks (Beers "
                          "2023, the three-CNS-drug rule, age-dependent severities) were not applied. "
                          "Give the age (--age) or use a case file with a birth date.", "taper", "C"))
    return flags
