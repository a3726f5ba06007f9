"""The benchmark suite (issue 7): imports against their limits, page figures, page reruns, first paint.

    python -m benchmarks.run --tier 100k|1m|10m [--tier …] [--repeat 5] [--skip browser,apptest,…]

For each tier, in one run:

1. generates the scaled-up demo company (:mod:`benchmarks.generate`), cached in ``benchmarks/out/``;
2. imports, each in a fresh process, timed inside it and with its peak memory (max RSS):
   the sales CSV through ``python -m sales_analytics import sales`` (the CLI's function, into a copy
   of a database already holding the plan and the 52 forecasts) against DuckDB's own ``read_csv`` of
   the same file into a table in a file; the 200 k-row xlsx through the same command against
   python-calamine's raw read of the sheet;
3. each page's figures (:mod:`benchmarks.pages`): cold (the first call on a freshly opened database,
   in-process caches dropped), uncached (warm database, in-process caches dropped before each call)
   and warm (median of ``--repeat`` after one call, in-process caches kept, as the app runs);
4. each page's full rerun in Streamlit's AppTest (median of warm reruns);
5. the overview's first paint in Chromium (Playwright, ``/usr/bin/chromium``);

then writes ``benchmarks/out/<tier>/results.json`` and ``benchmarks/RESULTS.md`` (every tier measured
so far, with the growth from 1 M to 10 M rows). ``make bench`` runs the 100 k tier.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import OUT, TIERS, TierFiles, generate  # noqa: E402

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
CHROMIUM = Path(os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEPS = ("imports", "figures", "apptest", "browser")
PAGE_FILES = {
    "overview": "app_pages/overview.py",
    "forecast": "app_pages/forecast.py",
    "changes": "app_pages/changes.py",
    "plan/fact": "app_pages/plan_fact.py",
    "clients: dormant": "app_pages/clients.py",
    "plan builder": "app_pages/plan_builder.py",
}
BIG = ("10m",)  # tiers the "≤ 1 s" goal applies to; the others have the 1 M goals


class BenchmarkError(RuntimeError):
    """A step could not run; the message says which and why."""


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- the child processes: one measured task each ----------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ``ru_maxrss``: Linux carries ru_maxrss over
    from the parent through fork and exec, so a child of a big parent would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource  # not Linux: the best there is

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 2**20)


def _child(task: str, args: list[str]) -> dict:
    """Run one task in this fresh process; return its seconds (timed inside) and peak RSS."""
    if task in ("import", "import_xlsx"):
        from sales_analytics import cli

        db, *paths = args
        started = time.perf_counter()
        code = cli.main(["--db", db, "import", "sales", *paths])
        seconds = time.perf_counter() - started
        if code != 0:
            raise BenchmarkError(f"import of {', '.join(paths)} exited with {code}")
        import duckdb

        with duckdb.connect(db, read_only=True) as con:
            rows = con.execute("SELECT count(*) FROM current_sales").fetchone()[0]
    elif task == "duckdb_read_csv":
        import duckdb

        db, path = args
        started = time.perf_counter()
        con = duckdb.connect(db)
        con.execute(
            "CREATE TABLE sales AS SELECT * FROM read_csv($p, delim = ';', header = true, "
            "decimal_separator = ',', dateformat = '%d.%m.%Y')",
            {"p": path},
        )
        con.close()
        seconds = time.perf_counter() - started
        with duckdb.connect(db, read_only=True) as con:
            rows = con.execute("SELECT count(*) FROM sales").fetchone()[0]
    elif task == "calamine_raw":
        import python_calamine

        (path,) = args
        started = time.perf_counter()
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        rows = len(workbook.get_sheet_by_index(0).to_python()) - 1
        seconds = time.perf_counter() - started
    elif task == "apptest":
        return _apptest(*args)
    else:
        raise BenchmarkError(f"unknown task {task}")
    peak_mb = _peak_mb()
    return {"seconds": seconds, "peak_mb": peak_mb, "rows": rows}


def _run_child(task: str, *args: str, env: dict | None = None, timeout: float = 3600) -> dict:
    command = [sys.executable, "-m", "benchmarks.run", "--child", task, *args]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=timeout
    )
    if done.returncode != 0:
        raise BenchmarkError(f"{task} {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the database the pages read ------------------------------------------------------------------


def _base_db(files: TierFiles) -> Path:
    """A database holding the plan and every forecast (imported through the package), no sales."""
    path = files.directory / "base.duckdb"
    marker = files.directory / "base.done"
    if marker.exists() and path.exists():
        return path
    from sales_analytics.db import Database
    from sales_analytics.ingest import import_file

    log(f"importing the plan and {len(files.deals)} forecasts into {path.name} …")
    path.unlink(missing_ok=True)
    shutil.rmtree(files.directory / "uploads", ignore_errors=True)
    db = Database(path)
    try:
        with db.cursor() as con:
            import_file(con, files.plan_csv.read_bytes(), files.plan_csv.name, "plan")
            for day, deals in files.deals:
                import_file(con, deals.read_bytes(), deals.name, "deals", as_of=day)
            con.execute("CHECKPOINT")
    finally:
        db.close()
    marker.write_text("ok")
    return path


# --- 2. imports ------------------------------------------------------------------------------------


def _fresh(directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def _upload_parts(files: TierFiles) -> list[Path]:
    """The sales CSV as the files a user would upload: itself, or, when it is over the upload limit
    (the 10 M tier's 1 GB), one file per calendar month of sale (cached beside it). The import
    step imports them all in one command (one transaction); read_csv reads the whole file."""
    from sales_analytics.ingest.guards import MAX_FILE_BYTES

    if files.sales_csv.stat().st_size <= MAX_FILE_BYTES:
        return [files.sales_csv]
    directory = files.directory / "parts"
    marker = directory / "parts.done"
    if not marker.exists():
        import duckdb

        log(f"splitting {files.sales_csv.name} by month (over the upload limit) …")
        _fresh(directory)
        con = duckdb.connect(config={"enable_progress_bar": False})
        con.execute(
            "CREATE TABLE raw AS SELECT row_number() OVER () AS line, *, "
            "substr(column0, 7, 4) || '-' || substr(column0, 4, 2) AS part "
            "FROM read_csv($p, delim = ';', header = false, skip = 1, all_varchar = true, quote = '\"')",
            {"p": str(files.sales_csv)},
        )
        header = files.sales_csv.open(encoding="utf-8").readline().rstrip("\n").split(";")
        columns = ", ".join(f'column{i} AS "{name}"' for i, name in enumerate(header))
        for (part,) in con.execute("SELECT DISTINCT part FROM raw ORDER BY part").fetchall():
            target = directory / f"sales_{part}.csv"
            # the part's name and path are our own (a year-month and a generated file), not input
            con.execute(
                f"COPY (SELECT {columns} FROM raw WHERE part = $part ORDER BY line) TO '{target}' "
                "(HEADER true, DELIMITER ';', QUOTE '\"')",
                {"part": part},
            )
        con.close()
        marker.write_text("ok")
    return sorted(directory.glob("sales_*.csv"))


def measure_imports(files: TierFiles, repeat: int) -> tuple[dict, Path]:
    """Each import against its limit on the same file, each run in a fresh process. Also leaves
    ``bench.duckdb`` (the plan, the forecasts and the sales imported) for the pages."""
    base = _base_db(files)
    work = files.directory / "work"
    bench_db = files.directory / "bench.duckdb"
    runs: dict[str, list[dict]] = {"csv_import": [], "csv_duckdb": [], "xlsx_import": [], "xlsx_calamine": []}
    uploads = [str(path) for path in _upload_parts(files)]
    for r in range(repeat):
        log(f"imports, round {r + 1} of {repeat} …")
        target = _fresh(work / "csv") / "sales.duckdb"
        shutil.copy(base, target)
        runs["csv_import"].append(_run_child("import", str(target), *uploads))
        if r == 0:
            bench_db.unlink(missing_ok=True)
            shutil.move(target, bench_db)
        target = _fresh(work / "duckdb") / "read_csv.duckdb"
        runs["csv_duckdb"].append(_run_child("duckdb_read_csv", str(target), str(files.sales_csv)))
        target = _fresh(work / "xlsx") / "sales.duckdb"
        runs["xlsx_import"].append(_run_child("import_xlsx", str(target), str(files.sales_xlsx)))
        runs["xlsx_calamine"].append(_run_child("calamine_raw", str(files.sales_xlsx)))
    shutil.rmtree(work, ignore_errors=True)
    result: dict[str, dict] = {
        name: {
            "seconds": statistics.median(run["seconds"] for run in values),
            "peak_mb": max(run["peak_mb"] for run in values),
            "rows": values[0]["rows"],
            "runs": [run["seconds"] for run in values],
        }
        for name, values in runs.items()
    }
    result["csv_import"]["files"] = len(uploads)
    return result, bench_db


def _bench_db(files: TierFiles) -> Path:
    path = files.directory / "bench.duckdb"
    if not path.exists():
        raise BenchmarkError(
            f"{path} does not exist yet: run the imports step for the {files.tier.name} tier"
        )
    return path


# --- 3. page figures ---------------------------------------------------------------------------------


def measure_figures(db_path: Path, repeat: int, uncached_repeat: int = 3) -> dict:
    """Per page: cold, uncached and warm milliseconds of the page's figures, and per figure warm."""
    from benchmarks import pages
    from sales_analytics.db import Database

    with Database(db_path).cursor() as con:
        defaults = pages.Defaults.read(con)
    results = {}
    for page, calls in pages.page_calls(defaults).items():
        log(f"figures: {page} …")
        pages.clear_caches()
        db = Database(db_path)  # a fresh DuckDB instance: its buffer cache starts empty
        try:
            with db.cursor() as con:
                started = time.perf_counter()
                for _, call in calls:
                    call(con)
                cold = (time.perf_counter() - started) * 1000

                def sequence(clear: bool, con=con, calls=calls) -> tuple[float, list[float], float]:
                    each = []
                    cpu = 0.0
                    for _, call in calls:
                        if clear:
                            pages.clear_caches()
                        started, cpu_started = time.perf_counter(), time.process_time()
                        call(con)
                        each.append((time.perf_counter() - started) * 1000)
                        cpu += (time.process_time() - cpu_started) * 1000
                    return sum(each), each, cpu

                # each uncached call rebuilds what the caches keep (at 10 M, the client store
                # copies ten million rows): fewer runs
                uncached = statistics.median(sequence(True)[0] for _ in range(uncached_repeat))
                sequence(False)
                warm_runs = [sequence(False) for _ in range(repeat)]
        finally:
            db.close()
        results[page] = {
            "cold_ms": cold,
            "uncached_ms": uncached,
            "warm_ms": statistics.median(total for total, _, _ in warm_runs),
            # CPU time of the process (DuckDB's threads included): what a busy machine cannot inflate
            "warm_cpu_ms": statistics.median(cpu for _, _, cpu in warm_runs),
            "figures": {
                name: statistics.median(each[i] for _, each, _ in warm_runs)
                for i, (name, _) in enumerate(calls)
            },
        }
    pages.clear_caches()
    return results


# --- 4. full reruns in AppTest ---------------------------------------------------------------------


def _apptest(db: str, repeat: str) -> dict:
    """In this fresh process: the app on ``db``; each page opened once, then rerun ``repeat`` times."""
    from streamlit.testing.v1 import AppTest

    os.environ["SALES_ANALYTICS_DB"] = db
    os.environ["SALES_ANALYTICS_DEMO"] = "0"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    results = {}
    for page, path in PAGE_FILES.items():
        started = time.perf_counter()
        at.switch_page(path).run()
        first = (time.perf_counter() - started) * 1000
        if at.exception:
            raise BenchmarkError(f"{path} raised: {at.exception[0].message}")
        times = []
        for _ in range(int(repeat)):
            started = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - started) * 1000)
        if at.exception:
            raise BenchmarkError(f"{path} raised on a rerun: {at.exception[0].message}")
        results[page] = {"first_ms": first, "warm_ms": statistics.median(times)}
    return results


def measure_apptest(db_path: Path, repeat: int) -> dict:
    log("AppTest reruns …")
    return _run_child("apptest", str(db_path), str(repeat), timeout=3600)


# --- 5. first paint in Chromium --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FLOOR_APP = "benchmarks/floor_app.py"


def measure_first_paint(db_path: Path, loads: int = 4, script: str = "app.py") -> dict:
    """Seconds from ``goto`` to the overview's first metric and its chart being visible: the first
    load after the server started (its caches empty) and the median of the next ones. With
    ``script=FLOOR_APP``: the same for an app that draws one metric and one chart from constants
    (what Streamlit and Chromium alone cost here)."""
    if not CHROMIUM.exists():
        raise BenchmarkError(f"{CHROMIUM} is missing (apt-get install -y chromium), or pass --skip browser")
    from playwright.sync_api import sync_playwright

    log(f"first paint in Chromium ({script}) …")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SALES_ANALYTICS_DB": str(db_path),
        "SALES_ANALYTICS_DEMO": "0",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    command = [
        sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    server_log = db_path.parent / "streamlit.log"
    with server_log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise BenchmarkError(f"streamlit did not start:\n{server_log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        metric, chart = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for _ in range(loads):
                    context = browser.new_context(viewport={"width": 1400, "height": 900})
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(url)
                    page.locator('[data-testid="stMetric"]').first.wait_for(state="visible", timeout=120_000)
                    metric.append(time.perf_counter() - started)
                    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(
                        state="visible", timeout=120_000
                    )
                    chart.append(time.perf_counter() - started)
                    context.close()
                version = browser.version
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
    return {
        "first_metric_s": metric[0],
        "first_chart_s": chart[0],
        "warm_metric_s": statistics.median(metric[1:]),
        "warm_chart_s": statistics.median(chart[1:]),
        "chromium": version,
    }


# --- the machine -----------------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": cores,
        "ram_gb": round(ram_gb, 1) if ram_gb else None,
        "os": platform.platform(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "nice": os.nice(0) if hasattr(os, "nice") else None,
    }


def versions() -> dict:
    found = {"python": platform.python_version()}
    for package in (
        "duckdb",
        "pandas",
        "pyarrow",
        "streamlit",
        "plotly",
        "python-calamine",
        "xlsxwriter",
        "playwright",
    ):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


# --- the whole run -----------------------------------------------------------------------------------


def run_tier(name: str, repeat: int, import_repeat: int, skip: set[str], out: Path = OUT) -> dict:
    tier = TIERS[name]
    files = generate(tier, out=out, log=log)
    result: dict = {
        "tier": name,
        "spec": {
            "sales_rows": tier.sales_rows,
            "clients": tier.clients,
            "snapshots": tier.snapshots,
            "deals": tier.deals,
            "managers": tier.managers,
            "xlsx_rows": tier.xlsx_rows,
        },
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "repeat": repeat,
    }
    # a step left out keeps what an earlier run of this tier measured (so a tier can be measured in
    # parts: imports once, figures again after a change)
    saved = files.directory / "results.json"
    previous = json.loads(saved.read_text()) if saved.exists() else {}
    if previous.get("spec") == result["spec"]:
        for step, key in (
            ("imports", "imports"),
            ("figures", "figures"),
            ("apptest", "apptest"),
            ("browser", "browser"),
        ):
            if step in skip and key in previous:
                result[key] = previous[key]
                result.setdefault("kept_from_earlier", {})[key] = previous.get("started")
    if "imports" in skip:
        bench_db = _bench_db(files)
    else:
        result["imports"], bench_db = measure_imports(files, import_repeat)
    if "figures" not in skip:
        result["figures"] = measure_figures(bench_db, repeat, 1 if name in BIG else min(repeat, 3))
    if "apptest" not in skip:
        result["apptest"] = measure_apptest(bench_db, repeat)
    if "browser" not in skip:
        result["browser"] = measure_first_paint(bench_db)
        result["browser"]["floor"] = measure_first_paint(bench_db, script=FLOOR_APP)
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    saved.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tier", action="append", choices=list(TIERS), help="100k (default), 1m, 10m; repeatable"
    )
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per figure and rerun (median)")
    parser.add_argument("--import-repeat", type=int, help="runs per import (default 3; 1 at 10m)")
    parser.add_argument("--skip", default="", help=f"comma-separated steps to leave out: {','.join(STEPS)}")
    parser.add_argument("--results", type=Path, default=RESULTS_MD, help="the Markdown table to write")
    parser.add_argument("--out", type=Path, default=OUT, help="where generated files are cached")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1:])))
        return 0
    skip = {step.strip() for step in args.skip.split(",") if step.strip()}
    unknown = skip - set(STEPS)
    if unknown:
        parser.error(
            f"unknown step(s) in --skip: {', '.join(sorted(unknown))}; the steps are {', '.join(STEPS)}"
        )
    from benchmarks.report import write_results

    tiers = args.tier or ["100k"]
    try:
        for name in tiers:
            import_repeat = args.import_repeat or (1 if name in BIG else 3)
            started = time.perf_counter()
            run_tier(name, args.repeat, import_repeat, skip, out=args.out)
            log(f"{name} tier measured in {time.perf_counter() - started:.0f} s")
            write_results(args.out, args.results)
            log(f"wrote {args.results}")
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
