"""The demo company scaled up: real CSV and xlsx files at a benchmark tier, cached on disk.

The demo's eight managers (``sales_analytics.demo``: names, departments, the one who moved) plus
generated colleagues in the same three departments, ``clients`` clients (a tenth quiet for half a
year, a tenth buying much less lately, the rest steady), ``sales_rows`` sales over the two years to
the anchor written as the 1C-style CSV the demo writes (``;``, ``16.11.2026``, ``12345,67``),
``snapshots`` weekly forecast files of about ``deals`` open deals each (deals live 5 to 40 weeks, a
third of them keep slipping, amounts and probabilities change once, and they end won, lost or
silently dropped; half the managers number their deals), and a long plan for three years. Rows are
made with DuckDB's ``range()`` and written with ``COPY``, so ten million rows take seconds, not an
hour of Python loops.

Files land in ``benchmarks/out/<tier>/`` and are reused while ``spec.json`` there matches the tier.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from sales_analytics import demo

OUT = Path(__file__).resolve().parent / "out"
ANCHOR = date(2026, 11, 23)  # a Monday: the last weekly snapshot; sales run to the Saturday before
GENERATOR_VERSION = 1  # bump when the generated files change, so caches are rebuilt


@dataclass(frozen=True)
class Tier:
    name: str
    sales_rows: int
    clients: int
    snapshots: int
    deals: int  # open deals in each snapshot, about
    managers: int
    xlsx_rows: int


TIERS = {
    "1k": Tier("1k", 1_000, 300, 4, 60, 12, 1_000),
    "100k": Tier("100k", 100_000, 50_000, 52, 2_000, 40, 200_000),
    "1m": Tier("1m", 1_000_000, 50_000, 52, 2_000, 40, 200_000),
    "10m": Tier("10m", 10_000_000, 50_000, 52, 2_000, 40, 200_000),
}


@dataclass(frozen=True)
class TierFiles:
    tier: Tier
    directory: Path
    sales_csv: Path
    sales_xlsx: Path
    plan_csv: Path
    deals: list[tuple[date, Path]]  # (snapshot date, file), oldest first

    @property
    def last_sale(self) -> date:
        return ANCHOR - timedelta(days=2)


def snapshot_dates(tier: Tier) -> list[date]:
    return [ANCHOR - timedelta(weeks=tier.snapshots - 1 - w) for w in range(tier.snapshots)]


def _managers(tier: Tier) -> list[tuple[str, str, str | None, date | None, bool]]:
    """(name, department, department before moving, moved on, numbers deals) per manager."""
    rows = []
    for m in demo._managers(ANCHOR):
        rows.append((m.name, m.department, m.previous_department, m.moved_on, m.deal_ids is not None))
    departments = list(demo.DEPARTMENTS)
    for k in range(len(rows), tier.managers):
        rows.append((f"Менеджер {k + 1:02d}", departments[k % len(departments)], None, None, k % 2 == 0))
    return rows[: tier.managers]


def _files(tier: Tier, directory: Path) -> TierFiles:
    return TierFiles(
        tier=tier,
        directory=directory,
        sales_csv=directory / f"sales_{tier.name}.csv",
        sales_xlsx=directory / f"sales_{tier.xlsx_rows}.xlsx",
        plan_csv=directory / "plan.csv",
        deals=[(day, directory / f"forecast_{day.isoformat()}.csv") for day in snapshot_dates(tier)],
    )


def _setup(con: duckdb.DuckDBPyConnection, tier: Tier) -> None:
    con.execute(
        "CREATE TABLE managers (manager_no INTEGER, manager VARCHAR, department VARCHAR, "
        "previous_department VARCHAR, moved_on DATE, numbered BOOLEAN)"
    )
    con.executemany(
        "INSERT INTO managers VALUES (?, ?, ?, ?, ?, ?)",
        [(k, *row) for k, row in enumerate(_managers(tier))],
    )
    forms = ["ООО «{}»", "АО «{}»", "ИП {}", "ООО {}"]
    con.execute(
        f"""
        CREATE TABLE clients AS
        SELECT c AS client_no,
               replace(list_extract($forms, 1 + c % 4), '{{}}', 'Клиент ' || lpad(c::VARCHAR, 5, '0'))
                   AS client_name,
               c % {tier.managers} AS manager_no,
               CASE c % 10 WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 2 END AS kind
        FROM range({tier.clients}) AS t(c)
        """,
        {"forms": forms},
    )
    _make_sales(con, tier, tier.sales_rows)


def _make_sales(con: duckdb.DuckDBPyConnection, tier: Tier, rows: int) -> None:
    # day offsets back from the last sale: dormant clients stop ~200 days ago; declining ones buy a
    # quarter as often in the last four months
    con.execute("DROP TABLE IF EXISTS sales")
    con.execute(
        f"""
        CREATE TABLE sales AS
        WITH raw AS (
            SELECT i, hash(i, 0) % {tier.clients} AS client_no, hash(i, 1) % 730 AS back
            FROM range({rows}) AS t(i)
        )
        SELECT
            r.i,
            DATE '{ANCHOR - timedelta(days=2)}' - CAST(
                CASE k.kind
                    WHEN 0 THEN 200 + r.back % 530
                    WHEN 1 THEN CASE WHEN r.back < 120 AND hash(r.i, 9) % 4 <> 0 THEN r.back + 120
                                     ELSE r.back END
                    ELSE r.back
                END AS INTEGER) AS sale_date,
            k.client_name,
            m.manager,
            m.department AS current_department,
            m.previous_department,
            m.moved_on,
            CAST((1000 + hash(r.i, 2) % 400000) / 100.0
                 * CASE WHEN hash(r.i, 3) % 40 = 0 THEN -1 ELSE 1 END AS DECIMAL(18, 2)) AS amount,
            CAST((1000 + hash(r.i, 2) % 400000) / 100.0 * (0.12 + (hash(r.i, 4) % 20) / 100.0)
                 * CASE WHEN hash(r.i, 3) % 40 = 0 THEN -1 ELSE 1 END AS DECIMAL(18, 2)) AS margin
        FROM raw AS r
        JOIN clients AS k USING (client_no)
        JOIN managers AS m ON m.manager_no = k.manager_no
        """
    )


def _ru(expression: str) -> str:
    """DECIMAL -> '12345,67', the way Excel on a Russian Windows saves a number to CSV."""
    return f"replace(CAST({expression} AS VARCHAR), '.', ',')"


def _write_sales_csv(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    h = demo.CSV_HEADER
    con.execute(
        f"""
        COPY (
            SELECT strftime(sale_date, '%d.%m.%Y') AS "{h[0]}",
                   client_name AS "{h[1]}",
                   manager AS "{h[2]}",
                   CASE WHEN moved_on IS NOT NULL AND sale_date < moved_on THEN previous_department
                        ELSE current_department END AS "{h[3]}",
                   {_ru("amount")} AS "{h[4]}",
                   {_ru("margin")} AS "{h[5]}"
            FROM sales ORDER BY i
        ) TO '{path}' (HEADER true, DELIMITER ';', QUOTE '"')
        """
    )


def _write_sales_xlsx(con: duckdb.DuckDBPyConnection, path: Path, rows: int) -> None:
    """The first ``rows`` sales as one xlsx sheet (xlsxwriter's constant_memory mode)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("TDSheet")
    day_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    money = workbook.add_format({"num_format": "# ##0.00"})
    sheet.write_row(0, 0, demo.CSV_HEADER)
    result = con.execute(
        f"""
        SELECT sale_date, client_name, manager,
               CASE WHEN moved_on IS NOT NULL AND sale_date < moved_on THEN previous_department
                    ELSE current_department END,
               CAST(amount AS DOUBLE), CAST(margin AS DOUBLE)
        FROM sales ORDER BY i LIMIT {rows}
        """
    )
    r = 0
    while batch := result.fetchmany(10_000):
        for day, client, manager, department, amount, margin in batch:
            r += 1
            sheet.write_datetime(r, 0, day, day_format)
            sheet.write_string(r, 1, client)
            sheet.write_string(r, 2, manager)
            sheet.write_string(r, 3, department)
            sheet.write_number(r, 4, amount, money)
            sheet.write_number(r, 5, margin, money)
    workbook.close()


def _write_plan_csv(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A long plan: each manager's average month of the last year, ±10 %, for three years."""
    con.execute(
        f"""
        COPY (
            WITH base AS (
                SELECT manager, current_department AS department, sum(amount) / 12 AS per_month
                FROM sales WHERE sale_date > DATE '{ANCHOR}' - INTERVAL 1 YEAR GROUP BY ALL
            )
            SELECT strftime(make_date(y, mo, 1), '%Y-%m') AS "Месяц",
                   department AS "Подразделение", manager AS "Менеджер",
                   {_ru("round(per_month * (0.9 + (hash(manager, y, mo) % 20) / 100.0), 0)")} AS "План"
            FROM base, range({ANCHOR.year - 1}, {ANCHOR.year + 2}) AS years(y),
                 range(1, 13) AS months(mo)
            ORDER BY y, mo, department, manager
        ) TO '{path}' (HEADER true, DELIMITER ';')
        """
    )


def _write_deals(con: duckdb.DuckDBPyConnection, tier: Tier, files: TierFiles) -> None:
    """Weekly forecasts. Deal i starts at week start (negative: already open in the first snapshot),
    lives ``life`` weeks and on its last week is won, lost or dropped from the file."""
    per_week = max(1, round(tier.deals / 22.5))  # the mean life is 22.5 weeks
    first = snapshot_dates(tier)[0]
    h = demo.FORECAST_HEADER
    con.execute(
        f"""
        CREATE TABLE deal_rows AS
        WITH life AS (
            SELECT i,
                   CAST(floor(i / {per_week}) AS INTEGER) - 40 AS start_week,
                   5 + CAST(hash(i, 10) % 36 AS INTEGER) AS life,
                   CAST(hash(i, 2) % {tier.clients} AS INTEGER) AS client_no,
                   CAST(hash(i, 11) % 9 AS INTEGER) AS months_ahead,
                   CAST(1 + hash(i, 12) % 8 AS INTEGER) AS push_every,
                   hash(i, 13) % 3 = 0 AS slippery,
                   CAST((hash(i, 14) % 5000) * 1000 + 50000 AS DECIMAL(18, 2)) AS amount,
                   CAST(hash(i, 15) % 40 AS INTEGER) AS change_week,
                   CAST(1 + hash(i, 16) % 9 AS INTEGER) * 10 AS probability,
                   CAST(hash(i, 17) % 4 AS INTEGER) AS ending  -- 0, 3 won; 1 lost; 2 dropped
            FROM range(({tier.snapshots} + 40) * {per_week}) AS t(i)
        )
        SELECT w,
               CASE WHEN m.numbered THEN 'D-' || d.i END AS deal_id,
               k.client_name,
               m.manager,
               'Поставка ' || d.i AS product,
               CASE WHEN w - d.start_week >= d.change_week THEN CAST(d.amount * 1.2 AS DECIMAL(18, 2))
                    ELSE d.amount END AS amount,
               strftime(date_trunc('month', DATE '{first}' + 7 * d.start_week)
                        + to_months(d.months_ahead + CASE WHEN d.slippery
                                                          THEN (w - d.start_week) // d.push_every
                                                          ELSE 0 END), '%Y-%m') AS month,
               CASE WHEN w - d.start_week >= d.change_week + 2 THEN least(d.probability + 10, 100)
                    ELSE d.probability END || '%' AS probability,
               CASE WHEN w < d.start_week + d.life THEN 'в работе'
                    WHEN d.ending = 1 THEN 'проиграна' ELSE 'выиграна' END AS status,
               CAST(d.amount / 4 AS DECIMAL(18, 2)) AS margin
        FROM life AS d
        JOIN clients AS k USING (client_no)
        JOIN managers AS m ON m.manager_no = k.manager_no,
             range({tier.snapshots}) AS t(w)
        WHERE w BETWEEN d.start_week AND d.start_week + d.life
          AND NOT (w = d.start_week + d.life AND d.ending = 2)
        """
    )
    for w, (_, path) in enumerate(files.deals):
        con.execute(
            f"""
            COPY (
                SELECT deal_id AS "{h[0]}", client_name AS "{h[1]}", manager AS "Менеджер",
                       product AS "{h[2]}", {_ru("amount")} AS "{h[3]}", month AS "{h[4]}",
                       probability AS "{h[5]}", status AS "{h[6]}", {_ru("margin")} AS "{h[7]}"
                FROM deal_rows WHERE w = {w} ORDER BY manager, product
            ) TO '{path}' (HEADER true, DELIMITER ';')
            """
        )


def generate(tier: Tier | str, out: Path = OUT, log=print) -> TierFiles:
    """The tier's files, generated unless ``out/<tier>/`` already holds them for this generator."""
    tier = TIERS[tier] if isinstance(tier, str) else tier
    directory = out / tier.name
    files = _files(tier, directory)
    spec = {"generator": GENERATOR_VERSION, "anchor": ANCHOR.isoformat(), **asdict(tier)}
    spec_path = directory / "spec.json"
    if spec_path.exists() and json.loads(spec_path.read_text()) == spec:
        return files
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    log(f"generating the {tier.name} tier in {directory} …")
    con = duckdb.connect()
    try:
        _setup(con, tier)
        _write_sales_csv(con, files.sales_csv)
        _write_plan_csv(con, files.plan_csv)
        _write_deals(con, tier, files)
        # the xlsx has its own row count (one size for every tier: calamine's limit is per file)
        _make_sales(con, tier, tier.xlsx_rows)
        _write_sales_xlsx(con, files.sales_xlsx, tier.xlsx_rows)
    finally:
        con.close()
    spec_path.write_text(json.dumps(spec, indent=1))  # last: a half-written tier is regenerated
    return files
