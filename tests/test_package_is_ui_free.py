"""The package never imports streamlit (only ui_cache.py may), so the CLI and tests run without a UI."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sales_analytics"


def test_no_module_imports_streamlit_except_the_cache_module():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "ui_cache.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith(("import streamlit", "from streamlit")):
                offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []


def test_importing_the_cli_and_reports_loads_no_streamlit():
    code = (
        "import sys, sales_analytics.cli, sales_analytics.ingest, sales_analytics.reports.sales, "
        "sales_analytics.batches; print('streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    assert out.stdout.strip() == "False"
