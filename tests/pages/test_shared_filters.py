"""Shared filters in AppTest: the URL sets the pages' widgets, the widgets write the URL, a choice on
one page carries to the next, and values that do not read are ignored (demo company, sales to
2026-11-21, forecast snapshots weekly up to 2026-11-16)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest_helpers import new_app, no_exception

PAGES = [
    "app_pages/forecast.py",
    "app_pages/changes.py",
    "app_pages/plan_fact.py",
    "app_pages/clients.py",
    "app_pages/plan_builder.py",
]


def on_page(path: str, **params) -> AppTest:
    """The whole app (its frame and navigation), on ``path``, opened from a URL with ``params``."""
    at = new_app()
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return no_exception(at.switch_page(path).run()) if path else no_exception(at)


def params(at: AppTest) -> dict:
    return {name: at.query_params[name] for name in at.query_params}


def test_a_link_sets_the_month_and_the_widget_writes_it_back(on_demo):
    at = on_page("app_pages/plan_fact.py", month="2026-09")
    assert at.selectbox(key="plan_fact_month").value == date(2026, 9, 1)
    assert "План и факт за сентябрь 2026" in [s.value for s in at.subheader]
    at.selectbox(key="plan_fact_month").set_value(date(2026, 10, 1)).run()
    no_exception(at)
    assert params(at)["month"] in ("2026-10", ["2026-10"])
    # the period carries to the clients page's segments (it offers October as a plan month)
    at.switch_page("app_pages/clients.py").run()
    no_exception(at)
    assert params(at)["month"] in ("2026-10", ["2026-10"]), "the page switch lost the month"


def test_the_snapshot_carries_from_the_forecast_to_the_changes(on_demo):
    at = on_page("app_pages/forecast.py", snapshot="2026-11-02")
    assert at.selectbox(key="forecast_snapshot").value == date(2026, 11, 2)
    at.selectbox(key="forecast_snapshot").set_value(date(2026, 11, 9)).run()
    no_exception(at)
    assert params(at)["snapshot"] in ("2026-11-09", ["2026-11-09"])
    at.switch_page("app_pages/changes.py").run()
    no_exception(at)
    assert at.selectbox(key="changes_to").value == date(2026, 11, 9)
    assert at.selectbox(key="changes_from").value < date(2026, 11, 9)


def test_managers_from_a_link_filter_the_clients_and_the_changes(on_demo):
    at = on_page("app_pages/clients.py", manager="Смирнов Алексей")
    assert at.multiselect(key="clients_managers").value == ["Смирнов Алексей"]
    at.multiselect(key="clients_managers").select("Кузнецова Ольга").run()
    no_exception(at)
    written = at.query_params["manager"]
    assert sorted(written if isinstance(written, list) else [written]) == [
        "Кузнецова Ольга",
        "Смирнов Алексей",
    ]
    at.switch_page("app_pages/changes.py").run()
    no_exception(at)
    chosen = at.multiselect(key="changes_managers")
    assert set(chosen.value) <= {"Кузнецова Ольга", "Смирнов Алексей"} and chosen.value


@pytest.mark.parametrize(
    "bad",
    [
        {"month": "2026-13"},
        {"month": "november"},
        {"snapshot": "2026-02-30"},
        {"snapshot": "1999-01-04"},
        {"manager": "Нет Такого"},
        {"dept": "x" * 500},
    ],
)
def test_values_that_do_not_read_fall_back_to_the_defaults(on_demo, bad):
    for path in ("app_pages/plan_fact.py", "app_pages/forecast.py", "app_pages/clients.py"):
        at = on_page(path, **bad)
        assert not at.exception
        if path.endswith("plan_fact.py"):
            assert at.selectbox(key="plan_fact_month").value == date(2026, 11, 1)
        if path.endswith("forecast.py"):
            snapshot = at.selectbox(key="forecast_snapshot")
            assert snapshot.index == 0  # the newest snapshot
        if path.endswith("clients.py"):
            assert at.multiselect(key="clients_managers").value == []


@pytest.mark.parametrize("path", PAGES)
def test_no_page_shows_an_exception_on_the_demo_in_english(path, on_demo):
    at = on_page(path, lang="en")
    assert at.title and not at.exception


@pytest.mark.parametrize("path", PAGES)
def test_an_empty_database_says_what_to_upload(path, db_path):
    at = on_page(path)
    assert not at.exception
    assert at.info, "no message on the empty page"
    samples = [b.label for b in at.get("download_button")]
    assert samples and all(label.startswith("Образец: ") for label in samples)
    links = [e for e in at.get("page_link")]
    assert any(link.proto.page == "data" for link in links)  # the upload page's url_path


def test_an_unexpected_error_shows_a_message_not_a_traceback(caplog):
    def script():
        from app_pages import states

        class Broken:
            url_path = "broken"

            def run(self):
                raise ZeroDivisionError("boom")

        states.run(Broken(), "en")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert at.error[0].value.startswith("Something went wrong on this page")
    assert "ZeroDivisionError" in caplog.text and "broken" in caplog.text


def test_the_link_holds_the_language_and_the_filters(on_demo):
    at = on_page("app_pages/plan_fact.py", month="2026-10", manager="Смирнов Алексей")
    shown = at.get("code")[0].value
    assert "lang=ru" in shown and "month=2026-10" in shown
    assert "manager=%D0%A1%D0%BC%D0%B8%D1%80%D0%BD%D0%BE%D0%B2" in shown
