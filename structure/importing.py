"""The staff import, as the views call it, and its template file.

Import is two steps. preview_people_import() reads the uploaded file and runs PersonImportResource as a dry run
(inside a transaction that is rolled back): every row is checked, nothing is written. A file whose rows are all
correct waits for the confirmation as a pending import (stash_pending_import): a row of its own in the session table,
server-side and expiring, whose key is the confirmation's one-time token. confirm_people_import() locks that row
(SELECT … FOR UPDATE), imports the file through apply_people_import() — which checks the same bytes again and creates
everybody in one transaction, or nobody — and marks the row done in the same transaction. So a confirmation runs
once: a second one, sent at the same moment or later (a double click, eight tabs, the back button), waits for the
lock, finds the import done and is told so (code "already_imported"), creating nobody.

The upload is read through metodservice.common.uploads: at most MAX_FILE_SIZE, and its type by content (libmagic): an XLSX
workbook, text for the CSV reader, an old binary .xls (refused with its own advice), anything else refused. The file
is only parsed, never stored for serving, so no download view exists for it.

Files: XLSX (first sheet) or CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1251, delimited by «;», «,» or
a tab. Row numbers in messages are the rows of the sheet: the header row is 1. In a CSV file a quoted cell that
spans several lines counts as one row.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import os
from dataclasses import dataclass, field

import tablib
from django.contrib.sessions.backends.db import SessionStore as PendingStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from import_export.results import Result, RowResult
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from metodservice.common import tables, uploads
from metodservice.common.widgets import display_value

from .models import Position, User
from .resources import IMPORT_COLUMNS, LINE, PersonImportResource
from .selectors import Roles, roles_of

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 1024 * 1024
#: A pending import waits this long for its confirmation; afterwards a confirmation says "upload it again".
PENDING_IMPORT_TTL = 24 * 60 * 60
PENDING_KIND = "structure.people_import"
#: More rows than a college has staff: a bigger file is a mistake, and a dry run of it would be slow.
MAX_ROWS = 2000
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


# ---------------------------------------------------------------- checking and importing


def _prepared(data: bytes, filename: str, resource: PersonImportResource) -> tablib.Dataset:
    dataset = resource.prepare_dataset(tables.load_dataset(data, filename))
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


def people_import_template() -> bytes:
    """The sample file: the import's headers and two example rows; a second sheet lists the positions and
    the position column offers them in a drop-down."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = tables.safe_sheet_title(gettext("Staff"))
    sample = PersonImportResource.sample_dataset()
    tables.write_sheet(sheet, sample)

    reference = workbook.create_sheet(tables.safe_sheet_title(gettext("Positions")))
    names = list(Position.objects.order_by("name").values_list("name", flat=True))
    lists = tablib.Dataset(headers=[gettext("Position")])
    for name in names:
        lists.append([name])
    tables.write_sheet(reference, lists, max_width=90)
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
