"""Streamlit's caches over the package: the only module of ``sales_analytics`` that imports streamlit.

- One :class:`~sales_analytics.db.Database` per target path and process (``st.cache_resource``). It
  hands out a cursor per call and closes its file when idle, so the command line can import while
  the app serves; nothing here keeps a cursor across reruns.
- Report calls are cached with ``st.cache_data``, keyed on their plain parameters plus the
  database's target and ``data_version``: an import or a delete bumps the version, so the next rerun
  reads fresh figures and older entries simply age out.
- Meeting mode: a browser session may swap the company database for its own in-memory one
  (``:memory:meeting-<uuid>``, a named DuckDB in-memory database). :func:`database` then returns it
  to every page of that session, and since every cache is keyed on the target, nothing is shared
  with the company's figures or another session's. Such a database is dropped when the person
  leaves meeting mode, or after :data:`MEETING_IDLE_SECONDS` without a rerun (Streamlit does not
  tell the app that a tab was closed); it is never archived, and the demo never loads into it.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

from sales_analytics import batches, ingest
from sales_analytics.db import Database, data_version, default_target
from sales_analytics.i18n import DEFAULT_LANGUAGE, LANGUAGES
from sales_analytics.reports import sales

LANG_KEY = "lang"


def lang() -> str:
    """The reader's language, as the sidebar switch keeps it in ``st.session_state["lang"]``."""
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


@st.cache_resource(show_spinner=False)
def _shared_database(target: str) -> Database:
    return Database(target)


def company_database() -> Database:
    """The company's database: ``$SALES_ANALYTICS_DB``, else ``data/sales.duckdb``."""
    return _shared_database(default_target())


def database() -> Database:
    """The database this session's pages read: its meeting database in meeting mode, else the
    company's."""
    _meetings().sweep()  # at every rerun of every session: closed tabs' meetings go in time
    meeting = _session_meeting()
    return meeting if meeting is not None else company_database()


def _database(target: str) -> Database:
    """The database behind a cache key: a live meeting's, else the shared one for that target."""
    if target.startswith(MEETING_PREFIX):
        meeting = _meetings().get(target)
        if meeting is None:
            raise LookupError(f"the meeting database {target} was discarded")
        return meeting
    return _shared_database(target)


# --- meeting mode: one in-memory database per browser session -----------------------------------

MEETING_KEY = "meeting_target"
MEETING_EXPIRED_KEY = "meeting_expired"
MEETING_PREFIX = ":memory:meeting-"
MEETING_IDLE_SECONDS = 2 * 60 * 60


@dataclass
class _Meetings:
    """Every live meeting database of this process, and when each was last used."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    databases: dict[str, Database] = field(default_factory=dict)
    last_used: dict[str, float] = field(default_factory=dict)

    def get(self, target: str) -> Database | None:
        with self.lock:
            return self.databases.get(target)

    def touch(self, target: str) -> Database | None:
        """The meeting's database, marked as used now; None when it was dropped."""
        with self.lock:
            found = self.databases.get(target)
            if found is not None:
                self.last_used[target] = time.monotonic()
            return found

    def open(self) -> Database:
        target = MEETING_PREFIX + uuid.uuid4().hex
        # an explicit archive_dir=None: a meeting's files never reach the disk
        meeting = Database(target, archive_dir=None)
        with self.lock:
            self.databases[target] = meeting
            self.last_used[target] = time.monotonic()
        return meeting

    def drop(self, target: str) -> None:
        with self.lock:
            meeting = self.databases.pop(target, None)
            self.last_used.pop(target, None)
        if meeting is not None:
            meeting.close()  # the last connection to a named in-memory database: DuckDB frees it

    def sweep(self, idle_seconds: float | None = None) -> list[str]:
        """Drop the meetings nobody used for ``idle_seconds`` (closed tabs). Returns their targets."""
        limit = MEETING_IDLE_SECONDS if idle_seconds is None else idle_seconds
        now = time.monotonic()
        with self.lock:  # chosen and taken out at once: a meeting touched meanwhile stays
            stale = [target for target, used in self.last_used.items() if now - used > limit]
            dropped = [self.databases.pop(target) for target in stale]
            for target in stale:
                del self.last_used[target]
        for meeting in dropped:
            meeting.close()
        return stale

    def __len__(self) -> int:
        with self.lock:
            return len(self.databases)


@st.cache_resource(show_spinner=False)
def _meetings() -> _Meetings:
    return _Meetings()


def _session_meeting() -> Database | None:
    target = st.session_state.get(MEETING_KEY)
    if target is None:
        return None
    meeting = _meetings().touch(target)
    if meeting is None:
        # dropped after hours without use: stay in meeting mode on a new, empty database (never
        # fall back to the company's under a person who believes nothing is saved) and say so
        meeting = _meetings().open()
        st.session_state[MEETING_KEY] = meeting.target
        st.session_state[MEETING_EXPIRED_KEY] = True
    return meeting


def meeting_active() -> bool:
    """Whether this browser session works on its own, unsaved database."""
    return st.session_state.get(MEETING_KEY) is not None


def meeting_expired() -> bool:
    """Whether this session's meeting data was discarded after hours without use."""
    return bool(st.session_state.get(MEETING_EXPIRED_KEY))


def start_meeting() -> Database:
    """Switch this browser session to a new in-memory database (or keep the one it has)."""
    meeting = _session_meeting()
    if meeting is None:
        meeting = _meetings().open()
        st.session_state[MEETING_KEY] = meeting.target
    return meeting


def end_meeting() -> None:
    """Leave meeting mode: the session's database is dropped, the pages read the company's again."""
    target = st.session_state.pop(MEETING_KEY, None)
    st.session_state.pop(MEETING_EXPIRED_KEY, None)
    if target is not None:
        _meetings().drop(target)


def meeting_import(
    data: bytes, file_name: str, kind: str | None = None, *, skip_invalid: bool = False
) -> ingest.ImportResult:
    """Import a file into this session's meeting database (started if need be), never archived.

    The kind is guessed unless given; a forecast's snapshot date comes from the file name, else
    today; a plan whose file names no year is taken as this year's.
    """
    meeting = start_meeting()
    with meeting.cursor() as con:
        try:
            result = ingest.import_file(
                con, data, file_name, kind, skip_invalid=skip_invalid, archive_dir=None
            )
        except ingest.InputError as error:
            if not error.problems or any(p.code != "no_year" for p in error.problems):
                raise
            result = ingest.import_file(
                con,
                data,
                file_name,
                kind,
                year=date.today().year,
                skip_invalid=skip_invalid,
                archive_dir=None,
            )
    st.session_state.pop(MEETING_EXPIRED_KEY, None)  # new files: the note about the old ones is done
    return result


def version(db: Database | None = None) -> int:
    """The current ``data_version``: changes with every import and delete."""
    with (db or database()).cursor() as con:
        return data_version(con)


# --- reads, cached on (parameters, data_version) -------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=16)
def _data_status(target: str, data_version: int) -> batches.DataStatus:
    with _database(target).cursor() as con:
        return batches.data_status(con)


def data_status() -> batches.DataStatus:
    db = database()
    return _data_status(db.target, version(db))


@st.cache_data(show_spinner=False, max_entries=16)
def _list_batches(target: str, data_version: int) -> pd.DataFrame:
    with _database(target).cursor() as con:
        return batches.list_batches(con)


def list_batches() -> pd.DataFrame:
    db = database()
    return _list_batches(db.target, version(db))


@st.cache_data(show_spinner=False, max_entries=64)
def _sales_report(
    target: str, data_version: int, date_from: date | None, date_to: date | None, by: str, lang: str
) -> pd.DataFrame:
    with _database(target).cursor() as con:
        return sales.sales_report(con, date_from=date_from, date_to=date_to, by=by, lang=lang)


def sales_report(
    date_from: date | None = None, date_to: date | None = None, by: str = "department", lang: str = "ru"
) -> pd.DataFrame:
    db = database()
    return _sales_report(db.target, version(db), date_from, date_to, by, lang)


# --- previews of uploaded files (no database) ----------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def preview_file(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    mapping: dict[str, str | None] | None = None,
    year: int | None = None,
) -> ingest.Preview:
    """``ingest.preview_file``, cached on the file's bytes and the person's choices."""
    return ingest.preview_file(data, file_name, kind, mapping=mapping or None, year=year)


@st.cache_data(show_spinner=False)
def template_files() -> dict[str, bytes]:
    """The sample files offered for download (file name -> bytes); built once per process."""
    from sales_analytics.demo import template_files as build

    return build()


# --- demo data on first start --------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _demo_state() -> tuple[threading.Lock, set[str]]:
    """A lock and the targets already checked, shared by every session of this process."""
    return threading.Lock(), set()


def demo_enabled() -> bool:
    return os.environ.get("SALES_ANALYTICS_DEMO", "1").strip() != "0"


def demo_pending() -> bool:
    """Whether this process still has to look at whether the company database needs the demo."""
    _, checked = _demo_state()
    return demo_enabled() and company_database().target not in checked


def ensure_demo() -> bool:
    """Load the demo company into a database that has never held anything. Returns True if loaded.

    "Never held anything" is ``data_version == 0``: once someone imported or deleted anything, even
    the demo itself, the demo does not come back. Only ever the company database: a meeting's
    stays as the person filled it.
    """
    if not demo_enabled():
        return False
    from sales_analytics.demo import load_demo

    lock, checked = _demo_state()
    db = company_database()
    with lock:
        if db.target in checked:
            return False
        try:
            with db.cursor() as con:
                fresh = data_version(con) == 0
                if fresh:
                    load_demo(con, archive_dir=db.archive_dir)
        finally:
            checked.add(db.target)  # once per process, also when it failed: never retried in a loop
    return fresh


def delete_demo() -> int:
    """Remove the demo company. Returns the number of batches removed."""
    with database().cursor() as con:
        return batches.delete_demo(con)


def delete_batch(batch_id: int) -> int:
    """Undo one import. Returns the rows removed."""
    with database().cursor() as con:
        return batches.delete_batch(con, batch_id)


# --- any report function, cached on (function, parameters, data_version) ------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def _report(target: str, data_version: int, module: str, name: str, params: tuple) -> object:
    import importlib

    function = getattr(importlib.import_module(module), name)
    with _database(target).cursor() as con:
        return function(con, **dict(params))


def report(function, **params):
    """``function(con, **params)`` from ``sales_analytics.reports``, cached until the next import.

    Parameters must be plain, hashable values (dates, strings, numbers, tuples).
    """
    db = database()
    return _report(
        db.target, version(db), function.__module__, function.__name__, tuple(sorted(params.items()))
    )


def prefetch(*calls) -> None:
    """Start ``(function, params)`` calls in a background thread of this process, one after another,
    so that a page can draw its first elements while the slow figures below them are computed.

    Only for functions that keep their own results per data version in-process (the summary's), and
    only on a database file (an in-memory one keys no such cache: the work would be done twice). The
    page still asks :func:`report` for each figure: it waits for the running call, or gets the kept
    result. A failure here is left for that call to meet and show.
    """
    db = database()
    if not db.is_file:
        return

    def run() -> None:
        try:
            with db.cursor() as con:
                for function, params in calls:
                    function(con, **params)
        except Exception:  # noqa: BLE001 - the page's own call computes it again and shows the error
            pass

    threading.Thread(target=run, name="prefetch", daemon=True).start()
