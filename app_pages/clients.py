"""Клиенты: who went quiet, who buys much less, the segments per manager, and the call list."""

from datetime import date

import streamlit as st

from app_pages import filters, states
from app_pages.downloads import Exports
from sales_analytics import calendar, call_list, charts_plan, ui_cache
from sales_analytics.charts_plan import COUNT, DAY, MONEY, TEXT
from sales_analytics.i18n import format_day, format_money, format_month, format_number, t
from sales_analytics.reports import clients, segments

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

lang = ui_cache.lang()
status = ui_cache.data_status()

filters.sync()
st.title(t("clients.title", lang))

if not status.sales_rows:
    states.empty(t("clients.empty", lang), lang, ("sales",))

latest_sale = status.last_sale or date.today()
options = ui_cache.report(clients.filter_options, lang=lang)


# Rows per screen of a list (a bare string here would be drawn on the page by Streamlit's magic).
# Each shown cell is formatted as people here write numbers, which is what a rerun costs most; a
# list of thousands is read from the top (largest first) and worked through from the Excel file,
# which holds every row. Further rows are a page away.
PAGE_ROWS = 200


def table(frame, columns, key: str) -> None:
    shown = frame
    if len(frame) > PAGE_ROWS:
        pages = -(-len(frame) // PAGE_ROWS)
        row = st.columns([1, 4], vertical_alignment="bottom")
        number = row[0].number_input(t("clients.table_page", lang), 1, pages, 1, key=f"{key}_page_{pages}")
        first = (number - 1) * PAGE_ROWS
        shown = frame.iloc[first : first + PAGE_ROWS]
        row[1].caption(
            t(
                "clients.paged",
                lang,
                first=format_number(first + 1, lang),
                last=format_number(first + len(shown), lang),
                count=format_number(len(frame), lang),
            )
        )
    st.dataframe(
        charts_plan.styled_table(shown, columns, "clients", lang),
        hide_index=True,
        width="stretch",
        key=key,
        placeholder="—",
    )


def download(frame, columns, name: str, title: str, key: str, extra=None) -> None:
    out.table(frame, columns, name=name, title=title, key=key, prefix="clients", extra=extra)


# --- the settings the lists share ----------------------------------------------------------------

with st.container(border=True):
    row = st.columns([2, 1, 1, 2, 2])
    as_of = row[0].date_input(
        t("clients.as_of", lang), value=latest_sale, format="DD.MM.YYYY", key="clients_as_of"
    )
    months = row[1].number_input(
        t("clients.months", lang),
        1,
        36,
        clients.DEFAULT_MONTHS,
        help=t("clients.months_help", lang),
        key="clients_months",
    )
    lookback = row[2].number_input(
        t("clients.lookback", lang),
        6,
        60,
        clients.DEFAULT_LOOKBACK,
        help=t("clients.lookback_help", lang),
        key="clients_lookback",
    )
    min_size = row[3].number_input(
        t("clients.min_size", lang),
        0,
        None,
        0,
        step=10_000,
        help=t("clients.min_size_help", lang),
        key="clients_min_size",
    )
    size_per = row[4].segmented_control(
        t("clients.size_per", lang),
        clients.SIZE_UNITS,
        default="month",
        required=True,
        format_func=lambda unit: t(f"clients.size_per.{unit}", lang),
        key="clients_size_per",
    )
    row = st.columns([2, 2, 1, 2])
    managers = filters.multiselect(
        row[0],
        filters.MANAGER,
        t("clients.managers", lang),
        options["managers"],
        placeholder=t("clients.all", lang),
        key="clients_managers",
    )
    departments = filters.multiselect(
        row[1],
        filters.DEPARTMENT,
        t("clients.departments", lang),
        options["departments"],
        placeholder=t("clients.all", lang),
        key="clients_departments",
    )
    recent = row[2].number_input(
        t("clients.recent", lang),
        1,
        12,
        clients.DEFAULT_RECENT,
        help=t("clients.recent_help", lang),
        key="clients_recent",
    )
    drop_percent = row[3].slider(
        t("clients.drop", lang),
        10,
        90,
        int(clients.DEFAULT_DROP * 100),
        step=5,
        format="%d %%",
        key="clients_drop",
    )
drop = f"{drop_percent / 100:.2f}"
report_filters = {
    "min_size": min_size or None,
    "size_per": size_per,
    "managers": tuple(managers),
    "departments": tuple(departments),
    "lang": lang,
}

everyone = t("pages.filter.all", lang)
out = Exports(
    t("clients.title", lang),
    lang,
    [
        (t("clients.as_of", lang), format_day(as_of, lang)),
        (t("clients.managers", lang), ", ".join(managers) or everyone),
        (t("clients.departments", lang), ", ".join(departments) or everyone),
        (
            t("clients.min_size", lang),
            f"{format_money(min_size, lang)} / {t(f'clients.size_per.{size_per}', lang)}",
        ),
    ],
)
filters.copy_link(lang)

# --- the call list: built on click, from the settings above ----------------------------------------

row = st.columns([1, 3], vertical_alignment="center")
row[0].download_button(
    t("clients.call_list.download", lang),
    lambda: ui_cache.report(
        call_list.call_list_workbook,
        as_of=as_of,
        months=months,
        lookback=lookback,
        recent=recent,
        drop=drop,
        **report_filters,
    ),
    file_name=f"{t('clients.call_list.file', lang)}_{as_of.isoformat()}.xlsx",
    mime=XLSX,
    icon=":material/call:",
    type="primary",
    on_click="ignore",
    key="clients_call_list_download",
    width="stretch",
)
row[1].caption(t("clients.call_list.help", lang))

# Only the open tab computes its lists (the tab's state reruns the page when it changes).
dormant_tab, declining_tab, segments_tab = st.tabs(
    [t("clients.tab.dormant", lang), t("clients.tab.declining", lang), t("clients.tab.segments", lang)],
    key="clients_tab",
    on_change="rerun",
)

# --- dormant -------------------------------------------------------------------------------------

if dormant_tab.open:
    with dormant_tab:
        dormant = ui_cache.report(
            clients.dormant_clients, as_of=as_of, months=months, lookback=lookback, **report_filters
        )
        st.caption(
            t(
                "clients.dormant.caption",
                lang,
                months=months,
                lookback=lookback,
                date=format_day(calendar.add_months(as_of, -months), lang),
            )
        )
        if dormant.empty:
            st.info(t("clients.dormant.none", lang))
        else:
            st.markdown(
                t(
                    "clients.dormant.summary",
                    lang,
                    count=format_number(len(dormant), lang),
                    total=format_money(dormant["lookback_turnover"].sum(), lang),
                    lookback=lookback,
                )
            )
            dormant_columns = {
                "client": TEXT,
                "manager": TEXT,
                "department": TEXT,
                "last_purchase": DAY,
                "days_since": COUNT,
                "lookback_turnover": MONEY,
                "active_months": COUNT,
                "avg_month": MONEY,
                "margin": MONEY,
            }
            table(dormant, dormant_columns, "clients_dormant_table")
            download(
                dormant,
                dormant_columns,
                "dormant",
                t("clients.tab.dormant", lang),
                "clients_dormant_download",
                extra=[
                    (t("clients.months", lang), str(months)),
                    (t("clients.lookback", lang), str(lookback)),
                ],
            )

# --- declining -----------------------------------------------------------------------------------

if declining_tab.open:
    with declining_tab:
        declining = ui_cache.report(
            clients.declining_clients, as_of=as_of, recent=recent, drop=drop, months=months, **report_filters
        )
        st.caption(t("clients.declining.caption", lang, recent=recent, drop=drop_percent, months=months))
        if declining.empty:
            st.info(t("clients.declining.none", lang))
        else:
            st.markdown(
                t(
                    "clients.declining.summary",
                    lang,
                    count=format_number(len(declining), lang),
                    total=format_money(-declining["change"].sum(), lang),
                    recent=recent,
                )
            )
            declining_columns = {
                "client": TEXT,
                "manager": TEXT,
                "department": TEXT,
                "last_purchase": DAY,
                "recent_turnover": MONEY,
                "previous_average": MONEY,
                "change": MONEY,
                "margin": MONEY,
            }
            table(declining, declining_columns, "clients_declining_table")
            download(
                declining,
                declining_columns,
                "declining",
                t("clients.tab.declining", lang),
                "clients_declining_download",
                extra=[
                    (t("clients.recent", lang), str(recent)),
                    (t("clients.drop", lang), f"{drop_percent} %"),
                ],
            )

# --- segments per manager ------------------------------------------------------------------------

if segments_tab.open:
    with segments_tab:
        plan_months = ui_cache.report(segments.plan_months)
        next_month = calendar.add_months(latest_sale.replace(day=1), 1)
        plan_month = filters.select(
            st.columns([1, 2])[0],
            filters.MONTH,
            t("clients.segments.month", lang),
            plan_months,
            default=next_month,
            format_func=lambda m: format_month(m, lang),
            key="clients_segments_month",
        )
        st.caption(
            t(
                "clients.segments.caption",
                lang,
                first=format_month(calendar.add_months(plan_month, -4), lang),
                last=format_month(calendar.add_months(plan_month, -1), lang),
                quiet=format_month(calendar.add_months(plan_month, -5), lang),
            )
        )
        # "Clicking a segment lists its clients": the segment and manager are chosen below the
        # summary but read before it, so that one pass over the history gives both
        summary_area = st.container()
        row = st.columns([3, 1])
        segment = row[0].segmented_control(
            t("clients.segments.segment", lang),
            segments.SEGMENTS,
            default="regular",
            required=True,
            format_func=lambda s: t(f"clients.segment.{s}", lang),
            key="clients_segment",
        )
        manager = filters.select(
            row[1],
            filters.MANAGER,
            t("clients.segments.manager", lang),
            [None, *options["managers"]],
            format_func=lambda m: t("clients.all", lang) if m is None else m,
            key="clients_segment_manager",
        )
        view = ui_cache.report(
            segments.segments_view, month=plan_month, segment=segment, manager=manager, lang=lang
        )
        summary = view.summary
        segment_filters = [
            (t("clients.segments.month", lang), format_month(plan_month, lang)),
            (t("clients.segments.manager", lang), manager or t("clients.all", lang)),
        ]
        with summary_area:
            if summary.empty:
                st.info(t("clients.segments.none", lang))
            else:
                summary_columns = {
                    "manager": TEXT,
                    "regular_clients": COUNT,
                    "regular_turnover": MONEY,
                    "oneoff_clients": COUNT,
                    "oneoff_turnover": MONEY,
                    "new_clients": COUNT,
                    "lapsing_clients": COUNT,
                    "window_turnover": MONEY,
                }
                table(summary, summary_columns, "clients_segments_table")
                download(
                    summary,
                    summary_columns,
                    "segments",
                    t("clients.tab.segments", lang),
                    "clients_segments_download",
                    extra=segment_filters,
                )
                out.chart(
                    charts_plan.segments_figure(summary, lang),
                    name=f"segments_{plan_month:%Y-%m}",
                    title=t("clients.tab.segments", lang),
                    key="clients_segments_chart",
                )
        if not summary.empty:
            label = t(f"clients.segment.{segment}", lang)
            st.markdown(f"**{t('clients.segments.pick', lang, segment=label)}**")
            st.caption(t(f"clients.segment.{segment}.help", lang))
            listed = view.clients
            if listed.empty:
                st.info(t("clients.segments.empty_segment", lang))
            else:
                listed_columns = {
                    "client": TEXT,
                    "manager": TEXT,
                    "department": TEXT,
                    "months_bought": COUNT,
                    "window_turnover": MONEY,
                    "last_purchase": DAY,
                }
                table(listed, listed_columns, "clients_segment_clients_table")
                download(
                    listed,
                    listed_columns,
                    f"segment_{segment}",
                    label,
                    "clients_segment_clients_download",
                    extra=segment_filters,
                )
