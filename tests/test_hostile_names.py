"""Hostile names through import, every report filter and every export (issue 6, item 5).

Clients, managers and departments named with quotes, ``;``, ``--``, an SQL injection attempt,
right-to-left and zero-width characters, an emoji, and the formula starts of OWASP's CSV injection
(``=cmd|…``, ``@SUM``, ``+1``, ``-1``). Every report runs with each name as its manager / department
filter: no SQL error, the filter keeps only that name's rows, the data is intact. Every export keeps
the text exactly (CSV, JSON) and writes it to xlsx as a string cell, never a formula.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest

from sales_analytics import call_list, export
from sales_analytics.ingest import import_file
from sales_analytics.reports import changes, clients, forecast, plan_fact, sales, segments
from tests.db_state import fingerprint

NAMES = [
    "O'Brien",
    'Say "hi"',
    "a;b",
    "x -- y",
    "'); DROP TABLE sales; --",
    "\u202eRTL override",
    "emoji 😀",
    "zero\u200bwidth",
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "+1",
    "-1",
]
AS_OF = date(2026, 11, 23)
FORMULA_START = ("=", "+", "-", "@")


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A database where every client, manager and department carries a hostile name: two years of
    sales (so some clients are dormant or declining), two forecast snapshots, a plan."""
    from sales_analytics.db import Database

    db = Database(tmp_path_factory.mktemp("hostile") / "sales.duckdb")
    sales_rows = [["Дата", "Клиент", "Менеджер", "Подразделение", "Сумма"]]
    for i, name in enumerate(NAMES):
        manager, department = NAMES[(i + 1) % len(NAMES)], NAMES[(i + 2) % len(NAMES)]
        for month in range(1, 23 - (i % 5) * 2):  # clients stop buying at different months
            year, mon = 2025 + (month - 1) // 12, (month - 1) % 12 + 1
            amount = "1000,00" if month < 15 or i % 2 else "100,00"
            sales_rows.append([f"15.{mon:02d}.{year}", name, manager, department, amount])
    deals = [["№ сделки", "Клиент", "Менеджер", "Подразделение", "Сумма", "Месяц оплаты", "Вероятность"]]
    for i, name in enumerate(NAMES):
        deals.append(
            [f"D{i}", name, NAMES[(i + 1) % len(NAMES)], NAMES[(i + 2) % len(NAMES)], "500", "12.2026", "50"]
        )
    moved = [row[:5] + ["01.2027", "60"] if i % 2 else row for i, row in enumerate(deals)]
    plan = [["Месяц", "Подразделение", "Менеджер", "План"]]
    for i, name in enumerate(NAMES):
        plan.append(["11.2026", NAMES[(i + 2) % len(NAMES)], name, "5000"])
    with db.cursor() as con:
        import_file(con, _csv(sales_rows), "sales.csv", "sales")
        import_file(con, _csv(deals), "forecast_2026-11-09.csv", "deals")
        import_file(con, _csv(moved), "forecast_2026-11-16.csv", "deals")
        import_file(con, _csv(plan), "plan_2026.csv", "plan")
    yield db
    db.close()


def test_names_are_stored_exactly(hostile):
    with hostile.cursor() as con:
        for column in ("client_name", "manager", "department"):
            stored = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM sales").fetchall()}
            assert stored == set(NAMES), column
        assert {r[0] for r in con.execute("SELECT DISTINCT client_name FROM deals").fetchall()} == set(NAMES)
        assert {r[0] for r in con.execute("SELECT DISTINCT manager FROM plan").fetchall()} == set(NAMES)
        assert fingerprint(con)["sales"][0] > 0


def _frames(con, name: str) -> dict[str, pd.DataFrame]:
    """Every report whose parameters take a manager, department or group name, filtered by ``name``."""
    one = (name,)
    frames = {
        "sales_by_manager": sales.sales_report(con, by="manager"),
        "sales_by_client": sales.sales_report(con, by="client"),
        "changes_deals_manager": changes.changes_deals(
            con, date(2026, 11, 9), date(2026, 11, 16), managers=one
        ),
        "changes_deals_department": changes.changes_deals(
            con, date(2026, 11, 9), date(2026, 11, 16), departments=one
        ),
        "triangle": changes.forecast_triangle(con, date(2026, 11, 16), by="manager", group=name),
        "dormant_manager": clients.dormant_clients(con, AS_OF, managers=one),
        "dormant_department": clients.dormant_clients(con, AS_OF, departments=one),
        "declining_manager": clients.declining_clients(con, AS_OF, managers=one),
        "declining_department": clients.declining_clients(con, AS_OF, departments=one),
        "segment_clients": segments.segment_clients(con, date(2026, 10, 1), manager=name),
        "segments_view": segments.segments_view(con, date(2026, 10, 1), manager=name).clients,
        "forecast_deals_manager": forecast.forecast_deals(con, AS_OF, by="manager", group=name),
        "forecast_deals_department": forecast.forecast_deals(con, AS_OF, by="department", group=name),
        "forecast": forecast.forecast_report(con, AS_OF, by="manager"),
        "plan_fact": plan_fact.plan_fact(con, date(2026, 11, 1), by="manager", as_of=AS_OF),
        "daily_manager": plan_fact.daily_progress(con, date(2026, 11, 1), AS_OF, by="manager", group=name),
        "daily_department": plan_fact.daily_progress(
            con, date(2026, 11, 1), AS_OF, by="department", group=name
        ),
        "plan_builder": segments.plan_builder(con, date(2026, 12, 1)),
    }
    return frames


@pytest.mark.parametrize("name", NAMES)
def test_every_report_filter_takes_the_name(hostile, name):
    with hostile.cursor() as con:
        before = fingerprint(con)
        frames = _frames(con, name)
        assert fingerprint(con) == before
    filtered = {
        "changes_deals_manager": "manager",
        "dormant_manager": "manager",
        "declining_manager": "manager",
        "changes_deals_department": "department",
        "dormant_department": "department",
        "declining_department": "department",
        "forecast_deals_manager": "manager",
        "forecast_deals_department": "department",
    }
    for report, column in filtered.items():
        frame = frames[report]
        if column in frame.columns and not frame.empty:
            assert set(frame[column]) == {name}, report
    # the filter found the name's rows where the data holds some
    assert not frames["forecast_deals_manager"].empty
    assert name in set(frames["sales_by_manager"]["group"])
    assert name in set(frames["sales_by_client"]["group"])


def _string_cells(workbook_bytes: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def _assert_no_formulas(workbook_bytes: bytes) -> set[str]:
    texts = set()
    for title, cell in _string_cells(workbook_bytes):
        assert cell.data_type != "f", (title, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            texts.add(cell.value)
            if cell.value.startswith(FORMULA_START):
                assert cell.data_type == "s", (title, cell.coordinate, cell.value)
    return texts


def test_every_export_keeps_the_names_as_text(hostile):
    with hostile.cursor() as con:
        frames = {}
        for name in NAMES:
            frames.update({f"{k}:{name}": v for k, v in _frames(con, name).items()})
        workbook = call_list.call_list_workbook(con, AS_OF)
    seen_xlsx, seen_csv, seen_json = set(), set(), set()
    for key, frame in frames.items():
        if frame.empty:
            continue
        text = export.to_csv(frame)
        seen_csv |= {cell for row in csv.reader(io.StringIO(text)) for cell in row}
        seen_json |= {
            v for record in json.loads(export.to_json(frame)) for v in record.values() if isinstance(v, str)
        }
        seen_xlsx |= _assert_no_formulas(export.to_xlsx(frame, sheet_name=key.split(":")[0], title=key))
    for seen in (seen_csv, seen_json, seen_xlsx):
        assert set(NAMES) <= seen
    call_list_texts = _assert_no_formulas(workbook)
    assert any(name in call_list_texts for name in NAMES)


def test_call_list_filtered_by_each_name(hostile):
    with hostile.cursor() as con:
        for name in NAMES:
            for options in ({"managers": (name,)}, {"departments": (name,)}):
                _assert_no_formulas(call_list.call_list_workbook(con, AS_OF, **options))
