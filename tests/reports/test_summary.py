"""The CEO's overview and weekly summary (issue 5): its figures are the underlying reports' figures.

Two databases:

- tests/reports/summary_fixture/: a tiny company worked out by hand. Sales of November 2026 up to the
  19th, a plan for October 2026 to January 2027, and two weekly forecasts (9 and 16 November) whose
  six changed deals have effects of +50 000, −50 000, +30 000, +3 000, −2 000 and +1 000;
  dormant clients of 900 000, 700 000 (named ``=2+2 Трейд``, a formula if written carelessly) and
  40 000. Read as of 18 November.
- the demo company (``demo_db``, anchor 2026-11-23), where the summary is checked against the reports
  it reads, not against numbers.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sales_analytics import calendar
from sales_analytics.batches import DataStatus
from sales_analytics.cli import main
from sales_analytics.db import Database
from sales_analytics.ingest import import_file
from sales_analytics.reports import changes, clients, forecast, plan_fact, summary
from tests.conftest import DEMO_ANCHOR

FIXTURE = Path(__file__).resolve().parent / "summary_fixture"
GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = (
    ("sales.csv", "sales"),
    ("plan.csv", "plan"),
    ("forecast_2026-11-09.csv", "deals"),
    ("forecast_2026-11-16.csv", "deals"),
)
AS_OF = date(2026, 11, 18)
A, B = date(2026, 11, 9), date(2026, 11, 16)
NOVEMBER = date(2026, 11, 1)


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "tiny.duckdb"
    db = Database(path)
    with db.cursor() as con:
        for name, kind in FILES:
            import_file(con, (FIXTURE / name).read_bytes(), name, kind)
    db.close()
    return path


@pytest.fixture
def tiny(tiny_path):
    db = Database(tiny_path)
    with db.cursor() as con:
        yield con
    db.close()


@pytest.fixture
def demo(demo_db):
    db = Database(demo_db)
    with db.cursor() as con:
        yield con
    db.close()


# --- this month ----------------------------------------------------------------------------------


def test_month_cards_hand_checked(tiny):
    cards = summary.month_cards(tiny, AS_OF)
    assert cards.month == NOVEMBER
    assert cards.plan == Decimal("400000.00")  # wholesale 300 000 + retail 100 000
    # sales of 2, 10 and 17 November; the 19th is after the as-of day
    assert cards.fact_to_date == Decimal("180000.00")
    # November 2026 has 20 working days (4 November is a holiday); 12 have passed by the 18th
    assert (cards.working_days, cards.elapsed_days) == (20, 12)
    assert cards.plan_to_date == Decimal("240000.00")
    assert cards.behind
    # landing, from the 16 November snapshot: fact up to the 16th (100 000 + 50 000) + Альфа 200 000 ×
    # 75 % + Кси 46 000 × 50 %; the 17th's sale is not in it (that deal may still be open in the snapshot)
    assert cards.snapshot == B
    assert cards.weighted_open == Decimal("173000.00")
    assert cards.deals == 2
    assert cards.landing == Decimal("150000.00") + cards.weighted_open == Decimal("323000.00")
    assert cards.gap == Decimal("77000.00")
    assert cards.attainment == pytest.approx(0.8075)


def test_month_cards_are_the_reports_figures(demo):
    cards = summary.month_cards(demo, DEMO_ANCHOR)
    progress = plan_fact.month_progress(demo, calendar.month_start(DEMO_ANCHOR), DEMO_ANCHOR)
    total = progress.frame[progress.frame["group"] == plan_fact.TOTAL].iloc[0]
    assert (cards.plan, cards.fact_to_date, cards.plan_to_date) == (
        total["plan"],
        total["fact_to_date"],
        total["plan_to_date"],
    )
    landing = forecast.landing(demo, DEMO_ANCHOR)
    row = landing[landing["is_total"]].iloc[0]
    assert cards.landing == row["landing"] == row["fact_to_date"] + row["weighted_open"]
    assert cards.weighted_open == row["weighted_open"]
    assert row["plan"] == cards.plan  # the two reports agree on the month's plan
    assert cards.gap == cards.plan - cards.landing == row["gap"]
    assert cards.snapshot == landing.attrs["snapshot"]


@pytest.mark.parametrize(
    "day",
    [
        DEMO_ANCHOR,
        calendar.month_start(DEMO_ANCHOR),  # no working day elapsed yet
        DEMO_ANCHOR - timedelta(days=40),
        date(DEMO_ANCHOR.year, 1, 31),
        date(DEMO_ANCHOR.year - 3, 6, 15),  # before the data: nothing at all
        date(DEMO_ANCHOR.year + 1, 2, 10),  # after the sales: a plan, maybe, and no fact
    ],
)
def test_month_cards_read_plan_fact_as_the_month_progress_does(demo, day):
    """The cards read the month's plan and fact straight from its rows (not through the client store):
    every figure is still month_progress's TOTAL row, to the kopeck, on any day."""
    cards = summary.month_cards(demo, day)
    progress = plan_fact.month_progress(demo, calendar.month_start(day), day)
    totals = progress.frame[progress.frame["group"] == plan_fact.TOTAL]
    if totals.empty:
        assert (cards.plan, cards.fact_to_date, cards.plan_to_date) == (None, 0, None)
    else:
        total = totals.iloc[0]
        assert (cards.plan, cards.fact_to_date, cards.plan_to_date) == (
            total["plan"],
            total["fact_to_date"],
            total["plan_to_date"],
        )
        assert str(cards.fact_to_date) == str(total["fact_to_date"])  # the same kopecks written
    assert (cards.working_days, cards.elapsed_days) == (progress.working_days, progress.elapsed_days)


def test_month_cards_by_hand_match_month_progress(tiny):
    for day in (AS_OF, date(2026, 12, 3), date(2026, 11, 5), date(2026, 10, 31), date(2027, 1, 15)):
        cards = summary.month_cards(tiny, day)
        progress = plan_fact.month_progress(tiny, calendar.month_start(day), day)
        totals = progress.frame[progress.frame["group"] == plan_fact.TOTAL]
        expected = (
            (None, 0, None)
            if totals.empty
            else tuple(totals.iloc[0][["plan", "fact_to_date", "plan_to_date"]])
        )
        assert (cards.plan, cards.fact_to_date, cards.plan_to_date) == expected, day


def test_no_landing_without_a_snapshot_of_this_month(tiny):
    """In December the latest snapshot (16 November) forecasts November: no landing is guessed."""
    december = date(2026, 12, 3)
    cards = summary.month_cards(tiny, december)
    assert cards.month == date(2026, 12, 1)
    assert cards.snapshot == B
    assert cards.landing is None and cards.gap is None and cards.attainment is None
    assert cards.plan == Decimal("200000.00")
    assert cards.fact_to_date == 0
    # before the first snapshot there is none at all
    early = summary.month_cards(tiny, date(2026, 11, 5))
    assert early.snapshot is None and early.landing is None
    assert early.fact_to_date == Decimal("100000.00")


def test_cards_on_an_empty_database(con):
    cards = summary.month_cards(con, AS_OF)
    assert cards.plan is None and cards.landing is None and cards.gap is None
    assert cards.fact_to_date == 0


# --- the next months -----------------------------------------------------------------------------


def test_next_three_months_hand_checked(tiny):
    following = summary.next_months(tiny, AS_OF)
    assert list(following.columns) == summary.NEXT_COLUMNS
    assert following.attrs["snapshot"] == B
    assert list(following["month"]) == [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    assert list(following["weighted"]) == [Decimal("30000.00"), Decimal("80000.00"), Decimal("1000.00")]
    assert list(following["plan"]) == [Decimal("200000.00"), Decimal("150000.00"), None]
    assert list(following["gap"]) == [Decimal("170000.00"), Decimal("70000.00"), None]
    assert following["attainment"].iloc[2] is None


def test_next_months_are_the_forecast_reports(demo):
    following = summary.next_months(demo, DEMO_ANCHOR)
    report = forecast.month_totals(forecast.forecast_report(demo, DEMO_ANCHOR, 4, by="all"))
    expected = report.iloc[1:].reset_index(drop=True)
    assert len(following) == 3
    for column in ("month", "weighted", "unweighted", "deals", "plan", "gap"):
        assert list(following[column]) == list(expected[column]), column


def test_next_months_reach_past_an_older_snapshot(tiny):
    """On 3 December the 16 November snapshot still forecasts January to March."""
    following = summary.next_months(tiny, date(2026, 12, 3))
    assert list(following["month"]) == [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    assert list(following["weighted"]) == [Decimal("80000.00"), Decimal("1000.00"), Decimal("0.00")]


def test_next_months_without_a_snapshot(tiny):
    following = summary.next_months(tiny, date(2026, 11, 5))
    assert following.empty and following.attrs["snapshot"] is None


def test_gap_by_month(tiny):
    gap = summary.gap_by_month(tiny, AS_OF)
    assert list(gap.columns) == summary.GAP_COLUMNS
    assert list(gap["basis"]) == ["fact", "landing", "forecast", "forecast", "forecast"]
    october = gap.iloc[0]
    assert october["month"] == date(2026, 10, 1)
    assert (october["plan"], october["value"], october["gap"]) == (
        Decimal("100000.00"),
        Decimal("120000.00"),
        Decimal("-20000.00"),
    )
    assert october["attainment"] == pytest.approx(1.2)
    assert gap.iloc[1]["value"] == Decimal("323000.00")
    assert gap.iloc[4]["gap"] is None  # February has no plan


def test_gap_by_month_on_demo_reads_the_year(demo):
    gap = summary.gap_by_month(demo, DEMO_ANCHOR)
    year = plan_fact.attainment_by_month(demo, 2026, through=date(2026, 10, 31))
    totals = year[year["group"] == plan_fact.TOTAL]
    past = gap[gap["basis"] == "fact"]
    assert list(past["month"]) == list(totals["month"])
    assert list(past["value"]) == list(totals["fact"])
    for row in gap.itertuples():
        if row.plan is not None and row.value is not None:
            assert row.gap == row.plan - row.value


# --- the week's changes --------------------------------------------------------------------------


def test_top_changes_hand_checked(tiny):
    top = summary.top_changes(tiny, AS_OF)
    assert list(top.columns) == [*summary.CHANGE_COLUMNS, "deal_id"]
    # six deals moved the forecast; the smallest (Мю, +1 000) is not in the five
    assert list(top["client"]) == ["ООО «Альфа»", "ООО «Бета»", "ООО «Лямбда»", "ООО «Кси»", "ООО «Ню»"]
    assert list(top["effect"]) == [Decimal(v) for v in ("50000", "-50000", "30000", "3000", "-2000")]
    assert list(top["category"]) == ["probability_up", "won", "new", "amount_up", "removed"]
    assert list(top["manager"]) == ["Иванов Иван"] * 4 + ["Петрова Анна"]
    assert (top.attrs["snapshot_a"], top.attrs["snapshot_b"]) == (A, B)
    assert top.attrs["start"] == Decimal("252000.00")
    assert top.attrs["end"] == Decimal("284000.00")
    assert top.attrs["change"] == Decimal("32000.00")
    assert top.attrs["changed"] == 6


def test_top_changes_are_the_five_largest_effects(demo):
    dates = forecast.snapshot_dates(demo)
    top = summary.top_changes(demo, DEMO_ANCHOR)
    every = changes.changes_deals(demo, dates[-2], dates[-1])
    moved = sorted((abs(e) for e in every["effect"] if e != 0), reverse=True)
    assert len(top) == 5 and len(moved) > 5
    assert [abs(e) for e in top["effect"]] == moved[:5]
    waterfall = changes.changes_summary(demo, dates[-2], dates[-1])
    amounts = dict(zip(waterfall["category"], waterfall["amount"], strict=True))
    assert top.attrs["change"] == amounts["end"] - amounts["start"]
    assert top.attrs["change"] == sum((amounts[c] for c in changes.CATEGORIES), Decimal(0))
    assert all(isinstance(m, str) and m for m in top["manager"])


def test_top_changes_need_two_snapshots(tiny):
    top = summary.top_changes(tiny, date(2026, 11, 12))  # only the 9 November snapshot by then
    assert top.empty and top.attrs["snapshot_b"] is None


# --- clients -------------------------------------------------------------------------------------


def test_big_dormant_clients_hand_checked(tiny):
    dormant = summary.big_dormant(tiny, AS_OF)
    assert dormant.count == 2
    assert list(dormant.clients["client"]) == ["ООО «Дельта»", "=2+2 Трейд"]
    assert dormant.turnover == Decimal("1600000.00")
    # Эпсилон (40 000 a month) is dormant too, but small
    every = clients.dormant_clients(tiny, AS_OF)
    assert "ООО «Эпсилон»" in set(every["client"])


def test_big_dormant_clients_are_the_clients_report(demo):
    dormant = summary.big_dormant(demo, DEMO_ANCHOR)
    listed = clients.dormant_clients(demo, DEMO_ANCHOR, min_size=60_000, size_per="month")
    assert dormant.count == len(listed) > 0
    assert dormant.turnover == sum(listed["lookback_turnover"], Decimal(0))
    assert all(avg >= 60_000 for avg in dormant.clients["avg_month"])


# --- freshness and the overview's day ------------------------------------------------------------


def test_freshness_flags_data_older_than_eight_days(tiny):
    fresh = summary.freshness(tiny, date(2026, 11, 24))
    assert (fresh.last_sale, fresh.last_snapshot) == (date(2026, 11, 19), B)
    assert (fresh.sales_age, fresh.snapshot_age) == (5, 8)
    assert not fresh.stale  # eight days is still this week's upload
    later = summary.freshness(tiny, date(2026, 11, 25))
    assert later.snapshot_stale and not later.sales_stale and later.stale
    assert summary.freshness(tiny, date(2026, 11, 28)).sales_stale


def test_freshness_of_missing_data(con):
    fresh = summary.freshness(con, AS_OF)
    assert fresh.last_sale is None and fresh.sales_age is None
    assert fresh.sales_stale and fresh.snapshot_stale


def status(last_sale: date | None, last_snapshot: date | None) -> DataStatus:
    return DataStatus(1, last_sale, last_sale, 1, last_snapshot, 0, 1, 0)


def test_overview_reads_as_of_the_datas_latest_day():
    today = date(2026, 11, 25)
    assert summary.overview_as_of(status(date(2026, 11, 20), date(2026, 11, 23)), today) == date(2026, 11, 23)
    assert summary.overview_as_of(status(date(2026, 11, 24), date(2026, 11, 23)), today) == date(2026, 11, 24)
    # a forecast dated ahead of today does not move the figures into the future
    assert summary.overview_as_of(status(None, today + timedelta(days=6)), today) == today
    assert summary.overview_as_of(status(None, None), today) == today


# --- the workbook and the command line -----------------------------------------------------------


def sheet_rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True)]


def test_workbook_holds_the_summary(tiny):
    payload = summary.summary_workbook(tiny, AS_OF, "ru", today=date(2026, 11, 25))
    book = openpyxl.load_workbook(io.BytesIO(payload))
    assert book.sheetnames == ["Месяц", "План по месяцам", "Изменения", "Спящие клиенты"]
    for sheet in book:
        assert sheet["A1"].value == "Сводка недели на 18.11.2026"
        assert sheet.freeze_panes is not None
    month = book["Месяц"]
    values = {row[0]: row[1] for row in sheet_rows(month) if row[0] and row[1] is not None}
    assert values["Прогноз закрытия"] == 323000
    assert values["Разрыв до плана"] == 77000
    assert values["Прогноз закрытия, % плана"] == pytest.approx(0.8075)
    landing_cell = next(r for r in month.iter_rows() if r[0].value == "Прогноз закрытия, % плана")[1]
    assert landing_cell.number_format == "0.0%"
    assert any("старше 8 дней" in str(row[0]) for row in sheet_rows(month))  # the 16th's snapshot is stale
    # the header row is frozen: the first data row is right under it
    header_row = next(r[0].row for r in month.iter_rows() if r[0].value == "Показатель")
    assert month.freeze_panes == f"A{header_row + 1}"

    gap = book["План по месяцам"]
    october = next(r for r in sheet_rows(gap) if r[0] == "октябрь 2026")
    assert october[1:5] == ("Факт", 100000, 120000, -20000)

    changed = book["Изменения"]
    alpha = next(r for r in changed.iter_rows() if r[0].value == "ООО «Альфа»")
    assert (alpha[1].value, alpha[4].value, alpha[7].value) == ("Иванов Иван", "Вероятность выросла", 50000)
    assert alpha[7].number_format == "#,##0.00"
    assert sum(1 for r in sheet_rows(changed) if r[7] is not None and isinstance(r[7], int | float)) == 6

    dormant = book["Спящие клиенты"]
    formula = next(r for r in dormant.iter_rows() if str(r[0].value).startswith("=2+2"))
    assert formula[0].data_type == "s"  # text, not a formula
    assert formula[5].value == 700000


def test_workbook_in_english(tiny):
    book = openpyxl.load_workbook(io.BytesIO(summary.summary_workbook(tiny, AS_OF, "en", today=AS_OF)))
    assert book.sheetnames == ["Month", "Plan by month", "Changes", "Dormant clients"]
    assert book["Month"]["A1"].value == "Weekly summary as of 18 Nov 2026"
    labels = [row[0] for row in sheet_rows(book["Month"])]
    assert "Landing" in labels and "Gap to plan" in labels


def test_workbook_on_an_empty_database(con):
    book = openpyxl.load_workbook(io.BytesIO(summary.summary_workbook(con, AS_OF, "ru", today=AS_OF)))
    texts = " ".join(str(v) for row in sheet_rows(book["Изменения"]) for v in row if v)
    assert "нужны два среза" in texts


def test_cli_writes_the_workbook_and_prints_the_cards(tiny_path, tmp_path, capsys):
    out = tmp_path / "summary.xlsx"
    code = main(["--db", str(tiny_path), "report", "summary", "--as-of", "2026-11-18", "-o", str(out)])
    printed, _ = capsys.readouterr()
    assert code == 0
    assert printed == (GOLDEN / "summary_cards_2026-11-18.csv").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(out)
    assert book["Месяц"]["A1"].value == "Сводка недели на 18.11.2026"
    values = {row[0]: row[1] for row in sheet_rows(book["Месяц"])}
    assert values["Прогноз закрытия"] == 323000


def test_cli_json_and_english(tiny_path, tmp_path, capsys):
    out = tmp_path / "summary_en.xlsx"
    code = main(
        ["--db", str(tiny_path), "--lang", "en", "report", "summary", "--as-of", "2026-11-18"]
        + ["--format", "json", "-o", str(out)]
    )
    printed, _ = capsys.readouterr()
    assert code == 0
    assert '"landing": "323000.00"' in printed
    assert openpyxl.load_workbook(out)["Month"]["A1"].value == "Weekly summary as of 18 Nov 2026"


def test_cli_refuses_without_an_output_file(tiny_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tiny_path), "report", "summary", "--as-of", "2026-11-18"])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert "-o FILE.xlsx" in err
