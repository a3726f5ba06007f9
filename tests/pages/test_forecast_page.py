"""The forecast page in AppTest, on the demo company (anchor 2026-11-23) and on an empty database."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from sales_analytics.db import Database
from sales_analytics.i18n import format_money
from sales_analytics.reports import forecast
from tests.conftest import DEMO_ANCHOR
from tests.pages.apptest_helpers import ROOT, no_exception, texts

ANCHOR = DEMO_ANCHOR


def page(lang: str = "ru") -> AppTest:
    at = AppTest.from_file(ROOT / "app_pages" / "forecast.py", default_timeout=60)
    at.session_state["lang"] = lang
    return no_exception(at.run())


def test_empty_database_says_what_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = page()
    assert "Прогнозов пока нет" in texts(at, "info")
    assert "Загрузка данных" in texts(at, "caption")  # where to go, also when the page runs on its own
    assert not at.get("plotly_chart")


def test_demo_forecast_shows_landing_chart_table_overdue_and_deals(on_demo):
    at = page()
    assert at.title[0].value == "Прогноз"
    headings = texts(at, "subheader")
    for heading in (
        "Как закрывается ноябрь 2026",
        "Прогноз на 6 мес.",
        "Просроченные сделки",
        "Сделки за цифрой",
    ):
        assert heading in headings
    # the figures are the report's: the next month's line and the landing card
    db = Database(on_demo)
    with db.cursor() as con:
        totals = forecast.month_totals(forecast.forecast_report(con, ANCHOR))
        landing = forecast.landing(con, ANCHOR, by="department")
        overdue = forecast.forecast_deals(con, ANCHOR, overdue=True)
    db.close()
    december = totals[totals["month"] == date(2026, 12, 1)].iloc[0]
    assert f"**{format_money(december['weighted'], 'ru')}**" in texts(at, "markdown")
    assert "декабрь 2026" in texts(at, "markdown")
    total = landing[landing["is_total"]].iloc[0]
    assert format_money(total["landing"], "ru") in [m.value for m in at.metric]
    assert f"ноябрь 2026: {len(overdue)}" in texts(at, "warning")
    assert len(at.get("plotly_chart")) == 1
    # the table: every department × six months; the drill-down opens on December
    assert at.dataframe[1].value.shape[0] == 3 * 6
    assert at.selectbox(key="forecast_cell_month").value == date(2026, 12, 1)
    assert len(at.dataframe[-1].value) == december["deals"]
    assert len(at.get("download_button")) >= 3


def test_changing_the_choices_redraws(on_demo):
    at = page()
    at.radio(key="forecast_by").set_value("manager").run()
    no_exception(at)
    groups = set(at.dataframe[1].value["Группа"])
    assert "Иванов Иван" in groups and "Оптовый отдел" not in groups
    at.radio(key="forecast_measure").set_value("margin").run()
    no_exception(at)
    assert "валовая прибыль" in texts(at, "caption")
    at.slider(key="forecast_months").set_value(3).run()
    no_exception(at)
    assert "Прогноз на 3 мес." in texts(at, "subheader")
    assert at.dataframe[1].value.shape[0] == 8 * 3
    at.selectbox(key="forecast_cell_month").set_value(forecast.OVERDUE).run()
    no_exception(at)
    assert set(at.dataframe[-1].value["Месяц"]) <= {"октябрь 2026", "сентябрь 2026"}
    at.selectbox(key="forecast_snapshot").set_value(date(2026, 11, 16)).run()
    no_exception(at)
    assert "Срез от 16.11.2026" in texts(at, "caption")


def test_english(on_demo):
    at = page("en")
    assert at.title[0].value == "Forecast"
    assert "How November 2026 is landing" in texts(at, "subheader")
    assert "Overdue deals" in texts(at, "subheader")
