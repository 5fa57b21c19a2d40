"""Long text a user typed stays inside its box and never covers a dose (issue 13, item 7).

Word boxes come from pdfplumber: every word lies on the page, clear of the page number, and no two
words overlap (overlapping words are how a spilled reason hides a dose)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pdfplumber
import pytest

from regimens.case import Case, Pause
from tests.helpers.pdfs import calendar_and_summary
from tests.helpers.plans import START, case_with, line, plan, product

LONG_WORD = "Bartholomew" * 18  # 198 characters without a space
LONG_TEXT = ("my daughter's wedding in another country " * 4).strip()


def long_case() -> Case:
    pause = Pause(days=10, start=START + timedelta(days=20), reason=LONG_WORD)
    p = plan("oxycodone", ("o",), "30", strategy="percent-current", percent=Decimal(10), interval_days=28,
             pauses=(pause, Pause(days=5, start=START + timedelta(days=70), reason=LONG_TEXT)))
    base = case_with(line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"), plans=(p,))
    data = base.model_dump()
    data["patient"] = {**data["patient"], "name": LONG_WORD, "pharmacy_name": LONG_WORD,
                       "prescriber_name": LONG_WORD, "goals": [LONG_WORD, LONG_TEXT]}
    return Case.model_validate(data)


def words_of(data: bytes):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            yield page, page.extract_words(use_text_flow=False, keep_blank_chars=False)


def overlap(a, b) -> bool:
    slack = 0.5
    return (a["x0"] + slack < b["x1"] and b["x0"] + slack < a["x1"]
            and a["top"] + slack < b["bottom"] and b["top"] + slack < a["bottom"])


def check_pages(data: bytes) -> None:
    for page, words in words_of(data):
        for w in words:
            assert w["x0"] >= 0 and w["x1"] <= page.width, (page.page_number, w["text"][:40], w["x1"], page.width)
        number = [w for w in words if w["text"] == "Page"]
        others = [w for w in words if w not in number]
        for i, a in enumerate(others):
            for b in others[i + 1:]:
                assert not overlap(a, b), (page.page_number, a["text"][:30], b["text"][:30])


@pytest.fixture(scope="module")
def pdfs():
    return calendar_and_summary(long_case(), START)


def test_long_names_and_reasons_stay_on_the_calendar_pages(pdfs):
    check_pages(pdfs[0])


def test_long_names_stay_on_the_summary_pages(pdfs):
    check_pages(pdfs[1])
