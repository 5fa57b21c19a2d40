"""Hostile input on every path: the command line answers with one line and exit 2, never a traceback,
and leaves every file as it was; the app's forms turn any text into a value or a message.

Counts of inputs tried are in the hypothesis settings below (max_examples) and in the lists.
"""

from __future__ import annotations

import json
import re
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, LISTS
from tests.helpers.case_files import mutated_case
from tui.cli.main import main

TODAY = date(2026, 11, 27)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def run(capsys, args: list[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    return code, err


def assert_clean_refusal(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert err.startswith("taper: ") and err.strip()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@SETTINGS
@given(data=mutated_case())
def test_mutated_case_files_are_refused_cleanly_and_left_alone(tmp_path_factory, capsys, data):
    folder = tmp_path_factory.mktemp("case")
    path = folder / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(folder)
    for command in (["show"], ["review"], ["schedule"]):
        code, err = run(capsys, [*command, str(path)])
        assert_clean_refusal(code, err)
    assert snapshot(folder) == before


HOSTILE_FILES = {
    "empty": b"",
    "NUL bytes": b'{"schema_version": 1, "patient": {"id": "a\x00b"}}',
    "NUL in the middle of JSON": (EXAMPLES / "kowalski.json").read_bytes().replace(b'"Walter', b'"Wal\x00ter'),
    "binary": bytes(range(256)) * 4,
    "UTF-16": (EXAMPLES / "kowalski.json").read_text().encode("utf-16"),
    "latin-1": (EXAMPLES / "kowalski.json").read_text().replace("Walter", "Wältér").encode("latin-1"),
    "NaN": (EXAMPLES / "kowalski.json").read_bytes().replace(b'"units": "1"', b'"units": NaN', 1),
    "Infinity": (EXAMPLES / "kowalski.json").read_bytes().replace(b'"units": "1"', b'"units": Infinity', 1),
    "huge number": (EXAMPLES / "kowalski.json").read_bytes().replace(b'"units": "1"', b'"units": 1e999999', 1),
    "huge integer": (EXAMPLES / "kowalski.json").read_bytes().replace(b'"units": "1"', b'"units": ' + b"9" * 5000, 1),
    "deep nesting": b'{"schema_version": 1, "notes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "schema version 99": re.sub(rb'"schema_version": \d+', b'"schema_version": 99',
                                  (EXAMPLES / "kowalski.json").read_bytes(), count=1),
    "schema version as text": re.sub(rb'"schema_version": \d+', b'"schema_version": "2"',
                                       (EXAMPLES / "kowalski.json").read_bytes(), count=1),
    "wrong types": json.dumps({"schema_version": 1, "patient": [], "regimen": "none", "plans": 3}).encode(),
    "missing fields": json.dumps({"schema_version": 1, "patient": {"name": "X"}}).encode(),
    "duplicate keys": b'{"schema_version": 1, "schema_version": 2, "patient": {}}',
    "trailing garbage": (EXAMPLES / "kowalski.json").read_bytes() + b"\n}}}",
    "a list": b"[1, 2, 3]",
    "a string": b'"case"',
    "lone surrogate": b'{"schema_version": 1, "notes": "\\ud800"}',
}


@pytest.mark.parametrize("label", sorted(HOSTILE_FILES))
@pytest.mark.parametrize("command", ["show", "review", "schedule", "export", "plan"])
def test_hostile_case_files(tmp_path, capsys, label, command):
    path = tmp_path / "case.json"
    path.write_bytes(HOSTILE_FILES[label])
    before = snapshot(tmp_path)
    extra = {"export": ["--ics", str(tmp_path / "out.ics")],
             "plan": ["--drug", "oxycodone", "--strategy", "percent-current", "--percent", "10", "--save"]}
    code, err = run(capsys, [command, str(path), *extra.get(command, [])])
    assert code == 2, err
    assert_clean_refusal(code, err)
    assert str(path) in err  # the message names the file
    assert snapshot(tmp_path) == before


def test_a_60_mb_case_file_is_refused_without_reading_it_all(tmp_path, capsys):
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.write(b'{"schema_version": 1, "notes": "')
        handle.truncate(60 * 1024 * 1024)
    code, err = run(capsys, ["show", str(path)])
    assert code == 2 and "60 MB" in err and "at most 20 MB" in err


CSV_CELLS = st.one_of(st.sampled_from(["oxycodone", "OxyContin", "5 mg", "15 mg", "tablet", "ER tablet", "1", "0.5",
                                        "morning", "every 6 hours", "yes", "no", "", "-1", "NaN", "1e9", "½",
                                        "morning;morning", "2024-02-30", '"', "=cmd|' /C calc'!A0", "\x00"]),
                      st.text(alphabet=string.printable, max_size=12))


@SETTINGS
@given(rows=st.lists(st.lists(CSV_CELLS, min_size=1, max_size=8), max_size=6),
       header=st.sampled_from(["drug,strength,form,dose,when", "drug,strength,form,dose,when,prn,max_per_day",
                               "drug;strength;form;dose;when", "", "DRUG,Strength,FORM,dose,When"]))
def test_any_csv_is_imported_or_refused_by_row_and_column(tmp_path_factory, capsys, rows, header):
    folder = tmp_path_factory.mktemp("csv")
    path = folder / "meds.csv"
    path.write_text(header + "\n" + "\n".join(",".join(r) for r in rows), encoding="utf-8")
    before = snapshot(folder)
    for command in (["show"], ["review"], ["new", "--name", "X", "--birth-date", "1950-01-01", "-o",
                                           str(folder / "new.json")]):
        code, err = run(capsys, [*command, str(path)] if command[0] != "new" else
                        ["new", "--from", str(path), *command[1:]])
        assert_clean_refusal(code, err)
        if code == 2 and command[0] == "new":
            assert not (folder / "new.json").exists()  # a failed import creates nothing
    (folder / "new.json").unlink(missing_ok=True)
    assert snapshot(folder) == before


WORDS = ["show", "review", "plan", "schedule", "formulary", "panel", "--json", "--age", "200", "-1", "--drug",
         "oxycodone", "nosuchdrug", "--strategy", "fixed", "hyperbolic", "--percent", "0", "150", "--every", "0d",
         "2w", "--doses", "5,x", "--start", "2026-02-30", "--pause", "2027-01-01:0", "--setback", "x:1:2",
         "--support", "yoga", "--target", "99", "--fail-on", "major", "--csv", "--rule-set", "nope", "", "\x00",
         "--products", ",,", str(LISTS / "kowalski.csv"), str(EXAMPLES / "kowalski.json"), "/nonexistent.json",
         "--steps", "9999", "--amount", "-5", "--help-me", "x\x00y.json", ".", "/", "-"]


@SETTINGS
@given(args=st.lists(st.sampled_from(WORDS), min_size=0, max_size=8))
@example(args=[""])  # an empty file name once crashed the backup hint (found by this test)
@example(args=["review", ""])
@example(args=["schedule", "\x00"])
@example(args=["panel", "\x00"])
def test_any_command_line_exits_0_or_2_without_a_traceback(capsys, args):
    if not args or args[0] not in {"show", "review", "plan", "schedule", "formulary", "panel"}:
        args = ["show", *args]  # never start the terminal UI here
    if "--save" in args:
        return
    try:
        code, err = run(capsys, args)
    except SystemExit as exit_:  # argparse: usage errors exit 2 and print usage
        code, err = int(exit_.code or 0), capsys.readouterr().err
        assert code in (0, 2)
        assert "Traceback" not in err
        return
    assert_clean_refusal(code, err)
    assert (EXAMPLES / "kowalski.json").read_bytes() == EXAMPLE_BYTES


EXAMPLE_BYTES = (EXAMPLES / "kowalski.json").read_bytes()
TEXT = st.text(max_size=40) | st.sampled_from(["", " ", "0", "-1", "1e999", "NaN", "2026-02-30", "9" * 50, "\x00",
                                               "½", "10%", "2w", "1m", "0d", "Infinity", "25,20,,5", "5,x"])


@SETTINGS
@given(values=st.fixed_dictionaries({k: TEXT for k in ("strategy", "amount", "percent", "steps", "doses", "every",
                                                        "start-dose", "target", "start", "follows", "gap")}))
def test_builder_fields_give_a_plan_or_messages(values):
    from regimens.casefile import load_case
    from taper import plan_fields

    case = KOWALSKI if KOWALSKI else load_case(EXAMPLES / "kowalski.json")
    plan, errors = plan_fields.plan_from_fields(case, case.plans[0].id, {"drug": "oxycodone", **values},
                                              plan_fields.PlanItems())
    assert (plan is None) == bool(errors)
    assert all(isinstance(m, str) and m for m in errors.values())


@SETTINGS
@given(values=st.fixed_dictionaries({k: TEXT for k in ("start", "after-step", "days", "reason", "on", "hold",
                                                        "fraction", "support", "weeks", "baseline", "kind",
                                                        "note", "path", "name", "birth", "csv", "save-as")}))
def test_dialog_fields_give_a_value_or_messages(tmp_path_factory, values):
    from taper import plan_fields
    from tui.app import start_form

    folder = tmp_path_factory.mktemp("dialogs")
    values = {**values, "save-as": str(folder / Path(values["save-as"] or "x").name)}
    for build in (plan_fields.pause_from, plan_fields.setback_from, plan_fields.support_from, plan_fields.follow_up_from):
        item, errors = build(values)
        assert (item is None) == bool(errors)
    for build in (start_form.open_from, start_form.new_from):
        opened, errors = build(values, TODAY)
        assert (opened is None) == bool(errors)


def _kowalski():
    from regimens.casefile import load_case

    return load_case(EXAMPLES / "kowalski.json")


KOWALSKI = _kowalski()
