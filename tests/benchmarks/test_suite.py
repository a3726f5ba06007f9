"""The benchmark suite works end to end on its 1 k tier: files generated and cached, imported through
the package, every page's figures computed, RESULTS.md written. No time is asserted (speed is what
the suite reports, not what a test checks)."""

from __future__ import annotations

import csv
import json

import python_calamine

from benchmarks import generate, report, run


def test_generator_writes_real_files_and_reuses_them(tmp_path):
    files = generate.generate("1k", out=tmp_path, log=lambda message: None)
    tier = generate.TIERS["1k"]
    with files.sales_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert tuple(rows[0]) == generate.demo.CSV_HEADER
    assert len(rows) == tier.sales_rows + 1
    assert len({row[1] for row in rows[1:]}) > tier.clients // 2
    sheet = python_calamine.CalamineWorkbook.from_path(files.sales_xlsx).get_sheet_by_index(0).to_python()
    assert len(sheet) == tier.xlsx_rows + 1
    assert [day for day, _ in files.deals] == generate.snapshot_dates(tier)
    assert all(path.stat().st_size > 0 for _, path in files.deals)
    stamp = files.sales_csv.stat().st_mtime_ns
    generate.generate("1k", out=tmp_path, log=lambda message: None)
    assert files.sales_csv.stat().st_mtime_ns == stamp  # cached, not regenerated


def test_one_tier_measured_and_written(tmp_path):
    result = run.run_tier("1k", repeat=1, import_repeat=1, skip={"apptest", "browser"}, out=tmp_path)
    imports = result["imports"]
    assert imports["csv_import"]["rows"] == imports["csv_duckdb"]["rows"] == generate.TIERS["1k"].sales_rows
    assert (
        imports["xlsx_import"]["rows"] == imports["xlsx_calamine"]["rows"] == generate.TIERS["1k"].xlsx_rows
    )
    assert all(value["peak_mb"] > 0 for value in imports.values())
    assert {"forecast", "changes", "plan/fact", "clients: dormant", "plan builder"} <= set(result["figures"])
    saved = json.loads((tmp_path / "1k" / "results.json").read_text())
    assert saved["figures"].keys() == result["figures"].keys()

    text = report.write_results(tmp_path, tmp_path / "RESULTS.md")
    assert (tmp_path / "RESULTS.md").read_text(encoding="utf-8") == text
    assert "## 1k: 1,000 sales rows" in text
    assert "CSV import, `import sales` (1,000 rows)" in text
    for page in result["figures"]:
        assert f"| {page}: figures warm, ms |" in text
    assert text.count("| met |") + text.count("| **not met** |") >= len(result["figures"]) + 4
