"""A patient's calendar and reminders in Spanish, read back as the patient and a pharmacist would.

The case has halves of a tablet at two times of day, a patch changed every 72 hours, a pause with a
reason, a graded support and a phone check-in: the lines a Spanish calendar must get right. Every Spanish
dose line carries the English line of the English calendar, and the cover says the translation is unreviewed.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from regimens.case import Case, FollowUp, Pause, SupportUse
from regimens.casefile import load_case, save_case
from taper import catalogue as cat
from taper.adapters import case_schedules
from taper.calendar_view import build_calendar, cell_text
from taper.ics import build_ics
from taper.pdf_render import render_calendar
from taper.supports import place
from tests.helpers.cli import assert_clean_failure, taper
from tests.helpers.plans import START, case_with, line, plan, product
from tests.helpers.wording import unsafe_words

TODAY = date(2026, 12, 1)


def spanish_case(language: str = "es") -> Case:
    alp = plan("alprazolam", ("a",), "1", id="alp", strategy="percent-current", percent=Decimal(25), interval_days=14,
               pauses=(Pause(days=7, start=START + timedelta(days=28), reason="boda de su hija"),),
               supports=(SupportUse(support="graded-walking", start=START, weeks=4, baseline=Decimal(10)),),
               follow_ups=(FollowUp(on=START + timedelta(days=10), kind="phone"),))
    fen = plan("fentanyl", ("f",), "37", id="fen", dose_unit="mcg/hr", strategy="fixed", amount=Decimal(12),
               interval_days=14)
    base = case_with(line("a", product("alprazolam", "0.5 mg"), "1", "morning", "bedtime"),
                     line("f", product("fentanyl", "25 mcg/hr", "patch"), "1", interval=72), plans=(alp, fen))
    return Case.model_validate({**base.model_dump(), "patient": {
        **base.patient.model_dump(), "name": "Rosa Núñez", "language": language, "prescriber_name": "Dra. Ana Ruiz",
        "prescriber_phone": "(555) 010-2000", "pharmacy_name": "Farmacia Central", "pharmacy_phone": "555-0100"}})


def calendar(case: Case, **kw):
    schedules = case_schedules(case)
    by_plan = {s.plan.plan_id: s for s in schedules}
    placed = [place(u, by_plan[p.id]) for p in case.plans for u in p.supports]
    return build_calendar(case, schedules, placed, printed=TODAY, **kw)


def cells(view):
    return [c for p in view.pages for w in p.weeks for c in w if c.in_range]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def spanish():
    return calendar(spanish_case())


@pytest.mark.parametrize(("large", "paper"), [(False, "letter"), (False, "a4"), (True, "letter"), (True, "a4")])
def test_the_spanish_calendar_prints_spanish_dates_times_and_doses_with_the_english_lines(large, paper):
    view = calendar(spanish_case(), large_print=large)
    buffer = io.BytesIO()
    render_calendar(view, buffer, paper)
    pages = [p.extract_text() or "" for p in PdfReader(buffer).pages]
    whole = "\n".join(pages)
    for text in ("Calendario de medicamentos de Rosa Núñez", "Del lunes, 4 de enero de 2027 al",
                 "Esta traducción todavía no la ha revisado", "This translation has not yet been reviewed",
                 "lun 4", "Mañana:", "Al acostarse:", "Parche:", "1 pastilla y media de 0.25 mg (0.375 mg)",
                 "media pastilla de 0.25 mg (0.125 mg)", "quítese el parche viejo; póngase 1 parche de 25 mcg/hr",
                 "NUEVA DOSIS desde hoy: alprazolam 0.75 mg al día", "Siga con la misma dosis (boda de su hija)",
                 "Llamada de control hoy", "Caminar 10 minutos", "Cómo usar este calendario", "Día 1",
                 "Pida ayuda ahora mismo", "Médico que receta: Dra. Ana Ruiz (555) 010-2000",
                 f"Página 1 de {len(pages)}", "Impreso el martes, 1 de diciembre de 2026"):
        assert text in whole or squash(text) in squash(whole), text
    flat = squash(whole)
    assert squash("En inglés: Morning: alprazolam 1 and a half tablets of 0.25 mg (0.375 mg)") in flat
    assert squash("En inglés: Patch: fentanyl: take off the old patch; put on 1 patch of 25 mcg/hr") in flat
    for cell in cells(view):
        assert squash(cell.label + "".join(cell_text(cell, view.labels["english"]))) in flat, cell.day


def test_every_spanish_dose_line_carries_the_english_calendars_line(spanish):
    english = calendar(spanish_case("en"))
    assert english.language == "en" and spanish.language == "es"
    pairs = list(zip(cells(spanish), cells(english), strict=True))
    lines = 0
    for es, en in pairs:
        assert es.day == en.day
        assert [(x.slot, x.tick) for x in es.lines] == [(x.slot, x.tick) for x in en.lines]
        for x, y in zip(es.lines, en.lines, strict=True):
            assert x.english == f"{y.title}: {y.text}"
            # Translated, not copied; a liquid's line ("alprazolam 0.1 mL (0.1 mg)") is all names and figures.
            assert x.text != y.text or " mL (" in y.text
            lines += 1
        assert es.banners_english == en.banners
        assert not any(x.english for x in en.lines) and not en.banners_english
    assert lines > 100


def test_spanish_cells_use_digits_and_never_once_or_daily(spanish):
    for cell in cells(spanish):
        for text in [*cell.banners, *(x.text for x in cell.lines), *cell.supports, cell.follow_up or ""]:
            assert not unsafe_words(text.replace("boda de su hija", "")), (cell.day, text)
            assert not re.search(r"\b(once|daily|tablets?|take)\b", text, re.IGNORECASE), (cell.day, text)


def test_the_four_times_of_day_have_spanish_names_in_calendar_order(spanish):
    titles = {x.slot: x.title for c in cells(spanish) for x in c.lines}
    assert titles == {"morning": "Mañana", "bedtime": "Al acostarse", "patch": "Parche"}
    noon_evening = cat.Catalogue("es")
    assert [noon_evening.gettext(t) for t in ("Noon", "Evening")] == ["Mediodía", "Noche"]


def test_weeks_start_on_monday_unless_set(spanish):
    assert spanish.weekdays == ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
    assert all(p.weeks[0][0].day.weekday() == 0 for p in spanish.pages)
    sunday = calendar(spanish_case(), week_starts="sunday")
    assert all(p.weeks[0][0].day.weekday() == 6 for p in sunday.pages)


def test_the_cover_says_the_translation_is_unreviewed_until_every_sentence_used_is_reviewed(monkeypatch, spanish):
    assert spanish.cover["notice"][0].startswith("Esta traducción todavía no")
    assert spanish.cover["notice"][1].startswith("This translation has not yet been reviewed")
    assert not calendar(spanish_case("en")).cover["notice"]
    records = {k: cat.Review(provenance="x", **{"reviewed-by": "A. Traductora (CCHI)", "reviewed-on": "2027-01-15"})
               for k in cat.reviews("es")}
    monkeypatch.setattr(cat, "reviews", lambda language: records)
    assert not calendar(spanish_case()).cover["notice"]
    records.pop("Stay on this dose")
    assert calendar(spanish_case()).cover["notice"]  # one unreviewed sentence printed: said again


def test_the_language_argument_overrides_the_patients(spanish):
    english = calendar(spanish_case(), language="en")
    assert english.language == "en" and cells(english)[0].lines[0].title == "Morning"
    assert calendar(spanish_case("en"), language="es").labels == spanish.labels


def test_a_patients_language_without_a_catalogue_gives_an_english_calendar_and_an_asked_for_one_is_refused():
    english = calendar(spanish_case("vi"))
    assert english.language == "en" and cells(english)[0].lines[0].title == "Morning"
    with pytest.raises(cat.UnknownLanguage):
        calendar(spanish_case(), language="vi")


def test_typed_texts_print_as_typed_and_the_flare_plan_default_is_translated(spanish):
    assert spanish.flare["day1"].startswith("Siga con su dosis actual")
    assert "911" in spanish.flare["call_if"]
    assert spanish.cover["goals"] == [] and spanish.patient_name == "Rosa Núñez"


def parse(text: str) -> list:
    return [c for c in Calendar.from_ical(text).walk() if c.name == "VEVENT"]


def test_spanish_reminders_parse_and_carry_the_english_beside_each(spanish):
    schedules = case_schedules(spanish_case())
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    text = build_ics("T", schedules, stamp, daily=True, tr=cat.Catalogue("es"))
    cal = Calendar.from_ical(text)
    assert str(cal["X-WR-CALNAME"]) == "Plan de medicamentos"
    events = parse(text)
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Nueva dosis: alprazolam 0.75 mg al día" in summaries
    assert "Siga con la misma dosis" in summaries
    assert "Mañana: alprazolam 1 pastilla y media de 0.25 mg (0.375 mg)" in summaries
    assert "Control de su plan de medicamentos" in summaries
    assert "Deje de usar fentanyl hoy" in summaries
    for event in events:
        description = str(event["DESCRIPTION"])
        assert "\n\nEn inglés: " in description, description
        assert not unsafe_words(description.split("En inglés:")[0].replace("boda de su hija", ""))
        alarm = next(c for c in event.walk() if c.name == "VALARM")
        assert not re.search(r"\b(Tomorrow|Morning|Stay)\b", str(alarm["DESCRIPTION"]))
    english = parse(build_ics("T", schedules, stamp, daily=True))
    assert len(english) == len(events)  # the same events, only the words differ
    assert [e["UID"] for e in english] == [e["UID"] for e in events]


def test_private_spanish_reminders_name_no_drug():
    schedules = case_schedules(spanish_case())
    text = build_ics("T", schedules, datetime(2026, 12, 1, tzinfo=UTC), daily=True, private=True,
                     tr=cat.Catalogue("es"))
    assert "alprazolam" not in text.lower() and "fentanyl" not in text.lower()
    assert "Medicinas de la mañana" in text


def test_export_prints_the_patients_language_unless_told_otherwise(tmp_path):
    case_path = tmp_path / "rosa.json"
    save_case(spanish_case(), case_path)
    out = taper("export", str(case_path), "--calendar", str(tmp_path / "c.pdf"), "--ics", str(tmp_path / "r.ics"),
                "--summary", str(tmp_path / "s.pdf"))
    assert out.returncode == 0, out.stderr
    assert "in Spanish (es)" in out.stdout
    assert "Calendario de medicamentos" in PdfReader(tmp_path / "c.pdf").pages[0].extract_text()
    assert "Plan de medicamentos" in (tmp_path / "r.ics").read_text("utf-8")
    summary = " ".join((p.extract_text() or "") for p in PdfReader(tmp_path / "s.pdf").pages)
    assert squash("Patient calendar and reminders in Spanish (es). Translation not yet reviewed") in squash(summary)
    assert "Taper summary" in summary and "Calendario" not in summary  # the summary stays in English
    again = taper("export", str(case_path), "--calendar", str(tmp_path / "e.pdf"), "--language", "en")
    assert again.returncode == 0, again.stderr
    assert "Medication calendar for Rosa" in PdfReader(tmp_path / "e.pdf").pages[0].extract_text()
    assert load_case(case_path).patient.language == "es"  # exporting never changes the case


def test_export_refuses_a_language_without_a_catalogue_and_writes_nothing(tmp_path):
    case_path = tmp_path / "rosa.json"
    save_case(spanish_case(), case_path)
    out = taper("export", str(case_path), "--calendar", str(tmp_path / "c.pdf"), "--language", "vi")
    assert_clean_failure(out, "--language", "'vi'", "en, es")
    assert not (tmp_path / "c.pdf").exists()


def test_a_patients_language_without_a_catalogue_prints_in_english_and_says_so(tmp_path):
    case_path = tmp_path / "minh.json"
    save_case(spanish_case("vi"), case_path)
    out = taper("export", str(case_path), "--calendar", str(tmp_path / "c.pdf"))
    assert out.returncode == 0, out.stderr
    assert "(vi) has no calendar catalogue yet: printed in English" in out.stdout
    assert "Medication calendar for" in PdfReader(tmp_path / "c.pdf").pages[0].extract_text()
