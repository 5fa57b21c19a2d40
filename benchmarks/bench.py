"""Timings that the issues budget, printed as a table.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench.py``). Each row is the median of
several runs; command-line rows start a fresh interpreter each time, as a user would.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "kowalski.json"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def cli(*args: str) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, check=True,
                              capture_output=True)
    return run


def python_bare() -> object:
    return subprocess.run([sys.executable, "-c", "pass"], check=True)


def big_csv(rows: int) -> str:
    lines = ["patient_id,drug,strength,form,dose,when,prn,max_per_day"]
    meds = ["oxycodone,5 mg,tablet,1,morning;evening,no,", "Norco,10 mg/325 mg,tablet,1,every 6 hours,yes,4",
            "gabapentin,300 mg,capsule,2,morning;noon;bedtime,no,", "Xanax,0.5 mg,tablet,1,bedtime,no,",
            "morphine,10 mg/5 mL,solution,2.5 mL,every 4 hours,yes,15 mL"]
    for i in range(rows):
        lines.append(f"p{i // 5},{meds[i % 5]}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = args.runs

    from regimens import formulary as formulary_module
    from regimens.casefile import load_case, save_case
    from regimens.csv_import import parse_csv_text

    rows: list[tuple[str, float, str]] = []
    rows.append(("python -c pass (interpreter start)", median_ms(python_bare, runs), "reference"))
    rows.append(("taper --help", median_ms(cli("--help"), runs), ""))
    rows.append(("taper show examples/kowalski.json", median_ms(cli("show", str(EXAMPLE)), runs), ""))
    rows.append(("taper formulary oxy", median_ms(cli("formulary", "oxy"), runs), ""))

    def load_formulary() -> object:
        formulary_module.get_formulary.cache_clear()
        return formulary_module.get_formulary()

    rows.append(("load formulary (in process)", median_ms(load_formulary, runs), ""))
    text = big_csv(5000)
    rows.append(("parse 5,000-row CSV (in process)", median_ms(lambda: parse_csv_text(text), 3), ""))
    case = load_case(EXAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "case.json"
        rows.append(("save case atomically (fsync)", median_ms(lambda: save_case(case, target), runs), ""))
        rows.append(("load case", median_ms(lambda: load_case(target), runs), ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}  {'median ms':>10}  note")
    print(f"{'-' * width}  {'-' * 10}  ----")
    for name, ms, note in rows:
        print(f"{name.ljust(width)}  {ms:10.1f}  {note}")


if __name__ == "__main__":
    main()
