"""On a phone: the upload page stays readable (one column, nothing cut off) through a preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_upload_browser import settle
from tests.pages.apptest_helpers import SALES_CSV

pytestmark = pytest.mark.e2e


def test_upload_on_a_phone(start_app, phone, tmp_path):
    server = start_app(demo=False)
    # The first visit to a fresh server goes to "/" (see the note on url_path in app.py).
    phone.goto(server.url)
    expect(phone.get_by_role("heading", name="Обзор")).to_be_visible()
    phone.goto(server.url + "/data")
    expect(phone.get_by_role("heading", name="Загрузка данных")).to_be_visible()
    path = tmp_path / "ноябрь.csv"
    path.write_bytes(SALES_CSV)
    phone.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    expect(phone.get_by_text("Заголовок в строке 3")).to_be_visible()
    settle(phone)
    # Nothing wider than the screen: the page does not scroll sideways.
    overflow = phone.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stMain\"] *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
        " && !e.closest('[data-testid=\"stDataFrame\"]')).length"
    )
    screenshot(phone, "upload_preview_phone")
    assert overflow == 0
    phone.get_by_role("button", name="Импортировать").click()
    expect(phone.get_by_test_id("stAlertContentSuccess")).to_contain_text("Строк: 3")
    settle(phone)
    screenshot(phone, "upload_imported_phone")
