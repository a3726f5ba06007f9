"""Разбор файла без сохранения: files dropped here go into this browser session's own in-memory
database, and every page of the session reads that one until the person leaves meeting mode.

The import is ``ui_cache.meeting_import`` (``ingest.import_file`` into the session's database, never
archived); what the pages show is whatever ``ui_cache.database()`` returns, so they need no change.
"""

import re

import pandas as pd
import streamlit as st

from sales_analytics import ui_cache
from sales_analytics.i18n import format_day, format_money, format_number, t
from sales_analytics.ingest import KINDS, InputError

lang = ui_cache.lang()
state = st.session_state
state.setdefault("meeting_gen", 0)  # bumping it gives a fresh, empty uploader

TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
AUTO = ""
PAGES = [
    ("app_pages/overview.py", "ui.page.overview", ":material/dashboard:"),
    ("app_pages/forecast.py", "forecast.title", ":material/trending_up:"),
    ("app_pages/plan_fact.py", "plan_fact.title", ":material/flag:"),
    ("app_pages/clients.py", "clients.title", ":material/groups:"),
]


def md(text: object) -> str:
    """Text from a file, safe inside Streamlit markdown (no emphasis, links, HTML or LaTeX)."""
    return re.sub(r"([\\`*_\[\]<>#|$~:])", r"\\\1", str(text))


def kind_label(kind: str) -> str:
    return t("meeting.kind_auto", lang) if kind == AUTO else t(f"kind.{kind}", lang)


def show_results(results: list[dict]) -> None:
    for item in results:
        name = md(item["file"])
        error: InputError | None = item.get("error")
        if error is not None:
            lines = [
                f"**{t('meeting.result_failed', lang, file=name)}**",
                *map(md, error.message(lang).splitlines()),
            ]
            st.error("  \n".join(lines), icon=":material/error:")
            continue
        result = item["result"]
        parts = [
            t(
                "meeting.result_ok",
                lang,
                file=name,
                kind=t(f"kind.{result.kind}", lang),
                rows=format_number(result.rows, lang),
                amount=format_money(result.amount_total, lang),
            )
        ]
        if result.snapshot_date is not None:
            parts.append(t("meeting.result_snapshot", lang, date=format_day(result.snapshot_date, lang)))
        if result.skipped:
            parts.append(t("meeting.result_skipped", lang, count=format_number(len(result.skipped), lang)))
        st.success("; ".join(parts), icon=":material/check_circle:")


def analyse(uploads, kinds: list[str], skip_invalid: bool) -> list[dict]:
    results = []
    for upload, kind in zip(uploads, kinds, strict=True):
        item = {"file": upload.name}
        with st.spinner(t("meeting.importing", lang, file=upload.name)):
            try:
                item["result"] = ui_cache.meeting_import(
                    upload.getvalue(), upload.name, kind or None, skip_invalid=skip_invalid
                )
            except InputError as error:
                item["error"] = error
        results.append(item)
    return results


def loaded_lines(history: pd.DataFrame) -> str:
    """One line per file, not a table: it reads on a phone without scrolling sideways."""
    return "\n".join(
        t(
            "meeting.loaded_line",
            lang,
            file=md(batch.file_name),
            kind=t(f"kind.{batch.kind}", lang),
            rows=format_number(batch.row_count, lang),
            amount=format_money(batch.amount_total, lang),
        )
        for batch in history.itertuples(index=False)
    )


# --- the page ------------------------------------------------------------------------------------

st.title(t("meeting.title", lang))
st.markdown(t("meeting.intro", lang))

if "meeting_results" in state:
    show_results(state["meeting_results"])

uploads = st.file_uploader(
    t("meeting.uploader", lang),
    type=TYPES,
    accept_multiple_files=True,
    key=f"meeting_uploader:{state.meeting_gen}",
    on_change=lambda: state.pop("meeting_results", None),
)

if uploads:
    kinds = [
        st.selectbox(
            t("meeting.kind", lang, file=upload.name),
            [AUTO, *KINDS],
            format_func=kind_label,
            key=f"meeting_kind:{upload.file_id}",
        )
        for upload in uploads
    ]
    skip_invalid = st.checkbox(
        t("ui.upload.skip_invalid", lang),
        value=False,
        help=t("ui.upload.skip_invalid_help", lang),
        key="meeting_skip_invalid",
    )
    if st.button(
        t("meeting.analyse", lang), type="primary", icon=":material/co_present:", key="meeting_analyse"
    ):
        results = analyse(uploads, kinds, skip_invalid)
        state["meeting_results"] = results
        if all("result" in item for item in results):
            state.meeting_gen += 1
        st.rerun()

if not ui_cache.meeting_active():
    st.caption(t("meeting.company_untouched", lang))
    st.stop()

st.subheader(t("meeting.loaded", lang))
history = ui_cache.list_batches()
if history.empty:
    st.caption(t("meeting.loaded_empty", lang))
    st.stop()
st.markdown(loaded_lines(history))

st.markdown(f"**{t('meeting.see', lang)}**")
links = st.columns(len(PAGES))
for column, (path, title, icon) in zip(links, PAGES, strict=True):
    column.page_link(path, label=t(title, lang), icon=icon)
