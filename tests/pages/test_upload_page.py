"""The upload page in AppTest: preview, mapping fixes, import, errors, undo."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from sales_analytics.i18n import format_money
from tests.pages.apptest_helpers import BAD_CSV, DATA, SALES_CSV, new_app, sample, texts, upload

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def import_button(at):
    return at.button(key="import")


def mapping_boxes(at) -> dict[str, object]:
    """The column → field selectboxes, by their label (``E «Сумма, руб.»``)."""
    return {box.label: box for box in at.selectbox if box.key and box.key.startswith("map:")}


def test_page_starts_empty(upload_page):
    at = upload_page
    assert at.title[0].value == "Загрузка данных"
    assert len(at.file_uploader) == 1
    assert at.file_uploader[0].accept_multiple_files
    assert set(at.file_uploader[0].allowed_type) >= {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}
    assert "Загрузок пока нет." in texts(at, "caption")
    # Nothing to import yet: no Import button, no skip checkbox.
    assert not [b for b in at.button if b.key == "import"]
    # The templates are offered for download.
    labels = [b.label for b in at.get("download_button")] if at.get("download_button") else []
    assert any(label.endswith(".xlsx") for label in labels) or len(at.download_button) >= 4


def test_preview_then_import_shows_summary(upload_page, probe):
    at = upload(upload_page, ("ноябрь.csv", SALES_CSV))

    kind = at.selectbox(key=next(b.key for b in at.selectbox if b.key.startswith("kind:")))
    assert kind.value == "sales"
    boxes = mapping_boxes(at)
    assert boxes["A «Дата»"].value == "date"
    assert boxes["E «Сумма, руб.»"].value == "amount"
    assert "Заголовок в строке 3" in texts(at, "caption")
    sample_rows = at.dataframe[0].value
    assert len(sample_rows) == 3 and "ООО «Ромашка»" in sample_rows.to_string()
    assert at.checkbox(key="skip_invalid").value is False

    import_button(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    summary = texts(at, "success")
    assert "ноябрь.csv" in summary and "загружен" in summary
    assert "Строк: 3" in summary
    assert "13\xa0000 ₽" in summary  # 12 345,67 + 1 000 − 345,67
    assert "ноябрь 2026 (1 мес.)" in summary
    assert "возвраты" in texts(at, "warning")  # one return, counted
    # The batch is in the database and in the history; the uploader is empty again.
    assert probe.status().sales_rows == 3
    assert "№ 1 · Продажи" in texts(at, "markdown")
    assert at.file_uploader[0].value in (None, [])
    assert "Загрузок: 1" in texts(at.sidebar, "caption")


def test_mapping_fix_reaches_the_import(upload_page, probe):
    at = upload(upload_page, ("ноябрь.csv", SALES_CSV))
    manager = mapping_boxes(at)["C «Менеджер»"]
    assert manager.value == "manager"
    manager.set_value("").run()  # "— не загружать —"
    assert mapping_boxes(at)["C «Менеджер»"].value == ""
    # The preview follows the fix; the first rows are still shown.
    assert at.dataframe[0].value.shape[0] == 3

    import_button(at).click().run()
    assert not at.exception
    assert probe.scalar("SELECT count(*) FROM sales WHERE manager IS NOT NULL") == 0
    assert probe.scalar("SELECT count(*) FROM sales") == 3


def test_bad_file_shows_located_errors_and_changes_nothing(upload_page, probe):
    before = probe.version()
    at = upload(upload_page, ("плохой.csv", BAD_CSV))
    import_button(at).click().run()
    assert not at.exception

    error = texts(at, "error")
    assert "не загружен, в базе ничего не изменилось" in error
    assert "строка 3" in error and "строка 4" in error  # both bad rows, located
    assert "31.02.2026" in error and "двести" in error
    # Every problem in a table: file, sheet, row, column, value, reason.
    table = next(df.value for df in at.dataframe if "Причина" in df.value.columns)
    assert list(table.columns) == ["Файл", "Лист", "Строка", "Столбец", "Значение", "Причина"]
    assert sorted(table["Строка"].tolist()) == [3, 4]
    assert probe.version() == before
    assert probe.status().batches == 0
    # The file stays in the uploader so the person can fix the mapping or tick "skip".
    assert len(at.file_uploader[0].value) == 1


def test_skip_invalid_imports_the_rest_and_lists_skipped_rows(upload_page, probe):
    at = upload(upload_page, ("плохой.csv", BAD_CSV))
    at.checkbox(key="skip_invalid").check().run()
    import_button(at).click().run()
    assert not at.exception
    assert "Строк: 1" in texts(at, "success")
    assert "Пропущено ошибочных строк: 2" in texts(at, "warning")
    skipped = next(df.value for df in at.dataframe if "Причина" in df.value.columns)
    assert sorted(skipped["Строка"].tolist()) == [3, 4]
    assert probe.status().sales_rows == 1


def test_same_file_twice_is_refused(upload_page, probe):
    at = upload(upload_page, ("ноябрь.csv", SALES_CSV))
    import_button(at).click().run()
    at = upload(at, ("ноябрь-копия.csv", SALES_CSV))
    import_button(at).click().run()
    assert "уже загружен" in texts(at, "error")
    assert probe.status().batches == 1


def test_delete_batch_asks_then_removes_it(upload_page, probe):
    at = upload(upload_page, ("ноябрь.csv", SALES_CSV))
    import_button(at).click().run()
    batch_id = int(probe.batches()["batch_id"].iloc[0])

    at.button(key=f"delete:{batch_id}").click().run()
    assert "Удалить загрузку № 1" in texts(at, "warning")
    at.button(key=f"delete_no:{batch_id}").click().run()
    assert probe.status().batches == 1  # cancelled: still there
    assert "Удалить загрузку № 1" not in texts(at, "warning")

    at.button(key=f"delete:{batch_id}").click().run()
    at.button(key=f"delete_yes:{batch_id}").click().run()
    assert not at.exception
    assert probe.status().batches == 0
    assert probe.status().sales_rows == 0
    assert "Загрузок пока нет." in texts(at, "caption")
    assert "Загрузок: 0" in texts(at.sidebar, "caption")


def test_forecast_file_gets_its_snapshot_date(upload_page, probe):
    name = "forecast_by_manager_2026-11-16.xlsx"
    at = upload(upload_page, (name, sample(name)))
    kind = next(b for b in at.selectbox if b.key.startswith("kind:"))
    assert kind.value == "deals"
    assert at.date_input[0].value == date(2026, 11, 16)
    assert len(at.tabs) >= 3  # a sheet per manager

    import_button(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    summary = texts(at, "success")
    assert "Дата прогноза: 16.11.2026" in summary
    assert probe.status().last_snapshot == date(2026, 11, 16)


def test_plan_without_year_asks_for_it(upload_page):
    data = (
        "Подразделение;Январь;Февраль;Март\nОптовый отдел;100;200;300\nРозничный отдел;10;20;30\n"
    ).encode()
    at = upload(upload_page, ("план.csv", data))
    kind = next(b for b in at.selectbox if b.key.startswith("kind:"))
    if kind.value != "plan":
        kind.set_value("plan").run()
    assert "Год плана не найден" in texts(at, "warning")
    at.number_input[0].set_value(2026).run()
    assert "Год плана не найден" not in texts(at, "warning")
    import_button(at).click().run()
    assert not at.exception
    assert "План" in texts(at, "success")


def test_several_files_at_once(upload_page, probe):
    name = "sales_cp1251.csv"
    at = upload(upload_page, ("ноябрь.csv", SALES_CSV), (name, sample(name)))
    assert len([b for b in at.selectbox if b.key.startswith("kind:")]) == 2
    import_button(at).click().run()
    assert not at.exception
    assert len(at.success) == 2
    assert probe.status().batches == 2


def test_english(db_path):
    at = new_app()
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/upload.py").run()
    assert at.title[0].value == "Upload data"
    upload(at, ("november.csv", BAD_CSV))
    assert "Skip rows with errors" in at.checkbox(key="skip_invalid").label
    import_button(at).click().run()
    assert import_button(at).label == "Import"
    assert "was not imported; nothing in the database changed" in texts(at, "error")
    assert "row 3" in texts(at, "error")


def test_grouped_1c_report(upload_page, probe):
    """The 1C report: title rows, manager group headings, subtotals that are not data."""
    name = "sales_1c_grouped.xlsx"
    expected = EXPECTED[name]
    at = upload(upload_page, (name, sample(name)))
    captions = texts(at, "caption")
    assert re.search(rf"Заголовок в строк(е|ах) {expected['header_row']}\b", captions)
    assert "строки-группировки заполняют поле «Менеджер»" in captions

    import_button(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    summary = texts(at, "success")
    assert f"Строк: {expected['rows']}" in summary
    assert f"сумма: {format_money(Decimal(expected['amount_total']))}" in summary
    assert "строки итогов не учтены" in texts(at, "warning")
    assert probe.status().sales_rows == expected["rows"]


def test_wide_plan_file(upload_page, probe):
    name = "plan_wide_2026.xlsx"
    expected = EXPECTED[name]
    at = upload(upload_page, (name, sample(name)))
    kind = next(b for b in at.selectbox if b.key.startswith("kind:"))
    assert kind.value == "plan"
    assert "Год плана: 2026" in texts(at, "markdown")
    assert "месяцы плана (12): январь 2026" in texts(at, "caption")

    import_button(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    summary = texts(at, "success")
    assert f"сумма: {format_money(Decimal(expected['total']))}" in summary
    assert "январь 2026 – декабрь 2026 (12 мес.)" in summary
    assert probe.status().plan_months == 12
