"""Spreadsheet-safe CSV cells: text a user typed never runs as a formula when the CSV is opened.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula (CSV injection). As OWASP recommends, such a text cell is prefixed with a single
quote, so it shows as typed and is never evaluated. Only text cells from user input are
neutralised: numbers taper computes (a negative change, say) stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text that a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any], text_columns: Iterable[str]) -> dict[str, Any]:
    """A copy of ``row`` with the cells of ``text_columns`` (user text) neutralised."""
    out = dict(row)
    for column in text_columns:
        if column in out:
            out[column] = safe_cell(out[column])
    return out
