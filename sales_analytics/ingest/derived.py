"""An aggregate of the current sales that the pages read instead of every sale (migration 0004).

``sales_by_day``: net sales per day, department and manager (plan/fact). It is rebuilt from
``current_sales`` whenever the current rows change: every import and every delete calls
:func:`sales_analytics.ingest.store.refresh_derived`, which calls :func:`refresh_sales_aggregates`
inside the same transaction, so a reader never sees the sales of one version with the aggregate of
another. It holds thousands of rows (days × managers), so the rebuild costs an import little.

The per-client months the client pages read are built by the client store, once per data version
(reports/clients.py): kept as tables here they were a second copy of the sales to write at every
import (2.3 s of a 1 M-row import, measured).
"""

from __future__ import annotations

import duckdb

from sales_analytics.db import load_query

AGGREGATES = {
    "sales_by_day": ("derived_sales_by_day", "sale_date"),
}


def refresh_sales_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``sales_by_day`` from the current sales (on ``con``, in the caller's transaction).
    Sorted by day, so that a reader's range of days skips whole blocks."""
    for table, (query, order) in AGGREGATES.items():
        con.execute(f"DELETE FROM {table}")  # a fixed name from AGGREGATES, never input
        con.execute(f"INSERT INTO {table} SELECT * FROM ({load_query(query)}) ORDER BY {order}")
