"""Report frames as the forecast pages show them: headers in the reader's language, money as
``1 234 567 ₽``, months by name, percentages as ``12,5 %``. Excel downloads keep the raw frame.

A column's kind says how its values read: ``money`` (whole roubles), ``kopecks`` (money with kopecks),
``percent`` (a fraction shown as a percentage), ``probability`` (the same, no decimals), ``month``
(a month by name; ``overdue`` and empty months get their words), ``month_or_none`` (a month, or a
dash: a deal that was not there), ``day``, ``int``, ``text``,
``category`` (a change category's name), ``status`` (open, won, lost).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from sales_analytics.i18n import format_day, format_money, format_month, format_number, format_percent, t
from sales_analytics.reports.forecast import OVERDUE


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _month(value, lang: str) -> str:
    if isinstance(value, str) and value == OVERDUE:
        return t("forecast.overdue", lang)
    if _blank(value):
        return t("forecast.undated", lang)
    return format_month(value, lang)


def _formatter(kind: str, lang: str) -> Callable[[object], object]:
    formats: dict[str, Callable[[object], object]] = {
        "money": lambda v: "—" if _blank(v) else format_money(v, lang),
        "kopecks": lambda v: "—" if _blank(v) else format_money(v, lang, kopecks=True),
        "percent": lambda v: "—" if _blank(v) else format_percent(v, lang),
        "probability": lambda v: "—" if _blank(v) else format_percent(v, lang, 0),
        "month": lambda v: _month(v, lang),
        "month_or_none": lambda v: "—" if _blank(v) else format_month(v, lang),
        "day": lambda v: "—" if _blank(v) else format_day(v, lang),
        "int": lambda v: "—" if _blank(v) else format_number(v, lang),
        "text": lambda v: "" if _blank(v) else str(v),
        "category": lambda v: t(f"changes.category.{v}", lang),
        "status": lambda v: "—" if _blank(v) else t(f"changes.status.{v}", lang),
    }
    return formats[kind]


def _header(name, lang: str, headers: dict | None) -> str:
    if headers and name in headers:
        return headers[name]
    return t(f"forecast.col.{name}", lang)


def display_table(frame: pd.DataFrame, columns: dict, lang: str, headers: dict | None = None) -> pd.DataFrame:
    """``frame``'s ``columns`` (name -> kind), formatted for reading, headed ``forecast.col.<name>``
    (or ``headers[name]``, for columns such as snapshot dates)."""
    shown = pd.DataFrame(index=range(len(frame)))
    for name, kind in columns.items():
        shown[_header(name, lang, headers)] = [_formatter(kind, lang)(v) for v in frame[name]]
    return shown


def excel_table(frame: pd.DataFrame, columns: list, lang: str, headers: dict | None = None) -> pd.DataFrame:
    """``frame``'s ``columns`` with headers in the reader's language and values kept raw (money stays
    money, with kopecks), for ``export.to_xlsx``. Categories get their names; the forecast's month
    column keeps the words for overdue and undated."""
    renamed = frame[columns].copy()
    for name in columns:
        if name == "category":
            renamed[name] = [t(f"changes.category.{v}", lang) for v in renamed[name]]
        elif isinstance(name, str) and name.startswith("month"):
            renamed[name] = [_month(v, lang) if isinstance(v, str) or _blank(v) else v for v in renamed[name]]
    renamed.columns = [_header(name, lang, headers) for name in columns]
    return renamed


def month_options(first: date, count: int) -> list[date]:
    """``count`` months starting with ``first``'s month (first days)."""
    year, month = first.year, first.month
    options = []
    for _ in range(count):
        options.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return options
