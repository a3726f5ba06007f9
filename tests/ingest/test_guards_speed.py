"""The sheet-extent guard's fast path (``<c r="REF"`` tags read word-wide) against the general scan,
and the cases it hands over to it (issue 7: the guard made cheaper, every protection kept).

Each sheet is real sheet XML in a real workbook (openpyxl writes the rest); the verdict is the
guard's own (``check_file``), or the extent each path measures on the same XML. Files the reader
must never see are only put through the guard, never through calamine: an extent past the limits
makes it allocate a dense grid and abort the process.
"""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from sales_analytics.ingest import InputError, guards
from tests.ingest.test_hostile_files import NS, deflated, raw_zip, with_sheet_xml, xlsx


def sheet(*rows: str) -> str:
    return f'<?xml version="1.0"?><worksheet {NS}><sheetData>{"".join(rows)}</sheetData></worksheet>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def cell(ref: str, value: int = 1) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def code_of(data: bytes) -> str | None:
    try:
        guards.check_file(data, "t.xlsx", "xlsx")
    except InputError as error:
        return error.problems[0].code
    return None


def extents(xml: str) -> tuple[guards._Span | None, guards._Span]:
    """The fast path's span (None when it hands over) and the general scan's, on one sheet."""
    data = with_sheet_xml(xml)
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = archive.getinfo("xl/worksheets/sheet1.xml")
    return guards._cell_extent(data, archive, member), guards._measure(data, archive, member, False)


# -- the hole the general scan had: lowercase references ---------------------------------------------


@pytest.mark.parametrize(
    ("corner", "code"),
    [
        ("xfd1048576", "too_many_columns"),
        ("sf1048576", "sheet_too_large"),
        ("Sf1048576", "sheet_too_large"),
        ("a9999999999", "too_many_columns"),
    ],
)
def test_a_far_corner_in_lowercase_is_refused(corner, code):
    """calamine reads ``a1`` as A1: a lowercase far corner would make it lay out the whole grid."""
    xml = sheet(row(1, cell("A1")), row(2, cell(corner)))
    assert code_of(with_sheet_xml(xml)) == code


def test_lowercase_references_are_measured_by_both_paths():
    fast, general = extents(sheet(row(1, cell("a1")), row(300, cell("ab300"))))
    assert fast is not None
    assert (fast.height, fast.width) == (general.height, general.width) == (300, 28)


# -- what the fast path hands over to the general scan ----------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        's="1" r="XFD1048576"',  # the reference not first
        'r = "XFD1048576"',  # spaces around '='
        "r='XFD1048576'",  # single quotes
        'r="XFD1048576" ',
    ],
)
def test_a_far_corner_written_unusually_is_still_refused(head):
    xml = sheet(row(1, cell("A1")), row(2, f"<c {head}><v>1</v></c>"))
    archive_data = with_sheet_xml(xml)
    if head.startswith('r="'):
        assert extents(xml)[0] is not None  # the usual form: the fast path measures it
    else:
        assert extents(xml)[0] is None
    assert code_of(archive_data) == "too_many_columns"


@pytest.mark.parametrize(
    "cells",
    [
        # the reader keeps the last of a repeated attribute
        cell("A1") + '<c r="B1" r="XFD1048576"><v>1</v></c>',
        # a repeated reference must not make cells without one look referenced
        cell("A1") + '<c r="SF1" r="SF1"><v>1</v></c></row><row r="1048576"><c><v>1</v></c>',
    ],
)
def test_a_repeated_reference_attribute_is_measured(cells):
    xml = sheet(row(1, cells))
    assert extents(xml)[0] is None
    assert code_of(with_sheet_xml(xml)) in ("too_many_columns", "sheet_too_large")


def test_workbooks_from_real_writers_take_the_fast_path():
    """openpyxl and xlsxwriter (which the benchmark's file comes from) write ``<c r="A1"``."""
    import xlsxwriter

    rows = [["Дата", "Клиент", "Сумма"]] + [["16.11.2026", f"Клиент {i}", i] for i in range(3000)]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    target = book.add_worksheet("Лист1")
    for number, values in enumerate(rows):
        target.write_row(number, 0, values)
    book.close()
    for data in (xlsx(rows), buffer.getvalue()):
        archive = zipfile.ZipFile(io.BytesIO(data))
        member = archive.getinfo("xl/worksheets/sheet1.xml")
        span = guards._cell_extent(data, archive, member)
        assert span is not None and (span.height, span.width) == (3001, 3)
        assert code_of(data) is None


def test_a_prefixed_cell_tag_is_measured():
    xml = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{NS.split(chr(34))[1]}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    assert extents(xml)[0] is None
    assert code_of(with_sheet_xml(xml)) == "too_many_columns"


@pytest.mark.parametrize("last", [True, False])
def test_cells_without_references_are_counted_per_row(last):
    """A writer may leave ``r`` out: the reader places such cells one after another in their row
    (the last row's too, which the general scan once left uncounted)."""
    wide = row(1_048_576, *("<c><v>1</v></c>" for _ in range(guards.MAX_COLUMNS + 1)))
    rows = [row(1, cell("A1")), wide] if last else [wide, row(1_048_577, cell("A1"))]
    xml = sheet(*rows)
    assert extents(xml)[0] is None
    assert code_of(with_sheet_xml(xml)) == "too_many_columns"


def test_formatted_empty_cells_far_away_pass_through_the_general_scan():
    """The fast path counts ``<c r="XFD2" s="1"/>``; the sheet then looks too wide, and the general
    scan, which leaves empty cells out as the reader does, lets it through."""
    xml = sheet(row(1, cell("A1"), cell("B1")), row(2, cell("A2"), '<c r="XFD2" s="1"/>'))
    fast, _ = extents(xml)
    assert fast is not None and fast.width == 16384
    assert code_of(with_sheet_xml(xml)) is None


# -- the limits, at their edges, through the long-reference path -------------------------------------


@pytest.mark.parametrize(
    ("corner", "code"),
    [
        ("Y1000000", None),  # 25 columns × 1,000,000 rows = 25,000,000 cells: the limit itself
        ("Z1000000", "sheet_too_large"),
        ("SF100", None),  # 500 columns
        ("SG100", "too_many_columns"),
        ("ALL1", "too_many_columns"),
    ],
)
def test_limits_at_their_edges(corner, code):
    xml = sheet(row(1, cell("A1")), row(2, cell(corner)))
    fast, general = extents(xml)
    assert fast is not None and (fast.height, fast.width) == (general.height, general.width)
    assert code_of(with_sheet_xml(xml)) == code


def test_random_sheets_measure_the_same_on_both_paths():
    """Random references of every length (A1 … XFD1048576, either case) in random order: the fast
    path's extent is the general scan's."""
    rng = random.Random(7)

    def letters(column: int) -> str:
        text = ""
        while column:
            column, rest = divmod(column - 1, 26)
            text = chr(65 + rest) + text
        return text

    for _ in range(40):
        cells = []
        for _ in range(rng.randint(1, 60)):
            column = rng.choice([rng.randint(1, 26), rng.randint(1, 702), rng.randint(1, 16384)])
            number = rng.choice([rng.randint(1, 99), rng.randint(1, 99_999), rng.randint(1, 1_048_576)])
            ref = letters(column) + str(number)
            cells.append(cell(ref.lower() if rng.random() < 0.2 else ref))
        fast, general = extents(sheet(row(1, *cells)))
        assert fast is not None
        assert (fast.height, fast.width) == (general.height, general.width)


# -- pieces: no tag or reference split between two of them --------------------------------------------


@pytest.mark.parametrize("chunk", [64, 100, 257, 4096])
def test_small_pieces_give_the_same_extent(monkeypatch, chunk):
    """Unpacked a few bytes at a time, every cell tag lands on some piece boundary."""
    cells = [cell(ref) for ref in ("A1", "B1", "C1", "AB77", "XFD1048576", "b9")]
    xml = sheet(*(row(i + 1, c) for i, c in enumerate(cells)))
    expected_fast, expected_general = extents(xml)
    monkeypatch.setattr(guards, "_CHUNK", chunk)
    monkeypatch.setattr(guards, "_PACKED_STEP", 16)
    fast, general = extents(xml)
    assert (fast.height, fast.width) == (expected_fast.height, expected_fast.width)
    assert (general.height, general.width) == (expected_general.height, expected_general.width)
    assert code_of(with_sheet_xml(xml)) == "too_many_columns"


@pytest.mark.parametrize("spaces", [True, False])
def test_a_reference_after_an_attribute_longer_than_a_piece_is_found(monkeypatch, spaces):
    """A tag longer than a piece (a 200 KB attribute before the reference) has no '<' to cut at: the
    piece ends at whitespace, never inside ``r="…"``."""
    monkeypatch.setattr(guards, "_CHUNK", 4096)
    filler = ("x " * 100_000) if spaces else ("x" * 200_000)
    xml = sheet(row(1, cell("A1")), row(2, f'<c s="1" junk="{filler}" r="XFD1048576"><v>1</v></c>'))
    assert code_of(with_sheet_xml(xml)) == "too_many_columns"


# -- unpacking -------------------------------------------------------------------------------------------


def _members(data: bytes) -> list[tuple[zipfile.ZipFile, zipfile.ZipInfo]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [(archive, info) for info in archive.infolist()]


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_unpacking_gives_the_zip_modules_bytes(method, monkeypatch):
    monkeypatch.setattr(guards, "_CHUNK", 1000)
    rows = [["Дата", "Клиент", "Сумма"]] + [[f"{i % 28 + 1}.11.2026", f"Клиент {i}", i] for i in range(2000)]
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    data = buffer.getvalue()
    for archive, info in _members(data):
        assert b"".join(guards._unpack(data, archive, info)) == archive.read(info)
    assert code_of(data) is None


def test_a_stored_member_with_a_wrong_checksum_is_refused():
    source = zipfile.ZipFile(io.BytesIO(with_sheet_xml(sheet(row(1, cell("A1"))))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    data = buffer.getvalue()
    assert code_of(data) is None
    at = data.find(b'<c r="A1">')
    broken = data[:at] + b'<c r="B1">' + data[at + 10 :]  # same size, other bytes
    assert code_of(broken) == "unreadable"


def test_shared_strings_that_unpack_past_their_declared_size_are_refused():
    """The bomb that lies about its size, in the shared strings this time."""
    good = zipfile.ZipFile(io.BytesIO(xlsx([["Дата", "Клиент", "Сумма"]])))
    real = b'<sst xmlns="x">' + b"<si><t>a</t></si>" * 500_000 + b"</sst>"
    payload, crc, _ = deflated(real)
    members = [(i.filename, *deflated(good.read(i.filename))) for i in good.infolist()]
    members.append(("xl/sharedStrings.xml", payload, crc, 1000))
    assert code_of(raw_zip(members)) == "unreadable"


def test_a_member_that_unpacks_short_of_its_declared_size_is_refused():
    good = zipfile.ZipFile(io.BytesIO(xlsx([["Дата", "Клиент", "Сумма"]])))
    members = []
    for info in good.infolist():
        payload, crc, size = deflated(good.read(info.filename))
        if info.filename == "xl/worksheets/sheet1.xml":
            size += 10
        members.append((info.filename, payload, crc, size))
    assert code_of(raw_zip(members)) == "unreadable"


def test_an_encrypted_member_is_refused_not_raised():
    """A member flagged as encrypted (zip's own weak encryption, which no workbook uses)."""
    data = bytearray(with_sheet_xml(sheet(row(1, cell("A1")))))
    entry = data.rfind(b"xl/worksheets/sheet1.xml") - 46  # its entry in the central directory
    assert data[entry : entry + 4] == b"PK\x01\x02"
    data[entry + 8] |= 0x1
    assert code_of(bytes(data)) == "unreadable"
