"""План и факт: a month per department or manager, the month in progress, and the year's heatmap."""

from datetime import date

import streamlit as st

from app_pages import filters, states
from app_pages.downloads import Exports
from sales_analytics import charts_plan, ui_cache
from sales_analytics.charts_plan import MONEY, MONTH, RATIO, TEXT
from sales_analytics.i18n import format_day, format_money, format_month, format_percent, t
from sales_analytics.reports import plan_fact

lang = ui_cache.lang()
status = ui_cache.data_status()

filters.sync()
st.title(t("plan_fact.title", lang))

if not status.sales_rows and not status.plan_months:
    states.empty(t("plan_fact.empty", lang), lang, ("sales", "plan"))
if not status.plan_months:
    st.warning(t("plan_fact.no_plan", lang), icon=":material/flag:")
elif not status.sales_rows:
    st.warning(t("plan_fact.no_sales", lang), icon=":material/receipt_long:")

months = ui_cache.report(plan_fact.available_months)
latest_sale = status.last_sale or date.today()
default_month = latest_sale.replace(day=1)

controls = st.columns([2, 2, 2])
month = filters.select(
    controls[0],
    filters.MONTH,
    t("plan_fact.month", lang),
    months,
    default=default_month,
    format_func=lambda m: format_month(m, lang),
    key="plan_fact_month",
)
by = controls[1].segmented_control(
    t("plan_fact.by", lang),
    plan_fact.GROUPINGS,
    default="department",
    required=True,
    format_func=lambda option: t(f"plan_fact.by.{option}", lang),
    key="plan_fact_by",
)
as_of = controls[2].date_input(
    t("plan_fact.as_of", lang),
    value=latest_sale,
    format="DD.MM.YYYY",
    help=t("plan_fact.as_of_help", lang),
    key="plan_fact_as_of",
)
out = Exports(
    t("plan_fact.title", lang),
    lang,
    [
        (t("plan_fact.month", lang), format_month(month, lang)),
        (t("plan_fact.by", lang), t(f"plan_fact.by.{by}", lang)),
        (t("plan_fact.as_of", lang), format_day(as_of, lang)),
    ],
)
filters.copy_link(lang)


def download(frame, columns, name: str, title: str, key: str) -> None:
    out.table(frame, columns, name=name, title=title, key=key, prefix="plan_fact")


# --- the month in progress -----------------------------------------------------------------------

in_progress = plan_fact.in_progress(month, as_of)
if in_progress:
    progress = ui_cache.report(plan_fact.month_progress, month=month, as_of=as_of, by=by, lang=lang)
    st.subheader(
        t("plan_fact.progress_title", lang, month=format_month(month, lang), date=format_day(as_of, lang))
    )
    st.caption(
        t(
            "plan_fact.progress_caption",
            lang,
            elapsed=progress.elapsed_days,
            total=progress.working_days,
            remaining=progress.remaining_days,
            country=charts_plan.country_name(progress.country, lang),
        )
    )
    rows = progress.frame
    total = rows[rows["group"] == plan_fact.TOTAL].iloc[0] if not rows.empty else None
    if total is not None:
        cards = st.columns(4)
        cards[0].metric(
            t("plan_fact.metric.plan_to_date", lang), format_money(total["plan_to_date"], lang), border=True
        )
        cards[1].metric(
            t("plan_fact.metric.fact_to_date", lang),
            format_money(total["fact_to_date"], lang),
            delta=format_money(total["deviation_to_date"], lang),
            delta_color="normal",
            border=True,
        )
        cards[2].metric(
            t("plan_fact.metric.landing", lang),
            format_money(total["landing"], lang),
            delta=t(
                "plan_fact.metric.of_plan", lang, share=format_percent(total["landing_attainment"], lang)
            ),
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
        cards[3].metric(
            t("plan_fact.metric.needed", lang),
            format_money(total["needed_per_day"], lang),
            help=t("plan_fact.metric.needed_help", lang),
            border=True,
        )
        groups = rows[rows["group"] != plan_fact.TOTAL]
        behind = groups[groups["behind"].astype(bool)]
        # not behind the pace, but the month's plan is not made yet
        short = groups[~groups["behind"].astype(bool) & groups["left_to_plan"].map(lambda v: bool(v))]

        def items(frame, key: str) -> str:
            ordered = frame.sort_values("left_to_plan", ascending=False, key=lambda c: c.map(float))
            return "\n".join(
                "- "
                + t(
                    key,
                    lang,
                    group=row.group,
                    gap=format_money(-row.deviation_to_date, lang),
                    left=format_money(row.left_to_plan, lang),
                    needed=format_money(row.needed_per_day, lang),
                )
                for row in ordered.itertuples()
            )

        if not behind.empty:
            st.warning(
                t("plan_fact.behind", lang) + "\n\n" + items(behind, "plan_fact.behind_item"),
                icon=":material/trending_down:",
            )
        if not short.empty:
            st.info(
                t("plan_fact.short", lang) + "\n\n" + items(short, "plan_fact.short_item"),
                icon=":material/flag:",
            )
        if behind.empty and short.empty:
            st.success(t("plan_fact.on_track", lang), icon=":material/check_circle:")

    progress_columns = {
        "group": TEXT,
        "plan": MONEY,
        "plan_to_date": MONEY,
        "fact_to_date": MONEY,
        "deviation_to_date": MONEY,
        "landing": MONEY,
        "landing_attainment": RATIO,
        "left_to_plan": MONEY,
        "needed_per_day": MONEY,
    }
    st.dataframe(
        charts_plan.styled_table(rows, progress_columns, "plan_fact", lang),
        hide_index=True,
        width="stretch",
        key="plan_fact_progress_table",
        placeholder="—",
    )
    download(
        rows,
        progress_columns,
        "plan_fact_progress",
        t("plan_fact.progress_title", lang, month=format_month(month, lang), date=format_day(as_of, lang)),
        "plan_fact_progress_download",
    )
    daily = ui_cache.report(plan_fact.daily_progress, month=month, as_of=as_of, by=by, lang=lang)
    st.markdown(f"**{t('plan_fact.progress_chart', lang)}**")
    out.chart(
        charts_plan.progress_figure(daily, as_of, lang),
        name="plan_fact_progress",
        title=t("plan_fact.progress_chart", lang),
        key="plan_fact_progress_chart",
    )

# --- the month: plan, fact, year to date, last year ------------------------------------------------

# a month in progress already computed its table; another month asks for it
table = (
    progress.plan_fact
    if in_progress
    else ui_cache.report(plan_fact.plan_fact, month=month, by=by, as_of=as_of, lang=lang)
)
st.subheader(t("plan_fact.table_title", lang, month=format_month(month, lang)))
if table.empty:
    st.info(t("plan_fact.month_empty", lang))
else:
    st.caption(
        t("plan_fact.table_caption", lang)
        + (
            " " + t("plan_fact.table_caption_as_of", lang, date=format_day(as_of, lang))
            if in_progress
            else ""
        )
    )
    columns = {
        "group": TEXT,
        "plan": MONEY,
        "fact": MONEY,
        "attainment": RATIO,
        "deviation": MONEY,
        "fact_last_year": MONEY,
        "growth": RATIO,
        "ytd_plan": MONEY,
        "ytd_fact": MONEY,
        "ytd_attainment": RATIO,
        "ytd_fact_last_year": MONEY,
        "ytd_growth": RATIO,
    }
    st.dataframe(
        charts_plan.styled_table(table, columns, "plan_fact", lang),
        hide_index=True,
        width="stretch",
        key="plan_fact_table",
        placeholder="—",
    )
    download(
        table,
        columns,
        "plan_fact",
        t("plan_fact.table_title", lang, month=format_month(month, lang)),
        "plan_fact_download",
    )

# --- the year: attainment per group and month -----------------------------------------------------

# up to the as-of day: later months have no fact yet
heat = ui_cache.report(plan_fact.attainment_by_month, year=month.year, by=by, through=as_of, lang=lang)
st.subheader(t("plan_fact.heatmap_title", lang, year=month.year))
if heat.empty:
    st.info(t("plan_fact.heatmap_no_data", lang, year=month.year, date=format_day(as_of, lang)))
elif heat["plan"].isna().all():
    st.info(t("plan_fact.heatmap_no_plan", lang, year=month.year))
else:
    st.caption(t("plan_fact.heatmap_caption", lang))
    out.chart(
        charts_plan.attainment_heatmap(heat, lang),
        name="plan_fact_heatmap",
        title=t("plan_fact.heatmap_title", lang, year=month.year),
        key="plan_fact_heatmap",
    )
    download(
        heat,
        {"group": TEXT, "month": MONTH, "plan": MONEY, "fact": MONEY, "attainment": RATIO},
        "plan_fact_by_month",
        t("plan_fact.heatmap_title", lang, year=month.year),
        "plan_fact_heatmap_download",
    )
