"""Calendar months and working days on a country's production calendar (Russia's by default).

Working days come from the maintained ``holidays`` package: a day is a working day when it is not a
weekend day and not a public holiday, except the weekend days the country's calendar turns into
working days. For Russia the library carries the government's yearly transfer decrees: the holidays
moved to other days (``Day off (substituted from …)``) and the Saturdays that became working days
(``weekend_workdays``, e.g. 1 November 2025). Shortened pre-holiday days count as whole days: the plan
is spread over days, not hours.

The country is an ISO code (``RU``, ``KZ``, ``BY`` …): the ``country`` argument, else
``$SALES_ANALYTICS_COUNTRY``, else ``RU``.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from functools import cache

import holidays
from holidays import registry

DEFAULT_COUNTRY = "RU"
COUNTRY_VARIABLE = "SALES_ANALYTICS_COUNTRY"


def default_country() -> str:
    """The calendar the reports use unless told otherwise: ``$SALES_ANALYTICS_COUNTRY``, else Russia."""
    return (os.environ.get(COUNTRY_VARIABLE) or DEFAULT_COUNTRY).strip().upper()


@cache
def _known_codes() -> frozenset[str]:
    # Read from the library's registry (name, then ISO alpha-2 and alpha-3 codes, then class
    # aliases): list_supported_countries() imports every country's module to list its
    # subdivisions, which cost the first page a visible 0.4-0.9 s.
    return frozenset(
        alias
        for _name, *aliases in registry.COUNTRIES.values()
        for alias in aliases
        if alias.isupper() and len(alias) in (2, 3)
    )


def supported_countries() -> tuple[str, ...]:
    """ISO codes (alpha-2 and alpha-3) of the countries whose calendars the library knows."""
    return tuple(sorted(_known_codes()))


def check_country(country: str | None) -> str:
    """``country`` as an upper-case ISO code the library knows (``None``: the default); else ValueError."""
    code = (country or default_country()).strip().upper()
    if code not in _known_codes():
        raise ValueError(f"no production calendar for country {code!r}")
    return code


@cache
def _calendar(country: str, year: int) -> holidays.HolidayBase:
    # One object per year: its weekend_workdays are filled for the years it was built for, and we
    # only ever ask it about days of that year, so it never expands (nor mutates) under us.
    return holidays.country_holidays(country, years=year)


def is_working_day(day: date, country: str | None = None) -> bool:
    """Whether ``day`` is a working day: not a weekend or holiday, or a weekend day made working."""
    return _calendar(check_country(country), day.year).is_working_day(day)


@cache
def _month_flags(country: str, month: date) -> tuple[bool, ...]:
    """Working-day flags of every day of ``month`` (cached: the pages ask for the same months)."""
    calendar = _calendar(country, month.year)
    return tuple(
        calendar.is_working_day(month + timedelta(days=offset)) for offset in range(days_in_month(month))
    )


def working_days(first: date, last: date, country: str | None = None) -> int:
    """Working days in ``[first, last]``, both ends included; 0 when ``last`` is before ``first``."""
    code = check_country(country)
    count = 0
    month = month_start(first)
    while month <= last:
        flags = _month_flags(code, month)
        start = first.day - 1 if month == month_start(first) else 0
        stop = last.day if month == month_start(last) else len(flags)
        count += sum(flags[start:stop])
        month = add_months(month, 1)
    return count


def month_working_days(month: date, country: str | None = None) -> int:
    """Working days in the calendar month of ``month``."""
    return sum(_month_flags(check_country(country), month_start(month)))


def elapsed_working_days(month: date, as_of: date, country: str | None = None) -> int:
    """Working days of ``month`` from its first day to ``as_of`` included (all of them once it is over,
    none before it starts). The as-of day counts: its sales are in the fact to date."""
    first = month_start(month)
    return working_days(first, min(as_of, month_end(first)), country)


# --- calendar months -----------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def days_in_month(day: date) -> int:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def month_end(day: date) -> date:
    return day.replace(day=days_in_month(day))


def add_months(day: date, months: int) -> date:
    """``day`` moved by calendar months, the day clipped to the month's end (SPEC "Definitions"):
    ``add_months(2026-03-31, -1)`` is 2026-02-28."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    return first.replace(day=min(day.day, days_in_month(first)))


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the first day of that month (ValueError otherwise)."""
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError as error:
        raise ValueError(f"not a month (YYYY-MM): {text!r}") from error
