"""Client segments and the plan builder (SPEC "Client segments and the plan builder", issue 4):
goldens on the fixture company, each rule at its boundaries, and ``report segments``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sales_analytics import export
from sales_analytics.cli import main
from sales_analytics.reports import segments
from sales_analytics.reports.segments import TOTAL
from tests.reports.plan_fixture import JUNE, assert_golden, import_rows, load

# Extra rows go to a department of their own: an upload replaces its departments' rows over the
# file's period, and the fixture's must stay.
EXTRA = "Сервисный отдел"


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


def by(frame, key: str) -> dict:
    return {record[key]: record for record in frame.to_dict("records")}


def segment_of(con, month: date) -> dict[str, str]:
    return {r["client"]: r["segment"] for r in segments.segment_clients(con, month).to_dict("records")}


# --- goldens -------------------------------------------------------------------------------------


def test_report_segments_matches_the_golden_file(capsys, fresh_db, company):
    code, out, err = cli(capsys, "--db", fresh_db.target, "report", "segments", "--month", "2026-06")
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(segments.COLUMNS)
    assert_golden(out, "segments_2026-06.csv")


def test_segment_clients_match_the_golden_file(company):
    assert_golden(export.to_csv(segments.segment_clients(company, JUNE)), "segments_clients_2026-06.csv")


# --- the segments --------------------------------------------------------------------------------


def test_segments_for_june_from_february_to_may(company):
    assert segment_of(company, JUNE) == {
        "ООО «Ромашка»": "regular",  # 4 months
        'ООО "Лютик"': "regular",  # February, April, May
        "АО «Астра»": "regular",  # February to April
        "ООО «Пион»": "oneoff",  # March
        "ООО «Гость»": "oneoff",  # May
        "ИП Василёк": "new",  # last bought October 2025
        "ООО «Мелочь»": "new",
        "ООО «Граница»": "new",  # 15 December 2025: before 1 January
        "ООО «Возврат»": "new",
        "ООО «Ирис»": "lapsing",  # 20 January 2026: within five months, in none of the four
    }


def test_three_months_are_regular_and_two_are_one_off(company):
    july = segment_of(company, date(2026, 7, 1))  # March to June
    assert july["ООО «Ромашка»"] == "regular"  # March, April, May
    assert july['ООО "Лютик"'] == "oneoff"  # April, May
    assert july["АО «Астра»"] == "oneoff"  # March, April
    assert july["ООО «Ирис»"] == "new"  # 20 January is before 1 February


def test_a_month_counts_when_it_is_net_positive(company):
    import_rows(
        company,
        "netto.csv",
        f"10.02.2026;ООО «Нетто»;Петрова Анна;{EXTRA};10 000,00;",
        f"10.03.2026;ООО «Нетто»;Петрова Анна;{EXTRA};10 000,00;",
        f"20.03.2026;ООО «Нетто»;Петрова Анна;{EXTRA};-10 000,00;",
        f"10.04.2026;ООО «Нетто»;Петрова Анна;{EXTRA};10 000,00;",
    )
    netto = by(segments.segment_clients(company, JUNE, manager="Петрова Анна"), "client")["ООО «Нетто»"]
    assert (netto["segment"], netto["months_bought"], netto["window_turnover"]) == (
        "oneoff",
        2,
        Decimal("20000.00"),
    )


def test_new_for_planning_starts_five_months_before_the_plan_month(company):
    import_rows(
        company,
        "edges.csv",
        f"31.12.2025;ООО «Декабрь»;Петрова Анна;{EXTRA};1 000,00;",
        f"01.01.2026;ООО «Январь»;Петрова Анна;{EXTRA};1 000,00;",
    )
    june = segment_of(company, JUNE)
    assert june["ООО «Декабрь»"] == "new"
    assert june["ООО «Январь»"] == "lapsing"


def test_a_client_that_never_bought_is_new_with_its_deals_manager(company):
    import_rows(
        company,
        "forecast_2026-05-15.csv",
        "Клиент;Менеджер;Сумма;Месяц оплаты;Вероятность",
        "ООО «Перспектива»;Петрова Анна;50000;2026-07;30%",
        kind="deals",
    )
    prospect = by(segments.segment_clients(company, JUNE, segment="new"), "client")["ООО «Перспектива»"]
    assert (prospect["manager"], prospect["last_purchase"], prospect["months_bought"]) == (
        "Петрова Анна",
        None,
        0,
    )
    assert by(segments.segment_summary(company, JUNE), "manager")["Петрова Анна"]["new_clients"] == 3


def test_a_client_handed_over_is_planned_with_its_current_manager(company):
    import_rows(
        company,
        "handover.csv",
        f"05.02.2026;ООО «Передача»;Иванов Иван;{EXTRA};10 000,00;",
        f"05.03.2026;ООО «Передача»;Иванов Иван;{EXTRA};10 000,00;",
        f"05.04.2026;ООО «Передача»;Иванов Иван;{EXTRA};10 000,00;",
        f"05.05.2026;ООО «Передача»;Петрова Анна;{EXTRA};10 000,00;",
    )
    summary = by(segments.segment_summary(company, JUNE), "manager")
    assert summary["Петрова Анна"]["regular_clients"] == 2
    assert summary["Петрова Анна"]["regular_plan"] == Decimal("19500.00")  # (38 000 + 40 000) / 4
    assert summary["Иванов Иван"]["regular_plan"] == Decimal("23000.00")  # unchanged


# --- the plans -----------------------------------------------------------------------------------


def test_plans_per_manager(company):
    summary = by(segments.segment_summary(company, JUNE), "manager")
    ivanov = summary["Иванов Иван"]
    # «Ромашка»: 20 000 × 3 + (25 000 − 5 000 + 12 000) = 92 000; «Пион» 15 000
    assert ivanov["regular_turnover"] == Decimal("92000.00")
    assert ivanov["regular_plan"] == Decimal("23000.00")
    assert ivanov["avg_month"] == Decimal("26750.00")  # 107 000 / 4
    assert ivanov["oneoff_plan"] == Decimal("750.00")  # 20 % × (26 750 − 23 000)
    assert ivanov["plan"] == Decimal("30000.00")
    assert ivanov["active_gap"] == Decimal("6250.00")
    assert (ivanov["regular_clients"], ivanov["oneoff_clients"], ivanov["new_clients"]) == (1, 1, 2)
    assert summary["Петрова Анна"]["plan"] is None and summary["Петрова Анна"]["active_gap"] is None
    assert summary["Смирнов Алексей"]["active_gap"] == Decimal("20000.00")  # 50 000 − 30 000
    # «Гость», May only: the average month still divides by four
    assert summary["Без менеджера"]["avg_month"] == Decimal("2000.00")
    assert summary["Без менеджера"]["oneoff_plan"] == Decimal("400.00")


def test_the_one_off_share(company):
    ivanov = by(segments.segment_summary(company, JUNE, share="0.25"), "manager")["Иванов Иван"]
    assert ivanov["oneoff_plan"] == Decimal("937.50")
    assert ivanov["active_gap"] == Decimal("6062.50")
    with pytest.raises(ValueError):
        segments.segment_summary(company, JUNE, share="1.1")


def test_the_one_off_plan_is_never_negative(company):
    # Орлов's regular client brings 10 000 a month; another, new for planning (last bought in
    # December), returned 20 000 in the window, so the average month (5 000) is below the regular
    # plan (10 000)
    import_rows(
        company,
        "orlov.csv",
        *[f"15.{m:02d}.2026;ООО «Стабильный»;Орлов Олег;{EXTRA};10 000,00;" for m in (2, 3, 4, 5)],
        f"20.12.2025;ООО «Минус»;Орлов Олег;{EXTRA};50 000,00;",
        f"01.03.2026;ООО «Минус»;Орлов Олег;{EXTRA};-20 000,00;",
    )
    orlov = by(segments.segment_summary(company, JUNE), "manager")["Орлов Олег"]
    assert orlov["regular_plan"] == Decimal("10000.00")
    assert orlov["avg_month"] == Decimal("5000.00")
    assert orlov["oneoff_plan"] == Decimal("0.00")
    assert (orlov["new_clients"], orlov["lapsing_clients"]) == (1, 0)


def test_plan_builder_splits_the_gap_between_existing_and_new_clients(company):
    import_rows(
        company,
        "plan_petrova.csv",
        "Подразделение;Менеджер;Месяц;План",
        "Розничный отдел;Петрова Анна;2026-06;5000",
        kind="plan",
    )
    half = by(segments.plan_builder(company, JUNE, existing_share="0.5"), "manager")
    assert (half["Иванов Иван"]["gap_existing"], half["Иванов Иван"]["gap_new"]) == (
        Decimal("3125.00"),
        Decimal("3125.00"),
    )
    # Петрова's plan (5 000) is below her regular clients (9 500): nothing left for active sales
    assert half["Петрова Анна"]["active_gap"] == Decimal("-4500.00")
    assert (half["Петрова Анна"]["gap_existing"], half["Петрова Анна"]["gap_new"]) == (
        Decimal("0"),
        Decimal("0"),
    )
    assert half["Без менеджера"]["gap_existing"] is None  # no set plan
    two_thirds = by(segments.plan_builder(company, JUNE, existing_share="0.6667"), "manager")["Иванов Иван"]
    assert (two_thirds["gap_existing"], two_thirds["gap_new"]) == (Decimal("4166.88"), Decimal("2083.12"))
    unsplit = by(segments.plan_builder(company, JUNE), "manager")["Иванов Иван"]
    assert unsplit["gap_existing"] is None and unsplit["gap_new"] is None


def test_plan_builder_total_row_sums_the_managers(company):
    builder = segments.plan_builder(company, JUNE, existing_share="0.5")
    assert list(builder.columns) == segments.BUILDER_COLUMNS
    managers, total = builder[builder["manager"] != TOTAL], by(builder, "manager")[TOTAL]
    assert builder["manager"].iloc[-1] == TOTAL
    for column in segments.BUILDER_COLUMNS[1:]:
        values = [v for v in managers[column] if v is not None]
        assert total[column] == sum(values), column
    assert total["plan"] == Decimal("80000.00")
    assert total["active_gap"] == Decimal("26250.00")


def test_plan_months_run_from_the_month_after_the_first_sale(company):
    months = segments.plan_months(company)
    assert months[0] == JUNE and months[-1] == date(2024, 4, 1)
    assert len(months) == 27


def test_an_empty_database(con):
    assert segments.segment_summary(con, JUNE).empty
    assert segments.plan_builder(con, JUNE).empty
    assert segments.segment_clients(con, JUNE).empty
    assert segments.plan_months(con) == []


def test_a_bad_segment_is_refused(company):
    with pytest.raises(ValueError, match="segment"):
        segments.segment_clients(company, JUNE, segment="vip")


# --- the command line ----------------------------------------------------------------------------


def test_report_segments_share_option(capsys, fresh_db, company):
    code, out, _ = cli(
        capsys, "--db", fresh_db.target, "report", "segments", "--month", "2026-06", "--share", "0,25"
    )
    assert code == 0
    assert "Иванов Иван,1,1,23000.00,937.50,26750.00,30000.00,6062.50" in out.splitlines()


@pytest.mark.parametrize(
    "arguments",
    [
        (),
        ("--month", "2026-6"),
        ("--month", "2026-06", "--share", "1.5"),
        ("--month", "2026-06", "--share", "x"),
    ],
)
def test_report_segments_bad_input_exits_2(capsys, fresh_db, company, arguments):
    code, out, err = cli(capsys, "--db", fresh_db.target, "report", "segments", *arguments)
    assert code == 2
    assert out == "" and "error:" in err
