"""Synthetic panel CSVs for the panel tests: patients drawing products from a pain-clinic pool."""

from __future__ import annotations

import random

from regimens.formulary import get_formulary

POOL = ["oxycodone", "morphine", "tramadol", "methadone", "fentanyl", "hydrocodone/acetaminophen",
        "alprazolam", "lorazepam", "clonazepam", "diazepam", "zolpidem", "gabapentin", "pregabalin",
        "sertraline", "citalopram", "fluoxetine", "duloxetine", "amitriptyline", "ibuprofen", "naproxen",
        "celecoxib", "lisinopril", "losartan", "hydrochlorothiazide", "spironolactone", "furosemide",
        "cyclobenzaprine", "carisoprodol", "diphenhydramine", "acetaminophen", "warfarin", "lithium",
        "sumatriptan", "prednisone", "ondansetron", "tizanidine", "ciprofloxacin", "phenelzine"]
HEADER = "patient_id,age,drug,strength,form,dose,when,prn,max_per_day\n"


def line_of_drug(rng: random.Random, drug: str) -> str:
    """A CSV line (no patient id or age) for one of the drug's products, scheduled or as needed."""
    products = [p for p in get_formulary().get(drug).products
                if p.form.value in ("tablet", "capsule", "patch", "solution")]
    p = rng.choice(products)
    form = p.form.value + (" ER" if p.release.value == "extended" else "") + (
        " DR" if p.release.value == "delayed" else "")
    if p.form.value == "patch":
        return f"{drug},{p.strength},{form},1,every {p.interval_hours} hours,no,"
    dose = "5 mL" if p.form.is_liquid else rng.choice(["1", "2"] + (["0.5"] if p.split == "half" else []))
    if rng.random() < 0.3:
        most = "15 mL" if p.form.is_liquid else "4"
        return f"{drug},{p.strength},{form},{dose},every 6 hours,yes,{most}"
    return f"{drug},{p.strength},{form},{dose},{rng.choice(['morning', 'morning;bedtime', 'bedtime', 'three times daily'])},no,"


def random_panel(seed: int, patients: int) -> str:
    rng = random.Random(seed)
    out = [HEADER]
    for i in range(patients):
        age = "" if rng.random() < 0.1 else str(rng.randint(30, 92))
        for drug in rng.sample(POOL, rng.randint(1, 9)):
            out.append(f"p{i},{age},{line_of_drug(rng, drug)}\n")
    return "".join(out)
