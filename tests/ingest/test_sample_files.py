"""Every sample file imports with the figures its generator counted by hand (tests/data/expected.json)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from sales_analytics.ingest import import_file, preview_file
from tests.conftest import DATA

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
SAMPLES = sorted(name for name in EXPECTED if (DATA / name).exists())


def test_every_sample_file_has_expectations():
    files = {p.name for p in DATA.iterdir() if p.suffix != ".json"}
    assert files and files <= set(EXPECTED)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_imports_with_hand_counted_totals(con, name):
    expected = EXPECTED[name]
    result = import_file(con, (DATA / name).read_bytes(), name)
    assert result.kind == expected["kind"]
    assert (
        result.rows == expected.get("rows")
        if expected["kind"] != "plan"
        else result.rows == expected["month_values"]
    )
    total = expected.get("amount_total") or expected.get("total")
    assert result.amount_total == Decimal(total)
    if "margin_total" in expected:
        assert result.margin_total == Decimal(expected["margin_total"])


@pytest.mark.parametrize("name", [n for n in SAMPLES if EXPECTED[n]["kind"] == "sales"])
def test_sales_by_manager_and_department_exclude_subtotals(con, name):
    expected = EXPECTED[name]
    import_file(con, (DATA / name).read_bytes(), name)
    by_manager = dict(con.execute("SELECT manager, sum(amount) FROM current_sales GROUP BY ALL").fetchall())
    assert by_manager == {m: Decimal(v["amount"]) for m, v in expected["managers"].items()}
    by_department = dict(
        con.execute("SELECT department, sum(amount) FROM current_sales GROUP BY ALL").fetchall()
    )
    assert by_department == {d: Decimal(v["amount"]) for d, v in expected["departments"].items()}
    clients = con.execute("SELECT count(DISTINCT client_key) FROM current_sales").fetchone()[0]
    assert clients == expected["clients"]
    returns = con.execute("SELECT count(*) FROM current_sales WHERE amount < 0").fetchone()[0]
    assert returns == expected["returns"]


def test_grouped_1c_export_takes_managers_from_headings(con):
    name = "sales_1c_grouped.xlsx"
    result = import_file(con, (DATA / name).read_bytes(), name)
    assert result.warnings["subtotal_rows"] >= 1
    assert con.execute("SELECT count(*) FROM current_sales WHERE manager IS NULL").fetchone()[0] == 0
    assert (
        con.execute("SELECT count(*) FROM current_sales WHERE client_name ILIKE 'итого%'").fetchone()[0] == 0
    )


def test_forecast_workbook_sheet_per_manager(con):
    name = "forecast_by_manager_2026-11-16.xlsx"
    expected = EXPECTED[name]
    result = import_file(con, (DATA / name).read_bytes(), name)
    assert result.snapshot_date == date.fromisoformat(expected["as_of"])
    assert result.sheets == expected["sheets"]
    assert result.warnings["probability_missing"] == expected["missing_probability"]
    assert result.warnings["status_unknown"] == expected["unknown_status"]
    statuses = dict(con.execute("SELECT status, count(*) FROM current_deals GROUP BY ALL").fetchall())
    assert statuses == {
        "open": expected["open"] + expected["unknown_status"],
        "won": expected["won"],
        "lost": expected["lost"],
    }
    weighted = dict(
        con.execute(
            "SELECT manager, sum(amount * probability) FROM current_deals "
            "WHERE status = 'open' AND NOT (status_text IS NOT NULL AND status_text NOT ILIKE 'в работе%') GROUP BY ALL"
        ).fetchall()
    )
    assert {m: Decimal(v).quantize(Decimal("0.01")) for m, v in weighted.items()} == {
        m: Decimal(v["open_weighted"]) for m, v in expected["managers"].items()
    }
    overdue = con.execute(
        "SELECT count(*) FROM current_deals WHERE status = 'open' AND expected_month < date_trunc('month', snapshot_date)"
    ).fetchone()[0]
    assert overdue == expected["overdue"]


def test_wide_plan_ignores_total_rows_and_columns(con):
    name = "plan_wide_2026.xlsx"
    expected = EXPECTED[name]
    import_file(con, (DATA / name).read_bytes(), name)
    months = dict(
        con.execute(
            "SELECT strftime(month, '%Y-%m'), sum(plan_amount) FROM current_plan GROUP BY ALL"
        ).fetchall()
    )
    assert months == {m: Decimal(v) for m, v in expected["months"].items()}
    managers = dict(con.execute("SELECT manager, sum(plan_amount) FROM current_plan GROUP BY ALL").fetchall())
    assert managers == {m: Decimal(v) for m, v in expected["managers"].items()}
    departments = dict(
        con.execute("SELECT department, sum(plan_amount) FROM current_plan GROUP BY ALL").fetchall()
    )
    assert departments == {d: Decimal(v) for d, v in expected["departments"].items()}


@pytest.mark.parametrize("name", SAMPLES)
def test_preview_finds_the_header_and_kind(name):
    expected = EXPECTED[name]
    preview = preview_file((DATA / name).read_bytes(), name)
    assert preview.problems == []
    assert preview.kind == expected["kind"]
    if "header_row" in expected:
        assert preview.sheets[0].header_row == expected["header_row"]


@pytest.mark.parametrize("name", SAMPLES)
def test_same_file_twice_is_refused(con, name):
    from sales_analytics.ingest import InputError

    import_file(con, (DATA / name).read_bytes(), name)
    before = con.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    with pytest.raises(InputError) as refused:
        import_file(con, (DATA / name).read_bytes(), "renamed-" + name)
    assert refused.value.problems[0].code == "duplicate_file"
    assert con.execute("SELECT count(*) FROM import_batches").fetchone()[0] == before
