"""The formatted workbook the pages download, opened with openpyxl; and the chart PNG."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from app_pages.downloads import excel_frame
from sales_analytics import export
from sales_analytics.charts_export import figure_png

ROWS = pd.DataFrame(
    {
        "client": ['=HYPERLINK("http://x","y")', "+79001234567", "-minus", "@at", "ООО «Ромашка»", "TOTAL"],
        "month": [date(2026, 11, 1)] * 6,
        "first_seen": [date(2026, 11, 2), None, date(2026, 10, 30), date(2026, 9, 1), date(2026, 8, 3), None],
        "value": [
            Decimal("1234567.89"),
            Decimal("-10.50"),
            None,
            Decimal("0.01"),
            Decimal("99"),
            Decimal("1234657.39"),
        ],
        "attainment": [Decimal("0.125"), None, Decimal("1"), Decimal("0.5"), Decimal("2"), Decimal("0.9")],
        "deals": [3, 1, 0, 2, 5, 11],
    }
)
COLUMNS = {"client": "text", "month": "month", "first_seen": "day", "value": "money",
           "attainment": "percent", "deals": "int"}  # fmt: skip


def workbook(lang: str) -> openpyxl.Workbook:
    table = excel_frame(ROWS, COLUMNS, lang, prefix="forecast")
    names = dict(zip(COLUMNS, table.columns, strict=True))
    data = export.table_workbook(
        table,
        "Клиенты: Уснувшие" if lang == "ru" else "Clients: Dormant",
        [("Менеджеры" if lang == "ru" else "Managers", "Смирнов Алексей"), ("Дата", "21.11.2026")],
        lang,
        money_columns=[names["value"]],
        percent_columns=[names["attainment"]],
        day_columns=[names["first_seen"]],
        month_columns=[names["month"]],
        notes=["Данные: продажи по 21.11.2026"],
        total_label="Итого" if lang == "ru" else "Total",
        sheet_name="Уснувшие/клиенты",
    )
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def sheet():
    return workbook("ru").active


def header_row(sheet) -> int:
    return next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Клиент")


def test_title_filters_and_dates_stand_above_the_table(sheet):
    assert sheet.title == "Уснувшие клиенты"  # "/" is not allowed in a sheet name
    assert sheet["A1"].value == "Клиенты: Уснувшие"
    assert sheet["A1"].font.b
    assert sheet["A2"].value == "Менеджеры: Смирнов Алексей; Дата: 21.11.2026"
    assert sheet["A3"].value == "Данные: продажи по 21.11.2026"
    assert header_row(sheet) == 5


def test_the_header_row_is_frozen_and_in_the_readers_language(sheet):
    row = header_row(sheet)
    assert sheet.freeze_panes == f"A{row + 1}"
    headers = [c.value for c in sheet[row]]
    assert headers[:2] == ["Клиент", "Месяц"] and len(headers) == 6
    english = workbook("en").active
    english_headers = [c.value for c in english[header_row_en(english)]]
    assert english_headers[0] == "Client"
    assert set(headers).isdisjoint(english_headers)


def header_row_en(sheet) -> int:
    return next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Client")


def test_money_keeps_its_kopecks_and_shows_whole_roubles(sheet):
    row = header_row(sheet) + 1
    money = sheet.cell(row, 4)
    assert money.value == pytest.approx(1234567.89)
    assert money.number_format == export.MONEY_FORMAT == '#,##0 "₽"'
    assert sheet.cell(row + 1, 4).value == pytest.approx(-10.5)
    assert sheet.cell(row + 2, 4).value is None  # no amount stays empty, not zero


def test_percent_days_and_months(sheet):
    row = header_row(sheet) + 1
    share = sheet.cell(row, 5)
    assert share.value == pytest.approx(0.125) and share.number_format == "0.0%"
    month = sheet.cell(row, 2)
    assert month.value == datetime(2026, 11, 1) and month.number_format == "[$-419]mmmm yyyy"
    day = sheet.cell(row, 3)
    assert day.value == datetime(2026, 11, 2) and day.number_format == "[$-419]dd.mm.yyyy"
    assert sheet.cell(row, 6).value == 3
    english = workbook("en").active
    assert english.cell(header_row_en(english) + 1, 2).number_format == "[$-809]mmmm yyyy"


def test_text_that_looks_like_a_formula_stays_text(sheet):
    row = header_row(sheet) + 1
    for offset, text in enumerate(ROWS["client"][:4]):
        cell = sheet.cell(row + offset, 1)
        assert cell.value == text
        assert cell.data_type == "s", text


def test_the_total_row_is_named_and_bold(sheet):
    last = header_row(sheet) + len(ROWS)
    assert sheet.cell(last, 1).value == "Итого"
    assert sheet.cell(last, 1).font.b and sheet.cell(last, 4).font.b
    assert sheet.cell(last, 4).number_format == export.MONEY_FORMAT


def test_a_chart_downloads_as_a_png():
    figure = go.Figure(go.Bar(x=["ноябрь 2026", "декабрь 2026"], y=[1, 2]))
    data = figure_png(figure, "Прогноз: по месяцам", width=600, height=300)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (600, 300)
