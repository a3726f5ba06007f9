"""The frame in AppTest: start, navigation, language, data status, demo data, the overview."""

from __future__ import annotations

import pytest

from sales_analytics.ingest import import_file
from tests.pages.apptest_helpers import SALES_CSV, Probe, new_app, no_exception, texts


def test_starts_on_an_empty_database(app):
    assert app.title[0].value == "Обзор"
    assert "Данных пока нет" in texts(app, "info")
    assert not app.get("plotly_chart")
    # The empty state links to the upload page.
    links = app.get("page_link")
    assert links and "Перейти к загрузке данных" in str(links[0].proto)
    sidebar = texts(app.sidebar, "caption")
    assert "Продажи по: —" in sidebar and "Загрузок: 0" in sidebar
    assert app.session_state["lang"] == "ru"
    assert app.query_params["lang"] == "ru"


def test_language_switch_changes_texts_and_url(app):
    app.button_group(key="lang_switch").set_value("en").run()
    no_exception(app)
    assert app.title[0].value == "Overview"
    assert "No data yet" in texts(app, "info")
    assert "Uploads: 0" in texts(app.sidebar, "caption")
    assert app.query_params["lang"] == "en"
    # The language stays when moving to another page, and back.
    app.switch_page("app_pages/upload.py").run()
    assert app.title[0].value == "Upload data"
    app.button_group(key="lang_switch").set_value("ru").run()
    assert app.title[0].value == "Загрузка данных"
    assert app.query_params["lang"] == "ru"


def test_language_from_url(db_path):
    at = new_app()
    at.query_params["lang"] = "en"
    no_exception(at.run())
    assert at.title[0].value == "Overview"
    assert at.button_group(key="lang_switch").value == "en"


def test_unknown_language_in_url_falls_back_to_russian(db_path):
    at = new_app()
    at.query_params["lang"] = "de"
    no_exception(at.run())
    assert at.title[0].value == "Обзор"
    assert at.query_params["lang"] == "ru"


def test_overview_with_sales(db_path):
    probe = Probe(db_path)
    with probe.db.cursor() as con:
        import_file(con, SALES_CSV, "ноябрь.csv", "sales")
    at = no_exception(new_app().run())
    metrics = {m.label: m for m in at.metric}  # the overview reads as of the last sale
    assert metrics["Факт на 05.11"].value == "13\xa0000 ₽"
    assert metrics["План месяца"].value == "—"
    assert len(at.get("plotly_chart")) == 1
    assert "Продажи по 05.11.2026 · прогноз от —" in texts(at, "caption")
    sidebar = texts(at.sidebar, "caption")
    assert "Продажи по: 05.11.2026" in sidebar and "Загрузок: 1" in sidebar
    assert "Демо-данные" not in texts(at, "info")


def test_upload_shows_on_the_next_rerun(app, probe):
    """Caches key on data_version: an import made elsewhere (the CLI) shows on the next rerun."""
    assert "Данных пока нет" in texts(app, "info")
    with probe.db.cursor() as con:
        import_file(con, SALES_CSV, "ноябрь.csv", "sales")
    app.run()
    assert "Данных пока нет" not in texts(app, "info")
    assert {m.label: m.value for m in app.metric}["Факт на 05.11"] == "13\xa0000 ₽"


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(path))
    monkeypatch.delenv("SALES_ANALYTICS_DEMO", raising=False)
    return path


def test_demo_loads_once_and_deletes_in_one_click(demo_db):
    at = no_exception(new_app().run())
    probe = Probe(demo_db)
    status = probe.status()
    assert status.is_demo and status.sales_rows > 0 and status.last_snapshot is not None
    assert "демо-данные" in texts(at, "info")
    assert "Демо-данные" in texts(at.sidebar, "markdown")  # the badge
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Прогноз закрытия"] != "—"
    assert len(at.get("plotly_chart")) == 1
    # The notice shows on every page.
    at.switch_page("app_pages/upload.py").run()
    assert "демо-данные" in texts(at, "info")

    at.button(key="delete_demo").click().run()
    no_exception(at)
    assert probe.status().batches == 0
    assert "демо-данные" not in texts(at, "info")
    assert not [b for b in at.button if b.key == "delete_demo"]
    assert "Демо-данные" not in texts(at.sidebar, "markdown")

    # A new session (or a restarted app) does not bring the demo back.
    again = no_exception(new_app().run())
    assert probe.status().batches == 0
    assert "Данных пока нет" in texts(again, "info")


def test_demo_off_by_env(db_path, probe):
    at = no_exception(new_app().run())
    assert probe.status().is_empty
    assert probe.version() == 0
    assert "Данных пока нет" in texts(at, "info")
