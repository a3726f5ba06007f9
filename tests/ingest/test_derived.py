"""The sales aggregate (ingest/derived.py, migration 0004) follows every import and delete, and a
database from before it gets it filled when it is opened."""

from __future__ import annotations

import duckdb

from sales_analytics import batches
from sales_analytics.db import Database, load_query
from sales_analytics.ingest.derived import AGGREGATES
from tests.reports.plan_fixture import import_rows, load


def stored(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return sorted(con.sql(f"select * from {table}").fetchall(), key=repr)


def recomputed(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return sorted(con.sql(load_query(AGGREGATES[table][0])).fetchall(), key=repr)


def assert_fresh(con: duckdb.DuckDBPyConnection) -> None:
    for table in AGGREGATES:
        assert stored(con, table) == recomputed(con, table), table


def test_the_aggregates_follow_imports_replacements_and_deletes(con):
    load(con)
    assert_fresh(con)
    assert (
        con.sql("select sum(amount) from sales_by_day").fetchall()
        == con.sql("select sum(amount) from current_sales").fetchall()
    )
    # a re-export of a department's period replaces its rows; a return; a sale without a manager
    import_rows(
        con,
        "more.csv",
        "04.05.2026;Василек ИП;Иванов Иван;Сервисный отдел;1 000,00;",
        "05.05.2026;ООО «Новый»;;Сервисный отдел;-250,50;",
    )
    assert_fresh(con)
    newest = con.sql("select max(batch_id) from import_batches").fetchall()[0][0]
    before = stored(con, "sales_by_day")
    batches.delete_batch(con, newest)
    assert_fresh(con)
    assert stored(con, "sales_by_day") != before


def test_a_database_from_before_the_aggregates_gets_them_when_opened(tmp_path):
    path = tmp_path / "old.duckdb"
    db = Database(path)
    with db.cursor() as con:
        load(con)
        expected = {table: stored(con, table) for table in AGGREGATES}
    db.close()
    raw = duckdb.connect(str(path))  # the file as version 3 left it: no aggregates
    for table in AGGREGATES:
        raw.execute(f"drop table {table}")
    raw.execute("delete from schema_version where version = 4")
    raw.close()
    db = Database(path)
    with db.cursor() as con:
        assert {table: stored(con, table) for table in AGGREGATES} == expected
        assert all(expected.values())
    db.close()
