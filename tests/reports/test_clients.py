"""Dormant and declining clients (SPEC "Dormant clients", issue 4): goldens on the fixture company,
each rule at its boundaries, the filters, the call list workbook, and the two commands."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from sales_analytics import call_list
from sales_analytics.cli import main
from sales_analytics.reports import clients
from tests.reports.plan_fixture import AS_OF, assert_golden, import_rows, load


@pytest.fixture
def company(con):
    return load(con)


def cli(capsys, *args) -> tuple[int, str, str]:
    """Run the command line in-process: exit status, standard output, standard error."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as stop:  # argparse refusing the arguments
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def by_client(frame) -> dict:
    return {record["client"]: record for record in frame.to_dict("records")}


# --- goldens -------------------------------------------------------------------------------------


def test_report_dormant_matches_the_golden_file(capsys, fresh_db, company):
    code, out, err = cli(capsys, "--db", fresh_db.target, "report", "dormant", "--as-of", "2026-05-15")
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(clients.DORMANT_COLUMNS)
    assert_golden(out, "dormant_2026-05-15.csv")


def test_report_declining_matches_the_golden_file(capsys, fresh_db, company):
    code, out, err = cli(capsys, "--db", fresh_db.target, "report", "declining", "--as-of", "2026-05-15")
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(clients.DECLINING_COLUMNS)
    assert_golden(out, "declining_2026-05-15.csv")


def test_report_options_change_the_windows(capsys, fresh_db, company):
    # a 30-month lookback reaches «Возврат»'s 2024 purchase: 50 000 − 10 000 > 0, so it is dormant
    code, out, _ = cli(
        capsys,
        "--db",
        fresh_db.target,
        "report",
        "dormant",
        "--as-of",
        "2026-05-15",
        "--months",
        "5",
        "--lookback",
        "30",
    )
    assert code == 0
    assert "ООО «Возврат»,Иванов Иван,Оптовый отдел,2024-03-01,805,40000.00,1,40000.00" in out.splitlines()
    # a drop of 100 % can never be exceeded
    code, out, _ = cli(
        capsys, "--db", fresh_db.target, "report", "declining", "--as-of", "2026-05-15", "--drop", "1"
    )
    assert code == 0 and out.splitlines() == [",".join(clients.DECLINING_COLUMNS)]


@pytest.mark.parametrize(
    "arguments",
    [
        ("dormant",),
        ("dormant", "--as-of", "2026-05-15", "--lookback", "0"),
        ("dormant", "--as-of", "2026-05-15", "--months", "-1"),
        ("dormant", "--as-of", "2026-02-30"),
        ("declining", "--as-of", "2026-05-15", "--drop", "1.5"),
        ("declining", "--as-of", "2026-05-15", "--drop", "half"),
        ("declining", "--as-of", "2026-05-15", "--recent", "0"),
    ],
)
def test_bad_input_exits_2(capsys, fresh_db, company, arguments):
    code, out, err = cli(capsys, "--db", fresh_db.target, "report", *arguments)
    assert code == 2
    assert out == "" and "error:" in err


# --- dormant -------------------------------------------------------------------------------------


def test_dormant_clients_with_their_figures(company):
    dormant = clients.dormant_clients(company, AS_OF)
    assert list(dormant["client"]) == ["ИП Василёк", "ООО «Мелочь»"]  # largest lookback turnover first
    vasilek = by_client(dormant)["ИП Василёк"]  # also spelled «Василек ИП»: one client
    assert vasilek["last_purchase"] == date(2025, 10, 10)
    assert vasilek["days_since"] == 217
    assert vasilek["lookback_turnover"] == Decimal("460000.00")
    assert vasilek["active_months"] == 4
    assert vasilek["avg_month"] == Decimal("115000.00")
    assert vasilek["margin"] == Decimal("74000.00")  # the rows that carry a margin
    assert by_client(dormant)["ООО «Мелочь»"]["margin"] is None  # no row carries one


def test_last_purchase_exactly_n_months_ago_is_not_dormant(company):
    # «Граница» bought on 2025-12-15 only: add_months(2026-05-15, −5) is that very day
    assert "ООО «Граница»" not in set(clients.dormant_clients(company, date(2026, 5, 15))["client"])
    assert "ООО «Граница»" in set(clients.declining_clients(company, date(2026, 5, 15))["client"])
    # a day later it is one day past the threshold: dormant, and no longer declining
    assert "ООО «Граница»" in set(clients.dormant_clients(company, date(2026, 5, 16))["client"])
    assert "ООО «Граница»" not in set(clients.declining_clients(company, date(2026, 5, 16))["client"])


def test_the_lookback_window_is_open_at_its_start(company):
    # on 2026-11-05 a 24-month lookback starts after 2024-11-05: «Василёк»'s purchase that day is out
    vasilek = by_client(clients.dormant_clients(company, date(2026, 11, 5)))["ИП Василёк"]
    assert vasilek["lookback_turnover"] == Decimal("360000.00")
    assert vasilek["active_months"] == 3
    vasilek = by_client(clients.dormant_clients(company, date(2026, 11, 4)))["ИП Василёк"]
    assert vasilek["lookback_turnover"] == Decimal("460000.00")


def test_only_a_positive_lookback_turnover_counts_and_returns_are_no_purchase(company):
    # «Возврат»: its lookback holds only a return
    assert "ООО «Возврат»" not in set(clients.dormant_clients(company, AS_OF)["client"])
    vozvrat = by_client(clients.dormant_clients(company, AS_OF, lookback=27))["ООО «Возврат»"]
    assert vozvrat["lookback_turnover"] == Decimal("40000.00")
    assert vozvrat["last_purchase"] == date(2024, 3, 1)  # the later return is not a purchase
    assert vozvrat["active_months"] == 1  # June 2024 was net negative


def test_manager_and_department_are_those_of_the_latest_purchase(company):
    # «Астра» bought from Смирнов in wholesale, then in projects (from March 2026)
    astra = by_client(clients.dormant_clients(company, date(2026, 10, 1)))["АО «Астра»"]
    assert (astra["manager"], astra["department"]) == ("Смирнов Алексей", "Проектный отдел")
    # a sale after the as-of day does not exist yet: on 19 April its last purchase is 20 March
    assert "АО «Астра»" in set(clients.dormant_clients(company, date(2026, 4, 19), months=0)["client"])
    assert "АО «Астра»" not in set(clients.dormant_clients(company, date(2026, 4, 20), months=0)["client"])


def test_a_client_without_manager_or_department_is_labelled(company):
    guest = by_client(clients.dormant_clients(company, date(2026, 12, 1), months=6, lang="en"))["ООО «Гость»"]
    assert (guest["manager"], guest["department"]) == ("No manager", "No department")


@pytest.mark.parametrize(
    ("min_size", "size_per", "kept"),
    [
        (None, "month", ["ИП Василёк", "ООО «Мелочь»"]),
        (60_000, "month", ["ИП Василёк"]),  # per active month: 115 000 and 3 000
        (Decimal("115000"), "month", ["ИП Василёк"]),
        (Decimal("115000.01"), "month", []),
        (500_000, "year", []),  # per year: 460 000 × 12 / 24 = 230 000
        (230_000, "year", ["ИП Василёк"]),
        (Decimal("230000.01"), "year", []),
        (3_000, "year", ["ИП Василёк", "ООО «Мелочь»"]),  # «Мелочь»: 6 000 × 12 / 24
    ],
)
def test_minimum_size_per_month_or_per_year(company, min_size, size_per, kept):
    dormant = clients.dormant_clients(company, AS_OF, min_size=min_size, size_per=size_per)
    assert list(dormant["client"]) == kept


def test_manager_and_department_filters(company):
    assert list(clients.dormant_clients(company, AS_OF, managers=("Петрова Анна",))["client"]) == [
        "ООО «Мелочь»"
    ]
    assert list(clients.dormant_clients(company, AS_OF, departments=("Оптовый отдел",))["client"]) == [
        "ИП Василёк"
    ]
    assert clients.dormant_clients(company, AS_OF, managers=("Смирнов Алексей",)).empty
    assert len(clients.dormant_clients(company, AS_OF, managers=())) == 2  # empty: no filter
    guest = clients.dormant_clients(company, date(2026, 12, 1), months=6, managers=("Без менеджера",))
    assert list(guest["client"]) == ["ООО «Гость»"]


def test_bad_settings_are_refused(company):
    with pytest.raises(ValueError):
        clients.dormant_clients(company, AS_OF, lookback=0)
    with pytest.raises(ValueError):
        clients.dormant_clients(company, AS_OF, min_size=1, size_per="week")
    with pytest.raises(ValueError):
        clients.declining_clients(company, AS_OF, drop="1.2")


# --- declining -----------------------------------------------------------------------------------


def test_declining_clients_with_their_figures(company):
    declining = clients.declining_clients(company, AS_OF)
    assert list(declining["client"]) == ['ООО "Лютик"', "ООО «Граница»", "ООО «Ирис»"]  # largest fall first
    lutik = by_client(declining)['ООО "Лютик"']
    # previous: (2025-02-15, 2026-02-15] — 2025-02-15 itself is out: 10 × 30 000 + 30 000 in January
    assert lutik["previous_turnover"] == Decimal("330000.00")
    assert lutik["previous_average"] == Decimal("82500.00")  # × 3 / 12
    assert lutik["recent_turnover"] == Decimal("38000.00")  # 30 000 on 16 Feb + 5 000 + 3 000
    assert lutik["change"] == Decimal("-44500.00")
    assert lutik["margin"] == Decimal("66000.00")  # the previous twelve months'


def test_the_recent_window_is_closed_at_its_end(company):
    # on 2026-05-16 the recent window starts after 2026-02-16: «Лютик»'s sale that day is previous
    lutik = by_client(clients.declining_clients(company, date(2026, 5, 16)))['ООО "Лютик"']
    assert lutik["previous_turnover"] == Decimal("360000.00")
    assert lutik["recent_turnover"] == Decimal("8000.00")


def test_declining_needs_a_fall_strictly_beyond_the_drop(company):
    # (extra rows go to a department of their own: an upload replaces its departments' rows over
    # the file's period)
    # «Ровно»: 120 000 in the previous twelve months = 30 000 per three; recent exactly half of it
    import_rows(
        company,
        "rovno.csv",
        "01.06.2025;ООО «Ровно»;Иванов Иван;Сервисный отдел;120 000,00;",
        "10.04.2026;ООО «Ровно»;Иванов Иван;Сервисный отдел;15 000,00;",
    )
    assert "ООО «Ровно»" not in set(clients.declining_clients(company, AS_OF, drop="0.5")["client"])
    assert "ООО «Ровно»" in set(clients.declining_clients(company, AS_OF, drop="0.49")["client"])
    import_rows(company, "rovno_return.csv", "11.04.2026;ООО «Ровно»;Иванов Иван;Сервисный отдел;-0,01;")
    rovno = by_client(clients.declining_clients(company, AS_OF, drop="0.5"))["ООО «Ровно»"]
    assert rovno["recent_turnover"] == Decimal("14999.99")
    assert rovno["change"] == Decimal("-15000.01")


def test_declining_needs_a_positive_previous_turnover(company):
    import_rows(
        company,
        "netzero.csv",
        "01.06.2025;ООО «Ноль»;Иванов Иван;Сервисный отдел;10 000,00;",
        "02.06.2025;ООО «Ноль»;Иванов Иван;Сервисный отдел;-10 000,00;",
        "10.05.2026;ООО «Ноль»;Иванов Иван;Сервисный отдел;1,00;",
    )
    assert "ООО «Ноль»" not in set(clients.declining_clients(company, AS_OF, drop="0")["client"])


def test_declining_filters_and_minimum_size(company):
    # previous twelve months: «Лютик» 330 000 over 11 active months, «Граница» 12 000, «Ирис» 9 000
    assert list(clients.declining_clients(company, AS_OF, min_size=30_000)["client"]) == ['ООО "Лютик"']
    assert list(clients.declining_clients(company, AS_OF, min_size=12_000, size_per="year")["client"]) == [
        'ООО "Лютик"',
        "ООО «Граница»",
    ]
    assert clients.declining_clients(company, AS_OF, departments=("Оптовый отдел",)).empty


def test_filter_options_list_every_manager_and_department(company):
    options = clients.filter_options(company)
    assert options["managers"] == ["Без менеджера", "Иванов Иван", "Петрова Анна", "Смирнов Алексей"]
    assert options["departments"] == ["Без отдела", "Оптовый отдел", "Проектный отдел", "Розничный отдел"]


def test_an_empty_database_gives_empty_lists(con):
    assert clients.dormant_clients(con, AS_OF).empty
    assert clients.declining_clients(con, AS_OF).empty
    assert list(clients.dormant_clients(con, AS_OF).columns) == [*clients.DORMANT_COLUMNS, "margin"]


# --- the call list -------------------------------------------------------------------------------


def test_call_list_has_a_sheet_per_manager_with_both_lists(company):
    data = call_list.call_list_workbook(company, AS_OF)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Иванов Иван", "Петрова Анна"]
    petrova = [[c for c in row if c is not None] for row in book["Петрова Анна"].values]
    texts = [cell for row in petrova for cell in row if isinstance(cell, str)]
    assert texts[0] == "Клиенты для звонка: Петрова Анна"
    assert "Уснувшие клиенты (1)" in texts and "Сокращают закупки (3)" in texts
    assert "Результат звонка" in texts
    melochi = next(row for row in petrova if row and row[0] == "ООО «Мелочь»")
    assert melochi[1] == "Розничный отдел" and melochi[2].date() == date(2025, 10, 3)
    lutik = next(row for row in petrova if row and row[0] == 'ООО "Лютик"')
    assert lutik[3:6] == [38000, 82500, -44500]
    ivanov = [row for row in book["Иванов Иван"].values]
    assert any(row[0] == "ИП Василёк" for row in ivanov)
    assert any(row[0] == "нет" for row in ivanov)  # no declining client of his


def test_call_list_follows_the_filters_and_says_when_nobody_is_left(company):
    only_retail = call_list.call_list_workbook(company, AS_OF, departments=("Розничный отдел",))
    assert openpyxl.load_workbook(io.BytesIO(only_retail)).sheetnames == ["Петрова Анна"]
    nobody = openpyxl.load_workbook(
        io.BytesIO(call_list.call_list_workbook(company, AS_OF, min_size=10**9, lang="en"))
    )
    assert nobody.sheetnames == ["No clients"]
    assert "no dormant or declining clients" in nobody.active["A1"].value


def test_call_list_writes_names_as_text_and_makes_safe_unique_sheet_names():
    names = call_list.sheet_names(["Иванов/Петров [опт]", "ИВАНОВ/ПЕТРОВ [ОПТ]", "x" * 40, "=1+1"])
    assert list(names.values()) == ["Иванов Петров  опт", "ИВАНОВ ПЕТРОВ  ОПТ (2)", "x" * 31, "=1+1"]
    dormant = pd.DataFrame(
        [
            {
                "client": '=HYPERLINK("http://x")',
                "manager": "=1+1",
                "department": "Опт",
                "last_purchase": date(2025, 1, 1),
                "days_since": 100,
                "lookback_turnover": Decimal("1.50"),
                "active_months": 1,
                "avg_month": Decimal("1.50"),
                "margin": None,
            }
        ]
    )
    declining = pd.DataFrame(columns=list(dormant.columns))
    data = call_list.build_call_list(
        dormant, declining, AS_OF, {"months": 5, "lookback": 24, "recent": 3, "drop": Decimal("0.5")}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))["=1+1"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert cells['=HYPERLINK("http://x")'].data_type == "s"  # a string, not a formula


# --- the sales store -----------------------------------------------------------------------------


def test_the_store_follows_every_import(company):
    assert "ИП Василёк" in set(clients.dormant_clients(company, AS_OF)["client"])
    # a new purchase, uploaded after the first look: the next look sees it
    import_rows(company, "vasilek_back.csv", "04.05.2026;Василек ИП;Иванов Иван;Сервисный отдел;1 000,00;")
    assert "ИП Василёк" not in set(clients.dormant_clients(company, AS_OF)["client"])
    sales = company.sql("select count(*), sum(amount) from current_sales").fetchall()[0]
    assert sales[0] == 59
    with clients.client_store(company) as store:
        # the store holds the client months of the 59 sales: the same money, to the kopeck
        assert store.sql("select sum(net) from client_months").fetchall() == [(sales[1],)]
        # a missing manager or department stays missing in the store, and gets no name
        guest = store.sql(
            "select last_manager, last_department from client_months join client_names using (client_id) "
            "where display_name = 'ООО «Гость»' and last_purchase is not null"
        ).fetchall()
        assert guest and set(guest) == {(None, None)}


def test_the_kept_windows_follow_every_import(company):
    """The cut months' sales and the declining window are kept per data version: a sale uploaded
    in the window's last (cut) month is seen by the next look, exactly as a first look sees it."""
    before = clients.declining_clients(company, AS_OF, drop="0")
    assert clients.declining_clients(company, AS_OF, drop="0").equals(before)  # read from the kept window
    import_rows(company, "late.csv", f"{AS_OF:%d.%m.%Y};ООО «Мелочь»;Петрова Анна;Сервисный отдел;7,00;")
    after = clients.declining_clients(company, AS_OF, drop="0")
    clients.clear_cache()
    assert after.equals(clients.declining_clients(company, AS_OF, drop="0"))
    assert not after.equals(before)


def test_a_database_without_a_file_gets_a_store_per_call():
    from sales_analytics.db import Database

    db = Database(":memory:")
    with db.cursor() as con:
        load(con)
        assert list(clients.dormant_clients(con, AS_OF)["client"]) == ["ИП Василёк", "ООО «Мелочь»"]
        import_rows(con, "more.csv", "14.05.2026;ООО «Мелочь»;Петрова Анна;Сервисный отдел;1,00;")
        assert list(clients.dormant_clients(con, AS_OF)["client"]) == ["ИП Василёк"]
    db.close()


def test_long_tables_show_their_first_rows_only():
    from sales_analytics import charts_plan

    frame = pd.DataFrame(
        {"client": [f"Клиент {i}" for i in range(1500)], "avg_month": [Decimal("1.50")] * 1500}
    )
    styler = charts_plan.styled_table(frame, {"client": "text", "avg_month": "money"}, "clients", "ru")
    assert len(styler.data) == charts_plan.DISPLAY_ROWS
    assert list(styler.data.columns) == ["Клиент", "В среднем за активный месяц"]
    html = styler.to_html()
    assert ">2 ₽<" in html and "Клиент 999<" in html and "Клиент 1000" not in html  # whole roubles


def test_averages_round_half_up_to_the_kopeck(company):
    import_rows(
        company,
        "kopeck.csv",
        "01.07.2025;ООО «Копейка»;Иванов Иван;Сервисный отдел;50,00;",
        "01.08.2025;ООО «Копейка»;Иванов Иван;Сервисный отдел;50,01;",
        "01.06.2025;ООО «Полушка»;Иванов Иван;Сервисный отдел;1,02;",
        "10.05.2026;ООО «Полушка»;Иванов Иван;Сервисный отдел;0,01;",
    )
    kopeck = by_client(clients.dormant_clients(company, AS_OF))["ООО «Копейка»"]
    assert kopeck["avg_month"] == Decimal("50.01")  # 100.01 / 2 = 50.005
    polushka = by_client(clients.declining_clients(company, AS_OF))["ООО «Полушка»"]
    assert polushka["previous_average"] == Decimal("0.26")  # 1.02 × 3 / 12 = 0.255
    assert polushka["change"] == Decimal("-0.25")
