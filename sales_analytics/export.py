"""Report frames out: CSV and JSON as the CLI contract says, and xlsx.

CSV: ``,`` between fields, a header row, ISO dates, months as ``YYYY-MM``, plain numbers with ``.``
and two decimals, empty for none. In xlsx every text cell is written as text, never as a formula,
so a client named ``=HYPERLINK(…)`` stays a name.
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
