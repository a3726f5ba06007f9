"""Header synonyms (SPEC.md "Inputs"): which field a column holds, in Russian or English.

A header is compared after normalising: case folded, ``ё`` as ``е``, units after a comma or in
brackets dropped (``Сумма, руб.`` -> ``сумма``), punctuation other than ``%`` and ``№`` dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "дата",
        "дата продажи",
        "дата оплаты",
        "период",
        "дата документа",
        "дата реализации",
        "дата отгрузки",
        "date",
        "invoice date",
        "payment date",
        "sale date",
        "document date",
    ),
    "client": (
        "контрагент",
        "клиент",
        "покупатель",
        "заказчик",
        "партнер",
        "наименование клиента",
        "контрагент покупатель",
        "client",
        "customer",
        "account",
        "company",
        "customer name",
        "client name",
    ),
    "manager": (
        "менеджер",
        "ответственный",
        "продавец",
        "сотрудник",
        "ответственный менеджер",
        "менеджер по продажам",
        "manager",
        "sales rep",
        "owner",
        "salesperson",
        "account manager",
        "sales manager",
    ),
    "department": (
        "подразделение",
        "отдел",
        "филиал",
        "department",
        "team",
        "division",
        "office",
        "отдел продаж",
    ),
    "amount": (
        "сумма",
        "выручка",
        "оборот",
        "сумма продажи",
        "оплата",
        "сумма сделки",
        "сумма с ндс",
        "стоимость",
        "сумма оплаты",
        "сумма реализации",
        "amount",
        "revenue",
        "sales",
        "value",
        "deal amount",
        "sales amount",
    ),
    "margin": (
        "валовая прибыль",
        "маржа",
        "прибыль",
        "маржинальный доход",
        "gross margin",
        "margin",
        "gross profit",
    ),
    "product": (
        "номенклатура",
        "товар",
        "услуга",
        "что продаем",
        "сделка",
        "продукт",
        "предмет сделки",
        "название сделки",
        "product",
        "item",
        "deal",
        "opportunity",
        "deal name",
        "opportunity name",
    ),
    "deal_id": ("№ сделки", "номер сделки", "id сделки", "id", "deal id", "opportunity id", "код сделки"),
    "expected_month": (
        "месяц оплаты",
        "ожидаемая дата",
        "срок",
        "месяц",
        "ожидаемый месяц",
        "ожидаемая дата оплаты",
        "плановая дата оплаты",
        "месяц поступления",
        "срок оплаты",
        "expected month",
        "close date",
        "expected date",
        "expected close date",
        "payment month",
    ),
    "probability": ("вероятность", "%", "вероятность оплаты", "probability", "win probability", "prob"),
    "stage": ("этап", "стадия", "этап сделки", "stage", "deal stage"),
    "status": ("статус", "состояние", "статус сделки", "status", "state"),
    "plan": ("план", "план продаж", "plan", "target", "quota", "sales plan"),
    "price": ("цена", "price", "unit price"),
    "quantity": ("количество", "кол во", "колво", "qty", "quantity"),
    "document": (
        "документ",
        "регистратор",
        "номер документа",
        "документ продажи",
        "document",
        "invoice",
        "invoice no",
    ),
}

# Long plans: the month column. Deals: "Месяц" is the expected month (in SYNONYMS above).
PLAN_MONTH = ("месяц", "период", "month", "period")

# Columns of a wide plan that hold totals, not a month.
TOTAL_COLUMN = re.compile(r"^(итого|всего|итог|total|сумма за год|год|year)\b", re.IGNORECASE)

_LOOKUP = {synonym: name for name, synonyms in SYNONYMS.items() for synonym in synonyms}


def normalise_header(text: str | None) -> str:
    """``"Сумма продажи, руб."`` -> ``"сумма продажи"``; ``"Вероятность, %"`` -> ``"вероятность"``."""
    if not text:
        return ""
    value = text.lower().replace("ё", "е").replace("\n", " ")
    value = re.sub(r"\(.*?\)|\[.*?\]", " ", value)
    if "," in value and value.split(",", 1)[0].strip():
        value = value.split(",", 1)[0]
    value = re.sub(r"[^\w%№ ]+", " ", value)
    return re.sub(r"\s+", " ", value).strip()


@lru_cache(maxsize=4096)
def match_field(text: str | None) -> tuple[str | None, int]:
    """The field a header names, and how sure: 2 exact synonym, 1 starts with one, 0 none."""
    header = normalise_header(text)
    if not header:
        return None, 0
    if header in _LOOKUP:
        return _LOOKUP[header], 2
    prefixes = [s for s in _LOOKUP if len(s) > 2 and header.startswith(s + " ")]
    if prefixes:
        return _LOOKUP[max(prefixes, key=len)], 1
    return None, 0


def adjust_for_kind(fields: dict[int, str], kind: str) -> dict[int, str]:
    """The same words mean different things per kind: a deal's "Дата оплаты" is its expected month,
    a long plan's "Месяц" is the plan's month and its "Сумма" the plan amount."""
    present = set(fields.values())
    adjusted = dict(fields)
    for column, name in fields.items():
        if kind == "deals" and name == "date" and "expected_month" not in present:
            adjusted[column] = "expected_month"
        elif kind == "plan":
            if name in ("expected_month", "date") and "month" not in present:
                adjusted[column] = "month"
                present.add("month")
            elif name == "amount" and "plan" not in present:
                adjusted[column] = "plan"
        elif kind == "sales" and name == "expected_month":
            del adjusted[column]
    return adjusted


REQUIRED = {
    "sales": ("date", "client", "amount"),
    "deals": ("client", "amount"),
    "plan": ("plan",),
}
