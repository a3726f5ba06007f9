"""The clients page in AppTest, on the demo company: dormant and declining lists, segments, call list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sales_analytics.db import Database
from sales_analytics.demo import demo_summary
from sales_analytics.reports import segments
from tests.pages.apptest_helpers import no_exception, texts
from tests.reports.plan_fixture import DEMO_ANCHOR, page_harness

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "clients.py"
TAB = "clients_tab"  # the open tab computes and shows its tables; the others stay empty
DECLINING_TAB, SEGMENTS_TAB = "Сокращают закупки", "Сегменты по менеджерам"


@pytest.fixture
def page(demo_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(demo_db))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    return no_exception(AppTest.from_file(PAGE, default_timeout=60).run())


# each table by a column only it has
DORMANT = "Дней без покупок"
DECLINING = "Прежний уровень за столько же месяцев"
SEGMENTS = "Новых для плана"
SEGMENT_CLIENTS = "Месяцев с покупками (из 4)"


def table(at: AppTest, column: str):
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state[TAB] = label
    return no_exception(at.run())


def test_the_big_quiet_clients_and_whose_they_are(page):
    assert page.title[0].value == "Клиенты"
    built = demo_summary(DEMO_ANCHOR)
    assert len(page.dataframe) == 1  # the declining and segments tabs wait until opened
    dormant = table(page, DORMANT)
    assert set(built["dormant_clients"]) <= set(dormant["Клиент"])
    assert "Уснувших клиентов: **32**" in texts(page, "markdown")
    top = dormant.head(10)
    assert list(top.columns[:3]) == ["Клиент", "Менеджер", "Подразделение"]
    assert top["Менеджер"].notna().all()
    assert list(top["Оборот за период"]) == sorted(top["Оборот за период"], reverse=True)
    open_tab(page, DECLINING_TAB)
    declining = table(page, DECLINING)
    assert set(built["declining_clients"]) <= set(declining["Клиент"])
    assert list(declining["Изменение"]) == sorted(declining["Изменение"])  # the largest fall first
    call_list = [b for b in page.get("download_button") if "Список для обзвона" in str(b.proto)]
    assert len(call_list) == 1


def test_a_longer_threshold_keeps_fewer_clients(page):
    page.number_input(key="clients_months").set_value(12).run()
    no_exception(page)
    dormant = table(page, DORMANT)
    assert 0 < len(dormant) < 32
    assert (dormant["Дней без покупок"] >= 365).all()


def test_manager_filter_and_minimum_size(page):
    page.multiselect(key="clients_managers").select("Иванов Иван").run()
    no_exception(page)
    assert set(table(page, DORMANT)["Менеджер"]) == {"Иванов Иван"}
    open_tab(page, DECLINING_TAB)  # the filters hold in every tab
    assert set(table(page, DECLINING)["Менеджер"]) == {"Иванов Иван"}
    open_tab(page, "Уснувшие")
    page.number_input(key="clients_min_size").set_value(2_000_000).run()
    no_exception(page)
    big = table(page, DORMANT)
    assert list(big["Клиент"]) == ["ООО «Параллель Сервис»"]  # 3 305 386 ₽ a month
    assert (big["В среднем за активный месяц"] >= 2_000_000).all()


def test_choosing_a_segment_lists_its_clients(page, demo_db):
    open_tab(page, SEGMENTS_TAB)
    summary = table(page, SEGMENTS)
    assert "Смирнов Алексей" in set(summary["Менеджер"])
    assert "Клиенты сегмента «Постоянные»" in texts(page, "markdown")
    regular = table(page, SEGMENT_CLIENTS)
    assert len(regular) == summary["Постоянных"].sum()
    page.button_group(key="clients_segment").set_value("new").run()
    no_exception(page)
    assert "Клиенты сегмента «Новые для плана»" in texts(page, "markdown")
    assert len(table(page, SEGMENT_CLIENTS)) == summary["Новых для плана"].sum()
    page.selectbox(key="clients_segment_manager").set_value("Иванов Иван").run()
    no_exception(page)
    listed = table(page, SEGMENT_CLIENTS)
    assert set(listed["Менеджер"]) == {"Иванов Иван"}
    db = Database(demo_db)
    with db.cursor() as con:
        expected = segments.segment_clients(con, date(2026, 12, 1), "new", "Иванов Иван")
    db.close()
    assert list(listed["Клиент"]) == list(expected["client"])


def test_english(demo_db, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(demo_db))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = "en"
    no_exception(at.run())
    assert at.title[0].value == "Clients"
    assert "Dormant clients: **32**" in texts(at, "markdown")


def test_an_empty_database_says_what_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = no_exception(AppTest.from_file(page_harness(tmp_path, "clients.py"), default_timeout=60).run())
    assert "Загрузите выгрузку продаж" in texts(at, "info")
    assert at.get("page_link")
    assert not at.dataframe
