"""Plan / fact (SPEC "Plan / fact", issue 4) on the tiny fixture company: goldens, each rule at its
boundaries, the month in progress on working days, and the ``report plan-fact`` command."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from sales_analytics import export
from sales_analytics.cli import main
from sales_analytics.reports import plan_fact
from sales_analytics.reports.plan_fact import TOTAL
from tests.reports.plan_fixture import AS_OF, JUNE, MAY, assert_golden, import_rows, load

MONEY_COLUMNS = ["plan", "fact", "deviation", "fact_last_year", "ytd_plan", "ytd_fact", "ytd_fact_last_year"]


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


def rows(frame, key: str = "group") -> dict:
    return {record[key]: record for record in frame.to_dict("records")}


# --- goldens -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "golden"),
    [
        (("--month", "2026-05"), "plan_fact_2026-05_department.csv"),
        (
            ("--month", "2026-05", "--by", "manager", "--as-of", "2026-05-15"),
            "plan_fact_2026-05_manager_as_of.csv",
        ),
        (("--month", "2025-11"), "plan_fact_2025-11_no_plan.csv"),
        (("--month", "2026-06"), "plan_fact_2026-06_no_fact.csv"),
    ],
)
def test_report_plan_fact_matches_the_golden_file(capsys, fresh_db, company, arguments, golden):
    code, out, err = cli(capsys, "--db", fresh_db.target, "report", "plan-fact", *arguments)
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(plan_fact.COLUMNS)
    assert out.splitlines()[-1].startswith("TOTAL,")
    assert_golden(out, golden)


def test_month_in_progress_matches_the_golden_file(company):
    progress = plan_fact.month_progress(company, MAY, AS_OF, "department", country="RU")
    assert (progress.working_days, progress.elapsed_days, progress.remaining_days) == (19, 9, 10)
    frame = plan_fact.ratios_as_text(progress.frame, "csv")
    assert_golden(export.to_csv(frame), "plan_fact_progress_2026-05-15_department.csv")


def test_attainment_by_month_matches_the_golden_file(company):
    frame = plan_fact.attainment_by_month(company, 2026, "department", through=AS_OF)
    assert_golden(
        export.to_csv(plan_fact.ratios_as_text(frame, "csv")), "plan_fact_by_month_2026_department.csv"
    )


# --- the month -----------------------------------------------------------------------------------


def test_returns_subtract_and_spellings_do_not_split_the_fact(company):
    may = rows(plan_fact.plan_fact(company, MAY))
    # «Ромашка» under three spellings: 25 000 − 5 000 (a return) + 12 000
    assert may["Оптовый отдел"]["fact"] == Decimal("32000.00")
    assert may["Оптовый отдел"]["attainment"] == Decimal("1.0667")
    assert may["Оптовый отдел"]["deviation"] == Decimal("2000.00")


def test_a_manager_who_moved_leaves_his_history_with_the_old_department(company):
    february = rows(plan_fact.plan_fact(company, date(2026, 2, 1)))
    march = rows(plan_fact.plan_fact(company, date(2026, 3, 1)))
    # «Астра» (Смирнов) bought 40 000 in each month; on 1 March he moved to Проектный отдел
    assert february["Оптовый отдел"]["fact"] == Decimal("60000.00")  # 20 000 «Ромашка» + 40 000
    assert "Проектный отдел" not in february
    assert march["Оптовый отдел"]["fact"] == Decimal("35000.00")  # «Ромашка» + «Пион»
    assert march["Проектный отдел"]["fact"] == Decimal("40000.00")
    # a year on, June 2025's wholesale fact still holds his sales
    june = rows(plan_fact.plan_fact(company, JUNE))
    assert june["Оптовый отдел"]["fact_last_year"] == Decimal("60000.00")
    assert june["Проектный отдел"]["fact_last_year"] == Decimal("0.00")


def test_a_managers_plan_is_the_sum_of_his_plan_rows_in_every_department(company):
    by_manager = rows(plan_fact.plan_fact(company, MAY, "manager"))
    smirnov = by_manager["Смирнов Алексей"]
    assert smirnov["plan"] == Decimal("60000.00")
    assert smirnov["ytd_plan"] == Decimal("260000.00")  # 2 × 40 000 wholesale + 3 × 60 000 projects
    assert smirnov["ytd_fact"] == Decimal("160000.00")
    by_department = rows(plan_fact.plan_fact(company, MAY))
    assert by_department["Оптовый отдел"]["ytd_plan"] == Decimal("230000.00")  # his Jan–Feb included


def test_fact_without_plan_and_plan_without_fact_are_both_listed(company):
    may = rows(plan_fact.plan_fact(company, MAY))
    assert list(may) == ["Оптовый отдел", "Проектный отдел", "Розничный отдел", "Без отдела", TOTAL]
    projects = may["Проектный отдел"]
    assert (projects["plan"], projects["fact"], projects["attainment"]) == (
        Decimal("60000.00"),
        Decimal("0.00"),
        Decimal("0.0000"),
    )
    assert projects["deviation"] == Decimal("-60000.00")
    retail = may["Розничный отдел"]  # no plan for May
    assert retail["plan"] is None and retail["attainment"] is None
    assert retail["fact"] == retail["deviation"] == Decimal("3000.00")
    assert retail["ytd_attainment"] == Decimal("0.5500")  # 77 000 / 140 000
    guest = may["Без отдела"]  # «Гость» has neither manager nor department
    assert guest["fact"] == Decimal("8000.00") and guest["ytd_plan"] is None


def test_a_month_without_any_plan(company):
    november = plan_fact.plan_fact(company, date(2025, 11, 1))
    assert november["plan"].isna().all() and november["attainment"].isna().all()
    assert rows(november)[TOTAL]["fact"] == Decimal("90000.00")


def test_the_total_row_sums_the_groups_to_the_kopeck(company):
    for by in plan_fact.GROUPINGS:
        for as_of in (None, AS_OF):
            frame = plan_fact.plan_fact(company, MAY, by, as_of=as_of)
            groups, total = frame[frame["group"] != TOTAL], rows(frame)[TOTAL]
            for column in MONEY_COLUMNS:
                values = [v for v in groups[column] if v is not None]
                assert total[column] == sum(values, Decimal(0)), (by, as_of, column)
            assert total["attainment"] == (total["fact"] / total["plan"]).quantize(Decimal("0.0001"))


def test_a_zero_plan_has_no_attainment(company):
    import_rows(
        company,
        "plan_service.csv",
        "Подразделение;Менеджер;Месяц;План",
        "Сервисный отдел;;2026-05;0",
        kind="plan",
    )
    service = rows(plan_fact.plan_fact(company, MAY))["Сервисный отдел"]
    assert service["plan"] == Decimal("0.00")
    assert service["attainment"] is None
    assert service["deviation"] == Decimal("0.00")


def test_as_of_counts_its_own_day_and_last_year_up_to_the_same_day(company):
    def wholesale(as_of):
        return rows(plan_fact.plan_fact(company, MAY, as_of=as_of))["Оптовый отдел"]

    assert wholesale(date(2026, 5, 11))["fact"] == Decimal("25000.00")
    assert wholesale(date(2026, 5, 12))["fact"] == Decimal("20000.00")  # the return on the 12th
    assert wholesale(date(2026, 5, 19))["fact"] == Decimal("20000.00")
    assert wholesale(date(2026, 5, 20))["fact"] == Decimal("32000.00")
    # last year's May: 18 000 on 6 May and 7 000 on 20 May 2025
    assert wholesale(date(2026, 5, 5))["fact_last_year"] == Decimal("0.00")
    assert wholesale(date(2026, 5, 6))["fact_last_year"] == Decimal("18000.00")
    assert wholesale(date(2026, 5, 20))["fact_last_year"] == Decimal("25000.00")
    # year to date stops at the as-of day too: Jan–Apr 80 000 + 20 000 + «Пион» 15 000 + «Астра» 80 000
    assert wholesale(AS_OF)["ytd_fact"] == Decimal("195000.00")
    # an as-of day before the month: nothing sold in it yet
    assert wholesale(date(2026, 4, 30))["fact"] == Decimal("0.00")


def test_growth_against_last_year(company):
    may = rows(plan_fact.plan_fact(company, MAY))
    assert may["Оптовый отдел"]["growth"] == Decimal("0.2800")  # 32 000 / 25 000 − 1
    assert may["Розничный отдел"]["growth"] == Decimal("-0.9000")  # 3 000 / 30 000 − 1
    assert may["Проектный отдел"]["growth"] is None  # nothing last year


def test_labels_follow_the_language(company):
    assert "No department" in set(plan_fact.plan_fact(company, MAY, lang="en")["group"])
    assert "Без менеджера" in set(plan_fact.plan_fact(company, MAY, "manager")["group"])


def test_a_bad_grouping_is_refused(company):
    with pytest.raises(ValueError, match="by must be"):
        plan_fact.plan_fact(company, MAY, "client")


def test_available_months_run_from_the_first_to_the_last_with_sales_or_plan(company):
    months = plan_fact.available_months(company)
    assert months[0] == JUNE  # plan only
    assert months[-1] == date(2024, 3, 1)  # sales only
    assert months == sorted(months, reverse=True)
    assert len(months) == 28  # a quiet month in between (April 2024) is still offered


def test_an_empty_database_gives_an_empty_report(con):
    assert plan_fact.plan_fact(con, MAY).empty
    assert plan_fact.month_progress(con, MAY, AS_OF).frame.empty
    assert plan_fact.attainment_by_month(con, 2026).empty
    assert plan_fact.available_months(con) == []


# --- the month in progress -----------------------------------------------------------------------


def test_plan_to_date_landing_and_need_on_working_days(company):
    progress = rows(plan_fact.month_progress(company, MAY, AS_OF, "department", country="RU").frame)
    wholesale = progress["Оптовый отдел"]
    assert wholesale["plan_to_date"] == Decimal("14210.53")  # 30 000 × 9 / 19
    assert wholesale["fact_to_date"] == Decimal("20000.00")
    assert wholesale["landing"] == Decimal("42222.22")  # 20 000 / 9 × 19
    assert wholesale["landing_attainment"] == Decimal("1.4074")
    assert wholesale["left_to_plan"] == Decimal("10000.00")
    assert wholesale["needed_per_day"] == Decimal("1000.00")  # 10 000 / 10 days left
    assert wholesale["behind"] is False
    projects = progress["Проектный отдел"]
    assert projects["plan_to_date"] == Decimal("28421.05") and projects["behind"] is True
    assert projects["needed_per_day"] == Decimal("6000.00")
    retail = progress["Розничный отдел"]  # no plan: nothing to be behind
    assert retail["plan_to_date"] is None and retail["needed_per_day"] is None and retail["behind"] is False
    total = progress[TOTAL]
    assert total["plan_to_date"] == Decimal("42631.58")  # the groups' figures, summed
    assert total["landing"] == sum((r["landing"] for g, r in progress.items() if g != TOTAL), Decimal(0))
    assert total["left_to_plan"] == Decimal("59000.00")  # 90 000 − 31 000
    assert total["needed_per_day"] == Decimal("5900.00")


def test_progress_on_a_holiday_first_day_has_no_run_rate(company):
    progress = plan_fact.month_progress(company, MAY, date(2026, 5, 1), country="RU")
    assert progress.elapsed_days == 0
    wholesale = rows(progress.frame)["Оптовый отдел"]
    assert wholesale["landing"] is None and wholesale["plan_to_date"] == Decimal("0.00")
    assert wholesale["needed_per_day"] == Decimal("1578.95")  # 30 000 / 19


def test_progress_on_the_last_working_day_needs_no_more_days(company):
    progress = plan_fact.month_progress(company, MAY, date(2026, 5, 29), country="RU")
    assert progress.remaining_days == 0
    wholesale = rows(progress.frame)["Оптовый отдел"]
    assert wholesale["plan_to_date"] == Decimal("30000.00")
    assert wholesale["needed_per_day"] is None
    assert plan_fact.in_progress(MAY, date(2026, 5, 30))
    assert not plan_fact.in_progress(MAY, date(2026, 5, 31))
    assert not plan_fact.in_progress(MAY, date(2026, 4, 30))


def test_progress_follows_the_chosen_countrys_calendar(company):
    poland = plan_fact.month_progress(company, MAY, AS_OF, country="PL")
    # Poland rests on 1 May (and 3 May is a Sunday); 11 May is an ordinary Monday
    assert (poland.country, poland.working_days, poland.elapsed_days) == ("PL", 20, 10)
    assert rows(poland.frame)["Оптовый отдел"]["plan_to_date"] == Decimal("15000.00")


def test_daily_progress_steps_on_working_days(company):
    daily = plan_fact.daily_progress(company, MAY, AS_OF, country="RU")
    by_day = rows(daily, "day")
    assert len(daily) == 31
    assert by_day[date(2026, 5, 1)]["plan_cumulative"] == Decimal("0.00")  # a holiday
    assert by_day[date(2026, 5, 4)]["plan_cumulative"] == Decimal("4736.84")  # 90 000 / 19
    assert by_day[date(2026, 5, 9)]["plan_cumulative"] == by_day[date(2026, 5, 8)]["plan_cumulative"]
    assert by_day[date(2026, 5, 15)]["plan_cumulative"] == Decimal("42631.58")
    assert by_day[date(2026, 5, 31)]["plan_cumulative"] == Decimal("90000.00")
    assert by_day[date(2026, 5, 12)]["fact"] == Decimal("-5000.00")  # the return
    assert by_day[date(2026, 5, 15)]["fact_cumulative"] == Decimal("31000.00")
    assert by_day[date(2026, 5, 16)]["fact_cumulative"] is None  # after the as-of day
    projects = plan_fact.daily_progress(company, MAY, AS_OF, group="Проектный отдел", country="RU")
    assert projects["plan_cumulative"].iloc[-1] == Decimal("60000.00")
    assert projects["fact_cumulative"].iloc[14] == 0
    guest = rows(plan_fact.daily_progress(company, MAY, AS_OF, group="Без отдела", country="RU"), "day")
    assert guest[date(2026, 5, 7)]["fact"] == Decimal("8000.00")
    assert guest[date(2026, 5, 7)]["plan_cumulative"] is None


# --- the year ------------------------------------------------------------------------------------


def test_attainment_by_month_per_group_with_a_total_per_month(company):
    frame = plan_fact.attainment_by_month(company, 2026, "department", through=AS_OF)
    cells = {(r["group"], r["month"]): r for r in frame.to_dict("records")}
    february = cells[("Оптовый отдел", date(2026, 2, 1))]
    assert (february["plan"], february["fact"], february["attainment"]) == (
        Decimal("70000.00"),
        Decimal("60000.00"),
        Decimal("0.8571"),
    )
    assert ("Оптовый отдел", JUNE) not in cells  # after the as-of day
    assert cells[("Оптовый отдел", MAY)]["fact"] == Decimal("20000.00")  # to the as-of day
    for month in sorted({m for _, m in cells}):
        groups = [r for (g, m), r in cells.items() if m == month and g != TOTAL]
        assert cells[(TOTAL, month)]["fact"] == sum((r["fact"] for r in groups), Decimal(0))
    whole_year = plan_fact.attainment_by_month(company, 2026, "department")
    assert (TOTAL, JUNE) in {(r["group"], r["month"]) for r in whole_year.to_dict("records")}


# --- the command line ----------------------------------------------------------------------------


def test_report_plan_fact_as_json_keeps_four_decimals_of_attainment(capsys, fresh_db, company):
    code, out, _ = cli(
        capsys, "--db", fresh_db.target, "report", "plan-fact", "--month", "2026-05", "--format", "json"
    )
    assert code == 0
    records = {r["group"]: r for r in json.loads(out)}
    assert records["Оптовый отдел"]["attainment"] == "1.0667"
    assert records["Оптовый отдел"]["fact"] == "32000.00"
    assert records["Розничный отдел"]["attainment"] is None
    assert list(records["TOTAL"]) == plan_fact.COLUMNS


def test_report_plan_fact_as_xlsx(capsys, fresh_db, company, tmp_path):
    target = tmp_path / "plan_fact.xlsx"
    code, _, err = cli(
        capsys,
        "--db",
        fresh_db.target,
        "report",
        "plan-fact",
        "--month",
        "2026-05",
        "--format",
        "xlsx",
        "-o",
        target,
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes())).active
    values = list(sheet.values)
    assert list(values[0]) == plan_fact.COLUMNS
    assert values[1][0] == "Оптовый отдел" and values[1][2] == 32000
    assert values[-1][0] == "TOTAL" and values[-1][1] == 90000


@pytest.mark.parametrize(
    "arguments",
    [
        ("--month", "2026-13"),
        ("--month", "май"),
        ("--month", "2026-05", "--by", "client"),
        ("--month", "2026-05", "--as-of", "15.05.2026"),
        (),
    ],
)
def test_report_plan_fact_bad_input_exits_2(capsys, fresh_db, company, arguments):
    code, out, err = cli(capsys, "--db", fresh_db.target, "report", "plan-fact", *arguments)
    assert code == 2
    assert out == "" and "error:" in err
