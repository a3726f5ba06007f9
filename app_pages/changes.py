"""Изменения прогноза: what changed in the forecast between two snapshots, deal by deal, and why.

The page reads its choices, asks ``changes_view`` for each visual (the ``reports.changes`` figures
with their chart and formatted tables, built once per choice and data version) and draws: the
waterfall with its reconciliation line, the changed deals, the forecast triangle, the slip history
and the forecast's accuracy.
"""

from datetime import date

import streamlit as st

from app_pages import changes_view as view
from app_pages import filters, states
from app_pages.downloads import Exports
from sales_analytics import ui_cache
from sales_analytics.i18n import format_day, format_money, format_month, t
from sales_analytics.reports import changes, forecast
from sales_analytics.reports.forecast_display import month_options

lang = ui_cache.lang()

filters.sync()
st.title(t("changes.title", lang))

status = ui_cache.data_status()
dates = ui_cache.report(forecast.snapshot_dates) if status.snapshots else []
if len(dates) < 2:
    states.empty(t("changes.empty", lang, count=len(dates)), lang, ("forecast",))

# --- choices ------------------------------------------------------------------------------------
MEASURES = {"amount": "forecast.measure.amount", "margin": "forecast.measure.margin"}
WINDOWS = {"horizon": "changes.window.horizon", "month": "changes.window.month"}

newest_first = list(reversed(dates))
choices = st.columns([1, 1, 1.3, 1.3, 1.2])
# the snapshot chosen on the forecast page is the one compared here with an earlier one
date_to: date = filters.select(
    choices[1], filters.SNAPSHOT, t("changes.to", lang), newest_first,
    format_func=lambda d: format_day(d, lang), key="changes_to",
)  # fmt: skip
earlier = [d for d in newest_first if d < date_to] or [date_to]
date_from: date = choices[0].selectbox(
    t("changes.from", lang), earlier, format_func=lambda d: format_day(d, lang), key="changes_from"
)
window_kind: str = choices[2].radio(
    t("changes.window", lang), list(WINDOWS), format_func=lambda k: t(WINDOWS[k], lang),
    horizontal=True, key="changes_window",
)  # fmt: skip
if window_kind == "horizon":
    months: int = choices[3].slider(t("forecast.horizon", lang), 3, 12, 6, key="changes_months")
    month = None
else:
    months = 6
    month = filters.select(
        choices[3],
        filters.MONTH,
        t("changes.window.which", lang),
        month_options(forecast.month_start(date_to), 12),
        format_func=lambda m: format_month(m, lang),
        key="changes_month",
    )
measure: str = choices[4].radio(
    t("forecast.measure", lang), list(MEASURES), format_func=lambda k: t(MEASURES[k], lang),
    horizontal=True, key="changes_measure",
)  # fmt: skip

# each visual comes built and formatted, once per choice and data version (app_pages/changes_view.py)
moves = view.waterfall(date_from, date_to, months, month, measure, lang)
out = Exports(
    t("changes.title", lang),
    lang,
    [
        (t("changes.from", lang), format_day(date_from, lang)),
        (t("changes.to", lang), format_day(date_to, lang)),
        (t("changes.window", lang), t(WINDOWS[window_kind], lang)
         if month is None else format_month(month, lang)),
        (t("forecast.horizon", lang), str(months)) if month is None else None,
        (t("forecast.measure", lang), t(MEASURES[measure], lang)),
    ],
)  # fmt: skip
out.filters = [f for f in out.filters if f]
filters.copy_link(lang)
window_from, window_to = moves.attrs["window_from"], moves.attrs["window_to"]
window_text = (
    format_month(window_from, lang)
    if window_from == window_to
    else f"{format_month(window_from, lang)} – {format_month(window_to, lang)}"
)
st.caption(
    t(
        "changes.caption",
        lang,
        date_from=format_day(date_from, lang),
        date_to=format_day(date_to, lang),
        window=window_text,
        measure=t(MEASURES[measure], lang).lower(),
    )
)

# --- the waterfall -------------------------------------------------------------------------------
st.subheader(t("changes.waterfall.title", lang))
out.chart(moves.figure, name="waterfall", title=t("changes.waterfall.title", lang), key="changes_waterfall")
start, effects, end = moves.start, moves.effects, moves.end
reconciles = start + effects == end
st.markdown(
    t(
        "changes.waterfall.sum",
        lang,
        start=format_money(start, lang, kopecks=True),
        effects=format_money(effects, lang, kopecks=True),
        end=format_money(end, lang, kopecks=True),
        mark="✓" if reconciles else "✗",
    )
)
if not reconciles:  # never expected: the effects are defined so that they add up
    st.error(t("changes.waterfall.mismatch", lang))
with st.expander(t("changes.waterfall.table", lang)):
    st.dataframe(moves.summary_shown, hide_index=True, width="stretch", placeholder="—")
    out.table(
        moves.summary, view.SUMMARY_COLUMNS, name="changes", title=t("changes.waterfall.title", lang),
        key="summary_xlsx",
    )  # fmt: skip

deals_tab, triangle_tab, slip_tab, accuracy_tab = st.tabs(
    [t("changes.tab.deals", lang), t("changes.tab.triangle", lang), t("changes.tab.slip", lang),
     t("changes.tab.accuracy", lang)]
)  # fmt: skip

# --- the changed deals ---------------------------------------------------------------------------
with deals_tab:
    everything = moves.deals
    present = [c for c in changes.ALL_CATEGORIES if c in set(everything["category"])]
    row = st.columns(3)
    everyone = t("changes.filter.all", lang)  # an empty filter lets everything through
    categories = row[0].multiselect(
        t("changes.filter.category", lang), present, placeholder=everyone,
        format_func=lambda c: t(f"changes.category.{c}", lang), key="changes_categories",
    )  # fmt: skip
    managers = filters.multiselect(
        row[1], filters.MANAGER, t("changes.filter.manager", lang), sorted(set(everything["manager"])),
        placeholder=everyone, key="changes_managers",
    )  # fmt: skip
    departments = filters.multiselect(
        row[2], filters.DEPARTMENT, t("changes.filter.department", lang),
        sorted(set(everything["department"])), placeholder=everyone, key="changes_departments",
    )  # fmt: skip
    listed, shown = view.filtered_deals(
        moves, tuple(categories) or None, tuple(managers) or None, tuple(departments) or None
    )
    st.caption(
        t(
            "changes.deals.summary",
            lang,
            count=len(listed),
            effect=format_money(sum(listed["effect"]), lang, kopecks=True),
        )
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="changes_deals", placeholder="—")
    out.table(
        listed, view.DEAL_COLUMNS, name="changed_deals", title=t("changes.tab.deals", lang), key="deals_xlsx",
        extra=[(t("changes.filter.category", lang),
                ", ".join(t(f"changes.category.{c}", lang) for c in categories) or everyone),
               (t("changes.filter.manager", lang), ", ".join(managers) or everyone),
               (t("changes.filter.department", lang), ", ".join(departments) or everyone)],
    )  # fmt: skip

# --- the triangle --------------------------------------------------------------------------------
with triangle_tab:
    st.caption(t("changes.triangle.explain", lang))
    triangle = view.triangle(date_to, months, measure, lang)
    out.chart(triangle.figure, name="triangle", title=t("changes.tab.triangle", lang), key="changes_triangle")
    st.dataframe(triangle.shown, hide_index=True, width="stretch", placeholder="—")
    out.table(triangle.table, triangle.columns, name="triangle", title=t("changes.tab.triangle", lang),
              key="triangle_xlsx", headers=triangle.headers)  # fmt: skip

# --- slips ---------------------------------------------------------------------------------------
with slip_tab:
    SLIP_WEEKS = {13: "changes.slip.weeks_13", 26: "changes.slip.weeks_26", 52: "changes.slip.weeks_52"}
    weeks = st.radio(
        t("changes.slip.period", lang), list(SLIP_WEEKS), format_func=lambda w: t(SLIP_WEEKS[w], lang),
        horizontal=True, key="changes_slip_weeks",
    )  # fmt: skip
    slips = view.slips(date_to, weeks, measure, lang)
    history = slips.history
    st.markdown(f"**{t('changes.slip.managers', lang)}**")
    st.caption(t("changes.slip.managers_explain", lang))
    if history.managers.empty:
        st.info(t("changes.slip.none", lang))
    else:
        out.chart(
            slips.figure, name="slips", title=t("changes.slip.managers", lang), key="changes_slip_chart"
        )
        st.dataframe(slips.per_manager_shown, hide_index=True, width="stretch", placeholder="—")
        out.table(history.managers, view.WEEK_COLUMNS, name="slip_by_week", title=t("changes.slip.managers", lang),
                  key="slip_managers_xlsx", extra=[(t("changes.slip.period", lang), t(SLIP_WEEKS[weeks], lang))])  # fmt: skip
    st.markdown(f"**{t('changes.slip.deals', lang)}**")
    if history.deals.empty:
        st.info(t("changes.slip.no_deals", lang))
    else:
        st.dataframe(slips.deals_shown, hide_index=True, width="stretch", placeholder="—")
        out.table(history.deals, view.SLIP_EXPORT_COLUMNS, name="slip_by_deal", title=t("changes.slip.deals", lang),
                  key="slip_deals_xlsx", extra=[(t("changes.slip.period", lang), t(SLIP_WEEKS[weeks], lang))])  # fmt: skip

# --- accuracy ------------------------------------------------------------------------------------
with accuracy_tab:
    st.caption(t("changes.accuracy.explain", lang))
    accuracy = view.accuracy(date_to, measure, lang)
    if accuracy.figure is None:
        st.info(t("changes.accuracy.none", lang))
    else:
        out.chart(
            accuracy.figure,
            name="accuracy",
            title=t("changes.tab.accuracy", lang),
            key="changes_accuracy_chart",
        )
        st.dataframe(accuracy.shown, hide_index=True, width="stretch", placeholder="—")
        out.table(accuracy.frame, view.ACCURACY_COLUMNS, name="accuracy", title=t("changes.tab.accuracy", lang),
                  key="accuracy_xlsx")  # fmt: skip
