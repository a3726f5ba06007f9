"""Bad input: a clear message naming file, sheet, row and column, and the database unchanged."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from sales_analytics.ingest import InputError, import_file
from tests.conftest import DATA, table_counts

GOOD_CSV = "Дата;Клиент;Сумма\n16.11.2026;ООО «Ромашка»;1 000,00\n".encode()


def _xlsx(rows, title="Лист1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refused(con, data: bytes, name: str, kind: str | None = None, **options) -> InputError:
    import_file(con, GOOD_CSV, "baseline.csv")
    before = table_counts(con)
    with pytest.raises(InputError) as refused:
        import_file(con, data, name, kind, **options)
    assert table_counts(con) == before
    return refused.value


def test_row_errors_name_file_row_column_value_and_reason(con):
    data = "Отчёт\n\nДата;Клиент;Сумма\n16.11.2026;Лютик;abc\n31.02.2026;Лютик;5\n;Лютик;5\n".encode()
    error = _refused(con, data, "bad.csv")
    found = {(p.row, p.column, p.value, p.code) for p in error.problems}
    assert found == {
        (4, "C «Сумма»", "abc", "not_a_number"),
        (5, "A «Дата»", "31.02.2026", "not_a_date"),
        (6, "A «Дата»", None, "empty_required"),
    }
    assert "bad.csv, строка 4, столбец C «Сумма»: «abc»: не число" in error.message("ru")
    assert "bad.csv, row 4, column C «Сумма»: «abc»: not a number" in error.message("en")


def test_row_errors_in_a_workbook_name_the_sheet(con):
    data = _xlsx(
        [["Клиент", "Сумма", "Месяц оплаты", "Вероятность"], ["Лютик", 100, "декабрь 2026", "200%"]],
        title="Иванов",
    )
    error = _refused(con, data, "forecast.xlsx", "deals")
    problem = error.problems[0]
    assert (problem.sheet, problem.row, problem.column, problem.code) == (
        "Иванов",
        2,
        "D «Вероятность»",
        "not_a_probability",
    )
    assert "лист «Иванов», строка 2" in error.message("ru")


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(con):
    data = "Дата;Клиент;Сумма\n16.11.2026;Лютик;abc\n17.11.2026;Лютик;5\n".encode()
    result = import_file(con, data, "partly.csv", skip_invalid=True)
    assert result.rows == 1
    assert [(p.row, p.code) for p in result.skipped] == [(2, "not_a_number")]
    assert con.execute("SELECT sum(amount) FROM current_sales").fetchone()[0] == 5


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "empty.csv", "empty_file"),
        (b"", "empty.xlsx", "empty_file"),
        (b"\x00\x01\x02binary junk\x00" * 50, "junk.csv", "not_text"),
        (b"just some words\nand more words\n", "notes.csv", "no_header"),
        (b"PK\x03\x04truncated", "truncated.xlsx", "unreadable"),
        (b"%PDF-1.4 not a spreadsheet", "report.pdf", "unsupported_type"),
        ("Дата;Клиент;Менеджер\n16.11.2026;Лютик;Иванов\n".encode(), "no_amount.csv", "missing_column"),
    ],
)
def test_unusable_files_get_a_clear_message(con, data, name, code):
    error = _refused(con, data, name, "sales" if "no_amount" in name else None)
    assert error.problems[0].code == code
    assert error.problems[0].file == name
    assert name in error.message("ru")


def test_truncated_real_workbook_is_refused(con):
    data = (DATA / "sales_1c_grouped.xlsx").read_bytes()
    error = _refused(con, data[: len(data) // 2], "cut.xlsx")
    assert error.problems[0].code == "unreadable"


def test_zip_that_is_not_a_workbook_is_refused(con):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    error = _refused(con, buffer.getvalue(), "fake.xlsx")
    assert error.problems[0].code == "unreadable"


def test_header_only_sheet_has_no_data(con):
    error = _refused(con, _xlsx([["Дата", "Клиент", "Сумма"]]), "header_only.xlsx")
    assert error.problems[0].code == "no_data"


def test_wide_plan_without_a_year_asks_for_it(con):
    rows = [["Менеджер", "Январь", "Февраль", "Март"], ["Иванов", 100, 200, 300]]
    error = _refused(con, _xlsx(rows, title="Лист1"), "plan.xlsx", "plan")
    assert error.problems[0].code == "no_year"
    result = import_file(con, _xlsx(rows, title="Лист1"), "plan.xlsx", "plan", year=2027)
    assert result.rows == 3 and str(result.period_from) == "2027-01-01"


def test_formula_text_in_a_cell_is_kept_as_a_name(con):
    data = 'Дата;Клиент;Сумма\n16.11.2026;"=HYPERLINK(""http://x"")";5\n'.encode()
    import_file(con, data, "formula.csv")
    assert con.execute("SELECT client_name FROM current_sales").fetchone()[0] == '=HYPERLINK("http://x")'
