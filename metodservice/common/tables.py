"""Tables in and out: reading an uploaded CSV or XLSX file into a tablib Dataset (its type by content, through
metodservice.common.uploads), writing a Dataset into a sheet of a small workbook built in memory (the staff import's
template) and sending such a file. The list exports stream through metodservice.common.xlsx instead."""

from __future__ import annotations

import datetime
import io
import logging
import os
import re
import zipfile

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from tablib import InvalidDimensions

from . import uploads
from .widgets import display_value

logger = logging.getLogger(__name__)

#: A workbook that unpacks to more than this is refused (a zip bomb).
MAX_XLSX_UNPACKED_SIZE = 50 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_EXTENSIONS = {".csv", ".txt", ""}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
ZIP_MAGIC = uploads.ZIP_MAGIC
OLE_MAGIC = uploads.OLE_MAGIC  # old binary .xls (and .doc)
OLE_TYPES = {uploads.OLE, uploads.DOC.mime, uploads.XLS.mime}
ZIP_TABLE_TYPES = {uploads.XLSX.mime, uploads.MACRO_DOCUMENT, uploads.ZIP, uploads.OCTET_STREAM}
NOT_TABLE_TEXT = {"text/html", "text/xml", "image/svg+xml", "text/rtf"}


# ---------------------------------------------------------------- reading


def _unreadable(detail: str = "") -> ValidationError:
    message = gettext("The file cannot be read: upload a CSV or XLSX table.")
    if detail:
        message = f"{message} {detail}"
    return ValidationError(message, code="unreadable")


def _decode_text(data: bytes) -> str:
    encodings: tuple[str, ...]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif b"\x00" in data:
        raise _unreadable()
    else:
        encodings = ("utf-8-sig", "cp1251")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(gettext("Save it as CSV in UTF-8 or Windows-1251."))


def _delimiter(text: str) -> str:
    """The delimiter of the first non-blank line: «;» (Excel in Russian), a tab or «,»."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ";"


def _load_csv(data: bytes) -> tablib.Dataset:
    text = _decode_text(data)
    delimiter = _delimiter(text)
    # tablib skips empty lines; keep them as empty rows so that row numbers stay the lines of the file.
    text = re.sub(r"(?m)^[ \t\r]*$", delimiter, text)
    try:
        return CSV().create_dataset(text, delimiter=delimiter)
    except Exception as error:  # csv.Error, tablib's InvalidDimensions: a damaged file either way
        logger.info("unreadable CSV upload: %s", error)
        raise _unreadable() from None


def _load_xlsx(data: bytes) -> tablib.Dataset:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _unreadable() from None
    if unpacked > MAX_XLSX_UNPACKED_SIZE:
        raise _unreadable(gettext("It unpacks to too much data."))
    try:
        try:
            return XLSX().create_dataset(data)
        except InvalidDimensions:
            return _load_unsized_xlsx(data)
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged or foreign zip file
        logger.info("unreadable XLSX upload: %s", error)
        raise _unreadable() from None


def _load_unsized_xlsx(data: bytes) -> tablib.Dataset:
    """A workbook whose sheet does not declare its size (some generators omit <dimension>): the streaming
    reader then yields rows of different lengths, which tablib refuses. Read it whole: rows come rectangular."""
    sheet = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    rows = sheet.iter_rows(values_only=True)
    dataset = tablib.Dataset(headers=list(next(rows, ())))
    for row in rows:
        dataset.append(list(row))
    return dataset


def _not_a_table() -> ValidationError:
    return ValidationError(gettext("Upload a CSV or XLSX file."), code="file_type")


def load_dataset(data: bytes, filename: str) -> tablib.Dataset:
    """The file's first sheet as a tablib Dataset (the first row as headers); ValidationError if unreadable.
    What the file is comes from its content (uploads.detect_type); the name only tells a CSV from a misnamed file."""
    if not data.strip():
        raise ValidationError(gettext("The file is empty."), code="empty")
    extension = os.path.splitext(filename)[1].lower()
    mime = uploads.detect_type(data)
    if mime in OLE_TYPES:
        raise ValidationError(
            gettext("Old Excel files (.xls) are not supported: save the table as .xlsx or CSV."), code="xls"
        )
    if data.startswith(ZIP_MAGIC):
        if mime not in ZIP_TABLE_TYPES:
            raise _not_a_table()
        return _load_xlsx(data)
    if not mime.startswith("text/") or mime in NOT_TABLE_TEXT:
        if mime == uploads.OCTET_STREAM:
            raise _unreadable()
        raise _not_a_table()
    if extension in XLSX_EXTENSIONS:
        raise _unreadable()
    if extension not in CSV_EXTENSIONS:
        raise _not_a_table()
    return _load_csv(data)


# ---------------------------------------------------------------- writing


def safe_sheet_title(title: str) -> str:
    """Excel's rules: at most 31 characters, none of : \\ / ? * [ ]."""
    title = re.sub(r"[:\\/?*\[\]]", "-", str(title)).strip("'") or "Sheet"
    return title[:31]


def write_sheet(sheet, dataset: tablib.Dataset, *, max_width: int = 60) -> None:
    """Header row in bold, frozen and filterable; dates as real dates shown DD.MM.YYYY; text that looks like
    a formula stays text."""
    headers = list(dataset.headers or [])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in headers]
    for row_index, values in enumerate(dataset, start=2):
        for column_index, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row_index, column=column_index, value=value if value != "" else None)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # user text, never a formula
            elif isinstance(value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
            length = 10 if isinstance(value, datetime.date) else len(display_value(value))
            widths[column_index - 1] = max(widths[column_index - 1], length)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max_width, width + 2)
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(dataset) + 1)}"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A workbook built in memory as a download; a Cyrillic file name is sent RFC 5987-encoded (filename*=utf-8''…).
    A list export streams instead (metodservice.common.xlsx.xlsx_response)."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"  # lists of people are personal data
    return response
