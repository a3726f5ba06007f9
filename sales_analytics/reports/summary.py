"""The CEO's overview and the weekly summary (issue 5, items 1 and 4): "are we on plan, and what changed
this week?", built from the other reports' figures, never recomputed here.

As of day d (the summary's date; the overview uses the latest day the data covers, see
:func:`overview_as_of`):

- **This month** (d's month), from :func:`plan_fact.month_progress`: the company's plan, fact to date
  (net sales from the month's first day to d) and plan to date (plan × working days elapsed to d /
  working days in the month). From :func:`forecast.landing`: the **landing** = fact to date + weighted
  open deals of the month, read from the latest snapshot on or before d, with fact counted up to that
  snapshot's date (later sales would count deals still open in it twice). **Gap** = plan − landing.
  A landing needs a snapshot taken in d's month: an older one forecasts another month, so the landing
  is then unknown (none), not guessed.
- **The next months** (the three after d's month): the company's weighted forecast and plan per month,
  from :func:`forecast.forecast_report` of the same snapshot; gap = plan − weighted.
- **Gap to plan by month**: the year's past months (plan against fact, from
  :func:`plan_fact.attainment_by_month`), this month (plan against landing) and the next months (plan
  against the weighted forecast).
- **The week's top changes**: the latest two snapshots on or before d, compared over the forecast
  window (six months from the later one's month, :func:`changes.classify`); the changed deals with the
  largest effect on the window's weighted total, by absolute value, with their managers.
- **Big dormant clients**: :func:`clients.dormant_clients` with the report's defaults (5 quiet months,
  a 24-month lookback) and a minimum size of 60 000 a month (average per active month).
- **Freshness**: the last sales date and the last forecast snapshot; each is **stale** when missing or
  more than 8 days older than today (a weekly upload plus a day's grace).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd

from sales_analytics import batches, calendar
from sales_analytics.db import query_df
from sales_analytics.i18n import format_day, format_money, format_month, t
from sales_analytics.reports import changes, clients, forecast, plan_fact
from sales_analytics.reports.kept import Kept, version_key

NEXT_MONTHS = 3
TOP_CHANGES = 5
WORKBOOK_CHANGES = 10
"""The printed summary lists a few more changes than the screen's five."""
BIG_CLIENT_MIN_MONTH = Decimal(60_000)
STALE_AFTER_DAYS = 8
CARD_COLUMNS = [
    "month",
    "as_of",
    "plan",
    "fact_to_date",
    "plan_to_date",
    "weighted_open",
    "landing",
    "gap",
    "attainment",
    "snapshot",
]
"""The ``report summary`` standard output: one row of this month's cards."""
NEXT_COLUMNS = ["month", "weighted", "unweighted", "deals", "plan", "gap", "attainment"]
GAP_COLUMNS = ["month", "basis", "plan", "value", "gap", "attainment"]
CHANGE_COLUMNS = [
    "client",
    "manager",
    "department",
    "product",
    "category",
    "month_from",
    "month_to",
    "effect",
]
DORMANT_COLUMNS = [
    "client",
    "manager",
    "department",
    "last_purchase",
    "days_since",
    "lookback_turnover",
    "avg_month",
]


def _ratio(value: Decimal | None, plan: Decimal | None) -> float | None:
    """value / plan as a float fraction; none without a value or a positive plan."""
    if value is None or plan is None or plan <= 0:
        return None
    return float(value / plan)


def _months_between(first: date, second: date) -> int:
    return (second.year - first.year) * 12 + second.month - first.month


# --- the figures, kept per data version ----------------------------------------------------------
#
# The overview reads the same four figures at every page view and the weekly summary reads them
# again; each one costs a few reports (plan/fact, landing, forecast, changes, clients). So each
# result is kept in this process, keyed like forecast.snapshot_dates on (database file, data_version,
# latest import): every import and delete bumps the version, so a kept figure is never read after
# its data changed. A database without a file (":memory:", a meeting) has no name to key on: its
# figures are computed at each call. Two threads asking for the same figure at once (the page and
# the warm-up of a just-started server) compute it once (reports/kept.py).

_FIGURES = Kept(64)


def clear_cache() -> None:
    """Forget every figure kept in this process (the benchmark's cold and uncached calls)."""
    _FIGURES.clear()


def _private(value):
    """A copy the caller may change without changing the kept figure (frames are mutable)."""
    if isinstance(value, pd.DataFrame):
        return value.copy()
    if isinstance(value, BigDormant):
        return dataclasses.replace(value, clients=value.clients.copy())
    return value


def _kept(con: duckdb.DuckDBPyConnection, name: str, params: tuple, compute: Callable[[], object]):
    """``compute()``, kept per database file and data version under (name, params)."""
    return _private(_FIGURES.get(version_key(con, name, params), compute))


# --- when ----------------------------------------------------------------------------------------


def overview_as_of(status: batches.DataStatus, today: date) -> date:
    """The day the overview reads the figures as of: the latest day the data covers (the last sale or
    the last snapshot, whichever is later), never after ``today``; ``today`` when there is neither.

    Reading at the data's own day compares fact and plan over the same days: on a Monday with last
    Friday's sales export, plan to date counts to Friday too. Stale data is flagged by
    :func:`freshness`, not hidden by moving to today.
    """
    known = [day for day in (status.last_sale, status.last_snapshot) if day is not None]
    return min(max(known), today) if known else today


# --- this month ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCards:
    """This month's cards as of ``as_of``. Money is ``Decimal`` (none where unknown); ``attainment``
    is landing / plan and ``to_date_attainment`` fact to date / plan to date, as float fractions."""

    month: date
    as_of: date
    plan: Decimal | None
    fact_to_date: Decimal
    plan_to_date: Decimal | None
    weighted_open: Decimal | None
    deals: int
    landing: Decimal | None
    gap: Decimal | None
    snapshot: date | None
    working_days: int
    elapsed_days: int

    @property
    def attainment(self) -> float | None:
        return _ratio(self.landing, self.plan)

    @property
    def to_date_attainment(self) -> float | None:
        return _ratio(self.fact_to_date, self.plan_to_date)

    @property
    def behind(self) -> bool:
        """Fact to date below plan to date."""
        return self.plan_to_date is not None and self.fact_to_date < self.plan_to_date

    def frame(self) -> pd.DataFrame:
        """One row of :data:`CARD_COLUMNS` (the command line's output)."""
        row = {name: getattr(self, name) for name in CARD_COLUMNS}
        # a ratio with four decimals, as ``report plan-fact`` writes its attainment
        row["attainment"] = (
            None
            if self.attainment is None
            else (self.landing / self.plan).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        )
        return pd.DataFrame([row], columns=CARD_COLUMNS)


def month_cards(
    con: duckdb.DuckDBPyConnection, as_of: date, lang: str = "ru", country: str | None = None
) -> MonthCards:
    """This month's plan, fact to date, plan to date, landing and gap as of ``as_of`` (see the module's
    rules). The plan and the to-date figures are the ``TOTAL`` row of :func:`plan_fact.month_progress`;
    the landing is the total of :func:`forecast.landing`, when a snapshot of this month exists."""
    return _kept(con, "month_cards", (as_of, lang, country), lambda: _month_cards(con, as_of, lang, country))


def _month_cards(con: duckdb.DuckDBPyConnection, as_of: date, lang: str, country: str | None) -> MonthCards:
    month = calendar.month_start(as_of)
    plan, fact, plan_to_date, working_days, elapsed_days = _month_plan_fact(con, month, as_of, country)

    snapshot = weighted = landing = None
    deals = 0
    try:
        landed = forecast.landing(con, as_of, by="all", lang=lang)
    except forecast.NoSnapshot:
        landed = None
    if landed is not None and landed.attrs["snapshot"] >= month:
        row = landed[landed["is_total"]].iloc[0]
        snapshot, weighted, landing, deals = (
            landed.attrs["snapshot"],
            row["weighted_open"],
            row["landing"],
            int(row["deals"]),
        )
    elif landed is not None:
        snapshot = landed.attrs["snapshot"]
    return MonthCards(
        month=month,
        as_of=as_of,
        plan=plan,
        fact_to_date=fact,
        plan_to_date=plan_to_date,
        weighted_open=weighted,
        deals=deals,
        landing=landing,
        gap=None if plan is None or landing is None else plan - landing,
        snapshot=snapshot,
        working_days=working_days,
        elapsed_days=elapsed_days,
    )


def _month_plan_fact(
    con: duckdb.DuckDBPyConnection, month: date, as_of: date, country: str | None
) -> tuple[Decimal | None, Decimal, Decimal | None, int, int]:
    """The ``TOTAL`` row of :func:`plan_fact.month_progress` by department: plan, fact to date, plan
    to date (the sum of the departments' rounded plans to date, as there), and the month's working
    days and those elapsed to ``as_of``.

    Read from the month's own sales and plan rows (queries/summary_month_plan_fact.sql, the month's
    part of plan_fact_by_group) rather than through plan/fact's client store: on a server just
    started the store is a copy of every sale, and the overview's first card should not wait for it.
    tests/reports/test_summary.py holds the two equal.
    """
    country = calendar.check_country(country)
    working_days = calendar.month_working_days(month, country)
    elapsed = calendar.elapsed_working_days(month, as_of, country)
    fact_to = min(as_of, calendar.month_end(month))
    groups = query_df(con, "summary_month_plan_fact", {"month": month, "fact_to": fact_to})
    plans = [plan for plan in groups["plan"] if plan is not None and not pd.isna(plan)]
    plan = sum(plans, Decimal(0)) if plans else None
    fact = sum(groups["fact"], Decimal("0.00"))
    to_date = [(p * elapsed / working_days).quantize(Decimal("0.01"), ROUND_HALF_UP) for p in plans]
    plan_to_date = sum(to_date, Decimal(0)) if to_date else None
    return plan, fact, plan_to_date, working_days, elapsed


# --- the next months -----------------------------------------------------------------------------


def next_months(
    con: duckdb.DuckDBPyConnection, as_of: date, months: int = NEXT_MONTHS, lang: str = "ru"
) -> pd.DataFrame:
    """The company's weighted forecast against plan for the ``months`` months after ``as_of``'s month:
    :data:`NEXT_COLUMNS` (gap = plan − weighted; attainment = weighted / plan, a float), read from the
    latest snapshot on or before ``as_of`` (``attrs["snapshot"]``; none and no rows without one)."""
    return _kept(con, "next_months", (as_of, months, lang), lambda: _next_months(con, as_of, months, lang))


def _next_months(con: duckdb.DuckDBPyConnection, as_of: date, months: int, lang: str) -> pd.DataFrame:
    first = calendar.add_months(calendar.month_start(as_of), 1)
    try:
        snapshot = forecast.resolve_snapshot(con, as_of)
    except forecast.NoSnapshot:
        empty = pd.DataFrame(columns=NEXT_COLUMNS)
        empty.attrs["snapshot"] = None
        return empty
    # the forecast's horizon starts at the snapshot's month: reach ``months`` months past this one
    horizon = _months_between(snapshot, first) + months
    if horizon > forecast.MONTHS_RANGE[1]:  # a snapshot two years old forecasts nothing useful now
        empty = pd.DataFrame(columns=NEXT_COLUMNS)
        empty.attrs["snapshot"] = snapshot
        return empty
    report = forecast.forecast_report(con, as_of, horizon, by="all", lang=lang)
    totals = forecast.month_totals(report)
    totals = totals[totals["month"] >= first].reset_index(drop=True)
    totals["attainment"] = pd.Series(
        [_ratio(weighted, plan) for weighted, plan in zip(totals["weighted"], totals["plan"], strict=True)],
        index=totals.index,
        dtype=object,  # none, not NaN, where there is no plan
    )
    totals = totals[NEXT_COLUMNS]
    totals.attrs["snapshot"] = snapshot
    return totals


def gap_by_month(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    months: int = NEXT_MONTHS,
    lang: str = "ru",
    cards: MonthCards | None = None,
    following: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Plan against fact, landing or forecast per month: :data:`GAP_COLUMNS`.

    ``basis`` says what the month's value is: ``fact`` for the months of ``as_of``'s year before its
    month (:func:`plan_fact.attainment_by_month`, the TOTAL row), ``landing`` for ``as_of``'s month
    (:func:`month_cards`), ``forecast`` for the next ``months`` months (:func:`next_months`).
    gap = plan − value; attainment = value / plan (a float). ``cards`` and ``following``: those
    already computed, not to compute them twice.
    """
    month = calendar.month_start(as_of)
    rows = []
    if month.month > 1:
        year = plan_fact.attainment_by_month(
            con, month.year, by="department", through=month - timedelta(days=1), lang=lang
        )
        for record in year[year["group"] == plan_fact.TOTAL].itertuples(index=False):
            if record.month < month:
                rows.append((record.month, "fact", record.plan, record.fact))
    cards = cards or month_cards(con, as_of, lang)
    rows.append((month, "landing", cards.plan, cards.landing))
    following = following if following is not None else next_months(con, as_of, months, lang)
    for record in following.itertuples(index=False):
        rows.append((record.month, "forecast", record.plan, record.weighted))
    frame = pd.DataFrame(rows, columns=["month", "basis", "plan", "value"])
    frame["gap"] = [
        None if plan is None or value is None else plan - value
        for plan, value in zip(frame["plan"], frame["value"], strict=True)
    ]
    frame["attainment"] = [
        _ratio(value, plan) for plan, value in zip(frame["plan"], frame["value"], strict=True)
    ]
    return frame.astype(object).where(frame.notna(), None)[GAP_COLUMNS]


# --- the week's changes --------------------------------------------------------------------------


def top_changes(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    count: int = TOP_CHANGES,
    months: int = forecast.DEFAULT_MONTHS,
    lang: str = "ru",
) -> pd.DataFrame:
    """The ``count`` changed deals with the largest effect (by absolute value) between the latest two
    snapshots on or before ``as_of``: :data:`CHANGE_COLUMNS`, then deal_id. Deals with no effect on the
    window (rescheduled inside it, changed outside it) are not news and are left out.

    ``attrs``: snapshot_a, snapshot_b, window_from, window_to, start and end (the window's weighted
    total in each snapshot), change (end − start), changed (how many deals moved the total). With fewer
    than two snapshots: no rows, and those are none.
    """
    return _kept(
        con,
        "top_changes",
        (as_of, count, months, lang),
        lambda: _top_changes(con, as_of, count, months, lang),
    )


def _top_changes(
    con: duckdb.DuckDBPyConnection, as_of: date, count: int, months: int, lang: str
) -> pd.DataFrame:
    dates = [day for day in forecast.snapshot_dates(con) if day <= as_of]
    if len(dates) < 2:
        empty = pd.DataFrame(columns=[*CHANGE_COLUMNS, "deal_id"])
        empty.attrs.update(
            dict.fromkeys(
                ("snapshot_a", "snapshot_b", "window_from", "window_to", "start", "end", "change", "changed")
            )
        )
        return empty
    classified = changes.classify(con, dates[-2], dates[-1], months=months)
    waterfall = changes.summarise(classified)
    deals = changes.deal_list(classified, lang)
    deals = deals[deals["effect"] != 0]
    size = [abs(effect) for effect in deals["effect"]]
    names = [str(client) for client in deals["client"]]
    products = [str(product) for product in deals["product"]]
    # largest effect first; ties in a fixed order, so the list is the same on every run
    order = sorted(range(len(deals)), key=lambda i: (-size[i], names[i], products[i]))
    top = deals.iloc[order[:count]][[*CHANGE_COLUMNS, "deal_id"]].reset_index(drop=True)
    start = waterfall.loc[waterfall["category"] == "start", "amount"].iloc[0]
    end = waterfall.loc[waterfall["category"] == "end", "amount"].iloc[0]
    top.attrs.update(
        {key: classified.attrs[key] for key in ("snapshot_a", "snapshot_b", "window_from", "window_to")},
        start=start,
        end=end,
        change=end - start,
        changed=len(deals),
    )
    return top


# --- clients worth a call ------------------------------------------------------------------------


@dataclass(frozen=True)
class BigDormant:
    """Big dormant clients as of ``as_of``: how many, their turnover over the lookback, and the list
    (:data:`DORMANT_COLUMNS`, largest first)."""

    as_of: date
    min_month: Decimal
    count: int
    turnover: Decimal
    clients: pd.DataFrame


def big_dormant(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    min_month: Decimal | int = BIG_CLIENT_MIN_MONTH,
    lang: str = "ru",
) -> BigDormant:
    """Dormant clients (the clients report's defaults) averaging at least ``min_month`` per active
    month over the lookback; their number and lookback turnover."""
    return _kept(
        con,
        "big_dormant",
        (as_of, Decimal(min_month), lang),
        lambda: _big_dormant(con, as_of, min_month, lang),
    )


def _big_dormant(
    con: duckdb.DuckDBPyConnection, as_of: date, min_month: Decimal | int, lang: str
) -> BigDormant:
    listed = clients.dormant_clients(con, as_of, min_size=min_month, size_per="month", lang=lang)
    return BigDormant(
        as_of=as_of,
        min_month=Decimal(min_month),
        count=len(listed),
        turnover=sum(listed["lookback_turnover"], Decimal("0.00")),
        clients=listed[DORMANT_COLUMNS].reset_index(drop=True),
    )


# --- freshness -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """How old the data is on ``today``: the last sales date and the last forecast snapshot, their age
    in days (none when missing) and whether each is stale (missing, or older than
    :data:`STALE_AFTER_DAYS` days)."""

    today: date
    last_sale: date | None
    last_snapshot: date | None

    @property
    def sales_age(self) -> int | None:
        return None if self.last_sale is None else (self.today - self.last_sale).days

    @property
    def snapshot_age(self) -> int | None:
        return None if self.last_snapshot is None else (self.today - self.last_snapshot).days

    @property
    def sales_stale(self) -> bool:
        return self.sales_age is None or self.sales_age > STALE_AFTER_DAYS

    @property
    def snapshot_stale(self) -> bool:
        return self.snapshot_age is None or self.snapshot_age > STALE_AFTER_DAYS

    @property
    def stale(self) -> bool:
        return self.sales_stale or self.snapshot_stale


def freshness(con: duckdb.DuckDBPyConnection, today: date) -> Freshness:
    """The last sales date and last snapshot in the database, judged on ``today``."""
    status = batches.data_status(con)
    return Freshness(today=today, last_sale=status.last_sale, last_snapshot=status.last_snapshot)


# --- the whole summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklySummary:
    """Everything the weekly summary shows, as of ``as_of``."""

    as_of: date
    cards: MonthCards
    next_months: pd.DataFrame
    gap_by_month: pd.DataFrame
    top_changes: pd.DataFrame
    dormant: BigDormant
    freshness: Freshness


def weekly_summary(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    today: date | None = None,
    lang: str = "ru",
    changes_count: int = WORKBOOK_CHANGES,
) -> WeeklySummary:
    """The weekly summary as of ``as_of``; freshness judged on ``today`` (default: the real today)."""
    cards = month_cards(con, as_of, lang)
    following = next_months(con, as_of, lang=lang)
    return WeeklySummary(
        as_of=as_of,
        cards=cards,
        next_months=following,
        gap_by_month=gap_by_month(con, as_of, lang=lang, cards=cards, following=following),
        top_changes=top_changes(con, as_of, changes_count, lang=lang),
        dormant=big_dormant(con, as_of, lang=lang),
        freshness=freshness(con, today or date.today()),
    )


# --- the workbook --------------------------------------------------------------------------------

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Book:
    """A workbook of titled tables: title and notes above, a bold header row frozen under them.

    Every text cell is written with ``write_string`` (and the workbook converts no string to a
    formula), so a client named ``=HYPERLINK(…)`` or ``+7 …`` stays text, as in ``export.to_xlsx``.
    """

    def __init__(self) -> None:
        import xlsxwriter  # here, not at the top: the overview's first paint does not wait for it

        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
        )
        add = self.book.add_format
        self.formats = {
            "title": add({"bold": True, "font_size": 14}),
            "note": add({"italic": True, "font_color": "#555555"}),
            "warning": add({"bold": True, "font_color": "#c62828"}),
            "header": add({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
            "money": add({"num_format": "#,##0.00"}),
            "percent": add({"num_format": "0.0%"}),
            "day": add({"num_format": "dd.mm.yyyy"}),
            "int": add({"num_format": "0"}),
            "text": add({}),
            "label": add({"bold": True}),
        }

    def sheet(self, name: str, title: str, notes: list[tuple[str, str]], columns: list[tuple[str, str, int]]):
        """A sheet with ``title``, ``notes`` (text, format) and a header of ``columns`` (header, kind,
        width); returns (sheet, first data row, kinds)."""
        sheet = self.book.add_worksheet(name[:31])
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.write_string(0, 0, title, self.formats["title"])
        row = 1
        for text, style in notes:
            sheet.write_string(row, 0, text, self.formats[style])
            row += 1
        row += 1
        for column, (header, _kind, width) in enumerate(columns):
            sheet.write_string(row, column, header, self.formats["header"])
            sheet.set_column(column, column, width)
        sheet.freeze_panes(row + 1, 0)
        sheet.repeat_rows(row)
        return sheet, row + 1, [kind for _h, kind, _w in columns]

    def cell(self, sheet, row: int, column: int, value, kind: str) -> None:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return
        if kind in ("money", "percent", "int") and isinstance(value, Decimal | float | int):
            sheet.write_number(row, column, float(value), self.formats[kind])
        elif kind == "day" and isinstance(value, date):
            sheet.write_datetime(
                row, column, datetime(value.year, value.month, value.day), self.formats["day"]
            )
        else:
            sheet.write_string(row, column, str(value), self.formats["label" if kind == "label" else "text"])

    def rows(self, sheet, first: int, kinds: list[str], records) -> int:
        row = first
        for record in records:
            for column, (value, kind) in enumerate(zip(record, kinds, strict=True)):
                self.cell(sheet, row, column, value, kind)
            row += 1
        return row

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _freshness_notes(fresh: Freshness, lang: str) -> list[tuple[str, str]]:
    line = t(
        "summary.freshness",
        lang,
        sales=format_day(fresh.last_sale, lang),
        snapshot=format_day(fresh.last_snapshot, lang),
    )
    notes = [(line, "note")]
    if fresh.stale:
        notes.append((t("summary.stale", lang, days=STALE_AFTER_DAYS), "warning"))
    return notes


def _month_text(value, lang: str) -> str | None:
    return format_month(value, lang) if isinstance(value, date) else None


def summary_workbook(
    con: duckdb.DuckDBPyConnection, as_of: date, lang: str = "ru", today: date | None = None
) -> bytes:
    """The weekly summary as one formatted xlsx: this month's landing, the gap to plan by month, the
    top changes with their managers and the big dormant clients, a sheet each, every sheet titled with
    the as-of date, its header row frozen and repeated on printed pages, money with kopecks and
    percentages as percentages. Headers and words in ``lang``."""
    return workbook(weekly_summary(con, as_of, today, lang), lang)


def workbook(summary: WeeklySummary, lang: str = "ru") -> bytes:
    """:func:`summary_workbook` of a summary already computed."""
    as_of = summary.as_of
    book = _Book()
    title = t("summary.title_on", lang, day=format_day(as_of, lang))
    fresh_notes = _freshness_notes(summary.freshness, lang)
    col = lambda name: t(f"forecast.col.{name}", lang)  # noqa: E731

    # 1. this month's landing
    cards = summary.cards
    notes = [(t("summary.month_note", lang, month=format_month(cards.month, lang)), "note")]
    if cards.snapshot is not None and cards.landing is not None:
        notes.append((t("summary.landing_from", lang, snapshot=format_day(cards.snapshot, lang)), "note"))
    elif cards.landing is None:
        notes.append((t("summary.no_landing", lang), "warning"))
    sheet, first, kinds = book.sheet(
        t("summary.sheet.month", lang),
        title,
        notes + fresh_notes,
        [(t("summary.col.measure", lang), "label", 38), (t("summary.col.value", lang), "money", 20)],
    )
    lines = [
        (t("summary.card.plan", lang), cards.plan, "money"),
        (t("summary.card.fact", lang, day=format_day(as_of, lang)), cards.fact_to_date, "money"),
        (t("summary.card.plan_to_date", lang, day=format_day(as_of, lang)), cards.plan_to_date, "money"),
        (t("summary.card.open", lang), cards.weighted_open, "money"),
        (t("summary.card.landing", lang), cards.landing, "money"),
        (t("summary.card.gap", lang), cards.gap, "money"),
        (t("summary.card.attainment", lang), cards.attainment, "percent"),
        (t("summary.card.working_days", lang), f"{cards.elapsed_days} / {cards.working_days}", "text"),
    ]
    for offset, (label, value, kind) in enumerate(lines):
        book.cell(sheet, first + offset, 0, label, "label")
        book.cell(sheet, first + offset, 1, value, kind)

    # 2. the gap to plan by month
    sheet, first, kinds = book.sheet(
        t("summary.sheet.gap", lang),
        title,
        [(t("summary.gap_note", lang), "note")],
        [
            (col("month"), "text", 18),
            (t("summary.col.basis", lang), "text", 22),
            (col("plan"), "money", 18),
            (t("summary.col.value", lang), "money", 18),
            (t("summary.col.gap", lang), "money", 20),
            (col("attainment"), "percent", 14),
        ],
    )
    gap = summary.gap_by_month
    book.rows(
        sheet,
        first,
        kinds,
        (
            (
                _month_text(r.month, lang),
                t(f"summary.basis.{r.basis}", lang),
                r.plan,
                r.value,
                r.gap,
                r.attainment,
            )
            for r in gap.itertuples(index=False)
        ),
    )

    # 3. the week's top changes
    top = summary.top_changes
    if top.attrs.get("snapshot_b") is None:
        notes = [(t("summary.no_changes", lang), "warning")]
    else:
        notes = [
            (
                t(
                    "summary.changes_note",
                    lang,
                    date_from=format_day(top.attrs["snapshot_a"], lang),
                    date_to=format_day(top.attrs["snapshot_b"], lang),
                    window_from=format_month(top.attrs["window_from"], lang),
                    window_to=format_month(top.attrs["window_to"], lang),
                ),
                "note",
            ),
            (
                t(
                    "summary.changes_total",
                    lang,
                    start=_money_text(top.attrs["start"], lang),
                    end=_money_text(top.attrs["end"], lang),
                    change=_money_text(top.attrs["change"], lang, signed=True),
                    count=top.attrs["changed"],
                    shown=len(top),
                ),
                "note",
            ),
        ]
    sheet, first, kinds = book.sheet(
        t("summary.sheet.changes", lang),
        title,
        notes,
        [
            (col("client"), "text", 30),
            (col("manager"), "text", 20),
            (col("department"), "text", 20),
            (col("product"), "text", 28),
            (col("category"), "text", 24),
            (col("month_from"), "text", 16),
            (col("month_to"), "text", 16),
            (col("effect"), "money", 18),
        ],
    )
    book.rows(
        sheet,
        first,
        kinds,
        (
            (
                r.client,
                r.manager,
                r.department,
                r.product,
                t(f"changes.category.{r.category}", lang),
                _month_text(r.month_from, lang),
                _month_text(r.month_to, lang),
                r.effect,
            )
            for r in top.itertuples(index=False)
        ),
    )

    # 4. big dormant clients
    dormant = summary.dormant
    sheet, first, kinds = book.sheet(
        t("summary.sheet.dormant", lang),
        title,
        [
            (
                t(
                    "summary.dormant_note",
                    lang,
                    count=dormant.count,
                    turnover=_money_text(dormant.turnover, lang),
                    min_month=_money_text(dormant.min_month, lang),
                    months=clients.DEFAULT_MONTHS,
                    lookback=clients.DEFAULT_LOOKBACK,
                ),
                "note",
            )
        ],
        [
            (t("clients.col.client", lang), "text", 32),
            (t("clients.col.manager", lang), "text", 20),
            (t("clients.col.department", lang), "text", 20),
            (t("clients.col.last_purchase", lang), "day", 16),
            (t("clients.col.days_since", lang), "int", 14),
            (t("clients.col.lookback_turnover", lang), "money", 20),
            (t("clients.col.avg_month", lang), "money", 20),
        ],
    )
    book.rows(sheet, first, kinds, dormant.clients.itertuples(index=False))
    return book.close()


def _money_text(value: Decimal | None, lang: str, signed: bool = False) -> str:
    text = format_money(value, lang)
    return f"+{text}" if signed and value is not None and value > 0 else text


# --- the command line ----------------------------------------------------------------------------


def _add_arguments(parser) -> None:
    from sales_analytics.cli import day

    parser.add_argument("--as-of", dest="as_of", type=day, required=True, metavar="DATE")
    parser.add_argument(
        "--today",
        type=day,
        metavar="DATE",
        help="judge the data's freshness on this day (default: today)",
    )


def _run(con, args) -> pd.DataFrame:
    """The weekly CEO summary as a formatted workbook (-o FILE.xlsx); prints this month's cards."""
    if args.output is None:
        raise forecast.bad_input("the summary is a workbook: give the file to write, -o FILE.xlsx")
    summary = weekly_summary(con, args.as_of, args.today, args.lang)
    args.output.write_bytes(workbook(summary, args.lang))
    # The workbook is written. The command line then prints what this function returns to -o, or to
    # standard output without it: so -o is taken here, and standard output gets this month's cards
    # (csv, or json with --format json; xlsx would be the workbook again).
    args.output = None
    if args.format == "xlsx":
        args.format = "csv"
    return summary.cards.frame()


CLI_REPORTS = {"summary": (_add_arguments, _run)}
