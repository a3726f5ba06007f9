"""Login in the real browser: only the form before login (desktop and phone), a wrong password, then in
and out again."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import expect

from sales_analytics.i18n import t
from tests.e2e.conftest import screenshot
from tests.e2e.test_upload_browser import settle

pytestmark = pytest.mark.e2e

PASSWORD = "Весна-2026!"


def test_login_form_then_in_and_out(start_app, page, phone, monkeypatch):
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    monkeypatch.setenv("SALES_ANALYTICS_USERS", f"anna:editor:{fast}")
    server = start_app(demo=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    for viewer, size in ((page, "desktop"), (phone, "phone")):
        viewer.goto(server.url)
        expect(viewer.get_by_role("heading", name=t("auth.login.title", "ru"))).to_be_visible(timeout=120_000)
        settle(viewer)
        expect(viewer.get_by_test_id("stMetric")).to_have_count(0)
        expect(viewer.get_by_test_id("stDataFrame")).to_have_count(0)
        expect(viewer.locator(".js-plotly-plot")).to_have_count(0)
        expect(viewer.get_by_test_id("stSidebarNav")).to_have_count(0)
        screenshot(viewer, f"login_{size}")

    page.get_by_label(t("auth.login.name", "ru")).fill("anna")
    page.get_by_label(t("auth.login.password", "ru"), exact=True).fill("wrong")
    page.get_by_role("button", name=t("auth.login.submit", "ru")).click()
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text(t("auth.login.failed", "ru"))
    settle(page)
    screenshot(page, "login_failed_desktop")

    page.wait_for_timeout(1200)  # the one-second delay after a first failure
    page.get_by_label(t("auth.login.name", "ru")).fill("anna")
    page.get_by_label(t("auth.login.password", "ru"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("auth.login.submit", "ru")).click()
    expect(page.get_by_role("heading", name=t("ui.page.overview", "ru"))).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Вы вошли: anna (редактор)")
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    page.get_by_role("button", name=t("auth.logout", "ru")).click()
    expect(page.get_by_role("heading", name=t("auth.login.title", "ru"))).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
