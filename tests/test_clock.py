"""Only the terminal layer reads the clock: domain code takes "today" as a parameter (DESIGN.md).

That keeps schedules, PDFs and snapshots reproducible. A plain text search, so it holds whatever
the modules import: any call that reads today's date or the current time of day fails it.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

DOMAIN = ["regimens", "interactions", "taper"]
CLOCK = re.compile(r"\b(?:date\.today|datetime\.(?:now|today|utcnow))\s*\(")


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_code_never_reads_the_clock(package):
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / package).rglob("*.py"))
             for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if CLOCK.search(line)]
    assert not found, "read today in tui/ and pass it down:\n" + "\n".join(found)


def test_the_search_finds_a_clock_read():
    assert CLOCK.search("start = today or date.today()") and CLOCK.search("datetime.now(UTC)")
    assert not CLOCK.search("def today_or(day: date) -> date:")
