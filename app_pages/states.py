"""Empty and error states the pages share (not a page).

An empty page says what to upload, links to the upload page and offers the sample file. An
unexpected error shows a short message instead of a traceback; the traceback goes to the log.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.errors import StreamlitAPIException

from sales_analytics import ui_cache
from sales_analytics.i18n import t

log = logging.getLogger("sales_analytics.pages")

# which sample file shows the layout of each kind of data (demo.template_files names them)
TEMPLATES = {"sales": "(отчёт 1С).xlsx", "forecast": "Прогноз", "plan": "План"}
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def upload_link(lang: str, container=None) -> None:
    """A link to the upload page; a plain hint when the page runs outside the app's navigation."""
    area = container or st
    try:
        area.page_link(
            "app_pages/upload.py", label=t("pages.go_upload", lang), icon=":material/arrow_forward:"
        )
    except StreamlitAPIException:
        area.caption(t("pages.go_upload_hint", lang))


def empty(message: str, lang: str, needs: tuple[str, ...] = ("sales",)) -> None:
    """Say what is missing and what to upload, link to the upload page, offer the sample files of
    ``needs`` (sales, forecast, plan), and stop the page."""
    st.info(message, icon=":material/upload_file:")
    upload_link(lang)
    templates = ui_cache.template_files()
    for kind in needs:
        for file_name, content in templates.items():
            if TEMPLATES[kind] in file_name:
                st.download_button(
                    t("pages.template", lang, name=file_name),
                    content,
                    file_name=file_name,
                    mime=MIME.get(file_name.rsplit(".", 1)[-1].lower(), "application/octet-stream"),
                    icon=":material/download:",
                    on_click="ignore",
                    key=f"empty_template:{file_name}",
                )
    st.stop()


def run(page, lang: str) -> None:
    """Run the navigation's page; an unexpected error becomes a message, its traceback a log line.
    (``st.stop`` and reruns are not errors: Streamlit raises them as BaseException.)"""
    try:
        page.run()
    except Exception:
        log.exception("page %s failed", getattr(page, "url_path", page))
        st.error(t("pages.error", lang), icon=":material/error:")
