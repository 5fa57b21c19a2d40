"""Plain-text tables for the command line: wrapped to fit 80 columns, no colour needed."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from regimens.quantity import UNITS_AFTER_NUMBERS

NBSP = "\u00a0"
_KEEP_TOGETHER = re.compile(rf"(\d) ({UNITS_AFTER_NUMBERS})\b")


def _wrap(text: str, width: int) -> list[str]:
    """Wrap without separating a number from its unit ("15 mg" never breaks)."""
    glued = _KEEP_TOGETHER.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}", text)
    lines = textwrap.wrap(glued, width, break_long_words=True, break_on_hyphens=False) or [""]
    return [line.replace(NBSP, " ") for line in lines]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int],
          gap: int = 2) -> str:
    """Render rows with each cell wrapped to its column width (the last column may grow)."""
    out = []
    sep = " " * gap

    def emit(cells: Sequence[str]) -> None:
        wrapped = [_wrap(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        for i in range(height):
            parts = []
            for col, lines in enumerate(wrapped):
                text = lines[i] if i < len(lines) else ""
                parts.append(text if col == len(wrapped) - 1 else text.ljust(widths[col]))
            out.append(sep.join(parts).rstrip())

    emit(headers)
    out.append(sep.join("-" * w for w in widths))
    for row in rows:
        emit(row)
    return "\n".join(out)
