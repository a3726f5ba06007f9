"""Import speed against its limits, in one run (issue: foundation, "Speed").

    python benchmarks/bench_import.py [--csv-rows 1000000] [--xlsx-rows 200000] [--repeat 3]

Measures, on the same generated files:
- CSV: our import (file bytes -> rows in the sales table) against DuckDB's own ``read_csv`` of the
  file into a table;
- xlsx: our import against python-calamine's raw read of the sheet (``to_python``);
- the peak memory (max RSS) of each import, each in a fresh process.
Prints a Markdown table; ratios are what to compare, machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

MANAGERS = ["Иванов Иван", "Петрова Анна", "Соколов Андрей", "Кузнецова Мария", "Попов Дмитрий"]
DEPARTMENTS = ["Оптовый отдел", "Розничный отдел", "Проектный отдел"]


def _rows(count: int):
    rng = random.Random(7)
    start = date(2025, 1, 1)
    for i in range(count):
        day = start + timedelta(days=rng.randrange(690))
        amount = rng.randrange(100_00, 5_000_000_00) / 100
        yield (
            day,
            f"ООО «Клиент {rng.randrange(50_000)}»",
            MANAGERS[i % len(MANAGERS)],
            DEPARTMENTS[i % len(DEPARTMENTS)],
            amount,
            round(amount * 0.25, 2),
            f"Товар {rng.randrange(500)}",
        )


def make_csv(path: Path, count: int) -> None:
    """A 1C-style CSV: a title line, ';', dd.mm.yyyy dates, '12 345,67' amounts."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "Продажи за период\n\nДата;Контрагент;Менеджер;Подразделение;Сумма;Валовая прибыль;Номенклатура\n"
        )
        for day, client, manager, department, amount, margin, product in _rows(count):
            text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
            out.write(f"{day:%d.%m.%Y};{client};{manager};{department};{text};{margin:.2f};{product}\n")


def make_xlsx(path: Path, count: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("TDSheet")
    day_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(
        0, 0, ["Дата", "Контрагент", "Менеджер", "Подразделение", "Сумма", "Валовая прибыль", "Номенклатура"]
    )
    for r, (day, client, manager, department, amount, margin, product) in enumerate(_rows(count), start=1):
        sheet.write_datetime(r, 0, day, day_format)
        sheet.write_row(r, 1, [client, manager, department, amount, margin, product])
    workbook.close()


def _child(task: str, path: str) -> dict:
    """Run one measured task in this fresh process; return seconds and peak RSS."""
    started = time.perf_counter()
    if task == "import":
        from sales_analytics.db import Database
        from sales_analytics.ingest import import_file

        db = Database(":memory:")
        with db.cursor() as con:
            result = import_file(con, Path(path).read_bytes(), Path(path).name, "sales")
        rows = result.rows
    elif task == "duckdb_read_csv":
        import duckdb

        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv($p)", {"p": path})
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    elif task == "calamine_raw":
        import python_calamine

        workbook = python_calamine.CalamineWorkbook.from_path(path)
        rows = len(workbook.get_sheet_by_index(0).to_python())
    else:
        raise ValueError(task)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "rows": rows}


def measure(task: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", task, str(path)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "rows": runs[0]["rows"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"sales_{args.csv_rows}.csv"
    xlsx_path = OUT / f"sales_{args.xlsx_rows}.xlsx"
    if not csv_path.exists():
        make_csv(csv_path, args.csv_rows)
    if not xlsx_path.exists():
        make_xlsx(xlsx_path, args.xlsx_rows)
    results = {
        "csv_import": measure("import", csv_path, args.repeat),
        "csv_duckdb": measure("duckdb_read_csv", csv_path, args.repeat),
        "xlsx_import": measure("import", xlsx_path, args.repeat),
        "xlsx_calamine": measure("calamine_raw", xlsx_path, args.repeat),
    }
    csv_ratio = results["csv_import"]["seconds"] / results["csv_duckdb"]["seconds"]
    xlsx_ratio = results["xlsx_import"]["seconds"] / results["xlsx_calamine"]["seconds"]
    print("| measure | rows | median s | peak MB |\n|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['rows']:,} | {r['seconds']:.2f} | {r['peak_mb']:.0f} |")
    print(f"\nCSV import / DuckDB read_csv = {csv_ratio:.2f} (goal <= 2.0)")
    print(f"xlsx import / calamine raw read = {xlsx_ratio:.2f} (goal <= 1.5)")
    peak = max(results["csv_import"]["peak_mb"], results["xlsx_import"]["peak_mb"])
    print(f"peak memory of an import = {peak:.0f} MB (goal < 1024)")


if __name__ == "__main__":
    main()
