"""The database: schema version, forward migrations, the lock shared with another process."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from sales_analytics.db import (
    DEFAULT_ARCHIVE_DIR,
    Database,
    default_target,
    migrate,
    schema_version,
    target_kind,
)


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


# --- the storage setting: a file, memory, or a DSN handed to DuckDB unchanged ---------------------


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("data/sales.duckdb", "file"),
        ("/srv/sales/sales.duckdb", "file"),
        ("C:\\data\\sales.duckdb", "file"),
        ("sales", "file"),
        (":memory:", "memory"),
        (":memory:meeting-1f2e", "memory"),
        ("md:sales", "dsn"),
        ("md:", "dsn"),
        ("motherduck:sales", "dsn"),
        ("duckdb:/srv/sales.duckdb", "dsn"),
        ("s3://bucket/sales.duckdb", "dsn"),
    ],
)
def test_target_kind(target, kind):
    assert target_kind(target) == kind
    assert Database(target).kind == kind


def test_default_target_is_the_setting(monkeypatch):
    monkeypatch.delenv("SALES_ANALYTICS_DB", raising=False)
    assert Path(default_target()) == Path(__file__).parents[1] / "data" / "sales.duckdb"
    monkeypatch.setenv("SALES_ANALYTICS_DB", "md:sales")
    assert default_target() == "md:sales"
    assert Database().target == "md:sales"


def test_file_target_makes_its_folder_archives_beside_and_lets_go_when_idle(tmp_path, monkeypatch):
    monkeypatch.delenv("SALES_ANALYTICS_ARCHIVE", raising=False)
    path = tmp_path / "new" / "folder" / "sales.duckdb"
    db = Database(path, idle_close_seconds=0.05)
    assert db.archive_dir == tmp_path / "new" / "folder" / "uploads"
    with db.cursor() as con:
        con.execute("INSERT INTO data_version VALUES (7)")
    assert path.exists()
    _wait_until(lambda: not db.is_open)
    with db.cursor() as con:  # opened again, the data is still there
        assert con.execute("SELECT max(version) FROM data_version").fetchone()[0] == 7
    db.close()
    monkeypatch.setenv("SALES_ANALYTICS_ARCHIVE", str(tmp_path / "archive"))
    assert Database(path).archive_dir == tmp_path / "archive"


def test_memory_is_never_closed_on_idle_and_never_archives(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_ARCHIVE", str(tmp_path / "archive"))
    db = Database(":memory:", idle_close_seconds=0.01)
    assert db.archive_dir is None  # the shared archive setting does not apply to memory
    with db.cursor() as con:
        con.execute("UPDATE data_version SET version = 5")
    time.sleep(0.3)  # many idle periods: a closed in-memory database would have lost the data
    assert db.is_open
    with db.cursor() as con:
        assert con.execute("SELECT version FROM data_version").fetchone()[0] == 5
    db.close()
    assert Database(":memory:", archive_dir=tmp_path / "given").archive_dir == tmp_path / "given"


def test_named_memory_target_reaches_duckdb_unchanged():
    """Two Database objects on one ``:memory:NAME`` see one database; another name is another."""
    first, second = Database(":memory:shared-test"), Database(":memory:shared-test")
    other = Database(":memory:other-test")
    with first.cursor() as con:
        con.execute("UPDATE data_version SET version = 12")
    with second.cursor() as con:
        assert con.execute("SELECT version FROM data_version").fetchone()[0] == 12
    with other.cursor() as con:
        assert con.execute("SELECT version FROM data_version").fetchone()[0] == 0
    for db in (first, second, other):
        db.close()
    # once every connection is closed, DuckDB frees a named in-memory database
    again = Database(":memory:shared-test")
    with again.cursor() as con:
        assert con.execute("SELECT version FROM data_version").fetchone()[0] == 0
    again.close()


def test_dsn_reaches_duckdb_unchanged_and_keeps_its_connection(tmp_path, monkeypatch):
    """``duckdb:PATH`` is a DSN DuckDB accepts locally: the data lands in PATH, which proves the
    string went through as given; like ``md:``, it is not closed on idle and makes no folders."""
    monkeypatch.delenv("SALES_ANALYTICS_ARCHIVE", raising=False)
    path = tmp_path / "store.duckdb"
    db = Database(f"duckdb:{path}", idle_close_seconds=0.01)
    assert db.kind == "dsn" and db.target == f"duckdb:{path}"
    assert db.archive_dir == DEFAULT_ARCHIVE_DIR
    with db.cursor() as con:
        con.execute("UPDATE data_version SET version = 3")
    time.sleep(0.3)
    assert db.is_open
    db.close()
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT version FROM data_version").fetchone()[0] == 3

    missing = tmp_path / "no such folder" / "store.duckdb"
    with pytest.raises(duckdb.Error):
        with Database(f"duckdb:{missing}").cursor():
            pass
    assert not missing.parent.exists()  # a DSN names no local folder for us to create

    monkeypatch.setenv("SALES_ANALYTICS_ARCHIVE", str(tmp_path / "archive"))
    assert Database("md:sales").archive_dir == tmp_path / "archive"


def test_import_into_memory_leaves_no_file(tmp_path, monkeypatch):
    from sales_analytics.ingest import import_file

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SALES_ANALYTICS_ARCHIVE", str(tmp_path / "archive"))
    db = Database(":memory:no-trace")
    data = (Path(__file__).parent / "data" / "sales_cp1251.csv").read_bytes()
    with db.cursor() as con:
        result = import_file(con, data, "sales_cp1251.csv", archive_dir=db.archive_dir)
        assert con.execute("SELECT count(*) FROM sales").fetchone()[0] == result.rows > 0
        assert con.execute("SELECT archive_path FROM import_batches").fetchone()[0] is None
    db.close()
    assert list(tmp_path.iterdir()) == []


def _wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
