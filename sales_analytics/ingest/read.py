"""Step 1, read: file bytes -> one raw table of text cells per sheet, with the row numbers a person sees.

Spreadsheets (xlsx, xlsm, xls, ods) are read by calamine through fastexcel straight into Arrow
strings, no Python object per cell. CSV is decoded (UTF-8, UTF-16 or Windows-1251), its separator
sniffed, and DuckDB's reader parses it; DuckDB drops blank lines, so the blank lines' positions are
kept to give every record its real line number.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import fastexcel
import numpy as np
import pyarrow as pa

from sales_analytics.ingest import guards
from sales_analytics.ingest.model import InputError, RowProblem

SPREADSHEET_TYPES = ("xlsx", "xlsm", "xls", "ods")
TYPES = (*SPREADSHEET_TYPES, "csv", "txt", "tsv")
MAX_COLUMNS = guards.MAX_COLUMNS


@dataclass
class RawSheet:
    """One sheet's cells as text. Column ``cK`` is the file's column ``letters[K]``.

    ``load(con, name)`` materialises it as a DuckDB temp table with columns ``c0 … cN`` in file order
    (insertion order is kept, so the table's ``rowid`` is the 0-based record index);
    ``row_number(rec)`` gives the row a person sees.
    """

    name: str | None
    letters: list[str]
    hidden: bool = False
    arrow: pa.Table | None = None
    csv_path: Path | None = None
    csv_delimiter: str = ","
    blank_thresholds: list[int] = field(default_factory=list)
    first_row: int = 1
    # the upload, while its text past the first 4 MB is not yet known to be UTF-8
    csv_source: bytes | None = field(default=None, repr=False)

    @property
    def width(self) -> int:
        return len(self.letters)

    def load(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        """Create temp table ``table`` (rec, c0..cN) from this sheet. ``table`` is our own identifier."""
        columns = ", ".join(f"c{i}" for i in range(self.width))
        if self.arrow is not None:
            con.register("_sa_arrow", self.arrow)
            sql = "CREATE OR REPLACE TEMP TABLE {t} AS SELECT {c} FROM _sa_arrow"
            con.execute(sql.format(t=table, c=columns))
            con.unregister("_sa_arrow")
            return
        spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(self.width)) + "}"
        sql = (
            "CREATE OR REPLACE TEMP TABLE {t} AS SELECT {c} "
            "FROM read_csv($path, header = false, delim = $delim, quote = '\"', escape = '\"', "
            "auto_detect = false, null_padding = true, strict_mode = true, columns = {spec})"
        )
        try:
            con.execute(
                sql.format(t=table, c=columns, spec=spec),
                {"path": str(self.csv_path), "delim": self.csv_delimiter},
            )
        except duckdb.Error as error:
            if self.csv_source is not None and "Invalid unicode" in str(error):
                # UTF-8 at its start, not further on: the whole file is Windows-1251 after all
                source, self.csv_source = self.csv_source, None
                _check_cp1251_text(source, "")
                _write_cp1251_as_utf8(source, self.csv_path)
                self.load(con, table)
                return
            line = re.search(r"Line:\s*(\d+)", str(error))
            raise InputError(
                [
                    RowProblem(
                        file="",
                        code=guards.csv_read_problem(str(error)) or "too_many_fields",
                        row=int(line.group(1)) if line else None,
                        detail=str(error).splitlines()[0],
                    )
                ]
            ) from error

    def row_number(self, rec: int) -> int:
        """The row number a person sees for record ``rec`` (0-based), blank lines counted."""
        skipped = int(np.searchsorted(np.asarray(self.blank_thresholds), rec + 1, side="left"))
        return self.first_row + rec + skipped

    def row_number_sql(self, rec_column: str = "rec") -> str:
        """A SQL expression for the row number of ``rec_column`` (thresholds are our own integers)."""
        base = f"({rec_column} + {self.first_row})"
        if not self.blank_thresholds:
            return base
        if len(self.blank_thresholds) <= 64:
            steps = " + ".join(f"({rec_column} + 1 > {t})::INTEGER" for t in self.blank_thresholds)
            return f"({base} + {steps})"
        listed = "[" + ", ".join(str(t) for t in self.blank_thresholds) + "]"
        return f"({base} + len(list_filter({listed}, lambda t: t < {rec_column} + 1)))"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def file_type(file_name: str) -> str:
    return Path(file_name).suffix.lower().lstrip(".")


def read_file(data: bytes, file_name: str, workdir: Path) -> list[RawSheet]:
    """Every sheet of the file as a :class:`RawSheet`. Raises :class:`InputError` on unreadable input.

    ``workdir`` is a scratch directory for CSV text handed to DuckDB; the caller removes it.
    """
    kind = file_type(file_name)
    if not data:
        raise InputError([RowProblem(file=file_name, code="empty_file")])
    guards.check_file(data, file_name, kind)
    if kind in SPREADSHEET_TYPES or (kind not in TYPES and data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return _read_spreadsheet(data, file_name)
    if kind in ("csv", "txt", "tsv"):
        return [_read_csv(data, file_name, workdir)]
    raise InputError([RowProblem(file=file_name, code="unsupported_type", value=kind)])


def _read_spreadsheet(data: bytes, file_name: str) -> list[RawSheet]:
    if data[:4] == b"PK\x03\x04":
        _check_zip(data, file_name)
    try:
        reader = fastexcel.read_excel(data)
        sheets = []
        for name in reader.sheet_names:
            sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
            if sheet.width > MAX_COLUMNS:
                raise guards.too_many_columns(file_name, sheet.width, sheet=name)
            table = sheet.to_arrow()
            infos = sheet.available_columns()
            letters = [column_letter(info.absolute_index) for info in infos]
            table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
            table = table.cast(pa.schema([pa.field(f"c{i}", pa.string()) for i in range(table.num_columns)]))
            if table.num_columns == 0:  # an empty sheet: one empty column, so it loads and is skipped
                table, letters = pa.table({"c0": pa.array([], pa.string())}), ["A"]
            sheets.append(
                RawSheet(
                    name=name,
                    letters=letters,
                    arrow=table,
                    hidden=str(sheet.visible).lower().endswith("hidden"),
                )
            )
        return sheets
    except InputError:
        raise
    except Exception as error:  # calamine's errors name the cause; the file itself is unusable
        raise InputError(
            [RowProblem(file=file_name, code="unreadable", detail=str(error).splitlines()[0][:200])]
        ) from error


def _check_zip(data: bytes, file_name: str, limit: int = 2_000_000_000) -> None:
    """An xlsx is a zip: refuse a damaged one, and a bomb that would unpack past ``limit`` bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise InputError([RowProblem(file=file_name, code="unreadable", detail=str(error))]) from error
    if unpacked > limit:
        raise InputError(
            [RowProblem(file=file_name, code="too_large", detail=f"unpacks to {unpacked:,} bytes")]
        )


_CHUNK = 1 << 22  # CSV text is checked and transcoded 4 MB at a time, never as a whole-file copy


def _encoding(data: bytes, file_name: str, whole: bool = True) -> str:
    """utf-8, utf-16 (with a BOM) or cp1251 (what Excel on Windows saves); refuses binary data.

    With ``whole=False`` only the first 4 MB are checked: DuckDB's reader checks the rest as it
    parses, and :meth:`RawSheet.load` falls back to cp1251 where it finds a byte that is not UTF-8.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in data[:4096]:
        raise InputError([RowProblem(file=file_name, code="not_text", detail="binary data (NUL bytes)")])
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data) if whole else min(len(data), _CHUNK), _CHUNK):
            decoder.decode(data[start : start + _CHUNK])
        decoder.decode(b"", final=whole or len(data) <= _CHUNK)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    _check_cp1251_text(data, file_name)
    return "cp1251"


def _check_cp1251_text(data: bytes, file_name: str) -> None:
    # Windows-1251 decodes any byte; a file that is mostly control characters is not text
    text = data[:4096].decode("cp1251", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 20:
        raise InputError([RowProblem(file=file_name, code="not_text", detail="binary data")])


def _write_cp1251_as_utf8(data: bytes, path: Path) -> None:
    with path.open("wb") as out:
        for offset in range(0, len(data), _CHUNK):
            out.write(data[offset : offset + _CHUNK].decode("cp1251", errors="replace").encode("utf-8"))


def utf8_bytes(data: bytes, file_name: str) -> bytes:
    """CSV bytes as UTF-8 for DuckDB's reader: UTF-8 as it is (BOM dropped), UTF-16 with a BOM and
    Windows-1251 (what Excel on Windows saves) transcoded."""
    encoding = _encoding(data, file_name)
    if encoding == "utf-16":
        return data.decode("utf-16").encode("utf-8")
    if encoding == "utf-8":
        return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return data.decode("cp1251", errors="replace").encode("utf-8")


def _write_utf8(data: bytes, file_name: str, path: Path) -> tuple[bytes, list[int], bool]:
    """Write the CSV to ``path`` as UTF-8, streamed; return its first 200 KB, the blank-line
    thresholds, and whether the rest is still to be checked as UTF-8 (by DuckDB, as it parses).

    Newlines are the same bytes in UTF-8 and Windows-1251, so blank lines are found in the upload
    itself; only UTF-16 (rare) is transcoded as a whole.
    """
    encoding = _encoding(data, file_name, whole=False)
    if encoding == "utf-16":
        encoded = data.decode("utf-16").encode("utf-8")
        path.write_bytes(encoded)
        return encoded[:200_000], _blank_line_thresholds(encoded), False
    if encoding == "cp1251":
        _write_cp1251_as_utf8(data, path)
        head = data[:200_000].decode("cp1251", errors="replace").encode("utf-8")
        return head, _blank_line_thresholds(data), False
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    with path.open("wb") as out:
        out.write(memoryview(data)[start:])
    return data[start : start + 200_000], _blank_line_thresholds(data, start), len(data) > _CHUNK


def sniff_delimiter(lines: list[str]) -> str:
    """The separator that splits the sample into the most rows of one consistent width."""
    best, best_score = ",", -1
    for delimiter in (";", "\t", ","):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:  # a field past the csv module's limit: not this separator
            continue
        if not widths:
            continue
        common, count = Counter(widths).most_common(1)[0]
        score = count * (common > 1) * 1000 + common
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, file_name: str, workdir: Path) -> RawSheet:
    path = Path(tempfile.mkstemp(suffix=".csv", dir=workdir)[1])
    head, thresholds, unchecked = _write_utf8(data, file_name, path)
    sample = head.decode("utf-8", errors="ignore").splitlines()[:300]
    delimiter = sniff_delimiter(sample)
    try:
        width = max((len(row) for row in csv.reader(sample, delimiter=delimiter)), default=1)
    except csv.Error as error:
        raise guards.csv_sample_problem(file_name, error) from error
    if width > MAX_COLUMNS:
        # the raw upload: the sample may cut a long first line (separators are ASCII in every encoding)
        raise guards.too_many_columns(file_name, guards.csv_width(data, delimiter, width))
    return RawSheet(
        name=None,
        letters=[column_letter(i) for i in range(max(width, 1))],
        csv_path=path,
        csv_delimiter=delimiter,
        blank_thresholds=thresholds,
        csv_source=data if unchecked else None,
    )


def _blank_line_starts(encoded: bytes, start: int = 0) -> list[int]:
    """Byte offsets where an empty line starts ("\n" or "\r\n" right after a newline, or at ``start``)."""
    starts = []
    if encoded.startswith((b"\n", b"\r\n"), start):
        starts.append(start)
    for pattern in (b"\n\n", b"\n\r\n"):
        found = encoded.find(pattern, start)
        while found != -1:
            starts.append(found + 1)
            found = encoded.find(pattern, found + 1)
    return sorted(starts)


def _blank_line_thresholds(encoded: bytes, start: int = 0) -> list[int]:
    """For the j-th blank line (1-based) at line b_j: the count of records before it, b_j - j.

    A record i (1-based) lies after blank line j exactly when i > b_j - j, so its line number is
    i + #{j : b_j - j < i}. Blank lines are few; newlines are counted only between them.
    """
    thresholds, line, position = [], 1, start
    for j, blank in enumerate(_blank_line_starts(encoded, start), start=1):
        line += encoded.count(b"\n", position, blank)
        position = blank
        thresholds.append(line - j)
    return thresholds
