"""``benchmarks/RESULTS.md`` from the tiers' ``results.json``: medians, goals, ratios, met or not."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.generate import TIERS

BIG = ("10m",)


def _goals(tier: str) -> dict:
    """Issue 7's goals. The 1 M goals apply to the smaller tiers too; at 10 M only "≤ 1 s" per page's
    figures is set (the import ratios are the same at any size)."""
    big = tier in BIG
    return {
        "csv_ratio": 2.0,
        "xlsx_ratio": 1.5,
        "peak_mb": None if big else 1024,
        "figures_ms": 1000 if big else 150,
        "rerun_ms": None if big else 300,
        "first_paint_s": 3.0,
    }


def load(out: Path) -> list[dict]:
    """Every tier measured so far; the 1 k tier (the tests') only when it is the only one."""
    found = []
    for name in TIERS:
        path = out / name / "results.json"
        if path.exists():
            found.append(json.loads(path.read_text()))
    if len(found) > 1:
        found = [result for result in found if result["tier"] != "1k"]
    return found


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _row(measure: str, median: str, goal: str, ratio: float | None, met: bool | None) -> str:
    verdict = "—" if met is None else ("met" if met else "**not met**")
    return f"| {measure} | {median} | {goal} | {_fmt(ratio, 2)} | {verdict} |"


def _parts(run: dict) -> str:
    files = run.get("files", 1)
    return f", {files} monthly files of one command: the file is over the upload limit" if files > 1 else ""


def _check(value: float, goal: float | None) -> tuple[float | None, bool | None]:
    if goal is None:
        return None, None
    return value / goal, value <= goal


def tier_rows(result: dict) -> list[str]:
    goals = _goals(result["tier"])
    rows = [
        "| measure | median | goal | ratio (to the goal or the limit) | met |",
        "|---|---:|---:|---:|---|",
    ]
    imports = result.get("imports")
    if imports:
        csv, duck = imports["csv_import"], imports["csv_duckdb"]
        xlsx, cal = imports["xlsx_import"], imports["xlsx_calamine"]
        ratio = csv["seconds"] / duck["seconds"]
        rows.append(
            _row(f"CSV import, `import sales` ({csv['rows']:,} rows{_parts(csv)}), s", _fmt(csv["seconds"], 2),
                 f"≤ {goals['csv_ratio']}× read_csv", ratio, ratio <= goals["csv_ratio"])
        )  # fmt: skip
        rows.append(
            _row(
                "  limit: DuckDB `read_csv` into a table in a file, s",
                _fmt(duck["seconds"], 2),
                "",
                None,
                None,
            )
        )
        ratio = xlsx["seconds"] / cal["seconds"]
        rows.append(
            _row(f"xlsx import, `import sales` ({xlsx['rows']:,} rows), s", _fmt(xlsx["seconds"], 2),
                 f"≤ {goals['xlsx_ratio']}× calamine", ratio, ratio <= goals["xlsx_ratio"])
        )  # fmt: skip
        rows.append(
            _row("  limit: python-calamine raw read of the sheet, s", _fmt(cal["seconds"], 2), "", None, None)
        )
        for key, label in (("csv_import", "CSV import"), ("xlsx_import", "xlsx import")):
            ratio, met = _check(imports[key]["peak_mb"], goals["peak_mb"])
            goal = f"≤ {goals['peak_mb']:,} MB" if goals["peak_mb"] else ""
            rows.append(
                _row(
                    f"peak memory (max RSS) of the {label}, MB",
                    _fmt(imports[key]["peak_mb"]),
                    goal,
                    ratio,
                    met,
                )
            )
        for key, label in (("csv_duckdb", "read_csv"), ("xlsx_calamine", "calamine")):
            rows.append(
                _row(
                    f"  for reference: peak memory of {label}, MB",
                    _fmt(imports[key]["peak_mb"]),
                    "",
                    None,
                    None,
                )
            )
    figures = result.get("figures") or {}
    for page, values in figures.items():
        ratio, met = _check(values["warm_ms"], goals["figures_ms"])
        rows.append(
            _row(
                f"{page}: figures warm, ms",
                _fmt(values["warm_ms"], 1),
                f"≤ {goals['figures_ms']:,} ms",
                ratio,
                met,
            )
        )
    for page, values in figures.items():
        if "warm_cpu_ms" in values:
            ratio, _ = _check(values["warm_cpu_ms"], goals["figures_ms"])
            rows.append(
                _row(
                    f"{page}: figures warm, CPU time (all threads), ms",
                    _fmt(values["warm_cpu_ms"], 1),
                    f"(≤ {goals['figures_ms']:,} ms)",
                    ratio,
                    None,
                )
            )
    for page, values in figures.items():
        rows.append(
            _row(
                f"{page}: figures uncached (no in-process cache), ms",
                _fmt(values["uncached_ms"], 1),
                "",
                None,
                None,
            )
        )
    for page, values in figures.items():
        rows.append(
            _row(f"{page}: figures cold (fresh connection), ms", _fmt(values["cold_ms"], 1), "", None, None)
        )
    for page, values in (result.get("apptest") or {}).items():
        ratio, met = _check(values["warm_ms"], goals["rerun_ms"])
        goal = f"≤ {goals['rerun_ms']} ms" if goals["rerun_ms"] else ""
        rows.append(
            _row(f"{page}: full rerun (AppTest), warm, ms", _fmt(values["warm_ms"], 1), goal, ratio, met)
        )
    for page, values in (result.get("apptest") or {}).items():
        rows.append(
            _row(f"{page}: first open of the page (AppTest), ms", _fmt(values["first_ms"], 1), "", None, None)
        )
    browser = result.get("browser")
    if browser:
        for key, label in (
            ("first_metric_s", "overview first paint (first metric), server just started, s"),
            ("first_chart_s", "overview chart visible, server just started, s"),
            ("warm_metric_s", "overview first paint (first metric), later loads, s"),
            ("warm_chart_s", "overview chart visible, later loads, s"),
        ):
            ratio, met = _check(browser[key], goals["first_paint_s"])
            rows.append(_row(label, _fmt(browser[key], 2), f"≤ {goals['first_paint_s']} s", ratio, met))
        floor = browser.get("floor")
        for key, label in (
            ("first_metric_s", "first metric, server just started"),
            ("warm_metric_s", "first metric, later loads"),
            ("warm_chart_s", "chart visible, later loads"),
        ):
            if floor:
                rows.append(
                    _row(
                        f"  floor: a one-metric, one-chart Streamlit app, {label}, s",
                        _fmt(floor[key], 2),
                        "",
                        None,
                        None,
                    )
                )
    return rows


def figure_rows(result: dict) -> list[str]:
    rows = ["| page | figure | warm median, ms |", "|---|---|---:|"]
    for page, values in (result.get("figures") or {}).items():
        for name, ms in values["figures"].items():
            rows.append(f"| {page} | {name} | {ms:.1f} |")
    return rows


def _measures(result: dict) -> dict[str, float]:
    """Every timed value of a tier by a stable label, for the growth table."""
    found = {}
    imports = result.get("imports") or {}
    for key, label in (("csv_import", "CSV import, s"), ("csv_duckdb", "DuckDB read_csv, s")):
        if key in imports:
            found[label] = imports[key]["seconds"]
    if "csv_import" in imports:
        found["CSV import peak memory, MB"] = imports["csv_import"]["peak_mb"]
    for page, values in (result.get("figures") or {}).items():
        found[f"{page}: figures warm, ms"] = values["warm_ms"]
        found[f"{page}: figures uncached, ms"] = values["uncached_ms"]
    for page, values in (result.get("apptest") or {}).items():
        found[f"{page}: full rerun, ms"] = values["warm_ms"]
    if result.get("browser"):
        found["overview first paint, s"] = result["browser"]["first_metric_s"]
    return found


def growth_rows(small: dict, big: dict) -> list[str]:
    a, b = _measures(small), _measures(big)
    rows = [
        f"| measure | {small['tier']} | {big['tier']} | × |",
        "|---|---:|---:|---:|",
    ]
    for label in a:
        if label in b and a[label]:
            rows.append(f"| {label} | {a[label]:,.2f} | {b[label]:,.2f} | {b[label] / a[label]:.1f} |")
    return rows


def render(results: list[dict]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks.run --tier 100k|1m|10m` (see benchmarks/run.py for what each",
        "measure is). Each tier's data: the demo company scaled up (benchmarks/generate.py), 52 weekly",
        "forecasts of about 2,000 open deals, 50,000 clients, 40 managers. Times are medians; the machine",
        "may be shared, so compare ratios within one tier rather than absolute times across runs.",
        "",
        "- *warm*: median of the runs after one call, with the package's in-process caches (keyed on the",
        "  data version, as the app runs); *uncached*: those caches dropped before every call, the",
        "  database already open; *cold*: the first call on a freshly opened database, caches dropped.",
        "- *full rerun*: `AppTest` rerunning the page with Streamlit's caches filled (what a click costs",
        "  in the script; the browser's drawing is not included).",
        "- *CPU time*: the process's CPU time over the same warm calls, DuckDB's threads included. On a",
        "  quiet 2-core machine the wall time is about this or less; on a shared one the wall time is",
        "  inflated by waiting for a core, the CPU time much less so. It is shown beside the goal, not",
        "  judged against it.",
        "- Peak memory is the import process's peak resident set (VmHWM), the interpreter and its",
        "  libraries included.",
        "",
    ]
    for result in results:
        spec, m, v = result["spec"], result["machine"], result["versions"]
        lines += [
            f"## {result['tier']}: {spec['sales_rows']:,} sales rows",
            "",
            f"Measured {result['started']} – {result.get('finished', '?')} on {m['cpu']}, {m['cores']} cores, "
            f"{m['ram_gb']} GB RAM ({m['os']}); load average at start {m.get('load_average')}, nice "
            f"{m.get('nice')}. {spec['snapshots']} snapshots × ~{spec['deals']:,} deals, "
            f"{spec['clients']:,} clients, xlsx {spec['xlsx_rows']:,} rows.",
            "",
            "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
            "",
            *(
                [
                    f"Kept from an earlier run of this tier: {', '.join(f'{k} ({w})' for k, w in kept.items())}.",
                    "",
                ]
                if (kept := result.get("kept_from_earlier"))
                else []
            ),
            *tier_rows(result),
            "",
            "Each page's figures, warm:",
            "",
            *figure_rows(result),
            "",
        ]
    by_tier = {r["tier"]: r for r in results}
    if "1m" in by_tier and "10m" in by_tier:
        lines += ["## Growth from 1 M to 10 M rows", "", *growth_rows(by_tier["1m"], by_tier["10m"]), ""]
    elif len(results) >= 2:
        lines += [
            f"## Growth from {results[-2]['tier']} to {results[-1]['tier']}",
            "",
            *growth_rows(results[-2], results[-1]),
            "",
        ]
    return "\n".join(lines)


def write_results(out: Path, path: Path) -> str:
    text = render(load(out))
    path.write_text(text, encoding="utf-8")
    return text
