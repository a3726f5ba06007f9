"""Report frames out: CSV and JSON as the CLI contract says, and xlsx.

CSV: ``,`` between fields, a header row, ISO dates, months as ``YYYY-MM``, plain numbers with ``.``
and two decimals, empty for none. In xlsx every text cell is written as text, never as a formula,
so a client named ``=HYPERLINK(…)`` stays a name.

``table_workbook`` is the pages' download: the page name, the filters and the data's dates above the
table, money as ``1 234 567 ₽`` with the kopecks kept in the value, fractions as percentages, days
and months as real dates shown in the reader's language, and the header row frozen.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import xlsxwriter

MONTH_COLUMNS = {"month", "month_from", "month_to"}


def _plain(value, column: str):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, Decimal):
        # two decimals at least (money); a probability or a share keeps its own precision
        places = max(2, -value.normalize().as_tuple().exponent)
        return f"{value.quantize(Decimal(1).scaleb(-places))}"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.strftime("%Y-%m") if column in MONTH_COLUMNS else value.isoformat()
    return value


def plain_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain values: money as ``"1234.50"``, days ISO, months ``YYYY-MM``."""
    return [
        {c: _plain(v, c) for c, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False)
    ]


def to_csv(frame: pd.DataFrame) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for record in plain_records(frame):
        writer.writerow(["" if v is None else v for v in record.values()])
    return buffer.getvalue()


def to_json(frame: pd.DataFrame) -> str:
    return json.dumps(plain_records(frame), ensure_ascii=False, indent=1)


def to_xlsx(frame: pd.DataFrame, sheet_name: str = "report", title: str | None = None) -> bytes:
    """A formatted workbook: money with thousands and kopecks, frozen header, text never a formula."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bottom": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    day = workbook.add_format({"num_format": "dd.mm.yyyy"})
    first = 0
    if title:
        sheet.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 13}))
        first = 2
    for c, name in enumerate(frame.columns):
        sheet.write_string(first, c, str(name), bold)
        sheet.set_column(c, c, max(12, min(40, len(str(name)) + 4)))
    for r, row in enumerate(frame.itertuples(index=False), start=first + 1):
        for c, value in enumerate(row):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            if isinstance(value, Decimal | float):
                sheet.write_number(r, c, float(value), money)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif isinstance(value, datetime | date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            else:
                sheet.write_string(r, c, str(value))
    sheet.freeze_panes(first + 1, 0)
    workbook.close()
    return buffer.getvalue()


# Excel's own locale codes, so that month names and separators follow the reader, not the machine
_EXCEL_LOCALE = {"ru": "[$-419]", "en": "[$-809]"}
MONEY_FORMAT = '#,##0 "₽"'
PERCENT_FORMAT = "0.0%"


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def table_workbook(
    frame: pd.DataFrame,
    title: str,
    filters: list[tuple[str, str]] | None = None,
    lang: str = "ru",
    *,
    money_columns: tuple | list = (),
    percent_columns: tuple | list = (),
    day_columns: tuple | list = (),
    month_columns: tuple | list = (),
    notes: list[str] | None = None,
    total_label: str | None = None,
    sheet_name: str = "report",
) -> bytes:
    """One table as a workbook a person can print or forward.

    Above the table: ``title`` (the page and the table), one line of ``filters`` (label, value) as the
    page showed them, and ``notes`` (the data's dates). ``frame``'s column names are the headers, in
    the reader's language already. Money stays the exact amount, kopecks included, and is shown whole
    with thousands (``1 234 567 ₽``); percent columns hold fractions (0.125 shows ``12.5%``, in the
    reader's separators); days and months are dates, shown ``16.11.2026`` / ``ноябрь 2026``. Text is
    always text: a client called ``=HYPERLINK(…)`` or ``+7…`` is not a formula. The header row is
    frozen and filterable; the row whose first cell is ``total_label`` is bold.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet(_sheet_name(sheet_name))
    locale = _EXCEL_LOCALE.get(lang, "")
    number_formats = {
        "money": MONEY_FORMAT,
        "percent": PERCENT_FORMAT,
        "day": f"{locale}dd.mm.yyyy" if lang == "ru" else f"{locale}d mmm yyyy",
        "month": f"{locale}mmmm yyyy",
        "int": "#,##0",
        "number": "#,##0.00",
        "text": None,
    }
    cache: dict[tuple[str, bool], object] = {}

    def style(kind: str, strong: bool):
        if (kind, strong) not in cache:
            props = {"bold": True} if strong else {}
            if number_formats[kind]:
                props["num_format"] = number_formats[kind]
            cache[kind, strong] = workbook.add_format(props) if props else None
        return cache[kind, strong]

    row = 0
    sheet.write_string(row, 0, title, workbook.add_format({"bold": True, "font_size": 13}))
    note = workbook.add_format({"italic": True, "font_color": "#555555"})
    lines = ["; ".join(f"{label}: {value}" for label, value in filters)] if filters else []
    for line in [*lines, *(notes or [])]:
        row += 1
        sheet.write_string(row, 0, line, note)
    header = row + 2  # a blank line between the notes and the table

    declared = {
        **dict.fromkeys(month_columns, "month"),
        **dict.fromkeys(day_columns, "day"),
        **dict.fromkeys(percent_columns, "percent"),
        **dict.fromkeys(money_columns, "money"),
    }
    heading = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    widths = []
    for c, name in enumerate(frame.columns):
        sheet.write_string(header, c, str(name), heading)
        widths.append(min(30, max(10, len(str(name)) // 2 + 4, 14 if declared.get(name) else 0)))
    for r, values in enumerate(frame.itertuples(index=False), start=header + 1):
        strong = total_label is not None and len(values) > 0 and values[0] == total_label
        for c, (name, value) in enumerate(zip(frame.columns, values, strict=True)):
            if _blank(value):
                continue
            kind = declared.get(name)
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value, style("text", strong))
            elif isinstance(value, Decimal | float | int):
                kind = kind if kind in ("money", "percent") else "int" if isinstance(value, int) else "number"
                sheet.write_number(r, c, float(value), style(kind, strong))
            elif isinstance(value, datetime | date):
                kind = kind if kind in ("day", "month") else "day"
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), style(kind, strong))
            else:
                text = str(value)
                sheet.write_string(r, c, text, style("text", strong))
                widths[c] = min(40, max(widths[c], len(text) + 2))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(header + 1, 0)
    if len(frame.columns):
        sheet.autofilter(header, 0, header + max(len(frame), 1), len(frame.columns) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header)
    workbook.close()
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    # Excel forbids these in sheet names and allows 31 characters
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name[:31] or "report"
