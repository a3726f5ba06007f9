"""Shared filters and downloads in the real browser, on the demo data: a link with filters opens the
same view, the filters survive a page switch, the copied link reproduces the view, and an Excel
download holds what the page shows."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from sales_analytics.calendar import add_months
from sales_analytics.i18n import format_month, t
from tests.e2e.conftest import screenshot
from tests.e2e.test_upload_browser import settle

pytestmark = pytest.mark.e2e


def nav(page, title_key: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(t(title_key, "ru"), exact=True).click()
    expect(page.get_by_role("heading", name=t(title_key, "ru")).first).to_be_visible()
    settle(page)


def test_a_link_with_filters_survives_page_switches_and_downloads_the_same_view(
    start_app, page, browser, tmp_path
):
    server = start_app(demo=True)
    # the demo's sales run up to about today: last month is a full month of data and plan
    month = add_months(date.today().replace(day=1), -1)
    heading = t("plan_fact.table_title", "ru", month=format_month(month, "ru"))
    page.goto(f"{server.url}/plan-fact?month={month:%Y-%m}&manager=%D0%9D%D0%B8%D0%BA%D1%82%D0%BE")
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=120_000)
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert f"month={month:%Y-%m}" in page.url

    # to the clients page and back: the month stays in the URL and on the page
    nav(page, "clients.title")
    assert f"month={month:%Y-%m}" in page.url and "lang=ru" in page.url
    expect(page.get_by_test_id("stException")).to_have_count(0)
    nav(page, "plan_fact.title")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert f"month={month:%Y-%m}" in page.url

    # the Excel download of the month's table holds the page, the filters and the same rows
    buttons = page.get_by_role("button", name=t("pages.download.xlsx", "ru"))
    with page.expect_download() as caught:
        buttons.nth(buttons.count() - 2).click()  # the month's table (the last is the year's)
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == f"{t('plan_fact.title', 'ru')}: {heading}"
    assert f"Месяц: {format_month(month, 'ru')}" in sheet["A2"].value
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == t("plan_fact.col.group", "ru"))
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.cell(header + 1, 2).number_format == '#,##0 "₽"'
    groups = [sheet.cell(r, 1).value for r in range(header + 1, sheet.max_row + 1)]
    assert groups[-1] == "Итого" and len(groups) >= 2

    # the year's heatmap as a PNG, rendered when asked
    with page.expect_download() as caught:
        page.get_by_role("button", name=t("pages.download.png", "ru")).last.click()
    png = tmp_path / caught.value.suggested_filename
    caught.value.save_as(png)
    assert png.suffix == ".png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # the copied link, opened in a fresh browser, shows the same month
    page.get_by_role("button", name=t("pages.link.button", "ru")).click()
    link = page.get_by_test_id("stCode").last.inner_text().strip()
    assert link.startswith(server.url + "/plan-fact?") and f"month={month:%Y-%m}" in link
    other = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    other.goto(link)
    expect(other.get_by_role("heading", name=heading)).to_be_visible(timeout=60_000)
    settle(other)
    expect(other.get_by_test_id("stException")).to_have_count(0)
    screenshot(other, "plan-fact_from_link_1440")
    other.context.close()


def test_the_snapshot_carries_from_the_forecast_to_the_changes(start_app, page):
    server = start_app(demo=True)
    page.goto(f"{server.url}/pipeline")
    expect(page.get_by_role("heading", name=t("forecast.title", "ru"), exact=True)).to_be_visible(
        timeout=120_000
    )
    settle(page)
    # pick the second-newest snapshot in the selectbox
    page.get_by_role("combobox", name=t("forecast.snapshot", "ru")).click()
    options = page.get_by_role("option")
    expect(options.nth(1)).to_be_visible()
    chosen = options.nth(1).inner_text()
    options.nth(1).click()
    settle(page)
    assert "snapshot=" in page.url
    nav(page, "changes.title")
    assert "snapshot=" in page.url
    expect(page.get_by_role("combobox", name=t("changes.to", "ru"))).to_have_value(chosen)
    expect(page.get_by_test_id("stException")).to_have_count(0)
