"""Hostile and broken files (issue 6, item 2): each gets a clear message naming the file (and the
sheet, row and column where one applies), nothing crashes, and the database is left exactly as it was.

Every file here is built in the test: a real xlsx cut in half, a real zip bomb (its sheet unpacks to
about 1 GB), a sheet 100,000 columns wide, a 10 MB cell, random bytes, UTF-16 text, an encrypted
(OLE) workbook, a client named ``=HYPERLINK(…)``, a sheet with only headers.
"""

from __future__ import annotations

import io
import random
import re
import struct
import tomllib
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from sales_analytics import export
from sales_analytics.ingest import InputError, guards, import_file, preview_file
from sales_analytics.reports.sales import sales_report
from tests.conftest import DATA
from tests.db_state import fingerprint

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "Дата;Клиент;Сумма\n16.11.2026;ООО «Ромашка»;1 000,00\n".encode()
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.fixture
def db(fresh_db):
    """A database holding one batch, so "unchanged" compares real rows, not an empty file."""
    with fresh_db.cursor() as con:
        import_file(con, BASELINE, "baseline.csv", archive_dir=fresh_db.archive_dir)
    return fresh_db


def refused(
    db, data: bytes, name: str, code: str, kind: str | None = None, preview: bool = True
) -> InputError:
    """Import refuses ``data`` with ``code`` and the database did not change; the preview (which
    stores nothing) shows the same problem, or with ``preview=False`` at least does not fail."""
    with db.cursor() as con:
        before = fingerprint(con, db.archive_dir)
        with pytest.raises(InputError) as caught:
            import_file(con, data, name, kind, archive_dir=db.archive_dir)
        assert fingerprint(con, db.archive_dir) == before
    error = caught.value
    assert [p.code for p in error.problems][:1] == [code], error.message("en")
    shown = preview_file(data, name, kind)
    if preview:
        assert shown.problems and shown.problems[0].code == code
    russian = error.message("ru")
    assert russian.startswith(name), russian
    # the reason is in Russian: no untranslated key, and the English wording is not used
    assert "problem." not in russian and error.problems[0].message("en") != russian
    return error


def xlsx(rows, title="Лист1", **cells) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(sheet_xml: str) -> bytes:
    """A real workbook whose first sheet's XML is replaced (for shapes no writer produces)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Дата", "Клиент", "Сумма"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(info.filename, data)
    return buffer.getvalue()


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from already-deflated members (name, raw deflate stream, CRC-32, unpacked size)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, payload, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(payload), size, len(encoded), 0
            )
        )
        out.write(encoded + payload)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(payload),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(central.getvalue())
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), central.tell(), start, 0)
    )
    return out.getvalue()


def deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def zip_bomb(block_mb: int = 1, blocks: int = 1000) -> bytes:
    """A workbook whose sheet XML unpacks to ``blocks`` MB of rows: the repeated block is deflated
    once and its bytes repeated (a full flush makes each copy independent), so building it costs
    one CRC pass, not a gigabyte of compression."""
    good = zipfile.ZipFile(io.BytesIO(xlsx([["Дата", "Клиент", "Сумма"]])))
    head = f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode()
    row = b'<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>'
    block = (row * (block_mb * 1024 * 1024 // len(row) + 1))[: block_mb * 1024 * 1024]
    tail = b"</sheetData></worksheet>"

    def flushed(data: bytes, mode: int) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(mode)

    payload = flushed(head, zlib.Z_FULL_FLUSH) + flushed(block, zlib.Z_FULL_FLUSH) * blocks
    payload += flushed(tail, zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * blocks + len(tail)
    members = []
    for info in good.infolist():
        if info.filename == "xl/worksheets/sheet1.xml":
            members.append((info.filename, payload, crc, size))
        else:
            members.append((info.filename, *deflated(good.read(info.filename))))
    return raw_zip(members)


# -- the list from the issue ------------------------------------------------------------------------


def test_truncated_workbook(db):
    data = (DATA / "sales_1c_grouped.xlsx").read_bytes()
    refused(db, data[: len(data) // 2], "cut.xlsx", "unreadable")


def test_zip_bomb_is_refused_from_the_zip_directory(db):
    bomb = zip_bomb()
    sheet = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 1_000_000_000 and len(bomb) < 5_000_000
    # it is a real bomb: the stream unpacks to the rows it declares
    with zipfile.ZipFile(io.BytesIO(bomb)).open(sheet) as stream:
        assert stream.read(1 << 20).count(b"<row>") > 10_000
    error = refused(db, bomb, "bomb.xlsx", "zip_bomb")
    assert f"{sheet.file_size / 1e6:.0f} МБ" in error.message("ru")


def test_bomb_that_lies_about_its_size_fails_its_checksum(db):
    """A zip may declare a small size for a member that unpacks to much more: the guard reads only the
    declared bytes, whose checksum then fails, so the reader never unpacks the rest."""
    good = zipfile.ZipFile(io.BytesIO(xlsx([["Дата", "Клиент", "Сумма"]])))
    real = f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode() + b"<row/>" * 5_000_000
    payload, crc, _ = deflated(real)
    members = [
        (i.filename, payload, crc, 1000)
        if i.filename.endswith("sheet1.xml")
        else (i.filename, *deflated(good.read(i.filename)))
        for i in good.infolist()
    ]
    refused(db, raw_zip(members), "liar.xlsx", "unreadable")


def test_csv_with_100000_columns(db):
    header = ";".join(["Дата", "Клиент", "Сумма"] + [f"x{i}" for i in range(100_000 - 3)])
    data = (header + "\n" + ";".join(["16.11.2026", "Лютик", "5"] + ["1"] * (100_000 - 3)) + "\n").encode()
    error = refused(db, data, "wide.csv", "too_many_columns")
    assert "100000" in error.message("ru")


def test_workbook_with_100000_columns(db):
    """Column 100,000 (past Excel's XFD); the reader would lay out every column in between."""
    xml = (
        f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>Дата</t></is></c><c r="EQXD1"><v>1</v></c></row></sheetData></worksheet>'
    )
    error = refused(db, with_sheet_xml(xml), "wide.xlsx", "too_many_columns")
    assert error.problems[0].sheet == "Лист1"


@pytest.mark.parametrize(
    ("corner", "code"),
    [
        ("XFD1048576", "too_many_columns"),
        ("SF1048576", "sheet_too_large"),
        ("A9999999999", "too_many_columns"),
    ],
)
def test_two_cells_far_apart_do_not_bring_the_reader_down(db, corner, code):
    """A1 and one far corner: a dense grid of every cell between them would need hundreds of GB, and
    the reader aborts the process when an allocation fails. Refused before it reads."""
    xml = (
        f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1">'
        f'<c r="A1"><v>1</v></c></row><row r="2"><c r="{corner}"><v>1</v></c></row></sheetData></worksheet>'
    )
    refused(db, with_sheet_xml(xml), "corner.xlsx", code)


def test_ten_megabyte_cell_in_csv(db):
    data = "Дата;Клиент;Сумма\n16.11.2026;Лютик;5\n17.11.2026;".encode() + b"x" * 10_000_000 + b";6\n"
    error = refused(db, data, "long.csv", "line_too_long")
    assert error.problems[0].file == "long.csv"


def test_long_cell_in_csv_is_located(db):
    data = "Дата;Клиент;Сумма\n16.11.2026;Лютик;5\n17.11.2026;".encode() + b"x" * 40_000 + b";6\n"
    error = refused(db, data, "long.csv", "cell_too_long")
    problem = error.problems[0]
    assert (problem.row, problem.column, problem.detail) == (3, "B", "40000")


def test_ten_megabyte_cell_in_workbook(db):
    """Written as raw sheet XML: openpyxl and Excel cut a cell at 32,767 characters, a hostile file
    need not."""
    cell = '<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    # random letters: ten million of one letter would compress a thousandfold and count as a zip bomb
    text = "".join(random.Random(10).choices("абвгдеёжзийклмнопрстуфхцчшщъыьэюя ", k=10_000_000))
    header = "".join(
        cell.format(ref=f"{c}1", text=t) for c, t in zip("ABC", ("Дата", "Клиент", "Сумма"), strict=True)
    )
    xml = (
        f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1">{header}</row>'
        f'<row r="2"><c r="A2"><v>46342</v></c>{cell.format(ref="B2", text=text)}<c r="C2"><v>5</v></c></row>'
        "</sheetData></worksheet>"
    )
    error = refused(db, with_sheet_xml(xml), "long.xlsx", "cell_too_long")
    problem = error.problems[0]
    assert (problem.sheet, problem.row, problem.column, problem.detail) == ("Лист1", 2, "B", "10000000")
    assert "лист «Лист1», строка 2, столбец B" in error.message("ru")


@pytest.mark.parametrize("name", ["junk.xlsx", "junk.csv", "junk.xls", "junk.ods"])
def test_binary_junk(db, name):
    data = random.Random(name).randbytes(200_000)
    code = "not_text" if name.endswith(".csv") else "unreadable"
    refused(db, data, name, code)


def test_utf16_csv_with_a_byte_order_mark_imports(fresh_db):
    text = "Дата;Клиент;Сумма\n16.11.2026;ООО «Ёлка»;1 234,50\n17.11.2026;Лютик;-34,50\n"
    for encoding, name in (("utf-16", "le.csv"), ("utf-16-be", "be.csv")):
        data = text.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + text.encode(encoding)
        with fresh_db.cursor() as con:
            result = import_file(con, data, name)
            assert result.rows == 2 and str(result.amount_total) == "1200.00"
            names = con.execute(
                "SELECT client_name FROM sales WHERE batch_id = $b ORDER BY source_row",
                {"b": result.batch_id},
            ).fetchall()
            assert names == [("ООО «Ёлка»",), ("Лютик",)]


def test_utf16_csv_without_a_byte_order_mark_is_refused(db):
    refused(db, "Дата;Клиент;Сумма\n16.11.2026;Лютик;5\n".encode("utf-16-le"), "nobom.csv", "not_text")


def _ole(streams: list[str]) -> bytes:
    """An OLE compound file's first sectors: the header, then directory entries naming ``streams``."""
    header = guards.CFB_MAGIC + bytes(16) + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + bytes(512 - 32)
    entries = b""
    for name in ["Root Entry", *streams]:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entries += encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded)) + bytes(62)
    return header + entries.ljust(512, b"\x00") + random.Random(3).randbytes(4096)


def test_password_protected_workbook(db):
    data = _ole(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])
    error = refused(db, data, "secret.xlsx", "password_protected")
    assert "пароль" in error.message("ru")


def test_ole_header_and_junk_named_xlsx_is_taken_for_encrypted(db):
    refused(db, guards.CFB_MAGIC + random.Random(4).randbytes(5000), "odd.xlsx", "password_protected")


def test_client_named_as_a_formula_is_text_in_and_out(fresh_db, tmp_path):
    formula = '=HYPERLINK("http://x","click")'
    data = f'Дата;Клиент;Сумма\n16.11.2026;"{formula.replace(chr(34), chr(34) * 2)}";5\n'.encode()
    with fresh_db.cursor() as con:
        import_file(con, data, "formula.csv")
        assert con.execute("SELECT client_name FROM sales").fetchall() == [(formula,)]
        report = sales_report(con, by="client")
    assert list(report["group"]) == [formula]
    assert export.to_csv(report).splitlines()[1].startswith('"=HYPERLINK(""http://x"",""click"")",')
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(report))).active
    cell = sheet.cell(row=2, column=1)
    assert (cell.value, cell.data_type) == (formula, "s")


def test_sheet_with_only_headers(db):
    # the preview shows the header it found; only the import finds no rows under it
    refused(db, xlsx([["Дата", "Клиент", "Сумма"]]), "header_only.xlsx", "no_data", preview=False)


# -- the upload size limit --------------------------------------------------------------------------


def test_upload_limit_is_the_same_for_the_app_and_the_command_line():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == guards.MAX_UPLOAD_MB
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"\b{guards.MAX_UPLOAD_MB} MB\b", readme)


def test_file_over_the_upload_limit_is_refused_before_reading(db, monkeypatch):
    """The limit itself is 200 MB; here it is lowered so the test does not build such a file."""
    monkeypatch.setattr(guards, "MAX_FILE_BYTES", 1024 * 1024)
    rows = "".join(f"16.11.2026;Клиент {i};{i},00\n" for i in range(60_000))
    data = ("Дата;Клиент;Сумма\n" + rows).encode()
    assert len(data) > guards.MAX_FILE_BYTES
    error = refused(db, data, "big.csv", "file_too_big")
    assert "МБ" in error.message("ru")


def test_too_many_sheets(db):
    workbook = openpyxl.Workbook()
    for i in range(guards.MAX_SHEETS + 1):
        workbook.create_sheet(f"S{i}").append(["Дата", "Клиент", "Сумма"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    refused(db, buffer.getvalue(), "sheets.xlsx", "too_many_sheets")


def test_a_normal_workbook_passes_the_guards_untouched(fresh_db):
    """The guards refuse nothing real: each sample file still imports."""
    with fresh_db.cursor() as con:
        for path in sorted(DATA.glob("*.*")):
            if path.suffix in (".xlsx", ".csv"):
                guards.check_file(path.read_bytes(), path.name, path.suffix[1:])
        result = import_file(con, (DATA / "sales_1c_grouped.xlsx").read_bytes(), "sales_1c_grouped.xlsx")
        assert result.rows > 0


def test_formatted_empty_cells_and_rows_far_away_are_not_counted(fresh_db):
    """Excel writes formatted but empty cells (``<c r="AD2" s="1"/>``) and rows (``<row r="1048576"
    ht="20"/>``); the reader keeps neither, so they do not make a sheet too large."""
    cell = '<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    header = "".join(
        cell.format(ref=f"{c}1", text=t) for c, t in zip("ABC", ("Дата", "Клиент", "Сумма"), strict=True)
    )
    empty = "".join(f'<c r="{c}2" s="1"/>' for c in ("D", "Z", "AD", "ZZ", "XFD"))
    xml = (
        f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1">{header}</row>'
        f'<row r="2">{cell.format(ref="A2", text="16.11.2026")}{cell.format(ref="B2", text="Лютик")}'
        f'<c r="C2"><v>5</v></c>{empty}</row><row r="1048576" ht="20" customHeight="1"/></sheetData></worksheet>'
    )
    with fresh_db.cursor() as con:
        result = import_file(con, with_sheet_xml(xml), "formatted.xlsx")
    assert (result.rows, str(result.amount_total)) == (1, "5.00")
