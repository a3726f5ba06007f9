"""Client segments per manager and the plan builder (SPEC "Client segments and the plan builder").

For plan month M, judged on the four calendar months before it (M−4 … M−1):

- **regular** clients bought (were net positive) in 3 or 4 of those months; their plan share is their
  net turnover over the four months / 4 (the **regular plan**);
- **one-off** clients bought in 1 or 2 of them; their plan share is share × max(0, average month −
  regular plan), where the **average month** is all the manager's clients' net turnover of the four
  months / 4 (by 4 also when the manager worked fewer months) and share is 20 % by default (20–25 %);
- **new for planning**: clients who have not bought (no day with a positive amount) for 5 months or
  more — since add_months(M, −5) — and those who never did;
- **lapsing**: the rest, bought within 5 months but net positive in none of the four (a return ate the
  month, or the purchase was in M−5): neither a plan share nor new.

A client belongs to the manager of its latest purchase before M (one who never bought: of its latest
forecast deal), so a client handed over is planned with its current manager. Against the manager's
set plan for M, the **gap for active sales** = plan − regular plan − one-off plan. Each figure is
rounded to the kopeck before the next uses it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd

from sales_analytics import calendar
from sales_analytics.db import load_query, query_df
from sales_analytics.i18n import no_department, no_manager
from sales_analytics.reports.clients import client_store

SEGMENTS = ("regular", "oneoff", "new", "lapsing")
COLUMNS = [
    "manager",
    "regular_clients",
    "oneoff_clients",
    "regular_plan",
    "oneoff_plan",
    "avg_month",
    "plan",
    "active_gap",
]
"""The ``report segments`` contract; :func:`segment_summary` adds ``new_clients``,
``lapsing_clients``, ``regular_turnover``, ``oneoff_turnover`` and ``window_turnover``."""
BUILDER_COLUMNS = [*COLUMNS, "gap_existing", "gap_new"]
DEFAULT_SHARE = Decimal("0.2")
SHARE_RANGE = (Decimal("0.2"), Decimal("0.25"))
"""The usual one-off share: 20 to 25 %."""
EXISTING_RANGE = (Decimal("0.5"), Decimal("0.67"))
"""The usual part of active sales that goes to existing clients: a half to two thirds."""
DEFAULT_EXISTING = Decimal("0.6")
TOTAL = "TOTAL"
KOPECK = Decimal("0.01")


def _window(month: date) -> dict:
    month = calendar.month_start(month)
    return {
        "month": month,
        "window_from": calendar.add_months(month, -4),
        "new_before": calendar.add_months(month, -5),
    }


# The segments of a plan month are one pass over the client months (the sales per client and
# month) that the segments tab and the plan builder both need, for the same month, on every change
# of their other settings. Each
# (month, language) is computed once per client store, i.e. once per data version, and kept there
# as a table; the store goes with its version, so nothing is read stale.
_SEGMENTED_LOCK = threading.Lock()


@contextmanager
def _segmented(con: duckdb.DuckDBPyConnection, month: date, lang: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the client store holding every client's segment for plan month ``month`` as
    ``segmented_clients`` (segments_clients.sql): the one pass over the client months, which the
    summary and the client lists then read."""
    window = _window(month)
    params = {**window, "no_manager": no_manager(lang), "no_department": no_department(lang)}
    with client_store(con) as store:
        if not re.fullmatch(r"[a-z]{2}", lang):  # not a name to build a table name from
            store.execute("create temp table segmented_clients as " + load_query("segments_clients"), params)
            yield store
            return
        table = f"segmented_{window['month']:%Y%m}_{lang}"
        with _SEGMENTED_LOCK:
            kept = store.execute(
                "select count(*) from duckdb_tables() where table_name = $name and not temporary",
                {"name": table},
            ).fetchall()[0][0]
            if not kept:
                store.execute(f"create table {table} as " + load_query("segments_clients"), params)
        store.execute(f"create or replace temp view segmented_clients as select * from {table}")
        yield store


def _summary(store: duckdb.DuckDBPyConnection, month: date, share: Decimal, lang: str) -> pd.DataFrame:
    frame = query_df(
        store,
        "segments_by_manager",
        {"month": calendar.month_start(month), "share": share, "no_manager": no_manager(lang)},
    )
    for column in ("regular_clients", "oneoff_clients", "new_clients", "lapsing_clients"):
        frame[column] = frame[column].astype("int64")
    return frame


def _listing(
    store: duckdb.DuckDBPyConnection, segment: str | None, manager: str | None, lang: str
) -> pd.DataFrame:
    frame = query_df(
        store, "segments_listing", {"segment": segment, "manager": manager, "no_manager": no_manager(lang)}
    )
    frame["months_bought"] = frame["months_bought"].astype("int64")
    return frame


def _share(share: Decimal | float | str) -> Decimal:
    share = Decimal(str(share))
    if not 0 <= share <= 1:
        raise ValueError("share must be within [0, 1]")
    return share


def _segment(segment: str | None) -> str | None:
    if segment is not None and segment not in SEGMENTS:
        raise ValueError(f"segment must be one of {SEGMENTS}")
    return segment


def segment_summary(
    con: duckdb.DuckDBPyConnection,
    month: date,
    share: Decimal | float | str = DEFAULT_SHARE,
    lang: str = "ru",
) -> pd.DataFrame:
    """Per manager for plan month ``month``: the segments' counts, regular plan, one-off plan (with
    ``share``), average month, the set plan and the gap for active sales (see the module's rules).

    Columns: :data:`COLUMNS`, then ``new_clients``, ``lapsing_clients``, ``regular_turnover``,
    ``oneoff_turnover``, ``window_turnover`` (net turnover of the four months). Listed: managers with
    a regular or one-off client, turnover in the window, or a plan for the month. ``plan`` and
    ``active_gap`` are none without a set plan.
    """
    share = _share(share)
    with _segmented(con, month, lang) as store:
        return _summary(store, month, share, lang)


def segment_clients(
    con: duckdb.DuckDBPyConnection,
    month: date,
    segment: str | None = None,
    manager: str | None = None,
    lang: str = "ru",
) -> pd.DataFrame:
    """The clients behind :func:`segment_summary`: one segment (``None``: all) of one manager (its
    label; ``None``: all); by manager, segment, then the largest four-month turnover first.

    Columns: ``client``, ``manager``, ``department``, ``segment``, ``months_bought`` (net positive
    months of the four), ``window_turnover``, ``last_purchase`` (before the plan month; none if
    never)."""
    segment = _segment(segment)
    with _segmented(con, month, lang) as store:
        return _listing(store, segment, manager, lang)


@dataclass(frozen=True)
class SegmentsView:
    """What the segments tab shows: the per-manager ``summary`` and the chosen segment's ``clients``."""

    summary: pd.DataFrame
    clients: pd.DataFrame


def segments_view(
    con: duckdb.DuckDBPyConnection,
    month: date,
    segment: str | None = None,
    manager: str | None = None,
    share: Decimal | float | str = DEFAULT_SHARE,
    lang: str = "ru",
) -> SegmentsView:
    """:func:`segment_summary` and :func:`segment_clients` from one pass over the sales history."""
    share, segment = _share(share), _segment(segment)
    with _segmented(con, month, lang) as store:
        return SegmentsView(_summary(store, month, share, lang), _listing(store, segment, manager, lang))


def plan_builder(
    con: duckdb.DuckDBPyConnection,
    month: date,
    share: Decimal | float | str = DEFAULT_SHARE,
    existing_share: Decimal | float | str | None = None,
    lang: str = "ru",
) -> pd.DataFrame:
    """The plan builder for month ``month``: per manager the regular plan, the one-off plan, the
    average month, the set plan and the gap for active sales, then a ``TOTAL`` row summing them.

    With ``existing_share`` (½ to ⅔ is usual), the gap is split into what active sales to existing
    clients should bring (``gap_existing`` = gap × existing_share, to the kopeck) and what new clients
    should (``gap_new``, the rest); a gap of zero or less (history covers the plan) splits into 0 and
    0. Without it, or without a set plan, both are none. Columns: :data:`BUILDER_COLUMNS`.
    """
    frame = segment_summary(con, month, share, lang)[COLUMNS].copy()
    if existing_share is not None:
        existing_share = Decimal(str(existing_share))
        if not 0 <= existing_share <= 1:
            raise ValueError("existing_share must be within [0, 1]")
    gap_existing, gap_new = [], []
    for gap in frame["active_gap"]:
        if existing_share is None or gap is None:
            gap_existing.append(None)
            gap_new.append(None)
            continue
        wanted = max(Decimal(0), gap)
        existing = (wanted * existing_share).quantize(KOPECK, ROUND_HALF_UP)
        gap_existing.append(existing)
        gap_new.append(wanted - existing)
    frame["gap_existing"] = gap_existing
    frame["gap_new"] = gap_new
    if frame.empty:
        return frame
    total: dict = {"manager": TOTAL}
    for column in BUILDER_COLUMNS[1:]:
        values = [v for v in frame[column] if v is not None]
        total[column] = sum(values, Decimal(0) if column not in ("regular_clients", "oneoff_clients") else 0)
        if not values:
            total[column] = None
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True).astype(object)


def plan_months(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Months a plan can be built for, newest first: from the month after the first sale to the later
    of the month after the last sale and the last plan month."""
    return [pd.Timestamp(m).date() for m in query_df(con, "segments_plan_months")["month"]]


# --- the command line ----------------------------------------------------------------------------


def _add_arguments(parser) -> None:
    import argparse
    from decimal import InvalidOperation

    def month(text: str) -> date:
        try:
            return calendar.parse_month(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error

    def fraction(text: str) -> Decimal:
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation as error:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from error
        if not 0 <= value <= 1:
            raise argparse.ArgumentTypeError(f"a fraction between 0 and 1, e.g. 0.2: {text!r}")
        return value

    parser.add_argument("--month", type=month, required=True, help="the plan month, YYYY-MM")
    parser.add_argument("--share", type=fraction, default=DEFAULT_SHARE, help="one-off share (0.2)")


def _run(con, args) -> pd.DataFrame:
    """Per manager: regular and one-off clients and plans, average month, plan, gap for active sales."""
    return segment_summary(con, args.month, args.share, args.lang)[COLUMNS]


CLI_REPORTS = {"segments": (_add_arguments, _run)}
