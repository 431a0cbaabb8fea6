"""Streamed XLSX exports: rows from an iterator, written one by one into a workbook, sent as a file.

Every list export of the portal goes through here:

- `in_chunks(queryset)` reads a queryset in its own order `CHUNK_SIZE` rows at a time (a server-side cursor on
  PostgreSQL) and runs its prefetch_related lookups once per chunk: one query, plus one per prefetch and chunk, never
  OFFSET paging, so the number of queries does not grow with the rows until a chunk is full;
- `Column` names a column (its header, a UI string) and how a row object gives its cell, so that an export is a list
  of columns over the same queryset or selector its page shows;
- `xlsx_response(filename, …)` writes the header and the rows into a workbook inside a temporary file that stays in
  memory up to `SPOOL_MAX_SIZE` and goes to disk beyond, and answers with a FileResponse that streams that file as an
  attachment (the UTF-8 name RFC 5987-encoded), never cached: lists of people are personal data.

The workbook is written by XlsxWriter in its constant_memory mode: each row is written to the sheet as it comes and
leaves memory (strings inline, no table of shared strings), so nothing grows with the rows; it is several times faster
than openpyxl's write-only mode (whose XML serializer takes some 15 µs a cell: half a second for the 36,000 cells of
a ten-year decision register), which now only reads these files back (the staff import, the tests). The sheet is as
the portal's tables have always been: the header bold, frozen and filterable; dates real dates shown DD.MM.YYYY; a
text that starts with «=» stays text (never a formula); characters XML cannot carry are dropped; column widths
measured on the header and the first `MEASURED_ROWS` rows. Optional title lines (a plan's name, year, status) go
above the table, the first one bold and larger.
"""

from __future__ import annotations

import datetime
import math
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

import xlsxwriter
from django.db import models
from django.db.models import Model, QuerySet
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .tables import XLSX_CONTENT_TYPE, safe_sheet_title
from .widgets import display_value

__all__ = [
    "CHUNK_SIZE",
    "Column",
    "choice_label",
    "in_chunks",
    "table",
    "write_workbook",
    "xlsx_bytes",
    "xlsx_response",
]

#: Rows of a queryset read (and prefetched for) at a time.
CHUNK_SIZE = 2000
#: Rows the column widths are measured on (held back until the widths are written).
MEASURED_ROWS = 200
#: A finished file larger than this goes from memory to a temporary file on disk.
SPOOL_MAX_SIZE = 2 * 1024 * 1024
DATE_FORMAT = "DD.MM.YYYY"
MAX_WIDTH = 60
DATE_WIDTH = 10
#: The most characters Excel keeps in a cell (it «repairs» a file with a longer one).
MAX_CELL_TEXT = 32767


@dataclass(frozen=True)
class Column[M]:
    """A column of an export: its header (a UI string, translated when the sheet is written) and its cell for a row
    object. A cell is a str, a number, a date, or None (an empty string is an empty cell as well)."""

    header: str | Promise
    value: Callable[[M], Any]


def choice_label(attribute: str, choices: type[models.Choices]) -> Callable[[Any], str]:
    """A cell: the label of a choices field (`attribute` of the row object, dotted through relations), translated
    once per language rather than once per row (get_FOO_display() translates on every call)."""
    labels: dict[str, dict] = {}

    def label(obj) -> str:
        value = obj
        for name in attribute.split("."):
            value = getattr(value, name)
        language = translation.get_language() or ""
        if language not in labels:
            labels[language] = {key: str(text) for key, text in choices.choices}
        return labels[language].get(value, value)

    return label


def table[M](columns: Sequence[Column[M]], objects: Iterable[M]) -> tuple[list[str], Iterator[tuple]]:
    """The header row and the rows (lazily, one per object) of `columns` over `objects`."""
    getters = [column.value for column in columns]
    return [str(column.header) for column in columns], (tuple(get(obj) for get in getters) for obj in objects)


def in_chunks(queryset: QuerySet, chunk_size: int = CHUNK_SIZE) -> Iterator[Model]:
    """The queryset's objects in its order, `chunk_size` at a time, its prefetches run per chunk (Django's
    QuerySet.iterator: a server-side cursor on PostgreSQL, never LIMIT/OFFSET paging)."""
    return queryset.iterator(chunk_size=chunk_size)


# ---------------------------------------------------------------- cells


def _width(value: Any) -> int:
    return DATE_WIDTH if isinstance(value, datetime.date) else len(display_value(value))


def _widths(headers: Sequence[str], rows: Sequence[Sequence], max_width: int) -> list[int]:
    widths = [len(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _width(value))
    return [min(max_width, width + 2) for width in widths]


def _text(value: str) -> str:
    """Text without the characters XML cannot carry, at most MAX_CELL_TEXT long."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]


def _write_cell(sheet, row: int, col: int, value: Any, date_format) -> None:
    """A value's cell: text (never a formula), a number, a date (a serial shown DD.MM.YYYY), a boolean; nothing for
    None or an empty string."""
    if value is None or value == "":
        return
    if isinstance(value, str | Promise):
        sheet.write_string(row, col, _text(str(value)))
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, datetime.date):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.make_naive(value)
        sheet.write_datetime(row, col, value, date_format)
    elif isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)
    else:
        sheet.write_string(row, col, _text(str(value)))


# ---------------------------------------------------------------- the workbook


def write_workbook(
    target: IO[bytes] | str,
    *,
    sheet_title: str | Promise,
    headers: Sequence[str | Promise],
    rows: Iterable[Sequence[Any]],
    title_lines: Sequence[str] = (),
    widths: Sequence[int] | None = None,
    max_width: int = MAX_WIDTH,
) -> int:
    """Write a one-sheet workbook of `headers` and `rows` (consumed once, one at a time) into `target` (a file open
    for binary writing, or a path). `widths` in characters, or measured; returns the number of rows written."""
    sheet = Sheet(sheet_title, headers, rows, title_lines, widths)
    return write_sheets(target, [sheet], max_width=max_width)[0]


@dataclass
class Sheet:
    """One sheet of a workbook: its title, a header row and the rows under it, title lines above them."""

    title: str | Promise
    headers: Sequence[str | Promise]
    rows: Iterable[Sequence[Any]]
    title_lines: Sequence[str] = ()
    widths: Sequence[int] | None = None


def write_sheets(target: IO[bytes] | str, sheets: Sequence[Sheet], *, max_width: int = MAX_WIDTH) -> list[int]:
    """Write a workbook of `sheets` (a report of several tables: a sheet each) into `target`; the rows written per
    sheet. Each sheet's rows are consumed once, one at a time (constant memory)."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    counts = []
    try:
        bold = workbook.add_format({"bold": True})
        title_format = workbook.add_format({"bold": True, "font_size": 13})
        date_format = workbook.add_format({"num_format": DATE_FORMAT})
        used: set[str] = set()
        for number, spec in enumerate(sheets, start=1):
            title = safe_sheet_title(str(spec.title))
            if title.lower() in used:  # sheet names are unique whatever their case
                title = safe_sheet_title(f"{number} {title}")
            used.add(title.lower())
            names = [str(header) for header in spec.headers]
            rows = iter(spec.rows)
            measured = list(islice(rows, MEASURED_ROWS))
            header_row = len(spec.title_lines) + 1 if spec.title_lines else 0  # a blank line after the title
            sheet = workbook.add_worksheet(title)
            for index, width in enumerate(spec.widths or _widths(names, measured, max_width)):
                sheet.set_column(index, index, width)
            for line_number, line in enumerate(spec.title_lines):
                sheet.write_string(line_number, 0, _text(line), title_format if line_number == 0 else None)
            for index, header in enumerate(names):
                sheet.write_string(header_row, index, _text(header), bold)
            sheet.freeze_panes(header_row + 1, 0)
            count = 0
            for count, row in enumerate(chain(measured, rows), start=1):
                for index, value in enumerate(row[: len(names)]):
                    _write_cell(sheet, header_row + count, index, value, date_format)
            if names:
                sheet.autofilter(header_row, 0, header_row + count, len(names) - 1)
            counts.append(count)
    finally:
        workbook.close()
    return counts


def xlsx_bytes(**table_kwargs) -> bytes:
    """The workbook in memory: for a small table built outside a request (a test, a command)."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE) as file:
        write_workbook(file, **table_kwargs)
        file.seek(0)
        return file.read()


def xlsx_response(filename: str, *, sheets: Sequence[Sheet] | None = None, **table_kwargs) -> FileResponse:
    """The workbook of write_workbook(**table_kwargs) — or of `sheets` — as a download named `filename`, streamed
    from a temporary file (in memory up to SPOOL_MAX_SIZE, on disk beyond) that is closed with the response."""
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115 - the response closes it
    try:
        if sheets is not None:
            write_sheets(file, sheets)
        else:
            write_workbook(file, **table_kwargs)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"  # lists of people are personal data
    return response
