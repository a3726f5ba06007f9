"""Limits a file must pass before (or while) it is read: size, zip bombs, password protection, sheet
shape, cell length.

A hostile or broken file must get a clear message, never a crash: the spreadsheet reader (calamine,
in Rust) allocates a dense grid of every sheet's used range and aborts the whole process when that
allocation fails, so a workbook with one cell at A1 and one at XFD1048576 would take the app down.
Everything here is checked on the zip's directory and a streaming pass over the sheet XML, before
the reader sees the file. The pass reads cell references in every form the reader takes (either
case, either quote, spaces around '=', a repeated attribute, whose last one the reader keeps);
the usual ``<c r="B2"`` form is read word-wide (:func:`_piece_extent`), anything else by the
general scan (:func:`_scan`). It costs about twice what unpacking the sheet costs.

The limits, and why:

- :data:`MAX_UPLOAD_MB` (200 MB, the same as ``server.maxUploadSize`` in ``.streamlit/config.toml``):
  a year of a large 1C sales export (a million rows) is about 130 MB as CSV and 50 MB as xlsx; twice
  that still fits, while a file several times larger would not fit the import's memory anyway.
- :data:`MAX_UNPACKED_BYTES` and :data:`MAX_RATIO`: real workbooks unpack to 5–20 times their size;
  a zip bomb unpacks a thousand times. Both come from the zip's directory, before anything is unpacked.
- :data:`MAX_COLUMNS` (500) and :data:`MAX_CELLS` (25 million cells in a sheet's used range): a
  million rows of 25 columns; the reader holds about 32 bytes per cell of the range.
- :data:`MAX_CELL_CHARS` (32,767): Excel's own limit for a cell; longer text is not a client name.
"""

from __future__ import annotations

import html
import io
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator

import numpy as np

from sales_analytics.ingest.model import InputError, RowProblem

MAX_UPLOAD_MB = 200
MAX_FILE_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UNPACKED_BYTES = 2_000_000_000
MAX_RATIO = 100  # unpacked / packed, for a member larger than RATIO_FLOOR
RATIO_FLOOR = 1_000_000
MAX_SHEETS = 100
MAX_COLUMNS = 500
MAX_CELLS = 25_000_000
MAX_CELL_CHARS = 32_767

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# an encrypted xlsx is an OLE container holding these two streams (names in UTF-16LE)
_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_ZIP_TYPES = ("xlsx", "xlsm")
# the sheet XML is unpacked and scanned a piece at a time: ~2 MB stays in the processor's cache
# through the scan's few passes over it, and no whole-sheet copy is ever held
_CHUNK = 2 << 20
_PACKED_STEP = 128 << 10


def _refuse(file_name: str, code: str, **where) -> InputError:
    return InputError([RowProblem(file=file_name, code=code, **where)])


def check_file(data: bytes, file_name: str, kind: str) -> None:
    """Refuse, before any reader sees it, a file that is too big, password-protected, or a workbook
    whose zip or sheets are past the limits. ``kind`` is the file's type from its name."""
    if len(data) > MAX_FILE_BYTES:
        size = f"{len(data) / 1024 / 1024:.0f} > {MAX_UPLOAD_MB}"
        raise _refuse(file_name, "file_too_big", detail=size)
    if data.startswith(CFB_MAGIC[:4]):
        # an xlsx is a zip; one in an OLE container is encrypted (Excel's "Encrypt with password")
        if kind in _ZIP_TYPES or any(name in data for name in _ENCRYPTED_STREAMS):
            raise _refuse(file_name, "password_protected")
    if data.startswith(ZIP_MAGIC):
        check_zip(data, file_name)


def check_zip(data: bytes, file_name: str) -> None:
    """A workbook's zip: its declared sizes within the limits (no member unpacked to learn them),
    then each sheet's used range counted in one streaming pass."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, struct.error, ValueError, OSError) as error:
        raise _refuse(file_name, "unreadable", detail=str(error)[:200]) from error
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(file_name, "zip_bomb", detail=f"{unpacked / 1e6:.0f}")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refuse(file_name, "zip_bomb", detail=f"{member.file_size / 1e6:.0f}")
    sheets = [m for m in members if _is_sheet(m.filename)]
    if len(sheets) > MAX_SHEETS:
        raise _refuse(file_name, "too_many_sheets", detail=f"{len(sheets)} > {MAX_SHEETS}")
    try:
        names = _sheet_names(archive)
        for member in members:
            if _is_sheet(member.filename):
                _check_sheet_xml(data, archive, member, file_name, names)
            elif member.filename.lower().endswith("sharedstrings.xml"):
                for _ in _unpack(
                    data, archive, member
                ):  # a wrong declared size fails here, not in the reader
                    pass
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error) as error:
        raise _refuse(file_name, "unreadable", detail=str(error)[:200]) from error


def _is_sheet(name: str) -> bool:
    lower = name.lower()
    return lower.startswith("xl/worksheets/") and lower.endswith(".xml") and "/_rels/" not in lower


def _unpack(data: bytes, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's unpacked bytes, a chunk at a time, never more than its directory declares: a
    member that unpacks to more or fewer bytes than declared, or whose checksum fails, raises
    ``BadZipFile`` (so a bomb that lies about its size is stopped at the size it declared).

    Deflated and stored members are unpacked with zlib straight from the upload's bytes (the zip
    module's reader works 4 KB of packed data at a time, in Python); anything else (encrypted,
    other methods) goes through the zip module, which refuses what it cannot read."""
    if member.flag_bits & 0x1:
        raise zipfile.BadZipFile(f"{member.filename} is encrypted")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
        return
    at = member.header_offset
    header = data[at : at + 30]
    if len(header) < 30 or not header.startswith(ZIP_MAGIC):
        raise zipfile.BadZipFile(f"{member.filename}: bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = at + 30 + name_length + extra_length
    packed = memoryview(data)[start : start + member.compress_size]
    if len(packed) < member.compress_size:
        raise zipfile.BadZipFile(f"{member.filename} is cut short")
    declared, produced, crc = member.file_size, 0, 0
    if member.compress_type == zipfile.ZIP_STORED:
        if member.compress_size != declared:
            raise zipfile.BadZipFile(f"{member.filename}: stored sizes differ")
        for offset in range(0, declared, _CHUNK):
            chunk = bytes(packed[offset : offset + _CHUNK])
            crc = zlib.crc32(chunk, crc)
            yield chunk
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        offset, pending = 0, b""
        while not inflater.eof:
            if not pending and offset < len(packed):
                pending, offset = packed[offset : offset + _PACKED_STEP], offset + _PACKED_STEP
            # one byte past the declared size is enough to know the member lies about it
            chunk = inflater.decompress(pending, min(_CHUNK, declared - produced + 1))
            pending = inflater.unconsumed_tail
            if not chunk:
                if not pending and offset >= len(packed):
                    break  # the packed data ended before the stream did
                continue
            produced += len(chunk)
            if produced > declared:
                raise zipfile.BadZipFile(f"{member.filename} unpacks past its declared size")
            crc = zlib.crc32(chunk, crc)
            yield chunk
        if not inflater.eof or produced != declared:
            raise zipfile.BadZipFile(f"{member.filename}: unpacked size differs from its declared size")
    if crc != member.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {member.filename!r}")


def _ahead(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks``, produced in a second thread up to two ahead of the consumer: zlib and crc32
    release the GIL, so unpacking the next chunk overlaps the scan of this one. The producer's
    error is raised here; leaving early stops it."""
    ready: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not put(chunk):
                    return
            put(done)
        except BaseException as error:  # handed to the consumer, raised there
            put(error)

    thread = threading.Thread(target=produce, name="guards-unpack", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _pieces(data: bytes, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's unpacked bytes in pieces that each end before a '<' (so no tag is split between
    two), with 8 zero bytes before and 16 after that the scans may read past its ends.

    A run of more than :data:`_LONGEST_RUN` bytes without a tag is refused: a cell holds at most
    32,767 characters."""
    parts: list[bytes] = []
    size = 0
    for chunk in _ahead(_unpack(data, archive, member)):
        cut = chunk.rfind(b"<")
        if cut > 0 or (cut == 0 and size):
            yield b"".join((_LEAD, *parts, chunk[:cut], _PADDING))
            parts, size = [chunk[cut:]], len(chunk) - cut
        else:
            parts.append(chunk)
            size += len(chunk)
            if size > _LONGEST_RUN:
                raise ValueError(f"{member.filename}: more than {_LONGEST_RUN >> 20} MB without a tag")
    if size:
        yield b"".join((_LEAD, *parts, _PADDING))


_LONGEST_RUN = 64 << 20
_LEAD = bytes(8)
_PADDING = bytes(16)


class _Span:
    """The extent of a sheet's cells, as the reader lays them out: every non-empty cell's reference,
    and for cells without one (placed one after another in their row) the rows and cells per row."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int]] = []  # (min, max) per chunk
        self.cols: list[tuple[int, int]] = []
        self.tag_rows: list[tuple[int, int]] = []  # from <row r="…">: they only place unreferenced cells
        self.row_elements = 0
        self.widest_row = 0
        self.unreferenced = False

    @staticmethod
    def _extent(values: np.ndarray, into: list) -> None:
        if values.size:
            into.append((int(values.min()), int(values.max())))

    @property
    def width(self) -> int:
        by_ref = max(c[1] for c in self.cols) - min(c[0] for c in self.cols) + 1 if self.cols else 0
        return max(by_ref, self.widest_row) if self.unreferenced else by_ref

    @property
    def height(self) -> int:
        # an empty <row r="1048576" ht="20"/> (a formatted row) holds nothing the reader keeps
        rows = self.rows + self.tag_rows if self.unreferenced else self.rows
        by_ref = max(r[1] for r in rows) - min(r[0] for r in rows) + 1 if rows else 0
        return max(by_ref, self.row_elements) if self.unreferenced else by_ref


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet XML path -> the sheet's name, from workbook.xml and its relations (read as text with
    patterns, never through an XML parser that would expand entities)."""
    try:
        book = archive.getinfo("xl/workbook.xml")
        rels = archive.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    if book.file_size > 10_000_000 or rels.file_size > 10_000_000:
        return {}
    book_text = archive.read(book).decode("utf-8", errors="replace")
    rels_text = archive.read(rels).decode("utf-8", errors="replace")
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels_text):
        rid, target = re.search(r'\bId="([^"]*)"', tag), re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target:
            path = target.group(1).lstrip("/")
            targets[rid.group(1)] = path if path.startswith("xl/") else "xl/" + path
    names = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book_text):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\b\w+:id="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            names[targets[rid.group(1)].lower()] = html.unescape(name.group(1))
    return names


def _check_sheet_xml(
    data: bytes, archive: zipfile.ZipFile, member: zipfile.ZipInfo, file_name: str, names: dict[str, str]
) -> None:
    """Find the range the sheet's cells span, streaming its XML once. Nearly every writer gives
    each cell its reference as its first attribute (``<c r="B2"``): :func:`_cell_extent` reads only
    those. A sheet written otherwise (cells without a reference, prefixed tags), or one that looks
    too large, is measured by the general scan (:func:`_measure`), which also leaves out empty
    formatted cells (``<c r="B2" s="3"/>``), which the reader does not keep."""
    span = _cell_extent(data, archive, member)
    if span is not None and _within(span):
        return
    if span is None:
        span = _measure(data, archive, member, skip_empty=False)
        if _within(span):
            return
    span = _measure(data, archive, member, skip_empty=True)
    if _within(span):
        return
    sheet_label = names.get(member.filename.lower()) or member.filename.rsplit("/", 1)[-1].removesuffix(
        ".xml"
    )
    if span.width > MAX_COLUMNS:
        raise _refuse(file_name, "too_many_columns", sheet=sheet_label, detail=str(span.width))
    raise _refuse(file_name, "sheet_too_large", sheet=sheet_label, detail=f"{span.height} × {span.width}")


def _within(span: _Span) -> bool:
    return span.width <= MAX_COLUMNS and span.width * span.height <= MAX_CELLS


def _measure(data: bytes, archive: zipfile.ZipFile, member: zipfile.ZipInfo, skip_empty: bool) -> _Span:
    span = _Span()
    open_row_cells = 0
    for piece in _pieces(data, archive, member):
        open_row_cells = _scan(piece, span, open_row_cells, skip_empty)
    span.widest_row = max(span.widest_row, open_row_cells)  # the last row's cells
    return span


def _byte_set(*values: int) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


_SPACE = _byte_set(32, 9, 10, 13)
_TAG_END = _byte_set(32, 9, 10, 13, ord(">"), ord("/"))
_DIGIT = _byte_set(*range(ord("0"), ord("9") + 1))
_LETTER = _byte_set(*range(ord("A"), ord("Z") + 1), *range(ord("a"), ord("z") + 1))


def _run(raw: np.ndarray, starts: np.ndarray, kind: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """At each start: how many bytes of ``kind`` follow (up to ``limit``), and their value as a
    number (base 26 for column letters, A = a = 1, as the reader counts them; base 10 for digits)."""
    length = np.zeros(starts.size, dtype=np.int64)
    value = np.zeros(starts.size, dtype=np.int64)
    going = np.ones(starts.size, dtype=bool)
    letters = kind is _LETTER
    last = raw.size - 1
    for k in range(limit):
        byte = raw[np.minimum(starts + k, last)]
        going &= kind[byte] & (starts + k <= last)
        if not going.any():
            break
        digit = (byte & 31 if letters else byte - 48).astype(np.int64)
        value = np.where(going, value * (26 if letters else 10) + digit, value)
        length += going
    return length, value


def _scan(body: bytes, span: _Span, open_row_cells: int, skip_empty: bool) -> int:
    """One chunk of sheet XML (cut before a '<'); returns the cells of the row still open at its end."""
    raw = np.frombuffer(body, dtype=np.uint8)
    if raw.size < 8:
        return open_row_cells
    last = raw.size - 1

    def at(index: np.ndarray) -> np.ndarray:
        return raw[np.clip(index, 0, last)]

    # every attribute named r, as the reader takes it: whitespace allowed around '=', either quote
    eq = np.flatnonzero(raw == ord("="))
    name, value = eq - 1, eq + 1
    if _SPACE[at(name)].any() or _SPACE[at(value)].any():
        positions = np.arange(raw.size)
        solid = ~_SPACE[raw]
        before = np.maximum.accumulate(np.where(solid, positions, -1))
        after = np.minimum.accumulate(np.where(solid, positions, raw.size)[::-1])[::-1]
        name, value = before[np.clip(eq - 1, 0, last)], after[np.clip(eq + 1, 0, last)]
    quote = at(value)
    is_r = (at(name) == ord("r")) & _SPACE[at(name - 1)] & (name >= 1)
    is_r &= (quote == ord('"')) | (quote == ord("'"))
    eq, quote = eq[is_r], quote[is_r]
    starts = value[is_r] + 1
    n_letters, col = _run(raw, starts, _LETTER, 7)
    n_digits, row = _run(raw, starts + n_letters, _DIGIT, 10)
    valid = (n_digits > 0) & (at(starts + n_letters + n_digits) == quote)
    is_cell = valid & (n_letters > 0)
    # a reference longer than read here (7+ letters, 10+ digits) is past any limit anyway
    if (valid & ((n_letters >= 7) | (n_digits >= 10))).any():
        span.cols.append((1, 26**7))
    kept = is_cell
    if skip_empty:
        closes = np.flatnonzero(raw == ord(">"))
        if closes.size:
            ends = closes[np.minimum(np.searchsorted(closes, starts), closes.size - 1)]
            kept = is_cell & (at(ends - 1) != ord("/"))
    span._extent(col[kept], span.cols)
    span._extent(row[kept], span.rows)
    row_refs = valid & (n_letters == 0)
    span._extent(row[row_refs], span.tag_rows)
    # cells without a reference are placed one after another in their <row>: every cell tag is
    # counted, and those holding a reference told apart (a tag may repeat the attribute)
    opening = np.flatnonzero(raw == ord("<"))
    name = opening + 1
    for k in (1, 2, 3):  # a namespace prefix of one to three letters: <x:c
        prefixed = (at(opening + 1 + k) == ord(":")) & (name == opening + 1)
        for j in range(1, k + 1):
            prefixed &= _LETTER[at(opening + j)]
        name = np.where(prefixed, opening + 2 + k, name)
    is_cell_tag = (at(name) == ord("c")) & _TAG_END[at(name + 1)] & (name + 1 <= last)
    cell_tags = name[is_cell_tag]
    row_tags = name[
        (at(name) == ord("r"))
        & (at(name + 1) == ord("o"))
        & (at(name + 2) == ord("w"))
        & _TAG_END[at(name + 3)]
    ]
    owners = opening[np.maximum(np.searchsorted(opening, eq[is_cell], side="right") - 1, 0)]
    referenced = int(np.isin(opening[is_cell_tag], owners).sum()) if opening.size else 0
    if cell_tags.size > referenced:
        span.unreferenced = True
    span.row_elements += row_tags.size
    if row_tags.size == 0:
        return open_row_cells + cell_tags.size
    per_row = np.bincount(np.searchsorted(row_tags, cell_tags, side="right"), minlength=row_tags.size + 1)
    span.widest_row = max(
        span.widest_row, open_row_cells + int(per_row[0]), int(per_row[1:-1].max(initial=0))
    )
    return int(per_row[-1])


# --- the common case: every cell tag is <c r="REF" -------------------------------------------------
#
# Each piece of XML is looked at as little-endian integers: finding each "<c" is two comparisons of
# 2-byte words over the piece, and reading a tag's first 8 bytes and its reference's 8 bytes is one
# gather each from the 8-byte words at every offset (``_words``). The reference is then decoded with
# byte-parallel arithmetic on those integers ("SWAR"), no loop per character.


def _repeat(byte: int) -> np.uint64:
    return np.uint64(int.from_bytes(bytes([byte]) * 8, "little"))


_U64 = np.uint64
_ONES, _HIGH, _BIT6, _QUOTES, _ZEROS = (_repeat(b) for b in (0x01, 0x80, 0x40, ord('"'), ord("0")))
_FIVE_BITS = _repeat(0x1F)
_ONE = np.uint64(1)
_CELL_OPEN = np.uint16(int.from_bytes(b"<c", "little"))
_CELL_HEAD = _U64(int.from_bytes(b'<c r="', "little"))
_ROW_HEAD = _U64(int.from_bytes(b'<row r="', "little"))


def _words(raw: bytes, itemsize: int) -> np.ndarray:
    """The ``itemsize`` bytes starting at every offset of ``raw``, as little-endian integers."""
    return np.ndarray((len(raw) - itemsize + 1,), f"<u{itemsize}", raw, 0, (1,))


def _at_least(x: np.ndarray, byte: int) -> np.ndarray:
    """Per byte of ``x`` (each below 0x80): its high bit set where the byte is >= ``byte``."""
    return ((x | _HIGH) - _repeat(byte)) & _HIGH


def _references(words: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Decode cell references from the 8 bytes after ``r="`` (a little-endian integer each).

    Returns (ok, short, column, row): ``short`` where the closing quote is among the 8 bytes;
    ``ok`` where, besides, the bytes before it are 1-3 letters (either case, as the reader takes
    them) then digits; the column (A = 1) and the row of those."""
    x = words ^ _QUOTES
    quotes = (x - _ONES) & ~x & _HIGH  # its lowest set bit is the first quote's high bit
    short = quotes != 0
    first = quotes & (~quotes + _ONE)
    before = (first >> _U64(7)) - _ONE  # the bytes before the quote
    body = words & before
    length = np.bitwise_count(before).astype(np.uint64) >> _U64(3)
    n_letters = np.bitwise_count(body & _BIT6).astype(np.uint64)  # letters have 0x40, digits not
    n_digits = length - n_letters
    folded = body | _repeat(0x20)
    letter = _at_least(folded, ord("a")) & ~_at_least(folded, ord("z") + 1)
    digit = _at_least(body, ord("0")) & ~_at_least(body, ord("9") + 1)
    letters_first = (_ONE << ((_U64(8) * n_letters) & _U64(63))) - _ONE  # the first n_letters bytes
    ok = (
        short
        & ((body & _HIGH) == 0)
        & ((letter | digit) == (before & _HIGH))
        & ((letter >> _U64(7)) == (letters_first & _ONES))
        & (n_letters >= 1)
        & (n_letters <= 3)
        & (n_digits >= 1)
    )
    # the row: the reference moved to the top bytes, its letters turned to '0', then the classic
    # eight-digit parse (pairs, then fours, then the whole)
    top = body << ((_U64(8) * (_U64(8) - length)) & _U64(63))
    below = (_ONE << ((_U64(8) * (_U64(8) - n_digits)) & _U64(63))) - _ONE  # bytes under the digits
    value = ((top & ~below) | (_ZEROS & below)) - _ZEROS
    value = value * _U64(10) + (value >> _U64(8))
    value = (
        (value & _U64(0x000000FF000000FF)) * _U64(100 + (1000000 << 32))
        + ((value >> _U64(16)) & _U64(0x000000FF000000FF)) * _U64(1 + (10000 << 32))
    ) >> _U64(32)
    letters = (body & _FIVE_BITS).astype(np.int64)
    b0, b1, b2 = letters & 31, (letters >> 8) & 31, (letters >> 16) & 31
    column = np.where(n_letters == 1, b0, np.where(n_letters == 2, b0 * 26 + b1, (b0 * 26 + b1) * 26 + b2))
    return ok, short, column, value.astype(np.int64)


def _cell_extent(data: bytes, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> _Span | None:
    """The range the sheet's cells span when every cell tag starts ``<c r="REF"`` (empty ones
    counted); None when one does not, or a prefixed cell tag (``<x:c``) appears."""
    span = _Span()
    for piece in _pieces(data, archive, member):
        if not _piece_extent(piece, span):
            return None
    return span


def _piece_extent(piece: bytes, span: _Span) -> bool:
    """Add one piece's cells to ``span``; False where a cell is written otherwise than
    ``<c r="REF"`` (the reference not first, repeated, spaced or single-quoted; no reference; a
    prefixed tag), for the general scan."""
    raw = np.frombuffer(piece, dtype=np.uint8)
    colons = np.flatnonzero(raw == ord(":"))
    if colons.size and ((raw[colons + 1] == ord("c")) & _TAG_END[raw[colons + 2]]).any():
        return False
    eight = _words(piece, 8)
    # every '=' with the 6 bytes before it and the one after: an attribute named r must be the
    # first of a cell (<c r=") or of a row (<row r="); none may have whitespace before its '='
    equals = np.flatnonzero(raw == ord("="))
    around = eight[equals - 6]
    before = ((around >> _U64(40)) & _U64(0xFF)).astype(np.uint8)
    if _SPACE[before].any():
        return False
    cells = (around >> _U64(16)) == _CELL_HEAD
    other = around[(before == ord("r")) & ~cells]  # "r=" elsewhere: a row's, or a longer name's end
    if other.size:
        named_r = _SPACE[((other >> _U64(32)) & _U64(0xFF)).astype(np.uint8)] & (other != _ROW_HEAD)
        if named_r.any():
            return False
    # and every cell tag is one of those: as many "<c" (at even offsets, then odd ones) as heads, or
    # else as many followed by whitespace, '/' or '>' (not <col…>, <cfRule…>)
    starts = equals[cells] + 2
    half = (raw.size - 1) // 2
    even, odd = raw[: 2 * half].view("<u2") == _CELL_OPEN, raw[1 : 2 * half + 1].view("<u2") == _CELL_OPEN
    if int(np.count_nonzero(even)) + int(np.count_nonzero(odd)) != starts.size:
        tags = np.concatenate((np.flatnonzero(even) * 2, np.flatnonzero(odd) * 2 + 1))
        if int(np.count_nonzero(_TAG_END[raw[tags + 2]])) != starts.size:
            return False
    if not starts.size:
        return True
    ok, short, column, row = _references(eight[starts])
    if not ok[short].all():
        return False
    if not short.all():
        # 8+ characters: a wide sheet with 100,000+ rows, or past every limit
        far = starts[~short]
        n_letters, far_column = _run(raw, far, _LETTER, 7)
        n_digits, far_row = _run(raw, far + n_letters, _DIGIT, 10)
        closed = raw[np.minimum(far + n_letters + n_digits, raw.size - 1)] == ord('"')
        if not (closed & (n_letters >= 1) & (n_letters < 7) & (n_digits >= 1) & (n_digits < 10)).all():
            return False
        column, row = np.concatenate((column[short], far_column)), np.concatenate((row[short], far_row))
    span._extent(column, span.cols)
    span._extent(row, span.rows)
    return True


def cell_limit_problem(con, table: str, sheet, file_name: str) -> RowProblem | None:
    """The first cell longer than :data:`MAX_CELL_CHARS` in a loaded sheet (temp table ``table`` with
    columns c0..cN, ``rowid`` in file order), located by sheet, row and column; None when all fit."""
    if sheet.width == 0:
        return None
    longest = ", ".join(f"coalesce(strlen(c{i}), 0)" for i in range(sheet.width))
    expression = f"greatest({longest})" if sheet.width > 1 else longest
    # strlen counts bytes and costs nothing; a cell past the limit in bytes is then measured in characters
    found = con.execute(f"SELECT max({expression}) FROM {table}").fetchall()[0][0]
    if not found or found <= MAX_CELL_CHARS:
        return None
    for i in range(sheet.width):
        rows = con.execute(
            f"SELECT rowid, length(c{i}) FROM {table} WHERE length(c{i}) > $limit ORDER BY rowid LIMIT 1",
            {"limit": MAX_CELL_CHARS},
        ).fetchall()
        if rows:
            row = rows[0]
            return RowProblem(
                file=file_name,
                sheet=sheet.name,
                code="cell_too_long",
                row=sheet.row_number(int(row[0])),
                column=sheet.letters[i],
                detail=str(row[1]),
            )
    return None


def check_cells(con, table: str, sheet, file_name: str) -> None:
    """Refuse a sheet holding a cell longer than Excel allows (see :func:`cell_limit_problem`)."""
    problem = cell_limit_problem(con, table, sheet, file_name)
    if problem is not None:
        raise InputError([problem])


def too_many_columns(file_name: str, width: int, sheet: str | None = None) -> InputError:
    return _refuse(file_name, "too_many_columns", sheet=sheet, detail=str(width))


def csv_width(encoded: bytes, delimiter: str, sampled: int) -> int:
    """The width to report for a CSV found too wide in its sample: the sample may cut a long first
    line, so count that line's separators in full (quotes aside; only the message uses it)."""
    first = encoded[: encoded.find(b"\n")] if b"\n" in encoded else encoded
    return max(sampled, first.count(delimiter.encode()) + 1)


def csv_sample_problem(file_name: str, error: Exception) -> InputError:
    """The first lines of a CSV that Python's csv module refuses (a field over 128 KB: a cell far
    past Excel's limit, or an unclosed quote swallowing the file)."""
    return _refuse(file_name, "line_too_long", detail=str(error)[:200])


def csv_read_problem(message: str) -> str | None:
    """The problem code for a DuckDB CSV reader error we can name better than "too many fields"."""
    if "maximum line size" in message.lower():
        return "line_too_long"
    return None
