"""Import batches: the upload history, undo, and what the data covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from sales_analytics.auth import local_user
from sales_analytics.db import bump_data_version, query_df
from sales_analytics.ingest.store import refresh_derived, resolve_supersession


@dataclass(frozen=True)
class DataStatus:
    """What the database holds, for the sidebar and the empty states."""

    sales_rows: int
    first_sale: date | None
    last_sale: date | None
    snapshots: int
    last_snapshot: date | None
    plan_months: int
    batches: int
    demo_batches: int

    @property
    def is_empty(self) -> bool:
        return self.batches == 0

    @property
    def is_demo(self) -> bool:
        return self.demo_batches > 0


def list_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import that is still in the database, newest first."""
    return query_df(con, "batch_history")


def batch_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The audit trail: every import and delete, oldest first, with who, when and the file's hash."""
    return query_df(con, "batch_events")


def data_status(con: duckdb.DuckDBPyConnection) -> DataStatus:
    row = query_df(con, "data_status").iloc[0]
    return DataStatus(
        sales_rows=int(row["sales_rows"]),
        first_sale=_day(row["first_sale"]),
        last_sale=_day(row["last_sale"]),
        snapshots=int(row["snapshots"]),
        last_snapshot=_day(row["last_snapshot"]),
        plan_months=int(row["plan_months"]),
        batches=int(row["batches"]),
        demo_batches=int(row["demo_batches"]),
    )


def _day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def delete_batch(con: duckdb.DuckDBPyConnection, batch_id: int, deleted_by: str | None = None) -> int:
    """Undo an import: its rows go, rows it had replaced come back. Returns the rows removed.

    The batch record stays, marked deleted, and ``batch_events`` records who deleted it and when:
    ``deleted_by`` is the logged-in user, else the operating-system user. Deleting a batch that is
    already gone changes nothing and records nothing.
    """
    con.begin()
    try:
        removed = 0
        for statement in (
            "DELETE FROM sales WHERE batch_id = $b",
            "DELETE FROM deals WHERE batch_id = $b",
            "DELETE FROM plan WHERE batch_id = $b",
        ):
            removed += con.execute(statement, {"b": batch_id}).fetchone()[0]
        con.execute("DELETE FROM batch_scopes WHERE batch_id = $b", {"b": batch_id})
        marked = con.execute(
            "UPDATE import_batches SET deleted_at = current_timestamp WHERE batch_id = $b AND deleted_at IS NULL",
            {"b": batch_id},
        ).fetchone()[0]
        if marked:
            con.execute(
                "INSERT INTO batch_events (batch_id, event, actor) VALUES ($b, 'delete', $by)",
                {"b": batch_id, "by": deleted_by or local_user()},
            )
        resolve_supersession(con)
        refresh_derived(con)
        bump_data_version(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return removed


def delete_demo(con: duckdb.DuckDBPyConnection, deleted_by: str | None = None) -> int:
    """Remove every batch loaded as demo data. Returns the number of batches removed."""
    ids = [
        r[0]
        for r in con.execute(
            "SELECT batch_id FROM import_batches WHERE is_demo AND deleted_at IS NULL ORDER BY batch_id DESC"
        ).fetchall()
    ]
    for batch_id in ids:
        delete_batch(con, batch_id, deleted_by)
    return len(ids)
