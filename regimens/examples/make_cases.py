"""Rebuild the bundled example cases from the medication lists in ``lists/`` beside this file.

They ship inside the package (``regimens/examples``, also reachable as ``examples/`` at the top of the
repository) so ``taper demo`` works from an installed wheel. Run ``.venv/bin/python examples/make_cases.py``
after changing a list; a test checks that every case's regimen still equals its list, so the two never
drift apart.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from regimens.case import Case, FlarePlan, Override, Patient, Pause, SupportUse, TaperPlan
from regimens.casefile import save_case
from regimens.checkin import CheckIn
from regimens.csv_import import regimen_from_csv

HERE = Path(__file__).resolve().parent

PATIENTS = {
    "kowalski": dict(
        patient=Patient(
            id="EX-1001", name="Walter Kowalski", birth_date=date(1954, 3, 12),
            prescriber_name="Dr. Amara Lindqvist (Riverside Pain Clinic)",
            prescriber_phone="(555) 201-4410", pharmacy_name="Main Street Pharmacy",
            pharmacy_phone="(555) 201-7788",
            goals=("To get through a morning in the workshop without the fog.",
                   "Stop falling asleep in my chair after supper."),
        ),
        notes="Retired carpenter, lumbar spinal stenosis. Two falls this year. Lives with wife.",
        plans=(TaperPlan(
            id="oxycodone-plan", medication_ids=("m1",), drug="oxycodone", start_dose=Decimal(30),
            start_date=date(2026, 12, 1), interval_days=42, strategy="percent-current", percent=Decimal(9),
            pauses=(Pause(start=date(2027, 2, 1), days=14, reason="family visit", show_reason=True),
                    # accepted from the check-in of 10 Dec 2026 (withdrawal and pain up after step 1)
                    Pause(start=date(2026, 12, 10), days=14, reason="hold after the check-in of Thu 10 Dec 2026")),
            # The last two cuts (7.5 to 5 mg, 5 to 2.5 mg) are larger than 25% because the smallest oxycodone
            # tablet dose is 2.5 mg (half a 5 mg tablet); the pharmacist's reason is printed with them.
            overrides=tuple(Override(step=step, rule="OPI-25PCT-STEP", by="R. Osei, PharmD",
                                     recorded_on=date(2026, 11, 30),
                                     reason="smallest tablet dose is 2.5 mg; patient declined an oral liquid, "
                                            "each step held 6 weeks or more")
                            for step in (8, 9)),
            supports=(SupportUse(support="graded-walking", start=date(2026, 12, 1), weeks=12, baseline=Decimal(10)),),
            revision=1,
        ),),
        checkins=(
            CheckIn(on=date(2026, 11, 24), recorded_by="R. Osei, PharmD", pain=6, enjoyment=6, activity=7, sleep=4,
                    goal=3, walk_minutes=10, withdrawal=Decimal(1), phq2=1, gad2=1, self_harm=False,
                    note="Baseline before step 1."),
            CheckIn(on=date(2026, 12, 10), recorded_by="R. Osei, PharmD", plan_id="oxycodone-plan", pain=7,
                    enjoyment=7, activity=8, sleep=3, goal=2, walk_minutes=5, withdrawal=Decimal(4), phq2=2, gad2=2,
                    self_harm=False, note="Restless legs at night, yawning; skipped the walks.", accepted="hold"),
            CheckIn(on=date(2026, 12, 22), recorded_by="R. Osei, PharmD", pain=6, enjoyment=5, activity=6, sleep=5,
                    goal=4, walk_minutes=12, withdrawal=Decimal(2), phq2=1, gad2=1, self_harm=False,
                    note="Settled during the hold; walking again."),
        ),
    ),
    "okafor": dict(
        patient=Patient(
            id="EX-1002", name="Grace Okafor", birth_date=date(1982, 5, 20),
            prescriber_name="Dr. Samuel Brooks", prescriber_phone="(555) 330-1200",
            pharmacy_name="Lakeside Pharmacy", pharmacy_phone="(555) 330-9911",
            goals=("Sleep without a pill by the summer holidays.",),
        ),
        notes="Teacher with fibromyalgia. Zolpidem nightly for four years.",
    ),
    "bell": dict(
        patient=Patient(
            id="EX-1003", name="Marcus Bell", birth_date=date(1988, 1, 9),
            prescriber_name="Dr. Priya Raman", prescriber_phone="(555) 448-2020",
            pharmacy_name="Corner Drug", pharmacy_phone="(555) 448-6060",
            goals=("Drive my route again without arm pain or drowsiness.",),
        ),
        notes="Delivery driver, C6 cervical radiculopathy. Prednisone burst started 20 Nov 2026.",
    ),
    "marsh": dict(
        patient=Patient(
            id="EX-1004", name="Eleanor Marsh", birth_date=date(1947, 8, 2),
            prescriber_name="Dr. Helen Fairweather", prescriber_phone="(555) 612-3000",
            pharmacy_name="Village Chemist", pharmacy_phone="(555) 612-4545",
            goals=("Be clear-headed for my book club.", "Not fall again."),
        ),
        notes="79 years old, knee osteoarthritis, lives alone. Daughter helps with pill boxes.",
    ),
    "nunez": dict(
        patient=Patient(
            id="EX-1005", name="José Ñúñez", birth_date=date(1965, 10, 30),
            prescriber_name="Dr. Zoë Castellanos", prescriber_phone="(555) 700-1100",
            pharmacy_name="Farmacia & Drugstore \"La Esquina\"", pharmacy_phone="(555) 700-2200",
            goals=("Fewer pills, same comfort.",),
        ),
        notes="Cancer survivor with post-treatment neuropathic pain; patch and liquid user.",
        flare_plan=FlarePlan(
            day1="Use heat and the breathing exercise; take the breakthrough dose only as written.",
            day2="If still bad, stay on the current dose and call the pharmacy.",
            day3="Call the clinic before changing anything.",
            call_if="Very sleepy, confused, or breathing slowly: call 911.",
        ),
    ),
    "hughes": dict(
        patient=Patient(
            id="EX-1006", name="Margaret Hughes", birth_date=date(1942, 4, 17),
            prescriber_name="Dr. Nadia Okonkwo (Elm Street Family Practice)", prescriber_phone="(555) 804-2100",
            pharmacy_name="Elm Street Pharmacy", pharmacy_phone="(555) 804-3300",
            goals=("Remember my grandchildren's visits.", "Get up at night without falling."),
        ),
        notes="84 years old, type 2 diabetes, mild cognitive impairment, one fall in the bathroom at night. "
              "Ten medicines, one of them a supplement her daughter buys online.",
        plans=(TaperPlan(
            id="lorazepam-plan", medication_ids=("m8",), drug="lorazepam", start_dose=Decimal("0.5"),
            start_date=date(2026, 12, 7), interval_days=28, strategy="percent-current", percent=Decimal(25),
            supports=(SupportUse(support="sleep-routine", start=date(2026, 12, 7), weeks=8),),
        ),),
    ),
}


def build(name: str) -> Case:
    regimen = regimen_from_csv(HERE / "lists" / f"{name}.csv")
    return Case(regimen=regimen, **PATIENTS[name])


def main() -> None:
    for name in PATIENTS:
        save_case(build(name), HERE / f"{name}.json")
        backup = HERE / f"{name}.json.bak"
        backup.unlink(missing_ok=True)
        print(f"wrote examples/{name}.json")


if __name__ == "__main__":
    main()
