"""Streamlit's caches over the package: the only module of ``sales_analytics`` that imports streamlit.

- One :class:`~sales_analytics.db.Database` per target path and process (``st.cache_resource``). It
  hands out a cursor per call and closes its file when idle, so the command line can import while
  the app serves; nothing here keeps a cursor across reruns.
- Report calls are cached with ``st.cache_data``, keyed on their plain parameters plus the
  database's ``data_version``: an import or a delete bumps the version, so the next rerun reads
  fresh figures and older entries simply age out.
"""

from __future__ import annotations

import os
import threading
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
def _database(target: str) -> Database:
    return Database(target)


def database() -> Database:
    """The database the app uses: ``$SALES_ANALYTICS_DB``, else ``data/sales.duckdb``."""
    return _database(default_target())


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
    """Whether this process still has to look at whether the database needs the demo company."""
    _, checked = _demo_state()
    return demo_enabled() and database().target not in checked


def ensure_demo() -> bool:
    """Load the demo company into a database that has never held anything. Returns True if loaded.

    "Never held anything" is ``data_version == 0``: once someone imported or deleted anything, even
    the demo itself, the demo does not come back.
    """
    if not demo_enabled():
        return False
    from sales_analytics.demo import load_demo

    lock, checked = _demo_state()
    db = database()
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
