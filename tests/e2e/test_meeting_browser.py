"""Meeting mode in the real browser: drop files on the meeting page, see their figures on another
page, leave no trace in the company database or its upload archive."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sales_analytics.db import Database
from sales_analytics.i18n import format_money
from sales_analytics.ingest import import_file
from tests.e2e.conftest import screenshot
from tests.e2e.test_upload_browser import settle
from tests.pages.apptest_helpers import DATA, SALES_CSV
from tests.pages.test_meeting_page import BANNER, company_state

pytestmark = pytest.mark.e2e

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def test_meeting_in_the_browser_leaves_the_company_database_unchanged(start_app, page, phone):
    server = start_app(demo=False)
    # the company's own data, imported before anyone opens the app (the server has not opened it yet)
    db = Database(server.db_path)
    with db.cursor() as con:
        import_file(con, SALES_CSV, "ноябрь.csv", "sales", archive_dir=db.archive_dir)
    db.close()
    before = company_state(server.db_path)

    page.goto(f"{server.url}/meeting")
    expect(page.get_by_role("heading", name="Разбор файла без сохранения")).to_be_visible(timeout=120_000)
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [str(DATA / "sales_cp1251.csv"), str(DATA / "plan_wide_2026.xlsx")]
    )
    page.get_by_role("button", name="Разобрать").click()
    expect(page.get_by_text(BANNER)).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Загрузок: 2")
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_count(2)
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "meeting_loaded")

    # another page of the same tab shows the meeting's figure, under the banner
    page.get_by_test_id("stSidebarNav").get_by_text("План и факт").click()
    fact = format_money(Decimal(EXPECTED["sales_cp1251.csv"]["amount_total"]))
    expect(page.get_by_test_id("stMetric").filter(has_text="Факт на дату").first).to_contain_text(fact)
    expect(page.get_by_text(BANNER)).to_be_visible()
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "meeting_plan_fact")

    # another tab (here a phone) sees the company, with no banner
    phone.goto(server.url)
    expect(phone.get_by_role("heading", name="Обзор")).to_be_visible()
    settle(phone)
    expect(phone.get_by_test_id("stSidebar")).to_contain_text("Загрузок: 1")
    expect(phone.get_by_text(BANNER)).to_have_count(0)

    # the phone's own meeting: its own file, its own banner, on 390 pixels
    phone.goto(f"{server.url}/meeting")
    expect(phone.get_by_role("heading", name="Разбор файла без сохранения")).to_be_visible()
    settle(phone)
    phone.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        str(DATA / "forecast_by_manager_2026-11-16.xlsx")
    )
    phone.get_by_role("button", name="Разобрать").click()
    expect(phone.get_by_text(BANNER)).to_be_visible()
    expect(phone.get_by_test_id("stAlertContentSuccess")).to_contain_text("срез прогноза на 16.11.2026")
    settle(phone)
    screenshot(phone, "meeting_phone")
    # the desktop tab still has its two files, not the phone's
    page.get_by_test_id("stSidebarNav").get_by_text("Обзор").click()
    expect(page.get_by_text(BANNER)).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Загрузок: 2")
    settle(page)

    assert company_state(server.db_path) == before

    # leaving meeting mode: the tab shows the company again
    page.get_by_role("button", name="Выйти из режима разбора").click()
    expect(page.get_by_text(BANNER)).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Загрузок: 1")
    assert company_state(server.db_path) == before
