"""Panel review: many patients in one medication CSV, one summary row per patient.

Vectorised with pandas: every column is read as a categorical, so checks run once per distinct
value and are broadcast to the rows. Each distinct medication line (drug, strength, form, dose,
when, PRN) is checked with the same code as the single-patient import; bad rows are reported by
row number and skipped. Findings come from the same rules as :func:`interactions.screen.screen`:
drug pairs are looked up in a table built once per distinct pair with
:func:`interactions.screen.pair_rule_hits`, and class counts per patient give the duplicate,
three-drug and count rules. A test checks that the panel agrees with single reviews.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from interactions.metrics import (
    DOSE_LABEL_MAX,
    DOSE_MME_VERY_HIGH,
    DOSE_WEEKLY_ONLY,
    PRN_NO_MAX,
    SAME_DRUG_PRN,
    Options,
)
from interactions.panel_input import medication_lines, patient_ages, read_panel, row_problems
from interactions.screen import DrugPresence, pair_rule_hits, rule_sides_of
from interactions.tables import (
    SEVERITIES,
    SEVERITY_RANK,
    acb_tables,
    beers_table,
    benzo_tables,
    dose_checks,
    factor_set,
    limits_table,
    rule_table,
)
from regimens.errors import TaperInputError
from regimens.forms import GENERAL_FACTOR_FORMS
from regimens.formulary import classes_of

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

OUTPUT_COLUMNS = (
    "patient_id", "age", "medication_count", "contraindicated", "major", "moderate", "minor",
    "mme_per_day", "mme_prn_max_per_day", "diazepam_equivalent_mg_per_day", "acb_score",
    "cns_depressant_count", "acetaminophen_max_mg_per_day", "flags", "age_conflict",
)


@dataclass
class PanelResult:
    """One row per patient, and the rows that were skipped with why."""

    patients: pd.DataFrame
    skipped: list[TaperInputError]
    rows_read: int


def _severity_counts(long: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame()
    if long.empty:
        return pd.DataFrame(columns=list(SEVERITIES))
    counts = long.groupby(["patient", "rank"]).size().unstack(fill_value=0)
    out = pd.DataFrame(index=counts.index)
    for name, rank in SEVERITY_RANK.items():
        out[name] = counts[rank] if rank in counts.columns else 0
    return out


def _findings(pres: pd.DataFrame, rows: pd.DataFrame, ages: pd.Series, names: list[str]) -> pd.DataFrame:
    """Counts of findings by severity per patient, by the rules of the single review."""
    import numpy as np
    import pandas as pd

    table = rule_table()
    thresholds: dict[str, list[float]] = {}
    for r in table.rules:
        if r.dose_threshold:
            thresholds.setdefault(r.dose_threshold.drug, []).append(float(r.dose_threshold.above_mg_per_day))
    cuts = sorted({65, *(r.min_age for r in table.rules if r.min_age),
                   *(r.dose_threshold.age_from for r in table.rules
                     if r.dose_threshold and r.dose_threshold.age_from)})
    # --- pairs of different drugs on different medication lines, as int64 keys (patient, a, b)
    n_drugs = max(len(names), 1)
    # Ingredient lines sorted by patient; pair each with the next 1, 2, ... lines of the same patient.
    order = np.argsort(rows["patient"].to_numpy(np.int64), kind="stable")
    line_patient = rows["patient"].to_numpy(np.int64)[order]
    line_drug = rows["dcode"].to_numpy(np.int64)[order]
    line_row = rows["row"].to_numpy(np.int64)[order]
    chunks = []
    offset = 1
    while offset < len(order):
        same = line_patient[offset:] == line_patient[:-offset]
        if not same.any():
            break
        first, second = line_drug[:-offset][same], line_drug[offset:][same]
        keep = (first != second) & (line_row[:-offset][same] != line_row[offset:][same])
        low, high = np.minimum(first, second)[keep], np.maximum(first, second)[keep]
        chunks.append((line_patient[offset:][same][keep] * n_drugs + low) * n_drugs + high)
        offset += 1
    key3 = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)  # repeats fold in the max below
    patient = key3 // (n_drugs * n_drugs)
    dcode_a = (key3 // n_drugs) % n_drugs
    dcode_b = key3 % n_drugs
    # Dense (patient, drug) tables: PRN-only and mg a day, looked up by position.
    n_patients = int(pres["patient"].max()) + 1 if len(pres) else 0
    pres_key = pres["patient"].to_numpy(np.int64) * n_drugs + pres["dcode"].to_numpy(np.int64)
    prn_dense = np.zeros(n_patients * n_drugs, dtype=bool)
    prn_dense[pres_key] = pres["prn_only"].to_numpy(bool)
    mg_dense = np.zeros(n_patients * n_drugs)
    mg_dense[pres_key] = pres["mg"].to_numpy()
    age_arr = np.full(n_patients, np.nan)
    known = ages.index.to_numpy(np.int64)
    inside = known < n_patients
    age_arr[known[inside]] = ages.to_numpy(dtype=float)[inside]
    # Only which age cut-offs and dose thresholds are reached matters: encode them as band numbers.
    age = age_arr[patient]
    age_band = np.where(np.isnan(age), len(cuts) + 1, 0)
    for i, cut in enumerate(cuts, start=1):
        age_band = np.where(age >= cut, i, age_band)
    limits = sorted({limit for values in thresholds.values() for limit in values})
    code_of = {name: i for i, name in enumerate(names)}
    side_info = []
    for dcode in (dcode_a, dcode_b):
        at = patient * n_drugs + dcode
        prn, mg = prn_dense[at], mg_dense[at]
        band = np.zeros(len(key3), dtype=np.int64)
        for name, values in thresholds.items():
            if name not in code_of:
                continue
            for limit in values:
                passed = (dcode == code_of[name]) & (mg > limit)
                band = np.where(passed, np.maximum(band, limits.index(limit) + 1), band)
        side_info.append((prn, band))
    n_bands = len(limits) + 1
    (prn_a, band_a), (prn_b, band_b) = side_info
    encoded = ((((dcode_a * n_drugs + dcode_b) * 2 + prn_a) * 2 + prn_b) * n_bands + band_a) * n_bands
    encoded = (encoded + band_b) * (len(cuts) + 2) + age_band
    inverse, unique_keys = pd.factorize(encoded)
    unique_scores = np.zeros(len(unique_keys), dtype=np.int64)
    cut_for = [0, *cuts]
    for i, key in enumerate(unique_keys.tolist()):
        key, band_age = divmod(key, len(cuts) + 2)
        key, k_band_b = divmod(key, n_bands)
        key, k_band_a = divmod(key, n_bands)
        key, k_prn_b = divmod(key, 2)
        key, k_prn_a = divmod(key, 2)
        code_a, code_b = divmod(key, n_drugs)
        mg_a = Fraction(str(limits[k_band_a - 1])) + Fraction(1, 1000) if k_band_a else Fraction(0)
        mg_b = Fraction(str(limits[k_band_b - 1])) + Fraction(1, 1000) if k_band_b else Fraction(0)
        a = DrugPresence(names[code_a], classes_of(names[code_a]), frozenset({"a"}), bool(k_prn_a), mg_a)
        b = DrugPresence(names[code_b], classes_of(names[code_b]), frozenset({"b"}), bool(k_prn_b), mg_b)
        age_value = None if band_age == len(cuts) + 1 else cut_for[band_age]
        hits = pair_rule_hits(a, b, age_value)
        best = max(((spec, rank) for spec, rank, _ in hits), default=(0, 0))
        unique_scores[i] = best[0] * 10 + best[1]
    scores = unique_scores[inverse]
    hit = scores > 0
    candidates = [pd.DataFrame({"key3": key3[hit], "score": scores[hit]})]
    singles: list[pd.DataFrame] = []
    older = age_arr >= 65
    pres_patient = pres["patient"].to_numpy(np.int64)  # pres is sorted by (patient, dcode)
    pres_dcode = pres["dcode"].to_numpy(np.int64)
    pres_prn = pres["prn_only"].to_numpy(bool)
    row_patient = rows["patient"].to_numpy(np.int64)
    row_dcode = rows["dcode"].to_numpy(np.int64)
    row_id = rows["row"].to_numpy(np.int64)
    code_of = {name: i for i, name in enumerate(names)}

    def table_of(spec_of: dict[str, int]) -> np.ndarray:
        lookup = np.zeros(n_drugs, dtype=np.int64)
        for drug, spec in spec_of.items():
            lookup[code_of[drug]] = spec
        return lookup

    def lines_per_patient(drug_mask: np.ndarray) -> np.ndarray:
        chosen = drug_mask[row_dcode]
        uniq_rows, first = np.unique(row_id[chosen], return_index=True)
        return np.bincount(row_patient[chosen][first], minlength=n_patients)

    # --- duplicate, count and three-drug rules from class membership per patient
    member_rules: dict[int, dict[int, dict[str, int]]] = {}
    for drug in names:
        for ri, si, spec in rule_sides_of(drug):
            member_rules.setdefault(ri, {}).setdefault(si, {})[drug] = spec
    for ri, sides in member_rules.items():
        rule = table.rules[ri]
        if rule.kind == "pair" or len(sides) < len(rule.sides):
            continue
        young_rank = SEVERITY_RANK[rule.severity]
        old_rank = SEVERITY_RANK[rule.older_adult_severity or rule.severity]
        usable = ~pres_prn if rule.scheduled_only else np.ones(len(pres), dtype=bool)
        if rule.kind in ("duplicate", "count"):
            spec_table = table_of(sides[0])
            member = (spec_table[pres_dcode] > 0) & usable
            if rule.min_age is not None:
                member &= age_arr[pres_patient] >= rule.min_age
            count = np.bincount(pres_patient[member], minlength=n_patients)
            needed = (rule.min_count or 2) if rule.kind == "count" else 2
            enough = (count >= needed) & (lines_per_patient(spec_table > 0) >= 2)
            rank_of = np.where(older, old_rank, young_rank)
            if rule.kind == "duplicate":
                two = enough & (count == 2)
                at = np.flatnonzero(member & two[pres_patient])  # two entries per patient, in dcode order
                a_at, b_at = at[0::2], at[1::2]
                patients_two = pres_patient[a_at]
                score = (spec_table[pres_dcode[a_at]] + spec_table[pres_dcode[b_at]]) * 10 + rank_of[patients_two]
                key = (patients_two * n_drugs + pres_dcode[a_at]) * n_drugs + pres_dcode[b_at]
                candidates.append(pd.DataFrame({"key3": key, "score": score}))
                many = np.flatnonzero(enough & (count > 2))
            else:
                many = np.flatnonzero(enough)
            singles.append(pd.DataFrame({"patient": many, "rank": rank_of[many]}))
        elif rule.kind == "triple":
            marks = [(table_of(sides.get(si, {}))[pres_dcode] > 0) & usable for si in range(3)]
            def per(mask: np.ndarray) -> np.ndarray:
                return np.bincount(pres_patient[mask], minlength=n_patients)
            s0, s1, s2 = (per(m) for m in marks)
            # Hall's condition: three different drugs can fill the three sides.
            hall = ((s0 >= 1) & (s1 >= 1) & (s2 >= 1) & (per(marks[0] | marks[1]) >= 2)
                    & (per(marks[0] | marks[2]) >= 2) & (per(marks[1] | marks[2]) >= 2)
                    & (per(marks[0] | marks[1] | marks[2]) >= 3))
            hit = np.flatnonzero(hall)
            singles.append(pd.DataFrame({"patient": hit, "rank": np.where(older[hit], old_rank, young_rank)}))
    # --- the same ingredient on two scheduled (or two as-needed) lines
    for rule in table.rules:
        if rule.kind != "ingredient":
            continue
        twice = (pres["scheduled_lines"].to_numpy(np.int64) >= 2) | (pres["prn_lines"].to_numpy(np.int64) >= 2)
        who = pres_patient[twice]
        singles.append(pd.DataFrame({"patient": who, "rank": np.where(
            older[who], SEVERITY_RANK[rule.older_adult_severity or rule.severity], SEVERITY_RANK[rule.severity])}))
    pair_long = pd.concat([c for c in candidates if not c.empty] or [pd.DataFrame(columns=["key3", "score"])])
    if not pair_long.empty:
        best = pair_long.groupby("key3")["score"].max()
        singles.append(pd.DataFrame({"patient": best.index.to_numpy(np.int64) // (n_drugs * n_drugs),
                                     "rank": best.to_numpy(np.int64) % 10}))
    long = pd.concat([s for s in singles if not s.empty] or [pd.DataFrame(columns=["patient", "rank"])])
    return _severity_counts(long)


def _annotate(ingredients: pd.DataFrame, options: Options) -> pd.DataFrame:
    """Per distinct medication line and ingredient: MME factor, diazepam factor, acetaminophen."""
    import numpy as np

    fs = factor_set(options.mme_set)
    benzo = benzo_tables()
    eq = benzo["tables"][options.benzo_table or benzo["default"]]["dose_equal_to_10_mg_diazepam"]
    factor, tiered, de = [], [], []
    for drug, unit, form in ingredients[["drug", "unit", "form"]].itertuples(index=False):
        f, t = 0.0, False
        if "opioid" in classes_of(drug):
            for e in fs.factors.get(drug, []):
                if (e.form is not None and e.form != form) or e.per != unit:
                    continue
                if e.form is None and form not in GENERAL_FACTOR_FORMS:
                    continue
                if e.tiers:
                    t = True
                elif e.factor is not None:
                    f = float(e.factor)
                break
        factor.append(f)
        tiered.append(t)
        de.append(10 / float(eq[drug]) if unit == "mg" and drug in eq and "benzodiazepine" in classes_of(drug)
                  else 0.0)
    out = ingredients.copy()
    out["mme_factor"] = np.asarray(factor, dtype=float)
    out["tiered"] = np.asarray(tiered, dtype=bool)
    out["de_factor"] = np.asarray(de, dtype=float)
    out["apap"] = ((out["drug"] == "acetaminophen") & (out["unit"] == "mg")).to_numpy(bool)
    return out


def _metrics(rows: pd.DataFrame, pres: pd.DataFrame, names: list[str], options: Options) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    fs = factor_set(options.mme_set)
    patient = rows["patient"].to_numpy(np.int64)
    n_patients = int(patient.max()) + 1 if len(patient) else 0
    amount = rows["amount"].to_numpy()
    prn = rows["prn"].to_numpy(bool)
    factor = rows["mme_factor"].to_numpy()
    tiered = rows["tiered"].to_numpy(bool)
    if tiered.any():
        methadone = np.where(tiered, amount, 0.0)
        sched_total = np.bincount(patient, weights=np.where(prn, 0.0, methadone), minlength=n_patients)
        all_total = np.bincount(patient, weights=methadone, minlength=n_patients)
        total = np.where(prn, all_total[patient], sched_total[patient])
        steps = next(e.tiers for entries in fs.factors.values() for e in entries if e.tiers)
        tier_factor = np.full(len(rows), float(steps[-1][1]))
        for limit, f in reversed(steps):
            if limit is not None:
                tier_factor = np.where(total <= float(limit), float(f), tier_factor)
        factor = np.where(tiered, tier_factor, factor)

    def per_patient(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.bincount(patient[mask], weights=values[mask], minlength=n_patients)

    mme = amount * factor
    de = amount * rows["de_factor"].to_numpy()
    apap = np.where(rows["apap"].to_numpy(bool), amount, 0.0)
    out = pd.DataFrame(index=pd.RangeIndex(n_patients))
    out["mme_per_day"] = per_patient(mme, ~prn)
    out["mme_prn_max_per_day"] = per_patient(mme, prn)
    out["diazepam_equivalent_mg_per_day"] = per_patient(de, ~prn)
    out["diazepam_equivalent_prn_max_mg_per_day"] = per_patient(de, prn)
    out["acetaminophen_max_mg_per_day"] = np.bincount(patient, weights=apap, minlength=n_patients)
    acb = acb_tables()
    scores = acb["scales"][options.acb_scale or acb["default"]]["scores"]
    score_of = np.asarray([float(scores.get(d, 0)) for d in names] or [0.0])
    cns_of = np.asarray([("CNS-depressant" in classes_of(d)) for d in names] or [False])
    pres_patient = pres["patient"].to_numpy(np.int64)
    pres_dcode = pres["dcode"].to_numpy(np.int64)
    out["acb_score"] = np.bincount(pres_patient, weights=score_of[pres_dcode], minlength=n_patients)
    out["cns_depressant_count"] = np.bincount(pres_patient[cns_of[pres_dcode]], minlength=n_patients)
    return out


def _flags(pres: pd.DataFrame, out: pd.DataFrame, ages: pd.Series, names: list[str],
           no_max: np.ndarray | None = None) -> pd.Series:
    """Flag ids per patient, ";"-joined, by the same thresholds as the single review."""
    import numpy as np
    import pandas as pd

    n = len(out)
    pres_patient = pres["patient"].to_numpy(np.int64)
    pres_dcode = pres["dcode"].to_numpy(np.int64)
    pres_mg = pres["mg"].to_numpy()

    def having(test: Callable[[str], bool], above: float | None = None) -> np.ndarray:
        table = np.asarray([test(d) for d in names] or [False])
        mask = table[pres_dcode]
        if above is not None:
            mask &= pres_mg > above
        return np.bincount(pres_patient[mask], minlength=n) > 0

    opioid = having(lambda d: "opioid" in classes_of(d))
    benzo = having(lambda d: "benzodiazepine" in classes_of(d))
    mme_max = (out["mme_per_day"] + out["mme_prn_max_per_day"]).to_numpy()
    age = ages.reindex(out.index).to_numpy(dtype=float)
    parts: list[tuple[np.ndarray, str]] = [
        (opioid & (mme_max >= 50), "NALOXONE-MME-50"),
        (opioid & benzo, "NALOXONE-BZD"),
        (opioid & (mme_max >= 50), "MME-50"),
        (opioid & (mme_max >= 90), "MME-90"),
    ]
    apap = out["acetaminophen_max_mg_per_day"].to_numpy()
    done = np.zeros(n, dtype=bool)
    for limit in sorted(limits_table()["limits"], key=lambda x: Fraction(x["above_mg_per_day"])):
        eligible = age >= limit["min_age"] if limit.get("min_age") else np.ones(n, dtype=bool)
        hit = eligible & (apap > float(limit["above_mg_per_day"])) & ~done
        parts.append((hit, limit["id"]))
        done |= hit
    parts.append((out["acb_score"].to_numpy() >= acb_tables()["threshold"]["total"], "ACB-3"))
    beers = beers_table()
    older = age >= beers["applies_from_age"]
    for item in beers["flags"]:
        above = item.get("above_mg_per_day")
        drugs, classes = set(item["drugs"]), set(item["classes"])

        def covered(d: str, drugs: set[str] = drugs, classes: set[str] = classes) -> bool:
            return d in drugs or bool(classes_of(d) & classes)

        present = having(covered, float(above) if above is not None else None)
        parts.append((older & present, item["id"]))
    if no_max is not None:
        parts.append((no_max, PRN_NO_MAX))
    mixed = pres["prn_any"].to_numpy(bool) & ~pres["prn_only"].to_numpy(bool)
    parts.append((np.bincount(pres_patient[mixed], minlength=n) > 0, SAME_DRUG_PRN))
    checks = dose_checks()
    most_of = {row["drug"]: float(Fraction(row["max_mg_per_day"])) for row in checks["label_maximums"]}
    ceiling = np.asarray([most_of.get(d, np.inf) for d in names] or [np.inf])[pres_dcode]
    above = pres_mg > ceiling + 1e-9
    parts.append((np.bincount(pres_patient[above], minlength=n) > 0, DOSE_LABEL_MAX))
    very_high = float(Fraction(checks["very_high_mme"]["mme_per_day"]))
    parts.append((opioid & (mme_max >= very_high - 1e-9), DOSE_MME_VERY_HIGH))
    weekly_drugs = {row["drug"] for row in checks["weekly_only"]}
    weekly = np.asarray([d in weekly_drugs for d in names] or [False])[pres_dcode] & pres["too_often"].to_numpy(bool)
    parts.append((np.bincount(pres_patient[weekly], minlength=n) > 0, DOSE_WEEKLY_ONLY))
    parts.append((np.isnan(age), "AGE-UNKNOWN"))
    found: list[list[str]] = [[] for _ in range(n)]
    for mask, name in parts:
        for i in np.flatnonzero(mask).tolist():
            found[i].append(name)
    return pd.Series([";".join(f) for f in found], index=out.index, dtype=object)


def review_panel(path: str, options: Options | None = None, *, today: date) -> PanelResult:
    """One row per patient of the panel CSV at ``path``; ages are worked out on ``today``."""
    import numpy as np
    import pandas as pd

    options = options or Options()
    frame = read_panel(path)
    errors = row_problems(frame, path)
    line_codes, ingredients, sig_errors = medication_lines(frame, path)
    errors.extend(sig_errors)
    bad_rows = np.fromiter((e.row for e in errors if e.row is not None), dtype=np.int64)
    line_codes = line_codes[~line_codes.index.isin(bad_rows)]
    # Patient ids: strip each distinct id once, then number the patients that have good rows.
    ids = frame["patient_id"].cat
    stripped_codes, stripped_names = pd.factorize(pd.Index([str(c).strip() for c in ids.categories]))
    row_ids = stripped_codes[ids.codes.to_numpy()[line_codes.index.to_numpy() - 1]]
    patient_codes, used = pd.factorize(row_ids)
    patient_names = np.asarray(stripped_names, dtype=object)[used]
    good = pd.DataFrame({"row": line_codes.index.to_numpy(), "patient": patient_codes,
                         "code": line_codes.to_numpy()})
    ages, conflicts = patient_ages(frame, pd.Index(good["row"]), pd.Series(good["patient"].to_numpy()), today)
    names = sorted(ingredients["drug"].unique())
    ingredients = _annotate(ingredients, options)
    ingredients["dcode"] = np.searchsorted(np.asarray(names, dtype=object), ingredients["drug"].to_numpy(dtype=object))
    rows = good.merge(ingredients.drop(columns=["drug"]), on="code")
    rows["mg"] = np.where(rows["unit"].to_numpy(dtype=object) == "mg", rows["amount"].to_numpy(), 0.0)
    rows["too_often"] = rows["times_a_day"].to_numpy() > 1 / 7 + 1e-9
    rows["scheduled"] = ~rows["prn"].to_numpy(bool)
    grouped = rows.groupby(["patient", "dcode"], observed=True)
    pres = pd.DataFrame({"prn_only": grouped["prn"].all(), "prn_any": grouped["prn"].any(),
                         "mg": grouped["mg"].sum(), "scheduled_lines": grouped["scheduled"].sum(),
                         "prn_lines": grouped["prn"].sum(), "too_often": grouped["too_often"].any()}).reset_index()
    metrics = _metrics(rows, pres, names, options)
    counts = _findings(pres, rows, ages, names).reindex(metrics.index, fill_value=0)
    out = metrics.join(counts)
    out["medication_count"] = good.groupby("patient").size()
    out["age"] = ages.reindex(out.index)
    no_max = rows.groupby("patient")["no_max"].any().reindex(out.index, fill_value=False).to_numpy(dtype=bool)
    out["flags"] = _flags(pres, out, ages, names, no_max)
    conflict = conflicts.reindex(out.index, fill_value="").astype(str)
    out["age_conflict"] = conflict
    out["flags"] = [";".join(f for f in (flags, AGE_CONFLICT if given else "") if f)
                    for flags, given in zip(out["flags"], conflict, strict=True)]
    out.index = pd.Index(np.asarray(patient_names, dtype=object)[out.index.to_numpy()], name="patient_id")
    out = out.reset_index()
    for name in SEVERITIES:
        out[name] = out[name].fillna(0).astype(int)
    out["acb_score"] = out["acb_score"].astype(int)
    out["cns_depressant_count"] = out["cns_depressant_count"].astype(int)
    errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return PanelResult(out[list(OUTPUT_COLUMNS)], errors, len(frame))


AGE_CONFLICT = "AGE-CONFLICT"
"""Flag of a patient whose rows give different ages (screened with the oldest)."""
USER_TEXT_COLUMNS = ("patient_id",)
"""Columns of the panel that hold text from the input file (neutralised in CSV output)."""


def panel_csv(result: PanelResult) -> str:
    """The panel as CSV text, with user text made spreadsheet-safe (numbers stay numbers)."""
    from regimens.csvsafe import safe_cell

    frame = result.patients.copy()
    for column in USER_TEXT_COLUMNS:
        frame[column] = frame[column].map(safe_cell)
    return str(frame.to_csv(index=False, float_format="%.6g", lineterminator="\n"))


def panel_records(result: PanelResult) -> Iterable[dict[str, Any]]:
    for rec in result.patients.to_dict(orient="records"):
        rec["age"] = None if rec["age"] is None or rec["age"] != rec["age"] else int(rec["age"])
        for key in ("mme_per_day", "mme_prn_max_per_day", "diazepam_equivalent_mg_per_day",
                    "acetaminophen_max_mg_per_day"):
            rec[key] = round(float(rec[key]), 2)
        rec["flags"] = [f for f in str(rec["flags"]).split(";") if f]
        yield rec
