"""Backup, restore and rebuild: the database and its archive of uploads, kept safe and checked.

- :func:`backup` writes a directory: DuckDB's ``EXPORT DATABASE`` (Parquet, which keeps DECIMAL money
  exact; ``schema.sql`` and ``load.sql`` recreate the tables, views and the batch-id sequence at its
  next value), a copy of every archived upload in ``uploads/``, and ``manifest.json`` (schema and data
  versions, batch count, every table's row count and money sums) taken in the same transaction.
- :func:`restore` loads such a directory into a new or empty database file only, checks the figures
  against the manifest and every upload against its SHA-256 name, and only then puts the file in
  place: a failed restore leaves the target as it was.
- :func:`rebuild` re-imports every archived upload of a database, in the original order and with each
  batch's recorded kind, snapshot date, mapping and options, into a new database, and
  :func:`compare_reports` checks that every report gives the same figures in both.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from sales_analytics import export
from sales_analytics.db import MEMORY, Database, _is_lock_error, _migrations, load_query, schema_version

MANIFEST = "manifest.json"
UPLOADS = "uploads"
FORMAT_VERSION = 1
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup, restore or rebuild that cannot go ahead, or whose check failed; the message says
    why and what to do. Nothing was changed in the database it names."""


# --- what a database holds: the manifest's figures -----------------------------------------------


def _quoted_path(path: Path) -> str:
    # EXPORT / IMPORT DATABASE take a literal, not a bound parameter: quote it as an SQL string
    return "'" + str(path).replace("'", "''") + "'"


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    names = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    # names come from our own catalog; anything else would be a schema we did not write
    return [name for name in names if _IDENTIFIER.match(name)]


def _decimal_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = $t AND data_type LIKE 'DECIMAL%' "
            "ORDER BY ordinal_position",
            {"t": table},
        ).fetchall()
        if _IDENTIFIER.match(row[0])
    ]


def figures(con: duckdb.DuckDBPyConnection) -> dict:
    """What the manifest records and a restore must find again: schema and data versions, batches,
    and per table its row count and the exact sum of every money (DECIMAL) column, as text."""
    tables = {}
    for table in _tables(con):
        columns = _decimal_columns(con, table)
        # identifiers cannot be bound: these come from the database's own catalog (our schema's
        # tables and DECIMAL columns), never from a file or a person
        select = ", ".join(["count(*)"] + [f'sum("{c}")' for c in columns])
        row = con.execute(f'SELECT {select} FROM "{table}"').fetchone()
        tables[table] = {
            "rows": int(row[0]),
            "sums": {
                c: str(v if v is not None else Decimal("0")) for c, v in zip(columns, row[1:], strict=True)
            },
        }
    live, deleted = con.execute(
        "SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) "
        "FROM import_batches"
    ).fetchone()
    return {
        "schema_version": schema_version(con),
        "data_version": int(con.execute("SELECT max(version) FROM data_version").fetchone()[0] or 0),
        "batches": {"live": int(live), "deleted": int(deleted)},
        "tables": tables,
    }


def _archived_files(
    con: duckdb.DuckDBPyConnection, archive_dir: Path | None
) -> tuple[list[Path], list[dict]]:
    """The archive's files (never a half-written ``.part``), and the live batches whose upload is not
    among them (imported in memory, or the file went missing)."""
    files = []
    if archive_dir is not None and archive_dir.is_dir():
        files = sorted(p for p in archive_dir.iterdir() if p.is_file() and not p.name.endswith(".part"))
    present = {p.name.split(".")[0] for p in files}
    missing = [
        {"batch_id": batch_id, "file_name": name}
        for batch_id, name, digest in con.execute(
            "SELECT batch_id, file_name, sha256 FROM import_batches WHERE deleted_at IS NULL ORDER BY batch_id"
        ).fetchall()
        if digest not in present
    ]
    return files, missing


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- backup --------------------------------------------------------------------------------------


def backup(db: Database, directory: Path, say: Say | None = None) -> dict:
    """Write a backup of ``db`` into ``directory`` (new or empty) and return its manifest.

    One transaction covers the export and the manifest's figures, and the database file is held
    while the uploads are copied, so no import slips in between: the three agree. Live batches whose
    upload is not archived are listed in the manifest (``unarchived``) and told: they can be
    restored, but not rebuilt.
    """
    say = say or (lambda message: None)
    if not db.is_file:
        raise BackupError(f"{db.target} is not a database file: nothing to back up")
    if not Path(db.target).exists():
        raise BackupError(f"{db.target} does not exist")
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} is not empty: a backup goes into a new or empty directory")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        with db.cursor() as con:
            con.begin()
            try:
                con.execute(f"EXPORT DATABASE {_quoted_path(directory.resolve())} (FORMAT parquet)")
                manifest = figures(con)
                files, missing = _archived_files(con, db.archive_dir)
                con.commit()
            except BaseException:
                con.rollback()
                raise
            uploads = directory / UPLOADS
            uploads.mkdir()
            for path in files:
                shutil.copy2(path, uploads / path.name)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "source": str(Path(db.target).resolve()),
        "duckdb": duckdb.__version__,
        **manifest,
        "uploads": [{"file": p.name, "bytes": p.stat().st_size} for p in files],
        "unarchived": missing,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    for batch in missing:
        say(f"warning: batch {batch['batch_id']} ({batch['file_name']}) has no archived upload")
    return manifest


# --- restore -------------------------------------------------------------------------------------


def _is_empty(path: Path) -> bool:
    """A database file with nothing in it: missing, no tables, or the schema with no batch ever."""
    if not path.exists():
        return True
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as error:
        if _is_lock_error(error):
            raise BackupError(
                f"{path} is held by another process (the app, an import?): stop it first"
            ) from error
        raise
    try:
        tables = set(_tables(con))
        if not tables:
            return True
        if "import_batches" not in tables:
            return False
        batches = con.execute("SELECT count(*) FROM import_batches").fetchone()[0]
        version = (
            con.execute("SELECT max(version) FROM data_version").fetchone()[0]
            if "data_version" in tables
            else 0
        )
        return batches == 0 and not version
    finally:
        con.close()


def _differences(expected: dict, found: dict) -> list[str]:
    problems = []
    for key in ("schema_version", "data_version", "batches"):
        if expected.get(key) != found.get(key):
            problems.append(f"{key}: manifest {expected.get(key)}, restored {found.get(key)}")
    for table, wanted in expected.get("tables", {}).items():
        got = found["tables"].get(table)
        if got is None:
            problems.append(f"table {table}: missing")
            continue
        if wanted["rows"] != got["rows"]:
            problems.append(f"table {table}: manifest {wanted['rows']} rows, restored {got['rows']}")
        for column, total in wanted["sums"].items():
            if Decimal(total) != Decimal(got["sums"].get(column, "NaN")):
                problems.append(
                    f"table {table}, sum({column}): manifest {total}, restored {got['sums'].get(column)}"
                )
    return problems


def _remove_database_file(path: Path) -> None:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)


def restore(directory: Path, target: Path, *, force: bool = False, say: Say | None = None) -> dict:
    """Restore the backup in ``directory`` into the database file ``target`` and its uploads archive.

    ``target`` must be new or empty (no batch ever imported) unless ``force``. The backup is loaded
    into a scratch file beside ``target``, its figures checked against the manifest and every upload
    against its SHA-256 name; only then is the scratch file moved onto ``target``. On any mismatch a
    ``BackupError`` lists it and ``target`` is untouched. Replacing a database that held data
    (``force``) moves the data version past both, so no cache keyed on the old figures survives.
    Returns the manifest.
    """
    say = say or (lambda message: None)
    directory, target = Path(directory), Path(target)
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{directory} holds no {MANIFEST}: not a backup made by `backup`")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    known = max([1] + [number for number, _ in _migrations()])
    if manifest.get("schema_version", 0) > known:
        raise BackupError(
            f"the backup has schema version {manifest['schema_version']}; this program knows up to {known}: "
            "restore it with a newer version"
        )
    if str(target) == MEMORY:
        raise BackupError("restore needs a database file")
    replacing = not _is_empty(target)
    if replacing and not force:
        raise BackupError(
            f"{target} already holds data: restore into a new file, or add --force to replace it "
            "(stop the app first)"
        )
    old_version = 0
    if replacing:
        with duckdb.connect(str(target)) as old:
            old_version = old.execute("SELECT max(version) FROM data_version").fetchone()[0] or 0

    uploads = directory / UPLOADS
    for entry in manifest.get("uploads", []):
        path = uploads / entry["file"]
        if not path.exists():
            raise BackupError(f"the backup lacks the upload {entry['file']}")
        if _sha256_file(path) != entry["file"].split(".")[0]:
            raise BackupError(f"the upload {entry['file']} in the backup is damaged (its SHA-256 differs)")

    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(target.name + ".restoring")
    _remove_database_file(scratch)
    try:
        con = duckdb.connect(str(scratch))
        try:
            con.execute(f"IMPORT DATABASE {_quoted_path(directory.resolve())}")
            problems = _differences(manifest, figures(con))
            if problems:
                raise BackupError(
                    "the restored database does not match the manifest:\n  " + "\n  ".join(problems)
                )
            if replacing:
                con.execute(
                    "UPDATE data_version SET version = $v",
                    {"v": max(old_version, manifest["data_version"]) + 1},
                )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        archive = target.resolve().parent / UPLOADS
        archive.mkdir(parents=True, exist_ok=True)
        for entry in manifest.get("uploads", []):
            if not (archive / entry["file"]).exists():
                partial = archive / (entry["file"] + ".part")
                shutil.copy2(uploads / entry["file"], partial)
                partial.replace(archive / entry["file"])
        _remove_database_file(target)
        os.replace(scratch, target)
    finally:
        _remove_database_file(scratch)
    for batch in manifest.get("unarchived", []):
        say(f"warning: batch {batch['batch_id']} ({batch['file_name']}) had no archived upload")
    return manifest


# --- rebuild -------------------------------------------------------------------------------------


@dataclass
class Rebuilt:
    """One batch re-imported: its id in the old and the new database, and how it was read."""

    old_id: int
    new_id: int
    file_name: str
    kind: str
    rows: int
    how: str  # "as detected" or "with the recorded mapping/year"


@dataclass
class Comparison:
    """One report call made on both databases."""

    report: str
    params: dict
    rows: int
    difference: str | None = None  # the first differing row, told; None when equal

    @property
    def equal(self) -> bool:
        return self.difference is None

    def describe(self) -> str:
        args = " ".join(f"{k}={_param_text(v)}" for k, v in self.params.items())
        verdict = "equal" if self.equal else f"DIFFERENT: {self.difference}"
        return f"{self.report} {args}: {self.rows} rows, {verdict}"


@dataclass
class RebuildResult:
    batches: list[Rebuilt] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def differences(self) -> list[Comparison]:
        return [c for c in self.comparisons if not c.equal]


def _param_text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _archived_upload(batch: dict, archive_dir: Path | None) -> Path | None:
    """The batch's file: ``<sha256>.<ext>`` in the archive beside the database, else where the batch
    record says it was archived (a restored database keeps the old path)."""
    candidates = []
    if archive_dir is not None:
        suffix = Path(batch["file_name"]).suffix.lower() or ".bin"
        candidates.append(archive_dir / f"{batch['sha256']}{suffix}")
        candidates += sorted(archive_dir.glob(f"{batch['sha256']}.*"))
    if batch["archive_path"]:
        candidates.append(Path(batch["archive_path"]))
    for path in candidates:
        if path.is_file() and not path.name.endswith(".part"):
            return path
    return None


def _recorded_mapping(data: bytes, batch: dict) -> dict[str, str | None] | None:
    """The recorded per-sheet mapping (``{sheet: {letter: field}}``) as the importer's one mapping
    for every sheet: each recorded column to its field, each other detected column left out. None
    when the sheets disagree about a letter (one mapping cannot say both)."""
    from sales_analytics.ingest import preview_file

    recorded = json.loads(batch["mapping"] or "{}")
    letters: dict[str, str] = {}
    for fields in recorded.values():
        for letter, name in fields.items():
            if letters.setdefault(letter, name) != name:
                return None
    preview = preview_file(data, batch["file_name"], batch["kind"])
    mapping: dict[str, str | None] = dict(letters)
    for sheet in preview.sheets:
        for column in sheet.columns:
            # a plan's month columns are found from their headers; naming them here would drop them
            if column.field not in (None, "month") and column.letter not in letters:
                mapping[column.letter] = None
    return mapping


def _matches(result, batch: dict) -> bool:
    return (
        result.kind == batch["kind"]
        and result.rows == batch["row_count"]
        and len(result.skipped) == batch["skipped_count"]
        and result.amount_total == batch["amount_total"]
        and result.margin_total == batch["margin_total"]
        and result.period_from == batch["period_from"]
        and result.period_to == batch["period_to"]
    )


def _mapping_of(con: duckdb.DuckDBPyConnection, batch_id: int) -> str:
    return con.execute("SELECT mapping FROM import_batches WHERE batch_id = $b", {"b": batch_id}).fetchone()[
        0
    ]


def _reimport(con: duckdb.DuckDBPyConnection, data: bytes, batch: dict, archive_dir: Path | None) -> Rebuilt:
    """Import one archived upload as it was imported: first as the importer reads it today, then with
    the recorded mapping and the plan's year; the first whose rows, sums, period and mapping equal the
    recorded batch is kept."""
    from sales_analytics.ingest import InputError, import_file

    attempts: list[tuple[str, Callable[[], dict]]] = [
        ("as detected", lambda: {}),
        (
            "with the recorded mapping",
            lambda: {
                "mapping": _recorded_mapping(data, batch),
                "year": batch["period_from"].year
                if batch["kind"] == "plan" and batch["period_from"]
                else None,
            },
        ),
    ]
    failures = []
    for how, options in attempts:
        con.begin()
        try:
            result = import_file(
                con,
                data,
                batch["file_name"],
                batch["kind"],
                as_of=batch["snapshot_date"],
                skip_invalid=batch["skipped_count"] > 0,
                archive_dir=archive_dir,
                is_demo=batch["is_demo"],
                uploaded_by=batch["uploaded_by"],
                own_transaction=False,
                **options(),
            )
        except InputError as error:
            con.rollback()
            failures.append(f"{how}: {error.message('en', limit=3)}")
            continue
        except BaseException:
            con.rollback()
            raise
        recorded = json.dumps(json.loads(batch["mapping"] or "{}"), sort_keys=True)
        now = json.dumps(json.loads(_mapping_of(con, result.batch_id) or "{}"), sort_keys=True)
        if _matches(result, batch) and now == recorded:
            con.commit()
            return Rebuilt(
                batch["batch_id"], result.batch_id, batch["file_name"], batch["kind"], result.rows, how
            )
        con.rollback()
        failures.append(
            f"{how}: {result.rows} rows, amount {result.amount_total}, period {result.period_from}..{result.period_to}"
        )
    raise BackupError(
        f"batch {batch['batch_id']} ({batch['file_name']}) does not import as recorded "
        f"({batch['row_count']} rows, amount {batch['amount_total']}, period "
        f"{batch['period_from']}..{batch['period_to']}):\n  " + "\n  ".join(failures)
    )


def rebuild(source: Database, target: Path, say: Say | None = None) -> RebuildResult:
    """Re-import every live batch of ``source`` from its archived upload, in the original order, into
    the new database ``target``; then compare every report on both (:func:`compare_reports`).

    Each batch goes in with its recorded kind, snapshot date, options (rows skipped, demo, uploader)
    and, if the importer reads the file differently today, its recorded column mapping and the plan's
    year. Deleted batches are left out, as their rows were. A batch with no archived upload (a
    database filled in memory) stops the rebuild before it starts: it cannot be reproduced. A batch
    that does not import as recorded stops it too, and the half-built ``target`` is removed. When
    reports differ, ``target`` stays for a look.
    """
    say = say or (lambda message: None)
    target = Path(target)
    if not _is_empty(target):
        raise BackupError(f"{target} already holds data: rebuild into a new database file")
    with source.cursor() as con:
        batches = con.sql(load_query("rebuild_batches")).to_arrow_table().to_pylist()
    missing = [b for b in batches if _archived_upload(b, source.archive_dir) is None]
    if missing:
        listed = ", ".join(f"{b['batch_id']} ({b['file_name']})" for b in missing[:10])
        raise BackupError(f"no archived upload for batch(es) {listed}: they cannot be rebuilt")
    result = RebuildResult()
    new = Database(target)
    try:
        with new.cursor() as con:
            for batch in batches:
                data = _archived_upload(batch, source.archive_dir).read_bytes()
                try:
                    done = _reimport(con, data, batch, new.archive_dir)
                except BaseException:
                    # a half-rebuilt database is no use and must not be mistaken for one
                    new.close()
                    _remove_database_file(target)
                    raise
                result.batches.append(done)
                say(
                    f"batch {done.old_id} -> {done.new_id}: {done.file_name}, {done.kind}, {done.rows} rows ({done.how})"
                )
        with source.cursor() as old, new.cursor() as fresh:
            for comparison in compare_reports(old, fresh):
                result.comparisons.append(comparison)
                say(comparison.describe())
    finally:
        new.close()
    return result


# --- the reports, on both databases --------------------------------------------------------------


def report_calls(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, Callable, dict]]:
    """Every report, on a set of parameters taken from the data: each grouping of sales; the forecast
    of every snapshot by each grouping (and margin by department); the changes between consecutive snapshots (the
    waterfall and the deals); plan/fact of every month by department and manager, and the month in
    progress on the last sale; dormant and declining clients on the last sale and the last snapshot;
    the segments of the twelve newest plan months."""
    from sales_analytics.batches import data_status
    from sales_analytics.reports import changes, clients, forecast, plan_fact, sales, segments

    status = data_status(con)
    for by in sales.GROUPINGS:
        yield "sales", sales.sales_report, {"by": by}
    snapshots = forecast.snapshot_dates(con)
    for snapshot in snapshots:
        for by, measure in (
            ("department", "amount"),
            ("manager", "amount"),
            ("all", "amount"),
            ("department", "margin"),
        ):
            yield "forecast", forecast.forecast_report, {"as_of": snapshot, "by": by, "measure": measure}
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        yield "changes", changes.changes_summary, {"date_from": before, "date_to": after}
        yield "changes --deals", changes.changes_deals, {"date_from": before, "date_to": after}
    for month in plan_fact.available_months(con):
        for by in ("department", "manager"):
            yield "plan-fact", plan_fact.plan_fact, {"month": month, "by": by}
    if status.last_sale:
        yield (
            "plan-fact",
            plan_fact.plan_fact,
            {"month": status.last_sale.replace(day=1), "as_of": status.last_sale},
        )
    for day in sorted({d for d in (status.last_sale, status.last_snapshot) if d}):
        yield "dormant", clients.dormant_clients, {"as_of": day}
        yield "declining", clients.declining_clients, {"as_of": day}
    for month in segments.plan_months(con)[:12]:
        yield "segments", segments.segment_summary, {"month": month}


def _first_difference(old: pd.DataFrame, new: pd.DataFrame) -> str | None:
    if list(old.columns) != list(new.columns):
        return f"columns {list(old.columns)} != {list(new.columns)}"
    before, after = export.plain_records(old), export.plain_records(new)
    for index, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            changed = {k: (a[k], b[k]) for k in a if a[k] != b[k]}
            return f"row {index + 1}: {changed} (old {a})"
    if len(before) != len(after):
        return f"{len(before)} rows before, {len(after)} after"
    return None


def compare_reports(old: duckdb.DuckDBPyConnection, new: duckdb.DuckDBPyConnection) -> list[Comparison]:
    """Each of :func:`report_calls` (parameters from the old database) on both databases."""
    found = []
    for name, function, params in list(report_calls(old)):
        try:
            before = function(old, **params).reset_index(drop=True)
        except ValueError as error:
            before = error
        try:
            after = function(new, **params).reset_index(drop=True)
        except ValueError as error:
            after = error
        if isinstance(before, Exception) or isinstance(after, Exception):
            same = type(before) is type(after) and str(before) == str(after)
            found.append(Comparison(name, params, 0, None if same else f"{before!r} != {after!r}"))
            continue
        found.append(Comparison(name, params, len(before), _first_difference(before, after)))
    return found
