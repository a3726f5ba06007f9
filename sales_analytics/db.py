"""The database: where it lives, how it is opened, migrated and shared.

One setting names it (``$SALES_ANALYTICS_DB`` or the CLI's ``--db``), and it is handed to
``duckdb.connect`` unchanged:

- a file path (the default, ``data/sales.duckdb``);
- ``:memory:`` or a named ``:memory:NAME`` (tests, and meeting mode: one per browser session);
- any other DuckDB DSN, such as MotherDuck's ``md:name``: one server-side store that several app
  replicas share.

DuckDB lets one process at a time hold a database file read-write. The app and the command line
must both work on the same file, so a :class:`Database` holds a file's connection only while someone
uses it and closes it after a short idle time; opening retries for a bounded time while another
process holds the lock. An in-memory database is never closed on idle (that would lose it), nor is
a DSN's (its server does the sharing). Within a process, every caller takes its own ``cursor()``.
"""

from __future__ import annotations

import atexit
import os
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
MEMORY = ":memory:"
SCHEMA_VERSION_1 = 1
DEFAULT_ARCHIVE_DIR = PROJECT_ROOT / "data" / "uploads"
FILE, IN_MEMORY, DSN = "file", "memory", "dsn"
# "md:name", "motherduck:name", "duckdb:path", "s3://…": a scheme of two letters or more (one letter
# is a Windows drive, "C:\\data\\sales.duckdb", which is a file)
_DSN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_UNSET = object()


class DatabaseBusy(RuntimeError):
    """Another process held the database file for longer than we were willing to wait."""


def default_target() -> str:
    """The database the app and the CLI use: ``$SALES_ANALYTICS_DB``, else ``data/sales.duckdb``.

    A file path, ``:memory:`` or a DuckDB DSN such as ``md:sales``; see :func:`target_kind`.
    """
    return os.environ.get("SALES_ANALYTICS_DB") or str(PROJECT_ROOT / "data" / "sales.duckdb")


def target_kind(target: str) -> str:
    """``"memory"`` for ``:memory:`` and ``:memory:NAME``, ``"dsn"`` for anything with a scheme
    (``md:``, ``duckdb:``, ``s3://``), else ``"file"``."""
    if target == MEMORY or target.startswith(MEMORY):
        return IN_MEMORY
    if _DSN.match(target):
        return DSN
    return FILE


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _migrations() -> list[tuple[int, str]]:
    """Forward migrations: ``migrations/NNNN_name.sql`` raises the schema to version NNNN."""
    found = []
    for entry in resources.files("sales_analytics.migrations").iterdir():
        match = re.match(r"(\d{4})_.*\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'schema_version' AND table_schema = 'main'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, migrations: list[tuple[int, str]] | None = None) -> int:
    """Bring the schema up to date, each step in its own transaction. Returns the final version."""
    migrations = _migrations() if migrations is None else migrations
    version = schema_version(con)
    steps = []
    if version == 0:
        steps.append((SCHEMA_VERSION_1, (PACKAGE_ROOT / "schema.sql").read_text(encoding="utf-8")))
    steps += sorted((number, sql) for number, sql in migrations if number > max(version, SCHEMA_VERSION_1))
    for number, sql in steps:
        con.begin()
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version) VALUES ($v)", {"v": number})
            con.commit()
        except Exception:
            con.rollback()
            raise
        version = number
    return version


class Database:
    """A database target (a file path, ``:memory:`` or a DuckDB DSN such as ``md:name``).

    ``cursor()`` opens the shared connection if needed and hands out a cursor. For a file, when the
    last user is done and ``idle_close_seconds`` pass, the connection is closed so that another
    process (the CLI importing while the app serves) can take the lock; in-memory and DSN targets
    keep theirs until ``close()``.

    Uploaded files are archived in ``archive_dir``: by default ``uploads/`` beside a database file,
    ``$SALES_ANALYTICS_ARCHIVE`` or ``data/uploads`` for a DSN, and nowhere for an in-memory database
    (only an ``archive_dir`` given here archives from memory, ``$SALES_ANALYTICS_ARCHIVE`` does not).
    """

    def __init__(
        self,
        target: str | os.PathLike | None = None,
        *,
        archive_dir: Path | str | None = _UNSET,  # type: ignore[assignment]
        idle_close_seconds: float = 1.0,
        lock_timeout_seconds: float = 60.0,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.target = str(target) if target is not None else default_target()
        self.kind = target_kind(self.target)
        # only a file has a local lock to free and a parent folder to create
        self.is_file = self.kind == FILE
        self._archive_dir = archive_dir
        self.idle_close_seconds = idle_close_seconds
        self.lock_timeout_seconds = lock_timeout_seconds
        self.on_wait = on_wait
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._timer: threading.Timer | None = None
        # a connection left open at interpreter exit is closed first (DuckDB checkpoints it)
        atexit.register(_close_at_exit, weakref.ref(self))

    @property
    def archive_dir(self) -> Path | None:
        """Where uploaded files are kept; ``None`` keeps none (in memory, unless one was given).

        The order: the ``archive_dir`` given to the constructor; nothing for an in-memory database
        (a meeting's files must leave no trace); ``$SALES_ANALYTICS_ARCHIVE``; ``uploads/`` beside a
        database file; ``data/uploads`` for a DSN, which names no local folder.
        """
        if self._archive_dir is not _UNSET:
            return None if self._archive_dir is None else Path(self._archive_dir)
        if self.kind == IN_MEMORY:
            return None
        if os.environ.get("SALES_ANALYTICS_ARCHIVE"):
            return Path(os.environ["SALES_ANALYTICS_ARCHIVE"])
        if self.kind == FILE:
            return Path(self.target).resolve().parent / "uploads"
        return DEFAULT_ARCHIVE_DIR

    @property
    def is_open(self) -> bool:
        """Whether the connection is held now (a file's is let go when idle)."""
        return self._con is not None

    def __repr__(self) -> str:
        return f"Database({self.target!r}, kind={self.kind!r})"

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self.is_file:
            Path(self.target).parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_seconds
        delay = 0.05
        told = False
        while True:
            try:
                con = duckdb.connect(self.target)
                break
            except duckdb.IOException as error:
                if not _is_lock_error(error) or time.monotonic() > deadline:
                    if _is_lock_error(error):
                        raise DatabaseBusy(
                            f"{self.target} is held by another process (an import?); "
                            f"waited {self.lock_timeout_seconds:.0f} s"
                        ) from error
                    raise
                if self.on_wait and not told:
                    self.on_wait(f"waiting for {self.target}: another process holds it")
                    told = True
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        migrate(con)
        return con

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._con is None:
                self._con = self._open()
            self._users += 1
            cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                self._users -= 1
                if self._users == 0 and self.is_file:
                    self._timer = threading.Timer(self.idle_close_seconds, self._close_if_idle)
                    self._timer.daemon = True
                    self._timer.start()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: everything commits together, or nothing does."""
        with self.cursor() as cur:
            cur.begin()
            try:
                yield cur
            except BaseException:
                cur.rollback()
                raise
            cur.commit()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._users == 0 and self._con is not None:
                self._con.close()
                self._con = None
            self._timer = None

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._con is not None:
                self._con.close()
                self._con = None


def _close_at_exit(ref: weakref.ReferenceType) -> None:
    database = ref()
    if database is not None:
        database.close()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes with every import and delete; caches key on it."""
    # fetchall: a half-read result would block the cursor's next statement
    return con.execute("SELECT version FROM data_version").fetchall()[0][0]


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("UPDATE data_version SET version = version + 1")


def load_query(name: str) -> str:
    """The text of ``queries/<name>.sql``."""
    return (PACKAGE_ROOT / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def query_df(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None):
    """Run ``queries/<name>.sql`` with bound parameters and return a pandas DataFrame.

    Through Arrow, so money stays ``Decimal`` and days stay ``datetime.date`` (``.df()`` would
    turn DECIMAL into float).
    """
    return con.sql(load_query(name), params=params or {}).to_arrow_table().to_pandas()
