"""Caching that stays correct: an import made by another process shows on the page's next rerun.

``st.cache_data`` keys every read on the database's target and ``data_version``; the command line, in
its own process, imports into the same file while the app's session stays open.
"""

from __future__ import annotations

import subprocess
import sys

from sales_analytics.db import Database
from sales_analytics.i18n import format_money
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


def expected(db_path) -> tuple[str, str]:
    """What the file holds now, read apart from the app (and let go at once, for the next CLI run):
    the month's live sales (every sample file is one month, so fact to date is all of them; rows a
    later file replaced are kept for undo, marked superseded) and the uploads."""
    db = Database(db_path)
    try:
        with db.cursor() as con:
            amount, batches = con.execute(
                "SELECT (SELECT sum(amount) FROM sales WHERE superseded_by IS NULL), "
                "(SELECT count(*) FROM import_batches WHERE deleted_at IS NULL)"
            ).fetchone()
    finally:
        db.close()
    return format_money(amount), f"Загрузок: {batches}"


def shown(at) -> tuple[str, str]:
    """The plan/fact page's fact to date and the sidebar's upload count, as the page shows them."""
    fact = {m.label: m.value for m in at.metric}["Факт на дату"]
    batches = next(line for line in texts(at.sidebar, "caption").splitlines() if "Загрузок" in line)
    return fact, batches.strip()


def test_an_import_by_the_cli_shows_on_the_next_rerun_and_its_undo_too(db_path):
    cli(db_path, "import", "sales", str(DATA / "sales_1c_grouped.xlsx"))
    at = no_exception(new_app().run())
    no_exception(at.switch_page("app_pages/plan_fact.py").run())
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
