"""Words a translated patient text must not use (``translation.md`` §2.1, ``patient-output.md`` N1)."""

from __future__ import annotations

import re

#: Spanish number words (N1: digits only) and the English frequency words a Spanish reader misreads.
NUMBER_WORDS = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once",
                "doce", "trece", "catorce", "quince", "dieciséis", "veinte", "treinta", "cuarenta", "cincuenta",
                "cien", "ciento", "mil", "primera", "segunda", "tercera")
ENGLISH_TRAPS = ("once", "daily", "twice")
#: "una pastilla", "un parche", "una vez": a count written as a word (the article before a unit).
COUNTED_ARTICLE = re.compile(r"\b(un|una)\s+(pastillas?|tabletas?|cápsulas?|parches?|películas?|sobres?|"
                             r"aplicaci\w+|vez|veces|día|días|semana|semanas|mL|gotas?)\b", re.IGNORECASE)


def unsafe_words(text: str) -> list[str]:
    """Number words, English frequency words and counted articles in a Spanish sentence."""
    words = re.findall(r"\w+", text.lower())
    found = [w for w in words if w in NUMBER_WORDS or w in ENGLISH_TRAPS]
    found += [m.group(0) for m in COUNTED_ARTICLE.finditer(text)]
    return found
