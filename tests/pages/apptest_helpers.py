"""Helpers for the AppTest tests: sample bytes, a probe into the test database, text lookups."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from sales_analytics.batches import data_status, list_batches
from sales_analytics.db import Database, data_version

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

SALES_CSV = (
    "Продажи за ноябрь 2026\n"
    "\n"
    "Дата;Клиент;Менеджер;Подразделение;Сумма, руб.\n"
    "02.11.2026;ООО «Ромашка»;Иванов Иван;Оптовый отдел;12 345,67\n"
    "03.11.2026;Лютик ООО;Петрова Анна;Розничный отдел;1 000\n"
    "05.11.2026;ИП Васильев;Иванов Иван;Оптовый отдел;-345,67\n"
).encode("cp1251")

BAD_CSV = (
    "Дата;Клиент;Менеджер;Подразделение;Сумма\n"
    "02.11.2026;ООО «Ромашка»;Иванов Иван;Оптовый отдел;100\n"
    "31.02.2026;Лютик;Петрова Анна;Розничный отдел;200\n"
    "04.11.2026;Астра;Петрова Анна;Розничный отдел;двести\n"
).encode()


def sample(name: str) -> bytes:
    """A sample file: from tests/data when it is there, else straight from the generator."""
    path = DATA / name
    if path.exists():
        return path.read_bytes()
    from sales_analytics.demo import sample_files

    return sample_files()[name]


class Probe:
    """Reads the test database the way the app does (a cursor per look). DuckDB shares one
    instance per file within a process, so this sees what the app wrote."""

    def __init__(self, path: Path):
        self.db = Database(path)

    def status(self):
        with self.db.cursor() as con:
            return data_status(con)

    def version(self) -> int:
        with self.db.cursor() as con:
            return data_version(con)

    def batches(self):
        with self.db.cursor() as con:
            return list_batches(con)

    def scalar(self, sql: str, params: dict | None = None):
        with self.db.cursor() as con:
            return con.execute(sql, params or {}).fetchone()[0]


def new_app() -> AppTest:
    return AppTest.from_file(ROOT / "app.py", default_timeout=60)


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


DEFAULT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error")


def texts(at, *kinds: str) -> str:
    """Every text of the given element kinds (default: the usual ones), joined, for `in` checks."""
    kinds = kinds or DEFAULT_KINDS
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    """Put files into the page's uploader and rerun."""
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files]).run()
    return no_exception(at)
