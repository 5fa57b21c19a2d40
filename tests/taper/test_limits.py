"""Limits that protect the patient: a plan's length and long pauses (issue 13, item 10)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from regimens.case import Override, Pause
from taper import plan_fields
from taper.adapters import plan_input
from taper.plan_values import parse_pause
from taper.schedule import PlanError, build_schedule
from tests.conftest import LISTS
from tests.helpers.cli import assert_clean_failure, taper
from tests.helpers.plans import START, case_with, line, plan, product


def oxycodone_case(**kw: object):
    meds = (line("m1", product("oxycodone", "5 mg"), "3", "morning", "evening"),)
    p = plan("oxycodone", ("m1",), "30", strategy="fixed", amount=Decimal(5), **kw)
    return case_with(*meds, plans=(p,))


def schedule_of(case):
    return build_schedule(plan_input(case.regimen, case.plans[0]))


def test_a_plan_of_a_few_years_has_no_length_notice():
    s = schedule_of(oxycodone_case(interval_days=180))
    assert not any("years" in n for n in s.notices)


def test_past_five_years_a_plan_gets_a_notice():
    s = schedule_of(oxycodone_case(interval_days=400))
    assert (s.stop - s.first_day).days > 5 * 365
    assert any("past five years" in n for n in s.notices)


def test_past_ten_years_a_plan_is_refused():
    with pytest.raises(PlanError, match="longer than ten years"):
        schedule_of(oxycodone_case(interval_days=3650))


def test_fifty_long_pauses_are_refused_too():
    pauses = tuple(Pause(days=3650, after_step=1, reason="x") for _ in range(50))
    with pytest.raises(PlanError, match="longer than ten years"):
        schedule_of(oxycodone_case(interval_days=28, pauses=pauses))


def test_past_ten_years_with_an_override_is_kept_and_says_why():
    over = (Override(step=0, rule="*", reason="patient's informed choice"),)
    s = schedule_of(oxycodone_case(interval_days=3650, overrides=over))
    assert any("past ten years" in n and "informed choice" in n for n in s.notices)


def test_a_pause_longer_than_a_year_needs_a_reason():
    with pytest.raises(ValueError, match="needs a reason"):
        parse_pause("2027-02-01:400")
    assert parse_pause("2027-02-01:400:surgery and rehabilitation")[1] == 400
    assert parse_pause("2027-02-01:365")[1] == 365
    pause, errors = plan_fields.pause_from({"start": "2027-02-01", "days": "400"})
    assert pause is None and "needs a reason" in errors["reason"]
    pause, errors = plan_fields.pause_from({"start": "2027-02-01", "days": "400", "reason": "surgery"})
    assert pause is not None and not errors


def test_the_command_line_refuses_a_decade_and_accepts_it_with_a_reason():
    args = ["plan", str(LISTS / "kowalski.csv"), "--drug", "oxycodone", "--strategy", "fixed", "--amount", "5",
            "--every", "3650d", "--start", str(START)]
    assert_clean_failure(taper(*args), "longer than ten years", "--override")
    done = taper(*args, "--override", "agreed with the patient")
    assert done.returncode == 0 and "past ten years" in " ".join(done.stdout.split())
