"""Rewrite the formulary files in their one layout: a drug's facts one per line, each product on one line.

``python -m regimens.formulary_tidy`` after editing a file by hand keeps diffs small and rows readable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from regimens.formulary import formulary_files


def layout(data: dict[str, Any]) -> str:
    """The canonical text of one formulary file (the same JSON, laid out for people)."""
    out = ["{", f'  "version": {json.dumps(data.get("version", ""))},', '  "sources": {']
    sources = list(data.get("sources", {}).items())
    out += [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" + ("," if i < len(sources) - 1 else "")
            for i, (k, v) in enumerate(sources)]
    out += ["  },", '  "drugs": [']
    drugs = data.get("drugs", [])
    for i, drug in enumerate(drugs):
        out.append("    {")
        out += [f"      {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},"
                for k, v in drug.items() if k != "products"]
        products = drug.get("products", [])
        out.append('      "products": [')
        out += ["        " + json.dumps(p, ensure_ascii=False) + ("," if j < len(products) - 1 else "")
                for j, p in enumerate(products)]
        out += ["      ]", "    }" + ("," if i < len(drugs) - 1 else "")]
    out += ["  ]", "}"]
    return "\n".join(out) + "\n"


#: The classes the README counts: the ones that matter when deprescribing, in the order it lists them.
COUNTED_CLASSES = (
    "opioid", "benzodiazepine", "z-drug", "gabapentinoid", "SSRI", "SNRI", "TCA", "antipsychotic",
    "anticholinergic-strong", "sedating-antihistamine", "muscle-relaxant", "NSAID", "PPI", "H2-blocker",
    "sulfonylurea", "insulin", "statin", "anticoagulant", "antiplatelet", "stimulant",
    "cholinesterase-inhibitor", "NMDA-antagonist", "bladder-antimuscarinic", "antiparkinson-anticholinergic",
    "corticosteroid", "beta-blocker", "ACEi", "ARB",
)


def coverage_markdown() -> str:
    """What the formulary covers, for the README: drugs, products and RxNorm codes, then drugs by class
    and products by form (a test keeps the README's copy current)."""
    from regimens.formulary import get_formulary

    formulary = get_formulary()
    drugs = formulary.drugs
    products = [p for d in drugs for p in d.products]
    coded = sum(1 for p in products if p.rxcui)
    graded = {g: sum(1 for p in products if p.evidence == g) for g in ("C", "S", "U")}
    lines = [f"{len(drugs)} drugs ({sum(1 for d in drugs if d.is_combination)} combinations), "
             f"{len(products)} products ({coded} with an RxNorm clinical-drug code; evidence "
             f"C {graded['C']}, S {graded['S']}, U {graded['U']}), "
             f"{sum(1 for d in drugs if d.rxcui)} drugs with an RxNorm ingredient code.", "",
             "| Class | Drugs |", "|---|---|"]
    lines += [f"| {tag} | {sum(1 for d in drugs if tag in d.classes)} |" for tag in COUNTED_CLASSES]
    forms: dict[str, int] = {}
    for p in products:
        forms[p.form.label] = forms.get(p.form.label, 0) + 1
    lines += ["", "| Form | Products |", "|---|---|"]
    lines += [f"| {form} | {count} |" for form, count in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines) + "\n"


def tidy(path: Path) -> bool:
    """Lay out one file; True when it changed."""
    text = path.read_text("utf-8")
    new = layout(json.loads(text))
    if new != text:
        path.write_text(new, "utf-8")
    return new != text


README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- formulary coverage: python -m regimens.formulary_tidy -->", "<!-- end of formulary coverage -->"


def readme_with_coverage(text: str) -> str:
    """The README text with its coverage block replaced by the current counts."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{coverage_markdown()}{END}{tail}"


if __name__ == "__main__":
    for path in formulary_files():
        if tidy(path):
            print(f"tidied {path.name}")
    if README.exists() and BEGIN in (text := README.read_text("utf-8")):
        README.write_text(readme_with_coverage(text), "utf-8")
        print("README coverage counts updated")
