"""The meeting-mode banner the frame draws above every page (not a page: app.py does not list it)."""

import streamlit as st

from sales_analytics import ui_cache
from sales_analytics.i18n import t


def leave_meeting(lang: str) -> None:
    ui_cache.end_meeting()
    st.toast(t("meeting.left", lang), icon=":material/delete:")


def meeting_banner(lang: str) -> None:
    """In meeting mode: say that nothing is saved, and offer the way out (which drops the data)."""
    if not ui_cache.meeting_active():
        return
    with st.sidebar:
        st.badge(t("meeting.badge", lang), icon=":material/co_present:", color="violet")
    with st.container(key="meeting_banner"):
        text = "meeting.banner_expired" if ui_cache.meeting_expired() else "meeting.banner"
        st.warning(t(text, lang), icon=":material/co_present:")
        st.button(
            t("meeting.leave", lang),
            icon=":material/logout:",
            key="meeting_leave",
            on_click=leave_meeting,
            args=(lang,),
        )
