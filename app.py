"""The frame: page setup, navigation, the sidebar (language, data status) and the demo-data start.

Run with ``streamlit run app.py``. The pages live in ``app_pages/``, not ``pages/``: Streamlit reads a
``pages/`` folder beside the main script as its old multipage convention.
"""

import streamlit as st

from app_pages import filters, login, states
from app_pages.meeting_widgets import meeting_banner
from sales_analytics import batches, ui_cache
from sales_analytics.db import DatabaseBusy
from sales_analytics.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_day, t
from sales_analytics.ingest import InputError

# Language: the URL (?lang=en) on a session's first run, then the sidebar switch.
state = st.session_state
if ui_cache.LANG_KEY not in state:
    asked = st.query_params.get(ui_cache.LANG_KEY)
    state[ui_cache.LANG_KEY] = asked if asked in LANGUAGES else DEFAULT_LANGUAGE
lang = ui_cache.lang()

st.set_page_config(layout="wide", page_title=t("ui.app.title", lang), page_icon=":material/bar_chart:")


def switch_language() -> None:
    state[ui_cache.LANG_KEY] = state["lang_switch"]


with st.sidebar:
    st.segmented_control(
        "Язык / Language",
        LANGUAGES,
        default=lang,
        format_func=lambda code: t(f"ui.language.{code}", code),
        required=True,
        key="lang_switch",
        on_change=switch_language,
    )
if st.query_params.get(ui_cache.LANG_KEY) != lang:
    st.query_params[ui_cache.LANG_KEY] = lang

# Login (off unless users are configured): before any figure, an anonymous visitor gets only the
# form; the sidebar then says who is logged in. Changes check the role again when they act.
user = login.gate(lang)

pages = [
    st.Page(
        "app_pages/overview.py",
        title=t("ui.page.overview", lang),
        icon=":material/dashboard:",
        url_path="home",
        default=True,
    ),
    st.Page(
        "app_pages/forecast.py",
        title=t("forecast.title", lang),
        icon=":material/trending_up:",
        url_path="pipeline",
    ),
    st.Page(
        "app_pages/changes.py",
        title=t("changes.title", lang),
        icon=":material/waterfall_chart:",
        url_path="moves",
    ),
    st.Page(
        "app_pages/plan_fact.py",
        title=t("plan_fact.title", lang),
        icon=":material/flag:",
        url_path="plan-fact",
    ),
    st.Page(
        "app_pages/clients.py",
        title=t("clients.title", lang),
        icon=":material/groups:",
        url_path="clients-list",
    ),
    st.Page(
        "app_pages/plan_builder.py",
        title=t("plan_builder.title", lang),
        icon=":material/construction:",
        url_path="plan-builder",
    ),
    st.Page(
        "app_pages/upload.py", title=t("ui.page.upload", lang), icon=":material/upload_file:", url_path="data"
    ),
    st.Page(
        "app_pages/meeting.py",
        title=t("meeting.title", lang),
        icon=":material/co_present:",
        url_path="meeting",
    ),
    st.Page(
        "app_pages/quality.py",
        title=t("quality.title", lang),
        icon=":material/fact_check:",
        url_path="quality",
    ),
]
page = st.navigation(pages)

try:
    if ui_cache.demo_pending():
        with st.spinner(t("ui.demo.loading", lang)):
            ui_cache.ensure_demo()
    status = ui_cache.data_status()
except DatabaseBusy:
    st.error(t("ui.db.busy", lang), icon=":material/hourglass:")
    st.stop()
except InputError as error:  # the demo did not import: say so, and go on without it
    st.warning(f"{t('ui.demo.failed', lang)}\n\n{error.message(lang)}", icon=":material/warning:")
    status = ui_cache.data_status()

with st.sidebar:
    st.subheader(t("ui.sidebar.data", lang))
    if status.is_demo:
        st.badge(t("ui.demo.badge", lang), icon=":material/science:", color="orange")
    st.caption(
        "  \n".join(
            [
                t("ui.sidebar.last_sale", lang, date=format_day(status.last_sale, lang)),
                t("ui.sidebar.last_snapshot", lang, date=format_day(status.last_snapshot, lang)),
                t("ui.sidebar.batches", lang, count=status.batches),
            ]
        )
    )


def delete_demo() -> None:
    try:
        login.require_role("editor")
        with ui_cache.database().cursor() as con:
            count = batches.delete_demo(con, login.actor())
        st.toast(t("ui.demo.deleted", lang, count=count), icon=":material/delete:")
    except login.auth.Forbidden:
        st.toast(t("auth.forbidden_action", lang), icon=":material/block:")
    except DatabaseBusy:
        st.toast(t("ui.db.busy", lang), icon=":material/hourglass:")


meeting_banner(lang)  # meeting mode: nothing this tab loads is saved

if status.is_demo:
    with st.container(border=False, key="demo_notice"):
        st.info(t("ui.demo.notice", lang), icon=":material/science:")
        if user.can("editor"):
            st.button(
                t("ui.demo.delete", lang), icon=":material/delete:", key="delete_demo", on_click=delete_demo
            )

filters.sync()  # the navigation drops the query string on a page switch; put the filters back
states.run(page, lang)
