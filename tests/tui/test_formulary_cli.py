"""`taper formulary NAME`: a lookalike is never printed as the drug asked for.

Exit 0 when the name (or a search) finds drugs; 1 when only suggestions remain, printed under
"No drug named ..."; 2 when nothing is found. In JSON every result carries ``match``.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import taper
from tui.cli.main import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["formulary", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("typed", "code", "matches", "first"), [
    ("oxycodone", 0, {"exact", "substring"}, "oxycodone"),
    ("Xanax", 0, {"brand"}, "alprazolam"),
    ("paracetamol", 0, {"synonym"}, "acetaminophen"),
    ("oxy", 0, {"substring"}, "oxybutynin"),
    ("Nardil", 0, {"brand"}, "phenelzine"),
    ("oxycodine", 1, {"suggestion"}, "oxycodone"),
    ("Darvocet", 1, {"suggestion"}, "oxycodone/acetaminophen"),
    ("ketamine", 1, {"suggestion"}, "ketorolac"),
    # ISMP-listed names the formulary holds since issue 14: the drug itself, never its lookalike
    ("Zantac", 0, {"brand"}, "ranitidine"),
    ("clozapine", 0, {"exact"}, "clozapine"),
])
def test_exit_code_and_match_in_json(capsys, typed, code, matches, first):
    got, out, err = run(capsys, typed, "--json")
    assert got == code, err
    data = json.loads(out)
    assert {d["match"] for d in data} == matches
    assert data[0]["name"] == first
    # ranitidine (Zantac) is off the US market: named so a list holding it is screened, with no product to pick
    assert bool(data[0]["products"]) == (first != "ranitidine")


def test_json_says_which_name_matched_and_the_ismp_pairs(capsys):
    _, out, _ = run(capsys, "Celexa", "--json")
    [celexa] = json.loads(out)
    assert celexa["match"] == "brand" and celexa["matched_name"] == "Celexa" and celexa["name"] == "citalopram"
    pairs = {(p["name"], p["confused_with"], p["confused_drug"]) for p in celexa["ismp_confused"]}
    assert ("CeleXA", "CeleBREX", "celecoxib") in pairs
    assert all(p["source"] == "ISMP List of Confused Drug Names, updated through February 2023" and p["page"]
               and p["url"] == "https://www.ismp.org/recommendations/confused-drug-names-list"
               for p in celexa["ismp_confused"])
    _, out, _ = run(capsys, "Darvocet", "--json")
    [percocet] = json.loads(out)
    assert percocet["match"] == "suggestion" and percocet["matched_name"] == "Percocet"
    assert percocet["warning"] == "ISMP lists Percocet as confused with Darvocet; check the name"
    assert celexa["warning"] is None
    assert [(p["name"], p["confused_with"]) for p in percocet["ismp_confused"]] == [("Percocet", "Darvocet")]


@pytest.mark.parametrize(("typed", "wrong"), [
    ("phentolamine", "phentermine"), ("famotidine", "lamotrigine"), ("famotadine", "lamotrigine"),
    ("clozapine", "cyclobenzaprine"), ("estradiol", "lisinopril"),
])
def test_a_lookalike_is_never_printed_as_the_drug(capsys, typed, wrong):
    code, out, err = run(capsys, typed)
    assert code in (0, 1)
    assert wrong not in out and wrong not in err
    if code == 1 and "Did you mean" not in out:
        assert out == "" and "no drug matches" in err


def test_a_listed_drug_with_an_ismp_lookalike_prints_itself_only(capsys):
    """Estradiol is listed since issue 14 (topicals-hormones-other.json); ISMP pairs it with lisinopril."""
    code, out, _ = run(capsys, "estradiol")
    assert code == 0 and out.startswith("estradiol") and "lisinopril" not in out


def test_suggestions_only_under_no_drug_named(capsys):
    code, out, err = run(capsys, "qzxvbnm")
    assert code == 1 and out == "" and "no drug matches 'qzxvbnm'" in err
    code, out, _ = run(capsys, "oxycodine")
    assert code == 1
    assert out.splitlines() == ["No drug named 'oxycodine'. Did you mean:", "  oxycodone"]
    code, out, _ = run(capsys, "Darvocet")
    assert code == 1
    assert out.splitlines() == ["No drug named 'Darvocet'. Did you mean:",
                                "  Percocet (oxycodone/acetaminophen) \N{EM DASH} ISMP lists it as confused with "
                                "Darvocet; check the name"]
    assert "Strength" not in out  # names only: no product table for a drug that was not asked for


def test_text_says_how_each_entry_matched(capsys):
    code, out, _ = run(capsys, "Xanax")
    assert code == 0
    assert out.startswith("Xanax is a brand name of alprazolam.\nalprazolam (Xanax, Xanax XR)")
    assert "Xanax / Zantac" in out and "ALPRAZolam / LORazepam (lorazepam)" in out
    _, out, _ = run(capsys, "oxy")
    assert "Not named 'oxy'; oxybutynin contains it." in out
    assert all(len(line) <= 100 for line in out.splitlines())


def test_the_command_exits_1_as_a_process():
    proc = taper("formulary", "Darvocet")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("No drug named 'Darvocet'.")
    nothing = taper("formulary", "qzxvbnm")
    assert nothing.returncode == 1 and "no drug matches 'qzxvbnm'" in nothing.stderr and "Traceback" not in nothing.stderr
