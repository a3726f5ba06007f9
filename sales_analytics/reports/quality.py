"""Data quality: what the imports could not read, or read with a default, per batch and in total.

The checks (:data:`CHECKS`), each a count with the rows behind it:

- ``skipped``: rows an import rejected and left out (imported with "skip invalid rows"), with the
  located reason each batch recorded;
- ``left_out``: rows that were not data: subtotals (``Итого``), group headings (which fill the
  manager or department of the rows below) and notes. Only their counts are recorded, per reason;
- ``probability_missing``: deals with no probability; they count as 100 % (SPEC.md "Deal forecast");
- ``month_missing``: deals with no expected month; the forecast shows them apart, never in a month;
- ``status_unknown``: deals whose status is a word the importer does not know; they count as open;
- ``client_spellings``: clients written in more than one way, merged under one key (SPEC.md "Client
  identity"), in the current sales and deals;
- ``managers_without_sales``: managers named in the forecasts who have no sale: a misspelt name or
  a new manager; their deals take no department from the sales.

A batch's counts cover all its rows, also those a later upload replaced (the rows tables say which
batch replaced them). The total of a row check is the sum over the live batches; of a client or a
manager check, the number of distinct clients or managers.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from sales_analytics.db import query_df
from sales_analytics.i18n import format_percent, t

CHECKS = (
    "skipped",
    "left_out",
    "probability_missing",
    "month_missing",
    "status_unknown",
    "client_spellings",
    "managers_without_sales",
)
DEAL_CHECKS = ("probability_missing", "month_missing", "status_unknown")

# The columns of each table and what they hold, for display and export (the kinds of
# sales_analytics.charts_plan: money, day, count, text).
BATCH_COLUMNS = {
    "batch_id": "count",
    "file_name": "text",
    "kind": "text",
    "snapshot_date": "day",
    "rows": "count",
    **{check: "count" for check in CHECKS},
}
_DEAL_COLUMNS = {
    "client": "text",
    "manager": "text",
    "amount": "money",
    "expected_month": "month",
    "probability_shown": "text",
    "status_text": "text",
    "product": "text",
    "department": "text",
    "snapshot_date": "day",
    "file_name": "text",
    "source_sheet": "text",
    "source_row": "count",
    "batch_id": "count",
    "replaced_by": "count",
}
ROW_COLUMNS = {
    "skipped": {
        "value": "text",
        "reason": "text",
        "file_name": "text",
        "sheet": "text",
        "row": "count",
        "column": "text",
        "batch_id": "count",
    },
    "left_out": {"reason": "text", "count": "count", "file_name": "text", "batch_id": "count"},
    **dict.fromkeys(DEAL_CHECKS, _DEAL_COLUMNS),
    "client_spellings": {
        "display_name": "text",
        "spelling": "text",
        "sales_rows": "count",
        "deal_rows": "count",
        "client_key": "text",
    },
    "managers_without_sales": {
        "manager": "text",
        "snapshots": "count",
        "deals": "count",
        "last_snapshot": "day",
        "open_amount": "money",
    },
}


def quality_batches(con: duckdb.DuckDBPyConnection, lang: str = "ru") -> pd.DataFrame:
    """Per live batch, newest first: ``batch_id, file_name, kind`` (in ``lang``), ``snapshot_date,
    imported_at, rows``, then the count of each of :data:`CHECKS`."""
    frame = query_df(con, "quality_batches")
    for column in ("batch_id", "rows", *CHECKS):
        frame[column] = frame[column].astype("int64")
    frame["kind"] = [t(f"quality.kind.{kind}", lang) for kind in frame["kind"]]
    return frame


def quality_counts(con: duckdb.DuckDBPyConnection, batch_id: int | None = None) -> pd.DataFrame:
    """``check, count`` for each of :data:`CHECKS`, over one batch or every live batch (``None``).

    Row checks add up over the batches; ``client_spellings`` and ``managers_without_sales`` count
    distinct clients and managers (one manager in eight weekly forecasts is one manager).
    """
    params = {"batch_id": batch_id}
    batches = query_df(con, "quality_batches")
    if batch_id is not None:
        batches = batches[batches["batch_id"] == batch_id]
    counts = {check: int(batches[check].sum()) for check in CHECKS}
    counts["client_spellings"] = int(
        query_df(con, "quality_client_spellings", params)["client_key"].nunique()
    )
    counts["managers_without_sales"] = len(query_df(con, "quality_managers_without_sales", params))
    return pd.DataFrame({"check": list(CHECKS), "count": [counts[c] for c in CHECKS]})


def quality_rows(
    con: duckdb.DuckDBPyConnection, check: str, batch_id: int | None = None, lang: str = "ru"
) -> pd.DataFrame:
    """The rows behind the count of ``check`` (one of :data:`CHECKS`), of one batch or all: the
    columns of :data:`ROW_COLUMNS` for that check (reasons and probabilities written in ``lang``)."""
    if check not in CHECKS:
        raise ValueError(f"check must be one of {CHECKS}")
    params = {"batch_id": batch_id}
    if check == "skipped":
        frame = query_df(con, "quality_skipped", params)
        frame["reason"] = [
            t(f"problem.{code}", lang, detail=detail or "")
            for code, detail in zip(frame["code"], frame["detail"], strict=True)
        ]
    elif check == "left_out":
        frame = query_df(con, "quality_left_out", params)
        frame["reason"] = [t(f"warning.{code}", lang) for code in frame["code"]]
    elif check in DEAL_CHECKS:
        frame = query_df(con, "quality_deals", {**params, "check": check})
        frame["probability_shown"] = [
            t("quality.probability_missing_shown", lang)
            if check == "probability_missing"
            else format_percent(p, lang, 0)
            for p in frame["probability"]
        ]
    elif check == "client_spellings":
        frame = query_df(con, "quality_client_spellings", params)
    else:
        frame = query_df(con, "quality_managers_without_sales", params)
    columns = list(ROW_COLUMNS[check])
    for name, kind in ROW_COLUMNS[check].items():
        if kind == "count":
            frame[name] = frame[name].astype("Int64")
    return frame[columns].reset_index(drop=True)
