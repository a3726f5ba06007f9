"""Widgets the forecast and forecast-changes pages share (not a page: app.py does not list it)."""

import streamlit as st
from streamlit.errors import StreamlitAPIException

from sales_analytics import export
from sales_analytics.i18n import t
from sales_analytics.reports.forecast_display import excel_table


def upload_link(lang: str) -> None:
    """A link to the upload page; a plain hint when the page runs outside the app's navigation."""
    try:
        st.page_link(
            "app_pages/upload.py", label=t("forecast.go_upload", lang), icon=":material/arrow_forward:"
        )
    except StreamlitAPIException:
        st.caption(t("forecast.go_upload_hint", lang))


def download(frame, columns: list[str], name: str, title: str, key: str, lang: str) -> None:
    """An Excel download of a table: raw money with kopecks, headers in the reader's language."""
    st.download_button(
        t("forecast.download", lang),
        export.to_xlsx(excel_table(frame, columns, lang), sheet_name=name, title=title),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=key,
    )
