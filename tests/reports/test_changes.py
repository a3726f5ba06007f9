"""Forecast changes (SPEC.md "Forecast changes"): the waterfall, the matching, the triangle, slips and
accuracy, on the hand-checked fixture of test_forecast.py, on deals written straight into the
database for the matching rules, and on random pairs of snapshots (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_analytics import export
from sales_analytics.cli import main
from sales_analytics.db import Database, bump_data_version
from sales_analytics.reports import changes, forecast
from tests.reports.test_forecast import GOLDEN, A, B, build_fixture

KOPECK = Decimal("0.01")
OCTOBER = date(2026, 10, 19)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("changes") / "fixture.duckdb")


@pytest.fixture
def con(db_path):
    db = Database(db_path)
    with db.cursor() as cursor:
        yield cursor
    db.close()


def cli(capsys, db_path: Path, *args) -> str:
    code = main(["--db", str(db_path), *map(str, args)])
    out, _ = capsys.readouterr()
    assert code == 0
    return out


def amounts(summary) -> dict[str, Decimal]:
    return dict(zip(summary["category"], summary["amount"], strict=True))


# --- the waterfall on the fixture ----------------------------------------------------------------


def test_waterfall_hand_checked(con):
    summary = changes.changes_summary(con, A, B)
    assert list(summary.columns) == changes.SUMMARY_COLUMNS
    assert list(summary["category"]) == ["start", *changes.CATEGORIES, "end"]
    assert amounts(summary) == {
        "start": Decimal("645110.00"),
        "new": Decimal("197000.00"),  # Феникс 150 000 + Зенит 27 000 + Пион 20 000 (no probability: 100 %)
        "moved_in": Decimal("36000.00"),  # Лютик, overdue October → December
        "amount_up": Decimal("24000.01"),  # Гамма +60 000 × 40 %; Кварц +0,04 × 33,33 % = one kopeck
        "amount_down": Decimal("-7500.00"),  # Астра (spelt «Астра ООО» in B) −15 000 × 50 %
        "probability_up": Decimal("30000.00"),  # Дельта 60 → 80 % (its product was renamed: matched by id)
        "probability_down": Decimal("-9000.00"),  # Ирис 70 → 60 %; Орион +20 000 but 50 → 40 %
        "moved_out": Decimal("-60000.00"),  # Омега April → June
        "won": Decimal("-100000.00"),
        "lost": Decimal("-20000.00"),
        "removed": Decimal("-40000.00"),  # Ромашка is gone from B
        "end": Decimal("695610.01"),
    }
    deals = dict(zip(summary["category"], summary["deals"], strict=True))
    assert (deals["start"], deals["new"], deals["probability_down"], deals["end"]) == (13, 3, 2, 13)
    assert summary.attrs["window_from"] == date(2026, 11, 1) and summary.attrs["window_to"] == date(
        2027, 4, 1
    )


def test_start_and_end_are_the_forecasts_of_the_window(con):
    summary = changes.changes_summary(con, A, B)
    for snapshot, row in ((A, "start"), (B, "end")):
        report = forecast.forecast_report(con, snapshot, by="all", months=6)
        in_window = [
            w for m, w in zip(report["month"], report["weighted"], strict=True) if m != "overdue" and m
        ]
        # A's horizon starts in A's month, the window in B's: both are November here
        assert amounts(summary)[row] == sum(in_window)


def test_each_deal_in_one_category(con):
    classified = changes.classify(con, A, B)
    by_client: dict[str, list[str]] = {}
    for row in classified.itertuples(index=False):
        by_client.setdefault(row.client, []).append(row.category)
    assert {client: sorted(categories) for client, categories in by_client.items()} == {
        "ООО «Альфа»": ["unchanged"],
        "ООО «Бета»": ["won"],
        "ООО «Гамма»": ["amount_up"],
        "АО «Дельта»": ["probability_up"],
        "ООО «Омега»": ["moved_out"],
        "ООО «Сигма»": ["lost"],
        "ООО «Вега»": ["outside"],  # August in both: outside the window, amount changed
        "ООО «Орион»": ["probability_down"],
        "ООО «Кварц»": ["amount_up"],
        "ООО «Феникс»": ["new"],
        "ООО «Ромашка»": ["removed"],
        "ООО «Лютик»": ["moved_in"],
        "ООО «Астра»": [
            "amount_down"
        ],  # the name the clients table shows: two spellings used once each, the first seen wins
        "ООО «Ирис»": ["probability_down", "unchanged"],  # two deals with one key: paired by month
        "ООО «Клевер»": ["rescheduled"],  # January → February, inside the window: no effect
        "ООО «Мак»": ["unchanged"],  # overdue in both
        "ООО «Пион»": ["new"],
        "ООО «Сирень»": ["outside"],  # appeared already won
        "ООО «Нарцисс»": ["outside"],  # no month: in no month of the window
        "ООО «Зенит»": ["new"],
    }
    assert (classified.loc[classified["category"].isin(changes.QUIET_CATEGORIES), "effect"] == 0).all()


def test_deal_list_and_filters(con):
    listed = changes.changes_deals(con, A, B)
    assert list(listed.columns[:12]) == changes.DEAL_COLUMNS
    assert "unchanged" not in set(listed["category"])
    assert len(listed) == 18
    assert sum(listed["effect"]) == Decimal("50500.01")  # end − start
    orion = listed[listed["client"] == "ООО «Орион»"].iloc[0]
    assert (orion["amount_from"], orion["amount_to"]) == (Decimal("100000.00"), Decimal("120000.00"))
    assert (orion["probability_from"], orion["probability_to"]) == (Decimal("0.5000"), Decimal("0.4000"))
    assert orion["effect"] == Decimal("-2000.00")
    won = changes.changes_deals(con, A, B, categories=("won", "lost"))
    assert list(won["client"]) == ["ООО «Бета»", "ООО «Сигма»"]
    retail = changes.changes_deals(con, A, B, departments=("Розничный отдел",), managers=("Петрова Анна",))
    assert set(retail["manager"]) == {"Петрова Анна"} and len(retail) == 8
    nobody = changes.changes_deals(con, A, B, departments=("Без отдела",), lang="ru")
    assert list(nobody["client"]) == ["ООО «Зенит»"]


def test_one_month_window(con):
    summary = changes.changes_summary(con, A, B, month=date(2026, 12, 1))
    assert amounts(summary) == {
        "start": Decimal("201110.00"),  # Альфа 50 000, Гамма 120 000, Сигма 20 000, Кварц 11 110
        "new": Decimal("0.00"),
        "moved_in": Decimal("36000.00"),
        "amount_up": Decimal("24000.01"),
        "amount_down": Decimal("0.00"),
        "probability_up": Decimal("0.00"),
        "probability_down": Decimal("0.00"),
        "moved_out": Decimal("0.00"),
        "won": Decimal("0.00"),
        "lost": Decimal("-20000.00"),
        "removed": Decimal("0.00"),
        "end": Decimal("241110.01"),
    }
    classified = changes.classify(con, A, B, month=date(2027, 1, 1))
    categories = dict(zip(classified["client"], classified["category"], strict=False))
    assert categories["ООО «Клевер»"] == "moved_out"  # January → February leaves a one-month window


def test_margin_waterfall_reconciles_too(con):
    summary = changes.changes_summary(con, A, B, measure="margin")
    values = amounts(summary)
    assert values["start"] + sum(values[c] for c in changes.CATEGORIES) == values["end"]
    assert values["new"] == Decimal("30000.00")  # Феникс 50 000 × 60 %; Зенит and Пион have no margin


def test_the_same_snapshot_twice_changes_nothing(con):
    summary = changes.changes_summary(con, B, B)
    values = amounts(summary)
    assert values["start"] == values["end"] == Decimal("695610.01")
    assert all(values[c] == 0 for c in changes.CATEGORIES)
    # dates between snapshots read the snapshot before them
    assert changes.changes_summary(con, date(2026, 11, 17), date(2026, 11, 24)).attrs["snapshot_a"] == A


def test_bad_pairs_are_refused(con):
    with pytest.raises(ValueError, match="after"):
        changes.changes_summary(con, B, A)
    with pytest.raises(forecast.NoSnapshot):
        changes.changes_summary(con, date(2026, 1, 1), B)


# --- triangle, slips, accuracy -------------------------------------------------------------------


def test_triangle(con):
    triangle = changes.forecast_triangle(con)
    cells = {(r.month, r.snapshot_date): (r.weighted, r.deals) for r in triangle.itertuples(index=False)}
    assert cells[(date(2026, 10, 1), OCTOBER)] == (Decimal("136000.00"), 2)
    assert (date(2026, 10, 1), A) not in cells  # October was over by then
    assert cells[(date(2026, 12, 1), A)] == (Decimal("201110.00"), 4)
    assert cells[(date(2026, 12, 1), B)] == (Decimal("241110.01"), 4)
    assert cells[(date(2026, 11, 1), OCTOBER)] == (Decimal("0.00"), 0)
    plans = {r.month: r.plan for r in triangle.itertuples(index=False)}
    assert plans[date(2026, 11, 1)] == Decimal("600000.00") and plans[date(2027, 3, 1)] is None
    assert max(triangle["month"]) == date(2027, 4, 1)  # six months from the last snapshot's month
    table = changes.triangle_table(triangle)
    assert list(table.columns) == ["month", OCTOBER, A, B, "plan"]
    december = table[table["month"] == date(2026, 12, 1)].iloc[0]
    assert (december[A], december[B], december["plan"]) == (
        Decimal("201110.00"),
        Decimal("241110.01"),
        Decimal("750000.00"),
    )
    wholesale = changes.forecast_triangle(con, by="department", group="Оптовый отдел")
    assert {r.month: r.weighted for r in wholesale.itertuples() if r.snapshot_date == B}[
        date(2026, 12, 1)
    ] == Decimal("205110.01")


def test_slip_history(con):
    history = changes.slip_history(con)
    assert history.dates == (OCTOBER, A, B)
    pushed = {
        r.client: (r.times_pushed, r.months_pushed, r.first_month, r.month)
        for r in history.deals.itertuples()
    }
    assert pushed == {
        "ООО «Омега»": (1, 2, date(2027, 4, 1), date(2027, 6, 1)),
        "ООО «Лютик»": (1, 2, date(2026, 10, 1), date(2026, 12, 1)),
        "ООО «Клевер»": (1, 1, date(2027, 1, 1), date(2027, 2, 1)),
        "ООО «Бета»": (1, 1, date(2026, 10, 1), date(2026, 11, 1)),  # pushed, then won
    }
    beta = history.deals[history.deals["client"] == "ООО «Бета»"].iloc[0]
    assert beta["status"] == "won" and beta["weighted"] is None and beta["first_seen"] == OCTOBER
    weeks = {(r.manager, r.week): r for r in history.managers.itertuples()}
    ivanov = weeks[("Иванов Иван", B)]
    assert (ivanov.forecast, ivanov.slipped, ivanov.slipped_deals) == (
        Decimal("651110.00"),
        Decimal("60000.00"),
        1,
    )
    petrova = weeks[("Петрова Анна", B)]
    assert (petrova.slipped, petrova.share) == (Decimal("46000.00"), pytest.approx(46000 / 185000))
    assert weeks[("Иванов Иван", A)].share == 1.0  # Бета, his only deal in October, went to November
    per_manager = changes.slip_by_manager(history.managers)
    # over both weeks: Иванов 160 000 of 751 110 slipped (21,3 %), Петрова 46 000 of 221 000 (20,8 %)
    assert list(per_manager["manager"]) == ["Иванов Иван", "Петрова Анна"]
    assert per_manager.iloc[0]["share"] == pytest.approx(160000 / 751110)
    assert list(per_manager["weeks_with_slip"]) == [2, 1]
    last_week = changes.slip_history(con, weeks=1)
    assert last_week.dates == (A, B) and "ООО «Бета»" not in set(last_week.deals["client"])
    assert changes.slip_history(con, date_to=OCTOBER).deals.empty


def test_accuracy(con):
    accuracy = changes.forecast_accuracy(con)
    assert list(accuracy.columns) == changes.ACCURACY_COLUMNS
    rows = {r.group: r for r in accuracy.itertuples()}
    # October, one week before its end (snapshot of 19 October): fact to date + weighted October deals
    ivanov, petrova, total = rows["Иванов Иван"], rows["Петрова Анна"], rows["Итого"]
    assert (ivanov.fact, ivanov.forecast_1w, ivanov.accuracy_1w) == (
        Decimal("200000.00"),
        Decimal("100000.00"),
        0.5,
    )
    assert (petrova.forecast_1w, petrova.accuracy_1w) == (Decimal("116000.00"), pytest.approx(0.55))
    assert total.is_total and total.fact == Decimal("280000.00")
    assert total.accuracy_1w == pytest.approx(1 - 64000 / 280000)
    assert total.snapshot_1w == OCTOBER and total.forecast_2w is None and total.accuracy_4w is None
    assert changes.accuracy(Decimal(0), Decimal(5)) is None
    assert changes.accuracy(Decimal(100), Decimal(250)) == -0.5


# --- the command line ----------------------------------------------------------------------------


def test_cli_changes_matches_the_golden_files(capsys, db_path):
    summary = cli(capsys, db_path, "report", "changes", "--from", "2026-11-16", "--to", "2026-11-23")
    assert summary == (GOLDEN / "changes_summary.csv").read_text(encoding="utf-8")
    deals = cli(capsys, db_path, "report", "changes", "--from", "2026-11-16", "--to", "2026-11-23", "--deals")
    assert deals == (GOLDEN / "changes_deals.csv").read_text(encoding="utf-8")
    month = cli(
        capsys,
        db_path,
        "report",
        "changes",
        "--from",
        "2026-11-16",
        "--to",
        "2026-11-23",
        "--month",
        "2026-12",
    )
    assert month == (GOLDEN / "changes_month.csv").read_text(encoding="utf-8")


def test_cli_changes_contract(capsys, db_path, con):
    out = cli(
        capsys, db_path, "report", "changes", "--from", "2026-11-17", "--to", "2026-11-30", "--months", "3"
    )
    lines = out.splitlines()
    assert lines[0] == "category,amount,deals"
    assert [line.split(",")[0] for line in lines[1:]] == ["start", *changes.CATEGORIES, "end"]
    assert out == export.to_csv(changes.changes_summary(con, A, B, months=3))
    deals = cli(capsys, db_path, "report", "changes", "--from", "2026-11-16", "--to", "2026-11-23", "--deals")
    assert deals.splitlines()[0] == ",".join(changes.DEAL_COLUMNS)
    assert (
        "ООО «Ромашка»,Петрова Анна,Розничный отдел,Лампы,removed,2026-11,,50000.00,,0.80,,-40000.00" in deals
    )


def test_cli_changes_bad_input_exits_2(capsys, db_path):
    for args, message in (
        (["--from", "2026-11-23", "--to", "2026-11-16"], "after"),
        (["--from", "2026-01-01", "--to", "2026-11-16"], "no forecast snapshot"),
        (["--from", "2026-11-16", "--to", "2026-11-23", "--month", "December"], "not a month"),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(["--db", str(db_path), "report", "changes", *args])
        assert exit_.value.code == 2
        assert message in capsys.readouterr().err


# --- matching rules, on deals written straight into the database ----------------------------------


def write_deals(con, snapshot: date, deals: list[dict]) -> None:
    """Deals of one snapshot, as the importer would store them (only the columns that matter)."""
    if not deals:
        return
    rows = []
    for number, deal in enumerate(deals, start=1):
        client = deal.get("client", "альфа")
        rows.append(
            (
                1, snapshot, deal.get("sheet", "лист"), number, deal.get("id"), client, client.title(),
                deal.get("manager", "Иванов"), deal.get("department"), deal.get("product", "Кабель"),
                Decimal(str(deal.get("amount", 100000))), deal.get("margin"), deal.get("month", date(2026, 12, 1)),
                Decimal(str(deal.get("probability", "0.5"))), False, None, deal.get("status", "open"), None,
            )
        )  # fmt: skip
    con.executemany(
        "insert into deals (batch_id, snapshot_date, source_sheet, source_row, deal_id, client_key, client_name, "
        "manager, department, product, amount, margin, expected_month, probability, probability_missing, stage, "
        "status, status_text) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    bump_data_version(con)  # as every import does: cached snapshot dates are read again


@pytest.fixture
def empty(tmp_path):
    db = Database(tmp_path / "matching.duckdb")
    with db.cursor() as cursor:
        yield cursor
    db.close()


def categories_of(con, **window) -> list[tuple]:
    """(category, id in A, id in B, amount in A, amount in B) of every row, sorted."""
    classified = changes.classify(con, A, B, **window)

    def plain(value):
        return None if value is None or (isinstance(value, float) and value != value) else value

    return sorted(
        (row.category, plain(row.deal_id_from), plain(row.deal_id_to), row.amount_from, row.amount_to)
        for row in classified.itertuples()
    )


def test_matching_by_id_wins_over_every_other_field(empty):
    write_deals(empty, A, [{"id": "7", "client": "альфа", "product": "Кабель", "manager": "Иванов"}])
    write_deals(
        empty, B, [{"id": "7", "client": "бета", "product": "Щиты", "manager": "Петрова", "amount": 120000}]
    )
    assert categories_of(empty) == [("amount_up", "7", "7", Decimal("100000.00"), Decimal("120000.00"))]


def test_two_different_ids_are_two_deals_even_with_one_key(empty):
    write_deals(empty, A, [{"id": "7"}])
    write_deals(empty, B, [{"id": "8"}])
    assert categories_of(empty) == [
        ("new", None, "8", None, Decimal("100000.00")),
        ("removed", "7", None, Decimal("100000.00"), None),
    ]


def test_without_ids_deals_match_by_client_manager_and_product(empty):
    write_deals(empty, A, [{"amount": 100000}, {"product": "Щиты", "amount": 50000}, {"manager": "Петрова"}])
    write_deals(empty, B, [{"amount": 90000}, {"product": "Лотки", "amount": 50000}, {"manager": "Петрова"}])
    assert categories_of(empty) == [
        ("amount_down", None, None, Decimal("100000.00"), Decimal("90000.00")),
        ("new", None, None, None, Decimal("50000.00")),  # Лотки: another product is another deal
        ("removed", None, None, Decimal("50000.00"), None),
        ("unchanged", None, None, Decimal("100000.00"), Decimal("100000.00")),
    ]


def test_an_id_on_one_side_only_falls_back_to_the_key(empty):
    write_deals(empty, A, [{"id": None}, {"id": "5", "product": "Щиты"}])
    write_deals(empty, B, [{"id": "9"}, {"id": None, "product": "Щиты", "probability": "0.9"}])
    assert categories_of(empty) == [
        ("probability_up", "5", None, Decimal("100000.00"), Decimal("100000.00")),
        ("unchanged", None, "9", Decimal("100000.00"), Decimal("100000.00")),
    ]


def test_an_id_two_managers_use_is_read_with_the_manager(empty):
    write_deals(
        empty, A, [{"id": "1", "manager": "Иванов"}, {"id": "1", "manager": "Петрова", "client": "бета"}]
    )
    write_deals(empty, B, [{"id": "1", "manager": "Петрова", "client": "бета", "amount": 70000}])
    assert categories_of(empty) == [
        ("amount_down", "1", "1", Decimal("100000.00"), Decimal("70000.00")),  # Петрова's deal 1
        ("removed", "1", None, Decimal("100000.00"), None),  # Иванов's deal 1
    ]


def test_deals_sharing_a_key_pair_up_in_order_of_month_and_amount(empty):
    write_deals(
        empty,
        A,
        [{"month": date(2027, 1, 1), "amount": 30000}, {"month": date(2026, 12, 1), "amount": 70000}],
    )
    write_deals(
        empty,
        B,
        [{"month": date(2027, 1, 1), "amount": 30000}, {"month": date(2026, 12, 1), "amount": 80000}],
    )
    assert categories_of(empty) == [
        ("amount_up", None, None, Decimal("70000.00"), Decimal("80000.00")),
        ("unchanged", None, None, Decimal("30000.00"), Decimal("30000.00")),
    ]


def test_a_deal_closed_in_a_is_no_part_of_the_comparison(empty):
    write_deals(empty, A, [{"status": "won"}, {"status": "lost", "product": "Щиты"}])
    write_deals(empty, B, [{"status": "won"}])
    classified = changes.classify(empty, A, B)
    assert list(classified["category"]) == ["unchanged"]  # still won; the lost one is simply gone
    assert changes.summarise(classified)["amount"].sum() == 0


# --- the property: random pairs of snapshots always reconcile ------------------------------------

CLIENTS = ("альфа", "бета", "гамма")
MANAGERS = ("Иванов", "Петрова", None)
PRODUCTS = ("Кабель", "Щиты")
STATES = ("absent", "open", "open", "open", "won", "lost")
MONTHS = [None] + [forecast.add_months(date(2026, 11, 1), n) for n in range(-2, 9)]
AMOUNTS = ("100000", "33333.33", "0.01", "1250000.50", "7777.77", "45000")
PROBABILITIES = ("0", "0.1", "0.25", "0.3333", "0.5", "0.9", "1")

deal_strategy = st.fixed_dictionaries(
    {
        "client": st.sampled_from(CLIENTS),
        "manager": st.sampled_from(MANAGERS),
        "product": st.sampled_from(PRODUCTS),
        "id_a": st.booleans(),
        "id_b": st.booleans(),
        "a": st.sampled_from(STATES),
        "b": st.sampled_from(STATES),
        "month_a": st.sampled_from(MONTHS),
        "month_b": st.sampled_from(MONTHS),
        "amount_a": st.sampled_from(AMOUNTS),
        "amount_b": st.sampled_from(AMOUNTS),
        "probability_a": st.sampled_from(PROBABILITIES),
        "probability_b": st.sampled_from(PROBABILITIES),
        "margin": st.sampled_from((None, "1000", "0.33")),
    }
)


@pytest.fixture(scope="module")
def property_db(tmp_path_factory):
    db = Database(tmp_path_factory.mktemp("property") / "property.duckdb")
    with db.cursor() as cursor:
        yield cursor
    db.close()


def weighted(amount: str, probability: str) -> Decimal:
    return (Decimal(amount) * Decimal(probability)).quantize(KOPECK, ROUND_HALF_UP)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    deals=st.lists(deal_strategy, min_size=1, max_size=14),
    months=st.integers(1, 12),
    one_month=st.sampled_from([None, *MONTHS[1:]]),
    measure=st.sampled_from(("amount", "margin")),
)
def test_random_snapshots_always_reconcile_and_each_deal_lands_once(
    property_db, deals, months, one_month, measure
):
    con = property_db
    con.execute("delete from deals")
    side_a, side_b = [], []
    for number, deal in enumerate(deals):
        common = {
            "client": deal["client"],
            "manager": deal["manager"],
            "product": deal["product"],
            "margin": deal["margin"],
        }
        if deal["a"] != "absent":
            side_a.append(common | {
                "id": f"D{number}" if deal["id_a"] else None, "status": deal["a"], "month": deal["month_a"],
                "amount": deal["amount_a"], "probability": deal["probability_a"],
            })  # fmt: skip
        if deal["b"] != "absent":
            side_b.append(common | {
                "id": f"D{number}" if deal["id_b"] else None, "status": deal["b"], "month": deal["month_b"],
                "amount": deal["amount_b"], "probability": deal["probability_b"],
            })  # fmt: skip
    write_deals(con, A, side_a)
    write_deals(con, B, side_b)
    bump_data_version(con)  # also when a snapshot is left empty: its date is gone
    if not side_a:
        with pytest.raises(forecast.NoSnapshot):
            changes.classify(con, A, B, months=months, month=one_month, measure=measure)
        return
    if not side_b:  # B's date then reads A, the latest snapshot before it: A compared with itself
        side_b = side_a

    classified = changes.classify(con, A, B, months=months, month=one_month, measure=measure)
    summary = changes.summarise(classified)
    values = amounts(summary)

    # start + every effect = end, exactly
    assert values["start"] + sum(values[c] for c in changes.CATEGORIES) == values["end"]
    # start and end are the weighted sums of each snapshot's open deals in the window, worked out here
    first, last = classified.attrs["window_from"], classified.attrs["window_to"]

    def window_total(side):
        value = (lambda d: d["margin"] or "0") if measure == "margin" else (lambda d: d["amount"])
        return sum(
            (weighted(value(d), d["probability"]) for d in side
             if d["status"] == "open" and d["month"] is not None and first <= d["month"] <= last),
            Decimal("0.00"),
        )  # fmt: skip

    assert values["start"] == window_total(side_a)
    assert values["end"] == window_total(side_b)

    # each open deal of A and each deal of B is on exactly one row, in exactly one category
    assert (classified["status_from"] == "open").sum() == sum(d["status"] == "open" for d in side_a)
    assert classified["status_to"].notna().sum() == len(side_b)
    closed_in_a = classified["status_from"].notna() & (classified["status_from"] != "open")
    assert classified.loc[closed_in_a, "status_to"].notna().all()
    assert classified["category"].isin(changes.ALL_CATEGORIES).all()
    assert summary["deals"].iloc[1:-1].sum() == classified["category"].isin(changes.CATEGORIES).sum()

    # two ids on one row are the same id; an id both snapshots carry is always matched to itself
    both = classified["deal_id_from"].notna() & classified["deal_id_to"].notna()
    assert (classified.loc[both, "deal_id_from"] == classified.loc[both, "deal_id_to"]).all()
    ids_a = {d["id"] for d in side_a if d["id"]}
    ids_b = {d["id"] for d in side_b if d["id"]}
    assert set(classified.loc[both, "deal_id_from"]) == ids_a & ids_b

    # signs: rises never negative, falls never positive, the quiet categories move nothing
    for row in classified.itertuples():
        if row.category in ("new", "moved_in", "amount_up", "probability_up"):
            assert row.effect >= 0, row
        elif row.category in ("amount_down", "probability_down", "moved_out", "won", "lost", "removed"):
            assert row.effect <= 0, row
        else:
            assert row.effect == 0, row
