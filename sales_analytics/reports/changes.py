"""Forecast changes between two snapshots (SPEC.md "Forecast changes"), the triangle, slips and accuracy.

Business rules:

- Snapshot A (``date_from``) is compared with a later snapshot B (``date_to``); a date with no snapshot
  uses the latest snapshot on or before it.
- The **window** is the H months starting with B's month (default 6), or one chosen month.
- Deals are **matched** by deal id where both snapshots carry one (an id several deals of a snapshot
  share is read with the manager), else by (client key, manager, product text as the importer cleaned
  it). Two deals that carry different ids are never matched; deals sharing a key pair up in order of
  expected month and value.
- Each open deal of A and each deal of B lands in exactly **one category**. Its **effect** is its
  weighted value in the window in B minus that in A (weighted = value × probability, rounded to the
  kopeck; outside the window, or not open, it is 0). So start + all effects = end, to the kopeck,
  always. The categories, in the waterfall's order: ``new``, ``moved_in``, ``amount_up``,
  ``amount_down``, ``probability_up``, ``probability_down``, ``moved_out``, ``won``, ``lost``,
  ``removed``. A deal whose amount and probability both changed goes under the part that moved its
  weighted value more (amount at A's probability, or probability at B's amount); its effect is the
  whole change, whose sign is that part's sign. Zero-effect categories: ``rescheduled`` (its month
  moved inside the window), ``outside`` (changed, but outside the window in both snapshots, or
  already closed in A), ``unchanged``.
- **Slip**: a deal's month is *pushed* when it is open in two consecutive snapshots and its expected
  month is later in the second. A manager's weekly slip share = weighted value (in the earlier
  snapshot) of their open deals that were pushed / weighted value of all their open deals.
- **Accuracy** of the forecast for a past month made N weeks (1, 2, 4) before its last day: the
  landing in the snapshot of that week (fact dated up to the snapshot + weighted open deals of the
  month), against the month's fact: accuracy = 1 − |fact − forecast| / fact (none when fact ≤ 0).
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sales_analytics.db import load_query, query_df
from sales_analytics.i18n import no_department, no_manager, t
from sales_analytics.reports.forecast import (
    DEFAULT_MONTHS,
    MEASURES,
    MONTHS_RANGE,
    NoSnapshot,
    add_months,
    bad_input,
    check_choices,
    horizon,
    missing_label,
    month_start,
    resolve_snapshot,
    snapshot_dates,
)
from sales_analytics.reports.kept import Kept, version_key

CATEGORIES = (
    "new",
    "moved_in",
    "amount_up",
    "amount_down",
    "probability_up",
    "probability_down",
    "moved_out",
    "won",
    "lost",
    "removed",
)
"""The waterfall's categories, in its order: each moves the window's weighted total."""
QUIET_CATEGORIES = ("rescheduled", "outside", "unchanged")
"""Categories with no effect on the window's total."""
ALL_CATEGORIES = CATEGORIES + QUIET_CATEGORIES
SUMMARY_COLUMNS = ["category", "amount", "deals"]
DEAL_COLUMNS = [
    "client",
    "manager",
    "department",
    "product",
    "category",
    "month_from",
    "month_to",
    "amount_from",
    "amount_to",
    "probability_from",
    "probability_to",
    "effect",
]
DEAL_EXTRA_COLUMNS = ["deal_id", "weighted_from", "weighted_to", "status_from", "status_to"]
WEEKS_BEFORE = (1, 2, 4)


# --- the pair of snapshots and the window --------------------------------------------------------


def resolve_pair(
    con: duckdb.DuckDBPyConnection, date_from: date, date_to: date, dates: list[date] | None = None
) -> tuple[date, date]:
    """Snapshots A and B for the dates asked: the latest snapshot on or before each date."""
    if date_from > date_to:
        raise ValueError(f"the earlier date {date_from.isoformat()} is after the later {date_to.isoformat()}")
    dates = snapshot_dates(con) if dates is None else dates
    return resolve_snapshot(con, date_from, dates), resolve_snapshot(con, date_to, dates)


def window(snapshot_b: date, months: int = DEFAULT_MONTHS, month: date | None = None) -> tuple[date, date]:
    """The window of months whose forecast is compared: one month, or ``months`` from B's month."""
    if month is not None:
        return month_start(month), month_start(month)
    return horizon(snapshot_b, months)


# The matching is the heavy part of the changes page, and it does not depend on which pairs are
# asked: each pair of consecutive snapshots is matched on its own (ranks are per snapshot). So the
# first call of a data version matches every consecutive pair once and keeps the result in this
# process, with what the slip history derives from it (each deal row chained to its deal's first row,
# the slip per manager and pair); the waterfall of two consecutive snapshots and the slip history of
# any number of weeks then slice them. Keyed like snapshot_dates (file, data_version, latest import),
# so an import or a delete is never read stale; in-memory databases are not kept.
@dataclass
class _Matched:
    """Every pair of consecutive snapshots of one data version, matched (changes_matched.sql), and the
    slip tables derived from it, built on first use."""

    pairs: pa.Table  # ordered by date_a
    slips: tuple[pa.Table, pa.Table] | None = None  # (nodes ordered by seen, weeks)


_MATCHED = Kept(4)
_SLIPS_LOCK = threading.Lock()  # a kept matching's slip tables are filled in on first use


def clear_cache() -> None:
    """Forget the matching, the whole triangle and the accuracy rows kept in this process (the
    benchmark's cold and uncached runs)."""
    for kept in (_MATCHED, _ACCURACY, _TRIANGLES):
        kept.clear()


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, **tables: pa.Table) -> Iterator[None]:
    """The Arrow ``tables`` readable by name in this cursor's queries, for the duration."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)


def _fresh_pairs(con: duckdb.DuckDBPyConnection, snapshots: list[date], measure: str) -> pa.Table:
    """Each pair of consecutive ``snapshots`` matched now (changes_matched.sql)."""
    con.execute(load_query("changes_matched"), {"snapshots": snapshots, "measure": measure})
    try:
        return con.sql("select * from changes_matched").to_arrow_table()
    finally:
        con.execute("drop table if exists temp.main.changes_matched")


def _kept(con: duckdb.DuckDBPyConnection, dates: list[date], measure: str) -> _Matched | None:
    key = version_key(con, measure)
    if key is None:
        return None
    return _MATCHED.get(key, lambda: _Matched(_fresh_pairs(con, dates, measure).sort_by("date_a")))


def _consecutive(snapshots: list[date], dates: list[date]) -> bool:
    """Whether ``snapshots`` are two or more snapshots that follow each other in ``dates``."""
    if len(snapshots) < 2 or snapshots[0] not in dates:
        return False
    start = dates.index(snapshots[0])
    return dates[start : start + len(snapshots)] == list(snapshots)


def _between(table: pa.Table, column: str, first: date, last: date) -> pa.Table:
    """The rows of ``table`` (ordered by the date ``column``) from ``first`` to ``last``: a slice, no copy."""
    days = table[column].cast(pa.int32()).to_numpy()
    epoch = date(1970, 1, 1)
    start = np.searchsorted(days, (first - epoch).days, side="left")
    stop = np.searchsorted(days, (last - epoch).days, side="right")
    return table.slice(start, stop - start)


def _pairs(
    con: duckdb.DuckDBPyConnection, snapshots: list[date], measure: str, dates: list[date]
) -> pa.Table:
    """The deals of each pair of consecutive ``snapshots`` matched (the rows of changes_matched.sql):
    cut from the data version's kept matching when they follow each other in ``dates`` (every
    snapshot), else matched now."""
    kept = _kept(con, dates, measure) if _consecutive(snapshots, dates) else None
    if kept is None:
        return _fresh_pairs(con, snapshots, measure)
    # pairs from the first snapshot to the one before the last: their B sides reach the last
    return _between(kept.pairs, "date_a", snapshots[0], snapshots[-2])


def _chains(nodes: pa.Table) -> np.ndarray:
    """Each node's chain: the ``ref`` of the first row of its deal, followed back through
    ``previous`` (nodes ordered by snapshot, so a row's previous one is settled before it)."""
    refs = nodes["ref"].to_numpy()
    if len(refs) == 0:
        return refs
    previous = nodes["previous"].fill_null(-1).to_numpy()
    days = nodes["seen"].cast(pa.int32()).to_numpy()
    chain = np.arange(refs.max() + 1, dtype=refs.dtype)
    bounds = [0, *(np.flatnonzero(np.diff(days)) + 1), len(refs)]
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        rows, before = refs[start:stop], previous[start:stop]
        linked = before >= 0
        chain[rows[linked]] = chain[before[linked]]
    return chain[refs]


def _slip_tables(con: duckdb.DuckDBPyConnection, pairs: pa.Table) -> tuple[pa.Table, pa.Table]:
    """From matched pairs: every deal row with its chain (changes_slip_nodes.sql) and the slip per
    manager and pair (changes_slip_managers.sql)."""
    with _registered(con, changes_matched=pairs):
        nodes = con.sql(load_query("changes_slip_nodes")).to_arrow_table()
        weeks = con.sql(load_query("changes_slip_managers")).to_arrow_table()
    return nodes.append_column("chain", pa.array(_chains(nodes))), weeks


def classify(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    months: int = DEFAULT_MONTHS,
    month: date | None = None,
    measure: str = "amount",
) -> pd.DataFrame:
    """Every open deal of A and every deal of B, once each, with its category and effect.

    Columns: category, in_window_from / in_window_to (open and in the window in A / B), effect,
    start_part / end_part (the deal's weighted value in the window in A / B; 0 outside it or when not
    open; effect = end_part − start_part), deal_id, client, manager, department, product, month_from,
    month_to, amount_from, amount_to (the measured value: amount or margin), probability_from,
    probability_to, weighted_from, weighted_to, status_from, status_to. ``attrs``: snapshot_a,
    snapshot_b, window_from, window_to. :func:`summarise` and :func:`deal_list` read it.
    """
    check_choices(measure=measure, months=months)
    dates = snapshot_dates(con)
    snapshot_a, snapshot_b = resolve_pair(con, date_from, date_to, dates)
    first, last = window(snapshot_b, months, month)
    pairs = _pairs(con, [snapshot_a, snapshot_b], measure, dates)
    with _registered(con, changes_matched=pairs):
        frame = query_df(con, "changes_deal_pairs", {"window_from": first, "window_to": last})
    frame.attrs.update(snapshot_a=snapshot_a, snapshot_b=snapshot_b, window_from=first, window_to=last)
    return frame


# --- the waterfall and its deals -----------------------------------------------------------------


def summarise(classified: pd.DataFrame) -> pd.DataFrame:
    """The waterfall out of :func:`classify`: ``category,amount,deals``, rows start, the ten
    categories in order, end.

    start = A's weighted total of the window (deals: A's open deals in it); end = B's; a category's
    amount is the sum of its deals' effects. start + the ten amounts = end exactly (``Decimal``).
    """
    zero = Decimal("0.00")
    effects = classified.groupby("category")["effect"]
    rows = [("start", sum(classified["start_part"], zero), int(classified["in_window_from"].sum()))]
    for category in CATEGORIES:
        chosen = effects.get_group(category) if category in effects.groups else []
        rows.append((category, sum(chosen, zero), len(chosen)))
    rows.append(("end", sum(classified["end_part"], zero), int(classified["in_window_to"].sum())))
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    summary["deals"] = summary["deals"].astype("int64")
    summary.attrs = dict(classified.attrs)
    return summary


def deal_list(
    classified: pd.DataFrame,
    lang: str = "ru",
    categories: tuple[str, ...] | None = None,
    managers: tuple[str, ...] | None = None,
    departments: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The changed deals out of :func:`classify`: the ``--deals`` columns, then deal_id,
    weighted_from/to and status_from/to.

    Unchanged deals are left out; the zero-effect ``rescheduled`` and ``outside`` ones are listed.
    Filters: ``categories``, ``managers``, ``departments`` (as printed, "Без отдела" for none). Ordered
    by the waterfall's categories, then by the size of the effect.
    """
    frame = classified[classified["category"] != "unchanged"].copy()
    frame["department"] = frame["department"].fillna(no_department(lang))
    frame["manager"] = frame["manager"].fillna(no_manager(lang))
    if categories is not None or managers is not None or departments is not None:
        frame = frame[deal_filter(frame, categories, managers, departments)]
    result = frame[DEAL_COLUMNS + DEAL_EXTRA_COLUMNS].reset_index(drop=True)
    result.attrs = dict(classified.attrs)
    return result


def deal_filter(
    deals: pd.DataFrame,
    categories: tuple[str, ...] | None = None,
    managers: tuple[str, ...] | None = None,
    departments: tuple[str, ...] | None = None,
) -> pd.Series:
    """Which rows of :func:`deal_list` the filters let through (``None``: no filter on that column;
    managers and departments as printed)."""
    chosen = pd.Series(True, index=deals.index)
    for column, values in (("category", categories), ("manager", managers), ("department", departments)):
        if values is not None:
            chosen &= deals[column].isin(values)
    return chosen


def changes_summary(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    months: int = DEFAULT_MONTHS,
    month: date | None = None,
    measure: str = "amount",
) -> pd.DataFrame:
    """The waterfall from snapshot A (``date_from``) to B (``date_to``): see :func:`summarise`."""
    return summarise(classify(con, date_from, date_to, months, month, measure))


def changes_deals(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    months: int = DEFAULT_MONTHS,
    month: date | None = None,
    measure: str = "amount",
    lang: str = "ru",
    categories: tuple[str, ...] | None = None,
    managers: tuple[str, ...] | None = None,
    departments: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The changed deals from snapshot A (``date_from``) to B (``date_to``): see :func:`deal_list`."""
    classified = classify(con, date_from, date_to, months, month, measure)
    return deal_list(classified, lang, categories, managers, departments)


# --- the triangle --------------------------------------------------------------------------------


def forecast_triangle(
    con: duckdb.DuckDBPyConnection,
    date_to: date | None = None,
    months: int = DEFAULT_MONTHS,
    by: str = "all",
    group: str | None = None,
    measure: str = "amount",
    lang: str = "ru",
) -> pd.DataFrame:
    """For each month, its weighted forecast in every snapshot up to ``date_to`` (default: all).

    Long form: month, snapshot_date, weighted, deals, plan. A month appears from the first snapshot's
    month to ``months`` − 1 months after the last snapshot's month; a snapshot taken after a month ended
    has no cell for it. ``by``/``group`` narrow it to one department or manager.
    """
    check_choices(by, measure, months)
    dates = snapshot_dates(con)
    if not dates:
        raise NoSnapshot("no forecast snapshot")
    last = resolve_snapshot(con, date_to, dates) if date_to is not None else dates[-1]
    missing = missing_label(by, lang)
    group = None if by == "all" else group
    params = {
        "last_snapshot": last,
        "months": months,
        "by": by,
        "group": group,
        "group_is_missing": group is not None and group == missing,
        "measure": measure,
    }
    whole = _whole_triangle(con, dates, measure) if group is None else None
    if whole is None:
        frame = query_df(con, "forecast_triangle", params)
    else:
        # the triangle up to a snapshot, over some months, is the whole one's corner: its cells
        # read no snapshot after its own, its plan no group
        until = pa.scalar(add_months(month_start(last), months - 1), pa.date32())
        frame = whole.filter(
            pc.and_(
                pc.less_equal(whole["snapshot_date"], pa.scalar(last, pa.date32())),
                pc.less_equal(whole["month"], until),
            )
        ).to_pandas()
    frame["deals"] = frame["deals"].astype("int64")
    return frame


# The whole company's triangle (every snapshot, the longest horizon), kept per data version and
# measure like the matching: the page's triangle up to any snapshot is cut from it.
_TRIANGLES = Kept(4)


def _whole_triangle(con: duckdb.DuckDBPyConnection, dates: list[date], measure: str) -> pa.Table | None:
    key = version_key(con, measure)
    if key is None:
        return None

    def compute() -> pa.Table:
        params = {
            "last_snapshot": dates[-1],
            "months": MONTHS_RANGE[1],
            "by": "all",
            "group": None,
            "group_is_missing": False,
            "measure": measure,
        }
        return con.sql(load_query("forecast_triangle"), params=params).to_arrow_table()

    return _TRIANGLES.get(key, compute)


def triangle_table(triangle: pd.DataFrame) -> pd.DataFrame:
    """The triangle as a month × snapshot table: month, one column per snapshot date (the month's
    weighted forecast in it; empty once the month is over), plan."""
    dates = sorted(set(triangle["snapshot_date"]))
    rows = []
    for month, cells in triangle.groupby("month", sort=True):
        row = {"month": month, **dict.fromkeys(dates)}
        row.update(dict(zip(cells["snapshot_date"], cells["weighted"], strict=True)))
        plan = cells["plan"].iloc[0]
        row["plan"] = None if plan is None or pd.isna(plan) else plan
        rows.append(row)
    return pd.DataFrame(rows, columns=["month", *dates, "plan"])


# --- slips ---------------------------------------------------------------------------------------


def history_dates(
    con: duckdb.DuckDBPyConnection, date_to: date | None = None, weeks: int | None = None
) -> list[date]:
    """The snapshots of a history: those up to ``date_to`` (default: all), the last ``weeks`` + 1 of
    them (``weeks`` weekly steps; ``None``: all)."""
    dates = [day for day in snapshot_dates(con) if date_to is None or day <= date_to]
    return dates if weeks is None else dates[-(weeks + 1) :]


SLIP_DEAL_COLUMNS = [
    "client", "manager", "department", "product", "deal_id", "times_pushed", "months_pushed",
    "first_month", "month", "first_seen", "last_seen", "status", "value", "probability", "weighted",
]  # fmt: skip
SLIP_MANAGER_COLUMNS = [
    "manager",
    "week",
    "date_from",
    "forecast",
    "slipped",
    "deals",
    "slipped_deals",
    "share",
]
DEFAULT_SLIP_WEEKS = 13


@dataclass(frozen=True)
class SlipHistory:
    """Slips over a history of snapshots: per deal (:data:`SLIP_DEAL_COLUMNS`) and per manager and
    week (:data:`SLIP_MANAGER_COLUMNS`)."""

    deals: pd.DataFrame
    managers: pd.DataFrame
    dates: tuple[date, ...]


def slip_history(
    con: duckdb.DuckDBPyConnection,
    date_to: date | None = None,
    weeks: int | None = DEFAULT_SLIP_WEEKS,
    measure: str = "amount",
    lang: str = "ru",
) -> SlipHistory:
    """How the forecast slipped over the last ``weeks`` weekly steps up to ``date_to`` (default: a
    quarter, 13 weeks; ``None``: the whole history).

    ``deals``: per deal pushed at least once, how many times and by how many months in all its month was
    pushed (client, manager, department, product, deal_id, times_pushed, months_pushed, first_month: its
    month when first seen in the history, month: in its latest snapshot, first_seen, last_seen, status,
    value, probability, weighted: latest, open deals only), most pushed first.
    ``managers``: per manager and week (each pair of consecutive snapshots), the manager's weighted
    forecast (open deals in the earlier snapshot), the part of it pushed to a later month in the next
    one, the deal counts and share = slipped / forecast (a float; none when the forecast is 0).
    """
    check_choices(measure=measure)
    dates = history_dates(con, date_to, weeks)
    if len(dates) < 2:
        return SlipHistory(
            pd.DataFrame(columns=SLIP_DEAL_COLUMNS), pd.DataFrame(columns=SLIP_MANAGER_COLUMNS), tuple(dates)
        )
    every = snapshot_dates(con)
    kept = _kept(con, every, measure) if _consecutive(dates, every) else None
    if kept is None:
        nodes, weeks = _slip_tables(con, _fresh_pairs(con, dates, measure))
    else:
        with _SLIPS_LOCK:
            slips = kept.slips
        if slips is None:
            slips = _slip_tables(con, kept.pairs)
            with _SLIPS_LOCK:
                kept.slips = slips
        nodes, weeks = _between(slips[0], "seen", dates[0], dates[-1]), slips[1]
    with _registered(con, changes_slip_nodes=nodes):
        deals = query_df(con, "changes_slip_deals", {"first": dates[0], "last": dates[-1]})
    deals["department"] = deals["department"].fillna(no_department(lang))
    deals["manager"] = deals["manager"].fillna(no_manager(lang))
    for column in ("times_pushed", "months_pushed"):
        deals[column] = deals[column].astype("int64")
    first, last = pa.scalar(dates[0], pa.date32()), pa.scalar(dates[-1], pa.date32())
    managers = weeks.filter(
        pc.and_(pc.greater_equal(weeks["date_from"], first), pc.less_equal(weeks["week"], last))
    ).to_pandas()
    managers["manager"] = managers["manager"].fillna(no_manager(lang))
    for column in ("deals", "slipped_deals"):
        managers[column] = managers[column].astype("int64")
    managers["share"] = [
        float(slipped / forecast) if forecast > 0 else None
        for slipped, forecast in zip(managers["slipped"], managers["forecast"], strict=True)
    ]
    return SlipHistory(deals[SLIP_DEAL_COLUMNS], managers[SLIP_MANAGER_COLUMNS], tuple(dates))


def slip_by_manager(managers: pd.DataFrame) -> pd.DataFrame:
    """Per manager over the weeks of :attr:`SlipHistory.managers`: forecast and slipped summed over the
    weeks, share = slipped / forecast (the weekly shares weighted by the forecast), slipped deals and
    the number of weeks with a slip. The manager whose forecast slips most comes first."""
    zero = Decimal("0.00")
    rows = []
    for manager, weeks in managers.groupby("manager", sort=True):
        forecast_sum = sum(weeks["forecast"], zero)
        slipped = sum(weeks["slipped"], zero)
        rows.append(
            {
                "manager": manager,
                "forecast": forecast_sum,
                "slipped": slipped,
                "share": float(slipped / forecast_sum) if forecast_sum > 0 else None,
                "slipped_deals": int(weeks["slipped_deals"].sum()),
                "weeks_with_slip": int((weeks["slipped_deals"] > 0).sum()),
                "weeks": len(weeks),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["manager", "forecast", "slipped", "share", "slipped_deals", "weeks_with_slip", "weeks"]
    )
    order = frame["share"].fillna(-1).sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


# --- accuracy ------------------------------------------------------------------------------------


ACCURACY_COLUMNS = [
    "month", "group", "is_total", "fact",
    *(f"{kind}_{weeks}w" for weeks in WEEKS_BEFORE for kind in ("snapshot", "forecast", "accuracy")),
]  # fmt: skip


def forecast_accuracy(
    con: duckdb.DuckDBPyConnection,
    as_of: date | None = None,
    measure: str = "amount",
    lang: str = "ru",
) -> pd.DataFrame:
    """For each month that ended before ``as_of`` (default: the latest snapshot), per manager and in
    total: the fact, and the forecast made 1, 2 and 4 weeks before the month's last day with its
    accuracy = 1 − |fact − forecast| / fact.

    The forecast made N weeks before is the landing in the snapshot of that week: sales of the month
    dated up to the snapshot + the weighted open deals of the month. Columns: month, group, is_total,
    fact, then for N in 1, 2, 4: snapshot_Nw, forecast_Nw, accuracy_Nw (empty without a snapshot that
    week; accuracy also when fact ≤ 0). Per month: the managers, then the total ("Итого" / "Total").
    """
    check_choices(measure=measure)
    dates = snapshot_dates(con)
    if not dates:
        return pd.DataFrame(columns=ACCURACY_COLUMNS)
    rows = _accuracy_rows(con, measure)
    before = pa.scalar(month_start(as_of or dates[-1]), pa.date32())
    frame = rows.filter(pc.less(rows["month"], before)).to_pandas()
    rows: dict[tuple, dict] = {}
    for record in frame.itertuples(index=False):
        key = (record.month, record.is_total, record.manager)
        if key not in rows:
            group = t("changes.total", lang) if record.is_total else record.manager or no_manager(lang)
            rows[key] = {
                "month": record.month,
                "group": group,
                "is_total": record.is_total,
                "fact": record.fact,
            }
        weeks = record.weeks_before
        rows[key][f"snapshot_{weeks}w"] = record.snapshot_date
        rows[key][f"forecast_{weeks}w"] = record.forecast
        rows[key][f"accuracy_{weeks}w"] = accuracy(record.fact, record.forecast)
    return pd.DataFrame(list(rows.values()), columns=ACCURACY_COLUMNS)


# Every month's accuracy rows (forecast_accuracy.sql), kept per data version and measure like the
# matching: the page asks for the months before a date, which only cuts them.
_ACCURACY = Kept(4)


def _accuracy_rows(con: duckdb.DuckDBPyConnection, measure: str) -> pa.Table:

    def compute() -> pa.Table:
        return con.sql(load_query("forecast_accuracy"), params={"measure": measure}).to_arrow_table()

    return _ACCURACY.get(version_key(con, measure), compute)


def accuracy(fact: Decimal, forecast: Decimal | None) -> float | None:
    """1 − |fact − forecast| / fact; none without a forecast or when fact ≤ 0 (a ratio, not money)."""
    if forecast is None or fact is None or fact <= 0:
        return None
    return float(1 - abs(fact - forecast) / fact)


# --- the command line -------------------------------------------------------------------------------


def _month_argument(text: str) -> date:
    """``--month YYYY-MM``: the first day of that month."""
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a month (YYYY-MM): {text!r}") from error


def _add_arguments(parser) -> None:
    from sales_analytics.cli import day

    parser.add_argument(
        "--from",
        dest="date_from",
        type=day,
        required=True,
        metavar="DATE",
        help="snapshot A (or a later date)",
    )
    parser.add_argument(
        "--to", dest="date_to", type=day, required=True, metavar="DATE", help="snapshot B (or a later date)"
    )
    parser.add_argument(
        "--months", type=int, default=DEFAULT_MONTHS, help="window: months from B's month (default 6)"
    )
    parser.add_argument(
        "--month", type=_month_argument, metavar="YYYY-MM", help="window: this one month (YYYY-MM) instead"
    )
    parser.add_argument("--deals", action="store_true", help="list the changed deals instead of the summary")
    parser.add_argument("--measure", choices=MEASURES, default="amount", help="amount (revenue) or margin")


def _run(con, args) -> pd.DataFrame:
    """Forecast changes between two snapshots: category,amount,deals (or the deals with --deals)."""
    try:
        if args.deals:
            frame = changes_deals(
                con, args.date_from, args.date_to, args.months, args.month, args.measure, args.lang
            )
            return frame[DEAL_COLUMNS]
        return changes_summary(con, args.date_from, args.date_to, args.months, args.month, args.measure)
    except ValueError as error:
        raise bad_input(str(error)) from error


CLI_REPORTS = {"changes": (_add_arguments, _run)}
