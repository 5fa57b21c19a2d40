"""The review as text for an 80-column terminal: grouped by severity, words not colours."""

from __future__ import annotations

import textwrap
from fractions import Fraction

from interactions.review import Review
from interactions.tables import SEVERITIES
from regimens.quantity import format_number

WIDTH = 80


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False) or [indent.rstrip()]


def _mg(value: Fraction) -> str:
    return f"{format_number(value, places=2)} mg"


def render_review(r: Review, title: str) -> str:
    m = r.metrics
    out = _wrap(title, "")
    age = f"age {r.age}" if r.age is not None else "age unknown"
    out.append(f"{m.medication_count} medications, {age}")
    out.append("")
    mme = f"MME {format_number(m.mme_per_day, 1)} a day scheduled"
    if m.mme_prn_max_per_day:
        mme += f", up to {format_number(m.mme_max_per_day, 1)} with as-needed doses at their most"
    out.extend(_wrap(f"{mme} ({m.mme_factor_set})", "  ", "- "))
    de = f"Diazepam equivalents {_mg(m.diazepam_equivalent_mg_per_day)} a day"
    if m.diazepam_equivalent_prn_max_mg_per_day:
        de += f", up to {_mg(m.diazepam_equivalent_mg_per_day + m.diazepam_equivalent_prn_max_mg_per_day)}"
    de += f" ({m.benzo_table})"
    if m.z_drug_diazepam_equivalent_mg_per_day:
        de += f"; z-drugs {_mg(m.z_drug_diazepam_equivalent_mg_per_day)} (Ashton-derived)"
    out.extend(_wrap(de, "  ", "- "))
    out.extend(_wrap(f"ACB score {m.acb_score} ({m.acb_scale})", "  ", "- "))
    cns = ", ".join(m.cns_depressants) or "none"
    out.extend(_wrap(f"CNS depressants {m.cns_depressant_count} ({cns})", "  ", "- "))
    apap = m.acetaminophen_mg_per_day + m.acetaminophen_prn_max_mg_per_day
    apap_text = f"Acetaminophen {_mg(m.acetaminophen_mg_per_day)} a day scheduled"
    if m.acetaminophen_prn_max_mg_per_day:
        apap_text += f", up to {_mg(apap)} with as-needed doses"
    out.extend(_wrap(apap_text, "  ", "- "))
    for note in m.mme_notes + m.de_notes:
        out.extend(_wrap(f"Note: {note}", "  ", "- "))
    out.append("")
    if not r.findings:
        out.append("No interactions found in the curated table. (The absence of a rule is not")
        out.append("evidence that a combination is safe.)")
    for severity in reversed(SEVERITIES):
        group = [f for f in r.findings if f.severity == severity]
        if not group:
            continue
        out.append(f"{severity.upper()} ({len(group)})")
        for f in group:
            names = " + ".join(f"{d} (as needed)" if d in f.prn_drugs else d for d in f.drugs)
            tags = []
            if f.escalated_for_age:
                tags.append("raised for age 65+")
            if f.unconfirmed:
                tags.append("UNCONFIRMED rule")
            if f.non_interruptive:
                tags.append("informational")
            tag = f" [{'; '.join(tags)}]" if tags else ""
            out.extend(_wrap(f"[{severity.upper()}] {f.rule_id}: {names}{tag}", "    ", "  "))
            out.extend(_wrap(f"Effect: {f.effect}", "      ", "    "))
            out.extend(_wrap(f"What to do: {f.management}", "      ", "    "))
            if f.dose_context:
                out.extend(_wrap(f"Dose: {f.dose_context}", "      ", "    "))
            for a in f.also:
                out.extend(_wrap(f"Also {a.rule_id} ({a.severity}): {a.effect}", "      ", "    "))
            year = f", {f.year}" if f.year else ""
            out.extend(_wrap(f"Source ({f.evidence}{year}): {f.source}", "      ", "    "))
        out.append("")
    if r.not_screened:
        out.append(f"NOT SCREENED ({len(r.not_screened)})")
        out.extend(_wrap("No rule could check these medicines: the formulary does not know them. Give each "
                         "its drug or classes in the medication list (taper open), or check it by hand.", "  "))
        for n in r.not_screened:
            maybe = f" Did you mean {' or '.join(n.suggestions)}?" if n.suggestions else ""
            out.extend(_wrap(f"[NOT SCREENED] {n.description}: {n.reason}.{maybe}", "    ", "  "))
        out.append("")
    if r.flags:
        out.append(f"FLAGS ({len(r.flags)})")
        for g in r.flags:
            drugs = f" ({', '.join(g.drugs)})" if g.drugs else ""
            label = "CHECK" if g.check else g.kind.upper()
            evidence = " [UNCONFIRMED source]" if g.evidence == "U" else ""
            out.extend(_wrap(f"[{label}] {g.id}{drugs}{evidence}: {g.message}", "    ", "  "))
            if g.check:
                out.extend(_wrap(f"Applies if: {g.check}", "      ", "    "))
            out.extend(_wrap(f"Source: {g.source}", "      ", "    "))
    return "\n".join(line.rstrip() for line in out).rstrip() + "\n"
