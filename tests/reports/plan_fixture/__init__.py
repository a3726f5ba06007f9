"""A tiny company for the plan/fact, clients and segments tests, imported through the real importer.

``sales.csv`` (58 rows, 2024-03 … 2026-05) and ``plan_2026.csv`` (long plan, 2026-01 … 2026-06):

- Иванов Иван, Оптовый отдел: «Ромашка», a regular client under three spellings (``ООО «Ромашка»``,
  ``Ромашка ООО``, ``ооо  ромашка``) with a return on 2026-05-12 and a sale on 2026-05-20 (after
  the as-of day 2026-05-15); «Пион», one purchase in March 2026; «Василёк» (``ИП Василёк`` /
  ``Василек ИП``), quiet since 2025-10-10: dormant; «Возврат», bought in 2024-03 and only returned
  inside the lookback: not dormant.
- Петрова Анна, Розничный отдел: «Лютик», 30 000 a month, then 5 000 and 3 000: declining;
  «Мелочь», small and dormant; «Граница», its only purchase exactly five months before the as-of day
  (not dormant, declining); «Ирис», one purchase in January 2026 (lapsing for June's plan).
- Смирнов Алексей moved from Оптовый to Проектный отдел on 2026-03-01; his «Астра» history stays
  with Оптовый. Проектный has a plan for May 2026 and no sale in it.
- «Гость» has neither manager nor department: fact without plan.
- The plan has no 2025 (a month with no plan), no May for Розничный (fact without plan), and June
  2026 has plans and no sales. May 2026 has 19 working days (1 and 11 May are holidays); 9 of
  them have passed on 15 May.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from sales_analytics.ingest import import_file
from tests.conftest import DEMO_ANCHOR  # noqa: F401  (the page tests take it from here)

FIXTURE = Path(__file__).resolve().parent
ROOT = FIXTURE.parents[2]
GOLDEN = FIXTURE.parent / "golden"
AS_OF = date(2026, 5, 15)
MAY = date(2026, 5, 1)
JUNE = date(2026, 6, 1)
SALES_HEADER = "Дата;Клиент;Менеджер;Подразделение;Сумма;Валовая прибыль"


def load(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Import the fixture's sales and plan into ``con`` (an empty database)."""
    for name, kind in (("sales.csv", "sales"), ("plan_2026.csv", "plan")):
        import_file(con, (FIXTURE / name).read_bytes(), name, kind)
    return con


def import_rows(con: duckdb.DuckDBPyConnection, name: str, *rows: str, kind: str = "sales") -> None:
    """Import a few more ``;``-separated rows (sales: date;client;manager;department;amount;margin)
    as their own file ``name``."""
    header = SALES_HEADER if kind == "sales" else rows[0]
    body = rows if kind == "sales" else rows[1:]
    text = "\n".join([header, *body]) + "\n"
    import_file(con, text.encode("utf-8"), name, kind)


def page_harness(tmp_path: Path, page: str) -> Path:
    """A small entry script that runs ``pages/<page>`` inside ``st.navigation`` beside the upload
    page, as app.py does, so that the page's link to the upload page resolves. Returns its path."""
    (tmp_path / "app_pages").symlink_to(ROOT / "app_pages", target_is_directory=True)
    script = tmp_path / "harness.py"
    script.write_text(
        "import streamlit as st\n"
        f'st.navigation([st.Page("app_pages/{page}", default=True), st.Page("app_pages/upload.py")]).run()\n',
        encoding="utf-8",
    )
    return script


def assert_golden(text: str, name: str) -> None:
    """``text`` equals ``golden/<name>``; with ``UPDATE_GOLDEN=1`` the file is (re)written first, to
    be read and checked by hand before it is committed."""
    import os

    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from golden/{name}"
