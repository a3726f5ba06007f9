"""The demo company and the sample files: deterministic, readable, in the documented shapes, and the
figures in the files (read back with calamine, subtotals dropped here) equal what the generator says."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sales_analytics import demo

ANCHOR = date(2026, 11, 23)
DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
CENT = Decimal("0.01")


# --------------------------------------------------------------------------------------------------
# reading the files back, independently of the generator


def sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def money(value: object) -> Decimal:
    """A cell as money: numbers, or text like ``12 345,67`` / ``-1 234,50`` (space or no-break space)."""
    if isinstance(value, str):
        return Decimal(value.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    assert isinstance(value, (int, float)), value
    return Decimal(repr(value)).quantize(CENT)


def is_day(value: object) -> bool:
    return isinstance(value, (date, datetime))


def parse_1c(rows: list[list]) -> tuple[list[tuple[str, list]], dict[str, tuple[Decimal, Decimal]], tuple]:
    """The data rows of a 1C grouped report with their manager (from the heading rows), the
    ``Итого <manager>`` subtotals and the final ``Итого``; anything else is an error."""
    header = next(index for index, row in enumerate(rows) if row[0] == "Дата")
    data: list[tuple[str, list]] = []
    subtotals: dict[str, tuple[Decimal, Decimal]] = {}
    grand: tuple = ()
    manager = None
    for row in rows[header + 1 :]:
        first = row[0]
        if is_day(first):
            assert manager, row
            data.append((manager, row))
        elif isinstance(first, str) and first.startswith("Итого"):
            name = first[len("Итого") :].strip()
            if name:
                assert name == manager
                subtotals[name] = (money(row[4]), money(row[5]))
            else:
                grand = (money(row[4]), money(row[5]))
        elif first and all(cell == "" for cell in row[1:]):
            manager = first
        else:
            assert all(cell == "" for cell in row), row
    return data, subtotals, grand


def check_sales(data: list[tuple[str, list]], expected: dict, text_cells: bool = True) -> None:
    """Recomputes from the file's rows what ``expected`` (a generator summary) says. ``text_cells``:
    amounts written as text are counted (a spreadsheet; in a CSV every cell is text)."""
    assert len(data) == expected["rows"]
    amounts = [money(row[4]) for _, row in data]
    assert f"{sum(amounts, Decimal(0)):.2f}" == expected["amount_total"]
    assert f"{sum((money(row[5]) for _, row in data), Decimal(0)):.2f}" == expected["margin_total"]
    assert len({demo.client_key(row[1]) for _, row in data}) == expected["clients"]
    assert sum(1 for amount in amounts if amount < 0) == expected["returns"]
    if text_cells:
        assert sum(1 for _, row in data if isinstance(row[4], str)) == expected["amounts_as_text"]
    per_manager: dict[str, Decimal] = defaultdict(Decimal)
    for manager, row in data:
        per_manager[manager] += money(row[4])
    assert {name: f"{value:.2f}" for name, value in per_manager.items()} == {
        name: entry["amount"] for name, entry in expected["managers"].items()
    }


def month_of(cell: object) -> date:
    """The expected month as written: ``декабрь 2026``, a date in the month, or ``2026-12``."""
    if is_day(cell):
        return date(cell.year, cell.month, 1)
    text = str(cell).strip().lower()
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return date(int(match[1]), int(match[2]), 1)
    name, year = text.split()
    return date(int(year), demo.MONTHS_NOMINATIVE.index(name) + 1, 1)


def probability_of(cell: object) -> Decimal | None:
    """Percent: ``70%``, 0.7 or 70; ``None`` for an empty cell."""
    if cell == "":
        return None
    if isinstance(cell, str):
        return Decimal(cell.rstrip("%"))
    value = Decimal(repr(cell))
    return value * 100 if value <= 1 else value


STATUS = {"в работе": "open", "": "open", "выиграна": "won", "проиграна": "lost"}


def parse_forecast(book: dict[str, list[list]]) -> list[dict]:
    """Every deal row of every sheet, with the manager taken from the sheet name."""
    deals = []
    for manager, rows in book.items():
        header = next(index for index, row in enumerate(rows) if row[:1] == ["№ сделки"])
        assert header in (0, 2), (manager, header)
        assert tuple(rows[header]) == demo.FORECAST_HEADER
        for row in rows[header + 1 :]:
            if all(cell == "" for cell in row):
                continue
            deal_id, client, product, amount, month, probability, status, margin = row
            deals.append(
                {
                    "manager": manager,
                    "deal_id": deal_id,
                    "client": client,
                    "key": (manager, demo.client_key(client), product),
                    "amount": money(amount),
                    "month": month_of(month),
                    "month_cell": month,
                    "probability": probability_of(probability),
                    "probability_cell": probability,
                    "status": STATUS.get(str(status).lower(), "unknown"),
                    "margin": money(margin),
                }
            )
    return deals


def check_deals(deals: list[dict], expected: dict, as_of: date) -> None:
    opened = [deal for deal in deals if deal["status"] == "open"]
    this_month = as_of.replace(day=1)
    assert len(deals) == expected["rows"]
    assert f"{sum((d['amount'] for d in deals), Decimal(0)):.2f}" == expected["amount_total"]
    assert f"{sum((d['margin'] for d in deals), Decimal(0)):.2f}" == expected["margin_total"]
    statuses = Counter(deal["status"] for deal in deals)
    assert statuses["open"] == expected["open"]
    assert statuses["won"] == expected["won"]
    assert statuses["lost"] == expected["lost"]
    assert statuses["unknown"] == expected["unknown_status"]
    assert sum(1 for deal in deals if deal["probability"] is None) == expected["missing_probability"]
    assert sum(1 for deal in opened if deal["month"] < this_month) == expected["overdue"]
    assert sum(1 for deal in deals if deal["deal_id"] != "") == expected["with_deal_id"]
    weighted = sum((d["amount"] * (d["probability"] or 100) / 100 for d in opened), Decimal(0))
    assert Decimal(expected["open_weighted_total"]) == weighted
    assert f"{sum((d['amount'] for d in opened), Decimal(0)):.2f}" == expected["open_amount_total"]
    unknown = [deal for deal in deals if deal["status"] == "unknown"]
    assert f"{sum((d['amount'] for d in unknown), Decimal(0)):.2f}" == expected["unknown_amount_total"]
    per_manager: dict[str, Decimal] = defaultdict(Decimal)
    for deal in deals:
        per_manager[deal["manager"]] += deal["amount"]
    assert {name: f"{value:.2f}" for name, value in per_manager.items()} == {
        name: entry["amount"] for name, entry in expected["managers"].items()
    }


def parse_plan(rows: list[list]) -> tuple[list[str], list[list], dict[str, list[Decimal]], list[Decimal]]:
    """Month labels, manager rows, ``Итого <department>`` rows and the final ``Итого`` row of a wide plan;
    checks the ``Итого за год`` column of every row against the sum of its months."""
    header = next(index for index, row in enumerate(rows) if row[:2] == ["Подразделение", "Менеджер"])
    labels = rows[header][2:14]
    assert rows[header][14] == demo.PLAN_TOTAL_COLUMN
    managers, department_totals, total = [], {}, []
    for row in rows[header + 1 :]:
        cells = [money(cell) if cell != "" else None for cell in row[2:14]]
        assert money(row[14]) == sum((cell or Decimal(0) for cell in cells), Decimal(0))
        if row[0] == "Итого":
            total = cells
        elif str(row[0]).startswith("Итого "):
            department_totals[row[0][len("Итого ") :]] = cells
        else:
            managers.append([row[0], row[1], *cells])
    return labels, managers, department_totals, total


# --------------------------------------------------------------------------------------------------
# the demo company


@pytest.fixture(scope="module")
def files() -> list[demo.DemoFile]:
    return demo.demo_files(ANCHOR)


@pytest.fixture(scope="module")
def summary() -> dict:
    return demo.demo_summary(ANCHOR)


@pytest.fixture(scope="module")
def sales_rows(files) -> tuple[list[tuple[str, list]], dict, tuple, list[list]]:
    rows = sheets(files[0].data)["TDSheet"]
    return (*parse_1c(rows), rows)


def test_demo_files_are_deterministic(files):
    again = demo.demo_files(ANCHOR)
    assert [(f.kind, f.name, f.as_of) for f in again] == [(f.kind, f.name, f.as_of) for f in files]
    for first, second in zip(files, again, strict=True):
        assert first.data == second.data, first.name


def test_demo_files_order_and_names(files, summary):
    assert [f.kind for f in files] == ["sales", "plan", "plan"] + ["deals"] * 8
    assert files[0].name == "Продажи 01.11.2024-21.11.2026.xlsx"
    assert [f.name for f in files[1:3]] == ["План продаж 2026.xlsx", "План продаж 2027.xlsx"]
    snapshots = [f.as_of for f in files[3:]]
    assert snapshots[-1] == date(2026, 11, 23)
    assert all(day.weekday() == 0 for day in snapshots)
    assert all(b - a == timedelta(days=7) for a, b in zip(snapshots, snapshots[1:], strict=False))
    assert [f.name for f in files[3:]] == [f"Прогноз {day:%d.%m.%Y}.xlsx" for day in snapshots]
    assert all(f.as_of is None for f in files[:3])
    assert set(summary) >= {f.name for f in files}
    # the latest Monday on or before a Wednesday anchor
    assert demo.snapshot_dates(date(2026, 11, 25))[-1] == date(2026, 11, 23)


def test_demo_sales_report_shape(sales_rows):
    data, subtotals, grand, rows = sales_rows
    assert rows[0][0] == "Валовая прибыль"
    assert rows[1][0] == "Период: 01.11.2024 - 21.11.2026"
    assert rows[2][0].startswith("Отбор:")
    assert all(cell == "" for cell in rows[3])
    assert tuple(rows[4]) == demo.SALES_HEADER
    managers = list(subtotals)
    assert managers == sorted(managers) and len(managers) == 8
    for manager, (amount, margin) in subtotals.items():
        own = [row for name, row in data if name == manager]
        assert amount == sum((money(row[4]) for row in own), Decimal(0))
        assert margin == sum((money(row[5]) for row in own), Decimal(0))
    assert grand == (
        sum((value[0] for value in subtotals.values()), Decimal(0)),
        sum((value[1] for value in subtotals.values()), Decimal(0)),
    )


def test_demo_sales_match_summary(sales_rows, summary, files):
    data = sales_rows[0]
    expected = summary[files[0].name]
    check_sales(data, expected)
    assert 10_000 <= expected["rows"] <= 25_000
    assert 140 <= expected["clients"] <= 160
    assert expected["returns"] > 20 and expected["amounts_as_text"] > 0
    days = [row[0] for _, row in data]
    assert min(days) >= date(2024, 11, 1) and max(days) <= ANCHOR - timedelta(days=2)
    margin_share = Decimal(expected["margin_total"]) / Decimal(expected["amount_total"])
    assert Decimal("0.15") < margin_share < Decimal("0.35")
    assert {row[3] for _, row in data} == set(demo.DEPARTMENTS)


def test_demo_manager_moved_department(sales_rows, summary):
    moved = summary["moved_manager"]
    moved_on = date.fromisoformat(moved["on"])
    assert add_months_back(ANCHOR, moved_on) in (4, 5, 6)
    own = [row for name, row in sales_rows[0] if name == moved["manager"]]
    assert {row[3] for row in own if row[0] < moved_on} == {moved["from"]}
    assert {row[3] for row in own if row[0] >= moved_on} == {moved["to"]}


def add_months_back(later: date, earlier: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def test_demo_client_spellings(sales_rows):
    _, _, clients = demo._base(ANCHOR)
    keys = [demo.client_key(client.name) for client in clients]
    assert len(set(keys)) == len(clients) == 150
    for client, key in zip(clients, keys, strict=True):
        assert len(client.spellings) >= 4
        assert all(demo.client_key(spelling) == key for spelling in client.spellings), client
    romashka = clients[0]
    assert romashka.spellings[:4] == ("ООО «Ромашка»", 'ООО "Ромашка"', "Ромашка ООО", "ооо  ромашка")
    # in the sales file a client's canonical name is its most frequent spelling; several are mixed
    by_key: dict[str, Counter] = defaultdict(Counter)
    for _, row in sales_rows[0]:
        by_key[demo.client_key(row[1])][row[1]] += 1
    canonical = {key: client.name for key, client in zip(keys, clients, strict=True)}
    assert all(counts.most_common(1)[0][0] == canonical[key] for key, counts in by_key.items())
    assert sum(1 for counts in by_key.values() if len(counts) >= 3) >= 10


def test_demo_dormant_and_declining_clients(sales_rows, summary):
    """The clients built to be dormant or declining are so by the SPEC definitions (N=5, R=3, 50 %)."""
    add = demo.add_months
    last_purchase: dict[str, date] = {}
    previous: dict[str, Decimal] = defaultdict(Decimal)
    recent: dict[str, Decimal] = defaultdict(Decimal)
    turnover: dict[str, Decimal] = defaultdict(Decimal)
    for _, row in sales_rows[0]:
        key, day, amount = demo.client_key(row[1]), row[0], money(row[4])
        if amount > 0:
            last_purchase[key] = max(last_purchase.get(key, day), day)
        if add(ANCHOR, -24) < day <= ANCHOR:
            turnover[key] += amount
        if add(ANCHOR, -15) < day <= add(ANCHOR, -3):
            previous[key] += amount
        elif add(ANCHOR, -3) < day <= ANCHOR:
            recent[key] += amount
    dormant = [demo.client_key(name) for name in summary["dormant_clients"]]
    assert len(dormant) >= 8
    for key in dormant:
        assert add(ANCHOR, -15) < last_purchase[key] < add(ANCHOR, -6), key
        assert turnover[key] > 0
    big = sorted(turnover[key] for key in dormant)[-3:]
    assert big[0] > 1_000_000  # a few big ones worth a call
    declining = [demo.client_key(name) for name in summary["declining_clients"]]
    assert len(declining) >= 8
    for key in declining:
        assert last_purchase[key] >= add(ANCHOR, -5), key
        assert previous[key] > 0 and recent[key] < Decimal("0.5") * previous[key] * 3 / 12, key


def test_demo_plans(files, summary):
    for plan_file, year in ((files[1], 2026), (files[2], 2027)):
        book = sheets(plan_file.data)
        assert len(book) == 1
        rows = next(iter(book.values()))
        title = rows[0][0]
        labels, managers, department_totals, total = parse_plan(rows)
        if year == 2026:
            assert title == "План продаж на 2026 год"
            assert labels == list(demo.PLAN_MONTHS)
        else:
            assert "2027" not in title and "2026" not in title
            assert labels == ["янв.27", "фев.27", "мар.27", "апр.27", "май.27", "июн.27"] + [
                "июл.27",
                "авг.27",
                "сен.27",
                "окт.27",
                "ноя.27",
                "дек.27",
            ]
        expected = summary[plan_file.name]
        assert len(managers) == expected["rows"]
        per_manager: dict[str, Decimal] = defaultdict(Decimal)
        per_department: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 12)
        for department, manager, *cells in managers:
            per_manager[manager] += sum((cell or Decimal(0) for cell in cells), Decimal(0))
            for month, cell in enumerate(cells):
                per_department[department][month] += cell or Decimal(0)
        assert {name: f"{value:.2f}" for name, value in sorted(per_manager.items())} == expected["managers"]
        assert dict(per_department) == department_totals
        assert total == [sum(values, Decimal(0)) for values in zip(*department_totals.values(), strict=True)]
        assert f"{sum(total, Decimal(0)):.2f}" == expected["total"]
        assert len(per_manager) == 8
    # the manager who moved has a row in each department in the anchor's year, blank outside
    _, managers_2026, _, _ = parse_plan(next(iter(sheets(files[1].data).values())))
    moved = [row for row in managers_2026 if row[1] == summary["moved_manager"]["manager"]]
    assert [row[0] for row in moved] == [summary["moved_manager"]["from"], summary["moved_manager"]["to"]]


def test_demo_plan_is_roughly_in_line_with_sales(files, sales_rows):
    _, managers, _, _ = parse_plan(next(iter(sheets(files[1].data).values())))
    plan: dict[str, Decimal] = defaultdict(Decimal)
    for _, manager, *cells in managers:
        plan[manager] += sum((cell or Decimal(0) for cell in cells[:10]), Decimal(0))
    fact: dict[str, Decimal] = defaultdict(Decimal)
    for manager, row in sales_rows[0]:
        if row[0].year == 2026 and row[0].month <= 10:
            fact[manager] += money(row[4])
    ratios = [fact[name] / plan[name] for name in plan]
    assert all(Decimal("0.6") < ratio < Decimal("1.5") for ratio in ratios)
    assert any(ratio > 1 for ratio in ratios) and any(ratio < 1 for ratio in ratios)


def test_demo_forecasts(files, summary):
    managers = [row[0] for row in demo._MANAGER_TABLE]
    weeks = []
    for forecast in files[3:]:
        book = sheets(forecast.data)
        assert list(book) == managers
        deals = parse_forecast(book)
        expected = summary[forecast.name]
        check_deals(deals, expected, forecast.as_of)
        this_month = forecast.as_of.replace(day=1)
        for deal in deals:
            assert demo.add_months(this_month, -3) <= deal["month"] <= demo.add_months(this_month, 12)
            assert deal["amount"] > 0
            probability = deal["probability"]
            assert probability is None or 0 < probability < 100
        open_per_manager = Counter(deal["manager"] for deal in deals if deal["status"] == "open")
        assert all(8 <= open_per_manager[name] <= 26 for name in managers), open_per_manager
        assert expected["unknown_status"] == 0
        weeks.append(deals)
    every = [deal for deals in weeks for deal in deals]
    # formats are mixed as real managers mix them
    month_cells = {type(deal["month_cell"]).__name__ for deal in every}
    assert {"date", "str"} <= month_cells
    assert any(re.fullmatch(r"\d{4}-\d{2}", str(d["month_cell"])) for d in every)
    assert any(re.fullmatch(r"[а-я]+ \d{4}", str(d["month_cell"])) for d in every)
    cells = [deal["probability_cell"] for deal in every]
    assert any(isinstance(c, str) and c.endswith("%") for c in cells)
    assert any(isinstance(c, float) and 0 < c < 1 for c in cells)
    assert any(isinstance(c, float) and c > 1 for c in cells)
    assert sum(1 for deal in every if deal["probability"] is None) >= 8
    assert sum(summary[f.name]["overdue"] for f in files[3:]) >= 8
    assert summary[files[-1].name]["overdue"] >= 1
    with_ids = {deal["manager"] for deal in every if deal["deal_id"] != ""}
    assert 0 < len(with_ids) < len(managers)
    # between weeks: won and lost deals show once and then disappear; deals are added, pushed, resized
    pushed = resized = reweighted = added = removed = 0
    for before, after in zip(weeks, weeks[1:], strict=False):
        old = {deal["key"]: deal for deal in before}
        new = {deal["key"]: deal for deal in after}
        assert len(old) == len(before) and len(new) == len(after)  # (manager, client, what) is unique
        for key, deal in old.items():
            if deal["status"] in ("won", "lost"):
                assert key not in new
            elif key not in new:
                removed += 1
        for key, deal in new.items():
            if key not in old:
                added += 1
                continue
            previous = old[key]
            pushed += deal["month"] > previous["month"]
            resized += deal["amount"] != previous["amount"]
            reweighted += deal["probability"] != previous["probability"]
    assert min(pushed, resized, reweighted, added, removed) >= 5


# --------------------------------------------------------------------------------------------------
# the sample files


@pytest.fixture(scope="module")
def samples() -> dict[str, bytes]:
    return demo.sample_files()


@pytest.fixture(scope="module")
def expected() -> dict:
    return demo.sample_expected()


def test_tests_data_is_up_to_date(samples):
    """``tests/data`` holds what the generator writes now; regenerate with ``write_sample_files``."""
    assert set(samples) == {
        "sales_1c_grouped.xlsx",
        "sales_cp1251.csv",
        "forecast_by_manager_2026-11-16.xlsx",
        "plan_wide_2026.xlsx",
    }
    for name, data in samples.items():
        assert (DATA / name).read_bytes() == data, f"tests/data/{name} is stale"
    assert (DATA / "expected.json").read_bytes() == demo.expected_json()
    assert json.loads((DATA / "expected.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(demo.sample_expected())
    )


def test_sample_files_are_deterministic(samples):
    assert demo.sample_files() == samples


def test_write_sample_files(tmp_path, samples):
    demo.write_sample_files(tmp_path / "out")
    written = {path.name: path.read_bytes() for path in (tmp_path / "out").iterdir()}
    assert written == {**samples, "expected.json": demo.expected_json()}


def test_template_files(samples):
    templates = demo.template_files()
    assert len(templates) == 4
    assert sorted(templates.values()) == sorted(samples.values())
    assert "Прогноз 16.11.2026.xlsx" in templates


def test_sample_sales_1c(samples, expected):
    rows = sheets(samples["sales_1c_grouped.xlsx"])["TDSheet"]
    assert tuple(rows[4]) == demo.SALES_HEADER
    data, subtotals, grand = parse_1c(rows)
    want = expected["sales_1c_grouped.xlsx"]
    check_sales(data, want)
    assert 20 <= want["rows"] <= 60
    assert {name: f"{amount:.2f}" for name, (amount, _) in subtotals.items()} == {
        name: entry["amount"] for name, entry in want["managers"].items()
    }
    assert f"{grand[0]:.2f}" == want["amount_total"] and f"{grand[1]:.2f}" == want["margin_total"]
    romashka = {row[1] for _, row in data if demo.client_key(row[1]) == "ромашка"}
    assert romashka == {"ООО «Ромашка»", 'ООО "Ромашка"', "Ромашка ООО"}
    texts = [row[4] for _, row in data if isinstance(row[4], str)]
    assert len(texts) == 1 and re.fullmatch(r"\d{1,3}( \d{3})+,\d{2}", texts[0])
    assert want["returns"] == 1


def test_sample_sales_csv(samples, expected):
    raw = samples["sales_cp1251.csv"]
    assert raw.count(b"\r\n") == raw.count(b"\n") and raw.endswith(b"\r\n")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1251")
    lines = text.split("\r\n")
    assert lines[0].startswith("Продажи за ноябрь 2026")
    assert lines[1].strip(";") == ""
    assert lines[2] == ";".join(demo.CSV_HEADER)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[3:]
    want = expected["sales_cp1251.csv"]
    assert len(records) == want["rows"]
    for record in records:
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", record[0])
        assert re.fullmatch(r"-?\d{1,3}([ \u00a0]\d{3})*,\d{2}", record[4]), record
    amount_cells = [record[4] for record in records]
    assert "-1 234,50" in amount_cells
    assert sum(1 for cell in amount_cells if "\u00a0" in cell) == want["nbsp_rows"] >= 2
    assert any(cell.count(" ") + cell.count("\u00a0") >= 2 for cell in amount_cells)  # over a million
    data = [
        (manager, [datetime.strptime(day, "%d.%m.%Y").date(), client, "", department, amount, margin])
        for day, client, manager, department, amount, margin in records
    ]
    check_sales(data, want, text_cells=False)
    assert {record[1] for record in records if demo.client_key(record[1]) == "ромашка"} >= {
        "ооо  ромашка",
        'ООО "Ромашка"',
    }


def test_sample_forecast(samples, expected):
    book = sheets(samples["forecast_by_manager_2026-11-16.xlsx"])
    want = expected["forecast_by_manager_2026-11-16.xlsx"]
    assert list(book) == want["sheets"] and len(book) == 3
    assert want["as_of"] == "2026-11-16"
    deals = parse_forecast(book)
    check_deals(deals, want, date(2026, 11, 16))
    assert 20 <= len(deals) <= 60
    assert (
        want["won"],
        want["lost"],
        want["unknown_status"],
        want["missing_probability"],
        want["overdue"],
    ) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert [
        deal["month"] for deal in deals if deal["status"] == "open" and deal["month"] < date(2026, 11, 1)
    ] == [date(2026, 10, 1)]
    first = [deal for deal in deals if deal["manager"] == "Иванов Иван"]
    assert {"70%", 0.7, 70.0} <= {deal["probability_cell"] for deal in first}
    months = {deal["month_cell"] if not is_day(deal["month_cell"]) else "date" for deal in first}
    assert {"декабрь 2026", "date", "2026-12"} <= months
    status_texts = {row[6] for rows in book.values() for row in rows}
    assert "на паузе" in status_texts
    assert all(book[name][0][0] == "№ сделки" or book[name][2][0] == "№ сделки" for name in book)


def test_sample_plan(samples, expected):
    rows = sheets(samples["plan_wide_2026.xlsx"])["План 2026"]
    want = expected["plan_wide_2026.xlsx"]
    assert rows[0][0] == "План продаж на 2026 год"
    labels, managers, department_totals, total = parse_plan(rows)
    assert labels == list(demo.PLAN_MONTHS)
    assert len(managers) == want["rows"]
    assert sum(1 for row in managers for cell in row[2:] if cell is not None) == want["month_values"]
    per_manager = {row[1]: f"{sum(row[2:], Decimal(0)):.2f}" for row in managers}
    assert dict(sorted(per_manager.items())) == want["managers"]
    assert f"{sum(total, Decimal(0)):.2f}" == want["total"]
    assert set(department_totals) == set(demo.DEPARTMENTS)


def test_module_does_not_import_streamlit():
    code = "import sys, sales_analytics.demo; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
