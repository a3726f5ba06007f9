"""Meeting mode in AppTest: files analysed in one session reach every page of that session, and
nothing else: not the company database, not the upload archive, not another session."""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sales_analytics import ui_cache
from sales_analytics.batches import data_status
from sales_analytics.db import Database, data_version
from sales_analytics.i18n import format_money, t
from sales_analytics.ingest import import_file
from tests.conftest import table_counts
from tests.pages.apptest_helpers import BAD_CSV, DATA, SALES_CSV, new_app, no_exception, texts

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
MEETING_FILES = ("sales_cp1251.csv", "forecast_by_manager_2026-11-16.xlsx", "plan_wide_2026.xlsx")
BANNER = "Режим разбора: данные этой вкладки не сохраняются"


def company_state(db_path: Path) -> dict:
    """Everything a meeting must not change: table counts, data version, the archive, the folder."""
    db = Database(db_path)
    try:
        with db.cursor() as con:
            counts, version = table_counts(con), data_version(con)
    finally:
        db.close()
    archive = db.archive_dir
    return {
        "counts": counts,
        "version": version,
        "archive": sorted(p.name for p in archive.iterdir()) if archive.exists() else None,
        "folder": sorted(p.name for p in db_path.parent.iterdir() if not p.name.endswith(".wal")),
    }


@pytest.fixture
def company(db_path) -> Path:
    """A company database holding one small sales file, archived beside it."""
    db = Database(db_path)
    with db.cursor() as con:
        import_file(con, SALES_CSV, "ноябрь.csv", "sales", archive_dir=db.archive_dir)
    db.close()
    assert db.archive_dir.exists()
    return db_path


def open_meeting(at):
    return no_exception(at.switch_page("app_pages/meeting.py").run())


def analyse(at, *names: str, data: dict[str, bytes] | None = None):
    files = [
        (name, (data or {}).get(name) or (DATA / name).read_bytes(), "application/octet-stream")
        for name in names
    ]
    no_exception(at.file_uploader[0].set_value(files).run())
    return no_exception(at.button(key="meeting_analyse").click().run())


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def banner(at) -> str:
    return texts(at, "warning")


def fact(at) -> str:
    """The plan/fact page's fact to date (every sample file is one month: all of its sales)."""
    no_exception(at.switch_page("app_pages/plan_fact.py").run())
    return metrics(at)["Факт на дату"]


COMPANY_FACT = format_money(Decimal("13000"))  # SALES_CSV: 12 345,67 + 1 000 − 345,67


def test_a_meeting_reaches_every_page_of_its_session_and_nothing_else(company):
    before = company_state(company)
    meetings_before = len(ui_cache._meetings())
    at = no_exception(new_app().run())
    assert fact(at) == COMPANY_FACT  # the company's file
    assert BANNER not in banner(at)

    open_meeting(at)
    assert at.title[0].value == "Разбор файла без сохранения"
    analyse(at, *MEETING_FILES)
    assert BANNER in banner(at)
    assert f"Загрузок: {len(MEETING_FILES)}" in texts(at.sidebar, "caption")
    assert len(ui_cache._meetings()) == meetings_before + 1
    sales = EXPECTED["sales_cp1251.csv"]
    assert f"строк: {sales['rows']}, сумма: {format_money(Decimal(sales['amount_total']))}" in texts(
        at, "success"
    )
    loaded = texts(at, "markdown")  # the list of files in the meeting, one line each
    assert f"— Продажи, строк: {sales['rows']}" in loaded and "— План, строк:" in loaded

    # every page of the session reads the meeting's files, under the banner
    assert fact(at) == format_money(Decimal(sales["amount_total"]))
    assert BANNER in banner(at)
    at.switch_page("app_pages/forecast.py").run()
    assert metrics(no_exception(at))["Факт на дату среза"] != "0 ₽"
    assert BANNER in banner(at)
    no_exception(at.switch_page("app_pages/overview.py").run())
    assert BANNER in banner(at)

    # another session at the same time sees the company, without a banner
    other = no_exception(new_app().run())
    assert fact(other) == COMPANY_FACT
    assert BANNER not in banner(other)

    # the company database, its archive and its folder are exactly as they were
    assert company_state(company) == before

    # leaving drops the meeting's database; the pages read the company's again
    at.switch_page("app_pages/overview.py").run()
    no_exception(at.button(key="meeting_leave").click().run())
    assert BANNER not in banner(at)
    assert "Загрузок: 1" in texts(at.sidebar, "caption")
    assert fact(at) == COMPANY_FACT
    assert len(ui_cache._meetings()) == meetings_before
    assert company_state(company) == before


def test_meeting_import_uses_the_upload_page_too_and_never_archives(company):
    """In meeting mode the ordinary upload page imports into the meeting's database as well."""
    before = company_state(company)
    at = open_meeting(no_exception(new_app().run()))
    analyse(at, "sales_cp1251.csv")
    at.switch_page("app_pages/upload.py").run()
    no_exception(
        at.file_uploader[0].set_value([("план.xlsx", (DATA / "plan_wide_2026.xlsx").read_bytes(), "x")]).run()
    )
    no_exception(at.button(key="import").click().run())
    assert "Загрузок: 2" in texts(at.sidebar, "caption")
    assert BANNER in banner(at)
    assert company_state(company) == before


def test_a_bad_file_changes_nothing_and_the_demo_never_loads_into_a_meeting(company, monkeypatch):
    before = company_state(company)
    at = open_meeting(no_exception(new_app().run()))
    analyse(at, "плохой.csv", data={"плохой.csv": BAD_CSV})
    assert "«плохой.csv» не разобран" in texts(at, "error")
    assert "строка 3" in texts(at, "error")
    assert BANNER in banner(at)  # the session is in meeting mode, on an empty database
    assert "Загрузок: 0" in texts(at.sidebar, "caption")

    # The demo is switched on now: it may look at the company database (not empty, so it stays
    # as it is), never at the meeting's, empty as it is.
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "1")
    no_exception(at.run())
    assert "Загрузок: 0" in texts(at.sidebar, "caption")
    meeting = ui_cache._meetings().get(at.session_state[ui_cache.MEETING_KEY])
    with meeting.cursor() as con:
        assert data_status(con).batches == 0 and data_version(con) == 0
    assert company_state(company) == before


def test_an_idle_meeting_is_dropped_and_the_tab_stays_in_meeting_mode(company, monkeypatch):
    at = open_meeting(no_exception(new_app().run()))
    analyse(at, "sales_cp1251.csv")
    target = at.session_state[ui_cache.MEETING_KEY]
    meeting = ui_cache._meetings().get(target)
    assert meeting.is_open

    # The tab is closed and hours pass (here: any idle time is too long). The next rerun of any
    # session, here one on the company's data, drops the meeting: the registry does not grow.
    monkeypatch.setattr(ui_cache, "MEETING_IDLE_SECONDS", 0)
    time.sleep(0.01)
    other = no_exception(new_app().run())
    assert BANNER not in banner(other)
    assert ui_cache._meetings().get(target) is None and not meeting.is_open

    # Should the tab come back, it stays in meeting mode, on a new, empty database, and says why.
    monkeypatch.setattr(ui_cache, "MEETING_IDLE_SECONDS", 3600)
    at.switch_page("app_pages/overview.py").run()
    no_exception(at)
    assert "Файлы прошлого разбора удалены" in banner(at)
    assert "Загрузок: 0" in texts(at.sidebar, "caption")  # not the company's one upload
    assert at.session_state[ui_cache.MEETING_KEY] != target
    analyse(open_meeting(at), "sales_cp1251.csv")  # loaded again: the ordinary banner
    assert BANNER in banner(at) and "Файлы прошлого разбора удалены" not in banner(at)


def test_banner_in_english(company):
    at = no_exception(new_app())
    at.query_params["lang"] = "en"
    at = open_meeting(no_exception(at.run()))
    assert at.title[0].value == t("meeting.title", "en")
    analyse(at, "sales_cp1251.csv")
    assert "Meeting mode: this tab's data is not saved" in banner(at)
    assert at.button(key="meeting_leave").label == "Leave meeting mode"


def test_a_plan_without_a_year_is_taken_as_this_years(company):
    plan = "Подразделение;Январь;Февраль;Март\nОптовый отдел;100;200;300\nРозничный отдел;10;20;30\n"
    at = open_meeting(no_exception(new_app().run()))
    analyse(at, "план.csv", data={"план.csv": plan.encode()})
    assert "«план.csv»: План, строк: 6" in texts(at, "success")
    meeting = ui_cache._meetings().get(at.session_state[ui_cache.MEETING_KEY])
    with meeting.cursor() as con:
        years = con.execute("SELECT list(DISTINCT year(month)) FROM plan").fetchone()[0]
    assert years == [date.today().year]


def test_meeting_texts_exist_in_both_languages():
    import re

    from tests.pages.apptest_helpers import ROOT

    locales = ROOT / "sales_analytics" / "locales"
    ru = json.loads((locales / "ru.meeting.json").read_text(encoding="utf-8"))
    en = json.loads((locales / "en.meeting.json").read_text(encoding="utf-8"))
    assert ru.keys() == en.keys() and all(key.startswith("meeting.") for key in ru)
    fields = re.compile(r"\{(\w+)\}")
    assert {k: sorted(fields.findall(v)) for k, v in ru.items()} == {
        k: sorted(fields.findall(v)) for k, v in en.items()
    }
    used = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        used |= set(re.findall(r"""["'](meeting\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert "meeting.banner" in used and sorted(used - ru.keys()) == []
