"""How the plan/fact, clients and plan builder pages look: Plotly figures and formatted tables.

Only presentation: every figure takes a frame a report function returned and draws it, in the
reader's language (``1 234 567 ₽``, ``12,5 %``, months by name). No queries, no business rules, and
no streamlit import (the pages hand these to ``st.plotly_chart`` / ``st.dataframe``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from babel import Locale
from babel.dates import format_date as _babel_date

from sales_analytics.i18n import (
    format_day,
    format_money,
    format_month,
    format_number,
    format_percent,
    t,
)

TOTAL = "TOTAL"
"""The total row's label in report frames (the CLI contract's), shown as "Итого" / "Total"."""

# What a column holds, for formatting: money (Decimal roubles), ratio (a fraction shown as %), day,
# month, count, text.
MONEY, RATIO, DAY, MONTH, COUNT, TEXT = "money", "ratio", "day", "month", "count", "text"

_LOCALES = {"ru": "ru_RU", "en": "en_GB"}
_GOOD, _BAD, _NEUTRAL = "#2e7d32", "#c62828", "#9e9e9e"
_PLAN_COLOR, _FACT_COLOR = "#90a4ae", "#1565c0"


# --- tables --------------------------------------------------------------------------------------


def _number(value) -> float | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return float(value)


def _formatter(kind: str, lang: str):
    if kind == MONEY:
        return lambda v: "—" if v is None or pd.isna(v) else format_money(Decimal(str(v)), lang)
    if kind == RATIO:
        return lambda v: "—" if v is None or pd.isna(v) else format_percent(v, lang)
    if kind == DAY:
        return lambda v: format_day(v, lang) if isinstance(v, date) else "—"
    if kind == MONTH:
        return lambda v: format_month(v, lang) if isinstance(v, date) else "—"
    if kind == COUNT:
        return lambda v: "—" if v is None or pd.isna(v) else format_number(v, lang)
    return lambda v: "" if v is None else str(v)


def column_labels(columns: Mapping[str, str], prefix: str, lang: str) -> dict[str, str]:
    """Column name -> its header in ``lang`` (``<prefix>.col.<name>``)."""
    return {name: t(f"{prefix}.col.{name}", lang) for name in columns}


DISPLAY_ROWS = 1000
"""At most this many rows go to the screen (formatting is per cell, and nobody reads further);
the Excel download holds them all."""


def styled_table(frame: pd.DataFrame, columns: Mapping[str, str], prefix: str, lang: str):
    """A pandas Styler for ``st.dataframe``: the ``columns`` (name -> kind) of the first
    :data:`DISPLAY_ROWS` rows of ``frame`` under their headers in ``lang``, numbers kept as numbers
    (they sort) but shown as people there write them, the ``TOTAL`` row named and shaded, negative
    deviations in red."""
    shown = frame[list(columns)].head(DISPLAY_ROWS).copy()
    first = shown.columns[0]
    total_label = t("plan_fact.total", lang)
    is_total = shown[first] == TOTAL
    shown[first] = shown[first].where(~is_total, total_label)
    for name, kind in columns.items():
        if kind in (MONEY, RATIO):
            shown[name] = pd.array([_number(v) for v in shown[name]], dtype="Float64")
    labels = column_labels(columns, prefix, lang)
    shown = shown.rename(columns=labels)
    styler = shown.style.format({labels[name]: _formatter(kind, lang) for name, kind in columns.items()})
    total_rows = set(shown.index[is_total.to_numpy()])
    styler = styler.apply(
        lambda row: (
            ["background-color: rgba(128, 128, 128, 0.15)" if row.name in total_rows else ""] * len(row)
        ),
        axis=1,
    )
    signed = [labels[name] for name in columns if name in _SIGNED]
    if signed:
        styler = styler.map(
            lambda v: f"color: {_BAD}" if v is not None and not pd.isna(v) and v < 0 else "", subset=signed
        )
    return styler


# columns whose sign is the news: a fall is red
_SIGNED = {"deviation", "deviation_to_date", "change", "growth", "ytd_growth", "active_gap"}


def export_frame(frame: pd.DataFrame, columns: Mapping[str, str], prefix: str, lang: str) -> pd.DataFrame:
    """The table as the Excel download holds it: headers in ``lang``, the total row named, money to
    the kopeck, ratios as percentages (``87.34``, the header says ``%``)."""
    shown = frame[list(columns)].copy()
    first = shown.columns[0]
    shown[first] = shown[first].where(shown[first] != TOTAL, t("plan_fact.total", lang))
    labels = column_labels(columns, prefix, lang)
    for name, kind in columns.items():
        if kind == RATIO:
            shown[name] = [None if v is None or pd.isna(v) else Decimal(str(v)) * 100 for v in shown[name]]
            labels[name] = f"{labels[name]}, %"
        elif kind == MONTH:
            shown[name] = [format_month(v, lang) if isinstance(v, date) else None for v in shown[name]]
    return shown.rename(columns=labels)


def country_name(code: str, lang: str) -> str:
    """A production calendar's country by name: ``RU`` -> ``Россия`` / ``Russia``."""
    return Locale.parse(_LOCALES[lang]).territories.get(code, code)


# --- plan / fact ---------------------------------------------------------------------------------


def _layout(figure: go.Figure, lang: str, height: int) -> go.Figure:
    figure.update_layout(
        separators=", " if lang == "ru" else ".,",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        height=height,
    )
    return figure


def _money_axis(lang: str) -> dict:
    return {
        "tickformat": ",.0f",
        "ticksuffix": " ₽" if lang == "ru" else "",
        "tickprefix": "" if lang == "ru" else "₽",
        "title": None,
    }


def _short_month(month: date, lang: str) -> str:
    return _babel_date(month, format="LLL yy", locale=_LOCALES[lang])


def attainment_heatmap(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Groups down, months across, each cell the month's attainment (fact / plan): red below plan,
    green above, grey without a plan. From :func:`~sales_analytics.reports.plan_fact.attainment_by_month`."""
    groups = list(dict.fromkeys(frame["group"]))
    months = sorted(set(frame["month"]))
    cells = {
        (g, m): row for g, m, row in zip(frame["group"], frame["month"], frame.itertuples(), strict=True)
    }
    z, text, hover = [], [], []
    for group in groups:
        z_row, text_row, hover_row = [], [], []
        for month in months:
            row = cells.get((group, month))
            attainment = None if row is None else row.attainment
            z_row.append(_number(attainment))
            text_row.append("" if attainment is None else format_percent(attainment, lang, decimals=0))
            hover_row.append(
                ""
                if row is None
                else t(
                    "plan_fact.chart.heat_hover",
                    lang,
                    month=format_month(month, lang),
                    plan=format_money(row.plan, lang),
                    fact=format_money(row.fact, lang),
                    attainment=format_percent(attainment, lang),
                )
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    total_label = t("plan_fact.total", lang)
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[_short_month(m, lang) for m in months],
            y=[total_label if g == TOTAL else g for g in groups],
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
            colorscale=[[0.0, "#e57373"], [0.5, "#fff59d"], [1.0, "#81c784"]],
            zmin=0.5,
            zmax=1.5,
            zmid=1.0,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(side="top", title=None)
    return _layout(figure, lang, height=max(220, 44 * len(groups) + 60))


def progress_figure(daily: pd.DataFrame, as_of: date, lang: str) -> go.Figure:
    """The month day by day: the cumulative fact to the as-of day against the plan spread over working
    days (a step up each working day). From :func:`~sales_analytics.reports.plan_fact.daily_progress`."""
    figure = go.Figure()
    days = list(daily["day"])
    if daily["plan_cumulative"].notna().any():
        figure.add_scatter(
            x=days,
            y=[_number(v) for v in daily["plan_cumulative"]],
            name=t("plan_fact.chart.plan_to_date", lang),
            mode="lines",
            line={"color": _PLAN_COLOR, "dash": "dash", "shape": "hv"},
            customdata=[
                [format_day(d, lang), format_money(v, lang)]
                for d, v in zip(days, daily["plan_cumulative"], strict=True)
            ],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>%{fullData.name}</extra>",
        )
    known = daily[daily["fact_cumulative"].notna()]
    figure.add_scatter(
        x=list(known["day"]),
        y=[_number(v) for v in known["fact_cumulative"]],
        name=t("plan_fact.chart.fact_to_date", lang),
        mode="lines+markers",
        line={"color": _FACT_COLOR, "width": 3},
        customdata=[
            [format_day(d, lang), format_money(v, lang)]
            for d, v in zip(known["day"], known["fact_cumulative"], strict=True)
        ],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>%{fullData.name}</extra>",
    )
    figure.add_shape(
        type="line", x0=as_of, x1=as_of, y0=0, y1=1, yref="paper", line={"color": _NEUTRAL, "dash": "dot"}
    )
    figure.update_xaxes(tickformat="%d.%m" if lang == "ru" else "%d %b", title=None)
    figure.update_yaxes(**_money_axis(lang))
    return _layout(figure, lang, height=340)


# --- clients and the plan builder ----------------------------------------------------------------

SEGMENT_COLORS = {"regular": "#2e7d32", "oneoff": "#f9a825", "new": "#1565c0", "lapsing": "#9e9e9e"}


def segments_figure(summary: pd.DataFrame, lang: str) -> go.Figure:
    """Clients per manager by segment (regular, one-off, new for planning, lapsing), stacked. From
    :func:`~sales_analytics.reports.segments.segment_summary`."""
    figure = go.Figure()
    managers = list(summary["manager"])
    for segment, column in (
        ("regular", "regular_clients"),
        ("oneoff", "oneoff_clients"),
        ("new", "new_clients"),
        ("lapsing", "lapsing_clients"),
    ):
        figure.add_bar(
            y=managers,
            x=list(summary[column]),
            name=t(f"clients.segment.{segment}", lang),
            orientation="h",
            marker_color=SEGMENT_COLORS[segment],
            hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>",
        )
    figure.update_layout(barmode="stack", legend_traceorder="normal")
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(title=None)
    return _layout(figure, lang, height=max(240, 34 * len(managers) + 80))


def builder_figure(builder: pd.DataFrame, lang: str) -> go.Figure:
    """Per manager, what the plan is made of: regular plan, one-off plan and the gap for active sales
    stacked, the set plan as a mark. From :func:`~sales_analytics.reports.segments.plan_builder`
    (the total row is left out: it would dwarf the managers)."""
    rows = builder[builder["manager"] != TOTAL]
    managers = list(rows["manager"])
    figure = go.Figure()
    parts = [
        ("regular_plan", "plan_builder.col.regular_plan", SEGMENT_COLORS["regular"]),
        ("oneoff_plan", "plan_builder.col.oneoff_plan", SEGMENT_COLORS["oneoff"]),
    ]
    for column, key, color in parts:
        figure.add_bar(
            y=managers,
            x=[_number(v) for v in rows[column]],
            name=t(key, lang),
            orientation="h",
            marker_color=color,
            customdata=[format_money(v, lang) for v in rows[column]],
            hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
        )
    gaps = [None if v is None else max(0.0, float(v)) for v in rows["active_gap"]]
    figure.add_bar(
        y=managers,
        x=gaps,
        name=t("plan_builder.col.active_gap", lang),
        orientation="h",
        marker={"color": "rgba(21, 101, 192, 0.25)", "line": {"color": _FACT_COLOR, "width": 1}},
        customdata=[format_money(v, lang) for v in rows["active_gap"]],
        hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
    )
    figure.add_scatter(
        y=managers,
        x=[_number(v) for v in rows["plan"]],
        name=t("plan_builder.col.plan", lang),
        mode="markers",
        marker={"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": "#212121"}},
        customdata=[format_money(v, lang) for v in rows["plan"]],
        hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
    )
    figure.update_layout(barmode="stack", legend_traceorder="normal")
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(**_money_axis(lang))
    return _layout(figure, lang, height=max(260, 40 * len(managers) + 90))
