"""Step 6, store: a batch record, its rows, what it replaces, and the client list, in one transaction.

A later batch replaces rows of earlier ones within its scope (SPEC.md: re-uploading a manager's week
replaces that manager's rows of that date):

- sales: the same department, dated within the new file's first..last date (a re-exported period);
- deals: the same manager on the same snapshot date;
- plan: the same department and manager, within the new file's months.

Replaced rows are kept, marked ``superseded_by``; undoing the later batch brings them back.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from sales_analytics.auth import local_user
from sales_analytics.db import bump_data_version
from sales_analytics.ingest.derived import refresh_sales_aggregates

# The typed columns that travel from the private staging database to the company database, in file
# order, as a stream of Arrow batches (never the whole file at once in Python). (The sort is needed:
# the staging joins do not keep the file's order.)
_TRANSFER = {
    "sales": """
        SELECT sheet_index, row_no, sale_date, client_key, client_name, manager, department, amount, margin,
               product, document
        FROM sa_staged ORDER BY sheet_index, row_no
    """,
    "deals": """
        SELECT sheet_index, row_no, deal_id, client_key, client_name, manager, department, product, amount,
               margin, expected_month, probability, probability_missing, stage, status, status_text,
               status_unknown
        FROM sa_staged ORDER BY sheet_index, row_no
    """,
    "plan": """
        SELECT sheet_index, row_no, month, department, manager, plan_amount
        FROM sa_staged ORDER BY sheet_index, row_no, month
    """,
}

# source_sheet is looked up by sheet_index in $sheets, the located sheets' names (NULL for a CSV)
_INSERT = {
    "sales": """
        INSERT INTO sales (batch_id, source_sheet, source_row, sale_date, client_key, client_name, manager,
                           department, amount, margin, product, document)
        SELECT $batch, nullif(list_extract($sheets, sheet_index + 1), ''), row_no, sale_date, client_key, client_name,
               manager, department, amount, margin, product, document
        FROM sa_rows
    """,
    "deals": """
        INSERT INTO deals (batch_id, snapshot_date, source_sheet, source_row, deal_id, client_key, client_name,
                           manager, department, product, amount, margin, expected_month, probability,
                           probability_missing, stage, status, status_text, status_unknown)
        SELECT $batch, $snapshot, nullif(list_extract($sheets, sheet_index + 1), ''), row_no, deal_id, client_key,
               client_name, manager, department, product, amount, margin, expected_month, probability,
               probability_missing, stage, status, status_text, status_unknown
        FROM sa_rows
    """,
    "plan": """
        INSERT INTO plan (batch_id, source_sheet, source_row, month, department, manager, plan_amount)
        SELECT $batch, nullif(list_extract($sheets, sheet_index + 1), ''), row_no, month, department, manager, plan_amount
        FROM sa_rows
    """,
}

_BATCH_ROWS = 122_880  # rows per Arrow batch on the way to the company database

# Each batch's scopes (scope key, first and last date), worked out in the staging database.
_SCOPES = {
    "sales": """
        SELECT coalesce(department, ''), min(min(sale_date)) OVER (), max(max(sale_date)) OVER ()
        FROM sa_staged GROUP BY ALL
    """,
    "deals": """
        SELECT DISTINCT coalesce(manager, ''), $snapshot::DATE, $snapshot::DATE FROM sa_staged
    """,
    "plan": """
        SELECT coalesce(department, '') || '|' || coalesce(manager, ''), min(month), max(month)
        FROM sa_staged GROUP BY ALL
    """,
}

# For each kind: the row's scope key and date, matched against later batches' scopes.
_SUPERSEDE = {
    "sales": ("sales", "coalesce(t.department, '')", "t.sale_date"),
    "deals": ("deals", "coalesce(t.manager, '')", "t.snapshot_date"),
    "plan": ("plan", "coalesce(t.department, '') || '|' || coalesce(t.manager, '')", "t.month"),
}

_RESET_TEMPLATE = """
UPDATE {table} SET superseded_by = NULL
WHERE superseded_by IS NOT NULL
  AND superseded_by NOT IN (SELECT batch_id FROM import_batches WHERE deleted_at IS NULL)
"""

_RESOLVE_TEMPLATE = """
UPDATE {table} SET superseded_by = later.batch_id
FROM (
    SELECT t.rowid AS row_id, min(s.batch_id) AS batch_id
    FROM {table} AS t
    JOIN batch_scopes AS s
      ON s.batch_id > t.batch_id AND s.scope_key = {key} AND {day} BETWEEN s.date_from AND s.date_to
    JOIN import_batches AS b ON b.batch_id = s.batch_id AND b.deleted_at IS NULL AND b.kind = $kind
    WHERE t.superseded_by IS NULL AND t.batch_id < $below
    GROUP BY t.rowid
) AS later
WHERE {table}.rowid = later.row_id
"""


def resolve_supersession(con: duckdb.DuckDBPyConnection, below: int = 2**31 - 1) -> int:
    """Mark every row that a later, live batch replaces; un-mark rows whose replacer was deleted.

    ``below`` limits the work to rows of batches older than it (an import only affects those).
    """
    changed = 0
    for kind, (table, key, day) in _SUPERSEDE.items():
        con.execute(_RESET_TEMPLATE.format(table=table))
        changed += con.execute(
            _RESOLVE_TEMPLATE.format(table=table, key=key, day=day), {"kind": kind, "below": below}
        ).fetchone()[0]
    return changed


def refresh_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild what is derived from the current rows: the client list (one row per key, shown
    under its most frequent spelling, ties going to the spelling seen first) and each manager's
    department as of their latest sale."""
    con.execute("DELETE FROM clients")
    con.execute(
        """
        INSERT INTO clients
        WITH spellings AS (
            SELECT client_key, client_name, batch_id, source_row FROM current_sales
            UNION ALL
            SELECT client_key, client_name, batch_id, source_row FROM deals WHERE superseded_by IS NULL
        ),
        -- where a spelling is first seen, (batch, row) as one integer: a struct's min costs twice the
        -- whole grouping (source_row is an INTEGER, so the two never overlap)
        names AS (
            SELECT client_key, client_name, count(*) AS uses,
                   min(batch_id::BIGINT * 4294967296 + source_row) AS first_seen
            FROM spellings GROUP BY client_key, client_name
        )
        SELECT client_key, first(client_name ORDER BY uses DESC, first_seen), count(*) FROM names GROUP BY client_key
        """
    )
    con.execute("DELETE FROM manager_departments")
    con.execute(
        """
        INSERT INTO manager_departments
        SELECT manager, arg_max(department, (sale_date, batch_id, source_row))
        FROM current_sales
        WHERE manager IS NOT NULL AND department IS NOT NULL
        GROUP BY manager
        """
    )
    refresh_sales_aggregates(con)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def existing_batch(con: duckdb.DuckDBPyConnection, digest: str) -> int | None:
    row = con.execute(
        "SELECT batch_id FROM import_batches WHERE sha256 = $h AND deleted_at IS NULL ORDER BY batch_id LIMIT 1",
        {"h": digest},
    ).fetchone()
    return row[0] if row else None


def archive(data: bytes, digest: str, file_name: str, archive_dir: Path | None) -> str | None:
    """Keep the uploaded bytes as ``<sha256>.<ext>`` so every import can be audited and rebuilt."""
    if archive_dir is None:
        return None
    archive_dir.mkdir(parents=True, exist_ok=True)
    suffix = Path(file_name).suffix.lower() or ".bin"
    path = archive_dir / f"{digest}{suffix}"
    if not path.exists():
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(path)
    return str(path)


def store_batch(
    con: duckdb.DuckDBPyConnection,
    staging: duckdb.DuckDBPyConnection,
    *,
    staged_in: str | None = None,
    kind: str,
    file_name: str,
    digest: str,
    archive_path: str | None,
    sheets: list[str],
    source_sheets: list[str | None],
    snapshot: date | None,
    warnings: dict[str, int],
    skipped: list[dict],
    mapping: dict,
    is_demo: bool,
    uploaded_by: str | None,
    refresh: bool = True,
) -> tuple[int, dict]:
    """Insert the staged rows (``sa_staged`` in the private ``staging`` database, minus rejected rows
    already removed) as a new batch of the company database ``con``.

    ``staged_in`` names the database holding ``sa_staged`` when it is attached to ``con``'s own
    DuckDB: the rows are then copied by one statement inside the engine; else they travel as a
    stream of Arrow batches from ``staging``.

    The caller holds the transaction on ``con``. ``source_sheets[i]`` is the name stored for the rows of
    sheet ``i``. Returns the batch id and its totals. ``uploaded_by`` is the logged-in user; without one
    (login off, the command line) the operating-system user is recorded.
    """
    uploaded_by = uploaded_by or local_user()
    totals = _totals(staging, kind)
    scope_params = {"snapshot": snapshot} if kind == "deals" else {}
    scopes = staging.sql(_SCOPES[kind], params=scope_params or None).to_arrow_table()
    batch_id = con.execute(
        """
        INSERT INTO import_batches (kind, file_name, sha256, archive_path, sheets, snapshot_date, row_count,
            skipped_count, amount_total, margin_total, period_from, period_to, warnings, skipped, mapping,
            is_demo, uploaded_by)
        VALUES ($kind, $file, $sha, $archive, $sheets, $snapshot, $rows, $skipped_count, $amount, $margin,
                $from, $to, $warnings, $skipped, $mapping, $demo, $by)
        RETURNING batch_id
        """,
        {
            "kind": kind,
            "file": file_name,
            "sha": digest,
            "archive": archive_path,
            "sheets": sheets,
            "snapshot": snapshot,
            "rows": totals["rows"],
            "skipped_count": len(skipped),
            "amount": totals["amount"],
            "margin": totals["margin"],
            "from": totals["period_from"],
            "to": totals["period_to"],
            "warnings": json.dumps(warnings, ensure_ascii=False),
            "skipped": json.dumps(skipped, ensure_ascii=False),
            "mapping": json.dumps(mapping, ensure_ascii=False),
            "demo": is_demo,
            "by": uploaded_by,
        },
    ).fetchone()[0]
    con.execute(
        "INSERT INTO batch_events (batch_id, event, actor) VALUES ($b, 'import', $by)",
        {"b": batch_id, "by": uploaded_by},
    )
    params = {"batch": batch_id, "sheets": [name or "" for name in source_sheets]}
    if kind == "deals":
        params["snapshot"] = snapshot
    con.register("sa_scopes", scopes)
    try:
        if staged_in is not None:
            # our own identifier (see pipeline._Workspace): the sorted rows, read in the engine
            transfer = _TRANSFER[kind].replace("FROM sa_staged", f"FROM {staged_in}.sa_staged")
            con.execute(_INSERT[kind].replace("FROM sa_rows", f"FROM ({transfer}) AS sa_rows"), params)
        else:
            con.register("sa_rows", staging.sql(_TRANSFER[kind]).to_arrow_reader(_BATCH_ROWS))
            try:
                con.execute(_INSERT[kind], params)
            finally:
                con.unregister("sa_rows")
        con.execute("INSERT INTO batch_scopes SELECT $batch, * FROM sa_scopes", {"batch": batch_id})
    finally:
        con.unregister("sa_scopes")
    totals["replaced"] = resolve_supersession(con, below=batch_id)
    if refresh:  # else the caller refreshes once after its last file, in the same transaction
        refresh_derived(con)
    bump_data_version(con)
    return batch_id, totals


def _totals(con: duckdb.DuckDBPyConnection, kind: str) -> dict:
    if kind == "sales":
        sql = "SELECT count(*), sum(amount), sum(margin), min(sale_date), max(sale_date) FROM sa_staged"
    elif kind == "deals":
        sql = "SELECT count(*), sum(amount), sum(margin), min(expected_month), max(expected_month) FROM sa_staged"
    else:
        sql = "SELECT count(*), sum(plan_amount), NULL, min(month), max(month) FROM sa_staged"
    rows, amount, margin, first, last = con.execute(sql).fetchall()[0]
    return {
        "rows": rows,
        "amount": amount if amount is not None else Decimal("0.00"),
        "margin": margin,
        "period_from": first,
        "period_to": last,
    }
