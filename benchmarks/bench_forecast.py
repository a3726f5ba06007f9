"""How fast the forecast and changes pages compute their figures on a large company.

52 weekly snapshots × about 2,000 open deals and 1,000,000 sales rows, inserted with SQL
``generate_series`` into a temporary DuckDB file (no spreadsheets: this measures the reports, not the
importer). Deals live for 5 to 40 weeks; along the way some are pushed to later months, resized and
re-weighted, and at the end they are won, lost or silently removed. Half the managers number their
deals, half do not (matched by client, manager and product).

Each page's figures are what the page computes with its default choices. Each is timed warm (after
one run that loads the data into memory) as the median of 5 runs; the page's total is the sum.
The target (issue 3): ≤ 150 ms per page.

Run: ``/work/venv/bin/python benchmarks/bench_forecast.py [--keep PATH]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sales_analytics.db import Database  # noqa: E402
from sales_analytics.reports import changes, forecast  # noqa: E402

SNAPSHOTS = 52
FIRST_SNAPSHOT = date(2025, 12, 1)  # a Monday; the last is 2026-11-23
LAST_SNAPSHOT = FIRST_SNAPSHOT + timedelta(weeks=SNAPSHOTS - 1)
NEW_DEALS_PER_WEEK = 90  # × an average life of 22.5 weeks ≈ 2,000 deals in each snapshot
SALES_ROWS = 1_000_000
MANAGERS = 40
DEPARTMENTS = 5
CLIENTS = 5_000
RUNS = 5

# Deal i starts at week start_week (negative: already there in the first snapshot), lives `life`
# weeks, and on its last week is won, lost or removed. Its expected month is its first month plus
# the pushes so far; its amount and probability change once, at a week of its life.
GENERATE = f"""
BEGIN TRANSACTION;
INSERT INTO import_batches (batch_id, kind, file_name, sha256, sheets, snapshot_date, row_count, amount_total)
SELECT 1, 'sales', 'bench_sales', 'bench-sales', ['bench'], NULL, {SALES_ROWS}, 0
UNION ALL
SELECT 2, 'plan', 'bench_plan', 'bench-plan', ['bench'], NULL, 0, 0
UNION ALL
SELECT 100 + w, 'deals', 'bench_deals_' || w, 'bench-deals-' || w, ['bench'],
       DATE '{FIRST_SNAPSHOT}' + CAST(7 * w AS INTEGER), 0, 0
FROM range({SNAPSHOTS}) AS t(w);

INSERT INTO clients
SELECT 'client ' || c, 'ООО «Клиент ' || c || '»', 1 FROM range({CLIENTS}) AS t(c);

INSERT INTO sales (batch_id, source_sheet, source_row, sale_date, client_key, client_name, manager,
                   department, amount, margin, product, document)
SELECT
    1, 'bench', i,
    DATE '{LAST_SNAPSHOT}' - CAST(hash(i, 1) % 730 AS INTEGER),
    'client ' || (hash(i, 2) % {CLIENTS}),
    'ООО «Клиент ' || (hash(i, 2) % {CLIENTS}) || '»',
    'Менеджер ' || (i % {MANAGERS}),
    'Отдел ' || (i % {MANAGERS} % {DEPARTMENTS}),
    CAST((hash(i, 3) % 2000000) / 100.0 + 100 AS DECIMAL(18, 2)),
    CAST((hash(i, 3) % 2000000) / 400.0 AS DECIMAL(18, 2)),
    'Товар ' || (hash(i, 4) % 200),
    NULL
FROM range({SALES_ROWS}) AS t(i);

INSERT INTO plan (batch_id, source_sheet, source_row, month, department, manager, plan_amount)
SELECT 2, 'bench', m * {MANAGERS} + k,
       CAST(DATE '2025-01-01' + to_months(CAST(m AS INTEGER)) AS DATE),
       'Отдел ' || (k % {DEPARTMENTS}), 'Менеджер ' || k,
       CAST(1500000 + (hash(m, k) % 1000000) AS DECIMAL(18, 2))
FROM range(36) AS a(m), range({MANAGERS}) AS b(k);

CREATE TEMP TABLE bench_deal_life AS
SELECT
    i,
    CAST(floor(i / {NEW_DEALS_PER_WEEK}) AS INTEGER) - 40 AS start_week,
    5 + CAST(hash(i, 10) % 36 AS INTEGER) AS life,
    i % {MANAGERS} AS manager_no,
    CAST(hash(i, 11) % 9 AS INTEGER) AS months_ahead,
    CAST(1 + hash(i, 12) % 8 AS INTEGER) AS push_every,  -- a push every n weeks (only when slippery)
    hash(i, 13) % 3 = 0 AS slippery,
    CAST((hash(i, 14) % 5000) * 1000 + 50000 AS DECIMAL(18, 2)) AS amount,
    CAST(hash(i, 15) % 40 AS INTEGER) AS change_week,
    CAST(1 + hash(i, 16) % 9 AS DECIMAL(7, 4)) / 10 AS probability,
    CAST(hash(i, 17) % 4 AS INTEGER) AS ending  -- 0 won, 1 lost, 2 removed, 3 won
FROM range(({SNAPSHOTS} + 40) * {NEW_DEALS_PER_WEEK}) AS t(i);

INSERT INTO deals (batch_id, snapshot_date, source_sheet, source_row, deal_id, client_key, client_name,
                   manager, department, product, amount, margin, expected_month, probability,
                   probability_missing, stage, status, status_text)
SELECT
    100 + w,
    DATE '{FIRST_SNAPSHOT}' + CAST(7 * w AS INTEGER),
    'Менеджер ' || d.manager_no,
    CAST(d.i AS INTEGER),
    CASE WHEN d.manager_no % 2 = 0 THEN 'D-' || d.i END,
    'client ' || (hash(d.i, 2) % {CLIENTS}),
    'ООО «Клиент ' || (hash(d.i, 2) % {CLIENTS}) || '»',
    'Менеджер ' || d.manager_no,
    NULL,
    'Товар ' || d.i,
    CASE WHEN w - d.start_week >= d.change_week THEN CAST(d.amount * 1.2 AS DECIMAL(18, 2)) ELSE d.amount END,
    CAST(d.amount / 4 AS DECIMAL(18, 2)),
    CAST(date_trunc('month', DATE '{FIRST_SNAPSHOT}' + 7 * d.start_week)
         + to_months(d.months_ahead
                     + CASE WHEN d.slippery THEN (w - d.start_week) // d.push_every ELSE 0 END) AS DATE),
    CASE WHEN w - d.start_week >= d.change_week + 2 THEN least(d.probability + 0.1, 1.0) ELSE d.probability END,
    false,
    NULL,
    CASE WHEN w < d.start_week + d.life THEN 'open' WHEN d.ending = 1 THEN 'lost' ELSE 'won' END,
    NULL
FROM bench_deal_life AS d, range({SNAPSHOTS}) AS t(w)
WHERE w BETWEEN d.start_week AND d.start_week + d.life
  AND NOT (w = d.start_week + d.life AND d.ending = 2);
DROP TABLE bench_deal_life;

UPDATE data_version SET version = version + 1;
COMMIT;
CHECKPOINT;
"""


def build(path: Path) -> Database:
    db = Database(path)
    with db.cursor() as con:
        con.execute(GENERATE)
    return db


def page_figures(lang: str = "ru") -> dict[str, dict]:
    """What each page computes with its default choices: one package call per visual."""
    as_of = LAST_SNAPSHOT
    previous = LAST_SNAPSHOT - timedelta(weeks=1)
    return {
        "forecast": {
            "snapshot dates": (forecast.snapshot_dates, {}),
            "forecast (chart, table, overdue)": (
                forecast.forecast_report,
                {"as_of": as_of, "by": "department", "lang": lang},
            ),
            "landing (total and groups)": (
                forecast.landing,
                {"as_of": as_of, "by": "department", "lang": lang},
            ),
            "open deals (drill-down, overdue)": (
                forecast.forecast_deals,
                {"as_of": as_of, "by": "department", "lang": lang, "place": "all"},
            ),
        },
        "changes": {
            "snapshot dates": (forecast.snapshot_dates, {}),
            "matched deals (waterfall, list)": (changes.classify, {"date_from": previous, "date_to": as_of}),
            "triangle": (changes.forecast_triangle, {"date_to": as_of, "lang": lang}),
            "slip history (13 weeks)": (changes.slip_history, {"date_to": as_of, "lang": lang}),
            "accuracy": (changes.forecast_accuracy, {"as_of": as_of, "lang": lang}),
        },
        "changes, other choices": {
            "slip history (52 weeks)": (
                changes.slip_history,
                {"date_to": as_of, "weeks": None, "lang": lang},
            ),
            "waterfall on margin": (
                changes.classify,
                {"date_from": previous, "date_to": as_of, "measure": "margin"},
            ),
            "matched deals, 4 weeks apart": (
                changes.classify,
                {"date_from": as_of - timedelta(weeks=4), "date_to": as_of},
            ),
        },
    }


def measure(db: Database, runs: int = RUNS) -> dict[str, dict[str, float]]:
    """Median milliseconds of each figure, warm."""
    results: dict[str, dict[str, float]] = {}
    with db.cursor() as con:
        for page, figures in page_figures().items():
            results[page] = {}
            for name, (function, arguments) in figures.items():
                function(con, **arguments)  # warm: the data is read into memory once
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    function(con, **arguments)
                    times.append((time.perf_counter() - start) * 1000)
                results[page][name] = statistics.median(times)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the database at this path and keep it")
    parser.add_argument("--reuse", action="store_true", help="use the database at --keep as it is")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        if args.reuse and path.exists():
            db = Database(path)
        else:
            path.unlink(missing_ok=True)
            db = build(path)
        with db.cursor() as con:
            deals, snapshots = con.execute(
                "SELECT count(*), count(DISTINCT snapshot_date) FROM current_deals"
            ).fetchone()
            open_last = con.execute(
                "SELECT count(*) FROM current_deals WHERE snapshot_date = $d AND status = 'open'",
                {"d": LAST_SNAPSHOT},
            ).fetchone()[0]
            sales = con.execute("SELECT count(*) FROM current_sales").fetchone()[0]
        print(
            f"data: {snapshots} snapshots, {deals:,} deal rows ({open_last:,} open in the last), "
            f"{sales:,} sales rows; built in {time.perf_counter() - started:.1f} s"
        )
        results = measure(db)
        db.close()
    for page, figures in results.items():
        print(f"\n{page} page (median of {RUNS}, warm):")
        for name, milliseconds in figures.items():
            print(f"  {name:<36} {milliseconds:7.1f} ms")
        print(f"  {'total':<36} {sum(figures.values()):7.1f} ms")


if __name__ == "__main__":
    main()
