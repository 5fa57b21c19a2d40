"""The message catalogues: complete, compiled, safe to read, printable, and honest about their review.

Every message the code or the data can print must be translated in every language; a translation keeps
the message's {fields}; Spanish uses digits, never number words, and never the English words "once" (eleven
in Spanish) or "daily"; the shipped .mo is the compiled .po; each entry records its provenance; the
embedded font has a glyph for every letter a catalogue uses.
"""

from __future__ import annotations

import gettext
import re
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens.dose_text import count_text
from taper import catalogue as cat
from taper.catalogue import ENGLISH, Catalogue, fields_of, has_date_data, resolve
from taper.catalogue_build import compiled, extract, message_ids, read_catalogue
from taper.outputs import UNIT_COUNTS, units_text
from tests.helpers.wording import unsafe_words

OTHER_LANGUAGES = [code for code in cat.available() if code != cat.SOURCE_LANGUAGE]

def translations(language: str) -> dict[str, tuple[str, ...]]:
    """msgid -> its translated forms (one, or one per plural form)."""
    out = {}
    for message in read_catalogue(language):
        if not message.id:
            continue
        key = cat.message_key(message)
        out[key] = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
    return out


@pytest.fixture(scope="module")
def template_ids() -> set[str]:
    return message_ids(extract())


def test_the_template_holds_the_calendar_cover_flare_and_reminder_messages(template_ids):
    """Extraction finds messages in the code, the tables and the support library (so the next test means it)."""
    for message in ("NEW DOSE starts today: {drug} {dose}", "Stay on this dose", "Morning", "Bedtime",
                    "{n} tablet", "half a tablet", "Do not stop suddenly.", "Page {number} of {total}",
                    "New dose: {drug} {dose}", "Walk {minutes} minutes", "Get help now", "Monday",
                    "Very sleepy, confused, or breathing slowly: call 911 (use naloxone if you have it)."):
        assert message in template_ids, message


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_english_message_has_a_translation_and_none_is_stale(language, template_ids):
    found = translations(language)
    missing = sorted(template_ids - set(found))
    assert not missing, f"add these to {language} (make catalogues): {missing}"
    empty = sorted(k for k, forms in found.items() if not all(f.strip() for f in forms))
    assert not empty, f"translate these in {language}: {empty}"
    stale = sorted(set(found) - template_ids)
    assert not stale, f"no longer printed; remove from {language}: {stale}"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_translation_keeps_exactly_the_fields_of_its_message(language):
    """A singular message's fields, exactly; a plural pair's fields, where {n} may be left out of a form
    ("take off the old patch" / "take off the {n} old patches")."""
    plurals = {cat.message_key(m): m.id for m in read_catalogue(language) if m.id and m.pluralizable}
    for key, forms in translations(language).items():
        if key in plurals:
            wanted = fields_of(plurals[key][0]) | fields_of(plurals[key][1])
            for form in forms:
                assert wanted - {"n"} <= fields_of(form) <= wanted, (key, form)
            assert any("n" in fields_of(form) for form in forms) == ("n" in wanted), key
            continue
        for form in forms:
            assert fields_of(form) == fields_of(key), (key, form)


def test_every_unit_a_product_is_counted_in_has_its_messages():
    """A noun without messages would print in English on a translated calendar."""
    from regimens.forms import UNIT_NOUNS

    assert set(UNIT_NOUNS.values()) - {"mL"} <= set(UNIT_COUNTS)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_shipped_mo_is_the_compiled_po(language):
    """gettext reads the .mo: it must be what the translators' .po compiles to (run `make catalogues`)."""
    assert cat.mo_path(language).read_bytes() == compiled(language)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_entry_records_its_provenance_and_a_review_names_who_and_when(language):
    records = cat.reviews(language)
    assert set(records) == set(translations(language))
    for key, record in records.items():
        assert record.get("provenance"), f"{key!r} has no provenance comment"
        if record.get("reviewed-by") or record.get("reviewed-on"):
            assert record.get("reviewed-by") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", record.get("reviewed-on", "")), key


def test_spanish_is_unreviewed_and_says_so_in_every_provenance():
    """No qualified medical translator has reviewed the Spanish yet: every entry says it was written here."""
    records = cat.reviews("es")
    assert all(cat.UNREVIEWED in r["provenance"] for r in records.values())
    assert cat.translation_status("es") == (len(records), len(records))


def test_spanish_uses_digits_never_number_words_nor_once_or_daily():
    for key, forms in translations("es").items():
        for form in forms:
            assert not unsafe_words(form), (key, form, unsafe_words(form))


@pytest.mark.parametrize("text", ["Tome 1 pastilla once al día", "Tome dos pastillas", "Tome una pastilla",
                                  "1 tablet daily", "Póngase un parche", "una vez al día", "Diez minutos"])
def test_the_word_check_catches_what_it_is_for(text):
    assert unsafe_words(text)


@pytest.mark.parametrize("text", ["Tome 1 pastilla en la mañana", "media pastilla", "1 vez al día",
                                  "Encierre en un círculo", "empieza una dosis más baja"])
def test_the_word_check_lets_plain_spanish_through(text):
    assert not unsafe_words(text)


@pytest.mark.parametrize("language", cat.available())
def test_the_embedded_font_has_every_letter_a_catalogue_uses(language):
    from taper.pdf_render import missing_glyphs

    info = cat.languages()[language]
    assert info["font"] == "DejaVuSans", "only DejaVu Sans is embedded: add the language's font to taper/fonts"
    text = "".join("".join(forms) for forms in translations(language).values()) if language != "en" else \
        "".join(extract_texts())
    text += "".join(Catalogue(language).long_date(date(2027, m, d)) for m, d in ((1, 4), (2, 10), (8, 21)))
    assert not missing_glyphs(text), f"{language}: no glyph for {sorted(missing_glyphs(text))}"


def extract_texts() -> list[str]:
    return sorted(message_ids(extract()))


def test_the_font_check_finds_letters_dejavu_lacks():
    """The check above can fail: Chinese and Korean letters are not in DejaVu Sans."""
    from taper.pdf_render import missing_glyphs

    assert missing_glyphs("药 약 ok ñ") == {"药", "약"}


def test_spanish_plural_forms_come_from_the_catalogue_header():
    es = Catalogue("es")
    assert [es.ngettext(*UNIT_COUNTS["tablet"], n) for n in (0, 1, 2, 5, 1_000_000)] == \
        ["0 pastillas", "1 pastilla", "2 pastillas", "5 pastillas", "1,000,000 pastillas"]
    header = read_catalogue("es")
    assert header.num_plurals == 3  # CLDR "one", "many" (millions) and "other"


def test_spanish_dates_and_numbers_come_from_babel():
    es = Catalogue("es")
    assert es.long_date(date(2027, 1, 4)) == "lunes, 4 de enero de 2027"
    assert es.cell_date(date(2027, 1, 4)) == "lun 4"
    assert es.month_title(date(2027, 1, 4)) == "Enero de 2027"
    assert es.number(Fraction(5, 2)) == "2.5" and es.number(1000) == "1,000"  # as on the English line (N3, N6)
    assert ENGLISH.long_date(date(2027, 1, 4)) == "Mon 4 Jan 2027"


def test_dates_fall_back_to_numeric_forms_where_cldr_has_no_month_names(monkeypatch):
    """Haitian Creole has only CLDR's root data ("M01"); Hmong is not a Babel locale at all."""
    assert has_date_data("es_US") and not has_date_data("ht") and not has_date_data("hmn")
    langs = {**cat.languages(), "ht": {"english_name": "Haitian Creole", "name": "kreyòl", "babel_locale": "ht",
                                       "font": "DejaVuSans"}}
    monkeypatch.setattr(cat, "languages", lambda: langs)
    monkeypatch.setattr(cat, "_translations", lambda language: gettext.NullTranslations())
    ht = Catalogue("ht")
    assert ht.long_date(date(2027, 1, 4)) == "2027-01-04 (Monday)"
    assert ht.cell_date(date(2027, 1, 4)) == "Mon 4"
    assert ht.month_title(date(2027, 1, 4)) == "2027-01"


def test_a_language_tag_finds_its_catalogue_by_its_primary_subtag():
    assert resolve("es") == resolve("es-MX") == resolve("es_US") == "es"
    assert resolve("en-GB") == "en"
    with pytest.raises(cat.UnknownLanguage, match="'vi'.*available: en, es"):
        resolve("vi")


def test_a_catalogue_remembers_the_unreviewed_messages_it_printed(monkeypatch):
    es = Catalogue("es")
    assert es.unreviewed() == []
    es.gettext("Stay on this dose")
    assert es.unreviewed() == ["Stay on this dose"]
    reviewed = {k: cat.Review({"provenance": "x", "reviewed-by": "A. Translator (CCHI)", "reviewed-on": "2027-01-15"})
                for k in cat.reviews("es")}
    monkeypatch.setattr(cat, "reviews", lambda language: reviewed)
    assert es.unreviewed() == []
    assert ENGLISH.unreviewed() == []


NOUNS = sorted(UNIT_COUNTS)
HALVES = st.integers(min_value=1, max_value=60).map(lambda k: Fraction(k, 2))


@given(HALVES, st.sampled_from([*NOUNS, "mL"]))
def test_english_unit_words_are_unchanged_by_the_catalogue(count, noun):
    """English goes through the catalogue and prints exactly what it printed before."""
    if noun not in ("tablet", "mL") and count.denominator != 1:
        count = Fraction(count.numerator)  # only tablets are split
    assert units_text(count, noun, ENGLISH) == count_text(count, noun)


@given(HALVES, st.sampled_from([*NOUNS, "mL"]))
def test_spanish_unit_words_use_digits_and_match_the_english_number(count, noun):
    if noun not in ("tablet", "mL") and count.denominator != 1:
        count = Fraction(count.numerator)
    text = units_text(count, noun, Catalogue("es"))
    assert not unsafe_words(text), text
    whole = int(count)
    assert (str(whole) in text if whole else "media" in text) or (noun == "mL" and "." in text), text
    english = units_text(count, noun, ENGLISH)
    assert re.findall(r"\d+", text.replace(",", "")) == re.findall(r"\d+", english.replace(",", "")), (text, english)
