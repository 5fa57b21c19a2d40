"""Panel review: many patients in one medication CSV, one summary row per patient.

Vectorised with pandas. Each distinct medication line (drug, strength, form, dose, when, PRN) is
checked once with the same code as the single-patient import, then broadcast to every row that
uses it; bad rows are reported by row number and skipped. Findings come from the same rules as
:func:`interactions.screen.screen`: drug pairs are looked up in a table built once per distinct
pair with :func:`interactions.screen.pair_rule_hits`, and class counts per patient give the
duplicate, three-drug and count rules. A test checks that the panel agrees with single reviews.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from interactions.metrics import Options
from interactions.screen import DrugPresence, pair_rule_hits, rule_sides_of
from interactions.tables import (
    SEVERITIES,
    SEVERITY_RANK,
    acb_tables,
    beers_table,
    benzo_tables,
    factor_set,
    limits_table,
    rule_table,
)
from regimens.csv_import import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RowProblem,
    _row_medication,
)
from regimens.drugindex import classes_of
from regimens.errors import TaperInputError
from regimens.formulary import get_formulary

if TYPE_CHECKING:
    import pandas as pd

SIGNATURE = ("drug", "strength", "form", "dose", "when", "prn", "max_per_day")
PANEL_COLUMNS = ("age", "birth_date")
OUTPUT_COLUMNS = (
    "patient_id", "age", "medication_count", "contraindicated", "major", "moderate", "minor",
    "mme_per_day", "mme_prn_max_per_day", "diazepam_equivalent_mg_per_day", "acb_score",
    "cns_depressant_count", "acetaminophen_max_mg_per_day", "flags",
)


@dataclass
class PanelResult:
    """One row per patient, and the rows that were skipped with why."""

    patients: pd.DataFrame
    skipped: list[TaperInputError]
    rows_read: int


def _read(path: str) -> pd.DataFrame:
    import pandas as pd

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise TaperInputError("no such file", file=path) from None
    except IsADirectoryError:
        raise TaperInputError("is a folder, not a CSV file", file=path) from None
    if not raw.strip():
        raise TaperInputError("is empty; expected a header row with patient_id,"
                              + ",".join(REQUIRED_COLUMNS), file=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TaperInputError(f"is not UTF-8 text (byte {exc.start}, line {line}); save it as "
                              "'CSV UTF-8'", file=path) from None
    del raw
    import io

    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=True, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise TaperInputError(f"cannot be read as CSV: {exc}", file=path) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("patient_id", *REQUIRED_COLUMNS) if c not in frame.columns]
    if missing:
        raise TaperInputError(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                              file=path)
    allowed = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(PANEL_COLUMNS)
    unknown = [c for c in frame.columns if c not in allowed]
    if unknown:
        raise TaperInputError(f"unknown column {unknown[0]!r}", file=path)
    if frame.empty:
        raise TaperInputError("has a header but no medication rows", file=path)
    for column in SIGNATURE:
        if column not in frame.columns:
            frame[column] = ""
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _validate_signatures(
    frame: pd.DataFrame, path: str
) -> tuple[pd.DataFrame, pd.DataFrame, list[TaperInputError]]:
    """Check each distinct medication line once; return per-row codes, ingredient rows, errors."""
    import pandas as pd

    sig = frame["drug"].str.strip().str.lower()
    for column in SIGNATURE[1:]:
        sig = sig + "\x1f" + frame[column].str.strip().str.lower()
    codes, uniques = pd.factorize(sig)
    first_row = pd.Series(frame.index).groupby(codes).first()
    formulary = get_formulary()
    ok = [False] * len(uniques)
    problems: dict[int, tuple[str, str]] = {}
    ingredient_rows: list[tuple[int, str, float, str, bool, str]] = []
    for code in range(len(uniques)):
        row = int(first_row[code])
        cells = {c: frame.at[row, c] for c in SIGNATURE}
        try:
            med, _ = _row_medication(cells, row, formulary)
        except RowProblem as exc:
            problems[code] = (exc.column, exc.message)
            continue
        ok[code] = True
        for amount in med.ingredient_amounts():
            ingredient_rows.append((code, amount.drug, float(amount.amount), amount.unit, med.prn,
                                    med.product.form.value))
    errors = []
    frame_codes = pd.Series(codes, index=frame.index)
    bad = frame_codes[frame_codes.isin(list(problems))]
    for row, code in bad.items():
        column, message = problems[int(code)]
        errors.append(TaperInputError(message, file=path, row=int(row), column=column))
    ingredients = pd.DataFrame(ingredient_rows, columns=["code", "drug", "amount", "unit", "prn", "form"])
    good = frame_codes[frame_codes.isin([i for i, v in enumerate(ok) if v])]
    return good.rename("code").to_frame(), ingredients, errors


def _row_checks(frame: pd.DataFrame, path: str) -> list[TaperInputError]:
    """Checks on cells outside the medication line: patient id, dates, lengths, NUL bytes."""
    errors = []

    def report(mask: pd.Series, column: str, message: str) -> None:
        for row in mask[mask].index:
            errors.append(TaperInputError(message, file=path, row=int(row), column=column))

    report(frame["patient_id"].str.strip() == "", "patient_id", "the patient id is empty")
    for column in frame.columns:
        values = frame[column]
        report(values.str.contains("\x00", regex=False), column, "contains a NUL byte")
        report(values.str.len() > 500, column, "is longer than 500 characters")
    if "start_date" in frame.columns:
        report(_bad_dates(frame["start_date"]), "start_date", "is not a real date; write YYYY-MM-DD")
    if "birth_date" in frame.columns:
        report(_bad_dates(frame["birth_date"]), "birth_date", "is not a real date; write YYYY-MM-DD")
    if "age" in frame.columns:
        age = frame["age"].str.strip()
        report((age != "") & ~age.str.fullmatch(r"\d{1,3}"), "age", "is not an age in years")
    if "rxcui" in frame.columns:
        rx = frame["rxcui"].str.strip()
        report((rx != "") & ~rx.str.fullmatch(r"\d+"), "rxcui", "is not an RxNorm code (digits only)")
    return errors


def _bad_dates(values: pd.Series) -> pd.Series:
    import pandas as pd

    text = values.str.strip()
    filled = text != ""
    shaped = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    parsed = pd.to_datetime(text.where(shaped & filled), format="%Y-%m-%d", errors="coerce")
    return filled & (~shaped | parsed.isna() | (parsed.dt.year < 1900))


def _ages(frame: pd.DataFrame, good_rows: pd.Index, today: date) -> pd.Series:
    """Age per patient from an ``age`` or ``birth_date`` column (first non-empty value)."""
    import pandas as pd

    patients = frame.loc[good_rows, "patient_id"].str.strip()
    age = pd.Series(pd.NA, index=good_rows, dtype="Float64")
    if "birth_date" in frame.columns:
        born = pd.to_datetime(frame.loc[good_rows, "birth_date"].str.strip().replace("", None),
                              format="%Y-%m-%d", errors="coerce")
        years = today.year - born.dt.year
        before = (born.dt.month > today.month) | ((born.dt.month == today.month) & (born.dt.day > today.day))
        age = (years - before.astype("Int64")).astype("Float64")
    if "age" in frame.columns:
        given = pd.to_numeric(frame.loc[good_rows, "age"].str.strip().replace("", None), errors="coerce")
        age = given.astype("Float64").fillna(age)
    return age.groupby(patients).first()


def _severity_counts(long: pd.DataFrame) -> pd.DataFrame:
    """(patient, rank) rows -> a count column per severity."""
    import pandas as pd

    if long.empty:
        return pd.DataFrame(columns=list(SEVERITIES))
    counts = long.groupby(["patient", "rank"]).size().unstack(fill_value=0)
    out = pd.DataFrame(index=counts.index)
    for name, rank in SEVERITY_RANK.items():
        out[name] = counts[rank] if rank in counts.columns else 0
    return out


def _findings(pres: pd.DataFrame, rows: pd.DataFrame, ages: pd.Series) -> pd.DataFrame:
    """Counts of findings by severity per patient, by the rules of the single review."""
    import numpy as np
    import pandas as pd

    table = rule_table()
    thresholds: dict[str, list[float]] = {}
    for r in table.rules:
        if r.dose_threshold:
            thresholds.setdefault(r.dose_threshold.drug, []).append(float(r.dose_threshold.above_mg_per_day))
    age_for = ages.reindex(pres["patient"].unique())
    cuts = sorted({65, *(r.min_age for r in table.rules if r.min_age),
                   *(r.dose_threshold.age_from for r in table.rules
                     if r.dose_threshold and r.dose_threshold.age_from)})
    # --- pairs of different drugs on different medication lines
    lines = rows[["patient", "drug", "row"]].drop_duplicates()
    pairs = lines.merge(lines, on="patient", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["drug_a"] < pairs["drug_b"]) & (pairs["row_a"] != pairs["row_b"])]
    pairs = pairs[["patient", "drug_a", "drug_b"]].drop_duplicates()
    info = pres.set_index(["patient", "drug"])
    for side in ("a", "b"):
        keys = pd.MultiIndex.from_arrays([pairs["patient"], pairs[f"drug_{side}"]])
        pairs[f"prn_{side}"] = info["prn_only"].reindex(keys).to_numpy()
        mg = info["mg"].reindex(keys).to_numpy()
        drug = pairs[f"drug_{side}"].to_numpy()
        band = np.zeros(len(pairs))
        for name, limits in thresholds.items():
            for limit in limits:
                band = np.where((drug == name) & (mg > limit) & (band < limit), limit, band)
        # Only which thresholds a dose is above matters: a dose just above the band's limit.
        pairs[f"mg_{side}"] = np.where(band > 0, band + 0.001, 0.0)
    # Likewise only which age cut-offs (65, 61, ...) the age reaches matters.
    age = age_for.reindex(pairs["patient"]).to_numpy(dtype=float, na_value=np.nan)
    age_band = np.full(len(pairs), np.nan)
    age_band[~np.isnan(age)] = 0
    for cut in cuts:
        age_band = np.where(age >= cut, cut, age_band)
    pairs["age"] = age_band
    key_cols = ["drug_a", "drug_b", "prn_a", "prn_b", "mg_a", "mg_b", "age"]
    keys = pairs[key_cols].drop_duplicates()
    lookup = []
    for rec in keys.itertuples(index=False):
        age = None if pd.isna(rec.age) else int(rec.age)
        a = DrugPresence(rec.drug_a, classes_of(rec.drug_a), frozenset({"a"}), bool(rec.prn_a),
                         Fraction(str(rec.mg_a)))
        b = DrugPresence(rec.drug_b, classes_of(rec.drug_b), frozenset({"b"}), bool(rec.prn_b),
                         Fraction(str(rec.mg_b)))
        hits = pair_rule_hits(a, b, age)
        best = max(((spec, rank) for spec, rank, _ in hits), default=(0, 0))
        lookup.append((*rec, best[0] * 10 + best[1]))
    if lookup:
        pair_scores = pd.DataFrame(lookup, columns=[*key_cols, "score"])
        pairs = pairs.merge(pair_scores, on=key_cols, how="left")
    else:
        pairs["score"] = 0
    candidates = [pairs.loc[pairs["score"] > 0, ["patient", "drug_a", "drug_b", "score"]]]
    singles: list[pd.DataFrame] = []
    older = (age_for >= 65).fillna(False)
    # --- duplicate, count and three-drug rules from class membership per patient
    member_rules: dict[int, dict[int, dict[str, int]]] = {}
    for drug in pres["drug"].unique():
        for ri, si, spec in rule_sides_of(drug):
            member_rules.setdefault(ri, {}).setdefault(si, {})[drug] = spec
    for ri, sides in member_rules.items():
        rule = table.rules[ri]
        if rule.kind == "pair" or len(sides) < len(rule.sides):
            continue
        sev_young = SEVERITY_RANK[rule.severity]
        sev_old = SEVERITY_RANK[rule.older_adult_severity or rule.severity]
        frame = pres
        if rule.scheduled_only:
            frame = frame[~frame["prn_only"]]
        if rule.kind in ("duplicate", "count"):
            spec_of = sides[0]
            members = frame[frame["drug"].isin(list(spec_of))]
            if rule.min_age is not None:
                ok_age = (age_for >= rule.min_age).fillna(False)
                members = members[members["patient"].map(ok_age).astype(bool)]
            n = members.groupby("patient")["drug"].nunique()
            needed = (rule.min_count or 2) if rule.kind == "count" else 2
            n = n[n >= needed]
            lines_per = rows[rows["drug"].isin(list(spec_of))].groupby("patient")["row"].nunique()
            n = n[lines_per.reindex(n.index).fillna(0) >= 2]
            rank = np.where(older.reindex(n.index).fillna(False).to_numpy(bool), sev_old, sev_young)
            if rule.kind == "duplicate":
                two = n.index[n.to_numpy() == 2]
                pair_members = members[members["patient"].isin(two)].sort_values(["patient", "drug"])
                grouped = pair_members.groupby("patient")["drug"]
                dup = pd.DataFrame({"drug_a": grouped.first(), "drug_b": grouped.last()})
                dup["spec"] = (dup["drug_a"].map(spec_of) + dup["drug_b"].map(spec_of))
                dup_rank = pd.Series(rank, index=n.index).reindex(dup.index)
                dup["score"] = dup["spec"] * 10 + dup_rank
                candidates.append(dup.reset_index()[["patient", "drug_a", "drug_b", "score"]])
                many = n.index[n.to_numpy() > 2]
                many_rank = pd.Series(rank, index=n.index).reindex(many).to_numpy()
                singles.append(pd.DataFrame({"patient": many, "rank": many_rank}))
            else:
                singles.append(pd.DataFrame({"patient": n.index, "rank": rank}))
        elif rule.kind == "triple":
            flags = pd.DataFrame({"patient": frame["patient"]})
            for si in range(3):
                flags[f"s{si}"] = frame["drug"].isin(list(sides.get(si, {}))).to_numpy()
            flags = flags[flags[["s0", "s1", "s2"]].any(axis=1)]
            if flags.empty:
                continue
            flags["u01"] = flags["s0"] | flags["s1"]
            flags["u02"] = flags["s0"] | flags["s2"]
            flags["u12"] = flags["s1"] | flags["s2"]
            sums = flags.groupby("patient")[["s0", "s1", "s2", "u01", "u02", "u12"]].sum()
            total = flags.groupby("patient").size()
            # Hall's condition: three different drugs can fill the three sides.
            hall = ((sums[["s0", "s1", "s2"]] >= 1).all(axis=1)
                    & (sums[["u01", "u02", "u12"]] >= 2).all(axis=1) & (total >= 3))
            hit = hall[hall].index
            rank = np.where(older.reindex(hit).fillna(False).to_numpy(bool), sev_old, sev_young)
            singles.append(pd.DataFrame({"patient": hit, "rank": rank}))
    pair_long = pd.concat([c for c in candidates if not c.empty] or
                          [pd.DataFrame(columns=["patient", "drug_a", "drug_b", "score"])])
    if not pair_long.empty:
        best = pair_long.groupby(["patient", "drug_a", "drug_b"])["score"].max().reset_index()
        best["rank"] = best["score"].astype(int) % 10
        singles.append(best[["patient", "rank"]])
    long = pd.concat([s for s in singles if not s.empty] or [pd.DataFrame(columns=["patient", "rank"])])
    return _severity_counts(long)


def _metrics(rows: pd.DataFrame, options: Options) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    fs = factor_set(options.mme_set)
    opioid = rows["drug"].map(lambda d: "opioid" in classes_of(d))
    factor = np.zeros(len(rows))
    drugs = rows["drug"].to_numpy()
    units = rows["unit"].to_numpy()
    forms = rows["form"].to_numpy()
    methadone = rows[rows["drug"] == "methadone"].groupby(["patient", "prn"])["amount"].sum()
    for i in np.flatnonzero(opioid.to_numpy()):
        entries = fs.factors.get(drugs[i], [])
        for e in entries:
            if (e.form is not None and e.form != forms[i]) or e.per != units[i]:
                continue
            if e.tiers:
                # Tiers by the day's methadone total: scheduled, or scheduled plus as needed.
                patient = rows["patient"].iat[i]
                total = float(methadone.get((patient, False), 0.0))
                if rows["prn"].iat[i]:
                    total += float(methadone.get((patient, True), 0.0))
                factor[i] = next(float(f) for limit, f in e.tiers if limit is None or total <= limit)
            elif e.factor is not None:
                factor[i] = float(e.factor)
            break
    mme = rows["amount"].to_numpy() * factor
    benzo = benzo_tables()
    eq = benzo["tables"][options.benzo_table or benzo["default"]]["dose_equal_to_10_mg_diazepam"]
    de_factor = rows["drug"].map(lambda d: 10 / float(eq[d]) if d in eq and "benzodiazepine" in classes_of(d)
                                 else 0.0).to_numpy() * (units == "mg")
    apap = np.where((drugs == "acetaminophen") & (units == "mg"), rows["amount"].to_numpy(), 0.0)
    frame = pd.DataFrame({"patient": rows["patient"], "prn": rows["prn"], "mme": mme,
                          "de": rows["amount"].to_numpy() * de_factor, "apap": apap})
    sums = frame.groupby(["patient", "prn"])[["mme", "de", "apap"]].sum().unstack(fill_value=0.0)
    out = pd.DataFrame(index=sums.index)
    get = lambda col, prn: sums[(col, prn)] if (col, prn) in sums.columns else 0.0  # noqa: E731
    out["mme_per_day"] = get("mme", False)
    out["mme_prn_max_per_day"] = get("mme", True)
    out["diazepam_equivalent_mg_per_day"] = get("de", False)
    out["diazepam_equivalent_prn_max_mg_per_day"] = get("de", True)
    out["acetaminophen_max_mg_per_day"] = get("apap", False) + get("apap", True)
    acb = acb_tables()
    scores = acb["scales"][options.acb_scale or acb["default"]]["scores"]
    distinct = rows[["patient", "drug"]].drop_duplicates()
    out["acb_score"] = distinct["drug"].map(scores).fillna(0).groupby(distinct["patient"]).sum()
    cns = distinct[distinct["drug"].map(lambda d: "CNS-depressant" in classes_of(d))]
    out["cns_depressant_count"] = cns.groupby("patient").size()
    return out.fillna(0)


def _flags(pres: pd.DataFrame, out: pd.DataFrame, ages: pd.Series) -> pd.Series:
    """Flag ids per patient, ";"-joined, by the same thresholds as the single review."""
    import pandas as pd

    has = lambda cls: pres[pres["drug"].map(lambda d: cls in classes_of(d))].groupby("patient").size()  # noqa: E731
    opioid = has("opioid").reindex(out.index).fillna(0) > 0
    benzo = has("benzodiazepine").reindex(out.index).fillna(0) > 0
    mme_max = out["mme_per_day"] + out["mme_prn_max_per_day"]
    age = ages.reindex(out.index)
    parts: list[tuple[pd.Series, str]] = [
        (opioid & (mme_max >= 50), "NALOXONE-MME-50"),
        (opioid & benzo, "NALOXONE-BZD"),
        (opioid & (mme_max >= 50), "MME-50"),
        (opioid & (mme_max >= 90), "MME-90"),
    ]
    limits = sorted(limits_table()["limits"], key=lambda x: Fraction(x["above_mg_per_day"]))
    apap_done = pd.Series(False, index=out.index)
    for limit in limits:
        if limit.get("min_age"):
            eligible = (age >= limit["min_age"]).fillna(False)
        else:
            eligible = pd.Series(True, index=out.index)
        above = out["acetaminophen_max_mg_per_day"] > float(limit["above_mg_per_day"])
        hit = eligible.astype(bool) & above & ~apap_done
        parts.append((hit, limit["id"]))
        apap_done |= hit
    parts.append((out["acb_score"] >= acb_tables()["threshold"]["total"], "ACB-3"))
    beers = beers_table()
    older = (age >= beers["applies_from_age"]).fillna(False).astype(bool)
    for item in beers["flags"]:
        match = pres[pres["drug"].map(lambda d, item=item: d in item["drugs"]
                                      or bool(classes_of(d) & set(item["classes"])))]
        if item.get("above_mg_per_day") is not None:
            match = match[match["mg"] > float(item["above_mg_per_day"])]
        present = pd.Series(True, index=match["patient"].unique()).reindex(out.index, fill_value=False)
        parts.append((older & present.astype(bool), item["id"]))
    parts.append((age.isna(), "AGE-UNKNOWN"))
    flags = pd.Series("", index=out.index)
    for mask, name in parts:
        mask = mask.astype(bool)
        flags = flags.where(~mask, flags + ";" + name)
    return flags.str.lstrip(";")


def review_panel(path: str, options: Options | None = None, today: date | None = None) -> PanelResult:
    """One row per patient of the panel CSV at ``path``."""
    import pandas as pd

    options = options or Options()
    today = today or date.today()
    frame = _read(path)
    errors = _row_checks(frame, path)
    good, ingredients, sig_errors = _validate_signatures(frame, path)
    errors.extend(sig_errors)
    bad_rows = {e.row for e in errors}
    good = good[~good.index.isin(list(bad_rows))]
    good["patient"] = frame.loc[good.index, "patient_id"].str.strip()
    dupes = good.duplicated(["patient", "code"], keep="first")
    if dupes.any():
        first = good.reset_index().groupby(["patient", "code"])["index"].transform("first")
        first.index = good.index
        for row in good.index[dupes]:
            errors.append(TaperInputError(f"duplicates row {int(first[row])} (same product, dose and "
                                          "times)", file=path, row=int(row), column="drug"))
        good = good[~dupes]
    ages = _ages(frame, good.index, today)
    rows = good.reset_index(names="row").merge(ingredients, on="code")
    grouped = rows.groupby(["patient", "drug"])
    pres = pd.DataFrame({
        "prn_only": grouped["prn"].all(),
        "mg": grouped["amount"].sum().where(grouped["unit"].first() == "mg", 0.0),
    }).reset_index()
    metrics = _metrics(rows, options)
    counts = _findings(pres, rows, ages).reindex(metrics.index, fill_value=0)
    out = metrics.join(counts)
    out["medication_count"] = good.groupby("patient").size()
    out["age"] = ages.reindex(out.index)
    out["flags"] = _flags(pres, out, ages)
    out = out.reset_index(names="patient_id")
    for name in SEVERITIES:
        out[name] = out[name].astype(int)
    out["acb_score"] = out["acb_score"].astype(int)
    out["cns_depressant_count"] = out["cns_depressant_count"].astype(int)
    errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return PanelResult(out[list(OUTPUT_COLUMNS)], errors, len(frame))


def panel_records(result: PanelResult) -> Iterable[dict[str, Any]]:
    for rec in result.patients.to_dict(orient="records"):
        rec["age"] = None if rec["age"] is None or rec["age"] != rec["age"] else int(rec["age"])
        for key in ("mme_per_day", "mme_prn_max_per_day", "diazepam_equivalent_mg_per_day",
                    "acetaminophen_max_mg_per_day"):
            rec[key] = round(float(rec[key]), 2)
        rec["flags"] = [f for f in str(rec["flags"]).split(";") if f]
        yield rec

