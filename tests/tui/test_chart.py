"""The builder's text chart: bars follow the dose, holds are marked in letters, dates label the ends."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from regimens.formulary import get_formulary
from taper.inputs import unit_of
from taper.schedule import PauseIn, PlanInput, build_schedule
from taper.strategies import StrategySpec
from tui.app.chart import BLOCKS, chart_lines, span_text
from tui.app.widgets.schedule_text import aligned, schedule_rows


def oxycodone_schedule(pauses=()):
    formulary = get_formulary()
    units = tuple(unit_of(p, "oxycodone") for p in formulary.get("oxycodone").products
                  if p.form.value == "tablet" and p.release.value == "immediate")
    return build_schedule(PlanInput("p", "oxycodone", formulary.classes_of("oxycodone"), "mg", units,
                                    ("morning", "evening"), StrategySpec("fixed", Fraction(40), Fraction(0),
                                                                         amount=Fraction(10)),
                                    date(2027, 1, 4), 14, pauses))


def test_bars_fall_with_the_dose_and_the_axis_is_labelled():
    lines = chart_lines(oxycodone_schedule(), 60, 8)
    assert len(lines) == 8 + 2 and all(len(line) <= 60 for line in lines)
    assert lines[0].startswith("30 mg") and lines[8].strip().startswith("0 └")
    bottom = lines[7].split("│", 1)[1]
    heights = [BLOCKS.index(c) for c in bottom]
    assert heights[0] == 8 and heights[-1] == 0  # full at the start, empty once stopped
    top = lines[0].split("│", 1)[1]
    assert top[0] == "█" and top[-1] == " "
    assert "Mon 4 Jan 2027" in lines[-1]


def test_holds_are_marked_under_the_bars():
    plain = chart_lines(oxycodone_schedule(), 60, 6)[-2]
    held = chart_lines(oxycodone_schedule((PauseIn(14, start=date(2027, 1, 25)),)), 60, 6)[-2]
    assert "h" not in plain and "h" in held


def test_span_and_rows_read_as_words():
    s = oxycodone_schedule()
    assert span_text(s).startswith("40 to 0 mg a day in 4 steps, Mon 4 Jan 2027 to ")
    rows = schedule_rows(s)
    assert rows[0][:4] == ("1", "Mon 4 Jan – Sun 17 Jan 2027", "30 mg", "-25%")
    assert rows[-1][5] == "stop"
    lines = aligned([("a", "bb"), ("ccc", "d")])
    assert lines == ["a    bb", "ccc  d"]
