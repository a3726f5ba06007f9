"""Aggregates of the current sales that the pages read instead of every sale (migration 0004).

- ``sales_by_day``: net sales per day, department and manager (plan/fact);
- ``client_months``: net sales per client and calendar month, with the month's latest purchase and
  the manager and department of it (dormant and declining clients, segments);
- ``client_days``: the same per client and day, in day order (the months a client window's first
  or last day cuts: a range of days reads only its own blocks).

Both are rebuilt from ``current_sales`` whenever the current rows change: every import and every
delete calls :func:`sales_analytics.ingest.store.refresh_derived`, which calls
:func:`refresh_sales_aggregates` inside the same transaction, so a reader never sees the sales of one
version with the aggregates of another. Ten million sales rebuild in a few seconds, once per import,
instead of being grouped at every page view.
"""

from __future__ import annotations

import duckdb

from sales_analytics.db import load_query

AGGREGATES = {
    "sales_by_day": ("derived_sales_by_day", "sale_date"),
    "client_days": ("derived_client_days", "sale_date, client_key"),
    "client_months": ("derived_client_months", "client_key, month"),
}


def refresh_sales_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``sales_by_day``, ``client_days`` and ``client_months`` from the current sales (on ``con``, in the
    caller's transaction). Sorted, so that a reader's range of days or clients skips whole blocks."""
    for table, (query, order) in AGGREGATES.items():
        con.execute(f"DELETE FROM {table}")  # a fixed name from AGGREGATES, never input
        con.execute(f"INSERT INTO {table} SELECT * FROM ({load_query(query)}) ORDER BY {order}")
