"""Message catalogues: every patient-facing word of the calendar, its cover and flare page, and the reminders.

English is the source language: a message's id is its English text, with ``{named}`` fields filled in after
lookup, and an English catalogue returns it unchanged (dates keep the house form of
:mod:`regimens.datefmt`). Other languages are gettext catalogues in ``taper/locale/LANG/LC_MESSAGES``: the
``.po`` file is what translators edit (each entry carries its provenance and its review in comments) and the
``.mo`` file beside it is compiled from it (``make catalogues``; a test keeps the two in step). Plural forms
come from the catalogue's ``Plural-Forms`` header through :meth:`Catalogue.ngettext`, never from code.

Dates in other languages come from Babel (CLDR), in the locale ``languages.json`` names ("es" prints with
``es_US``: "lunes, 4 de enero de 2027", decimals with a point as on the English line); where CLDR has no
month names for a language, dates fall back to numeric ISO forms with the weekday from the catalogue.
Babel is imported only when such a date or number is printed, so commands that print nothing in another
language never load it.

A :class:`Catalogue` remembers which messages it was asked for, so the calendar can say on its cover
whether every sentence it printed has been reviewed by a qualified medical translator.
"""

from __future__ import annotations

import gettext
import json
import re
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from regimens.datefmt import short_date
from regimens.quantity import format_number

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "taper"
SOURCE_LANGUAGE = "en"
#: The provenance of a sentence written for taper and not yet checked by a translator.
UNREVIEWED = "written here, needs review by a qualified medical translator"
_FIELD = re.compile(r"\{([a-z_]+)\}")


def N_(message: str) -> str:  # noqa: N802 - gettext's name for a marker
    """Marks a message kept in a table for extraction (``make catalogues``); translate it with ``Catalogue.gettext``."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext's name for a marker
    """Marks a singular/plural pair kept in a table; translate it with ``Catalogue.ngettext``."""
    return singular, plural


class UnknownLanguage(ValueError):
    """A language taper has no catalogue for."""


@cache
def languages() -> dict[str, dict[str, Any]]:
    """Each language with a catalogue: its names, Babel locale and font (from ``locale/languages.json``)."""
    data: dict[str, Any] = json.loads((LOCALE_DIR / "languages.json").read_text("utf-8"))
    return dict(data["languages"])


def available() -> tuple[str, ...]:
    """Language codes a calendar can be printed in ("en", "es")."""
    return tuple(languages())


def language_choices() -> list[tuple[str, str]]:
    """(label, code) of each language a calendar can be printed in: "English", "Spanish (español)"."""
    return [(info["english_name"] + (f" ({info['name']})" if info["name"] != info["english_name"] else ""), code)
            for code, info in languages().items()]


def resolve(code: str) -> str:
    """The catalogue for a language tag: itself, or its primary subtag ("es-MX" -> "es"); else refused."""
    tag = code.strip().replace("_", "-")
    for candidate in (tag, tag.split("-")[0].lower()):
        if candidate in languages():
            return candidate
    raise UnknownLanguage(f"there is no calendar catalogue for language {code!r} yet (available: "
                          f"{', '.join(available())}); print it with --language en")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


@cache
def _translations(language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with mo_path(language).open("rb") as handle:
        return gettext.GNUTranslations(handle)


class Review(dict[str, str]):
    """Provenance and review of one translated message, read from its ``.po`` comments."""


@cache
def reviews(language: str) -> dict[str, Review]:
    """msgid -> its provenance and review record (``provenance:``, ``reviewed-by:``, ``reviewed-on:`` comments)."""
    if language == SOURCE_LANGUAGE:
        return {}
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as handle:
        catalog = read_po(handle)
    out: dict[str, Review] = {}
    for message in catalog:
        if not message.id:
            continue
        record = Review()
        last = ""
        for comment in message.user_comments:  # a long comment is wrapped over several lines
            key, sep, value = comment.partition(":")
            if sep and key.strip() in ("provenance", "reviewed-by", "reviewed-on"):
                last = key.strip()
                record[last] = value.strip()
            elif last:
                record[last] = f"{record[last]} {comment.strip()}"
        out[message_key(message)] = record
    return out


def message_key(message: Any) -> str:
    """A Babel message's id: its text, or the singular of a plural pair."""
    return str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)


def translation_status(language: str) -> tuple[int, int]:
    """(unreviewed, all) translated messages of ``language``'s catalogue."""
    records = reviews(language)
    return sum(not is_reviewed(r) for r in records.values()), len(records)


def is_reviewed(record: Review | None) -> bool:
    """A message counts as reviewed when a named reviewer and a date are recorded."""
    return bool(record and record.get("reviewed-by") and record.get("reviewed-on"))


class Catalogue:
    """The words of one language, with the messages used so far."""

    def __init__(self, language: str = SOURCE_LANGUAGE) -> None:
        self.language = resolve(language)
        self.info = languages()[self.language]
        self._gettext = _translations(self.language)
        self.used: set[str] = set()

    @property
    def is_source(self) -> bool:
        return self.language == SOURCE_LANGUAGE

    def gettext(self, message: str, **fields: Any) -> str:
        """``message`` in this language, its ``{fields}`` filled in."""
        self.used.add(message)
        return self._gettext.gettext(message).format(**fields) if fields else self._gettext.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, shown: str | None = None, **fields: Any) -> str:
        """The form of ``singular``/``plural`` the catalogue's plural rule picks for ``n``; ``{n}`` is ``n``
        in this language's notation (or ``shown``, for a decimal count that takes the form of ``n``)."""
        self.used.add(singular)
        return self._gettext.ngettext(singular, plural, n).format(n=shown or self.number(n), **fields)

    def unreviewed(self) -> list[str]:
        """Messages used so far that no qualified translator has reviewed (none in English)."""
        if self.is_source:
            return []
        records = reviews(self.language)
        return sorted(m for m in self.used if not is_reviewed(records.get(m)))

    # Numbers and dates -----------------------------------------------------------------------

    def number(self, value: Fraction | int, places: int = 3) -> str:
        """A number with no trailing zeros and a leading zero (N2, N3), in this language's notation."""
        text = format_number(Fraction(value), places)
        if self.is_source or not self.info.get("babel_locale"):
            return text
        from decimal import Decimal

        from babel.numbers import format_decimal

        return str(format_decimal(Decimal(text.replace(",", "")), locale=self.info["babel_locale"]))

    def _babel_dates(self) -> str | None:
        """The Babel locale for dates, or None where CLDR has no month names for this language."""
        locale = self.info.get("babel_locale")
        return locale if locale and has_date_data(locale) else None

    def long_date(self, day: date) -> str:
        """"Mon 4 Jan 2027"; "lunes, 4 de enero de 2027"; numeric "2027-01-04 (weekday)" without CLDR data."""
        if self.is_source:
            return short_date(day, True)
        locale = self._babel_dates()
        if locale is None:
            return f"{day.isoformat()} ({self.weekday(day.weekday())})"
        from babel.dates import format_date

        return str(format_date(day, "full", locale=locale))

    def cell_date(self, day: date) -> str:
        """A day cell's heading: "Mon 4"; "lun 4"."""
        if self.is_source:
            return f"{short_date(day)[:3]} {day.day}"
        locale = self._babel_dates()
        if locale is None:
            return f"{self.weekday(day.weekday(), short=True)} {day.day}"
        from babel.dates import format_skeleton

        return str(format_skeleton("EEEd", day, locale=locale))

    def month_title(self, day: date) -> str:
        """A month page's title: "January 2027"; "enero de 2027"; "2027-01" without CLDR data."""
        if self.is_source:
            return f"{ENGLISH_MONTHS[day.month - 1]} {day.year}"
        locale = self._babel_dates()
        if locale is None:
            return f"{day.year}-{day.month:02d}"
        from babel.dates import format_skeleton

        text = str(format_skeleton("yMMMM", day, locale=locale))
        return text[:1].upper() + text[1:]  # a heading, in sentence case: "Enero de 2027"

    def weekday(self, index: int, short: bool = False) -> str:
        """Weekday ``index`` (0 = Monday) from the catalogue: "Mon"/"Monday" in English."""
        return self.gettext(WEEKDAYS_SHORT[index] if short else WEEKDAYS[index])


ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
#: Weekday names for languages whose dates CLDR lacks (and the calendar's column headings).
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))
WEEKDAYS_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


@cache
def has_date_data(locale: str) -> bool:
    """Whether CLDR names the months of ``locale`` (Haitian Creole has only the root's "M01")."""
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return False
    return bool(loc.months["format"]["wide"][1] != Locale("root").months["format"]["wide"][1])


def fields_of(message: str) -> set[str]:
    """The ``{named}`` fields of a message (a translation must keep exactly these)."""
    return set(_FIELD.findall(message))


ENGLISH = Catalogue()
"""The source language: messages unchanged, house dates; loads nothing."""


def catalogue(language: str | None) -> Catalogue:
    """A fresh catalogue for ``language`` (None or "" means English), counting its own used messages."""
    return Catalogue(language or SOURCE_LANGUAGE)

