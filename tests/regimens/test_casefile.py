"""Case files: round trips, atomic saves with a backup, owner-only files, clear load errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from regimens import casefile
from regimens.case import SCHEMA_VERSION, Case, Patient, Pause, TaperPlan
from regimens.casefile import case_to_json, load_case, parse_case, save_case
from regimens.csv_import import regimen_from_csv
from regimens.errors import TaperInputError
from tests.conftest import EXAMPLES, LISTS


@pytest.fixture
def case() -> Case:
    regimen = regimen_from_csv(LISTS / "kowalski.csv")
    return Case(
        patient=Patient(id="P-1", name="Zoë O'Brien & José Ñúñez <test>", birth_date=date(1953, 3, 12),
                        prescriber_phone="(555) 010-2000", goals=("Walk to the park \"without\" fog",)),
        regimen=regimen,
        notes="Long note " * 200,
        plans=(
            TaperPlan(id="plan-1", medication_ids=(regimen.medications[0].id,), drug="oxycodone",
                      start_dose=30, start_date=date(2026, 12, 1), interval_days=28,
                      strategy="percent-current", percent=10,
                      pauses=(Pause(days=14, start=date(2027, 2, 1), reason="wedding"),)),
        ),
    )


def test_round_trip_is_exact(tmp_path: Path, case: Case):
    path = tmp_path / "case.json"
    save_case(case, path)
    loaded = load_case(path)
    assert loaded == case
    assert case_to_json(loaded) == path.read_text("utf-8")


def test_saved_file_is_owner_only_and_readable_json(tmp_path: Path, case: Case):
    path = tmp_path / "case.json"
    save_case(case, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text("utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["patient"]["name"] == "Zoë O'Brien & José Ñúñez <test>"
    assert data["regimen"]["medications"][0]["product"]["drug"] == "oxycodone"


def test_second_save_keeps_previous_version_as_bak(tmp_path: Path, case: Case):
    path = tmp_path / "case.json"
    save_case(case, path)
    first = path.read_bytes()
    changed = Case.model_validate({**case.model_dump(), "notes": "second version"})
    save_case(changed, path)
    bak = tmp_path / "case.json.bak"
    assert bak.read_bytes() == first
    assert stat.S_IMODE(bak.stat().st_mode) == 0o600
    assert load_case(path).notes == "second version"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failed_rename_leaves_old_file_intact(tmp_path: Path, case: Case, monkeypatch):
    path = tmp_path / "case.json"
    save_case(case, path)
    before = path.read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst) == path:
            raise OSError("disk unplugged")
        return real_replace(src, dst)

    monkeypatch.setattr(casefile.os, "replace", failing_replace)
    changed = Case.model_validate({**case.model_dump(), "notes": "lost"})
    with pytest.raises(TaperInputError) as info:  # told about the user's file, never a traceback
        save_case(changed, path)
    assert str(path) in str(info.value) and "disk unplugged" in str(info.value)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_process_killed_before_rename_loses_nothing(tmp_path: Path, case: Case):
    """A save killed after writing the temporary file but before the rename."""
    path = tmp_path / "case.json"
    save_case(case, path)
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import os, signal
        from regimens import casefile
        from regimens.casefile import load_case, save_case
        case = load_case({str(path)!r})
        def die(src, dst):
            os.kill(os.getpid(), signal.SIGKILL)
        casefile.os.replace = die
        save_case(case.model_validate({{**case.model_dump(), "notes": "never"}}), {str(path)!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2])
    assert proc.returncode == -9
    assert path.read_bytes() == before
    assert load_case(path) == case


def test_examples_load(tmp_path: Path):
    names = sorted(p.name for p in EXAMPLES.glob("*.json"))
    assert len(names) >= 4
    for name in names:
        case = load_case(EXAMPLES / name, today=date(2026, 11, 26))
        assert case.regimen.medications, name


def _valid_text() -> str:
    return (EXAMPLES / "kowalski.json").read_text("utf-8")


def _edit(mutate) -> str:
    data = json.loads(_valid_text())
    mutate(data)
    return json.dumps(data)


BAD_CASES = [
    ("future schema version", lambda: _edit(lambda d: d.update(schema_version=SCHEMA_VERSION + 1)), "schema_version",
     "newer taper"),
    ("missing schema version", lambda: _edit(lambda d: d.pop("schema_version")), "schema_version",
     "missing"),
    ("truncated JSON", lambda: _valid_text()[: len(_valid_text()) // 2], None, "not valid JSON"),
    ("wrong type for name", lambda: _edit(lambda d: d["patient"].update(name=42)), "patient.name",
     "string"),
    ("impossible birth date", lambda: _edit(lambda d: d["patient"].update(birth_date="1950-02-30")),
     "patient.birth_date", "date"),
    ("birth date in the future", lambda: _edit(lambda d: d["patient"].update(birth_date="2090-01-01")),
     "patient.birth_date", "future"),
    ("units as text", lambda: _edit(lambda d: d["regimen"]["medications"][0].update(units="lots")),
     "regimen.medications.0.units", "decimal"),
    ("NaN units", lambda: _valid_text().replace('"units": "1"', '"units": NaN', 1), None, "NaN"),
    ("unknown field", lambda: _edit(lambda d: d.update(colour="red")), "colour", "not permitted"),
    ("not an object", lambda: "[1, 2, 3]", None, "JSON object"),
]


@pytest.mark.parametrize(("label", "make", "field", "words"), BAD_CASES, ids=[b[0] for b in BAD_CASES])
def test_bad_case_files_name_file_and_field(tmp_path: Path, label, make, field, words):
    path = tmp_path / "bad.json"
    path.write_text(make(), encoding="utf-8")
    with pytest.raises(TaperInputError) as info:
        load_case(path, today=date(2026, 11, 26))
    err = info.value
    assert err.file == str(path)
    assert err.field == field
    assert words.lower() in str(err).lower()


def test_parse_case_refuses_deep_nesting():
    text = '{"schema_version": 1, "notes": ' + "[" * 5000 + "]" * 5000 + "}"
    with pytest.raises(TaperInputError, match="nested too deeply"):
        parse_case(text)
