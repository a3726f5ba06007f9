"""Построение плана: each manager's plan from history — regular clients, one-off clients, and the gap
left for active sales."""

from datetime import date
from decimal import Decimal

import streamlit as st

from app_pages import filters, states
from app_pages.downloads import Exports
from sales_analytics import calendar, charts_plan, ui_cache
from sales_analytics.charts_plan import COUNT, MONEY, TEXT
from sales_analytics.i18n import format_money, format_month, format_percent, t
from sales_analytics.reports import segments

lang = ui_cache.lang()
status = ui_cache.data_status()

filters.sync()
st.title(t("plan_builder.title", lang))

if not status.sales_rows:
    states.empty(t("plan_builder.empty", lang), lang, ("sales",))

st.markdown(t("plan_builder.intro", lang))

plan_months = ui_cache.report(segments.plan_months)
latest_sale = status.last_sale or date.today()
next_month = calendar.add_months(latest_sale.replace(day=1), 1)

row = st.columns([2, 2, 3])
month = filters.select(
    row[0],
    filters.MONTH,
    t("plan_builder.month", lang),
    plan_months,
    default=next_month,
    format_func=lambda m: format_month(m, lang),
    key="plan_builder_month",
)
share_percent = row[1].slider(
    t("plan_builder.share", lang),
    int(segments.SHARE_RANGE[0] * 100),
    int(segments.SHARE_RANGE[1] * 100),
    int(segments.DEFAULT_SHARE * 100),
    step=1,
    format="%d %%",
    help=t("plan_builder.share_help", lang),
    key="plan_builder_share",
)
with row[2]:
    split = st.toggle(t("plan_builder.split", lang), value=False, key="plan_builder_split")
    existing_percent = st.slider(
        t("plan_builder.existing", lang),
        int(segments.EXISTING_RANGE[0] * 100),
        int(segments.EXISTING_RANGE[1] * 100),
        int(segments.DEFAULT_EXISTING * 100),
        step=1,
        format="%d %%",
        disabled=not split,
        help=t("plan_builder.existing_help", lang),
        key="plan_builder_existing",
    )

share = f"{share_percent / 100:.2f}"
existing = f"{existing_percent / 100:.2f}" if split else None
out = Exports(
    t("plan_builder.title", lang),
    lang,
    [
        (t("plan_builder.month", lang), format_month(month, lang)),
        (t("plan_builder.share", lang), format_percent(Decimal(share), lang, decimals=0)),
        (t("plan_builder.existing", lang), format_percent(Decimal(existing), lang, decimals=0))
        if existing
        else None,
    ],
)
out.filters = [f for f in out.filters if f]
filters.copy_link(lang)
builder = ui_cache.report(segments.plan_builder, month=month, share=share, existing_share=existing, lang=lang)

st.caption(
    t(
        "plan_builder.caption",
        lang,
        first=format_month(calendar.add_months(month, -4), lang),
        last=format_month(calendar.add_months(month, -1), lang),
        share=format_percent(Decimal(share), lang, decimals=0),
    )
)

if builder.empty:
    st.info(t("plan_builder.none", lang))
    st.stop()

total = builder[builder["manager"] == segments.TOTAL].iloc[0]
cards = st.columns(4)
cards[0].metric(t("plan_builder.metric.plan", lang), format_money(total["plan"], lang), border=True)
cards[1].metric(
    t("plan_builder.metric.regular", lang), format_money(total["regular_plan"], lang), border=True
)
cards[2].metric(t("plan_builder.metric.oneoff", lang), format_money(total["oneoff_plan"], lang), border=True)
cards[3].metric(t("plan_builder.metric.gap", lang), format_money(total["active_gap"], lang), border=True)
if total["plan"] is None:
    st.warning(t("plan_builder.no_plan", lang, month=format_month(month, lang)), icon=":material/flag:")

out.chart(
    charts_plan.builder_figure(builder, lang),
    name=f"plan_builder_{month:%Y-%m}",
    title=t(
        "plan_builder.file_title",
        lang,
        month=format_month(month, lang),
        share=format_percent(Decimal(share), lang, decimals=0),
    ),
    key="plan_builder_chart",
)

columns = {
    "manager": TEXT,
    "regular_clients": COUNT,
    "regular_plan": MONEY,
    "oneoff_clients": COUNT,
    "oneoff_plan": MONEY,
    "avg_month": MONEY,
    "plan": MONEY,
    "active_gap": MONEY,
}
if split:
    columns |= {"gap_existing": MONEY, "gap_new": MONEY}
st.dataframe(
    charts_plan.styled_table(builder, columns, "plan_builder", lang),
    hide_index=True,
    width="stretch",
    key="plan_builder_table",
    placeholder="—",
)
title = t(
    "plan_builder.file_title",
    lang,
    month=format_month(month, lang),
    share=format_percent(Decimal(share), lang, decimals=0),
)
out.table(builder, columns, name=f"plan_builder_{month:%Y-%m}", title=title, key="plan_builder_download",
          prefix="plan_builder")  # fmt: skip
