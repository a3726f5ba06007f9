"""Обзор: the CEO's one screen. Are we on plan this month, where will we land, what changed this week,
who needs a call, and how fresh the data is; the weekly summary to download.

Every figure comes from ``reports.summary`` (which reads the forecast, changes, plan/fact and clients
reports) through the data-version cache. Laid out for a phone too: short labels, cards that wrap,
a four-column table.

The figures are computed in the order they are drawn, and the one-line answer and the cards come
first: Streamlit sends each element as it is drawn, so on a server just started (every cache cold)
the cards show while the chart and the lists are still being computed.
"""

from datetime import date

import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_pages import states
from sales_analytics import charts_overview, ui_cache
from sales_analytics.i18n import format_day, format_money, format_month, format_number, format_percent, t
from sales_analytics.reports import clients, summary
from sales_analytics.reports.forecast_display import display_table

lang = ui_cache.lang()
status = ui_cache.data_status()

st.title(t("ui.overview.title", lang))


def link(page: str, label: str, icon: str = ":material/arrow_forward:") -> None:
    """A link to another page; a plain hint when the page runs outside the app's navigation."""
    try:
        st.page_link(page, label=label, icon=icon)
    except StreamlitAPIException:
        st.caption(label)


if status.is_empty:
    states.empty(t("ui.overview.empty", lang), lang, needs=("sales", "forecast", "plan"))

today = date.today()
as_of = summary.overview_as_of(status, today)
fresh = summary.Freshness(today=today, last_sale=status.last_sale, last_snapshot=status.last_snapshot)

# --- freshness and the weekly file ----------------------------------------------------------------
st.caption(
    t("summary.as_of", lang, day=format_day(as_of, lang))
    + ". "
    + t(
        "summary.freshness",
        lang,
        sales=format_day(status.last_sale, lang),
        snapshot=format_day(status.last_snapshot, lang),
    )
)
problems = []
if status.last_sale is None:
    problems.append(t("summary.missing_sales", lang))
elif fresh.sales_stale:
    problems.append(
        t("summary.stale_sales", lang, day=format_day(status.last_sale, lang), age=fresh.sales_age)
    )
if status.last_snapshot is None:
    problems.append(t("summary.missing_snapshot", lang))
elif fresh.snapshot_stale:
    problems.append(
        t("summary.stale_snapshot", lang, day=format_day(status.last_snapshot, lang), age=fresh.snapshot_age)
    )
if problems:
    st.warning("  \n".join(problems), icon=":material/schedule:")
    link("app_pages/upload.py", t("summary.go_upload", lang))

st.download_button(
    t("summary.download", lang),
    # built when someone clicks, not on every rerun
    lambda: ui_cache.report(summary.summary_workbook, as_of=as_of, lang=lang, today=today),
    file_name=f"summary_{as_of.isoformat()}.xlsx",
    mime=summary.XLSX_MIME,
    icon=":material/download:",
    on_click="ignore",
    help=t("summary.download_help", lang),
    key="summary_xlsx",
)

# --- this month -----------------------------------------------------------------------------------
cards = ui_cache.report(summary.month_cards, as_of=as_of, lang=lang)
st.subheader(t("summary.month_title", lang, month=format_month(cards.month, lang).capitalize()))

if cards.landing is None:
    st.markdown(
        t(
            "summary.headline.no_landing",
            lang,
            snapshot=format_day(cards.snapshot, lang),
            fact=format_money(cards.fact_to_date, lang),
        )
    )
elif cards.plan is None:
    st.markdown(t("summary.headline.no_plan", lang, landing=format_money(cards.landing, lang)))
else:
    st.markdown(
        t(
            "summary.headline.short" if cards.gap > 0 else "summary.headline.over",
            lang,
            gap=format_money(abs(cards.gap), lang),
            landing=format_money(cards.landing, lang),
            share=format_percent(cards.attainment, lang),
        )
    )

day = format_day(as_of, lang)[:5] if lang == "ru" else format_day(as_of, lang).rsplit(" ", 1)[0]
quiet = {"delta_color": "off", "delta_arrow": "off", "border": True}
# Two rows of three: on a phone the columns stack, and the answers (landing, gap) come first.
answers = st.columns(3)
answers[0].metric(
    t("summary.card.landing", lang),
    format_money(cards.landing, lang),
    delta=(
        t("summary.delta.share", lang, share=format_percent(cards.attainment, lang))
        if cards.attainment is not None
        else t("summary.delta.no_landing" if cards.landing is None else "summary.delta.no_plan", lang)
    ),
    delta_color="off" if cards.attainment is None else "normal" if cards.attainment >= 1 else "inverse",
    delta_arrow="off",
    help=t("summary.help.landing", lang, snapshot=format_day(cards.snapshot, lang)),
    border=True,
)
if cards.gap is None:
    answers[1].metric(t("summary.card.gap", lang), "—", **quiet)
else:
    answers[1].metric(
        t("summary.card.gap", lang),
        format_money(abs(cards.gap), lang),
        delta=t("summary.delta.short" if cards.gap > 0 else "summary.delta.over", lang),
        # the delta's words carry no sign: "inverse" paints a shortfall red, "normal" a surplus green
        delta_color="inverse" if cards.gap > 0 else "normal",
        delta_arrow="off",
        border=True,
    )
answers[2].metric(
    t("summary.card.plan", lang),
    format_money(cards.plan, lang),
    delta=t("summary.delta.days", lang, elapsed=cards.elapsed_days, total=cards.working_days),
    **quiet,
)
to_date = st.columns(3)
to_date[0].metric(
    t("summary.card.fact", lang, day=day),
    format_money(cards.fact_to_date, lang),
    delta=(
        t(
            "summary.delta.vs_plan_to_date",
            lang,
            diff=("+" if cards.fact_to_date >= cards.plan_to_date else "")
            + format_money(cards.fact_to_date - cards.plan_to_date, lang),
        )
        if cards.plan_to_date is not None
        else None
    ),
    delta_arrow="off",
    border=True,
)
to_date[1].metric(
    t("summary.card.plan_to_date", lang, day=day),
    format_money(cards.plan_to_date, lang),
    help=t("summary.help.plan_to_date", lang),
    border=True,
)
to_date[2].metric(
    t("summary.card.open", lang),
    format_money(cards.weighted_open, lang),
    delta=t("summary.delta.deals", lang, count=format_number(cards.deals, lang)),
    **quiet,
)

# The week's changes and the dormant clients take longest on a server just started: computed beside
# the chart, in the background, and kept even when the tab is closed before they are drawn.
ui_cache.prefetch(
    (summary.top_changes, {"as_of": as_of, "lang": lang}),
    (summary.big_dormant, {"as_of": as_of, "lang": lang}),
)

# --- the next months ------------------------------------------------------------------------------
# imported here, after the cards: the exports bring the xlsx writer, which the first paint needn't wait for
from app_pages import downloads  # noqa: E402

following = ui_cache.report(summary.next_months, as_of=as_of, lang=lang)
st.subheader(t("summary.next_title", lang))
if following.attrs.get("snapshot") is None:
    st.info(t("summary.no_forecast", lang), icon=":material/upload_file:")
else:
    st.caption(
        t(
            "summary.next_caption",
            lang,
            snapshot=format_day(following.attrs["snapshot"], lang),
            month=format_month(cards.month, lang),
        )
    )
downloads.Exports(t("ui.overview.title", lang), lang).chart(
    charts_overview.outlook(cards, following, lang),
    name="overview_outlook",
    title=t("summary.next_title", lang),
    key="overview_outlook",
)

# --- the week's changes ---------------------------------------------------------------------------
top = ui_cache.report(summary.top_changes, as_of=as_of, lang=lang)
st.subheader(t("summary.changes_title", lang))
if top.attrs.get("snapshot_b") is None:
    st.info(t("summary.changes_none", lang), icon=":material/compare_arrows:")
else:
    window = top.attrs
    st.markdown(
        t(
            "summary.changes_line",
            lang,
            window=f"{format_month(window['window_from'], lang)} – {format_month(window['window_to'], lang)}",
            start=format_money(window["start"], lang),
            end=format_money(window["end"], lang),
            change=("+" if window["change"] > 0 else "") + format_money(window["change"], lang),
            date_from=format_day(window["snapshot_a"], lang),
            date_to=format_day(window["snapshot_b"], lang),
        )
    )
    if top.empty:
        st.success(t("summary.changes_quiet", lang), icon=":material/check_circle:")
    else:
        # a static table: its cells wrap on a phone, where a data grid would scroll sideways
        shown = display_table(
            top,
            {"effect": "money", "client": "text", "manager": "text", "category": "category"},
            lang,
            headers={"effect": t("summary.col.effect", lang), "category": t("summary.col.what", lang)},
        )
        first = shown.columns[0]
        shown[first] = shown[first].str.replace(" ₽", "\u00a0₽")  # the sign stays with its number
        st.table(shown, hide_index=True)
link("app_pages/changes.py", t("summary.go_changes", lang))

# --- clients worth a call -------------------------------------------------------------------------
st.subheader(t("summary.dormant_title", lang))
if status.last_sale is None:
    st.info(t("summary.no_sales", lang), icon=":material/upload_file:")
else:
    dormant = ui_cache.report(summary.big_dormant, as_of=as_of, lang=lang)
    row = st.columns(3)
    row[0].metric(t("summary.dormant_count", lang), format_number(dormant.count, lang), border=True)
    row[1].metric(
        t("summary.dormant_turnover", lang, lookback=clients.DEFAULT_LOOKBACK),
        format_money(dormant.turnover, lang),
        border=True,
    )
    st.caption(
        t(
            "summary.dormant_caption",
            lang,
            months=clients.DEFAULT_MONTHS,
            min_month=format_money(dormant.min_month, lang),
        )
    )
link("app_pages/clients.py", t("summary.go_clients", lang))
