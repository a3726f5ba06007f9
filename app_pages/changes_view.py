"""What the forecast-changes page draws, built once per choice and data version (not a page).

The reports behind the page are cached on (choices, data_version) by ``ui_cache``; what the page
builds out of them was most of a rerun: the four Plotly figures and the tables formatted for reading
(babel formats every cell of a few hundred rows). Each visual's figure and formatted tables are built
here once per (database, data_version, choices, language) and kept in the process with
``st.cache_resource``: every rerun and every session gets the same objects, neither copied nor
unpickled, so they are read-only (``st.dataframe``, ``st.plotly_chart`` and the downloads only read
them; a filtered table is a new frame). An import or a delete changes the data version, so the next
rerun builds them again from fresh reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sales_analytics import charts_forecast, ui_cache
from sales_analytics.i18n import format_day
from sales_analytics.reports import changes
from sales_analytics.reports.forecast_display import display_table

SUMMARY_COLUMNS = {"category": "category", "amount": "kopecks", "deals": "int"}
DEAL_COLUMNS = {
    "category": "category", "client": "text", "manager": "text", "department": "text", "product": "text",
    "month_from": "month_or_none", "month_to": "month_or_none", "amount_from": "money", "amount_to": "money",
    "probability_from": "probability", "probability_to": "probability", "effect": "money",
}  # fmt: skip
MANAGER_COLUMNS = {
    "manager": "text", "share": "percent", "slipped": "money", "slipped_deals": "int", "weeks_with_slip": "int",
}  # fmt: skip
WEEK_COLUMNS = {
    "manager": "text", "week": "day", "date_from": "day", "forecast": "money", "slipped": "money",
    "deals": "int", "slipped_deals": "int", "share": "percent",
}  # fmt: skip
SLIP_COLUMNS = {
    "client": "text", "manager": "text", "product": "text", "times_pushed": "int", "months_pushed": "int",
    "first_month": "month", "month": "month", "status": "status", "weighted": "money",
}  # fmt: skip
SLIP_EXPORT_COLUMNS = {
    **SLIP_COLUMNS, "department": "text", "deal_id": "text", "first_seen": "day", "last_seen": "day",
    "value": "money", "probability": "probability",
}  # fmt: skip
ACCURACY_COLUMNS = {"month": "month", "group": "text", "fact": "money"}
for _weeks in changes.WEEKS_BEFORE:
    ACCURACY_COLUMNS |= {f"forecast_{_weeks}w": "money", f"accuracy_{_weeks}w": "percent"}

_KEPT = 32  # choices kept per visual: a few people clicking through a few weeks each


def _version() -> tuple[str, int]:
    db = ui_cache.database()
    return db.target, ui_cache.version(db)


@dataclass(frozen=True)
class Waterfall:
    """The waterfall of A → B and the changed deals (every one: the page filters them)."""

    attrs: dict
    summary: pd.DataFrame
    summary_shown: pd.DataFrame
    figure: go.Figure
    start: Decimal
    effects: Decimal
    end: Decimal
    deals: pd.DataFrame
    deals_shown: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=_KEPT)
def _waterfall(
    target: str, version: int, date_from: date, date_to: date, months: int, month: date | None, measure: str,
    lang: str,
) -> Waterfall:  # fmt: skip
    classified = ui_cache.report(
        changes.classify, date_from=date_from, date_to=date_to, months=months, month=month, measure=measure
    )
    summary = changes.summarise(classified)
    deals = changes.deal_list(classified, lang)
    amounts = list(summary["amount"])
    return Waterfall(
        attrs=dict(classified.attrs),
        summary=summary,
        summary_shown=display_table(summary, SUMMARY_COLUMNS, lang),
        figure=charts_forecast.waterfall(summary, lang),
        start=amounts[0],
        effects=sum(amounts[1:-1]),
        end=amounts[-1],
        deals=deals,
        deals_shown=display_table(deals, DEAL_COLUMNS, lang),
    )


def waterfall(
    date_from: date, date_to: date, months: int, month: date | None, measure: str, lang: str
) -> Waterfall:
    return _waterfall(*_version(), date_from, date_to, months, month, measure, lang)


def filtered_deals(
    view: Waterfall,
    categories: tuple[str, ...] | None,
    managers: tuple[str, ...] | None,
    departments: tuple[str, ...] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The changed deals the filters let through: as computed (for the download) and as shown."""
    if categories is None and managers is None and departments is None:
        return view.deals, view.deals_shown
    chosen = changes.deal_filter(view.deals, categories, managers, departments).to_numpy()
    return (
        view.deals[chosen].reset_index(drop=True),
        view.deals_shown[chosen].reset_index(drop=True),
    )


@dataclass(frozen=True)
class Triangle:
    figure: go.Figure
    table: pd.DataFrame
    columns: dict
    headers: dict
    shown: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=_KEPT)
def _triangle(target: str, version: int, date_to: date, months: int, measure: str, lang: str) -> Triangle:
    triangle = ui_cache.report(
        changes.forecast_triangle, date_to=date_to, months=months, measure=measure, lang=lang
    )
    table = changes.triangle_table(triangle)
    snapshots = list(table.columns[1:-1])
    headers = {day: format_day(day, lang) for day in snapshots}
    columns = {"month": "month", **dict.fromkeys(snapshots, "money"), "plan": "money"}
    return Triangle(
        figure=charts_forecast.triangle_lines(triangle, lang),
        table=table,
        columns=columns,
        headers=headers,
        shown=display_table(table, columns, lang, headers),
    )


def triangle(date_to: date, months: int, measure: str, lang: str) -> Triangle:
    return _triangle(*_version(), date_to, months, measure, lang)


@dataclass(frozen=True)
class Slips:
    history: changes.SlipHistory
    figure: go.Figure | None
    per_manager_shown: pd.DataFrame | None
    deals_shown: pd.DataFrame | None


@st.cache_resource(show_spinner=False, max_entries=_KEPT)
def _slips(target: str, version: int, date_to: date, weeks: int, measure: str, lang: str) -> Slips:
    history = ui_cache.report(changes.slip_history, date_to=date_to, weeks=weeks, measure=measure, lang=lang)
    figure = per_manager = deals = None
    if not history.managers.empty:
        figure = charts_forecast.slip_heatmap(history.managers, lang)
        per_manager = display_table(changes.slip_by_manager(history.managers), MANAGER_COLUMNS, lang)
    if not history.deals.empty:
        deals = display_table(history.deals, SLIP_COLUMNS, lang)
    return Slips(history, figure, per_manager, deals)


def slips(date_to: date, weeks: int, measure: str, lang: str) -> Slips:
    return _slips(*_version(), date_to, weeks, measure, lang)


@dataclass(frozen=True)
class Accuracy:
    frame: pd.DataFrame
    figure: go.Figure | None
    shown: pd.DataFrame | None


@st.cache_resource(show_spinner=False, max_entries=_KEPT)
def _accuracy(target: str, version: int, as_of: date, measure: str, lang: str) -> Accuracy:
    frame = ui_cache.report(changes.forecast_accuracy, as_of=as_of, measure=measure, lang=lang)
    if frame.empty:
        return Accuracy(frame, None, None)
    return Accuracy(
        frame, charts_forecast.accuracy_bars(frame, lang), display_table(frame, ACCURACY_COLUMNS, lang)
    )


def accuracy(as_of: date, measure: str, lang: str) -> Accuracy:
    return _accuracy(*_version(), as_of, measure, lang)
