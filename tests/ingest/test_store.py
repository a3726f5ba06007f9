"""Batches: a manager's re-upload replaces only their rows, undo brings the old rows back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sales_analytics import batches
from sales_analytics.db import data_version
from sales_analytics.ingest import import_file


def _deals(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ["Менеджер;Клиент;Сумма;Месяц оплаты;Вероятность"]
    lines += [f"{manager};{client};{amount};декабрь 2026;50%" for manager, client, amount in rows]
    return "\n".join(lines).encode()


def _open_total(con, snapshot: date) -> dict[str, Decimal]:
    return dict(
        con.execute(
            "SELECT manager, sum(amount) FROM current_deals WHERE snapshot_date = $d GROUP BY ALL",
            {"d": snapshot},
        ).fetchall()
    )


def test_manager_reupload_replaces_only_that_managers_rows_and_undo_restores(con):
    week = date(2026, 11, 16)
    import_file(
        con, _deals([("Иванов", "Лютик", "100"), ("Петрова", "Ромашка", "200")]), "all.csv", as_of=week
    )
    second = import_file(con, _deals([("Иванов", "Лютик", "150")]), "ivanov.csv", as_of=week)
    assert second.replaced_rows == 1
    assert _open_total(con, week) == {"Иванов": Decimal("150.00"), "Петрова": Decimal("200.00")}
    batches.delete_batch(con, second.batch_id)
    assert _open_total(con, week) == {"Иванов": Decimal("100.00"), "Петрова": Decimal("200.00")}


def test_other_snapshot_dates_are_kept(con):
    import_file(con, _deals([("Иванов", "Лютик", "100")]), "w1.csv", as_of=date(2026, 11, 9))
    import_file(con, _deals([("Иванов", "Лютик", "300")]), "w2.csv", as_of=date(2026, 11, 16))
    assert _open_total(con, date(2026, 11, 9)) == {"Иванов": Decimal("100.00")}
    assert _open_total(con, date(2026, 11, 16)) == {"Иванов": Decimal("300.00")}


def test_snapshot_date_comes_from_the_file_name(con):
    result = import_file(con, _deals([("Иванов", "Лютик", "1")]), "Прогноз 16.11.2026.csv")
    assert result.snapshot_date == date(2026, 11, 16)
    result = import_file(con, _deals([("Петрова", "Лютик", "1")]), "forecast_2026-11-23.csv")
    assert result.snapshot_date == date(2026, 11, 23)


def test_reexported_sales_period_replaces_the_old_rows_not_other_departments(con):
    header = "Дата;Клиент;Подразделение;Сумма\n"
    import_file(
        con,
        (header + "02.11.2026;А;Опт;100\n10.11.2026;Б;Опт;100\n05.11.2026;В;Розница;7\n").encode(),
        "nov-1.csv",
    )
    import_file(
        con,
        (header + "01.11.2026;А;Опт;100\n10.11.2026;Б;Опт;100\n16.11.2026;Г;Опт;50\n").encode(),
        "nov-2.csv",
    )
    totals = dict(con.execute("SELECT department, sum(amount) FROM current_sales GROUP BY ALL").fetchall())
    assert totals == {"Опт": Decimal("250.00"), "Розница": Decimal("7.00")}


def test_three_uploads_undo_the_middle_one_keeps_the_latest(con):
    week = date(2026, 11, 16)
    import_file(con, _deals([("Иванов", "Лютик", "100")]), "a.csv", as_of=week)
    middle = import_file(con, _deals([("Иванов", "Лютик", "200")]), "b.csv", as_of=week)
    import_file(con, _deals([("Иванов", "Лютик", "300")]), "c.csv", as_of=week)
    batches.delete_batch(con, middle.batch_id)
    assert _open_total(con, week) == {"Иванов": Decimal("300.00")}


def test_every_import_and_delete_changes_the_data_version(con):
    start = data_version(con)
    result = import_file(con, _deals([("Иванов", "Лютик", "1")]), "x.csv", as_of=date(2026, 11, 16))
    after_import = data_version(con)
    batches.delete_batch(con, result.batch_id)
    assert start < after_import < data_version(con)


def test_upload_is_archived_by_hash(fresh_db):
    with fresh_db.cursor() as con:
        result = import_file(
            con,
            _deals([("Иванов", "Лютик", "1")]),
            "x.csv",
            as_of=date(2026, 11, 16),
            archive_dir=fresh_db.archive_dir,
        )
        archived = fresh_db.archive_dir / f"{result.sha256}.csv"
        assert archived.read_bytes() == _deals([("Иванов", "Лютик", "1")])
        listed = batches.list_batches(con)
        assert listed.loc[0, "sha256"] == result.sha256


def test_client_list_shows_the_most_frequent_spelling(con):
    data = "Дата;Клиент;Сумма\n" + "".join(
        f"1{i}.11.2026;{name};1\n" for i, name in enumerate(["ООО «Ромашка»", "ООО «Ромашка»", "Ромашка ООО"])
    )
    import_file(con, data.encode(), "s.csv")
    assert con.execute("SELECT client_key, display_name FROM clients").fetchall() == [
        ("ромашка", "ООО «Ромашка»")
    ]
