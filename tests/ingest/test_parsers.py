"""The cell parsers, on the forms SPEC.md lists."""

from datetime import date
from decimal import Decimal

import duckdb
import pytest

from sales_analytics.ingest.pipeline import client_key, install_parsers


@pytest.fixture(scope="module")
def sql():
    con = duckdb.connect()
    install_parsers(con)

    def run(expression: str, value, year=None):
        params = {"v": value, "y": year} if "$y" in expression else {"v": value}
        return con.execute("SELECT " + expression, params).fetchone()[0]

    yield run
    con.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 345,67", "12345.67"),
        ("12345.67", "12345.67"),
        ("12 345,67 ₽", "12345.67"),
        ("12\u00a0345,67 руб.", "12345.67"),
        ("(1 234)", "-1234.00"),
        ("-1 234,50", "-1234.50"),
        ("1,234,567.89", "1234567.89"),
        ("1 234 567,89", "1234567.89"),
        ("0.30000000000000004", "0.30"),
        ("1000000000000000", "1000000000000000.00"),
        ("1.5e3", "1500.00"),
    ],
)
def test_money(sql, text, expected):
    assert sql("sa_money($v)", text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "12,3,4", "", "1e25", "--5"])
def test_money_rejects(sql, text):
    assert sql("sa_money($v)", text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("70%", "0.7"),
        ("70", "0.7"),
        ("0,7", "0.7"),
        ("0.7", "0.7"),
        ("100%", "1"),
        ("1", "1"),
        ("12,5%", "0.125"),
    ],
)
def test_probability(sql, text, expected):
    assert sql("sa_probability($v)", text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-16 00:00:00",
        "16.11.2026",
        "2026-11-16",
        "16/11/2026",
        "16.11.26",
        "46342",
        "16.11.2026 10:05",
    ],
)
def test_date(sql, text):
    assert sql("sa_date($v)", text) == date(2026, 11, 16)


@pytest.mark.parametrize("text", ["31.02.2026", "завтра", "16.13.2026"])
def test_date_rejects(sql, text):
    assert sql("sa_date($v)", text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2026-12",
        "декабрь 2026",
        "Дек 26",
        "12.2026",
        "2026-12-15 00:00:00",
        "дек.26",
        "Декабря 2026 г.",
        "Dec 2026",
        "December 2026",
        "15.12.2026",
    ],
)
def test_month(sql, text):
    assert sql("sa_month($v, NULL)", text) == date(2026, 12, 1)


def test_month_name_alone_takes_the_given_year(sql):
    assert sql("sa_month($v, $y)", "Май", 2027) == date(2027, 5, 1)
    assert sql("sa_month($v, $y)", "Май", None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в работе", "open"),
        ("", "open"),
        ("Выиграна", "won"),
        ("оплачена", "won"),
        ("won", "won"),
        ("Проиграна", "lost"),
        ("отказ", "lost"),
        ("lost", "lost"),
        ("на паузе", None),
    ],
)
def test_status(sql, text, expected):
    assert sql("sa_status($v)", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Итого", True),
        ("Итого Иванов", True),
        ("ИТОГО:", True),
        ("Всего", True),
        ("Total", True),
        ("Итоговый заказ", False),
        ("Иванов", False),
    ],
)
def test_subtotal(sql, text, expected):
    assert sql("sa_is_subtotal($v)", text) is expected


def test_client_spellings_share_one_key():
    spellings = [
        "ООО «Ромашка»",
        'ООО "Ромашка"',
        "Ромашка ООО",
        "ооо  ромашка",
        "Ромашка, ООО",
        "Общество с ограниченной ответственностью «Ромашка»",
        "ООО “Ромашка”",
    ]
    assert {client_key(s) for s in spellings} == {"ромашка"}


def test_client_key_reads_yo_as_ye_and_keeps_distinct_names_apart():
    assert client_key("АО «Ёлка»") == client_key("Елка АО") == "елка"
    assert client_key("ООО «Ромашка-2»") != client_key("ООО «Ромашка»")
