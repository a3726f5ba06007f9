"""AppTest fixtures: the whole app (app.py, its sidebar and pages) against a database in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest_helpers import Probe, new_app, no_exception


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    """An empty database in tmp_path; the app does not load the demo into it."""
    path = tmp_path / "sales.duckdb"
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(path))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    return path


@pytest.fixture
def probe(db_path) -> Probe:
    return Probe(db_path)


@pytest.fixture
def app(db_path) -> AppTest:
    return no_exception(new_app().run())


@pytest.fixture
def upload_page(app) -> AppTest:
    return no_exception(app.switch_page("app_pages/upload.py").run())


@pytest.fixture
def on_demo(demo_db, monkeypatch) -> Path:
    """The pages read the shared demo database; the app does not load the demo itself."""
    monkeypatch.setenv("SALES_ANALYTICS_DB", str(demo_db))
    monkeypatch.setenv("SALES_ANALYTICS_DEMO", "0")
    return demo_db
