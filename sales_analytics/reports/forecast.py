"""The weighted forecast of one snapshot (SPEC.md "Forecast"), its deals, and the current month's landing.

Business rules, all in one place:

- A forecast is read from one weekly **snapshot**. A date with no snapshot uses the latest snapshot on
  or before it; a date before the first snapshot has no forecast (:class:`NoSnapshot`).
- Only **open** deals are the forecast; won and lost deals explain changes (see ``changes.py``).
- A deal's **weighted** value is its value × probability, rounded to the kopeck (half away from zero).
  The value is the amount, or the gross margin on the margin view (a deal with no margin counts 0).
  Rounding each deal once means every total (per group, per month, the waterfall's start and end) is a
  sum of the same kopeck amounts, so the pages and the command line agree to the kopeck.
- The **horizon** is the H calendar months starting with the snapshot's month.
- **Overdue** deals (expected before the snapshot's month) are a row of their own (month ``overdue``),
  never added to a month; open deals with no expected month are a row with an empty month. Nothing
  is dropped.
- **Plan**: a department's plan is the sum of the plan rows naming that department, a manager's the
  sum of the rows naming that manager, the total every plan row of the month. The plan is revenue:
  on the margin view there is no plan. **Gap** = plan − weighted.
- **Landing** of the snapshot's month: sales dated from the month's first day to the snapshot date, plus
  the weighted open deals expected in the month, against the month's plan.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd

from sales_analytics.db import query_df
from sales_analytics.i18n import no_department, no_manager, t
from sales_analytics.reports.kept import Kept, version_key

GROUPINGS = ("department", "manager", "all")
MEASURES = ("amount", "margin")
COLUMNS = ["group", "month", "weighted", "unweighted", "deals", "plan"]
OVERDUE = "overdue"
DEFAULT_MONTHS = 6
MONTHS_RANGE = (1, 24)


class NoSnapshot(ValueError):
    """There is no forecast snapshot on or before the date asked for."""


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` calendar months after ``day``'s month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, 1)


def month_start(day: date) -> date:
    """The first day of ``day``'s month: how months are stored and compared."""
    return day.replace(day=1)


def missing_label(by: str, lang: str) -> str | None:
    """How a NULL group is printed: "Без отдела" / "Без менеджера" (none for ``all``)."""
    return {"department": no_department(lang), "manager": no_manager(lang)}.get(by)


def check_choices(by: str | None = None, measure: str | None = None, months: int | None = None) -> None:
    """Refuse a grouping, measure or horizon the reports do not know (``ValueError``)."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}, got {by!r}")
    if measure is not None and measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    if months is not None and not MONTHS_RANGE[0] <= months <= MONTHS_RANGE[1]:
        raise ValueError(f"months must be between {MONTHS_RANGE[0]} and {MONTHS_RANGE[1]}, got {months}")


_SNAPSHOT_DATES = Kept(64)


def snapshot_dates(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Every snapshot date in the database, oldest first.

    Read once per database file, ``data_version`` (every import and delete bumps it) and latest
    import: reading them costs a pass over the deals view, and every report resolves its snapshot
    dates through here.
    """

    def compute() -> list[date]:
        return list(query_df(con, "forecast_snapshot_dates")["snapshot_date"])

    return list(_SNAPSHOT_DATES.get(version_key(con), compute))


def clear_cache() -> None:
    """Forget the snapshot dates kept in this process (the benchmark's cold and uncached runs)."""
    _SNAPSHOT_DATES.clear()


def resolve_snapshot(con: duckdb.DuckDBPyConnection, as_of: date, dates: list[date] | None = None) -> date:
    """The snapshot a forecast "as of ``as_of``" reads: the latest one on or before that date."""
    earlier = [day for day in (snapshot_dates(con) if dates is None else dates) if day <= as_of]
    if not earlier:
        raise NoSnapshot(f"no forecast snapshot on or before {as_of.isoformat()}")
    return max(earlier)


def horizon(snapshot: date, months: int = DEFAULT_MONTHS) -> tuple[date, date]:
    """First and last month of the ``months``-month horizon that starts with the snapshot's month."""
    first = month_start(snapshot)
    return first, add_months(first, months - 1)


def forecast_report(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    months: int = DEFAULT_MONTHS,
    by: str = "department",
    lang: str = "ru",
    measure: str = "amount",
) -> pd.DataFrame:
    """The forecast as of ``as_of``: ``group,month,weighted,unweighted,deals,plan``, then ``gap`` and
    ``plan_total``.

    One row per group and month of the horizon (zeros where a group expects nothing that month, so
    every group has every month), then, per group, an ``overdue`` row (month ``"overdue"``) and an
    undated row (month ``None``) where there are such deals. Groups with a plan but no deals are listed.
    ``plan_total`` is the company's plan of the month (every plan row), for the chart's plan line.
    Money is ``Decimal``; plan and gap are ``None`` where there is no plan (and on margin).
    """
    check_choices(by, measure, months)
    snapshot = resolve_snapshot(con, as_of)
    first, last = horizon(snapshot, months)
    frame = query_df(
        con,
        "forecast_by_group_month",
        {"snapshot": snapshot, "first_month": first, "last_month": last, "by": by, "measure": measure},
    )
    frame = frame.rename(columns={"group_name": "group"})
    missing = missing_label(by, lang)
    if missing is not None:
        frame["group"] = frame["group"].fillna(missing)
    frame["month"] = [
        OVERDUE if place == "overdue" else month
        for place, month in zip(frame["place"], frame["month"], strict=True)
    ]
    frame["deals"] = frame["deals"].astype("int64")
    frame["gap"] = [
        None if plan is None else plan - weighted
        for plan, weighted in zip(frame["plan"], frame["weighted"], strict=True)
    ]
    frame = frame[[*COLUMNS, "gap", "plan_total"]].reset_index(drop=True)
    frame.attrs["snapshot"] = snapshot
    return frame


def month_totals(report: pd.DataFrame) -> pd.DataFrame:
    """The company's forecast per month of the horizon out of :func:`forecast_report`: month,
    weighted, unweighted, deals (the groups summed), plan (the company's plan: every plan row of the
    month) and gap = plan − weighted."""
    months = report[report["month"].map(lambda m: isinstance(m, date))]
    zero = Decimal("0.00")
    rows = []
    for month, cells in months.groupby("month", sort=True):
        weighted = sum(cells["weighted"], zero)
        plan = cells["plan_total"].iloc[0]
        plan = None if plan is None or pd.isna(plan) else plan
        rows.append(
            {
                "month": month,
                "weighted": weighted,
                "unweighted": sum(cells["unweighted"], zero),
                "deals": int(cells["deals"].sum()),
                "plan": plan,
                "gap": None if plan is None else plan - weighted,
            }
        )
    return pd.DataFrame(rows, columns=["month", "weighted", "unweighted", "deals", "plan", "gap"])


PLACES = ("month", "overdue", "undated", "beyond")
DEAL_COLUMNS = [
    "deal_id", "client", "manager", "department", "product", "month", "value", "probability", "weighted",
    "probability_missing", "stage", "amount", "margin", "source_sheet", "source_row", "place", "group",
]  # fmt: skip


def forecast_deals(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    month: date | None = None,
    group: str | None = None,
    by: str = "department",
    overdue: bool = False,
    months: int = DEFAULT_MONTHS,
    lang: str = "ru",
    measure: str = "amount",
    place: str | None = None,
) -> pd.DataFrame:
    """The open deals behind a forecast cell, largest weighted value first.

    ``month``: one month of the horizon (``None``: all of them); ``overdue=True``: the overdue deals
    instead; ``place``: ``"undated"``, ``"beyond"`` (after the horizon) or ``"all"`` (every open deal of
    the snapshot, for a page that picks cells itself with :func:`pick_deals`). ``group``: a group's name
    as the report prints it ("Без отдела" for none; ``None``: every group). Columns: deal_id, client,
    manager, department, product, month, value (amount or margin), probability, weighted,
    probability_missing, stage, amount, margin, source_sheet, source_row, place, group.
    """
    check_choices(by, measure, months)
    snapshot = resolve_snapshot(con, as_of)
    first, last = horizon(snapshot, months)
    frame = query_df(
        con,
        "forecast_deals",
        {"snapshot": snapshot, "by": by, "first_month": first, "last_month": last, "measure": measure},
    )
    frame = frame.rename(columns={"group_name": "group"})
    missing = missing_label(by, lang)
    if missing is not None:
        frame["group"] = frame["group"].fillna(missing)
    frame["department"] = frame["department"].fillna(no_department(lang))
    frame["manager"] = frame["manager"].fillna(no_manager(lang))
    frame = frame[DEAL_COLUMNS]
    frame.attrs["snapshot"] = snapshot
    if place == "all":
        return frame
    return pick_deals(frame, place or ("overdue" if overdue else "month"), month, group)


def pick_deals(
    deals: pd.DataFrame, place: str = "month", month: date | None = None, group: str | None = None
) -> pd.DataFrame:
    """The deals of one forecast cell out of :func:`forecast_deals` (``place="all"``).

    ``place``: month (then ``month``: one month, ``None``: every month of the horizon), overdue,
    undated or beyond; ``group``: one group as printed (``None``: all).
    """
    if place not in PLACES:
        raise ValueError(f"place must be one of {PLACES}, got {place!r}")
    chosen = deals["place"] == place
    if place == "month" and month is not None:
        chosen &= deals["month"] == month_start(month)
    if group is not None:
        chosen &= deals["group"] == group
    picked = deals[chosen].reset_index(drop=True)
    picked.attrs = dict(deals.attrs)
    return picked


def landing(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    by: str = "all",
    lang: str = "ru",
    measure: str = "amount",
) -> pd.DataFrame:
    """Landing of the snapshot's month, per group and in total: fact to date + weighted open deals
    of the month, against the month's plan.

    Columns: group, is_total, month, fact_to_date, weighted_open, deals, landing, plan, gap
    (plan − landing), attainment (landing / plan, a float; ``None`` without a plan). One row per group,
    then the total (``is_total``; group "Итого" / "Total"), which also counts sales, deals and plan rows
    of no group; ``by="all"`` gives only the total. Fact to date counts sales dated from the month's
    first day to the snapshot date: later sales would count deals still open in the snapshot twice.
    """
    check_choices(by, measure)
    snapshot = resolve_snapshot(con, as_of)
    frame = query_df(con, "forecast_landing", {"snapshot": snapshot, "by": by, "measure": measure})
    frame = frame.rename(columns={"group_name": "group"})
    missing = missing_label(by, lang)
    frame["group"] = [
        t("forecast.total", lang) if is_total else (missing if name is None else name)
        for name, is_total in zip(frame["group"], frame["is_total"], strict=True)
    ]
    frame["deals"] = frame["deals"].astype("int64")
    frame["gap"] = [
        None if plan is None else plan - value
        for plan, value in zip(frame["plan"], frame["landing"], strict=True)
    ]
    frame["attainment"] = [
        float(value / plan) if plan is not None and plan > 0 else None
        for plan, value in zip(frame["plan"], frame["landing"], strict=True)
    ]
    frame.attrs["snapshot"] = snapshot
    return frame


# --- the command line -------------------------------------------------------------------------------


def bad_input(message: str) -> SystemExit:
    """Exit status 2 with the reason on standard error, as argparse does for a bad option."""
    import sys

    print(f"error: {message}", file=sys.stderr)
    return SystemExit(2)


def _add_arguments(parser) -> None:
    from sales_analytics.cli import day

    parser.add_argument(
        "--as-of",
        dest="as_of",
        type=day,
        required=True,
        metavar="DATE",
        help="the snapshot date (or a later date)",
    )
    parser.add_argument("--months", type=int, default=DEFAULT_MONTHS, help="horizon in months (default 6)")
    parser.add_argument("--by", choices=GROUPINGS, default="department")
    parser.add_argument("--measure", choices=MEASURES, default="amount", help="amount (revenue) or margin")


def _run(con, args) -> pd.DataFrame:
    """Weighted forecast per group and month: group,month,weighted,unweighted,deals,plan."""
    try:
        frame = forecast_report(con, args.as_of, args.months, args.by, args.lang, args.measure)
    except ValueError as error:
        raise bad_input(str(error)) from error
    return frame[COLUMNS]


CLI_REPORTS = {"forecast": (_add_arguments, _run)}
