"""What reports/changes.py keeps per data version (every consecutive pair matched, the deal chains and
slips derived from it, the whole triangle, every month's accuracy rows) and cuts for each call: the
cut must be what matching and querying the snapshots asked for afresh gives, on the demo company."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
import pytest

from sales_analytics.db import Database, bump_data_version
from sales_analytics.reports import changes, forecast


@pytest.fixture(scope="module")
def con(demo_db):
    db = Database(demo_db)
    with db.cursor() as cursor:
        yield cursor
    db.close()


def afresh(monkeypatch) -> None:
    """Nothing kept: each call matches and queries its own snapshots."""
    monkeypatch.setattr(changes, "_kept", lambda *args: None)
    monkeypatch.setattr(changes, "_whole_triangle", lambda *args: None)


def rows(frame: pd.DataFrame) -> Counter:
    """The frame's rows as a multiset (rows that tie on every sort key may come in either order); an
    empty cell is None, whether pandas made it None or NaN."""
    return Counter(
        tuple(repr(None if isinstance(v, float) and v != v else v) for v in row)
        for row in frame.itertuples(index=False)
    )


def same(kept: pd.DataFrame, fresh: pd.DataFrame) -> None:
    assert list(kept.columns) == list(fresh.columns)
    assert list(kept.dtypes) == list(fresh.dtypes)
    assert rows(kept) == rows(fresh)


def test_slip_histories_cut_from_the_kept_chains_are_those_matched_afresh(con, monkeypatch):
    dates = forecast.snapshot_dates(con)
    assert len(dates) >= 6  # enough weeks for histories that start and end inside the data
    asks = [(dates[-1], 13), (dates[-1], 1), (dates[-1], None), (dates[4], 2), (dates[3], 52)]
    kept = {
        (day, weeks, measure): changes.slip_history(con, day, weeks, measure)
        for day, weeks in asks
        for measure in ("amount", "margin")
    }
    assert any(not history.deals.empty for history in kept.values())
    afresh(monkeypatch)
    for (day, weeks, measure), history in kept.items():
        fresh = changes.slip_history(con, day, weeks, measure)
        assert history.dates == fresh.dates
        same(history.deals, fresh.deals)
        # the most pushed first, in both
        assert list(history.deals["times_pushed"]) == list(fresh.deals["times_pushed"])
        pd.testing.assert_frame_equal(history.managers, fresh.managers)


def test_waterfalls_from_the_kept_pairs_are_those_matched_afresh(con, monkeypatch):
    dates = forecast.snapshot_dates(con)
    asks = [(dates[-2], dates[-1], None), (dates[0], dates[1], None), (dates[-6], dates[-5], dates[-5])]
    kept = {
        (a, b, month, measure): changes.classify(con, a, b, month=month, measure=measure)
        for a, b, month in asks
        for measure in ("amount", "margin")
    }
    afresh(monkeypatch)
    for (a, b, month, measure), classified in kept.items():
        fresh = changes.classify(con, a, b, month=month, measure=measure)
        same(classified, fresh)
        assert list(classified["category"]) == list(fresh["category"])
        assert classified.attrs == fresh.attrs


def test_triangles_cut_from_the_whole_one_are_those_queried(con, monkeypatch):
    dates = forecast.snapshot_dates(con)
    asks = [(None, 6), (dates[-1], 24), (dates[-1], 1), (dates[len(dates) // 2], 12), (dates[0], 3)]
    kept = {
        (day, months, measure): changes.forecast_triangle(con, day, months, measure=measure)
        for day, months in asks
        for measure in ("amount", "margin")
    }
    afresh(monkeypatch)
    for (day, months, measure), triangle in kept.items():
        pd.testing.assert_frame_equal(triangle, changes.forecast_triangle(con, day, months, measure=measure))


def test_accuracy_as_of_a_date_is_the_months_before_it(con):
    dates = forecast.snapshot_dates(con)
    later = changes.forecast_accuracy(con, date(2026, 12, 15))  # after the last snapshot, in December
    assert {forecast.month_start(day) for day in dates} <= set(later["month"])
    for day in (dates[4], dates[-1]):
        earlier = changes.forecast_accuracy(con, day)
        assert not earlier.empty and max(earlier["month"]) < forecast.month_start(day)
        # a month's accuracy is the same whenever it is asked for
        assert rows(earlier) == rows(later[later["month"] < forecast.month_start(day)])
    assert changes.forecast_accuracy(con, dates[0]).empty  # no month ended before the first snapshot


def test_a_new_import_is_read_not_the_kept_matching(tmp_path, demo_db):
    path = tmp_path / "copy.duckdb"
    path.write_bytes(demo_db.read_bytes())
    db = Database(path)
    with db.cursor() as cursor:
        *_, previous, last = forecast.snapshot_dates(cursor)
        before = changes.slip_history(cursor, last, 4)
        assert "Новый Менеджер" not in set(before.managers["manager"])
        cursor.execute(
            "update deals set manager = 'Новый Менеджер' where snapshot_date = $d", {"d": previous}
        )
        bump_data_version(cursor)  # what every import and delete does
        after = changes.slip_history(cursor, last, 4)
        # a week's slip is told under the managers of its earlier snapshot
        assert set(after.managers.loc[after.managers["week"] == last, "manager"]) == {"Новый Менеджер"}
        assert changes.classify(cursor, previous, last)["manager"].eq("Новый Менеджер").any()
    db.close()
    assert date(2026, 11, 23) in before.dates
