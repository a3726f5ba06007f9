"""The overview (the home page) in AppTest: on the demo company, in English, on an empty database and
on databases holding only part of the data. Its figures are ``reports.summary``'s."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from sales_analytics.batches import data_status
from sales_analytics.db import Database
from sales_analytics.i18n import format_money, format_number, format_percent
from sales_analytics.ingest import import_file
from sales_analytics.reports import summary
from tests.pages.apptest_helpers import SALES_CSV, new_app, no_exception, texts

FIXTURE = Path(__file__).resolve().parents[1] / "reports" / "summary_fixture"


def overview(lang: str = "ru") -> AppTest:
    at = new_app()
    at.query_params["lang"] = lang
    return no_exception(at.run())


def expected(path: Path, lang: str = "ru"):
    """What the page should show: the summary of the database, as of the day the page reads."""
    db = Database(path)
    with db.cursor() as con:
        as_of = summary.overview_as_of(data_status(con), date.today())
        figures = (
            summary.month_cards(con, as_of, lang),
            summary.top_changes(con, as_of, lang=lang),
            summary.big_dormant(con, as_of, lang=lang),
        )
    db.close()
    return figures


def links(at: AppTest) -> dict[str, str]:
    """Page links: the page's url path -> label."""
    return {element.proto.page: element.proto.label for element in at.get("page_link")}


def test_demo_answers_are_we_on_plan_and_what_changed(on_demo):
    at = overview()
    assert at.title[0].value == "Обзор"
    cards, top, dormant = expected(on_demo)
    metrics = {m.label: m for m in at.metric}
    assert metrics["Прогноз закрытия"].value == format_money(cards.landing, "ru")
    assert metrics["Прогноз закрытия"].delta == f"{format_percent(cards.attainment, 'ru')} плана"
    assert metrics["План месяца"].value == format_money(cards.plan, "ru")
    assert metrics["Разрыв до плана"].value == format_money(abs(cards.gap), "ru")
    day = f"{cards.as_of:%d.%m}"
    assert metrics[f"Факт на {day}"].value == format_money(cards.fact_to_date, "ru")
    assert metrics[f"План на {day}"].value == format_money(cards.plan_to_date, "ru")
    assert metrics["Открытые сделки (взвешенно)"].value == format_money(cards.weighted_open, "ru")
    # the one-line answer above the cards
    headline = texts(at, "markdown")
    assert format_money(cards.landing, "ru") in headline
    assert ("Не хватает" if cards.gap > 0 else "Идём в план") in headline
    # the chart of this month and the next three
    assert len(at.get("plotly_chart")) == 1
    # the week's five largest changes, with managers, and the way to the rest
    table = at.table[0].value
    assert list(table.columns) == ["Влияние", "Клиент", "Менеджер", "Что"]
    assert list(table["Клиент"]) == list(top["client"])
    assert list(table["Менеджер"]) == list(top["manager"])
    assert len(table) == 5
    assert format_money(top.attrs["end"], "ru") in headline
    # big dormant clients
    assert metrics["Клиентов"].value == format_number(dormant.count, "ru")
    assert metrics["Их оборот за 24 мес."].value == format_money(dormant.turnover, "ru")
    assert links(at)["moves"] == "Все изменения прогноза"
    assert links(at)["clients-list"] == "Кому позвонить"
    # the freshness line and the weekly file
    assert "Продажи по 21.11.2026 · прогноз от 23.11.2026" in texts(at, "caption")
    assert at.get("download_button")[0].proto.label == "Сводка недели, xlsx"


def test_demo_in_english(on_demo):
    at = overview("en")
    assert at.title[0].value == "Overview"
    cards, _top, _dormant = expected(on_demo, "en")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Landing"].value == format_money(cards.landing, "en")
    assert "Month's plan" in metrics and "Gap to plan" in metrics
    assert list(at.table[0].value.columns) == ["Effect", "Client", "Manager", "What"]
    assert links(at)["moves"] == "All forecast changes"
    assert "What changed this week" in texts(at, "subheader")
    assert at.get("download_button")[0].proto.label == "Weekly summary, xlsx"


def test_stale_data_is_flagged(on_demo):
    """The demo's data is of 21 and 23 November 2026: read later than 1 December, it is stale."""
    at = overview()
    fresh_until = date(2026, 11, 21).toordinal() + summary.STALE_AFTER_DAYS
    warned = "дн. назад" in texts(at, "warning")
    assert warned == (date.today().toordinal() > fresh_until)


def test_empty_database_says_what_to_upload(db_path):
    at = overview()
    assert "Данных пока нет" in texts(at, "info")
    assert "data" in links(at)
    assert not at.metric and not at.get("plotly_chart")
    # the only downloads are the sample files to fill in, one per kind of data it lacks
    samples = [b.proto.label for b in at.get("download_button")]
    assert len(samples) >= 3 and all(".xlsx" in label or ".csv" in label for label in samples)


def test_sales_only(db_path):
    """Sales, no plan, no forecast: the fact shows, the rest says what is missing; nothing breaks."""
    db = Database(db_path)
    with db.cursor() as con:
        import_file(con, SALES_CSV, "ноябрь.csv", "sales")
    db.close()
    at = overview()
    metrics = {m.label: m for m in at.metric}
    assert metrics["Факт на 05.11"].value == "13\xa0000 ₽"  # as of the last sale, 5 November 2026
    assert metrics["План месяца"].value == "—"
    assert metrics["Прогноз закрытия"].value == "—"
    assert "Прогнозов в базе нет" in texts(at, "warning")
    assert "Сравнивать пока не с чем" in texts(at, "info")
    assert "data" in links(at)
    assert len(at.get("plotly_chart")) == 1


def test_forecast_and_plan_without_sales(db_path):
    db = Database(db_path)
    with db.cursor() as con:
        for name, kind in (
            ("plan.csv", "plan"),
            ("forecast_2026-11-09.csv", "deals"),
            ("forecast_2026-11-16.csv", "deals"),
        ):
            import_file(con, (FIXTURE / name).read_bytes(), name, kind)
    db.close()
    at = overview()
    metrics = {m.label: m for m in at.metric}
    # as of the last snapshot, 16 November 2026: no fact yet, the landing is the open deals
    assert metrics["Прогноз закрытия"].value == format_money(173_000, "ru")
    assert metrics["План месяца"].value == format_money(400_000, "ru")
    assert "Продаж в базе нет" in texts(at, "warning")
    assert "Продаж пока нет" in texts(at, "info")
    assert len(at.table[0].value) == 5
