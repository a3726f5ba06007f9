"""The shapes real files take (SPEC.md "Inputs"), each written by a real writer and imported."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from sales_analytics.ingest import import_file, preview_file


def xlsx(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls(rows: list[list]) -> bytes:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Продажи")
    day = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(r, c, datetime(value.year, value.month, value.day), day)
            elif value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods(rows: list[list]) -> bytes:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Продажи")
    for row in rows:
        line = TableRow()
        for value in row:
            if value is None:
                cell = TableCell()
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


ROWS = [
    ["Отчёт по продажам", None, None],
    [None, None, None],
    ["Дата", "Клиент", "Сумма"],
    [date(2026, 11, 16), "ООО «Ромашка»", 1000.5],
    ["17.11.2026", "Ромашка ООО", "2 000,25"],
    ["Итого", None, 3000.75],
]


@pytest.mark.parametrize(
    ("writer", "name"), [(xlsx, "s.xlsx"), (xlsx, "s.xlsm"), (xls, "s.xls"), (ods, "s.ods")]
)
def test_every_spreadsheet_format(con, writer, name):
    data = writer({"Продажи": ROWS}) if writer is xlsx else writer(ROWS)
    result = import_file(con, data, name)
    assert (result.rows, result.amount_total) == (2, Decimal("3000.75"))
    assert con.execute("SELECT count(DISTINCT client_key), min(sale_date) FROM current_sales").fetchone() == (
        1,
        date(2026, 11, 16),
    )


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("utf-16", "\t"), ("cp1251", "\t")],
)
def test_csv_encodings_and_separators(con, encoding, separator):
    text = (
        separator.join(["Дата", "Клиент", "Сумма"])
        + "\n"
        + separator.join(["16.11.2026", "Ёлка", '"12 345,67"' if separator == "," else "12 345,67"])
        + "\n"
    )
    result = import_file(con, text.encode(encoding), "s.csv")
    assert result.amount_total == Decimal("12345.67")
    assert con.execute("SELECT client_name FROM current_sales").fetchone()[0] == "Ёлка"


def test_english_headers_with_units_in_any_case(con):
    data = "INVOICE DATE,Customer,Sales Rep,Team,Amount (RUB),Gross Profit\n2026-11-16,Acme LLC,Ann,East,100.5,20\n"
    result = import_file(con, data.encode(), "en.csv")
    row = con.execute("SELECT client_key, manager, department, amount, margin FROM current_sales").fetchone()
    assert row == ("acme", "Ann", "East", Decimal("100.50"), Decimal("20.00"))
    assert result.kind == "sales"


def test_header_spread_over_two_rows(con):
    data = xlsx(
        {
            "Лист1": [
                ["Продажи", None, None, None],
                ["Дата", "Клиент", "Сумма", "Валовая"],
                [None, None, "руб.", "прибыль"],
                [date(2026, 11, 16), "Лютик", 100, 30],
            ]
        }
    )
    preview = preview_file(data, "two.xlsx")
    assert preview.sheets[0].header_row == 3 and preview.sheets[0].header_rows == 2
    import_file(con, data, "two.xlsx")
    assert con.execute("SELECT amount, margin FROM current_sales").fetchone() == (
        Decimal("100.00"),
        Decimal("30.00"),
    )


def test_amount_is_price_times_quantity_when_there_is_no_amount(con):
    data = "Дата;Клиент;Цена;Количество\n16.11.2026;Лютик;12,50;3\n".encode()
    result = import_file(con, data, "pq.csv")
    assert result.amount_total == Decimal("37.50")
    assert result.warnings["amount_from_price"] == 1


def test_two_heading_levels_fill_department_and_manager(con):
    data = xlsx(
        {
            "TDSheet": [
                ["Дата", "Клиент", "Сумма"],
                ["Оптовый отдел", None, None],
                ["Иванов", None, None],
                [date(2026, 11, 16), "А", 10],
                ["Итого Иванов", None, 10],
                ["Петрова", None, None],
                [date(2026, 11, 16), "Б", 20],
                ["Итого Оптовый отдел", None, 30],
                ["Розничный отдел", None, None],
                ["Сидоров", None, None],
                [date(2026, 11, 17), "В", 5],
                ["Итого", None, 35],
            ]
        }
    )
    import_file(con, data, "nested.xlsx")
    rows = con.execute(
        "SELECT client_name, department, manager FROM current_sales ORDER BY client_name"
    ).fetchall()
    assert rows == [
        ("А", "Оптовый отдел", "Иванов"),
        ("Б", "Оптовый отдел", "Петрова"),
        ("В", "Розничный отдел", "Сидоров"),
    ]


def test_heading_fills_department_when_the_file_has_managers(con):
    data = "Дата;Клиент;Менеджер;Сумма\nРозница\n16.11.2026;А;Иванов;10\n".encode()
    import_file(con, data, "h.csv")
    assert con.execute("SELECT department, manager FROM current_sales").fetchone() == ("Розница", "Иванов")


def test_hidden_and_headerless_sheets_are_skipped_and_reported(con):
    good = [["Дата", "Клиент", "Сумма"], [date(2026, 11, 16), "А", 10]]
    data = xlsx(
        {"Продажи": good, "Справка": [["Эта книга выгружена из 1С"]], "Старое": good}, hidden=("Старое",)
    )
    result = import_file(con, data, "book.xlsx")
    assert result.sheets == ["Продажи"]
    assert result.warnings["sheet_hidden"] == 1 and result.warnings["sheet_no_header"] == 1
    assert result.amount_total == Decimal("10.00")


def test_notes_below_the_table_are_not_data(con):
    data = xlsx(
        {
            "Лист1": [
                ["Дата", "Клиент", "Сумма"],
                [date(2026, 11, 16), "А", 10],
                [None, None, None],
                ["Исполнитель:", "Петров П.П.", None],
                ["Отчёт сформирован 21.11.2026 10:15"],
            ]
        }
    )
    result = import_file(con, data, "notes.xlsx")
    assert result.rows == 1 and result.amount_total == Decimal("10.00")


def test_sheet_per_manager_fills_the_manager_and_a_generic_sheet_name_does_not(con):
    rows = [["Клиент", "Сумма", "Месяц оплаты", "Вероятность"], ["А", 100, "декабрь 2026", 0.5]]
    data = xlsx({"Иванов Иван": rows, "Лист2": rows})
    import_file(con, data, "forecast_2026-11-16.xlsx")
    managers = sorted(r[0] or "" for r in con.execute("SELECT manager FROM current_deals").fetchall())
    assert managers == ["", "Иванов Иван"]


def test_long_plan_by_department(con):
    data = (
        "Отдел;Месяц;План\nОпт;2026-12;1 000 000\nОпт;январь 2027;900 000\nРозница;12.2026;500 000\n".encode()
    )
    result = import_file(con, data, "plan.csv")
    assert result.kind == "plan" and result.amount_total == Decimal("2400000.00")
    months = con.execute("SELECT department, month FROM current_plan ORDER BY department, month").fetchall()
    assert months == [("Опт", date(2026, 12, 1)), ("Опт", date(2027, 1, 1)), ("Розница", date(2026, 12, 1))]


def test_wide_plan_with_year_in_the_labels_and_a_total_column(con):
    data = xlsx(
        {
            "План": [
                ["Отдел", "янв.27", "фев.27", "мар.27", "Итого"],
                ["Опт", 100, 200, None, 300],
                ["Итого", 100, 200, None, 300],
            ]
        }
    )
    result = import_file(con, data, "plan.xlsx")
    assert result.rows == 2 and result.amount_total == Decimal("300.00")
    assert result.period_from == date(2027, 1, 1)


def test_deal_statuses_probabilities_and_months(con):
    data = xlsx(
        {
            "Петрова": [
                ["№ сделки", "Клиент", "Сумма", "Месяц оплаты", "Вероятность", "Статус"],
                ["D-1", "А", 100, "декабрь 2026", "70%", "в работе"],
                ["D-2", "Б", 100, datetime(2027, 1, 15), 0.7, "выиграна"],
                ["D-3", "В", 100, "2027-02", 70, "отказ"],
                ["D-4", "Г", 100, None, None, "на паузе"],
            ]
        }
    )
    result = import_file(con, data, "deals.xlsx", as_of=date(2026, 11, 16))
    rows = con.execute(
        "SELECT deal_id, expected_month, probability, status, probability_missing FROM current_deals ORDER BY deal_id"
    ).fetchall()
    assert rows == [
        ("D-1", date(2026, 12, 1), Decimal("0.7000"), "open", False),
        ("D-2", date(2027, 1, 1), Decimal("0.7000"), "won", False),
        ("D-3", date(2027, 2, 1), Decimal("0.7000"), "lost", False),
        ("D-4", None, Decimal("1.0000"), "open", True),
    ]
    assert result.warnings == {"probability_missing": 1, "month_missing": 1, "status_unknown": 1}
