"""The database: schema version, forward migrations, the lock shared with another process."""

import subprocess
import sys
import textwrap

import duckdb

from sales_analytics.db import Database, migrate, schema_version


def test_fresh_database_is_at_the_latest_version(fresh_db):
    with fresh_db.cursor() as con:
        assert schema_version(con) >= 1
        assert migrate(con) == schema_version(con)


def test_forward_migration_applies_once_and_in_order():
    con = duckdb.connect()
    migrate(con, migrations=[])
    steps = [(3, "ALTER TABLE sales ADD COLUMN vat DECIMAL(18, 2)"), (2, "CREATE TABLE notes (text VARCHAR)")]
    assert migrate(con, migrations=steps) == 3
    assert migrate(con, migrations=steps) == 3
    assert con.execute("SELECT list(version ORDER BY version) FROM schema_version").fetchone()[0] == [1, 2, 3]
    con.execute("SELECT vat FROM sales")


def test_failed_migration_leaves_the_previous_version():
    con = duckdb.connect()
    migrate(con, migrations=[])
    try:
        migrate(con, migrations=[(2, "CREATE TABLE broken (")])
    except duckdb.Error:
        pass
    assert schema_version(con) == 1


def test_another_process_can_write_once_the_app_is_idle(tmp_path):
    path = tmp_path / "shared.duckdb"
    app = Database(path, idle_close_seconds=0.2)
    with app.cursor() as con:
        con.execute("SELECT 1")
    script = textwrap.dedent(f"""
        from sales_analytics.db import Database
        db = Database({str(path)!r}, lock_timeout_seconds=20)
        with db.cursor() as con:
            con.execute("INSERT INTO data_version VALUES (41)")
        db.close()
    """)
    subprocess.run(
        [sys.executable, "-c", script], check=True, cwd=str(__import__("pathlib").Path(__file__).parents[1])
    )
    with app.cursor() as con:
        assert con.execute("SELECT max(version) FROM data_version").fetchone()[0] == 41
    app.close()
