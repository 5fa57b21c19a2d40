"""Error messages in our words: a short excerpt of what was typed, and pydantic's errors translated.

A pasted page of text must not come back as a page of error: messages quote at most
:data:`EXCERPT_CHARS` characters of the input, and pydantic's own wording ("String should have at
most 200 characters") is replaced by a plain sentence. No pydantic import at run time, so the command
line's argument parsing stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EXCERPT_CHARS = 30
"""The most characters of a user's input quoted back in a message."""


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters with an ellipsis: 'aaaa…'."""
    value = str(text)
    if len(value) > limit:
        value = value[:limit].rstrip() + "…"
    return repr(value)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def plain_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a sentence in our words."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "string_too_long":
        length = f" (this has {len(given):,})" if isinstance(given, str) else ""
        return f"Too long: at most {_count(ctx['max_length'], 'character')}{length}."
    if kind == "string_too_short":
        return "This cannot be empty." if ctx.get("min_length") == 1 else \
            f"Too short: at least {_count(ctx['min_length'], 'character')}."
    if kind == "too_long":
        return f"Too many: at most {ctx['max_length']:,}."
    if kind == "too_short":
        return "Give at least one." if ctx.get("min_length") == 1 else f"Too few: at least {ctx['min_length']:,}."
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "more than {}", "greater_than_equal": "at least {}",
                 "less_than": "less than {}", "less_than_equal": "at most {}"}[kind]
        limit = next(iter(ctx.values())) if ctx else ""
        return f"Must be {words.format(limit)}" + (f"; {excerpt(given)} is not." if given is not None else ".")
    if kind == "string_pattern_mismatch":
        return f"{excerpt(given)} is not in the expected form." if given is not None else "Not in the expected form."
    if kind == "missing":
        return "This is needed."
    if kind == "extra_forbidden":
        return "Not a field taper knows."
    if kind in ("decimal_parsing", "float_parsing", "int_parsing", "int_from_float", "decimal_type", "finite_number"):
        return f"{excerpt(given)} is not a number." if given is not None else "Not a number."
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return f"{excerpt(given)} is not a date; write YYYY-MM-DD."
    if kind == "literal_error":
        return f"{excerpt(given)} is not one of {ctx.get('expected', 'the choices')}."
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return message if len(message) <= 300 else message[:300].rstrip() + "…"
