"""Write ``data/case.schema.json`` from the case-file models (run after changing a model)."""

from __future__ import annotations

import json
from pathlib import Path

from regimens.case import Case

TARGET = Path(__file__).parent / "data" / "case.schema.json"


def main() -> None:
    TARGET.write_text(json.dumps(Case.model_json_schema(), indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
