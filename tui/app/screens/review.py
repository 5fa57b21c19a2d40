"""The review screen: findings by severity (words, not only colour), metrics, flags and details."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from interactions.review import Review, review
from regimens.case import Case
from regimens.quantity import format_number

SEVERITY_STYLE = {"contraindicated": "bold white on red", "major": "bold red", "moderate": "bold yellow",
                  "minor": "dim"}


def metrics_text(r: Review) -> str:
    m = r.metrics
    lines = [
        f"MME {format_number(m.mme_per_day, 1)} a day scheduled"
        + (f", up to {format_number(m.mme_max_per_day, 1)} with as-needed doses" if m.mme_prn_max_per_day else "")
        + f" ({m.mme_factor_set})",
        f"Diazepam equivalents {format_number(m.diazepam_equivalent_mg_per_day, 2)} mg a day ({m.benzo_table})",
        f"ACB {m.acb_score} ({m.acb_scale})   CNS depressants {m.cns_depressant_count}",
        f"Acetaminophen {format_number(m.acetaminophen_mg_per_day + m.acetaminophen_prn_max_mg_per_day)} mg a day "
        "at most",
    ]
    return "\n".join(lines)


class ReviewScreen(Screen[None]):
    """What in this list is dangerous together, how much opioid, how sedating and anticholinergic."""

    BINDINGS = [Binding("escape,b", "app.pop_screen", "Back", id="back")]

    def __init__(self, case: Case, today: date | None = None) -> None:
        super().__init__()
        self.case = case
        self.today = today or date.today()
        self.result = review(case.regimen, case.patient.age_on(self.today))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(metrics_text(self.result), id="metrics", markup=False)
        with Horizontal(id="review-body"):
            yield DataTable(id="findings", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="detail", markup=False)
        unseen = [f"[NOT SCREENED] {n.text()}" for n in self.result.not_screened]
        flags = "\n".join(unseen + [f"[{g.kind.upper()}] {g.id}: {g.message}" for g in self.result.flags])
        yield Static(flags or "No flags.", id="flags", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#findings", DataTable)
        table.add_columns("Severity", "Rule", "Drugs")
        for i, f in enumerate(self.result.findings):
            names = " + ".join(f"{d} (as needed)" if d in f.prn_drugs else d for d in f.drugs)
            table.add_row(Text(f.severity.upper(), style=SEVERITY_STYLE[f.severity]), f.rule_id, names, key=str(i))
        if not self.result.findings:
            self.query_one("#detail", Static).update("No interactions found in the curated table. The absence "
                                                     "of a rule is not evidence that a combination is safe.")
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        f = self.result.findings[int(event.row_key.value)]
        also = "".join(f"\nAlso {a.rule_id} ({a.severity}): {a.effect}" for a in f.also)
        tag = " (UNCONFIRMED rule)" if f.unconfirmed else ""
        tag += " (raised for age 65+)" if f.escalated_for_age else ""
        self.query_one("#detail", Static).update(
            f"{f.rule_id} · {f.severity.upper()}{tag}\n\nEffect: {f.effect}\n\nWhat to do: {f.management}"
            f"{also}\n\nSource: {f.source}")
