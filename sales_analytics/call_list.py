"""The call list: dormant and declining clients, one sheet per manager, ready to print and hand out.

Each manager's sheet holds a title, what the list means, the dormant clients (largest lookback
turnover first) and the declining ones (largest fall first), each with a blank column for the call's
outcome. Text is always written as text (``strings_to_formulas`` off, ``write_string``), so a client
named ``=HYPERLINK(…)`` stays a name.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pandas as pd
import xlsxwriter

from sales_analytics.i18n import format_day, format_percent, no_manager, t
from sales_analytics.reports import clients

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_DORMANT_COLUMNS = (
    ("client", "text", 38),
    ("department", "text", 20),
    ("last_purchase", "day", 14),
    ("days_since", "count", 11),
    ("lookback_turnover", "money", 16),
    ("active_months", "count", 11),
    ("avg_month", "money", 15),
    ("margin", "money", 15),
)
_DECLINING_COLUMNS = (
    ("client", "text", 38),
    ("department", "text", 20),
    ("last_purchase", "day", 14),
    ("recent_turnover", "money", 16),
    ("previous_average", "money", 16),
    ("change", "money", 15),
    ("margin", "money", 15),
)


def call_list_workbook(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    months: int = clients.DEFAULT_MONTHS,
    lookback: int = clients.DEFAULT_LOOKBACK,
    recent: int = clients.DEFAULT_RECENT,
    drop: Decimal | float | str = clients.DEFAULT_DROP,
    min_size: Decimal | float | int | None = None,
    size_per: str = "month",
    managers: tuple[str, ...] | None = None,
    departments: tuple[str, ...] | None = None,
    lang: str = "ru",
) -> bytes:
    """The call list as an xlsx workbook: the dormant and declining clients of
    :mod:`~sales_analytics.reports.clients` with these settings, one sheet per manager."""
    common = {
        "min_size": min_size,
        "size_per": size_per,
        "managers": managers,
        "departments": departments,
        "lang": lang,
    }
    dormant = clients.dormant_clients(con, as_of, months, lookback, **common)
    declining = clients.declining_clients(con, as_of, recent, drop, months, **common)
    settings = {"months": months, "lookback": lookback, "recent": recent, "drop": Decimal(str(drop))}
    return build_call_list(dormant, declining, as_of, settings, lang)


def sheet_names(managers: list[str]) -> dict[str, str]:
    """Manager -> a sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters, unique without
    regard to case (Excel's rule), a number added where two would clash."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for manager in managers:
        base = _SHEET_FORBIDDEN.sub(" ", manager).strip().strip("'") or "—"
        name = base[:31]
        number = 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name = base[: 31 - len(suffix)] + suffix
            number += 1
        taken.add(name.casefold())
        names[manager] = name
    return names


def build_call_list(
    dormant: pd.DataFrame, declining: pd.DataFrame, as_of: date, settings: dict, lang: str = "ru"
) -> bytes:
    """The workbook from the two lists: managers in name order ("Без менеджера" last); a manager with
    clients in either list gets a sheet. Without any client, one sheet says so."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    workbook.set_properties({"created": datetime(as_of.year, as_of.month, as_of.day)})
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "note": workbook.add_format({"italic": True, "font_color": "#555555"}),
        "section": workbook.add_format({"bold": True, "font_size": 12}),
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
        "money": workbook.add_format({"num_format": "#,##0.00", "border": 1, "border_color": "#cccccc"}),
        "day": workbook.add_format({"num_format": "dd.mm.yyyy", "border": 1, "border_color": "#cccccc"}),
        "count": workbook.add_format({"num_format": "0", "border": 1, "border_color": "#cccccc"}),
        "text": workbook.add_format({"border": 1, "border_color": "#cccccc"}),
        "blank": workbook.add_format({"border": 1, "border_color": "#cccccc"}),
    }
    missing = no_manager(lang)
    managers = sorted(set(dormant["manager"]) | set(declining["manager"]), key=lambda m: (m == missing, m))
    if not managers:
        sheet = workbook.add_worksheet(t("clients.call_list.sheet_empty", lang)[:31])
        sheet.write_string(
            0, 0, t("clients.call_list.nobody", lang, date=format_day(as_of, lang)), formats["title"]
        )
    for manager, sheet_name in sheet_names(managers).items():
        sheet = workbook.add_worksheet(sheet_name)
        _manager_sheet(
            sheet,
            formats,
            manager,
            dormant[dormant["manager"] == manager],
            declining[declining["manager"] == manager],
            as_of,
            settings,
            lang,
        )
    workbook.close()
    return buffer.getvalue()


def _manager_sheet(sheet, formats, manager, dormant, declining, as_of, settings, lang) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as long as it takes
    sheet.write_string(0, 0, t("clients.call_list.title", lang, manager=manager), formats["title"])
    sheet.write_string(
        1,
        0,
        t(
            "clients.call_list.note",
            lang,
            date=format_day(as_of, lang),
            months=settings["months"],
            lookback=settings["lookback"],
            recent=settings["recent"],
            drop=format_percent(settings["drop"], lang, decimals=0),
        ),
        formats["note"],
    )
    row = 3
    row = _section(sheet, formats, row, "dormant", _DORMANT_COLUMNS, dormant, settings, lang)
    _section(sheet, formats, row + 1, "declining", _DECLINING_COLUMNS, declining, settings, lang)
    outcome = len(_DORMANT_COLUMNS)
    for column, (_, _, width) in enumerate(_DORMANT_COLUMNS):
        sheet.set_column(column, column, width)
    sheet.set_column(outcome, outcome, 40)


def _section(sheet, formats, row, kind, columns, frame, settings, lang) -> int:
    """One list under its heading; returns the first row after it."""
    sheet.write_string(row, 0, t(f"clients.call_list.{kind}", lang, count=len(frame)), formats["section"])
    row += 1
    if frame.empty:
        sheet.write_string(row, 0, t("clients.call_list.none", lang), formats["note"])
        return row + 2
    for column, (name, _, _) in enumerate(columns):
        header = t(f"clients.col.{name}", lang, lookback=settings["lookback"], recent=settings["recent"])
        sheet.write_string(row, column, header, formats["header"])
    sheet.write_string(row, len(columns), t("clients.call_list.outcome", lang), formats["header"])
    sheet.set_row(row, 30)
    for record in frame.to_dict("records"):
        row += 1
        for column, (name, kind, _) in enumerate(columns):
            _write(sheet, row, column, record.get(name), kind, formats)
        sheet.write_blank(row, len(columns), None, formats["blank"])
    return row + 2


def _write(sheet, row: int, column: int, value, kind: str, formats: dict) -> None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        sheet.write_blank(row, column, None, formats["blank"])
    elif kind == "money":
        sheet.write_number(row, column, float(value), formats["money"])
    elif kind == "count":
        sheet.write_number(row, column, int(value), formats["count"])
    elif kind == "day":
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), formats["day"])
    else:
        sheet.write_string(row, column, str(value), formats["text"])
