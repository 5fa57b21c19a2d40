"""Keep the message catalogues in step with the code: ``make catalogues`` (``python -m taper.catalogue_build``).

1. Extract every message the code marks (``tr.gettext``, ``tr.ngettext``, ``N_``, ``NP_``) from ``taper/`` and
   the patient-facing texts of ``taper/data/supports.json`` into ``taper/locale/taper.pot``.
2. Add each new message to every language's ``.po`` with an empty translation and the provenance
   "written here, needs review by a qualified medical translator" (a test fails until it is translated).
3. Compile each ``.po`` to the ``.mo`` file gettext reads (a test checks the shipped ``.mo`` is up to date).

Translators edit the ``.po`` files; the comments above each entry record its provenance and review::

    # provenance: written here, needs review by a qualified medical translator
    # reviewed-by: A. Name, certified medical translator (CCHI)
    # reviewed-on: 2027-01-15
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from taper.catalogue import DOMAIN, LOCALE_DIR, UNREVIEWED, languages, message_key, mo_path, po_path

PACKAGE = Path(__file__).parent
#: Babel writes a location without a line number when it has none.
NO_LINE: Any = None
KEYWORDS: dict[str, Any] = {"gettext": None, "ngettext": (1, 2), "N_": None, "NP_": (1, 2)}
POT = LOCALE_DIR / f"{DOMAIN}.pot"
#: The template's header dates stay put, so rebuilding changes nothing when no message changed.
STABLE_DATE = datetime(2026, 12, 2, tzinfo=UTC)


def data_messages() -> list[tuple[str, str]]:
    """(message, where) for the patient-facing texts kept in data files."""
    library = json.loads((PACKAGE / "data" / "supports.json").read_text("utf-8"))
    out = [(s["calendar_text"], f"supports.json {s['id']}") for s in library["supports"]]
    out += [(text, f"supports.json flare_plan_default.{key}") for key, text in library["flare_plan_default"].items()
            if key != "source"]
    return out


def extract() -> Catalog:
    """Every message the code and data can print, as a template catalogue."""
    template = Catalog(project="taper", domain=DOMAIN, fuzzy=False, creation_date=STABLE_DATE,
                       revision_date=STABLE_DATE)
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
    for filename, _lineno, message, comments, _context in found:
        if filename.startswith("catalogue") and not message:
            continue
        if isinstance(message, tuple) and message[-1] is None:  # plural(singular, plural, n)
            message = message[:-1]
        # Files only, no line numbers: the .po files change when messages do, not when code moves.
        template.add(message, locations=[(f"taper/{filename}", NO_LINE)], auto_comments=comments)
    for text, where in data_messages():
        template.add(text, locations=[(f"taper/data/{where.split()[0]}", NO_LINE)], auto_comments=[where])
    return template


def message_ids(catalog: Catalog) -> set[str]:
    return {message_key(m) for m in catalog if m.id}


def read_catalogue(language: str) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=languages()[language].get("babel_locale"))


def update(language: str, template: Catalog) -> list[str]:
    """Add the template's new messages to ``language``'s ``.po`` (untranslated, unreviewed); return them."""
    path = po_path(language)
    if path.exists():
        catalog = read_catalogue(language)
    else:
        catalog = Catalog(locale=languages()[language]["babel_locale"], project="taper", domain=DOMAIN)
    have = message_ids(catalog)
    added = []
    for message in template:
        if not message.id:
            continue
        key = message_key(message)
        if key in have:
            catalog[message.id].locations = message.locations
            continue
        empty: str | tuple[str, ...] = ("",) * catalog.num_plurals if message.pluralizable else ""
        catalog[message.id] = Message(message.id, empty, locations=message.locations,
                                      user_comments=[f"provenance: {UNREVIEWED}"])
        added.append(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=116, omit_header=False, sort_output=False, include_previous=False)
    return added


def compiled(language: str) -> bytes:
    """The ``.mo`` bytes of ``language``'s ``.po`` (untranslated messages left out: gettext falls back)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(language), use_fuzzy=False)
    return buffer.getvalue()


def main() -> int:
    template = extract()
    with POT.open("wb") as handle:
        write_po(handle, template, width=116, omit_header=False, sort_output=True)
    for language in languages():
        if language == "en":
            continue
        added = update(language, template)
        mo_path(language).write_bytes(compiled(language))
        print(f"{language}: {len(message_ids(read_catalogue(language)))} messages, {len(added)} new"
              + (": " + "; ".join(added) if added else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
