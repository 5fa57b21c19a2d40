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
from datetime import date
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "kowalski.json"


def _first_strength(drug: str) -> str:
    from regimens.formulary import get_formulary

    return _first_product(drug).strength if get_formulary() else ""


def _first_form(drug: str) -> str:
    p = _first_product(drug)
    return p.form.value + {"extended": " ER", "delayed": " DR"}.get(p.release.value, "")


def _first_product(drug: str):  # type: ignore[no-untyped-def]
    from regimens.formulary import get_formulary

    products = get_formulary().get(drug).products
    return next((p for p in products if p.form.value in ("tablet", "capsule")), products[0])


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


POOL = ["oxycodone", "morphine", "tramadol", "methadone", "fentanyl", "hydrocodone/acetaminophen",
        "alprazolam", "lorazepam", "clonazepam", "diazepam", "zolpidem", "gabapentin", "pregabalin",
        "sertraline", "citalopram", "fluoxetine", "duloxetine", "amitriptyline", "ibuprofen", "naproxen",
        "celecoxib", "lisinopril", "losartan", "hydrochlorothiazide", "spironolactone", "furosemide",
        "cyclobenzaprine", "carisoprodol", "diphenhydramine", "acetaminophen", "warfarin", "lithium",
        "sumatriptan", "prednisone", "ondansetron", "tizanidine", "metoprolol", "amlodipine",
        "atorvastatin", "metformin", "omeprazole", "levothyroxine", "trazodone", "quetiapine", "baclofen"]


def panel_csv(path: Path, patients: int, meds: int = 8, seed: int = 1) -> None:
    """A synthetic panel: each patient takes ``meds`` products drawn from a pain-clinic pool."""
    import random

    from regimens.formulary import get_formulary

    rng = random.Random(seed)
    formulary = get_formulary()
    lines: dict[str, list[str]] = {}
    for name in POOL:
        match = formulary.lookup(name)
        if match is None:
            continue
        for p in match.drug.products:
            if p.form.value not in ("tablet", "capsule", "patch"):
                continue
            form = p.form.value + {"extended": " ER", "delayed": " DR"}.get(p.release.value, "")
            if p.form.value == "patch":
                lines.setdefault(name, []).append(f'{name},"{p.strength}",{form},1,every {p.interval_hours} hours,no,')
            else:
                lines.setdefault(name, []).append(f'{name},"{p.strength}",{form},1,morning;bedtime,no,')
                lines[name].append(f'{name},"{p.strength}",{form},1,every 6 hours,yes,4')
    names = sorted(lines)
    with path.open("w") as out:
        out.write("patient_id,age,drug,strength,form,dose,when,prn,max_per_day\n")
        for i in range(patients):
            age = rng.randint(25, 95)
            for name in rng.sample(names, meds):
                out.write(f"P{i:06d},{age},{rng.choice(lines[name])}\n")


def varied_panel_csv(path: Path, patients: int, seed: int = 5) -> int:
    """A panel closer to a real clinic's: each patient takes 8 of every tablet and capsule the formulary
    lists, at varied doses and times, so most lines are distinct. Returns the number of distinct lines."""
    import random

    from regimens.formulary import get_formulary

    rng = random.Random(seed)
    products = [(d.name, p.strength, p.form.value + {"extended": " ER", "delayed": " DR"}.get(p.release.value, ""))
                for d in get_formulary().drugs for p in d.products if p.form.value in ("tablet", "capsule")]
    times = ["morning", "bedtime", "morning;bedtime", "morning;evening", "morning;noon;evening",
             "three times daily", "twice daily", "every 8 hours", "every 12 hours", "once daily"]
    distinct: set[str] = set()
    with path.open("w") as out:
        out.write("patient_id,age,drug,strength,form,dose,when,prn,max_per_day\n")
        for i in range(patients):
            age = rng.randint(25, 95)
            for name, strength, form in rng.sample(products, 8):
                if rng.random() < 0.2:
                    line = (f'{name},"{strength}",{form},{rng.choice(["1", "2"])},every {rng.choice([4, 6, 8])} hours,'
                            f'yes,{rng.choice([2, 3, 4, 6])}')
                else:
                    line = f'{name},"{strength}",{form},{rng.choice(["1", "2", "1", "1"])},{rng.choice(times)},no,'
                distinct.add(line)
                out.write(f"P{i:06d},{age},{line}\n")
    return len(distinct)


def varied_panel(rows: list[tuple[str, float, str]], patients: int) -> None:
    """One paired run on :func:`varied_panel_csv` (no budget: each distinct line is read once, through the
    single import, so this shows what a real clinic's variety costs)."""
    with tempfile.TemporaryDirectory() as tmp:
        panel = Path(tmp) / "varied.csv"
        lines = varied_panel_csv(panel, patients)
        b, _ = peak_run(["-c", f"import pandas; pandas.read_csv({str(panel)!r})"])
        o, o_mib = peak_run(["-m", "tui.cli", "panel", str(panel), "--csv"])
    rows.append((f"taper panel --csv, {patients:,} patients, {lines:,} distinct lines", o * 1000,
                 f"{o / b:.2f}x read_csv ({b * 1000:,.0f} ms), one run, no budget; peak {o_mib:,.0f} MiB"))


def pdf_budget(rows: list[tuple[str, float, str]], runs: int) -> None:
    """12-month calendar plus summary, against ReportLab drawing 12 bare month grids (a line a day)."""
    import io

    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    from interactions.review import review
    from regimens.case import Case, TaperPlan
    from regimens.casefile import load_case
    from taper.adapters import case_schedules, risk_trajectory
    from taper.calendar_view import build_calendar
    from taper.pdf_render import render_calendar, render_summary
    from taper.summary_view import build_summary

    base = load_case(ROOT / "examples" / "kowalski.json")
    plan = TaperPlan(id="p", medication_ids=("m1",), drug="oxycodone", start_dose=30, strategy="fixed",
                     amount=5, interval_days=91, start_date=date(2027, 1, 1))
    case = Case.model_validate({**base.model_dump(), "plans": [plan.model_dump()]})
    schedules = case_schedules(case)

    def ours() -> object:
        view = build_calendar(case, schedules, [], printed=date(2026, 12, 1))
        render_calendar(view, io.BytesIO())
        result = review(case.regimen, 72)
        render_summary(build_summary(case, schedules, result, risk_trajectory(case, schedules, 72),
                                     date(2026, 12, 1)), io.BytesIO())
        return view

    style = getSampleStyleSheet()["Normal"]

    def bare() -> object:
        story = []
        for month in range(12):
            rows = [[Paragraph(f"{month + 1}/{week * 7 + d + 1} one line of text", style) for d in range(7)]
                    for week in range(5)]
            story += [Table(rows), PageBreak()]
        SimpleDocTemplate(io.BytesIO(), pagesize=landscape(letter)).build(story)
        return story

    months = round((schedules[0].stop - schedules[0].first_day).days / 30.4)
    # Interleave the two so both see the same machine load; report the median of the ratios.
    bare_times, our_times, ratios = [], [], []
    for _ in range(max(runs, 7)):
        b = median_ms(bare, 1)
        o = median_ms(ours, 1)
        bare_times.append(b)
        our_times.append(o)
        ratios.append(o / b)
    rows.append(("ReportLab alone: 12 bare month grids", statistics.median(bare_times), "reference"))
    rows.append((f"{months}-month calendar + summary", statistics.median(our_times),
                 f"{statistics.median(ratios):.2f}x, median of paired runs (budget 2x)"))


def time_to_ready(*args: str) -> float:
    """Milliseconds from starting benchmarks/launch.py until it reports the first screen drawn."""
    return time_to_lines(*args)[0]


def time_to_lines(*args: str) -> list[float]:
    """Milliseconds from starting benchmarks/launch.py to each line it reports ("ready", then "loaded")."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "launch.py"), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    times, lines = [], []
    for line in proc.stdout:
        times.append((time.perf_counter() - start) * 1000)
        lines.append(line.strip())
    proc.wait()
    if not lines or lines[0] != "ready":
        raise SystemExit(f"launch.py {' '.join(args)} did not get ready")
    return times


def launch_budget(rows: list[tuple[str, float, str]], runs: int) -> None:
    """Launch to the regimen screen, against a bare Textual app with the same widgets (paired runs)."""
    bare_times, our_times, ratios = [], [], []
    for _ in range(max(runs, 7)):
        b = time_to_ready("bare")
        o = time_to_ready("taper", str(EXAMPLE))
        bare_times.append(b)
        our_times.append(o)
        ratios.append(o / b)
    rows.append(("bare Textual app, same widgets: ready", statistics.median(bare_times), "reference"))
    rows.append(("taper open examples/kowalski.json: ready", statistics.median(our_times),
                 f"{statistics.median(ratios):.2f}x, median of paired runs (budget 1.75x)"))


def peak_run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MiB) of one command in a fresh process: the larger of its own peak (from
    wait4) and the peak, sampled every 20 ms, of its resident memory added to that of the processes it
    started (the panel reads ahead in a second process; shared pages are counted twice)."""
    import os
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL)
    stop = threading.Event()
    sampled = [0]

    def sample() -> None:
        while not stop.wait(0.02):
            sampled[0] = max(sampled[0], _tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode})")
    return time.perf_counter() - start, max(usage.ru_maxrss, sampled[0]) / 1024


def _tree_rss_kib(pid: int) -> int:
    """Resident KiB of a process and all its descendants now (Linux /proc; 0 where it cannot be read)."""
    total, stack = 0, [pid]
    while stack:
        at = stack.pop()
        try:
            with open(f"/proc/{at}/status", encoding="ascii", errors="replace") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{at}/task/{at}/children", encoding="ascii") as children:
                stack += [int(child) for child in children.read().split()]
        except OSError:  # gone meanwhile, or no /proc
            continue
    return total


def panel_budget(rows: list[tuple[str, float, str]], patients: int, runs: int) -> None:
    """`taper panel F --csv` against `pandas.read_csv(F)` on the same synthetic panel, in paired runs:
    the ratio of the two (budget 3x) and each one's peak memory (budget 2 GiB)."""
    with tempfile.TemporaryDirectory() as tmp:
        panel = Path(tmp) / "panel.csv"
        panel_csv(panel, patients)
        ours, theirs, ratios, peaks, base_peaks = [], [], [], [], []
        for _ in range(runs):
            b, b_mib = peak_run(["-c", f"import pandas; pandas.read_csv({str(panel)!r})"])
            o, o_mib = peak_run(["-m", "tui.cli", "panel", str(panel), "--csv"])
            theirs.append(b)
            ours.append(o)
            ratios.append(o / b)
            peaks.append(o_mib)
            base_peaks.append(b_mib)
    label = f"{patients:,} patients x 8 meds"
    rows.append((f"pandas.read_csv of the panel, {label}", statistics.median(theirs) * 1000,
                 f"reference; peak {max(base_peaks):,.0f} MiB"))
    rows.append((f"taper panel --csv, {label}", statistics.median(ours) * 1000,
                 f"{statistics.median(ratios):.2f}x read_csv, median of {runs} paired runs (budget 3x); "
                 f"peak {max(peaks):,.0f} MiB, both processes (budget 2,048)"))


def main() -> None:
    import compileall

    # Like an installed package, run from bytecode (PYTHONDONTWRITEBYTECODE stops Python writing it).
    for package in ("regimens", "interactions", "taper", "tui"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000- and 1,000,000-patient panels")
    parser.add_argument("--panel-only", action="store_true", help="only the panel budgets")
    args = parser.parse_args()
    runs = args.runs

    from regimens import formulary as formulary_module
    from regimens.casefile import load_case, save_case
    from regimens.csv_import import parse_csv_text

    rows: list[tuple[str, float, str]] = []
    if args.panel_only:
        panel_budget(rows, 100_000, max(3, runs // 2))
        panel_budget(rows, 1_000_000, max(1, runs // 3))
        varied_panel(rows, 100_000)
        _print(rows)
        return
    rows.append(("python -c pass (interpreter start)", median_ms(python_bare, runs), "reference"))
    rows.append(("taper --help", median_ms(cli("--help"), runs), ""))
    rows.append(("taper show examples/kowalski.json", median_ms(cli("show", str(EXAMPLE)), runs), ""))
    rows.append(("taper formulary oxy", median_ms(cli("formulary", "oxy"), runs), ""))
    pyd = median_ms(lambda: subprocess.run([sys.executable, "-c", "import pydantic"], check=True), runs)
    rows.append(("python -c 'import pydantic'", pyd, "reference for review"))
    rev = median_ms(cli("review", str(EXAMPLE), "--json"), runs)
    rows.append(("taper review examples/kowalski.json --json", rev, f"{rev / pyd:.2f}x import pydantic (budget 3x)"))

    from interactions.review import review
    from interactions.screen import screen
    from regimens.csv_import import regimen_from_csv_text

    twenty = ["oxycodone", "alprazolam", "gabapentin", "sertraline", "ibuprofen", "lisinopril",
              "hydrochlorothiazide", "cyclobenzaprine", "tramadol", "duloxetine", "zolpidem", "warfarin",
              "amitriptyline", "diphenhydramine", "prednisone", "metoprolol", "lithium", "sumatriptan",
              "tizanidine", "ciprofloxacin"]
    csv_text = "drug,strength,form,dose,when\n" + "".join(
        f"{d},{_first_strength(d)},{_first_form(d)},1,morning\n" for d in twenty)
    meds = regimen_from_csv_text(csv_text)
    screen(meds)  # tables loaded and caches warm
    rows.append(("screen a 20-drug regimen (tables loaded)", median_ms(lambda: screen(meds), 51),
                 "budget 2 ms"))
    rows.append(("full review of it (screen + metrics + flags)",
                 median_ms(lambda: review(meds, 70), 51), ""))

    def load_formulary() -> object:
        formulary_module.get_formulary.cache_clear()
        return formulary_module.get_formulary()

    rows.append(("load formulary (in process)", median_ms(load_formulary, runs), ""))

    from taper.inputs import unit_of
    from taper.outputs import daily_rows
    from taper.rounding import _table, split_dose
    from taper.schedule import PauseIn, PlanInput, build_schedule
    from taper.strategies import StrategySpec

    formulary = formulary_module.get_formulary()
    oxy = [unit_of(p, "oxycodone") for p in formulary.get("oxycodone").products
           if p.form.value == "tablet" and p.release.value == "immediate"]
    two_years = PlanInput("bench", "oxycodone", formulary.classes_of("oxycodone"), "mg", tuple(oxy),
                          ("morning", "evening"), StrategySpec("percent-current", Fraction(60), Fraction(0),
                                                               percent=Fraction(8)),
                          date(2027, 1, 1), 21, (PauseIn(14, start=date(2027, 3, 1)), PauseIn(21, after_step=5),
                                                 PauseIn(10, start=date(2027, 9, 1))))

    def two_year_schedule() -> object:
        _table.cache_clear()
        split_dose.cache_clear()
        schedule = build_schedule(two_years)
        return daily_rows(schedule)

    built = build_schedule(two_years)
    span = (built.stop - built.first_day).days
    rows.append((f"build a {span}-day daily schedule, 3 pauses", median_ms(two_year_schedule, runs),
                 "budget 50 ms (cold rounding caches)"))
    plan_cli = cli("plan", str(ROOT / "examples" / "lists" / "kowalski.csv"), "--drug", "oxycodone",
                   "--strategy", "percent-current", "--percent", "10", "--start", "2026-12-01")
    plan_ms = median_ms(plan_cli, runs)
    rows.append(("taper plan examples/lists/kowalski.csv", plan_ms,
                 f"{plan_ms / pyd:.2f}x import pydantic (budget 1.5x)"))
    pdf_budget(rows, runs)
    launch_budget(rows, runs)
    from builder import keystroke_ms  # benchmarks/builder.py

    ms, span = keystroke_ms(max(runs, 21))
    rows.append((f"builder: keystroke to redrawn {span}-day schedule", ms, "budget 50 ms (median)"))
    text = big_csv(5000)
    rows.append(("parse 5,000-row CSV (in process)", median_ms(lambda: parse_csv_text(text), 3), ""))
    case = load_case(EXAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "case.json"
        rows.append(("save case atomically (fsync)", median_ms(lambda: save_case(case, target), runs), ""))
        rows.append(("load case", median_ms(lambda: load_case(target), runs), ""))

    if not args.quick:
        panel_budget(rows, 100_000, max(3, runs // 2))
        panel_budget(rows, 1_000_000, max(1, runs // 3))
        varied_panel(rows, 100_000)

    _print(rows)


def _print(rows: list[tuple[str, float, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}  {'median ms':>10}  note")
    print(f"{'-' * width}  {'-' * 10}  ----")
    for name, ms, note in rows:
        print(f"{name.ljust(width)}  {ms:10.1f}  {note}")


if __name__ == "__main__":
    main()
