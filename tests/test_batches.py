"""The audit trail (issue 6, item 7): who imported each batch, when, the file's hash, and who deleted it."""

from __future__ import annotations

import csv
import hashlib
import io

import duckdb
import pandas as pd
import pytest

from sales_analytics import auth, batches
from sales_analytics.cli import main
from sales_analytics.db import Database, migrate
from sales_analytics.ingest import InputError, import_file
from tests.pages.apptest_helpers import BAD_CSV, SALES_CSV


def events(con) -> list[tuple]:
    return [
        (row.event, None if pd.isna(row.actor) else row.actor, int(row.batch_id), row.sha256)
        for row in batches.batch_events(con).itertuples(index=False)
    ]


def test_import_and_delete_are_recorded_with_who_and_the_hash(con):
    digest = hashlib.sha256(SALES_CSV).hexdigest()
    first = import_file(con, SALES_CSV, "ноябрь.csv", uploaded_by="anna")
    listed = batches.list_batches(con).iloc[0]
    assert listed["uploaded_by"] == "anna" and listed["sha256"] == digest

    batches.delete_batch(con, first.batch_id, deleted_by="boris")
    batches.delete_batch(con, first.batch_id, deleted_by="boris")  # already gone: nothing more recorded
    second = import_file(con, SALES_CSV, "ноябрь.csv")  # the same file again, by nobody named

    assert events(con) == [
        ("import", "anna", first.batch_id, digest),
        ("delete", "boris", first.batch_id, digest),
        ("import", auth.local_user(), second.batch_id, digest),
    ]
    log = batches.batch_events(con)
    assert log["happened_at"].is_monotonic_increasing
    deleted_at = con.execute(
        "SELECT deleted_at FROM import_batches WHERE batch_id = $b", {"b": first.batch_id}
    ).fetchone()[0]
    assert deleted_at is not None


def test_a_failed_import_records_nothing(con):
    with pytest.raises(InputError):
        import_file(con, BAD_CSV, "bad.csv", "sales", uploaded_by="anna")
    assert events(con) == []


def test_deleting_the_demo_is_recorded_per_batch(con):
    first = import_file(con, SALES_CSV, "демо.csv", is_demo=True)
    assert batches.delete_demo(con, deleted_by="anna") == 1
    assert events(con)[-1][:3] == ("delete", "anna", first.batch_id)


def test_version_1_databases_get_their_history_backfilled(tmp_path):
    path = tmp_path / "old.duckdb"
    db = Database(path)
    with db.cursor():
        pass
    db.close()
    # a database as version 1 left it: one live batch and one deleted, no events table
    raw = duckdb.connect(str(path))
    raw.execute(
        "DROP TABLE batch_events; DROP SEQUENCE batch_event_id_seq; ALTER TABLE deals DROP COLUMN status_unknown; "
        "DELETE FROM schema_version WHERE version > 1"
    )
    raw.execute(
        "INSERT INTO import_batches (kind, file_name, sha256, sheets, row_count, amount_total, uploaded_by, deleted_at) "
        "VALUES ('sales', 'a.csv', 'aa', ['a'], 1, 1, NULL, NULL), "
        "('sales', 'b.csv', 'bb', ['b'], 1, 1, 'anna', TIMESTAMP '2026-11-20 10:00:00')"
    )
    assert migrate(raw) >= 2
    assert [(e, a, s) for e, a, _, s in events(raw)] == [
        ("import", None, "aa"),
        ("import", "anna", "bb"),
        ("delete", None, "bb"),
    ]
    raw.close()


def test_the_command_line_shows_the_uploader_and_the_audit_log(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    source = tmp_path / "ноябрь.csv"
    source.write_bytes(SALES_CSV)
    assert main(["--db", str(db), "import", "sales", str(source)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "batches"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["uploaded_by"] == auth.local_user()  # the CLI records the operating-system user
    assert main(["--db", str(db), "delete-batch", row["batch_id"]]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "audit"]) == 0
    log = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["event"], r["actor"], r["file_name"]) for r in log] == [
        ("import", auth.local_user(), "ноябрь.csv"),
        ("delete", auth.local_user(), "ноябрь.csv"),
    ]
    assert log[0]["sha256"] == hashlib.sha256(SALES_CSV).hexdigest()
