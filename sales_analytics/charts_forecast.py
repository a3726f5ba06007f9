"""Plotly figures of the forecast and forecast-changes pages, built from the reports' frames.

No queries and no business rules here: each function takes a frame that ``reports.forecast`` or
``reports.changes`` computed and draws it in the reader's language (``ru``: ``1 234 567 ₽``, months
by name). Money arrives as ``Decimal`` and is drawn as float; hover texts carry the exact figure.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from sales_analytics.i18n import format_day, format_money, format_month, format_percent, t
from sales_analytics.reports.changes import CATEGORIES

PLAN_COLOUR = "#1f1f1f"
RISE = "#2e7d32"
FALL = "#c62828"
TOTAL = "#455a64"


def _money_axis(figure: go.Figure, lang: str, axis: str = "y") -> None:
    """Money on an axis as people write it: ``1 234 567 ₽`` (ru) or ``₽1,234,567`` (en)."""
    settings = {
        "tickformat": ",.0f",
        "ticksuffix": " ₽" if lang == "ru" else "",
        "tickprefix": "" if lang == "ru" else "₽",
        "title": None,
    }
    (figure.update_yaxes if axis == "y" else figure.update_xaxes)(**settings)


def _layout(figure: go.Figure, lang: str, height: int = 420) -> go.Figure:
    figure.update_layout(
        separators=", " if lang == "ru" else ".,",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        height=height,
        hoverlabel={"namelength": -1},
    )
    return figure


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def forecast_bars(report: pd.DataFrame, lang: str, value: str = "weighted") -> go.Figure:
    """A bar per month of the horizon, stacked by group, with the company's plan as a line.

    ``report`` is :func:`reports.forecast.forecast_report`; ``value`` is ``weighted`` or
    ``unweighted``. Overdue and undated rows are not months and are left to their own panel.
    """
    months = report[report["month"].map(lambda m: isinstance(m, date))]
    figure = go.Figure()
    for group, rows in months.groupby("group", sort=False):
        figure.add_bar(
            name=str(group),
            x=[format_month(m, lang) for m in rows["month"]],
            y=[float(v) for v in rows[value]],
            customdata=[
                [format_money(v, lang), int(n)] for v, n in zip(rows[value], rows["deals"], strict=True)
            ],
            hovertemplate="%{fullData.name}<br>%{x}: %{customdata[0]}"
            + f"<br>{t('forecast.deals', lang)}: "
            + "%{customdata[1]}<extra></extra>",
        )
    plan = months.drop_duplicates("month")
    if plan["plan_total"].notna().any():
        figure.add_scatter(
            name=t("forecast.plan", lang),
            x=[format_month(m, lang) for m in plan["month"]],
            y=[_float(v) for v in plan["plan_total"]],
            mode="lines+markers",
            line={"color": PLAN_COLOUR, "dash": "dash", "width": 2},
            marker={"symbol": "line-ew-open", "size": 18, "color": PLAN_COLOUR},
            customdata=[format_money(v, lang) for v in plan["plan_total"]],
            hovertemplate=f"{t('forecast.plan', lang)}<br>" + "%{x}: %{customdata}<extra></extra>",
        )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title=None, type="category")
    _money_axis(figure, lang)
    return _layout(figure, lang)


def _two_lines(label: str) -> str:
    """A long category name over two lines, split at the space nearest its middle."""
    if len(label) <= 10 or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:cut]}<br>{label[cut + 1 :]}"


def waterfall(summary: pd.DataFrame, lang: str) -> go.Figure:
    """The changes waterfall: start, the ten categories in order, end (``reports.changes.summarise``).

    The start bar is absolute, each category moves the running total, and the end bar is the total
    Plotly adds up itself, so the picture reconciles the way the figures do. Increases are green,
    decreases red; each bar's hover has its exact amount in kopecks and its deal count. The value axis
    is zoomed on the running totals: the changes are small next to the forecast itself.
    """
    labels, measures, values, hovers = [], [], [], []
    for row in summary.itertuples(index=False):
        labels.append(_two_lines(t(f"changes.category.{row.category}", lang)))
        measures.append(
            "relative" if row.category in CATEGORIES else "absolute" if row.category == "start" else "total"
        )
        values.append(float(row.amount) if row.category != "end" else 0.0)
        hovers.append(
            f"{format_money(row.amount, lang, kopecks=True)}<br>{t('forecast.deals', lang)}: {row.deals}"
        )
    figure = go.Figure(
        go.Waterfall(
            x=labels,
            y=values,
            measure=measures,
            text=[format_money(v, lang) for v in summary["amount"]],
            textposition="outside",
            cliponaxis=False,
            customdata=hovers,
            hovertemplate="%{x}<br>%{customdata}<extra></extra>",
            increasing={"marker": {"color": RISE}},
            decreasing={"marker": {"color": FALL}},
            totals={"marker": {"color": TOTAL}},
            connector={"line": {"color": "#9e9e9e", "width": 1}},
        )
    )
    running = [float(summary["amount"].iloc[0])]
    for amount in summary["amount"].iloc[1:-1]:
        running.append(running[-1] + float(amount))
    low, high = min(running), max(running)
    span = max(high - low, abs(high) * 0.02, 1.0)
    figure.update_yaxes(
        range=[max(0.0, low - 0.6 * span) if low >= 0 else low - 0.6 * span, high + 0.25 * span]
    )
    figure.update_xaxes(title=None, type="category", tickangle=0)
    _money_axis(figure, lang)
    figure.update_layout(showlegend=False)
    return _layout(figure, lang, height=480)


def triangle_lines(triangle: pd.DataFrame, lang: str) -> go.Figure:
    """The forecast triangle as lines: for each month, its weighted forecast over the snapshot dates
    (``reports.changes.forecast_triangle``), with each month's plan as a dotted line of its colour,
    shown on a click on "План". A line that falls week after week is a month that is melting."""
    figure = go.Figure()
    palette = [
        "#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f",
        "#5d4037", "#ad1457", "#9e9d24", "#283593", "#00695c", "#4e342e",
    ]  # fmt: skip
    plan_in_legend = False
    for index, (month, rows) in enumerate(triangle.groupby("month", sort=True)):
        colour = palette[index % len(palette)]
        name = format_month(month, lang)
        figure.add_scatter(
            name=name,
            legendgroup=name,
            x=list(rows["snapshot_date"]),
            y=[float(v) for v in rows["weighted"]],
            mode="lines+markers",
            line={"color": colour},
            customdata=[
                [format_day(d, lang), format_money(v, lang), int(n)]
                for d, v, n in zip(rows["snapshot_date"], rows["weighted"], rows["deals"], strict=True)
            ],
            hovertemplate=f"{name}<br>" + "%{customdata[0]}: %{customdata[1]}"
            f"<br>{t('forecast.deals', lang)}: " + "%{customdata[2]}<extra></extra>",
        )
        plan = rows["plan"].iloc[0]
        if plan is not None and not pd.isna(plan):
            # the plans, usually far above a month's open deals, would flatten the lines: they are one
            # legend entry, off until clicked (the table beside the chart has them too)
            figure.add_scatter(
                name=t("forecast.plan", lang),
                legendgroup="plan",
                showlegend=not plan_in_legend,
                visible="legendonly",
                x=[rows["snapshot_date"].min(), rows["snapshot_date"].max()],
                y=[float(plan)] * 2,
                mode="lines",
                line={"color": colour, "dash": "dot", "width": 1},
                hovertemplate=f"{t('forecast.plan', lang)}, {name}: {format_money(plan, lang)}<extra></extra>",
            )
            plan_in_legend = True
    figure.update_xaxes(title=None, tickformat="%d.%m" if lang == "ru" else "%d %b")
    _money_axis(figure, lang)
    return _layout(figure, lang)


def slip_heatmap(managers: pd.DataFrame, lang: str) -> go.Figure:
    """Per manager (rows) and week (columns), the share of the manager's forecast that slipped to a
    later month (``SlipHistory.managers``). Darker is more slipped."""
    pivot = managers.pivot(index="manager", columns="week", values="share")
    slipped = managers.pivot(index="manager", columns="week", values="slipped")
    weeks = list(pivot.columns)
    text = [
        [
            ""
            if pd.isna(share)
            else f"{format_percent(share, lang, 0)}<br>{format_money(slipped.loc[manager, week], lang)}"
            for week, share in zip(weeks, pivot.loc[manager], strict=True)
        ]
        for manager in pivot.index
    ]
    figure = go.Figure(
        go.Heatmap(
            z=[[None if pd.isna(v) else float(v) for v in row] for row in pivot.to_numpy()],
            x=[format_day(w, lang) for w in weeks],
            y=list(pivot.index),
            colorscale="Reds",
            zmin=0,
            zmax=max(0.3, float(pd.to_numeric(managers["share"], errors="coerce").max() or 0)),
            customdata=text,
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
            colorbar={"tickformat": ".0%", "title": None},
        )
    )
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(title=None, type="category")
    return _layout(figure, lang, height=max(260, 42 * len(pivot.index) + 80))


def accuracy_bars(accuracy: pd.DataFrame, lang: str) -> go.Figure:
    """The company's accuracy per past month for forecasts made 4, 2 and 1 weeks before the month's
    end (``reports.changes.forecast_accuracy``, total rows)."""
    totals = accuracy[accuracy["is_total"]]
    figure = go.Figure()
    shades = {4: "#90caf9", 2: "#42a5f5", 1: "#1565c0"}  # the closer to the month's end, the darker
    for weeks in (4, 2, 1):
        column = f"accuracy_{weeks}w"
        figure.add_bar(
            name=t("changes.accuracy.weeks_before", lang, weeks=weeks),
            marker={"color": shades[weeks]},
            x=[format_month(m, lang) for m in totals["month"]],
            y=[None if v is None or pd.isna(v) else float(v) for v in totals[column]],
            text=["" if v is None or pd.isna(v) else format_percent(v, lang, 0) for v in totals[column]],
            textposition="outside",
        )
    figure.update_layout(barmode="group")
    figure.update_yaxes(tickformat=".0%", title=None)
    figure.update_xaxes(title=None, type="category")
    return _layout(figure, lang, height=360)
