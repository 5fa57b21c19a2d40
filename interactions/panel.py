"""Panel review: many patients in one medication CSV, one summary row per patient.

Vectorised with pandas: every column is read as a categorical, so checks run once per distinct
value and are broadcast to the rows. Each distinct medication line (drug, strength, form, dose,
when, PRN) is checked with the same code as the single-patient import; bad rows are reported by
row number and skipped. Findings come from the same rules as :func:`interactions.screen.screen`:
drug pairs are looked up in a table built once per distinct pair with
:func:`interactions.screen.pair_rule_hits`, and class counts per patient give the duplicate,
three-drug and count rules. A test checks that the panel agrees with single reviews.

At health-system scale (issue 14): the file is read in chunks of whole patients, so memory stays
bounded; what is worked out once (each distinct line, each drug pair's score) is kept from chunk to
chunk. A file whose patients' rows are spread out is noticed and regrouped by patient through
temporary files. Unknown medicines are kept and reported as not screened; rows that cannot be read
are skipped and counted per patient. A big file is read, and grouped by patient, by a second process a
chunk ahead of the review (:mod:`interactions.read_ahead`), so the two share the machine's cores.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from interactions.metrics import (
    DOSE_LABEL_MAX,
    DOSE_MME_VERY_HIGH,
    DOSE_WEEKLY_ONLY,
    PRN_NO_MAX,
    SAME_DRUG_PRN,
    Options,
    factor_entry,
)
from interactions.panel_input import (
    CHUNK_ROWS,
    LINE_FLAGS,
    PANEL_COLUMNS,
    Line,
    medication_lines,
    panel_chunks,
    patient_ages,
    positions,
    row_problems,
    text_categories,
)
from interactions.read_ahead import can_fork
from interactions.read_ahead import read_ahead as read_ahead_in_child
from interactions.review import NOT_IN_FORMULARY
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
from regimens.formulary import classes_of

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

OUTPUT_COLUMNS = (
    "patient_id", "age", "medication_count", "contraindicated", "major", "moderate", "minor",
    "mme_per_day", "mme_prn_max_per_day", "diazepam_equivalent_mg_per_day", "acb_score",
    "cns_depressant_count", "acetaminophen_max_mg_per_day", "flags", "age_conflict",
    "not_screened_count", "not_screened", "unreadable_rows",
)


@dataclass
class PanelResult:
    """One row per patient, and the rows that were skipped with why."""

    patients: pd.DataFrame
    skipped: list[TaperInputError]
    rows_read: int


def _pairable(names: list[str], cache: list[Any]) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]], np.ndarray]:
    """Over ``names``: where two drugs are on the two sides of some pair rule, a number for each such
    pair (a < b; -1 elsewhere), the pairs by number, and the table of scores found so far. Kept in
    ``cache`` until new names arrive (then the scores start again)."""
    import numpy as np

    if cache and cache[0].shape[0] == len(names):
        return cache[0], cache[1], cache[2], cache[3]
    table = rule_table()
    sides: dict[int, list[set[int]]] = {}
    for code, drug in enumerate(names):
        for ri, si, _ in rule_sides_of(drug):
            if table.rules[ri].kind == "pair":
                sides.setdefault(ri, [set(), set()])[si].add(code)
    meet = np.zeros((len(names), len(names)), dtype=bool)
    for one, two in sides.values():
        if one and two:
            a, b = np.asarray(sorted(one)), np.asarray(sorted(two))
            meet[np.ix_(a, b)] = True
            meet[np.ix_(b, a)] = True
    np.fill_diagonal(meet, False)
    low, high = np.nonzero(np.triu(meet))
    pair_ids = np.full((len(names), len(names)), -1, dtype=np.int64)
    pair_ids[low, high] = np.arange(len(low))
    cache[:] = [meet, pair_ids, list(zip(low.tolist(), high.tolist(), strict=True)), np.zeros(0, dtype=np.int64)]
    return cache[0], cache[1], cache[2], cache[3]


def _findings(pres: pd.DataFrame, rows: pd.DataFrame, ages: pd.Series, names: list[str], n_patients: int,
              pairable: list[Any]) -> pd.DataFrame:
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
    # Only drugs on a side of some pair rule take part, and only pairs that meet in one can score.
    meet, pair_ids, pair_list, score_table = _pairable(names, pairable)
    line_patient = rows["patient"].to_numpy(np.int64)
    line_drug = rows["dcode"].to_numpy(np.int64)
    line_row = rows["row"].to_numpy(np.int64)
    taking_part = np.asarray(meet.any(axis=1), dtype=bool)[line_drug]
    line_patient, line_drug, line_row = line_patient[taking_part], line_drug[taking_part], line_row[taking_part]
    if len(line_patient) > 1 and (line_patient[1:] < line_patient[:-1]).any():
        order = np.argsort(line_patient, kind="stable")
        line_patient, line_drug, line_row = line_patient[order], line_drug[order], line_row[order]
    found_patient, found_low, found_high, found_pair = [], [], [], []
    offset = 1
    while offset < len(line_patient):
        same = np.flatnonzero(line_patient[offset:] == line_patient[:-offset])
        if not len(same):
            break
        first, second = line_drug[same], line_drug[same + offset]
        low, high = np.minimum(first, second), np.maximum(first, second)
        pair = pair_ids[low, high]  # -1 for the same drug twice and for drugs no pair rule joins
        keep = (pair >= 0) & (line_row[same] != line_row[same + offset])
        found_patient.append(line_patient[same[keep]])
        found_low.append(low[keep])
        found_high.append(high[keep])
        found_pair.append(pair[keep])
        offset += 1
    empty = np.zeros(0, dtype=np.int64)
    patient = np.concatenate(found_patient) if found_patient else empty
    dcode_a = np.concatenate(found_low) if found_low else empty
    dcode_b = np.concatenate(found_high) if found_high else empty
    pair_of = np.concatenate(found_pair) if found_pair else empty
    key3 = (patient * n_drugs + dcode_a) * n_drugs + dcode_b  # repeats fold in the max below
    # One dense (patient, drug) table, looked up by position: each drug's side of a pair as
    # (PRN-only, dose band), and whether it is on more than one line.
    limits = sorted({limit for values in thresholds.values() for limit in values})
    n_bands, n_ages = len(limits) + 1, len(cuts) + 2
    n_states = 2 * n_bands
    code_of = {name: i for i, name in enumerate(names)}
    pres_key = pres["patient"].to_numpy(np.int64) * n_drugs + pres["dcode"].to_numpy(np.int64)
    pres_mg, pres_code = pres["mg"].to_numpy(), pres["dcode"].to_numpy(np.int64)
    band = np.zeros(len(pres), dtype=np.int64)
    for name, values in thresholds.items():
        if name not in code_of:
            continue
        of_drug = np.flatnonzero(pres_code == code_of[name])
        for limit in values:
            passed = of_drug[pres_mg[of_drug] > limit]
            band[passed] = np.maximum(band[passed], limits.index(limit) + 1)
    on_lines = pres["scheduled_lines"].to_numpy(np.int64) + pres["prn_lines"].to_numpy(np.int64)
    side = np.zeros(n_patients * n_drugs, dtype=np.int32)
    side[pres_key] = ((pres["prn_only"].to_numpy(bool) * n_bands + band) * 2 + (on_lines > 1)).astype(np.int32)
    age_arr = np.full(n_patients, np.nan)
    known = ages.index.to_numpy(np.int64)
    inside = known < n_patients
    age_arr[known[inside]] = ages.to_numpy(dtype=float)[inside]
    # Only which age cut-offs and dose thresholds are reached matters: encode them as band numbers.
    patient_band = np.where(np.isnan(age_arr), len(cuts) + 1, 0)
    for i, cut in enumerate(cuts, start=1):
        patient_band = np.where(age_arr >= cut, i, patient_band)
    side_a = side[patient * n_drugs + dcode_a].astype(np.int64)
    side_b = side[patient * n_drugs + dcode_b].astype(np.int64)
    # Every (drug pair that meets in a rule, each side's state, age band) has a place in a dense
    # table of scores, filled the first time a patient needs it and kept from chunk to chunk.
    encoded = ((pair_of * n_states + (side_a >> 1)) * n_states + (side_b >> 1)) * n_ages + patient_band[patient]
    size = len(pair_list) * n_states * n_states * n_ages
    if len(score_table) != size:
        score_table.resize(size, refcheck=False)
        score_table[:] = -1
    wanted = np.zeros(size, dtype=bool)
    wanted[encoded] = True
    cut_for = [0, *cuts]
    for key in np.flatnonzero(wanted & (score_table < 0)).tolist():
        cache_key = key
        key, band_age = divmod(key, n_ages)
        key, state_b = divmod(key, n_states)
        pair, state_a = divmod(key, n_states)
        (k_prn_a, k_band_a), (k_prn_b, k_band_b) = divmod(state_a, n_bands), divmod(state_b, n_bands)
        code_a, code_b = pair_list[pair]
        mg_a = Fraction(str(limits[k_band_a - 1])) + Fraction(1, 1000) if k_band_a else Fraction(0)
        mg_b = Fraction(str(limits[k_band_b - 1])) + Fraction(1, 1000) if k_band_b else Fraction(0)
        a = DrugPresence(names[code_a], classes_of(names[code_a]), frozenset({"a"}), bool(k_prn_a), mg_a)
        b = DrugPresence(names[code_b], classes_of(names[code_b]), frozenset({"b"}), bool(k_prn_b), mg_b)
        age_value = None if band_age == len(cuts) + 1 else cut_for[band_age]
        hits = pair_rule_hits(a, b, age_value)
        best = max(((spec, rank) for spec, rank, _ in hits), default=(0, 0))
        score_table[cache_key] = best[0] * 10 + best[1]
    scores = score_table[encoded]
    hit = scores > 0
    # A drug pair can repeat only when one of its drugs is on two lines (or under a duplicate rule too):
    # the others are counted straight away; the rest keep their best rule below.
    repeats = hit & (((side_a | side_b) & 1) == 1)
    once = hit & ~repeats
    pair_patient, pair_rank = patient[once], scores[once] % 10
    candidates = [(key3[repeats], scores[repeats])]
    singles: list[tuple[np.ndarray, np.ndarray]] = []  # (patients, severity ranks) of findings
    older = age_arr >= 65
    pres_patient = pres["patient"].to_numpy(np.int64)  # pres is sorted by (patient, dcode)
    pres_dcode = pres["dcode"].to_numpy(np.int64)
    pres_prn = pres["prn_only"].to_numpy(bool)
    row_patient = rows["patient"].to_numpy(np.int64)
    row_dcode = rows["dcode"].to_numpy(np.int64)
    row_id = rows["row"].to_numpy(np.int64)

    def table_of(spec_of: dict[str, int]) -> np.ndarray:
        lookup = np.zeros(n_drugs, dtype=np.int64)
        for drug, spec in spec_of.items():
            lookup[code_of[drug]] = spec
        return lookup

    # --- duplicate, count and three-drug rules from class membership per patient. Every rule's drug set
    # is a column of a membership matrix, so one product per table counts, for every patient and rule,
    # the member drugs (all, or scheduled only) and the medication lines holding one.
    member_rules: dict[int, dict[int, dict[str, int]]] = {}
    for drug in names:
        for ri, si, spec in rule_sides_of(drug):
            member_rules.setdefault(ri, {}).setdefault(si, {})[drug] = spec
    columns: list[np.ndarray] = []

    def column(members: np.ndarray) -> int:
        columns.append(members.astype(np.float32))
        return len(columns) - 1

    plans: list[tuple[Any, ...]] = []
    for ri, sides in member_rules.items():
        rule = table.rules[ri]
        if rule.kind == "pair" or len(sides) < len(rule.sides):
            continue
        if rule.kind in ("duplicate", "count"):
            spec_table = table_of(sides[0])
            plans.append((rule, spec_table, column(spec_table > 0)))
        elif rule.kind == "triple":
            m0, m1, m2 = (table_of(sides.get(si, {})) > 0 for si in range(3))
            plans.append((rule, None, [column(m) for m in (m0, m1, m2, m0 | m1, m0 | m2, m1 | m2, m0 | m1 | m2)]))
    if columns:
        # Many rules share a drug set: each distinct set is counted once. Counts are small whole numbers,
        # exact in float32, and compared as they are.
        membership, column_of = np.unique(np.stack(columns, axis=1), axis=1, return_inverse=True)
        membership = np.ascontiguousarray(membership)
        column_of = column_of.reshape(-1)
        present = np.zeros((n_patients, n_drugs), dtype=np.float32)
        present[pres_patient, pres_dcode] = 1
        counts_all = present @ membership  # by distinct drug set: column_of[c] is set c's column
        del present
        counts_sched: dict[int, np.ndarray] = {}  # few rules: counted straight from the scheduled rows
        scheduled = ~pres_prn
        for c in {c for plan in plans if plan[0].scheduled_only
                  for c in (plan[2] if isinstance(plan[2], list) else [plan[2]])}:
            u = int(column_of[c])
            if u not in counts_sched:
                chosen = scheduled & (membership[:, u] > 0)[pres_dcode]
                counts_sched[u] = np.bincount(pres_patient[chosen], minlength=n_patients)
        # Two member drugs are on two lines unless both are only on one combination line: the lines
        # are counted for the patients with a combination line only (count >= 2 implies lines >= 2 else).
        two_lines = np.ones((n_patients, membership.shape[1]), dtype=bool)
        if len(row_id) > 1 and (row_id[1:] >= row_id[:-1]).all():  # the usual order: by row
            repeat = row_id[1:] == row_id[:-1]
            multi = np.r_[repeat, False] | np.r_[False, repeat]
        else:
            line_of, line_ids = pd.factorize(row_id)
            multi = np.bincount(line_of, minlength=len(line_ids))[line_of] > 1
        if multi.any():
            line_of = np.zeros(len(row_id), dtype=np.int64)
            line_of[multi] = pd.factorize(row_id[multi])[0]
            combo_patients = np.unique(row_patient[multi])
            at = np.searchsorted(combo_patients, pres_patient)
            of_combo = (at < len(combo_patients)) & (combo_patients[np.minimum(at, len(combo_patients) - 1)]
                                                     == pres_patient)
            line_counts = np.zeros((len(combo_patients), n_drugs), dtype=np.float32)
            line_counts[at[of_combo], pres_dcode[of_combo]] = (pres["scheduled_lines"].to_numpy(np.int64)
                                                               + pres["prn_lines"].to_numpy(np.int64))[of_combo]
            lines = line_counts @ membership
            combo_line, combo_ids = pd.factorize(line_of[multi])
            on_line = np.zeros((len(combo_ids), n_drugs), dtype=np.float32)
            on_line[combo_line, row_dcode[multi]] = 1
            extra = np.maximum(on_line @ membership - 1, 0)
            combo_patient = np.zeros(len(combo_ids), dtype=np.int64)
            combo_patient[combo_line] = np.searchsorted(combo_patients, row_patient[multi])
            at_line, at_rule = np.nonzero(extra)
            np.subtract.at(lines, (combo_patient[at_line], at_rule), extra[at_line, at_rule])
            two_lines[combo_patients] = lines >= 2

    def counted(rule: Any, c: int) -> np.ndarray:
        u = int(column_of[c])
        return counts_sched[u] if rule.scheduled_only else counts_all[:, u]

    for rule, spec_table, at_column in plans:
        young_rank = SEVERITY_RANK[rule.severity]
        old_rank = SEVERITY_RANK[rule.older_adult_severity or rule.severity]
        if rule.kind in ("duplicate", "count"):
            count = counted(rule, at_column)
            if rule.min_age is not None:
                count = np.where(age_arr >= rule.min_age, count, 0)
            needed = (rule.min_count or 2) if rule.kind == "count" else 2
            enough = (count >= needed) & two_lines[:, column_of[at_column]]  # every rule needs 2 or more
            rank_of = np.where(older, old_rank, young_rank)
            if rule.kind == "duplicate":
                two = enough & (count == 2)
                if two.any():
                    member = (spec_table[pres_dcode] > 0) & two[pres_patient]
                    if rule.scheduled_only:
                        member &= ~pres_prn
                    at = np.flatnonzero(member)  # two entries per patient, in dcode order
                    a_at, b_at = at[0::2], at[1::2]
                    patients_two = pres_patient[a_at]
                    score = ((spec_table[pres_dcode[a_at]] + spec_table[pres_dcode[b_at]]) * 10
                             + rank_of[patients_two])
                    key = (patients_two * n_drugs + pres_dcode[a_at]) * n_drugs + pres_dcode[b_at]
                    candidates.append((key, score))
                many = np.flatnonzero(enough & (count > 2))
            else:
                many = np.flatnonzero(enough)
            singles.append((many, rank_of[many]))
        else:
            s0, s1, s2, s01, s02, s12, s012 = (counted(rule, c) for c in at_column)
            # Hall's condition: three different drugs can fill the three sides.
            hall = ((s0 >= 1) & (s1 >= 1) & (s2 >= 1) & (s01 >= 2) & (s02 >= 2) & (s12 >= 2) & (s012 >= 3))
            hit = np.flatnonzero(hall)
            singles.append((hit, np.where(older[hit], old_rank, young_rank)))
    # --- the same ingredient on two scheduled (or two as-needed) lines
    for rule in table.rules:
        if rule.kind != "ingredient":
            continue
        twice = (pres["scheduled_lines"].to_numpy(np.int64) >= 2) | (pres["prn_lines"].to_numpy(np.int64) >= 2)
        who = pres_patient[twice]
        singles.append((who, np.where(older[who], SEVERITY_RANK[rule.older_adult_severity or rule.severity],
                                      SEVERITY_RANK[rule.severity])))
    pair_keys = np.concatenate([keys for keys, _ in candidates])
    pair_scores = np.concatenate([score for _, score in candidates])
    if len(candidates) > 1:  # duplicate-rule pairs: a pair counted at once may be among them
        again = pd.Index(pair_keys).unique()
        taken = pd.Index(again).get_indexer(key3[once]) >= 0
        if taken.any():
            pair_keys = np.concatenate([pair_keys, key3[once][taken]])
            pair_scores = np.concatenate([pair_scores, scores[once][taken]])
            pair_patient, pair_rank = pair_patient[~taken], pair_rank[~taken]
    singles.append((pair_patient, pair_rank))
    if len(pair_keys):
        # The best-scoring rule of each drug pair (a pair on several line pairs, or under two rules).
        at, distinct = pd.factorize(pair_keys)
        best_score = np.zeros(len(distinct), dtype=np.int64)
        np.maximum.at(best_score, at, pair_scores)
        singles.append((np.asarray(distinct, dtype=np.int64) // (n_drugs * n_drugs), best_score % 10))
    # Findings per patient by severity rank.
    patients = np.concatenate([p for p, _ in singles] or [np.zeros(0, dtype=np.int64)]).astype(np.int64)
    ranks = np.concatenate([r for _, r in singles] or [np.zeros(0, dtype=np.int64)]).astype(np.int64)
    n_ranks = max(SEVERITY_RANK.values()) + 1
    table_of_counts = np.bincount(patients * n_ranks + ranks, minlength=n_patients * n_ranks).reshape(-1, n_ranks)
    return pd.DataFrame({name: table_of_counts[:, rank] for name, rank in SEVERITY_RANK.items()},
                        index=pd.RangeIndex(n_patients))


def _annotate(ingredients: pd.DataFrame, options: Options,
              cache: dict[tuple[str, str, str], tuple[float, bool, float]]) -> pd.DataFrame:
    """Per distinct medication line and ingredient: MME factor, diazepam factor, acetaminophen."""
    import numpy as np

    fs = factor_set(options.mme_set)
    benzo = benzo_tables()
    eq = benzo["tables"][options.benzo_table or benzo["default"]]["dose_equal_to_10_mg_diazepam"]
    factor, tiered, de = [], [], []
    for key in ingredients[["drug", "unit", "form"]].itertuples(index=False, name=None):
        known = cache.get(key)
        if known is None:
            drug, unit, form = key
            f, t = 0.0, False
            entry = factor_entry(fs, drug, form, unit) if "opioid" in classes_of(drug) else None
            if entry is not None and entry.tiers:
                t = True
            elif entry is not None and entry.factor is not None:
                f = float(entry.factor)
            d = (10 / float(eq[drug]) if unit == "mg" and drug in eq and "benzodiazepine" in classes_of(drug)
                 else 0.0)
            known = cache[key] = (f, t, d)
        factor.append(known[0])
        tiered.append(known[1])
        de.append(known[2])
    out = ingredients.copy()
    out["mme_factor"] = np.asarray(factor, dtype=float)
    out["tiered"] = np.asarray(tiered, dtype=bool)
    out["de_factor"] = np.asarray(de, dtype=float)
    out["apap"] = ((out["drug"] == "acetaminophen") & (out["unit"] == "mg")).to_numpy(bool)
    return out


def _metrics(rows: pd.DataFrame, pres: pd.DataFrame, names: list[str], options: Options,
             n_patients: int) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    fs = factor_set(options.mme_set)
    patient = rows["patient"].to_numpy(np.int64)
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
        return np.bincount(patient, weights=np.where(mask, values, 0.0), minlength=n_patients)

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


@functools.cache
def _byte_texts(names: tuple[str, ...]) -> np.ndarray:
    """For each byte value, the ";"-joined names whose bits are set (the first name is the high bit)."""
    import numpy as np

    return np.asarray([";".join(name for j, name in enumerate(names) if value & (0x80 >> j))
                       for value in range(256)], dtype=object)


def _flags(pres: pd.DataFrame, out: pd.DataFrame, ages: pd.Series, names: list[str],
           no_max: np.ndarray | None = None, line_masks: list[tuple[np.ndarray, str]] | None = None,
           known: dict[tuple[str, ...], dict[bytes, str]] | None = None) -> pd.Series:
    """Flag ids per patient, ";"-joined, by the same thresholds as the single review (the lines' own flags
    first, as the single review lists them). ``known`` keeps the text of each set of flags met so far (the
    same few thousand sets recur chunk after chunk)."""
    import numpy as np
    import pandas as pd

    n = len(out)
    pres_patient = pres["patient"].to_numpy(np.int64)
    pres_dcode = pres["dcode"].to_numpy(np.int64)
    pres_mg = pres["mg"].to_numpy()

    # Dense (patient, drug) tables: a test of drugs reads only the columns of the drugs it names.
    taking = np.zeros((n, max(len(names), 1)), dtype=bool)
    taking[pres_patient, pres_dcode] = True
    mg_of = np.zeros((n, max(len(names), 1)))
    mg_of[pres_patient, pres_dcode] = pres_mg

    def having(test: Callable[[str], bool], above: float | None = None) -> np.ndarray:
        drugs = [i for i, d in enumerate(names) if test(d)]
        if not drugs:
            return np.zeros(n, dtype=bool)
        if above is None:
            return np.asarray(taking[:, drugs].any(axis=1))
        return np.asarray((taking[:, drugs] & (mg_of[:, drugs] > above)).any(axis=1))

    opioid = having(lambda d: "opioid" in classes_of(d))
    benzo = having(lambda d: "benzodiazepine" in classes_of(d))
    mme_max = (out["mme_per_day"] + out["mme_prn_max_per_day"]).to_numpy()
    age = ages.reindex(out.index).to_numpy(dtype=float)
    parts: list[tuple[np.ndarray, str]] = list(line_masks or []) + [
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
    # Only the flags some patient of this chunk has take part (most Beers rows name drugs a panel lacks).
    parts = [(mask, name) for mask, name in parts if np.asarray(mask, dtype=bool).any()] or parts[:1]
    # The flags of a patient as one bit pattern; each distinct pattern is joined into text once.
    matrix = np.stack([np.asarray(mask, dtype=bool) for mask, _ in parts], axis=1)
    words = np.packbits(matrix, axis=1)
    words = np.pad(words, ((0, 0), (0, -words.shape[1] % 8))).view(np.uint64)
    pattern = np.zeros(n, dtype=np.int64)
    for column in words.T:
        code, seen = pd.factorize(column)
        pattern = pd.factorize(pattern * len(seen) + code)[0]
    first = np.unique(pattern, return_index=True)[1] if n else np.zeros(0, dtype=np.int64)
    # Each distinct pattern's text, eight flags at a time: a byte of the pattern picks its piece of text.
    names_of_parts = tuple(name for _, name in parts)
    packed = np.ascontiguousarray(np.packbits(matrix[first], axis=1))
    seen = (known if known is not None else {}).setdefault(names_of_parts, {})
    keys: list[bytes] = packed.view(f"V{packed.shape[1]}").ravel().tolist()
    new = [i for i, key in enumerate(keys) if key not in seen]
    if new:
        pieces = [_byte_texts(names_of_parts[8 * g: 8 * g + 8])[packed[new, g]].tolist()
                  for g in range(packed.shape[1])]
        for i, parts_of in zip(new, zip(*pieces, strict=True), strict=True):
            seen[keys[i]] = ";".join([p for p in parts_of if p])
    texts = np.asarray([seen[key] for key in keys] or [""], dtype=object)
    return pd.Series(texts[pattern] if n else np.zeros(0, dtype=object), index=out.index, dtype=object)


@dataclass
class PanelProgress:
    """How far a review has got: shown by the command line while it runs."""

    rows_read: int = 0
    patients_reviewed: int = 0
    bytes_read: int = 0
    total_bytes: int = 0
    stage: str = "reading"
    """"reading", or "regrouping" when the file's patients are not kept together (a second pass)."""


@dataclass
class _Caches:
    """What is worked out once per review and reused chunk after chunk."""

    lines: dict[tuple[str, ...], Line] = field(default_factory=dict)
    annotations: dict[tuple[str, str, str], tuple[float, bool, float]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    """Every ingredient met so far; its position is its code in every chunk."""
    code_of: dict[str, int] = field(default_factory=dict)
    pairable: list[Any] = field(default_factory=list)
    flag_texts: dict[tuple[str, ...], dict[bytes, str]] = field(default_factory=dict)


class _NotTogether(Exception):
    """A patient's rows are spread over the file: the chunk-by-chunk review cannot be used."""


def review_panel(path: str, options: Options | None = None, *, today: date,
                 progress: Callable[[PanelProgress], None] | None = None,
                 chunk_rows: int = CHUNK_ROWS, read_ahead: bool | None = None) -> PanelResult:
    """One row per patient of the panel CSV at ``path``; ages are worked out on ``today``.

    The file is read ``chunk_rows`` rows at a time and each chunk's patients are reviewed together,
    so memory stays bounded. That needs each patient's rows together in the file (as exports write
    them); when they are not, the file is regrouped by patient into temporary files and reviewed
    from those (slower, same answer).

    A big file is read by a second process a chunk ahead of the review (``read_ahead``: None decides by
    the file's size; see :func:`interactions.read_ahead.read_ahead`)."""
    options = options or Options()
    caches = _Caches()
    state = PanelProgress()
    if read_ahead is None:
        read_ahead = _worth_reading_ahead(path)

    def source(produce: Callable[[PanelProgress], Generator[T, None, None]]) -> Generator[T, None, None]:
        if not read_ahead:
            return produce(state)
        import pandas  # noqa: F401 - once, before the fork, rather than in each process

        return read_ahead_in_child(produce, state, metered=("rows_read", "bytes_read", "total_bytes"))

    try:
        return _review_chunks(source, path, chunk_rows, options, today, caches, state, progress)
    except _NotTogether:
        state.stage = "regrouping"
        return _review_scattered(source, path, chunk_rows, options, today, caches, state, progress)


READ_AHEAD_BYTES = 32 << 20
"""Files at least this big are read by a second process, ahead of the review; smaller ones gain nothing
from it and are read in the reviewing process."""


def _worth_reading_ahead(path: str) -> bool:
    """A second process reads ahead when the file is big enough to gain from it and this process can be
    forked safely."""
    import os

    try:
        big = os.path.getsize(path) >= READ_AHEAD_BYTES
    except (OSError, ValueError):  # the reader reports a missing or odd file in its own words
        return False
    return big and can_fork()


T = TypeVar("T")
Source = Callable[[Callable[[PanelProgress], Generator[T, None, None]]], Generator[T, None, None]]
"""Runs a producer of frames, in this process or in a reader process ahead of this one."""


def _ids(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's patient as a number, and the stripped ids those numbers stand for."""
    import numpy as np
    import pandas as pd

    column = frame["patient_id"].cat
    codes, names = pd.factorize(np.asarray(list(map(str.strip, column.categories.astype(str).to_numpy(dtype=object))),
                                           dtype=object))
    rows = column.codes.to_numpy()
    return (codes[rows] if len(codes) else np.zeros(len(frame), dtype=np.int64)), np.asarray(names, dtype=object)


Patients = tuple["pd.DataFrame", "np.ndarray", "np.ndarray"]
"""A frame of whole patients, each row's patient number and the ids the numbers stand for."""


def _together(chunks: Iterable[pd.DataFrame]) -> Generator[Patients, None, None]:
    """Frames holding whole patients: the rows of a chunk's last patient wait for the next chunk.
    Raises :class:`_NotTogether` when a patient already reviewed turns up again."""
    import numpy as np
    import pandas as pd

    done: set[str] = set()
    held: pd.DataFrame | None = None
    for chunk in chunks:
        frame = chunk
        if held is not None and len(held):
            frame = _prepend(held, chunk)
        codes, names = _ids(frame)
        wait = codes == codes[-1]
        waiting = int(wait.sum())
        if waiting == int(wait[len(wait) - waiting:].sum()):  # the usual case: the last patient's rows end the chunk
            cut = len(frame) - waiting
            held, ready, ready_codes = frame.iloc[cut:], frame.iloc[:cut], codes[:cut]
        else:
            held, ready, ready_codes = frame[wait], frame[~wait], codes[~wait]
        # The held rows keep only their own categories (else every chunk would carry the last one's).
        held = pd.DataFrame({c: held[c].cat.remove_unused_categories() for c in held.columns}, index=held.index)
        present = set(names[np.bincount(ready_codes, minlength=len(names)) > 0].tolist())
        present.discard("")
        if not present.isdisjoint(done) or names[codes[-1]] in done:
            raise _NotTogether
        done |= present
        if len(ready):
            yield ready, ready_codes, names
    if held is not None and len(held):
        codes, names = _ids(held)
        yield held, codes, names


def _prepend(held: pd.DataFrame, chunk: pd.DataFrame) -> pd.DataFrame:
    """The few ``held`` rows, then ``chunk``: the chunk's category codes are kept as they are (only the
    held rows are recoded), which matters when it has half a million rows."""
    import numpy as np
    import pandas as pd

    columns = {}
    for name in chunk.columns:
        kept, few = chunk[name].cat, held[name].cat
        categories = kept.categories
        extra = few.categories.difference(categories)
        if len(extra):
            categories = categories.append(extra)
        recoded = categories.get_indexer(few.categories)[few.codes.to_numpy()] if len(held) else []
        codes = np.concatenate([np.asarray(recoded, dtype=np.int64), kept.codes.to_numpy().astype(np.int64)])
        columns[name] = pd.Categorical.from_codes(codes, categories=categories)
    return pd.DataFrame(columns, index=held.index.append(chunk.index))


def _review_chunks(source: Source[Patients], path: str, chunk_rows: int, options: Options, today: date,
                   caches: _Caches, state: PanelProgress,
                   progress: Callable[[PanelProgress], None] | None) -> PanelResult:
    parts: list[pd.DataFrame] = []
    errors: list[TaperInputError] = []

    # A reader process hands over whole patients: reading their cells too (_read_patients) would make it
    # the slower of the two (measured: 9.5 s against 8.6 s for a million patients).
    def whole_patients(meter: PanelProgress) -> Generator[Patients, None, None]:
        return _together(_metered(panel_chunks(path, chunk_rows, meter=meter), meter))

    with contextlib.closing(source(whole_patients)) as frames:  # stopping early stops a reader process
        for patients in frames:
            if progress is not None:
                progress(state)
            out, problems = _review_read(_read_patients(patients, path, today, caches.lines), options, caches)
            parts.append(out)
            errors.extend(problems)
            state.patients_reviewed += len(out)
            if progress is not None:
                progress(state)
    return _result(parts, errors, state.rows_read)


def _metered(chunks: Iterable[pd.DataFrame], state: PanelProgress) -> Generator[pd.DataFrame, None, None]:
    for chunk in chunks:
        state.rows_read += len(chunk)
        yield chunk


CODE_BASE = 1 << 16
"""More than the ingredients one review can meet (the formulary and every name in the file)."""
BUCKET_BYTES = 32 << 20
"""About how much of the file each temporary bucket holds when a file must be regrouped."""


def _review_scattered(source: Source[pd.DataFrame], path: str, chunk_rows: int, options: Options, today: date,
                      caches: _Caches, state: PanelProgress,
                      progress: Callable[[PanelProgress], None] | None) -> PanelResult:
    """The slower path for a file whose patients' rows are spread out: every row goes to one of
    several temporary files by a hash of its patient id (so each patient's rows meet in one file),
    then each file is reviewed whole, and the patients are put back in the order the file first
    names them."""
    import os
    import tempfile

    import numpy as np
    import pandas as pd

    state.rows_read = state.patients_reviewed = state.bytes_read = 0
    n_buckets = max(2, -(-os.path.getsize(path) // BUCKET_BYTES))
    parts: list[pd.DataFrame] = []
    errors: list[TaperInputError] = []
    with tempfile.TemporaryDirectory(prefix="taper-panel-") as tmp:
        names = [os.path.join(tmp, f"bucket-{i}.csv") for i in range(n_buckets)]
        started = [False] * n_buckets
        def chunks(meter: PanelProgress) -> Generator[pd.DataFrame, None, None]:
            return _metered(panel_chunks(path, chunk_rows, meter=meter), meter)

        with contextlib.closing(source(chunks)) as frames:
            for chunk in frames:
                if progress is not None:
                    progress(state)
                codes, ids = _ids(chunk)
                bucket = (pd.util.hash_array(ids)[codes] % np.uint64(n_buckets)).astype(np.int64)
                for i in np.unique(bucket).tolist():
                    part = chunk[bucket == i]
                    with open(names[i], "a", encoding="utf-8", newline="") as handle:
                        part.to_csv(handle, header=not started[i], index_label=ROW_COLUMN)
                    started[i] = True
        for i, name in enumerate(names):
            if not started[i]:
                continue
            frame = pd.read_csv(name, dtype={"patient_id": str, ROW_COLUMN: np.int64}, keep_default_na=False,
                                na_filter=False, encoding="utf-8")
            frame.index = pd.Index(frame.pop(ROW_COLUMN).to_numpy(np.int64))
            for column in frame.columns:
                frame[column] = text_categories(frame[column])
            out, problems = _review_read(_read_patients((frame, *_ids(frame)), path, today, caches.lines),
                                         options, caches)
            parts.append(out)
            errors.extend(problems)
            state.patients_reviewed += len(out)
            if progress is not None:
                progress(state)
            os.remove(name)
    return _result(parts, errors, state.rows_read)


ROW_COLUMN = "_row"


def _result(parts: list[pd.DataFrame], errors: list[TaperInputError], rows_read: int) -> PanelResult:
    """The patients in the order the file first names them (a patient held back to the next chunk,
    or regrouped, is put back in its place), and the skipped rows in file order."""
    import pandas as pd

    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*OUTPUT_COLUMNS, "first_row"])
    first = out["first_row"].to_numpy()
    if len(first) > 1 and (first[1:] < first[:-1]).any():
        out = out.sort_values("first_row", kind="stable").reset_index(drop=True)
    errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return PanelResult(out[list(OUTPUT_COLUMNS)], errors, rows_read)


@dataclass
class _Read:
    """What a frame of whole patients says, read and checked (the part of the review that needs the CSV's
    cells): per patient their id, age, the counts of their
    readable, unlisted and unreadable rows and the unlisted names; per readable row its patient and line;
    per distinct line its ingredients and own flags; and the rows that cannot be read."""

    errors: list[TaperInputError]
    patient_names: np.ndarray
    first_row: np.ndarray
    """The row each patient starts on (to put patients back in file order)."""
    ages: pd.Series
    conflicts: pd.Series
    good: pd.DataFrame
    """Each screened row: its row number, patient and line code."""
    ingredients: pd.DataFrame
    """Each line code's ingredient rows (see :func:`interactions.panel_input.medication_lines`)."""
    code_flags: dict[int, int]
    medication_count: np.ndarray
    not_screened_count: np.ndarray
    not_screened: np.ndarray
    unreadable_rows: np.ndarray


def _read_patients(patients: Patients, path: str, today: date, lines: dict[tuple[str, ...], Line]) -> _Read:
    """Read the whole patients in a frame (indexed by row number), in the order the frame first names them."""
    import numpy as np
    import pandas as pd

    frame = patients[0]
    errors = row_problems(frame, path)
    line_codes, ingredients, unlisted, sig_errors, code_flags = medication_lines(frame, path, lines)
    errors.extend(sig_errors)
    bad_rows = np.unique(np.fromiter((e.row for e in errors if e.row is not None), dtype=np.int64))
    # Patients: every row with an id, readable or not, in the order the frame names them.
    row_numbers = frame.index.to_numpy(np.int64)
    id_codes, id_names = patients[1], patients[2]
    named = (id_names != "")[id_codes] if len(id_names) else np.zeros(len(frame), dtype=bool)
    patient_of_row, used = pd.factorize(id_codes[named])
    patient_names = id_names[used]
    n_patients = len(patient_names)
    patient_at = np.full(len(frame), -1, dtype=np.int64)
    patient_at[named] = patient_of_row

    def patients_of(rows: np.ndarray) -> np.ndarray:
        # Row numbers ascend in every frame (chunks, held rows, regrouped buckets).
        return patient_at[positions(row_numbers, rows)] if len(rows) else np.zeros(0, np.int64)

    line_codes = line_codes[~line_codes.index.isin(bad_rows)]
    unlisted = unlisted[~unlisted.index.isin(bad_rows)]
    good = pd.DataFrame({"row": line_codes.index.to_numpy(np.int64),
                         "patient": patients_of(line_codes.index.to_numpy(np.int64)),
                         "code": line_codes.to_numpy()})
    readable = np.concatenate([good["row"].to_numpy(), unlisted.index.to_numpy(np.int64)])
    # A patient's age comes from every row of theirs whose age (or birth date) reads, even a row whose
    # medicine cannot be read: a patient with only such rows still has an age.
    bad_age = np.unique(np.fromiter((e.row for e in errors if e.row is not None and e.column in PANEL_COLUMNS),
                                    dtype=np.int64))
    aged = row_numbers[named]
    aged = aged[~np.isin(aged, bad_age)] if len(bad_age) else aged
    ages, conflicts = patient_ages(frame, pd.Index(aged), pd.Series(patients_of(aged)), today)
    # Unlisted medicines (not screened) and rows that cannot be read, per patient.
    unlisted_patients = patients_of(unlisted.index.to_numpy(np.int64))
    listed_names = pd.Series(unlisted.to_numpy(dtype=object)).groupby(unlisted_patients, sort=False).agg("; ".join)
    bad_patients = patients_of(bad_rows)
    # Patients are numbered in order of first appearance: each one's first row is where its number is new.
    new_patient = np.r_[True, patient_of_row[1:] > np.maximum.accumulate(patient_of_row)[:-1]] \
        if len(patient_of_row) else np.zeros(0, dtype=bool)
    return _Read(
        errors=errors, patient_names=patient_names, first_row=row_numbers[named][new_patient],
        ages=ages, conflicts=conflicts, good=good, ingredients=ingredients, code_flags=code_flags,
        medication_count=np.bincount(patients_of(readable), minlength=n_patients),
        not_screened_count=np.bincount(unlisted_patients, minlength=n_patients),
        not_screened=listed_names.reindex(pd.RangeIndex(n_patients), fill_value="").to_numpy(dtype=object),
        unreadable_rows=np.bincount(bad_patients[bad_patients >= 0], minlength=n_patients))


def _review_read(read: _Read, options: Options, caches: _Caches) -> tuple[pd.DataFrame, list[TaperInputError]]:
    """Review the patients of a read frame: one row per patient, in the order the frame first names them,
    with the row each starts on, and the rows that cannot be read."""
    import numpy as np
    import pandas as pd

    errors, good, ingredients, code_flags, ages, conflicts = (read.errors, read.good, read.ingredients,
                                                              read.code_flags, read.ages, read.conflicts)
    n_patients = len(read.patient_names)
    ingredients = _annotate(ingredients, options, caches.annotations)
    for drug in ingredients["drug"].unique().tolist():
        if drug not in caches.code_of:
            caches.code_of[drug] = len(caches.names)
            caches.names.append(drug)
    names = caches.names
    ingredients["dcode"] = np.asarray([caches.code_of[d] for d in ingredients["drug"].tolist()], dtype=np.int64)
    # Each good row with its line's ingredient rows (a join on the line code, kept in row order).
    ingredients = ingredients.drop(columns=["drug"]).sort_values("code", kind="stable")
    ing_code = ingredients["code"].to_numpy(np.int64)
    n_codes = int(max(ing_code.max(initial=-1), good["code"].max() if len(good) else -1)) + 1
    per_code = np.bincount(ing_code, minlength=n_codes)
    starts = np.concatenate([[0], np.cumsum(per_code)[:-1]])
    good_code = good["code"].to_numpy(np.int64)
    repeat = per_code[good_code]
    take_good = np.repeat(np.arange(len(good)), repeat)
    within = np.arange(len(take_good)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    take_ing = starts[good_code][take_good] + within
    # What each ingredient row contributes is worked out on the (small) table of distinct lines first.
    amount = ingredients["amount"].to_numpy(float)
    prn = ingredients["prn"].to_numpy(bool)
    per_ingredient = {
        "amount": amount, "prn": prn, "no_max": ingredients["no_max"].to_numpy(bool),
        "dcode": ingredients["dcode"].to_numpy(np.int64),
        "mme_factor": ingredients["mme_factor"].to_numpy(float), "tiered": ingredients["tiered"].to_numpy(bool),
        "de_factor": ingredients["de_factor"].to_numpy(float), "apap": ingredients["apap"].to_numpy(bool),
        "mg": np.where(ingredients["unit"].to_numpy(dtype=object) == "mg", amount, 0.0),
        "too_often": ingredients["times_a_day"].to_numpy(float) > 1 / 7 + 1e-9, "scheduled": ~prn,
    }
    rows = pd.DataFrame({"row": good["row"].to_numpy()[take_good], "patient": good["patient"].to_numpy()[take_good],
                         "code": good_code[take_good],
                         **{name: values[take_ing] for name, values in per_ingredient.items()}}, copy=False)
    # One row per (patient, drug), sorted by patient then drug.
    n_drugs = max(len(names), 1)
    key = rows["patient"].to_numpy(np.int64) * n_drugs + rows["dcode"].to_numpy(np.int64)
    if n_patients * n_drugs <= 16_000_000:  # a dense (patient, drug) table: no sort needed
        size = n_patients * n_drugs
        all_lines = np.bincount(key, minlength=size)
        pair = np.flatnonzero(all_lines)
        lines = all_lines[pair]
        del all_lines

        def total(weights: np.ndarray) -> np.ndarray:
            return np.bincount(key, weights=weights, minlength=size)[pair]
    else:
        pair, at = np.unique(key, return_inverse=True)
        at = at.reshape(-1)
        lines = np.bincount(at, minlength=len(pair))

        def total(weights: np.ndarray) -> np.ndarray:
            return np.bincount(at, weights=weights, minlength=len(pair))
    prn_lines = total(rows["prn"].to_numpy(bool)).astype(np.int64)
    pres = pd.DataFrame({"patient": pair // n_drugs, "dcode": pair % n_drugs,
                         "prn_only": prn_lines == lines, "prn_any": prn_lines > 0,
                         "mg": total(rows["mg"].to_numpy(float)),
                         "scheduled_lines": lines - prn_lines, "prn_lines": prn_lines,
                         "too_often": total(rows["too_often"].to_numpy(bool)) > 0}, copy=False)
    metrics = _metrics(rows, pres, names, options, n_patients)
    counts = _findings(pres, rows, ages, names, n_patients, caches.pairable)
    counts = counts.reindex(metrics.index, fill_value=0)
    out = metrics.join(counts)
    out["medication_count"] = read.medication_count
    out["age"] = ages.reindex(out.index)
    no_max = np.bincount(rows["patient"].to_numpy(np.int64)[rows["no_max"].to_numpy(bool)],
                         minlength=n_patients) > 0
    # The lines' own flags (a product to confirm, a dose not stated), for each patient with such a line.
    line_masks = []
    if code_flags:
        good_patient = good["patient"].to_numpy(np.int64)
        bits = np.zeros(int(good_code.max(initial=-1)) + 1, dtype=np.int64)
        for code, value in code_flags.items():
            if code < len(bits):
                bits[code] = value
        row_bits = bits[good_code]
        for i, flag_id in enumerate(LINE_FLAGS):
            line_masks.append((np.bincount(good_patient[(row_bits >> i) & 1 == 1], minlength=n_patients) > 0,
                               flag_id))
    out["flags"] = _flags(pres, out, ages, names, no_max, line_masks, caches.flag_texts)
    conflict = conflicts.reindex(out.index, fill_value="").astype(str)
    out["age_conflict"] = conflict
    torn = np.flatnonzero(conflict.to_numpy(dtype=object) != "")
    if len(torn):
        flags = out["flags"].to_numpy(dtype=object).copy()
        flags[torn] = [f"{f};{AGE_CONFLICT}" if f else AGE_CONFLICT for f in flags[torn].tolist()]
        out["flags"] = flags
    out["not_screened_count"] = read.not_screened_count
    out["not_screened"] = read.not_screened
    out["unreadable_rows"] = read.unreadable_rows
    out["first_row"] = read.first_row
    out.insert(0, "patient_id", read.patient_names)
    for name in SEVERITIES:
        out[name] = out[name].fillna(0).astype(int)
    out["acb_score"] = out["acb_score"].astype(int)
    out["cns_depressant_count"] = out["cns_depressant_count"].astype(int)
    return out.reset_index(drop=True), errors


AGE_CONFLICT = "AGE-CONFLICT"
"""Flag of a patient whose rows give different ages (screened with the oldest)."""
USER_TEXT_COLUMNS = ("patient_id", "not_screened")
"""Columns of the panel that hold text from the input file (neutralised in CSV output)."""
TEXT_COLUMNS = ("patient_id", "flags", "age_conflict", "not_screened")
"""Columns the review fills with text (str) only."""


def write_panel_csv(result: PanelResult, out: TextIO) -> None:
    """Write the panel as CSV to ``out``: numbers as ``%.6g`` (an unknown age empty), user text
    neutralised, quoted as the csv module quotes (only cells that need it). Each numeric column is
    formatted once per distinct value, and text columns are scanned whole for the rare cell that
    needs care, which keeps a million rows fast."""
    import numpy as np
    import pandas as pd

    from regimens.csvsafe import safe_cell

    frame = result.patients
    columns: list[list[str]] = []
    for name in frame.columns:
        values = frame[name].to_numpy()
        if values.dtype.kind in "biuf":
            codes, distinct = pd.factorize(values)  # NaN (an unknown age) is -1: the last, empty text
            texts = np.asarray([f"{v:.6g}" if values.dtype.kind == "f" else str(v) for v in distinct.tolist()]
                               + [""], dtype=object)
            columns.append(texts[codes].tolist())
            continue
        cells = values.tolist()
        if name not in TEXT_COLUMNS and not all(type(v) is str for v in cells):
            cells = [str(v) for v in cells]
        if name in USER_TEXT_COLUMNS and _FORMULA_AT_START.search("\n" + "\n".join(cells)):
            cells = [safe_cell(v) for v in cells]
        if _needs_quotes("".join(cells)):
            cells = [_quote(v) for v in cells]
        columns.append(cells)
    out.write(",".join(_quote(str(c)) for c in frame.columns) + "\n")
    step = 100_000
    for start in range(0, len(frame), step):
        out.write("\n".join(map(",".join, zip(*(c[start:start + step] for c in columns), strict=True))) + "\n")


_FORMULA_AT_START = re.compile(r"\n[=+\-@\t\r]")


def _needs_quotes(text: str) -> bool:
    """Whether some cell in ``text`` must be quoted (four plain searches run faster than one pattern)."""
    return any(char in text for char in ',"\r\n')


def _quote(cell: str) -> str:
    """A cell as the csv module writes it (QUOTE_MINIMAL)."""
    return '"' + cell.replace('"', '""') + '"' if _needs_quotes(cell) else cell


def panel_records(result: PanelResult) -> Iterable[dict[str, Any]]:
    for rec in result.patients.to_dict(orient="records"):
        rec["age"] = None if rec["age"] is None or rec["age"] != rec["age"] else int(rec["age"])
        for key in ("mme_per_day", "mme_prn_max_per_day", "diazepam_equivalent_mg_per_day",
                    "acetaminophen_max_mg_per_day"):
            rec[key] = round(float(rec[key]), 2)
        rec["flags"] = [f for f in str(rec["flags"]).split(";") if f]
        rec["not_screened"] = [{"drug": name, "reason": NOT_IN_FORMULARY}
                               for name in str(rec["not_screened"]).split("; ") if name]
        yield rec
