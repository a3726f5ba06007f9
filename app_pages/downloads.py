"""Downloads the pages share (not a page): every table as a formatted .xlsx, every chart as a PNG.

A page makes one :class:`Exports` after reading its choices (the page's name, the language and the
choices as the page shows them), then draws each table and chart through it. Files are built when
someone clicks, not on every rerun: a workbook takes a moment, a PNG about a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import streamlit as st

from sales_analytics import charts_export, export, ui_cache
from sales_analytics.i18n import format_day, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVERDUE = "overdue"  # the forecast's month column names overdue deals so

# a column's kind, as the pages name them (reports/forecast_display.py and charts_plan.py)
MONEY = {"money", "kopecks"}
PERCENT = {"percent", "probability", "ratio"}
DAYS = {"day"}
MONTHS = {"month", "month_or_none"}
TOTAL = "TOTAL"  # the total row's label in the plan reports


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def excel_frame(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    lang: str,
    prefix: str = "forecast",
    headers: Mapping | None = None,
) -> pd.DataFrame:
    """``frame``'s ``columns`` (name -> kind) as the workbook holds them: headers in ``lang``
    (``<prefix>.col.<name>``, or ``headers[name]``), values raw (money to the kopeck, fractions,
    dates), words where the value is a code (change categories, statuses, the total row)."""
    out = pd.DataFrame(index=range(len(frame)))
    for name, kind in columns.items():
        values = list(frame[name])
        if kind == "category":
            values = [t(f"changes.category.{v}", lang) for v in values]
        elif kind == "status":
            values = [None if _blank(v) else t(f"changes.status.{v}", lang) for v in values]
        elif kind in MONTHS:
            values = [
                t("forecast.overdue", lang) if v == OVERDUE
                else (t("forecast.undated", lang) if prefix == "forecast" and kind == "month" else None)
                if _blank(v) else v
                for v in values
            ]  # fmt: skip
        out[_header(name, prefix, lang, headers)] = values
    first = out.columns[0] if len(out.columns) else None
    if first is not None:
        out[first] = [t("plan_fact.total", lang) if v == TOTAL else v for v in out[first]]
    return out


def _header(name, prefix: str, lang: str, headers: Mapping | None) -> str:
    if headers and name in headers:
        return str(headers[name])
    return t(f"{prefix}.col.{name}", lang)


def data_notes(lang: str) -> list[str]:
    """The data's dates, for the top of a file: the last sale, the last forecast, today."""
    status = ui_cache.data_status()
    return [
        t(
            "pages.export.data",
            lang,
            sales=format_day(status.last_sale, lang),
            snapshot=format_day(status.last_snapshot, lang),
        ),
        t("pages.export.made", lang, date=format_day(date.today(), lang)),
    ]


class Exports:
    """The downloads of one page run: its name, its language and its choices go into every file."""

    def __init__(self, page: str, lang: str, filters: list[tuple[str, str]] | None = None):
        self.page, self.lang, self.filters = page, lang, list(filters or [])

    def workbook(
        self,
        frame: pd.DataFrame,
        columns: Mapping[str, str],
        title: str,
        prefix: str = "forecast",
        headers: Mapping | None = None,
        extra: list[tuple[str, str]] | None = None,
    ) -> bytes:
        """The table as an .xlsx: the page and table name, the choices, the data's dates above it."""
        table = excel_frame(frame, columns, self.lang, prefix, headers)
        names = dict(zip(columns, table.columns, strict=True))
        by_kind = lambda kinds: [names[c] for c, kind in columns.items() if kind in kinds]  # noqa: E731
        return export.table_workbook(
            table,
            f"{self.page}: {title}" if title and title != self.page else self.page,
            [*self.filters, *(extra or [])],
            self.lang,
            money_columns=by_kind(MONEY),
            percent_columns=by_kind(PERCENT),
            day_columns=by_kind(DAYS),
            month_columns=by_kind(MONTHS),
            notes=data_notes(self.lang),
            total_label=t("plan_fact.total", self.lang),
            sheet_name=title or self.page,
        )

    def table(
        self,
        frame: pd.DataFrame,
        columns: Mapping[str, str],
        *,
        name: str,
        title: str,
        key: str,
        prefix: str = "forecast",
        headers: Mapping | None = None,
        extra: list[tuple[str, str]] | None = None,
        container=None,
    ) -> None:
        """An "Excel" download button for the table."""
        (container or st).download_button(
            t("pages.download.xlsx", self.lang),
            lambda: self.workbook(frame, columns, title, prefix, headers, extra),
            file_name=f"{name}.xlsx",
            mime=XLSX,
            icon=":material/download:",
            on_click="ignore",
            key=key,
        )

    def chart(self, figure, *, name: str, title: str, key: str, container=None) -> None:
        """The chart, and a PNG download of it under it."""
        area = container or st
        area.plotly_chart(figure, width="stretch", config={"displayModeBar": False}, key=key)
        area.download_button(
            t("pages.download.png", self.lang),
            lambda: charts_export.figure_png(figure, f"{self.page}: {title}"),
            file_name=f"{name}.png",
            mime="image/png",
            icon=":material/image:",
            on_click="ignore",
            key=f"{key}_png",
        )
