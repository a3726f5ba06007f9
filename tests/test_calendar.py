"""Working days on the production calendar, and calendar-month arithmetic (SPEC "Definitions")."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from sales_analytics import calendar


@pytest.mark.parametrize(
    ("month", "working_days"),
    [
        (date(2026, 1, 1), 15),  # New Year holidays to 8 January, 9 January moved from the 3rd
        (date(2026, 5, 1), 19),  # 1 May and 11 May (Victory Day moved from Saturday the 9th)
        (date(2026, 11, 1), 20),  # 4 November
        (date(2025, 11, 1), 19),  # 3 and 4 November off, Saturday 1 November a working day
        (date(2025, 12, 1), 22),  # 31 December off, moved from 5 January
        (date(2026, 6, 1), 21),  # 12 June
    ],
)
def test_russian_months_have_the_production_calendars_working_days(month, working_days):
    assert calendar.month_working_days(month, "RU") == working_days
    assert calendar.month_working_days(month.replace(day=17), "RU") == working_days


def test_a_transferred_working_saturday_is_a_working_day_and_its_holiday_is_not():
    assert date(2025, 11, 1).weekday() == 5
    assert calendar.is_working_day(date(2025, 11, 1), "RU")
    assert not calendar.is_working_day(date(2025, 11, 8), "RU")  # an ordinary Saturday
    assert not calendar.is_working_day(date(2025, 11, 3), "RU")  # the Monday it was moved to
    assert not calendar.is_working_day(date(2025, 12, 31), "RU")  # a Wednesday made a day off
    assert calendar.is_working_day(date(2025, 12, 30), "RU")


def test_working_days_count_both_ends_and_cross_months_and_years():
    assert calendar.working_days(date(2026, 5, 12), date(2026, 5, 12), "RU") == 1
    assert calendar.working_days(date(2026, 5, 9), date(2026, 5, 11), "RU") == 0
    assert calendar.working_days(date(2026, 5, 15), date(2026, 5, 12), "RU") == 0
    # 30 December 2025 works, 31 December to 11 January rest, 12 January works
    assert calendar.working_days(date(2025, 12, 30), date(2026, 1, 12), "RU") == 2
    # a year is the sum of its months
    year = sum(calendar.month_working_days(date(2026, m, 1), "RU") for m in range(1, 13))
    assert calendar.working_days(date(2026, 1, 1), date(2026, 12, 31), "RU") == year == 247


def test_elapsed_working_days_of_a_month_in_progress():
    may = date(2026, 5, 1)
    assert calendar.elapsed_working_days(may, date(2026, 4, 30), "RU") == 0  # not started
    assert calendar.elapsed_working_days(may, date(2026, 5, 1), "RU") == 0  # a holiday
    assert calendar.elapsed_working_days(may, date(2026, 5, 4), "RU") == 1
    assert calendar.elapsed_working_days(may, date(2026, 5, 15), "RU") == 9  # the day itself counts
    assert calendar.elapsed_working_days(may, date(2026, 5, 16), "RU") == 9  # a Saturday adds none
    assert calendar.elapsed_working_days(may, date(2026, 5, 31), "RU") == 19
    assert calendar.elapsed_working_days(may, date(2026, 7, 1), "RU") == 19  # over


def test_the_country_is_configurable(monkeypatch):
    # 8 March 2027 is a Monday: a holiday in Russia and Kazakhstan, a working day in Poland
    assert not calendar.is_working_day(date(2027, 3, 8), "RU")
    assert not calendar.is_working_day(date(2027, 3, 8), "kz")
    assert calendar.is_working_day(date(2027, 3, 8), "PL")
    # Russia's 12 June (a Friday in 2026) is an ordinary day elsewhere
    assert calendar.month_working_days(date(2026, 6, 1), "PL") == 21 and not calendar.is_working_day(
        date(2026, 6, 4), "PL"
    )  # Corpus Christi
    monkeypatch.setenv(calendar.COUNTRY_VARIABLE, "pl")
    assert calendar.default_country() == "PL"
    assert calendar.is_working_day(date(2027, 3, 8))
    monkeypatch.delenv(calendar.COUNTRY_VARIABLE)
    assert calendar.default_country() == "RU"
    assert not calendar.is_working_day(date(2027, 3, 8))


def test_an_unknown_country_is_refused():
    with pytest.raises(ValueError, match="XX"):
        calendar.month_working_days(date(2026, 5, 1), "XX")
    assert "RU" in calendar.supported_countries()


def test_the_known_countries_are_the_librarys_own_list():
    # read from the registry (cheap), they must be exactly what the library lists (slow)
    assert set(calendar.supported_countries()) == set(holidays.list_supported_countries())
    assert calendar.check_country("rus") == "RUS"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # clipped to the month's end
        (date(2024, 3, 31), -1, date(2024, 2, 29)),  # a leap February
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 5, 15), -5, date(2025, 12, 15)),
        (date(2026, 5, 15), -24, date(2024, 5, 15)),
        (date(2026, 1, 10), -13, date(2024, 12, 10)),
        (date(2026, 12, 31), 0, date(2026, 12, 31)),
    ],
)
def test_add_months_moves_by_calendar_months_clipping_the_day(day, months, expected):
    assert calendar.add_months(day, months) == expected


def test_month_helpers():
    assert calendar.month_start(date(2026, 2, 17)) == date(2026, 2, 1)
    assert calendar.month_end(date(2028, 2, 3)) == date(2028, 2, 29)
    assert calendar.month_end(date(2026, 12, 3)) == date(2026, 12, 31)
    assert calendar.days_in_month(date(2026, 4, 30)) == 30
    assert calendar.parse_month("2026-05") == date(2026, 5, 1)
    for bad in ("2026-13", "2026-5", "05.2026", "май"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            calendar.parse_month(bad)


def test_month_flags_match_day_by_day_answers():
    may = date(2026, 5, 1)
    by_day = [calendar.is_working_day(may + timedelta(days=i), "RU") for i in range(31)]
    assert sum(by_day) == calendar.month_working_days(may, "RU")
