"""The command line contract (SPEC.md "Command line"): exit codes, CSV shape, the database unchanged."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sales_analytics.cli import main
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "cli.duckdb"


def test_import_then_report_sales_by_manager(capsys, db_path):
    code, _, err = run(capsys, "--db", db_path, "import", "sales", DATA / "sales_1c_grouped.xlsx")
    assert code == 0, err
    assert "30 rows" in err
    code, out, _ = run(capsys, "--db", db_path, "report", "sales", "--by", "manager")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "group,month,amount,margin,rows"
    totals = {}
    for line in lines[1:]:
        group, month, amount, _margin, _rows = line.split(",")
        assert month == "2026-11"
        totals[group] = totals.get(group, Decimal(0)) + Decimal(amount)
    expected = EXPECTED["sales_1c_grouped.xlsx"]["managers"]
    assert totals == {m: Decimal(v["amount"]) for m, v in expected.items()}


def test_report_sales_matches_the_golden_file(capsys, db_path):
    run(capsys, "--db", db_path, "import", "sales", DATA / "sales_1c_grouped.xlsx")
    run(capsys, "--db", db_path, "import", "sales", DATA / "sales_cp1251.csv")
    code, out, _ = run(capsys, "--db", db_path, "report", "sales", "--by", "department")
    assert code == 0
    golden = ROOT / "tests" / "reports" / "golden" / "sales_by_department.csv"
    assert out == golden.read_text(encoding="utf-8")


def test_bad_file_exits_2_names_the_cell_and_changes_nothing(capsys, db_path, tmp_path):
    good = DATA / "sales_cp1251.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("Дата;Клиент;Сумма\n16.11.2026;Лютик;abc\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", db_path, "import", "sales", good, bad)
    assert code == 2
    assert "bad.csv, строка 2, столбец C «Сумма»: «abc»: не число" in err
    code, out, _ = run(capsys, "--db", db_path, "report", "sales")
    assert out == "group,month,amount,margin,rows\n"


def test_skip_invalid_imports_the_rest(capsys, db_path, tmp_path):
    bad = tmp_path / "partly.csv"
    bad.write_text("Date,Client,Amount\n2026-11-16,Acme,abc\n2026-11-17,Acme,10.50\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", db_path, "--lang", "en", "import", "sales", bad, "--skip-invalid")
    assert code == 0
    assert "skipped: partly.csv, row 2, column C «Amount»: «abc»: not a number" in err
    _, out, _ = run(capsys, "--db", db_path, "report", "sales", "--by", "all")
    assert out.splitlines()[1] == "all,2026-11,10.50,,1"


def test_mapping_option_fixes_an_unknown_header(capsys, db_path, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("Дата;Клиент;Деньги\n16.11.2026;Лютик;100\n", encoding="utf-8")
    assert run(capsys, "--db", db_path, "import", "sales", odd)[0] == 2
    code, _, err = run(capsys, "--db", db_path, "import", "sales", odd, "--map", "Деньги=amount")
    assert code == 0, err


def test_deals_snapshot_from_option(capsys, db_path):
    code, _, err = run(
        capsys,
        "--db",
        db_path,
        "import",
        "deals",
        DATA / "forecast_by_manager_2026-11-16.xlsx",
        "--as-of",
        "2026-11-17",
    )
    assert code == 0
    assert "snapshot 2026-11-17" in err


def test_plan_year_option(capsys, db_path, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("Менеджер;Январь;Февраль;Март\nИванов;100;200;300\n", encoding="utf-8")
    assert run(capsys, "--db", db_path, "import", "plan", plan)[0] == 2
    assert run(capsys, "--db", db_path, "import", "plan", plan, "--year", "2027")[0] == 0


def test_json_and_xlsx_formats(capsys, db_path, tmp_path):
    hostile = tmp_path / "hostile.csv"
    hostile.write_text('Дата;Клиент;Сумма\n16.11.2026;"=1+2";5\n', encoding="utf-8")
    run(capsys, "--db", db_path, "import", "sales", hostile)
    _, out, _ = run(capsys, "--db", db_path, "report", "sales", "--by", "client", "--format", "json")
    assert json.loads(out) == [
        {"group": "=1+2", "month": "2026-11", "amount": "5.00", "margin": None, "rows": 1}
    ]
    target = tmp_path / "report.xlsx"
    run(capsys, "--db", db_path, "report", "sales", "--by", "client", "--format", "xlsx", "-o", target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes())).active
    assert sheet["A2"].value == "=1+2" and sheet["A2"].data_type == "s"


def test_module_entry_point_runs(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "sales_analytics", "--db", str(tmp_path / "x.duckdb"), "report", "sales"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0 and out.stdout == "group,month,amount,margin,rows\n"
    out = subprocess.run(
        [sys.executable, "-m", "sales_analytics", "report", "nonsense"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2


def test_several_files_in_one_command_leave_what_one_by_one_leaves(capsys, tmp_path):
    """The derived tables (client list, managers' departments, sales per day) are rebuilt once per
    command, after its last file: the same as importing the files one command each."""
    import duckdb

    files = [DATA / "sales_1c_grouped.xlsx", DATA / "sales_cp1251.csv"]
    together, apart = tmp_path / "together.duckdb", tmp_path / "apart.duckdb"
    code, _, err = run(capsys, "--db", together, "import", "sales", *files)
    assert code == 0, err
    for path in files:
        code, _, err = run(capsys, "--db", apart, "import", "sales", path)
        assert code == 0, err
    derived = {
        "clients": "select * from clients order by all",
        "manager_departments": "select * from manager_departments order by all",
        "sales_by_day": "select * from sales_by_day order by all",
    }
    with duckdb.connect(str(together), read_only=True) as a, duckdb.connect(str(apart), read_only=True) as b:
        for table, sql in derived.items():
            rows = a.sql(sql).fetchall()
            assert rows, table
            assert rows == b.sql(sql).fetchall(), table
        # the second file's clients are in the list, not only the first's
        assert (
            a.sql("select count(*) from clients").fetchall()
            == b.sql("select count(distinct client_key) from current_sales").fetchall()
        )
