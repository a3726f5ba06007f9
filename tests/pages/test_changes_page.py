"""The forecast changes page in AppTest, on the demo company (anchor 2026-11-23)."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from sales_analytics.db import Database
from sales_analytics.i18n import format_money
from sales_analytics.reports import changes
from tests.pages.apptest_helpers import ROOT, no_exception, texts

LAST, PREVIOUS = date(2026, 11, 23), date(2026, 11, 16)


def page(lang: str = "ru") -> AppTest:
    at = AppTest.from_file(ROOT / "app_pages" / "changes.py", default_timeout=60)
    at.session_state["lang"] = lang
    return no_exception(at.run())


def test_fewer_than_two_snapshots_says_what_to_upload(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    at = page()
    assert "хотя бы два среза прогноза, сейчас их 0" in texts(at, "info")
    assert not at.get("plotly_chart")


def test_waterfall_of_the_last_week_reconciles_on_the_page(on_demo):
    at = page()
    assert at.title[0].value == "Изменения прогноза"
    assert at.selectbox(key="changes_from").value == PREVIOUS
    assert at.selectbox(key="changes_to").value == LAST
    db = Database(on_demo)
    with db.cursor() as con:
        summary = changes.changes_summary(con, PREVIOUS, LAST)
    db.close()
    start, end = summary["amount"].iloc[0], summary["amount"].iloc[-1]
    line = texts(at, "markdown")
    assert f"Было {format_money(start, 'ru', kopecks=True)}" in line
    assert f"стало **{format_money(end, 'ru', kopecks=True)}** ✓" in line
    assert not at.error
    # the waterfall, the triangle, the slip heatmap and the accuracy bars
    assert len(at.get("plotly_chart")) == 4
    shown = at.dataframe[0].value  # the table of changes: start, ten categories, end
    assert list(shown["Изменение"])[:2] == ["Было", "Новые сделки"] and len(shown) == 12
    for tab in ("Сделки", "Треугольник прогноза", "Переносы", "Точность"):
        assert tab in [t.label for t in at.tabs]


def deal_table(at):
    """The deal list: the table with a change category and a client on each row."""
    return next(d.value for d in at.dataframe if {"Изменение", "Клиент"} <= set(d.value.columns))


def test_deal_list_filters(on_demo):
    at = page()
    deals = deal_table(at)
    assert {"Новые сделки", "Выиграны"} <= set(deals["Изменение"])
    at.multiselect(key="changes_categories").set_value(["won"]).run()
    no_exception(at)
    deals = deal_table(at)
    assert len(deals) > 0 and set(deals["Изменение"]) == {"Выиграны"}
    manager = deals["Менеджер"].iloc[0]
    at.multiselect(key="changes_categories").set_value(list(changes.CATEGORIES)).run()
    at.multiselect(key="changes_managers").set_value([manager]).run()
    no_exception(at)
    assert set(deal_table(at)["Менеджер"]) == {manager}


def test_one_month_window_and_margin(on_demo):
    at = page()
    at.radio(key="changes_window").set_value("month").run()
    no_exception(at)
    at.selectbox(key="changes_month").set_value(date(2026, 12, 1)).run()
    no_exception(at)
    assert "месяцы оплаты: декабрь 2026," in texts(at, "caption")
    assert "✓" in texts(at, "markdown")
    at.radio(key="changes_measure").set_value("margin").run()
    no_exception(at)
    assert "валовая прибыль" in texts(at, "caption") and "✓" in texts(at, "markdown")
    at.selectbox(key="changes_from").set_value(date(2026, 10, 5)).run()
    no_exception(at)
    assert "Прогноз от 05.10.2026" in texts(at, "caption")


def test_slips_and_accuracy(on_demo):
    at = page()
    assert "Доля прогноза, перенесённая на более поздний месяц" in texts(at, "markdown")
    assert "Сделки, которые переносили" in texts(at, "markdown")
    accuracy_captions = texts(at, "caption")
    assert "Точность = 1 − |факт − прогноз| / факт" in accuracy_captions
    tables = [frame.value for frame in at.dataframe]
    slipped = next(t for t in tables if "Переносов" in t.columns)
    assert (slipped["Переносов"].astype(int) >= 1).all()
    accuracy = next(t for t in tables if "Точность за 1 неделю" in t.columns)
    assert "Итого" in set(accuracy["Группа"]) and "октябрь 2026" in set(accuracy["Месяц"])
    at.radio(key="changes_slip_weeks").set_value(52).run()
    no_exception(at)


def test_english(on_demo):
    at = page("en")
    assert at.title[0].value == "Forecast changes"
    assert "What changed, and why" in texts(at, "subheader")
    assert "Before ₽" in texts(at, "markdown")
