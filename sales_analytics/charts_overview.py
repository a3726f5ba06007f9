"""Plotly figures of the overview, built from :mod:`sales_analytics.reports.summary`'s results.

No queries and no business rules: each function draws figures the summary computed, in the reader's
language. The overview is read on phones too, so the charts are short, with few labels: money on the
axis in millions, each bar's share of the plan written above it, the exact figures in the hover.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date as _babel_date

from sales_analytics.i18n import format_money, format_month, format_number, format_percent, t
from sales_analytics.reports.summary import MonthCards

FACT_COLOUR = "#1f5fbf"
FORECAST_COLOUR = "#8fb3e8"
PLAN_COLOUR = "#1f1f1f"
_LOCALES = {"ru": "ru_RU", "en": "en_GB"}


def _short_month(month: date, lang: str) -> str:
    """``ноя 2026`` / ``Nov 2026``: four of them fit a phone's width."""
    return _babel_date(month, format="LLL yyyy", locale=_LOCALES[lang]).replace(".", "")


def _millions(value: float, lang: str) -> str:
    step = value / 1_000_000
    decimals = 0 if step == int(step) else 1
    return t("summary.chart.millions", lang, value=format_number(step, lang, decimals))


def _money_ticks(top: float, lang: str) -> dict:
    """Three or four round ticks up to ``top``, written in millions (``20 млн ₽``): short enough for a
    phone, where ``20 000 000 ₽`` would take a third of the width."""
    if top <= 0:
        return {"showticklabels": False}
    raw = top / 3
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    values = [step * i for i in range(int(top // step) + 1)]
    write = _millions if top >= 1_000_000 else format_money
    return {"tickvals": values, "ticktext": ["0" if v == 0 else write(v, lang) for v in values]}


def _float(value: Decimal | None) -> float:
    return 0.0 if value is None else float(value)


def outlook(cards: MonthCards, following: pd.DataFrame, lang: str) -> go.Figure:
    """This month and the next ones against plan, one bar each.

    This month's bar is the fact to date with the weighted open deals on top (together, the landing);
    the next months' bars are their weighted forecast (:func:`~sales_analytics.reports.summary.next_months`).
    The plan is a black dash over each month; the share of plan is written above each bar.
    """
    months = [cards.month, *following["month"]]
    labels = [_short_month(m, lang) for m in months]
    forecast = [_float(cards.weighted_open), *(_float(v) for v in following["weighted"])]
    plans = [cards.plan, *following["plan"]]
    plans = [None if p is None or (not isinstance(p, Decimal) and pd.isna(p)) else p for p in plans]
    totals = [_float(cards.fact_to_date) + forecast[0], *forecast[1:]]
    values = [cards.landing if cards.landing is not None else cards.fact_to_date, *following["weighted"]]

    figure = go.Figure()
    figure.add_bar(
        name=t("summary.chart.fact", lang),
        x=labels[:1],
        y=[_float(cards.fact_to_date)],
        marker_color=FACT_COLOUR,
        customdata=[[format_month(cards.month, lang), format_money(cards.fact_to_date, lang)]],
        hovertemplate="%{customdata[0]}<br>"
        + t("summary.chart.fact", lang)
        + ": %{customdata[1]}<extra></extra>",
    )
    figure.add_bar(
        name=t("summary.chart.forecast", lang),
        x=labels,
        y=forecast,
        marker_color=FORECAST_COLOUR,
        customdata=[
            [format_month(m, lang), format_money(v, lang)]
            for m, v in zip(months, [cards.weighted_open, *following["weighted"]], strict=True)
        ],
        hovertemplate="%{customdata[0]}<br>"
        + t("summary.chart.forecast", lang)
        + ": %{customdata[1]}<extra></extra>",
    )
    # The plan: a short black line across each month's bar (a shape: a marker cannot take the
    # bar's width, which changes with the screen's), with one legend entry.
    first_plan = True
    for index, plan in enumerate(plans):
        if plan is None:
            continue
        figure.add_shape(
            type="line",
            x0=index - 0.34,
            x1=index + 0.34,
            y0=float(plan),
            y1=float(plan),
            line={"color": PLAN_COLOUR, "width": 3},
            name=t("summary.chart.plan", lang),
            legendgroup="plan",
            showlegend=first_plan,
        )
        first_plan = False
    tops = [max(total, _float(p)) for total, p in zip(totals, plans, strict=True)]
    for index, (value, plan) in enumerate(zip(values, plans, strict=True)):
        if plan is None or value is None or plan <= 0:
            continue
        figure.add_annotation(
            x=index,
            y=tops[index],
            text=t("summary.chart.share", lang, share=format_percent(value / plan, lang, 0)),
            showarrow=False,
            yshift=12,
            font={"size": 13},
            hovertext=format_money(plan, lang),
        )
    highest = max(tops) if tops else 0.0
    figure.update_layout(
        barmode="stack",
        separators=", " if lang == "ru" else ".,",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"l": 0, "r": 0, "t": 24, "b": 0},
        height=300,
        bargap=0.35,
        hoverlabel={"namelength": -1},
    )
    figure.update_xaxes(title=None, type="category", fixedrange=True)
    figure.update_yaxes(
        title=None, range=[0, highest * 1.18 or 1], fixedrange=True, **_money_ticks(highest, lang)
    )
    return figure
