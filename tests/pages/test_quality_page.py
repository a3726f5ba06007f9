"""The data quality page in AppTest: on the demo company, on hand-made flaws, and on an empty database."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from sales_analytics.db import Database
from sales_analytics.i18n import format_number, t
from sales_analytics.ingest import import_file
from sales_analytics.reports import quality
from tests.pages.apptest_helpers import Probe, new_app, no_exception, texts
from tests.reports.test_quality import DEALS, SALES

PAGE = "app_pages/quality.py"


def open_page(lang: str = "ru") -> AppTest:
    at = no_exception(new_app().run())
    if lang != "ru":
        no_exception(at.button_group(key="lang_switch").set_value(lang).run())
    return no_exception(at.switch_page(PAGE).run())


def pill_labels(at: AppTest) -> list[str]:
    return [str(option) for option in at.button_group(key="quality_check").proto.options]


def expected_counts(path, batch_id=None) -> dict[str, int]:
    db = Database(path)
    with db.cursor() as con:
        frame = quality.quality_counts(con, batch_id)
    db.close()
    return dict(zip(frame["check"], frame["count"], strict=True))


def table_with(at: AppTest, column: str):
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_on_the_demo_every_count_is_shown_and_opens_its_rows(on_demo):
    at = open_page()
    assert at.title[0].value == "Качество данных"
    counts = expected_counts(on_demo)
    labels = pill_labels(at)
    for check in quality.CHECKS:
        wanted = f"{t(f'quality.check.{check}', 'ru')}: {format_number(counts[check], 'ru')}"
        assert any(wanted in label for label in labels), (wanted, labels)
    # the first count that is not zero is open
    first = next(c for c in quality.CHECKS if counts[c])
    assert at.button_group(key="quality_check").value == first
    assert (
        at.subheader[0].value == f"{t(f'quality.check.{first}', 'ru')}: {format_number(counts[first], 'ru')}"
    )

    no_exception(at.button_group(key="quality_check").set_value("client_spellings").run())
    spellings = table_with(at, "Написание")
    assert spellings["Ключ"].nunique() == counts["client_spellings"]
    assert len(at.get("download_button")) == 2

    # the per-upload table lists every upload; choosing one narrows the counts to it
    uploads = table_with(at, "№ загрузки")
    assert len(uploads) == Probe(on_demo).status().batches
    forecast = int(uploads[uploads["Данные"] == "прогноз"]["№ загрузки"].iloc[0])
    no_exception(at.selectbox(key="quality_batch").set_value(forecast).run())
    narrowed = expected_counts(on_demo, forecast)
    assert f"{t('quality.check.client_spellings', 'ru')}: {narrowed['client_spellings']}" in " ".join(
        pill_labels(at)
    )
    assert narrowed["client_spellings"] < counts["client_spellings"]


def test_in_english(on_demo):
    at = open_page("en")
    assert at.title[0].value == "Data quality"
    assert any("Deals with no probability: " in label for label in pill_labels(at))
    assert "By upload" in texts(at, "subheader")
    assert "Upload no." in table_with(at, "File").columns


def test_hand_made_flaws_show_their_rows(db_path):
    probe = Probe(db_path)
    with probe.db.cursor() as con:
        import_file(con, SALES.encode(), "sales.csv", "sales", skip_invalid=True)
        import_file(con, DEALS.encode(), "deals.csv", "deals", as_of=date(2026, 11, 16))
    probe.db.close()
    at = open_page()
    assert at.button_group(key="quality_check").value == "skipped"
    rejected = table_with(at, "Причина")
    assert rejected["Значение"].tolist() == ["двести"]
    no_exception(at.button_group(key="quality_check").set_value("status_unknown").run())
    assert table_with(at, "Статус в файле")["Статус в файле"].tolist() == ["непонятно"]
    no_exception(at.button_group(key="quality_check").set_value("managers_without_sales").run())
    assert table_with(at, "Менеджер")["Менеджер"].tolist() == ["Сидоров Олег"]
    no_exception(at.button_group(key="quality_check").set_value("month_missing").run())
    assert table_with(at, "Месяц оплаты")["Клиент"].tolist() == ["Лютик"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_empty_database_says_what_to_upload(db_path, lang):
    at = open_page(lang)
    assert at.title[0].value == t("quality.title", lang)
    assert t("quality.empty", lang) in texts(at, "info")
    links = at.get("page_link")
    assert any(t("quality.go_upload", lang) in str(link.proto) for link in links)
    assert not at.dataframe
