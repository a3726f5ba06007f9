"""The plan builder page in AppTest, on the demo company (plan month December 2026 by default)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sales_analytics.db import Database
from sales_analytics.i18n import format_money
from sales_analytics.reports import segments
from tests.pages.apptest_helpers import no_exception, texts
from tests.reports.plan_fixture import page_harness

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "plan_builder.py"
DECEMBER = date(2026, 12, 1)


@pytest.fixture
def page(demo_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(demo_db))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    return no_exception(AppTest.from_file(PAGE, default_timeout=60).run())


def builder_total(demo_db: Path, **options) -> dict:
    db = Database(demo_db)
    with db.cursor() as con:
        frame = segments.plan_builder(con, DECEMBER, **options)
    db.close()
    return frame.to_dict("records")[-1]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_plan_of_every_manager_from_history(page, demo_db):
    assert page.title[0].value == "Построение плана"
    assert "История: август 2026 – ноябрь 2026; доля разовых 20 %" in texts(page, "caption")
    total = builder_total(demo_db, share="0.2")
    shown = metrics(page)
    assert shown["План"] == format_money(total["plan"]) == "51\xa0520\xa0000 ₽"
    assert shown["Дадут постоянные"] == format_money(total["regular_plan"])
    assert shown["Активные продажи"] == format_money(total["active_gap"])
    table = page.dataframe[0].value
    assert len(table) == 9 and table.iloc[-1]["Менеджер"] == "Итого"
    assert "Активные: существующим" not in table.columns
    assert len(page.get("plotly_chart")) == 1
    assert sorted(b.label for b in page.get("download_button")) == ["Скачать Excel", "Скачать PNG"]


def test_the_one_off_share_slider(page, demo_db):
    page.slider(key="plan_builder_share").set_value(25).run()
    no_exception(page)
    assert metrics(page)["Дадут разовые"] == format_money(builder_total(demo_db, share="0.25")["oneoff_plan"])
    assert "доля разовых 25 %" in texts(page, "caption")


def test_splitting_active_sales_between_existing_and_new_clients(page, demo_db):
    page.toggle(key="plan_builder_split").set_value(True).run()
    no_exception(page)
    page.slider(key="plan_builder_existing").set_value(67).run()
    no_exception(page)
    table = page.dataframe[0].value
    total = builder_total(demo_db, share="0.2", existing_share="0.67")
    assert table.iloc[-1]["Активные: существующим"] == float(total["gap_existing"])
    assert table.iloc[-1]["Активные: новым"] == float(total["gap_new"])


def test_a_month_without_a_set_plan_warns(page):
    page.selectbox(key="plan_builder_month").set_value(date(2025, 6, 1)).run()
    no_exception(page)
    assert "На июнь 2025 план не загружен" in texts(page, "warning")
    assert metrics(page)["Активные продажи"] == "—"


def test_an_empty_database_says_what_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = no_exception(AppTest.from_file(page_harness(tmp_path, "plan_builder.py"), default_timeout=60).run())
    assert "план строится по истории продаж" in texts(at, "info")
    assert at.get("page_link")
    assert not at.metric
