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


def tidy(path: Path) -> bool:
    """Lay out one file; True when it changed."""
    text = path.read_text("utf-8")
    new = layout(json.loads(text))
    if new != text:
        path.write_text(new, "utf-8")
    return new != text


if __name__ == "__main__":
    for path in formulary_files():
        if tidy(path):
            print(f"tidied {path.name}")
