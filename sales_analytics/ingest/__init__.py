"""Spreadsheets in: read → locate → map → normalise → validate → store, one transaction per file.

Public entry points:

- :func:`preview_file`: what the importer sees in a file (kind, header, mapping, first rows), with
  nothing stored; the upload page shows it and lets a person fix the mapping.
- :func:`import_file`: import one file into the database as one batch, all or nothing.
- :func:`guess_kind`: sales, deals or plan, from the headers and the file name.
"""

from sales_analytics.ingest.model import (
    FIELDS,
    KINDS,
    ColumnPreview,
    ImportResult,
    InputError,
    Preview,
    RowProblem,
    SheetPreview,
)
from sales_analytics.ingest.pipeline import guess_kind, import_file, preview_file, snapshot_date_from_name

__all__ = [
    "FIELDS",
    "KINDS",
    "ColumnPreview",
    "ImportResult",
    "InputError",
    "Preview",
    "RowProblem",
    "SheetPreview",
    "guess_kind",
    "import_file",
    "preview_file",
    "snapshot_date_from_name",
]
