"""Shared fixtures: a fresh database file, and tiny/small databases built from files in tests/data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from sales_analytics.db import Database

DATA = Path(__file__).resolve().parent / "data"
DEMO_ANCHOR = date(2026, 11, 23)


@pytest.fixture
def fresh_db(tmp_path) -> Database:
    """An empty, migrated database in a real file (uploads archived beside it)."""
    db = Database(tmp_path / "sales.duckdb")
    with db.cursor():
        pass
    yield db
    db.close()


@pytest.fixture
def con(fresh_db) -> duckdb.DuckDBPyConnection:
    with fresh_db.cursor() as cursor:
        yield cursor


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every stored table: what "the database is unchanged" compares."""
    return {
        table: con.execute("SELECT count(*) FROM " + table).fetchone()[0]
        for table in ("import_batches", "batch_scopes", "sales", "deals", "plan", "clients")
    }


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo company (anchor 2026-11-23) in a database file, built once per test session (about
    10 s) and shared by every test that only reads it (the page tests)."""
    from sales_analytics.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "sales.duckdb"
    db = Database(path)
    with db.cursor() as con:
        load_demo(con, anchor=DEMO_ANCHOR)
    db.close()
    return path
