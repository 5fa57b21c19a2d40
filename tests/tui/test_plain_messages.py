"""Messages are in our words and quote at most a short excerpt of what was typed: a 10,000-character
paste in a builder field or a dialog reason gives one short sentence, never pydantic's wording or the paste."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static

from regimens.casefile import load_case
from regimens.plain_errors import EXCERPT_CHARS, excerpt
from taper import plan_fields
from taper.plan_fields import PlanItems
from tests.conftest import EXAMPLES
from tui.app.app import TaperApp
from tui.app.screens.builder import BuilderScreen
from tui.app.screens.fields_dialog import FieldsDialog
from tui.app.start_form import new_from
from tui.app.widgets.field_label import FieldLabel

TODAY = date(2026, 11, 27)
PASTE = "9" * 10_000
LIMIT = 160  # a message, not a page


def _plain(message: str) -> None:
    assert len(message) <= LIMIT, message
    assert "String should" not in message and "should have" not in message and "Value error" not in message


def test_an_excerpt_is_short_and_marked_as_cut():
    assert excerpt("short") == "'short'"
    assert excerpt(PASTE) == repr("9" * EXCERPT_CHARS + "…")


@pytest.fixture(scope="module")
def kowalski():
    return load_case(EXAMPLES / "kowalski.json", today=TODAY)


@pytest.mark.parametrize("field", ["percent", "every", "start", "target", "start-dose"])
def test_a_pasted_page_in_a_builder_field_gives_a_short_message(kowalski, field):
    fields = {**plan_fields.default_fields(kowalski, "oxycodone", TODAY), field: PASTE}
    plan, errors = plan_fields.plan_from_fields(kowalski, kowalski.plans[0].id, fields, PlanItems())
    assert plan is None and errors
    for message in errors.values():
        _plain(message)


@pytest.mark.parametrize(("make", "fields", "field"), [
    (plan_fields.pause_from, {"start": "2027-01-04", "days": "7", "reason": "x" * 10_000}, "reason"),
    (plan_fields.follow_up_from, {"on": "2027-01-04", "kind": "visit", "note": "x" * 10_000}, "note"),
])
def test_a_pasted_page_in_a_dialog_reason_is_refused_in_our_words(make, fields, field):
    item, errors = make(fields)
    assert item is None
    _plain(errors[field])
    assert errors[field].startswith("Too long: at most 200 characters (this has 10,000)")


def test_a_pasted_page_as_the_patient_name_is_refused_in_our_words(tmp_path):
    opened, errors = new_from({"name": "x" * 10_000, "birth": "1950-01-01", "save-as": str(tmp_path / "c.json")},
                              TODAY)
    assert opened is None and "name" in errors
    for message in errors.values():
        _plain(message)


async def test_the_builder_and_the_pause_dialog_show_short_messages(tmp_path):
    app = TaperApp(case=load_case(EXAMPLES / "kowalski.json", today=TODAY), case_path=None, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.query_one("#percent", Input).value = PASTE
        await pilot.pause()
        shown = str(screen.query_one("#label-percent", FieldLabel).render())
        assert "Problem:" in shown and len(shown) <= LIMIT + 40 and "9" * (EXCERPT_CHARS + 1) not in shown
        screen.query_one("#percent", Input).value = "10"
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FieldsDialog)
        await pilot.press(*"2027-01-04", "tab", "tab", "ctrl+a", "ctrl+k", "7", "tab")
        dialog.query_one("#field-reason", Input).value = "x" * 10_000
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        shown = str(dialog.query_one("#error-reason", Static).render())
        assert "Too long" in shown and "String should" not in shown and "x" * 40 not in shown
