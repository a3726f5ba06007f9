"""The plan/fact page in AppTest, on the demo company (anchor 2026-11-23, sales to 2026-11-21)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sales_analytics.db import Database
from sales_analytics.ingest import import_file
from tests.pages.apptest_helpers import no_exception, texts
from tests.reports.plan_fixture import FIXTURE, page_harness

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "plan_fact.py"


@pytest.fixture
def page(demo_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(demo_db))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    return no_exception(AppTest.from_file(PAGE, default_timeout=60).run())


def first_column(at: AppTest, index: int) -> list[str]:
    return at.dataframe[index].value.iloc[:, 0].tolist()


def test_the_month_in_progress_says_who_is_behind_and_what_is_needed_per_day(page):
    assert page.title[0].value == "План и факт"
    headers = texts(page, "subheader")
    assert "Месяц в работе: ноябрь 2026, на 21.11.2026" in headers
    assert "План и факт за ноябрь 2026" in headers
    assert "Выполнение плана по месяцам, 2026" in headers
    assert "Рабочих дней: прошло 14 из 20, осталось 6" in texts(page, "caption")
    metrics = {m.label: m for m in page.metric}
    assert metrics["План на дату"].value == "31\xa0997\xa0000 ₽"  # 45 710 000 × 14 / 20
    assert metrics["Нужно в рабочий день"].value == "15\xa0684 ₽"
    # the projects department has not made November's plan: 2 406 239 ₽ left over 6 working days
    notes = texts(page, "info", "warning")
    assert "**Проектный отдел**: до плана 2\xa0406\xa0239 ₽, нужно **401\xa0040 ₽** в рабочий день" in notes
    assert first_column(page, 0) == ["Оптовый отдел", "Проектный отдел", "Розничный отдел", "Итого"]
    table = page.dataframe[1].value
    assert list(table.columns[:5]) == ["Группа", "План", "Факт", "Выполнение", "Отклонение"]
    assert table.iloc[-1]["Группа"] == "Итого"
    assert table.iloc[-1]["План"] == 45_710_000
    assert len(page.get("plotly_chart")) == 2  # the month day by day, the year's heatmap
    buttons = [b.label for b in page.get("download_button")]
    assert buttons.count("Скачать Excel") == 3 and buttons.count("Скачать PNG") == 2


def test_grouping_by_manager(page):
    page.button_group(key="plan_fact_by").set_value("manager").run()
    no_exception(page)
    groups = first_column(page, 1)
    assert "Смирнов Алексей" in groups and "Оптовый отдел" not in groups
    assert len(groups) == 9  # eight managers and the total


def test_a_past_month_has_no_month_in_progress(page):
    page.selectbox(key="plan_fact_month").set_value(date(2026, 10, 1)).run()
    no_exception(page)
    headers = texts(page, "subheader")
    assert "План и факт за октябрь 2026" in headers
    assert not any(h.startswith("Месяц в работе") for h in headers)
    assert len(page.dataframe) == 1


def test_an_earlier_as_of_day_moves_the_working_days(page):
    page.date_input(key="plan_fact_as_of").set_value(date(2026, 11, 10)).run()
    no_exception(page)
    assert "Рабочих дней: прошло 6 из 20, осталось 14" in texts(page, "caption")
    assert "Месяц в работе: ноябрь 2026, на 10.11.2026" in texts(page, "subheader")


def test_english(demo_db, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(demo_db))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = "en"
    no_exception(at.run())
    assert at.title[0].value == "Plan vs actual"
    assert "Month in progress: November 2026, as of 21 Nov 2026" in texts(at, "subheader")
    assert first_column(at, 1)[-1] == "Total"


def test_an_empty_database_says_what_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = no_exception(AppTest.from_file(page_harness(tmp_path, "plan_fact.py"), default_timeout=60).run())
    assert "Загрузите выгрузку продаж и план продаж" in texts(at, "info")
    assert "Перейти к загрузке данных" in str(at.get("page_link")[0].proto)
    assert not at.dataframe


def test_a_plan_without_sales(tmp_path, monkeypatch):
    path = tmp_path / "plan_only.duckdb"
    db = Database(path)
    with db.cursor() as con:
        import_file(con, (FIXTURE / "plan_2026.csv").read_bytes(), "plan_2026.csv", "plan")
    db.close()
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(path))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    no_exception(at)
    assert "Продаж пока нет" in texts(at, "warning")
    at.selectbox(key="plan_fact_month").set_value(date(2026, 5, 1)).run()
    no_exception(at)
    table = at.dataframe[-1].value
    assert table.iloc[-1]["План"] == 90_000 and table.iloc[-1]["Факт"] == 0


def test_every_text_of_these_pages_exists_in_both_languages():
    import json
    import re

    from sales_analytics.i18n import _texts

    locales = Path(__file__).resolve().parents[2] / "sales_analytics" / "locales"
    ru = json.loads((locales / "ru.plan.json").read_text(encoding="utf-8"))
    en = json.loads((locales / "en.plan.json").read_text(encoding="utf-8"))
    assert set(ru) == set(en)
    root = Path(__file__).resolve().parents[2]
    sources = [root / "app_pages" / name for name in ("plan_fact.py", "clients.py", "plan_builder.py")] + [
        root / "sales_analytics" / name for name in ("charts_plan.py", "call_list.py")
    ]
    used = {
        key
        for path in sources
        for key in re.findall(r'\bt\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8"))
    }
    assert len(used) > 80
    for lang in ("ru", "en"):
        assert not used - set(_texts(lang)), lang
