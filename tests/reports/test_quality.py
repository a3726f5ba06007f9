"""The data quality panel's figures on tiny hand-made files whose flaws are known by construction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from sales_analytics import batches, export
from sales_analytics.db import migrate
from sales_analytics.ingest import import_file
from sales_analytics.reports import quality

SNAPSHOT = date(2026, 11, 16)

# two spellings of Ромашка; a subtotal row; one amount that is not a number (imported with skip)
SALES = (
    "Дата;Клиент;Менеджер;Подразделение;Сумма\n"
    "02.11.2026;ООО «Ромашка»;Иванов Иван;Оптовый отдел;1 000\n"
    "03.11.2026;Ромашка ООО;Иванов Иван;Оптовый отдел;2 000\n"
    "04.11.2026;ООО «Ромашка»;Иванов Иван;Оптовый отдел;500\n"
    "05.11.2026;Лютик;Петрова Анна;Розничный отдел;двести\n"
    "06.11.2026;Лютик;Петрова Анна;Розничный отдел;300\n"
    ";Итого;;;3 800\n"
)
# a deal with no probability, one with no month, one with the status "непонятно", and a manager
# (Сидоров Олег) who has no sales
DEALS = (
    "Менеджер;Клиент;Сумма;Месяц оплаты;Вероятность;Статус\n"
    "Иванов Иван;Ромашка;10 000;декабрь 2026;;в работе\n"
    "Иванов Иван;Лютик;20 000;;50%;в работе\n"
    "Петрова Анна;Лютик;30 000;январь 2027;70%;непонятно\n"
    "Сидоров Олег;Астра;40 000;январь 2027;30%;в работе\n"
    "Сидоров Олег;Астра;5 000;февраль 2027;20%;выиграна\n"
)


@pytest.fixture
def loaded(con):
    sales = import_file(con, SALES.encode(), "sales.csv", "sales", skip_invalid=True)
    deals = import_file(con, DEALS.encode(), "deals.csv", "deals", as_of=SNAPSHOT)
    return con, sales.batch_id, deals.batch_id


def counts(con, batch_id=None) -> dict[str, int]:
    frame = quality.quality_counts(con, batch_id)
    return dict(zip(frame["check"], frame["count"], strict=True))


def test_each_flaw_is_counted_once_per_batch_and_in_total(loaded):
    con, sales_id, deals_id = loaded
    assert counts(con) == {
        "skipped": 1,
        "left_out": 1,
        "probability_missing": 1,
        "month_missing": 1,
        "status_unknown": 1,
        "client_spellings": 1,
        "managers_without_sales": 1,
    }
    assert counts(con, sales_id) == {
        **dict.fromkeys(quality.CHECKS, 0),
        "skipped": 1,
        "left_out": 1,
        "client_spellings": 1,
    }
    # the deals batch touches Ромашка (spelled a third way) and brings Сидоров
    assert counts(con, deals_id)["client_spellings"] == 1
    assert counts(con, deals_id)["managers_without_sales"] == 1
    assert counts(con, deals_id)["skipped"] == 0
    per_batch = quality.quality_batches(con, "en").set_index("batch_id")
    assert per_batch.loc[sales_id, "kind"] == "sales" and per_batch.loc[deals_id, "kind"] == "forecast"
    assert per_batch.loc[sales_id, "rows"] == 4
    assert per_batch.loc[deals_id, ["probability_missing", "month_missing", "status_unknown"]].tolist() == [
        1,
        1,
        1,
    ]


def test_each_count_opens_its_rows(loaded):
    con, sales_id, _ = loaded
    skipped = quality.quality_rows(con, "skipped", lang="en")
    assert skipped[["batch_id", "row", "value"]].values.tolist() == [[sales_id, 5, "двести"]]
    assert "not a number" in skipped.loc[0, "reason"]
    assert "E" in skipped.loc[0, "column"]

    left_out = quality.quality_rows(con, "left_out", lang="ru")
    assert left_out[["batch_id", "count"]].values.tolist() == [[sales_id, 1]]
    assert left_out.loc[0, "reason"] == "строки итогов не учтены"

    no_probability = quality.quality_rows(con, "probability_missing", lang="ru")
    assert no_probability[["client", "amount", "source_row"]].values.tolist() == [
        ["Ромашка", Decimal("10000.00"), 2]
    ]
    assert no_probability.loc[0, "probability_shown"] == "нет (считается 100 %)"
    assert no_probability.loc[0, "department"] == "Оптовый отдел"  # from Иванов's sales

    no_month = quality.quality_rows(con, "month_missing")
    assert no_month[["client", "manager", "expected_month"]].values.tolist() == [
        ["Лютик", "Иванов Иван", None]
    ]
    assert no_month.loc[0, "probability_shown"] == "50 %"

    unknown = quality.quality_rows(con, "status_unknown")
    assert unknown[["client", "status_text"]].values.tolist() == [["Лютик", "непонятно"]]
    # it counts as open: it is in the forecast
    assert con.execute("SELECT status FROM deals WHERE status_unknown").fetchall() == [("open",)]

    spellings = quality.quality_rows(con, "client_spellings")
    assert spellings["client_key"].unique().tolist() == ["ромашка"]
    used = dict(
        zip(
            spellings["spelling"],
            zip(spellings["sales_rows"], spellings["deal_rows"], strict=True),
            strict=True,
        )
    )
    assert used == {"ООО «Ромашка»": (2, 0), "Ромашка ООО": (1, 0), "Ромашка": (0, 1)}
    assert set(spellings["display_name"]) == {"ООО «Ромашка»"}  # the most frequent spelling

    managers = quality.quality_rows(con, "managers_without_sales")
    assert managers[["manager", "snapshots", "deals", "last_snapshot"]].values.tolist() == [
        ["Сидоров Олег", 1, 2, SNAPSHOT]
    ]
    assert managers.loc[0, "open_amount"] == Decimal("40000.00")  # the won deal is not open


def test_a_replaced_week_keeps_its_counts_and_says_what_replaced_it(loaded):
    con, _, deals_id = loaded
    again = "Менеджер;Клиент;Сумма;Месяц оплаты;Вероятность\nИванов Иван;Ромашка;12 000;декабрь 2026;\n"
    later = import_file(con, again.encode(), "ivanov.csv", "deals", as_of=SNAPSHOT)
    rows = quality.quality_rows(con, "probability_missing")
    replaced = [None if pd.isna(v) else int(v) for v in rows["replaced_by"]]
    assert list(zip(rows["batch_id"], replaced, strict=True)) == [
        (later.batch_id, None),
        (deals_id, later.batch_id),
    ]
    assert counts(con)["probability_missing"] == 2
    batches.delete_batch(con, later.batch_id)
    assert counts(con)["probability_missing"] == 1
    assert later.batch_id not in set(quality.quality_batches(con)["batch_id"])


def test_rows_export_with_their_values(loaded):
    con, _, _ = loaded
    rows = quality.quality_rows(con, "status_unknown", lang="en")
    csv = export.to_csv(rows)
    assert "непонятно" in csv and "30000.00" in csv


def test_an_empty_database_has_nothing_to_count(con):
    assert set(counts(con).values()) == {0}
    assert quality.quality_batches(con).empty
    for check in quality.CHECKS:
        assert quality.quality_rows(con, check).columns.tolist() == list(quality.ROW_COLUMNS[check])
    with pytest.raises(ValueError):
        quality.quality_rows(con, "nonsense")


def test_migration_3_flags_unknown_statuses_of_deals_imported_before_it(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    assert migrate(con, migrations=[]) == 1  # a database as version 1 left it
    insert = (
        "INSERT INTO deals (batch_id, snapshot_date, source_row, client_key, client_name, amount, probability, "
        "status, status_text) VALUES (1, DATE '2026-11-16', $row, 'x', 'X', 1, 1, $status, $text)"
    )
    for row, status, text in [
        (2, "open", "непонятно"),
        (3, "open", "В работе"),
        (4, "won", "оплачена"),
        (5, "open", None),
    ]:
        con.execute(insert, {"row": row, "status": status, "text": text})
    migrate(con)
    assert con.execute("SELECT source_row FROM deals WHERE status_unknown").fetchall() == [(2,)]
    con.close()
