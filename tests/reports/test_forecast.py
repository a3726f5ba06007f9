"""The forecast of one snapshot (SPEC.md "Forecast") on a tiny, hand-checked fixture.

tests/reports/forecast_fixture/ holds three weekly forecasts (2026-10-19, 2026-11-16, 2026-11-23) of
three managers, a sales export and a plan, imported through the real importer. The figures asserted
here were worked out by hand from those files; the golden CSVs pin the command line's exact output.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sales_analytics import export
from sales_analytics.cli import main
from sales_analytics.db import Database
from sales_analytics.ingest import import_file
from sales_analytics.reports import forecast

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "forecast_fixture"
GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = (
    ("sales.csv", "sales"),
    ("plan.csv", "plan"),
    ("forecast_2026-10-19.csv", "deals"),
    ("forecast_2026-11-16.csv", "deals"),
    ("forecast_2026-11-23.csv", "deals"),
)
A, B = date(2026, 11, 16), date(2026, 11, 23)
WHOLESALE, RETAIL = "Оптовый отдел", "Розничный отдел"


def build_fixture(path: Path) -> Path:
    """The fixture database at ``path``, every file imported the way a person uploads it."""
    db = Database(path)
    with db.cursor() as con:
        for name, kind in FILES:
            import_file(con, (FIXTURE / name).read_bytes(), name, kind)
    db.close()
    return path


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("forecast") / "fixture.duckdb")


@pytest.fixture
def con(db_path):
    db = Database(db_path)
    with db.cursor() as cursor:
        yield cursor
    db.close()


def cli(capsys, db_path: Path, *args) -> str:
    code = main(["--db", str(db_path), *map(str, args)])
    out, _ = capsys.readouterr()
    assert code == 0
    return out


def cell(frame, group, month):
    rows = frame[(frame["group"] == group) & (frame["month"] == month)]
    assert len(rows) == 1, (group, month)
    return rows.iloc[0]


# --- snapshots -----------------------------------------------------------------------------------


def test_snapshot_dates_and_the_latest_one_on_or_before_a_date(con):
    assert forecast.snapshot_dates(con) == [date(2026, 10, 19), A, B]
    assert forecast.resolve_snapshot(con, B) == B
    assert forecast.resolve_snapshot(con, date(2026, 11, 22)) == A  # no snapshot that day: the one before
    assert forecast.resolve_snapshot(con, date(2027, 1, 1)) == B
    with pytest.raises(forecast.NoSnapshot):
        forecast.resolve_snapshot(con, date(2026, 10, 18))


def test_snapshot_dates_follow_a_new_upload(tmp_path):
    """The dates are read once per data version: an import shows its snapshot at once."""
    db = Database(tmp_path / "growing.duckdb")
    with db.cursor() as con:
        import_file(
            con, (FIXTURE / "forecast_2026-11-16.csv").read_bytes(), "forecast_2026-11-16.csv", "deals"
        )
        assert forecast.snapshot_dates(con) == [A]
        import_file(
            con, (FIXTURE / "forecast_2026-11-23.csv").read_bytes(), "forecast_2026-11-23.csv", "deals"
        )
        assert forecast.snapshot_dates(con) == [A, B]
    db.close()


# --- the forecast --------------------------------------------------------------------------------


def test_forecast_by_department_hand_checked(con):
    report = forecast.forecast_report(con, B)
    assert list(report.columns[:6]) == forecast.COLUMNS
    assert report.attrs["snapshot"] == B
    # December, wholesale: 100 000 × 50 % + 360 000 × 40 % + 33 333,37 × 33,33 % (11 110,012221 → 11 110,01)
    december = cell(report, WHOLESALE, date(2026, 12, 1))
    assert december["weighted"] == Decimal("205110.01")
    assert december["unweighted"] == Decimal("493333.37")
    assert december["deals"] == 3
    assert december["plan"] == Decimal("600000.00")
    assert december["gap"] == Decimal("394889.99")
    # the won (Бета) and lost (Сигма) deals are not in the forecast; November has only the plan
    november = cell(report, WHOLESALE, date(2026, 11, 1))
    assert (november["weighted"], november["deals"], november["plan"]) == (0, 0, Decimal("500000.00"))
    # a deal without probability counts 100 %
    assert cell(report, RETAIL, date(2026, 11, 1))["weighted"] == Decimal("20000.00")


def test_every_group_has_every_month_and_nothing_is_dropped(con):
    report = forecast.forecast_report(con, B, months=6)
    months = [forecast.add_months(date(2026, 11, 1), n) for n in range(6)]
    for group in (WHOLESALE, RETAIL, "Без отдела"):
        in_months = [m for m in report[report["group"] == group]["month"] if isinstance(m, date)]
        assert in_months == months
    # overdue (Мак, October) and undated (Нарцисс) deals are rows of their own, never in a month
    assert cell(report, RETAIL, forecast.OVERDUE)["weighted"] == Decimal("5000.00")
    undated = report[(report["group"] == RETAIL) & report["month"].isna()]
    assert list(undated["weighted"]) == [Decimal("7500.00")]
    # Сидоров's deal has no department (no column, no sales): "Без отдела", not dropped
    assert cell(report, "Без отдела", date(2027, 1, 1))["weighted"] == Decimal("27000.00")
    # every open deal of the snapshot is counted once: beyond the horizon are Омега (June) and Вега (August)
    open_deals = forecast.forecast_deals(con, B, place="all")
    assert report["deals"].sum() == len(open_deals) - 2
    assert sum(report["weighted"]) == sum(open_deals[open_deals["place"] != "beyond"]["weighted"])


def test_plan_rules_by_group_and_in_total(con):
    by_department = forecast.forecast_report(con, B)
    # Сидоров's January plan row names no department: part of no department's plan, but of the total
    assert cell(by_department, "Без отдела", date(2027, 1, 1))["plan"] is None
    assert cell(by_department, WHOLESALE, date(2027, 1, 1))["plan_total"] == Decimal("450000.00")
    by_manager = forecast.forecast_report(con, B, by="manager")
    assert cell(by_manager, "Сидоров Олег", date(2027, 1, 1))["plan"] == Decimal("50000.00")
    everyone = forecast.forecast_report(con, B, by="all")
    assert set(everyone["group"]) == {"all"}
    assert cell(everyone, "all", date(2027, 1, 1))["plan"] == Decimal("450000.00")
    assert cell(everyone, "all", date(2027, 1, 1))["weighted"] == Decimal("312000.00")


def test_month_totals_sum_the_groups_against_the_company_plan(con):
    totals = forecast.month_totals(forecast.forecast_report(con, B))
    january = totals[totals["month"] == date(2027, 1, 1)].iloc[0]
    assert january["weighted"] == Decimal("312000.00")  # 270 000 + 15 000 + 27 000
    assert january["deals"] == 4
    assert (january["plan"], january["gap"]) == (Decimal("450000.00"), Decimal("138000.00"))
    assert totals[totals["month"] == date(2027, 3, 1)].iloc[0]["plan"] is None


def test_margin_view_has_no_plan_and_counts_a_missing_margin_as_zero(con):
    report = forecast.forecast_report(con, B, measure="margin")
    # December, wholesale: 20 000 × 0,5 + 72 000 × 0,4 + 6 666,67 × 0,3333 (2 222,000111 → 2 222,00)
    assert cell(report, WHOLESALE, date(2026, 12, 1))["weighted"] == Decimal("41022.00")
    assert report["plan"].isna().all() and report["plan_total"].isna().all()
    assert cell(report, RETAIL, date(2026, 11, 1))["weighted"] == Decimal("0.00")  # Пион has no margin


def test_a_date_between_snapshots_reads_the_earlier_one(con):
    report = forecast.forecast_report(con, date(2026, 11, 20), by="all")
    assert report.attrs["snapshot"] == A
    # A's November: Бета 200 000 × 50 % + Ромашка 50 000 × 80 %
    assert cell(report, "all", date(2026, 11, 1))["weighted"] == Decimal("140000.00")
    with pytest.raises(forecast.NoSnapshot):
        forecast.forecast_report(con, date(2026, 1, 1))


def test_bad_choices_are_refused(con):
    with pytest.raises(ValueError, match="by must be"):
        forecast.forecast_report(con, B, by="client")
    with pytest.raises(ValueError, match="months must be"):
        forecast.forecast_report(con, B, months=0)
    with pytest.raises(ValueError, match="measure must be"):
        forecast.landing(con, B, measure="profit")


# --- the deals behind a cell ---------------------------------------------------------------------


def test_deals_behind_a_cell(con):
    deals = forecast.forecast_deals(con, B, month=date(2026, 12, 1), group=WHOLESALE)
    assert list(deals["client"]) == ["ООО «Гамма»", "ООО «Альфа»", "ООО «Кварц»"]  # largest weighted first
    assert sum(deals["weighted"]) == Decimal("205110.01")
    overdue = forecast.forecast_deals(con, B, overdue=True)
    assert list(overdue["client"]) == ["ООО «Мак»"]
    nobody = forecast.forecast_deals(con, B, month=date(2027, 1, 1), group="Без отдела")
    assert list(nobody["client"]) == ["ООО «Зенит»"] and list(nobody["department"]) == ["Без отдела"]
    everything = forecast.forecast_deals(con, B, place="all")
    assert sorted(set(everything["place"])) == ["beyond", "month", "overdue", "undated"]
    picked = forecast.pick_deals(everything, "month", date(2026, 12, 1), WHOLESALE)
    assert list(picked["client"]) == list(deals["client"])
    assert forecast.pick_deals(everything, "undated")["client"].tolist() == ["ООО «Нарцисс»"]
    with pytest.raises(ValueError):
        forecast.pick_deals(everything, "soon")


# --- landing -------------------------------------------------------------------------------------


def test_landing_of_the_snapshot_month(con):
    landing = forecast.landing(con, B, by="department")
    rows = {row.group: row for row in landing.itertuples(index=False)}
    # wholesale: sales of 5 and 20 November (the sale of 24 November is after the snapshot)
    assert rows[WHOLESALE].fact_to_date == Decimal("200000.00")
    assert rows[WHOLESALE].landing == Decimal("200000.00")
    assert rows[WHOLESALE].attainment == pytest.approx(0.4)
    # retail: 30 000 sold + Пион 20 000 at 100 % (missing probability)
    assert (rows[RETAIL].weighted_open, rows[RETAIL].landing) == (Decimal("20000.00"), Decimal("50000.00"))
    assert rows[RETAIL].gap == Decimal("50000.00")
    total = rows["Итого"]
    assert total.is_total and list(landing["is_total"]) == [False, False, True]
    assert (total.fact_to_date, total.landing, total.plan) == (
        Decimal("230000.00"),
        Decimal("250000.00"),
        Decimal("600000.00"),
    )
    only_total = forecast.landing(con, B, by="all", lang="en")
    assert list(only_total["group"]) == ["Total"] and only_total.iloc[0]["landing"] == total.landing


def test_landing_of_a_month_with_nothing_yet(tmp_path):
    db = Database(tmp_path / "empty_month.duckdb")
    with db.cursor() as con:
        import_file(
            con, (FIXTURE / "forecast_2026-10-19.csv").read_bytes(), "forecast_2026-10-19.csv", "deals"
        )
        landing = forecast.landing(con, date(2026, 10, 19))
        assert len(landing) == 1
        assert landing.iloc[0]["weighted_open"] == Decimal("136000.00")  # 200 000 × 50 % + 40 000 × 90 %
        assert landing.iloc[0]["plan"] is None and landing.iloc[0]["attainment"] is None
    db.close()


# --- the command line ----------------------------------------------------------------------------


def test_cli_forecast_matches_the_golden_files(capsys, db_path):
    for by in ("department", "manager"):
        out = cli(capsys, db_path, "report", "forecast", "--as-of", "2026-11-23", "--by", by)
        assert out == (GOLDEN / f"forecast_by_{by}.csv").read_text(encoding="utf-8"), by


def test_cli_forecast_prints_what_the_page_reads(capsys, db_path, con):
    out = cli(capsys, db_path, "report", "forecast", "--as-of", "2026-11-25", "--months", "3", "--by", "all")
    lines = out.splitlines()
    assert lines[0] == "group,month,weighted,unweighted,deals,plan"
    assert lines[1:] == [
        "all,2026-11,20000.00,20000.00,1,600000.00",
        "all,2026-12,241110.01,533333.37,4,750000.00",
        "all,2027-01,312000.00,520000.00,4,450000.00",
        "all,overdue,5000.00,10000.00,1,",
        "all,,7500.00,15000.00,1,",
    ]
    page = forecast.forecast_report(con, date(2026, 11, 25), months=3, by="all")
    assert out == export.to_csv(page[forecast.COLUMNS])
    as_json = json.loads(
        cli(capsys, db_path, "report", "forecast", "--as-of", "2026-11-23", "--format", "json")
    )
    assert as_json[0] == {
        "group": WHOLESALE, "month": "2026-11", "weighted": "0.00", "unweighted": "0.00", "deals": 0,
        "plan": "500000.00",
    }  # fmt: skip


def test_cli_forecast_without_a_snapshot_exits_2(capsys, db_path):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db_path), "report", "forecast", "--as-of", "2026-01-01"])
    assert exit_.value.code == 2
    assert "no forecast snapshot on or before 2026-01-01" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db_path), "report", "forecast"])  # --as-of is required
    assert exit_.value.code == 2


# --- texts ---------------------------------------------------------------------------------------


def test_every_text_the_forecast_pages_use_exists_in_both_languages():
    """Keys written out in the pages and modules of this feature, and the generated ones."""
    texts = {
        lang: json.loads((ROOT / "sales_analytics" / "locales" / f"{lang}.forecast.json").read_text("utf-8"))
        for lang in ("ru", "en")
    }
    assert set(texts["ru"]) == set(texts["en"])
    sources = [
        ROOT / "app_pages" / "forecast.py",
        ROOT / "app_pages" / "changes.py",
        ROOT / "sales_analytics" / "charts_forecast.py",
        ROOT / "sales_analytics" / "reports" / "forecast.py",
        ROOT / "sales_analytics" / "reports" / "changes.py",
        ROOT / "sales_analytics" / "reports" / "forecast_display.py",
    ]
    used = set()
    for source in sources:
        used |= set(
            re.findall(r"\"((?:forecast|changes)\.[a-z_0-9.]+[a-z0-9_])\"", source.read_text("utf-8"))
        )
    from sales_analytics.reports import changes

    used |= {f"changes.category.{c}" for c in ("start", "end", *changes.ALL_CATEGORIES)}
    used |= {f"changes.status.{s}" for s in ("open", "won", "lost")}
    columns = set(forecast.COLUMNS) | {"gap", "plan_total"} | set(forecast.DEAL_COLUMNS)
    columns |= set(changes.DEAL_COLUMNS + changes.DEAL_EXTRA_COLUMNS + changes.SLIP_DEAL_COLUMNS)
    columns |= set(changes.SLIP_MANAGER_COLUMNS + changes.ACCURACY_COLUMNS)
    used |= {f"forecast.col.{c}" for c in columns}
    assert len(used) > 150
    missing = sorted(key for key in used if key not in texts["ru"])
    assert not missing
