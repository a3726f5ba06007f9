"""The import, end to end: read → locate → map → normalise → validate → store (one transaction)."""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from sales_analytics.ingest import guards
from sales_analytics.ingest import locate as loc
from sales_analytics.ingest.model import (
    FIELDS,
    ColumnPreview,
    ImportResult,
    InputError,
    Preview,
    RowProblem,
    SheetPreview,
)
from sales_analytics.ingest.read import RawSheet, read_file
from sales_analytics.ingest.store import archive, existing_batch, sha256, store_batch

_SQL = Path(__file__).resolve().parent / "sql"
_MIDNIGHT = re.compile(r"(?<=^\d{4}-\d{2}-\d{2}) 00:00:00$")
Progress = Callable[[float, str], None]

# Row-level text fields that only need the raw cell; all fields get a <name>_raw column.
_KEY_FIGURE = {
    "sales": ("amount", "date", "price"),
    "deals": ("amount",),
    "plan": ("plan",),
}


# A row that may be something other than plain data starts with white space (trim removes the space
# separators, Unicode Zs) or with a first letter of the subtotal words (Итого, Всего, Total, Subtotal,
# Grand total) in either case; see sa_is_subtotal. (ord reads the first code point without the
# character splitting that left() does: a third of the cost of this test over every row.)
_SUSPECT_CODES = (32, 160, 5760, *range(8192, 8203), 8239, 8287, 12288, *map(ord, "ИиВвTtSsGg"))
_SUSPECT_FIRST = "ord({c}) IN (" + ", ".join(map(str, _SUSPECT_CODES)) + ")"

_STAGE_SQL = {"sales": "stage_sales", "deals": "stage_deals", "plan": "stage_plan"}
_PROBLEMS_SQL = {"sales": "problems_sales", "deals": "problems_deals", "plan": "problems_plan"}


def _sql(name: str) -> str:
    return (_SQL / f"{name}.sql").read_text(encoding="utf-8")


def install_parsers(con: duckdb.DuckDBPyConnection) -> None:
    """The cell parsers (``sa_money``, ``sa_date``, ``sa_month`` …) as temp macros on ``con``."""
    con.execute(_sql("parse_macros"))


def client_key(name: str) -> str:
    """A client's key (SPEC.md "Client identity"), from the same SQL the import uses."""
    con = duckdb.connect()
    install_parsers(con)
    return con.execute("SELECT sa_client_key($s)", {"s": name}).fetchone()[0]


_DATE_IN_NAME = (
    (re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)"), (3, 2, 1)),
)


def snapshot_date_from_name(file_name: str) -> date | None:
    """``forecast_2026-11-16.xlsx`` or ``Прогноз 16.11.2026.xlsx`` -> 2026-11-16."""
    for pattern, (y, m, d) in _DATE_IN_NAME:
        match = pattern.search(Path(file_name).name)
        if match:
            try:
                return date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                continue
    return None


class _Workspace:
    """The sheets of one file, loaded, located and mapped in a private in-memory DuckDB.

    Staging never touches the company database: only the typed, checked rows reach it, inside the
    caller's transaction. (It also keeps ``rowid`` equal to the file order, which it is not for
    rows written inside an open transaction.)

    With ``host`` (the company connection) the private database is an in-memory database attached
    to the host's DuckDB under a name of its own (``self.attached``), worked on through a cursor of
    its own, outside the caller's transaction: the raw cells stay in that cursor's temp tables, and
    only ``sa_staged`` lives in the attached database (schema ``sa_stage``), so that the store step
    copies it into the company tables in one ``INSERT … SELECT`` inside the engine (in parallel, no
    Arrow hop).
    Without ``host`` (the preview) it is a DuckDB of its own, bounded in memory.
    """

    def __init__(
        self,
        data: bytes,
        file_name: str,
        kind: str | None,
        mapping,
        year: int | None,
        host: duckdb.DuckDBPyConnection | None = None,
    ):
        self.tmp = Path(tempfile.mkdtemp(prefix="sa_import_"))
        self.attached: str | None = None
        self.host = host
        if host is None:
            # a bounded scratch database: a big file spills to disk rather than past the memory goal
            self.con = duckdb.connect(
                config={"memory_limit": "600MB", "temp_directory": str(self.tmp / "spill")}
            )
        else:
            self.con = host.cursor()
        self.file_name = file_name
        self.tables: list[str] = []
        self.skipped_sheets: dict[str, str] = {}
        self.located: list[loc.LocatedSheet] = []
        self.raw: list[RawSheet] = []
        try:
            if host is not None:
                # our own identifier (hex digits): imports running side by side never meet
                name = f"sa_work_{uuid.uuid4().hex}"
                self.con.execute(f"ATTACH ':memory:' AS {name}")
                self.attached = name
                # a schema of its own: what lists the company's tables (schema main) never sees it
                self.con.execute(f"CREATE SCHEMA {name}.sa_stage")
                self.con.execute(f"USE {name}.sa_stage")
            self._prepare(data, kind, mapping, year)
        except BaseException:
            self.close()
            raise

    def _prepare(self, data, kind, mapping, year):
        if kind is not None and kind not in ("sales", "deals", "plan"):
            raise InputError([RowProblem(file=self.file_name, code="bad_mapping", detail=f"kind {kind!r}")])
        if mapping:
            bad = [v for v in mapping.values() if v is not None and v not in FIELDS]
            if bad:
                raise InputError([RowProblem(file=self.file_name, code="bad_mapping", detail=", ".join(bad))])
        self.raw = read_file(data, self.file_name, self.tmp)
        install_parsers(self.con)
        for index, sheet in enumerate(self.raw):
            table = f"sa_raw_{index}"
            try:
                sheet.load(self.con, table)
            except InputError as error:
                raise InputError(
                    [
                        RowProblem(
                            file=self.file_name, sheet=sheet.name, code=p.code, row=p.row, detail=p.detail
                        )
                        for p in error.problems
                    ]
                ) from error
            guards.check_cells(self.con, table, sheet, self.file_name)
            self.tables.append(table)
            label = sheet.name or self.file_name
            if sheet.hidden:
                self.skipped_sheets[label] = "sheet_hidden"
                continue
            located = loc.locate_sheet(self.con, sheet, index, table, year, self.file_name)
            if located is None:
                self.skipped_sheets[label] = "sheet_no_header"
                continue
            self.located.append(located)
        self.kind_guessed = kind is None
        self.kind = kind or loc.guess_kind(self.located, self.file_name)
        for located in self.located:
            loc.settle(located, self.kind, mapping)

    def close(self):
        self.con.close()
        if self.attached is not None:
            # the caller's transaction may have read it; detaching is still allowed then
            detach = self.host.cursor()
            try:
                detach.execute(f"DETACH DATABASE IF EXISTS {self.attached}")
            finally:
                detach.close()
            self.attached = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- checks ------------------------------------------------------------------------------------

    def structural_problems(self) -> list[RowProblem]:
        """File-level problems: no sheet with a header, a required column missing, a year unknown."""
        if not self.located:
            looked_for = "Дата/Date, Клиент/Client, Сумма/Amount, План/Plan …"
            if self.skipped_sheets and all(v == "sheet_hidden" for v in self.skipped_sheets.values()):
                return [RowProblem(file=self.file_name, code="no_sheets")]
            return [RowProblem(file=self.file_name, code="no_header", detail=looked_for)]
        problems = []
        for located in self.located:
            for name in loc.missing_required(located, self.kind):
                problems.append(
                    RowProblem(
                        file=self.file_name,
                        sheet=located.sheet.name,
                        code="missing_column",
                        row=located.sheet.row_number(located.header_rec),
                        detail=name,
                    )
                )
            if self.kind == "plan" and any(m is None for m in located.wide_months.values()):
                problems.append(
                    RowProblem(
                        file=self.file_name,
                        sheet=located.sheet.name,
                        code="no_year",
                        row=located.sheet.row_number(located.header_rec),
                    )
                )
        return problems

    # -- normalise ---------------------------------------------------------------------------------

    def build_mapped(self) -> None:
        """``sa_mapped`` (a view): every row under each header, the mapped cells under field names;
        ``sa_candidates``: the few rows that may not be plain data (blank, short, or starting like a
        subtotal), classified one by one; ``sa_headings`` (a narrow table): what each row is and the
        headings that rule it; ``sa_classified`` (a view): the data rows with their headings.

        Only a file with a group heading needs the windows over every row (classify_rows.sql); any
        other file takes classify_fast.sql, which gives the same rows without them."""
        slots = max((len(s.wide_months) for s in self.located), default=0) if self.kind == "plan" else 0
        selects, sheets = [], []
        for located in self.located:
            i = located.index
            width = located.sheet.width
            by_field = {f: c for c, f in located.fields.items()}
            cells = [f"c{c}" for c in range(width)]
            # the readers give NULL for an empty cell; a cell of spaces only is rare enough to trim lazily
            nonempty = " + ".join(
                f"(CASE WHEN {c} IS NULL OR {c} = '' THEN 0 WHEN ascii({c}) > 32 THEN 1 "
                f"WHEN trim({c}) = '' THEN 0 ELSE 1 END)"
                for c in cells
            )
            first_text = (
                "trim(coalesce("
                + ", ".join(
                    f"CASE WHEN {c} IS NULL OR {c} = '' OR (ascii({c}) <= 32 AND trim({c}) = '') THEN NULL ELSE {c} END"
                    for c in cells
                )
                + ", NULL))"
            )
            # a cell is surely non-empty when its first character is not white space (see nonempty);
            # (a NULL cell fails the test: the CASE costs less than a cast of IS NOT NULL AND …)
            sure = " + ".join(f"(CASE WHEN ascii({c}) > 32 THEN 1 ELSE 0 END)" for c in cells)
            first_cell = "coalesce(" + ", ".join(cells) + ", NULL)"
            candidate = f"({sure or '0'}) <= 2 OR ascii({first_cell}) <= 32 OR " + _SUSPECT_FIRST.format(
                c=first_cell
            )
            key_cells = [f"c{by_field[f]}" for f in _KEY_FIGURE[self.kind] if f in by_field]
            key_cells += [f"c{c}" for c in located.wide_months]
            # a row holds figures when a key cell has a digit; parsing (and its errors) comes later
            key_ok = " OR ".join(f"regexp_matches({c}, '[0-9]')" for c in key_cells) or "false"
            columns = [
                f"{i} AS sheet_index",
                "rowid AS rec",
                located.sheet.row_number_sql("rowid") + " AS row_no",
                f"{nonempty or '0'} AS nonempty",
                f"{first_text} AS first_text",
                f"coalesce({key_ok}, false) AS key_ok",
                f"coalesce({candidate}, true) AS is_candidate",
                f"{'manager' not in by_field} AS manager_missing",
                f"{'department' not in by_field} AS department_missing",
                f"{self.kind == 'plan'} AS is_plan",
            ]
            columns += [
                f"c{by_field[f]} AS {f}_raw" if f in by_field else f"NULL::VARCHAR AS {f}_raw" for f in FIELDS
            ]
            month_columns = list(located.wide_months)
            columns += [
                f"c{month_columns[k]} AS m_{k}" if k < len(month_columns) else f"NULL::VARCHAR AS m_{k}"
                for k in range(slots)
            ]
            # Identifiers and literals here are our own (cN, field names, numbers); sheet names and
            # cell text never enter the SQL text (sheet names go through the sa_sheets table).
            selects.append(
                "SELECT " + ", ".join(columns) + f" FROM {located.table} WHERE rowid > {located.header_rec}"
            )
            sheets.append(
                {"sheet_index": i, "sheet": located.sheet.name, "sheet_manager": located.sheet_manager}
            )
        frame = pd.DataFrame(sheets, columns=["sheet_index", "sheet", "sheet_manager"]).astype(
            {"sheet_index": "int64", "sheet": "object", "sheet_manager": "object"}
        )
        self.con.register("sa_sheets_frame", frame)
        self.con.execute("CREATE OR REPLACE TEMP TABLE sa_sheets AS SELECT * FROM sa_sheets_frame")
        self.con.unregister("sa_sheets_frame")
        self.con.execute("CREATE OR REPLACE TEMP VIEW sa_mapped AS " + " UNION ALL BY NAME ".join(selects))
        self.con.execute(_sql("classify_candidates"))
        has_labels = self.con.execute(
            "SELECT coalesce(bool_or(is_label), false) FROM sa_candidates"
        ).fetchall()[0][0]
        # group headings need the windows over every row; without one, the candidates say it all
        self.con.execute(_sql("classify_rows" if has_labels else "classify_fast"))
        if self.kind == "plan":
            self._build_plan_cells(slots)

    def _build_plan_cells(self, slots: int) -> None:
        months = []
        for located in self.located:
            for k, (column, month) in enumerate(located.wide_months.items()):
                months.append(
                    {"sheet_index": located.index, "slot": f"m_{k}", "month": month, "plan_column": column}
                )
        long_rows = (
            "SELECT *, NULL::DATE AS month_fixed, plan_raw AS plan_cell, NULL::INTEGER AS plan_column "
            "FROM sa_classified WHERE is_data"
        )
        if not months:
            sql = "CREATE OR REPLACE TEMP TABLE sa_plan_cells AS SELECT * REPLACE (plan_cell AS plan_raw) FROM ({q})"
            self.con.execute(sql.format(q=long_rows))
            return
        frame = pd.DataFrame(months)
        self.con.register("sa_wide_months", frame)
        slot_list = ", ".join(f"m_{k}" for k in range(slots))
        sql = (
            "CREATE OR REPLACE TEMP TABLE sa_plan_cells AS "
            "SELECT u.* EXCLUDE (slot, cell, plan_raw), w.month AS month_fixed, u.cell AS plan_raw, "
            "w.plan_column FROM (UNPIVOT (SELECT * FROM sa_classified WHERE is_data) ON {slots} "
            "INTO NAME slot VALUE cell) AS u JOIN sa_wide_months AS w USING (sheet_index, slot)"
        )
        self.con.execute(sql.format(slots=slot_list))
        self.con.unregister("sa_wide_months")

    def stage(self, year: int | None) -> None:
        self.build_mapped()
        stage_sql = _sql(_STAGE_SQL[self.kind])
        self.con.execute(stage_sql, {"year": year} if self.kind == "plan" else {})

    def row_problems(self) -> list[RowProblem]:
        if self.kind == "sales":
            # the staging marks the rows worth a second look; most files have none
            suspects = self.con.execute("SELECT count(*) FILTER (WHERE suspect) FROM sa_staged").fetchall()[
                0
            ][0]
            if not suspects:
                return []
        rows = self.con.execute(_sql(_PROBLEMS_SQL[self.kind])).fetchall()
        by_index = {s.index: s for s in self.located}
        problems = []
        for row in rows:
            sheet_index, row_no, field, value, code = row[:5]
            located = by_index[sheet_index]
            column = None
            plan_column = row[5] if len(row) > 5 else None
            if plan_column is not None:
                column = located.column_ref(int(plan_column))
            elif located.column_of(field) is not None:
                column = located.column_ref(located.column_of(field))
            problems.append(
                RowProblem(
                    file=self.file_name,
                    sheet=located.sheet.name,
                    row=int(row_no),
                    column=column,
                    value=value,
                    code=code,
                    detail=_field_label(field),
                )
            )
        return problems

    def drop_rows(self, problems: list[RowProblem]) -> None:
        names = {s.sheet.name: s.index for s in self.located}
        keys = pd.DataFrame(
            {"sheet_index": [names[p.sheet] for p in problems], "row_no": [p.row for p in problems]}
        )
        self.con.register("sa_bad_rows", keys)
        self.con.execute(
            "DELETE FROM sa_staged WHERE (sheet_index, row_no) IN (SELECT (sheet_index, row_no) FROM sa_bad_rows)"
        )
        self.con.unregister("sa_bad_rows")

    def warnings(self) -> dict[str, int]:
        counts = dict(
            self.con.execute(
                """
            SELECT 'subtotal_rows', count(*) FILTER (WHERE is_subtotal) FROM sa_headings
            UNION ALL SELECT 'group_rows', count(*) FILTER (WHERE is_label) FROM sa_headings
            UNION ALL SELECT 'note_rows', count(*) FILTER (WHERE NOT is_data AND NOT is_label AND NOT is_subtotal)
                FROM sa_headings
            """
            ).fetchall()
        )
        if self.kind == "sales":
            counts.update(
                dict(
                    self.con.execute(
                        "SELECT 'returns', count(*) FILTER (WHERE amount < 0) FROM sa_staged "
                        "UNION ALL SELECT 'amount_from_price', count(*) FILTER (WHERE amount_from_price) FROM sa_staged"
                    ).fetchall()
                )
            )
        if self.kind == "deals":
            counts.update(
                dict(
                    self.con.execute(
                        "SELECT 'probability_missing', count(*) FILTER (WHERE probability_missing) FROM sa_staged "
                        "UNION ALL SELECT 'month_missing', count(*) FILTER (WHERE month_missing) FROM sa_staged "
                        "UNION ALL SELECT 'status_unknown', count(*) FILTER (WHERE status_unknown) FROM sa_staged"
                    ).fetchall()
                )
            )
        for reason in self.skipped_sheets.values():
            counts[reason] = counts.get(reason, 0) + 1
        return {k: int(v) for k, v in counts.items() if v}

    def release_raw(self) -> None:
        """Drop the raw cells once the rows are staged and checked: their memory goes to the store step."""
        self.con.execute("DROP VIEW IF EXISTS sa_classified")
        self.con.execute("DROP VIEW IF EXISTS sa_mapped")
        for table in self.tables:
            self.con.execute(f"DROP TABLE IF EXISTS {table}")  # our own identifiers (sa_raw_N)

    def data_rows(self) -> int:
        return self.con.execute("SELECT count(*) FROM sa_staged").fetchall()[0][0]


def _field_label(field: str) -> str:
    from sales_analytics.i18n import t

    return t(f"field.{field}", "ru") + " / " + t(f"field.{field}", "en")


def preview_file(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    *,
    mapping: dict[str, str | None] | None = None,
    year: int | None = None,
    sample_rows: int = 8,
) -> Preview:
    """What the importer sees in the file, with nothing stored: kind, header, mapping, first rows.

    File-level problems (unreadable, no header, a required column missing) come back in
    ``problems``; they would refuse the import.
    """
    try:
        work = _Workspace(data, file_name, kind, mapping, year)
    except InputError as error:
        return Preview(
            file_name=file_name,
            kind=kind or "sales",
            kind_guessed=kind is None,
            sheets=[],
            snapshot_date=snapshot_date_from_name(file_name),
            year=year,
            problems=error.problems,
        )
    try:
        sheets = []
        for located in work.located:
            sheets.append(_sheet_preview(work.con, located, sample_rows))
        for name, reason in work.skipped_sheets.items():
            sheets.append(
                SheetPreview(
                    name=name,
                    header_row=None,
                    header_rows=0,
                    columns=[],
                    sample=pd.DataFrame(),
                    skipped=reason,
                )
            )
        years = [m.year for s in work.located for m in s.wide_months.values() if m is not None]
        return Preview(
            file_name=file_name,
            kind=work.kind,
            kind_guessed=work.kind_guessed,
            sheets=sheets,
            snapshot_date=snapshot_date_from_name(file_name),
            year=min(years) if years else year,
            problems=work.structural_problems(),
        )
    finally:
        work.close()


def _sheet_preview(con, located: loc.LocatedSheet, sample_rows: int) -> SheetPreview:
    columns = [
        ColumnPreview(
            letter=located.sheet.letters[c],
            header=located.headers[c],
            field=located.fields.get(c) or ("month" if c in located.wide_months else None),
        )
        for c in range(located.sheet.width)
    ]
    sql = "SELECT * FROM {t} WHERE rowid > $h ORDER BY rowid LIMIT $n"
    rows = con.execute(sql.format(t=located.table), {"h": located.header_rec, "n": sample_rows}).fetchall()
    # an Excel date arrives as "2026-11-02 00:00:00"; a person wrote a day
    rows = [[_MIDNIGHT.sub("", cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
    names = []
    for column in columns:
        name = column.header or column.letter
        names.append(name if name not in names else f"{name} ({column.letter})")
    missing = located.missing_group_fields
    return SheetPreview(
        name=located.sheet.name or located.sheet.letters[0],
        header_row=located.sheet.row_number(located.header_rec),
        header_rows=located.header_rows,
        columns=columns,
        sample=pd.DataFrame(rows, columns=names, dtype="object"),
        group_field=missing[0] if missing else None,
        sheet_fills="manager" if located.sheet_manager else None,
        wide_months=[(located.headers[c], m) for c, m in located.wide_months.items()],
    )


def guess_kind(data: bytes, file_name: str) -> str:
    """sales, deals or plan, from the file's headers and name."""
    return preview_file(data, file_name).kind


def import_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    kind: str | None = None,
    *,
    as_of: date | None = None,
    year: int | None = None,
    skip_invalid: bool = False,
    mapping: dict[str, str | None] | None = None,
    archive_dir: Path | None = None,
    is_demo: bool = False,
    uploaded_by: str | None = None,
    progress: Progress | None = None,
    own_transaction: bool = True,
    refresh: bool = True,
) -> ImportResult:
    """Import one file as one batch: every row or none.

    Rejected rows refuse the whole file (``InputError`` listing each with file, sheet, row, column,
    value and reason) unless ``skip_invalid``, which imports the valid rows and lists the others.
    Subtotal rows are never data; group headings fill the manager (or department) the file lacks.
    Deals belong to the snapshot ``as_of``, else the date in the file name, else today. The same
    file (by SHA-256) is never imported twice. With ``own_transaction=False`` the caller holds the
    transaction (the CLI imports several files all or nothing); with ``refresh=False`` as well, the caller
    also calls :func:`~sales_analytics.ingest.store.refresh_derived` once after its last file (the
    derived tables are rebuilt from every current row, so once per command is enough).
    """
    report = progress or (lambda fraction, stage: None)
    digest = sha256(data)
    duplicate = existing_batch(con, digest)
    if duplicate is not None:
        raise InputError([RowProblem(file=file_name, code="duplicate_file", detail=str(duplicate))])
    report(0.05, "read")
    work = _Workspace(data, file_name, kind, mapping, year, host=con)
    try:
        problems = work.structural_problems()
        if problems:
            raise InputError(problems)
        report(0.3, "normalise")
        work.stage(year)
        report(0.6, "validate")
        problems = work.row_problems()
        if problems and not skip_invalid:
            raise InputError(problems)
        if problems:
            work.drop_rows(problems)
        if work.data_rows() == 0:
            raise InputError(problems or [RowProblem(file=file_name, code="no_data")])
        warnings = work.warnings()
        snapshot = None
        if work.kind == "deals":
            snapshot = as_of or snapshot_date_from_name(file_name) or date.today()
        report(0.75, "store")
        work.release_raw()
        sheets = [s.sheet.name or file_name for s in work.located]
        mapping_used = {
            (s.sheet.name or ""): {s.sheet.letters[c]: f for c, f in sorted(s.fields.items())}
            for s in work.located
        }
        source_sheets: list[str | None] = [None] * len(work.raw)
        for located in work.located:
            source_sheets[located.index] = located.sheet.name
        if own_transaction:
            con.begin()
        try:
            archive_path = archive(data, digest, file_name, archive_dir)
            # only the typed columns travel to the company database; the raw text stays behind
            batch_id, totals = store_batch(
                con,
                work.con,
                staged_in=f"{work.attached}.sa_stage" if work.attached else None,
                kind=work.kind,
                file_name=file_name,
                digest=digest,
                archive_path=archive_path,
                sheets=sheets,
                source_sheets=source_sheets,
                snapshot=snapshot,
                warnings=warnings,
                skipped=[_problem_dict(p) for p in problems],
                mapping=mapping_used,
                is_demo=is_demo,
                uploaded_by=uploaded_by,
                refresh=refresh or own_transaction,
            )
            if own_transaction:
                con.commit()
        except BaseException:
            if own_transaction:
                con.rollback()
            raise
        report(1.0, "done")
        return ImportResult(
            batch_id=batch_id,
            kind=work.kind,
            file_name=file_name,
            sha256=digest,
            sheets=sheets,
            rows=totals["rows"],
            amount_total=totals["amount"],
            margin_total=totals["margin"],
            period_from=totals["period_from"],
            period_to=totals["period_to"],
            snapshot_date=snapshot,
            warnings=warnings,
            skipped=problems,
            replaced_rows=totals["replaced"],
        )
    finally:
        work.close()


def _problem_dict(problem: RowProblem) -> dict:
    return {
        "sheet": problem.sheet,
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "code": problem.code,
        "detail": problem.detail,
    }
