"""Прогноз: how much money comes in over the next months, weighted by probability, against the plan.

The page reads its choices, asks ``reports.forecast`` for each visual through the data-version cache
and draws: the landing of the current month, a bar per month stacked by group with the plan line,
the month × group table, the overdue panel and the deals behind any cell.
"""

from datetime import date

import streamlit as st

from app_pages import filters, states
from app_pages.downloads import Exports
from sales_analytics import charts_forecast, ui_cache
from sales_analytics.i18n import format_day, format_money, format_month, format_number, format_percent, t
from sales_analytics.reports import forecast
from sales_analytics.reports.forecast_display import display_table

lang = ui_cache.lang()
state = st.session_state

filters.sync()
st.title(t("forecast.title", lang))

status = ui_cache.data_status()
if status.snapshots == 0:
    states.empty(t("forecast.empty", lang), lang, ("forecast",))

dates = ui_cache.report(forecast.snapshot_dates)

# --- choices ------------------------------------------------------------------------------------
GROUPINGS = {
    "department": "forecast.by.department",
    "manager": "forecast.by.manager",
    "all": "forecast.by.all",
}
MEASURES = {"amount": "forecast.measure.amount", "margin": "forecast.measure.margin"}
VALUES = {"weighted": "forecast.value.weighted", "unweighted": "forecast.value.unweighted"}

choices = st.columns([1.2, 1.4, 1.6, 1.2, 1.4])
snapshot: date = filters.select(
    choices[0],
    filters.SNAPSHOT,
    t("forecast.snapshot", lang),
    list(reversed(dates)),
    format_func=lambda day: format_day(day, lang),
    key="forecast_snapshot",
)
months: int = choices[1].slider(t("forecast.horizon", lang), 3, 12, 6, key="forecast_months")
by: str = choices[2].radio(
    t("forecast.by", lang), list(GROUPINGS), format_func=lambda k: t(GROUPINGS[k], lang),
    horizontal=True, key="forecast_by",
)  # fmt: skip
measure: str = choices[3].radio(
    t("forecast.measure", lang), list(MEASURES), format_func=lambda k: t(MEASURES[k], lang),
    horizontal=True, key="forecast_measure",
)  # fmt: skip
value: str = choices[4].radio(
    t("forecast.value", lang), list(VALUES), format_func=lambda k: t(VALUES[k], lang),
    horizontal=True, key="forecast_value",
)  # fmt: skip

out = Exports(
    t("forecast.title", lang),
    lang,
    [
        (t("forecast.snapshot", lang), format_day(snapshot, lang)),
        (t("forecast.horizon", lang), str(months)),
        (t("forecast.by", lang), t(GROUPINGS[by], lang)),
        (t("forecast.measure", lang), t(MEASURES[measure], lang)),
        (t("forecast.value", lang), t(VALUES[value], lang)),
    ],
)
filters.copy_link(lang)

params = {"as_of": snapshot, "months": months, "by": by, "lang": lang, "measure": measure}
report = ui_cache.report(forecast.forecast_report, **params)
totals = forecast.month_totals(report)
landing = ui_cache.report(forecast.landing, as_of=snapshot, by=by, lang=lang, measure=measure)
deals = ui_cache.report(forecast.forecast_deals, **params, place="all")
measure_name = t(MEASURES[measure], lang).lower()

st.caption(t("forecast.caption", lang, snapshot=format_day(snapshot, lang), measure=measure_name))

# --- landing of the snapshot's month -------------------------------------------------------------
total = landing[landing["is_total"]].iloc[0]
st.subheader(t("forecast.landing.title", lang, month=format_month(total["month"], lang)))
cards = st.columns(3)
cards[0].metric(t("forecast.landing.fact", lang), format_money(total["fact_to_date"], lang), border=True)
cards[1].metric(
    t("forecast.landing.open", lang),
    format_money(total["weighted_open"], lang),
    delta=t("forecast.deals_count", lang, count=int(total["deals"])),
    delta_color="off",
    delta_arrow="off",
    border=True,
)
if total["attainment"] is not None:
    cards[2].metric(
        t("forecast.landing.landing", lang),
        format_money(total["landing"], lang),
        delta=t(
            "forecast.landing.against_plan",
            lang,
            share=format_percent(total["attainment"], lang),
            plan=format_money(total["plan"], lang),
        ),
        delta_color="normal" if total["attainment"] >= 1 else "inverse",
        delta_arrow="off",
        border=True,
    )
else:
    cards[2].metric(
        t("forecast.landing.landing", lang),
        format_money(total["landing"], lang),
        delta=t("forecast.landing.no_plan", lang),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
st.caption(t("forecast.landing.explain", lang, snapshot=format_day(snapshot, lang)))
if by != "all" and len(landing) > 1:
    with st.expander(t("forecast.landing.by_group", lang)):
        landing_columns = {
            "group": "text", "fact_to_date": "money", "weighted_open": "money", "deals": "int",
            "landing": "money", "plan": "money", "gap": "money", "attainment": "percent",
        }  # fmt: skip
        st.dataframe(
            display_table(landing, landing_columns, lang), hide_index=True, width="stretch", placeholder="—"
        )
        out.table(
            landing, landing_columns, name="landing", key="landing_xlsx",
            title=t("forecast.landing.title", lang, month=format_month(total["month"], lang)),
        )  # fmt: skip

# --- the months of the horizon -------------------------------------------------------------------
st.subheader(t("forecast.chart.title", lang, months=months))
if not totals.empty:
    following = totals.iloc[1] if len(totals) > 1 else totals.iloc[0]
    if following["plan"] is not None:
        short = following["gap"] > 0
        st.markdown(
            t(
                "forecast.next_month" if short else "forecast.next_month_over",
                lang,
                month=format_month(following["month"], lang),
                weighted=format_money(following["weighted"], lang),
                plan=format_money(following["plan"], lang),
                share=format_percent(following["weighted"] / following["plan"], lang)
                if following["plan"] > 0
                else "—",
                gap=format_money(following["gap"], lang),
                over=format_money(-following["gap"], lang),
            )
        )
    else:
        st.markdown(
            t(
                "forecast.next_month_no_plan",
                lang,
                month=format_month(following["month"], lang),
                weighted=format_money(following["weighted"], lang),
            )
        )
out.chart(
    charts_forecast.forecast_bars(report, lang, value),
    name="forecast",
    title=t("forecast.chart.title", lang, months=months),
    key="forecast_chart",
)

table_columns = {
    "group": "text", "month": "month", "weighted": "money", "unweighted": "money", "deals": "int",
    "plan": "money", "gap": "money",
}  # fmt: skip
in_months = report[report["month"].map(lambda m: isinstance(m, date))]
st.dataframe(
    display_table(in_months, table_columns, lang),
    hide_index=True,
    width="stretch",
    key="forecast_table",
    placeholder="—",
)
out.table(
    report,
    table_columns,
    name="forecast",
    title=t("forecast.chart.title", lang, months=months),
    key="forecast_xlsx",
)

# --- overdue and undated deals -------------------------------------------------------------------
overdue = forecast.pick_deals(deals, "overdue")
undated = forecast.pick_deals(deals, "undated")
deal_columns = {
    "client": "text", "product": "text", "month": "month", "weighted": "money", "value": "money",
    "probability": "probability", "manager": "text", "department": "text", "deal_id": "text",
}  # fmt: skip
st.subheader(t("forecast.overdue.title", lang))
if overdue.empty and undated.empty:
    st.success(t("forecast.overdue.none", lang), icon=":material/check_circle:")
else:
    if not overdue.empty:
        st.warning(
            t(
                "forecast.overdue.summary",
                lang,
                count=len(overdue),
                weighted=format_money(sum(overdue["weighted"]), lang),
                month=format_month(forecast.month_start(snapshot), lang),
            ),
            icon=":material/schedule:",
        )
        st.dataframe(
            display_table(overdue, deal_columns, lang), hide_index=True, width="stretch", placeholder="—"
        )
        out.table(
            overdue, deal_columns, name="overdue", title=t("forecast.overdue.title", lang), key="overdue_xlsx"
        )
    if not undated.empty:
        st.warning(t("forecast.undated.summary", lang, count=len(undated)), icon=":material/event_busy:")
        st.dataframe(
            display_table(undated, deal_columns, lang), hide_index=True, width="stretch", placeholder="—"
        )
        out.table(
            undated, deal_columns, name="undated", title=t("forecast.undated", lang), key="undated_xlsx"
        )

# --- the deals behind a cell ---------------------------------------------------------------------
st.subheader(t("forecast.cell.title", lang))


def _cell_month_name(m) -> str:
    if m is None:
        return t("forecast.cell.all_months", lang)
    return t("forecast.overdue", lang) if m == forecast.OVERDUE else format_month(m, lang)


month_choices = [m for m in totals["month"]] + ([forecast.OVERDUE] if not overdue.empty else [])
group_choices = [None] + sorted({g for g in report["group"]}) if by != "all" else [None]
pick = st.columns(2)
cell_month = pick[0].selectbox(
    t("forecast.cell.month", lang),
    options=[None, *month_choices],
    format_func=lambda m: _cell_month_name(m),
    index=min(2, len(month_choices)) if len(month_choices) > 1 else 0,
    key="forecast_cell_month",
)
# a department or manager chosen on another page picks its row here
cell_group = filters.select(
    pick[1],
    filters.MANAGER if by == "manager" else filters.DEPARTMENT,
    t("forecast.cell.group", lang),
    group_choices,
    format_func=lambda g: t("forecast.cell.all_groups", lang) if g is None else str(g),
    key="forecast_cell_group",
    disabled=by == "all",
)
if cell_month == forecast.OVERDUE:
    cell = forecast.pick_deals(deals, "overdue", group=cell_group)
else:
    cell = forecast.pick_deals(deals, "month", month=cell_month, group=cell_group)
st.caption(
    t(
        "forecast.cell.summary",
        lang,
        count=format_number(len(cell), lang),
        weighted=format_money(sum(cell["weighted"]), lang),
        unweighted=format_money(sum(cell["value"]), lang),
    )
)
st.dataframe(
    display_table(cell, deal_columns, lang),
    hide_index=True,
    width="stretch",
    key="forecast_cell",
    placeholder="—",
)
out.table(
    cell, deal_columns, name="deals", title=t("forecast.cell.title", lang), key="cell_xlsx",
    extra=[(t("forecast.cell.month", lang), _cell_month_name(cell_month)),
           (t("forecast.cell.group", lang), t("forecast.cell.all_groups", lang) if cell_group is None else str(cell_group))],
)  # fmt: skip
