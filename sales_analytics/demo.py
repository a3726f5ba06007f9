"""A demo company and small sample files, as the bytes people really upload.

Two uses:

* :func:`demo_files` builds a realistic Russian distributor of electrical goods ("today" is the
  ``anchor`` date) and returns its files in the messy shapes real users bring: the sales export of
  the accounting system (a 1C grouped report), the sales plan kept in Excel, and eight weekly deal
  forecasts with one sheet per manager. The app imports them to show what the dashboard does before
  anyone has their own data; :func:`demo_summary` gives the figures the generator put in them.
* :func:`sample_files` builds four small, hand-checkable files (20–60 rows) used by the tests and
  offered as downloadable templates; :func:`write_sample_files` writes them with ``expected.json``,
  the counts and totals computed from the generator's own records (never by reading the files back).

Everything is deterministic: a seeded :class:`random.Random`, no wall clock, fixed workbook
properties, so the same anchor gives the same bytes. Money is rounded to kopecks and summed with
:class:`~decimal.Decimal`. This module must not import streamlit.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import xlsxwriter

KOPECK = Decimal("0.01")
NBSP = "\u00a0"
SAMPLE_ANCHOR = date(2026, 11, 23)
_SEED = 20261123
_WORKBOOK_CREATED = datetime(2026, 1, 1)

WHOLESALE = "Оптовый отдел"
RETAIL = "Розничный отдел"
PROJECTS = "Проектный отдел"
DEPARTMENTS = (WHOLESALE, RETAIL, PROJECTS)

SALES_HEADER = (
    "Дата",
    "Контрагент",
    "Номенклатура",
    "Подразделение",
    "Сумма продажи, руб.",
    "Валовая прибыль",
    "Документ",
)
CSV_HEADER = ("Дата", "Клиент", "Менеджер", "Подразделение", "Сумма", "Валовая прибыль")
FORECAST_HEADER = (
    "№ сделки",
    "Клиент",
    "Что продаём",
    "Сумма",
    "Месяц оплаты",
    "Вероятность",
    "Статус",
    "Маржа",
)
PLAN_MONTHS = (
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
)
MONTHS_NOMINATIVE = tuple(name.lower() for name in PLAN_MONTHS)
MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
PLAN_TOTAL_COLUMN = "Итого за год"
TOTAL = "Итого"

STATUS_TEXT = {"open": "в работе", "won": "выиграна", "lost": "проиграна", "unknown": "на паузе"}

# Sales are a little seasonal: a slow January, a busy December.
_SEASON = (0.78, 0.92, 1.04, 1.0, 0.95, 0.98, 0.9, 0.94, 1.05, 1.1, 1.1, 1.24)


@dataclass(frozen=True)
class DemoFile:
    """One file as a person would upload it.

    ``kind`` is what it holds (``"sales"``, ``"deals"`` or ``"plan"``), ``name`` the file name (the
    forecast's name carries its snapshot date), ``data`` the bytes, ``as_of`` the snapshot date of a
    deals file (``None`` for the others).
    """

    kind: str
    name: str
    data: bytes
    as_of: date | None


# --------------------------------------------------------------------------------------------------
# small helpers


def add_months(day: date, months: int) -> date:
    """``day`` moved by calendar months, the day clipped to the month's end (SPEC "Definitions")."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _days_in_month(year, month + 1)))


def _days_in_month(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _money(value: float | Decimal | int) -> Decimal:
    """A money amount rounded to kopecks."""
    return Decimal(str(value)).quantize(KOPECK, ROUND_HALF_UP)


def _round_to(value: float | Decimal, step: int) -> Decimal:
    """Rounded to a whole ``step`` of roubles (plans and deal amounts are round numbers)."""
    return (Decimal(str(value)) / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def _ru_number(value: Decimal, thousands: str = " ") -> str:
    """``12345.67`` as Russians write it: ``12 345,67`` (``thousands`` separates the groups)."""
    sign = "-" if value < 0 else ""
    whole, fraction = f"{abs(value).quantize(KOPECK):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{thousands.join(groups)},{fraction}"


def _text(value: Decimal) -> str:
    """A money total as ``expected.json`` writes it: exact, with two decimals."""
    return f"{value:.2f}"


def _exact(value: Decimal) -> str:
    """A sum that may hold more than two decimals (amount × probability), written exactly."""
    text = f"{value.quantize(Decimal('0.0001')):f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text


def _weekday(rng: random.Random, first: date, last: date) -> date:
    """A random working day in ``[first, last]`` (any day when the range holds no working day)."""
    span = (last - first).days
    day = first
    for _ in range(8):
        day = first + timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            return day
    return day


_LEGAL_FORMS = ("ООО", "АО", "ЗАО", "ПАО", "ОАО", "ИП")
_QUOTES = "«»\"'„“”"


def client_key(name: str) -> str:
    """A client's identity (SPEC "Client identity"): legal form and quotes removed wherever they stand,
    ``ё`` read as ``е``, case folded, white space collapsed. Two spellings of one client share it."""
    text = name.replace("ё", "е").replace("Ё", "Е").casefold()
    for quote in _QUOTES:
        text = text.replace(quote, " ")
    forms = {form.casefold() for form in _LEGAL_FORMS}
    return " ".join(word for word in text.split() if word not in forms)


def _spellings(form: str, root: str) -> tuple[str, ...]:
    """The canonical name first, then the ways people misspell it: the legal form moved, other quotes,
    lower case with a double space, capitals, ``е`` for ``ё``. Only those differences, nothing else."""
    if form == "ИП":
        canonical = f"ИП {root}"
        variants = [f"{root} ИП", f"ип  {root.lower()}", f"ИП {root.upper()}"]
    else:
        canonical = f"{form} «{root}»"
        variants = [
            f'{form} "{root}"',
            f"{root} {form}",
            f"{form.lower()}  {root.lower()}",
            f"{form} {root.upper()}",
        ]
    if "ё" in root.lower():
        variants.insert(1, canonical.replace("ё", "е").replace("Ё", "Е"))
    return (canonical, *variants)


# --------------------------------------------------------------------------------------------------
# the company


@dataclass(frozen=True)
class _Manager:
    """A sales manager, the department they work in and how they keep their forecast sheet."""

    name: str
    department: str  # current department
    previous_department: str | None  # before ``moved_on``, for the one manager who moved
    moved_on: date | None
    deal_ids: str | None  # "number", "crm" or None: the manager does not number deals
    month_style: str  # "text" (декабрь 2026), "date" (a date in the month), "iso" (2026-12), "mixed"
    probability_style: str  # "percent_text" (70%), "fraction" (0.7 shown 70%), "plain" (0.7), "number" (70)
    title_row: bool  # a title row above the header of the forecast sheet
    status_style: str  # "lower", "capital", "blank_open" (open deals have an empty status)
    slip: float  # how often deals of the current month get pushed to a later month
    plan_factor: float  # plan relative to the manager's past sales
    deal_target: int  # how many open deals the manager keeps

    @property
    def home_department(self) -> str:
        """Where the manager started: their clients have that department's profile."""
        return self.previous_department or self.department

    def department_on(self, day: date) -> str:
        """The department the manager belonged to on ``day``."""
        if self.moved_on is not None and self.previous_department and day < self.moved_on:
            return self.previous_department
        return self.department


_MANAGER_TABLE = (
    # name, department, deal ids, month style, probability style, title, status, slip, plan, deals
    ("Иванов Иван", WHOLESALE, "number", "text", "percent_text", True, "lower", 0.06, 1.12, 18),
    ("Петрова Анна", WHOLESALE, None, "date", "fraction", False, "lower", 0.32, 0.9, 14),
    ("Смирнов Алексей", PROJECTS, "crm", "iso", "number", True, "lower", 0.1, 1.05, 12),
    ("Кузнецова Мария", RETAIL, None, "text", "number", False, "capital", 0.08, 1.2, 22),
    ("Попов Дмитрий", RETAIL, "number", "date", "percent_text", False, "blank_open", 0.35, 0.85, 20),
    ("Васильева Елена", RETAIL, None, "iso", "plain", True, "lower", 0.05, 1.0, 16),
    ("Соколов Андрей", PROJECTS, "number", "text", "plain", False, "lower", 0.15, 1.1, 11),
    ("Морозова Ольга", PROJECTS, "crm", "mixed", "mixed", True, "lower", 0.12, 0.95, 13),
)
_MOVER = "Смирнов Алексей"
_MOVER_FROM = WHOLESALE


def _managers(anchor: date) -> tuple[_Manager, ...]:
    """Eight managers in three departments; one moved from wholesale to projects ~5 months ago."""
    moved_on = _month_start(add_months(anchor, -5))
    managers = []
    for name, department, ids, month, probability, title, status, slip, plan, deals in _MANAGER_TABLE:
        mover = name == _MOVER
        managers.append(
            _Manager(
                name=name,
                department=department,
                previous_department=_MOVER_FROM if mover else None,
                moved_on=moved_on if mover else None,
                deal_ids=ids,
                month_style=month,
                probability_style=probability,
                title_row=title,
                status_style=status,
                slip=slip,
                plan_factor=plan,
                deal_target=deals,
            )
        )
    return tuple(managers)


_ROOTS = (
    "Вектор",
    "Альфа",
    "Гермес",
    "Меридиан",
    "Стройресурс",
    "Энергия",
    "Импульс",
    "Горизонт",
    "Спектр",
    "Феникс",
    "Атлант",
    "Сфера",
    "Орион",
    "Полюс",
    "Прогресс",
    "Восход",
    "Рассвет",
    "Север",
    "Волга",
    "Кама",
    "Урал",
    "Сибирь",
    "Байкал",
    "Алтай",
    "Енисей",
    "Нева",
    "Ладога",
    "Кедр",
    "Берёзка",
    "Ёлочка",
    "Зелёный двор",
    "Звёздный",
    "Тёплый дом",
    "Светлый путь",
    "Электромонтаж",
    "Промснаб",
    "Стройкомплект",
    "Монолит",
    "Гранит",
    "Лесоторг",
    "Металлторг",
    "Техснаб",
    "Агроснаб",
    "Мегаполис",
    "Квадрат",
    "Триада",
    "Пирамида",
    "Форвард",
    "Лидер",
    "Партнёр",
    "Союз",
    "Альянс",
    "Континент",
    "Глобус",
    "Элемент",
    "Формула",
    "Интеграл",
    "Вертикаль",
    "Параллель",
    "Магистраль",
    "Маяк",
    "Компас",
    "Азимут",
    "Стрела",
    "Сокол",
    "Беркут",
    "Олимп",
    "Титан",
    "Аврора",
    "Заря",
    "Радуга",
    "Искра",
    "Факел",
    "Луч",
    "Фотон",
    "Квант",
    "Гелиос",
    "Нептун",
    "Сатурн",
    "Меркурий",
    "Сириус",
    "Вега",
    "Альтаир",
    "Капелла",
    "Светоч",
    "Уралэнергоснаб",
    "Волжский берег",
    "Северный ветер",
    "Южный порт",
    "Добрострой",
    "Новый свет",
    "Мастер",
    "Профиль",
    "Эталон",
    "Стандарт",
    "Регион",
    "Технополис",
    "Старт",
    "Ресурс",
    "Основа",
    "Опора",
    "Каскад",
    "Поток",
    "Фаворит",
    "Премьер",
    "Доминанта",
    "Кварц",
    "Янтарь",
    "Малахит",
)
_SUFFIXES = (
    "-Трейд",
    " Плюс",
    "-Снаб",
    " Групп",
    "-Строй",
    " Сервис",
    "-Логистик",
    " Инжиниринг",
    "-М",
    " Регион",
)
_PEOPLE = (
    "Белов Сергей Николаевич", "Григорьева Татьяна Петровна", "Фёдоров Михаил Юрьевич",
    "Орлова Наталья Игоревна", "Лебедев Константин Олегович", "Семёнова Ирина Валерьевна",
    "Зайцев Роман Александрович", "Павлова Светлана Викторовна", "Голубев Артём Сергеевич",
    "Виноградова Ксения Андреевна", "Богданов Илья Павлович", "Воробьёва Юлия Михайловна",
    "Киселёв Никита Денисович", "Тарасова Людмила Геннадьевна",
)  # fmt: skip
_FORMS_WEIGHTED = (("ООО", 74), ("АО", 9), ("ЗАО", 5), ("ПАО", 2), ("ОАО", 2), ("ИП", 8))

# Per manager, in this order: kinds of clients (see _Client.kind).
_CLIENT_MIX = (
    ("regular",) * 8
    + ("occasional",) * 3
    + ("oneoff",) * 3
    + ("dormant",) * 2
    + ("declining",) * 2
    + ("new",)
)
_CLIENTS_PER_MANAGER = (19, 19, 18, 19, 19, 18, 19, 19)


@dataclass(frozen=True)
class _Client:
    """A customer: its canonical name, the spellings it appears under, its manager and behaviour.

    ``kind``: ``regular`` buys most months; ``occasional`` some months; ``oneoff`` once or twice;
    ``dormant`` bought regularly and stopped 6–14 months ago; ``declining`` buys much less in the last
    three months; ``new`` started a few months ago.
    """

    id: int
    name: str
    spellings: tuple[str, ...]
    manager: str
    kind: str
    size: float  # typical monthly turnover, roubles
    mixed_spelling: bool  # its sales rows use several spellings (a duplicate in the accounting system)


_SIZE = {WHOLESALE: (350_000, 0.7), RETAIL: (110_000, 0.6), PROJECTS: (520_000, 0.8)}


def _clients(rng: random.Random, managers: tuple[_Manager, ...]) -> tuple[_Client, ...]:
    """About 150 clients with Russian company names; the first is ``ООО «Ромашка»`` (Иванов Иван)."""
    people = list(_PEOPLE)
    rng.shuffle(people)
    names: list[tuple[str, str]] = [("ООО", "Ромашка")]
    keys = {client_key("Ромашка")}
    forms = [form for form, weight in _FORMS_WEIGHTED for _ in range(weight)]
    roots = list(_ROOTS)
    rng.shuffle(roots)
    total = sum(_CLIENTS_PER_MANAGER)
    while len(names) < total:
        form = rng.choice(forms)
        if form == "ИП" and people:
            root = people.pop()
        else:
            form = "ООО" if form == "ИП" else form
            root = roots[len(names) % len(roots)]
            if " " not in root and (len(names) >= len(roots) or rng.random() < 0.3):
                root += rng.choice(_SUFFIXES)
        key = client_key(root)
        if key in keys:
            continue
        keys.add(key)
        names.append((form, root))
    clients = []
    for index, (form, root) in enumerate(names):
        position = 0
        manager, kind = managers[0], "regular"
        for number, count in enumerate(_CLIENTS_PER_MANAGER):
            if index < position + count:
                manager = managers[number]
                kind = _CLIENT_MIX[index - position]
                break
            position += count
        median, sigma = _SIZE[manager.home_department]
        size = rng.lognormvariate(0, sigma) * median
        if kind == "dormant" and rng.random() < 0.6:
            size *= 3  # a few big clients went quiet: the calls worth making
        if kind == "oneoff":
            size *= 0.6
        clients.append(
            _Client(
                id=index + 1,
                name=_spellings(form, root)[0],
                spellings=_spellings(form, root),
                manager=manager.name,
                kind="regular" if index == 0 else kind,
                size=size,
                mixed_spelling=index == 0 or rng.random() < 0.35,
            )
        )
    return tuple(clients)


_SALES_ITEMS = {
    WHOLESALE: (
        "Кабель ВВГнг(А)-LS 3х2,5",
        "Кабель ВВГнг(А)-LS 5х10",
        "Кабель АВБШв 4х120",
        "Провод ПуГВ 1х6",
        "Выключатель автоматический ВА47-29 1Р 16А",
        "Щит распределительный ЩРн-24",
        "Лоток перфорированный 100х50",
        "Труба гофрированная ПВХ 20 мм",
        "Светильник светодиодный ДПО 36Вт",
        "Трансформатор тока ТТИ-А 200/5",
    ),
    RETAIL: (
        "Лампа светодиодная A60 10Вт E27",
        "Розетка двойная с заземлением",
        "Выключатель одноклавишный",
        "Удлинитель 5 м, 4 гнезда",
        "Сетевой фильтр 1,8 м",
        "Прожектор светодиодный 50Вт",
        "Гирлянда уличная 10 м",
        "Лента светодиодная 5 м",
        "Дрель-шуруповёрт аккумуляторная",
    ),
    PROJECTS: (
        "Проектирование ЭОМ",
        "Монтаж электроосвещения",
        "Монтаж кабельных линий",
        "Сборка щита ВРУ",
        "Пусконаладочные работы",
        "Электроизмерительные работы",
        "Монтаж наружного освещения",
        "Поставка оборудования по проекту",
    ),
}
_DEAL_ITEMS = {
    WHOLESALE: (
        "Кабель для объекта",
        "Автоматика и щиты",
        "Кабельные лотки",
        "Освещение склада",
        "Поставка по спецификации",
        "Провод СИП на год",
        "Трансформаторы тока",
        "Годовой контракт на кабель",
    ),
    RETAIL: (
        "Освещение магазина",
        "Электроустановочные изделия",
        "Новогодние гирлянды",
        "Светодиодные лампы",
        "Удлинители и фильтры",
        "Электроинструмент",
        "Товары для сети магазинов",
    ),
    PROJECTS: (
        "Проект ЭОМ",
        "Монтаж освещения цеха",
        "Электроснабжение склада",
        "Щитовая под ключ",
        "Наружное освещение территории",
        "Модернизация ТП",
        "Пусконаладка",
    ),
}
_MARGIN_RATE = {WHOLESALE: (0.14, 0.24), RETAIL: (0.25, 0.35), PROJECTS: (0.18, 0.32)}
_INVOICES = {WHOLESALE: (3, 8), RETAIL: (5, 15), PROJECTS: (1, 3)}


@dataclass(slots=True)
class _Sale:
    """One row of the sales export: a shipment (positive) or a return (negative)."""

    day: date
    client_id: int
    client: str  # the spelling in the file
    manager: str
    department: str
    product: str
    amount: Decimal
    margin: Decimal
    document: str = ""
    amount_as_text: bool = False


@dataclass
class _Deal:
    """An open deal as the simulation carries it from week to week."""

    manager: str
    deal_id: int | str | None
    client_id: int
    client: str
    product: str
    amount: Decimal
    margin_rate: float
    month: date
    day: int  # for a month written as a date: the day in the month
    probability: int | None  # percent; None: the cell is empty
    month_style: str
    probability_style: str
    status: str = "open"
    stale: bool = False  # the manager forgets to update it: it stays overdue for weeks

    @property
    def margin(self) -> Decimal:
        return _money(self.amount * Decimal(str(self.margin_rate)))


@dataclass(frozen=True)
class _DealRow:
    """One row of a forecast sheet, with the cells as the manager typed them."""

    as_of: date
    manager: str
    deal_id: int | str | None
    client_id: int
    client: str
    product: str
    amount: Decimal
    month: date  # first day of the expected month of payment
    probability: int | None  # percent
    status: str  # open, won, lost, unknown
    margin: Decimal | None
    cells: tuple[tuple[object, str | None], ...]  # (value, number format) per column


@dataclass(frozen=True)
class _PlanRow:
    """One row of a wide plan: a manager in a department, the plan per month (``None``: empty cell)."""

    department: str
    manager: str
    months: tuple[Decimal | None, ...]


@dataclass
class _Company:
    anchor: date
    managers: tuple[_Manager, ...]
    clients: tuple[_Client, ...]
    sales: list[_Sale] = field(default_factory=list)
    snapshots: dict[date, list[_DealRow]] = field(default_factory=dict)
    plans: dict[int, list[_PlanRow]] = field(default_factory=dict)

    @property
    def sales_from(self) -> date:
        return _month_start(add_months(self.anchor, -24))

    @property
    def sales_to(self) -> date:
        return self.anchor - timedelta(days=2)


def _base(anchor: date) -> tuple[random.Random, tuple[_Manager, ...], tuple[_Client, ...]]:
    rng = random.Random(_SEED)
    managers = _managers(anchor)
    return rng, managers, _clients(rng, managers)


def _manager(managers: tuple[_Manager, ...], name: str) -> _Manager:
    return next(manager for manager in managers if manager.name == name)


def _build(anchor: date) -> _Company:
    """The whole demo company as records: sales, weekly forecast snapshots, plans."""
    rng, managers, clients = _base(anchor)
    company = _Company(anchor=anchor, managers=managers, clients=clients)
    sales = _history(rng, company)
    snapshots, won = _simulate_deals(rng, company)
    sales.extend(won)
    company.sales = _numbered(rng, sales)
    company.snapshots = snapshots
    company.plans = _plans(company)
    return company


def _history(rng: random.Random, company: _Company) -> list[_Sale]:
    """Two years of sales up to two days before the anchor, client by client."""
    first, last = company.sales_from, company.sales_to
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    recent_from = add_months(company.anchor, -3)
    sales: list[_Sale] = []
    for client in company.clients:
        manager = _manager(company.managers, client.manager)
        home = manager.home_department
        low, high = _MARGIN_RATE[home]
        active = _active_months(rng, client, months, company.anchor)
        client_sales: list[_Sale] = []
        for month in active:
            years = (month - first).days / 365
            volume = client.size * _SEASON[month.month - 1] * (1 + 0.08 * years) * rng.uniform(0.6, 1.4)
            if client.kind in ("regular", "declining", "dormant", "new"):
                count = rng.randint(*_INVOICES[home])
            else:
                count = rng.randint(1, 2)
            month_end = min(last, add_months(month, 1) - timedelta(days=1))
            for _ in range(count):
                day = _weekday(rng, month, month_end)
                value = volume / count * rng.uniform(0.4, 1.6)
                if client.kind == "declining" and day > recent_from:
                    value *= 0.25
                amount = _money(max(value, 350.0))
                department = manager.department_on(day)
                client_sales.append(
                    _Sale(
                        day=day,
                        client_id=client.id,
                        client=_pick_spelling(rng, client),
                        manager=manager.name,
                        department=department,
                        product=rng.choice(_SALES_ITEMS[department]),
                        amount=amount,
                        margin=_money(amount * Decimal(str(round(rng.uniform(low, high), 4)))),
                    )
                )
        client_sales = _canonical_most_frequent(client, client_sales)
        sales.extend(client_sales)
        sales.extend(_returns(rng, client_sales, manager, last))
    return sales


def _active_months(rng: random.Random, client: _Client, months: list[date], anchor: date) -> list[date]:
    """The months in which a client buys, by its kind."""
    count = len(months)
    if client.kind == "oneoff":
        return sorted(rng.sample(months, rng.randint(1, 2)))
    if client.kind == "occasional":
        return [month for month in months if rng.random() < 0.3]
    if client.kind == "new":
        start = count - rng.randint(2, 5)
        return [month for month in months[start:] if rng.random() < 0.9]
    if client.kind == "dormant":
        stop = _month_start(add_months(anchor, -rng.randint(7, 14)))
        start = rng.choice((0, 0, 0, 3, 5))
        return [month for month in months[start:] if month <= stop and rng.random() < 0.85]
    start = 0 if rng.random() < 0.8 else rng.randint(1, 6)
    return [month for month in months[start:] if rng.random() < 0.88]


def _pick_spelling(rng: random.Random, client: _Client) -> str:
    """Mostly the canonical name (so it is the most frequent spelling); sometimes another one."""
    if client.mixed_spelling and rng.random() < 0.3:
        return rng.choice(client.spellings[1:])
    return client.name


def _canonical_most_frequent(client: _Client, sales: list[_Sale]) -> list[_Sale]:
    """A client's canonical name must be its most frequent spelling (the name the app shows): where
    chance made another spelling as frequent, those rows get the canonical name back."""
    counts = Counter(sale.client for sale in sales)
    if not sales or all(count < counts[client.name] for name, count in counts.items() if name != client.name):
        return sales
    return [replace(sale, client=client.name) for sale in sales]


def _returns(rng: random.Random, sales: list[_Sale], manager: _Manager, last: date) -> list[_Sale]:
    """Occasional returns: part or all of an earlier shipment comes back a few days later."""
    returns = []
    for sale in sales:
        if rng.random() >= 0.015:
            continue
        day = sale.day + timedelta(days=rng.randint(3, 25))
        if day > last:
            continue
        share = Decimal(str(rng.choice((1, 0.5, round(rng.uniform(0.05, 0.3), 2)))))
        department = manager.department_on(day)
        returns.append(
            _Sale(
                day=day,
                client_id=sale.client_id,
                client=sale.client,
                manager=sale.manager,
                department=department,
                product=sale.product,
                amount=-_money(sale.amount * share),
                margin=-_money(sale.margin * share),
            )
        )
    return returns


def _numbered(rng: random.Random, sales: list[_Sale]) -> list[_Sale]:
    """Sales in date order with 1C document numbers; a few amounts become text (``12 345,67``)."""
    sales.sort(key=lambda sale: (sale.day, sale.manager, sale.client_id, sale.amount))
    counters: Counter[tuple[int, bool]] = Counter()
    numbered = []
    for sale in sales:
        is_return = sale.amount < 0
        counters[(sale.day.year, is_return)] += 1
        number = counters[(sale.day.year, is_return)]
        prefix = "ТДВ0" if is_return else "ТД00"
        kind = "Возврат товаров от клиента" if is_return else "Реализация товаров и услуг"
        document = f"{kind} {prefix}-{number:06d} от {sale.day:%d.%m.%Y}"
        as_text = abs(sale.amount) >= 1000 and rng.random() < 0.003
        sale.document, sale.amount_as_text = document, as_text
        numbered.append(sale)
    return numbered


# --------------------------------------------------------------------------------------------------
# weekly deal forecasts


def snapshot_dates(anchor: date, weeks: int = 8) -> list[date]:
    """The forecast snapshot dates: Mondays, the last one the latest Monday on or before ``anchor``."""
    last = anchor - timedelta(days=anchor.weekday())
    return [last - timedelta(days=7 * (weeks - 1 - index)) for index in range(weeks)]


_MONTH_AHEAD_WEIGHTS = (3, 4, 3, 2, 1.5, 1, 0.7, 0.5, 0.3)
_PROBABILITIES = (10, 20, 30, 30, 40, 50, 50, 60, 70, 80, 90)
_DEAL_SIZE = {
    WHOLESALE: (600_000, 0.7, 1000),
    RETAIL: (150_000, 0.6, 1000),
    PROJECTS: (1_500_000, 0.7, 10_000),
}
# Dormant and declining clients get no deals: a won deal would be a recent sale and change what they are.
_CLIENT_WEIGHT = {"regular": 3, "declining": 0, "new": 3, "occasional": 2, "oneoff": 1, "dormant": 0}


class _Desk:
    """One manager's forecast sheet over the weeks: creates deals and moves them along."""

    def __init__(self, rng: random.Random, company: _Company, manager: _Manager, ids: list[int]):
        self.rng = rng
        self.manager = manager
        self.company = company
        self.clients = [client for client in company.clients if client.manager == manager.name]
        self.weights = [_CLIENT_WEIGHT[client.kind] for client in self.clients]
        self.ids = ids
        self.used: set[tuple[int, str]] = set()
        self.open: list[_Deal] = []

    def new_deal(self, snapshot: date, first_week: bool) -> _Deal | None:
        rng, manager = self.rng, self.manager
        department = manager.department
        for _ in range(20):
            client = rng.choices(self.clients, self.weights)[0]
            product = rng.choice(_DEAL_ITEMS[department])
            if (client.id, product) not in self.used:
                break
        else:
            return None
        self.used.add((client.id, product))
        ahead = rng.choices(range(len(_MONTH_AHEAD_WEIGHTS)), _MONTH_AHEAD_WEIGHTS)[0]
        if first_week and rng.random() < 0.08:
            ahead = -1  # already overdue when the first snapshot was taken
        median, sigma, step = _DEAL_SIZE[department]
        raw = rng.lognormvariate(0, sigma) * median
        amount = _money(raw) if rng.random() < 0.15 else _round_to(raw, step)
        probability = rng.choice(_PROBABILITIES)
        if ahead <= 1 and probability < 40:
            probability += 30
        deal_id: int | str | None = None
        if manager.deal_ids:
            self.ids[0] += 1
            deal_id = self.ids[0] if manager.deal_ids == "number" else f"CRM-{self.ids[0]}"
        styles = ("text", "date", "iso")
        month_style = manager.month_style
        if month_style == "mixed" or rng.random() < 0.1:
            month_style = rng.choice(styles)
        probability_style = manager.probability_style
        if probability_style == "mixed" or rng.random() < 0.1:
            probability_style = rng.choice(("percent_text", "fraction", "plain", "number"))
        low, high = _MARGIN_RATE[department]
        return _Deal(
            manager=manager.name,
            deal_id=deal_id,
            client_id=client.id,
            client=client.name if rng.random() < 0.6 else rng.choice(client.spellings[1:]),
            product=product,
            amount=amount,
            margin_rate=round(rng.uniform(low, high), 3),
            month=_month_start(add_months(snapshot, ahead)),
            day=rng.choice((1, 5, 10, 15, 20, 25, 28, 31)),
            probability=None if rng.random() < 0.04 else probability,
            month_style=month_style,
            probability_style=probability_style,
            stale=rng.random() < 0.15,
        )

    def week(self, snapshot: date, first_week: bool) -> tuple[list[_Deal], list[_Deal]]:
        """Moves the deals to ``snapshot``: returns the rows of the sheet and the deals won this week."""
        rng = self.rng
        if first_week:
            for _ in range(self.manager.deal_target + 2):
                deal = self.new_deal(snapshot, first_week=True)
                if deal:
                    self.open.append(deal)
        this_month = _month_start(snapshot)
        rows: list[_Deal] = []
        still_open: list[_Deal] = []
        won: list[_Deal] = []
        for deal in self.open:
            chance = (deal.probability or 50) / 100
            overdue = deal.month < this_month
            if deal.month <= this_month:
                p_won = 0.03 * chance if deal.stale else 0.1 + 0.25 * chance
            elif deal.month == add_months(this_month, 1):
                p_won = 0.05 * chance
            else:
                p_won = 0.01 * chance
            p_lost = 0.02 + 0.04 * (1 - chance)
            p_removed = 0.06 if overdue and not deal.stale else 0.015
            draw = rng.random()
            if draw < p_won:
                deal.status = "won"
                rows.append(deal)
                won.append(deal)
                continue
            if draw < p_won + p_lost:
                deal.status = "lost"
                rows.append(deal)
                continue
            if draw < p_won + p_lost + p_removed:
                continue  # removed silently: the row is simply gone
            self._change(deal, this_month, snapshot, overdue)
            rows.append(deal)
            still_open.append(deal)
        count = len(still_open)
        target = self.manager.deal_target
        new = rng.choice((0, 1, 1, 2, 2, 3)) + (count < target - 3) - (count > target + 3)
        for _ in range(0 if first_week else max(new, 0)):
            deal = self.new_deal(snapshot, first_week=False)
            if deal:
                rows.append(deal)
                still_open.append(deal)
        self.open = still_open
        return rows, won

    def _change(self, deal: _Deal, this_month: date, snapshot: date, overdue: bool) -> None:
        """A week in an open deal's life: pushed to a later month, resized, re-weighted, retyped."""
        rng = self.rng
        if deal.stale:
            p_push = 0.08 if overdue else 0.0
        elif overdue:
            p_push = 0.45
        elif deal.month == this_month:
            p_push = self.manager.slip * (1.5 if snapshot.day > 14 else 0.7)
        else:
            p_push = self.manager.slip * 0.4
        if rng.random() < p_push:
            deal.month = add_months(max(deal.month, this_month), rng.choice((1, 1, 1, 2, 2, 3)))
        if rng.random() < 0.07:
            step = _DEAL_SIZE[self.manager.department][2]
            deal.amount = max(
                _round_to(deal.amount * Decimal(str(round(rng.uniform(0.6, 1.4), 2))), step), Decimal(step)
            )
        if rng.random() < 0.1:
            if deal.probability is None:
                if rng.random() < 0.3:
                    deal.probability = rng.choice(_PROBABILITIES)
            else:
                deal.probability = min(90, max(10, deal.probability + rng.choice((-20, -10, 10, 10, 20))))
        if rng.random() < 0.03:
            client = next(client for client in self.clients if client.id == deal.client_id)
            deal.client = rng.choice(client.spellings)


def _simulate_deals(rng: random.Random, company: _Company) -> tuple[dict[date, list[_DealRow]], list[_Sale]]:
    """Eight weekly snapshots per manager, and the sales that the won deals turned into."""
    ids = [2400]
    desks = [_Desk(rng, company, manager, ids) for manager in company.managers]
    snapshots: dict[date, list[_DealRow]] = {}
    won_sales: list[_Sale] = []
    for index, snapshot in enumerate(snapshot_dates(company.anchor)):
        rows: list[_DealRow] = []
        for desk in desks:
            deals, won = desk.week(snapshot, first_week=index == 0)
            rows.extend(_deal_row(deal, snapshot, desk.manager) for deal in deals)
            for deal in won:
                day = _weekday(rng, snapshot - timedelta(days=6), min(snapshot, company.sales_to))
                department = desk.manager.department_on(day)
                won_sales.append(
                    _Sale(
                        day=day,
                        client_id=deal.client_id,
                        client=next(c.name for c in company.clients if c.id == deal.client_id),
                        manager=desk.manager.name,
                        department=department,
                        product=rng.choice(_SALES_ITEMS[department]),
                        amount=deal.amount,
                        margin=deal.margin,
                    )
                )
        snapshots[snapshot] = rows
    return snapshots, won_sales


def _status_text(status: str, style: str) -> str | None:
    if status == "open" and style == "blank_open":
        return None
    text = STATUS_TEXT[status]
    return text.capitalize() if style == "capital" else text


def _month_cell(month: date, style: str, day: int, capital: bool = False) -> tuple[object, str | None]:
    """The expected month as the manager writes it: ``декабрь 2026``, a date in it, or ``2026-12``."""
    if style == "date":
        return date(month.year, month.month, min(day, _days_in_month(month.year, month.month))), "date"
    if style == "iso":
        return f"{month.year}-{month.month:02d}", None
    name = MONTHS_NOMINATIVE[month.month - 1]
    return f"{name.capitalize() if capital else name} {month.year}", None


def _probability_cell(probability: int | None, style: str) -> tuple[object, str | None]:
    """The probability as typed: ``70%`` text, 0.7 (shown as 70 % or not), or 70."""
    if probability is None:
        return None, None
    if style == "percent_text":
        return f"{probability}%", None
    if style == "fraction":
        return probability / 100, "percent"
    if style == "plain":
        return probability / 100, None
    return probability, None


def _deal_row(deal: _Deal, as_of: date, manager: _Manager) -> _DealRow:
    capital = manager.status_style == "capital"
    cells = (
        (deal.deal_id, None),
        (deal.client, None),
        (deal.product, None),
        (deal.amount, "money"),
        _month_cell(deal.month, deal.month_style, deal.day, capital),
        _probability_cell(deal.probability, deal.probability_style),
        (_status_text(deal.status, manager.status_style), None),
        (deal.margin, "money"),
    )
    return _DealRow(
        as_of=as_of,
        manager=deal.manager,
        deal_id=deal.deal_id,
        client_id=deal.client_id,
        client=deal.client,
        product=deal.product,
        amount=deal.amount,
        month=deal.month,
        probability=deal.probability,
        status=deal.status,
        margin=deal.margin,
        cells=cells,
    )


# --------------------------------------------------------------------------------------------------
# plans


def _plans(company: _Company) -> dict[int, list[_PlanRow]]:
    """Plans for the anchor's year and the next: the manager's monthly sales of the last twelve full
    months × the manager's factor (some plans are above what they sell, some below; the next year
    also × 1.08 growth), shaped by the season, rounded to 10 000. In the anchor's year the manager
    who moved has one row per department (the months before the move under the old one)."""
    anchor = company.anchor
    window = (_month_start(add_months(anchor, -12)), _month_start(anchor))
    past: Counter[str] = Counter()
    for sale in company.sales:
        if window[0] <= sale.day < window[1]:
            past[sale.manager] += sale.amount
    plans = {}
    for year in (anchor.year, anchor.year + 1):
        growth = 1.0 if year == anchor.year else 1.08
        rows = []
        for department in DEPARTMENTS:
            for manager in company.managers:
                months: list[Decimal | None] = []
                for month in range(1, 13):
                    if manager.department_on(date(year, month, 1)) != department:
                        months.append(None)
                        continue
                    level = float(past[manager.name]) / 12 * manager.plan_factor * growth
                    months.append(_round_to(level * _SEASON[month - 1], 10_000))
                if any(value is not None for value in months):
                    rows.append(_PlanRow(department, manager.name, tuple(months)))
        plans[year] = rows
    return plans


# --------------------------------------------------------------------------------------------------
# writing workbooks


class _Book:
    """An in-memory xlsx workbook with fixed properties (same input, same bytes) and our formats."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.workbook.set_properties({"created": _WORKBOOK_CREATED, "author": "Демо", "company": ""})
        add = self.workbook.add_format
        self.formats = {
            "date": add({"num_format": "dd.mm.yyyy"}),
            "money": add({"num_format": "#,##0.00"}),
            "whole": add({"num_format": "#,##0"}),
            "percent": add({"num_format": "0%"}),
            "title": add({"bold": True, "font_size": 14}),
            "header": add({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}),
            "group": add({"bold": True, "bg_color": "#F2F2F2"}),
            "group_money": add({"bold": True, "bg_color": "#F2F2F2", "num_format": "#,##0.00"}),
            "total": add({"bold": True, "bg_color": "#FFF2CC"}),
            "total_money": add({"bold": True, "bg_color": "#FFF2CC", "num_format": "#,##0"}),
        }

    def write(self, sheet, row: int, column: int, value: object, style: str | None = None) -> None:
        """Writes one cell with the type it has: text, number, date, or nothing for ``None``."""
        fmt = self.formats.get(style) if style else None
        if value is None or value == "":
            if fmt is not None:
                sheet.write_blank(row, column, None, fmt)
        elif isinstance(value, str):
            sheet.write_string(row, column, value, fmt)
        elif isinstance(value, date):
            sheet.write_datetime(row, column, value, fmt or self.formats["date"])
        elif isinstance(value, (Decimal, int, float)):
            sheet.write_number(row, column, float(value), fmt)
        else:  # pragma: no cover - a bug in this module
            raise TypeError(f"cannot write {value!r}")

    def close(self) -> bytes:
        self.workbook.close()
        return self.buffer.getvalue()


def _sales_xlsx(sales: list[_Sale], first: date, last: date) -> bytes:
    """The 1C "Валовая прибыль" report: three title rows, a blank row, the header on row 5; rows grouped
    by manager (a heading row with the name in column A, then ``Итого <manager>``), a final ``Итого``."""
    book = _Book()
    sheet = book.workbook.add_worksheet("TDSheet")
    for column, width in enumerate((12, 34, 38, 18, 16, 16, 58)):
        sheet.set_column(column, column, width)
    book.write(sheet, 0, 0, "Валовая прибыль", "title")
    book.write(sheet, 1, 0, f"Период: {first:%d.%m.%Y} - {last:%d.%m.%Y}")
    book.write(sheet, 2, 0, "Отбор: Организация Равно ООО «Электропромснаб»")
    for column, name in enumerate(SALES_HEADER):
        book.write(sheet, 4, column, name, "header")
    row = 5
    grand_amount = grand_margin = Decimal(0)
    day_format, money_format = book.formats["date"], book.formats["money"]
    for manager in sorted({sale.manager for sale in sales}):
        group = sorted((s for s in sales if s.manager == manager), key=lambda s: (s.day, s.document))
        book.write(sheet, row, 0, manager, "group")
        row += 1
        amount = margin = Decimal(0)
        for sale in group:  # the hot loop of the demo: xlsxwriter's typed calls, no dispatch
            sheet.write_datetime(row, 0, sale.day, day_format)
            sheet.write_string(row, 1, sale.client)
            sheet.write_string(row, 2, sale.product)
            sheet.write_string(row, 3, sale.department)
            if sale.amount_as_text:
                sheet.write_string(row, 4, _ru_number(sale.amount))
            else:
                sheet.write_number(row, 4, float(sale.amount), money_format)
            sheet.write_number(row, 5, float(sale.margin), money_format)
            sheet.write_string(row, 6, sale.document)
            amount += sale.amount
            margin += sale.margin
            row += 1
        book.write(sheet, row, 0, f"{TOTAL} {manager}", "group")
        book.write(sheet, row, 4, amount, "group_money")
        book.write(sheet, row, 5, margin, "group_money")
        row += 1
        grand_amount += amount
        grand_margin += margin
    book.write(sheet, row, 0, TOTAL, "total")
    book.write(sheet, row, 4, grand_amount, "total_money")
    book.write(sheet, row, 5, grand_margin, "total_money")
    return book.close()


def _column_letter(column: int) -> str:
    return xlsxwriter.utility.xl_col_to_name(column)


def _plan_xlsx(rows: list[_PlanRow], title: str, sheet_name: str, labels: tuple[str, ...]) -> bytes:
    """A wide plan: title, blank row, header ``Подразделение | Менеджер | <12 months> | Итого за год``;
    the managers of each department, then ``Итого <department>``; a final ``Итого``. Totals are Excel
    formulas with their values cached, as a spreadsheet saved by Excel has them."""
    book = _Book()
    sheet = book.workbook.add_worksheet(sheet_name)
    sheet.set_column(0, 1, 20)
    sheet.set_column(2, 14, 13)
    book.write(sheet, 0, 0, title, "title")
    header = ("Подразделение", "Менеджер", *labels, PLAN_TOTAL_COLUMN)
    for column, name in enumerate(header):
        book.write(sheet, 2, column, name, "header")
    year_column = len(header) - 1
    row = 3
    department_rows: list[tuple[int, list[Decimal]]] = []
    for department in DEPARTMENTS:
        members = [plan for plan in rows if plan.department == department]
        if not members:
            continue
        first = row
        sums = [Decimal(0)] * 12
        for plan in members:
            book.write(sheet, row, 0, plan.department)
            book.write(sheet, row, 1, plan.manager)
            for month, value in enumerate(plan.months):
                book.write(sheet, row, 2 + month, value, "whole")
                sums[month] += value or 0
            total = sum((value or Decimal(0) for value in plan.months), Decimal(0))
            _formula(book, sheet, row, year_column, f"=SUM(C{row + 1}:N{row + 1})", total, "whole")
            row += 1
        book.write(sheet, row, 0, f"{TOTAL} {department}", "total")
        book.write(sheet, row, 1, None, "total")
        for month in range(12):
            letter = _column_letter(2 + month)
            _formula(
                book,
                sheet,
                row,
                2 + month,
                f"=SUM({letter}{first + 1}:{letter}{row})",
                sums[month],
                "total_money",
            )
        _formula(
            book,
            sheet,
            row,
            year_column,
            f"=SUM(C{row + 1}:N{row + 1})",
            sum(sums, Decimal(0)),
            "total_money",
        )
        department_rows.append((row, sums))
        row += 1
    book.write(sheet, row, 0, TOTAL, "total")
    book.write(sheet, row, 1, None, "total")
    for column in range(13):
        letter = _column_letter(2 + column)
        cells = "+".join(f"{letter}{total_row + 1}" for total_row, _ in department_rows)
        if column < 12:
            value = sum((sums[column] for _, sums in department_rows), Decimal(0))
        else:
            value = sum((sum(sums, Decimal(0)) for _, sums in department_rows), Decimal(0))
        _formula(book, sheet, row, 2 + column, f"={cells}", value, "total_money")
    return book.close()


def _formula(book: _Book, sheet, row: int, column: int, formula: str, value: Decimal, style: str) -> None:
    sheet.write_formula(row, column, formula, book.formats[style], float(value))


def _forecast_xlsx(as_of: date, sheets: list[tuple[_Manager, list[_DealRow]]]) -> bytes:
    """A weekly forecast: one sheet per manager named after them, no manager column; header
    ``№ сделки | Клиент | Что продаём | Сумма | Месяц оплаты | Вероятность | Статус | Маржа``, on row 1
    or under a title row and a blank row."""
    book = _Book()
    for manager, rows in sheets:
        sheet = book.workbook.add_worksheet(manager.name)
        for column, width in enumerate((10, 34, 30, 14, 15, 12, 12, 13)):
            sheet.set_column(column, column, width)
        row = 0
        if manager.title_row:
            book.write(sheet, 0, 0, f"Прогноз продаж: {manager.name}, на {as_of:%d.%m.%Y}", "title")
            row = 2
        for column, name in enumerate(FORECAST_HEADER):
            book.write(sheet, row, column, name, "header")
        for deal in rows:
            row += 1
            for column, (value, style) in enumerate(deal.cells):
                book.write(sheet, row, column, value, style)
    return book.close()


def _sales_csv(sales: list[_Sale], title: str, nbsp_rows: set[int]) -> bytes:
    """Sales saved by Excel on Windows: cp1251, ``;``, CRLF, a title line and a blank line (padded
    with separators, as Excel does) above ``Дата;Клиент;Менеджер;Подразделение;Сумма;Валовая прибыль``;
    dates ``16.11.2026``, amounts ``12 345,67`` (no-break space between thousands on ``nbsp_rows``)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    width = len(CSV_HEADER)
    writer.writerow([title] + [""] * (width - 1))
    writer.writerow([""] * width)
    writer.writerow(CSV_HEADER)
    for index, sale in enumerate(sales):
        separator = NBSP if index in nbsp_rows else " "
        writer.writerow(
            [
                f"{sale.day:%d.%m.%Y}",
                sale.client,
                sale.manager,
                sale.department,
                _ru_number(sale.amount, separator),
                _ru_number(sale.margin, separator),
            ]
        )
    return out.getvalue().encode("cp1251")


# --------------------------------------------------------------------------------------------------
# summaries: what the generator put in the files, from its own records


def _sales_summary(sales: list[_Sale]) -> dict:
    managers: dict[str, dict] = {}
    departments: dict[str, dict] = {}
    for sale in sorted(sales, key=lambda s: s.manager):
        for table, key in ((managers, sale.manager), (departments, sale.department)):
            entry = table.setdefault(key, {"rows": 0, "amount": Decimal(0), "margin": Decimal(0)})
            entry["rows"] += 1
            entry["amount"] += sale.amount
            entry["margin"] += sale.margin
    for table in (managers, departments):
        for entry in table.values():
            entry["amount"] = _text(entry["amount"])
            entry["margin"] = _text(entry["margin"])
    return {
        "kind": "sales",
        "rows": len(sales),
        "amount_total": _text(sum((s.amount for s in sales), Decimal(0))),
        "margin_total": _text(sum((s.margin for s in sales), Decimal(0))),
        "clients": len({s.client_id for s in sales}),
        "client_spellings": len({s.client for s in sales}),
        "returns": sum(1 for s in sales if s.amount < 0),
        "amounts_as_text": sum(1 for s in sales if s.amount_as_text),
        "date_from": min(s.day for s in sales).isoformat(),
        "date_to": max(s.day for s in sales).isoformat(),
        "managers": dict(sorted(managers.items())),
        "departments": dict(sorted(departments.items())),
    }


def _deals_summary(rows: list[_DealRow], as_of: date) -> dict:
    """Counts of one snapshot. ``open`` counts the deals marked open (``в работе`` or an empty status);
    a status text the generator marks unknown is counted apart. Weighted = amount × probability, a
    missing probability counting 100 %."""
    this_month = _month_start(as_of)
    opened = [row for row in rows if row.status == "open"]

    def weighted(deals: list[_DealRow]) -> Decimal:
        return sum(
            (d.amount * (d.probability if d.probability is not None else 100) / 100 for d in deals),
            Decimal(0),
        )

    managers: dict[str, dict] = {}
    for row in rows:
        entry = managers.setdefault(
            row.manager, {"rows": 0, "amount": Decimal(0), "open": 0, "open_weighted": Decimal(0)}
        )
        entry["rows"] += 1
        entry["amount"] += row.amount
        if row.status == "open":
            entry["open"] += 1
            entry["open_weighted"] += weighted([row])
    for entry in managers.values():
        entry["amount"] = _text(entry["amount"])
        entry["open_weighted"] = _exact(entry["open_weighted"])
    return {
        "kind": "deals",
        "as_of": as_of.isoformat(),
        "sheets": list(managers),
        "rows": len(rows),
        "amount_total": _text(sum((r.amount for r in rows), Decimal(0))),
        "margin_total": _text(sum((r.margin or Decimal(0) for r in rows), Decimal(0))),
        "clients": len({r.client_id for r in rows}),
        "open": len(opened),
        "won": sum(1 for r in rows if r.status == "won"),
        "lost": sum(1 for r in rows if r.status == "lost"),
        "unknown_status": sum(1 for r in rows if r.status == "unknown"),
        "missing_probability": sum(1 for r in rows if r.probability is None),
        "overdue": sum(1 for r in opened if r.month < this_month),
        "with_deal_id": sum(1 for r in rows if r.deal_id is not None),
        "open_amount_total": _text(sum((r.amount for r in opened), Decimal(0))),
        "open_weighted_total": _exact(weighted(opened)),
        # deals with a status text that is none of open/won/lost (``на паузе``); an importer that
        # reads them as open adds these to the open figures
        "unknown_amount_total": _text(sum((r.amount for r in rows if r.status == "unknown"), Decimal(0))),
        "unknown_weighted_total": _exact(weighted([r for r in rows if r.status == "unknown"])),
        "managers": managers,
    }


def _plan_summary(rows: list[_PlanRow], year: int) -> dict:
    managers: Counter[str] = Counter()
    departments: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for plan in rows:
        for month, value in enumerate(plan.months, start=1):
            if value is None:
                continue
            managers[plan.manager] += value
            departments[plan.department] += value
            months[f"{year}-{month:02d}"] += value
    return {
        "kind": "plan",
        "year": year,
        "rows": len(rows),
        "month_values": sum(1 for plan in rows for value in plan.months if value is not None),
        "total": _text(sum(managers.values(), Decimal(0))),
        "managers": {name: _text(value) for name, value in sorted(managers.items())},
        "departments": {name: _text(value) for name, value in sorted(departments.items())},
        "months": {name: _text(value) for name, value in sorted(months.items())},
    }


# --------------------------------------------------------------------------------------------------
# the demo files


def _demo_names(company: _Company) -> tuple[str, list[tuple[int, str]], list[tuple[date, str]]]:
    sales = f"Продажи {company.sales_from:%d.%m.%Y}-{company.sales_to:%d.%m.%Y}.xlsx"
    plans = [(year, f"План продаж {year}.xlsx") for year in sorted(company.plans)]
    forecasts = [(day, f"Прогноз {day:%d.%m.%Y}.xlsx") for day in sorted(company.snapshots)]
    return sales, plans, forecasts


def demo_files(anchor: date) -> list[DemoFile]:
    """The demo company's files, in import order, as of ``anchor`` ("today" of the demo).

    1. ``Продажи <from>-<to>.xlsx``: two years of sales to two days before ``anchor``, a 1C grouped
       report on sheet ``TDSheet`` (see :func:`_sales_xlsx`): title rows, header on row 5, no manager
       column; manager heading rows, ``Итого <manager>`` subtotals, a final ``Итого``.
    2. ``План продаж <year>.xlsx`` for ``anchor``'s year (months ``Январь … Декабрь``, the year in the
       title) and the next year (months ``янв.27 … дек.27``, no year in the title): wide, with
       ``Итого <department>`` rows, a final ``Итого`` row and an ``Итого за год`` column.
    3. ``Прогноз DD.MM.YYYY.xlsx``: eight weekly snapshots (Mondays, oldest first, the last on the
       latest Monday on or before ``anchor``), one sheet per manager; ``as_of`` is the snapshot date.
    """
    company = _build(anchor)
    sales_name, plan_names, forecast_names = _demo_names(company)
    files = [
        DemoFile("sales", sales_name, _sales_xlsx(company.sales, company.sales_from, company.sales_to), None)
    ]
    for year, name in plan_names:
        if year == anchor.year:
            title, labels, sheet = f"План продаж на {year} год", PLAN_MONTHS, f"План {year}"
        else:
            short = f"{year % 100:02d}"
            title, labels, sheet = (
                "План продаж по менеджерам, руб.",
                tuple(f"{m}.{short}" for m in MONTHS_SHORT),
                "Лист1",
            )
        files.append(DemoFile("plan", name, _plan_xlsx(company.plans[year], title, sheet, labels), None))
    for day, name in forecast_names:
        rows = company.snapshots[day]
        sheets = [(m, [row for row in rows if row.manager == m.name]) for m in company.managers]
        files.append(DemoFile("deals", name, _forecast_xlsx(day, sheets), day))
    return files


def demo_summary(anchor: date) -> dict:
    """What :func:`demo_files` put in each file, from the generator's records (not read back): rows,
    exact totals as strings, per manager and department, per forecast snapshot and plan year; plus
    the manager who moved and the clients built to be dormant or declining. Keys are the file names."""
    company = _build(anchor)
    sales_name, plan_names, forecast_names = _demo_names(company)
    mover = _manager(company.managers, _MOVER)
    result: dict = {
        "anchor": anchor.isoformat(),
        sales_name: {**_sales_summary(company.sales), "sheet": "TDSheet", "header_row": 5},
    }
    for year, name in plan_names:
        result[name] = _plan_summary(company.plans[year], year)
    for day, name in forecast_names:
        result[name] = _deals_summary(company.snapshots[day], day)
    result["moved_manager"] = {
        "manager": mover.name,
        "from": mover.previous_department,
        "to": mover.department,
        "on": mover.moved_on.isoformat() if mover.moved_on else None,
    }
    result["dormant_clients"] = [client.name for client in company.clients if client.kind == "dormant"]
    result["declining_clients"] = [client.name for client in company.clients if client.kind == "declining"]
    return result


# --------------------------------------------------------------------------------------------------
# the sample files


SAMPLE_SALES_XLSX = "sales_1c_grouped.xlsx"
SAMPLE_SALES_CSV = "sales_cp1251.csv"
SAMPLE_FORECAST = "forecast_by_manager_2026-11-16.xlsx"
SAMPLE_PLAN = "plan_wide_2026.xlsx"
EXPECTED_JSON = "expected.json"
_SAMPLE_AS_OF = date(2026, 11, 16)

# (deal id, client slot of the manager, spelling, what, amount, (year, month), month style,
#  probability %, probability style, status)
_SAMPLE_DEALS = {
    "Иванов Иван": (
        0.21,
        (
            (1201, 0, 0, "Кабель для объекта", "850000", (2026, 12), "text", 70, "percent_text", "open"),
            (1202, 1, 0, "Автоматика и щиты", "1200000", (2026, 12), "date", 70, "plain", "open"),
            (1203, 2, 1, "Кабельные лотки", "430000", (2026, 12), "iso", 70, "number", "open"),
            (1204, 3, 0, "Освещение склада", "2300000", (2027, 1), "text", 50, "percent_text", "open"),
            (1188, 4, 0, "Поставка по спецификации", "640000", (2026, 11), "text", 90, "percent_text", "won"),
            (1195, 0, 2, "Провод СИП на год", "380000", (2026, 10), "text", 60, "percent_text", "open"),
            (1209, 5, 0, "Трансформаторы тока", "1500000", (2027, 3), "text", None, "percent_text", "open"),
            (
                1210,
                6,
                0,
                "Годовой контракт на кабель",
                "275500.50",
                (2027, 2),
                "date",
                30,
                "percent_text",
                "open",
            ),
        ),
    ),
    "Петрова Анна": (
        0.18,
        (
            (None, 0, 0, "Кабель для объекта", "520000", (2026, 11), "date", 80, "fraction", "open"),
            (None, 1, 0, "Автоматика и щиты", "310000", (2026, 12), "date", 50, "fraction", "open"),
            (None, 2, 0, "Освещение склада", "990000", (2027, 2), "date", 40, "fraction", "open"),
            (None, 3, 1, "Поставка по спецификации", "150000", (2026, 12), "date", 60, "fraction", "lost"),
            (None, 4, 0, "Кабельные лотки", "275000", (2027, 1), "text", 30, "fraction", "unknown"),
            (None, 5, 0, "Провод СИП на год", "1800000", (2027, 4), "date", 20, "fraction", "open"),
            (None, 6, 3, "Трансформаторы тока", "86400", (2026, 12), "iso", 90, "fraction", "open"),
            (None, 7, 0, "Годовой контракт на кабель", "460000", (2027, 1), "date", 50, "number", "open"),
        ),
    ),
    "Соколов Андрей": (
        0.27,
        (
            (3101, 0, 0, "Проект ЭОМ", "1450000", (2026, 12), "iso", 70, "number", "open"),
            (3102, 1, 0, "Монтаж освещения цеха", "2800000", (2027, 2), "iso", 40, "number", "open"),
            (3103, 2, 0, "Электроснабжение склада", "5200000", (2027, 5), "iso", 20, "number", "open"),
            (3104, 3, 1, "Щитовая под ключ", "960000", (2026, 12), "text", 80, "percent_text", "open"),
            (3105, 4, 0, "Наружное освещение территории", "730000", (2027, 1), "iso", 50, "number", "open"),
            (3106, 5, 0, "Модернизация ТП", "3100000", (2027, 6), "iso", 10, "number", "open"),
            (3107, 6, 0, "Пусконаладка", "240000", (2026, 11), "iso", 90, "number", "open"),
            (3108, 7, 0, "Проект ЭОМ, 2 очередь", "1100000", (2027, 3), "date", 30, "plain", "open"),
        ),
    ),
}
_SAMPLE_DEAL_TITLES = {"Иванов Иван": True, "Петрова Анна": False, "Соколов Андрей": True}
# Monthly plan level per manager (roubles) and the season (sums to 12): a year's plan = level × 12.
_SAMPLE_PLAN_LEVEL = {
    "Иванов Иван": 4_500_000,
    "Петрова Анна": 3_200_000,
    "Смирнов Алексей": 2_800_000,
    "Кузнецова Мария": 1_600_000,
    "Попов Дмитрий": 1_400_000,
    "Васильева Елена": 1_200_000,
    "Соколов Андрей": 5_000_000,
    "Морозова Ольга": 3_600_000,
}
_SAMPLE_SEASON = ("0.8", "0.9", "1.0", "1.0", "1.0", "1.0", "0.9", "0.9", "1.0", "1.1", "1.1", "1.3")


def _sample_sales(
    rng: random.Random,
    managers: tuple[_Manager, ...],
    clients: tuple[_Client, ...],
    names: tuple[str, ...],
    per_manager: int,
    first: date,
    last: date,
) -> list[_Sale]:
    """A few sales per manager for the first four clients of each, in date order."""
    sales = []
    for name in names:
        manager = _manager(managers, name)
        own = [client for client in clients if client.manager == name][:4]
        low, high = _MARGIN_RATE[manager.home_department]
        scale = {WHOLESALE: 200_000, RETAIL: 30_000, PROJECTS: 400_000}[manager.home_department]
        days = sorted(_weekday(rng, first, last) for _ in range(per_manager))
        for index, day in enumerate(days):
            client = own[index % len(own)]
            department = manager.department_on(day)
            amount = _money(rng.uniform(0.1, 1.9) * scale)
            sales.append(
                _Sale(
                    day=day,
                    client_id=client.id,
                    client=client.name,
                    manager=name,
                    department=department,
                    product=rng.choice(_SALES_ITEMS[department]),
                    amount=amount,
                    margin=_money(amount * Decimal(str(round(rng.uniform(low, high), 3)))),
                )
            )
    return sales


def _respell(sales: list[_Sale], client_id: int, spellings: list[str]) -> list[_Sale]:
    """The client's rows take ``spellings`` in turn (the rest keep theirs)."""
    result, seen = [], 0
    for sale in sales:
        if sale.client_id == client_id and seen < len(spellings):
            sale = replace(sale, client=spellings[seen])
            seen += 1
        result.append(sale)
    return result


def _as_return(sale: _Sale, amount: Decimal) -> _Sale:
    margin = -_money(abs(amount) * sale.margin / sale.amount)
    return replace(sale, amount=amount, margin=margin)


def _samples() -> dict[str, tuple[bytes, dict]]:
    """Each sample file with its summary, computed from the same records it was written from."""
    _, managers, clients = _base(SAMPLE_ANCHOR)
    rng = random.Random(_SEED + 1)
    romashka = clients[0]
    first, last = date(2026, 11, 1), SAMPLE_ANCHOR - timedelta(days=2)
    samples: dict[str, tuple[bytes, dict]] = {}

    # 1C grouped report: ООО «Ромашка» under three spellings, one return, one amount as text.
    sales = _sample_sales(
        rng, managers, clients, ("Иванов Иван", "Кузнецова Мария", "Соколов Андрей"), 10, first, last
    )
    sales = _respell(sales, romashka.id, list(romashka.spellings[:3]))
    retail = [index for index, sale in enumerate(sales) if sale.manager == "Кузнецова Мария"]
    returned = sales[retail[6]]
    sales[retail[6]] = _as_return(returned, -_money(returned.amount / 2))
    projects = [index for index, sale in enumerate(sales) if sale.manager == "Соколов Андрей"]
    sales[projects[3]] = replace(sales[projects[3]], amount_as_text=True)
    sales = _documents(sales)
    data = _sales_xlsx(sales, first, last)
    samples[SAMPLE_SALES_XLSX] = (data, {**_sales_summary(sales), "sheet": "TDSheet", "header_row": 5})

    # CSV saved by Excel: a return of exactly 1 234,50, an amount over a million, no-break spaces.
    sales = _sample_sales(
        rng, managers, clients, ("Иванов Иван", "Петрова Анна", "Попов Дмитрий"), 8, first, last
    )
    sales = _respell(
        sales, romashka.id, [romashka.spellings[3], romashka.spellings[1], romashka.spellings[0]]
    )
    popov = [index for index, sale in enumerate(sales) if sale.manager == "Попов Дмитрий"]
    sales[popov[5]] = _as_return(sales[popov[5]], Decimal("-1234.50"))
    ivanov = [index for index, sale in enumerate(sales) if sale.manager == "Иванов Иван"]
    big = sales[ivanov[2]]
    sales[ivanov[2]] = replace(big, amount=Decimal("1250000.00"), margin=Decimal("237500.00"))
    sales.sort(key=lambda sale: (sale.day, sale.manager))
    nbsp_rows = {index for index in range(len(sales)) if index % 5 == 2}
    data = _sales_csv(sales, "Продажи за ноябрь 2026 (выгрузка из Excel)", nbsp_rows)
    summary = {**_sales_summary(sales), "encoding": "cp1251", "separator": ";", "header_row": 3}
    summary["nbsp_rows"] = len(nbsp_rows)
    samples[SAMPLE_SALES_CSV] = (data, summary)

    # Forecast with a sheet per manager.
    sheets: list[tuple[_Manager, list[_DealRow]]] = []
    all_rows: list[_DealRow] = []
    for name, (rate, deals) in _SAMPLE_DEALS.items():
        manager = _manager(managers, name)
        manager = replace(manager, title_row=_SAMPLE_DEAL_TITLES[name], status_style="lower")
        own = [client for client in clients if client.manager == name]
        rows = []
        for deal_id, slot, spelling, what, amount, (
            year,
            month,
        ), month_style, probability, p_style, status in deals:
            client = own[slot]
            deal = _Deal(
                manager=name,
                deal_id=deal_id,
                client_id=client.id,
                client=client.spellings[spelling],
                product=what,
                amount=Decimal(amount).quantize(KOPECK),
                margin_rate=rate,
                month=date(year, month, 1),
                day=25 if name == "Петрова Анна" else 15,
                probability=probability,
                month_style=month_style,
                probability_style=p_style,
                status=status,
            )
            rows.append(_deal_row(deal, _SAMPLE_AS_OF, manager))
        sheets.append((manager, rows))
        all_rows.extend(rows)
    samples[SAMPLE_FORECAST] = (
        _forecast_xlsx(_SAMPLE_AS_OF, sheets),
        _deals_summary(all_rows, _SAMPLE_AS_OF),
    )

    # Wide plan for 2026.
    plan_rows = []
    for department in DEPARTMENTS:
        for manager in managers:
            if manager.department != department:
                continue
            level = Decimal(_SAMPLE_PLAN_LEVEL[manager.name])
            months = tuple((level * Decimal(share)).quantize(KOPECK) for share in _SAMPLE_SEASON)
            plan_rows.append(_PlanRow(department, manager.name, months))
    data = _plan_xlsx(plan_rows, "План продаж на 2026 год", "План 2026", PLAN_MONTHS)
    samples[SAMPLE_PLAN] = (data, {**_plan_summary(plan_rows, 2026), "header_row": 3})
    return samples


def _documents(sales: list[_Sale]) -> list[_Sale]:
    """1C document numbers for sample sales, in date order."""
    numbered = []
    for number, sale in enumerate(sorted(sales, key=lambda s: (s.day, s.manager, s.client_id)), start=4101):
        kind = "Возврат товаров от клиента" if sale.amount < 0 else "Реализация товаров и услуг"
        document = f"{kind} ТД00-{number:06d} от {sale.day:%d.%m.%Y}"
        numbered.append(replace(sale, document=document))
    return numbered


def sample_files() -> dict[str, bytes]:
    """Four small sample files (anchor 2026-11-23), keyed by file name:

    * ``sales_1c_grouped.xlsx``: the 1C grouped report (as in :func:`demo_files`), 30 sales of three
      managers; ``ООО «Ромашка»`` under three spellings, one return, one amount as text ``12 345,67``.
    * ``sales_cp1251.csv``: 24 sales saved by Excel on Windows (cp1251, ``;``, CRLF), a title line
      and a blank line above ``Дата;Клиент;Менеджер;Подразделение;Сумма;Валовая прибыль``, amounts
      like ``12 345,67`` (a no-break space in some rows), one return ``-1 234,50``.
    * ``forecast_by_manager_2026-11-16.xlsx``: 24 deals, one sheet per manager (three), no manager
      column; probabilities ``70%``/0.7/70, months ``декабрь 2026``/a date/``2026-12``; one empty
      probability, one won, one lost, one ``на паузе`` (unknown status), one overdue (October 2026).
    * ``plan_wide_2026.xlsx``: the 2026 plan of eight managers in three departments, months
      ``Январь … Декабрь``, ``Итого за год`` column, ``Итого <department>`` rows and a final ``Итого``.
    """
    return {name: data for name, (data, _) in _samples().items()}


def sample_expected() -> dict:
    """The hand counts of the sample files (the content of ``expected.json``), from the records."""
    expected: dict = {"anchor": SAMPLE_ANCHOR.isoformat()}
    for name, (_, summary) in _samples().items():
        expected[name] = summary
    return expected


def expected_json() -> bytes:
    """``expected.json`` as :func:`write_sample_files` writes it."""
    return (json.dumps(sample_expected(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_sample_files(directory: Path) -> None:
    """Writes :func:`sample_files` and ``expected.json`` into ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in sample_files().items():
        (directory / name).write_bytes(data)
    (directory / EXPECTED_JSON).write_bytes(expected_json())


TEMPLATE_NAMES = {
    SAMPLE_SALES_XLSX: "Продажи (отчёт 1С).xlsx",
    SAMPLE_SALES_CSV: "Продажи (CSV из Excel).csv",
    SAMPLE_FORECAST: "Прогноз 16.11.2026.xlsx",
    SAMPLE_PLAN: "План продаж 2026.xlsx",
}


def template_files() -> dict[str, bytes]:
    """The sample files under names a person would recognise, offered as downloadable templates."""
    return {TEMPLATE_NAMES[name]: data for name, data in sample_files().items()}


def load_demo(con, archive_dir: Path | None = None, anchor: date | None = None) -> list:
    """Import the demo company through the real importer, every batch marked as demo data.

    All files go in one transaction: the demo is loaded whole or not at all. Returns the
    ``ImportResult`` of each file.
    """
    from sales_analytics.ingest import import_file

    results = []
    con.begin()
    try:
        for demo in demo_files(anchor or date.today()):
            results.append(
                import_file(
                    con,
                    demo.data,
                    demo.name,
                    demo.kind,
                    as_of=demo.as_of,
                    archive_dir=archive_dir,
                    is_demo=True,
                    own_transaction=False,
                )
            )
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return results
