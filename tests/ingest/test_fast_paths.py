"""The import's fast paths give what the full parsers and the row-by-row classification give."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from sales_analytics.ingest import import_file
from sales_analytics.ingest.model import InputError
from sales_analytics.ingest.pipeline import install_parsers

SPACES = [chr(c) for c in (32, 160, 5760, 8192, 8199, 8201, 8202, 8239, 8287, 12288, 9, 10, 13, 0x85, 0x200B)]
TEXTS = ["", "a", "ab c", "Иванов  Иван", "ООО «Ромашка»", "Итого", None]
TEXTS += [z + "абв" for z in SPACES] + ["абв" + z for z in SPACES] + ["а" + z + "б" for z in SPACES]
TEXTS += SPACES + [z + z for z in SPACES]
MONEY = ["12 345,67", "12345.67", "(1 234)", "-1 234,50", "1,234,567.89", "70%", "1e5", "+12.5", " 12.5"]
MONEY += ["12.345", "1,5", "1.234,56", "abc", "", " ", "1\u00a0234,5", ".5", "5.", "12,3,4", "  12 ", None]
DAYS = ["16.11.2026", "2026-11-16", "2026-11-16 00:00:00", "16.11.26", "46000", "1.1.2026", " 16.11.2026"]
DAYS += ["16.11.2026 ", "31.02.2026", "2026-02-31", "16/11/2026", "2026-11-16T10:00:00", "16.11.2026 10:15"]
DAYS += ["x", "", None, "2026-1-16", "2026-11-16 25:00:00", "6.11.2026", "2026.11.16", "16-11-2026"]


@pytest.fixture(scope="module")
def sql():
    con = duckdb.connect()
    install_parsers(con)
    # the slow forms the fast paths stand for: the regex and the unicode trim on every cell
    con.execute(
        """
        CREATE TEMP MACRO slow_text(s) AS CASE
            WHEN contains(s, '  ') OR contains(s, chr(160)) OR contains(s, chr(9)) OR contains(s, chr(10))
                 OR contains(s, chr(13)) OR contains(s, chr(8239))
                THEN nullif(trim(regexp_replace(s, '[\\s\\x{00A0}\\x{202F}\\x{2007}\\x{2009}]+', ' ', 'g')), '')
            ELSE nullif(trim(s), '') END
        """
    )
    yield lambda expression, value: con.execute("SELECT " + expression, {"v": value}).fetchone()[0]
    con.close()


@pytest.mark.parametrize("value", TEXTS + MONEY + DAYS)
def test_text_fast_path_matches_the_full_trim(sql, value):
    assert sql("sa_text($v)", value) == sql("slow_text($v)", value)


@pytest.mark.parametrize("value", MONEY + TEXTS)
def test_money_fast_path_never_reads_a_value_differently(sql, value):
    fast = sql("sa_money_fast($v)", value)
    assert fast is None or fast == sql("sa_money($v)", value)
    assert sql("sa_money_cell($v)", value) == sql("sa_money($v)", value)


@pytest.mark.parametrize("value", DAYS + TEXTS)
def test_day_fast_path_never_reads_a_day_differently(sql, value):
    fast = sql("sa_date_fast($v)", value)
    assert fast is None or fast == sql("sa_date($v)", value)
    assert sql("sa_date_cell($v)", value) == sql("sa_date($v)", value)


def _sales_csv(rows: int, extra: str = "") -> str:
    lines = ["Продажи за период", "", "Дата;Контрагент;Менеджер;Сумма"]
    lines += [f"{1 + i % 28:02d}.11.2026;Клиент {i % 977};Иванов;{i},{i % 100:02d}" for i in range(rows)]
    return "\n".join(lines) + "\n" + extra


def test_rows_keep_file_order_and_line_numbers(con):
    """No sort on the way to the company database: the rows arrive in file order."""
    result = import_file(con, _sales_csv(150_000).encode(), "big.csv")
    assert result.rows == 150_000
    rows = con.execute("SELECT source_row, amount FROM sales ORDER BY rowid").fetchall()
    assert [r[0] for r in rows] == list(range(4, 150_004))
    assert rows[1233][1] == Decimal("1233.33")


def test_cp1251_past_the_first_megabytes_is_still_read_as_cp1251(con):
    """Only the file's start is checked in Python; a later Windows-1251 byte makes it cp1251 after all."""
    body = "".join(f"16.11.2026;Client {i};Ivanov;{i}\n" for i in range(300_000)).encode()
    assert len(body) > 5_000_000
    data = b"Date;Client;Manager;Amount\n" + body + "16.11.2026;Ёлка;Петров;5\n".encode("cp1251")
    result = import_file(con, data, "late.csv")
    assert result.rows == 300_001
    assert con.execute("SELECT manager FROM sales WHERE client_name = 'Ёлка'").fetchone()[0] == "Петров"


def test_subtotals_notes_and_blank_rows_without_headings(con):
    """The common file (no group headings) skips the windows; subtotals and notes still never count."""
    extra = ";;;\nИтого;;;999 999,00\n  Всего  ;;;1,00\nTotal;x;;5\nИсполнитель:;Петров П.П.;;\n"
    result = import_file(con, _sales_csv(50, extra).encode("cp1251"), "t.csv")
    assert result.rows == 50
    assert result.warnings["subtotal_rows"] == 3 and result.warnings["note_rows"] == 1
    assert result.amount_total == sum(Decimal(f"{i}.{i % 100:02d}") for i in range(50))


def test_a_heading_row_still_fills_the_manager(con):
    data = "Дата;Контрагент;Сумма\nПетров\n16.11.2026;А;1\n16.11.2026;Б;2\nИванов\n16.11.2026;В;4\n"
    import_file(con, data.encode(), "h.csv")
    rows = con.execute("SELECT client_name, manager FROM sales ORDER BY source_row").fetchall()
    assert rows == [("А", "Петров"), ("Б", "Петров"), ("В", "Иванов")]


def test_bad_cells_of_a_clean_file_are_still_named(con):
    data = "Дата;Контрагент;Сумма;Валовая прибыль\n16.11.2026;А;1;1\n31.02.2026;Б;2;x\n16.11.2026;;3;\n"
    with pytest.raises(InputError) as error:
        import_file(con, data.encode(), "bad.csv")
    found = {(p.row, p.code, p.value) for p in error.value.problems}
    assert found == {(3, "not_a_date", "31.02.2026"), (3, "not_a_number", "x"), (4, "empty_required", None)}
    assert con.execute("SELECT count(*) FROM sales").fetchone()[0] == 0


ZS_SPACES = [chr(c) for c in (32, 160, 5760, 8192, 8199, 8201, 8202, 8239, 8287, 12288)]
SUBTOTALS = [z + "Итого" for z in ZS_SPACES] + ["итого", "Всего", "всего", "Total", "total", "Subtotal"]
SUBTOTALS += ["subtotal", "Grand total", "grand total", "sum total"]


@pytest.mark.parametrize("first", SUBTOTALS)
def test_a_full_subtotal_row_is_found_by_its_first_character(con, first):
    """A subtotal row with every cell filled is looked at only for its first character (a space
    separator or a subtotal word's first letter, read by code point): it must still never count."""
    extra = f"{first};Клиент 1;Иванов;999 999,00\n"
    result = import_file(con, _sales_csv(5, extra).encode(), "subtotal.csv")
    assert result.rows == 5
    assert result.warnings["subtotal_rows"] == 1
    assert con.execute("SELECT max(source_row) FROM sales").fetchone()[0] == 8
