"""Staging in an in-memory database attached to the company DuckDB: the same rows as the private
staging database (whose rows travel as Arrow batches), and nothing left behind."""

from __future__ import annotations

import pytest

from sales_analytics.db import Database
from sales_analytics.ingest import import_file, pipeline
from sales_analytics.ingest.model import InputError
from tests.conftest import DATA

SAMPLES = [
    ("sales_cp1251.csv", "sales", {}),
    ("sales_1c_grouped.xlsx", "sales", {}),
    ("forecast_by_manager_2026-11-16.xlsx", "deals", {}),
    ("plan_wide_2026.xlsx", "plan", {}),
]
TABLES = {
    "sales": "sales",
    "deals": "deals",
    "plan": "plan",
}


def _attached(con) -> list[str]:
    return [
        row[0]
        for row in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
        if row[0].startswith("sa_work_")
    ]


def _stored(db: Database, table: str) -> list[tuple]:
    with db.cursor() as con:
        rows = con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()  # our own table names
        clients = con.execute("SELECT * FROM clients ORDER BY client_key").fetchall()
        scopes = con.execute("SELECT * FROM batch_scopes ORDER BY ALL").fetchall()
    return [rows, clients, scopes]


@pytest.mark.parametrize(("name", "kind", "options"), SAMPLES)
def test_attached_and_private_staging_store_the_same_rows(tmp_path, monkeypatch, name, kind, options):
    data = (DATA / name).read_bytes()
    stored = []
    for private in (False, True):
        if private:
            original = pipeline._Workspace.__init__

            def without_host(self, *args, host=None, original=original, **kwargs):
                original(self, *args, host=None, **kwargs)

            monkeypatch.setattr(pipeline._Workspace, "__init__", without_host)
        db = Database(tmp_path / f"{private}.duckdb", archive_dir=None)
        try:
            with db.cursor() as con:
                result = import_file(con, data, name, kind, **options)
                assert result.rows > 0
            stored.append(_stored(db, TABLES[kind]))
        finally:
            db.close()
    assert stored[0] == stored[1]
    assert stored[0][0]  # rows were compared, not two empty lists


def test_staged_rows_stay_out_of_the_company_schema_and_are_dropped(con):
    """While an import stores, its staged rows are in a database and schema of their own (what lists
    the company's tables, such as a backup, never sees them); afterwards nothing of them is left."""
    seen = {}

    def progress(fraction, stage):
        if stage == "store":
            seen["attached"] = _attached(con)
            seen["main"] = [
                row[0]
                for row in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                ).fetchall()
            ]

    data = "Дата;Контрагент;Сумма\n16.11.2026;А;1\n17.11.2026;Б;2\n"
    import_file(con, data.encode(), "a.csv", progress=progress)
    assert len(seen["attached"]) == 1
    assert "sales" in seen["main"] and not [t for t in seen["main"] if t.startswith("sa_")]
    assert _attached(con) == []
    temp = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0]
    assert temp == 0


def test_a_refused_file_leaves_no_staging_behind(con):
    data = "Дата;Контрагент;Сумма\n31.02.2026;А;1\n"
    with pytest.raises(InputError):
        import_file(con, data.encode(), "bad.csv")
    assert _attached(con) == []
    assert con.execute("SELECT count(*) FROM sales").fetchone()[0] == 0
