"""Names in any script print on the paper (issue 13, item 6): an embedded Unicode font, right-to-left
names in reading order, and a visible stand-in (never a black box) for what the font cannot draw."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from regimens.case import Case
from taper.pdf_render import MISSING, printable
from tests.helpers.pdfs import calendar_and_summary
from tests.helpers.plans import case_with, line, plan, product

TODAY = date(2026, 12, 1)
NAMES = {
    "polish": "Łukasz Wójcik",
    "cyrillic": "Дмитрий Соколов",
    "greek": "Γιώργος Παπαδόπουλος",
    "vietnamese": "Nguyễn Thị Hằng",
}


def case_named(name: str, goal: str = "walk to the shop") -> Case:
    base = case_with(line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"),
                     plans=(plan("oxycodone", ("o",), "30", strategy="percent-current", percent=10),))
    data = base.model_dump()
    data["patient"] = {**data["patient"], "name": name, "goals": [goal]}
    return Case.model_validate(data)


def pdfs(case: Case) -> tuple[bytes, bytes]:
    return calendar_and_summary(case, TODAY)


def fonts_of(data: bytes) -> set[str]:
    """The fonts that draw text (ReportLab also declares Helvetica in each page's preamble, drawing nothing)."""
    found: set[str] = set()

    def seen(text, cm, tm, font, size):  # noqa: ANN001 - pypdf's visitor
        if text.strip() and font is not None:
            found.add(str(font["/BaseFont"]))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=seen)
    return found


@pytest.mark.parametrize("script", sorted(NAMES))
def test_names_in_latin_greek_and_cyrillic_print_as_written(script):
    name = NAMES[script]
    for data in pdfs(case_named(name)):
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert name in text, (script, text[:300])
        assert "cannot be printed" not in text
        fonts = fonts_of(data)
        assert fonts and all("DejaVuSans" in f for f in fonts), fonts  # embedded, never Helvetica


def test_hebrew_prints_in_reading_order_and_arabic_is_shaped():
    assert printable("שלום") == "םולש"  # stored right to left, drawn left to right
    assert printable("Dr Cohen") == "Dr Cohen"
    shaped = printable("محمد")
    assert shaped != "محمد"[::-1] and all("\ufe70" <= c <= "\ufeff" for c in shaped)  # joined letter forms
    calendar, _ = pdfs(case_named("שרה לוי", goal="ללכת לים"))
    assert all("DejaVuSans" in f for f in fonts_of(calendar))


def test_characters_the_font_lacks_print_as_a_visible_stand_in():
    assert printable("王小明") == MISSING * 3
    assert printable("Li 王") == f"Li {MISSING}"
    calendar, summary = pdfs(case_named("Li Wei 李伟"))
    for data in (calendar, summary):
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert f"Li Wei {MISSING}{MISSING}" in text
        assert "cannot be printed with this document's font" in " ".join(text.split())
