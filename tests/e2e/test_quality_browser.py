"""The data quality page on the demo data in Chromium, at 1440 and 390 pixels wide: it renders with no
exception box, a count opens its rows, and on a phone nothing is wider than the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_upload_browser import settle

pytestmark = pytest.mark.e2e

WIDER_THAN_SCREEN = (
    "() => [...document.querySelectorAll('[data-testid=\"stMain\"] *')]"
    ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
    " && !e.closest('[data-testid=\"stDataFrame\"]')).length"
)


def test_quality_page_on_demo_data(start_app, browser):
    server = start_app(demo=True)
    for width, height, name in ((1440, 1000, "desktop"), (390, 844, "phone")):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="ru-RU")
        viewer = context.new_page()
        viewer.set_default_timeout(120_000)
        try:
            # the first visit goes to "/" (the demo loads there), then to the page
            viewer.goto(server.url)
            expect(viewer.get_by_role("heading", name="Обзор")).to_be_visible(timeout=120_000)
            viewer.goto(f"{server.url}/quality")
            expect(viewer.get_by_role("heading", name="Качество данных")).to_be_visible(timeout=60_000)
            settle(viewer)
            expect(viewer.get_by_test_id("stException")).to_have_count(0)
            # a count is a pill: clicking it shows its rows
            viewer.get_by_role("radio", name="Клиенты в разных написаниях").click()
            expect(viewer.get_by_role("heading", name="Клиенты в разных написаниях:")).to_be_visible(
                timeout=60_000
            )
            settle(viewer)
            expect(viewer.get_by_test_id("stException")).to_have_count(0)
            expect(viewer.get_by_text("Скачать Excel")).to_be_visible()
            screenshot(viewer, f"quality_{name}")
            if name == "phone":
                assert viewer.evaluate(WIDER_THAN_SCREEN) == 0
        finally:
            context.close()
