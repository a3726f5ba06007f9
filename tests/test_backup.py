"""Backup, restore and rebuild on real DuckDB files, through the command line."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from sales_analytics import backup
from sales_analytics.cli import main
from sales_analytics.db import Database
from sales_analytics.ingest import import_file
from sales_analytics.ingest.store import refresh_derived
from tests.conftest import DATA, table_counts

# a second forecast snapshot, and a re-upload of one manager's week of 2026-11-16 (replaces his rows)
DEALS_23 = (
    "Менеджер;Клиент;Что продаём;Сумма;Месяц оплаты;Вероятность;Статус\n"
    "Иванов Иван;ООО «Ромашка»;Кабель;1 200 000;декабрь 2026;50%;в работе\n"
    "Петрова Анна;Лютик ООО;Щиты;640 000,50;январь 2027;70%;в работе\n"
    "Соколов Андрей;АО «Вектор»;Проект;3 000 000;декабрь 2026;;в работе\n"
    "Соколов Андрей;ИП Васильев;Монтаж;150 000;ноябрь 2026;100%;выиграна\n"
)
IVANOV_16 = (
    "Менеджер;Клиент;Что продаём;Сумма;Месяц оплаты;Вероятность\n"
    "Иванов Иван;ООО «Ромашка»;Кабель;900 000;декабрь 2026;40%\n"
    "Иванов Иван;Астра;Лампы;55 000;февраль 2027;90%\n"
)
# two amount columns: the person mapped the second one (the importer alone would take the first)
SALES_MAPPED = (
    "Дата;Клиент;Менеджер;Подразделение;Сумма;Сумма с НДС\n"
    "10.10.2026;ООО «Ромашка»;Иванов Иван;Оптовый отдел;1 000;1 200\n"
    "12.10.2026;Лютик;Петрова Анна;Розничный отдел;2 000;2 400\n"
    "15.10.2026;Астра;Петрова Анна;Розничный отдел;3 000;три тысячи\n"
)
DELETED = "Дата;Клиент;Менеджер;Сумма\n01.09.2026;Гвоздика;Попов Дмитрий;999 999\n"


def cli(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out + err


def build(tmp_path: Path) -> Path:
    """A database from the sample files: two sales files, a sales file imported with a column mapping
    and a rejected row skipped, forecasts of two snapshots, one manager's week replaced, the plan, and
    one batch deleted."""
    path = tmp_path / "old" / "sales.duckdb"
    files = tmp_path / "files"
    files.mkdir()
    for name, text in {
        "deals_2026-11-23.csv": DEALS_23,
        "ivanov_2026-11-16.csv": IVANOV_16,
        "sales_october.csv": SALES_MAPPED,
        "wrong.csv": DELETED,
    }.items():
        (files / name).write_text(text, encoding="utf-8")
    steps = [
        ("import", "sales", DATA / "sales_1c_grouped.xlsx"),
        ("import", "sales", DATA / "sales_cp1251.csv"),
        ("import", "sales", files / "wrong.csv"),
        ("import", "deals", DATA / "forecast_by_manager_2026-11-16.xlsx"),
        ("import", "plan", DATA / "plan_wide_2026.xlsx"),
        ("import", "deals", files / "deals_2026-11-23.csv"),
        ("import", "deals", files / "ivanov_2026-11-16.csv"),
        ("import", "sales", files / "sales_october.csv", "--skip-invalid", "--map", "Сумма с НДС=amount"),
        ("delete-batch", "3"),
    ]
    for step in steps:
        assert main([str(a) for a in ("--db", path, *step)]) == 0, step
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("backup_source"))


@pytest.fixture
def source(built, tmp_path) -> Path:
    """A copy of the built database and its uploads archive, for one test to change."""
    shutil.copytree(built.parent, tmp_path / "old")
    return tmp_path / "old" / built.name


def tables(path: Path) -> list[str]:
    with duckdb.connect(str(path)) as con:
        return backup._tables(con)


def differing_rows(a: Path, b: Path) -> dict[str, int]:
    """Per table, the rows in one database and not in the other (both ways, duplicates counted)."""
    names = tables(a)
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    found = {}
    for table in names:
        found[table] = con.execute(
            f"SELECT (SELECT count(*) FROM (SELECT * FROM a.{table} EXCEPT ALL SELECT * FROM b.{table})) "
            f"+ (SELECT count(*) FROM (SELECT * FROM b.{table} EXCEPT ALL SELECT * FROM a.{table}))"
        ).fetchone()[0]
    con.close()
    return found


def test_backup_then_restore_gives_the_same_tables_and_takes_new_imports(capsys, source, tmp_path):
    target = tmp_path / "new" / "sales.duckdb"
    code, output = cli(capsys, "--db", source, "backup", tmp_path / "backup")
    assert code == 0, output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["batches"] == {"live": 7, "deleted": 1}
    assert len(manifest["uploads"]) == 8  # the deleted batch's file is kept too
    assert manifest["unarchived"] == []

    code, output = cli(capsys, "restore", tmp_path / "backup", "--db", target)
    assert code == 0, output
    assert tables(target) == tables(source)
    assert set(tables(source)) >= {"import_batches", "sales", "deals", "plan", "clients", "schema_version"}
    assert differing_rows(source, target) == dict.fromkeys(tables(source), 0)
    assert sorted(p.name for p in (target.parent / "uploads").iterdir()) == sorted(
        p.name for p in (source.parent / "uploads").iterdir()
    )
    with duckdb.connect(str(target)) as con:
        views = {
            r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
        assert views == {"current_sales", "current_deals", "current_plan"}
        assert (
            con.execute("SELECT count(*) FROM current_deals WHERE department IS NOT NULL").fetchone()[0] > 0
        )

    # the restored database goes on: the next batch takes the next id, past the deleted one
    db = Database(target)
    with db.cursor() as con:
        before = con.execute("SELECT max(batch_id) FROM import_batches").fetchone()[0]
        text = "Дата;Клиент;Сумма\n20.11.2026;Новый клиент;500\n"
        result = import_file(con, text.encode(), "later.csv", "sales", archive_dir=db.archive_dir)
        assert result.batch_id == before + 1 == 9
        assert con.execute("SELECT count(*) FROM current_sales WHERE batch_id = 9").fetchone()[0] == 1
    db.close()


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(capsys, source, tmp_path):
    cli(capsys, "--db", source, "backup", tmp_path / "backup")
    other = tmp_path / "other" / "sales.duckdb"
    code, output = cli(capsys, "--db", other, "import", "sales", DATA / "sales_cp1251.csv")
    assert code == 0, output
    with duckdb.connect(str(other)) as con:
        before = (table_counts(con), con.execute("SELECT * FROM data_version").fetchall())

    code, output = cli(capsys, "--db", other, "restore", tmp_path / "backup")
    assert code == 2
    assert "already holds data" in output and "--force" in output
    with duckdb.connect(str(other)) as con:
        assert (table_counts(con), con.execute("SELECT * FROM data_version").fetchall()) == before

    # --force replaces it, and the data version moves past both so no cached figure survives
    code, output = cli(capsys, "--db", other, "restore", tmp_path / "backup", "--force")
    assert code == 0, output
    with duckdb.connect(str(other)) as con, duckdb.connect(str(source)) as old:
        assert table_counts(con) == table_counts(old)
        version = con.execute("SELECT version FROM data_version").fetchone()[0]
        assert version > old.execute("SELECT version FROM data_version").fetchone()[0]
        assert version > before[1][0][0]


def test_a_backup_that_does_not_match_its_manifest_is_not_restored(capsys, source, tmp_path):
    cli(capsys, "--db", source, "backup", tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    sums = manifest["tables"]["sales"]["sums"]
    sums["amount"] = str(Decimal(sums["amount"]) + Decimal("0.01"))
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "new" / "sales.duckdb"

    code, output = cli(capsys, "restore", tmp_path / "backup", "--db", target)
    assert code == 2
    assert "table sales, sum(amount)" in output
    assert not target.exists()
    assert not list(target.parent.glob("*.restoring*"))


def test_a_damaged_upload_in_the_backup_is_named(capsys, source, tmp_path):
    cli(capsys, "--db", source, "backup", tmp_path / "backup")
    upload = sorted((tmp_path / "backup" / "uploads").iterdir())[0]
    upload.write_bytes(upload.read_bytes() + b"x")
    code, output = cli(capsys, "restore", tmp_path / "backup", "--db", tmp_path / "new" / "sales.duckdb")
    assert code == 2
    assert upload.name in output and "damaged" in output


def test_backup_goes_into_an_empty_directory_only(capsys, source, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something.txt").write_text("keep me")
    code, output = cli(capsys, "--db", source, "backup", tmp_path / "full")
    assert code == 2
    assert "not empty" in output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["something.txt"]


def test_rebuild_reimports_every_upload_and_gives_the_same_figures(capsys, source, tmp_path):
    target = tmp_path / "rebuilt" / "sales.duckdb"
    code, output = cli(capsys, "--db", source, "rebuild", "--to", target)
    assert code == 0, output
    assert "all equal" in output
    # the mapped file needed its recorded mapping; the others read as they did
    assert "sales_october.csv, sales, 2 rows (with the recorded mapping)" in output
    assert output.count("(as detected)") == 6
    for report in (
        "sales ",
        "forecast ",
        "changes ",
        "changes --deals ",
        "plan-fact ",
        "dormant ",
        "declining ",
    ):
        assert f"\n{report}" in "\n" + output, report
    with duckdb.connect(str(source)) as old, duckdb.connect(str(target)) as new:
        live = "SELECT kind, file_name, sha256, snapshot_date, row_count, skipped_count, amount_total FROM import_batches WHERE deleted_at IS NULL ORDER BY batch_id"
        assert new.execute(live).fetchall() == old.execute(live).fetchall()
        rows = "SELECT * EXCLUDE (batch_id, superseded_by) FROM {t} WHERE superseded_by IS NULL ORDER BY ALL"
        for table in ("sales", "deals", "plan"):
            assert (
                new.execute(rows.format(t=table)).fetchall() == old.execute(rows.format(t=table)).fetchall()
            )
        # the replaced week: Иванов's rows of 2026-11-16 are the re-uploaded two
        assert (
            new.execute(
                "SELECT count(*) FROM current_deals WHERE manager = 'Иванов Иван' AND snapshot_date = DATE '2026-11-16'"
            ).fetchone()[0]
            == 2
        )


def test_the_comparison_names_the_report_and_row_that_differ(source, tmp_path):
    copy = tmp_path / "copy" / "sales.duckdb"
    copy.parent.mkdir()
    shutil.copy2(source, copy)
    old, new = Database(source), Database(copy)
    with old.cursor() as a, new.cursor() as b:
        same = backup.compare_reports(a, b)
        assert same and all(c.equal for c in same)
        assert {c.report for c in same} >= {
            "sales",
            "forecast",
            "changes",
            "plan-fact",
            "dormant",
            "segments",
        }
        b.execute(
            "UPDATE sales SET amount = amount + 1 WHERE client_name = 'Лютик' AND superseded_by IS NULL"
        )
        # the reports read aggregates of the sales that every import and delete rebuilds
        # (ingest/derived.py): an edit behind the importer's back rebuilds them as those do
        refresh_derived(b)
        b.execute("UPDATE data_version SET version = version + 1")
        found = backup.compare_reports(a, b)
    old.close()
    new.close()
    differing = [c for c in found if not c.equal]
    assert any(c.report == "sales" and c.params == {"by": "client"} for c in differing)
    assert any(c.report == "plan-fact" for c in differing)
    assert all(c.difference.startswith("row ") for c in differing)
    assert all("DIFFERENT: row " in c.describe() for c in differing)


def test_rebuild_into_a_database_with_data_is_refused(capsys, source, tmp_path):
    code, output = cli(capsys, "--db", source, "rebuild", "--to", source)
    assert code == 2
    assert "already holds data" in output


def test_rebuild_without_an_archived_upload_says_which_and_builds_nothing(capsys, source, tmp_path):
    with duckdb.connect(str(source)) as con:
        digest, name = con.execute(
            "SELECT sha256, file_name FROM import_batches WHERE kind = 'plan' AND deleted_at IS NULL"
        ).fetchone()
        # the record's path leads to the archive this copy was made from: gone as well
        con.execute("UPDATE import_batches SET archive_path = NULL WHERE sha256 = $h", {"h": digest})
    for path in (source.parent / "uploads").glob(f"{digest}.*"):
        path.unlink()
    target = tmp_path / "rebuilt" / "sales.duckdb"
    code, output = cli(capsys, "--db", source, "rebuild", "--to", target)
    assert code == 2
    assert "no archived upload" in output and name in output
    assert not target.exists()
