"""The medication editor takes insulin in units and injections given every few months."""

from __future__ import annotations

from regimens.casefile import load_case
from tests.helpers.tui import okafor_app


async def _add(tmp_path, drug: str, pick: str, units: str, *, slot: str | None = None, every: str = ""):
    from textual.widgets import Button, Checkbox, Input, Label, Select

    from tui.app.screens.medication import MedicationForm

    path, app = okafor_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MedicationForm)
        form.query_one("#drug", Input).value = drug
        await pilot.pause()
        select = form.query_one("#product", Select)
        select.value = next(v for _, v in select._options if isinstance(v, str) and pick in v)
        await pilot.pause()
        label = str(form.query_one("#units-label", Label).render())
        form.query_one("#units", Input).value = units
        if slot:
            form.query_one(f"#slot-{slot}", Checkbox).value = True
        form.query_one("#interval", Input).value = every
        form.query_one("#add", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, MedicationForm), str(form.query_one("#when-error").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
    return label, load_case(path).regimen.medications[-1]


async def test_insulin_is_entered_in_units(tmp_path):
    label, med = await _add(tmp_path, "Lantus", "pen", "10", slot="bedtime")
    assert "(units)" in label
    assert med.product.unit_noun == "unit" and med.units == 10
    assert [(a.amount, a.unit) for a in med.ingredient_amounts()] == [(10, "units")]


async def test_an_injection_every_13_weeks(tmp_path):
    label, med = await _add(tmp_path, "Depo-Provera", "injection-150mgml", "1", every="13 weeks")
    assert "(tablets, capsules, patches, or mL)" in label
    assert med.interval_hours == 13 * 7 * 24
