"""Shared fixtures: a fresh database file, and tiny/small databases built from files in tests/data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sales_analytics.db import Database

DATA = Path(__file__).resolve().parent / "data"


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
