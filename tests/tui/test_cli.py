"""The command line as a user runs it: help, show, formulary, new; bad input exits 2 cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regimens.casefile import load_case
from tests.conftest import EXAMPLES, LISTS
from tests.helpers.cli import assert_clean_failure, taper

SUBCOMMANDS = ["open", "demo", "show", "formulary", "new"]


def test_help_lists_commands():
    proc = taper("--help")
    assert proc.returncode == 0
    for name in SUBCOMMANDS:
        assert name in proc.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(name):
    proc = taper(name, "--help")
    assert proc.returncode == 0
    assert f"usage: taper {name}" in proc.stdout


def test_show_case_prints_totals():
    proc = taper("show", str(EXAMPLES / "kowalski.json"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Walter Kowalski" in out
    assert "OxyContin" in out and "alprazolam" in out
    # 15 mg ER twice a day scheduled; 5 mg up to 3 a day as needed.
    lines = [line for line in out.splitlines() if line.startswith("oxycodone ")]
    assert lines and "30 mg" in lines[-1] and "up to 15 mg" in lines[-1]
    assert all(len(line) <= 80 for line in out.splitlines())


def test_show_csv_with_patch_and_liquid_json():
    proc = taper("show", str(LISTS / "nunez.csv"), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    totals = {(t["drug"], t["unit"]): t for t in data["daily_totals"]}
    assert totals[("fentanyl", "mcg/hr")]["scheduled"] == "25"
    assert totals[("morphine", "mg")]["prn_max"] == "30"
    assert totals[("sertraline", "mg")]["scheduled"] == "50"
    assert totals[("pregabalin", "mg")]["scheduled"] == "150"


def test_formulary_query():
    proc = taper("formulary", "Cymbalta")
    assert proc.returncode == 0
    assert "duloxetine" in proc.stdout and "60 mg" in proc.stdout and "delayed release" in proc.stdout
    proc = taper("formulary", "oxy", "--json")
    names = {d["name"] for d in json.loads(proc.stdout)}
    assert {"oxycodone", "oxycodone/acetaminophen", "oxymorphone"} <= names


def test_new_creates_case(tmp_path: Path):
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(LISTS / "okafor.csv"), "--name", "Grace Okafor",
                 "--birth-date", "1982-05-20", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    case = load_case(out)
    assert case.patient.name == "Grace Okafor"
    assert [m.product.drug for m in case.regimen.medications][:2] == ["duloxetine", "zolpidem"]
    again = taper("new", "--from", str(LISTS / "okafor.csv"), "--name", "Grace Okafor",
                  "--birth-date", "1982-05-20", "-o", str(out))
    assert_clean_failure(again, "already exists")


def test_new_records_the_patients_language(tmp_path: Path):
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(LISTS / "nunez.csv"), "--name", "Ana Núñez", "--birth-date", "1950-01-01",
                 "-o", str(out), "--language", "es-MX")
    assert proc.returncode == 0, proc.stderr
    assert load_case(out).patient.language == "es-MX"
    assert "Note" not in proc.stdout  # es-MX prints with the Spanish catalogue
    default = tmp_path / "default.json"
    assert taper("new", "--from", str(LISTS / "nunez.csv"), "--name", "Ana", "--birth-date", "1950-01-01",
                 "-o", str(default)).returncode == 0
    assert load_case(default).patient.language == "en"


def test_new_keeps_a_language_taper_cannot_print_yet_and_says_so(tmp_path: Path):
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(LISTS / "nunez.csv"), "--name", "Minh", "--birth-date", "1950-01-01",
                 "-o", str(out), "--language", "vi")
    assert proc.returncode == 0, proc.stderr
    assert load_case(out).patient.language == "vi"
    assert "no calendar catalogue for vi yet" in proc.stdout


@pytest.mark.parametrize("language", ["Spanish", "ES", "es_MX", ""])
def test_new_refuses_a_language_that_is_not_a_tag_and_writes_nothing(tmp_path: Path, language):
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(LISTS / "nunez.csv"), "--name", "Ana", "--birth-date", "1950-01-01",
                 "-o", str(out), "--language", language)
    assert_clean_failure(proc, "--language", "language tag")
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["show", "missing.json"], ["missing.json", "no such file"]),
        (["show"], ["required"]),
        (["frobnicate"], ["invalid choice"]),
        (["new", "--from", "x.csv", "--name", "A", "--birth-date", "1950-02-30", "-o", "o.json"],
         ["not a date"]),
        (["new", "--from", "x.csv", "--name", "A", "--birth-date", "2999-01-01", "-o", "o.json"],
         ["future"]),
        (["demo", "--case", "nobody", "--print"], ["no example called"]),
    ],
)
def test_bad_arguments_exit_2_without_traceback(args, words, tmp_path):
    assert_clean_failure(taper(*args, cwd=tmp_path if args[0] == "new" else None), *words)


def test_bad_csv_on_new_writes_nothing(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("drug,strength,form,dose,when\noxycodone,5 mg,tablet,1,morning\n"
                   "gabapentin,300 mg,capsule,0.5,bedtime\n")
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(bad), "--name", "A B", "--birth-date", "1960-01-01", "-o", str(out))
    assert_clean_failure(proc, "bad.csv", "row 2", "column 'dose'", "nothing was imported")
    assert not out.exists()


def test_bad_case_file_on_show(tmp_path: Path):
    path = tmp_path / "future.json"
    data = json.loads((EXAMPLES / "okafor.json").read_text())
    data["schema_version"] = 7
    path.write_text(json.dumps(data))
    assert_clean_failure(taper("show", str(path)), "future.json", "schema_version", "newer taper")


def test_demo_copies_and_never_touches_the_bundled_file(tmp_path: Path):
    bundled = (EXAMPLES / "kowalski.json").read_bytes()
    proc = taper("demo", "--print", env={"XDG_DATA_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    copy = Path(proc.stdout.strip())
    assert copy.is_relative_to(tmp_path)
    assert copy.read_bytes() == bundled
    assert (EXAMPLES / "kowalski.json").read_bytes() == bundled


SIG_CSV = ("product,sig\n"
           "Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet,1-2 tabs q4-6h prn pain\n"
           "atorvastatin 20 MG Oral Tablet [Lipitor],take as directed\n")


def test_show_prints_the_sig_as_written_beside_its_reading(tmp_path: Path):
    path = tmp_path / "sigs.csv"
    path.write_text(SIG_CSV, encoding="utf-8")
    proc = taper("show", str(path))
    assert proc.returncode == 0, proc.stderr
    flat = " ".join(proc.stdout.split())
    assert 'sig as written: "1-2 tabs q4-6h prn pain")' in flat
    assert "as written: take" in flat and "as directed" in flat
    proc = taper("show", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    meds = json.loads(proc.stdout)["medications"]
    assert meds[0]["sig"] == "1-2 tabs q4-6h prn pain" and meds[0]["units"] == "2"
    assert meds[0]["interval_hours"] == 4 and meds[0]["prn"] is True
    assert meds[1]["sig"] == "take as directed" and meds[1]["units"] is None


def test_new_from_csv_with_product_and_sig_notes_the_assumptions(tmp_path: Path):
    path = tmp_path / "sigs.csv"
    path.write_text(SIG_CSV, encoding="utf-8")
    out = tmp_path / "case.json"
    proc = taper("new", "--from", str(path), "--name", "A Patient", "--birth-date", "1950-01-01", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "take as directed" in proc.stderr and "column 'sig'" in proc.stderr
    case = load_case(out)
    assert case.regimen.medications[0].sig_as_written == "1-2 tabs q4-6h prn pain"
