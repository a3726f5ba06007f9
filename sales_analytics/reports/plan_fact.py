"""Plan against fact per department or manager (SPEC "Plan / fact", issue 4).

- fact(M) is the net sum of sales dated in M (returns subtract) under each sales row's own department
  or manager: a manager who moved takes no history along.
- A department's plan is the sum of plan rows with that department; a manager's, of rows with that
  manager. Rows without one are "Без отдела" / "Без менеджера".
- attainment = fact / plan (none without a plan, or with a zero plan); deviation = fact − plan, a group
  without a plan deviating by its whole fact, so that the deviations add up to the total's.
- Year to date is January to M of M's year; last year is the same months a year earlier. With an
  as-of day d, facts count sales up to d, and last year's up to ``add_months(d, −12)``, like for like.
- Month in progress: plan to date = plan × working days elapsed to d / working days in M, run-rate
  landing = fact to date / working days elapsed × working days in M, and what is needed per remaining
  working day to make the plan (working days: :mod:`sales_analytics.calendar`).
- A ``TOTAL`` row sums the groups, to the kopeck.

The facts come from ``sales_by_day`` (the current sales summed per day, department and manager,
rebuilt with every import and delete: :mod:`sales_analytics.ingest.derived`), so a view reads tens
of thousands of rows, not every sale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd

from sales_analytics import calendar
from sales_analytics.db import query_df
from sales_analytics.i18n import no_department, no_manager

GROUPINGS = ("department", "manager")
TOTAL = "TOTAL"
COLUMNS = [
    "group",
    "plan",
    "fact",
    "attainment",
    "deviation",
    "fact_last_year",
    "ytd_plan",
    "ytd_fact",
    "ytd_attainment",
    "ytd_fact_last_year",
]
"""The ``report plan-fact`` contract (SPEC "Command line"). :func:`plan_fact` adds ``growth`` and
``ytd_growth`` (fact against last year's, as a fraction) after them."""
RATIO_COLUMNS = ("attainment", "ytd_attainment", "growth", "ytd_growth", "landing_attainment")
PROGRESS_COLUMNS = [
    "group",
    "plan",
    "plan_to_date",
    "fact_to_date",
    "deviation_to_date",
    "landing",
    "landing_attainment",
    "left_to_plan",
    "needed_per_day",
    "behind",
]
KOPECK = Decimal("0.01")
RATIO = Decimal("0.0001")


def _check_by(by: str) -> None:
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")


def no_group(by: str, lang: str) -> str:
    """The label of rows without a department (or manager) in ``lang``."""
    return no_department(lang) if by == "department" else no_manager(lang)


def _money(value: Decimal) -> Decimal:
    return value.quantize(KOPECK, ROUND_HALF_UP)


def _none_to_null(frame: pd.DataFrame) -> pd.DataFrame:
    # plain Python values, None where missing: pandas' own dtypes would show a missing text or
    # number as NaN, which the export and the pages would have to tell from a value
    return frame.astype(object).where(frame.notna(), None)


# --- the month: plan, fact, year to date, last year ------------------------------------------------


def plan_fact(
    con: duckdb.DuckDBPyConnection,
    month: date,
    by: str = "department",
    as_of: date | None = None,
    lang: str = "ru",
) -> pd.DataFrame:
    """Plan and fact of month ``month`` per group, year to date, and last year's fact, then ``TOTAL``.

    Columns: :data:`COLUMNS`, then ``growth`` and ``ytd_growth`` (fact / last year's fact − 1, none
    unless last year's is positive). Every group with a figure in any column is listed: fact without
    plan (plan none, attainment none, deviation = fact) and plan without fact (fact 0). Facts count
    sales up to ``as_of`` when given (and last year's up to the same day a year earlier), else the
    whole month. Money is Decimal; ratios are Decimal fractions with four places.
    """
    _check_by(by)
    month = calendar.month_start(month)
    fact_to = calendar.month_end(month) if as_of is None else min(as_of, calendar.month_end(month))
    year_start = month.replace(month=1)
    frame = query_df(
        con,
        "plan_fact_by_group",
        {
            "by": by,
            "month": month,
            "year_start": year_start,
            "fact_to": fact_to,
            "month_last_year": calendar.add_months(month, -12),
            "year_start_last_year": calendar.add_months(year_start, -12),
            "fact_to_last_year": calendar.add_months(fact_to, -12),
            "no_group": no_group(by, lang),
        },
    )
    return _none_to_null(frame)


def available_months(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Calendar months from the first to the last that hold sales or plan, newest first."""
    return [pd.Timestamp(m).date() for m in query_df(con, "plan_fact_months")["month"]]


# --- the month in progress -----------------------------------------------------------------------


def in_progress(month: date, as_of: date) -> bool:
    """Whether ``as_of`` falls inside ``month`` before its last day: the month is under way."""
    return calendar.month_start(month) <= as_of < calendar.month_end(month)


@dataclass(frozen=True)
class MonthProgress:
    """Month ``month`` seen on day ``as_of``: per group (``frame``, :data:`PROGRESS_COLUMNS`, then a
    ``TOTAL`` row), the working-day counts of the production calendar of ``country``, and the
    :func:`plan_fact` table it was computed from (``plan_fact``: the page shows it too, without
    computing it twice)."""

    month: date
    as_of: date
    country: str
    working_days: int
    elapsed_days: int
    frame: pd.DataFrame
    plan_fact: pd.DataFrame

    @property
    def remaining_days(self) -> int:
        """Working days after the as-of day, to the month's end."""
        return self.working_days - self.elapsed_days


def month_progress(
    con: duckdb.DuckDBPyConnection,
    month: date,
    as_of: date,
    by: str = "department",
    lang: str = "ru",
    country: str | None = None,
) -> MonthProgress:
    """The month in progress on day ``as_of``, per group and in total.

    - plan to date = plan × working days elapsed to ``as_of`` (included) / working days in the month;
    - fact to date = net sales from the month's first day to ``as_of``;
    - run-rate landing = fact to date / working days elapsed × working days in the month (none before
      the first working day has passed);
    - left to plan = plan − fact to date, 0 once the plan is made (none without a plan);
    - needed per remaining working day = left to plan / working days left after ``as_of`` (none
      without a plan or without days left);
    - behind: fact to date below plan to date.

    The TOTAL row sums the groups' plan, plan to date, fact and landing; what is left and needed per
    day are the company's (from total plan − total fact): a group ahead of its plan makes up for
    another's gap in the company's figure, not in the groups' own.
    """
    country = calendar.check_country(country)
    month = calendar.month_start(month)
    total_days = calendar.month_working_days(month, country)
    elapsed = calendar.elapsed_working_days(month, as_of, country)
    remaining = total_days - elapsed
    base = plan_fact(con, month, by, as_of=as_of, lang=lang)

    rows = []
    for record in base.itertuples(index=False):
        plan = record.plan
        fact = record.fact
        plan_to_date = None if plan is None else _money(plan * elapsed / total_days)
        landing = _money(fact / elapsed * total_days) if elapsed else None
        rows.append(
            {
                "group": record.group,
                "plan": plan,
                "plan_to_date": plan_to_date,
                "fact_to_date": fact,
                "deviation_to_date": fact - (plan_to_date or 0),
                "landing": landing,
                "landing_attainment": _ratio(landing, plan),
                "left_to_plan": None if plan is None else max(Decimal(0), plan - fact),
                "needed_per_day": _needed(plan, fact, remaining),
                "behind": plan_to_date is not None and fact < plan_to_date,
            }
        )
    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    if not frame.empty:
        groups = frame[frame["group"] != TOTAL]
        total = frame.index[frame["group"] == TOTAL][0]
        # the total of the rounded group figures, so that the table adds up to the kopeck
        for column in ("plan_to_date", "landing", "deviation_to_date"):
            values = [v for v in groups[column] if v is not None]
            frame.at[total, column] = sum(values, Decimal(0)) if values else None
        frame.at[total, "landing_attainment"] = _ratio(frame.at[total, "landing"], frame.at[total, "plan"])
        frame.at[total, "behind"] = frame.at[total, "deviation_to_date"] < 0
    return MonthProgress(month, as_of, country, total_days, elapsed, _none_to_null(frame), base)


def _ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator / denominator).quantize(RATIO, ROUND_HALF_UP)


def _needed(plan: Decimal | None, fact: Decimal, remaining_days: int) -> Decimal | None:
    if plan is None or remaining_days <= 0:
        return None
    return _money(max(Decimal(0), plan - fact) / remaining_days)


def daily_progress(
    con: duckdb.DuckDBPyConnection,
    month: date,
    as_of: date,
    by: str = "department",
    group: str | None = None,
    lang: str = "ru",
    country: str | None = None,
) -> pd.DataFrame:
    """Day by day through ``month``: the cumulative fact up to ``as_of`` against the plan spread over
    working days (plan × working days elapsed through the day / working days in the month).

    ``group``: one group's label (as :func:`plan_fact` prints it), ``None`` for all. Columns: ``day``,
    ``working_day``, ``fact`` (that day's net sales, none after ``as_of``), ``fact_cumulative`` (none
    after ``as_of``), ``plan_cumulative`` (none without a plan).
    """
    _check_by(by)
    country = calendar.check_country(country)
    month = calendar.month_start(month)
    sales = query_df(
        con,
        "plan_fact_by_day",
        {"by": by, "group": group, "no_group": no_group(by, lang), "month": month, "as_of": as_of},
    )
    plan = sales["plan"].iloc[0] if len(sales) else None
    daily = {
        pd.Timestamp(d).date(): f for d, f in zip(sales["day"], sales["fact"], strict=True) if d is not None
    }
    total_days = calendar.month_working_days(month, country)
    rows = []
    worked = 0
    cumulative = Decimal(0)
    for offset in range(calendar.days_in_month(month)):
        day = month + timedelta(days=offset)
        working = calendar.is_working_day(day, country)
        worked += working
        fact = daily.get(day, Decimal(0)) if day <= as_of else None
        if fact is not None:
            cumulative += fact
        rows.append(
            {
                "day": day,
                "working_day": working,
                "fact": fact,
                "fact_cumulative": cumulative if fact is not None else None,
                "plan_cumulative": None if plan is None else _money(plan * worked / total_days),
            }
        )
    return pd.DataFrame(rows)


# --- the year: attainment per group and month ----------------------------------------------------


def attainment_by_month(
    con: duckdb.DuckDBPyConnection,
    year: int,
    by: str = "department",
    through: date | None = None,
    lang: str = "ru",
) -> pd.DataFrame:
    """Plan, fact and attainment per group and month of ``year`` (the heatmap), up to the month of
    ``through`` and its day (the months after it have no fact yet), then ``TOTAL`` per month.

    Columns: ``group``, ``month`` (first day), ``plan``, ``fact``, ``attainment``.
    """
    _check_by(by)
    year_end = date(year, 12, 31)
    through_end = year_end if through is None else min(through, year_end)
    frame = query_df(
        con,
        "plan_fact_by_month",
        {
            "by": by,
            "year_start": date(year, 1, 1),
            "through": calendar.month_start(through_end),
            "through_end": through_end,
            "no_group": no_group(by, lang),
        },
    )
    frame["month"] = [pd.Timestamp(m).date() for m in frame["month"]]
    return _none_to_null(frame)


# --- the command line ----------------------------------------------------------------------------


def _add_arguments(parser) -> None:
    from sales_analytics.cli import day

    def month(text: str) -> date:
        import argparse

        try:
            return calendar.parse_month(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error

    parser.add_argument("--month", type=month, required=True, help="the month, YYYY-MM")
    parser.add_argument("--by", choices=GROUPINGS, default="department")
    parser.add_argument(
        "--as-of", dest="as_of", type=day, help="count sales up to this day (a month in progress)"
    )


def _run(con, args) -> pd.DataFrame:
    """Plan against fact per department or manager, year to date and last year, with a TOTAL row."""
    frame = plan_fact(con, args.month, args.by, as_of=args.as_of, lang=args.lang)[COLUMNS]
    return ratios_as_text(frame, args.format)


def ratios_as_text(frame: pd.DataFrame, output_format: str) -> pd.DataFrame:
    """Ratio columns written as fractions with exactly four decimals (``0.8734``, ``0.0000``) in CSV
    and JSON, whatever the export's way with Decimals; a workbook keeps numbers."""
    if output_format == "xlsx":
        return frame
    frame = frame.copy()
    for column in RATIO_COLUMNS:
        if column in frame:
            frame[column] = [None if v is None else f"{v:.4f}" for v in frame[column]]
    return frame


CLI_REPORTS = {"plan-fact": (_add_arguments, _run)}
