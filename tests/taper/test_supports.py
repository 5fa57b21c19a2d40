"""Non-drug supports: a library with plain instructions; graded walking grows 10% a week."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from regimens.case import SupportUse
from taper.adapters import plan_input
from taper.schedule import build_schedule
from taper.supports import library, place, supports_on, weekly_targets
from tests.helpers.plans import START, case_with, line, plan, product

NEEDED = {"sleep-routine", "paced-breathing", "graded-walking", "pacing", "heat", "topical", "cbt-act",
          "mindfulness"}


def test_library_has_the_supports_with_instructions_and_sources():
    items = {s["id"]: s for s in library()["supports"]}
    assert set(items) >= NEEDED
    for item in items.values():
        assert item["instructions"] and item["source"] in library()["sources"]
        assert item["slot"] in {"morning", "noon", "evening", "bedtime"}


def test_graded_walking_grows_ten_percent_a_week_from_the_baseline():
    placed = place(SupportUse(support="graded-walking", start=START, weeks=8, baseline=Decimal(10)), None)
    targets = [v for _, v in weekly_targets(placed, START + timedelta(days=100))]
    assert targets == [10, 11, 12, 13, 15, 16, 18, 19]
    assert supports_on([placed], START + timedelta(days=14))[0].text == "Walk 12 minutes"
    assert supports_on([placed], START + timedelta(days=8 * 7)) == []


def test_support_after_a_step_starts_with_that_step():
    case = case_with(line("o", product("oxycodone", "5 mg"), "3", "morning", "evening"))
    s = build_schedule(plan_input(case.regimen, plan("oxycodone", ("o",), "30", strategy="fixed",
                                                     amount=Decimal(5), interval_days=14)))
    placed = place(SupportUse(support="paced-breathing", after_step=2, weeks=2), s)
    assert placed.start == s.segments[1].start and placed.slot == "bedtime"
    assert supports_on([placed], placed.start)[0].text == "Slow breathing 5 minutes"


def test_support_without_a_start_or_schedule_begins_on_the_given_today():
    use = SupportUse(support="sleep-routine", weeks=2)
    assert place(use, None, today=START).start == START
    with pytest.raises(ValueError, match="no start date"):
        place(use, None)
