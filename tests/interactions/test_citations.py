"""Citations are primary (issue 12, item 12): every web address in the clinical data is an agency, a label
database, a journal or a list's own publisher, never a mirror of a label or table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interactions.tables import DATA, PRIMARY_HOSTS, non_primary_addresses

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = (sorted(DATA.glob("*.json")) + sorted((ROOT / "taper" / "data").glob("*.json"))
              + sorted((ROOT / "regimens" / "data" / "formulary").glob("*.json"))
              + [ROOT / "regimens" / "data" / "confused_names.json"])
MIRRORS = ["https://formweb.com/master/showpage.php?dir=iredell&whichpage=152",
           "http://www.120ty.net/bencandy.php?aid=49415&fid=134&page=14",
           "https://globalrph.com/medcalcs/morphine-milligram-equivalents-calculator",
           "https://docslib.org/doc/12126550/x", "https://ndclist.com/ndc/66993-345/label",
           "https://wikidoc.org./index.php/Rizatriptan", "https://www.droracle.ai/articles/97682/x",
           "https://webarchive.library.unt.edu/eot2008/x", "https://FORMWEB.com/x"]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file_cites_no_mirror(path):
    assert non_primary_addresses(json.loads(path.read_text("utf-8"))) == []


@pytest.mark.parametrize("address", MIRRORS)
def test_mirror_addresses_are_refused(address):
    assert non_primary_addresses({"source": f"Beers 2023, Table 2, {address} ; more"}) == [address]


def test_primary_addresses_pass_and_text_citations_need_no_address():
    row = {"source": "J Am Geriatr Soc 2023;71(7):2052-2081, doi:10.1111/jgs.18372, Table 2; "
                     "https://pmc.ncbi.nlm.nih.gov/articles/PMC12478568 ; https://dailymed.nlm.nih.gov/dailymed/x"}
    assert non_primary_addresses(row) == []
    assert "formweb.com" not in PRIMARY_HOSTS


def test_beers_rows_cite_the_article_and_its_table():
    from interactions.tables import beers_table

    for flag in beers_table()["flags"]:
        assert "doi:10.1111/jgs." in flag["source"] and "Table" in flag["source"], flag["id"]
        assert "formweb" not in json.dumps(flag) and "iredell" not in json.dumps(flag), flag["id"]
