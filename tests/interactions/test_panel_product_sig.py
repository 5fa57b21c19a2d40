"""A panel CSV may give product names and sigs, like a single patient's list."""

from __future__ import annotations

from datetime import date

from interactions.panel import panel_records, review_panel


def test_panel_with_product_and_sig_columns(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(
        "patient_id,age,product,sig\n"
        "p1,80,oxycodone hydrochloride 5 MG Oral Tablet,1 tab po q6h prn pain\n"
        "p1,80,alprazolam 0.5 MG Oral Tablet,1 tab po bid\n"
        "p2,70,lisinopril 10 MG Oral Tablet,as directed\n"
        "p2,70,lisinopril 10 MG Oral Tablet,2 puffs daily\n")
    result = review_panel(str(path), today=date(2026, 11, 26))
    assert [(e.row, e.column) for e in result.skipped] == [(4, "sig")]
    records = {r["patient_id"]: r for r in panel_records(result)}
    assert set(records) == {"p1", "p2"}
    assert records["p1"]["major"] + records["p1"]["contraindicated"] >= 1  # an opioid with a benzodiazepine


def test_an_empty_product_cell_is_reported_as_the_single_import_reports_it(tmp_path):
    """Only the file's own columns are read: a file of products and sigs never gets empty drug columns."""
    from regimens.csv_import import parse_csv_text

    path = tmp_path / "panel.csv"
    path.write_text("patient_id,age,product,sig\np1,70,,1 tab po bid\np2,70,oxycodone 5 mg tablet,1 tab po bid\n")
    result = review_panel(str(path), today=date(2026, 11, 26))
    single = parse_csv_text("product,sig\n,1 tab po bid\n")
    assert [(e.row, e.column, e.message) for e in result.skipped] == [
        (1, e.column, e.message) for e in single.errors] == [(1, "product", "the product name is empty")]
