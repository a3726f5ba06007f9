"""What each page computes on its first view with its default choices: the package functions, in
the order the page calls them (app_pages/*.py; one call per visual). The benchmark times these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb

from sales_analytics import batches, calendar
from sales_analytics.reports import changes, clients, forecast, plan_fact, sales, segments, summary

Call = Callable[[duckdb.DuckDBPyConnection], object]
LANG = "ru"


@dataclass(frozen=True)
class Defaults:
    """The choices a page starts with, read from the data as the pages read them."""

    last_snapshot: date
    previous_snapshot: date
    first_sale: date
    last_sale: date

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Defaults:
        status = batches.data_status(con)
        dates = forecast.snapshot_dates(con)
        if len(dates) < 2 or status.last_sale is None:
            raise RuntimeError("the benchmark database needs sales and at least two forecast snapshots")
        return cls(dates[-1], dates[-2], status.first_sale, status.last_sale)


def page_calls(d: Defaults) -> dict[str, list[tuple[str, Call]]]:
    """page -> [(figure, call)]. The clients page computes only its open tab: one entry per tab."""
    month = d.last_sale.replace(day=1)  # plan/fact: the month of the latest sale, in progress
    next_month = calendar.add_months(month, 1)  # segments and plan builder: the month after it
    overview_day = max(d.last_sale, d.last_snapshot)  # summary.overview_as_of on generated data
    filters = {"min_size": None, "size_per": "month", "managers": (), "departments": (), "lang": LANG}
    pages: dict[str, list[tuple[str, Call]]] = {
        "overview": [
            ("data status", batches.data_status),
            # what app_pages/overview.py calls, on the day it reads (the latest the data covers)
            ("month cards", lambda con: summary.month_cards(con, as_of=overview_day, lang=LANG)),
            ("next months", lambda con: summary.next_months(con, as_of=overview_day, lang=LANG)),
            ("top changes", lambda con: summary.top_changes(con, as_of=overview_day, lang=LANG)),
            ("big dormant", lambda con: summary.big_dormant(con, as_of=overview_day, lang=LANG)),
        ],
        "forecast": [
            ("snapshot dates", forecast.snapshot_dates),
            (
                "forecast (chart, table)",
                lambda con: forecast.forecast_report(
                    con, as_of=d.last_snapshot, months=6, by="department", lang=LANG, measure="amount"
                ),
            ),
            (
                "landing",
                lambda con: forecast.landing(
                    con, as_of=d.last_snapshot, by="department", lang=LANG, measure="amount"
                ),
            ),
            (
                "open deals",
                lambda con: forecast.forecast_deals(
                    con,
                    as_of=d.last_snapshot,
                    months=6,
                    by="department",
                    lang=LANG,
                    measure="amount",
                    place="all",
                ),  # fmt: skip
            ),
        ],
        "changes": [
            ("snapshot dates", forecast.snapshot_dates),
            (
                "waterfall + deal list",
                lambda con: changes.classify(
                    con,
                    date_from=d.previous_snapshot,
                    date_to=d.last_snapshot,
                    months=6,
                    month=None,
                    measure="amount",
                ),  # fmt: skip
            ),
            (
                "triangle",
                lambda con: changes.forecast_triangle(
                    con, date_to=d.last_snapshot, months=6, measure="amount", lang=LANG
                ),
            ),
            (
                "slip history (13 weeks)",
                lambda con: changes.slip_history(
                    con, date_to=d.last_snapshot, weeks=13, measure="amount", lang=LANG
                ),
            ),
            (
                "accuracy",
                lambda con: changes.forecast_accuracy(
                    con, as_of=d.last_snapshot, measure="amount", lang=LANG
                ),
            ),
        ],
        "plan/fact": [
            ("months", plan_fact.available_months),
            (
                "month in progress (+ its table)",
                lambda con: plan_fact.month_progress(
                    con, month=month, as_of=d.last_sale, by="department", lang=LANG
                ),
            ),
            (
                "daily progress",
                lambda con: plan_fact.daily_progress(
                    con, month=month, as_of=d.last_sale, by="department", lang=LANG
                ),
            ),
            (
                "heatmap",
                lambda con: plan_fact.attainment_by_month(
                    con, year=month.year, by="department", through=d.last_sale, lang=LANG
                ),
            ),
        ],
        "clients: dormant": [
            ("filter options", lambda con: clients.filter_options(con, lang=LANG)),
            (
                "dormant clients",
                lambda con: clients.dormant_clients(con, as_of=d.last_sale, months=5, lookback=24, **filters),
            ),
        ],
        "clients: declining": [
            ("filter options", lambda con: clients.filter_options(con, lang=LANG)),
            (
                "declining clients",
                lambda con: clients.declining_clients(
                    con, as_of=d.last_sale, recent=3, drop="0.50", months=5, **filters
                ),
            ),
        ],
        "clients: segments": [
            ("filter options", lambda con: clients.filter_options(con, lang=LANG)),
            ("plan months", segments.plan_months),
            (
                "segments",
                lambda con: segments.segments_view(
                    con, month=next_month, segment="regular", manager=None, lang=LANG
                ),
            ),
        ],
        "plan builder": [
            ("plan months", segments.plan_months),
            (
                "plan builder",
                lambda con: segments.plan_builder(
                    con, month=next_month, share="0.20", existing_share=None, lang=LANG
                ),
            ),
        ],
    }
    return pages


def clear_caches() -> None:
    """Forget every in-process cache the reports keep (keyed on data_version), for a cold call."""
    with clients._STORE_LOCK:
        for _, store in clients._STORES.values():
            store.close()
        clients._STORES.clear()
    for module in (changes, clients, forecast, plan_fact, segments, sales, summary):
        clear = getattr(module, "clear_cache", None)
        if clear is not None:
            clear()
