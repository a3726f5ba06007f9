"""The filters the pages share, kept in the URL so that a copied link reproduces the view (not a page).

Four choices travel between pages: the period (``month=2026-11``), the forecast snapshot
(``snapshot=2026-11-16``), the departments (``dept=…``, repeatable) and the managers
(``manager=…``, repeatable). ``lang`` stays app.py's.

Where a page's widget takes its value from: the shared choice when the page offers it (read from the
URL on the session's first run, so a copied link wins; later, whatever a page last chose), else the
widget's own value, else the page's default. A value the page cannot show (a manager who is not in
the data, a month the page does not offer, a date that is not a date) is ignored, never an error. A
page writes a choice back only when the person changes the widget, so a page whose default differs
does not overwrite what another page was told.

Streamlit clears the URL's query string when the navigation switches pages, so :func:`sync` writes
the shared choices back on every run (app.py calls it before the page, each page calls it too, so
that a page run on its own in a test behaves the same).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from sales_analytics.i18n import t

MONTH, SNAPSHOT, DEPARTMENT, MANAGER = "month", "snapshot", "dept", "manager"
LISTS = (DEPARTMENT, MANAGER)
SHARED = (MONTH, SNAPSHOT, DEPARTMENT, MANAGER)
_STATE = "shared_filters"
_MAX_TEXT = 200  # a name longer than this is not a manager's or a department's
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _parse(name: str, values: list[str]) -> Any:
    """A URL value in its Python form, or ``None`` when it does not read."""
    values = [v.strip() for v in values if isinstance(v, str) and v.strip() and len(v) <= _MAX_TEXT]
    if name in LISTS:
        return list(dict.fromkeys(values)) or None
    if not values:
        return None
    try:
        if name == MONTH:
            match = _MONTH_RE.match(values[0])
            return date(int(match[1]), int(match[2]), 1) if match else None
        return date.fromisoformat(values[0]) if len(values[0]) == 10 else None
    except ValueError:
        return None


def _dump(name: str, value: Any) -> list[str] | str | None:
    if value in (None, [], ()):
        return None
    if name in LISTS:
        return [str(v) for v in value]
    return value.strftime("%Y-%m") if name == MONTH else value.isoformat()


def shared() -> dict[str, Any]:
    """The shared choices of this session (name -> value); on the first run, read from the URL."""
    state = st.session_state
    if _STATE not in state:
        values = {}
        for name in SHARED:
            try:
                parsed = _parse(name, st.query_params.get_all(name))
            except Exception:  # a malformed query string is the visitor's, not an error to show
                parsed = None
            if parsed is not None:
                values[name] = parsed
        state[_STATE] = values
    return state[_STATE]


def sync() -> None:
    """Write the shared choices into the URL (the navigation dropped them on a page switch)."""
    values = shared()
    for name in SHARED:
        wanted = _dump(name, values.get(name))
        current = st.query_params.get_all(name)
        if wanted is None:
            if current:
                del st.query_params[name]
        elif current != (wanted if isinstance(wanted, list) else [wanted]):
            st.query_params[name] = wanted


def _remember(name: str, key: str, single_list: bool) -> None:
    value = st.session_state.get(key)
    if single_list:  # a single-choice widget over a shared list: ``None`` means everyone
        value = [] if value is None else [value]
    if value in (None, []):
        shared().pop(name, None)
    else:
        shared()[name] = list(value) if name in LISTS else value
    sync()


def _prepare(key: str, shared_value: Any, fallback: Any, valid: Callable[[Any], bool]) -> None:
    # Set before the widget exists, so the widget shows it. The shared value wins: the widget's
    # own changes reach it at once (on_change), so it differs only when another page or a link
    # chose. Without one, the widget keeps its value while the page offers it.
    state = st.session_state
    if shared_value is not None:
        state[key] = shared_value
    elif key not in state or not valid(state[key]):
        state[key] = fallback


def select(
    container,
    name: str,
    label: str,
    options: Sequence,
    *,
    key: str,
    default: Any = None,
    format_func: Callable[[Any], str] = str,
    **kwargs,
) -> Any:
    """A selectbox whose value is the shared ``name`` when the page offers it, else ``default``
    (else the first option). Changing it changes the shared value and the URL. For ``dept`` and
    ``manager`` it picks one of the shared list (``None`` among the options means "everyone")."""
    options = list(options)
    if not options:
        return container.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    wanted = shared().get(name)
    if name in LISTS:
        wanted = wanted[0] if wanted and len(wanted) == 1 else None
    fallback = default if default in options else options[0]
    _prepare(key, wanted if wanted in options else None, fallback, lambda v: v in options)
    return container.selectbox(
        label,
        options,
        key=key,
        format_func=format_func,
        on_change=_remember,
        args=(name, key, name in LISTS),
        **kwargs,
    )


def multiselect(container, name: str, label: str, options: Sequence, *, key: str, **kwargs) -> list:
    """A multiselect over the shared ``dept`` or ``manager`` list: the names the page knows are
    chosen, the others ignored; an empty choice means everyone."""
    options = list(options)
    chosen = shared().get(name)
    known = None if chosen is None else [v for v in chosen if v in options]
    _prepare(key, known, [], lambda values: all(v in options for v in values))
    return container.multiselect(
        label, options, key=key, on_change=_remember, args=(name, key, False), **kwargs
    )


def link(lang: str) -> str:
    """This view's address: the page, the language and the shared filters."""
    sync()
    base = st.context.url or ""
    pairs = [(name, value) for name in st.query_params for value in st.query_params.get_all(name)]
    return f"{base}?{urlencode(pairs)}" if pairs else base


def copy_link(lang: str, container=None) -> None:
    """A "link to this view" control: the address to copy, with the copy button of ``st.code``."""
    area = container or st
    with area.popover(t("pages.link.button", lang), icon=":material/link:"):
        st.caption(t("pages.link.help", lang))
        st.code(link(lang), language=None, wrap_lines=True)
