"""Speed of the plan/fact, clients and plan builder pages' figures (issue 4, "Speed": ≤ 150 ms warm).

    python benchmarks/bench_plan_clients.py [--rows 1000000] [--clients 50000] [--repeat 5] [--keep PATH]

Generates, with SQL ``range()`` into a temporary DuckDB file, ``--rows`` sales over the 24 months to
2026-11-21 for ``--clients`` clients (a tenth of them quiet since spring 2026, a tenth buying much
less lately, a few returns, margins on most rows), 20 managers in 5 departments (one moved on
2026-06-01) and their plans for 2025–2027. Then calls, for each page view, every report function the
view calls, once to warm up and ``--repeat`` times timed, and prints the median of each and of the
view (the sum of its calls) as a Markdown table, with the machine's pace (one pass over all sales
grouped by client) for reference. Streamlit's cache is not involved: these are the figures a page
computes after an import or a change of settings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sales_analytics import call_list  # noqa: E402
from sales_analytics.db import Database  # noqa: E402
from sales_analytics.reports import clients, plan_fact, segments  # noqa: E402

AS_OF = date(2026, 11, 21)
MONTH = date(2026, 11, 1)
NEXT_MONTH = date(2026, 12, 1)
LIMIT_MS = 150

GENERATE = """
-- 20 managers, 4 per department; manager 7 moved from department 1 to department 3 on 2026-06-01
create temp table bench_managers as
select m as manager_no, 'Менеджер ' || lpad(m::varchar, 2, '0') as manager,
       'Отдел ' || (m % 5 + 1) as department
from range(20) t(m);

create temp table bench_clients as
select c as client_no,
       'клиент ' || lpad(c::varchar, 5, '0') as client_key,
       'ООО «Клиент ' || lpad(c::varchar, 5, '0') || '»' as client_name,
       c % 20 as manager_no,
       -- 0: quiet since spring 2026 (dormant), 1: buying much less lately (declining), else steady
       case c % 10 when 0 then 0 when 1 then 1 else 2 end as kind
from range($clients) t(c);

insert into sales
select
    1 as batch_id,
    'bench' as source_sheet,
    i::integer as source_row,
    case k.kind
        when 0 then date '2024-11-22' + (hash(i, 1) % 480)::integer        -- to mid-March 2026
        when 1 then date '2024-11-22' + (hash(i, 1) % 680)::integer        -- thin in the last months
        else date '2024-11-22' + (hash(i, 1) % 730)::integer
    end as sale_date,
    k.client_key,
    k.client_name,
    m.manager,
    case when m.manager_no = 7 and sale_date >= date '2026-06-01' then 'Отдел 4' else m.department end,
    ((1000 + hash(i, 2) % 200000) * case when hash(i, 3) % 40 = 0 then -1 else 1 end)::decimal(18, 2)
        / 1 as amount,
    case when hash(i, 4) % 10 = 0 then null
         else ((1000 + hash(i, 2) % 200000) * 0.22)::decimal(18, 2) end as margin,
    'Товар ' || (hash(i, 5) % 500) as product,
    'Д-' || i as document,
    null as superseded_by
from range($rows) t(i)
join bench_clients as k on k.client_no = hash(i, 0) % $clients
join bench_managers as m on m.manager_no = k.manager_no;

insert into plan
select 2 as batch_id, 'bench' as source_sheet, (row_number() over ())::integer as source_row,
       month, department, manager, plan_amount, null as superseded_by
from (
    select make_date(y, mo, 1) as month, m.department, m.manager,
           (1500000 + 10000 * m.manager_no)::decimal(18, 2) as plan_amount
    from range(2025, 2028) years(y), range(1, 13) months(mo), bench_managers as m
);

insert into clients
select client_key, client_name, 1 from bench_clients;
"""


def build(path: Path, rows: int, client_count: int) -> None:
    db = Database(path)
    with db.cursor() as con:
        sql = GENERATE.replace("$rows", str(rows)).replace("$clients", str(client_count))
        con.execute(sql)
        counts = con.execute(
            "select count(*), count(distinct client_key), min(sale_date), max(sale_date) from current_sales"
        ).fetchone()
        con.execute("checkpoint")
    db.close()
    print(f"sales rows {counts[0]:,}, clients {counts[1]:,}, {counts[2]} … {counts[3]}", file=sys.stderr)


# What each page view computes on its first view (the clients page computes only its open tab;
# Excel files, the call list among them, are built when someone clicks, and are timed apart).
PAGES = {
    "plan_fact": [
        ("available_months", lambda con: plan_fact.available_months(con)),
        ("month_progress (with the month's table)", lambda con: plan_fact.month_progress(con, MONTH, AS_OF)),
        ("daily_progress", lambda con: plan_fact.daily_progress(con, MONTH, AS_OF)),
        ("attainment_by_month", lambda con: plan_fact.attainment_by_month(con, 2026, "department", AS_OF)),
    ],
    "clients: dormant tab": [
        ("filter_options", lambda con: clients.filter_options(con)),
        ("dormant_clients", lambda con: clients.dormant_clients(con, AS_OF)),
    ],
    "clients: declining tab": [
        ("filter_options", lambda con: clients.filter_options(con)),
        ("declining_clients", lambda con: clients.declining_clients(con, AS_OF)),
    ],
    "clients: segments tab": [
        ("filter_options", lambda con: clients.filter_options(con)),
        ("plan_months", lambda con: segments.plan_months(con)),
        ("segments_view", lambda con: segments.segments_view(con, NEXT_MONTH, "regular")),
    ],
    "plan_builder": [
        ("plan_months", lambda con: segments.plan_months(con)),
        ("plan_builder", lambda con: segments.plan_builder(con, NEXT_MONTH)),
    ],
    "on click (not a page view)": [
        ("call_list_workbook", lambda con: call_list.call_list_workbook(con, AS_OF)),
    ],
}
# the machine's pace: one pass over all sales grouped by client, the floor of any client figure
REFERENCE = "select client_key, sum(amount) from current_sales group by client_key"


def measure(path: Path, repeat: int) -> list[tuple[str, str, float, int]]:
    """(page, call, median ms, rows or bytes returned) per call."""
    results = []
    db = Database(path)
    with db.cursor() as con:
        # the first view after an import copies the sales into the client store, once
        start = time.perf_counter()
        plan_fact.available_months(con)
        results.append(
            ("first view after an import", "client store build", (time.perf_counter() - start) * 1000, 0)
        )
        for page, calls in PAGES.items():
            for name, call in calls:
                result = call(con)  # warm: the file's pages are in memory, the plan is prepared
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    call(con)
                    times.append((time.perf_counter() - start) * 1000)
                size = len(getattr(result, "frame", getattr(result, "summary", result)))
                results.append((page, name, statistics.median(times), size))
        con.sql(REFERENCE).to_arrow_table()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            con.sql(REFERENCE).to_arrow_table()
            times.append((time.perf_counter() - start) * 1000)
        results.append(("reference", "all sales grouped by client", statistics.median(times), 0))
    db.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = args.keep or Path(directory) / "bench.duckdb"
        if not path.exists():
            start = time.perf_counter()
            build(path, args.rows, args.clients)
            print(f"generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        results = measure(path, args.repeat)
    print(f"| page | call | median of {args.repeat}, ms | rows (bytes) |")
    print("|---|---|---:|---:|")
    worst = 0.0
    for page in ["first view after an import", *PAGES, "reference"]:
        calls = [r for r in results if r[0] == page]
        for _, name, ms, size in calls:
            print(f"| {page} | {name} | {ms:.1f} | {size:,} |")
        if page in PAGES and not page.startswith("on click"):
            total = sum(ms for _, _, ms, _ in calls)
            worst = max(worst, total)
            print(f"| **{page}** | **the view's figures** | **{total:.1f}** | |")
    print(f"\nslowest view: {worst:.1f} ms (limit {LIMIT_MS} ms): {'ok' if worst <= LIMIT_MS else 'OVER'}")
    return 0 if worst <= LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
