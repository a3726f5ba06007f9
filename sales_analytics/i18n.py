"""Russian (default) and English texts, and numbers, money and dates as people there write them.

Texts live in ``locales/<lang>.json`` (flat keys, ``str.format`` placeholders). Number and date
formats come from Babel's CLDR data: ``1 234 567 ₽`` and ``12,5 %`` in Russian.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
_LOCALES = {"ru": "ru_RU", "en": "en_GB"}
_DIR = Path(__file__).resolve().parent / "locales"


@cache
def _texts(lang: str) -> dict[str, str]:
    # ru.json holds the package's texts; ru.ui.json the pages'. Same keys in every language.
    texts: dict[str, str] = {}
    for path in sorted(_DIR.glob(f"{lang}.*json")):
        texts.update(json.loads(path.read_text(encoding="utf-8")))
    return texts


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text for ``key`` in ``lang`` (falling back to Russian, then to the key itself)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    text = _texts(lang).get(key) or _texts(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def no_department(lang: str = DEFAULT_LANGUAGE) -> str:
    return t("label.no_department", lang)


def no_manager(lang: str = DEFAULT_LANGUAGE) -> str:
    return t("label.no_manager", lang)


def problem_message(problem, lang: str = DEFAULT_LANGUAGE) -> str:
    """One line a person can act on: where (file, sheet, row, column, value) and why."""
    where = [problem.file]
    if problem.sheet:
        where.append(t("where.sheet", lang, sheet=problem.sheet))
    if problem.row:
        where.append(t("where.row", lang, row=problem.row))
    if problem.column:
        where.append(t("where.column", lang, column=problem.column))
    reason = t(f"problem.{problem.code}", lang, detail=problem.detail or "")
    if problem.value not in (None, ""):
        value = problem.value if len(problem.value) <= 60 else problem.value[:57] + "…"
        reason = f"«{value}»: {reason}"
    return f"{', '.join(where)}: {reason}"


def format_money(
    value: Decimal | float | int | None, lang: str = DEFAULT_LANGUAGE, kopecks: bool = False
) -> str:
    """Money rounded to whole units (or kopecks): ``1 234 567 ₽``."""
    if value is None:
        return "—"
    pattern = "#,##0.00" if kopecks else "#,##0"
    number = _babel_decimal(Decimal(str(value)), format=pattern, locale=_LOCALES[lang])
    return (
        f"{number} ₽" if lang == "ru" else f"₽{number}" if not number.startswith("-") else f"-₽{number[1:]}"
    )


def format_number(
    value: Decimal | float | int | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0
) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_decimal(Decimal(str(value)), format=pattern, locale=_LOCALES[lang])


def format_percent(fraction: Decimal | float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.125 -> ``12,5 %`` (ru) or ``12.5%`` (en)."""
    if fraction is None:
        return "—"
    number = format_number(Decimal(str(fraction)) * 100, lang, decimals)
    return f"{number} %" if lang == "ru" else f"{number}%"


def format_day(value: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date as people write it: ``16.11.2026`` (ru), ``16 Nov 2026`` (en)."""
    if value is None:
        return "—"
    return _babel_date(value, format="dd.MM.yyyy" if lang == "ru" else "d MMM yyyy", locale=_LOCALES[lang])


def format_month(value: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A month by name: ``ноябрь 2026`` / ``November 2026``."""
    if value is None:
        return "—"
    return _babel_date(value, format="LLLL yyyy", locale=_LOCALES[lang])
