"""Every page of the app, on the demo data, in the real browser at 1440 and 390 pixels wide: it
renders, with no exception box, and leaves a screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sales_analytics.i18n import t
from tests.e2e.conftest import screenshot
from tests.e2e.test_upload_browser import settle

pytestmark = pytest.mark.e2e

# url path -> the page's title key
PAGES = {
    "": "ui.overview.title",
    "pipeline": "forecast.title",
    "moves": "changes.title",
    "plan-fact": "plan_fact.title",
    "clients-list": "clients.title",
    "plan-builder": "plan_builder.title",
    "data": "ui.upload.title",
    "meeting": "meeting.title",
    "quality": "quality.title",
}


def test_every_page_renders_on_demo_data(start_app, browser, phone):
    server = start_app(demo=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Обзор")).to_be_visible(timeout=120_000)
    for path, title in PAGES.items():
        for viewer, size in ((page, "desktop"), (phone, "phone")):
            viewer.goto(f"{server.url}/{path}")
            expect(viewer.get_by_role("heading", name=t(title, "ru")).first).to_be_visible(timeout=60_000)
            settle(viewer)
            expect(viewer.get_by_test_id("stException")).to_have_count(0)
            screenshot(viewer, f"{path or 'home'}_{size}")
    context.close()
