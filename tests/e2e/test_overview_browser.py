"""The overview in the real browser, on the demo data, at 1440 and 390 pixels wide: every card whole,
nothing wider than a phone's screen, the weekly summary downloads, the link leads to the changes."""

from __future__ import annotations

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_upload_browser import settle

pytestmark = pytest.mark.e2e

# metric values cut off with an ellipsis: wider inside than their box
CUT_CARDS = (
    "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"] *')]"
    ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"
)
# elements reaching past the right edge of the screen (the page would scroll sideways); inside a chart
# only its box counts: Plotly's invisible drag layers overhang it by a few pixels
OVERFLOW = (
    "() => [...document.querySelectorAll('[data-testid=\"stMain\"] *')]"
    ".filter(e => !(e.closest('.js-plotly-plot') && !e.classList.contains('js-plotly-plot')))"
    ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length"
)


def open_overview(viewer, url: str) -> None:
    viewer.goto(url)
    expect(viewer.get_by_role("heading", name="Обзор")).to_be_visible(timeout=120_000)
    expect(viewer.get_by_text("Прогноз закрытия").first).to_be_visible(timeout=60_000)
    expect(viewer.locator(".js-plotly-plot")).to_have_count(1, timeout=60_000)
    settle(viewer)
    expect(viewer.get_by_test_id("stException")).to_have_count(0)


def test_overview_on_desktop_and_phone(start_app, browser, phone, tmp_path):
    server = start_app(demo=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="ru-RU")
    desktop = context.new_page()
    desktop.set_default_timeout(60_000)
    try:
        open_overview(desktop, server.url)
        for heading in ("идём ли в план", "Прогноз и план по месяцам", "Что изменилось за неделю"):
            expect(desktop.get_by_role("heading", name=heading)).to_be_visible()
        expect(desktop.get_by_test_id("stTable").locator("tbody tr")).to_have_count(5)
        assert desktop.evaluate(CUT_CARDS) == []
        screenshot(desktop, "overview_1440")

        # the weekly summary, as the commercial director sends it
        with desktop.expect_download() as download:
            desktop.get_by_role("button", name="Сводка недели, xlsx").click()
        path = tmp_path / "summary.xlsx"
        download.value.save_as(path)
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["Месяц", "План по месяцам", "Изменения", "Спящие клиенты"]
        assert str(book["Месяц"]["A1"].value).startswith("Сводка недели на ")
        assert book["Изменения"].max_row >= 5

        # the link to the week's changes
        desktop.get_by_role("link", name="Все изменения прогноза").click()
        expect(desktop.get_by_role("heading", name="Изменения прогноза")).to_be_visible()
        settle(desktop)
        expect(desktop.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()

    open_overview(phone, server.url)
    assert phone.evaluate(CUT_CARDS) == []
    assert phone.evaluate(OVERFLOW) == 0
    screenshot(phone, "overview_390")
