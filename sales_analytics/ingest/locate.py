"""Steps 2 and 3, locate and map: where the header is, what each column holds, what fills the gaps.

Only the first rows of a sheet are looked at here (in Python); the data rows are handled in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import duckdb

from sales_analytics.ingest.fields import (
    REQUIRED,
    TOTAL_COLUMN,
    adjust_for_kind,
    match_field,
    normalise_header,
)
from sales_analytics.ingest.read import RawSheet

HEADER_SEARCH_ROWS = 30

# Sheet names that name nothing (1C calls its sheet TDSheet); any other sheet name can be the manager.
GENERIC_SHEET = re.compile(
    r"^(sheet|лист|list|page|страница|tdsheet|data|данные|отчет|отчёт|report|продажи|sales|прогноз|"
    r"forecast|план|plan|сделки|deals|export|выгрузка|итого|total|свод|summary)\s*\d*$",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


@dataclass
class LocatedSheet:
    """A sheet whose header was found, and what its columns mean."""

    sheet: RawSheet
    index: int
    table: str  # temp table holding the raw cells
    header_rec: int  # record index of the header's last row
    header_rows: int
    headers: list[str]  # per column, the header text ("" when none)
    fields: dict[int, str]  # column index -> field
    wide_months: dict[int, date] = field(default_factory=dict)  # plan: column index -> month
    sheet_manager: str | None = None  # the sheet's name, when it names the manager

    def column_ref(self, column: int) -> str:
        header = self.headers[column]
        return f"{self.sheet.letters[column]} «{header}»" if header else self.sheet.letters[column]

    def column_of(self, name: str) -> int | None:
        return next((c for c, f in self.fields.items() if f == name), None)

    @property
    def missing_group_fields(self) -> list[str]:
        return [f for f in ("manager", "department") if f not in self.fields.values()]


def first_rows(
    con: duckdb.DuckDBPyConnection, sheet: RawSheet, table: str, limit: int = HEADER_SEARCH_ROWS + 2
):
    """The first ``limit`` records of a loaded sheet, cells as stripped text or ''."""
    sql = "SELECT * FROM {t} WHERE rowid < $n ORDER BY rowid"
    rows = con.execute(sql.format(t=table), {"n": limit}).fetchall()
    return [[(cell or "").strip() for cell in row] for row in rows]


_MONTH_LABELS: dict[tuple[str, int | None], date | None] = {}


def parse_months(con: duckdb.DuckDBPyConnection, labels: list[str], year: int | None) -> list[date | None]:
    """Month labels through the same parser as the data (``sa_month``); totals are not months.

    Header labels repeat across sheets and files, so each (label, year) is parsed once per process.
    """
    values = [None if not label or TOTAL_COLUMN.match(label) else label for label in labels]
    unknown = sorted({v for v in values if v is not None and (v, year) not in _MONTH_LABELS})
    if unknown:
        rows = con.execute(
            "SELECT s, sa_month(s, $year) FROM (SELECT unnest($labels) AS s)",
            {"labels": unknown, "year": year},
        ).fetchall()
        if len(_MONTH_LABELS) > 100_000:
            _MONTH_LABELS.clear()
        _MONTH_LABELS.update({(label, year): month for label, month in rows})
    return [None if v is None else _MONTH_LABELS[(v, year)] for v in values]


def _parse_rows(con, rows: list[list[str]], year: int | None) -> list[list[date | None]]:
    flat = parse_months(con, [cell for row in rows for cell in row], year)
    out, start = [], 0
    for row in rows:
        out.append(flat[start : start + len(row)])
        start += len(row)
    return out


def _score(headers: list[str], months: list[date | None]) -> tuple[int, dict[int, str], int]:
    found: dict[int, str] = {}
    sure: dict[str, int] = {}
    for column, text in enumerate(headers):
        name, certainty = match_field(text)
        if name and certainty > sure.get(name, 0):
            # the first column with the best match wins; later duplicates stay unmapped
            if name in sure:
                found = {c: f for c, f in found.items() if f != name}
            found[column] = name
            sure[name] = certainty
    month_count = sum(1 for m in months if m is not None)
    score = len(found) * 2 + sum(sure.values()) + (3 if month_count >= 3 else 0)
    return score, found, month_count


def find_year(texts: list[str]) -> int | None:
    for text in texts:
        match = YEAR.search(text or "")
        if match:
            return int(match.group(1))
    return None


def locate_sheet(
    con: duckdb.DuckDBPyConnection,
    sheet: RawSheet,
    index: int,
    table: str,
    year: int | None,
    file_name: str,
) -> LocatedSheet | None:
    """Find the header in the first 30 rows and map its columns; None when there is no header.

    A header row is the row that names the most known fields (at least two, or one plus three
    month columns for a wide plan). A header spread over two rows is read as the two joined.
    """
    rows = first_rows(con, sheet, table)
    best = None
    for rec in range(min(len(rows), HEADER_SEARCH_ROWS)):
        for height in (1, 2):
            if rec + height > len(rows):
                continue
            if height == 1:
                headers = rows[rec]
            else:
                upper, lower = rows[rec], rows[rec + 1]
                # two header rows both hold labels; a blank row above the header is not half of it
                if not any(upper) or not any(lower):
                    continue
                headers = [" ".join(x for x in (u, lo) if x) for u, lo in zip(upper, lower, strict=True)]
                # a second header row holds labels, not data: no cell of it may be a number
                if any(re.fullmatch(r"[-\d\s.,()%₽]+", cell or "x") for cell in lower if cell):
                    continue
            score, found, _ = _score(headers, [None] * len(headers))
            if len(found) >= 2 and (best is None or score > best[0] + (1 if height == 2 else 0)):
                best = (score, rec + height - 1, height, headers)
    # wide plans: a row with at least three month labels (parsed in one query for all rows)
    title_year = find_year([" ".join(r) for r in rows[:HEADER_SEARCH_ROWS]] + [sheet.name or "", file_name])
    head = rows[:HEADER_SEARCH_ROWS]
    named_months = _parse_rows(con, head, 2000)  # month names alone still count as months here
    for rec, row in enumerate(head):
        score, found, month_count = _score(row, named_months[rec])
        if month_count >= 3 and (best is None or score > best[0]):
            best = (score, rec, 1, row)
    if best is None:
        return None
    _, header_rec, header_rows, headers = best
    headers = list(headers)
    fields: dict[int, str] = {}
    for column, text in enumerate(headers):
        name, certainty = match_field(text)
        if name and name not in fields.values():
            fields[column] = name
    located = LocatedSheet(
        sheet=sheet,
        index=index,
        table=table,
        header_rec=header_rec,
        header_rows=header_rows,
        headers=headers,
        fields=fields,
    )
    months = parse_months(con, headers, None)
    month_names = parse_months(con, headers, 2000)
    wide = [c for c, m in enumerate(month_names) if m is not None and c not in fields]
    if len(wide) >= 3:
        labels_year = next((m.year for m in months if m is not None), None)
        resolved = labels_year or year or title_year
        for column in wide:
            own = months[column]
            located.wide_months[column] = (
                own if own is not None else (month_names[column].replace(year=resolved) if resolved else None)
            )
    return located


def settle(located: LocatedSheet, kind: str, mapping: dict[str, str | None] | None) -> None:
    """Fix the meaning of the columns once the kind is known: kind-specific words, a person's fixes,
    and the sheet's name as the manager when no column holds one."""
    located.fields = adjust_for_kind(located.fields, kind)
    apply_mapping(located, mapping)
    name = (located.sheet.name or "").strip()
    if name and not GENERIC_SHEET.match(name) and "manager" not in located.fields.values():
        located.sheet_manager = name


def apply_mapping(located: LocatedSheet, mapping: dict[str, str | None] | None) -> None:
    """A person's fixes: header text (or column letter) -> field, or None to ignore the column."""
    if not mapping:
        return
    wanted = {normalise_header(k): v for k, v in mapping.items()}
    letters = {k.upper(): v for k, v in mapping.items()}
    for column, header in enumerate(located.headers):
        letter = located.sheet.letters[column]
        key = normalise_header(header)
        if header and key in wanted:
            target = wanted[key]
        elif letter in letters:
            target = letters[letter]
        else:
            continue
        if target:
            # a field is held by one column: a fix moves it
            located.fields = {c: f for c, f in located.fields.items() if f != target}
            located.fields[column] = target
            located.wide_months.pop(column, None)
        else:
            located.fields.pop(column, None)
            located.wide_months.pop(column, None)


def guess_kind(sheets: list[LocatedSheet], file_name: str) -> str:
    """Deals when the columns speak of probability, stage, status or an expected month; a plan when
    they hold a plan or months as columns; else sales. The file name decides a tie."""
    present = {f for s in sheets for f in s.fields.values()}
    wide = any(len(s.wide_months) >= 3 for s in sheets)
    name = file_name.lower()
    if wide or "plan" in present:
        return "plan"
    if present & {"probability", "stage", "status", "expected_month", "deal_id"}:
        return "deals"
    if re.search(r"прогноз|forecast|сделк|deal|pipeline|воронк", name):
        return "deals"
    if re.search(r"план|plan|target", name) and "date" not in present:
        return "plan"
    return "sales"


def missing_required(located: LocatedSheet, kind: str) -> list[str]:
    present = set(located.fields.values())
    missing = [f for f in REQUIRED[kind] if f not in present]
    if kind == "sales" and "amount" in missing and {"price", "quantity"} <= present:
        missing.remove("amount")
    if kind == "plan":
        missing = [] if (located.wide_months or "plan" in present) else ["plan"]
        if "plan" in present and "month" not in present and not located.wide_months:
            missing.append("month")
        if not present & {"department", "manager"} and not located.wide_months:
            missing.append("department")
    return missing
