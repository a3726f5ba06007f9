"""In the real browser: upload a file, import it, see the summary; the overview on demo data."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.pages.apptest_helpers import SALES_CSV

pytestmark = pytest.mark.e2e


def settle(page) -> None:
    """Wait until the app has finished its run (Streamlit shows no running status)."""
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stApp")).to_be_visible()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')"
    )
    page.wait_for_timeout(300)


def open_upload_page(page, base_url: str) -> None:
    page.goto(base_url)
    expect(page.get_by_role("heading", name="Обзор")).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_text("Загрузка данных").click()
    expect(page.get_by_role("heading", name="Загрузка данных")).to_be_visible()
    settle(page)


def test_upload_and_import_in_the_browser(start_app, page, tmp_path):
    server = start_app(demo=False)
    open_upload_page(page, server.url)
    screenshot(page, "upload_empty")

    path = tmp_path / "Продажи ноябрь.csv"
    path.write_bytes(SALES_CSV)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    expect(page.get_by_text("Заголовок в строке 3")).to_be_visible()
    expect(page.get_by_text("E «Сумма, руб.»")).to_be_visible()
    settle(page)
    screenshot(page, "upload_preview")

    page.get_by_role("button", name="Импортировать").click()
    summary = page.get_by_test_id("stAlertContentSuccess")
    expect(summary).to_contain_text("«Продажи ноябрь.csv» загружен: Продажи")
    expect(summary).to_contain_text("Строк: 3")
    expect(summary).to_contain_text(re.compile(r"сумма: 13\s000 ₽"))
    expect(page.get_by_text("№ 1 · Продажи")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Загрузок: 1")
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "upload_imported")

    # The overview now draws the chart.
    page.get_by_test_id("stSidebarNav").get_by_text("Обзор").click()
    expect(page.get_by_text("Прогноз и план по месяцам")).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_bad_file_in_the_browser(start_app, page, tmp_path):
    from tests.pages.apptest_helpers import BAD_CSV

    server = start_app(demo=False)
    open_upload_page(page, server.url)
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_CSV)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    expect(page.get_by_text("Заголовок в строке 1")).to_be_visible()
    page.get_by_role("button", name="Импортировать").click()
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("не загружен, в базе ничего не изменилось")
    expect(error).to_contain_text("строка 3")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Загрузок: 0")
    settle(page)
    screenshot(page, "upload_error")


def test_overview_on_demo_data(start_app, page, phone):
    server = start_app(demo=True)
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Обзор")).to_be_visible(timeout=120_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=60_000)
    expect(page.get_by_test_id("stAlertContentInfo")).to_contain_text("демо-данные")
    expect(page.get_by_role("button", name="Удалить демо-данные")).to_be_visible()
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "overview_demo")

    page.get_by_test_id("stSidebar").get_by_text("English").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    assert "lang=en" in page.url
    settle(page)
    screenshot(page, "overview_demo_en")

    # The language stays across pages (and in the URL).
    page.get_by_test_id("stSidebarNav").get_by_text("Upload data").click()
    expect(page.get_by_role("heading", name="Upload data")).to_be_visible()
    expect(page.get_by_text("Upload history")).to_be_visible()
    page.wait_for_url(re.compile(r"/data\?lang=en"))

    # The upload history on demo data, and the confirmation before a delete.
    page.get_by_test_id("stSidebar").get_by_text("Русский").click()
    expect(page.get_by_role("heading", name="Загрузка данных")).to_be_visible()
    expect(page.get_by_text("История загрузок")).to_be_visible()
    page.get_by_role("button", name="Удалить", exact=True).first.click()
    expect(page.get_by_role("button", name="Да, удалить")).to_be_visible()
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("Удалить загрузку № 11")
    settle(page)
    screenshot(page, "upload_history_confirm")
    page.get_by_role("button", name="Отмена").click()
    expect(page.get_by_role("button", name="Да, удалить")).to_have_count(0)

    phone.goto(server.url + "/data?lang=ru")
    expect(phone.get_by_role("heading", name="Загрузка данных")).to_be_visible()
    settle(phone)
    expect(phone.get_by_test_id("stException")).to_have_count(0)
    screenshot(phone, "upload_phone")
    phone.goto(server.url)
    expect(phone.locator(".js-plotly-plot")).to_have_count(1)
    settle(phone)
    screenshot(phone, "overview_phone")
