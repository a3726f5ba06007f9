"""Caching that stays correct: an import made by another process shows on the page's next rerun.

``st.cache_data`` keys every read on the database's target and ``data_version``; the command line, in
its own process, imports into the same file while the app's session stays open.
"""

from __future__ import annotations

import subprocess
import sys

from sales_analytics.batches import data_status
from sales_analytics.db import Database
from sales_analytics.i18n import format_number
from tests.pages.apptest_helpers import DATA, ROOT, new_app, no_exception, texts


def cli(db_path, *arguments: str) -> None:
    """``python -m sales_analytics`` in its own process: it waits for the app to let go of the file."""
    subprocess.run(
        [sys.executable, "-m", "sales_analytics", "--db", str(db_path), *arguments],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=180,
    )


def stored(db_path):
    """What the file holds now, read apart from the app (and let go at once, for the next CLI run)."""
    db = Database(db_path)
    try:
        with db.cursor() as con:
            return data_status(con)
    finally:
        db.close()


def shown(at) -> tuple[str, str]:
    """The overview's sales rows and the sidebar's upload count, as the page shows them."""
    rows = {m.label: m.value for m in at.metric}["Строк продаж"]
    batches = next(line for line in texts(at.sidebar, "caption").splitlines() if "Загрузок" in line)
    return rows, batches.strip()


def expected(db_path) -> tuple[str, str]:
    status = stored(db_path)
    return format_number(status.sales_rows), f"Загрузок: {status.batches}"


def test_an_import_by_the_cli_shows_on_the_next_rerun_and_its_undo_too(db_path):
    cli(db_path, "import", "sales", str(DATA / "sales_1c_grouped.xlsx"))
    at = no_exception(new_app().run())
    before = expected(db_path)
    assert shown(at) == before and before[1] == "Загрузок: 1"
    at.run()  # a rerun with nothing new answers from the caches, with the same figures
    assert shown(at) == before

    cli(db_path, "import", "sales", str(DATA / "sales_cp1251.csv"))
    no_exception(at.run())
    after = expected(db_path)
    assert after != before and after[1] == "Загрузок: 2"
    assert shown(at) == after

    cli(db_path, "delete-batch", "2")
    no_exception(at.run())
    assert shown(at) == before
