"""Обзор: what the database holds, and monthly sales by department."""

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from sales_analytics import ui_cache
from sales_analytics.i18n import format_day, format_money, format_month, format_number, t

lang = ui_cache.lang()
status = ui_cache.data_status()

st.title(t("ui.overview.title", lang))

if status.is_empty:
    st.info(t("ui.overview.empty", lang), icon=":material/upload_file:")
    st.page_link(
        "app_pages/upload.py", label=t("ui.overview.go_upload", lang), icon=":material/arrow_forward:"
    )
    st.stop()

quiet = {"delta_color": "off", "delta_arrow": "off", "border": True}
cards = st.columns(4)
cards[0].metric(t("ui.overview.sales_rows", lang), format_number(status.sales_rows, lang), border=True)
if status.first_sale and status.last_sale:
    months = (
        (status.last_sale.year - status.first_sale.year) * 12
        + status.last_sale.month
        - status.first_sale.month
    )
    cards[1].metric(
        t("ui.overview.period", lang),
        t("ui.overview.months", lang, count=months + 1),
        delta=f"{format_day(status.first_sale, lang)} – {format_day(status.last_sale, lang)}",
        **quiet,
    )
else:
    cards[1].metric(t("ui.overview.period", lang), "—", border=True)
cards[2].metric(
    t("ui.overview.last_snapshot", lang),
    format_day(status.last_snapshot, lang),
    delta=t("ui.overview.snapshots", lang, count=status.snapshots) if status.snapshots else None,
    **quiet,
)
cards[3].metric(t("ui.overview.plan_months", lang), format_number(status.plan_months, lang), border=True)

st.subheader(t("ui.overview.chart_title", lang))
if status.last_sale is None:
    st.info(t("ui.overview.no_sales", lang))
    st.page_link(
        "app_pages/upload.py", label=t("ui.overview.go_upload", lang), icon=":material/arrow_forward:"
    )
    st.stop()

# The last twelve calendar months that hold sales.
year, month = divmod(status.last_sale.year * 12 + status.last_sale.month - 1 - 11, 12)
start = date(year, month + 1, 1)
report = ui_cache.sales_report(date_from=max(start, status.first_sale), by="department", lang=lang)

if report.empty:
    st.info(t("ui.overview.no_sales", lang))
    st.stop()

st.caption(
    t(
        "ui.overview.chart_caption",
        lang,
        start=format_month(report["month"].min(), lang),
        end=format_month(report["month"].max(), lang),
        total=format_money(report["amount"].sum(), lang),
    )
)

figure = go.Figure()
for group, rows in report.groupby("group", sort=True):
    figure.add_bar(
        name=str(group),
        x=rows["month"],
        y=rows["amount"].astype(float),
        customdata=[
            [format_month(m, lang), format_money(a, lang)]
            for m, a in zip(rows["month"], rows["amount"], strict=True)
        ],
        hovertemplate="%{fullData.name}<br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
    )
figure.update_layout(
    barmode="relative",
    separators=", " if lang == "ru" else ".,",
    legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    margin={"l": 0, "r": 0, "t": 30, "b": 0},
    height=420,
)
figure.update_xaxes(dtick="M1", tickformat="%m.%Y", title=None)
figure.update_yaxes(
    tickformat=",.0f",
    ticksuffix=" ₽" if lang == "ru" else "",
    tickprefix="" if lang == "ru" else "₽",
    title=None,
)
st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
