"""Sales facts summed per group and month (the ``report sales`` contract)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from sales_analytics.db import query_df
from sales_analytics.i18n import no_department, no_manager

GROUPINGS = ("department", "manager", "client", "all")
COLUMNS = ["group", "month", "amount", "margin", "rows"]


def _add_arguments(parser) -> None:
    from sales_analytics.cli import day

    parser.add_argument("--from", dest="date_from", type=day)
    parser.add_argument("--to", dest="date_to", type=day)
    parser.add_argument("--by", choices=GROUPINGS, default="department")


def _run(con, args) -> pd.DataFrame:
    """Net sales per group and month: group,month,amount,margin,rows."""
    return sales_report(con, args.date_from, args.date_to, args.by, args.lang)


def sales_report(
    con: duckdb.DuckDBPyConnection,
    date_from: date | None = None,
    date_to: date | None = None,
    by: str = "department",
    lang: str = "ru",
) -> pd.DataFrame:
    """Net sales (returns subtract) per group and calendar month, with margin and row count.

    Only rows that no later upload replaced count. A sale with no department is "Без отдела" /
    "No department"; with no manager "Без менеджера" / "No manager". Money stays Decimal.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    frame = query_df(con, "sales_by_month", {"by": by, "date_from": date_from, "date_to": date_to})
    frame = frame.rename(columns={"group_name": "group"})
    missing = {"department": no_department(lang), "manager": no_manager(lang)}.get(by)
    if missing is not None:
        frame["group"] = frame["group"].fillna(missing)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["rows"] = frame["rows"].astype("int64")
    return frame[COLUMNS]


CLI_REPORTS = {"sales": (_add_arguments, _run)}
