"""What the ingestion steps hand each other and the caller: problems, previews, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

KINDS = ("sales", "deals", "plan")

# Fields a column can be mapped to (SPEC.md "Inputs"). Pages and the CLI offer these names.
FIELDS = (
    "date",
    "client",
    "manager",
    "department",
    "amount",
    "margin",
    "product",
    "deal_id",
    "expected_month",
    "probability",
    "stage",
    "status",
    "plan",
    "month",
    "price",
    "quantity",
    "document",
)


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with the input, located as precisely as the input allows.

    ``code`` names the reason (see ``i18n`` keys ``problem.<code>``); ``row`` is the row number a
    person sees in Excel or a text editor (1-based); ``column`` is the letter and header, e.g.
    ``C «Сумма»``.
    """

    file: str
    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    detail: str | None = None

    def message(self, lang: str = "ru") -> str:
        from sales_analytics.i18n import problem_message

        return problem_message(self, lang)

    def __str__(self) -> str:
        return self.message("en")


class InputError(Exception):
    """The input cannot be imported as it is; nothing was changed.

    ``problems`` holds every located reason (rejected rows, or a single file-level problem).
    """

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems[:20]))

    def message(self, lang: str = "ru", limit: int = 20) -> str:
        lines = [p.message(lang) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            from sales_analytics.i18n import t

            lines.append(t("problem.more", lang, count=len(self.problems) - limit))
        return "\n".join(lines)


@dataclass
class ColumnPreview:
    letter: str  # Excel column letter, e.g. "C"
    header: str  # the header text as found (two header rows joined with " / ")
    field: str | None  # the field it maps to, None when ignored


@dataclass
class SheetPreview:
    name: str
    header_row: int | None  # 1-based; None when no header was found
    header_rows: int  # 1 or 2 (a header spread over two rows)
    columns: list[ColumnPreview]
    sample: pd.DataFrame  # the first rows under the header, as text
    skipped: str | None = None  # why this sheet is not imported: "sheet_hidden" or "sheet_no_header"
    group_field: str | None = None  # the field that group headings fill, if any
    sheet_fills: str | None = None  # the field the sheet name fills, if any
    wide_months: list[tuple[str, date]] = field(default_factory=list)  # plan: month columns found


@dataclass
class Preview:
    file_name: str
    kind: str
    kind_guessed: bool
    sheets: list[SheetPreview]
    snapshot_date: date | None  # deals: from the file name, if it holds a date
    year: int | None  # plan: the year found in labels, title, sheet or file name
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class ImportResult:
    batch_id: int
    kind: str
    file_name: str
    sha256: str
    sheets: list[str]
    rows: int
    amount_total: Decimal
    margin_total: Decimal | None
    period_from: date | None
    period_to: date | None
    snapshot_date: date | None
    warnings: dict[str, int]  # code -> count, e.g. {"probability_missing": 3}
    skipped: list[RowProblem]  # rows left out (only with skip_invalid)
    replaced_rows: int  # rows of earlier batches that this one replaced
