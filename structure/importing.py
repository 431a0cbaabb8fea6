"""The staff import and the XLSX exports, as the views call them.

Import is two steps. preview_people_import() reads the uploaded file and runs PersonImportResource as a dry run
(inside a transaction that is rolled back): every row is checked, nothing is written. A file whose rows are all
correct waits for the confirmation as a pending import (stash_pending_import): a row of its own in the session table,
server-side and expiring, whose key is the confirmation's one-time token. confirm_people_import() locks that row
(SELECT … FOR UPDATE), imports the file through apply_people_import() — which checks the same bytes again and creates
everybody in one transaction, or nobody — and marks the row done in the same transaction. So a confirmation runs
once: a second one, sent at the same moment or later (a double click, eight tabs, the back button), waits for the
lock, finds the import done and is told so (code "already_imported"), creating nobody.

The upload is read through metodservice.uploads: at most MAX_FILE_SIZE, and its type by content (libmagic): an XLSX
workbook, text for the CSV reader, an old binary .xls (refused with its own advice), anything else refused. The file
is only parsed, never stored for serving, so no download view exists for it.

Files: XLSX (first sheet) or CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1251, delimited by «;», «,» or
a tab. Row numbers in messages are the rows of the sheet: the header row is 1. In a CSV file a quoted cell that
spans several lines counts as one row.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field

import tablib
from django.contrib.sessions.backends.db import SessionStore as PendingStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result, RowResult
from tablib import InvalidDimensions

from metodservice import uploads

from .models import Position, User
from .resources import IMPORT_COLUMNS, LINE, PersonImportResource, display_value
from .selectors import Roles, roles_of

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 1024 * 1024
#: A pending import waits this long for its confirmation; afterwards a confirmation says "upload it again".
PENDING_IMPORT_TTL = 24 * 60 * 60
PENDING_KIND = "structure.people_import"
#: More rows than a college has staff: a bigger file is a mistake, and a dry run of it would be slow.
MAX_ROWS = 2000
#: An XLSX file is a zip archive; refuse one that unpacks to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_SIZE = 50 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_EXTENSIONS = {".csv", ".txt", ""}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
ZIP_MAGIC = uploads.ZIP_MAGIC
OLE_MAGIC = uploads.OLE_MAGIC  # old binary .xls (and .doc)
#: Types by content (uploads.detect_type) of an old binary Office file.
OLE_TYPES = {uploads.OLE, uploads.DOC.mime, uploads.XLS.mime}
#: Zip containers the XLSX reader tries (a workbook, one with macros, or a zip libmagic cannot name); other
#: documents (.docx, .ods, …) are refused as not a table.
ZIP_TABLE_TYPES = {uploads.XLSX.mime, uploads.MACRO_DOCUMENT, uploads.ZIP, uploads.OCTET_STREAM}
#: Text that is a document, not a table. libmagic's other text types are guesses (a CSV whose lines start with
#: «c» is "FORTRAN", one with «#include» is "C source"): any other text goes to the CSV reader, the real check.
NOT_TABLE_TEXT = {"text/html", "text/xml", "image/svg+xml", "text/rtf"}
#: The columns of the preview table besides the row number and the errors.
PREVIEW_COLUMNS = ("full_name", "position", "hire_date", "position_since", "pedagogical_since", "education", "email")


@dataclass
class ImportPreview:
    """The checked file: a dict per row for the preview table, and the file itself for the confirmation."""

    rows: list[dict]
    total: int
    error_count: int
    filename: str = ""
    data: bytes = field(default=b"", repr=False)

    @property
    def is_valid(self) -> bool:
        return self.total > 0 and self.error_count == 0

    @property
    def valid_count(self) -> int:
        return self.total - self.error_count


# ---------------------------------------------------------------- reading the upload


def _too_big() -> ValidationError:
    return uploads.size_error(MAX_FILE_SIZE)


def _expired() -> ValidationError:
    return ValidationError(gettext("The uploaded file is no longer available: upload it again."), code="expired")


def read_upload(uploaded_file) -> tuple[bytes, str]:
    """The bytes and the base name of an uploaded file, refusing one over MAX_FILE_SIZE."""
    if uploaded_file is None:
        raise ValidationError(gettext("Choose a file to upload."), code="required")
    data = uploads.read_limited(uploaded_file, MAX_FILE_SIZE)
    return data, os.path.basename(getattr(uploaded_file, "name", "") or "")


def _payload(data: bytes, filename: str) -> dict:
    return {"filename": filename, "data": base64.b64encode(data).decode("ascii")}


def encode_for_session(uploaded_file) -> dict:
    """A JSON-serialisable form of the uploaded file, to keep between the preview and the confirmation."""
    data, filename = read_upload(uploaded_file)
    return _payload(data, filename)


def decode_from_session(payload) -> tuple[bytes, str]:
    """The (bytes, filename) that encode_for_session() stored; ValidationError if it is missing or damaged."""
    expired = _expired()
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), str):
        raise expired
    try:
        data = base64.b64decode(payload["data"], validate=True)
    except (binascii.Error, ValueError):
        raise expired from None
    if len(data) > MAX_FILE_SIZE:
        raise _too_big()
    return data, os.path.basename(str(payload.get("filename") or ""))


def _unreadable(detail: str = "") -> ValidationError:
    message = gettext("The file cannot be read: upload a CSV or XLSX table.")
    if detail:
        message = f"{message} {detail}"
    return ValidationError(message, code="unreadable")


def _decode_text(data: bytes) -> str:
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
    best = max(counts, key=counts.get)
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
    import openpyxl

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


# ---------------------------------------------------------------- checking and importing


def _prepared(data: bytes, filename: str, resource: PersonImportResource) -> tablib.Dataset:
    dataset = resource.prepare_dataset(load_dataset(data, filename))
    if not len(dataset):
        raise ValidationError(gettext("The file has no rows with data."), code="no_rows")
    if len(dataset) > MAX_ROWS:
        raise ValidationError(
            gettext("The file has %(count)s rows; at most %(max)s can be imported at once.")
            % {"count": len(dataset), "max": MAX_ROWS},
            code="too_many_rows",
        )
    return dataset


def _row_errors(row_result: RowResult) -> list[str]:
    errors: list[str] = []
    if row_result.validation_error is not None:
        errors.extend(row_result.validation_error.messages)
    for error in row_result.errors:
        logger.warning("staff import: unexpected error in a row: %s", error.traceback)
        errors.append(gettext("Unexpected error: %(error)s") % {"error": error.error})
    return errors


def _check_base_errors(result: Result) -> None:
    if result.base_errors:
        for error in result.base_errors:
            logger.error("staff import failed: %s", error.traceback)
        raise ValidationError(gettext("The file could not be processed."), code="failed")


def _preview_rows(result: Result, resource: PersonImportResource) -> list[dict]:
    rows = []
    for row_result in result.rows:
        values = row_result.row_values
        row = {name: display_value(values.get(resource.header(name))) for name in PREVIEW_COLUMNS}
        row["line"] = values.get(LINE)
        row["errors"] = _row_errors(row_result)
        rows.append(row)
    return rows


def preview_data(*, data: bytes, filename: str, by: Roles | None = None) -> ImportPreview:
    """Check the file's content as a dry run; nothing is kept in the database. `by` is who imports (the
    positions they may grant)."""
    resource = PersonImportResource(by=by)
    dataset = _prepared(data, filename, resource)
    result = resource.import_data(dataset, dry_run=True, use_transactions=True, raise_errors=False)
    _check_base_errors(result)
    rows = _preview_rows(result, resource)
    return ImportPreview(
        rows=rows,
        total=len(rows),
        error_count=sum(1 for row in rows if row["errors"]),
        filename=filename,
        data=data,
    )


def preview_people_import(*, uploaded_file, by: Roles | None = None) -> ImportPreview:
    """Read and check an uploaded staff table without writing anything.

    Raises ValidationError when the file as a whole is unusable (too big, unreadable, empty, no required
    columns); errors of single rows are in the preview's rows."""
    data, filename = read_upload(uploaded_file)
    return preview_data(data=data, filename=filename, by=by)


@transaction.atomic
def apply_people_import(*, data: bytes, filename: str, by: Roles | None = None) -> int:
    """Check the file again and create all its people, or none if any row has an error. Returns how many."""
    if len(data) > MAX_FILE_SIZE:
        raise _too_big()
    resource = PersonImportResource(by=by)
    dataset = _prepared(data, filename, resource)
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True, raise_errors=False
    )
    _check_base_errors(result)
    failed = sum(1 for row_result in result.rows if not row_result.is_valid())
    if failed:
        raise ValidationError(
            gettext("Rows with errors: %(count)s. Nothing was imported.") % {"count": failed}, code="invalid_rows"
        )
    return result.totals[RowResult.IMPORT_TYPE_NEW]


# ---------------------------------------------------------------- between preview and confirmation


def stash_pending_import(*, user_id: int, data: bytes, filename: str) -> str:
    """Keep a checked file until its confirmation; returns the confirmation's one-time token.

    The pending import is a row of its own in the session table (Django's database session store, whatever
    SESSION_ENGINE says): kept on the server, expiring after PENDING_IMPORT_TTL, removed by `manage.py
    clearsessions`, and lockable, which the user's own session (loaded before the view and saved after it,
    by every request) is not."""
    if len(data) > MAX_FILE_SIZE:
        raise _too_big()
    store = PendingStore()
    store.update({"kind": PENDING_KIND, "user": user_id, "state": "pending", **_payload(data, filename)})
    store.set_expiry(PENDING_IMPORT_TTL)
    store.create()
    return store.session_key


def _pending_row(token: str, user_id: int, *, lock: bool) -> tuple[Session, dict]:
    rows = Session.objects.filter(session_key=str(token or ""), expire_date__gt=timezone.now())
    row = (rows.select_for_update() if lock else rows).first()
    payload = PendingStore().decode(row.session_data) if row else {}
    if payload.get("kind") != PENDING_KIND or payload.get("user") != user_id:
        raise _expired()
    if payload.get("state") == "done":
        raise ValidationError(
            gettext(
                "This import has already been done (staff members imported: %(count)s); nothing was imported again."
            )
            % {"count": payload.get("count", 0)},
            code="already_imported",
        )
    return row, payload


def load_pending_import(*, token: str, user_id: int) -> tuple[bytes, str]:
    """The (bytes, filename) of a pending import of this user, to show its rows again."""
    return decode_from_session(_pending_row(token, user_id, lock=False)[1])


@transaction.atomic
def confirm_people_import(*, token: str, user_id: int) -> int:
    """Import the pending file of `token`, once; returns how many people were created.

    Under the pending row's lock: a confirmation that comes second waits, then finds the import done and is
    refused (code "already_imported"). If the import itself is refused (the database changed since the preview),
    the transaction rolls back, the row stays pending and nobody is created. ValidationError code "expired" when
    the token is unknown, expired or another user's."""
    row, payload = _pending_row(token, user_id, lock=True)
    data, filename = decode_from_session(payload)
    user = User.objects.filter(pk=user_id).first()
    created = apply_people_import(data=data, filename=filename, by=roles_of(user) if user else None)
    done = {key: payload[key] for key in ("kind", "user", "filename", "_session_expiry") if key in payload}
    row.session_data = PendingStore().encode({**done, "state": "done", "count": created})
    row.save(update_fields=["session_data"])
    return created


def discard_pending_import(*, token: str, user_id: int) -> None:
    """Forget this user's pending import that will not be confirmed (a new preview replaced it, or it failed)."""
    row = Session.objects.filter(session_key=str(token or "")).first()
    payload = PendingStore().decode(row.session_data) if row else {}
    if payload.get("kind") == PENDING_KIND and payload.get("user") == user_id:
        row.delete()


# ---------------------------------------------------------------- XLSX files


def _sheet_title(title: str) -> str:
    """Excel's rules: at most 31 characters, none of : \\ / ? * [ ]."""
    title = re.sub(r"[:\\/?*\[\]]", "-", str(title)).strip("'") or "Sheet"
    return title[:31]


def _write_sheet(sheet, dataset: tablib.Dataset, *, max_width: int = 60) -> None:
    """Header row in bold, frozen and filterable; dates as real dates shown DD.MM.YYYY; text that looks like
    a formula stays text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

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


def dataset_to_xlsx(dataset: tablib.Dataset, *, sheet_title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    _write_sheet(sheet, dataset)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def export_xlsx(resource, queryset: QuerySet, *, sheet_title: str) -> bytes:
    """The resource's export of `queryset` as an XLSX file of one sheet."""
    dataset = resource.export(queryset, force_native_type=True)
    return dataset_to_xlsx(dataset, sheet_title=sheet_title)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A download; a Cyrillic file name is sent RFC 5987-encoded (filename*=utf-8''…)."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"  # lists of people are personal data
    return response


def people_import_template() -> bytes:
    """The sample file: the import's headers and two example rows; a second sheet lists the positions and
    the position column offers them in a drop-down."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(gettext("Staff"))
    sample = PersonImportResource.sample_dataset()
    _write_sheet(sheet, sample)

    reference = workbook.create_sheet(_sheet_title(gettext("Positions")))
    names = list(Position.objects.order_by("name").values_list("name", flat=True))
    lists = tablib.Dataset(headers=[gettext("Position")])
    for name in names:
        lists.append([name])
    _write_sheet(reference, lists, max_width=90)
    if names:
        position_column = get_column_letter(IMPORT_COLUMNS.index("position") + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{reference.title}'!$A$2:$A${len(names) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        sheet.add_data_validation(validation)
        validation.add(f"{position_column}2:{position_column}{MAX_ROWS + 1}")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
