"""Clients worth a call: dormant ones, and those buying much less (SPEC "Dormant clients", issue 4).

As of day d, with a threshold of N months (default 5) and a lookback of L months (default 24):

- last purchase = the latest day with a positive amount, up to d;
- **dormant**: last purchase < add_months(d, −N), and a positive net turnover over the lookback
  (add_months(d, −L), d]. Ranked by that turnover, largest first. Active months are the months of
  the lookback with a net positive amount; the average month is the turnover per active month;
- **declining**: last purchase ≥ add_months(d, −N); previous = net turnover in
  (add_months(d, −R−12), add_months(d, −R)], recent = net turnover in (add_months(d, −R), d] (R = 3 by
  default); declining when previous > 0 and recent < (1 − drop) × previous × R / 12 (drop = 50 % by
  default). previous_average = previous × R / 12, change = recent − previous_average; the largest fall
  first.

Manager and department are those of the client's latest purchase. A minimum size drops small
clients: per month (dormant: the average per active month of the lookback; declining: the previous
twelve months' turnover per active month) or per year (dormant: the lookback turnover per twelve
months, turnover × 12 / L; declining: the previous twelve months' turnover). Margin is summed where
the sales carry it (none when no row does).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pandas as pd
import pyarrow as pa

from sales_analytics import calendar
from sales_analytics.calendar import add_months
from sales_analytics.db import data_version, load_query, query_df
from sales_analytics.i18n import no_department, no_manager
from sales_analytics.reports.kept import Kept

# --- the client store ----------------------------------------------------------------------------
#
# The client figures group the sales per client several times per page view. They read
# client_months, the current sales per client and calendar month (queries/client_month_sales.sql:
# about an eighth of the sales rows, a fiftieth at a thousand sales a client). They are grouped once
# per version of a database's sales (not kept in the database: writing them at every import would
# double an import's writes) and copied, with the plan, into an in-memory DuckDB database with
# integer ids for clients (queries/client_store_build.sql), since grouping on the client's text key
# costs several times grouping on an integer; the client queries run there. A copy is keyed on (database file, data_version, the sales' count and total): every
# import and delete bumps the version, so a copy is never read after its data changed. A database
# without a file (":memory:") has no name to key on: its copy is built for each call.

_STORES: OrderedDict[str, tuple[tuple, duckdb.DuckDBPyConnection]] = OrderedDict()
_STORES_KEPT = 4  # databases per process (the app has one; the tests have many, briefly)
_STORE_LOCK = threading.Lock()
# Per (database file, data version): the sales of the months a window's day boundary cuts, and a
# declining window summed per client. A page's next view, or another filter on the same window,
# reads them again.
_WINDOWS = Kept(64)
# the (database file, data version) of the client store the current thread is using
_IN_USE = threading.local()


def clear_cache() -> None:
    """Forget the cut months' sales kept in this process (the benchmark's cold and uncached calls;
    the stores themselves are in ``_STORES``)."""
    _WINDOWS.clear()


def _database_key(con: duckdb.DuckDBPyConnection) -> tuple[str | None, tuple]:
    """The database's file and what identifies its data: the data version, and the sales' count and
    total (cheap, and they tell a file deleted and made anew, whose version starts again, from the
    old one). On a cursor of its own, so that ``con`` is left with no unfinished result."""
    probe = con.cursor()
    try:
        rows = probe.sql("select path from duckdb_databases() where database_name = current_database()")
        path = rows.fetchall()[0][0]
        sales = probe.sql("select count(*), sum(amount) from current_sales").fetchall()[0]
        # last: data_version() leaves its result unfinished, and this DuckDB refuses more work on
        # the connection until it is (the probe is closed right after)
        version = data_version(probe)
        return (os.path.realpath(path) if path else None), (version, *sales)
    finally:
        probe.close()


def _build_store(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    store = duckdb.connect(":memory:")
    every_month = {"after": None, "through": None, "part": 0}
    store.register(
        "raw_months", con.sql(load_query("client_month_sales"), params=every_month).to_arrow_table()
    )
    for name in ("clients", "deals", "plan"):
        store.register(f"raw_{name}", con.sql(load_query(f"client_store_{name}")).to_arrow_table())
    store.execute(load_query("client_store_build"))
    for name in ("months", "clients", "deals", "plan"):
        store.unregister(f"raw_{name}")
    return store


@contextmanager
def client_store(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the client store of ``con``'s database at its current data version: the tables
    ``client_months`` (the sales per client and month, with ``client_id`` for ``client_key``), ``client_names``,
    ``deal_owners`` and ``plan_rows``. Built on first use of a version (a fraction of a second for a
    million sales), then shared by every call and thread."""
    path, version = _database_key(con)
    with _STORE_LOCK:
        kept = _STORES.get(path) if path else None
        if kept is None or kept[0] != version:
            kept = (version, _build_store(con))
            if path:
                _STORES[path] = kept
                _STORES.move_to_end(path)
                while len(_STORES) > _STORES_KEPT:
                    _STORES.popitem(last=False)
        store = kept[1]
    cursor = store.cursor()
    _IN_USE.key = (path, version) if path else None
    try:
        yield cursor
    finally:
        _IN_USE.key = None
        cursor.close()


_NO_RAW = (date(1, 1, 1), date(1, 1, 1))  # an empty range of days: the raw rows' columns, no row


def _window_months(
    con: duckdb.DuckDBPyConnection, store: duckdb.DuckDBPyConnection, bounds: list[date]
) -> None:
    """Register on the ``store`` cursor what a query reads as the sales per client, month and part
    of a window split at the days ``bounds`` (increasing; part i is (bounds[i], bounds[i + 1]]):

    - ``window_agg_parts`` (month, part): the months wholly inside one part, read from the store's
      client_months;
    - ``window_raw``: a month a boundary cuts, summed per client and part from ``con``'s current
      sales (queries/client_month_sales.sql); a month cut only by the window's first or last day
      is read whole from client_months when the days left out hold no sale (the last day of the
      data is usually the window's last day).

    Exact to the day, as if every sale of the window were read, at the cost of the cut months.
    """
    first, last = bounds[0] + timedelta(days=1), bounds[-1]
    agg_months: list[date] = []
    agg_parts: list[int] = []
    raw = []
    month = first.replace(day=1)
    while first <= last and month <= last:
        month_end = calendar.month_end(month)
        pieces = [
            (part, max(after, month - timedelta(days=1)), min(through, month_end))
            for part, (after, through) in enumerate(zip(bounds, bounds[1:], strict=False))
            if max(after, month - timedelta(days=1)) < min(through, month_end)
        ]
        left_out = []  # the days of the month outside the window
        if month < first:
            left_out.append((month, first - timedelta(days=1)))
        if last < month_end:
            left_out.append((last + timedelta(days=1), month_end))
        whole = len(pieces) == 1 and not any(_any_sales(con, a, b) for a, b in left_out)
        if whole:
            agg_months.append(month)
            agg_parts.append(pieces[0][0])
        else:
            raw.extend(pieces)
        month = calendar.add_months(month, 1)
    store.register(
        "window_agg_parts",
        pa.table({"month": pa.array(agg_months, pa.date32()), "part": pa.array(agg_parts, pa.int32())}),
    )
    tables = [_cut_month_sales(con, part, a, b) for part, a, b in raw or [(0, *_NO_RAW)]]
    store.register("window_raw", pa.concat_tables(tables))


def _cut_month_sales(con: duckdb.DuckDBPyConnection, part: int, after: date, through: date) -> pa.Table:
    """queries/client_month_sales.sql for ($after, $through]."""
    params = {"after": after, "through": through, "part": part}
    return _kept(
        ("cut", part, after, through),
        lambda: con.sql(load_query("client_month_sales"), params=params).to_arrow_table(),
    )


def _kept(what: tuple, compute: Callable[[], pa.Table]) -> pa.Table:
    """``compute()``, kept per (database file, data version) of the client store in use by this
    thread; a database without a file: computed each time."""
    store_key = getattr(_IN_USE, "key", None)
    return _WINDOWS.get((*store_key, *what) if store_key else None, compute)


def _any_sales(con: duckdb.DuckDBPyConnection, first: date, last: date) -> bool:
    rows = con.sql(load_query("sales_days_between"), params={"first": first, "last": last}).fetchall()
    return bool(rows[0][0])


DORMANT_COLUMNS = [
    "client",
    "manager",
    "department",
    "last_purchase",
    "days_since",
    "lookback_turnover",
    "active_months",
    "avg_month",
]
"""The ``report dormant`` contract; :func:`dormant_clients` adds ``margin`` (over the lookback)."""
DECLINING_COLUMNS = ["client", "manager", "department", "recent_turnover", "previous_average", "change"]
"""The ``report declining`` contract; :func:`declining_clients` adds ``previous_turnover``,
``last_purchase``, ``days_since`` and ``margin`` (over the previous twelve months)."""
SIZE_UNITS = ("month", "year")
DEFAULT_MONTHS = 5
DEFAULT_LOOKBACK = 24
DEFAULT_RECENT = 3
DEFAULT_DROP = Decimal("0.5")


def _size_params(min_size: Decimal | float | int | None, size_per: str) -> dict:
    if size_per not in SIZE_UNITS:
        raise ValueError(f"size_per must be one of {SIZE_UNITS}")
    size = None if min_size in (None, 0) else Decimal(str(min_size))
    return {
        "min_avg_month": size if size_per == "month" else None,
        "min_per_year": size if size_per == "year" else None,
    }


def _labels(values) -> list[str] | None:
    # an empty selection is no filter: the page's multiselect starts empty
    return list(values) if values else None


def dormant_clients(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    months: int = DEFAULT_MONTHS,
    lookback: int = DEFAULT_LOOKBACK,
    min_size: Decimal | float | int | None = None,
    size_per: str = "month",
    managers: tuple[str, ...] | None = None,
    departments: tuple[str, ...] | None = None,
    lang: str = "ru",
) -> pd.DataFrame:
    """Dormant clients as of ``as_of``: no purchase for ``months`` months, a positive net turnover over
    the last ``lookback`` months; largest lookback turnover first (see the module's rules).

    Columns: :data:`DORMANT_COLUMNS`, then ``margin``. ``managers`` / ``departments``: keep clients of
    these (labels as printed, "Без менеджера" included); empty or None keeps all.
    """
    if months < 0 or lookback < 1:
        raise ValueError("months must be >= 0 and lookback >= 1")
    with client_store(con) as store:
        _window_months(con, store, [add_months(as_of, -lookback), as_of])
        frame = query_df(
            store,
            "dormant_clients",
            {
                "as_of": as_of,
                "quiet_since": add_months(as_of, -months),
                "lookback_months": lookback,
                "managers": _labels(managers),
                "departments": _labels(departments),
                "no_manager": no_manager(lang),
                "no_department": no_department(lang),
                **_size_params(min_size, size_per),
            },
        )
    frame["days_since"] = frame["days_since"].astype("int64")
    frame["active_months"] = frame["active_months"].astype("int64")
    return frame[[*DORMANT_COLUMNS, "margin"]].reset_index(drop=True)


def declining_clients(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    recent: int = DEFAULT_RECENT,
    drop: Decimal | float | str = DEFAULT_DROP,
    months: int = DEFAULT_MONTHS,
    min_size: Decimal | float | int | None = None,
    size_per: str = "month",
    managers: tuple[str, ...] | None = None,
    departments: tuple[str, ...] | None = None,
    lang: str = "ru",
) -> pd.DataFrame:
    """Clients still buying (a purchase within ``months`` months) whose last ``recent`` months fell by
    more than ``drop`` against their previous twelve months scaled to ``recent`` months; the largest
    fall first (see the module's rules).

    Columns: :data:`DECLINING_COLUMNS`, then ``previous_turnover``, ``last_purchase``, ``days_since``,
    ``margin``. Filters as in :func:`dormant_clients`.
    """
    drop = Decimal(str(drop))
    if not 0 <= drop <= 1 or recent < 1 or months < 0:
        raise ValueError("drop must be within [0, 1], recent >= 1 and months >= 0")
    quiet_since = add_months(as_of, -months)
    previous_after = add_months(as_of, -recent - 12)
    recent_after = add_months(as_of, -recent)
    scan_after = min(previous_after, quiet_since - timedelta(days=1))
    bounds = [scan_after, previous_after, recent_after, as_of]
    with client_store(con) as store:

        def window() -> pa.Table:
            _window_months(con, store, bounds)
            return store.sql(load_query("declining_per_client")).to_arrow_table()

        store.register("declining_window", _kept(("declining", *bounds), window))
        frame = query_df(
            store,
            "declining_clients",
            {
                "as_of": as_of,
                "quiet_since": quiet_since,
                "recent_months": recent,
                "drop": drop,
                "managers": _labels(managers),
                "departments": _labels(departments),
                "no_manager": no_manager(lang),
                "no_department": no_department(lang),
                **_size_params(min_size, size_per),
            },
        )
    frame["days_since"] = frame["days_since"].astype("int64")
    columns = [*DECLINING_COLUMNS, "previous_turnover", "last_purchase", "days_since", "margin"]
    return frame[columns].reset_index(drop=True)


def filter_options(con: duckdb.DuckDBPyConnection, lang: str = "ru") -> dict[str, list[str]]:
    """The managers and departments the sales name (labelled when missing), for the page's filters."""
    frame = query_df(
        con, "dormant_filter_options", {"no_manager": no_manager(lang), "no_department": no_department(lang)}
    )
    return {
        "managers": sorted(frame.loc[frame["kind"] == "manager", "name"]),
        "departments": sorted(frame.loc[frame["kind"] == "department", "name"]),
    }


# --- the command line ----------------------------------------------------------------------------


def _whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum`` (bad input exits 2 with the reason)."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from error
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text!r}")
        return value

    return parse


def _fraction(text: str) -> Decimal:
    import argparse
    from decimal import InvalidOperation

    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from error
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a fraction between 0 and 1, e.g. 0.5: {text!r}")
    return value


def _add_dormant_arguments(parser) -> None:
    from sales_analytics.cli import day

    parser.add_argument("--as-of", dest="as_of", type=day, required=True)
    parser.add_argument(
        "--months", type=_whole_number(0), default=DEFAULT_MONTHS, help="months without a purchase (5)"
    )
    parser.add_argument(
        "--lookback", type=_whole_number(1), default=DEFAULT_LOOKBACK, help="months looked back (24)"
    )


def _run_dormant(con, args) -> pd.DataFrame:
    """Clients that stopped buying, largest lookback turnover first."""
    return dormant_clients(con, args.as_of, args.months, args.lookback, lang=args.lang)[DORMANT_COLUMNS]


def _add_declining_arguments(parser) -> None:
    from sales_analytics.cli import day

    parser.add_argument("--as-of", dest="as_of", type=day, required=True)
    parser.add_argument("--recent", type=_whole_number(1), default=DEFAULT_RECENT, help="recent months (3)")
    parser.add_argument("--drop", type=_fraction, default=DEFAULT_DROP, help="the fall that counts (0.5)")


def _run_declining(con, args) -> pd.DataFrame:
    """Clients still buying, but much less than before, largest fall first."""
    return declining_clients(con, args.as_of, args.recent, args.drop, lang=args.lang)[DECLINING_COLUMNS]


CLI_REPORTS = {
    "dormant": (_add_dormant_arguments, _run_dormant),
    "declining": (_add_declining_arguments, _run_declining),
}
