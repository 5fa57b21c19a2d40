"""A whole review: findings, metrics and flags for one regimen, and its JSON form."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

from interactions.metrics import Flag, Metrics, Options, compute_flags, compute_metrics
from interactions.screen import Finding, ScreenContext, qt_source, screen
from interactions.tables import SEVERITIES, SEVERITY_RANK
from regimens.regimen import Regimen


class Review(NamedTuple):
    age: int | None
    findings: list[Finding]
    metrics: Metrics
    flags: list[Flag]

    def worst(self) -> str | None:
        return self.findings[0].severity if self.findings else None

    def count_of(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, threshold: str) -> bool:
        return any(f.rank >= SEVERITY_RANK[threshold] for f in self.findings)


def review(regimen: Regimen, age: int | None = None, options: Options | None = None) -> Review:
    """Findings, metrics and flags of one regimen for a patient of ``age`` (None: unknown)."""
    metrics = compute_metrics(regimen, options)
    return Review(age, screen(regimen, ScreenContext(age=age)), metrics, compute_flags(regimen, metrics, age))


def _num(value: Fraction, places: int = 2) -> float | int:
    rounded = round(value, places)
    return int(rounded) if rounded.denominator == 1 else float(rounded)


def review_json(r: Review) -> dict[str, Any]:
    m = r.metrics
    return {
        "age": r.age,
        "metrics": {
            "medication_count": m.medication_count,
            "mme_per_day": _num(m.mme_per_day, 1),
            "mme_prn_max_per_day": _num(m.mme_prn_max_per_day, 1),
            "mme_max_per_day": _num(m.mme_max_per_day, 1),
            "mme_factor_set": m.mme_factor_set,
            "mme_notes": m.mme_notes,
            "diazepam_equivalent_mg_per_day": _num(m.diazepam_equivalent_mg_per_day),
            "diazepam_equivalent_prn_max_mg_per_day": _num(m.diazepam_equivalent_prn_max_mg_per_day),
            "diazepam_equivalent_table": m.benzo_table,
            "z_drug_diazepam_equivalent_mg_per_day": _num(m.z_drug_diazepam_equivalent_mg_per_day),
            "acb_score": m.acb_score,
            "acb_scale": m.acb_scale,
            "acb_contributions": m.acb_contributions,
            "cns_depressant_count": m.cns_depressant_count,
            "cns_depressants": m.cns_depressants,
            "acetaminophen_mg_per_day": _num(m.acetaminophen_mg_per_day),
            "acetaminophen_prn_max_mg_per_day": _num(m.acetaminophen_prn_max_mg_per_day),
            "findings_by_severity": {s: r.count_of(s) for s in reversed(SEVERITIES)},
        },
        "findings": [
            {
                "rule_id": f.rule_id,
                "kind": f.kind,
                "severity": f.severity,
                "drugs": list(f.drugs),
                "prn_drugs": list(f.prn_drugs),
                "mechanism": f.mechanism,
                "effect": f.effect,
                "management": f.management,
                "source": f.source,
                "year": f.year,
                "evidence": f.evidence,
                "unconfirmed": f.unconfirmed,
                "informational": f.non_interruptive,
                "escalated_for_age": f.escalated_for_age,
                "dose_context": f.dose_context,
                "also": [{"rule_id": a.rule_id, "severity": a.severity, "effect": a.effect} for a in f.also],
                "qt_risk": [{"drug": d, "category": c} for d, c in f.qt_risk],
                "qt_risk_source": qt_source() if f.qt_risk else None,
            }
            for f in r.findings
        ],
        "flags": [
            {"kind": g.kind, "id": g.id, "drugs": list(g.drugs), "message": g.message,
             "source": g.source, "evidence": g.evidence, "check": g.check}
            for g in r.flags
        ],
    }
